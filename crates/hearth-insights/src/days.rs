//! Check-in moods by local day, and the next-morning comparison built on them.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::rules::*;
use crate::stats;

pub(crate) struct Days {
    /// Each day whose next morning has a check-in: the day, its mood (the
    /// day's first check-in) and that morning's (the first before noon),
    /// both less the person's mean morning mood. The same for every kind, so
    /// found once here rather than by each kind's `next_morning` (a lookup
    /// and two allocations a day, per kind).
    followed: Vec<(Date, f64, f64)>,
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
    let base = if morning.is_empty() {
        0.0
    } else {
        stats::mean(&morning.values().copied().collect::<Vec<_>>())
    };
    let followed = day_mood
        .iter()
        .filter_map(|(day, prev)| {
            let next = morning.get(&day.tomorrow().ok()?)?;
            Some((*day, prev - base, next - base))
        })
        .collect();
    Days { followed }
}

/// Next-morning mood on days after the kind against other days, centred on the
/// person's own mean and adjusted for the previous day's mood.
pub(crate) fn next_morning(
    kind_days: &BTreeSet<Date>,
    d: &Days,
) -> (usize, Option<(f64, f64, f64)>) {
    let mut x = Vec::with_capacity(d.followed.len());
    let mut y = Vec::with_capacity(d.followed.len());
    for (day, prev, morning) in &d.followed {
        let did = kind_days.contains(day);
        x.push([if did { 1.0 } else { 0.0 }, *prev]);
        y.push(*morning);
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
