//! Short plain-text descriptions of entries, shared by the CLI's tables and
//! the web app's lists.

use hearth_core::instrument::Registry;
use hearth_core::labels;
use hearth_core::vocab::BuiltinKind;
use hearth_core::{Entry, EntryBody};
use jiff::Timestamp;

/// A signed effect with one decimal, or a dash when there is none.
pub fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:+.1}")).unwrap_or_else(|| "–".into())
}

/// A 95% interval as "lo to hi", or a dash.
pub fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{l:+.1} to {h:+.1}"),
        _ => "–".into(),
    }
}

/// A share as a whole percentage, or a dash.
pub fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0}%", x * 100.0))
        .unwrap_or_else(|| "–".into())
}

pub fn dose(d: Option<f64>, unit: hearth_core::vocab::DoseUnit) -> String {
    d.map(|d| labels::dose(d, unit)).unwrap_or_default()
}

pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// What a prompt asks about, for a list: "Exercise, Tue 18:00". A sexual
/// activity reads "Something private" when `private` (discreet mode).
pub fn prompt_about(e: &Entry, private: bool, local: &dyn Fn(Timestamp) -> String) -> String {
    let what = match &e.body {
        EntryBody::Episode(_) if private => "Something private".to_string(),
        EntryBody::Episode(ep) => labels::kind(&ep.kind),
        _ => "An entry".to_string(),
    };
    format!("{what}, {}", local(e.at))
}

/// What the entry is, its headline mood, and a few details, in words.
pub fn summary(e: &Entry, registry: &Registry) -> (String, String, String) {
    match &e.body {
        EntryBody::Checkin(c) => {
            let mut bits = Vec::new();
            for (name, v) in [
                ("energy", c.energy),
                ("stress", c.stress),
                ("lonely", c.loneliness),
                ("desire", c.desire),
                ("sleep quality", c.sleep_quality),
            ] {
                if let Some(v) = v {
                    bits.push(format!("{name} {v}"));
                }
            }
            if let Some(h) = c.sleep_hours {
                bits.push(format!("slept {} h", labels::number(h)));
            }
            if !c.tags.is_empty() {
                bits.push(format!("#{}", c.tags.join(" #")));
            }
            if let Some(n) = &c.note {
                bits.push(format!("“{}”", shorten(n, 30)));
            }
            if c.not_safe {
                bits.insert(0, "marked not safe".into());
            }
            ("Check-in".into(), c.mood.to_string(), bits.join(", "))
        }
        EntryBody::Episode(ep) => {
            let mood = match (ep.mood_before, ep.mood_after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (Some(b), None) => format!("{b} → ?"),
                (None, Some(a)) => format!("? → {a}"),
                (None, None) => String::new(),
            };
            let mut bits = Vec::new();
            if let Some(m) = ep.minutes {
                bits.push(format!("{m} min"));
            }
            if let Some(t) = ep.touch {
                bits.push(labels::touch(t).to_lowercase());
            }
            if let Some(t) = ep.exercise_type {
                bits.push(labels::exercise_type(t).to_lowercase());
            }
            if let Some(f) = ep.followup {
                bits.push(format!("later {f}"));
            }
            if !ep.feelings.is_empty() {
                let f: Vec<String> = ep
                    .feelings
                    .iter()
                    .map(|f| labels::feeling(*f).to_lowercase())
                    .collect();
                bits.push(f.join("/"));
            }
            if let Some(n) = &ep.note {
                bits.push(format!("“{}”", shorten(n, 30)));
            }
            (labels::kind(&ep.kind), mood, bits.join(", "))
        }
        EntryBody::Survey(sv) => {
            let def = registry.get(&sv.instrument);
            let band = sv
                .band
                .as_deref()
                .map(|b| {
                    let label = def
                        .and_then(|d| d.bands.iter().find(|x| x.id == b))
                        .map_or_else(|| b.replace('_', " "), |x| x.label.clone());
                    format!(" · {label}")
                })
                .unwrap_or_default();
            let crisis = if sv.crisis {
                " · crisis resources shown"
            } else {
                ""
            };
            let max = def
                .map(|d| format!(" / {}", d.max_total()))
                .unwrap_or_default();
            (
                def.map_or_else(|| sv.instrument.clone(), |d| d.title.clone()),
                String::new(),
                format!("total {}{max}{band}{crisis}", sv.total),
            )
        }
        EntryBody::Medication(m) => {
            let dose = m.dose.map(|d| labels::dose(d, m.unit)).unwrap_or_default();
            (
                "Medication".into(),
                String::new(),
                format!(
                    "{} {} {dose}",
                    m.medication,
                    labels::med_event(m.event).to_lowercase()
                )
                .trim()
                .to_string(),
            )
        }
    }
}

