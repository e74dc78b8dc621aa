//! A medication's history must read as a story: started, perhaps changed,
//! stopped, perhaps started again.

use jiff::Timestamp;
use serde::Serialize;

use crate::error::ValidationError;
use crate::model::MedicationEvent;
use crate::vocab::{DoseUnit, DrugClass, MedEventKind};
use crate::{Entry, EntryBody};

/// A medication as its events describe it now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Medication {
    pub name: String,
    pub class: DrugClass,
    pub unit: DoseUnit,
    /// The current dose, or `None` once stopped.
    pub dose: Option<f64>,
    pub taking: bool,
    pub started_at: Timestamp,
    pub last_event: MedEventKind,
    pub last_event_at: Timestamp,
    pub events: usize,
    /// When the current dose began (the start, or the latest dose change).
    pub dose_since: Timestamp,
    /// Every start, change and stop, oldest first: the dose history a
    /// prescriber reads.
    pub history: Vec<Step>,
    /// When a dose was last marked as taken, if ever.
    pub last_taken: Option<Timestamp>,
}

impl Medication {
    /// When a dose was marked as taken on the local day `day`, if it was.
    pub fn taken_on(&self, day: jiff::civil::Date, tz: &jiff::tz::TimeZone) -> Option<Timestamp> {
        self.last_taken
            .filter(|t| t.to_zoned(tz.clone()).date() == day)
    }
}

/// One event in a medication's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub at: Timestamp,
    pub event: MedEventKind,
    /// The dose from this event on; absent for a stop.
    pub dose: Option<f64>,
}

