//! Bearable CSV exports, in the long format: one row per thing logged, with
//! `date,date formatted,weekday,time of day,category,rating/amount,detail,notes`
//! (older exports lack `date formatted`).
//!
//! Bearable's scales (its help page "What are all the different scales used in
//! Bearable?"): Mood and Energy 1–10, Symptoms 0–4, Sleep quality and custom
//! ratings 1–5. Mood and energy keep their numbers on Hearth's 0–10 scale;
//! sleep quality is doubled so its top is 10 too.
//!
//! Each mood rating becomes a check-in at its part of the day; energy, emotions
//! and notes from the same part of the day join it, and the night's sleep joins
//! the day's first check-in. Factors (every other category: Lifestyle, Social,
//! and the groups people make) become activities. What Hearth has no place for
//! (symptoms, health measurements, medication doses, weather…) is counted in
//! the summary as skipped, with the reason.

use std::collections::BTreeMap;

use hearth_core::model::{CheckIn, Episode, NOTE_MAX_CHARS, SLEEP_MAX_HOURS, normalise_tag};
use hearth_core::{Entry, EntryBody, Rating};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::FormatError;
pub use crate::import::Parsed;
use crate::import::{clock, csv_reader, month, numbered, stable_id, validate};

/// Bearable's parts of the day and the clock time each stands for.
const PARTS_OF_DAY: &[(&str, i8)] = &[
    ("am", 9),
    ("morning", 9),
    ("mid", 13),
    ("midday", 13),
    ("afternoon", 13),
    ("pm", 18),
    ("evening", 18),
    ("pre-bed", 22),
    ("pre bed", 22),
    ("bedtime", 22),
    ("night", 22),
    ("", 12),
    ("all day", 12),
    ("day", 12),
];

/// How much of a factor there was; "none" means it did not happen.
const LEVELS: &[&str] = &[
    "none", "a little", "little", "some", "moderate", "a lot", "lots", "low", "medium", "high",
    "mild", "severe",
];

