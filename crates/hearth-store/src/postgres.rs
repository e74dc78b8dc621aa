//! The server store: PostgreSQL, every row keyed by user. Encryption at rest
//! is the operator's (disk or cluster encryption); see docs/security.md.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hearth_core::medication::check_timeline;
use hearth_core::vocab::{EntryType, MedEventKind};
use hearth_core::{Contact, Medication, Question, Settings};
use hearth_core::{Entry, EntryBody, EntryId, Kind, ValidationError};
use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
// Table and column names in formatted SQL come only from the constants in `shared`.
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool, Postgres, Row, Transaction};

use crate::columns::{
    Value, bind_value, entry_values, row_to_entry, row_to_prompt, rows_per_insert,
};
use crate::pg_pool::{PING_AFTER_IDLE, Pool};
use crate::shared::*;
use crate::signed_cache::SignedCache;
use crate::{
    CrisisEvent, Filter, NewEntry, Only, Restore, Restored, Result, Store, StoreError, UserId,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PgStore {
    /// Single statements (see `pg_pool`).
    pool: Pool,
    /// Transactions, on sqlx's pool, which rolls back one that is dropped.
    writes: PgPool,
    /// Who each session belongs to, kept while the database's notices say
    /// nothing changed (see `signed_cache`).
    pub(crate) signed: Arc<SignedCache>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.signed.stop();
    }
}

impl PgStore {
    /// A write transaction. PostgreSQL orders concurrent writers itself;
    /// the unit stands where SQLite's store keeps its turn to write.
    async fn begin_write(&self) -> Result<((), Transaction<'static, Postgres>)> {
        Ok(((), self.writes.begin().await?))
    }

    /// One entry that needs nothing written beside it (no crisis event, no
    /// medication timeline to check) is one statement, which PostgreSQL
    /// commits by itself: BEGIN and COMMIT were two of a check-in's round
    /// trips.
    async fn insert_alone(&self, user: UserId, e: &Entry) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        insert_rows(&mut conn, user, e.body.entry_type(), &[e]).await?;
        conn.finished();
        Ok(())
    }

    /// Connects to `url` and brings the schema up to date. With `schema`,
    /// everything lives in that schema (created if missing), which keeps test
    /// runs apart.
    pub async fn connect(url: &str, schema: Option<&str>, max_connections: u32) -> Result<PgStore> {
        let mut opts: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| {
            StoreError::Corrupt(format!("the database URL is not valid: {e}"))
        })?;
        if let Some(s) = schema {
            if !s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(StoreError::Corrupt(format!(
                    "'{s}' is not a plain schema name"
                )));
            }
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(opts.clone())
                .await?;
            sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {s}")))
                .execute(&admin)
                .await?;
            admin.close().await;
            opts = opts.options([("search_path", s)]);
        }
        let pool = Pool::connect(opts.clone(), max_connections).await?;
        let writes = PgPoolOptions::new()
            .max_connections(max_connections.div_ceil(2).max(2))
            .acquire_timeout(Duration::from_secs(10))
            // sqlx would ping every connection it hands out: a round trip
            // before each statement, as many as the statements themselves.
            // Only a connection left idle a while may have lost its server.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(opts.clone())
            .await?;
        MIGRATOR.run(&writes).await?;
        Ok(PgStore {
            pool,
            writes,
            signed: SignedCache::listening_at(opts),
        })
    }

    /// Drops a schema made by `connect` (for tests cleaning up after themselves).
    pub async fn drop_schema(self, schema: &str) -> Result<()> {
        if !schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(StoreError::Corrupt(format!(
                "'{schema}' is not a plain schema name"
            )));
        }
        sqlx::query(AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&self.pool)
        .await?;
        self.close().await;
        Ok(())
    }

    pub async fn close(&self) {
        self.signed.stop();
        self.pool.close().await;
        self.writes.close().await;
    }

    /// Drops a schema over a connection of its own, while stores using it
    /// may still be open elsewhere (tests whose server still holds one).
    pub async fn drop_schema_at(url: &str, schema: &str) -> Result<()> {
        let opts: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| {
            StoreError::Corrupt(format!("the database URL is not valid: {e}"))
        })?;
        let store = PgStore {
            pool: Pool::connect(opts.clone(), 1).await?,
            writes: PgPoolOptions::new()
                .max_connections(1)
                .connect_lazy_with(opts),
            signed: SignedCache::off(),
        };
        store.drop_schema(schema).await
    }
}

/// The entries that each `(t, sql, params)` selects (`table(t)`'s columns),
/// one query after the other: a server's connections are shared by every
/// request, so one list does not take several of them.
async fn select_entries(
    store: &PgStore,
    queries: Vec<(EntryType, String, Vec<Value>)>,
    _apart: bool,
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (t, sql, params) in queries {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for p in params {
            q = bind_value!(q, bind, p);
        }
        for row in q.fetch_all(&store.pool).await? {
            out.push(row_to_entry(t, &row)?);
        }
    }
    Ok(out)
}

/// The prompts that `sql` selects (`PROMPT_COLUMNS`), on one connection
/// whatever `_apart` says (see `select_entries`).
async fn select_prompts(
    store: &PgStore,
    sql: String,
    params: &[Value],
    _apart: bool,
) -> Result<Vec<hearth_core::Prompt>> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for p in params {
        q = bind_value!(q, bind, p.clone());
    }
    let rows = q.fetch_all(&store.pool).await?;
    rows.iter().map(row_to_prompt).collect()
}

/// Inserts entries, all of type `t`, in as few statements as the limit on
/// bound values allows: each statement is a round trip to the server.
async fn insert_rows(
    conn: &mut PgConnection,
    user: UserId,
    t: EntryType,
    entries: &[&Entry],
) -> Result<()> {
    let (name, cols) = table(t);
    for chunk in entries.chunks(rows_per_insert(t)) {
        let mut q =
            sqlx::QueryBuilder::<Postgres>::new(format!("INSERT INTO {name} (user_id, {cols}) "));
        q.push_values(chunk.iter(), |mut b, e| {
            for v in entry_values(user, e) {
                bind_value!(b, push_bind, v);
            }
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds the prompts whose ids are not there yet; says how many it added.
async fn insert_prompts(
    tx: &mut Transaction<'_, Postgres>,
    user: UserId,
    prompts: &[hearth_core::Prompt],
) -> Result<usize> {
    let mut added = 0;
    for p in prompts {
        added += usize::from(insert_prompt(&mut **tx, user, p).await?);
    }
    Ok(added)
}

crate::columns::sqlx_columns!(PgRow);
crate::sql_rows::sql_rows!(Postgres);
crate::sql::sql_store!(PgStore, Postgres, PgRow, PgConnection);
crate::prompts::sql_prompts!(PgStore, Postgres);
crate::sql_restore::sql_restore!(PgStore, Postgres);
crate::accounts::sql_accounts!(PgStore, Postgres, PgRow);
crate::shares::sql_shares!(PgStore, Postgres, PgRow);
crate::partners::sql_partners!(PgStore, Postgres, PgRow);
crate::sessions::sql_sessions!(PgStore);
