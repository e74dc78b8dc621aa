//! A medication's history must read as a story: started, perhaps changed,
//! stopped, perhaps started again.

use jiff::Timestamp;

use crate::error::ValidationError;
use crate::vocab::MedEventKind;

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
