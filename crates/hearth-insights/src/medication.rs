//! Medication and sexual function: scores before and after each event.

use hearth_core::vocab::MedEventKind;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::common::*;
use crate::messages as m;
use crate::rules::*;
use crate::stats;

#[derive(Debug, Clone, Serialize)]
pub struct MedItem {
    pub medication: String,
    pub event: MedEventKind,
    pub at: Timestamp,
    pub before_n: usize,
    pub after_n: usize,
    pub before_mean: Option<f64>,
    pub after_mean: Option<f64>,
    pub change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub triggered: bool,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct MedicationSexualFunction {
    pub id: &'static str,
    pub title: &'static str,
    pub triggered: bool,
    pub summary: &'static str,
    pub what_you_could_do: Option<&'static str>,
    pub items: Vec<MedItem>,
}

pub(crate) fn medication(
    meds: &[(Timestamp, &hearth_core::MedicationEvent)],
    sf: &[(Timestamp, i32)],
) -> MedicationSexualFunction {
    let items: Vec<MedItem> = meds
        .iter()
        .filter(|(_, m)| matches!(m.event, MedEventKind::Start | MedEventKind::Change))
        .map(|(at, m)| {
            let week = SignedDuration::from_hours(24 * 7);
            let before: Vec<f64> = sf
                .iter()
                .filter(|(t, _)| *t < *at && *t >= *at - week * MED_WEEKS_BEFORE as i32)
                .map(|(_, v)| f64::from(*v))
                .collect();
            let after: Vec<f64> = sf
                .iter()
                .filter(|(t, _)| *t > *at && *t <= *at + week * MED_WEEKS_AFTER as i32)
                .map(|(_, v)| f64::from(*v))
                .collect();
            let enough = before.len() >= MED_MIN_EACH_SIDE && after.len() >= MED_MIN_EACH_SIDE;
            let diff = if enough {
                stats::welch(&before, &after)
            } else {
                None
            };
            MedItem {
                medication: m.medication.clone(),
                event: m.event,
                at: *at,
                before_n: before.len(),
                after_n: after.len(),
                before_mean: (!before.is_empty()).then(|| round2(stats::mean(&before))),
                after_mean: (!after.is_empty()).then(|| round2(stats::mean(&after))),
                change: diff.map(|d| round2(d.diff)),
                ci_low: diff.map(|d| round2(d.low)),
                ci_high: diff.map(|d| round2(d.high)),
                triggered: diff.is_some_and(|d| d.diff >= MED_WORSENING_POINTS && d.low > 0.0),
                confidence: match diff {
                    None => Confidence::None,
                    Some(d) if d.p <= 0.01 && before.len().min(after.len()) >= 4 => {
                        Confidence::High
                    }
                    Some(d) if d.p <= 0.05 => Confidence::Moderate,
                    Some(_) => Confidence::Low,
                },
            }
        })
        .collect();
    let triggered = items.iter().any(|i| i.triggered);
    MedicationSexualFunction {
        id: "medication_sexual_function",
        title: m::MED_TITLE,
        triggered,
        summary: if triggered {
            m::MED_NOTICE
        } else if items.iter().any(|i| i.change.is_some()) {
            m::MED_QUIET
        } else {
            m::NOT_ENOUGH
        },
        what_you_could_do: triggered.then_some(m::MED_DO),
        items,
    }
}
