//! A file given to `hearth restore`: read as a backup or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hearth_formats::backup::Backup::from_zip(data);
});
