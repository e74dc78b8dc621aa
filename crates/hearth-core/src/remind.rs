//! Reminders a person sets for themselves: daily check-in times (none by
//! default) and quiet hours. A reminder's words never name an activity or a
//! question: anyone glancing at a screen learns only that Hearth is there.

use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// The most check-in times a day one person may set.
pub const MAX_TIMES: usize = 6;
/// What every reminder says, whatever is waiting.
pub const NOTICE_TITLE: &str = "Hearth";
pub const NOTICE_BODY: &str = "A moment to check in";

/// Hours in which no reminder is shown: `from` up to `to`, across midnight
/// when `to` is earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: Time,
    pub to: Time,
}

impl QuietHours {
    pub fn contains(&self, t: Time) -> bool {
        if self.from <= self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }

    pub fn as_text(&self) -> String {
        format!("{}-{}", hhmm(self.from), hhmm(self.to))
    }
}

pub fn hhmm(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

fn time(field: &str, text: &str) -> Result<Time, ValidationError> {
    let t = text.trim();
    let (h, m) = t.split_once(':').unwrap_or((t, "0"));
    match (h.trim().parse::<i8>(), m.trim().parse::<i8>()) {
        (Ok(h), Ok(m)) if (0..24).contains(&h) && (0..60).contains(&m) => {
            Ok(Time::new(h, m, 0, 0).expect("checked"))
        }
        _ => Err(ValidationError::invalid(
            field,
            format!("'{text}' is not a time of day like 09:00 or 20:30"),
        )),
    }
}

/// Reads "09:00, 20:30" (or "none"): the times, sorted, each once.
pub fn parse_times(text: &str) -> Result<Vec<Time>, ValidationError> {
    if text.trim().eq_ignore_ascii_case("none") || text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut times = text
        .split(',')
        .map(|t| time("remind_at", t))
        .collect::<Result<Vec<_>, _>>()?;
    times.sort();
    times.dedup();
    if times.len() > MAX_TIMES {
        return Err(ValidationError::invalid(
            "remind_at",
            format!("choose at most {MAX_TIMES} times a day"),
        ));
    }
    Ok(times)
}

/// Reads "22:00-07:00" (or "none").
pub fn parse_quiet(text: &str) -> Result<Option<QuietHours>, ValidationError> {
    if text.trim().eq_ignore_ascii_case("none") || text.trim().is_empty() {
        return Ok(None);
    }
    let Some((from, to)) = text.split_once('-') else {
        return Err(ValidationError::invalid(
            "quiet_hours",
            format!("'{text}' is not a span of hours like 22:00-07:00"),
        ));
    };
    let (from, to) = (time("quiet_hours", from)?, time("quiet_hours", to)?);
    if from == to {
        return Err(ValidationError::invalid(
            "quiet_hours",
            "the quiet hours must start and end at different times",
        ));
    }
    Ok(Some(QuietHours { from, to }))
}

/// Whether a check-in reminder is due at `now`: one of today's `times` has
/// passed, after `since` when given (the last reminder shown), with no
/// check-in at or after it.
pub fn checkin_due(
    times: &[Time],
    tz: &TimeZone,
    since: Option<Timestamp>,
    now: Timestamp,
    last_checkin: Option<Timestamp>,
) -> bool {
    let today = now.to_zoned(tz.clone()).date();
    times.iter().any(|t| {
        let Ok(at) = today.to_datetime(*t).to_zoned(tz.clone()) else {
            return false;
        };
        let at = at.timestamp();
        at <= now && since.is_none_or(|s| at > s) && last_checkin.is_none_or(|c| c < at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn times_and_quiet_hours_are_read_as_people_write_them() {
        let times = parse_times("20:30, 9:00,09:00").unwrap();
        assert_eq!(
            times,
            vec![Time::constant(9, 0, 0, 0), Time::constant(20, 30, 0, 0)]
        );
        assert!(parse_times("none").unwrap().is_empty());
        for bad in ["25:00", "9am", "12:60", "1,2,3,4,5,6,7"] {
            assert!(parse_times(bad).is_err(), "{bad}");
        }
        let q = parse_quiet("22:00-07:00").unwrap().unwrap();
        assert_eq!(q.as_text(), "22:00-07:00");
        assert!(q.contains(Time::constant(23, 0, 0, 0)) && q.contains(Time::constant(6, 59, 0, 0)));
        assert!(
            !q.contains(Time::constant(7, 0, 0, 0)) && !q.contains(Time::constant(12, 0, 0, 0))
        );
        let day = parse_quiet("13:00-14:00").unwrap().unwrap();
        assert!(
            day.contains(Time::constant(13, 30, 0, 0))
                && !day.contains(Time::constant(14, 30, 0, 0))
        );
        assert!(parse_quiet("22:00").is_err() && parse_quiet("08:00-08:00").is_err());
        assert_eq!(parse_quiet("none").unwrap(), None);
    }

    #[test]
    fn a_checkin_reminder_is_due_once_its_time_passes_until_the_person_checks_in() {
        let tz = crate::when::parse_zone("Europe/London").unwrap();
        let nine = [Time::constant(9, 0, 0, 0)];
        // 09:00 BST is 08:00 UTC.
        assert!(!checkin_due(
            &nine,
            &tz,
            None,
            t("2026-06-01T07:59:00Z"),
            None
        ));
        assert!(checkin_due(
            &nine,
            &tz,
            None,
            t("2026-06-01T08:00:00Z"),
            None
        ));
        let checked = Some(t("2026-06-01T08:30:00Z"));
        assert!(!checkin_due(
            &nine,
            &tz,
            None,
            t("2026-06-01T12:00:00Z"),
            checked
        ));
        let yesterday = Some(t("2026-05-31T20:00:00Z"));
        assert!(checkin_due(
            &nine,
            &tz,
            None,
            t("2026-06-01T12:00:00Z"),
            yesterday
        ));
        // Already reminded since it came due: not again.
        let since = Some(t("2026-06-01T08:10:00Z"));
        assert!(!checkin_due(
            &nine,
            &tz,
            since,
            t("2026-06-01T12:00:00Z"),
            None
        ));
        assert!(!checkin_due(
            &[],
            &tz,
            None,
            t("2026-06-01T12:00:00Z"),
            None
        ));
    }

    #[test]
    fn the_words_of_a_reminder_name_nothing() {
        let words = format!("{NOTICE_TITLE} {NOTICE_BODY}").to_lowercase();
        for private in [
            "sex",
            "partner",
            "intimacy",
            "exercise",
            "mood",
            "porn",
            "medication",
        ] {
            assert!(!words.contains(private), "{private}");
        }
    }
}
