//! The embedded store: one SQLCipher-encrypted SQLite file in WAL mode.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use hearth_core::medication::check_timeline;
use hearth_core::vocab::{EntryType, MedEventKind};
use hearth_core::{Contact, Medication, Question, Settings};
use hearth_core::{Entry, EntryBody, EntryId, Kind, ValidationError};
use jiff::Timestamp;

// The stamped SQL below calls sqlx by name; here that is `lite`, the same
// calls run by rusqlite on the calling thread.
use crate::lite::{self as sqlx, AssertSqlSafe, Row, Sqlite, Transaction};
use crate::lite::{Connection as SqliteConnection, Pool as SqlitePool};

use crate::columns::{Value, row_to_entry, rows_per_insert};
use crate::keys::{self, DB_FILE, Key, Unlock};
use crate::shared::*;
use crate::sqlite_bulk::{self, insert_prompts, insert_rows};
use crate::sqlite_open::{Opening, locked, migrate, schema_state};
use crate::{
    CrisisEvent, Filter, LOCAL_USER, NewEntry, Only, Restore, Restored, Result, Store, StoreError,
    UserId,
};

/// The size past which a command empties the write-ahead log as it closes:
/// about 100 of its 4 KB pages, each with its frame header.
const WAL_LIMIT: u64 = 100 * 4_120;

pub struct SqliteStore {
    pool: SqlitePool,
    /// How its connections are opened, for a command's second one.
    opening: Arc<Opening>,
    /// A command's second connection, opened the first time it reads
    /// tables side by side (see `Connections`).
    side: std::sync::OnceLock<SqlitePool>,
    path: PathBuf,
    connections: Connections,
    /// Whose turn it is to write; see `begin_write`.
    writer: tokio::sync::Mutex<()>,
    /// Lone entries waiting for that turn (`insert_alone`).
    waiting: crate::group_commit::Waiting,
    /// Never on: another process may change the accounts unheard (see
    /// `signed_cache`).
    signed: Arc<crate::signed_cache::SignedCache>,
}

/// Sets SQLCipher up with Hearth's cryptography (`cipher`). A store does it
/// itself before its first connection; code that opens SQLCipher on its own
/// (the benchmarks' raw baseline) calls this first, which also links the
/// provider that Hearth's build of SQLCipher expects.
pub fn use_hearth_cipher() {
    crate::cipher::init();
}

/// How many connections a store may open. A server answers requests side by
/// side; a command does one thing at a time, and each extra connection costs
/// it another SQLCipher key set-up and schema read, so it opens a second
/// only when it reads a whole journal's tables side by side
/// (`sqlite_bulk::select_entries_apart`), in a pool of its own
/// (`SqliteStore::side`), once the first is already reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connections {
    Several,
    Command,
}

impl Connections {
    fn max(self) -> u32 {
        match self {
            Connections::Several => 4,
            Connections::Command => 1,
        }
    }
}

/// A pool of connections opened as `opening` says, the first opened now.
fn pool(opening: &Arc<Opening>, connections: Connections) -> rusqlite::Result<SqlitePool> {
    let opening = opening.clone();
    SqlitePool::connect(connections.max(), Box::new(move || opening.open()))
}

/// A lone entry's answer from the batch that wrote it; none if that batch
/// was cut short (it panicked), when whether it was saved is unknown.
fn answered(written: Option<Result<()>>) -> Result<()> {
    written.unwrap_or_else(|| {
        Err(StoreError::Io(std::io::Error::other(
            "the write was cut short; check whether the entry was saved",
        )))
    })
}

/// Whether the data directory holds a store (or the remains of one).
pub fn exists(dir: &Path) -> bool {
    dir.join(DB_FILE).exists() || keys::meta_path(dir).exists()
}

