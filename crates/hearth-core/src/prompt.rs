//! Asking later: the prompts that follow an episode, their windows in local
//! time, and what became of each. A prompt keeps when it was scheduled, when
//! its window closes, when a person first saw it and when they answered, so
//! an evening answer is never taken for a morning one.

use std::collections::BTreeSet;

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::model::{Entry, EntryBody, EntryId, Episode, Rating};
use crate::vocab::{BuiltinKind, PromptKind};

/// How long "How do you feel now?" stays open after an episode ends, unless
/// the person chooses otherwise.
pub const AFTER_WINDOW_HOURS: u32 = 6;
/// The hours a person may choose for that window.
pub const AFTER_WINDOW_RANGE: std::ops::RangeInclusive<u32> = 1..=48;
/// "A few hours later" opens this long after the episode ends…
pub const LATER_AFTER: SignedDuration = SignedDuration::from_hours(3);
/// …and stays open this long.
pub const LATER_WINDOW: SignedDuration = SignedDuration::from_hours(2);
/// "Next morning" is this stretch of local time on the morning after.
pub const MORNING_OPENS: Time = Time::constant(5, 0, 0, 0);
pub const MORNING_CLOSES: Time = Time::constant(12, 0, 0, 0);
/// The kinds asked about later and next morning in a journal that has not
/// chosen: both sexual kinds, non-sexual closeness and exercise.
pub const FOLLOWUP_KINDS: &[BuiltinKind] = &[
    BuiltinKind::SexPartnered,
    BuiltinKind::SexSolo,
    BuiltinKind::Intimacy,
    BuiltinKind::Exercise,
];

/// The default set of kinds asked about later, by their stored names.
pub fn default_followup_kinds() -> BTreeSet<String> {
    FOLLOWUP_KINDS
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

/// One question asked after an episode, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: EntryId,
    pub kind: PromptKind,
    /// The episode it asks about.
    pub entry_id: Option<EntryId>,
    pub scheduled_at: Timestamp,
    /// The end of its window: an answer after this is kept and marked late.
    pub closes_at: Timestamp,
    /// The first time a person was shown it.
    #[serde(default)]
    pub shown_at: Option<Timestamp>,
    #[serde(default)]
    pub answered_at: Option<Timestamp>,
    #[serde(default)]
    pub dismissed_at: Option<Timestamp>,
    /// The rating given in answer.
    #[serde(default)]
    pub rating: Option<Rating>,
}

/// What became of a prompt, as of some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptStatus {
    /// Its window has not opened yet.
    Waiting,
    /// Open now and unanswered.
    Due,
    /// Answered in its window.
    Answered,
    /// Answered after its window closed.
    Late,
    /// Its window closed unanswered.
    Missed,
    /// The person said not to ask.
    Dismissed,
}

impl PromptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PromptStatus::Waiting => "waiting",
            PromptStatus::Due => "due",
            PromptStatus::Answered => "answered",
            PromptStatus::Late => "late",
            PromptStatus::Missed => "missed",
            PromptStatus::Dismissed => "dismissed",
        }
    }
}

impl Prompt {
    pub fn status(&self, now: Timestamp) -> PromptStatus {
        if let Some(at) = self.answered_at {
            if at <= self.closes_at {
                PromptStatus::Answered
            } else {
                PromptStatus::Late
            }
        } else if self.dismissed_at.is_some() {
            PromptStatus::Dismissed
        } else if now < self.scheduled_at {
            PromptStatus::Waiting
        } else if now <= self.closes_at {
            PromptStatus::Due
        } else {
            PromptStatus::Missed
        }
    }

    /// Neither answered nor dismissed.
    pub fn is_open(&self) -> bool {
        self.answered_at.is_none() && self.dismissed_at.is_none()
    }

