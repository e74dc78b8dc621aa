//! What Hearth records. Field names here are the JSON names and the column
//! names; the command line maps its flags onto them.

use std::collections::BTreeMap;
use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
pub use crate::id::{EntryId, ID_ALPHABET, ID_LEN};
use crate::kind::Kind;
use crate::vocab::{
    BuiltinKind, DoseUnit, DrugClass, EntryType, ExerciseType, Feeling, MedEventKind, Motive, Touch,
};

/// A 0–10 rating, the scale of every check-in and episode question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Rating(u8);

impl Rating {
    pub const MAX: u8 = 10;

    pub fn new(field: &str, value: i64) -> Result<Rating, ValidationError> {
        if (0..=i64::from(Self::MAX)).contains(&value) {
            Ok(Rating(value as u8))
        } else {
            Err(ValidationError::OutOfRange {
                field: field.to_string(),
                min: 0,
                max: Self::MAX.into(),
                got: value.to_string(),
            })
        }
    }

    /// Parses text as typed by a person ("7"); refuses "7.5" and words.
    pub fn parse(field: &str, text: &str) -> Result<Rating, ValidationError> {
        match text.trim().parse::<i64>() {
            Ok(v) => Rating::new(field, v),
            Err(_) => Err(ValidationError::OutOfRange {
                field: field.to_string(),
                min: 0,
                max: Self::MAX.into(),
                got: text.to_string(),
            }),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Rating {
    type Error = ValidationError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Rating::new("rating", v)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

pub const NOTE_MAX_CHARS: usize = 10_000;
pub const TAG_MAX_CHARS: usize = 40;
pub const TAGS_MAX: usize = 20;
pub const MEDICATION_NAME_MAX_CHARS: usize = 80;
pub const EPISODE_MAX_MINUTES: u32 = 24 * 60;
pub const SLEEP_MAX_HOURS: f64 = 24.0;
pub const DOSE_MAX: f64 = 100_000.0;
/// How far ahead a time may lie: enough for a clock set a little differently,
/// not enough for a mistyped year.
pub const MAX_FUTURE: SignedDuration = SignedDuration::from_hours(24);

/// A daily check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub mood: Rating,
    pub energy: Option<Rating>,
    pub stress: Option<Rating>,
    pub loneliness: Option<Rating>,
    pub desire: Option<Rating>,
    pub sleep_hours: Option<f64>,
    pub sleep_quality: Option<Rating>,
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The person said "I'm not safe": crisis resources were shown at once.
    #[serde(default)]
    pub not_safe: bool,
}

impl CheckIn {
    pub fn new(mood: Rating) -> CheckIn {
        CheckIn {
            mood,
            energy: None,
            stress: None,
            loneliness: None,
            desire: None,
            sleep_hours: None,
            sleep_quality: None,
            note: None,
            tags: Vec::new(),
            not_safe: false,
        }
    }
}

/// A coping activity with mood around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub kind: Kind,
    pub minutes: Option<u32>,
    pub mood_before: Option<Rating>,
    pub mood_after: Option<Rating>,
    /// A later rating (a few hours on, or next morning) and when it was given,
    /// so an evening answer is never mistaken for a morning one.
    pub followup: Option<Rating>,
    pub followup_at: Option<Timestamp>,
    pub note: Option<String>,
    /// Intimacy only.
    pub touch: Option<Touch>,
    /// Exercise only.
    pub exercise_type: Option<ExerciseType>,
    /// Partnered sex only.
    #[serde(default)]
    pub pressured: bool,
    /// Partnered sex only; `None` when not recorded.
    pub protection: Option<bool>,
    /// Partnered sex only.
    #[serde(default)]
    pub new_partner: bool,
    /// Sex (partnered or solo).
    pub motive: Option<Motive>,
    #[serde(default)]
    pub feelings: Vec<Feeling>,
    pub satisfaction: Option<Rating>,
    /// Porn use only: how in control the person felt.
    pub in_control: Option<Rating>,
}

impl Episode {
    pub fn new(kind: Kind) -> Episode {
        Episode {
            kind,
            minutes: None,
            mood_before: None,
            mood_after: None,
            followup: None,
            followup_at: None,
            note: None,
            touch: None,
            exercise_type: None,
            pressured: false,
            protection: None,
            new_partner: false,
            motive: None,
            feelings: Vec::new(),
            satisfaction: None,
            in_control: None,
        }
    }

    /// After minus before, when both were rated.
    pub fn mood_change(&self) -> Option<i32> {
        Some(i32::from(self.mood_after?.get()) - i32::from(self.mood_before?.get()))
    }

    /// Settles when the later rating was given, after an edit from `before`:
    /// an unchanged rating keeps the time it was first given, a changed one
    /// was given `now` (unless the edit says when), and no rating has no time.
    /// So an evening answer is never taken for a morning one, whichever face
    /// made the edit.
    pub fn settle_followup_time(&mut self, before: &Episode, now: Timestamp) {
        if self.followup == before.followup {
            self.followup_at = before.followup_at;
        } else if self.followup.is_none() {
            self.followup_at = None;
        } else if self.followup_at.is_none() || self.followup_at == before.followup_at {
            self.followup_at = Some(now);
        }
    }
}

/// One event in a medication's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationEvent {
    pub medication: String,
    pub class: DrugClass,
    pub event: MedEventKind,
    /// The dose from this event on; absent for a stop.
    pub dose: Option<f64>,
    pub unit: DoseUnit,
}

/// A completed questionnaire, scored by its definition when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub instrument: String,
    pub version: String,
    /// Scored answers, in item order.
    pub answers: Vec<i32>,
    /// Unscored answers by question id (PHQ-9's `difficulty`).
    #[serde(default)]
    pub extras: BTreeMap<String, i32>,
    pub total: i32,
    pub band: Option<String>,
    /// An answer met a crisis rule (PHQ-9 item 9 above 0).
    pub crisis: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryBody {
    Checkin(CheckIn),
    Episode(Episode),
    Medication(MedicationEvent),
    Survey(SurveyResponse),
}

impl EntryBody {
    pub fn entry_type(&self) -> EntryType {
        match self {
            EntryBody::Checkin(_) => EntryType::Checkin,
            EntryBody::Episode(_) => EntryType::Episode,
            EntryBody::Medication(_) => EntryType::Medication,
            EntryBody::Survey(_) => EntryType::Survey,
        }
    }

