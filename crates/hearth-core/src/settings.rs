//! A person's settings, and what they decide: which questionnaires are due.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::instrument::{Instrument, Registry};
use crate::{Entry, EntryBody, ValidationError};

/// How many days apart a person may ask for a questionnaire.
pub const CADENCE_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// The questionnaires a new journal suggests; the others wait until the
/// person turns them on, so nobody is asked about sex on their first day.
pub const FIRST_SUGGESTED: &[&str] = &["phq9"];

/// A new journal's first questionnaire is suggested after this many days:
/// a two-week questionnaire on the first evening asks too much too soon.
pub const FIRST_SURVEY_AFTER_DAYS: i64 = 3;

/// Per-person settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// IANA zone used to compute local days and mornings.
    pub tz: String,
    /// Which crisis resources to show (`us`, `gb`, … or `intl`).
    pub region: String,
    /// Days between takes of an instrument, overriding its definition.
    #[serde(default)]
    pub cadence: BTreeMap<String, u32>,
    /// The questionnaires suggested when they are due. `None`, as in a
    /// journal from before this choice existed, means all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surveys: Option<BTreeSet<String>>,
    /// Activity kinds left out of the choices offered when logging.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub hidden_kinds: BTreeSet<String>,
    /// Lists show sexual activities as "Private", for a shared screen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discreet: bool,
    /// The journal holds made-up demo data (`hearth demo`): every page says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    /// When the journal was started, if it was started with this choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// Hours "How do you feel now?" stays open after an episode; `None` is
    /// [`crate::prompt::AFTER_WINDOW_HOURS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours: Option<u32>,
    /// The kinds asked about a few hours later and next morning; `None` is
    /// [`crate::prompt::FOLLOWUP_KINDS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup_kinds: Option<BTreeSet<String>>,
    /// Local times of day to be reminded to check in; none by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remind_at: Vec<jiff::civil::Time>,
    /// Hours in which no reminder is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<crate::remind::QuietHours>,
}

impl Settings {
    /// Settings for a zone, with the region guessed from it.
    pub fn for_zone(tz: &str) -> Settings {
        Settings {
            tz: tz.to_string(),
            region: crate::crisis::region_for_zone(tz).to_string(),
            cadence: BTreeMap::new(),
            surveys: None,
            hidden_kinds: BTreeSet::new(),
            discreet: false,
            demo: false,
            started: None,
            after_hours: None,
            followup_kinds: None,
            remind_at: Vec::new(),
            quiet_hours: None,
        }
    }

    /// A new journal's settings: only the first suggested questionnaire is
    /// on, and it waits a few days.
    pub fn new_journal(tz: &str, now: Timestamp) -> Settings {
        Settings {
            surveys: Some(FIRST_SUGGESTED.iter().map(|s| s.to_string()).collect()),
            started: Some(now),
            ..Settings::for_zone(tz)
        }
    }

    /// Whether a questionnaire is suggested when due.
    pub fn tracks(&self, instrument: &str) -> bool {
        self.surveys
            .as_ref()
            .is_none_or(|on| on.contains(instrument))
    }

    /// Turns a questionnaire's suggestions on or off.
    pub fn set_tracked(
        &mut self,
        registry: &Registry,
        instrument: &str,
        on: bool,
    ) -> Result<(), ValidationError> {
        let id = registry.require(instrument)?.id.clone();
        let all = || {
            registry
                .instruments
                .iter()
                .filter(|i| i.cadence_days.is_some() || self.cadence.contains_key(&i.id))
                .map(|i| i.id.clone())
                .collect::<BTreeSet<_>>()
        };
        let mut set = self.surveys.clone().unwrap_or_else(all);
        if on {
            set.insert(id);
        } else {
            set.remove(&id);
        }
        self.surveys = Some(set);
        Ok(())
    }

    /// Hours an after-rating stays asked for.
    pub fn after_window_hours(&self) -> u32 {
        self.after_hours
            .unwrap_or(crate::prompt::AFTER_WINDOW_HOURS)
    }

    /// The kinds asked about a few hours later and next morning.
    pub fn asks_later(&self) -> BTreeSet<String> {
        self.followup_kinds
            .clone()
            .unwrap_or_else(crate::prompt::default_followup_kinds)
    }

    /// Sets how long an after-rating is asked for (`None`: the default).
    pub fn set_after_hours(&mut self, hours: Option<i64>) -> Result<(), ValidationError> {
        let range = crate::prompt::AFTER_WINDOW_RANGE;
        self.after_hours = match hours {
            None => None,
            Some(h) => Some(
                u32::try_from(h)
                    .ok()
                    .filter(|h| range.contains(h))
                    .ok_or_else(|| {
                        ValidationError::invalid(
                            "after_hours",
                            format!("must be from {} to {} hours", range.start(), range.end()),
                        )
                    })?,
            ),
        };
        Ok(())
    }

