//! Changing how a local journal is locked: adding, changing or removing its
//! passphrase. The journal is copied under its new key into a private
//! staging directory and checked whole there before anything of it
//! changes. It is then put in place in steps that each leave a journal that
//! opens: until the new database is in place, `store.json` names the old way
//! of locking as `previous`, which opening tries when the new one fails.

use std::fs;
use std::path::{Path, PathBuf};

use rand::RngExt;

use crate::keys::{self, DB_FILE, KEY_FILE, KeyMode, Meta, Unlock};
use crate::sqlite::SqliteStore;
use crate::{Result, StoreError};

/// A private scratch directory beside the journal, removed when dropped.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// Locks the closed journal in `dir` a new way: with `passphrase`, or with a
/// key file beside it when `None`. `how` unlocks it as it is now; a wrong
/// passphrase changes nothing.
pub async fn change_protection(
    dir: &Path,
    how: &Unlock<'_>,
    passphrase: Option<&str>,
) -> Result<()> {
    let Some(meta) = keys::read_meta(dir)? else {
        return Err(StoreError::NoStore(dir.to_path_buf()));
    };
    if passphrase.is_none() && meta.mode == KeyMode::File {
        return Err(hearth_core::ValidationError::invalid(
            "passphrase",
            "this journal has no passphrase to remove",
        )
        .into());
    }
    let store = SqliteStore::open(dir, how).await?;
    let staging = Staging(dir.join(format!(".protect-{:016x}", rand::rng().random::<u64>())));
    fs::create_dir(&staging.0)?;
    let (key, mode) = keys::fresh(passphrase)?;
    let copy = staging.0.join(DB_FILE);
    keys::write_private(&copy, b"")?;
    let exported = store.export_to(&copy, &key).await;
    store.close().await;
    exported?;
    let checked = SqliteStore::open_file(&copy, &key).await?;
    let integrity = checked.check_integrity().await;
    checked.close().await;
    integrity?;

    // In place, one step at a time. A new key file goes in first: the old
    // way of locking never uses one when the new way does.
    if mode == KeyMode::File {
        remove_if_there(&dir.join(KEY_FILE))?;
        keys::write_key_file(&dir.join(KEY_FILE), &key)?;
    }
    let during = Meta {
        format: keys::FORMAT,
        mode: mode.clone(),
        previous: Some(meta.mode),
    };
    keys::replace_meta(dir, &during)?;
    // The old database's write-ahead files went when it was closed; any
    // left would be replayed into the new one.
    for stale in ["hearth.db-wal", "hearth.db-shm"] {
        remove_if_there(&dir.join(stale))?;
    }
    fs::rename(&copy, dir.join(DB_FILE))?;
    let done = Meta {
        previous: None,
        ..during
    };
    keys::replace_meta(dir, &done)?;
    if mode != KeyMode::File {
        remove_if_there(&dir.join(KEY_FILE))?;
    }
    Ok(())
}
