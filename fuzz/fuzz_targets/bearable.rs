//! Bearable CSV files: imported or refused with a line number, never a panic,
//! and every entry produced passes validation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now: jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
    match hearth_formats::bearable::parse(text, &tz, now) {
        Ok(parsed) => {
            for e in &parsed.entries {
                assert!(e.validate(now).is_ok());
            }
        }
        Err(e) => assert!(e.to_string().starts_with("line ")),
    }
});
