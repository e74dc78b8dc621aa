//! A backup file: one zip archive holding the journal's encrypted database,
//! its `store.json` (how its key is found: a key file, or a passphrase with
//! its Argon2id salt) and, only when asked for, its key file. The database
//! inside stays encrypted; the archive adds no protection and takes none away.

use std::io::{Cursor, Read, Write};

use crate::FormatError;

/// What marks a file as a Hearth backup, and its version.
pub const MARK: &str = "hearth-backup";
pub const VERSION: u32 = 1;
const MANIFEST: &str = "hearth-backup.json";
pub const DB: &str = "hearth.db";
pub const META: &str = "store.json";
pub const KEY: &str = "hearth.key";
/// The most any part may unpack to: a decade of entries is tens of MB.
const MAX_PART: u64 = 4 * 1024 * 1024 * 1024;

/// The parts of a backup.
pub struct Backup {
    pub db: Vec<u8>,
    pub store_json: Vec<u8>,
    pub key: Option<Vec<u8>>,
    /// When it was made, as RFC 3339.
    pub made_at: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    made_at: String,
    includes_key: bool,
}

impl Backup {
    /// The archive's bytes. The database is stored, not compressed: it is
    /// encrypted, so it would not shrink.
    pub fn to_zip(&self) -> Result<Vec<u8>, FormatError> {
        let mut out = Vec::new();
        {
            let mut z = zip::ZipWriter::new(Cursor::new(&mut out));
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(self.db.len() as u64 >= u32::MAX as u64)
                .unix_permissions(0o600);
            let manifest = Manifest {
                format: MARK.into(),
                version: VERSION,
                made_at: self.made_at.clone(),
                includes_key: self.key.is_some(),
            };
            let manifest = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
            let mut parts: Vec<(&str, &[u8])> = vec![
                (MANIFEST, &manifest),
                (META, &self.store_json),
                (DB, &self.db),
            ];
            if let Some(k) = &self.key {
                parts.push((KEY, k));
            }
            for (name, bytes) in parts {
                z.start_file(name, stored).map_err(zip_error)?;
                z.write_all(bytes)?;
            }
            z.finish().map_err(zip_error)?;
        }
        Ok(out)
    }

    /// Reads an archive made by `to_zip`, refusing anything else in words a
    /// person can act on.
    pub fn from_zip(bytes: &[u8]) -> Result<Backup, FormatError> {
        let not_backup = || {
            FormatError::Invalid(
                "this file is not a Hearth backup (made by `hearth backup`)".into(),
            )
        };
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_backup())?;
        let mut part = |name: &str| -> Result<Option<Vec<u8>>, FormatError> {
            let Ok(f) = z.by_name(name) else {
                return Ok(None);
            };
            let mut buf = Vec::new();
            f.take(MAX_PART + 1).read_to_end(&mut buf).map_err(|_| {
                FormatError::Invalid(format!(
                    "the backup's {name} could not be read: the file is damaged"
                ))
            })?;
            if buf.len() as u64 > MAX_PART {
                return Err(FormatError::Invalid(format!(
                    "the backup's {name} is too large"
                )));
            }
            Ok(Some(buf))
        };
        let manifest: Manifest = part(MANIFEST)?
            .and_then(|m| serde_json::from_slice(&m).ok())
            .ok_or_else(not_backup)?;
        if manifest.format != MARK {
            return Err(not_backup());
        }
        if manifest.version > VERSION {
            return Err(FormatError::Invalid(format!(
                "this backup is version {}, made by a newer Hearth; update Hearth to restore it",
                manifest.version
            )));
        }
        let missing = |name: &str| {
            FormatError::Invalid(format!("the backup has no {name}: the file is damaged"))
        };
        let db = part(DB)?.ok_or_else(|| missing(DB))?;
        let store_json = part(META)?.ok_or_else(|| missing(META))?;
        let key = part(KEY)?;
        if manifest.includes_key && key.is_none() {
            return Err(missing(KEY));
        }
        Ok(Backup {
            db,
            store_json,
            key,
            made_at: manifest.made_at,
        })
    }
}

fn zip_error(e: zip::result::ZipError) -> FormatError {
    FormatError::Io(std::io::Error::other(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_round_trips_and_other_files_are_refused_plainly() {
        let b = Backup {
            db: vec![7; 5000],
            store_json: br#"{"format":1,"key":"file"}"#.to_vec(),
            key: Some(b"00ff\n".to_vec()),
            made_at: "2026-12-01T10:00:00Z".into(),
        };
        let bytes = b.to_zip().unwrap();
        let back = Backup::from_zip(&bytes).unwrap();
        assert_eq!(
            (&back.db, &back.store_json, &back.key),
            (&b.db, &b.store_json, &b.key)
        );
        let without = Backup { key: None, ..back };
        assert!(
            Backup::from_zip(&without.to_zip().unwrap())
                .unwrap()
                .key
                .is_none()
        );
        for junk in [&b"not a zip"[..], &[], &bytes[..bytes.len() / 2]] {
            let e = Backup::from_zip(junk).err().expect("refused").to_string();
            assert!(
                e.contains("not a Hearth backup") || e.contains("damaged"),
                "{e}"
            );
        }
        let csv = crate::csv_export::zip(&[("checkins.csv", "a,b\n".into())]).unwrap();
        let e = Backup::from_zip(&csv).err().unwrap().to_string();
        assert!(e.contains("not a Hearth backup"), "{e}");
    }
}