/// Deletes the journal in `dir` for good: the key file first (without it a
/// key-file journal cannot be read, so a crash half-way leaves nothing
/// readable), then the database and its write-ahead files, then
/// `store.json`. Anything else in the directory is left alone. The journal
/// must be closed.
pub fn destroy(dir: &Path) -> Result<()> {
    let db = dir.join(DB_FILE);
    let files = [
        dir.join(keys::KEY_FILE),
        db.with_extension("db-wal"),
        db.with_extension("db-shm"),
        db,
        keys::meta_path(dir),
    ];
    for f in files {
        match fs::remove_file(&f) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

impl SqliteStore {
    fn on(pool: SqlitePool, opening: Arc<Opening>, connections: Connections) -> SqliteStore {
        SqliteStore {
            pool,
            path: opening.path.clone(),
            opening,
            side: std::sync::OnceLock::new(),
            connections,
            writer: tokio::sync::Mutex::new(()),
            waiting: crate::group_commit::Waiting::default(),
            signed: crate::signed_cache::SignedCache::off(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A write transaction, and this process's turn to write. SQLite takes
    /// one writer at a time: writers of one process wait their turn here, in
    /// order, rather than in SQLite's busy handler, whose sleeps (up to
    /// 100 ms each) made a server's slowest writes. `BEGIN IMMEDIATE` takes
    /// the database's write lock at once, so a transaction that reads before
    /// it writes cannot find another process's commit in its way.
    async fn begin_write(
        &self,
    ) -> Result<(
        tokio::sync::MutexGuard<'_, ()>,
        Transaction<'static, Sqlite>,
    )> {
        let turn = self.writer.lock().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok((turn, tx))
    }

    /// One entry that needs nothing written beside it, in a write turn like
    /// any other write; entries that arrive while another write has the
    /// turn are written together with the next (`group_commit`). Alone, it
    /// is one statement, which SQLite commits by itself: it reads nothing
    /// before it writes, so it needs no `BEGIN IMMEDIATE`, nor BEGIN and
    /// COMMIT as statements of their own.
    async fn insert_alone(&self, user: UserId, e: &Entry) -> Result<()> {
        let mut place = self.waiting.join(user, e);
        let _turn = tokio::select! {
            biased;
            written = &mut place.answer => return answered(written.ok()),
            turn = self.writer.lock() => turn,
        };
        // A batch that held the turn just before may have written it.
        if let Ok(written) = place.answer.try_recv() {
            return written;
        }
        let conn = self.pool.acquire().await?;
        self.waiting.write_all(conn.raw());
        answered(place.answer.try_recv().ok())
    }

    /// Creates a new store in `dir` (made if needed, private to its owner).
    pub async fn create(
        dir: &Path,
        passphrase: Option<&str>,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<SqliteStore> {
        if exists(dir) {
            return Err(StoreError::AlreadyExists(dir.to_path_buf()));
        }
        create_private_dir(dir)?;
        tighten(dir);
        let (key, written) = keys::create(dir, passphrase)?;
        let path = dir.join(DB_FILE);
        let result = async {
            // SQLite gives its -wal and -shm files the mode of the database file.
            keys::write_private(&path, b"")?;
            let opening = Arc::new(Opening::new(&path, &key, true, false));
            let pool = pool(&opening, Connections::Several)?;
            migrate(pool.acquire().await?.raw())?;
            let store = SqliteStore::on(pool, opening, Connections::Several);
            sqlx::query("INSERT INTO users (id, name, created_us) VALUES ($1, 'local', $2)")
                .bind(LOCAL_USER.0)
                .bind(now.as_microsecond())
                .execute(&store.pool)
                .await?;
            store.set_settings(LOCAL_USER, settings).await?;
            Ok::<_, StoreError>(store)
        }
        .await;
        if result.is_err() {
            for p in written {
                let _ = fs::remove_file(p);
            }
            for suffix in ["", "-wal", "-shm"] {
                let _ = fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        result
    }

    /// Opens an existing store. A wrong or missing key fails before anything
    /// is written.
    pub async fn open(dir: &Path, how: &Unlock<'_>) -> Result<SqliteStore> {
        SqliteStore::open_with(dir, how, Connections::Several).await
    }

    /// Opens an existing store with at most `connections`.
    pub async fn open_with(
        dir: &Path,
        how: &Unlock<'_>,
        connections: Connections,
    ) -> Result<SqliteStore> {
        let path = dir.join(DB_FILE);
        tighten(dir);
        let Some(meta) = keys::read_meta(dir)? else {
            return Err(if path.exists() {
                StoreError::Corrupt(format!("{} is missing", keys::meta_path(dir).display()))
            } else {
                StoreError::NoStore(dir.to_path_buf())
            });
        };
        if meta.format != keys::FORMAT {
            return Err(StoreError::Corrupt(format!(
                "store format {} is not one this version of Hearth reads",
                meta.format
            )));
        }
        if !path.exists() {
            return Err(StoreError::Corrupt(format!(
                "{} is missing",
                path.display()
            )));
        }
        let first = match keys::unlock(dir, &meta, how) {
            Ok(key) => keyed_pool_and_schema(&path, &key, connections).await,
            Err(e) => Err(e),
        };
        let (pool, opening, current) = match (first, &meta.previous) {
            (Ok(opened), _) => opened,
            (Err(e), None) => return Err(e),
            // A change of passphrase cut short: the database may still be
            // locked the way it was before.
            (Err(_), Some(before)) => {
                let key = keys::unlock_mode(dir, before, how)?;
                keyed_pool_and_schema(&path, &key, connections).await?
            }
        };
        if !current {
            migrate(pool.acquire().await?.raw())?;
        }
        Ok(SqliteStore::on(pool, opening, connections))
    }

    /// The pool for a read beside another one: a server's own (it has
    /// several connections), a command's second connection, opened now if it
    /// is not yet.
    async fn side(&self) -> Result<&SqlitePool> {
        if self.connections == Connections::Several {
            return Ok(&self.pool);
        }
        if let Some(side) = self.side.get() {
            return Ok(side);
        }
        let opened = pool(&self.opening, Connections::Command)?;
        Ok(self.side.get_or_init(|| opened))
    }

    pub async fn close(&self) {
        if let Some(side) = self.side.get() {
            side.close().await;
        }
        // A command's connection leaves the log behind (`keep_log_on_close`),
        // and the next command to open the journal reads all of it to index
        // it again, forgetting what was already copied into the database; so
        // SQLite's own checkpoint, at 1,000 pages, would copy the whole log
        // again at every commit after that. Emptied here once it passes
        // about 400 KB, a check-in reads at most that much of it. Best
        // effort: a server busy reading may leave it for a later command.
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let command = self.connections == Connections::Command;
        if command && fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT) {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_all(&self.pool)
                .await;
        }
        self.pool.close().await;
    }

    /// Writes a consistent copy of the journal to `to` while it stays in use
    /// (other processes may be writing): SQLite's `VACUUM INTO` reads one
    /// snapshot, and SQLCipher encrypts the copy with the journal's own key.
    /// `to` is made first, empty and private to its owner.
    pub async fn copy_into(&self, to: &Path) -> Result<()> {
        keys::write_private(to, b"")?;
        let made = sqlx::query("VACUUM INTO $1")
            .bind(to.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await;
        if let Err(e) = made {
            let _ = fs::remove_file(to);
            return Err(e.into());
        }
        Ok(())
    }

    /// Copies the journal into the new, empty file `to`, encrypted with
    /// `key` instead of its own (SQLCipher's `sqlcipher_export`), keeping
    /// its write-ahead journal mode.
    pub(crate) async fn export_to(&self, to: &Path, key: &Key) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("ATTACH DATABASE $1 AS next KEY $2")
            .bind(to.to_string_lossy().into_owned())
            .bind(key.raw_text().to_string())
            .execute(&mut *conn)
            .await?;
        let copied = async {
            sqlx::query("SELECT sqlcipher_export('next')")
                .fetch_all(&mut *conn)
                .await?;
            sqlx::query("PRAGMA next.journal_mode = WAL")
                .fetch_all(&mut *conn)
                .await
        }
        .await;
        sqlx::query("DETACH DATABASE next")
            .execute(&mut *conn)
            .await?;
        copied?;
        Ok(())
    }

    /// Opens the database file at `path` with `key`, for a check.
    pub(crate) async fn open_file(path: &Path, key: &Key) -> Result<SqliteStore> {
        let (pool, opening, _) = keyed_pool_and_schema(path, key, Connections::Several).await?;
        Ok(SqliteStore::on(pool, opening, Connections::Several))
    }

    /// Checks every page's HMAC and the database's structure; the answer
    /// names the first problem found.
    pub async fn check_integrity(&self) -> Result<()> {
        let cipher: Vec<String> = sqlx::query_scalar("PRAGMA cipher_integrity_check")
            .fetch_all(&self.pool)
            .await?;
        if let Some(problem) = cipher.first() {
            return Err(StoreError::Corrupt(format!(
                "a page fails its check: {problem}"
            )));
        }
        let sqlite: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        match sqlite.first().map(String::as_str) {
            Some("ok") => Ok(()),
            other => Err(StoreError::Corrupt(format!(
                "the database is damaged: {}",
                other.unwrap_or("no answer")
            ))),
        }
    }
}

/// The pool on an existing database with `key`, how it opens its
/// connections, and whether its schema is this build's. The first read, of
/// the migrations, is also where SQLCipher finds out whether the key is
/// right: one statement where a check of the key and a check of the
/// schema would be two.
async fn keyed_pool_and_schema(
    path: &Path,
    key: &Key,
    connections: Connections,
) -> Result<(SqlitePool, Arc<Opening>, bool)> {
    let opening = Arc::new(Opening::new(
        path,
        key,
        false,
        connections == Connections::Command,
    ));
    let pool = pool(&opening, connections).map_err(locked)?;
    let state = schema_state(pool.acquire().await?.raw());
    match state {
        Ok(current) => Ok((pool, opening, current)),
        Err(e) => match locked(e) {
            locked @ StoreError::Locked(_) => Err(locked),
            // No table of migrations yet: `migrate`'s to make.
            _ => Ok((pool, opening, false)),
        },
    }
}

/// Makes the journal's directory and Hearth's own files in it private to
/// their owner again, whatever made them wider (a directory made beforehand,
/// a copy restored from a backup): the key file above all, since anyone who
/// can read it can read the journal. Files Hearth does not own are left alone.
///
/// Best effort: a file system without Unix modes (a FAT memory stick) must
/// not stop the journal from opening.
fn tighten(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let narrow = |p: &Path, mode: u32| {
            if let Ok(m) = fs::symlink_metadata(p)
                && !m.file_type().is_symlink()
                && m.permissions().mode() & 0o077 != 0
            {
                let _ = fs::set_permissions(p, fs::Permissions::from_mode(mode));
            }
        };
        narrow(dir, 0o700);
        for name in [
            DB_FILE,
            "hearth.db-wal",
            "hearth.db-shm",
            keys::KEY_FILE,
            keys::META_FILE,
        ] {
            narrow(&dir.join(name), 0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    Ok(())
}

/// `sqlite_bulk`'s reads on the store's connections, by the names the `sql`
/// macros call: `apart` reads go beside each other (`SqliteStore::side`).
async fn select_entries(
    store: &SqliteStore,
    queries: Vec<(EntryType, String, Vec<Value>)>,
    apart: bool,
) -> Result<Vec<Entry>> {
    if apart {
        sqlite_bulk::select_entries_apart(&store.pool, store.side(), queries).await
    } else {
        sqlite_bulk::select_entries(&store.pool, queries).await
    }
}

async fn select_prompts(
    store: &SqliteStore,
    sql: String,
    params: &[Value],
    apart: bool,
) -> Result<Vec<hearth_core::Prompt>> {
    let side = if apart {
        Some(store.side().await?)
    } else {
        None
    };
    sqlite_bulk::select_prompts(&store.pool, side, sql, params).await
}

crate::columns::sqlx_columns!(Row);
crate::sql_rows::sql_rows!(Sqlite);
crate::sql::sql_store!(SqliteStore, Sqlite, Row, SqliteConnection);
crate::prompts::sql_prompts!(SqliteStore, Sqlite);
crate::sql_restore::sql_restore!(SqliteStore, Sqlite);
crate::accounts::sql_accounts!(SqliteStore, Sqlite, Row);
crate::shares::sql_shares!(SqliteStore, Sqlite, Row);
crate::partners::sql_partners!(SqliteStore, Sqlite, Row);
crate::sessions::sql_sessions!(SqliteStore);

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A new journal at `dir/journal`, as `create` leaves it open.
    async fn new_store(dir: &Path, now: Timestamp) -> (PathBuf, SqliteStore) {
        let journal = dir.join("journal");
        let store = SqliteStore::create(&journal, None, &Settings::for_zone("UTC"), now)
            .await
            .unwrap();
        (journal, store)
    }

    /// A new journal in `dir`, opened again as a command opens it.
    async fn command_store(dir: &Path, now: Timestamp) -> SqliteStore {
        let (journal, created) = new_store(dir, now).await;
        created.close().await;
        SqliteStore::open_with(&journal, &Unlock::KeyFileOnly, Connections::Command)
            .await
            .unwrap()
    }

    /// Whether `store`'s schema is this build's, as an open judges it.
    async fn current(store: &SqliteStore) -> bool {
        schema_state(store.pool.acquire().await.unwrap().raw()).unwrap()
    }

    /// A check-in of mood 5 at `at`.
    fn checkin(at: Timestamp) -> crate::NewEntry {
        crate::NewEntry {
            at,
            tz: "UTC".into(),
            body: hearth_core::EntryBody::Checkin(hearth_core::CheckIn::new(
                hearth_core::Rating::new("mood", 5).unwrap(),
            )),
        }
    }

    /// Every connection encrypts through Hearth's provider, not OpenSSL's.
    #[tokio::test]
    async fn pages_are_encrypted_by_hearths_provider() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = command_store(dir.path(), Timestamp::now()).await;
        let provider: String = sqlx::query_scalar("PRAGMA cipher_provider")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(provider, "rustcrypto");
        store.close().await;
    }

    /// A command's statements one after another stay on its one connection
    /// (each further one would cost a key set-up and a schema read); only a
    /// whole journal's read opens the second, for its side of the tables.
    #[tokio::test]
    async fn a_command_opens_its_second_connection_only_to_read_side_by_side() {
        use crate::{Filter, LOCAL_USER, Prompts, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let now = Timestamp::now();
        let store = command_store(dir.path(), now).await;
        for i in 0..5 {
            store.settings(LOCAL_USER).await.unwrap();
            let at = now - jiff::SignedDuration::from_mins(i);
            store.insert(LOCAL_USER, &[checkin(at)], now).await.unwrap();
            let recent = Filter {
                limit: Some(20),
                ..Filter::default()
            };
            store.list(LOCAL_USER, &recent).await.unwrap();
        }
        assert_eq!(store.pool.size(), 1);
        assert!(store.side.get().is_none());
        let whole = Filter::default();
        let (all, _) = tokio::try_join!(
            store.list(LOCAL_USER, &whole),
            store.prompts(LOCAL_USER, None)
        )
        .unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(store.pool.size(), 1);
        assert_eq!(store.side.get().map(SqlitePool::size), Some(1));
        store.close().await;
    }

    /// An insert that fails inside its own transaction rolls it back and
    /// leaves nothing, and the one connection takes the next write.
    #[tokio::test]
    async fn a_failed_lone_insert_leaves_no_transaction_open() {
        use crate::{LOCAL_USER, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let now = jiff::Timestamp::now();
        let store = command_store(dir.path(), now).await;
        let first = store
            .insert(LOCAL_USER, &[checkin(now)], now)
            .await
            .unwrap();
        // The same id again: the primary key refuses it inside the transaction.
        assert!(store.insert_alone(LOCAL_USER, &first[0]).await.is_err());
        let mut conn = store.pool.acquire().await.unwrap();
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM checkins")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(stored, 1);
        drop(conn);
        store
            .insert(LOCAL_USER, &[checkin(now)], now)
            .await
            .unwrap();
        let all = store
            .list(LOCAL_USER, &crate::Filter::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        store.close().await;
    }

    /// Check-ins as `insert` makes them, each with a fresh id.
    fn entries(n: usize, now: Timestamp) -> Vec<Entry> {
        fresh_ids(n)
            .into_iter()
            .map(|id| Entry {
                id,
                at: now,
                tz: "UTC".into(),
                recorded_at: now,
                updated_at: now,
                body: checkin(now).body,
            })
            .collect()
    }

    /// Each of `batch` inserted alone, at once, on tasks of their own.
    fn queue(
        store: &Arc<SqliteStore>,
        batch: &[Entry],
    ) -> Vec<tokio::task::JoinHandle<Result<()>>> {
        batch
            .iter()
            .map(|e| {
                let (store, e) = (store.clone(), e.clone());
                tokio::spawn(async move { store.insert_alone(crate::LOCAL_USER, &e).await })
            })
            .collect()
    }

    /// Waits until `n` lone entries wait for the turn.
    async fn until_waiting(store: &SqliteStore, n: usize) {
        for _ in 0..500 {
            if store.waiting.len() == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!("{} waiting, not {n}", store.waiting.len());
    }

    /// Entries that wait while another write has the turn are written by
    /// the next to get it, and each hears its own answer: one refused (its
    /// id is taken) does not take the others down with it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn entries_waiting_their_turn_are_written_together_each_with_its_answer() {
        use crate::{LOCAL_USER, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let now = Timestamp::now();
        let (_, store) = new_store(dir.path(), now).await;
        let store = Arc::new(store);
        let taken = store
            .insert(LOCAL_USER, &[checkin(now)], now)
            .await
            .unwrap()
            .remove(0);
        let mut batch = entries(3, now);
        batch.insert(1, taken.clone());
        let turn = store.writer.lock().await;
        let tasks = queue(&store, &batch);
        until_waiting(&store, 4).await;
        drop(turn);
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap().is_ok());
        }
        assert_eq!(answers, [true, false, true, true]);
        assert_eq!(store.waiting.len(), 0);
        let stored = store.list(LOCAL_USER, &Filter::default()).await.unwrap();
        let mut ids: Vec<_> = stored.iter().map(|e| e.id.clone()).collect();
        let mut want: Vec<_> = batch.iter().map(|e| e.id.clone()).collect();
        ids.sort();
        want.sort();
        want.dedup();
        assert_eq!(ids, want);
    }

    /// A batch SQLite will not begin, because another process keeps the
    /// write lock, answers each of its entries with that at once: nobody's
    /// entry asks for the lock again, one after another.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_that_cannot_begin_asks_for_the_lock_once() {
        use crate::{LOCAL_USER, Store};
        use std::sync::atomic::{AtomicUsize, Ordering};
        static ASKED: AtomicUsize = AtomicUsize::new(0);
        fn give_up(_: i32) -> bool {
            ASKED.fetch_add(1, Ordering::Relaxed);
            false
        }
        let dir = tempfile::TempDir::new().unwrap();
        let now = Timestamp::now();
        let store = Arc::new(command_store(dir.path(), now).await);
        store
            .pool
            .acquire()
            .await
            .unwrap()
            .raw()
            .busy_handler(Some(give_up))
            .unwrap();
        let other = store.opening.open().unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let batch = entries(3, now);
        let turn = store.writer.lock().await;
        let tasks = queue(&store, &batch);
        until_waiting(&store, 3).await;
        drop(turn);
        for t in tasks {
            let refused = t.await.unwrap().unwrap_err();
            assert!(refused.to_string().contains("locked"), "{refused}");
        }
        assert_eq!(ASKED.load(Ordering::Relaxed), 1);
        other.execute_batch("ROLLBACK").unwrap();
        assert!(
            store
                .list(LOCAL_USER, &Filter::default())
                .await
                .unwrap()
                .is_empty()
        );
    }

    /// A request given up while its entry waits for the turn takes the entry
    /// out: nothing is written later for it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_entry_given_up_while_waiting_is_not_written() {
        use crate::{LOCAL_USER, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let now = Timestamp::now();
        let (_, store) = new_store(dir.path(), now).await;
        let store = Arc::new(store);
        let [gone, kept]: [Entry; 2] = entries(2, now).try_into().unwrap();
        let turn = store.writer.lock().await;
        let given_up = {
            let store = store.clone();
            tokio::spawn(async move { store.insert_alone(LOCAL_USER, &gone).await })
        };
        until_waiting(&store, 1).await;
        given_up.abort();
        assert!(given_up.await.unwrap_err().is_cancelled());
        assert_eq!(store.waiting.len(), 0);
        drop(turn);
        store.insert_alone(LOCAL_USER, &kept).await.unwrap();
        let stored = store.list(LOCAL_USER, &Filter::default()).await.unwrap();
        assert_eq!(stored.iter().map(|e| &e.id).collect::<Vec<_>>(), [&kept.id]);
    }

    /// A command's connection keeps its log on close, and the next one
    /// reads it all; the log is emptied as it passes its limit, so it
    /// never grows to SQLite's 1,000 pages.
    #[tokio::test]
    async fn commands_keep_the_log_they_leave_small() {
        use crate::{LOCAL_USER, NewEntry, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let journal = dir.path().join("journal");
        let now = jiff::Timestamp::now();
        let settings = Settings::for_zone("UTC");
        SqliteStore::create(&journal, None, &settings, now)
            .await
            .unwrap()
            .close()
            .await;
        let wal = journal.join(format!("{DB_FILE}-wal"));
        let (mut largest, mut emptied) = (0, false);
        for round in 0..60 {
            let store =
                SqliteStore::open_with(&journal, &Unlock::KeyFileOnly, Connections::Command)
                    .await
                    .unwrap();
            let batch: Vec<NewEntry> = (0..20)
                .map(|i| checkin(now - jiff::SignedDuration::from_mins(round * 20 + i)))
                .collect();
            store.insert(LOCAL_USER, &batch, now).await.unwrap();
            store.close().await;
            let size = fs::metadata(&wal).map_or(0, |m| m.len());
            emptied |= size < largest;
            largest = largest.max(size);
        }
        assert!(
            emptied,
            "the log was never emptied ({largest} bytes at most)"
        );
        assert!(largest < 2 * WAL_LIMIT, "{largest} bytes");
        let store = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
            .await
            .unwrap();
        assert_eq!(store.count(LOCAL_USER).await.unwrap(), 60 * 20);
        store.close().await;
    }

    /// A large batch on a command's one connection finishes, and each
    /// batch is all there after it. (Through sqlx's worker thread, a few
    /// hundred rows each handed over on their own could hang, seen in a
    /// quarter of `hearth demo` runs on a debug build.)
    #[tokio::test]
    async fn a_large_batch_on_one_connection_finishes() {
        use crate::{LOCAL_USER, NewEntry, Store};
        let dir = tempfile::TempDir::new().unwrap();
        let now = jiff::Timestamp::now();
        let store = command_store(dir.path(), now).await;
        let batch: Vec<NewEntry> = (0..2_000)
            .map(|i| checkin(now - jiff::SignedDuration::from_mins(i)))
            .collect();
        // Through sqlx about one batch in three hung; five make a
        // regression all but certain to show.
        for round in 1..=5 {
            let wrote = tokio::time::timeout(
                Duration::from_secs(60),
                store.insert(LOCAL_USER, &batch, now),
            )
            .await
            .expect("the batch hung");
            assert_eq!(wrote.unwrap().len(), 2_000);
            assert_eq!(store.count(LOCAL_USER).await.unwrap(), round * 2_000);
        }
        store.close().await;
    }

    #[tokio::test]
    async fn an_open_skips_the_migrator_only_while_every_migration_matches() {
        let dir = tempfile::TempDir::new().unwrap();
        let (journal, store) = new_store(dir.path(), Timestamp::now()).await;
        assert!(current(&store).await);
        // A journal whose record of a migration differs from this build's is
        // not waved through: the migrator looks, and refuses it.
        sqlx::query(
            "UPDATE _sqlx_migrations SET checksum = x'00' \
             WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        assert!(!current(&store).await);
        store.close().await;
        let reopened = SqliteStore::open(&journal, &Unlock::KeyFileOnly).await;
        assert!(
            matches!(reopened, Err(StoreError::Migrate(_))),
            "{:?}",
            reopened.err()
        );
    }

    /// A journal from before the last migration gets it on open, recorded
    /// as sqlx's migrator recorded the others (journals made before Hearth
    /// ran its own); one whose record says a migration failed half-way is
    /// refused, not migrated again.
    #[tokio::test]
    async fn an_older_journal_is_brought_up_to_date_and_a_dirty_one_refused() {
        let dir = tempfile::TempDir::new().unwrap();
        let (journal, store) = new_store(dir.path(), Timestamp::now()).await;
        let last = crate::sqlite_open::MIGRATOR.iter().last().unwrap();
        for table in [
            "partner_messages",
            "partner_members",
            "partner_pairs",
            "partner_invites",
        ] {
            sqlx::query(AssertSqlSafe(format!("DROP TABLE {table}")))
                .execute(&store.pool)
                .await
                .unwrap();
        }
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
            .bind(last.version)
            .execute(&store.pool)
            .await
            .unwrap();
        store.close().await;

        let store = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
            .await
            .unwrap();
        assert!(current(&store).await);
        let (description, success, checksum): (String, bool, Vec<u8>) = sqlx::query_as(
            "SELECT description, success, checksum FROM _sqlx_migrations WHERE version = $1",
        )
        .bind(last.version)
        .fetch_optional(&store.pool)
        .await
        .unwrap()
        .unwrap();
        assert_eq!(description, last.description);
        assert!(success);
        assert_eq!(checksum, *last.checksum);
        let pairs: i64 = sqlx::query_scalar("SELECT count(*) FROM partner_pairs")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(pairs, 0);

        sqlx::query("UPDATE _sqlx_migrations SET success = false WHERE version = $1")
            .bind(last.version)
            .execute(&store.pool)
            .await
            .unwrap();
        store.close().await;
        let dirty = SqliteStore::open(&journal, &Unlock::KeyFileOnly).await;
        assert!(
            matches!(
                dirty,
                Err(StoreError::Migrate(::sqlx::migrate::MigrateError::Dirty(v))) if v == last.version
            ),
            "{:?}",
            dirty.err()
        );
    }
}
