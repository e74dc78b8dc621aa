//! `hearth export` and `hearth import`.

use std::path::PathBuf;

use hearth_formats::hearth_json::{self, Export};
use hearth_store::{Filter, LOCAL_USER, Restore, Settings, SqliteStore, Store};

use crate::fields::Clock;
use crate::{Failure, Outcome, print_json};

pub async fn export(
    store: &SqliteStore,
    clock: &Clock,
    format: &str,
    out: Option<PathBuf>,
    json: bool,
) -> Outcome {
    let entries = store.list(LOCAL_USER, &Filter::default()).await?;
    match format {
        "json" => {
            let s = store.settings(LOCAL_USER).await?;
            let contacts = store
                .contacts(LOCAL_USER)
                .await?
                .into_iter()
                .map(|c| hearth_json::Contact {
                    id: c.id,
                    name: c.name,
                    contact: c.contact,
                    note: c.note,
                })
                .collect();
            let export = Export::new(
                clock.now,
                hearth_json::Settings {
                    tz: s.tz,
                    region: s.region,
                    cadence: s.cadence,
                },
                store.custom_kinds(LOCAL_USER).await?,
                contacts,
                entries,
            );
            let text = export.to_json();
            match out {
                Some(path) => {
                    write_private(&path, text.as_bytes())?;
                    report(json, &path, export.entries.len());
                }
                None => print!("{text}"),
            }
        }
        "csv" => {
            let Some(dir) = out else {
                return Err(Failure::Input(
                    "CSV export writes one file per entry type: give a directory with --out DIR"
                        .into(),
                ));
            };
            std::fs::create_dir_all(&dir)
                .map_err(|e| Failure::Other(format!("could not create {}: {e}", dir.display())))?;
            let files = hearth_formats::csv_export::export(&entries)
                .map_err(|e| Failure::Other(e.to_string()))?;
            for (name, text) in &files {
                write_private(&dir.join(name), text.as_bytes())?;
            }
            report(json, &dir, entries.len());
        }
        other => {
            return Err(Failure::Input(format!(
                "--format must be json or csv (got '{other}')"
            )));
        }
    }
    Ok(())
}

fn report(json: bool, path: &std::path::Path, n: usize) {
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
    dry_run: bool,
    json: bool,
) -> Outcome {
    if format != "hearth" {
        return Err(Failure::Input(format!(
            "--format {format} is not supported yet; this version imports Hearth's own JSON export (--format hearth)"
        )));
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::Input(format!("could not read {}: {e}", file.display())))?;
    let export = Export::parse(&text)
        .map_err(|e| Failure::Input(format!("{}: {e}; nothing was imported", file.display())))?;
    let fresh = store.count(LOCAL_USER).await? == 0;
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
        entries: export.entries.clone(),
        dry_run,
    };
    let done = store.restore(LOCAL_USER, &restore, clock.now).await?;
    // Settings come along only into an empty journal, so an import never
    // changes the zone or region of a journal already in use.
    let settings_applied = fresh && !dry_run;
    if settings_applied {
        let s = &export.settings;
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
    if json {
        print_json(&serde_json::json!({
            "dry_run": dry_run, "added": done.added, "unchanged": done.unchanged,
            "custom_kinds_added": done.kinds_added, "contacts_added": done.contacts_added,
            "settings_applied": settings_applied,
        }));
    } else {
        let verb = if dry_run { "Would import" } else { "Imported" };
        println!(
            "{verb} {} entries ({} already here), {} custom kinds, {} contacts{}.",
            done.added,
            done.unchanged,
            done.kinds_added,
            done.contacts_added,
            if settings_applied {
                ", and the export's settings"
            } else {
                ""
            }
        );
        if dry_run {
            println!("This was a dry run: nothing was written.");
        }
    }
    Ok(())
}
