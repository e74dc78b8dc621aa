//! `hearth backup` and `hearth restore`.

use std::path::Path;

use hearth_app::backup::{self, KeySource};
use jiff::Timestamp;

use crate::failure::{Failure, Outcome, print_json};
use crate::open;

pub async fn make(
    dir: &Path,
    out: &Path,
    include_key: bool,
    now: Timestamp,
    json: bool,
) -> Outcome {
    let store = open::open(dir).await?;
    let made = backup::make(&store, dir, include_key, now).await;
    store.close().await;
    let bytes = made?;
    // Written beside its final name and renamed, so an older backup there is
    // replaced only by a whole new one.
    let partial = out.with_extension("partial");
    crate::exchange::write_private(&partial, &bytes)?;
    std::fs::rename(&partial, out).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Failure::Other(format!("could not write {}: {e}", out.display()))
    })?;
    let key_included = include_key && dir.join(hearth_store::keys::KEY_FILE).exists();
    if json {
        print_json(&serde_json::json!({
            "path": out, "bytes": bytes.len(), "includes_key": key_included, "made_at": now,
        }));
    } else if key_included {
        eprintln!(
            "Backed up the journal to {}. It holds the key too: anyone with this file can read the journal, so keep it as safe as the journal itself.",
            out.display()
        );
    } else {
        eprintln!(
            "Backed up the journal to {}, encrypted. To restore it you will need {} too: keep a copy of it somewhere safe, apart from the backup.",
            out.display(),
            if open::is_passphrase_journal(dir) {
                "the passphrase".to_string()
            } else {
                format!(
                    "the key file {}",
                    dir.join(hearth_store::keys::KEY_FILE).display()
                )
            }
        );
    }
    Ok(())
}

pub async fn restore(
    dir: &Path,
    file: &Path,
    force: bool,
    key_file: Option<&Path>,
    json: bool,
) -> Outcome {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Input(format!("could not read {}: {e}", file.display())))?;
    let b = backup::read(&bytes)?;
    let secret = if backup::needs_passphrase(&b) {
        Some(open::ask_passphrase(
            "Passphrase of the backed-up journal: ",
        )?)
    } else {
        None
    };
    let key = key_file.map_or(KeySource::Existing, KeySource::File);
    let done = backup::restore(&b, dir, force, key, secret.as_deref().map(|s| s.as_str()))
        .await
        .map_err(|e| match e {
            hearth_app::AppError::Store(hearth_store::StoreError::Locked(why)) => Failure::Other(
                format!("the backup could not be unlocked: {why}; nothing was changed"),
            ),
            hearth_app::AppError::Store(e) => Failure::Other(format!(
                "the backup was not restored: {e}; nothing was changed"
            )),
            other => other.into(),
        })?;
    if json {
        print_json(&done);
    } else {
        eprintln!(
            "Restored the journal from the backup made {}, after checking it whole{}.",
            done.made_at,
            if done.replaced {
                "; it replaced the journal that was there"
            } else {
                ""
            }
        );
    }
    Ok(())
}
