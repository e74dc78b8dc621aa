//! How often the insights find effects that are really there and stay quiet
//! about ones that are not, measured on synthetic journals from the demo
//! generator with planted effects of known size. `docs/insights.md` records
//! the method and a run of `cargo run --release -p hearth-insights --example evaluate`.

use hearth_core::demo::{self, Effects, Spec};
use hearth_core::{Entry, EntryId, Prompt};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::{Input, Insight, Insights, Verdict, analyse};

/// One scenario: a kind of profile, and what counts as a hit in it.
pub struct Scenario {
    pub name: &'static str,
    pub planted: &'static str,
    pub target: &'static str,
    pub days: u32,
    pub effects: Effects,
    pub hit: fn(&Insights) -> bool,
    /// True when a hit is what should happen (detection); false when it
    /// should not (false alarm).
    pub want_hit: bool,
    /// The target as a share: the least detection rate, or the most false alarms.
    pub limit: f64,
}

pub fn now() -> Timestamp {
    "2026-06-30T21:00:00Z".parse().expect("valid time")
}

/// A generated journal as stored entries.
pub fn profile(days: u32, seed: u64, effects: Effects) -> Vec<Entry> {
    let tz = TimeZone::get("Europe/London").expect("zone");
    let spec = Spec {
        days,
        seed,
        now: now(),
        tz,
        effects,
    };
    demo::generate(&spec)
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
        .collect()
}

/// The prompts a generated journal's later ratings answered.
pub fn prompts_of(entries: &[Entry]) -> Vec<Prompt> {
    entries.iter().filter_map(demo::answered_prompt).collect()
}

pub fn run(entries: &[Entry], seed: u64) -> Insights {
    analyse(&Input {
        prompts: &prompts_of(entries),
        entries,
        now: now(),
        tz: TimeZone::get("Europe/London").expect("zone"),
        since: None,
        seed,
    })
}

fn verdict(ins: &Insights, kind: &str) -> Option<Verdict> {
    ins.insights.iter().find_map(|i| match i {
        Insight::WhatHelps(w) => w.items.iter().find(|x| x.kind == kind).map(|x| x.verdict),
        _ => None,
    })
}

fn lagged_verdict(
    ins: &Insights,
    kind: &str,
    lag: fn(&crate::HelpsItem) -> &crate::Lagged,
) -> Option<Verdict> {
    ins.insights.iter().find_map(|i| match i {
        Insight::WhatHelps(w) => w
            .items
            .iter()
            .find(|x| x.kind == kind)
            .map(|x| lag(x).verdict),
        _ => None,
    })
}

fn later_verdict(ins: &Insights, kind: &str) -> Option<Verdict> {
    lagged_verdict(ins, kind, |x| &x.later)
}

fn morning_verdict(ins: &Insights, kind: &str) -> Option<Verdict> {
    lagged_verdict(ins, kind, |x| &x.morning_after)
}

