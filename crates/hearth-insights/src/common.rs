//! Small pieces every insight uses: confidence words, q-values, rounding, local days.

use hearth_core::Episode;
use hearth_core::vocab::BuiltinKind;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::rules::*;
use crate::stats;

/// `low`, `moderate`, `high`, or `none` when nothing can be said.
pub(crate) fn confidence(n: usize, q: Option<f64>) -> Confidence {
    match q {
        None => Confidence::None,
        Some(q) if q <= 0.01 && n >= 20 => Confidence::High,
        Some(q) if q <= FDR_Q => Confidence::Moderate,
        Some(_) => Confidence::Low,
    }
}

/// Benjamini–Hochberg q-values for the items that were tested, by index.
pub(crate) fn q_values(p: impl Iterator<Item = Option<f64>>) -> Vec<(usize, f64)> {
    let tested: Vec<(usize, f64)> = p.enumerate().filter_map(|(i, p)| Some((i, p?))).collect();
    let q = stats::benjamini_hochberg(&tested.iter().map(|(_, p)| *p).collect::<Vec<_>>());
    tested.into_iter().map(|(i, _)| i).zip(q).collect()
}

/// An effect is named only when it survives the correction (`q`) and its
/// shown interval excludes zero.
pub(crate) fn verdict(q: f64, low: Option<f64>, high: Option<f64>) -> Verdict {
    let ci = Interval {
        low: low.unwrap_or(0.0),
        high: high.unwrap_or(0.0),
    };
    if q <= FDR_Q && ci.above_zero() {
        Verdict::Helps
    } else if q <= FDR_Q && ci.below_zero() {
        Verdict::Worse
    } else {
        Verdict::NoClearEffect
    }
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(crate) fn local_date(t: Timestamp, tz: &TimeZone) -> Date {
    t.to_zoned(tz.clone()).date()
}

pub(crate) fn is_sexual(e: &Episode) -> bool {
    e.kind.builtin().is_some_and(BuiltinKind::is_sexual)
}

/// How sure an insight is: `none` when nothing can be said yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    None,
    Low,
    Moderate,
    High,
}

impl Confidence {
    /// The word as it appears in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }

    /// How sure a finding is, said to a person.
    pub fn words(self) -> &'static str {
        match self {
            Confidence::None => "Too early to tell",
            Confidence::Low => "Not sure yet",
            Confidence::Moderate => "Fairly sure",
            Confidence::High => "Quite sure",
        }
    }
}

/// What the numbers say about one activity kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NotEnoughData,
    Helps,
    Worse,
    NoClearEffect,
}

impl Verdict {
    /// The verdict in plain words, for tables people read.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::NotEnoughData => "not enough data",
            Verdict::Helps => "helps",
            Verdict::Worse => "worse",
            Verdict::NoClearEffect => "no clear effect",
        }
    }
}

/// A 95% interval around an estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Entirely above zero: the effect is positive at this confidence.
    pub fn above_zero(self) -> bool {
        self.low > 0.0
    }

    /// Entirely below zero.
    pub fn below_zero(self) -> bool {
        self.high < 0.0
    }
}
