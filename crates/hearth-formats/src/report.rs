//! The clinician report. Page one is the two-minute read: safety events,
//! PHQ-9 and GAD-7 with their bands, mood, medication against sexual
//! function, what helps, notices, and the person's own questions. Details
//! follow. Printable HTML with everything inline: no external assets.

use std::collections::BTreeMap;

use askama::Template;
use hearth_core::instrument::Registry;
use hearth_core::vocab::MedEventKind;
use hearth_core::{Entry, EntryBody};
use hearth_insights::{Insight, Insights};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::charts::{self, Chart};
use crate::text::{interval, num};

pub struct Input<'a> {
    /// Entries in the report's period, in any order.
    pub entries: &'a [Entry],
    /// Insights computed over the same period.
    pub insights: &'a Insights,
    pub questions: &'a [String],
    /// (when, what) for each time crisis resources were shown.
    pub crisis: &'a [(Timestamp, String)],
    pub registry: &'a Registry,
    pub from: Date,
    pub to: Date,
    pub tz: &'a TimeZone,
    pub generated_at: Timestamp,
}

#[derive(Clone, serde::Serialize)]
pub struct ScoreRow {
    pub date: String,
    pub total: i32,
    pub band: String,
    pub crisis: bool,
}

#[derive(serde::Serialize)]
pub struct Instrument {
    pub title: String,
    pub max: i32,
    pub latest: Option<ScoreRow>,
    pub change: Option<String>,
    pub chart: Chart,
    pub rows: Vec<ScoreRow>,
}

#[derive(serde::Serialize)]
pub struct MedRow {
    pub date: String,
    pub name: String,
    pub event: String,
    pub dose: String,
}

#[derive(serde::Serialize)]
pub struct Notice {
    pub title: String,
    pub text: String,
    pub could_do: String,
    pub details: Vec<String>,
}

#[derive(Template, serde::Serialize)]
#[template(path = "report.html")]
pub struct Report {
    pub period: String,
    pub generated: String,
    pub crisis: Vec<String>,
    pub instruments: Vec<Instrument>,
    pub mood: Chart,
    pub mood_summary: String,
    pub function: Chart,
    pub medications: Vec<MedRow>,
    pub helps: crate::tables::Table,
    pub helps_chart: Chart,
    pub notices: Vec<Notice>,
    pub questions: Vec<String>,
    pub checkins: usize,
    pub episodes: usize,
}

fn oldest_first(entries: &[Entry]) -> Vec<&Entry> {
    let mut v: Vec<&Entry> = entries.iter().collect();
    v.sort_by_key(|e| e.at);
    v
}

fn day(t: Timestamp, tz: &TimeZone) -> Date {
    t.to_zoned(tz.clone()).date()
}

fn fmt_day(d: Date) -> String {
    d.strftime("%a %d %b %Y").to_string()
}

fn band_label(registry: &Registry, instrument: &str, band: &Option<String>) -> String {
    let Some(b) = band else { return String::new() };
    registry
        .get(instrument)
        .and_then(|i| i.bands.iter().find(|x| &x.id == b))
        .map_or_else(|| b.replace('_', " "), |x| x.label.clone())
}

fn instrument(input: &Input<'_>, id: &str) -> Option<Instrument> {
    let def = input.registry.get(id)?;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for e in oldest_first(input.entries) {
        if let EntryBody::Survey(s) = &e.body
            && s.instrument == id
        {
            let d = day(e.at, input.tz);
            points.push((d, s.total));
            rows.push(ScoreRow {
                date: fmt_day(d),
                total: s.total,
                band: band_label(input.registry, id, &s.band),
                crisis: s.crisis,
            });
        }
    }
    let change = (points.len() >= 2).then(|| {
        let c = points[points.len() - 1].1 - points[points.len() - 2].1;
        let meaningful = if hearth_insights::rules::meaningful_change(id, c) {
            format!(
                " — a meaningful change (≥ {} points)",
                hearth_insights::rules::PHQ9_MEANINGFUL_CHANGE
            )
        } else {
            String::new()
        };
        format!("{c:+} since the previous score{meaningful}")
    });
    let chart = charts::scores(
        &format!("{} ({}–{})", def.title, def.min_total(), def.max_total()),
        &points,
        def.max_total(),
        &def.bands,
    );
    let latest = rows.last().cloned();
    Some(Instrument {
        title: def.title.clone(),
        max: def.max_total(),
        latest,
        change,
        chart,
        rows,
    })
}

