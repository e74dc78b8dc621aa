//! Backing up a journal while it is in use, and putting a backup back. A
//! backup is the encrypted database with its `store.json`; the key file goes
//! in only when asked for, since anyone holding both can read the journal.
//! A restore checks the copy whole — its key, every page's HMAC, the
//! database's structure — in a private staging directory before it touches
//! the journal, so a damaged backup or a wrong passphrase changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use hearth_formats::backup::Backup;
use hearth_store::keys::{self, KeyMode, Unlock};
use hearth_store::{SqliteStore, StoreError, sqlite};
use jiff::Timestamp;
use rand::Rng;

use crate::AppError;

/// A private scratch directory inside the journal's directory (so files can
/// be renamed into place), removed when dropped.
struct Staging(PathBuf);

impl Staging {
    fn new(dir: &Path, what: &str) -> Result<Staging, AppError> {
        let mut b = [0u8; 8];
        rand::rng().fill_bytes(&mut b);
        let path = dir.join(format!(".{what}-{}", hex::encode(b)));
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&path).map_err(StoreError::from)?;
        Ok(Staging(path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A backup of the open journal in `dir`, as the bytes of a backup file.
pub async fn make(
    store: &SqliteStore,
    dir: &Path,
    include_key: bool,
    now: Timestamp,
) -> Result<Vec<u8>, AppError> {
    let staging = Staging::new(dir, "backup")?;
    let copy = staging.0.join(keys::DB_FILE);
    store.copy_into(&copy).await?;
    let read = |p: &Path| fs::read(p).map_err(|e| AppError::Store(e.into()));
    let store_json = read(&keys::meta_path(dir))?;
    let key_file = dir.join(keys::KEY_FILE);
    let key = if include_key && key_file.exists() {
        Some(read(&key_file)?)
    } else {
        None
    };
    let backup = Backup {
        db: read(&copy)?,
        store_json,
        key,
        made_at: now.to_string(),
    };
    backup
        .to_zip()
        .map_err(|e| AppError::File(format!("could not make the backup: {e}")))
}

/// Where a restore finds the key of a key-file backup that does not hold one.
pub enum KeySource<'a> {
    /// The journal directory's own key file (restoring on the same computer).
    Existing,
    /// A copy of the key file the person kept.
    File(&'a Path),
}

/// What a restore put in place.
#[derive(Debug, serde::Serialize)]
pub struct Restored {
    pub made_at: String,
    pub passphrase: bool,
    pub replaced: bool,
}

/// Reads a backup file's bytes, refusing anything else.
pub fn read(bytes: &[u8]) -> Result<Backup, AppError> {
    Backup::from_zip(bytes).map_err(|e| AppError::File(format!("{e}; nothing was changed")))
}

/// Whether restoring `backup` needs the passphrase of the journal it copies.
pub fn needs_passphrase(backup: &Backup) -> bool {
    serde_json::from_slice::<keys::Meta>(&backup.store_json)
        .is_ok_and(|m| matches!(m.mode, KeyMode::Passphrase { .. }))
}

/// Puts `backup` in place as the journal in `dir`. Refuses to replace a
/// journal already there unless `force`; checks the copy whole before
/// anything of the journal changes.
pub async fn restore(
    backup: &Backup,
    dir: &Path,
    force: bool,
    key: KeySource<'_>,
    passphrase: Option<&str>,
) -> Result<Restored, AppError> {
    let replaced = sqlite::exists(dir);
    if replaced && !force {
        return Err(AppError::File(format!(
            "there is already a journal in {}; restoring would replace it. Back it up first, then add --force; nothing was changed",
            dir.display()
        )));
    }
    let staging = Staging::new(dir, "restore")?;
    let put = |name: &str, b: &[u8]| keys::write_private(&staging.0.join(name), b);
    put(keys::META_FILE, &backup.store_json)?;
    let meta = keys::read_meta(&staging.0)?
        .ok_or_else(|| AppError::File("the backup's store.json is empty".into()))?;
    let passphrase_mode = matches!(meta.mode, KeyMode::Passphrase { .. });
    if !passphrase_mode {
        let key_bytes = match (&backup.key, key) {
            (Some(k), _) => k.clone(),
            (None, KeySource::File(p)) => fs::read(p).map_err(|e| {
                AppError::File(format!("could not read the key file {}: {e}", p.display()))
            })?,
            (None, KeySource::Existing) => fs::read(dir.join(keys::KEY_FILE)).map_err(|_| {
                AppError::File(format!(
                    "this backup does not hold its key, and there is no key file in {}: give the copy you kept with --key-file",
                    dir.display()
                ))
            })?,
        };
        put(keys::KEY_FILE, &key_bytes)?;
    }
    put(keys::DB_FILE, &backup.db)?;
    let how = match passphrase {
        Some(p) => Unlock::Passphrase(p),
        None => Unlock::KeyFileOnly,
    };
    let checked = SqliteStore::open(&staging.0, &how).await?;
    let integrity = checked.check_integrity().await;
    checked.close().await;
    integrity?;
    // Checked: now replace the journal. The old journal's write-ahead log
    // goes first, or SQLite would replay it into the restored database.
    for stale in ["hearth.db-wal", "hearth.db-shm"] {
        match fs::remove_file(dir.join(stale)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(StoreError::from(e).into());
            }
            _ => {}
        }
    }
    let mut names = vec![keys::DB_FILE, keys::META_FILE];
    if passphrase_mode {
        // A passphrase journal keeps no key file; an old one would mislead.
        let _ = fs::remove_file(dir.join(keys::KEY_FILE));
    } else {
        names.push(keys::KEY_FILE);
    }
    for name in names {
        fs::rename(staging.0.join(name), dir.join(name)).map_err(StoreError::from)?;
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Restored {
        made_at: backup.made_at.clone(),
        passphrase: passphrase_mode,
        replaced,
    })
}