    /// Whether this entry fired a crisis trigger.
    pub fn is_crisis(&self) -> bool {
        match self {
            EntryBody::Checkin(c) => c.not_safe,
            EntryBody::Survey(s) => s.crisis,
            _ => false,
        }
    }
}

/// A stored entry: when it happened (UTC, with the person's zone beside it),
/// when it was recorded and last changed, and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub at: Timestamp,
    pub tz: String,
    pub recorded_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(flatten)]
    pub body: EntryBody,
}

/// Collects every problem with an entry so a form can mark each field at once.
#[derive(Default)]
struct Problems(Vec<ValidationError>);

impl Problems {
    fn push(&mut self, e: ValidationError) {
        self.0.push(e);
    }

    fn check(&mut self, r: Result<(), ValidationError>) {
        if let Err(e) = r {
            self.0.push(e);
        }
    }

    fn finish(self) -> Result<(), Vec<ValidationError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

pub fn validate_note(field: &str, note: &Option<String>) -> Result<(), ValidationError> {
    match note {
        Some(n) if n.trim().is_empty() => Err(ValidationError::invalid(
            field,
            "is empty; leave it out instead",
        )),
        Some(n) if n.chars().count() > NOTE_MAX_CHARS => Err(ValidationError::invalid(
            field,
            format!("is longer than {NOTE_MAX_CHARS} characters"),
        )),
        Some(n) if n.contains('\0') => {
            Err(ValidationError::invalid(field, "contains a NUL character"))
        }
        _ => Ok(()),
    }
}

/// Normalises a tag (trimmed, lowercase) or says why it cannot be one.
pub fn normalise_tag(tag: &str) -> Result<String, ValidationError> {
    let t = tag.trim().to_lowercase();
    if t.is_empty()
        || t.chars().count() > TAG_MAX_CHARS
        || t.contains(',')
        || t.chars().any(char::is_control)
    {
        return Err(ValidationError::invalid(
            "tags",
            format!("'{tag}' is not a tag: use 1 to {TAG_MAX_CHARS} characters without commas"),
        ));
    }
    Ok(t)
}

fn check_time(field: &str, at: Timestamp, now: Timestamp) -> Result<(), ValidationError> {
    if at > now + MAX_FUTURE {
        return Err(ValidationError::invalid(
            field,
            format!("{at} is more than a day in the future"),
        ));
    }
    if at.as_second() < EARLIEST_SECOND {
        return Err(ValidationError::invalid(
            field,
            format!("{at} is before 1900"),
        ));
    }
    Ok(())
}

/// 1900-01-01T00:00:00Z.
const EARLIEST_SECOND: i64 = -2_208_988_800;

fn not_for(field: &str, kind: &Kind, applies_to: &str) -> ValidationError {
    ValidationError::NotApplicable {
        field: field.to_string(),
        kind: kind.to_string(),
        applies_to: applies_to.to_string(),
    }
}

impl CheckIn {
    fn problems(&self, p: &mut Problems) {
        if let Some(h) = self.sleep_hours
            && !(h.is_finite() && (0.0..=SLEEP_MAX_HOURS).contains(&h))
        {
            p.push(ValidationError::invalid(
                "sleep_hours",
                format!("must be a number of hours from 0 to 24 (got {h})"),
            ));
        }
        p.check(validate_note("note", &self.note));
        if self.tags.len() > TAGS_MAX {
            p.push(ValidationError::invalid(
                "tags",
                format!("at most {TAGS_MAX} tags per check-in"),
            ));
        }
        for t in &self.tags {
            match normalise_tag(t) {
                Ok(n) if n == *t => {}
                Ok(_) => p.push(ValidationError::invalid(
                    "tags",
                    format!("'{t}' is not normalised"),
                )),
                Err(e) => p.push(e),
            }
        }
    }
}

impl Episode {
    fn problems(&self, p: &mut Problems) {
        let kind = self.kind.builtin();
        if let Some(m) = self.minutes
            && m > EPISODE_MAX_MINUTES
        {
            p.push(ValidationError::OutOfRange {
                field: "minutes".into(),
                min: 0,
                max: EPISODE_MAX_MINUTES.into(),
                got: m.to_string(),
            });
        }
        if self.followup.is_some() != self.followup_at.is_some() {
            p.push(ValidationError::invalid(
                "followup_at",
                "a follow-up rating and the time it was given go together",
            ));
        }
        p.check(validate_note("note", &self.note));
        if self.touch.is_some() && kind != Some(BuiltinKind::Intimacy) {
            p.push(not_for("touch", &self.kind, "intimacy"));
        }
        if self.exercise_type.is_some() && kind != Some(BuiltinKind::Exercise) {
            p.push(not_for("exercise_type", &self.kind, "exercise"));
        }
        if kind != Some(BuiltinKind::SexPartnered) {
            for (field, set) in [
                ("pressured", self.pressured),
                ("protection", self.protection.is_some()),
                ("new_partner", self.new_partner),
            ] {
                if set {
                    p.push(not_for(field, &self.kind, "sex-partnered"));
                }
            }
        }
        if !self.kind.is_sex() {
            for (field, set) in [
                ("motive", self.motive.is_some()),
                ("feelings", !self.feelings.is_empty()),
                ("satisfaction", self.satisfaction.is_some()),
            ] {
                if set {
                    p.push(not_for(field, &self.kind, "sex-partnered and sex-solo"));
                }
            }
        }
        let mut seen = self.feelings.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.feelings.len() {
            p.push(ValidationError::invalid(
                "feelings",
                "a feeling is listed twice",
            ));
        }
        if self.in_control.is_some() && kind != Some(BuiltinKind::Porn) {
            p.push(not_for("in_control", &self.kind, "porn"));
        }
    }
}

impl MedicationEvent {
    fn problems(&self, p: &mut Problems) {
        p.check(validate_medication_name(&self.medication));
        match (self.event, self.dose) {
            (MedEventKind::Stop, Some(_)) => {
                p.push(ValidationError::invalid("dose", "a stop has no dose"))
            }
            (MedEventKind::Taken, Some(_)) => p.push(ValidationError::invalid(
                "dose",
                "a dose taken is the current dose; leave the dose out",
            )),
            (MedEventKind::Start | MedEventKind::Change, None) => {
                p.push(ValidationError::Missing {
                    field: "dose".into(),
                })
            }
            (_, Some(d)) if !(d.is_finite() && d > 0.0 && d <= DOSE_MAX) => {
                p.push(ValidationError::invalid(
                    "dose",
                    format!("must be a positive number up to {DOSE_MAX} (got {d})"),
                ))
            }
            _ => {}
        }
    }
}

pub fn validate_medication_name(name: &str) -> Result<(), ValidationError> {
    let n = name.trim();
    if n.is_empty()
        || n.chars().count() > MEDICATION_NAME_MAX_CHARS
        || n.chars().any(char::is_control)
    {
        return Err(ValidationError::invalid(
            "medication",
            format!("a medication name has 1 to {MEDICATION_NAME_MAX_CHARS} characters"),
        ));
    }
    if n != name {
        return Err(ValidationError::invalid(
            "medication",
            "has spaces around it",
        ));
    }
    Ok(())
}

impl Entry {
    /// Checks everything that can be checked without the rest of the
    /// person's data (medication timelines are checked by `medication`).
    pub fn validate(&self, now: Timestamp) -> Result<(), Vec<ValidationError>> {
        let mut p = Problems::default();
        p.check(check_time("at", self.at, now));
        if crate::when::zone(&self.tz).is_none() {
            p.push(ValidationError::invalid(
                "tz",
                format!("'{}' is not a known IANA time zone", self.tz),
            ));
        }
        match &self.body {
            EntryBody::Checkin(c) => c.problems(&mut p),
            EntryBody::Episode(e) => {
                e.problems(&mut p);
                if let Some(f) = e.followup_at {
                    p.check(check_time("followup_at", f, now));
                    if f < self.at {
                        p.push(ValidationError::invalid(
                            "followup_at",
                            "a follow-up cannot come before the activity",
                        ));
                    }
                }
            }
            EntryBody::Medication(m) => m.problems(&mut p),
            EntryBody::Survey(s) => {
                if s.instrument.trim().is_empty() || s.version.trim().is_empty() {
                    p.push(ValidationError::Missing {
                        field: "instrument".into(),
                    });
                }
                if s.answers.is_empty() {
                    p.push(ValidationError::Missing {
                        field: "answers".into(),
                    });
                } else if s.answers.iter().map(|a| i64::from(*a)).sum::<i64>() != i64::from(s.total)
                {
                    p.push(ValidationError::invalid(
                        "total",
                        "is not the sum of the answers",
                    ));
                }
            }
        }
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-03-10T12:00:00Z".parse().unwrap()
    }

