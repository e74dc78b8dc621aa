//! The store key: either 256 random bits in a key file beside the database
//! (readable only by its owner), or derived from a passphrase with Argon2id and
//! never written anywhere. `store.json` says which, and holds the KDF salt.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{Result, StoreError};

pub const DB_FILE: &str = "hearth.db";
pub const KEY_FILE: &str = "hearth.key";
pub const META_FILE: &str = "store.json";
pub const KEY_LEN: usize = 32;

/// Argon2id parameters: 64 MiB, 3 passes, one lane (OWASP's first
/// recommendation); recorded in `store.json` so they can be raised later.
pub const DEFAULT_KDF: Kdf = Kdf {
    algorithm: String::new(),
    memory_kib: 65_536,
    iterations: 3,
    parallelism: 1,
    salt: String::new(),
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// Hex-encoded random salt.
    pub salt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum KeyMode {
    /// The key is in `hearth.key`.
    File,
    /// The key is derived from a passphrase; nothing secret is stored.
    Passphrase { kdf: Kdf },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub format: u32,
    #[serde(flatten)]
    pub mode: KeyMode,
    /// While the protection is being changed: how the database was locked
    /// before, tried when `mode` does not open it (a change cut short).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<KeyMode>,
}

pub const FORMAT: u32 = 1;

/// A 256-bit store key, wiped from memory when dropped.
pub struct Key(Zeroizing<[u8; KEY_LEN]>);

impl Key {
    fn random() -> Key {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(k.as_mut());
        Key(k)
    }

    /// SQLCipher's raw-key form, which skips its own (slower) key derivation.
    pub(crate) fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"{}\"", self.raw_text().as_str()))
    }

    /// The raw key as a value to bind: `x'…'`.
    pub(crate) fn raw_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_ref())))
    }
}

/// How the caller will supply a passphrase if the store needs one.
pub enum Unlock<'a> {
    /// No passphrase available (key-file stores open without one).
    KeyFileOnly,
    Passphrase(&'a str),
}

pub fn meta_path(dir: &Path) -> PathBuf {
    dir.join(META_FILE)
}

pub fn read_meta(dir: &Path) -> Result<Option<Meta>> {
    let path = meta_path(dir);
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The most `store.json` may ask of key derivation: 1 GiB, 64 passes, 16
/// lanes — far above Hearth's own choice, so a raised setting still opens,
/// but a damaged or hostile file cannot make opening hang or exhaust memory.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 16;

fn derive(passphrase: &str, kdf: &Kdf) -> Result<Key> {
    if kdf.memory_kib > MAX_MEMORY_KIB
        || kdf.iterations > MAX_ITERATIONS
        || kdf.parallelism > MAX_PARALLELISM
    {
        return Err(StoreError::Corrupt(format!(
            "store.json asks key derivation for {} KiB, {} passes and {} lanes; at most {MAX_MEMORY_KIB} KiB, {MAX_ITERATIONS} passes and {MAX_PARALLELISM} lanes are tried",
            kdf.memory_kib, kdf.iterations, kdf.parallelism
        )));
    }
    let salt = hex::decode(&kdf.salt)
        .map_err(|_| StoreError::Corrupt("the key salt is not hex".into()))?;
    let params = Params::new(
        kdf.memory_kib,
        kdf.iterations,
        kdf.parallelism,
        Some(KEY_LEN),
    )
    .map_err(|e| StoreError::Corrupt(format!("key derivation parameters: {e}")))?;
    let mut k = Zeroizing::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, k.as_mut())
        .map_err(|e| StoreError::Corrupt(format!("key derivation: {e}")))?;
    Ok(Key(k))
}

/// Finds the key of an existing store without writing anything.
pub fn unlock(dir: &Path, meta: &Meta, how: &Unlock<'_>) -> Result<Key> {
    unlock_mode(dir, &meta.mode, how)
}

