//! What the imports from other apps share: the activity-to-kind table, stable
//! ids, clock and month parsing, and the summary of what came in.

use std::collections::BTreeMap;

use hearth_core::kind::{CUSTOM_KIND_MAX_LEN, Kind};
use hearth_core::vocab::BuiltinKind;
use hearth_core::{Entry, EntryId};
use jiff::Timestamp;
use jiff::civil::Time;

use crate::FormatError;

/// Activity names (lowercase) from other apps that are one of Hearth's kinds.
pub const ACTIVITY_KINDS: &[(&str, BuiltinKind)] = &[
    ("sport", BuiltinKind::Exercise),
    ("exercise", BuiltinKind::Exercise),
    ("gym", BuiltinKind::Exercise),
    ("workout", BuiltinKind::Exercise),
    ("running", BuiltinKind::Exercise),
    ("cycling", BuiltinKind::Exercise),
    ("swimming", BuiltinKind::Exercise),
    ("yoga", BuiltinKind::Exercise),
    ("friends", BuiltinKind::Social),
    ("family", BuiltinKind::Social),
    ("party", BuiltinKind::Social),
    ("social", BuiltinKind::Social),
    ("socialising", BuiltinKind::Social),
    ("socializing", BuiltinKind::Social),
    ("walk", BuiltinKind::Outdoors),
    ("walking", BuiltinKind::Outdoors),
    ("nature", BuiltinKind::Outdoors),
    ("hiking", BuiltinKind::Outdoors),
    ("outdoors", BuiltinKind::Outdoors),
    ("time outside", BuiltinKind::Outdoors),
    ("meditation", BuiltinKind::Mindfulness),
    ("mindfulness", BuiltinKind::Mindfulness),
    ("art", BuiltinKind::Art),
    ("drawing", BuiltinKind::Art),
    ("painting", BuiltinKind::Art),
    ("music", BuiltinKind::Art),
    ("writing", BuiltinKind::Art),
    ("crafts", BuiltinKind::Art),
    ("therapy", BuiltinKind::Therapy),
    ("counselling", BuiltinKind::Therapy),
    ("counseling", BuiltinKind::Therapy),
    ("cuddle", BuiltinKind::Intimacy),
    ("cuddling", BuiltinKind::Intimacy),
    ("cuddles", BuiltinKind::Intimacy),
    ("hug", BuiltinKind::Intimacy),
    ("hugs", BuiltinKind::Intimacy),
    ("massage", BuiltinKind::Intimacy),
    ("sex", BuiltinKind::SexPartnered),
    ("masturbation", BuiltinKind::SexSolo),
    ("porn", BuiltinKind::Porn),
];

/// Rows left out on purpose, grouped by why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Skipped {
    pub reason: String,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub rows: usize,
    pub entries: Vec<Entry>,
    /// Activities with no Hearth kind, imported as custom kinds of these names.
    pub custom_kinds: Vec<String>,
    /// Activity name as the other app wrote it → the kind it became.
    pub kinds: BTreeMap<String, String>,
    /// What was not imported and why, in the order first met.
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// The kind an activity becomes: a built-in one from the table, otherwise
    /// a custom kind of its (cleaned) name, remembered for the summary.
    pub(crate) fn kind_for(&mut self, activity: &str) -> Result<Kind, String> {
        let lower = activity.trim().to_lowercase();
        let kind = match ACTIVITY_KINDS.iter().find(|(name, _)| *name == lower) {
            Some((_, k)) => Kind::Builtin(*k),
            None => {
                let name = custom_name(activity);
                match BuiltinKind::parse(&name) {
                    // "Intimacy" or "sex-solo" written out: Hearth's own kind.
                    Ok(b) => Kind::Builtin(b),
                    Err(_) => {
                        let kind = Kind::new_custom(&name).map_err(|e| {
                            format!(
                                "the activity '{activity}' cannot be made into a kind name: {e}"
                            )
                        })?;
                        if !self.custom_kinds.contains(&name) {
                            self.custom_kinds.push(name);
                        }
                        kind
                    }
                }
            }
        };
        self.kinds.insert(activity.to_string(), kind.to_string());
        Ok(kind)
    }

    pub(crate) fn skip(&mut self, reason: &str) {
        match self.skipped.iter_mut().find(|s| s.reason == reason) {
            Some(s) => s.rows += 1,
            None => self.skipped.push(Skipped {
                reason: reason.to_string(),
                rows: 1,
            }),
        }
    }
}