    fn entry(body: EntryBody) -> Entry {
        Entry {
            id: EntryId::from_bits(42),
            at: "2026-03-10T08:00:00Z".parse().unwrap(),
            tz: "Europe/London".into(),
            recorded_at: now(),
            updated_at: now(),
            body,
        }
    }

    fn r(v: i64) -> Rating {
        Rating::new("x", v).unwrap()
    }

    #[test]
    fn ratings_are_0_to_10() {
        assert!(Rating::new("mood", 0).is_ok());
        assert!(Rating::new("mood", 10).is_ok());
        let e = Rating::new("mood", 11).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mood must be a whole number from 0 to 10 (got 11)"
        );
        assert!(Rating::new("mood", -1).is_err());
        assert!(Rating::parse("mood", "7.5").is_err());
        assert!(Rating::parse("mood", "seven").is_err());
        assert_eq!(Rating::parse("mood", " 7 ").unwrap().get(), 7);
        assert!(serde_json::from_str::<Rating>("11").is_err());
    }

    #[test]
    fn a_plain_checkin_is_valid() {
        assert!(
            entry(EntryBody::Checkin(CheckIn::new(r(5))))
                .validate(now())
                .is_ok()
        );
    }

    #[test]
    fn future_and_ancient_times_are_refused() {
        let mut e = entry(EntryBody::Checkin(CheckIn::new(r(5))));
        e.at = "2026-03-11T12:00:01Z".parse().unwrap();
        let errs = e.validate(now()).unwrap_err();
        assert_eq!(errs[0].field(), "at");
        e.at = "2026-03-11T11:59:00Z".parse().unwrap();
        assert!(e.validate(now()).is_ok());
        e.at = "1899-12-31T00:00:00Z".parse().unwrap();
        assert!(e.validate(now()).is_err());
    }

