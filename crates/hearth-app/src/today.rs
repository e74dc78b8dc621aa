//! Today as a home: the last seven days at a glance, and the activities a
//! person reached for lately, to log again in one tap.

use hearth_core::{EntryBody, Kind, Settings};
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::civil::Date;
use serde::Serialize;

use crate::Clock;

/// Days shown at a glance, today included.
pub const GLANCE_DAYS: i64 = 7;
/// Recent activities offered to log again.
pub const RECENT_KINDS: usize = 4;
/// Entries read for the glance: a week of ordinary use is far fewer.
const GLANCE_LIMIT: u32 = 2_000;

/// One local day: its check-ins' average mood, and how many activities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    pub date: Date,
    pub mood: Option<f64>,
    pub checkins: usize,
    pub activities: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Glance {
    /// Oldest first, ending today.
    pub days: Vec<Day>,
    /// Most recently logged first; none that are hidden, and none that
    /// discreet mode keeps private.
    pub recent: Vec<Kind>,
}

pub async fn glance(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    settings: &Settings,
) -> Result<Glance, StoreError> {
    let today = clock.today();
    let first = today - jiff::Span::new().days(GLANCE_DAYS - 1);
    let entries = store
        .list(
            user,
            &Filter {
                since: hearth_core::when::start_of_day(first, &clock.tz),
                until: Some(clock.now),
                limit: Some(GLANCE_LIMIT),
                ..Filter::default()
            },
        )
        .await?;
    let mut days: Vec<Day> = (0..GLANCE_DAYS)
        .map(|i| Day {
            date: first + jiff::Span::new().days(i),
            mood: None,
            checkins: 0,
            activities: 0,
        })
        .collect();
    let mut sums = vec![0.0; days.len()];
    let mut recent: Vec<Kind> = Vec::new();
    // Entries arrive newest first, so the first of a kind is its latest.
    for e in &entries {
        let date = e.at.to_zoned(clock.tz.clone()).date();
        let Some(i) = days.iter().position(|d| d.date == date) else {
            continue;
        };
        match &e.body {
            EntryBody::Checkin(c) => {
                days[i].checkins += 1;
                sums[i] += f64::from(c.mood.get());
            }
            EntryBody::Episode(ep) => {
                days[i].activities += 1;
                let offered =
                    settings.shows_kind(ep.kind.as_str()) && !settings.keeps_private(&ep.kind);
                if offered && recent.len() < RECENT_KINDS && !recent.contains(&ep.kind) {
                    recent.push(ep.kind.clone());
                }
            }
            _ => {}
        }
    }
    for (d, sum) in days.iter_mut().zip(sums) {
        d.mood = (d.checkins > 0).then(|| sum / d.checkins as f64);
    }
    Ok(Glance { days, recent })
}
