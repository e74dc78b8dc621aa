//! What Hearth concludes. Pure functions of a person's entries, their time
//! zone and an injected "now": the same input always gives the same output.
//! Every number carries its n and a 95% interval, and "not enough data yet"
//! is said whenever that is the truth.

use std::borrow::Cow;
use std::collections::BTreeSet;

use hearth_core::vocab::PromptKind;
use hearth_core::{Entry, EntryBody, EntryId, Episode, Prompt, PromptStatus};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

mod after_sex;
mod common;
mod days;
mod depression;
pub mod evaluation;
mod lagged;
mod medication;
pub mod messages;
mod reliance;
pub mod rules;
mod sleep;
pub mod stats;
mod what_helps;

pub use after_sex::{AfterSexDrop, DropItem};
pub use common::{Confidence, Interval, Verdict};
pub use depression::{DepressionTrend, TrendPoint};
pub use lagged::Lagged;
pub use medication::{MedItem, MedicationSexualFunction};
pub use reliance::{Reliance, Trend};
pub use sleep::{SleepAndConnection, SleepItem};
pub use what_helps::{HelpsItem, WhatHelps};

use after_sex::after_sex_drop;
use days::days;
use depression::depression_trend;
use medication::medication;
use reliance::reliance;
use sleep::sleep_and_connection;
use what_helps::what_helps;

pub struct Input<'a> {
    /// Every entry of one person, in any order.
    pub entries: &'a [Entry],
    pub now: Timestamp,
    pub tz: TimeZone,
    /// Only what happened from here on is analysed.
    pub since: Option<Timestamp>,
    /// Seed for the bootstrap, so results are reproducible.
    pub seed: u64,
    /// The prompts after episodes: a rating given after its window closed
    /// is left out, and counted.
    pub prompts: &'a [Prompt],
}

#[derive(Debug, Clone, Serialize)]
pub struct Insights {
    pub generated_at: Timestamp,
    /// Ratings given after their prompt's window closed: kept in the
    /// journal, left out of every insight.
    pub late_left_out: usize,
    pub insights: Vec<Insight>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Insight {
    WhatHelps(WhatHelps),
    AfterSexDrop(AfterSexDrop),
    Reliance(Reliance),
    Medication(MedicationSexualFunction),
    Trend(DepressionTrend),
    Sleep(SleepAndConnection),
}

impl Insight {
    /// Whether this insight has anything to say to this person yet. A card
    /// about sex for someone who never logged any, or about medication when
    /// none is recorded, would only push the topic on them; what helps
    /// always shows, saying "not enough data yet" when that is the truth.
    pub fn applies(&self) -> bool {
        match self {
            Insight::WhatHelps(_) => true,
            Insight::AfterSexDrop(d) => d.items.iter().any(|x| x.n > 0),
            Insight::Reliance(r) => r.n_episodes > 0,
            Insight::Medication(m) => !m.items.is_empty(),
            Insight::Trend(t) => t.n > 0,
            Insight::Sleep(s) => s.items.iter().any(|x| x.n > 0),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Insight::WhatHelps(i) => i.title,
            Insight::AfterSexDrop(i) => i.title,
            Insight::Reliance(i) => i.title,
            Insight::Medication(i) => i.title,
            Insight::Trend(i) => i.title,
            Insight::Sleep(i) => i.title,
        }
    }
}

pub fn analyse(input: &Input<'_>) -> Insights {
    let in_range = |e: &&Entry| e.at <= input.now && input.since.is_none_or(|s| e.at >= s);
    let mut entries: Vec<&Entry> = input.entries.iter().filter(in_range).collect();
    entries.sort_by_key(|e| e.at);
    let mut checkins = Vec::new();
    let mut meds = Vec::new();
    let mut sf = Vec::new();
    let mut post_sex = Vec::new();
    let mut phq9 = Vec::new();
    let late = |kind: fn(PromptKind) -> bool| -> BTreeSet<&EntryId> {
        input
            .prompts
            .iter()
            .filter(|p| kind(p.kind) && p.status(input.now) == PromptStatus::Late)
            .filter_map(|p| p.entry_id.as_ref())
            .collect()
    };
    // Later and morning ratings given in their windows, by episode.
    let on_time = |kind: PromptKind| -> std::collections::BTreeMap<&EntryId, f64> {
        input
            .prompts
            .iter()
            .filter(|p| p.kind == kind && p.status(input.now) == PromptStatus::Answered)
            .filter_map(|p| Some((p.entry_id.as_ref()?, f64::from(p.rating?.get()))))
            .collect()
    };
    let (later, morning) = (on_time(PromptKind::Later), on_time(PromptKind::Morning));
    let mut lags = Vec::new();
    let late_after = late(|k| k == PromptKind::After);
    let late_later = late(|k| k != PromptKind::After);
    let mut late_left_out = 0;
    let mut cleaned: Vec<(Timestamp, Cow<'_, Episode>)> = Vec::new();
    for e in &entries {
        match &e.body {
            EntryBody::Episode(ep) => {
                let mut ep = Cow::Borrowed(ep);
                if late_after.contains(&e.id) && ep.mood_after.is_some() {
                    ep.to_mut().mood_after = None;
                    late_left_out += 1;
                }
                if late_later.contains(&e.id) && ep.followup.is_some() {
                    let ep = ep.to_mut();
                    (ep.followup, ep.followup_at) = (None, None);
                    late_left_out += 1;
                }
                let before = ep.mood_before.map(|r| f64::from(r.get()));
                let change = |r: Option<&f64>| Some(r? - before?);
                lags.push(lagged::Lags {
                    later: change(later.get(&e.id)),
                    morning: change(morning.get(&e.id)),
                });
                cleaned.push((e.at, ep));
            }
            EntryBody::Checkin(c) => checkins.push((e.at, c)),
            EntryBody::Medication(m) => meds.push((e.at, m)),
            EntryBody::Survey(s) => match s.instrument.as_str() {
                "sexual-function" => sf.push((e.at, s.total)),
                "post-sex" => post_sex.push((e.at, s.answers.clone())),
                "phq9" => phq9.push(TrendPoint {
                    at: e.at,
                    total: s.total,
                    band: s.band.clone(),
                }),
                _ => {}
            },
        }
    }
    let episodes: Vec<(Timestamp, &Episode)> =
        cleaned.iter().map(|(at, e)| (*at, e.as_ref())).collect();
    let d = days(&checkins, &input.tz);
    // The bootstraps of what helps are most of the work; the other insights
    // run beside them.
    let (mut helps, (after_sex, reliance, medication, trend, sleep)) = rayon::join(
        || what_helps(&episodes, &lags, &d, &input.tz, input.seed),
        || {
            (
                after_sex_drop(&episodes, &post_sex, input.now),
                reliance(&episodes, input.now),
                medication(&meds, &sf),
                depression_trend(phq9),
                sleep_and_connection(&episodes, &checkins, &input.tz),
            )
        },
    );
    if late_left_out > 0 {
        helps.summary = format!(
            "{} {}",
            helps.summary,
            messages::late_left_out(late_left_out)
        );
    }
    Insights {
        generated_at: input.now,
        late_left_out,
        insights: vec![
            Insight::WhatHelps(helps),
            Insight::AfterSexDrop(after_sex),
            Insight::Reliance(reliance),
            Insight::Medication(medication),
            Insight::Trend(trend),
            Insight::Sleep(sleep),
        ],
    }
}