/// Every field an entry's kind has, in reading order, with human labels:
/// what `hearth show` prints and the entry page lists. `time` formats an
/// instant for the face that shows it.
pub fn fields(
    e: &Entry,
    registry: &Registry,
    time: &dyn Fn(Timestamp) -> String,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![("When".into(), time(e.at))];
    let mut put = |key: &str, value: String| out.push((labels::field(key), value));
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    match &e.body {
        EntryBody::Checkin(c) => {
            put("mood", format!("{} of 10", c.mood));
            for (key, v) in [
                ("energy", c.energy),
                ("stress", c.stress),
                ("loneliness", c.loneliness),
                ("desire", c.desire),
            ] {
                if let Some(v) = v {
                    put(key, format!("{v} of 10"));
                }
            }
            if let Some(h) = c.sleep_hours {
                put("sleep_hours", format!("{} h", labels::number(h)));
            }
            if let Some(q) = c.sleep_quality {
                put("sleep_quality", format!("{q} of 10"));
            }
            if !c.tags.is_empty() {
                put("tags", c.tags.join(", "));
            }
            if c.not_safe {
                put("not_safe", "yes — crisis lines were shown".into());
            }
            if let Some(n) = &c.note {
                put("note", n.clone());
            }
        }
        EntryBody::Episode(ep) => {
            put("kind", labels::kind(&ep.kind));
            let b = ep.kind.builtin();
            for (key, v) in [
                ("mood_before", ep.mood_before),
                ("mood_after", ep.mood_after),
            ] {
                if let Some(v) = v {
                    put(key, format!("{v} of 10"));
                }
            }
            if let Some(f) = ep.followup {
                put("followup", format!("{f} of 10"));
            }
            if let Some(t) = ep.followup_at {
                put("followup_at", time(t));
            }
            if let Some(m) = ep.minutes {
                put("minutes", m.to_string());
            }
            if let Some(t) = ep.exercise_type {
                put("exercise_type", labels::exercise_type(t).into());
            }
            if let Some(t) = ep.touch {
                put("touch", labels::touch(t).into());
            }
            if let Some(m) = ep.motive {
                put("motive", labels::motive(m).into());
            }
            if !ep.feelings.is_empty() {
                let f: Vec<&str> = ep.feelings.iter().map(|f| labels::feeling(*f)).collect();
                put("feelings", f.join(", "));
            }
            if let Some(s) = ep.satisfaction {
                put("satisfaction", format!("{s} of 10"));
            }
            if b == Some(BuiltinKind::SexPartnered) {
                put("pressured", yes_no(ep.pressured));
                if let Some(p) = ep.protection {
                    put("protection", yes_no(p));
                }
                put("new_partner", yes_no(ep.new_partner));
            }
            if let Some(c) = ep.in_control {
                put("in_control", format!("{c} of 10"));
            }
            if let Some(n) = &ep.note {
                put("note", n.clone());
            }
        }
        EntryBody::Survey(s) => {
            let def = registry.get(&s.instrument);
            put(
                "instrument",
                def.map_or_else(|| s.instrument.clone(), |d| d.title.clone()),
            );
            let max = def
                .map(|d| format!(" / {}", d.max_total()))
                .unwrap_or_default();
            put("total", format!("{}{max}", s.total));
            if let Some(b) = &s.band {
                let label = def
                    .and_then(|d| d.bands.iter().find(|x| &x.id == b))
                    .map_or_else(|| b.replace('_', " "), |x| x.label.clone());
                put("band", label);
            }
            for (i, a) in s.answers.iter().enumerate() {
                let item = def.and_then(|d| d.items.get(i).map(|it| (d, it)));
                match item {
                    Some((d, it)) => out.push((it.text.clone(), answer(d.options_for(it), *a))),
                    None => out.push((format!("Item {}", i + 1), a.to_string())),
                }
            }
            for (id, a) in &s.extras {
                let extra = def.and_then(|d| d.extras.iter().find(|x| &x.id == id).map(|x| (d, x)));
                match extra {
                    Some((d, x)) => out.push((x.text.clone(), answer(d.options_for(x), *a))),
                    None => out.push((id.replace('_', " "), a.to_string())),
                }
            }
            if s.crisis {
                out.push((labels::field("crisis"), "yes".into()));
            }
        }
        EntryBody::Medication(m) => {
            put("medication", m.medication.clone());
            put("class", labels::drug_class(m.class).into());
            put("event", labels::med_event(m.event).into());
            if let Some(d) = m.dose {
                put("dose", labels::dose(d, m.unit));
            }
        }
    }
    out.push(("Recorded".into(), time(e.recorded_at)));
    if e.updated_at != e.recorded_at {
        out.push(("Changed".into(), time(e.updated_at)));
    }
    out
}

/// An answer as its option reads, with the scored value beside it.
fn answer(options: &[hearth_core::instrument::AnswerOption], value: i32) -> String {
    options
        .iter()
        .find(|o| o.value == value)
        .map_or_else(|| value.to_string(), |o| format!("{} ({value})", o.label))
}
