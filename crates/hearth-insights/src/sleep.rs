//! Sleep and connection: sleep quality and loneliness after intimacy.

use std::collections::{BTreeMap, BTreeSet};

use hearth_core::vocab::BuiltinKind;
use hearth_core::{Episode, Kind};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::common::*;
use crate::messages as m;
use crate::rules::*;
use crate::stats;

#[derive(Debug, Clone, Serialize)]
pub struct SleepItem {
    /// `sex` or `non_sexual_intimacy`.
    pub after: &'static str,
    /// `sleep_quality` (the night after) or `loneliness` (the next day).
    pub measure: &'static str,
    pub n: usize,
    pub n_other: usize,
    pub mean: Option<f64>,
    pub other_mean: Option<f64>,
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg across the four comparisons.
    pub q_value: Option<f64>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct SleepAndConnection {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: String,
    pub what_you_could_do: &'static str,
    pub items: Vec<SleepItem>,
}

pub(crate) fn sleep_and_connection(
    episodes: &[(Timestamp, &Episode)],
    checkins: &[(Timestamp, &hearth_core::CheckIn)],
    tz: &TimeZone,
) -> SleepAndConnection {
    let days_of = |pred: &dyn Fn(&Episode) -> bool| -> BTreeSet<Date> {
        episodes
            .iter()
            .filter(|(_, e)| pred(e))
            .map(|(at, _)| local_date(*at, tz))
            .collect()
    };
    let sex = days_of(&|e| e.kind.is_sex());
    let touch = days_of(&|e| e.kind == Kind::Builtin(BuiltinKind::Intimacy));
    // The first check-in of each day reports the night before and that day's loneliness.
    let mut next_day: BTreeMap<Date, &hearth_core::CheckIn> = BTreeMap::new();
    for (at, c) in checkins {
        next_day.entry(local_date(*at, tz)).or_insert(c);
    }
    let mut items = Vec::new();
    // Each kind of day against days with neither, leaving out days with
    // both, so closeness on a day with sex is not credited to the sex.
    for (after, days, besides) in [("sex", &sex, &touch), ("non_sexual_intimacy", &touch, &sex)] {
        for measure in ["sleep_quality", "loneliness"] {
            let (mut with, mut other) = (Vec::new(), Vec::new());
            for (day, c) in &next_day {
                let Ok(prev) = day.yesterday() else { continue };
                let value = match measure {
                    "sleep_quality" => c.sleep_quality,
                    _ => c.loneliness,
                };
                let Some(v) = value else { continue };
                if days.contains(&prev) {
                    if !besides.contains(&prev) {
                        with.push(f64::from(v.get()));
                    }
                } else if !sex.contains(&prev) && !touch.contains(&prev) {
                    other.push(f64::from(v.get()));
                }
            }
            let diff = if with.len() >= SLEEP_MIN_DAYS {
                stats::welch(&other, &with)
            } else {
                None
            };
            items.push(SleepItem {
                after,
                measure,
                n: with.len(),
                n_other: other.len(),
                mean: (!with.is_empty()).then(|| round2(stats::mean(&with))),
                other_mean: (!other.is_empty()).then(|| round2(stats::mean(&other))),
                difference: diff.map(|d| round2(d.diff)),
                ci_low: diff.map(|d| round2(d.low)),
                ci_high: diff.map(|d| round2(d.high)),
                p_value: diff.map(|d| d.p),
                q_value: None,
                confidence: Confidence::None,
            });
        }
    }
    let q_values = q_values(items.iter().map(|i| i.p_value));
    for (i, q) in q_values {
        items[i].q_value = Some(q);
        items[i].confidence = confidence(items[i].n, Some(q));
    }
    let clear: Vec<String> = items
        .iter()
        .filter(|i| i.q_value.is_some_and(|q| q <= FDR_Q))
        .filter(|i| i.ci_low.is_some_and(|l| l > 0.0) || i.ci_high.is_some_and(|h| h < 0.0))
        .map(|i| {
            let after = if i.after == "sex" {
                "sex"
            } else {
                "closeness without sex"
            };
            let up = i.difference.unwrap_or(0.0) > 0.0;
            match (i.measure, up) {
                ("sleep_quality", true) => format!("you slept better after {after}"),
                ("sleep_quality", false) => format!("you slept worse after {after}"),
                (_, true) => format!("you felt lonelier the day after {after}"),
                (_, false) => format!("you felt less lonely the day after {after}"),
            }
        })
        .collect();
    let summary = if items.iter().all(|i| i.difference.is_none()) {
        m::NOT_ENOUGH.to_string()
    } else if clear.is_empty() {
        "No clear difference in sleep or loneliness after closeness, so far.".to_string()
    } else {
        format!("Compared with other days, {}.", clear.join("; "))
    };
    SleepAndConnection {
        id: "sleep_and_connection",
        title: m::SLEEP_TITLE,
        summary,
        what_you_could_do: m::SLEEP_DO,
        items,
    }
}
