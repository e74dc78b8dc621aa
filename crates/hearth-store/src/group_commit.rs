//! Lone entries that arrive while another write holds the embedded store's
//! turn commit together: SQLite commits one transaction at a time, each
//! with its own fsync and its own encrypted pages of the write-ahead log, so
//! a server with several people writing at once spent most of its write
//! path waiting its turn. Whoever gets the turn takes every entry waiting
//! and writes them in one transaction; the others find their answer when
//! it commits, without taking the turn at all.
//!
//! A batch is all or nothing only as far as each entry is concerned: if it
//! fails as a whole, each entry is written again on its own, so one
//! entry's refusal (its person deleted meanwhile, say) is its own answer
//! and nobody else's. A batch SQLite would not even begin (its write lock
//! kept by another process) answers every entry with that at once.

use std::sync::Mutex;

use hearth_core::{Entry, EntryId};
use rusqlite::Connection;

use crate::columns::entry_values;
use crate::sqlite_bulk::insert_sql;
use crate::{Result, StoreError, UserId};

/// The entries waiting for the turn to write, each with its answer.
#[derive(Default)]
pub(crate) struct Waiting(Mutex<Vec<Queued>>);

struct Queued {
    user: UserId,
    entry: Entry,
    answer: tokio::sync::oneshot::Sender<Result<()>>,
}

/// An entry's place in the queue; dropped before its batch took it (its
/// request given up), it takes the entry out, so nothing is written later
/// for a request nobody waits for.
pub(crate) struct Place<'w> {
    waiting: &'w Waiting,
    id: EntryId,
    pub(crate) answer: tokio::sync::oneshot::Receiver<Result<()>>,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.waiting.queue().retain(|q| q.entry.id != self.id);
    }
}

impl Waiting {
    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
        // Poisoned, it held only whole entries and their answers.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.queue().len()
    }

    /// Queues `entry` to be written by whoever next has the turn.
    pub(crate) fn join(&self, user: UserId, entry: &Entry) -> Place<'_> {
        let (answer, heard) = tokio::sync::oneshot::channel();
        self.queue().push(Queued {
            user,
            entry: entry.clone(),
            answer,
        });
        Place {
            waiting: self,
            id: entry.id.clone(),
            answer: heard,
        }
    }

    /// Writes every entry waiting on `conn`, which holds the turn, and
    /// answers each. Runs to its end without yielding, so a request given up
    /// meanwhile cannot leave another's entry half done.
    pub(crate) fn write_all(&self, conn: &Connection) {
        let batch = std::mem::take(&mut *self.queue());
        // Alone, an entry's statement commits itself: no BEGIN and COMMIT.
        let together = if batch.len() > 1 {
            write_together(conn, &batch)
        } else {
            Together::Refused
        };
        for q in batch {
            let written = match &together {
                Together::Written => Ok(()),
                Together::Refused => insert(conn, q.user, &q.entry),
                Together::NotBegun(e) => Err(again(e)),
            };
            let _ = q.answer.send(written);
        }
    }
}

/// How a batch's one transaction went.
enum Together {
    Written,
    /// Refused as a whole: each entry is written again on its own, so a
    /// refusal is one entry's answer.
    Refused,
    /// SQLite would not begin it (another process kept the write lock past
    /// the busy timeout, say): nothing was tried, and each entry alone
    /// would only wait that long again, one after another.
    NotBegun(rusqlite::Error),
}

fn write_together(conn: &Connection, batch: &[Queued]) -> Together {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        return Together::NotBegun(e);
    }
    let written = batch
        .iter()
        .try_for_each(|q| insert(conn, q.user, &q.entry))
        .and_then(|()| Ok(conn.execute_batch("COMMIT")?));
    if written.is_ok() {
        return Together::Written;
    }
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    Together::Refused
}

/// The error that stopped a batch, once for each of its entries.
fn again(e: &rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(code, why) => {
            StoreError::Embedded(rusqlite::Error::SqliteFailure(*code, why.clone()))
        }
        other => StoreError::Io(std::io::Error::other(other.to_string())),
    }
}

fn insert(conn: &Connection, user: UserId, e: &Entry) -> Result<()> {
    let mut stmt = conn.prepare_cached(&insert_sql(e.body.entry_type()))?;
    stmt.execute(rusqlite::params_from_iter(entry_values(user, e)))
        .map(drop)
        .map_err(StoreError::from)
}