/// Categories Hearth keeps no record of, with the reason the summary gives.
const NOT_KEPT: &[(&[&str], &str)] = &[
    (
        &["symptom", "symptoms"],
        "symptoms: Hearth has no symptom tracker",
    ),
    (
        &["health measurement", "health measurements", "measurements"],
        "health measurements: Hearth does not keep them",
    ),
    (
        &["bowel movement", "bowel movements"],
        "bowel movements: Hearth does not keep them",
    ),
    (
        &[
            "medication",
            "medications",
            "meds",
            "supplements",
            "meds/supplements",
            "medication/supplements",
            "meds & supplements",
        ],
        "medication doses: record starts and changes with `hearth med add` instead",
    ),
    (&["weather"], "weather: not something you do"),
    (
        &["custom rating", "custom ratings"],
        "custom ratings: Hearth has no place for them yet",
    ),
    (
        &["significant event", "significant events"],
        "significant events: add them as notes in Hearth if they matter",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Category {
    Mood,
    Energy,
    Sleep,
    SleepQuality,
    Emotions,
    Notes,
    NotKept(&'static str),
    Factors,
}

fn category(text: &str) -> Category {
    let c = text.trim().to_lowercase();
    match c.as_str() {
        "mood" => Category::Mood,
        "energy" => Category::Energy,
        "sleep" => Category::Sleep,
        "sleep quality" => Category::SleepQuality,
        "emotion" | "emotions" => Category::Emotions,
        "note" | "notes" | "extra notes" | "journal" | "gratitude" => Category::Notes,
        _ => NOT_KEPT
            .iter()
            .find(|(names, _)| names.contains(&c.as_str()))
            .map_or(Category::Factors, |(_, why)| Category::NotKept(why)),
    }
}

/// One row, read and checked.
struct Row {
    line: u64,
    date: Date,
    part: String,
    time: Time,
    category: Category,
    value: String,
    detail: String,
    notes: String,
}

/// A check-in being assembled from a mood rating and what joins it.
struct Slot {
    line: u64,
    date: Date,
    part: String,
    time: Time,
    mood: u8,
    energy: Option<u8>,
    sleep_hours: Option<f64>,
    sleep_quality: Option<u8>,
    notes: Vec<String>,
    tags: Vec<String>,
}

pub fn parse(text: &str, tz: &TimeZone, now: Timestamp) -> Result<Parsed, FormatError> {
    let rows = read(text)?;
    let mut out = Parsed {
        rows: rows.len(),
        ..Parsed::default()
    };
    let mut slots: Vec<Slot> = Vec::new();
    for row in rows.iter().filter(|r| r.category == Category::Mood) {
        let mood = rating(row, 10)?;
        slots.push(Slot {
            line: row.line,
            date: row.date,
            part: row.part.clone(),
            time: row.time,
            mood,
            energy: None,
            sleep_hours: None,
            sleep_quality: None,
            notes: Vec::new(),
            tags: Vec::new(),
        });
        if let Some(n) = note_text(&row.notes) {
            push_note(slots.last_mut().expect("just pushed"), n);
        }
    }
    let mut episodes: BTreeMap<String, Entry> = BTreeMap::new();
    let tz_name = tz.iana_name().unwrap_or("UTC").to_string();
    for row in &rows {
        let bad = |why: String| FormatError::Invalid(format!("line {}: {why}", row.line));
        match row.category {
            Category::Mood => continue,
            Category::Energy => {
                let energy = rating(row, 10)?;
                match same_part(&mut slots, row, |s| s.energy.is_none()) {
                    Some(s) => s.energy = Some(energy),
                    None => out.skip("energy with no mood rating at the same time of day"),
                }
            }
            Category::Sleep => {
                let hours = sleep_hours(&row.value).ok_or_else(|| {
                    bad(format!(
                        "'{}' is not a length of sleep like 7:30 or 7.5",
                        row.value
                    ))
                })?;
                match first_of_day(&mut slots, row.date) {
                    Some(s) => {
                        let total = s.sleep_hours.unwrap_or(0.0) + hours;
                        if total > SLEEP_MAX_HOURS {
                            return Err(bad(format!(
                                "the sleep logged for {} adds up to more than 24 hours",
                                row.date
                            )));
                        }
                        s.sleep_hours = Some(total);
                    }
                    None => out.skip("sleep on a day with no mood rating"),
                }
            }
            Category::SleepQuality => {
                let q = rating(row, 5)?;
                match first_of_day(&mut slots, row.date) {
                    Some(s) if s.sleep_quality.is_none() => s.sleep_quality = Some(q * 2),
                    Some(_) => out.skip("a second sleep quality on the same day"),
                    None => out.skip("sleep quality on a day with no mood rating"),
                }
            }
            Category::Emotions => {
                let mut tags = Vec::new();
                // Emotions are single words: a comma separates them as "|" does.
                for item in items(&row.detail.replace(',', "|")) {
                    let tag = normalise_tag(&item.name).map_err(|e| bad(e.to_string()))?;
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                if !tags.is_empty() {
                    match near(&mut slots, row) {
                        Some(s) => {
                            for t in tags {
                                if !s.tags.contains(&t) {
                                    s.tags.push(t);
                                }
                            }
                        }
                        None => out.skip("emotions on a day with no mood rating"),
                    }
                }
            }
            Category::Notes => {
                let text = [row.detail.trim(), row.notes.trim()]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                if let Some(n) = note_text(&text) {
                    match near(&mut slots, row) {
                        Some(s) => push_note(s, n),
                        None => out.skip("notes on a day with no mood rating"),
                    }
                }
                continue;
            }
            Category::NotKept(why) => out.skip(why),
            Category::Factors => {
                let found = items(&row.detail);
                if found.is_empty() {
                    out.skip("factor rows with nothing in them");
                }
                for item in found {
                    if item.level.as_deref() == Some("none") {
                        out.skip("factors marked None (they did not happen)");
                        continue;
                    }
                    let kind = out.kind_for(&item.name).map_err(bad)?;
                    // One activity of a kind per part of the day, however
                    // many factors named it.
                    let id = stable_id(&[
                        "bearable",
                        "factor",
                        &row.date.to_string(),
                        &row.time.to_string(),
                        &kind.to_string(),
                    ]);
                    let at = instant(tz, row.date, row.time, row.line)?;
                    let entry = Entry {
                        id: id.clone(),
                        at,
                        tz: tz_name.clone(),
                        recorded_at: at,
                        updated_at: at,
                        body: EntryBody::Episode(Episode::new(kind)),
                    };
                    validate(&entry, now, row.line)?;
                    episodes.insert(id.to_string(), entry);
                }
            }
        }
        // Notes written beside anything but a mood (which took its own) or a
        // note row go with the check-in nearest in time.
        if let Some(n) = note_text(&row.notes) {
            match near(&mut slots, row) {
                Some(s) => push_note(s, n),
                None => out.skip("notes on a day with no mood rating"),
            }
        }
    }
    for s in &slots {
        out.entries.push(checkin(s, tz, &tz_name, now)?);
    }
    out.entries.extend(episodes.into_values());
    Ok(out)
}

fn checkin(s: &Slot, tz: &TimeZone, tz_name: &str, now: Timestamp) -> Result<Entry, FormatError> {
    let bad = |why: String| FormatError::Invalid(format!("line {}: {why}", s.line));
    let at = instant(tz, s.date, s.time, s.line)?;
    let rate =
        |field: &str, v: u8| Rating::new(field, i64::from(v)).map_err(|e| bad(e.to_string()));
    let mut c = CheckIn::new(rate("mood", s.mood)?);
    c.energy = s.energy.map(|v| rate("energy", v)).transpose()?;
    c.sleep_quality = s
        .sleep_quality
        .map(|v| rate("sleep_quality", v))
        .transpose()?;
    c.sleep_hours = s.sleep_hours;
    c.tags = s.tags.clone();
    let note = s.notes.join("\n");
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(bad(format!(
            "the notes for the mood rating here add up to more than {NOTE_MAX_CHARS} characters"
        )));
    }
    c.note = Some(note).filter(|n| !n.is_empty());
    // The id comes from everything in the check-in, so the same file gives
    // the same ids and a changed day comes in as a new check-in.
    let id = stable_id(&[
        "bearable",
        "checkin",
        &s.date.to_string(),
        &s.part,
        &s.time.to_string(),
        &s.mood.to_string(),
        &format!("{:?}", s.energy),
        &format!("{:?}", s.sleep_hours),
        &format!("{:?}", s.sleep_quality),
        &s.tags.join("|"),
        &s.notes.join("\u{1e}"),
    ]);
    let entry = Entry {
        id,
        at,
        tz: tz_name.to_string(),
        recorded_at: at,
        updated_at: at,
        body: EntryBody::Checkin(c),
    };
    validate(&entry, now, s.line)?;
    Ok(entry)
}

/// A local date and time as an instant, naming the line it came from.
fn instant(tz: &TimeZone, date: Date, time: Time, line: u64) -> Result<Timestamp, FormatError> {
    tz.to_zoned(DateTime::from_parts(date, time))
        .map(|z| z.timestamp())
        .map_err(|e| FormatError::Invalid(format!("line {line}: {e}")))
}

fn note_text(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn push_note(slot: &mut Slot, note: String) {
    if !slot.notes.contains(&note) {
        slot.notes.push(note);
    }
}

/// The check-in at the row's date and part of the day that `free` accepts.
fn same_part<'a>(
    slots: &'a mut [Slot],
    row: &Row,
    free: impl Fn(&Slot) -> bool,
) -> Option<&'a mut Slot> {
    slots
        .iter_mut()
        .find(|s| s.date == row.date && s.part == row.part && free(s))
}

/// The day's earliest check-in: last night's sleep belongs to it.
fn first_of_day(slots: &mut [Slot], date: Date) -> Option<&mut Slot> {
    slots
        .iter_mut()
        .filter(|s| s.date == date)
        .min_by_key(|s| s.time)
}

/// The same-day check-in nearest the row's time (earlier wins a tie).
fn near<'a>(slots: &'a mut [Slot], row: &Row) -> Option<&'a mut Slot> {
    let minutes = |t: Time| i32::from(t.hour()) * 60 + i32::from(t.minute());
    slots
        .iter_mut()
        .filter(|s| s.date == row.date)
        .min_by_key(|s| ((minutes(s.time) - minutes(row.time)).abs(), s.time))
}

