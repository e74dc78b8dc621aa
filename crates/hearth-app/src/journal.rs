//! Starting a journal: its zone, its passphrase, and the demo year.

use std::path::Path;

use hearth_core::{Entry, ValidationError};
use hearth_store::keys::Unlock;
use hearth_store::{NewEntry, Store, StoreError, UserId};
use jiff::Timestamp;

/// The shortest passphrase a journal accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Checks a new passphrase and its repetition.
pub fn check_passphrase(passphrase: &str, again: &str) -> Result<(), ValidationError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(ValidationError::invalid(
            "passphrase",
            format!("needs at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    if passphrase != again {
        return Err(ValidationError::invalid(
            "passphrase",
            "the two passphrases were different",
        ));
    }
    crate::secrets::check_guessable("passphrase", passphrase, &["hearth", "journal"])
}

/// Adds or changes (`new`, typed twice) or removes (`None`) the passphrase
/// of the closed local journal in `dir`; `current` is its passphrase now,
/// if it has one. A new passphrase meets the same rules as at the start; a
/// wrong current one changes nothing.
pub async fn protect(
    dir: &Path,
    current: Option<&str>,
    new: Option<(&str, &str)>,
) -> Result<(), StoreError> {
    if let Some((p, again)) = new {
        check_passphrase(p, again)?;
    }
    let how = match current {
        Some(p) => Unlock::Passphrase(p),
        None => Unlock::KeyFileOnly,
    };
    hearth_store::protect::change_protection(dir, &how, new.map(|n| n.0)).await
}

/// What a person types to delete their whole journal: words, not a click,
/// because nothing but a backup made beforehand can bring it back.
pub const DELETE_PHRASE: &str = "delete everything";

/// Checks the words typed to confirm deleting the journal.
pub fn check_delete_phrase(typed: &str) -> Result<(), ValidationError> {
    if typed.trim().eq_ignore_ascii_case(DELETE_PHRASE) {
        Ok(())
    } else {
        Err(ValidationError::invalid(
            "confirm",
            format!("type \"{DELETE_PHRASE}\" to delete the journal; nothing was deleted"),
        ))
    }
}

/// The system's IANA zone, or UTC when the system does not say.
pub fn system_zone() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .unwrap_or_else(|| "UTC".into())
}

/// Fills an empty journal with made-up demo data; refuses one that already
/// has entries, so real and made-up data never mix.
pub async fn fill_demo(
    store: &dyn Store,
    user: UserId,
    spec: &hearth_core::demo::Spec,
    tz_name: &str,
    now: Timestamp,
) -> Result<Vec<Entry>, StoreError> {
    let existing = store.count(user).await?;
    if existing > 0 {
        return Err(ValidationError::invalid(
            "journal",
            format!("already has {existing} entries, and demo data would mix with them"),
        )
        .into());
    }
    let new: Vec<NewEntry> = hearth_core::demo::generate(spec)
        .into_iter()
        .map(|g| NewEntry {
            at: g.at,
            tz: tz_name.to_string(),
            body: g.body,
        })
        .collect();
    let made = store.insert(user, &new, now).await?;
    // Its later ratings answered prompts, as a person's would have.
    let prompts: Vec<_> = made
        .iter()
        .filter_map(hearth_core::demo::answered_prompt)
        .collect();
    store
        .restore(
            user,
            &hearth_store::Restore {
                prompts,
                ..hearth_store::Restore::default()
            },
            now,
        )
        .await?;
    // Made-up data is labelled as such wherever it is shown.
    let mut settings = store.settings(user).await?;
    settings.demo = true;
    store.set_settings(user, &settings).await?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_needs_its_length_and_its_twin() {
        crate::secrets::estimate_here();
        assert!(check_passphrase("short", "short").is_err());
        assert!(check_passphrase("long enough", "long enougH").is_err());
        assert!(check_passphrase("copper kettle rain", "copper kettle rain").is_ok());
        assert!(check_passphrase(&"x".repeat(MIN_PASSPHRASE_CHARS), &"x".repeat(8)).is_err());
        assert!(check_passphrase("hearthjournal", "hearthjournal").is_err());
    }
}
