//! PostgreSQL connections for the server store's single statements. sqlx's
//! pool tests every connection it takes back with a round trip (a Sync and
//! its ReadyForQuery), as many round trips as the statements' own; here a
//! connection whose statement ran to its end goes straight back, and only
//! one left mid-statement (its request was dropped) or lent out whole
//! (`acquire`) is tested first, in a task of its own, and closed if that
//! fails. Transactions keep sqlx's pool and its rollback on drop.

use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use sqlx::postgres::{PgConnectOptions, PgQueryResult, PgRow, PgStatement, PgTypeInfo};
use sqlx::{Connection, Describe, Either, Execute, Executor, PgConnection, Postgres, SqlStr};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

/// How long a connection may sit unused before it is tested on its way out
/// (of this pool and of the transactions' pool alike).
pub(crate) const PING_AFTER_IDLE: Duration = Duration::from_secs(10);
/// How long a statement waits for a connection when all are in use.
const WAIT_FOR_ONE: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct Pool(Arc<Shared>);

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("available", &self.0.permits.available_permits())
            .finish_non_exhaustive()
    }
}

struct Shared {
    options: PgConnectOptions,
    /// Connections not in use, the most recently returned last.
    idle: Mutex<Vec<(PgConnection, Instant)>>,
    /// One per connection that may be open.
    permits: Arc<Semaphore>,
}

impl Pool {
    /// Opens one connection now, so a wrong address or a server that is
    /// down shows at once.
    pub async fn connect(options: PgConnectOptions, max: u32) -> sqlx::Result<Pool> {
        let first = PgConnection::connect_with(&options).await?;
        let pool = Pool(Arc::new(Shared {
            options,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(max.max(1) as usize)),
        }));
        pool.idle().push((first, Instant::now()));
        Ok(pool)
    }

    fn idle(&self) -> MutexGuard<'_, Vec<(PgConnection, Instant)>> {
        self.0.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A connection for the caller's statements; it is tested before it is
    /// used again.
    pub async fn acquire(&self) -> sqlx::Result<PoolConnection> {
        // Most statements find a connection free, and need no timer armed.
        let permit = match self.0.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(TryAcquireError::Closed) => return Err(sqlx::Error::PoolClosed),
            Err(TryAcquireError::NoPermits) => {
                tokio::time::timeout(WAIT_FOR_ONE, self.0.permits.clone().acquire_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?
                    .map_err(|_| sqlx::Error::PoolClosed)?
            }
        };
        let kept = self.idle().pop();
        let conn = match kept {
            Some((mut c, since)) if since.elapsed() > PING_AFTER_IDLE => match c.ping().await {
                Ok(()) => c,
                Err(_) => PgConnection::connect_with(&self.0.options).await?,
            },
            Some((c, _)) => c,
            None => PgConnection::connect_with(&self.0.options).await?,
        };
        Ok(PoolConnection {
            conn: Some(conn),
            permit: Some(permit),
            pool: self.clone(),
            ready: false,
        })
    }

    /// Closes the idle connections; those in use close as they come back.
    pub async fn close(&self) {
        self.0.permits.close();
        let idle = std::mem::take(&mut *self.idle());
        for (c, _) in idle {
            let _ = c.close().await;
        }
    }
}

/// A connection lent from the pool, back to it when dropped.
pub(crate) struct PoolConnection {
    conn: Option<PgConnection>,
    permit: Option<OwnedSemaphorePermit>,
    pool: Pool,
    /// The last statement ran to its end: the connection is ready as it is.
    ready: bool,
}

impl Deref for PoolConnection {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        self.conn
            .as_ref()
            .expect("a lent connection is there until dropped")
    }
}

impl DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn
            .as_mut()
            .expect("a lent connection is there until dropped")
    }
}

impl PoolConnection {
    /// Says the statements on it ran to their end, so it goes back untested.
    pub fn finished(mut self) {
        self.ready = true;
    }
}

impl Drop for PoolConnection {
    fn drop(&mut self) {
        let (Some(conn), permit) = (self.conn.take(), self.permit.take()) else {
            return;
        };
        if self.pool.0.permits.is_closed() {
            return;
        }
        if self.ready {
            self.pool.idle().push((conn, Instant::now()));
            drop(permit);
            return;
        }
        // A statement may be half sent or half read: the ping reads past
        // whatever is left, and a connection that fails it is closed.
        let pool = self.pool.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let mut conn = conn;
                if conn.ping().await.is_ok() {
                    pool.idle().push((conn, Instant::now()));
                }
                drop(permit);
            });
        }
    }
}

/// Runs one statement's rows to their end on a lent connection.
async fn all_of<'q, E: 'q + Execute<'q, Postgres>>(
    pool: Pool,
    query: E,
) -> sqlx::Result<Vec<Either<PgQueryResult, PgRow>>> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    {
        let mut rows = (&mut *conn).fetch_many(query);
        while let Some(r) = std::future::poll_fn(|cx| rows.as_mut().poll_next(cx)).await {
            out.push(r?);
        }
    }
    conn.finished();
    Ok(out)
}

