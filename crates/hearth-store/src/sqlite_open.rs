//! Opening the embedded store's SQLCipher file, and bringing its schema up
//! to this build's: the connection's settings, the migrations and the
//! check that they have all run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ::sqlx::migrate::{MigrateError, Migration, Migrator};
use rusqlite::config::DbConfig;
use rusqlite::{ErrorCode, OpenFlags, OptionalExtension};
use zeroize::Zeroizing;

use crate::keys::Key;
use crate::{Result, StoreError};

/// The migrations, embedded. Their record, `_sqlx_migrations`, keeps the
/// name and the layout that journals made by earlier builds (through
/// sqlx's migrator) already have.
pub(crate) static MIGRATOR: Migrator = ::sqlx::migrate!("./migrations/sqlite");

/// How to open one connection to a journal.
pub(crate) struct Opening {
    pub path: PathBuf,
    key: Zeroizing<String>,
    /// Make the file (a new journal) and put it in write-ahead log mode.
    pub create: bool,
    /// Leave the log on close (a command; see `keep_log_on_close`).
    pub keep_log: bool,
}

impl Opening {
    pub fn new(path: &Path, key: &Key, create: bool, keep_log: bool) -> Opening {
        Opening {
            path: path.to_path_buf(),
            key: key.pragma_value(),
            create,
            keep_log,
        }
    }

    pub fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        crate::cipher::init();
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_PRIVATE_CACHE;
        if self.create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let c = rusqlite::Connection::open_with_flags(&self.path, flags)?;
        // SQLCipher otherwise prints its own complaint about a wrong key to
        // stderr; this must run before any pragma that reads the file.
        let mut set_up = Zeroizing::new(format!(
            "PRAGMA key = {}; PRAGMA cipher_log = off; ",
            self.key.as_str()
        ));
        if self.create {
            set_up.push_str("PRAGMA journal_mode = WAL; ");
        }
        // `synchronous` stays at its durable default, FULL.
        set_up.push_str("PRAGMA foreign_keys = ON;");
        c.execute_batch(&set_up)?;
        c.busy_timeout(Duration::from_secs(5))?;
        // A server's requests run a few dozen different statements.
        c.set_prepared_statement_cache_capacity(64);
        if self.keep_log {
            keep_log_on_close(&c)?;
        }
        Ok(c)
    }
}

/// A command's connections leave the write-ahead log as it is when they
/// close, rather than copying it into the database and deleting it: that
/// checkpoint, and making the log again next time, were most of a
/// check-in's fsyncs. Every commit is already durable in the log, which
/// the next open reads (and a server checkpoints as usual; see
/// `SqliteStore::close` for the log's size); a backup is `VACUUM INTO`,
/// which reads through it, and a restore removes it.
fn keep_log_on_close(c: &rusqlite::Connection) -> rusqlite::Result<()> {
    c.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

/// The migrations this build would run, in order.
fn ups() -> impl Iterator<Item = &'static Migration> {
    MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
}

/// Whether every migration this build knows has run, unchanged: one read
/// instead of the migrator's several on every open. Anything else (a newer
/// build's journal, an edited migration) is left to `migrate`, which says
/// what is wrong. It is the first read, so also where SQLCipher finds out
/// whether the key is right.
pub(crate) fn schema_state(c: &rusqlite::Connection) -> rusqlite::Result<bool> {
    let mut stmt =
        c.prepare("SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version")?;
    let applied = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(applied.len() == ups().count()
        && applied
            .iter()
            .zip(ups())
            .all(|((v, c), m)| *v == m.version && **c == *m.checksum))
}

/// Runs the migrations the journal has not had, all in one transaction
/// that holds the write lock from the first look: two commands opening an
/// old journal at once cannot both run one. A journal that has had one this
/// build does not know, or one that differs from this build's, is refused.
pub(crate) fn migrate(c: &rusqlite::Connection) -> Result<()> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN NOT NULL,
            checksum BLOB NOT NULL,
            execution_time BIGINT NOT NULL
        );
        BEGIN IMMEDIATE;",
    )?;
    let done = run_missing(c);
    c.execute_batch(if done.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    done
}

fn run_missing(c: &rusqlite::Connection) -> Result<()> {
    let dirty: Option<i64> = c
        .query_row(
            "SELECT version FROM _sqlx_migrations WHERE success = false ORDER BY version LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(v) = dirty {
        return Err(MigrateError::Dirty(v).into());
    }
    let mut stmt = c.prepare("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")?;
    let applied = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (version, checksum) in &applied {
        match ups().find(|m| m.version == *version) {
            None => return Err(MigrateError::VersionMissing(*version).into()),
            Some(m) if *m.checksum != **checksum => {
                return Err(MigrateError::VersionMismatch(*version).into());
            }
            Some(_) => {}
        }
    }
    for m in ups().filter(|m| !applied.iter().any(|(v, _)| *v == m.version)) {
        let start = Instant::now();
        c.execute_batch(m.sql.as_str())?;
        c.execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?1, ?2, TRUE, ?3, ?4)",
            (
                m.version,
                &*m.description,
                &*m.checksum,
                i64::try_from(start.elapsed().as_nanos()).unwrap_or(i64::MAX),
            ),
        )?;
    }
    Ok(())
}

/// A wrong key, said as one.
pub(crate) fn locked(e: rusqlite::Error) -> StoreError {
    if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) {
        StoreError::Locked(
            "the key or passphrase is not the one this store was created with".into(),
        )
    } else {
        StoreError::Embedded(e)
    }
}
