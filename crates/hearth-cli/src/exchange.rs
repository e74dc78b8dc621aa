//! `hearth export` and `hearth import`.

use std::path::PathBuf;

use hearth_store::{Filter, LOCAL_USER, SqliteStore, Store};

use hearth_app::Clock;

use crate::cli::{ExportFormat, ImportFormat, ReportFormat};

use crate::failure::{Failure, Outcome, print_json};

/// The FHIR Patient id for the person a local journal belongs to.
const PATIENT_ID: &str = "hearth-person";

pub async fn export(
    store: &SqliteStore,
    clock: &Clock,
    format: ExportFormat,
    out: Option<PathBuf>,
    patient_name: Option<&str>,
    json: bool,
) -> Outcome {
    match format {
        ExportFormat::Fhir => {
            let entries = store.list(LOCAL_USER, &Filter::default()).await?;
            let (registry, refused) = crate::instruments::registry();
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
        ExportFormat::Json => {
            let export = hearth_app::export::journal(store, LOCAL_USER, clock.now).await?;
            match out {
                Some(path) => {
                    let mut file =
                        std::io::BufWriter::with_capacity(1 << 16, create_private(&path)?);
                    export
                        .write_json(&mut file)
                        .and_then(|()| std::io::Write::flush(&mut file))
                        .map_err(|e| write_failed(&path, e))?;
                    report_written(json, &path, export.entries.len());
                }
                // The same bytes as `write_json`: the JSON, then a newline.
                None => print_json(&export),
            }
        }
        ExportFormat::Csv => {
            let Some(dir) = out else {
                return Err(Failure::Input(
                    "CSV export writes one file per entry type: give a directory with --out DIR, or --out FILE.zip"
                        .into(),
                ));
            };
            let (entries, prompts) =
                hearth_app::export::entries_and_prompts(store, LOCAL_USER).await?;
            let files = hearth_formats::csv_export::export(&entries, &prompts, clock.now)
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
            if !dir.exists() {
                // A directory Hearth makes for the export is this user's alone;
                // one the person already had keeps its own permissions.
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                builder.create(&dir).map_err(|e| {
                    Failure::Other(format!("could not create {}: {e}", dir.display()))
                })?;
            }
            for (name, text) in &files {
                write_private(&dir.join(name), text.as_bytes())?;
            }
            report_written(json, &dir, entries.len());
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

/// Writes an unencrypted export readable by this user only.
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    create_private(path)?
        .write_all(bytes)
        .map_err(|e| write_failed(path, e))
}

fn write_failed(path: &std::path::Path, e: std::io::Error) -> Failure {
    Failure::Other(format!("could not write {}: {e}", path.display()))
}

/// The file at `path` for an export, which holds health data: made or
/// emptied, and readable by its owner only. A file already there is
/// narrowed to 0600 before anything is written, and a symbolic link in its
/// place is refused rather than followed.
fn create_private(path: &std::path::Path) -> Result<std::fs::File, Failure> {
    let failed = |e: std::io::Error| write_failed(path, e);
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Failure::Input(format!(
            "{} is a symbolic link; give the file itself, so the export cannot land somewhere unexpected",
            path.display()
        )));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW: a link made between the check and the open is refused too.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(failed)?;
    }
    Ok(file)
}

pub async fn import(
    store: &SqliteStore,
    clock: &Clock,
    file: PathBuf,
    format: ImportFormat,
    mood_map: Option<&str>,
    dry_run: bool,
    json: bool,
) -> Outcome {
    use hearth_app::AppError;
    use hearth_app::import::Format;
    let format = Format::from(format);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::Input(format!("could not read {}: {e}", file.display())))?;
    let bar = std::sync::OnceLock::new();
    let show = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = |n: usize, total: usize| {
        if !show || total <= 2000 {
            return;
        }
        bar.get_or_init(|| {
            let bar = indicatif::ProgressBar::new(total as u64).with_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} entries, {eta} left",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.set_message(if dry_run { "Checking" } else { "Importing" });
            bar
        })
        .set_position(n as u64);
    };
    let result = hearth_app::import::run(
        store, LOCAL_USER, clock, &text, format, mood_map, dry_run, &progress,
    )
    .await;
    if let Some(bar) = bar.get() {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(s) => s,
        Err(AppError::File(why)) => {
            return Err(Failure::Input(format!("{}: {why}", file.display())));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        print_json(&summary);
    } else {
        for line in summary.lines() {
            println!("{line}");
        }
    }
    Ok(())
}

pub async fn report(
    store: &SqliteStore,
    clock: &Clock,
    (from, to): (Option<String>, Option<String>),
    leave_out: &[hearth_core::vocab::ReportSection],
    format: ReportFormat,
    out: Option<PathBuf>,
    json: bool,
) -> Outcome {
    use hearth_core::when::parse_date;
    let (from, to) = hearth_app::report::period(
        from.map(|f| parse_date("from", &f)).transpose()?,
        to.map(|t| parse_date("to", &t)).transpose()?,
        clock.today(),
    )?;
    if format == ReportFormat::Pdf && out.is_none() {
        return Err(Failure::Input(
            "a PDF is not text: give a file with --out report.pdf".into(),
        ));
    }
    let (registry, _) = crate::instruments::registry();
    let built = hearth_app::report::build(
        store,
        LOCAL_USER,
        &registry,
        clock,
        (Some(from), Some(to)),
        leave_out,
    )
    .await?;
    let (n, built) = (built.entries, built.report);
    let bytes = if format == ReportFormat::Pdf {
        hearth_app::typeset::pdf(&built).map_err(|e| Failure::Other(e.to_string()))?
    } else {
        built.to_html().into_bytes()
    };
    let in_period_len = n;
    match out {
        Some(path) => {
            write_private(&path, &bytes)?;
            if json {
                print_json(
                    &serde_json::json!({"path": path, "from": from, "to": to, "entries": in_period_len, "format": format.as_str()}),
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
