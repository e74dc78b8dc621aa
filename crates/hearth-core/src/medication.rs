//! A medication's history must read as a story: started, perhaps changed,
//! stopped, perhaps started again.

use jiff::Timestamp;
use serde::Serialize;

use crate::error::ValidationError;
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
                });
                meds.last_mut().expect("just pushed")
            }
        };
        med.events += 1;
        med.class = m.class;
        med.unit = m.unit;
        med.last_event = m.event;
        med.last_event_at = e.at;
        match m.event {
            MedEventKind::Start => {
                med.started_at = e.at;
                med.taking = true;
                med.dose = m.dose;
            }
            MedEventKind::Change => med.dose = m.dose,
            MedEventKind::Stop => {
                med.taking = false;
                med.dose = None;
            }
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
            (MedEventKind::Change | MedEventKind::Stop, false) => {
                return Err(ValidationError::invalid(
                    "at",
                    format!(
                        "{name} is not being taken on {day}: its {event} needs a start before it"
                    ),
                ));
            }
            (MedEventKind::Start, false) => taking = true,
            (MedEventKind::Stop, true) => taking = false,
            (MedEventKind::Change, true) => {}
        }
    }
    Ok(())
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
}
