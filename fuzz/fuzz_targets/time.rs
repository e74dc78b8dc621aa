//! Times as people type them: any text must parse or be refused, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now: jiff::Timestamp = "2026-03-29T01:30:00Z".parse().unwrap();
    for zone in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"] {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        let _ = hearth_core::when::parse_time("at", text, now, &tz);
        let _ = hearth_core::when::parse_date_or_time("at", text, now, &tz);
    }
    let _ = hearth_core::when::parse_date("since", text);
    let _ = hearth_core::when::parse_zone(text);
});
