//! The insights' tables, built once: the CLI draws them in the terminal, the
//! Insights page as HTML, and the report in print, from the same rows.

use hearth_core::labels;
use hearth_insights::rules::DROP_MIN_COUNT;
use hearth_insights::{AfterSexDrop, HelpsItem, MedicationSexualFunction, SleepAndConnection};
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::text::{interval, num, pct};

/// A table: column headings, and rows of cells in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub head: Vec<&'static str>,
    /// Columns holding numbers, right-aligned wherever the table is drawn.
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(columns: &[(&'static str, bool)]) -> Table {
        Table {
            head: columns.iter().map(|c| c.0).collect(),
            numeric: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }
}

/// What helps: each activity's mood change and next morning, with n, 95%
/// intervals, the verdict and how sure it is.
pub fn what_helps(items: &[HelpsItem]) -> Table {
    let mut t = Table::new(&[
        ("Activity", false),
        ("n", true),
        ("Mean mood change", true),
        ("95% interval", true),
        ("Next morning (95% interval)", true),
        ("Verdict", false),
        ("Confidence", false),
    ]);
    t.rows = items
        .iter()
        .map(|h| {
            vec![
                labels::kind_name(&h.kind),
                h.n.to_string(),
                num(h.mean_change),
                interval(h.ci_low, h.ci_high),
                if h.next_morning_effect.is_some() {
                    format!(
                        "{} ({})",
                        num(h.next_morning_effect),
                        interval(h.next_morning_ci_low, h.next_morning_ci_high)
                    )
                } else {
                    "–".into()
                },
                h.verdict.label().to_string(),
                h.confidence.as_str().to_string(),
            ]
        })
        .collect();
    t
}

/// Feeling worse after sex, for each kind with episodes in the window.
pub fn after_sex(d: &AfterSexDrop) -> Table {
    let mut t = Table::new(&[
        ("After", false),
        ("n (90 days)", true),
        ("Felt worse", true),
        ("Share", true),
        ("95% interval", true),
    ]);
    t.rows = d
        .items
        .iter()
        .filter(|x| x.n > 0)
        .map(|x| {
            // A share of one or two episodes says nothing yet.
            let (share, interval) = if x.n < DROP_MIN_COUNT {
                ("too few to say".to_string(), "–".to_string())
            } else {
                (
                    pct(x.share),
                    format!("{}–{}", pct(x.ci_low), pct(x.ci_high)),
                )
            };
            vec![
                labels::kind_name(x.kind),
                x.n.to_string(),
                x.drops.to_string(),
                share,
                interval,
            ]
        })
        .collect();
    t
}

/// Sexual-function scores before and after each medication change.
pub fn medication(m: &MedicationSexualFunction, tz: &TimeZone) -> Table {
    let mut t = Table::new(&[
        ("Medication", false),
        ("Change", false),
        ("Date", false),
        ("Before (checks)", true),
        ("After (checks)", true),
        ("Difference", true),
        ("95% interval", true),
    ]);
    let mean =
        |v: Option<f64>, n: usize| format!("{} ({n})", v.map_or("–".into(), |v| format!("{v:.1}")));
    t.rows = m
        .items
        .iter()
        .map(|x| {
            vec![
                x.medication.clone(),
                labels::med_event(x.event).to_string(),
                x.at.to_zoned(tz.clone())
                    .strftime("%A %-d %B %Y")
                    .to_string(),
                mean(x.before_mean, x.before_n),
                mean(x.after_mean, x.after_n),
                num(x.change),
                interval(x.ci_low, x.ci_high),
            ]
        })
        .collect();
    t
}

/// Sleep and loneliness after intimacy, against other days.
pub fn sleep(s: &SleepAndConnection) -> Table {
    let mut t = Table::new(&[
        ("Measure", false),
        ("After", false),
        ("Mean (days)", true),
        ("Other days", true),
        ("Difference", true),
        ("95% interval", true),
        ("Confidence", false),
    ]);
    t.rows = s
        .items
        .iter()
        .filter(|x| x.difference.is_some())
        .map(|x| {
            vec![
                x.measure.replace('_', " "),
                x.after.replace('_', " "),
                format!("{:.1} ({})", x.mean.unwrap_or_default(), x.n),
                format!("{:.1} ({})", x.other_mean.unwrap_or_default(), x.n_other),
                num(x.difference),
                interval(x.ci_low, x.ci_high),
                x.confidence.as_str().to_string(),
            ]
        })
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_insights::{Confidence, Verdict};

    fn item(kind: &str, n: usize, change: Option<f64>) -> HelpsItem {
        HelpsItem {
            kind: kind.into(),
            n,
            mean_change: change,
            ci_low: change.map(|c| c - 0.5),
            ci_high: change.map(|c| c + 0.5),
            p_value: None,
            q_value: None,
            next_morning_n: 0,
            next_morning_effect: None,
            next_morning_ci_low: None,
            next_morning_ci_high: None,
            later: Default::default(),
            morning_after: Default::default(),
            verdict: if change.is_some() {
                Verdict::Helps
            } else {
                Verdict::NotEnoughData
            },
            confidence: Confidence::Moderate,
        }
    }

    #[test]
    fn every_row_fills_every_column_in_words() {
        let t = what_helps(&[item("exercise", 12, Some(1.5)), item("art", 2, None)]);
        assert_eq!(t.head.len(), t.numeric.len());
        assert!(t.rows.iter().all(|r| r.len() == t.head.len()));
        assert_eq!(t.rows[0][..4], ["Exercise", "12", "+1.5", "+1.0 to +2.0"]);
        assert_eq!(t.rows[0][5], "helps");
        assert_eq!(
            t.rows[1][4], "–",
            "no next-morning estimate is a dash, not a zero"
        );
        assert_eq!(t.rows[1][5], "not enough data");
        assert!(
            !t.rows.concat().iter().any(|c| c.contains('_')),
            "no internal codes"
        );
    }
}