    /// Checks what a stored or imported prompt says about itself.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.closes_at <= self.scheduled_at {
            return Err(ValidationError::invalid(
                "closes_at",
                "a prompt's window must close after it opens",
            ));
        }
        if self.answered_at.is_some() != self.rating.is_some() {
            return Err(ValidationError::invalid(
                "rating",
                "an answered prompt has a rating, and only an answered one",
            ));
        }
        if self.answered_at.is_some() && self.dismissed_at.is_some() {
            return Err(ValidationError::invalid(
                "dismissed_at",
                "a prompt is either answered or dismissed, not both",
            ));
        }
        Ok(())
    }

    /// Records an answer given `now` and puts it where it belongs in the
    /// episode: the after-rating, or the later rating with its real time.
    /// An answer before the window opens is refused: it would not be what
    /// the prompt asks.
    pub fn answer(
        &mut self,
        episode: &mut Episode,
        rating: Rating,
        now: Timestamp,
    ) -> Result<(), ValidationError> {
        if !self.is_open() {
            return Err(ValidationError::invalid(
                "prompt",
                "this question has already been answered or put aside",
            ));
        }
        if now < self.scheduled_at {
            return Err(ValidationError::invalid(
                "prompt",
                format!("this question opens at {}", self.scheduled_at),
            ));
        }
        match self.kind {
            PromptKind::After => episode.mood_after = Some(rating),
            PromptKind::Later | PromptKind::Morning => {
                episode.followup = Some(rating);
                episode.followup_at = Some(now);
            }
        }
        self.answered_at = Some(now);
        self.rating = Some(rating);
        Ok(())
    }

    /// Puts the prompt aside for good.
    pub fn dismiss(&mut self, now: Timestamp) -> Result<(), ValidationError> {
        if !self.is_open() {
            return Err(ValidationError::invalid(
                "prompt",
                "this question has already been answered or put aside",
            ));
        }
        self.dismissed_at = Some(now);
        Ok(())
    }
}

/// A prompt to be made: its kind and window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    pub kind: PromptKind,
    pub scheduled_at: Timestamp,
    pub closes_at: Timestamp,
}

/// When an episode ends: its start plus its minutes, when given.
pub fn episode_end(at: Timestamp, episode: &Episode) -> Timestamp {
    at + SignedDuration::from_mins(i64::from(episode.minutes.unwrap_or(0)))
}

/// The morning after `end` in `tz`: 05:00–12:00 of the next local day, where
/// a day turns at 05:00, so an episode ending at 2 a.m. is asked about that
/// same morning. Computed on the local clock, so a night that loses or
/// gains an hour to daylight saving still asks at 05:00.
pub fn morning_after(end: Timestamp, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let local = end.to_zoned(tz.clone());
    let day = if local.time() < MORNING_OPENS {
        local.date()
    } else {
        local.date().tomorrow().ok()?
    };
    let opens = day.to_datetime(MORNING_OPENS).to_zoned(tz.clone()).ok()?;
    let closes = day.to_datetime(MORNING_CLOSES).to_zoned(tz.clone()).ok()?;
    Some((opens.timestamp(), closes.timestamp()))
}

/// Where an episode's windows start from: its end, except that an activity
/// logged "now" with its minutes has usually just ended, so it is not asked
/// about as if it ran on into the future.
fn asked_from(at: Timestamp, episode: &Episode, logged: Timestamp) -> Timestamp {
    match episode_end(at, episode) {
        end if at <= logged => end.min(logged),
        end => end,
    }
}

