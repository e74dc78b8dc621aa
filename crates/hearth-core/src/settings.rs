//! A person's settings, and what they decide: which questionnaires are due.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::instrument::{Instrument, Registry};
use crate::{Entry, EntryBody, ValidationError};

/// How many days apart a person may ask for a questionnaire.
pub const CADENCE_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

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
}

impl Settings {
    /// Settings for a zone, with the region guessed from it.
    pub fn for_zone(tz: &str) -> Settings {
        Settings {
            tz: tz.to_string(),
            region: crate::crisis::region_for_zone(tz).to_string(),
            cadence: BTreeMap::new(),
        }
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
        let due_at = last.map(|t| t + jiff::SignedDuration::from_hours(24 * i64::from(days)));
        rows.push(Due {
            instrument: inst.id.clone(),
            title: inst.title.clone(),
            cadence_days: days,
            last_taken: last,
            due_at,
            due: due_at.is_none_or(|d| d <= now),
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
}
