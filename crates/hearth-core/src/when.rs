//! Reading times the way people type them, relative to an injected "now" and
//! the person's own time zone.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::error::ValidationError;

const TIME_FORMS: &str = "an RFC 3339 time (2026-03-01T21:30:00+01:00), a local time (2026-03-01 21:30), \
a time today (21:30), 'now', '2h ago', '45m ago', '3d ago', 'yesterday 22:00' or 'today 08:15'";

fn bad(field: &str, input: &str) -> ValidationError {
    ValidationError::invalid(
        field,
        format!("could not read '{input}' as a time; use {TIME_FORMS}"),
    )
}

fn parse_clock(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i8 = h.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    Time::new(h, m, 0, 0).ok()
}

fn local(date: Date, time: Time, tz: &TimeZone) -> Option<Timestamp> {
    // A time inside a spring-forward gap moves forward, as a wall clock would.
    tz.to_zoned(DateTime::from_parts(date, time))
        .ok()
        .map(|z| z.timestamp())
}

fn parse_ago(text: &str) -> Option<SignedDuration> {
    let rest = text.strip_suffix("ago")?.trim();
    let split = rest.find(|c: char| !c.is_ascii_digit())?;
    let (num, unit) = rest.split_at(split);
    let n: i64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    };
    // Refuse durations that would overflow rather than wrap around.
    n.checked_mul(secs)
        .filter(|s| *s <= 200 * 366 * 86_400)
        .map(SignedDuration::from_secs)
}

