//! SQLite's bulk reads and writes of entries and prompts, by rusqlite
//! straight: each row read into its entry as SQLite steps, without the
//! owned copy of every column that `lite`'s rows make.

use hearth_core::vocab::EntryType;
use hearth_core::{Entry, Prompt};
use rusqlite::types::{ToSql, ToSqlOutput};

use crate::columns::{
    Columns, INSERT_PROMPT, PROMPT_COLUMNS, Value, entry_values, prompt_values, row_to_entry,
    row_to_prompt, values_per_row,
};
use crate::lite::{Connection as SqliteConnection, Pool as SqlitePool};
use crate::shared::table;
use crate::{Result, StoreError, UserId};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Value::Int(v) => v.to_sql(),
            Value::Int32(v) => v.to_sql(),
            Value::Real(v) => v.to_sql(),
            Value::Text(v) => v.to_sql(),
            Value::Flag(v) => v.to_sql(),
        }
    }
}

/// A rusqlite row of `table(t)`'s columns, found by name. rusqlite's own
/// lookup by name asks SQLite for every column's name each time.
struct Named<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    names: &'r [&'static str],
}

impl Named<'_, '_> {
    fn get<T: rusqlite::types::FromSql>(&self, col: &str) -> Result<T> {
        let at = self
            .names
            .iter()
            .position(|n| *n == col)
            .ok_or_else(|| StoreError::Corrupt(format!("no stored column {col}")))?;
        Ok(self.row.get(at)?)
    }
}

impl Columns for Named<'_, '_> {
    fn int(&self, col: &str) -> Result<Option<i64>> {
        self.get(col)
    }
    fn int32(&self, col: &str) -> Result<Option<i32>> {
        self.get(col)
    }
    fn real(&self, col: &str) -> Result<Option<f64>> {
        self.get(col)
    }
    fn text(&self, col: &str) -> Result<Option<String>> {
        self.get(col)
    }
    fn flag(&self, col: &str) -> Result<Option<bool>> {
        self.get(col)
    }
}

/// The entries that each `(t, sql, params)` selects (`table(t)`'s columns,
/// in that order), in no particular order, on `pool`, one after the other.
pub(crate) async fn select_entries(
    pool: &SqlitePool,
    queries: Vec<(EntryType, String, Vec<Value>)>,
) -> Result<Vec<Entry>> {
    let mut out = Gathered::default();
    for (t, sql, params) in queries {
        let names = names_of(table(t).1);
        out.append(select(pool, &sql, &params, &names, |row| row_to_entry(t, row)).await?);
    }
    Ok(out.into_vec())
}

/// As `select_entries`, two at a time: one reader on `pool` starts at once,
/// another on the `side` pool once that is open, and each takes the next
/// query as it finishes one (the tables are uneven). Each query runs on a
/// thread of its own (`select_apart`): reading a whole journal is mostly
/// SQLite's stepping and decryption and turning rows into entries, all on
/// one core otherwise.
pub(crate) async fn select_entries_apart<'a>(
    pool: &SqlitePool,
    side: impl Future<Output = Result<&'a SqlitePool>>,
    queries: Vec<(EntryType, String, Vec<Value>)>,
) -> Result<Vec<Entry>> {
    let queue = std::sync::Mutex::new(std::collections::VecDeque::from(queries));
    let (mut out, more) = tokio::try_join!(drain(pool, &queue), async {
        drain(side.await?, &queue).await
    })?;
    out.append(more);
    Ok(out.into_vec())
}

/// The entries of each query taken from `queue` until it is empty, on `pool`.
async fn drain(
    pool: &SqlitePool,
    queue: &std::sync::Mutex<std::collections::VecDeque<(EntryType, String, Vec<Value>)>>,
) -> Result<Gathered<Entry>> {
    let mut out = Gathered::default();
    loop {
        // The lock is held only to take one; poisoned, it held no half-taken query.
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let Some((t, sql, params)) = next else {
            return Ok(out);
        };
        let names = names_of(table(t).1);
        out.append(select_apart(pool, sql, params, names, move |row| row_to_entry(t, row)).await?);
    }
}

/// The prompts that `sql` selects (`PROMPT_COLUMNS`, in that order), on
/// `pool`; given a `side` pool, on a thread and a connection of that one
/// (see `select_entries`), so that a whole journal's come in beside its
/// entries.
pub(crate) async fn select_prompts(
    pool: &SqlitePool,
    side: Option<&SqlitePool>,
    sql: String,
    params: &[Value],
) -> Result<Vec<Prompt>> {
    let names = names_of(PROMPT_COLUMNS);
    let read = match side {
        Some(side) => {
            select_apart(side, sql, params.to_vec(), names, |row| row_to_prompt(row)).await
        }
        None => select(pool, &sql, params, &names, |row| row_to_prompt(row)).await,
    };
    Ok(read?.into_vec())
}

