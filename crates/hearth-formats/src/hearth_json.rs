//! Hearth's own JSON export: everything in a journal, lossless, with ids and
//! record times, so importing it into a fresh journal gives the same journal.

use hearth_core::Entry;
use hearth_core::{Contact, Prompt, Question, Settings};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::FormatError;

pub const FORMAT: &str = "hearth-export";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    pub settings: Settings,
    pub custom_kinds: Vec<String>,
    pub contacts: Vec<Contact>,
    /// Questions for the next appointment.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// Oldest first.
    pub entries: Vec<Entry>,
    /// The questions asked after episodes, with when each was scheduled,
    /// shown and answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<Prompt>,
}

impl Export {
    pub fn new(
        exported_at: Timestamp,
        settings: Settings,
        custom_kinds: Vec<String>,
        contacts: Vec<Contact>,
    ) -> Export {
        Export {
            format: FORMAT.into(),
            version: VERSION,
            exported_at,
            settings,
            custom_kinds,
            contacts,
            questions: Vec::new(),
            entries: Vec::new(),
            prompts: Vec::new(),
        }
    }

    /// Sets the entries, oldest first.
    pub fn with_entries(mut self, mut entries: Vec<Entry>) -> Export {
        entries.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        self.entries = entries;
        self
    }

    pub fn to_json(&self) -> String {
        let mut text = Vec::new();
        self.write_json(&mut text).expect("exports serialise");
        String::from_utf8(text).expect("serde_json writes UTF-8")
    }

    /// `to_json`, written as it is serialised: a whole journal's JSON need
    /// not be held at once.
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        writeln!(out)
    }

    /// Reads an export, saying where and why when it cannot.
    pub fn parse(text: &str) -> Result<Export, FormatError> {
        // A first pass reads only the format and version, skipping the rest
        // without building it: parsing the whole file into a `Value` first
        // took a third of a large import's time and most of its memory.
        #[derive(Deserialize)]
        struct Probe {
            format: Option<serde_json::Value>,
            version: Option<serde_json::Value>,
        }
        let none = Probe {
            format: None,
            version: None,
        };
        let probe = match serde_json::from_str::<Probe>(text) {
            // serde also reads a struct from an array's elements in order.
            Ok(_) if !text.trim_start().starts_with('{') => none,
            Ok(p) => p,
            Err(e) if e.is_syntax() || e.is_eof() => {
                return Err(FormatError::Invalid(format!(
                    "not valid JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                )));
            }
            // Valid JSON of another shape (a string, a number).
            Err(_) => none,
        };
        if probe.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(FormatError::Invalid(format!(
                "this is not a Hearth export (it has no \"format\": \"{FORMAT}\")"
            )));
        }
        match probe.version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(FormatError::Invalid(format!(
                    "this export is version {v}; this Hearth reads version {VERSION}"
                )));
            }
            None => return Err(FormatError::Invalid("the export has no version".into())),
        }
        serde_json::from_str(text).map_err(|e| {
            let entry = locate_entry(text, e.line());
            FormatError::Invalid(format!(
                "line {}, column {}{entry}: {e}",
                e.line(),
                e.column()
            ))
        })
    }
}

/// Names the entry an error line falls in, when it is inside `entries`.
fn locate_entry(text: &str, line: usize) -> String {
    let upto: Vec<&str> = text.lines().take(line).collect();
    upto.iter()
        .rev()
        .find_map(|l| {
            l.trim()
                .strip_prefix("\"id\": \"")
                .and_then(|r| r.strip_suffix("\","))
        })
        .map(|id| format!(" (entry {id})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Export {
        Export::new(
            "2026-05-01T10:00:00Z".parse().unwrap(),
            Settings {
                region: "gb".into(),
                hidden_kinds: ["porn".to_string()].into(),
                ..Settings::new_journal("Europe/London", "2026-04-01T09:00:00Z".parse().unwrap())
            },
            vec!["gardening".into()],
            vec![],
        )
    }

    #[test]
    fn round_trips() {
        let e = sample();
        assert_eq!(Export::parse(&e.to_json()).unwrap(), e);
    }

    #[test]
    fn refuses_other_files_with_a_reason() {
        for (text, needle) in [
            ("{", "not valid JSON"),
            ("[]", "not a Hearth export"),
            (r#"{"format":"hearth-export","version":9}"#, "version 9"),
            (r#"{"format":"hearth-export"}"#, "no version"),
            (r#"{"format":"hearth-export","version":"1"}"#, "no version"),
            (r#""hearth-export""#, "not a Hearth export"),
            (
                r#"[{"format":"hearth-export","version":1}]"#,
                "not a Hearth export",
            ),
            (r#"["hearth-export", 1]"#, "not a Hearth export"),
            (r#"{"entries":[}"#, "not valid JSON"),
            (r#"{"format":"hearth-export","version":1"#, "not valid JSON"),
        ] {
            let e = Export::parse(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
        let bad = sample().to_json().replace("\"gardening\"", "42");
        assert!(
            Export::parse(&bad)
                .unwrap_err()
                .to_string()
                .contains("line")
        );
    }
}