/// The sleep-and-connection comparisons that said something: a corrected
/// q within the threshold and an interval clear of 0, as (after, measure,
/// difference).
fn sleep_findings(ins: &Insights) -> Vec<(&'static str, &'static str, f64)> {
    ins.insights
        .iter()
        .find_map(|i| match i {
            Insight::Sleep(s) => Some(
                s.items
                    .iter()
                    .filter(|x| x.q_value.is_some_and(|q| q <= crate::rules::FDR_Q))
                    .filter(|x| {
                        x.ci_low.is_some_and(|l| l > 0.0) || x.ci_high.is_some_and(|h| h < 0.0)
                    })
                    .map(|x| (x.after, x.measure, x.difference.unwrap_or_default()))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

fn drop_triggered(ins: &Insights) -> bool {
    ins.insights.iter().any(|i| matches!(i, Insight::AfterSexDrop(d) if d.items.iter().any(|x| x.kind == "sex-partnered" && x.triggered)))
}

fn med_triggered(ins: &Insights) -> bool {
    ins.insights
        .iter()
        .any(|i| matches!(i, Insight::Medication(m) if m.triggered))
}

fn null_effects() -> Effects {
    Effects {
        exercise_lift: 0.0,
        exercise_next_morning: 0.0,
        after_sex_drop_share: 0.0,
        ssri_sexual_effect: 0.0,
        ssri_function_total: 0.0,
        ssri: true,
        morning_keep: 0.0,
        closeness_sleep: 0.0,
        closeness_loneliness: 0.0,
    }
}

pub fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "what_helps finds exercise",
            planted: "exercise +1.0 point, ~30 episodes (70 days)",
            target: ">= 90%",
            days: 70,
            effects: Effects {
                exercise_lift: 1.0,
                ..null_effects()
            },
            hit: |i| verdict(i, "exercise") == Some(Verdict::Helps),
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "what_helps null kind (art)",
            planted: "art: no effect, 180 days",
            target: "called helps/worse <= 10%",
            days: 180,
            effects: Effects::default(),
            hit: |i| matches!(verdict(i, "art"), Some(Verdict::Helps | Verdict::Worse)),
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "what_helps null exercise",
            planted: "exercise: no effect, 70 days",
            target: "called helps/worse <= 10%",
            days: 70,
            effects: null_effects(),
            hit: |i| {
                matches!(
                    verdict(i, "exercise"),
                    Some(Verdict::Helps | Verdict::Worse)
                )
            },
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "what_helps a few hours later finds exercise",
            planted: "exercise +1.0 after, 60% of it left a few hours on, half rated then, 240 days",
            target: ">= 90%",
            days: 240,
            effects: Effects {
                exercise_lift: 1.0,
                ..null_effects()
            },
            hit: |i| later_verdict(i, "exercise") == Some(Verdict::Helps),
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "what_helps a few hours later null",
            planted: "exercise: no effect, 240 days",
            target: "called helps/worse <= 10%",
            days: 240,
            effects: null_effects(),
            hit: |i| {
                matches!(
                    later_verdict(i, "exercise"),
                    Some(Verdict::Helps | Verdict::Worse)
                )
            },
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "what_helps next morning finds closeness",
            planted: "closeness +1.0 after, 80% of it left next morning, 40% rated then, 365 days",
            target: ">= 90%",
            days: 365,
            effects: Effects {
                morning_keep: 0.8,
                ..null_effects()
            },
            hit: |i| morning_verdict(i, "intimacy") == Some(Verdict::Helps),
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "what_helps next morning, a smaller lift",
            planted: "closeness +1.0 after, half of it left next morning, 40% rated then, 365 days",
            target: ">= 50% (a small lasting lift takes more than a year to be sure of)",
            days: 365,
            effects: Effects {
                morning_keep: 0.5,
                ..null_effects()
            },
            hit: |i| morning_verdict(i, "intimacy") == Some(Verdict::Helps),
            want_hit: true,
            limit: 0.50,
        },
        Scenario {
            name: "what_helps next morning null",
            planted: "nothing left next morning, 365 days",
            target: "called helps/worse <= 10%",
            days: 365,
            effects: null_effects(),
            hit: |i| {
                matches!(
                    morning_verdict(i, "intimacy"),
                    Some(Verdict::Helps | Verdict::Worse)
                )
            },
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "sleep_and_connection finds better sleep",
            planted: "sleep quality +1.0 the night after closeness, 365 days",
            target: ">= 90%",
            days: 365,
            effects: Effects {
                closeness_sleep: 1.0,
                ..null_effects()
            },
            hit: |i| {
                sleep_findings(i)
                    .iter()
                    .any(|f| f.0 == "non_sexual_intimacy" && f.1 == "sleep_quality" && f.2 > 0.0)
            },
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "sleep_and_connection finds less loneliness",
            planted: "loneliness -1.0 the day after closeness, 365 days",
            target: ">= 90%",
            days: 365,
            effects: Effects {
                closeness_loneliness: 1.0,
                ..null_effects()
            },
            hit: |i| {
                sleep_findings(i)
                    .iter()
                    .any(|f| f.0 == "non_sexual_intimacy" && f.1 == "loneliness" && f.2 < 0.0)
            },
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "sleep_and_connection credits closeness, not sex",
            planted: "sleep +1.0 and loneliness -1.0 after closeness only, 365 days",
            target: "either called after sex <= 10%",
            days: 365,
            effects: Effects {
                closeness_sleep: 1.0,
                closeness_loneliness: 1.0,
                ..null_effects()
            },
            hit: |i| sleep_findings(i).iter().any(|f| f.0 == "sex"),
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "sleep_and_connection false alarm",
            planted: "no effect on sleep or loneliness, 365 days",
            target: "any of four comparisons called <= 10%",
            days: 365,
            effects: null_effects(),
            hit: |i| !sleep_findings(i).is_empty(),
            want_hit: false,
            limit: 0.10,
        },
        Scenario {
            name: "after_sex_drop found",
            planted: "50% of partnered sex followed by a 2.5-point drop, no medication, 120 days",
            target: ">= 90%",
            days: 120,
            effects: Effects {
                after_sex_drop_share: 0.5,
                ssri: false,
                ..null_effects()
            },
            hit: drop_triggered,
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "after_sex_drop found at 40%",
            planted: "40% of partnered sex followed by a 2.5-point drop, no medication, 120 days",
            target: ">= 90%",
            days: 120,
            effects: Effects {
                after_sex_drop_share: 0.4,
                ssri: false,
                ..null_effects()
            },
            hit: drop_triggered,
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "after_sex_drop false alarm",
            planted: "no drops, 120 days",
            target: "<= 5%",
            days: 120,
            effects: null_effects(),
            hit: drop_triggered,
            want_hit: false,
            limit: 0.05,
        },
        Scenario {
            name: "medication effect found",
            planted: "SSRI start, sexual-function total +7, 120 days",
            target: ">= 90%",
            days: 120,
            effects: Effects {
                ssri_function_total: 7.0,
                ..null_effects()
            },
            hit: med_triggered,
            want_hit: true,
            limit: 0.90,
        },
        Scenario {
            name: "medication false alarm",
            planted: "SSRI start with no effect, 120 days",
            target: "<= 5%",
            days: 120,
            effects: null_effects(),
            hit: med_triggered,
            want_hit: false,
            limit: 0.05,
        },
    ]
}

/// The share of seeds on which the scenario's hit happened.
pub fn rate(s: &Scenario, seeds: std::ops::Range<u64>) -> f64 {
    let n = seeds.end - seeds.start;
    let hits = seeds
        .filter(|seed| (s.hit)(&run(&profile(s.days, *seed, s.effects.clone()), *seed)))
        .count();
    hits as f64 / n as f64
}