fn names_of(columns: &'static str) -> Vec<&'static str> {
    columns.split(',').map(str::trim).collect()
}

/// Each row `sql` selects (the columns `names`, in that order), read by
/// `read` on the calling thread.
async fn select<T>(
    pool: &SqlitePool,
    sql: &str,
    params: &[Value],
    names: &[&'static str],
    read: impl Fn(&Named<'_, '_>) -> Result<T>,
) -> Result<Gathered<T>> {
    let conn = pool.acquire().await?;
    rows(conn.raw(), sql, params, names, &read)
}

/// As `select`, on a blocking thread that holds the connection and the
/// rows to the end: if the caller stops waiting (a request whose client
/// went away), the connection goes back to its pool only once SQLite is
/// done with it.
async fn select_apart<T: Send + 'static>(
    pool: &SqlitePool,
    sql: String,
    params: Vec<Value>,
    names: Vec<&'static str>,
    read: impl Fn(&Named<'_, '_>) -> Result<T> + Send + 'static,
) -> Result<Gathered<T>> {
    let conn = pool.acquire().await?;
    let read =
        tokio::task::spawn_blocking(move || rows(conn.raw(), &sql, &params, &names, &read)).await;
    joined(read)
}

/// What a read's own thread returned; its panic, carried on here.
fn joined<T>(r: std::result::Result<T, tokio::task::JoinError>) -> T {
    r.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

fn rows<T>(
    c: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
    names: &[&'static str],
    read: &impl Fn(&Named<'_, '_>) -> Result<T>,
) -> Result<Gathered<T>> {
    let mut stmt = c.prepare(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Gathered::default();
    while let Some(row) = rows.next()? {
        out.push(read(&Named { row, names })?);
    }
    Ok(out)
}

/// Rows as they are read, in blocks that are never moved, then moved once
/// into a vector of exactly their number. A vector grown row by row copied
/// itself into fresh memory at each doubling, and so did each table's
/// joining the rest: two thirds of the page faults of listing a whole
/// journal (`perf record -e page-faults`).
struct Gathered<T> {
    blocks: Vec<Vec<T>>,
}

impl<T> Default for Gathered<T> {
    fn default() -> Self {
        Gathered { blocks: Vec::new() }
    }
}

impl<T> Gathered<T> {
    /// The largest block; the first is small, so a short read stays small.
    const BLOCK: usize = 1024;

    fn push(&mut self, row: T) {
        match self.blocks.last_mut() {
            Some(b) if b.len() < b.capacity() => b.push(row),
            last => {
                let size = last.map_or(16, |b| (b.capacity() * 2).min(Self::BLOCK));
                let mut b = Vec::with_capacity(size);
                b.push(row);
                self.blocks.push(b);
            }
        }
    }

    fn append(&mut self, other: Gathered<T>) {
        self.blocks.extend(other.blocks);
    }

    fn into_vec(self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.blocks.iter().map(Vec::len).sum());
        for b in self.blocks {
            out.extend(b);
        }
        out
    }
}

/// Inserts entries, all of type `t`, with one prepared statement.
pub(crate) async fn insert_rows(
    conn: &mut SqliteConnection,
    user: UserId,
    t: EntryType,
    entries: &[&Entry],
) -> Result<()> {
    insert_on(conn.raw(), user, t, entries)
}

fn insert_on(
    c: &rusqlite::Connection,
    user: UserId,
    t: EntryType,
    entries: &[&Entry],
) -> Result<()> {
    let mut stmt = c.prepare_cached(&insert_sql(t))?;
    for e in entries {
        stmt.execute(rusqlite::params_from_iter(entry_values(user, e)))?;
    }
    Ok(())
}

/// The statement that inserts one entry of type `t`.
pub(crate) fn insert_sql(t: EntryType) -> String {
    let (name, cols) = table(t);
    let marks = vec!["?"; values_per_row(t)].join(", ");
    format!("INSERT INTO {name} (user_id, {cols}) VALUES ({marks})")
}

/// Adds the prompts whose ids are not there yet, with one prepared
/// statement; says how many it added.
pub(crate) async fn insert_prompts(
    tx: &mut SqliteConnection,
    user: UserId,
    prompts: &[hearth_core::Prompt],
) -> Result<usize> {
    let mut stmt = tx.raw().prepare_cached(INSERT_PROMPT)?;
    let mut added = 0;
    for p in prompts {
        p.validate()?;
        added += stmt.execute(rusqlite::params_from_iter(prompt_values(user, p)))?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::Gathered;

    #[test]
    fn gathered_rows_keep_their_order_across_blocks_and_tables() {
        let mut first = Gathered::default();
        for i in 0..3_000 {
            first.push(i);
        }
        assert!(first.blocks.len() > 3, "rows span several blocks");
        assert!(first.blocks.iter().all(|b| b.capacity() <= 1024));
        let mut second = Gathered::default();
        for i in 3_000..3_010 {
            second.push(i);
        }
        first.append(second);
        first.append(Gathered::default());
        let all = first.into_vec();
        assert_eq!(all, (0..3_010).collect::<Vec<_>>());
        assert_eq!(all.capacity(), all.len());
        assert!(Gathered::<u8>::default().into_vec().is_empty());
    }
}
