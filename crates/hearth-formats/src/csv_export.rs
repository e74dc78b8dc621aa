//! One CSV per entry type, with readable names and local times, for
//! spreadsheets and other tools. Lists are joined with "; ".

use std::collections::BTreeMap;

use hearth_core::{Entry, EntryBody, Prompt};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::FormatError;

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn local(e: &Entry) -> String {
    let tz = hearth_core::when::zone(&e.tz).unwrap_or(TimeZone::UTC);
    e.at.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string()
}

const COMMON: [&str; 6] = [
    "id",
    "at_utc",
    "local_time",
    "tz",
    "recorded_at",
    "updated_at",
];

fn common(e: &Entry) -> Vec<String> {
    vec![
        e.id.to_string(),
        e.at.to_string(),
        local(e),
        e.tz.clone(),
        e.recorded_at.to_string(),
        e.updated_at.to_string(),
    ]
}

fn header(extra: &[&str]) -> Vec<String> {
    COMMON.iter().chain(extra).map(|s| s.to_string()).collect()
}

/// Returns `(file name, contents)` for checkins, activities, medications,
/// surveys and the prompts after activities (their status as of `now`).
pub fn export(
    entries: &[Entry],
    prompts: &[Prompt],
    now: Timestamp,
) -> Result<Vec<(&'static str, String)>, FormatError> {
    let mut checkins = csv::Writer::from_writer(Vec::new());
    let mut episodes = csv::Writer::from_writer(Vec::new());
    let mut meds = csv::Writer::from_writer(Vec::new());
    let mut surveys = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| FormatError::Invalid(e.to_string());
    checkins
        .write_record(header(&[
            "mood",
            "energy",
            "stress",
            "loneliness",
            "desire",
            "sleep_hours",
            "sleep_quality",
            "not_safe",
            "tags",
            "note",
        ]))
        .map_err(err)?;
    episodes
        .write_record(header(&[
            "kind",
            "minutes",
            "mood_before",
            "mood_after",
            "followup",
            "followup_at",
            "touch",
            "exercise_type",
            "pressured",
            "protection",
            "new_partner",
            "motive",
            "feelings",
            "satisfaction",
            "in_control",
            "note",
        ]))
        .map_err(err)?;
    meds.write_record(header(&["medication", "class", "event", "dose", "unit"]))
        .map_err(err)?;
    surveys
        .write_record(header(&[
            "instrument",
            "version",
            "total",
            "band",
            "crisis",
            "answers",
            "extras",
        ]))
        .map_err(err)?;
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.at);
    for e in sorted {
        let mut row = common(e);
        match &e.body {
            EntryBody::Checkin(c) => {
                row.extend([
                    c.mood.to_string(),
                    opt(c.energy),
                    opt(c.stress),
                    opt(c.loneliness),
                    opt(c.desire),
                    opt(c.sleep_hours),
                    opt(c.sleep_quality),
                    c.not_safe.to_string(),
                    c.tags.join("; "),
                    c.note.clone().unwrap_or_default(),
                ]);
                checkins.write_record(row).map_err(err)?;
            }
            EntryBody::Episode(ep) => {
                row.extend([
                    ep.kind.to_string(),
                    opt(ep.minutes),
                    opt(ep.mood_before),
                    opt(ep.mood_after),
                    opt(ep.followup),
                    opt(ep.followup_at),
                    opt(ep.touch),
                    opt(ep.exercise_type),
                    ep.pressured.to_string(),
                    ep.protection
                        .map(|p| if p { "yes" } else { "no" }.to_string())
                        .unwrap_or_default(),
                    ep.new_partner.to_string(),
                    opt(ep.motive),
                    ep.feelings
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    opt(ep.satisfaction),
                    opt(ep.in_control),
                    ep.note.clone().unwrap_or_default(),
                ]);
                episodes.write_record(row).map_err(err)?;
            }
            EntryBody::Medication(m) => {
                row.extend([
                    m.medication.clone(),
                    m.class.to_string(),
                    m.event.to_string(),
                    opt(m.dose),
                    m.unit.to_string(),
                ]);
                meds.write_record(row).map_err(err)?;
            }
            EntryBody::Survey(s) => {
                row.extend([
                    s.instrument.clone(),
                    s.version.clone(),
                    s.total.to_string(),
                    s.band.clone().unwrap_or_default(),
                    s.crisis.to_string(),
                    s.answers
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                    s.extras
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]);
                surveys.write_record(row).map_err(err)?;
            }
        }
    }
    let done = |w: csv::Writer<Vec<u8>>| -> Result<String, FormatError> {
        let bytes = w
            .into_inner()
            .map_err(|e| FormatError::Invalid(e.to_string()))?;
        Ok(String::from_utf8(bytes).expect("written from strings"))
    };
    let asked = prompts_csv(entries, prompts, now)?;
    Ok(vec![
        ("checkins.csv", done(checkins)?),
        ("activities.csv", done(episodes)?),
        ("medications.csv", done(meds)?),
        ("surveys.csv", done(surveys)?),
        ("prompts.csv", asked),
    ])
}

