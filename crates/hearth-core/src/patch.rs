//! Changing a stored entry: one patch type per kind of entry, each naming
//! exactly the fields a person may change. The CLI's `edit`, the API's
//! `PATCH /entries/{id}` build these and apply them the same way; the result
//! is then validated whole. Questionnaire answers have no patch: a score
//! stays exactly as it was given.

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use crate::kind::Kind;
use crate::model::{CheckIn, Episode, MedicationEvent};
use crate::vocab::{DoseUnit, DrugClass, ExerciseType, Feeling, MedEventKind, Motive, Touch};
use crate::{Entry, EntryBody, Rating, ValidationError};

/// What happens to one field: it stays, gets a new value, or is cleared.
/// In JSON a missing field stays, `null` clears, and a value sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Change<T> {
    #[default]
    Keep,
    Set(T),
    Clear,
}

impl<T> Change<T> {
    /// A value given, or nothing said.
    pub fn given(v: Option<T>) -> Change<T> {
        v.map_or(Change::Keep, Change::Set)
    }

    fn apply(self, slot: &mut Option<T>) {
        match self {
            Change::Keep => {}
            Change::Set(v) => *slot = Some(v),
            Change::Clear => *slot = None,
        }
    }

    /// For a field every entry of its kind has.
    fn apply_required(self, field: &str, slot: &mut T) -> Result<(), ValidationError> {
        match self {
            Change::Keep => Ok(()),
            Change::Set(v) => {
                *slot = v;
                Ok(())
            }
            Change::Clear => Err(ValidationError::invalid(field, "cannot be cleared")),
        }
    }