/// Parses a time typed by a person. Range checks (future, too old) belong to
/// entry validation, not here.
pub fn parse_time(
    field: &str,
    input: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Timestamp, ValidationError> {
    let text = input.trim().to_ascii_lowercase();
    let today = now.to_zoned(tz.clone()).date();
    let found = if text == "now" {
        Some(now)
    } else if let Some(d) = parse_ago(&text) {
        now.checked_sub(d).ok()
    } else if let Some(clock) = text.strip_prefix("yesterday") {
        let t = parse_clock(clock.trim());
        t.and_then(|t| local(today.yesterday().ok()?, t, tz))
    } else if let Some(clock) = text.strip_prefix("today") {
        parse_clock(clock.trim()).and_then(|t| local(today, t, tz))
    } else if let Some(t) = parse_clock(&text) {
        local(today, t, tz)
    } else if let Ok(ts) = input.trim().parse::<Timestamp>() {
        // Real offsets run from -12:00 to +14:00; jiff takes up to ±25:59,
        // which would keep a mistyped time silently shifted.
        offset_is_real(input.trim()).then_some(ts)
    } else if let Some((d, t)) = text.split_once([' ', 't']) {
        match (parse_date_only(d), parse_clock(t.trim())) {
            (Some(d), Some(t)) => local(d, t, tz),
            _ => None,
        }
    } else {
        None
    };
    found.ok_or_else(|| bad(field, input))
}

/// Whether an RFC 3339 time's offset is one a place on Earth uses.
fn offset_is_real(text: &str) -> bool {
    let Some(t) = text.find(['T', 't', ' ']) else {
        return true;
    };
    let time = &text[t + 1..];
    let Some(sign) = time.rfind(['+', '-']) else {
        return true; // `Z`
    };
    let hours: Option<i32> = time[sign + 1..].get(..2).and_then(|h| h.parse().ok());
    match (&time[sign..sign + 1], hours) {
        ("+", Some(h)) => h <= 14,
        ("-", Some(h)) => h <= 12,
        _ => true,
    }
}

fn parse_date_only(text: &str) -> Option<Date> {
    // Strictly YYYY-MM-DD: jiff alone would also take other shapes.
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    text.parse::<Date>().ok()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(field: &str, input: &str) -> Result<Date, ValidationError> {
    parse_date_only(input.trim()).ok_or_else(|| {
        ValidationError::invalid(
            field,
            format!("could not read '{input}' as a date; use YYYY-MM-DD, for example 2026-03-01"),
        )
    })
}

/// A DATE, or any TIME form; a bare date means the start of that local day.
pub fn parse_date_or_time(
    field: &str,
    input: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Timestamp, ValidationError> {
    if let Some(d) = parse_date_only(input.trim()) {
        return start_of_day(d, tz).ok_or_else(|| bad(field, input));
    }
    parse_time(field, input, now, tz)
}

/// The first instant of a local day (which is not always midnight).
pub fn start_of_day(date: Date, tz: &TimeZone) -> Option<Timestamp> {
    date.to_zoned(tz.clone())
        .ok()?
        .start_of_day()
        .ok()
        .map(|z: Zoned| z.timestamp())
}

/// The zone a stored, already checked name stands for (an entry's or the
/// journal's own), or `None` when it is not one.
///
/// jiff's database lists the whole zoneinfo tree the first time it is asked
/// (so names can match in any case): most of a short command's run. A name
/// spelled exactly as the system's file is read straight from that file;
/// anything else still goes through the database.
pub fn zone(name: &str) -> Option<TimeZone> {
    use std::sync::Mutex;
    static SEEN: Mutex<Vec<TimeZone>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(tz) = seen.iter().find(|tz| tz.iana_name() == Some(name)) {
        return Some(tz.clone());
    }
    let tz = zone_file(name).or_else(|| TimeZone::get(name).ok())?;
    if tz.iana_name() == Some(name) {
        seen.push(tz.clone());
    }
    Some(tz)
}

/// The zone from the system's own zoneinfo file of that exact name.
fn zone_file(name: &str) -> Option<TimeZone> {
    let plain = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['/', '.'])
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
    if !plain || !cfg!(unix) {
        return None;
    }
    let dir = std::env::var_os("TZDIR").unwrap_or_else(|| "/usr/share/zoneinfo".into());
    let data = std::fs::read(std::path::Path::new(&dir).join(name)).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// Checks and normalises an IANA time-zone name.
pub fn parse_zone(input: &str) -> Result<TimeZone, ValidationError> {
    let name = input.trim();
    match TimeZone::get(name) {
        Ok(tz) if tz.iana_name().is_some() => Ok(tz),
        _ => Err(ValidationError::invalid(
            "tz",
            format!(
                "'{input}' is not a known IANA time zone; use a name such as Europe/London or America/New_York"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    fn now() -> Timestamp {
        // 10:00 in Berlin, winter time.
        "2026-01-15T09:00:00Z".parse().unwrap()
    }

    fn p(s: &str) -> Timestamp {
        parse_time("at", s, now(), &berlin()).unwrap()
    }

    #[test]
    fn reads_every_documented_form() {
        assert_eq!(p("now"), now());
        assert_eq!(
            p("2026-03-01T21:30:00+01:00"),
            "2026-03-01T20:30:00Z".parse().unwrap()
        );
        assert_eq!(
            p("2026-01-14 21:30"),
            "2026-01-14T20:30:00Z".parse().unwrap()
        );
        assert_eq!(
            p("2026-01-14T21:30"),
            "2026-01-14T20:30:00Z".parse().unwrap()
        );
        assert_eq!(p("2h ago"), "2026-01-15T07:00:00Z".parse().unwrap());
        assert_eq!(p("45 min ago"), "2026-01-15T08:15:00Z".parse().unwrap());
        assert_eq!(p("3d ago"), "2026-01-12T09:00:00Z".parse().unwrap());
        assert_eq!(
            p("yesterday 22:00"),
            "2026-01-14T21:00:00Z".parse().unwrap()
        );
        assert_eq!(p("Today 08:15"), "2026-01-15T07:15:00Z".parse().unwrap());
        assert_eq!(p("7:05"), "2026-01-15T06:05:00Z".parse().unwrap());
    }

    #[test]
    fn local_days_follow_the_zone_not_utc() {
        // 23:30 UTC on the 14th is already the 15th in Berlin.
        let late = "2026-01-14T23:30:00Z".parse().unwrap();
        let t = parse_time("at", "yesterday 12:00", late, &berlin()).unwrap();
        assert_eq!(t, "2026-01-14T11:00:00Z".parse().unwrap());
    }

    #[test]
    fn summer_time_is_respected() {
        assert_eq!(
            p("2026-07-01 12:00"),
            "2026-07-01T10:00:00Z".parse().unwrap()
        );
        // 02:30 does not exist on 2026-03-29 in Berlin; it is read as 03:30 CEST.
        assert_eq!(
            p("2026-03-29 02:30"),
            "2026-03-29T01:30:00Z".parse().unwrap()
        );
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_what_works() {
        for bad in [
            "",
            "tomorrowish",
            "25:00",
            "2026-13-01 10:00",
            "yesterday",
            "5 weeks ago",
            "2026/01/01 10:00",
            "1e9h ago",
        ] {
            let e = parse_time("at", bad, now(), &berlin()).unwrap_err();
            assert_eq!(e.field(), "at");
            assert!(e.to_string().contains("2h ago"), "{e}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("since", "2026-02-03").unwrap(),
            jiff::civil::date(2026, 2, 3)
        );
        assert!(parse_date("since", "2026-2-3").is_err());
        assert!(parse_date("since", "03/02/2026").is_err());
        let t = parse_date_or_time("at", "2026-02-03", now(), &berlin()).unwrap();
        assert_eq!(t, "2026-02-02T23:00:00Z".parse().unwrap());
    }

    #[test]
    fn zones() {
        assert!(parse_zone("Europe/London").is_ok());
        assert!(parse_zone("Nowhere/Special").is_err());
        // A stored name opens the same zone, quickly or not, and nothing
        // outside the zone database is read.
        let t: Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        for name in ["Europe/London", "America/New_York", "UTC"] {
            let z = zone(name).expect(name);
            assert_eq!(z.iana_name(), Some(name));
            assert_eq!(z.to_offset(t), TimeZone::get(name).unwrap().to_offset(t));
            assert!(zone(name).is_some(), "{name} again, from what was seen");
        }
        for bad in [
            "../../etc/passwd",
            "/etc/localtime",
            "Nowhere/Special",
            "",
            "zone.tab",
        ] {
            assert!(zone(bad).is_none(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_time("at", &s, now(), &berlin());
            let _ = parse_date_or_time("at", &s, now(), &berlin());
        }

        #[test]
        fn round_trips_local_minutes(days in 0i64..3000, minute in 0i64..1440) {
            let base: Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
            let t = base + SignedDuration::from_secs(days * 86_400 + minute * 60);
            let text = t.to_zoned(berlin()).strftime("%Y-%m-%d %H:%M").to_string();
            let back = parse_time("at", &text, now(), &berlin()).unwrap();
            // The repeated hour when clocks fall back may resolve to its first instance.
            prop_assert!((back.as_second() - t.as_second()).abs() <= 3600);
        }
    }

    #[test]
    fn an_offset_no_place_uses_is_refused() {
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let tz = TimeZone::UTC;
        assert!(parse_time("at", "2026-03-01T21:30:00+25:00", now, &tz).is_err());
        assert!(parse_time("at", "2026-03-01T21:30:00-13:00", now, &tz).is_err());
        let east = parse_time("at", "2026-03-01T21:30:00+14:00", now, &tz).unwrap();
        assert_eq!(east, "2026-03-01T07:30:00Z".parse::<Timestamp>().unwrap());
        assert!(parse_time("at", "2026-03-01T21:30:00-12:00", now, &tz).is_ok());
        assert!(parse_time("at", "2026-03-01T21:30:00Z", now, &tz).is_ok());
    }
}
