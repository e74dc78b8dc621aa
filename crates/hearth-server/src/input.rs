//! What a request may say, and how it becomes an entry. The JSON API and the
//! HTML forms share these, so a value is checked the same way whichever way
//! it arrives, and every problem is named at once.

use std::collections::BTreeMap;

use hearth_app::Clock;
use hearth_core::Medication;
use hearth_core::instrument::Instrument;
use hearth_core::kind::Kind;
use hearth_core::model::{CheckIn, Episode};
use hearth_core::vocab::{DoseUnit, DrugClass, ExerciseType, Feeling, MedEventKind, Motive, Touch};
use hearth_core::{EntryBody, Rating, SurveyResponse, ValidationError};
use jiff::Timestamp;
use serde::Deserialize;
use utoipa::ToSchema;

pub type Problems = Vec<ValidationError>;

fn rating(field: &str, v: Option<i64>, p: &mut Problems) -> Option<Rating> {
    v.and_then(|v| Rating::new(field, v).map_err(|e| p.push(e)).ok())
}

pub fn parsed<T>(r: Result<T, ValidationError>, p: &mut Problems) -> Option<T> {
    r.map_err(|e| p.push(e)).ok()
}

pub fn time(field: &str, text: &Option<String>, c: &Clock, p: &mut Problems) -> Option<Timestamp> {
    text.as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| parsed(hearth_core::when::parse_time(field, t, c.now, &c.tz), p))
}

fn vocab<T>(
    text: &Option<String>,
    parse: fn(&str) -> Result<T, ValidationError>,
    p: &mut Problems,
) -> Option<T> {
    text.as_deref().and_then(|t| parsed(parse(t), p))
}

/// An entry ready to store, or every problem found.
pub type Built = Result<(Option<Timestamp>, EntryBody), Problems>;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinIn {
    /// 0 (very low) to 10 (very good). Required.
    pub mood: Option<i64>,
    pub energy: Option<i64>,
    pub stress: Option<i64>,
    pub loneliness: Option<i64>,
    pub desire: Option<i64>,
    pub sleep_hours: Option<f64>,
    pub sleep_quality: Option<i64>,
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// "I'm not safe": the response carries crisis resources.
    #[serde(default)]
    pub not_safe: bool,
    /// When: RFC 3339, "2026-03-01 21:30" (local), "21:30", "2h ago"; default now.
    pub at: Option<String>,
}

