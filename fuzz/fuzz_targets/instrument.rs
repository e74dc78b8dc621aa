//! A clinic's instrument definition: refused with a reason or scored, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, Vec<i32>)| {
    let (text, answers) = data;
    if let Ok(inst) = hearth_core::instrument::Instrument::from_toml(text) {
        if let Ok(score) = inst.score(&answers) {
            assert!(score.total >= inst.min_total() && score.total <= inst.max_total());
        }
    }
});