/// A number on a 1–`top` scale (0 accepted), rounded to a whole step.
fn rating(row: &Row, top: u8) -> Result<u8, FormatError> {
    let v: f64 = row.value.trim().parse().map_err(|_| {
        FormatError::Invalid(format!(
            "line {}: '{}' is not a rating (expected a number from 1 to {top})",
            row.line, row.value
        ))
    })?;
    if !(v.is_finite() && (0.0..=f64::from(top)).contains(&v)) {
        return Err(FormatError::Invalid(format!(
            "line {}: {} is outside Bearable's 1 to {top} scale for this category",
            row.line, row.value
        )));
    }
    Ok(v.round() as u8)
}

/// "7:30" (hours and minutes) or "7.5" (hours).
fn sleep_hours(text: &str) -> Option<f64> {
    let t = text.trim();
    let hours = match t.split_once(':') {
        Some((h, m)) => {
            let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
            if m >= 60 {
                return None;
            }
            f64::from(h) + f64::from(m) / 60.0
        }
        None => t.parse().ok()?,
    };
    (hours.is_finite() && (0.0..=SLEEP_MAX_HOURS).contains(&hours)).then_some(hours)
}

/// One item of a `|`-separated detail: "🏃 Walking - A lot".
struct Item {
    name: String,
    level: Option<String>,
}

