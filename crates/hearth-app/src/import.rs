//! Bringing a file into a journal: Hearth's own export, Daylio or Bearable.
//! One path for the CLI, the API and the Settings page, so each refuses the
//! same files in the same words and reports the same summary.

use std::collections::BTreeMap;

use hearth_core::EntryBody;
use hearth_formats::hearth_json::Export;
use hearth_formats::import::{Parsed, Skipped};
use hearth_store::{Restore, Store, UserId};
use serde::Serialize;

use crate::Clock;

/// The largest file the web app and API take (a decade of Bearable rows is
/// a few MB).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// What one import may bring besides entries. A real export holds a handful
/// of each; a hostile file must not flood the kind lists, or Help's contacts
/// beside the crisis lines, or the questions in a clinician's report.
pub const MAX_KINDS: usize = 500;
pub const MAX_CONTACTS: usize = 100;
pub const MAX_QUESTIONS: usize = 100;
/// Entries in one file: a decade of several check-ins a day is ~50,000.
pub const MAX_ENTRIES: usize = 500_000;
/// Three prompts at most for each episode.
pub const MAX_PROMPTS: usize = 3 * MAX_ENTRIES;

/// Refuses a file that holds more than one import may bring.
fn within_limits(r: &Restore) -> Result<(), AppError> {
    let over = [
        (
            r.custom_kinds.len(),
            MAX_KINDS,
            "activities of its own kind",
        ),
        (r.contacts.len(), MAX_CONTACTS, "contacts"),
        (r.questions.len(), MAX_QUESTIONS, "questions"),
        (r.entries.len(), MAX_ENTRIES, "entries"),
        (r.prompts.len(), MAX_PROMPTS, "prompts"),
    ]
    .into_iter()
    .find(|(n, max, _)| n > max);
    match over {
        Some((n, max, what)) => Err(AppError::File(format!(
            "the file holds {n} {what}, more than the {max} one import may bring; nothing was imported"
        ))),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hearth,
    Daylio,
    Bearable,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Hearth, Format::Daylio, Format::Bearable];

    pub fn parse(text: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("'{text}' is not a format Hearth imports: use hearth, daylio or bearable")
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Hearth => "hearth",
            Format::Daylio => "daylio",
            Format::Bearable => "bearable",
        }
    }
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub format: String,
    pub dry_run: bool,
    /// Rows in the file (for Hearth's export: entries).
    pub rows: usize,
    pub added: usize,
    /// Entries already in the journal, unchanged: importing twice adds nothing.
    pub unchanged: usize,
    pub checkins: usize,
    pub activities: usize,
    pub custom_kinds_added: usize,
    /// Activities with no Hearth kind, kept as the person's own kinds.
    pub custom_kinds: Vec<String>,
    /// The other app's activity name → the kind it became.
    pub activity_kinds: BTreeMap<String, String>,
    /// Rows left out on purpose, by reason: `{"reason": "...", "rows": 2}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub skipped: Vec<Skipped>,
    pub contacts_added: usize,
    pub settings_applied: bool,
}

use crate::AppError;

/// Reads `text` as `format` and restores it for `user`, all or nothing.
/// `progress` hears (entries written, entries in all) now and then.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    text: &str,
    format: Format,
    mood_map: Option<&str>,
    dry_run: bool,
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> Result<Summary, AppError> {
    let refuse =
        |e: hearth_formats::FormatError| AppError::File(format!("{e}; nothing was imported"));
    if mood_map.is_some() && format != Format::Daylio {
        return Err(AppError::File(
            "a mood map is for Daylio's mood labels; other formats' moods are already numbers"
                .into(),
        ));
    }
    let fresh = store.count(user).await? == 0;
    let (restore, settings, parsed) = match format {
        Format::Hearth => {
            let export = Export::parse(text).map_err(refuse)?;
            let restore = Restore {
                custom_kinds: export.custom_kinds,
                contacts: export.contacts,
                questions: export.questions,
                entries: export.entries,
                prompts: export.prompts,
                dry_run,
            };
            let parsed = Parsed {
                rows: restore.entries.len(),
                ..Parsed::default()
            };
            (restore, Some(export.settings), parsed)
        }
        Format::Daylio | Format::Bearable => {
            let mut parsed = if format == Format::Daylio {
                let moods = hearth_formats::daylio::mood_map(mood_map).map_err(refuse)?;
                hearth_formats::daylio::parse(text, &clock.tz, &moods, clock.now)
            } else {
                hearth_formats::bearable::parse(text, &clock.tz, clock.now)
            }
            .map_err(refuse)?;
            let restore = Restore {
                custom_kinds: parsed.custom_kinds.clone(),
                contacts: vec![],
                questions: vec![],
                entries: std::mem::take(&mut parsed.entries),
                prompts: vec![],
                dry_run,
            };
            (restore, None, parsed)
        }
    };
    within_limits(&restore)?;
    let total = restore.entries.len();
    let done = store
        .restore_with_progress(user, &restore, clock.now, &|n| progress(n, total))
        .await?;
    // Settings come along only into an empty journal, so an import never
    // changes the zone or region of a journal already in use.
    let settings_applied = fresh && !dry_run && settings.is_some();
    if let (true, Some(s)) = (settings_applied, &settings) {
        store.set_settings(user, s).await?;
    }
    let count = |f: fn(&EntryBody) -> bool| restore.entries.iter().filter(|e| f(&e.body)).count();
    Ok(Summary {
        format: format.as_str().to_string(),
        dry_run,
        rows: parsed.rows,
        added: done.added,
        unchanged: done.unchanged,
        checkins: count(|b| matches!(b, EntryBody::Checkin(_))),
        activities: count(|b| matches!(b, EntryBody::Episode(_))),
        custom_kinds_added: done.kinds_added,
        custom_kinds: restore.custom_kinds,
        activity_kinds: parsed.kinds,
        skipped: parsed.skipped,
        contacts_added: done.contacts_added,
        settings_applied,
    })
}

impl Summary {
    /// The summary in sentences, for the terminal and the web page.
    pub fn lines(&self) -> Vec<String> {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let were = if self.unchanged == 1 { "was" } else { "were" };
        let mut out = vec![format!(
            "{} {} from {} {}; {} {were} already here and {were} skipped.",
            if self.dry_run {
                "Would import"
            } else {
                "Imported"
            },
            count(self.added, "entry", "entries"),
            self.rows,
            if self.format == "hearth" {
                "exported entries"
            } else {
                "rows"
            },
            self.unchanged,
        )];
        if self.format != "hearth" {
            out.push(format!(
                "The file holds {} and {}.",
                count(self.checkins, "check-in", "check-ins"),
                count(self.activities, "activity", "activities")
            ));
        }
        for s in &self.skipped {
            out.push(format!(
                "Not imported: {} — {}.",
                count(s.rows, "row", "rows"),
                s.reason
            ));
        }
        if !self.custom_kinds.is_empty() {
            out.push(format!(
                "Activities without a Hearth kind are kept as your own kinds: {}.",
                self.custom_kinds.join(", ")
            ));
        }
        if self.contacts_added > 0 {
            out.push(format!("Contacts added: {}.", self.contacts_added));
        }
        if self.settings_applied {
            out.push(
                "The export's settings (time zone, region, cadence) were applied to this new journal."
                    .into(),
            );
        }
        if self.dry_run {
            out.push("This was only a check: nothing was written.".into());
        }
        out
    }
}
