//! Reliance on one tool: the sexual share of coping, escape motive, use
//! despite feeling worse, low control, and toolkit diversity.

use std::collections::{BTreeMap, BTreeSet};

use hearth_core::Episode;
use hearth_core::vocab::{BuiltinKind, Motive};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::common::*;
use crate::messages as m;
use crate::rules::*;
use crate::stats;

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub slope_per_week: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reliance {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub not_enough_data: bool,
    pub n_episodes: usize,
    pub n_sexual: usize,
    pub sexual_share: Option<f64>,
    pub sexual_share_ci_low: Option<f64>,
    pub sexual_share_ci_high: Option<f64>,
    pub escape_share: Option<f64>,
    pub worse_repeated: usize,
    pub weekly_trend: Option<Trend>,
    pub pressured: usize,
    pub risk_flags: usize,
    pub porn_low_control: usize,
    pub distinct_kinds_per_week: f64,
    pub diversity: Option<f64>,
    pub reasons: Vec<&'static str>,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub confidence: Confidence,
}

pub(crate) fn reliance(episodes: &[(Timestamp, &Episode)], now: Timestamp) -> Reliance {
    let from = now - SignedDuration::from_hours(24 * RELIANCE_WINDOW_DAYS);
    let eps: Vec<&(Timestamp, &Episode)> = episodes
        .iter()
        .filter(|(at, _)| *at >= from && *at <= now)
        .collect();
    let sexual: Vec<_> = eps.iter().filter(|(_, e)| is_sexual(e)).collect();
    let (n, ns) = (eps.len(), sexual.len());
    let escape = sexual
        .iter()
        .filter(|(_, e)| e.motive == Some(Motive::Escape))
        .count();
    let worse_repeated = eps
        .iter()
        .filter(|(at, e)| {
            e.mood_change().is_some_and(|c| c < 0)
                && eps.iter().any(|(t2, e2)| {
                    e2.kind == e.kind
                        && *t2 > *at
                        && *t2 <= *at + SignedDuration::from_hours(REPEAT_WITHIN_HOURS)
                })
        })
        .count();
    let pressured = sexual.iter().filter(|(_, e)| e.pressured).count();
    let risk_flags = sexual
        .iter()
        .filter(|(_, e)| e.new_partner && e.protection == Some(false))
        .count();
    let porn_low_control = eps
        .iter()
        .filter(|(_, e)| e.in_control.is_some_and(|r| r.get() <= LOW_CONTROL_AT_MOST))
        .count();
    // Weekly counts of sexual episodes, oldest week first.
    let weeks = (RELIANCE_WINDOW_DAYS / 7) as usize;
    let mut per_week = vec![0.0; weeks];
    let mut kinds_per_week = vec![BTreeSet::new(); weeks];
    for (at, e) in &eps {
        let age = now.duration_since(*at).as_hours() / (24 * 7);
        let w = weeks - 1 - (age as usize).min(weeks - 1);
        kinds_per_week[w].insert(e.kind.to_string());
        if is_sexual(e) {
            per_week[w] += 1.0;
        }
    }
    let weekly_trend = stats::ols(
        &(0..weeks).map(|w| vec![w as f64]).collect::<Vec<_>>(),
        &per_week,
    )
    .map(|fit| {
        let (b, se) = fit[0];
        let half = stats::t975((weeks - 2) as f64) * se;
        Trend {
            slope_per_week: round2(b),
            ci_low: round2(b - half),
            ci_high: round2(b + half),
        }
    });
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, e) in &eps {
        *counts.entry(e.kind.to_string()).or_default() += 1;
    }
    let enough = n >= RELIANCE_MIN_EPISODES;
    let share = (n > 0).then(|| ns as f64 / n as f64);
    let escape_share = (ns > 0).then(|| escape as f64 / ns as f64);
    let mut reasons = Vec::new();
    if enough && ns >= SEXUAL_SHARE_MIN_COUNT && share.unwrap_or(0.0) >= SEXUAL_SHARE_HIGH {
        reasons.push(m::REASON_SEXUAL_SHARE);
    }
    if ns >= ESCAPE_MIN_COUNT && escape_share.unwrap_or(0.0) >= ESCAPE_SHARE_HIGH {
        reasons.push(m::REASON_ESCAPE);
    }
    if worse_repeated >= WORSE_REPEATED_HIGH {
        reasons.push(m::REASON_WORSE_REPEATED);
    }
    // Feeling pressured and unprotected sex with a new partner are met with
    // support the moment they are saved (hearth_core::crisis::Concern) and
    // counted under Safety in the report: they are not a coping habit.
    if porn_low_control >= LOW_CONTROL_HIGH {
        reasons.push(m::REASON_LOW_CONTROL);
    }
    if ns >= SEXUAL_SHARE_MIN_COUNT && weekly_trend.as_ref().is_some_and(|t| t.ci_low > 0.0) {
        reasons.push(m::REASON_RISING);
    }
    let triggered = !reasons.is_empty();
    let (lo, hi) = stats::wilson(ns, n);
    Reliance {
        id: "reliance",
        title: m::RELIANCE_TITLE,
        triggered,
        not_enough_data: !enough,
        n_episodes: n,
        n_sexual: ns,
        sexual_share: share.map(round2),
        sexual_share_ci_low: (n > 0).then(|| round2(lo)),
        sexual_share_ci_high: (n > 0).then(|| round2(hi)),
        escape_share: escape_share.map(round2),
        worse_repeated,
        weekly_trend,
        pressured,
        risk_flags,
        porn_low_control,
        distinct_kinds_per_week: round2(
            kinds_per_week.iter().map(BTreeSet::len).sum::<usize>() as f64 / weeks as f64,
        ),
        diversity: enough.then(|| {
            let mut all: Vec<usize> = BuiltinKind::ALL
                .iter()
                .map(|k| counts.get(k.as_str()).copied().unwrap_or(0))
                .collect();
            all.extend(
                counts
                    .iter()
                    .filter(|(k, _)| BuiltinKind::parse(k).is_err())
                    .map(|(_, c)| *c),
            );
            round2(stats::normalised_entropy(&all))
        }),
        summary: if triggered {
            "Some patterns in the last four weeks are worth a look."
        } else if enough {
            m::RELIANCE_QUIET
        } else {
            m::NOT_ENOUGH
        },
        what_you_could_do: triggered.then_some(m::RELIANCE_DO),
        // Counts over four weeks are facts, not estimates; the label says how
        // much coping they rest on.
        confidence: if !enough {
            Confidence::None
        } else if n >= 2 * RELIANCE_MIN_EPISODES {
            Confidence::Moderate
        } else {
            Confidence::Low
        },
        reasons,
    }
}
