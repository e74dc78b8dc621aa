//! Short plain-text descriptions of entries, shared by the CLI's tables and
//! the web app's lists.

use hearth_core::vocab::MedEventKind;
use hearth_core::{Entry, EntryBody};

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

pub fn dose(d: Option<f64>, unit: impl std::fmt::Display) -> String {
    d.map(|d| format!("{d} {unit}")).unwrap_or_default()
}

pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// What the entry is, its headline mood, and a few details.
pub fn summary(e: &Entry) -> (String, String, String) {
    match &e.body {
        EntryBody::Checkin(c) => {
            let mut bits = Vec::new();
            for (name, v) in [
                ("energy", c.energy),
                ("stress", c.stress),
                ("lonely", c.loneliness),
                ("desire", c.desire),
                ("sleep", c.sleep_quality),
            ] {
                if let Some(v) = v {
                    bits.push(format!("{name} {v}"));
                }
            }
            if let Some(h) = c.sleep_hours {
                bits.push(format!("{h} h sleep"));
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
            ("check-in".into(), c.mood.to_string(), bits.join(", "))
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
                bits.push(t.to_string());
            }
            if let Some(t) = ep.exercise_type {
                bits.push(t.to_string());
            }
            if let Some(f) = ep.followup {
                bits.push(format!("later {f}"));
            }
            if !ep.feelings.is_empty() {
                bits.push(
                    ep.feelings
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
            if let Some(n) = &ep.note {
                bits.push(format!("“{}”", shorten(n, 30)));
            }
            (ep.kind.to_string(), mood, bits.join(", "))
        }
        EntryBody::Survey(sv) => {
            let band = sv
                .band
                .as_deref()
                .map(|b| format!(" · {}", b.replace('_', " ")))
                .unwrap_or_default();
            let crisis = if sv.crisis {
                " · crisis resources shown"
            } else {
                ""
            };
            (
                format!("survey {}", sv.instrument),
                String::new(),
                format!("total {}{band}{crisis}", sv.total),
            )
        }
        EntryBody::Medication(m) => {
            let what = match m.event {
                MedEventKind::Start => "started",
                MedEventKind::Change => "dose changed",
                MedEventKind::Stop => "stopped",
            };
            (
                "medication".into(),
                String::new(),
                format!("{} {what} {}", m.medication, dose(m.dose, m.unit))
                    .trim()
                    .to_string(),
            )
        }
    }
}
