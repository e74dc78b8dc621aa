//! Human output: short tables in local time. JSON output is the entries
//! themselves, serialised by hearth-core.

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{ContentArrangement, Table};
use hearth_core::Medication;
use hearth_core::instrument::Registry;
use hearth_core::{Entry, EntryBody};
use hearth_formats::text::dose;
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub fn local(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%a %Y-%m-%d %H:%M")
        .to_string()
}

/// A table drawn for the output's width; an empty header draws none.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !header.is_empty() {
        t.set_header(header.to_vec());
    }
    if let Some(w) = crate::term::width() {
        t.set_width(w);
    }
    t
}

pub fn entries(list: &[Entry], tz: &TimeZone, registry: &Registry) -> String {
    if list.is_empty() {
        return "Nothing here yet. Try `hearth checkin 6`.".into();
    }
    let mut t = table(&["id", "when", "what", "mood", "details"]);
    for e in list {
        let (what, mood, details) = hearth_formats::text::summary(e, registry);
        t.add_row(vec![e.id.to_string(), local(e.at, tz), what, mood, details]);
    }
    t.to_string()
}

/// The fields an entry's kind has, in reading order, with human labels.
pub fn entry(e: &Entry, tz: &TimeZone, registry: &Registry) -> String {
    let zone = hearth_core::when::zone(&e.tz).unwrap_or_else(|| tz.clone());
    let mut t = table(&[]);
    t.add_row(vec!["Id".to_string(), e.id.to_string()]);
    for (label, value) in hearth_formats::text::fields(e, registry, &|at| local(at, &zone)) {
        t.add_row(vec![label, value]);
    }
    t.to_string()
}

pub fn medications(meds: &[Medication], tz: &TimeZone) -> String {
    if meds.is_empty() {
        return "No medications recorded. Add one with `hearth med add NAME --class ssri --dose 50`.".into();
    }
    let mut t = table(&["medication", "class", "dose", "dose since", "status"]);
    for m in meds {
        let status = if m.taking {
            match m.last_taken {
                Some(t) => format!("taking; last taken {}", local(t, tz)),
                None => "taking".to_string(),
            }
        } else {
            format!("stopped {}", local(m.last_event_at, tz))
        };
        t.add_row(vec![
            m.name.clone(),
            hearth_core::labels::drug_class(m.class).to_string(),
            dose(m.dose, m.unit),
            local(m.dose_since, tz),
            status,
        ]);
    }
    t.to_string()
}

/// One questionnaire's history: when, total and band.
pub fn surveys(
    inst: &hearth_core::instrument::Instrument,
    list: &[Entry],
    tz: &TimeZone,
) -> String {
    let mut t = table(&["id", "when", "total", "band", ""]);
    for e in list {
        if let EntryBody::Survey(s) = &e.body {
            let band = inst
                .bands
                .iter()
                .find(|b| Some(&b.id) == s.band.as_ref())
                .map(|b| b.label.clone())
                .unwrap_or_default();
            let flag = if s.crisis {
                "crisis resources shown"
            } else {
                ""
            };
            t.add_row(vec![
                e.id.to_string(),
                local(e.at, tz),
                format!("{} / {}", s.total, inst.max_total()),
                band,
                flag.into(),
            ]);
        }
    }
    format!("{}\n{t}", inst.title)
}
