//! Entries arriving as JSON (API bodies, imports): decoded and validated, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entry) = serde_json::from_slice::<hearth_core::Entry>(data) {
        let now: jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let _ = entry.validate(now);
        let back = serde_json::to_vec(&entry).unwrap();
        let again: hearth_core::Entry = serde_json::from_slice(&back).unwrap();
        assert_eq!(again, entry);
    }
});