/// Folds medication events (any order) into one summary per medication.
pub fn summarise(events: &[Entry]) -> Vec<Medication> {
    let mut sorted: Vec<&Entry> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let mut meds: Vec<Medication> = Vec::new();
    for e in sorted {
        let EntryBody::Medication(m) = &e.body else {
            continue;
        };
        let existing = meds
            .iter_mut()
            .find(|x| x.name.eq_ignore_ascii_case(&m.medication));
        let med = match existing {
            Some(x) => x,
            None => {
                meds.push(Medication {
                    name: m.medication.clone(),
                    class: m.class,
                    unit: m.unit,
                    dose: None,
                    taking: false,
                    started_at: e.at,
                    last_event: m.event,
                    last_event_at: e.at,
                    events: 0,
                    dose_since: e.at,
                    history: Vec::new(),
                    last_taken: None,
                });
                meds.last_mut().expect("just pushed")
            }
        };
        // A dose taken is not a step in the dose history.
        if m.event == MedEventKind::Taken {
            med.last_taken = Some(e.at);
            continue;
        }
        med.events += 1;
        med.class = m.class;
        med.unit = m.unit;
        med.last_event = m.event;
        med.last_event_at = e.at;
        med.history.push(Step {
            at: e.at,
            event: m.event,
            dose: m.dose,
        });
        match m.event {
            MedEventKind::Start => {
                med.started_at = e.at;
                med.dose_since = e.at;
                med.taking = true;
                med.dose = m.dose;
            }
            MedEventKind::Change => {
                med.dose = m.dose;
                med.dose_since = e.at;
            }
            MedEventKind::Stop => {
                med.taking = false;
                med.dose = None;
            }
            MedEventKind::Taken => {}
        }
    }
    meds.sort_by(|a, b| {
        b.taking
            .cmp(&a.taking)
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    meds
}

/// Checks a medication's events in time order (ties keep the given order).
pub fn check_timeline(
    name: &str,
    events: &[(Timestamp, MedEventKind)],
) -> Result<(), ValidationError> {
    let mut sorted: Vec<_> = events.to_vec();
    sorted.sort_by_key(|(at, _)| *at);
    let mut taking = false;
    for (at, event) in sorted {
        let day = at.strftime("%Y-%m-%d");
        match (event, taking) {
            (MedEventKind::Start, true) => {
                return Err(ValidationError::invalid(
                    "at",
                    format!(
                        "{name} is already being taken on {day}; record a dose change or a stop instead"
                    ),
                ));
            }
            (MedEventKind::Change | MedEventKind::Stop | MedEventKind::Taken, false) => {
                return Err(ValidationError::invalid(
                    "at",
                    format!(
                        "{name} is not being taken on {day}: its {event} needs a start before it"
                    ),
                ));
            }
            (MedEventKind::Start, false) => taking = true,
            (MedEventKind::Stop, true) => taking = false,
            (MedEventKind::Change | MedEventKind::Taken, true) => {}
        }
    }
    Ok(())
}

/// What a person asked for: a start, dose change or stop of a named medication.
pub struct EventRequest<'a> {
    pub name: &'a str,
    pub event: MedEventKind,
    /// Needed to start one.
    pub class: Option<DrugClass>,
    pub dose: Option<f64>,
    /// For a start; milligrams when not given.
    pub unit: Option<DoseUnit>,
}

/// The event a request describes, against the medications already recorded:
/// a change or a stop takes the class and unit of the medication it names,
/// and a restart keeps the name as first written, so the history reads as one.
pub fn event(
    known: &[Medication],
    req: &EventRequest<'_>,
) -> Result<MedicationEvent, ValidationError> {
    let name = req.name.trim();
    let existing = known.iter().find(|m| m.name.eq_ignore_ascii_case(name));
    let (medication, class, unit) = match (req.event, existing) {
        (MedEventKind::Start, existing) => {
            crate::model::validate_medication_name(name)?;
            let class = req.class.ok_or_else(|| ValidationError::Missing {
                field: "class".into(),
            })?;
            (
                existing.map_or_else(|| name.to_string(), |m| m.name.clone()),
                class,
                req.unit.unwrap_or(DoseUnit::Mg),
            )
        }
        (_, Some(m)) => (m.name.clone(), m.class, m.unit),
        (_, None) => {
            let names: Vec<&str> = known.iter().map(|m| m.name.as_str()).collect();
            return Err(ValidationError::invalid(
                "name",
                if names.is_empty() {
                    format!("no medication called '{name}' is recorded")
                } else {
                    format!(
                        "no medication called '{name}' is recorded (recorded: {})",
                        names.join(", ")
                    )
                },
            ));
        }
    };
    Ok(MedicationEvent {
        medication,
        class,
        event: req.event,
        dose: if matches!(req.event, MedEventKind::Stop | MedEventKind::Taken) {
            None
        } else {
            req.dose
        },
        unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use MedEventKind::*;

    fn t(day: u32) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + i64::from(day) * 86_400).unwrap()
    }

    #[test]
    fn accepts_a_plausible_history_in_any_input_order() {
        let events = [(t(5), Change), (t(1), Start), (t(9), Stop), (t(20), Start)];
        assert!(check_timeline("sertraline", &events).is_ok());
    }

    #[test]
    fn refuses_a_change_before_the_start_or_after_a_stop() {
        assert!(check_timeline("x", &[(t(1), Change), (t(2), Start)]).is_err());
        assert!(check_timeline("x", &[(t(1), Start), (t(2), Stop), (t(3), Change)]).is_err());
        assert!(check_timeline("x", &[(t(1), Start), (t(2), Start)]).is_err());
        assert!(check_timeline("x", &[(t(1), Stop)]).is_err());
    }

    #[test]
    fn a_change_takes_its_medications_class_and_a_restart_keeps_its_name() {
        let known = vec![Medication {
            name: "Sertraline".into(),
            class: DrugClass::Ssri,
            unit: DoseUnit::Mg,
            dose: None,
            taking: false,
            started_at: t(1),
            last_event: Stop,
            last_event_at: t(9),
            events: 2,
            dose_since: t(1),
            history: Vec::new(),
            last_taken: None,
        }];
        let req = |name, event, class| EventRequest {
            name,
            event,
            class,
            dose: Some(50.0),
            unit: None,
        };
        let change = event(&known, &req("sertraline", Change, None)).unwrap();
        assert_eq!(
            (change.medication.as_str(), change.class),
            ("Sertraline", DrugClass::Ssri)
        );
        let restart = event(&known, &req(" SERTRALINE ", Start, Some(DrugClass::Ssri))).unwrap();
        assert_eq!(restart.medication, "Sertraline");
        let stop = event(&known, &req("sertraline", Stop, None)).unwrap();
        assert_eq!(stop.dose, None, "a stop has no dose");
        let e = event(&known, &req("fluoxetine", Change, None)).unwrap_err();
        assert!(
            e.to_string().contains("no medication called 'fluoxetine'"),
            "{e}"
        );
        assert!(
            event(&known, &req("fluoxetine", Start, None)).is_err(),
            "a start needs a class"
        );
    }

    fn med(at: Timestamp, event: MedEventKind, dose: Option<f64>) -> Entry {
        Entry {
            id: crate::EntryId::from_bits(at.as_second() as u64),
            at,
            tz: "UTC".into(),
            recorded_at: at,
            updated_at: at,
            body: EntryBody::Medication(MedicationEvent {
                medication: "Sertraline".into(),
                class: DrugClass::Ssri,
                event,
                dose,
                unit: DoseUnit::Mg,
            }),
        }
    }

    #[test]
    fn the_current_dose_dates_from_its_own_change_and_the_history_is_kept() {
        let events = [
            med(t(30), Change, Some(100.0)),
            med(t(1), Start, Some(50.0)),
        ];
        let m = &summarise(&events)[0];
        assert_eq!(m.dose, Some(100.0));
        assert_eq!(m.started_at, t(1));
        assert_eq!(
            m.dose_since,
            t(30),
            "100 mg began with the change, not the start"
        );
        let steps: Vec<_> = m.history.iter().map(|s| (s.at, s.event, s.dose)).collect();
        assert_eq!(
            steps,
            vec![(t(1), Start, Some(50.0)), (t(30), Change, Some(100.0))]
        );
    }

    #[test]
    fn a_dose_is_taken_only_while_taking_it_and_is_no_step_in_the_history() {
        use MedEventKind::*;
        assert!(check_timeline("x", &[(t(1), Start), (t(2), Taken), (t(3), Taken)]).is_ok());
        assert!(check_timeline("x", &[(t(1), Taken)]).is_err());
        assert!(check_timeline("x", &[(t(1), Start), (t(2), Stop), (t(3), Taken)]).is_err());
    }
}
