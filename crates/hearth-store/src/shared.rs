//! Pieces every SQL backend shares: reading stored values back into core
//! types, and the checks made before anything is written.

use std::collections::BTreeSet;
use std::str::FromStr;

use hearth_core::vocab::EntryType;
use hearth_core::{Entry, EntryBody, EntryId, Kind, Rating, Settings, ValidationError};
use jiff::Timestamp;
use rand::RngExt;

use crate::{Result, StoreError};

pub(crate) fn ts(us: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(us)
        .map_err(|e| StoreError::Corrupt(format!("stored time {us}: {e}")))
}

pub(crate) fn rating(v: Option<i64>, field: &str) -> Result<Option<Rating>> {
    v.map(|v| Rating::new(field, v).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

pub(crate) fn vocab<T: FromStr<Err = ValidationError>>(v: Option<String>) -> Result<Option<T>> {
    v.map(|s| {
        s.parse::<T>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    })
    .transpose()
}

/// A stored comma-separated set of names (settings), empty for none.
pub(crate) fn words(text: &str) -> BTreeSet<String> {
    text.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

pub(crate) fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("stored list: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("lists of strings serialise")
}

pub(crate) const CHECKIN_COLUMNS: &str = "id, at_us, tz, recorded_us, updated_us, mood, energy, stress, loneliness, desire, \
     sleep_hours, sleep_quality, note, tags, not_safe";
pub(crate) const EPISODE_COLUMNS: &str = "id, at_us, tz, recorded_us, updated_us, kind, minutes, mood_before, mood_after, \
     followup, followup_us, note, touch, exercise_type, pressured, protection, new_partner, motive, feelings, \
     satisfaction, in_control";
pub(crate) const MEDICATION_COLUMNS: &str =
    "id, at_us, tz, recorded_us, updated_us, medication, class, event, dose, unit";
pub(crate) const SURVEY_COLUMNS: &str = "id, at_us, tz, recorded_us, updated_us, instrument, version, answers, extras, total, band, crisis";

pub(crate) fn table(t: EntryType) -> (&'static str, &'static str) {
    match t {
        EntryType::Checkin => ("checkins", CHECKIN_COLUMNS),
        EntryType::Episode => ("episodes", EPISODE_COLUMNS),
        EntryType::Medication => ("medication_events", MEDICATION_COLUMNS),
        EntryType::Survey => ("surveys", SURVEY_COLUMNS),
    }
}

pub(crate) fn medication_name(e: &Entry) -> Option<String> {
    match &e.body {
        EntryBody::Medication(m) => Some(m.medication.to_lowercase()),
        _ => None,
    }
}

/// Distinct random ids; 50 bits each, so a clash with a stored id is
/// vanishingly rare (and the primary key would refuse it).
pub(crate) fn fresh_ids(n: usize) -> Vec<EntryId> {
    let mut rng = rand::rng();
    let mut seen = BTreeSet::new();
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let id = EntryId::from_bits(rng.random::<u64>());
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    ids
}

/// Stored instants have microsecond precision; trimming before saving means
/// what `insert` returns is exactly what `get` will read back.
pub(crate) fn to_micros(t: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(t.as_microsecond()).expect("a valid timestamp stays valid")
}

pub(crate) fn normalise(mut e: Entry) -> Entry {
    e.at = to_micros(e.at);
    e.recorded_at = to_micros(e.recorded_at);
    e.updated_at = to_micros(e.updated_at);
    if let EntryBody::Episode(ep) = &mut e.body {
        ep.followup_at = ep.followup_at.map(to_micros);
    }
    e
}

/// Validates an entry on its own and against the person's custom kinds.
/// Whether `body` names a kind of the person's own, so checking it needs
/// their list of kinds (a check-in needs no read of it).
pub(crate) fn names_custom_kind(body: &EntryBody) -> bool {
    matches!(body, EntryBody::Episode(ep) if matches!(ep.kind, Kind::Custom(_)))
}

pub(crate) fn checked(e: &Entry, now: Timestamp, custom: &[String]) -> Result<()> {
    e.validate(now).map_err(StoreError::Invalid)?;
    if let EntryBody::Episode(ep) = &e.body
        && let Kind::Custom(name) = &ep.kind
    {
        Kind::resolve(name, custom)?;
    }
    Ok(())
}

/// Checks a personal crisis contact and gives it a fresh id.
pub(crate) fn check_contact(
    name: &str,
    contact: &str,
    note: Option<&str>,
) -> Result<hearth_core::Contact> {
    hearth_core::Contact::checked(fresh_ids(1).remove(0), name, contact, note)
        .map_err(StoreError::Invalid)
}

/// The settings row that holds the hash of a person's calendar link.
pub(crate) const CALENDAR_KEY: &str = "calendar_token";

/// A person's settings from their stored `(key, value)` rows; a key this
/// build does not know is left alone, and a missing one keeps its default.
pub(crate) fn settings_from(
    rows: impl Iterator<Item = Result<(String, String)>>,
) -> Result<Settings> {
    let mut settings = Settings::for_zone("UTC");
    let mut region = None;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            "tz" => settings.tz = value,
            "region" => region = Some(value),
            "surveys" => settings.surveys = Some(words(&value)),
            "hidden_kinds" => settings.hidden_kinds = words(&value),
            "discreet" => settings.discreet = value == "on",
            "demo" => settings.demo = value == "on",
            "started" => settings.started = value.parse().ok().map(ts).transpose()?,
            "after_hours" => settings.after_hours = value.parse().ok(),
            "followup_kinds" => settings.followup_kinds = Some(words(&value)),
            "remind_at" => {
                settings.remind_at = hearth_core::remind::parse_times(&value)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            "quiet_hours" => {
                settings.quiet_hours = hearth_core::remind::parse_quiet(&value)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            k => {
                if let (Some(id), Ok(days)) = (k.strip_prefix("cadence."), value.parse()) {
                    settings.cadence.insert(id.to_string(), days);
                }
            }
        }
    }
    settings.region =
        region.unwrap_or_else(|| hearth_core::crisis::region_for_zone(&settings.tz).to_string());
    Ok(settings)
}
