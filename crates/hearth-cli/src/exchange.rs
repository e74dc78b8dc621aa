//! `hearth export` and `hearth import`.

use std::path::PathBuf;

use hearth_formats::hearth_json::Export;
use hearth_formats::import::Parsed;
use hearth_store::{Filter, LOCAL_USER, Restore, Settings, SqliteStore, Store};

use crate::fields::Clock;

use crate::{Failure, Outcome, print_json};

/// The FHIR Patient id for the person a local journal belongs to.
const PATIENT_ID: &str = "hearth-person";

pub async fn export(
    store: &SqliteStore,
    clock: &Clock,
    format: &str,
    out: Option<PathBuf>,
    patient_name: Option<&str>,
    json: bool,
) -> Outcome {
    let entries = store.list(LOCAL_USER, &Filter::default()).await?;
    match format {
        "fhir" => {
            let (registry, refused) = crate::survey::registry();
            for r in &refused {
                eprintln!("warning: {r}");
            }
            let bundle = hearth_formats::fhir::bundle(
                &entries,
                &registry,
                PATIENT_ID,
                patient_name,
                clock.now,
            );
            let text = serde_json::to_string_pretty(&bundle).expect("bundles serialise") + "\n";
            let n = bundle["entry"]
                .as_array()
                .map_or(0, |e| e.len().saturating_sub(1));
            match out {
                Some(path) => {
                    write_private(&path, text.as_bytes())?;
                    report_written(json, &path, n);
                }
                None => print!("{text}"),
            }
        }
        "json" => {
            let export = hearth_server::export::journal(store, LOCAL_USER, clock.now).await?;
            let text = export.to_json();
            match out {
                Some(path) => {
                    write_private(&path, text.as_bytes())?;
                    report_written(json, &path, export.entries.len());
                }
                None => print!("{text}"),
            }
        }
        "csv" => {
            let Some(dir) = out else {
                return Err(Failure::Input(
                    "CSV export writes one file per entry type: give a directory with --out DIR, or --out FILE.zip"
                        .into(),
                ));
            };
            let files = hearth_formats::csv_export::export(&entries)
                .map_err(|e| Failure::Other(e.to_string()))?;
            if dir
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
            {
                let bytes = hearth_formats::csv_export::zip(&files)
                    .map_err(|e| Failure::Other(e.to_string()))?;
                write_private(&dir, &bytes)?;
                report_written(json, &dir, entries.len());
                return Ok(());
            }
            std::fs::create_dir_all(&dir)
                .map_err(|e| Failure::Other(format!("could not create {}: {e}", dir.display())))?;
            for (name, text) in &files {
                write_private(&dir.join(name), text.as_bytes())?;
            }
            report_written(json, &dir, entries.len());
        }
        other => {
            return Err(Failure::Input(format!(
                "--format must be json, csv or fhir (got '{other}')"
            )));
        }
    }
    Ok(())
}

fn report_written(json: bool, path: &std::path::Path, n: usize) {
    if json {
        print_json(&serde_json::json!({"path": path, "entries": n}));
    } else {
        eprintln!(
            "Exported {n} entries to {}. The file is not encrypted: keep it somewhere private.",
            path.display()
        );
    }
}

/// Exports hold health data: readable by their owner only.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| Failure::Other(format!("could not write {}: {e}", path.display())))
}