/// The prompts an episode just recorded should get, as of `now`: "How do you
/// feel now?" when it has a before-rating and no after-rating, and, for the
/// kinds chosen, a few hours later and next morning when it has no later
/// rating yet. It ended at its start plus its minutes, or when it was
/// logged if that is sooner. A window already closed (an episode logged long after) asks
/// nothing. Windows are set in the zone the episode was logged in; [`moved`]
/// moves them when an edit changes its time.
pub fn plan(
    entry: &Entry,
    after_hours: u32,
    followup_kinds: &BTreeSet<String>,
    now: Timestamp,
) -> Vec<Planned> {
    let EntryBody::Episode(ep) = &entry.body else {
        return Vec::new();
    };
    let end = asked_from(entry.at, ep, now);
    let mut out = Vec::new();
    if ep.mood_before.is_some() && ep.mood_after.is_none() {
        let hours = SignedDuration::from_hours(i64::from(after_hours));
        out.push(Planned {
            kind: PromptKind::After,
            scheduled_at: end,
            closes_at: end + hours,
        });
    }
    if ep.followup.is_none() && followup_kinds.contains(ep.kind.as_str()) {
        out.push(Planned {
            kind: PromptKind::Later,
            scheduled_at: end + LATER_AFTER,
            closes_at: end + LATER_AFTER + LATER_WINDOW,
        });
        let tz = crate::when::zone(&entry.tz).or_else(|| crate::when::parse_zone(&entry.tz).ok());
        if let Some((opens, closes)) = tz.and_then(|tz| morning_after(end, &tz)) {
            out.push(Planned {
                kind: PromptKind::Morning,
                scheduled_at: opens,
                closes_at: closes,
            });
        }
    }
    out.retain(|p| p.closes_at > now);
    out
}

/// The prompts an edit answered: a new after-rating answers the open
/// "How do you feel now?", and a new later rating answers the open later or
/// morning prompt that had opened by the time it was given (the latest such).
/// Each is marked with the time the rating was given, so one given after
/// its window is kept and marked late.
pub fn answered_by_edit(
    prompts: &[Prompt],
    before: &Episode,
    after: &Episode,
    now: Timestamp,
) -> Vec<Prompt> {
    let mut out = Vec::new();
    if let (None, Some(r)) = (before.mood_after, after.mood_after)
        && let Some(p) = prompts
            .iter()
            .find(|p| p.kind == PromptKind::After && p.is_open() && p.scheduled_at <= now)
    {
        out.push(Prompt {
            answered_at: Some(now),
            rating: Some(r),
            ..p.clone()
        });
    }
    if let (Some(r), Some(at)) = (after.followup, after.followup_at)
        && (before.followup != after.followup || before.followup_at != after.followup_at)
        && let Some(p) = prompts
            .iter()
            .filter(|p| p.kind != PromptKind::After && p.is_open() && p.scheduled_at <= at)
            .max_by_key(|p| p.scheduled_at)
    {
        out.push(Prompt {
            answered_at: Some(at),
            rating: Some(r),
            ..p.clone()
        });
    }
    out
}

/// The open prompts whose windows an edit moved: when an episode's time,
/// minutes or zone change, each window follows its new end. "How do you feel
/// now?" and "a few hours later" keep their lengths; the next morning is the
/// morning after the new end, in the new zone. Answered, dismissed and
/// unmoved prompts are left out, and a window moved into the past just
/// closes, so the prompt counts as missed rather than vanishing.
pub fn moved(prompts: &[Prompt], before: &Entry, after: &Entry) -> Vec<Prompt> {
    let (EntryBody::Episode(old), EntryBody::Episode(new)) = (&before.body, &after.body) else {
        return Vec::new();
    };
    let old_end = asked_from(before.at, old, before.recorded_at);
    let new_end = asked_from(after.at, new, after.recorded_at);
    let tz = crate::when::zone(&after.tz).or_else(|| crate::when::parse_zone(&after.tz).ok());
    prompts
        .iter()
        .filter(|p| p.is_open())
        .filter_map(|p| {
            let (opens, closes) = match p.kind {
                PromptKind::Morning => morning_after(new_end, tz.as_ref()?)?,
                PromptKind::After | PromptKind::Later => {
                    let shift = new_end.duration_since(old_end);
                    (
                        p.scheduled_at.checked_add(shift).ok()?,
                        p.closes_at.checked_add(shift).ok()?,
                    )
                }
            };
            ((opens, closes) != (p.scheduled_at, p.closes_at)).then(|| Prompt {
                scheduled_at: opens,
                closes_at: closes,
                ..p.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