fn items(detail: &str) -> Vec<Item> {
    detail
        .split('|')
        .filter_map(|raw| {
            // Emoji and symbols lead many Bearable names; they are decoration.
            let text = raw
                .trim()
                .trim_start_matches(|c: char| !c.is_alphanumeric());
            let (name, level) = match text.rsplit_once(" - ") {
                Some((n, l)) if LEVELS.contains(&l.trim().to_lowercase().as_str()) => {
                    (n.trim(), Some(l.trim().to_lowercase()))
                }
                _ => (text.trim(), None),
            };
            (!name.is_empty()).then(|| Item {
                name: name.to_string(),
                level,
            })
        })
        .collect()
}

/// "2024-03-01", "2024-03-01T08:00:00Z", "1 Mar 2024", "March 1, 2024", or an
/// unambiguous "13/03/2024".
fn day(text: &str) -> Result<Date, String> {
    let t = text.trim();
    if let Some(head) = t.get(..10)
        && let Ok(d) = head.parse::<Date>()
        && t[10..].chars().next().is_none_or(|c| c == 'T' || c == ' ')
    {
        return Ok(d);
    }
    let not_a_date = || format!("'{t}' is not a date like 2024-03-01");
    if t.contains('/') {
        let parts: Vec<&str> = t.split('/').map(str::trim).collect();
        let [a, b, y] = parts.as_slice() else {
            return Err(not_a_date());
        };
        let (a, b, y): (i8, i8, i16) = (
            a.parse().map_err(|_| not_a_date())?,
            b.parse().map_err(|_| not_a_date())?,
            y.parse().map_err(|_| not_a_date())?,
        );
        let (d, m) = match (a > 12, b > 12) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ if a == b => (a, b),
            _ => {
                return Err(format!(
                    "'{t}' could be day/month or month/day; export again from Bearable so the file has the 'date formatted' column"
                ));
            }
        };
        return Date::new(y, m, d).map_err(|_| not_a_date());
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = (None, None, None);
    for w in words {
        if w.chars().all(|c| c.is_ascii_digit()) {
            match w.len() {
                4 => found.2 = w.parse::<i16>().ok(),
                1 | 2 => found.0 = w.parse::<i8>().ok(),
                _ => return Err(not_a_date()),
            }
        } else if let Some(m) = month(w) {
            found.1 = Some(m);
        }
    }
    match found {
        (Some(d), Some(m), Some(y)) => Date::new(y, m, d).map_err(|_| not_a_date()),
        _ => Err(not_a_date()),
    }
}

