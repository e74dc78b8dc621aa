//! `hearth passphrase` and `hearth delete-everything`: how the journal is
//! locked, and removing it for good.

use std::path::Path;

use hearth_store::{keys, sqlite};
use zeroize::Zeroizing;

use crate::cli::PassphraseCommand;
use crate::failure::{Failure, Outcome, print_json};
use crate::open;

/// Where a script gives the new passphrase; the current one comes from
/// `HEARTH_PASSPHRASE`, as for every command.
const NEW_PASSPHRASE_ENV: &str = "HEARTH_NEW_PASSPHRASE";

fn exists(dir: &Path) -> Result<(), Failure> {
    if sqlite::exists(dir) {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "there is no journal in {} yet",
            dir.display()
        )))
    }
}

fn new_passphrase() -> Result<(Zeroizing<String>, Zeroizing<String>), Failure> {
    if let Ok(p) = std::env::var(NEW_PASSPHRASE_ENV) {
        let p = Zeroizing::new(p);
        return Ok((p.clone(), p));
    }
    let first = open::prompt("New passphrase: ")?;
    let again = open::prompt("Type it again: ")?;
    Ok((first, again))
}

pub async fn passphrase(dir: &Path, cmd: &PassphraseCommand, json: bool) -> Outcome {
    exists(dir)?;
    let had = open::is_passphrase_journal(dir);
    let current = if had {
        Some(open::ask_passphrase("Passphrase now: ")?)
    } else {
        None
    };
    let new = match cmd {
        PassphraseCommand::Set => Some(new_passphrase()?),
        PassphraseCommand::Remove => None,
    };
    let changed = hearth_app::journal::protect(
        dir,
        current.as_deref().map(String::as_str),
        new.as_ref().map(|(p, a)| (p.as_str(), a.as_str())),
    )
    .await;
    match changed {
        Err(hearth_store::StoreError::Locked(_)) => {
            return Err(Failure::Other(
                "that is not the journal's passphrase now; nothing was changed".into(),
            ));
        }
        other => other?,
    }
    if json {
        print_json(&serde_json::json!({"passphrase": new.is_some()}));
    } else if new.is_some() {
        println!(
            "The journal now opens only with its passphrase. Hearth cannot recover it if it is lost."
        );
    } else {
        println!(
            "The passphrase is removed. The key is in {} — anyone who can read that file can open the journal.",
            dir.join(keys::KEY_FILE).display()
        );
    }
    Ok(())
}

pub fn delete_everything(dir: &Path, yes: bool, json: bool) -> Outcome {
    exists(dir)?;
    if !yes {
        if !crate::term::interactive() {
            return Err(Failure::Input(
                "deleting the journal needs --yes when there is no terminal to ask on".into(),
            ));
        }
        let typed = crate::term::ask(
            &format!(
                "This deletes the journal in {} for good; only a backup made before can bring it back.\nType \"{}\" to go on:",
                dir.display(),
                hearth_app::journal::DELETE_PHRASE
            ),
            |t: &str| Ok::<_, std::convert::Infallible>(t.to_string()),
        )
        .unwrap_or_default();
        hearth_app::journal::check_delete_phrase(&typed)?;
    }
    sqlite::destroy(dir)?;
    if json {
        print_json(&serde_json::json!({"deleted": true}));
    } else {
        println!("The journal in {} is deleted.", dir.display());
    }
    Ok(())
}