/// Each prompt with its window, when it was first shown and answered, and
/// its status, with local times in the zone of the activity it asks about.
fn prompts_csv(
    entries: &[Entry],
    prompts: &[Prompt],
    now: Timestamp,
) -> Result<String, FormatError> {
    let zones: BTreeMap<&str, &str> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.tz.as_str()))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| FormatError::Invalid(e.to_string());
    w.write_record([
        "id",
        "activity_id",
        "asks",
        "status",
        "scheduled_at",
        "closes_at",
        "local_scheduled",
        "local_closes",
        "tz",
        "shown_at",
        "answered_at",
        "dismissed_at",
        "rating",
    ])
    .map_err(err)?;
    for p in prompts {
        let tz_name = p
            .entry_id
            .as_ref()
            .and_then(|id| zones.get(id.as_str()).copied())
            .unwrap_or("UTC");
        let tz = hearth_core::when::zone(tz_name).unwrap_or(TimeZone::UTC);
        let local = |t: Timestamp| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        };
        w.write_record([
            p.id.to_string(),
            opt(p.entry_id.as_ref()),
            p.kind.as_str().to_string(),
            p.status(now).as_str().to_string(),
            p.scheduled_at.to_string(),
            p.closes_at.to_string(),
            local(p.scheduled_at),
            local(p.closes_at),
            tz_name.to_string(),
            opt(p.shown_at),
            opt(p.answered_at),
            opt(p.dismissed_at),
            opt(p.rating),
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| FormatError::Invalid(e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("written from strings"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::model::CheckIn;
    use hearth_core::{EntryId, Rating};

    #[test]
    fn notes_with_commas_quotes_and_newlines_survive() {
        let mut c = CheckIn::new(Rating::new("mood", 4).unwrap());
        c.note = Some("a, \"b\"\nc".into());
        c.tags = vec!["work".into(), "family".into()];
        let at = "2026-03-01T20:30:00Z".parse().unwrap();
        let e = Entry {
            id: EntryId::from_bits(1),
            at,
            tz: "Europe/Berlin".into(),
            recorded_at: at,
            updated_at: at,
            body: EntryBody::Checkin(c),
        };
        let files = export(&[e], &[], "2026-03-02T00:00:00Z".parse().unwrap()).unwrap();
        let (name, text) = &files[0];
        assert_eq!(*name, "checkins.csv");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!(&row[2], "2026-03-01 21:30");
        assert_eq!(&row[14], "work; family");
        assert_eq!(&row[15], "a, \"b\"\nc");
        assert_eq!(
            files[1].1.lines().count(),
            1,
            "only a header for activities"
        );
    }
}

/// The CSV files in one zip archive, each named as in a directory export.
pub fn zip(files: &[(&'static str, String)]) -> Result<Vec<u8>, FormatError> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600);
        for (name, text) in files {
            z.start_file(*name, options)
                .map_err(|e| FormatError::Invalid(format!("could not write {name}: {e}")))?;
            z.write_all(text.as_bytes())?;
        }
        z.finish()
            .map_err(|e| FormatError::Invalid(format!("could not finish the archive: {e}")))?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod zip_tests {
    #[test]
    fn the_archive_holds_every_file_as_written() {
        let files = vec![
            ("checkins.csv", "id,mood\na,5\n".to_string()),
            (
                "episodes.csv",
                "id,kind\nb,\"art, with comma\"\n".to_string(),
            ),
        ];
        let bytes = super::zip(&files).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        for (name, text) in &files {
            let mut f = archive.by_name(name).unwrap();
            let mut got = String::new();
            std::io::Read::read_to_string(&mut f, &mut got).unwrap();
            assert_eq!(&got, text);
        }
    }
}