impl CheckinIn {
    pub fn build(self, c: &Clock) -> Built {
        let mut p = Vec::new();
        let mood = match self.mood {
            Some(m) => rating("mood", Some(m), &mut p),
            None => {
                p.push(ValidationError::Missing {
                    field: "mood".into(),
                });
                None
            }
        };
        let mut ci = CheckIn::new(mood.unwrap_or(Rating::new("mood", 0).expect("0 is a rating")));
        ci.energy = rating("energy", self.energy, &mut p);
        ci.stress = rating("stress", self.stress, &mut p);
        ci.loneliness = rating("loneliness", self.loneliness, &mut p);
        ci.desire = rating("desire", self.desire, &mut p);
        ci.sleep_quality = rating("sleep_quality", self.sleep_quality, &mut p);
        ci.sleep_hours = self.sleep_hours;
        ci.note = self.note.filter(|n| !n.trim().is_empty());
        ci.not_safe = self.not_safe;
        for t in &self.tags {
            if let Some(t) = parsed(hearth_core::model::normalise_tag(t), &mut p)
                && !ci.tags.contains(&t)
            {
                ci.tags.push(t);
            }
        }
        let at = time("at", &self.at, c, &mut p);
        if p.is_empty() {
            Ok((at, EntryBody::Checkin(ci)))
        } else {
            Err(p)
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeIn {
    /// A built-in kind (`exercise`, `intimacy`, `sex-partnered`, …) or one the person added.
    pub kind: String,
    pub minutes: Option<u32>,
    pub mood_before: Option<i64>,
    pub mood_after: Option<i64>,
    /// A later rating (a few hours on, or next morning).
    pub followup: Option<i64>,
    pub followup_at: Option<String>,
    pub note: Option<String>,
    /// Intimacy: cuddle, hug, massage.
    pub touch: Option<String>,
    /// Exercise: cardio, strength.
    pub exercise_type: Option<String>,
    #[serde(default)]
    pub pressured: bool,
    pub protection: Option<bool>,
    #[serde(default)]
    pub new_partner: bool,
    /// connection, pleasure, escape, sleep, other.
    pub motive: Option<String>,
    /// tearful, sad, anxious, irritable, empty.
    #[serde(default)]
    pub feelings: Vec<String>,
    pub satisfaction: Option<i64>,
    /// Porn use: how in control the person felt.
    pub in_control: Option<i64>,
    pub at: Option<String>,
}

impl EpisodeIn {
    pub fn build(self, c: &Clock, custom: &[String]) -> Built {
        let mut p = Vec::new();
        let Some(kind) = parsed(Kind::resolve(&self.kind, custom), &mut p) else {
            return Err(p);
        };
        let mut e = Episode::new(kind);
        e.minutes = self.minutes;
        e.mood_before = rating("mood_before", self.mood_before, &mut p);
        e.mood_after = rating("mood_after", self.mood_after, &mut p);
        e.followup = rating("followup", self.followup, &mut p);
        if e.followup.is_some() {
            e.followup_at = time("followup_at", &self.followup_at, c, &mut p).or(Some(c.now));
        }
        e.note = self.note.filter(|n| !n.trim().is_empty());
        e.touch = vocab(&self.touch, Touch::parse, &mut p);
        e.exercise_type = vocab(&self.exercise_type, ExerciseType::parse, &mut p);
        e.pressured = self.pressured;
        e.protection = self.protection;
        e.new_partner = self.new_partner;
        e.motive = vocab(&self.motive, Motive::parse, &mut p);
        for f in &self.feelings {
            if let Some(f) = parsed(Feeling::parse(f), &mut p)
                && !e.feelings.contains(&f)
            {
                e.feelings.push(f);
            }
        }
        e.satisfaction = rating("satisfaction", self.satisfaction, &mut p);
        e.in_control = rating("in_control", self.in_control, &mut p);
        let at = time("at", &self.at, c, &mut p);
        if p.is_empty() {
            Ok((at, EntryBody::Episode(e)))
        } else {
            Err(p)
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyIn {
    /// One answer per scored item, in order.
    pub answers: Vec<i32>,
    /// PHQ-9's "how difficult" question, 0–3, if answered.
    pub difficulty: Option<i32>,
    pub at: Option<String>,
}

impl SurveyIn {
    pub fn build(self, inst: &Instrument, c: &Clock) -> Built {
        let mut p = Vec::new();
        let score = parsed(inst.score(&self.answers), &mut p);
        let mut extras = BTreeMap::new();
        if let Some(d) = self.difficulty
            && parsed(inst.check_extra("difficulty", d), &mut p).is_some()
        {
            extras.insert("difficulty".to_string(), d);
        }
        let at = time("at", &self.at, c, &mut p);
        let Some(score) = score.filter(|_| p.is_empty()) else {
            return Err(p);
        };
        Ok((
            at,
            EntryBody::Survey(SurveyResponse {
                instrument: inst.id.clone(),
                version: inst.version.clone(),
                answers: self.answers,
                extras,
                total: score.total,
                band: score.band.as_ref().map(|b| b.id.clone()),
                crisis: score.crisis,
            }),
        ))
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicationIn {
    pub name: String,
    /// `start` (the default), `change` or `stop`.
    pub event: Option<String>,
    /// Needed to start one: ssri, snri, tca, maoi, bupropion, mirtazapine, vortioxetine, other.
    pub class: Option<String>,
    pub dose: Option<f64>,
    /// mg (the default), mcg, g, ml, iu.
    pub unit: Option<String>,
    /// A date (`YYYY-MM-DD`) or a time; default now.
    pub at: Option<String>,
}

impl MedicationIn {
    pub fn build(self, c: &Clock, known: &[Medication]) -> Built {
        let mut p = Vec::new();
        let event = match self.event.as_deref().filter(|e| !e.is_empty()) {
            None => MedEventKind::Start,
            Some(e) => parsed(MedEventKind::parse(e), &mut p).unwrap_or(MedEventKind::Start),
        };
        let at = self
            .at
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| {
                parsed(
                    hearth_core::when::parse_date_or_time("at", t, c.now, &c.tz),
                    &mut p,
                )
            });
        let class = self
            .class
            .as_deref()
            .filter(|c| !c.is_empty())
            .and_then(|c| parsed(DrugClass::parse(c), &mut p));
        let unit = self
            .unit
            .as_deref()
            .filter(|u| !u.is_empty())
            .and_then(|u| parsed(DoseUnit::parse(u), &mut p));
        let req = hearth_core::medication::EventRequest {
            name: &self.name,
            event,
            class,
            dose: self.dose,
            unit,
        };
        let made = parsed(hearth_core::medication::event(known, &req), &mut p);
        match made {
            Some(m) if p.is_empty() => Ok((at, EntryBody::Medication(m))),
            _ => Err(p),
        }
    }
}

/// An HTML form's fields, in order, repeated names kept.
#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Option<FormData> {
        serde_urlencoded::from_bytes(body).ok().map(FormData)
    }

    /// The first value, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("on" | "1" | "true" | "yes"))
    }

    pub fn int(&self, name: &str, p: &mut Problems) -> Option<i64> {
        self.get(name).and_then(|v| {
            v.parse::<i64>()
                .map_err(|_| p.push(ValidationError::invalid(name, "must be a whole number")))
                .ok()
        })
    }

    pub fn number(&self, name: &str, p: &mut Problems) -> Option<f64> {
        self.get(name).and_then(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| p.push(ValidationError::invalid(name, "must be a number")))
                .ok()
        })
    }

    pub fn minutes(&self, name: &str, p: &mut Problems) -> Option<u32> {
        self.int(name, p).and_then(|m| {
            u32::try_from(m)
                .map_err(|_| p.push(ValidationError::invalid(name, "cannot be negative")))
                .ok()
        })
    }

    /// A yes/no/unknown choice: "yes", "no", or blank.
    pub fn tristate(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        }
    }

    /// A password or passphrase exactly as typed (spaces count), wiped from
    /// memory when dropped.
    pub fn secret(&self, name: &str) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(
            self.0
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        )
    }
}

