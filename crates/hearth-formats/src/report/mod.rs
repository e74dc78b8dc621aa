//! The clinician report. Page one is the two-minute read: a summary
//! paragraph, safety, the person's questions, PHQ-9 and GAD-7 with their
//! items, current medications, mood, what helps and notices. Details follow.
//! Printable HTML with everything inline: no external assets. Written about
//! the person, for a clinician: no advice addressed to the person.

mod clinical;
mod scores;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use askama::Template;
use hearth_core::instrument::Registry;
use hearth_core::labels;
use hearth_core::vocab::{BuiltinKind, ReportSection};
use hearth_core::{Entry, EntryBody, Medication};
use hearth_insights::{Insight, Insights};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::charts::{self, Chart};
pub use clinical::{CurrentMed, Notice};
pub use scores::{Instrument, ItemRow, ScoreRow};

pub struct Input<'a> {
    /// Entries in the report's period, in any order.
    pub entries: &'a [Entry],
    /// Insights computed over the same period.
    pub insights: &'a Insights,
    /// Every medication as it stood at the period's end, with its history.
    pub medications: &'a [Medication],
    pub questions: &'a [String],
    /// (when, what) for each time crisis resources were shown.
    pub crisis: &'a [(Timestamp, String)],
    pub registry: &'a Registry,
    pub from: Date,
    pub to: Date,
    pub tz: &'a TimeZone,
    pub generated_at: Timestamp,
    /// What the person chose to leave out.
    pub leave_out: &'a [ReportSection],
}

impl Input<'_> {
    fn shows(&self, s: ReportSection) -> bool {
        !self.leave_out.contains(&s)
    }

    /// Whether an activity of this kind may appear, given what was left out.
    fn shows_kind(&self, kind: Option<BuiltinKind>) -> bool {
        match kind {
            Some(k) if k.is_sex() => self.shows(ReportSection::Sex),
            Some(BuiltinKind::Porn) => self.shows(ReportSection::Porn),
            _ => true,
        }
    }

    fn shows_kind_name(&self, name: &str) -> bool {
        self.shows_kind(BuiltinKind::parse(name).ok())
    }
}

#[derive(serde::Serialize)]
pub struct MedRow {
    pub date: String,
    pub name: String,
    pub event: String,
    pub dose: String,
}

#[derive(Template, serde::Serialize)]
#[template(path = "report.html")]
pub struct Report {
    pub period: String,
    pub generated: String,
    /// The paragraph a prescriber reads first, one sentence each.
    pub summary: Vec<String>,
    /// Sections the person chose to leave out, in words.
    pub left_out: Vec<String>,
    pub crisis: Vec<String>,
    /// Safety moments that are not crisis triggers, as counts.
    pub safety: Vec<String>,
    pub instruments: Vec<Instrument>,
    pub current_medications: Vec<CurrentMed>,
    pub mood: Chart,
    pub mood_summary: String,
    /// Absent when the person left sexual-function checks out.
    pub function: Option<Chart>,
    pub medications: Vec<MedRow>,
    pub helps: crate::tables::Table,
    pub helps_chart: Chart,
    /// How the what-helps numbers are worked out, under the table.
    pub helps_note: String,
    /// What helps later on, when the person answered Hearth's later prompts.
    pub helps_later: Option<crate::tables::Table>,
    pub helps_later_lead: &'static str,
    /// Absent when the person left notices out.
    pub notices: Option<Vec<Notice>>,
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
    d.strftime("%a %-d %b %Y").to_string()
}

fn short_day(d: Date) -> String {
    d.strftime("%-d %b %Y").to_string()
}

/// The dose a medication was at just before its event at `at`.
fn previous_dose(input: &Input<'_>, name: &str, at: Timestamp) -> Option<f64> {
    let med = input
        .medications
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name))?;
    let i = med.history.iter().position(|s| s.at == at)?;
    med.history[..i].last()?.dose
}

