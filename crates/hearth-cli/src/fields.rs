//! Turns command-line text into patches of core values: the creating
//! commands apply them to a new entry, `edit` to the stored one, so both
//! read a flag the same way.

use hearth_app::Clock;
use hearth_core::patch::{BodyPatch, Change, CheckinPatch, EpisodePatch};
use hearth_core::vocab::{ExerciseType, Feeling, Motive, Touch};
use hearth_core::{Rating, ValidationError};

use crate::cli::{CheckinFields, EpisodeFields};

fn rating(field: &str, v: &Option<String>) -> Result<Option<Rating>, ValidationError> {
    v.as_deref().map(|t| Rating::parse(field, t)).transpose()
}

pub fn parse_number(field: &str, text: &str) -> Result<f64, ValidationError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| ValidationError::invalid(field, format!("'{text}' is not a number")))
}

pub fn checkin_given(f: &CheckinFields) -> bool {
    f.mood.is_some()
        || f.energy.is_some()
        || f.stress.is_some()
        || f.loneliness.is_some()
        || f.desire.is_some()
        || f.sleep_hours.is_some()
        || f.sleep_quality.is_some()
        || !f.tags.is_empty()
}

pub fn episode_given(f: &EpisodeFields) -> bool {
    f.before.is_some()
        || f.after.is_some()
        || f.followup.is_some()
        || f.minutes.is_some()
        || f.touch.is_some()
        || f.exercise_type.is_some()
        || f.pressured
        || f.protection.is_some()
        || f.new_partner
        || f.motive.is_some()
        || !f.feelings.is_empty()
        || f.satisfaction.is_some()
        || f.in_control.is_some()
}

/// The check-in fields that were given, as a patch (`--tag` adds a tag).
pub fn checkin_patch(f: &CheckinFields) -> Result<CheckinPatch, ValidationError> {
    Ok(CheckinPatch {
        mood: Change::given(rating("mood", &f.mood)?),
        energy: Change::given(rating("energy", &f.energy)?),
        stress: Change::given(rating("stress", &f.stress)?),
        loneliness: Change::given(rating("loneliness", &f.loneliness)?),
        desire: Change::given(rating("desire", &f.desire)?),
        sleep_quality: Change::given(rating("sleep_quality", &f.sleep_quality)?),
        sleep_hours: Change::given(
            f.sleep_hours
                .as_deref()
                .map(|h| parse_number("sleep_hours", h))
                .transpose()?,
        ),
        add_tags: f.tags.clone(),
        ..CheckinPatch::default()
    })
}

/// The activity fields that were given, as a patch (`--feeling` adds one).
pub fn episode_patch(f: &EpisodeFields, clock: &Clock) -> Result<EpisodePatch, ValidationError> {
    let followup = rating("followup", &f.followup)?;
    let followup_at = match followup {
        // When the rating was given: now, unless the person says when.
        Some(_) => Change::Set(
            clock
                .time("followup_at", &f.followup_at)?
                .unwrap_or(clock.now),
        ),
        None => Change::Keep,
    };
    let minutes = f
        .minutes
        .as_deref()
        .map(|m| {
            m.trim()
                .parse::<u32>()
                .map_err(|_| ValidationError::OutOfRange {
                    field: "minutes".into(),
                    min: 0,
                    max: hearth_core::model::EPISODE_MAX_MINUTES.into(),
                    got: m.to_string(),
                })
        })
        .transpose()?;
    let protection = match f.protection.as_deref() {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(other) => {
            return Err(ValidationError::unknown(
                "protection",
                other,
                &["yes", "no"],
            ));
        }
    };
    let flag = |on: bool| if on { Change::Set(true) } else { Change::Keep };
    Ok(EpisodePatch {
        mood_before: Change::given(rating("mood_before", &f.before)?),
        mood_after: Change::given(rating("mood_after", &f.after)?),
        followup: Change::given(followup),
        followup_at,
        minutes: Change::given(minutes),
        touch: Change::given(f.touch.as_deref().map(Touch::parse).transpose()?),
        exercise_type: Change::given(
            f.exercise_type
                .as_deref()
                .map(ExerciseType::parse)
                .transpose()?,
        ),
        pressured: flag(f.pressured),
        new_partner: flag(f.new_partner),
        protection: Change::given(protection),
        motive: Change::given(f.motive.as_deref().map(Motive::parse).transpose()?),
        add_feelings: f
            .feelings
            .iter()
            .map(|t| Feeling::parse(t))
            .collect::<Result<_, _>>()?,
        satisfaction: Change::given(rating("satisfaction", &f.satisfaction)?),
        in_control: Change::given(rating("in_control", &f.in_control)?),
        ..EpisodePatch::default()
    })
}