/// The columns by name, so older and newer exports read the same way.
struct Columns {
    date: usize,
    date_formatted: Option<usize>,
    time_of_day: usize,
    category: usize,
    value: usize,
    detail: usize,
    notes: usize,
}

const NEW: [&str; 8] = [
    "date",
    "date formatted",
    "weekday",
    "time of day",
    "category",
    "rating/amount",
    "detail",
    "notes",
];

fn read(text: &str) -> Result<Vec<Row>, FormatError> {
    let (mut reader, header, mut lines) = csv_reader(text)?;
    let find = |name: &str| header.iter().position(|h| h == name);
    let cols = match (
        find("date"),
        find("time of day"),
        find("category"),
        find("rating/amount"),
        find("detail"),
        find("notes"),
    ) {
        (Some(date), Some(time_of_day), Some(category), Some(value), Some(detail), Some(notes)) => {
            Columns {
                date,
                date_formatted: find("date formatted"),
                time_of_day,
                category,
                value,
                detail,
                notes,
            }
        }
        _ => {
            return Err(FormatError::Invalid(format!(
                "line 1: this is not a Bearable export; expected the columns {} (older exports have no 'date formatted')",
                NEW.join(",")
            )));
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let (record, line) = numbered(record, &mut lines)?;
        let bad = |why: String| FormatError::Invalid(format!("line {line}: {why}"));
        let date_text = cols
            .date_formatted
            .map(|i| &record[i])
            .filter(|d| !d.trim().is_empty())
            .unwrap_or(&record[cols.date]);
        let date = day(date_text).map_err(bad)?;
        let part = record[cols.time_of_day].trim().to_lowercase();
        let time = match PARTS_OF_DAY.iter().find(|(p, _)| *p == part) {
            Some((_, h)) => Time::new(*h, 0, 0, 0).expect("whole hours are times"),
            None => clock(&part).ok_or_else(|| {
                bad(format!(
                    "'{}' is not a time of day (am, mid, pm, pre-bed, or a time like 10:40 pm)",
                    &record[cols.time_of_day]
                ))
            })?,
        };
        rows.push(Row {
            line,
            date,
            part,
            time,
            category: category(&record[cols.category]),
            value: record[cols.value].to_string(),
            detail: record[cols.detail].to_string(),
            notes: record[cols.notes].to_string(),
        });
    }
    Ok(rows)
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

    const HEADER: &str =
        "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n";

    fn checkins(p: &Parsed) -> Vec<(&Entry, &CheckIn)> {
        p.entries
            .iter()
            .filter_map(|e| match &e.body {
                EntryBody::Checkin(c) => Some((e, c)),
                _ => None,
            })
            .collect()
    }

    fn kinds(p: &Parsed) -> Vec<String> {
        p.entries
            .iter()
            .filter_map(|e| match &e.body {
                EntryBody::Episode(ep) => Some(ep.kind.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn mood_energy_sleep_emotions_and_notes_make_check_ins() {
        let text = format!(
            "{HEADER}\
Mar 2 2024,2024-03-02,Saturday,pm,Mood,4,,\"Hard day, \"\"quiet\"\"\nbut ok\"\n\
Mar 2 2024,2024-03-02,Saturday,am,Mood,6,,\n\
Mar 2 2024,2024-03-02,Saturday,am,Energy,3,,\n\
Mar 2 2024,2024-03-02,Saturday,,Sleep,7:30,,\n\
Mar 2 2024,2024-03-02,Saturday,,Sleep quality,4,,\n\
Mar 2 2024,2024-03-02,Saturday,pm,Emotions,,\"😔 Sad | Tired, sad\",\n\
Mar 2 2024,2024-03-02,Saturday,pre-bed,Notes,,Called Sam,\n"
        );
        let p = parse(&text, &london(), now()).unwrap();
        assert_eq!(p.rows, 7);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let c = checkins(&p);
        assert_eq!(c.len(), 2);
        let (pm, pm_c) = c[0];
        assert_eq!(pm.at, "2024-03-02T18:00:00Z".parse().unwrap());
        assert_eq!(pm_c.mood.get(), 4);
        assert_eq!(pm_c.tags, ["sad", "tired"]);
        assert_eq!(
            pm_c.note.as_deref(),
            Some("Hard day, \"quiet\"\nbut ok\nCalled Sam")
        );
        let (am, am_c) = c[1];
        assert_eq!(am.at, "2024-03-02T09:00:00Z".parse().unwrap());
        assert_eq!(am_c.energy.map(|r| r.get()), Some(3));
        assert_eq!(am_c.sleep_hours, Some(7.5));
        assert_eq!(am_c.sleep_quality.map(|r| r.get()), Some(8));
        assert_eq!(pm_c.energy, None);
    }

    #[test]
    fn factors_become_activities_and_the_rest_is_counted() {
        let text = format!(
            "{HEADER}\
2024-03-01,2024-03-01,Friday,am,Mood,5,,\n\
2024-03-01,2024-03-01,Friday,,Lifestyle,,🏃 Exercise - A lot | ☕ Caffeine - None | 🌱 Gardening,\n\
2024-03-01,2024-03-01,Friday,,Social,,Cuddling | Time outside - Little,\n\
2024-03-01,2024-03-01,Friday,,Symptom,2,Fatigue (Moderate),\n\
2024-03-01,2024-03-01,Friday,,Symptom,1,Headache (Mild),\n\
2024-03-01,2024-03-01,Friday,,Meds/Supplements,,Sertraline 50mg,\n\
2024-03-01,2024-03-01,Friday,pm,Energy,4,,\n\
2024-03-02,2024-03-02,Saturday,,Sleep,8,,\n"
        );
        let p = parse(&text, &london(), now()).unwrap();
        let mut got = kinds(&p);
        got.sort();
        assert_eq!(got, ["exercise", "gardening", "intimacy", "outdoors"]);
        assert_eq!(p.custom_kinds, ["gardening"]);
        assert_eq!(p.kinds["Exercise"], "exercise");
        let skipped: BTreeMap<&str, usize> = p
            .skipped
            .iter()
            .map(|s| (s.reason.as_str(), s.rows))
            .collect();
        assert_eq!(skipped["symptoms: Hearth has no symptom tracker"], 2);
        assert_eq!(skipped["factors marked None (they did not happen)"], 1);
        assert_eq!(
            skipped["energy with no mood rating at the same time of day"],
            1
        );
        assert_eq!(skipped["sleep on a day with no mood rating"], 1);
        assert_eq!(
            skipped
                .keys()
                .filter(|k| k.starts_with("medication"))
                .count(),
            1
        );
        let ex = p
            .entries
            .iter()
            .find(|e| matches!(&e.body, EntryBody::Episode(ep) if ep.kind == Kind::Builtin(BuiltinKind::Exercise)))
            .unwrap();
        assert_eq!(ex.at, "2024-03-01T12:00:00Z".parse().unwrap());
    }

    #[test]
    fn the_older_seven_column_export_reads_the_same() {
        let old = "date,weekday,time of day,category,rating/amount,detail,notes\n\
1 Mar 2024,Friday,10:40 pm,Mood,7,,\n\
\"March 2, 2024\",Saturday,am,Mood,3,,\n";
        let p = parse(old, &london(), now()).unwrap();
        let c = checkins(&p);
        assert_eq!(c[0].0.at, "2024-03-01T22:40:00Z".parse().unwrap());
        assert_eq!(c[1].0.at, "2024-03-02T09:00:00Z".parse().unwrap());
        assert_eq!(c[1].1.mood.get(), 3);
    }

    #[test]
    fn the_same_file_gives_the_same_ids() {
        let text = format!(
            "{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,5,,x\n2024-03-01,2024-03-01,Friday,,Lifestyle,,Yoga | Yoga,\n"
        );
        let a = parse(&text, &london(), now()).unwrap();
        let b = parse(&text, &london(), now()).unwrap();
        assert_eq!(a, b);
        // The same factor twice in a part of the day is one activity.
        assert_eq!(kinds(&a), ["exercise"]);
    }

    #[test]
    fn bad_rows_name_their_line_and_why() {
        let cases = [
            ("a,b\n1,2\n".to_string(), "not a Bearable export"),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,11,,\n"),
                "line 2: 11 is outside Bearable's 1 to 10",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,good,,\n"),
                "line 2: 'good' is not a rating",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,5,,\n2024-03-01,2024-03-01,Friday,,Sleep quality,7,,\n"),
                "line 3: 7 is outside Bearable's 1 to 5",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,teatime,Mood,5,,\n"),
                "line 2: 'teatime' is not a time of day",
            ),
            (
                format!("{HEADER}x,2024-02-30,Friday,am,Mood,5,,\n"),
                "line 2: '2024-02-30' is not a date",
            ),
            (
                "date,weekday,time of day,category,rating/amount,detail,notes\n03/04/2024,x,am,Mood,5,,\n".to_string(),
                "day/month or month/day",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,5,,\n2024-03-01,2024-03-01,Friday,,Sleep,9:75,,\n"),
                "line 3: '9:75' is not a length of sleep",
            ),
            (
                format!("{HEADER}2030-03-01,2030-03-01,Friday,am,Mood,5,,\n"),
                "line 2",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,am,Mood,5\n"),
                "line 2",
            ),
            (
                format!("{HEADER}2024-03-01,2024-03-01,Friday,,Lifestyle,,🌱,\n"),
                "",
            ),
        ];
        for (text, needle) in &cases[..cases.len() - 1] {
            let e = parse(text, &london(), now()).unwrap_err().to_string();
            assert!(e.contains(needle), "{needle}: {e}");
        }
        // A lone emoji is decoration with no name: nothing to import, not an error.
        let p = parse(&cases[cases.len() - 1].0, &london(), now()).unwrap();
        assert!(p.entries.is_empty());
        assert_eq!(p.skipped[0].reason, "factor rows with nothing in them");
    }

    #[test]
    fn dates_in_the_forms_bearable_has_used() {
        let d = |s: &str| day(s).unwrap().to_string();
        assert_eq!(d("2024-03-01"), "2024-03-01");
        assert_eq!(d("2024-03-01T23:10:00.000Z"), "2024-03-01");
        assert_eq!(d("1 Mar 2024"), "2024-03-01");
        assert_eq!(d("March 1, 2024"), "2024-03-01");
        assert_eq!(d("Fri, 1 March 2024"), "2024-03-01");
        assert_eq!(d("13/03/2024"), "2024-03-13");
        assert_eq!(d("03/13/2024"), "2024-03-13");
        assert_eq!(d("03/03/2024"), "2024-03-03");
        assert!(day("2024-03-011").is_err());
        assert!(day("Mar 2024").is_err());
    }

    #[test]
    fn sleep_lengths() {
        assert_eq!(sleep_hours("7:30"), Some(7.5));
        assert_eq!(sleep_hours("0:45"), Some(0.75));
        assert_eq!(sleep_hours("8"), Some(8.0));
        assert_eq!(sleep_hours("6.25"), Some(6.25));
        assert_eq!(sleep_hours("25:00"), None);
        assert_eq!(sleep_hours("NaN"), None);
        assert_eq!(sleep_hours("-1"), None);
    }
}