/// A CSV file being read: its rows, its header's names, and its lines.
pub(crate) type CsvFile<'a> = (csv::Reader<&'a [u8]>, Vec<String>, Lines<'a>);

/// A strict CSV reader (every row as wide as the header), past any byte-order
/// mark, with the header's names trimmed and lowercased, and the file's lines
/// for saying where a row is.
pub(crate) fn csv_reader(text: &str) -> Result<CsvFile<'_>, FormatError> {
    let body = text.trim_start_matches('\u{feff}').as_bytes();
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(body);
    let header = reader
        .headers()
        .map_err(|e| FormatError::Invalid(format!("line 1: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    Ok((reader, header, Lines::new(body)))
}

/// Line numbers as an editor shows them, for LF, CRLF and mixed files alike:
/// the csv reader's own count is one short in a CRLF file.
pub(crate) struct Lines<'a> {
    text: &'a [u8],
    /// A byte offset already counted up to, and the line it is on.
    byte: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Lines<'a> {
        Lines {
            text,
            byte: 0,
            line: 1,
        }
    }

    /// The line the byte at `offset` is on. Rows are read in order, so each
    /// call counts only the newlines since the last one.
    fn at(&mut self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // After a CRLF the reader places the next row on the LF, which
        // belongs to the line before it.
        if self.text.get(offset) == Some(&b'\n') {
            offset += 1;
        }
        if offset < self.byte {
            self.byte = 0;
            self.line = 1;
        }
        let newlines = self.text[self.byte..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.byte = offset;
        self.line
    }
}

/// A row and the line it starts on, or why it could not be read.
pub(crate) fn numbered(
    record: Result<csv::StringRecord, csv::Error>,
    lines: &mut Lines<'_>,
) -> Result<(csv::StringRecord, u64), FormatError> {
    let record = record.map_err(|e| {
        let line = e.position().map_or(0, |p| lines.at(p.byte()));
        // The reader's own words carry its own (CRLF-miscounted) position.
        let why = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!(
                "this row has {len} field{} where the header has {expected_len}",
                if *len == 1 { "" } else { "s" }
            ),
            csv::ErrorKind::Utf8 { .. } => "this row is not UTF-8 text".to_string(),
            _ => e.to_string(),
        };
        FormatError::Invalid(format!("line {line}: {why}"))
    })?;
    let line = record.position().map_or(0, |p| lines.at(p.byte()));
    Ok((record, line))
}

