//! The report's words for a clinician: the summary paragraph, safety counts,
//! the current medication list and the notices, all written about the
//! person in the third person, with their numbers, and without advice.

use hearth_core::EntryBody;
use hearth_core::crisis::Concern;
use hearth_core::labels;
use hearth_core::vocab::{MedEventKind, ReportSection};
use hearth_insights::messages as m;
use hearth_insights::rules;
use hearth_insights::{Insight, Reliance};

use super::{Input, MedRow, day, oldest_first, short_day};
use crate::text::{interval, num, pct};

#[derive(serde::Serialize)]
pub struct CurrentMed {
    pub name: String,
    pub class: String,
    /// "100 mg", or "stopped".
    pub dose: String,
    /// When the current dose began, or when it was stopped.
    pub since: String,
    /// Every step, oldest first: "50 mg from 16 Aug 2026".
    pub history: Vec<String>,
    pub taking: bool,
}

#[derive(serde::Serialize)]
pub struct Notice {
    pub title: String,
    pub text: String,
    pub details: Vec<String>,
}

fn times(n: usize) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// Medications taken during the period or still taken at its end.
pub(super) fn current_medications(input: &Input<'_>) -> Vec<CurrentMed> {
    let period_start = hearth_core::when::start_of_day(input.from, input.tz);
    input
        .medications
        .iter()
        .filter(|med| med.taking || period_start.is_none_or(|s| med.last_event_at >= s))
        .map(|med| CurrentMed {
            name: med.name.clone(),
            class: labels::drug_class(med.class).into(),
            dose: if med.taking {
                crate::text::dose(med.dose, med.unit)
            } else {
                "stopped".into()
            },
            since: short_day(day(
                if med.taking {
                    med.dose_since
                } else {
                    med.last_event_at
                },
                input.tz,
            )),
            history: med
                .history
                .iter()
                .map(|s| {
                    let on = short_day(day(s.at, input.tz));
                    match (s.event, s.dose) {
                        (MedEventKind::Stop, _) => format!("stopped {on}"),
                        (_, Some(d)) => format!("{} from {on}", labels::dose(d, med.unit)),
                        (_, None) => format!("{} {on}", labels::med_event(s.event).to_lowercase()),
                    }
                })
                .collect(),
            taking: med.taking,
        })
        .collect()
}

/// Safety moments other than crisis triggers, counted over the period.
pub(super) fn safety_counts(input: &Input<'_>) -> Vec<String> {
    if !input.shows(ReportSection::Sex) {
        return Vec::new();
    }
    let (mut pressured, mut unprotected) = (Vec::new(), Vec::new());
    for e in oldest_first(input.entries) {
        if let EntryBody::Episode(ep) = &e.body {
            let d = day(e.at, input.tz).strftime("%-d %b").to_string();
            if Concern::Pressured.raised_by(ep) {
                pressured.push(d.clone());
            }
            if Concern::UnprotectedNewPartner.raised_by(ep) {
                unprotected.push(d);
            }
        }
    }
    let mut out = Vec::new();
    if !pressured.is_empty() {
        out.push(format!(
            "Felt pressured during sex with a partner: {} ({}).",
            times(pressured.len()),
            pressured.join(", ")
        ));
    }
    if !unprotected.is_empty() {
        out.push(format!(
            "Sex with a new or casual partner without protection: {} ({}).",
            times(unprotected.len()),
            unprotected.join(", ")
        ));
    }
    out
}

fn reliance_details(r: &Reliance, input: &Input<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let has = |reason: &str| r.reasons.contains(&reason);
    let sexual_shown = input.shows(ReportSection::Sex) && input.shows(ReportSection::Porn);
    if has(m::REASON_SEXUAL_SHARE) && sexual_shown {
        out.push(format!(
            "{} of {} coping activities in the last 4 weeks were sexual ({}, 95% interval {}–{}).",
            r.n_sexual,
            r.n_episodes,
            pct(r.sexual_share),
            pct(r.sexual_share_ci_low),
            pct(r.sexual_share_ci_high)
        ));
    }
    if has(m::REASON_ESCAPE) && input.shows(ReportSection::Sex) {
        out.push(format!(
            "Escaping a bad feeling was the stated motive for {} of sexual episodes.",
            pct(r.escape_share)
        ));
    }
    if has(m::REASON_WORSE_REPEATED) {
        out.push(format!(
            "{} activities followed by lower mood were repeated within a day.",
            r.worse_repeated
        ));
    }
    if has(m::REASON_LOW_CONTROL) && input.shows(ReportSection::Porn) {
        out.push(format!(
            "Porn use rated low in control ({} of 10 or less) {}.",
            rules::LOW_CONTROL_AT_MOST,
            times(r.porn_low_control)
        ));
    }
    if has(m::REASON_RISING)
        && sexual_shown
        && let Some(t) = &r.weekly_trend
    {
        out.push(format!(
            "Sexual coping rising by {:.1} episodes a week (95% interval {:.1} to {:.1}).",
            t.slope_per_week, t.ci_low, t.ci_high
        ));
    }
    out
}

