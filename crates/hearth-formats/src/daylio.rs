//! Daylio CSV exports. Each row becomes a check-in (its mood and note) and
//! one activity entry per Daylio activity at the same time. Ids come from
//! the row's content, so importing the same file twice finds every row
//! already there.

use std::collections::BTreeMap;

use hearth_core::model::{CheckIn, Episode, NOTE_MAX_CHARS};
use hearth_core::{Entry, EntryBody, EntryId, Rating};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::FormatError;
pub use crate::import::Parsed;
use crate::import::{clock, csv_reader, month, numbered, stable_id, validate};

/// Daylio's five default moods on Hearth's 0–10 scale.
pub const DEFAULT_MOODS: &[(&str, u8)] = &[
    ("rad", 9),
    ("good", 7),
    ("meh", 5),
    ("bad", 3),
    ("awful", 1),
];

/// Parses `label=N,label=N` into extra or replacement mood labels.
pub fn mood_map(spec: Option<&str>) -> Result<BTreeMap<String, u8>, FormatError> {
    let mut map: BTreeMap<String, u8> = DEFAULT_MOODS
        .iter()
        .map(|(l, v)| (l.to_string(), *v))
        .collect();
    let Some(spec) = spec else { return Ok(map) };
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (label, value) = pair.split_once('=').ok_or_else(|| {
            FormatError::Invalid(format!(
                "--mood-map: '{pair}' is not label=N (for example tired=4)"
            ))
        })?;
        let v = value
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|v| *v <= Rating::MAX)
            .ok_or_else(|| {
                FormatError::Invalid(format!(
                    "--mood-map: '{value}' for '{label}' is not a number from 0 to 10"
                ))
            })?;
        map.insert(label.trim().to_lowercase(), v);
    }
    Ok(map)
}

/// The older export's `date` column: "30 December" or "December 30".
fn day_month(text: &str, year: i16) -> Option<Date> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (d, m) = match parts.as_slice() {
        [a, b] if a.chars().all(|c| c.is_ascii_digit()) => (a.parse().ok()?, month(b)?),
        [a, b] => (b.trim_end_matches(',').parse().ok()?, month(a)?),
        _ => return None,
    };
    Date::new(year, m, d).ok()
}

