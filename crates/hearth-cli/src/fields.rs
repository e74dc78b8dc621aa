//! Turns command-line text into core values. Shared by the creating commands
//! and `edit`, which applies only the fields that were given.

use hearth_app::Clock;
use hearth_core::model::{CheckIn, Episode, normalise_tag};
use hearth_core::vocab::{ExerciseType, Feeling, Motive, Touch};
use hearth_core::{EntryBody, Rating, ValidationError};

use crate::cli::{CheckinFields, EpisodeFields};

fn rating(field: &str, v: &Option<String>) -> Result<Option<Rating>, ValidationError> {
    v.as_deref().map(|t| Rating::parse(field, t)).transpose()
}

fn set<T>(slot: &mut Option<T>, v: Option<T>) {
    if v.is_some() {
        *slot = v;
    }
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

pub fn apply_checkin(c: &mut CheckIn, f: &CheckinFields) -> Result<(), ValidationError> {
    if let Some(m) = rating("mood", &f.mood)? {
        c.mood = m;
    }
    set(&mut c.energy, rating("energy", &f.energy)?);
    set(&mut c.stress, rating("stress", &f.stress)?);
    set(&mut c.loneliness, rating("loneliness", &f.loneliness)?);
    set(&mut c.desire, rating("desire", &f.desire)?);
    set(
        &mut c.sleep_quality,
        rating("sleep_quality", &f.sleep_quality)?,
    );
    if let Some(h) = &f.sleep_hours {
        c.sleep_hours = Some(parse_number("sleep_hours", h)?);
    }
    for t in &f.tags {
        let tag = normalise_tag(t)?;
        if !c.tags.contains(&tag) {
            c.tags.push(tag);
        }
    }
    Ok(())
}

pub fn apply_episode(
    e: &mut Episode,
    f: &EpisodeFields,
    clock: &Clock,
) -> Result<(), ValidationError> {
    set(&mut e.mood_before, rating("mood_before", &f.before)?);
    set(&mut e.mood_after, rating("mood_after", &f.after)?);
    if let Some(r) = rating("followup", &f.followup)? {
        e.followup = Some(r);
        e.followup_at = Some(
            clock
                .time("followup_at", &f.followup_at)?
                .unwrap_or(clock.now),
        );
    }
    if let Some(m) = &f.minutes {
        let v = m
            .trim()
            .parse::<u32>()
            .map_err(|_| ValidationError::OutOfRange {
                field: "minutes".into(),
                min: 0,
                max: hearth_core::model::EPISODE_MAX_MINUTES.into(),
                got: m.clone(),
            })?;
        e.minutes = Some(v);
    }
    set(
        &mut e.touch,
        f.touch.as_deref().map(Touch::parse).transpose()?,
    );
    set(
        &mut e.exercise_type,
        f.exercise_type
            .as_deref()
            .map(ExerciseType::parse)
            .transpose()?,
    );
    e.pressured |= f.pressured;
    e.new_partner |= f.new_partner;
    if let Some(p) = &f.protection {
        e.protection = Some(match p.as_str() {
            "yes" => true,
            "no" => false,
            other => {
                return Err(ValidationError::unknown(
                    "protection",
                    other,
                    &["yes", "no"],
                ));
            }
        });
    }
    set(
        &mut e.motive,
        f.motive.as_deref().map(Motive::parse).transpose()?,
    );
    for text in &f.feelings {
        let feeling = Feeling::parse(text)?;
        if !e.feelings.contains(&feeling) {
            e.feelings.push(feeling);
        }
    }
    set(
        &mut e.satisfaction,
        rating("satisfaction", &f.satisfaction)?,
    );
    set(&mut e.in_control, rating("in_control", &f.in_control)?);
    Ok(())
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
pub fn clear(body: &mut EntryBody, field: &str) -> Result<(), ValidationError> {
    let name = field.trim().trim_start_matches("--").replace('_', "-");
    let ok = match body {
        EntryBody::Checkin(c) => match name.as_str() {
            "energy" => {
                c.energy = None;
                true
            }
            "stress" => {
                c.stress = None;
                true
            }
            "loneliness" => {
                c.loneliness = None;
                true
            }
            "desire" => {
                c.desire = None;
                true
            }
            "sleep-hours" => {
                c.sleep_hours = None;
                true
            }
            "sleep-quality" => {
                c.sleep_quality = None;
                true
            }
            "note" => {
                c.note = None;
                true
            }
            "tags" => {
                c.tags.clear();
                true
            }
            _ => false,
        },
        EntryBody::Episode(e) => match name.as_str() {
            "before" => {
                e.mood_before = None;
                true
            }
            "after" => {
                e.mood_after = None;
                true
            }
            "followup" => {
                e.followup = None;
                e.followup_at = None;
                true
            }
            "minutes" => {
                e.minutes = None;
                true
            }
            "note" => {
                e.note = None;
                true
            }
            "touch" => {
                e.touch = None;
                true
            }
            "type" => {
                e.exercise_type = None;
                true
            }
            "pressured" => {
                e.pressured = false;
                true
            }
            "protection" => {
                e.protection = None;
                true
            }
            "new-partner" => {
                e.new_partner = false;
                true
            }
            "motive" => {
                e.motive = None;
                true
            }
            "feelings" => {
                e.feelings.clear();
                true
            }
            "satisfaction" => {
                e.satisfaction = None;
                true
            }
            "in-control" => {
                e.in_control = None;
                true
            }
            _ => false,
        },
        EntryBody::Medication(_) | EntryBody::Survey(_) => false,
    };
    if ok {
        return Ok(());
    }
    let allowed: &[&str] = match body {
        EntryBody::Checkin(_) => CLEARABLE_CHECKIN,
        EntryBody::Episode(_) => CLEARABLE_EPISODE,
        EntryBody::Medication(_) | EntryBody::Survey(_) => &[],
    };
    Err(ValidationError::unknown("clear", field, allowed))
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