/// Checks each entry as the store will, naming the line it came from.
pub(crate) fn validate(entry: &Entry, now: Timestamp, line: u64) -> Result<(), FormatError> {
    entry.validate(now).map_err(|v| {
        FormatError::Invalid(format!(
            "line {line}: {}",
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// FNV-1a: a stable hash so a row gets the same id on every import.
pub(crate) fn stable_id(parts: &[&str]) -> EntryId {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    EntryId::from_bits(h)
}

/// An activity name as a Hearth custom kind name: lowercase ASCII words
/// joined by hyphens, accents folded ("Natación" → "natacion"), emoji and
/// punctuation dropped, at most 40 characters, starting with a letter
/// ("5k run" → "my-5k-run"). A name with no Latin letters at all ("散步")
/// gets a stable made-up one ("activity-…"); the summary shows which.
fn custom_name(activity: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut s = String::new();
    for c in activity.trim().nfkd().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if unicode_normalization::char::is_combining_mark(c) {
            // The accent of a folded letter.
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    if s.is_empty() {
        s = format!(
            "activity-{}",
            &stable_id(&[activity.trim()]).to_string()[..6]
        );
    } else if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "my-");
    }
    let mut s: String = s.chars().take(CUSTOM_KIND_MAX_LEN).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "March", "mar", "Mar." → 3.
pub(crate) fn month(word: &str) -> Option<i8> {
    let w = word.trim().trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .map(|i| i as i8 + 1)
}

/// "10:40 pm", "10:40", "22:40", "22:40:15".
pub(crate) fn clock(text: &str) -> Option<Time> {
    let t = text.trim().to_lowercase();
    let (hm, pm) = if let Some(x) = t.strip_suffix("pm") {
        (x.trim(), Some(true))
    } else if let Some(x) = t.strip_suffix("am") {
        (x.trim(), Some(false))
    } else {
        (t.as_str(), None)
    };
    let mut parts = hm.split(':');
    let (h, m) = (parts.next()?, parts.next()?);
    let s = parts.next().unwrap_or("0");
    if parts.next().is_some() || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (mut h, m, s): (i8, i8, i8) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    match pm {
        Some(true) if (1..=11).contains(&h) => h += 12,
        Some(false) if h == 12 => h = 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => {}
    }
    Time::new(h, m, s, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_hour_clock() {
        assert_eq!(clock("12:05 am"), Time::new(0, 5, 0, 0).ok());
        assert_eq!(clock("12:05 pm"), Time::new(12, 5, 0, 0).ok());
        assert_eq!(clock("1:05 PM"), Time::new(13, 5, 0, 0).ok());
        assert_eq!(clock("13:05 pm"), None);
        assert_eq!(clock("23:59"), Time::new(23, 59, 0, 0).ok());
        assert_eq!(clock("07:30:15"), Time::new(7, 30, 15, 0).ok());
        assert_eq!(clock("+7:30"), None);
        assert_eq!(clock("am"), None);
    }

    #[test]
    fn unknown_activities_become_custom_kinds_once() {
        let mut p = Parsed::default();
        assert_eq!(p.kind_for("Sport").unwrap().to_string(), "exercise");
        assert_eq!(
            p.kind_for("🌱 Gardening!").unwrap().to_string(),
            "gardening"
        );
        assert_eq!(p.kind_for("gardening").unwrap().to_string(), "gardening");
        assert_eq!(p.kind_for("Intimacy").unwrap().to_string(), "intimacy");
        assert_eq!(p.kind_for("Sex – solo").unwrap().to_string(), "sex-solo");
        assert_eq!(p.custom_kinds, ["gardening"]);
    }

    #[test]
    fn any_name_a_person_wrote_becomes_a_valid_kind() {
        let k = |name: &str| custom_name(name);
        assert_eq!(k("Natación"), "natacion");
        assert_eq!(k("Café & croissant"), "cafe-croissant");
        assert_eq!(k("5k run"), "my-5k-run");
        assert_eq!(
            k("A very long activity name that goes on and on and on"),
            "a-very-long-activity-name-that-goes-on-a"
        );
        let cjk = k("散步");
        assert!(cjk.starts_with("activity-") && cjk == k("散步"), "{cjk}");
        assert_ne!(cjk, k("跑步"));
        for name in [
            "Natación",
            "5k run",
            "散步",
            "🌱",
            "--",
            "Ω",
            "a-very-long-activity-name-that-goes-on-and-on",
        ] {
            assert!(Kind::new_custom(&k(name)).is_ok(), "{name} → {}", k(name));
        }
    }

    #[test]
    fn skips_are_counted_by_reason_in_order() {
        let mut p = Parsed::default();
        p.skip("b");
        p.skip("a");
        p.skip("b");
        let got: Vec<(&str, usize)> = p
            .skipped
            .iter()
            .map(|s| (s.reason.as_str(), s.rows))
            .collect();
        assert_eq!(got, [("b", 2), ("a", 1)]);
    }

    #[test]
    fn rows_are_numbered_as_an_editor_shows_them_whatever_the_line_endings() {
        for text in [
            "a,b\n1,2\n\"x\ny\",3\n5,6\n",
            "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n5,6\r\n",
            "a,b\r\n1,2\n\"x\r\ny\",3\r\n5,6\n",
            "\u{feff}a,b\r\n1,2\r\n\"x\r\ny\",3\r\n5,6",
        ] {
            let (mut r, header, mut lines) = csv_reader(text).unwrap();
            assert_eq!(header, ["a", "b"]);
            let at: Vec<u64> = r
                .records()
                .map(|x| numbered(x, &mut lines).unwrap().1)
                .collect();
            assert_eq!(at, [2, 3, 5], "{text:?}");
        }
    }

    #[test]
    fn a_broken_row_names_its_own_line_in_a_crlf_file() {
        let text = "a,b\r\n1,2\r\n3,4\r\n5\r\n";
        let (mut r, _, mut lines) = csv_reader(text).unwrap();
        let e = r
            .records()
            .map(|x| numbered(x, &mut lines))
            .find_map(Result::err)
            .unwrap();
        assert_eq!(
            e.to_string(),
            "line 4: this row has 1 field where the header has 2"
        );
    }
}