pub fn parse(
    text: &str,
    tz: &TimeZone,
    moods: &BTreeMap<String, u8>,
    now: Timestamp,
) -> Result<Parsed, FormatError> {
    let tz_name = tz.iana_name().unwrap_or("UTC").to_string();
    let (mut reader, header, mut lines) = csv_reader(text)?;
    const NEW: [&str; 8] = [
        "full_date",
        "date",
        "weekday",
        "time",
        "mood",
        "activities",
        "note_title",
        "note",
    ];
    const OLD: [&str; 7] = [
        "year",
        "date",
        "weekday",
        "time",
        "mood",
        "activities",
        "note",
    ];
    let newer = header == NEW;
    if !newer && header != OLD {
        return Err(FormatError::Invalid(format!(
            "line 1: this is not a Daylio export; expected the columns {} (or the older {})",
            NEW.join(","),
            OLD.join(",")
        )));
    }
    let mut out = Parsed::default();
    for record in reader.records() {
        let (record, line) = numbered(record, &mut lines)?;
        let bad = |why: String| FormatError::Invalid(format!("line {line}: {why}"));
        out.rows += 1;
        let date = if newer {
            record[0]
                .trim()
                .parse::<Date>()
                .map_err(|_| bad(format!("'{}' is not a date like 2024-03-01", &record[0])))?
        } else {
            let year: i16 = record[0]
                .trim()
                .parse()
                .map_err(|_| bad(format!("'{}' is not a year", &record[0])))?;
            day_month(&record[1], year).ok_or_else(|| {
                bad(format!(
                    "'{}' is not a day and month like 30 December",
                    &record[1]
                ))
            })?
        };
        let time = clock(&record[3])
            .ok_or_else(|| bad(format!("'{}' is not a time like 10:40 pm", &record[3])))?;
        let at = tz
            .to_zoned(DateTime::from_parts(date, time))
            .map_err(|e| bad(e.to_string()))?
            .timestamp();
        let label = record[4].trim().to_lowercase();
        let mood = moods.get(&label).copied().ok_or_else(|| {
            bad(format!(
                "the mood '{}' has no number: give it one in the mood map as {label}=N, N from 0 to 10 (--mood-map on the command line)",
                record[4].trim()
            ))
        })?;
        let note = if newer {
            let (title, body) = (record[6].trim(), record[7].trim());
            match (title.is_empty(), body.is_empty()) {
                (true, true) => None,
                (false, true) => Some(title.to_string()),
                (true, false) => Some(body.to_string()),
                (false, false) => Some(format!("{title}\n{body}")),
            }
        } else {
            Some(record[6].trim().to_string()).filter(|n| !n.is_empty())
        };
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS)
        {
            return Err(bad(format!(
                "the note is longer than {NOTE_MAX_CHARS} characters"
            )));
        }
        let key: Vec<&str> = (0..record.len()).map(|i| &record[i]).collect();
        let mut checkin =
            CheckIn::new(Rating::new("mood", i64::from(mood)).expect("mapped moods are 0–10"));
        checkin.note = note;
        let entry = |id: EntryId, body: EntryBody| Entry {
            id,
            at,
            tz: tz_name.clone(),
            recorded_at: at,
            updated_at: at,
            body,
        };
        let mut row_entries = vec![entry(
            stable_id(&[&["daylio", "checkin"], key.as_slice()].concat()),
            EntryBody::Checkin(checkin),
        )];
        for activity in record[5]
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            let kind = out.kind_for(activity).map_err(bad)?;
            let id = stable_id(&[&["daylio", "activity", activity], key.as_slice()].concat());
            row_entries.push(entry(id, EntryBody::Episode(Episode::new(kind))));
        }
        for e in &row_entries {
            validate(e, now, line)?;
        }
        out.entries.extend(row_entries);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::kind::Kind;
    use hearth_core::vocab::BuiltinKind;

    fn now() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    const NEW: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2024-03-02,March 2,Saturday,10:40 pm,good ,friends | Gardening,Title,\"Said \"\"hi\"\", then\nleft, happy\"\n\
2024-03-01,March 1,Friday,8:05 am,meh,,,\n";

    #[test]
    fn reads_the_current_format_newest_first_with_quoted_multiline_notes() {
        let p = parse(NEW, &london(), &mood_map(None).unwrap(), now()).unwrap();
        assert_eq!(p.rows, 2);
        assert_eq!(p.entries.len(), 4);
        let first = &p.entries[0];
        assert_eq!(first.at, "2024-03-02T22:40:00Z".parse().unwrap());
        match &first.body {
            EntryBody::Checkin(c) => {
                assert_eq!(c.mood.get(), 7);
                assert_eq!(
                    c.note.as_deref(),
                    Some("Title\nSaid \"hi\", then\nleft, happy")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p.custom_kinds, ["gardening"]);
        assert_eq!(p.kinds["friends"], "social");
        assert_eq!(p.entries[3].at, "2024-03-01T08:05:00Z".parse().unwrap());
    }

    #[test]
    fn reads_the_older_format() {
        let old = "year,date,weekday,time,mood,activities,note\n2019,30 December,Monday,12:15 am,rad,sport,\"ok\"\n2019,December 31,Tuesday,12:30 pm,awful,,\n";
        let p = parse(old, &london(), &mood_map(None).unwrap(), now()).unwrap();
        assert_eq!(p.entries[0].at, "2019-12-30T00:15:00Z".parse().unwrap());
        assert_eq!(p.entries[2].at, "2019-12-31T12:30:00Z".parse().unwrap());
        assert!(
            matches!(&p.entries[1].body, EntryBody::Episode(e) if e.kind == Kind::Builtin(BuiltinKind::Exercise))
        );
    }

    #[test]
    fn the_same_row_gets_the_same_ids() {
        let a = parse(NEW, &london(), &mood_map(None).unwrap(), now()).unwrap();
        let b = parse(NEW, &london(), &mood_map(None).unwrap(), now()).unwrap();
        assert_eq!(a, b);
        let ids: std::collections::BTreeSet<_> = a.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids.len(), a.entries.len());
    }

    #[test]
    fn custom_mood_labels_need_a_map() {
        let text = "full_date,date,weekday,time,mood,activities,note_title,note\n2024-03-01,March 1,Friday,9:00 am,Tired,,,\n";
        let e = parse(text, &london(), &mood_map(None).unwrap(), now())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("--mood-map"), "{e}");
        let p = parse(text, &london(), &mood_map(Some("tired=4")).unwrap(), now()).unwrap();
        assert!(matches!(&p.entries[0].body, EntryBody::Checkin(c) if c.mood.get() == 4));
        assert!(mood_map(Some("tired=11")).is_err());
        assert!(mood_map(Some("tired")).is_err());
    }

    #[test]
    fn bad_rows_name_their_line() {
        let cases = [
            ("a,b,c\n1,2,3\n", "line 1"),
            (
                "full_date,date,weekday,time,mood,activities,note_title,note\n2024-13-01,x,x,9:00 am,good,,,\n",
                "line 2",
            ),
            (
                "full_date,date,weekday,time,mood,activities,note_title,note\n2024-03-01,x,x,25:00,good,,,\n",
                "10:40 pm",
            ),
            (
                "full_date,date,weekday,time,mood,activities,note_title,note\n2024-03-01,x,x,9:00 am,good\n",
                "line 2",
            ),
            (
                "full_date,date,weekday,time,mood,activities,note_title,note\n2030-03-01,x,x,9:00 am,good,,,\n",
                "future",
            ),
        ];
        for (text, needle) in cases {
            let e = parse(text, &london(), &mood_map(None).unwrap(), now())
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn a_bad_row_is_named_by_its_line_in_lf_and_crlf_files() {
        // Line 3 holds a two-line note; the bad date is on line 5.
        let lf = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2024-03-02,March 2,Saturday,10:40 pm,good,,,\"two\nlines\"\n\
2024-03-01,March 1,Friday,8:05 am,meh,,,\n\
2024-13-01,x,x,9:00 am,good,,,\n";
        for text in [lf.to_string(), lf.replace('\n', "\r\n")] {
            let e = parse(&text, &london(), &mood_map(None).unwrap(), now())
                .unwrap_err()
                .to_string();
            assert!(e.contains("line 5"), "{text:?}: {e}");
        }
    }
}
