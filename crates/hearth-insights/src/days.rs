//! Check-in moods by local day, and the next-morning comparison built on them.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::rules::*;
use crate::stats;

pub(crate) struct Days {
    /// First check-in mood before noon, by local date.
    pub(crate) morning: BTreeMap<Date, f64>,
    /// First check-in mood of the day, by local date.
    pub(crate) day_mood: BTreeMap<Date, f64>,
}

pub(crate) fn days(checkins: &[(Timestamp, &hearth_core::CheckIn)], tz: &TimeZone) -> Days {
    let mut morning = BTreeMap::new();
    let mut day_mood = BTreeMap::new();
    for (at, c) in checkins {
        let z = at.to_zoned(tz.clone());
        let mood = f64::from(c.mood.get());
        day_mood.entry(z.date()).or_insert(mood);
        if z.hour() < MORNING_ENDS_HOUR {
            morning.entry(z.date()).or_insert(mood);
        }
    }
    Days { morning, day_mood }
}

/// Next-morning mood on days after the kind against other days, centred on the
/// person's own mean and adjusted for the previous day's mood.
pub(crate) fn next_morning(
    kind_days: &BTreeSet<Date>,
    d: &Days,
) -> (usize, Option<(f64, f64, f64)>) {
    let base = if d.morning.is_empty() {
        0.0
    } else {
        stats::mean(&d.morning.values().copied().collect::<Vec<_>>())
    };
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (day, prev) in &d.day_mood {
        let Ok(next) = day.tomorrow() else { continue };
        let Some(morning) = d.morning.get(&next) else {
            continue;
        };
        let did = kind_days.contains(day);
        x.push(vec![if did { 1.0 } else { 0.0 }, prev - base]);
        y.push(morning - base);
    }
    let with = x.iter().filter(|r| r[0] == 1.0).count();
    if with < MIN_DAYS_EACH_SIDE || x.len() - with < MIN_DAYS_EACH_SIDE {
        return (with, None);
    }
    let Some(fit) = stats::ols(&x, &y) else {
        return (with, None);
    };
    let (b, se) = fit[0];
    let half = stats::t975((y.len() - 3) as f64) * se;
    (with, Some((b, b - half, b + half)))
}