    #[test]
    fn unknown_zone_is_refused() {
        let mut e = entry(EntryBody::Checkin(CheckIn::new(r(5))));
        e.tz = "Mars/Olympus".into();
        assert_eq!(e.validate(now()).unwrap_err()[0].field(), "tz");
    }

    #[test]
    fn checkin_fields_are_checked() {
        let mut c = CheckIn::new(r(5));
        c.sleep_hours = Some(25.0);
        c.note = Some("   ".into());
        c.tags = vec!["Work".into()];
        let fields: Vec<_> = entry(EntryBody::Checkin(c))
            .validate(now())
            .unwrap_err()
            .iter()
            .map(|e| e.field().to_string())
            .collect();
        assert_eq!(fields, ["sleep_hours", "note", "tags"]);
        assert_eq!(normalise_tag(" Work ").unwrap(), "work");
        assert!(normalise_tag("a,b").is_err());
    }

    #[test]
    fn sexual_fields_only_on_sexual_kinds() {
        let mut e = Episode::new(Kind::Builtin(BuiltinKind::Exercise));
        e.motive = Some(Motive::Escape);
        e.pressured = true;
        e.touch = Some(Touch::Hug);
        e.in_control = Some(r(3));
        let errs = entry(EntryBody::Episode(e)).validate(now()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field()).collect();
        assert_eq!(fields, ["touch", "pressured", "motive", "in_control"]);
        assert_eq!(
            errs[0].to_string(),
            "touch only applies to intimacy (this entry is exercise)"
        );
    }

