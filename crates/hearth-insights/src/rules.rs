//! Every threshold Hearth's insights use, in one place. These are Hearth's
//! heuristics for when a pattern is worth mentioning — never diagnoses.
//! `docs/insights.md` explains each one; keep the two in step.

/// Episodes rated before and after that a kind needs before Hearth says anything.
pub const MIN_EPISODES: usize = 5;
/// Bootstrap resamples for what-helps intervals.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
/// Benjamini–Hochberg false-discovery rate across kinds.
pub const FDR_Q: f64 = 0.10;
/// Days with and without a kind needed for a next-morning estimate.
pub const MIN_DAYS_EACH_SIDE: usize = 5;
/// Check-ins before this local hour count as "morning".
pub const MORNING_ENDS_HOUR: i8 = 12;

/// Feeling worse after sex: a drop of at least this many points…
pub const DROP_POINTS: i32 = 2;
/// …or a post-sex check within this many hours with any item at least…
pub const POST_SEX_WINDOW_HOURS: i64 = 3;
pub const POST_SEX_ITEM_AT_LEAST: i32 = 2;
/// Looked at over this many days,
pub const DROP_WINDOW_DAYS: i64 = 90;
/// and mentioned at this many such episodes when the share's 95% (Wilson)
/// interval lies above this: a lower bound, not the share itself, so a
/// person with many episodes is told at a real 40% share (96% of synthetic
/// journals, against 81% for a 30% point share) and never on noise alone.
pub const DROP_MIN_COUNT: usize = 3;
pub const DROP_MIN_LOW: f64 = 0.10;

/// Reliance is looked at over the last four weeks.
pub const RELIANCE_WINDOW_DAYS: i64 = 28;
pub const RELIANCE_MIN_EPISODES: usize = 5;
pub const SEXUAL_SHARE_HIGH: f64 = 0.60;
pub const SEXUAL_SHARE_MIN_COUNT: usize = 6;
pub const ESCAPE_SHARE_HIGH: f64 = 0.50;
pub const ESCAPE_MIN_COUNT: usize = 4;
/// Episodes rated worse after, yet repeated within a day.
pub const WORSE_REPEATED_HIGH: usize = 2;
pub const REPEAT_WITHIN_HOURS: i64 = 24;
/// Porn use with an "in control" rating at or below this is counted as low control.
pub const LOW_CONTROL_AT_MOST: u8 = 3;
pub const LOW_CONTROL_HIGH: usize = 3;

/// Medication and sexual function: weeks before and after an event compared.
pub const MED_WEEKS_BEFORE: i64 = 6;
pub const MED_WEEKS_AFTER: i64 = 7;
pub const MED_MIN_EACH_SIDE: usize = 2;
/// A rise of the sexual-function total (5–30) this large, with an interval above 0.
pub const MED_WORSENING_POINTS: f64 = 3.0;

/// PHQ-9: a change this large is called meaningful.
pub const PHQ9_MEANINGFUL_CHANGE: i32 = 5;

/// Whether a change between two scores of `instrument` is one clinicians
/// treat as meaningful (only PHQ-9 has such a threshold here).
pub fn meaningful_change(instrument: &str, change: i32) -> bool {
    instrument == "phq9" && change.abs() >= PHQ9_MEANINGFUL_CHANGE
}
/// PHQ-9 at or above this prompts professional help.
pub const PHQ9_HIGH: i32 = 15;

/// Days of the kind compared against other days for sleep and loneliness.
pub const SLEEP_MIN_DAYS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_phq9_change_of_five_points_or_more_is_meaningful() {
        assert!(meaningful_change("phq9", 5) && meaningful_change("phq9", -6));
        assert!(!meaningful_change("phq9", 4) && !meaningful_change("phq9", -4));
        assert!(
            !meaningful_change("gad7", 9),
            "no threshold is claimed for others"
        );
    }
}