/// Finds the key one way of locking gives.
pub(crate) fn unlock_mode(dir: &Path, mode: &KeyMode, how: &Unlock<'_>) -> Result<Key> {
    match (mode, how) {
        (KeyMode::File, _) => {
            let path = dir.join(KEY_FILE);
            let text = match fs::read_to_string(&path) {
                Ok(t) => Zeroizing::new(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(StoreError::Locked(format!(
                        "its key file {} is missing (restore it from your backup; without it the data cannot be read)",
                        path.display()
                    )));
                }
                Err(e) => {
                    return Err(StoreError::Locked(format!(
                        "its key file {} could not be read: {e}",
                        path.display()
                    )));
                }
            };
            let bytes = Zeroizing::new(hex::decode(text.trim()).map_err(|_| {
                StoreError::Locked(format!("its key file {} is damaged", path.display()))
            })?);
            let arr: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
                StoreError::Locked(format!("its key file {} is damaged", path.display()))
            })?;
            Ok(Key(Zeroizing::new(arr)))
        }
        (KeyMode::Passphrase { .. }, Unlock::KeyFileOnly) => Err(StoreError::Locked(
            "it is protected by a passphrase; enter it when asked or set HEARTH_PASSPHRASE".into(),
        )),
        (KeyMode::Passphrase { kdf }, Unlock::Passphrase(p)) => derive(p, kdf),
    }
}

/// Writes `contents` to a new file readable and writable by its owner only.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(contents)?;
    f.sync_all()?;
    Ok(())
}

/// A new key: random (for a key file) or derived from a passphrase with a
/// fresh salt.
pub(crate) fn fresh(passphrase: Option<&str>) -> Result<(Key, KeyMode)> {
    match passphrase {
        None => Ok((Key::random(), KeyMode::File)),
        Some(p) => {
            let mut salt = [0u8; 16];
            rand::rng().fill_bytes(&mut salt);
            let kdf = Kdf {
                algorithm: "argon2id".into(),
                salt: hex::encode(salt),
                ..DEFAULT_KDF
            };
            Ok((derive(p, &kdf)?, KeyMode::Passphrase { kdf }))
        }
    }
}

/// Writes a key file for `key`, readable by its owner only.
pub(crate) fn write_key_file(path: &Path, key: &Key) -> Result<()> {
    let text = Zeroizing::new(hex::encode(key.0.as_ref()) + "\n");
    write_private(path, text.as_bytes())
}

/// Replaces `store.json` in one step: written beside it, then renamed over.
pub(crate) fn replace_meta(dir: &Path, meta: &Meta) -> Result<()> {
    let next = dir.join("store.json.next");
    let _ = fs::remove_file(&next);
    let json = serde_json::to_string_pretty(meta).expect("metadata serialises");
    write_private(&next, json.as_bytes())?;
    fs::rename(&next, meta_path(dir))?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates the key material for a new store: returns the key and the files
/// written, so a failed creation can remove exactly what it made.
pub fn create(dir: &Path, passphrase: Option<&str>) -> Result<(Key, Vec<PathBuf>)> {
    let mut written = Vec::new();
    let (key, mode) = fresh(passphrase)?;
    if mode == KeyMode::File {
        let path = dir.join(KEY_FILE);
        write_key_file(&path, &key)?;
        written.push(path);
    }
    let meta = Meta {
        format: FORMAT,
        mode,
        previous: None,
    };
    let path = meta_path(dir);
    let json = serde_json::to_string_pretty(&meta).expect("metadata serialises");
    if let Err(e) = write_private(&path, json.as_bytes()) {
        for p in &written {
            let _ = fs::remove_file(p);
        }
        return Err(e);
    }
    written.push(path);
    Ok((key, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_derivation_asking_too_much_is_refused_at_once() {
        let kdf = Kdf {
            algorithm: "argon2id".into(),
            memory_kib: 8,
            iterations: u32::MAX,
            parallelism: 1,
            salt: "00112233445566778899aabbccddeeff".into(),
        };
        assert!(matches!(
            derive("a passphrase", &kdf),
            Err(StoreError::Corrupt(_))
        ));
        let huge = Kdf {
            memory_kib: u32::MAX,
            iterations: 3,
            ..kdf
        };
        assert!(matches!(
            derive("a passphrase", &huge),
            Err(StoreError::Corrupt(_))
        ));
    }
}
