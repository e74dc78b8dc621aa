//! The insights' tables, built once: the CLI draws them in the terminal, the
//! Insights page as HTML, and the report in print, from the same rows.

use hearth_core::labels;
use hearth_insights::rules::DROP_MIN_COUNT;
use hearth_insights::{
    AfterSexDrop, HelpsItem, Lagged, MedicationSexualFunction, SleepAndConnection,
};
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

/// The headings of the columns for later ratings.
pub const LATER: &str = "A few hours later";
pub const MORNING: &str = "Rated next morning";

/// What the later-ratings table holds, after "Later on, ": to the person,
/// and in the report to their clinician.
pub const LATER_ON: &str = "from the ratings you gave when Hearth asked (the change from your mood before, with its 95% interval and n)";
pub const LATER_ON_REPORT: &str =
    "from the ratings the person gave when Hearth asked (change from mood before, 95% interval, n)";

/// An effect and its interval in one cell: "+1.5 (+1.0 to +2.0)", or a dash.
fn effect(mean: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match mean {
        Some(_) => format!("{} ({})", num(mean), interval(lo, hi)),
        None => "–".into(),
    }
}

/// A change at one lag with its n, which differs from the change right
/// after's: not every episode was rated again.
fn lagged(l: &Lagged) -> String {
    match (l.mean_change, l.n) {
        (Some(_), n) => format!("{}, n {n}", effect(l.mean_change, l.ci_low, l.ci_high)),
        (None, 0) => "–".into(),
        (None, n) => format!("too few (n {n})"),
    }
}

/// What helps: each activity's mood change right after and on the next
/// day's check-in, with n and 95% intervals, the verdict and how sure it is.
pub fn what_helps(items: &[HelpsItem]) -> Table {
    let mut t = Table::new(&[
        ("Activity", false),
        ("n", true),
        ("Right after (95% interval)", true),
        ("Next day's check-in", true),
        ("Verdict", false),
        ("Confidence", false),
    ]);
    t.rows = items
        .iter()
        .map(|h| {
            vec![
                labels::kind_name(&h.kind),
                h.n.to_string(),
                effect(h.mean_change, h.ci_low, h.ci_high),
                effect(
                    h.next_morning_effect,
                    h.next_morning_ci_low,
                    h.next_morning_ci_high,
                ),
                h.verdict.label().to_string(),
                h.confidence.as_str().to_string(),
            ]
        })
        .collect();
    t
}

/// What helps later on, from the ratings given when Hearth asked: a table
/// of its own, so each fits a page and a phone, holding only the kinds
/// rated later at all; none when nothing was.
pub fn what_helps_later(items: &[HelpsItem]) -> Option<Table> {
    let mut t = Table::new(&[("Activity", false), (LATER, true), (MORNING, true)]);
    t.rows = items
        .iter()
        .filter(|h| h.later.n > 0 || h.morning_after.n > 0)
        .map(|h| {
            vec![
                labels::kind_name(&h.kind),
                lagged(&h.later),
                lagged(&h.morning_after),
            ]
        })
        .collect();
    (!t.rows.is_empty()).then_some(t)
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
                match x.measure {
                    "sleep_quality" => "Sleep quality that night",
                    _ => "Loneliness the next day",
                }
                .to_string(),
                match x.after {
                    "sex" => "Sex",
                    _ => "Closeness without sex",
                }
                .to_string(),
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
        assert_eq!(t.rows[0][..3], ["Exercise", "12", "+1.5 (+1.0 to +2.0)"]);
        assert_eq!(t.rows[0][4], "helps");
        assert_eq!(
            t.rows[1][3], "–",
            "no next-morning estimate is a dash, not a zero"
        );
        assert_eq!(t.rows[1][4], "not enough data");
        assert!(
            !t.rows.concat().iter().any(|c| c.contains('_')),
            "no internal codes"
        );
        assert_eq!(
            what_helps_later(&[item("exercise", 12, Some(1.5))]),
            None,
            "no table for ratings nobody gave"
        );
    }

    #[test]
    fn sleep_rows_are_in_words() {
        let row = |after, measure| hearth_insights::SleepItem {
            after,
            measure,
            n: 9,
            n_other: 20,
            mean: Some(6.0),
            other_mean: Some(5.0),
            difference: Some(1.0),
            ci_low: Some(0.2),
            ci_high: Some(1.8),
            p_value: Some(0.01),
            q_value: Some(0.02),
            confidence: Confidence::Moderate,
        };
        let t = sleep(&SleepAndConnection {
            id: "sleep_and_connection",
            title: "",
            summary: String::new(),
            what_you_could_do: "",
            items: vec![
                row("sex", "sleep_quality"),
                row("non_sexual_intimacy", "loneliness"),
            ],
        });
        assert_eq!(t.rows[0][..2], ["Sleep quality that night", "Sex"]);
        assert_eq!(
            t.rows[1][..2],
            ["Loneliness the next day", "Closeness without sex"]
        );
        assert!(!t.rows.concat().iter().any(|c| c.contains('_')));
    }

    #[test]
    fn later_ratings_get_a_table_with_their_own_n() {
        let mut exercise = item("exercise", 12, Some(1.5));
        exercise.later = Lagged {
            n: 7,
            mean_change: Some(1.1),
            ci_low: Some(0.4),
            ci_high: Some(1.8),
            ..Lagged::default()
        };
        exercise.morning_after = Lagged {
            n: 3,
            ..Lagged::default()
        };
        let t = what_helps_later(&[exercise, item("art", 2, None)]).unwrap();
        assert_eq!(t.head, ["Activity", LATER, MORNING]);
        assert_eq!(t.rows.len(), 1, "only the kinds rated later");
        assert_eq!(
            t.rows[0],
            ["Exercise", "+1.1 (+0.4 to +1.8), n 7", "too few (n 3)"]
        );
    }
}
