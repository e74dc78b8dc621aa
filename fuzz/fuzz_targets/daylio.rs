//! Daylio CSV files: imported or refused with a line number, never a panic,
//! and every entry produced passes validation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now: jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let moods = hearth_formats::daylio::mood_map(Some("tired=4")).unwrap();
    if let Ok(parsed) = hearth_formats::daylio::parse(text, &tz, &moods, now) {
        for e in &parsed.entries {
            assert!(e.validate(now).is_ok());
        }
    }
});
