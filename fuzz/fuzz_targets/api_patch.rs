//! A PATCH body for an entry (`PATCH /api/v1/entries/{id}`, `hearth edit`):
//! decoded against each kind of entry and applied, refused in words or
//! applied whole, never a panic.
#![no_main]

use std::sync::LazyLock;

use hearth_core::{Entry, EntryId, patch::EntryPatch};
use libfuzzer_sys::fuzz_target;

static NOW: LazyLock<jiff::Timestamp> = LazyLock::new(|| "2026-03-01T12:00:00Z".parse().unwrap());

/// One entry of each kind the demo makes.
static BASES: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    let spec = hearth_core::demo::Spec {
        days: 30,
        seed: 3,
        now: *NOW,
        tz: jiff::tz::TimeZone::UTC,
        effects: hearth_core::demo::Effects::default(),
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for g in hearth_core::demo::generate(&spec) {
        let t = g.body.entry_type();
        if !seen.contains(&t) {
            seen.push(t);
            out.push(Entry {
                id: EntryId::from_bits(out.len() as u64),
                at: g.at,
                tz: "UTC".into(),
                recorded_at: g.at,
                updated_at: g.at,
                body: g.body,
            });
        }
    }
    out
});

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(data) else {
        return;
    };
    for base in BASES.iter() {
        if let Ok(patch) = EntryPatch::from_json(&base.body, fields.clone()) {
            let mut e = base.clone();
            if patch.apply(&mut e).is_ok() {
                let _ = e.validate(*NOW);
            }
        }
    }
});
