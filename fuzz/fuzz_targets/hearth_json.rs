//! A Hearth JSON export arriving for import: read whole or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(export) = hearth_formats::hearth_json::Export::parse(text)
    {
        // What was read writes out and reads back the same.
        let again = export.to_json();
        let back = hearth_formats::hearth_json::Export::parse(&again).expect("its own output reads");
        assert_eq!(back.entries, export.entries);
    }
});