fn notices(insights: &Insights) -> Vec<Notice> {
    let mut out = Vec::new();
    for i in &insights.insights {
        match i {
            Insight::AfterSexDrop(d) if d.triggered => out.push(Notice {
                title: d.title.into(),
                text: d.summary.into(),
                could_do: d.what_you_could_do.unwrap_or_default().into(),
                details: d
                    .items
                    .iter()
                    .filter(|x| x.n > 0)
                    .map(|x| {
                        format!(
                            "{}: {} of {} episodes in 90 days ({:.0}%, 95% interval {:.0}–{:.0}%)",
                            x.kind,
                            x.drops,
                            x.n,
                            x.share.unwrap_or(0.0) * 100.0,
                            x.ci_low.unwrap_or(0.0) * 100.0,
                            x.ci_high.unwrap_or(0.0) * 100.0
                        )
                    })
                    .collect(),
            }),
            Insight::Reliance(r) if r.triggered => out.push(Notice {
                title: r.title.into(),
                text: r.summary.into(),
                could_do: r.what_you_could_do.unwrap_or_default().into(),
                details: r.reasons.iter().map(|s| s.to_string()).collect(),
            }),
            Insight::Medication(m) if m.triggered => out.push(Notice {
                title: m.title.into(),
                text: m.summary.into(),
                could_do: m.what_you_could_do.unwrap_or_default().into(),
                details: m
                    .items
                    .iter()
                    .filter(|x| x.triggered)
                    .map(|x| {
                        format!(
                            "{} {}: total {:.1} → {:.1} ({} and {} weekly checks), change {} (95% interval {})",
                            x.medication,
                            x.event,
                            x.before_mean.unwrap_or_default(),
                            x.after_mean.unwrap_or_default(),
                            x.before_n,
                            x.after_n,
                            num(x.change),
                            interval(x.ci_low, x.ci_high)
                        )
                    })
                    .collect(),
            }),
            Insight::Trend(t) if t.prompt_professional_help => out.push(Notice {
                title: t.title.into(),
                text: t.summary.clone(),
                could_do: t.what_you_could_do.into(),
                details: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

pub fn build(input: &Input<'_>) -> Report {
    let mut mood_by_day: BTreeMap<Date, Vec<f64>> = BTreeMap::new();
    let mut marks = Vec::new();
    let mut sf = Vec::new();
    let mut med_events = Vec::new();
    let mut medications = Vec::new();
    let (mut checkins, mut episodes) = (0, 0);
    for e in oldest_first(input.entries) {
        let d = day(e.at, input.tz);
        match &e.body {
            EntryBody::Checkin(c) => {
                checkins += 1;
                mood_by_day
                    .entry(d)
                    .or_default()
                    .push(f64::from(c.mood.get()));
            }
            EntryBody::Episode(ep) => {
                episodes += 1;
                if ep.kind.builtin().is_some() {
                    marks.push((d, ep.kind.to_string()));
                }
            }
            EntryBody::Survey(s) if s.instrument == "sexual-function" => sf.push((d, s.total)),
            EntryBody::Medication(m) => {
                let dose = m
                    .dose
                    .map(|x| format!("{x} {}", m.unit))
                    .unwrap_or_default();
                let what = match m.event {
                    MedEventKind::Start => "start",
                    MedEventKind::Change => "dose change",
                    MedEventKind::Stop => "stop",
                };
                med_events.push((
                    d,
                    format!("{} {what} {dose}", m.medication).trim().to_string(),
                ));
                medications.push(MedRow {
                    date: fmt_day(d),
                    name: m.medication.clone(),
                    event: what.into(),
                    dose,
                });
            }
            _ => {}
        }
    }
    let days: Vec<(Date, f64)> = mood_by_day
        .iter()
        .map(|(d, v)| (*d, v.iter().sum::<f64>() / v.len() as f64))
        .collect();
    let mood_summary = if days.is_empty() {
        "No check-ins in this period.".to_string()
    } else {
        let mean = days.iter().map(|d| d.1).sum::<f64>() / days.len() as f64;
        let half = days.len() / 2;
        let trend = if days.len() >= 14 {
            let first = days[..half].iter().map(|d| d.1).sum::<f64>() / half as f64;
            let second = days[half..].iter().map(|d| d.1).sum::<f64>() / (days.len() - half) as f64;
            format!("; first half {first:.1}, second half {second:.1}")
        } else {
            String::new()
        };
        format!(
            "Average mood {mean:.1} of 10 over {} days with a check-in{trend}.",
            days.len()
        )
    };
    let helps_items = input.insights.insights.iter().find_map(|i| match i {
        Insight::WhatHelps(w) => Some(w.items.clone()),
        _ => None,
    });
    let helps_items = helps_items.unwrap_or_default();
    let helps = crate::tables::what_helps(&helps_items);
    let forest: Vec<(String, f64, f64, f64)> = helps_items
        .iter()
        .filter_map(|h| Some((h.kind.clone(), h.mean_change?, h.ci_low?, h.ci_high?)))
        .collect();
    Report {
        period: format!("{} to {}", fmt_day(input.from), fmt_day(input.to)),
        generated: input
            .generated_at
            .to_zoned(input.tz.clone())
            .strftime("%d %b %Y %H:%M")
            .to_string(),
        crisis: input
            .crisis
            .iter()
            .map(|(t, what)| {
                format!(
                    "{} — {what}",
                    t.to_zoned(input.tz.clone()).strftime("%a %d %b %Y %H:%M")
                )
            })
            .collect(),
        instruments: ["phq9", "gad7"]
            .iter()
            .filter_map(|id| instrument(input, id))
            .collect(),
        mood: charts::mood(&days, &marks),
        mood_summary,
        function: charts::function_with_medication(&sf, &med_events),
        medications,
        helps,
        helps_chart: charts::effects(&forest),
        notices: notices(input.insights),
        questions: input.questions.to_vec(),
        checkins,
        episodes,
    }
}

/// The report as one self-contained HTML page.
pub fn html(input: &Input<'_>) -> String {
    build(input).to_html()
}

impl Report {
    pub fn to_html(&self) -> String {
        self.render().expect("the report template renders")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::demo::{Effects, Spec, generate};
    use hearth_core::{EntryId, SurveyResponse};

    fn now() -> Timestamp {
        "2026-06-30T20:00:00Z".parse().unwrap()
    }

    fn entries() -> Vec<Entry> {
        let tz = TimeZone::get("Europe/London").unwrap();
        let spec = Spec {
            days: 84,
            seed: 5,
            now: now(),
            tz,
            effects: Effects::default(),
        };
        let mut out: Vec<Entry> = generate(&spec)
            .into_iter()
            .enumerate()
            .map(|(i, g)| Entry {
                id: EntryId::from_bits(i as u64),
                at: g.at,
                tz: "Europe/London".into(),
                recorded_at: g.at,
                updated_at: g.at,
                body: g.body,
            })
            .collect();
        // One PHQ-9 with item 9 above 0, as the person might answer it.
        let at: Timestamp = "2026-06-29T19:00:00Z".parse().unwrap();
        out.push(Entry {
            id: EntryId::from_bits(9999),
            at,
            tz: "Europe/London".into(),
            recorded_at: at,
            updated_at: at,
            body: EntryBody::Survey(SurveyResponse {
                instrument: "phq9".into(),
                version: "1".into(),
                answers: vec![2, 2, 2, 2, 1, 2, 2, 1, 1],
                extras: Default::default(),
                total: 15,
                band: Some("moderately_severe".into()),
                crisis: true,
            }),
        });
        out.reverse();
        out
    }

    /// Builds the test report with these questions for the person.
    fn with_report<T>(questions: &[String], f: impl FnOnce(&Input<'_>) -> T) -> T {
        let entries = entries();
        let tz = TimeZone::get("Europe/London").unwrap();
        let insights = hearth_insights::analyse(&hearth_insights::Input {
            entries: &entries,
            now: now(),
            tz: tz.clone(),
            since: None,
            seed: 1,
        });
        let crisis = [(
            "2026-06-29T19:00:00Z".parse().unwrap(),
            "PHQ-9 item 9 answered above 0".to_string(),
        )];
        f(&Input {
            entries: &entries,
            insights: &insights,
            questions,
            crisis: &crisis,
            registry: &Registry::builtin(),
            from: jiff::civil::date(2026, 4, 8),
            to: jiff::civil::date(2026, 6, 30),
            tz: &tz,
            generated_at: now(),
        })
    }

    fn render() -> String {
        let questions = [
            "Is low desire a side effect of sertraline?".to_string(),
            "<b>not markup</b>".to_string(),
        ];
        with_report(&questions, html)
    }

    /// The page without the charts' drawing, which the chart tests cover.
    fn without_svg(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find("<svg") {
            out.push_str(&rest[..i]);
            out.push_str("<svg/>");
            rest = &rest[i + rest[i..].find("</svg>").map_or(rest.len() - i, |j| j + 6)..];
        }
        out.push_str(rest);
        out
    }

    #[cfg(feature = "pdf")]
    #[test]
    fn the_pdf_is_paginated_with_embedded_fonts_and_no_markup_injection() {
        // Typst markup in a person's words must print as text, not run.
        let questions = ["#panic(\"no\") *bold?* $x$ [brackets] \\".to_string()];
        let pdf = with_report(&questions, |i| crate::pdf::render(&build(i)))
            .expect("the report lays out");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let pages = text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page/").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type/Page").count();
        assert!(pages >= 2, "page one and the details ({pages} pages)");
        assert!(text.contains("DejaVuSans"), "the font is embedded");
        assert!(
            pdf.len() < 2_000_000,
            "fonts are subset ({} bytes)",
            pdf.len()
        );
    }

    #[test]
    fn the_report_reads_as_a_clinician_needs() {
        let page = render();
        let safety = page
            .find("Crisis resources were shown 1 time")
            .expect("safety first");
        assert!(safety < page.find("Depression and anxiety").unwrap());
        assert!(page.contains("15 / 27") && page.contains("moderately severe"));
        assert!(
            page.contains("&#60;b&#62;not markup&#60;/b&#62;"),
            "questions are escaped"
        );
        assert!(page.contains("sertraline") && page.contains("What helps"));
        assert_eq!(page.matches("<svg").count(), 5);
        for attr in ["src=\"http", "href=\"http", "url(http", "<script", "<link"] {
            assert!(
                !page.contains(attr),
                "the page must not load anything ({attr})"
            );
        }
        insta::assert_snapshot!(without_svg(&page));
    }
}
