//! The PHQ-9 trend: bands, meaningful change and when to seek help.

use jiff::Timestamp;
use serde::Serialize;

use crate::common::*;
use crate::messages as m;
use crate::rules::*;

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub at: Timestamp,
    pub total: i32,
    pub band: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepressionTrend {
    pub id: &'static str,
    pub title: &'static str,
    pub n: usize,
    pub latest: Option<i32>,
    pub band: Option<String>,
    pub previous: Option<i32>,
    pub change: Option<i32>,
    pub meaningful_change: bool,
    pub prompt_professional_help: bool,
    pub summary: String,
    pub what_you_could_do: &'static str,
    /// A PHQ-9 score is a measurement, not an estimate: `none` without one,
    /// `low` with one (no trend yet), `moderate` with two or more.
    pub confidence: Confidence,
    pub history: Vec<TrendPoint>,
}

pub(crate) fn depression_trend(history: Vec<TrendPoint>) -> DepressionTrend {
    let latest = history.last();
    let previous = history.len().checked_sub(2).map(|i| history[i].total);
    let change = latest.zip(previous).map(|(l, p)| l.total - p);
    let prompt = latest.is_some_and(|l| l.total >= PHQ9_HIGH)
        || change.is_some_and(|c| c >= PHQ9_MEANINGFUL_CHANGE);
    let summary = match (latest, change) {
        (None, _) => format!(
            "{} Take the PHQ-9 (Surveys in the app, or `hearth survey phq9`) to start one.",
            m::NOT_ENOUGH
        ),
        (Some(l), None) => format!(
            "Your PHQ-9 is {} ({}). One score; the trend needs two.",
            l.total,
            band_words(&l.band)
        ),
        (Some(l), Some(c)) => {
            let dir = if c.abs() >= PHQ9_MEANINGFUL_CHANGE {
                if c > 0 {
                    "a meaningful rise"
                } else {
                    "a meaningful fall"
                }
            } else {
                "no meaningful change"
            };
            let since = if c == 0 {
                "the same as last time".to_string()
            } else {
                format!("{c:+} since the last one")
            };
            format!(
                "Your PHQ-9 is {} ({}), {since}: {dir}.",
                l.total,
                band_words(&l.band)
            )
        }
    };
    DepressionTrend {
        id: "depression_trend",
        title: m::TREND_TITLE,
        n: history.len(),
        latest: latest.map(|l| l.total),
        band: latest.and_then(|l| l.band.clone()),
        previous,
        change,
        meaningful_change: change.is_some_and(|c| meaningful_change("phq9", c)),
        prompt_professional_help: prompt,
        summary: if prompt {
            format!("{summary} {}", m::TREND_HELP)
        } else {
            summary
        },
        what_you_could_do: m::TREND_DO,
        confidence: match history.len() {
            0 => Confidence::None,
            1 => Confidence::Low,
            _ => Confidence::Moderate,
        },
        history,
    }
}

pub(crate) fn band_words(band: &Option<String>) -> String {
    band.as_deref().unwrap_or("no band").replace('_', " ")
}