/// The rows of one statement, read whole before the first is handed on (as
/// every caller here collects them anyway), so the connection is back in
/// the pool by then.
enum Rows<'e> {
    Reading(BoxFuture<'e, sqlx::Result<Vec<Either<PgQueryResult, PgRow>>>>),
    Read(std::vec::IntoIter<Either<PgQueryResult, PgRow>>),
}

impl Stream for Rows<'_> {
    type Item = sqlx::Result<Either<PgQueryResult, PgRow>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Rows::Reading(f) = this {
            match f.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => {
                    *this = Rows::Read(Vec::new().into_iter());
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Ok(all)) => *this = Rows::Read(all.into_iter()),
            }
        }
        match this {
            Rows::Read(rows) => Poll::Ready(rows.next().map(Ok)),
            Rows::Reading(_) => unreachable!("read above"),
        }
    }
}

impl<'p> Executor<'p> for &'_ Pool {
    type Database = Postgres;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<PgQueryResult, PgRow>>>
    where
        E: 'q + Execute<'q, Postgres>,
    {
        Box::pin(Rows::Reading(Box::pin(all_of(self.clone(), query))))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<PgRow>>>
    where
        E: 'q + Execute<'q, Postgres>,
    {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let row = (&mut *conn).fetch_optional(query).await?;
            conn.finished();
            Ok(row)
        })
    }

    fn prepare_with<'e>(
        self,
        sql: SqlStr,
        parameters: &'e [PgTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<PgStatement>>
    where
        'p: 'e,
    {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let statement = (&mut *conn).prepare_with(sql, parameters).await?;
            conn.finished();
            Ok(statement)
        })
    }

    // Required while sqlx-core's `offline` feature is on, which sqlx's
    // `macros` feature (in the workspace's sqlx) turns on.
    fn describe<'e>(self, sql: SqlStr) -> BoxFuture<'e, sqlx::Result<Describe<Postgres>>> {
        let pool = self.clone();
        Box::pin(async move {
            let mut conn = pool.acquire().await?;
            let described = (&mut *conn).describe(sql).await?;
            conn.finished();
            Ok(described)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool of `max` on the test database, or None (and a note) without one.
    async fn pool(test: &str, max: u32) -> Option<Pool> {
        let Some(url) = std::env::var("HEARTH_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("skipping {test}: HEARTH_TEST_POSTGRES_URL is not set");
            return None;
        };
        Some(Pool::connect(url.parse().unwrap(), max).await.unwrap())
    }

    async fn number(pool: &Pool, sql: &'static str) -> sqlx::Result<i32> {
        sqlx::query_scalar(sql).fetch_one(pool).await
    }

    #[tokio::test]
    async fn a_finished_statement_gives_its_connection_straight_back() {
        let Some(pool) = pool("straight_back", 2).await else {
            return;
        };
        let first = number(&pool, "SELECT pg_backend_pid()").await.unwrap();
        assert_eq!(pool.idle().len(), 1, "back before the caller has the row");
        let again = number(&pool, "SELECT pg_backend_pid()").await.unwrap();
        assert_eq!(first, again, "the same connection, reused");
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
        assert_eq!(pool.idle().len(), 1);
        pool.close().await;
    }

    #[tokio::test]
    async fn a_statement_dropped_midway_leaves_nothing_for_the_next() {
        let Some(pool) = pool("dropped_midway", 1).await else {
            return;
        };
        let slow = number(&pool, "SELECT 1 FROM pg_sleep(0.3)");
        assert!(
            tokio::time::timeout(Duration::from_millis(50), slow)
                .await
                .is_err(),
            "given up before its answer"
        );
        // The only connection again: whatever became of the abandoned
        // answer, the next statements get their own.
        assert_eq!(number(&pool, "SELECT 2").await.unwrap(), 2);
        assert_eq!(number(&pool, "SELECT 3").await.unwrap(), 3);
        pool.close().await;
    }

    #[tokio::test]
    async fn a_failed_statement_does_not_spoil_its_connection() {
        let Some(pool) = pool("failed", 1).await else {
            return;
        };
        assert!(number(&pool, "SELECT 1 / 0").await.is_err());
        assert_eq!(number(&pool, "SELECT 4").await.unwrap(), 4);
        let none: Option<i32> = sqlx::query_scalar("SELECT 1 WHERE false")
            .fetch_optional(&pool)
            .await
            .unwrap();
        assert_eq!(none, None);
        pool.close().await;
    }

    #[tokio::test]
    async fn a_connection_lent_whole_is_tested_and_a_closed_pool_lends_none() {
        let Some(pool) = pool("lent_whole", 1).await else {
            return;
        };
        {
            let mut c = pool.acquire().await.unwrap();
            sqlx::query("SELECT 5").execute(&mut *c).await.unwrap();
        }
        assert_eq!(number(&pool, "SELECT 6").await.unwrap(), 6);
        pool.close().await;
        assert!(matches!(pool.acquire().await, Err(sqlx::Error::PoolClosed)));
    }
}