    #[test]
    fn partner_fields_are_refused_for_solo_sex_but_feelings_are_kept() {
        let mut e = Episode::new(Kind::Builtin(BuiltinKind::SexSolo));
        e.feelings = vec![Feeling::Empty];
        e.motive = Some(Motive::Sleep);
        assert!(entry(EntryBody::Episode(e.clone())).validate(now()).is_ok());
        e.new_partner = true;
        let errs = entry(EntryBody::Episode(e)).validate(now()).unwrap_err();
        assert_eq!(errs[0].field(), "new_partner");
    }

    #[test]
    fn followup_needs_its_time_and_cannot_precede_the_episode() {
        let mut e = Episode::new(Kind::Builtin(BuiltinKind::Art));
        e.followup = Some(r(6));
        assert!(
            entry(EntryBody::Episode(e.clone()))
                .validate(now())
                .is_err()
        );
        e.followup_at = Some("2026-03-10T07:00:00Z".parse().unwrap());
        assert!(
            entry(EntryBody::Episode(e.clone()))
                .validate(now())
                .is_err()
        );
        e.followup_at = Some("2026-03-10T09:00:00Z".parse().unwrap());
        assert!(entry(EntryBody::Episode(e)).validate(now()).is_ok());
    }

    #[test]
    fn medication_doses_are_checked() {
        let mut m = MedicationEvent {
            medication: "sertraline".into(),
            class: DrugClass::Ssri,
            event: MedEventKind::Start,
            dose: None,
            unit: DoseUnit::Mg,
        };
        assert!(
            entry(EntryBody::Medication(m.clone()))
                .validate(now())
                .is_err()
        );
        m.dose = Some(-5.0);
        assert!(
            entry(EntryBody::Medication(m.clone()))
                .validate(now())
                .is_err()
        );
        m.dose = Some(50.0);
        assert!(
            entry(EntryBody::Medication(m.clone()))
                .validate(now())
                .is_ok()
        );
        m.event = MedEventKind::Stop;
        assert!(entry(EntryBody::Medication(m)).validate(now()).is_err());
    }

    #[test]
    fn entries_serialise_flat_with_a_type() {
        let e = entry(EntryBody::Episode(Episode::new(Kind::Custom(
            "gardening".into(),
        ))));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "episode");
        assert_eq!(v["kind"], "gardening");
        assert_eq!(v["id"], e.id.as_str());
        let back: Entry = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn a_later_rating_keeps_its_time_until_it_changes() {
        let t = |h: i64| Timestamp::from_second(1_700_000_000 + h * 3600).unwrap();
        let mut before = Episode::new(Kind::Builtin(crate::vocab::BuiltinKind::Exercise));
        before.followup = Some(Rating::new("followup", 6).unwrap());
        before.followup_at = Some(t(1));
        // Same rating, edited later with a default "now": the first time stays.
        let mut same = before.clone();
        same.followup_at = Some(t(9));
        same.settle_followup_time(&before, t(9));
        assert_eq!(same.followup_at, Some(t(1)));
        // A new rating with no time of its own was given now.
        let mut changed = before.clone();
        changed.followup = Some(Rating::new("followup", 8).unwrap());
        changed.settle_followup_time(&before, t(9));
        assert_eq!(changed.followup_at, Some(t(9)));
        // A new rating with its own time keeps it.
        let mut timed = before.clone();
        timed.followup = Some(Rating::new("followup", 8).unwrap());
        timed.followup_at = Some(t(5));
        timed.settle_followup_time(&before, t(9));
        assert_eq!(timed.followup_at, Some(t(5)));
        // No rating, no time.
        let mut cleared = before.clone();
        cleared.followup = None;
        cleared.settle_followup_time(&before, t(9));
        assert_eq!(cleared.followup_at, None);
    }
}