/// A check-in from the Today form; numbers that do not parse are problems too.
pub fn checkin_from_form(f: &FormData, p: &mut Problems) -> CheckinIn {
    CheckinIn {
        mood: f.int("mood", p),
        energy: f.int("energy", p),
        stress: f.int("stress", p),
        loneliness: f.int("loneliness", p),
        desire: f.int("desire", p),
        sleep_hours: f.number("sleep_hours", p),
        sleep_quality: f.int("sleep_quality", p),
        note: f.text("note"),
        tags: f
            .get("tags")
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        not_safe: f.flag("not_safe"),
        at: f.text("at"),
    }
}

/// An activity from the Log form.
pub fn episode_from_form(f: &FormData, p: &mut Problems) -> EpisodeIn {
    EpisodeIn {
        kind: f.text("kind").unwrap_or_default(),
        minutes: f.minutes("minutes", p),
        mood_before: f.int("mood_before", p),
        mood_after: f.int("mood_after", p),
        followup: f.int("followup", p),
        followup_at: None,
        note: f.text("note"),
        touch: f.text("touch"),
        exercise_type: f.text("exercise_type"),
        pressured: f.flag("pressured"),
        protection: f.tristate("protection"),
        new_partner: f.flag("new_partner"),
        motive: f.text("motive"),
        feelings: f.all("feelings"),
        satisfaction: f.int("satisfaction", p),
        in_control: f.int("in_control", p),
        at: f.text("at"),
    }
}