    /// Whether a kind is offered when logging.
    pub fn shows_kind(&self, kind: &str) -> bool {
        !self.hidden_kinds.contains(kind)
    }

    /// Shows or hides a kind among the choices offered when logging; it can
    /// still be logged by name, and its entries stay where they are.
    pub fn set_kind_shown(&mut self, kind: &crate::Kind, shown: bool) {
        if shown {
            self.hidden_kinds.remove(kind.as_str());
        } else {
            self.hidden_kinds.insert(kind.as_str().to_string());
        }
    }

    /// Whether lists should say "Private" in place of this kind.
    pub fn keeps_private(&self, kind: &crate::Kind) -> bool {
        self.discreet
            && kind
                .builtin()
                .is_some_and(crate::vocab::BuiltinKind::is_sexual)
    }

    /// Sets the time zone from what a person typed, kept by its IANA name.
    pub fn set_zone(&mut self, text: &str) -> Result<(), ValidationError> {
        let zone = crate::when::parse_zone(text)?;
        self.tz = zone.iana_name().unwrap_or(text.trim()).to_string();
        Ok(())
    }

    /// Sets how many days apart a questionnaire is offered, or its own
    /// default with `None`.
    pub fn set_cadence(
        &mut self,
        registry: &Registry,
        instrument: &str,
        days: Option<i64>,
    ) -> Result<(), ValidationError> {
        let inst = registry.require(instrument)?;
        match days {
            None => {
                self.cadence.remove(&inst.id);
            }
            Some(d) => {
                let d = u32::try_from(d)
                    .ok()
                    .filter(|d| CADENCE_DAYS.contains(d))
                    .ok_or_else(|| {
                        ValidationError::invalid(
                            &format!("{} cadence", inst.title),
                            format!(
                                "must be from {} to {} days",
                                CADENCE_DAYS.start(),
                                CADENCE_DAYS.end()
                            ),
                        )
                    })?;
                self.cadence.insert(inst.id.clone(), d);
            }
        }
        Ok(())
    }

    /// Changes one setting from words, as `hearth settings set KEY VALUE`
    /// takes it: `tz`, `region`, `cadence.ID` (days or `default`),
    /// `track.ID` (`on`/`off`), `kind.NAME` (`shown`/`hidden`), `discreet`
    /// (`on`/`off`), `after_hours` (hours or `default`), `followup.NAME`
    /// (`on`/`off`), `remind_at` (`09:00,20:30` or `none`), `quiet_hours`
    /// (`22:00-07:00` or `none`). `custom` are the person's own kinds.
    pub fn set_text(
        &mut self,
        registry: &Registry,
        custom: &[String],
        key: &str,
        value: &str,
    ) -> Result<(), ValidationError> {
        let switch = |field: &str, yes: &str, no: &str| match value.trim() {
            v if v.eq_ignore_ascii_case(yes) => Ok(true),
            v if v.eq_ignore_ascii_case(no) => Ok(false),
            _ => Err(ValidationError::UnknownValue {
                field: field.into(),
                got: value.into(),
                allowed: vec![yes.into(), no.into()],
            }),
        };
        // A whole number of `unit`, or `default` for `None`.
        let count = |field: &str, unit: &str| match value.trim() {
            "default" => Ok(None),
            v => v.parse::<i64>().map(Some).map_err(|_| {
                ValidationError::invalid(
                    field,
                    format!("'{value}' is not a number of {unit} (or 'default')"),
                )
            }),
        };
        if let Some(id) = key.strip_prefix("cadence.") {
            return self.set_cadence(registry, id, count("cadence", "days")?);
        }
        if let Some(id) = key.strip_prefix("track.") {
            let on = switch(key, "on", "off")?;
            return self.set_tracked(registry, id, on);
        }
        if let Some(name) = key.strip_prefix("followup.") {
            let kind = crate::Kind::resolve(name, custom)?;
            let mut kinds = self.asks_later();
            if switch(key, "on", "off")? {
                kinds.insert(kind.as_str().to_string());
            } else {
                kinds.remove(kind.as_str());
            }
            self.followup_kinds = Some(kinds);
            return Ok(());
        }
        if key == "remind_at" {
            self.remind_at = crate::remind::parse_times(value)?;
            return Ok(());
        }
        if key == "quiet_hours" {
            self.quiet_hours = crate::remind::parse_quiet(value)?;
            return Ok(());
        }
        if key == "after_hours" {
            return self.set_after_hours(count("after_hours", "hours")?);
        }
        if let Some(name) = key.strip_prefix("kind.") {
            let kind = crate::Kind::resolve(name, custom)?;
            let shown = switch(key, "shown", "hidden")?;
            self.set_kind_shown(&kind, shown);
            return Ok(());
        }
        match key {
            "tz" => self.set_zone(value),
            "region" => {
                self.region = crate::crisis::check_region(value)?;
                Ok(())
            }
            "discreet" => {
                self.discreet = switch(key, "on", "off")?;
                Ok(())
            }
            other => Err(ValidationError::unknown(
                "setting",
                other,
                &[
                    "tz",
                    "region",
                    "discreet",
                    "cadence.ID",
                    "track.ID",
                    "kind.NAME",
                    "after_hours",
                    "followup.NAME",
                    "remind_at",
                    "quiet_hours",
                ],
            )),
        }
    }