pub async fn import(
    store: &SqliteStore,
    clock: &Clock,
    file: PathBuf,
    format: &str,
    mood_map: Option<&str>,
    dry_run: bool,
    json: bool,
) -> Outcome {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::Input(format!("could not read {}: {e}", file.display())))?;
    let refuse = |e: hearth_formats::FormatError| {
        Failure::Input(format!("{}: {e}; nothing was imported", file.display()))
    };
    let fresh = store.count(LOCAL_USER).await? == 0;
    let (restore, settings, parsed) = match format {
        "hearth" => {
            let export = Export::parse(&text).map_err(refuse)?;
            let restore = Restore {
                custom_kinds: export.custom_kinds.clone(),
                contacts: export
                    .contacts
                    .iter()
                    .map(|c| hearth_store::Contact {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        contact: c.contact.clone(),
                        note: c.note.clone(),
                    })
                    .collect(),
                questions: export
                    .questions
                    .iter()
                    .map(|q| hearth_store::Question {
                        id: q.id.clone(),
                        text: q.text.clone(),
                        created_at: q.created_at,
                    })
                    .collect(),
                entries: export.entries.clone(),
                dry_run,
            };
            let parsed = Parsed {
                rows: export.entries.len(),
                ..Parsed::default()
            };
            (restore, Some(export.settings), parsed)
        }
        "daylio" | "bearable" => {
            let mut parsed = if format == "daylio" {
                let moods = hearth_formats::daylio::mood_map(mood_map).map_err(refuse)?;
                hearth_formats::daylio::parse(&text, &clock.tz, &moods, clock.now)
            } else {
                if mood_map.is_some() {
                    return Err(Failure::Input(
                        "--mood-map is for Daylio's mood labels; Bearable's moods are already numbers"
                            .into(),
                    ));
                }
                hearth_formats::bearable::parse(&text, &clock.tz, clock.now)
            }
            .map_err(refuse)?;
            let restore = Restore {
                custom_kinds: parsed.custom_kinds.clone(),
                contacts: vec![],
                questions: vec![],
                entries: std::mem::take(&mut parsed.entries),
                dry_run,
            };
            (restore, None, parsed)
        }
        other => {
            return Err(Failure::Input(format!(
                "--format {other} is not one Hearth imports: use hearth, daylio or bearable"
            )));
        }
    };
    let total = restore.entries.len();
    let bar = (total > 2000 && !json && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(
        || {
            let bar = indicatif::ProgressBar::new(total as u64).with_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} entries, {eta} left",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.set_message(if dry_run { "Checking" } else { "Importing" });
            bar
        },
    );
    let result = store
        .restore_with_progress(LOCAL_USER, &restore, clock.now, &|n| {
            if let Some(bar) = &bar {
                bar.set_position(n as u64);
            }
        })
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let done = result?;
    // Settings come along only into an empty journal, so an import never
    // changes the zone or region of a journal already in use.
    let settings_applied = fresh && !dry_run && settings.is_some();
    if let (true, Some(s)) = (settings_applied, &settings) {
        store
            .set_settings(
                LOCAL_USER,
                &Settings {
                    tz: s.tz.clone(),
                    region: s.region.clone(),
                    cadence: s.cadence.clone(),
                },
            )
            .await?;
    }
    let new_kinds: Vec<&String> = restore.custom_kinds.iter().collect();
    let checkins = restore
        .entries
        .iter()
        .filter(|e| matches!(e.body, hearth_core::EntryBody::Checkin(_)))
        .count();
    let activities = restore
        .entries
        .iter()
        .filter(|e| matches!(e.body, hearth_core::EntryBody::Episode(_)))
        .count();
    if json {
        print_json(&serde_json::json!({
            "format": format, "dry_run": dry_run, "rows": parsed.rows, "added": done.added, "unchanged": done.unchanged,
            "checkins": checkins, "activities": activities,
            "custom_kinds_added": done.kinds_added, "custom_kinds": new_kinds, "activity_kinds": parsed.kinds,
            "skipped": parsed.skipped,
            "contacts_added": done.contacts_added, "settings_applied": settings_applied,
        }));
    } else {
        let verb = if dry_run { "Would import" } else { "Imported" };
        println!(
            "{verb} {} entries from {} {}; {} were already here and were skipped.",
            done.added,
            parsed.rows,
            if format == "hearth" {
                "exported entries"
            } else {
                "rows"
            },
            done.unchanged
        );
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if format != "hearth" {
            println!(
                "The file holds {} and {}.",
                count(checkins, "check-in", "check-ins"),
                count(activities, "activity", "activities")
            );
        }
        for s in &parsed.skipped {
            println!(
                "Not imported: {} — {}.",
                count(s.rows, "row", "rows"),
                s.reason
            );
        }
        if !new_kinds.is_empty() {
            println!(
                "Activities without a Hearth kind are kept as your own kinds: {}.",
                new_kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if done.contacts_added > 0 {
            println!("Contacts added: {}.", done.contacts_added);
        }
        if settings_applied {
            println!(
                "The export's settings (time zone, region, cadence) were applied to this new journal."
            );
        }
        if dry_run {
            println!("This was a dry run: nothing was written.");
        }
    }
    Ok(())
}

/// Default report length: twelve weeks, about six PHQ-9s.
const REPORT_DAYS: i64 = 84;

pub async fn report(
    store: &SqliteStore,
    clock: &Clock,
    from: Option<String>,
    to: Option<String>,
    format: &str,
    out: Option<PathBuf>,
    json: bool,
) -> Outcome {
    use hearth_core::when::parse_date;
    let today = clock.now.to_zoned(clock.tz.clone()).date();
    let to = match to {
        Some(t) => parse_date("to", &t)?,
        None => today,
    };
    let from = match from {
        Some(f) => parse_date("from", &f)?,
        None => to - jiff::Span::new().days(REPORT_DAYS - 1),
    };
    if from > to {
        return Err(Failure::Input("--from is after --to".into()));
    }
    if format == "pdf" && out.is_none() {
        return Err(Failure::Input(
            "a PDF is not text: give a file with --out report.pdf".into(),
        ));
    }
    let (registry, _) = crate::survey::registry();
    let server_clock = hearth_server::input::Clock {
        now: clock.now,
        tz: clock.tz.clone(),
        tz_name: clock.tz_name.clone(),
    };
    let (_, built, n) = hearth_server::report::build(
        store,
        LOCAL_USER,
        &registry,
        &server_clock,
        Some(from),
        Some(to),
    )
    .await?;
    let bytes = if format == "pdf" {
        hearth_formats::pdf::render(&built).map_err(|e| Failure::Other(e.to_string()))?
    } else {
        built.to_html().into_bytes()
    };
    let in_period_len = n;
    match out {
        Some(path) => {
            write_private(&path, &bytes)?;
            if json {
                print_json(
                    &serde_json::json!({"path": path, "from": from, "to": to, "entries": in_period_len, "format": format}),
                );
            } else {
                eprintln!(
                    "Wrote the report for {from} to {to} to {}. It is not encrypted: share it only with your clinician.",
                    path.display()
                );
            }
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&bytes)
                .map_err(|e| Failure::Other(e.to_string()))?;
        }
    }
    Ok(())
}
