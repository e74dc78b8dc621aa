//! What helps me: mood change per kind, with bootstrap intervals, and the
//! next morning against the person's own baseline, corrected with BH.

use std::collections::{BTreeMap, BTreeSet};

use hearth_core::Episode;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rayon::prelude::*;
use serde::Serialize;

use crate::common::*;
use crate::days::*;
use crate::lagged::{Lagged, Lags, measure, settle};
use crate::messages as m;
use crate::rules::*;

#[derive(Debug, Clone, Serialize)]
pub struct HelpsItem {
    pub kind: String,
    pub n: usize,
    pub mean_change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub q_value: Option<f64>,
    pub next_morning_n: usize,
    pub next_morning_effect: Option<f64>,
    pub next_morning_ci_low: Option<f64>,
    pub next_morning_ci_high: Option<f64>,
    /// A few hours later: the later rating, answered in its window, minus the mood before.
    pub later: Lagged,
    /// Next morning: the morning rating, answered in its window, minus the mood before.
    pub morning_after: Lagged,
    pub verdict: Verdict,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhatHelps {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: String,
    pub what_you_could_do: &'static str,
    pub items: Vec<HelpsItem>,
}

/// What was recorded of one kind: each change right after, the local days
/// it happened, and the changes a few hours later and next morning.
#[derive(Default)]
struct Seen {
    changes: Vec<f64>,
    days: BTreeSet<Date>,
    later: Vec<f64>,
    morning: Vec<f64>,
}

pub(crate) fn what_helps(
    episodes: &[(Timestamp, &Episode)],
    lags: &[Lags],
    d: &Days,
    tz: &TimeZone,
    seed: u64,
) -> WhatHelps {
    let mut by_kind: BTreeMap<String, Seen> = BTreeMap::new();
    for (i, (at, e)) in episodes.iter().enumerate() {
        let seen = by_kind.entry(e.kind.to_string()).or_default();
        seen.changes.extend(e.mood_change().map(f64::from));
        seen.days.insert(local_date(*at, tz));
        let lag = lags.get(i).copied().unwrap_or_default();
        seen.later.extend(lag.later);
        seen.morning.extend(lag.morning);
    }
    let kinds: Vec<(&String, &Seen)> = by_kind.iter().collect();
    let mut items: Vec<HelpsItem> = kinds
        .par_iter()
        .enumerate()
        .map(|(i, (kind, seen))| {
            let (nm_n, nm) = next_morning(&seen.days, d);
            let lag_seed = seed.rotate_left(17) ^ (i as u64 + 1);
            let after = measure(&seen.changes, seed ^ (i as u64 + 1));
            HelpsItem {
                kind: (*kind).clone(),
                n: after.n,
                mean_change: after.mean_change,
                ci_low: after.ci_low,
                ci_high: after.ci_high,
                p_value: after.p_value,
                q_value: None,
                next_morning_n: nm_n,
                next_morning_effect: nm.map(|v| round2(v.0)),
                next_morning_ci_low: nm.map(|v| round2(v.1)),
                next_morning_ci_high: nm.map(|v| round2(v.2)),
                later: measure(&seen.later, lag_seed),
                morning_after: measure(&seen.morning, lag_seed.rotate_left(7)),
                verdict: Verdict::NotEnoughData,
                confidence: Confidence::None,
            }
        })
        .collect();
    let q_values = q_values(items.iter().map(|i| i.p_value));
    for (i, q) in q_values {
        let it = &mut items[i];
        it.q_value = Some(q);
        it.verdict = verdict(q, it.ci_low, it.ci_high);
        it.confidence = confidence(it.n, Some(q));
    }
    settle(items.iter_mut().map(|i| &mut i.later));
    settle(items.iter_mut().map(|i| &mut i.morning_after));
    items.sort_by(|a, b| {
        b.mean_change
            .unwrap_or(f64::MIN)
            .total_cmp(&a.mean_change.unwrap_or(f64::MIN))
    });
    // In words, as a sentence reads them: "time with people", not a code.
    let helps: Vec<String> = items
        .iter()
        .filter(|i| i.verdict == Verdict::Helps)
        .map(|i| hearth_core::labels::kind_name(&i.kind).to_lowercase())
        .collect();
    let summary = if items.iter().all(|i| i.verdict == Verdict::NotEnoughData) {
        format!(
            "{} Rate your mood before and after at least {MIN_EPISODES} activities of a kind.",
            m::NOT_ENOUGH
        )
    } else if helps.is_empty() {
        "No activity stands out yet as clearly lifting your mood.".to_string()
    } else {
        format!("Your mood tends to rise with: {}.", helps.join(", "))
    };
    let lasting = |pick: fn(&HelpsItem) -> &Lagged, when: &str| {
        let named: Vec<String> = items
            .iter()
            .filter(|i| pick(i).verdict == Verdict::Helps)
            .map(|i| {
                let l = pick(i);
                format!(
                    "{}: {:+.1} (95% interval {:+.1} to {:+.1}, n {})",
                    hearth_core::labels::kind_name(&i.kind).to_lowercase(),
                    l.mean_change.unwrap_or_default(),
                    l.ci_low.unwrap_or_default(),
                    l.ci_high.unwrap_or_default(),
                    l.n
                )
            })
            .collect();
        (!named.is_empty())
            .then(|| format!(" {when}, it is still higher after {}.", named.join("; ")))
    };
    let summary = summary
        + &lasting(|i| &i.later, "A few hours later").unwrap_or_default()
        + &lasting(|i| &i.morning_after, "Next morning").unwrap_or_default();
    WhatHelps {
        id: "what_helps",
        title: m::WHAT_HELPS_TITLE,
        summary,
        what_you_could_do: m::WHAT_HELPS_DO,
        items,
    }
}