    /// For a field with a plain default (`false`, an empty list) instead of "none".
    fn apply_or_default(self, slot: &mut T)
    where
        T: Default,
    {
        match self {
            Change::Keep => {}
            Change::Set(v) => *slot = v,
            Change::Clear => *slot = T::default(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Change::Set(v),
            None => Change::Clear,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinPatch {
    pub mood: Change<Rating>,
    pub energy: Change<Rating>,
    pub stress: Change<Rating>,
    pub loneliness: Change<Rating>,
    pub desire: Change<Rating>,
    pub sleep_hours: Change<f64>,
    pub sleep_quality: Change<Rating>,
    pub note: Change<String>,
    /// Replaces the tags.
    pub tags: Change<Vec<String>>,
    /// Added to the tags there are (the CLI's `--tag`).
    #[serde(skip)]
    pub add_tags: Vec<String>,
    pub not_safe: Change<bool>,
}

impl CheckinPatch {
    pub fn apply(self, c: &mut CheckIn) -> Result<(), ValidationError> {
        self.mood.apply_required("mood", &mut c.mood)?;
        self.energy.apply(&mut c.energy);
        self.stress.apply(&mut c.stress);
        self.loneliness.apply(&mut c.loneliness);
        self.desire.apply(&mut c.desire);
        self.sleep_hours.apply(&mut c.sleep_hours);
        self.sleep_quality.apply(&mut c.sleep_quality);
        self.note.apply(&mut c.note);
        self.tags.apply_or_default(&mut c.tags);
        for t in &self.add_tags {
            let tag = crate::model::normalise_tag(t)?;
            if !c.tags.contains(&tag) {
                c.tags.push(tag);
            }
        }
        self.not_safe.apply_or_default(&mut c.not_safe);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EpisodePatch {
    pub kind: Change<Kind>,
    pub minutes: Change<u32>,
    pub mood_before: Change<Rating>,
    pub mood_after: Change<Rating>,
    /// When it changes, `followup_at` is settled by
    /// [`Episode::settle_followup_time`] after the patch.
    pub followup: Change<Rating>,
    pub followup_at: Change<Timestamp>,
    pub note: Change<String>,
    pub touch: Change<Touch>,
    pub exercise_type: Change<ExerciseType>,
    pub pressured: Change<bool>,
    pub protection: Change<bool>,
    pub new_partner: Change<bool>,
    pub motive: Change<Motive>,
    /// Replaces the after-feelings.
    pub feelings: Change<Vec<Feeling>>,
    /// Added to the after-feelings there are (the CLI's `--feeling`).
    #[serde(skip)]
    pub add_feelings: Vec<Feeling>,
    pub satisfaction: Change<Rating>,
    pub in_control: Change<Rating>,
}

impl EpisodePatch {
    pub fn apply(self, e: &mut Episode) -> Result<(), ValidationError> {
        self.kind.apply_required("kind", &mut e.kind)?;
        self.minutes.apply(&mut e.minutes);
        self.mood_before.apply(&mut e.mood_before);
        self.mood_after.apply(&mut e.mood_after);
        if self.followup == Change::Clear {
            e.followup_at = None;
        }
        self.followup.apply(&mut e.followup);
        self.followup_at.apply(&mut e.followup_at);
        self.note.apply(&mut e.note);
        self.touch.apply(&mut e.touch);
        self.exercise_type.apply(&mut e.exercise_type);
        self.pressured.apply_or_default(&mut e.pressured);
        self.protection.apply(&mut e.protection);
        self.new_partner.apply_or_default(&mut e.new_partner);
        self.motive.apply(&mut e.motive);
        self.feelings.apply_or_default(&mut e.feelings);
        for f in self.add_feelings {
            if !e.feelings.contains(&f) {
                e.feelings.push(f);
            }
        }
        self.satisfaction.apply(&mut e.satisfaction);
        self.in_control.apply(&mut e.in_control);
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MedicationPatch {
    pub medication: Change<String>,
    pub class: Change<DrugClass>,
    pub event: Change<MedEventKind>,
    pub dose: Change<f64>,
    pub unit: Change<DoseUnit>,
}

impl MedicationPatch {
    pub fn apply(self, m: &mut MedicationEvent) -> Result<(), ValidationError> {
        self.medication
            .apply_required("medication", &mut m.medication)?;
        self.class.apply_required("class", &mut m.class)?;
        self.event.apply_required("event", &mut m.event)?;
        if m.event == MedEventKind::Stop && matches!(self.dose, Change::Set(_)) {
            return Err(ValidationError::invalid("dose", "a stop has no dose"));
        }
        self.dose.apply(&mut m.dose);
        self.unit.apply_required("unit", &mut m.unit)?;
        Ok(())
    }
}

/// The change to an entry's own fields, by the kind of entry it is.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyPatch {
    Checkin(CheckinPatch),
    Episode(EpisodePatch),
    Medication(MedicationPatch),
}

/// A change to one entry: when it happened, its zone, and its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryPatch {
    pub at: Change<Timestamp>,
    pub tz: Change<String>,
    pub body: BodyPatch,
}

impl EntryPatch {
    /// Reads a JSON patch for an entry of `body`'s kind; `at` and `tz` may
    /// come with any kind. Every field is checked against that kind.
    pub fn from_json(
        body: &EntryBody,
        mut fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<EntryPatch, ValidationError> {
        let bad = |e: serde_json::Error| ValidationError::invalid("body", e.to_string());
        let mut take = |k: &str| fields.remove(k);
        let at = match take("at") {
            Some(v) => serde_json::from_value(v).map_err(bad)?,
            None => Change::Keep,
        };
        let tz = match take("tz") {
            Some(v) => serde_json::from_value(v).map_err(bad)?,
            None => Change::Keep,
        };
        let rest = serde_json::Value::Object(fields);
        let body = match body {
            EntryBody::Checkin(_) => BodyPatch::Checkin(serde_json::from_value(rest).map_err(bad)?),
            EntryBody::Episode(_) => BodyPatch::Episode(serde_json::from_value(rest).map_err(bad)?),
            EntryBody::Medication(_) => {
                BodyPatch::Medication(serde_json::from_value(rest).map_err(bad)?)
            }
            EntryBody::Survey(_) => return Err(survey_is_fixed()),
        };
        Ok(EntryPatch { at, tz, body })
    }

    /// Applies the patch to `e`; a patch for another kind of entry is refused.
    pub fn apply(self, e: &mut Entry) -> Result<(), ValidationError> {
        self.at.apply_required("at", &mut e.at)?;
        self.tz.apply_required("tz", &mut e.tz)?;
        match (self.body, &mut e.body) {
            (BodyPatch::Checkin(p), EntryBody::Checkin(c)) => p.apply(c),
            (BodyPatch::Episode(p), EntryBody::Episode(ep)) => p.apply(ep),
            (BodyPatch::Medication(p), EntryBody::Medication(m)) => p.apply(m),
            (_, EntryBody::Survey(_)) => Err(survey_is_fixed()),
            (_, other) => Err(ValidationError::invalid(
                "entry",
                format!(
                    "is a {}: those fields do not apply to it",
                    other.entry_type()
                ),
            )),
        }
    }
}

fn survey_is_fixed() -> ValidationError {
    ValidationError::invalid(
        "entry",
        "is a questionnaire: its answers cannot be changed, so every score stays exactly as given",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: i64) -> Rating {
        Rating::new("x", v).unwrap()
    }

    #[test]
    fn a_patch_keeps_sets_and_clears_each_field() {
        let mut c = CheckIn::new(r(4));
        c.energy = Some(r(3));
        c.note = Some("tired".into());
        let p: CheckinPatch =
            serde_json::from_value(serde_json::json!({"mood": 7, "note": null})).unwrap();
        p.apply(&mut c).unwrap();
        assert_eq!((c.mood, c.energy, c.note.clone()), (r(7), Some(r(3)), None));
        let clear_mood: CheckinPatch =
            serde_json::from_value(serde_json::json!({"mood": null})).unwrap();
        assert!(
            clear_mood.apply(&mut c).is_err(),
            "a check-in always has a mood"
        );
    }

    #[test]
    fn fields_of_another_kind_and_questionnaires_are_refused() {
        let mut c = CheckIn::new(r(4));
        let e: Result<CheckinPatch, _> =
            serde_json::from_value(serde_json::json!({"mood_before": 3}));
        assert!(e.is_err(), "an activity's field is not a check-in's");
        let ep = EntryPatch {
            at: Change::Keep,
            tz: Change::Keep,
            body: BodyPatch::Episode(EpisodePatch::default()),
        };
        let mut entry = Entry {
            id: crate::EntryId::parse("0000000001").unwrap(),
            at: Timestamp::UNIX_EPOCH,
            tz: "UTC".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            body: EntryBody::Checkin(c.clone()),
        };
        assert!(ep.apply(&mut entry).is_err());
        CheckinPatch::default().apply(&mut c).unwrap();
        assert_eq!(c, CheckIn::new(r(4)), "an empty patch changes nothing");
    }

    #[test]
    fn clearing_a_later_rating_clears_its_time() {
        let mut e = Episode::new(Kind::Builtin(crate::vocab::BuiltinKind::Exercise));
        e.followup = Some(r(6));
        e.followup_at = Some(Timestamp::UNIX_EPOCH);
        let p = EpisodePatch {
            followup: Change::Clear,
            ..EpisodePatch::default()
        };
        p.apply(&mut e).unwrap();
        assert_eq!((e.followup, e.followup_at), (None, None));
    }
}