    /// The days between takes of an instrument for this person, if it has a cadence.
    pub fn cadence_of(&self, inst: &Instrument) -> Option<u32> {
        self.cadence.get(&inst.id).copied().or(inst.cadence_days)
    }
}

/// Whether a questionnaire is due, by its cadence (the person's or its own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub instrument: String,
    pub title: String,
    pub cadence_days: u32,
    pub last_taken: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub due: bool,
    /// Whether the person wants it suggested; one they turned off is never due.
    pub tracked: bool,
}

/// One row per instrument with a cadence, in the registry's order. `surveys`
/// are the person's survey entries, newest first.
pub fn surveys_due(
    settings: &Settings,
    registry: &Registry,
    surveys: &[Entry],
    now: Timestamp,
) -> Vec<Due> {
    let mut rows = Vec::new();
    for inst in &registry.instruments {
        let Some(days) = settings.cadence_of(inst) else {
            continue;
        };
        let last = surveys
            .iter()
            .filter(|e| matches!(&e.body, EntryBody::Survey(s) if s.instrument == inst.id))
            .map(|e| e.at)
            .max();
        let after = |t: Timestamp, days: i64| t + jiff::SignedDuration::from_hours(24 * days);
        let due_at = match (last, settings.started) {
            (Some(t), _) => Some(after(t, i64::from(days))),
            (None, Some(started)) => Some(after(started, FIRST_SURVEY_AFTER_DAYS)),
            (None, None) => None,
        };
        let tracked = settings.tracks(&inst.id);
        rows.push(Due {
            instrument: inst.id.clone(),
            title: inst.title.clone(),
            cadence_days: days,
            last_taken: last,
            due_at,
            due: tracked && due_at.is_none_or(|d| d <= now),
            tracked,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SurveyResponse;

    fn survey(id: &str, at: Timestamp) -> Entry {
        Entry {
            id: crate::EntryId::parse("0000000001").unwrap(),
            at,
            tz: "UTC".into(),
            recorded_at: at,
            updated_at: at,
            body: EntryBody::Survey(SurveyResponse {
                instrument: id.into(),
                version: "1".into(),
                answers: vec![0; 9],
                extras: BTreeMap::new(),
                total: 0,
                band: None,
                crisis: false,
            }),
        }
    }

    #[test]
    fn a_questionnaire_never_taken_is_due_and_one_just_taken_is_not() {
        let now: Timestamp = "2026-03-20T12:00:00Z".parse().unwrap();
        let s = Settings::for_zone("Europe/London");
        let reg = Registry::builtin();
        let rows = surveys_due(&s, &reg, &[], now);
        assert!(rows.iter().all(|r| r.due && r.last_taken.is_none()));
        let taken = now - jiff::SignedDuration::from_hours(24 * 3);
        let rows = surveys_due(&s, &reg, &[survey("phq9", taken)], now);
        let phq9 = rows.iter().find(|r| r.instrument == "phq9").unwrap();
        assert_eq!(phq9.cadence_days, 14);
        assert_eq!(phq9.last_taken, Some(taken));
        assert!(!phq9.due);
    }

    #[test]
    fn the_persons_cadence_wins_over_the_instruments() {
        let now: Timestamp = "2026-03-20T12:00:00Z".parse().unwrap();
        let mut s = Settings::for_zone("UTC");
        s.cadence.insert("phq9".into(), 2);
        let reg = Registry::builtin();
        let taken = now - jiff::SignedDuration::from_hours(24 * 3);
        let rows = surveys_due(&s, &reg, &[survey("phq9", taken)], now);
        let phq9 = rows.iter().find(|r| r.instrument == "phq9").unwrap();
        assert_eq!(phq9.cadence_days, 2);
        assert!(phq9.due);
    }

    #[test]
    fn a_cadence_is_a_known_questionnaire_and_a_sensible_number_of_days() {
        let reg = Registry::builtin();
        let mut s = Settings::for_zone("UTC");
        s.set_cadence(&reg, "phq9", Some(7)).unwrap();
        assert_eq!(s.cadence.get("phq9"), Some(&7));
        assert!(s.set_cadence(&reg, "phq9", Some(0)).is_err());
        assert!(s.set_cadence(&reg, "phq9", Some(366)).is_err());
        assert!(s.set_cadence(&reg, "nonsense", Some(7)).is_err());
        s.set_cadence(&reg, "phq9", None).unwrap();
        assert!(s.cadence.is_empty());
        s.set_zone("europe/london").unwrap();
        assert_eq!(s.tz, "Europe/London");
        assert!(s.set_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn a_new_journal_suggests_only_the_phq9_and_only_after_a_few_days() {
        let started: Timestamp = "2026-03-20T20:00:00Z".parse().unwrap();
        let reg = Registry::builtin();
        let s = Settings::new_journal("Europe/London", started);
        let due_at = |now: Timestamp| {
            surveys_due(&s, &reg, &[], now)
                .into_iter()
                .filter(|r| r.due)
                .map(|r| r.instrument)
                .collect::<Vec<_>>()
        };
        assert!(due_at(started).is_empty(), "nothing on the first evening");
        let later = started + jiff::SignedDuration::from_hours(24 * FIRST_SURVEY_AFTER_DAYS);
        assert_eq!(due_at(later), ["phq9"]);
        let rows = surveys_due(&s, &reg, &[], later);
        let sf = rows
            .iter()
            .find(|r| r.instrument == "sexual-function")
            .unwrap();
        assert!(
            !sf.tracked && !sf.due,
            "the sexual-function check waits to be asked for"
        );
        // A journal from before the choice keeps every questionnaire.
        let old = Settings::for_zone("Europe/London");
        assert!(
            surveys_due(&old, &reg, &[], started)
                .iter()
                .all(|r| r.tracked && r.due)
        );
    }

    #[test]
    fn any_questionnaire_can_be_switched_off_and_any_kind_hidden() {
        let reg = Registry::builtin();
        let mut s = Settings::for_zone("UTC");
        s.set_text(&reg, &[], "track.sexual-function", "off")
            .unwrap();
        assert!(!s.tracks("sexual-function") && s.tracks("phq9") && s.tracks("gad7"));
        s.set_text(&reg, &[], "track.gad7", "OFF").unwrap();
        s.set_text(&reg, &[], "track.sexual-function", "on")
            .unwrap();
        assert!(s.tracks("sexual-function") && !s.tracks("gad7"));
        assert!(s.set_text(&reg, &[], "track.nonsense", "off").is_err());
        assert!(s.set_text(&reg, &[], "track.phq9", "maybe").is_err());
        s.set_text(&reg, &["yoga".into()], "kind.porn", "hidden")
            .unwrap();
        s.set_text(&reg, &["yoga".into()], "kind.yoga", "hidden")
            .unwrap();
        assert!(!s.shows_kind("porn") && !s.shows_kind("yoga") && s.shows_kind("exercise"));
        s.set_text(&reg, &[], "kind.porn", "shown").unwrap();
        assert!(s.shows_kind("porn"));
        assert!(s.set_text(&reg, &[], "kind.knitting", "hidden").is_err());
        let sex = crate::Kind::resolve("sex-solo", &[]).unwrap();
        assert!(!s.keeps_private(&sex));
        s.set_text(&reg, &[], "discreet", "on").unwrap();
        assert!(s.keeps_private(&sex));
        assert!(!s.keeps_private(&crate::Kind::resolve("exercise", &[]).unwrap()));
        assert!(s.set_text(&reg, &[], "colour", "blue").is_err());
    }

    #[test]
    fn how_long_and_about_what_a_person_is_asked_later_is_theirs_to_set() {
        let reg = Registry::builtin();
        let mut s = Settings::for_zone("UTC");
        assert_eq!(s.after_window_hours(), crate::prompt::AFTER_WINDOW_HOURS);
        assert!(s.asks_later().contains("sex-solo") && !s.asks_later().contains("art"));
        s.set_text(&reg, &[], "after_hours", "2").unwrap();
        assert_eq!(s.after_window_hours(), 2);
        for bad in ["0", "49", "two", "-1"] {
            assert!(s.set_text(&reg, &[], "after_hours", bad).is_err(), "{bad}");
        }
        assert_eq!(s.after_window_hours(), 2, "a refused value changes nothing");
        s.set_text(&reg, &[], "after_hours", "default").unwrap();
        assert_eq!(s.after_hours, None);
        s.set_text(&reg, &["yoga".into()], "followup.yoga", "on")
            .unwrap();
        s.set_text(&reg, &[], "followup.sex-partnered", "off")
            .unwrap();
        let kinds = s.asks_later();
        assert!(
            kinds.contains("yoga")
                && kinds.contains("exercise")
                && !kinds.contains("sex-partnered")
        );
        assert!(s.set_text(&reg, &[], "followup.knitting", "on").is_err());
    }
}