pub const CLEARABLE_CHECKIN: &[&str] = &[
    "energy",
    "stress",
    "loneliness",
    "desire",
    "sleep-hours",
    "sleep-quality",
    "note",
    "tags",
];
pub const CLEARABLE_EPISODE: &[&str] = &[
    "before",
    "after",
    "followup",
    "minutes",
    "note",
    "touch",
    "type",
    "pressured",
    "protection",
    "new-partner",
    "motive",
    "feelings",
    "satisfaction",
    "in-control",
];

/// Empties one optional field, named as its flag is (`--clear sleep-hours`).
pub fn clear(patch: &mut BodyPatch, field: &str) -> Result<(), ValidationError> {
    let name = field.trim().trim_start_matches("--").replace('_', "-");
    let ok = match patch {
        BodyPatch::Checkin(c) => {
            match name.as_str() {
                "energy" => c.energy = Change::Clear,
                "stress" => c.stress = Change::Clear,
                "loneliness" => c.loneliness = Change::Clear,
                "desire" => c.desire = Change::Clear,
                "sleep-hours" => c.sleep_hours = Change::Clear,
                "sleep-quality" => c.sleep_quality = Change::Clear,
                "note" => c.note = Change::Clear,
                "tags" => {
                    c.tags = Change::Clear;
                    c.add_tags.clear();
                }
                _ => return Err(ValidationError::unknown("clear", field, CLEARABLE_CHECKIN)),
            }
            true
        }
        BodyPatch::Episode(e) => {
            match name.as_str() {
                "before" => e.mood_before = Change::Clear,
                "after" => e.mood_after = Change::Clear,
                "followup" => {
                    e.followup = Change::Clear;
                    e.followup_at = Change::Clear;
                }
                "minutes" => e.minutes = Change::Clear,
                "note" => e.note = Change::Clear,
                "touch" => e.touch = Change::Clear,
                "type" => e.exercise_type = Change::Clear,
                "pressured" => e.pressured = Change::Clear,
                "protection" => e.protection = Change::Clear,
                "new-partner" => e.new_partner = Change::Clear,
                "motive" => e.motive = Change::Clear,
                "feelings" => {
                    e.feelings = Change::Clear;
                    e.add_feelings.clear();
                }
                "satisfaction" => e.satisfaction = Change::Clear,
                "in-control" => e.in_control = Change::Clear,
                _ => return Err(ValidationError::unknown("clear", field, CLEARABLE_EPISODE)),
            }
            true
        }
        BodyPatch::Medication(_) => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ValidationError::unknown("clear", field, &[]))
    }
}

/// The flag a person typed for a stored field, for error messages.
pub fn flag_for(field: &str) -> String {
    match field {
        "mood_before" => "--before".into(),
        "mood_after" => "--after".into(),
        "exercise_type" => "--type".into(),
        "feelings" => "--feeling".into(),
        "tags" => "--tag".into(),
        "medication" | "kind" | "id" | "name" | "type" | "event" => field.into(),
        f => format!("--{}", f.replace('_', "-")),
    }
}