/// The notices raised, in a clinician's terms. Pressure and risk are under
/// Safety, not here; parts the person left out are not named.
pub(super) fn notices(input: &Input<'_>) -> Vec<Notice> {
    let mut out = Vec::new();
    for i in &input.insights.insights {
        match i {
            Insight::AfterSexDrop(d) if d.triggered && input.shows(ReportSection::Sex) => {
                out.push(Notice {
                    title: d.title.into(),
                    text: format!(
                        "Lower mood, or tearful, sad, anxious, irritable or empty feelings, \
                         recorded after sex more often than Hearth's threshold (at least {} \
                         episodes in {} days, and a share whose 95% interval lies above {:.0}%).",
                        rules::DROP_MIN_COUNT,
                        rules::DROP_WINDOW_DAYS,
                        rules::DROP_MIN_LOW * 100.0
                    ),
                    details: d
                        .items
                        .iter()
                        .filter(|x| x.n > 0)
                        .map(|x| {
                            format!(
                                "{}: {} of {} episodes ({}, 95% interval {}–{})",
                                labels::kind_name(x.kind),
                                x.drops,
                                x.n,
                                pct(x.share),
                                pct(x.ci_low),
                                pct(x.ci_high)
                            )
                        })
                        .collect(),
                })
            }
            Insight::Reliance(r) if r.triggered => {
                let details = reliance_details(r, input);
                if !details.is_empty() {
                    out.push(Notice {
                        title: "Reliance on one way of coping".into(),
                        text: "Patterns in the last four weeks that may suggest leaning on one \
                               way of coping."
                            .into(),
                        details,
                    });
                }
            }
            Insight::Medication(md) if md.triggered && input.shows(ReportSection::SexualFunction) => {
                out.push(Notice {
                    title: md.title.into(),
                    text: "The weekly sexual-function total (higher means more difficulty) rose \
                           after a medication change."
                        .into(),
                    details: md
                        .items
                        .iter()
                        .filter(|x| x.triggered)
                        .map(|x| {
                            format!(
                                "{}, {} on {}: {:.1} → {:.1} ({} and {} weekly checks), change {} (95% interval {})",
                                x.medication,
                                labels::med_event(x.event).to_lowercase(),
                                short_day(day(x.at, input.tz)),
                                x.before_mean.unwrap_or_default(),
                                x.after_mean.unwrap_or_default(),
                                x.before_n,
                                x.after_n,
                                num(x.change),
                                interval(x.ci_low, x.ci_high)
                            )
                        })
                        .collect(),
                })
            }
            Insight::Trend(t) if t.prompt_professional_help => out.push(Notice {
                title: t.title.into(),
                text: match (t.latest, t.change) {
                    (Some(l), Some(c)) => format!(
                        "Latest PHQ-9 {l} ({}), {c:+} since the previous score: high, or a rise of {} points or more.",
                        t.band.as_deref().unwrap_or("").replace('_', " "),
                        rules::PHQ9_MEANINGFUL_CHANGE
                    ),
                    (Some(l), None) => format!(
                        "Latest PHQ-9 {l} ({}): in the high range.",
                        t.band.as_deref().unwrap_or("").replace('_', " ")
                    ),
                    _ => "PHQ-9 high or rising.".into(),
                },
                details: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

pub(super) struct SummaryOf<'a> {
    pub input: &'a Input<'a>,
    pub instruments: &'a [super::Instrument],
    pub crisis: usize,
    pub safety: &'a [String],
    pub medications: &'a [MedRow],
    pub current: &'a [CurrentMed],
    pub notices: Option<&'a [Notice]>,
}

/// The paragraph at the top: scores and their change, safety, medication
/// changes and current doses, and the notices raised.
pub(super) fn summary(s: SummaryOf<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for i in s.instruments {
        out.push(match &i.latest {
            Some(l) => {
                let change = i
                    .change
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_else(|| ", the only score in this period".into());
                format!(
                    "{} {} of {} ({}) on {}{change}.",
                    i.title, l.total, i.max, l.band, i.latest_date
                )
            }
            None => format!("{}: not taken in this period.", i.title),
        });
        if let Some(flag) = i.items.iter().find(|r| r.flagged) {
            out.push(format!(
                "{} item {} ({}): answered {} ({}) in the latest score.",
                i.title,
                flag.number.unwrap_or_default(),
                flag.short,
                flag.latest,
                flag.latest_word.to_lowercase()
            ));
        }
    }
    out.push(if s.crisis == 0 {
        "No crisis triggers in this period.".into()
    } else {
        format!(
            "Crisis resources were shown {} in this period (see Safety).",
            times(s.crisis)
        )
    });
    out.extend(s.safety.iter().cloned());
    let changes = s.medications.len();
    let taking: Vec<String> = s
        .current
        .iter()
        .filter(|c| c.taking)
        .map(|c| format!("{} {} since {}", c.name, c.dose, c.since))
        .collect();
    let events = match changes {
        1 => "1 medication event".to_string(),
        n => format!("{n} medication events"),
    };
    out.push(match (changes, taking.is_empty()) {
        (0, true) => "No medications recorded.".into(),
        (0, false) => format!(
            "Medication unchanged in this period: {}.",
            taking.join("; ")
        ),
        (_, true) => format!("{events} in this period; none taken at its end."),
        (_, false) => format!(
            "{events} in this period; at its end taking {}.",
            taking.join("; ")
        ),
    });
    match s.notices {
        None => {}
        Some([]) => out.push("No notices raised.".into()),
        Some(list) => out.push(format!(
            "Notices raised: {}.",
            list.iter()
                .map(|n| n.title.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
    if !s.input.leave_out.is_empty() {
        out.push(format!(
            "Left out at the person's request: {}.",
            s.input
                .leave_out
                .iter()
                .map(|x| labels::report_section(*x))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}
