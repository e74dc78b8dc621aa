//! Feeling worse after sex: drops in mood and dysphoric after-feelings.

use hearth_core::vocab::BuiltinKind;
use hearth_core::{Episode, Kind};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::common::*;
use crate::messages as m;
use crate::rules::*;
use crate::stats;

#[derive(Debug, Clone, Serialize)]
pub struct DropItem {
    pub kind: &'static str,
    pub n: usize,
    pub drops: usize,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub triggered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AfterSexDrop {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub confidence: Confidence,
    pub items: Vec<DropItem>,
}

pub(crate) fn after_sex_drop(
    episodes: &[(Timestamp, &Episode)],
    post_sex: &[(Timestamp, Vec<i32>)],
    now: Timestamp,
) -> AfterSexDrop {
    let from = now - SignedDuration::from_hours(24 * DROP_WINDOW_DAYS);
    let items: Vec<DropItem> = [BuiltinKind::SexPartnered, BuiltinKind::SexSolo]
        .into_iter()
        .map(|kind| {
            let eps: Vec<_> = episodes
                .iter()
                .filter(|(at, e)| *at >= from && *at <= now && e.kind == Kind::Builtin(kind))
                .collect();
            let drops = eps
                .iter()
                .filter(|(at, e)| {
                    let fell = e.mood_change().is_some_and(|c| c <= -DROP_POINTS);
                    let checked = post_sex.iter().any(|(t, answers)| {
                        *t >= *at
                            && *t <= *at + SignedDuration::from_hours(POST_SEX_WINDOW_HOURS)
                            && answers.iter().any(|a| *a >= POST_SEX_ITEM_AT_LEAST)
                    });
                    let hard = e.feelings.iter().any(|f| f.is_hard());
                    fell || hard || checked
                })
                .count();
            let n = eps.len();
            let (lo, hi) = stats::wilson(drops, n);
            let share = (n > 0).then(|| drops as f64 / n as f64);
            DropItem {
                kind: kind.as_str(),
                n,
                drops,
                share: share.map(round2),
                ci_low: (n > 0).then(|| round2(lo)),
                ci_high: (n > 0).then(|| round2(hi)),
                triggered: drops >= DROP_MIN_COUNT && lo >= DROP_MIN_LOW,
            }
        })
        .collect();
    let triggered = items.iter().any(|i| i.triggered);
    let total: usize = items.iter().map(|i| i.n).sum();
    AfterSexDrop {
        id: "after_sex_drop",
        title: m::DROP_TITLE,
        triggered,
        summary: if triggered {
            m::DROP_NOTICE
        } else if total == 0 {
            m::NOT_ENOUGH
        } else {
            m::DROP_QUIET
        },
        what_you_could_do: triggered.then_some(m::DROP_DO),
        confidence: if total < DROP_MIN_COUNT {
            Confidence::None
        } else if triggered {
            Confidence::Moderate
        } else {
            Confidence::Low
        },
        items,
    }
}