fn mood_summary(days: &[(Date, f64)]) -> String {
    if days.is_empty() {
        return "No check-ins in this period.".to_string();
    }
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
            EntryBody::Episode(ep) if input.shows_kind(ep.kind.builtin()) => {
                episodes += 1;
                if ep.kind.builtin().is_some() {
                    marks.push((d, labels::kind(&ep.kind)));
                }
            }
            EntryBody::Survey(s) if s.instrument == "sexual-function" => sf.push((d, s.total)),
            // Doses taken are counted in the medication table, not listed.
            EntryBody::Medication(m) if m.event != hearth_core::vocab::MedEventKind::Taken => {
                let dose = match (m.event, previous_dose(input, &m.medication, e.at)) {
                    (hearth_core::vocab::MedEventKind::Change, Some(before)) => format!(
                        "{} → {}",
                        labels::dose(before, m.unit),
                        crate::text::dose(m.dose, m.unit)
                    ),
                    _ => crate::text::dose(m.dose, m.unit),
                };
                let what = labels::med_event(m.event);
                med_events.push((
                    d,
                    format!("{} {} {dose}", m.medication, what.to_lowercase())
                        .trim()
                        .to_string(),
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
    let helps_items: Vec<_> = input
        .insights
        .insights
        .iter()
        .find_map(|i| match i {
            Insight::WhatHelps(w) => Some(w.items.clone()),
            _ => None,
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|h| input.shows_kind_name(&h.kind))
        .collect();
    let helps = crate::tables::what_helps(&helps_items);
    let helps_later = crate::tables::what_helps_later(&helps_items);
    let forest: Vec<(String, f64, f64, f64)> = helps_items
        .iter()
        .filter_map(|h| {
            Some((
                labels::kind_name(&h.kind),
                h.mean_change?,
                h.ci_low?,
                h.ci_high?,
            ))
        })
        .collect();
    let instruments: Vec<Instrument> = ["phq9", "gad7"]
        .iter()
        .filter_map(|id| scores::instrument(input, id))
        .collect();
    let current_medications = clinical::current_medications(input);
    let notices = input
        .shows(ReportSection::Notices)
        .then(|| clinical::notices(input));
    let crisis: Vec<String> = input
        .crisis
        .iter()
        .map(|(t, what)| {
            format!(
                "{} — {what}",
                t.to_zoned(input.tz.clone()).strftime("%a %-d %b %Y %H:%M")
            )
        })
        .collect();
    let safety = clinical::safety_counts(input);
    let summary = clinical::summary(clinical::SummaryOf {
        input,
        instruments: &instruments,
        crisis: crisis.len(),
        safety: &safety,
        medications: &medications,
        current: &current_medications,
        notices: notices.as_deref(),
    });
    let period = format!("{} to {}", fmt_day(input.from), fmt_day(input.to));
    Report {
        period,
        generated: input
            .generated_at
            .to_zoned(input.tz.clone())
            .strftime("%-d %b %Y %H:%M")
            .to_string(),
        summary,
        left_out: input
            .leave_out
            .iter()
            .map(|s| labels::report_section(*s).to_string())
            .collect(),
        crisis,
        safety,
        instruments,
        current_medications,
        mood: charts::mood(&days, &marks),
        mood_summary: mood_summary(&days),
        function: input
            .shows(ReportSection::SexualFunction)
            .then(|| charts::function_with_medication(&sf, &med_events)),
        medications,
        helps_chart: charts::effects(&forest),
        helps_note: helps_note(helps_later.is_some()),
        helps_later,
        helps_later_lead: crate::tables::LATER_ON_REPORT,
        helps,
        notices,
        questions: input.questions.to_vec(),
        checkins,
        episodes,
    }
}

const HELPS_NOTE: &str = "Change is mood after minus before (0–10). Intervals are bootstrap 95% intervals; \
\"helps\" or \"worse\" needs a Benjamini–Hochberg corrected q ≤ 0.10 across activities and an interval excluding 0. \
Fewer than 5 rated episodes: not enough data. \"Next day's check-in\" compares the next morning's check-in mood after \
days with the activity against other days, allowing for that day's mood.";

const LAGS_NOTE: &str = " \"A few hours later\" and \"rated next morning\" are ratings the person gave when Hearth asked, \
inside the time allowed (3–5 hours after; 05:00–12:00 the next day), minus mood before, each with its own n; answers \
given late are left out.";

/// How the numbers are worked out, naming only the tables shown.
fn helps_note(lagged: bool) -> String {
    format!("{HELPS_NOTE}{}", if lagged { LAGS_NOTE } else { "" })
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
