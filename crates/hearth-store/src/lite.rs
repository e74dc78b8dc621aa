//! The few calls of sqlx's that the stamped SQL (`sql`, `accounts`,
//! `sessions`, …) makes, by the same names, run by rusqlite on the calling
//! thread. `sqlite.rs` imports this module as `sqlx`, so the macros read
//! the same for both backends while SQLite runs without sqlx: its driver
//! handed every statement and row to a worker thread of its own, whose
//! start and hand-offs were most of what a check-in cost beyond SQLite's
//! own work, and most of a server's SQLite write.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::types::Value as Cell;

pub use rusqlite::Error;

type Result<T, E = Error> = std::result::Result<T, E>;

/// The one database here, named where the macros say `Database = $db`.
pub struct Sqlite;

/// SQL put together at run time from Hearth's own constants, never from
/// input; as sqlx's type of the same name says.
pub struct AssertSqlSafe<T>(pub T);

/// What `query` and its kin take.
pub trait IntoSql<'q> {
    fn into_sql(self) -> Cow<'q, str>;
}

impl<'q> IntoSql<'q> for &'q str {
    fn into_sql(self) -> Cow<'q, str> {
        Cow::Borrowed(self)
    }
}

impl<'q> IntoSql<'q> for AssertSqlSafe<String> {
    fn into_sql(self) -> Cow<'q, str> {
        Cow::Owned(self.0)
    }
}

impl<'q> IntoSql<'q> for AssertSqlSafe<&'q str> {
    fn into_sql(self) -> Cow<'q, str> {
        Cow::Borrowed(self.0)
    }
}

/// A value to bind.
pub trait Encode {
    fn cell(self) -> Cell;
}

macro_rules! encode_copy {
    ($($t:ty => $f:expr),* $(,)?) => {$(
        impl Encode for $t {
            fn cell(self) -> Cell {
                $f(self)
            }
        }
        impl Encode for &$t {
            fn cell(self) -> Cell {
                $f(*self)
            }
        }
    )*};
}

encode_copy! {
    i64 => Cell::Integer,
    i32 => |v: i32| Cell::Integer(v.into()),
    u32 => |v: u32| Cell::Integer(v.into()),
    f64 => Cell::Real,
    bool => |v: bool| Cell::Integer(v.into()),
}

impl Encode for String {
    fn cell(self) -> Cell {
        Cell::Text(self)
    }
}

impl Encode for &String {
    fn cell(self) -> Cell {
        Cell::Text(self.clone())
    }
}

impl Encode for &str {
    fn cell(self) -> Cell {
        Cell::Text(self.to_owned())
    }
}

impl Encode for Vec<u8> {
    fn cell(self) -> Cell {
        Cell::Blob(self)
    }
}

impl Encode for &Vec<u8> {
    fn cell(self) -> Cell {
        Cell::Blob(self.clone())
    }
}

impl Encode for &[u8] {
    fn cell(self) -> Cell {
        Cell::Blob(self.to_vec())
    }
}

impl<const N: usize> Encode for &[u8; N] {
    fn cell(self) -> Cell {
        Cell::Blob(self.to_vec())
    }
}

impl<T: Encode> Encode for Option<T> {
    fn cell(self) -> Cell {
        self.map_or(Cell::Null, Encode::cell)
    }
}

impl<'a, T> Encode for &'a Option<T>
where
    &'a T: Encode,
{
    fn cell(self) -> Cell {
        self.as_ref().map_or(Cell::Null, Encode::cell)
    }
}

/// A value read from a row.
pub trait Decode<'r>: Sized {
    fn decode(cell: &'r Cell) -> Option<Self>;
}

impl Decode<'_> for i64 {
    fn decode(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Integer(i) => Some(*i),
            _ => None,
        }
    }
}

impl Decode<'_> for i32 {
    fn decode(cell: &Cell) -> Option<Self> {
        i64::decode(cell).and_then(|i| i32::try_from(i).ok())
    }
}

impl Decode<'_> for bool {
    fn decode(cell: &Cell) -> Option<Self> {
        i64::decode(cell).map(|i| i != 0)
    }
}

impl Decode<'_> for f64 {
    fn decode(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Real(f) => Some(*f),
            Cell::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }
}

impl Decode<'_> for String {
    fn decode(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl<'r> Decode<'r> for &'r str {
    fn decode(cell: &'r Cell) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl Decode<'_> for Vec<u8> {
    fn decode(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Blob(b) => Some(b.clone()),
            _ => None,
        }
    }
}

impl<'r, T: Decode<'r>> Decode<'r> for Option<T> {
    fn decode(cell: &'r Cell) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            other => T::decode(other).map(Some),
        }
    }
}

/// One row, read out of SQLite whole.
pub struct Row {
    names: Arc<[String]>,
    cells: Vec<Cell>,
}

/// A column by name or position.
pub trait ColumnIndex {
    fn at(&self, row: &Row) -> Result<usize>;
}

impl ColumnIndex for &str {
    fn at(&self, row: &Row) -> Result<usize> {
        row.names
            .iter()
            .position(|n| n == self)
            .ok_or_else(|| Error::InvalidColumnName((*self).to_owned()))
    }
}

impl ColumnIndex for usize {
    fn at(&self, row: &Row) -> Result<usize> {
        if *self < row.cells.len() {
            Ok(*self)
        } else {
            Err(Error::InvalidColumnIndex(*self))
        }
    }
}

impl Row {
    pub fn try_get<'r, T: Decode<'r>, I: ColumnIndex>(&'r self, index: I) -> Result<T> {
        let at = index.at(self)?;
        let cell = &self.cells[at];
        T::decode(cell)
            .ok_or_else(|| Error::InvalidColumnType(at, self.names[at].clone(), cell.data_type()))
    }

    fn first<T: for<'r> Decode<'r>>(&self) -> Result<T> {
        self.try_get(0)
    }
}

/// A row as a tuple, for `query_as`.
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),*) => {
        impl<$($t: for<'r> Decode<'r>),*> FromRow for ($($t,)*) {
            fn from_row(row: &Row) -> Result<Self> {
                Ok(($(row.try_get::<$t, _>($i)?,)*))
            }
        }
    };
}

tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);

/// What `execute` says.
pub struct Done {
    rows: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

/// Where a statement runs: a pool (on a connection it lends for the
/// statement) or a connection, a transaction's among them (`&mut **tx`).
pub trait Executor<'e>: Send {
    type Database;
    fn lend(self) -> Lending<'e>;
}

type Lending<'e> = std::pin::Pin<Box<dyn Future<Output = Result<Lent<'e>>> + Send + 'e>>;

/// The connection a statement runs on.
pub enum Lent<'e> {
    Pooled(PoolConnection),
    Borrowed(&'e mut Connection),
}

impl Lent<'_> {
    fn raw(&self) -> &rusqlite::Connection {
        match self {
            Lent::Pooled(c) => &c.0,
            Lent::Borrowed(c) => &c.0,
        }
    }
}

impl<'e> Executor<'e> for &'e Pool {
    type Database = Sqlite;
    fn lend(self) -> Lending<'e> {
        Box::pin(async move { Ok(Lent::Pooled(self.acquire().await?)) })
    }
}

impl<'e> Executor<'e> for &'e mut Connection {
    type Database = Sqlite;
    fn lend(self) -> Lending<'e> {
        Box::pin(std::future::ready(Ok(Lent::Borrowed(self))))
    }
}

pub struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Cell>,
}

pub fn query<'q>(sql: impl IntoSql<'q>) -> Query<'q> {
    Query {
        sql: sql.into_sql(),
        args: Vec::new(),
    }
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Encode) -> Self {
        self.args.push(value.cell());
        self
    }

    /// Runs the statement to its end, row by row through `each`; says how
    /// many rows it changed.
    fn step(
        &self,
        c: &rusqlite::Connection,
        mut each: impl FnMut(&Arc<[String]>, &rusqlite::Row<'_>) -> Result<()>,
    ) -> Result<u64> {
        let mut stmt = c.prepare_cached(&self.sql)?;
        for i in 1..=stmt.parameter_count() {
            // `$2` is the second value bound, wherever it stands, as with
            // sqlx (SQLite numbers named parameters as it meets them).
            let at = stmt
                .parameter_name(i)
                .and_then(|n| n.strip_prefix(['$', '?']))
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(i);
            let value = at
                .checked_sub(1)
                .and_then(|at| self.args.get(at))
                .ok_or(Error::InvalidParameterCount(at, self.args.len()))?;
            stmt.raw_bind_parameter(i, value)?;
        }
        // Only a statement whose rows are read needs its columns' names.
        let names: Arc<[String]> = if stmt.column_count() == 0 {
            Arc::new([])
        } else {
            stmt.column_names().into_iter().map(String::from).collect()
        };
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            each(&names, row)?;
        }
        Ok(c.changes())
    }

    pub async fn execute<'e>(self, on: impl Executor<'e>) -> Result<Done> {
        let c = on.lend().await?;
        let rows = self.step(c.raw(), |_, _| Ok(()))?;
        Ok(Done { rows })
    }

    pub async fn fetch_all<'e>(self, on: impl Executor<'e>) -> Result<Vec<Row>> {
        let c = on.lend().await?;
        let mut out = Vec::new();
        self.step(c.raw(), |names, row| {
            out.push(read(names, row)?);
            Ok(())
        })?;
        Ok(out)
    }

    pub async fn fetch_optional<'e>(self, on: impl Executor<'e>) -> Result<Option<Row>> {
        let c = on.lend().await?;
        let mut first = None;
        self.step(c.raw(), |names, row| {
            if first.is_none() {
                first = Some(read(names, row)?);
            }
            Ok(())
        })?;
        Ok(first)
    }

    pub async fn fetch_one<'e>(self, on: impl Executor<'e>) -> Result<Row> {
        self.fetch_optional(on)
            .await?
            .ok_or(Error::QueryReturnedNoRows)
    }
}

fn read(names: &Arc<[String]>, row: &rusqlite::Row<'_>) -> Result<Row> {
    let cells = (0..names.len())
        .map(|i| row.get::<_, Cell>(i))
        .collect::<Result<_>>()?;
    Ok(Row {
        names: names.clone(),
        cells,
    })
}

/// `query`, each row read as the tuple `O`.
pub struct QueryAs<'q, D, O> {
    inner: Query<'q>,
    _out: PhantomData<fn() -> (D, O)>,
}

pub fn query_as<'q, D, O: FromRow>(sql: impl IntoSql<'q>) -> QueryAs<'q, D, O> {
    QueryAs {
        inner: query(sql),
        _out: PhantomData,
    }
}

impl<'q, D, O: FromRow + Send> QueryAs<'q, D, O> {
    pub fn bind(self, value: impl Encode) -> Self {
        QueryAs {
            inner: self.inner.bind(value),
            _out: PhantomData,
        }
    }

    pub async fn fetch_optional<'e>(
        self,
        on: impl Executor<'e, Database = D>,
    ) -> Result<Option<O>> {
        let row = self.inner.fetch_optional(on).await?;
        row.as_ref().map(O::from_row).transpose()
    }
}

/// `query`, each row's first column read as `O`.
pub struct QueryScalar<'q, D, O> {
    inner: Query<'q>,
    _out: PhantomData<fn() -> (D, O)>,
}

pub fn query_scalar<'q, D, O>(sql: impl IntoSql<'q>) -> QueryScalar<'q, D, O>
where
    O: for<'r> Decode<'r>,
{
    QueryScalar {
        inner: query(sql),
        _out: PhantomData,
    }
}

impl<'q, D, O: for<'r> Decode<'r> + Send> QueryScalar<'q, D, O> {
    pub fn bind(self, value: impl Encode) -> Self {
        QueryScalar {
            inner: self.inner.bind(value),
            _out: PhantomData,
        }
    }

    pub async fn fetch_all<'e>(self, on: impl Executor<'e, Database = D>) -> Result<Vec<O>> {
        let rows = self.inner.fetch_all(on).await?;
        rows.iter().map(Row::first).collect()
    }

    pub async fn fetch_optional<'e>(
        self,
        on: impl Executor<'e, Database = D>,
    ) -> Result<Option<O>> {
        let row = self.inner.fetch_optional(on).await?;
        row.as_ref().map(Row::first).transpose()
    }

    pub async fn fetch_one<'e>(self, on: impl Executor<'e, Database = D>) -> Result<O> {
        self.inner.fetch_one(on).await?.first()
    }
}

/// One SQLite connection.
pub struct Connection(rusqlite::Connection);

impl Connection {
    /// The rusqlite connection itself, for statements that move rows in bulk.
    pub fn raw(&self) -> &rusqlite::Connection {
        &self.0
    }
}

/// Opens a new connection for a pool.
pub type Open = Box<dyn Fn() -> Result<rusqlite::Connection> + Send + Sync>;

/// Up to `max` connections, opened as they are first needed and kept for
/// the next statement.
#[derive(Clone)]
pub struct Pool(Arc<Shared>);

struct Shared {
    open: Open,
    idle: Mutex<Vec<rusqlite::Connection>>,
    permits: Arc<tokio::sync::Semaphore>,
    size: AtomicU32,
    closed: AtomicBool,
}

impl Pool {
    pub fn new(max: u32, open: Open) -> Pool {
        Pool(Arc::new(Shared {
            open,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(tokio::sync::Semaphore::new(max as usize)),
            size: AtomicU32::new(0),
            closed: AtomicBool::new(false),
        }))
    }

    /// Opens the first connection now, so that a wrong key shows here.
    pub fn connect(max: u32, open: Open) -> Result<Pool> {
        let first = open()?;
        let pool = Pool::new(max, open);
        pool.0.size.store(1, Ordering::Relaxed);
        pool.idle().push(first);
        Ok(pool)
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<rusqlite::Connection>> {
        // Poisoned, it held only whole connections.
        self.0.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub async fn acquire(&self) -> Result<PoolConnection> {
        let permit = self.0.permits.clone().acquire_owned().await.map_err(|_| {
            Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
                Some("the store is closed".into()),
            )
        })?;
        let kept = self.idle().pop();
        let conn = match kept {
            Some(c) => c,
            None => {
                let c = (self.0.open)()?;
                self.0.size.fetch_add(1, Ordering::Relaxed);
                c
            }
        };
        Ok(PoolConnection {
            conn: Some(Connection(conn)),
            pool: self.clone(),
            _permit: permit,
        })
    }

    /// A transaction begun with `begin` (`BEGIN IMMEDIATE`, say).
    pub async fn begin_with(&self, begin: &str) -> Result<Transaction<'static, Sqlite>> {
        let conn = self.acquire().await?;
        conn.0.execute_batch(begin)?;
        Ok(Transaction {
            conn,
            open: true,
            _db: PhantomData,
        })
    }

    /// How many connections are open.
    #[cfg(test)]
    pub fn size(&self) -> u32 {
        self.0.size.load(Ordering::Relaxed)
    }

    /// Closes the idle connections now and each one in use as it comes back.
    pub async fn close(&self) {
        self.0.closed.store(true, Ordering::Release);
        self.0.permits.close();
        let idle = std::mem::take(&mut *self.idle());
        self.0.size.fetch_sub(idle.len() as u32, Ordering::Relaxed);
        drop(idle);
    }
}

/// A pool's connection, lent until it is dropped.
pub struct PoolConnection {
    conn: Option<Connection>,
    pool: Pool,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Deref for PoolConnection {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("lent until dropped")
    }
}

impl DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("lent until dropped")
    }
}

impl Drop for PoolConnection {
    fn drop(&mut self) {
        let Some(Connection(c)) = self.conn.take() else {
            return;
        };
        if self.pool.0.closed.load(Ordering::Acquire) || !c.is_autocommit() {
            // A connection left inside a transaction is not lent again.
            self.pool.0.size.fetch_sub(1, Ordering::Relaxed);
            drop(c);
        } else {
            self.pool.idle().push(c);
        }
    }
}

/// A transaction on a pool's connection: committed by `commit`, rolled
/// back if dropped before.
pub struct Transaction<'c, D> {
    conn: PoolConnection,
    open: bool,
    _db: PhantomData<(&'c (), D)>,
}

impl<D> Transaction<'_, D> {
    pub async fn commit(mut self) -> Result<()> {
        self.conn.0.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<()> {
        self.open = false;
        if self.conn.0.is_autocommit() {
            return Ok(());
        }
        self.conn.0.execute_batch("ROLLBACK")
    }
}

impl<D> Deref for Transaction<'_, D> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl<D> DerefMut for Transaction<'_, D> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl<D> Drop for Transaction<'_, D> {
    fn drop(&mut self) {
        // A statement that failed may already have ended the transaction.
        if self.open && !self.conn.0.is_autocommit() {
            let _ = self.conn.0.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Pool {
        Pool::new(2, Box::new(rusqlite::Connection::open_in_memory))
    }

    #[tokio::test]
    async fn numbered_parameters_bind_by_number_wherever_they_stand() {
        let pool = memory();
        let mut conn = pool.acquire().await.unwrap();
        let row = query("SELECT $2 AS b, $1 AS a, $2 || $1 AS ba")
            .bind(1_i64)
            .bind("two")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(row.try_get::<&str, _>("b").unwrap(), "two");
        assert_eq!(row.try_get::<i64, _>("a").unwrap(), 1);
        assert_eq!(row.try_get::<String, _>("ba").unwrap(), "two1");
        let missing = query("SELECT $3").bind(1_i64).fetch_one(&mut *conn).await;
        assert!(matches!(missing, Err(Error::InvalidParameterCount(3, 1))));
        let zero = query("SELECT $0").bind(1_i64).fetch_one(&mut *conn).await;
        assert!(matches!(zero, Err(Error::InvalidParameterCount(0, 1))));
    }

    #[tokio::test]
    async fn values_come_back_as_they_went_in_and_a_wrong_type_is_an_error() {
        let pool = memory();
        let row = query("SELECT $1 AS i, $2 AS f, $3 AS t, $4 AS b, $5 AS n, $6 AS yes")
            .bind(-7_i64)
            .bind(2.5_f64)
            .bind(String::from("text"))
            .bind(&[1_u8, 2, 3][..])
            .bind(None::<i64>)
            .bind(true)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.try_get::<i64, _>("i").unwrap(), -7);
        assert_eq!(row.try_get::<i32, _>("i").unwrap(), -7);
        assert_eq!(row.try_get::<f64, _>("f").unwrap(), 2.5);
        assert_eq!(row.try_get::<f64, _>("i").unwrap(), -7.0);
        assert_eq!(row.try_get::<Vec<u8>, _>("b").unwrap(), vec![1, 2, 3]);
        assert_eq!(row.try_get::<Option<i64>, _>("n").unwrap(), None);
        assert_eq!(
            row.try_get::<Option<String>, _>("t").unwrap().as_deref(),
            Some("text")
        );
        assert!(row.try_get::<bool, _>("yes").unwrap());
        assert!(matches!(
            row.try_get::<i64, _>("t"),
            Err(Error::InvalidColumnType(2, ref name, _)) if name == "t"
        ));
        assert!(matches!(
            row.try_get::<i64, _>("n"),
            Err(Error::InvalidColumnType(..))
        ));
        assert!(matches!(
            row.try_get::<i64, _>("nope"),
            Err(Error::InvalidColumnName(_))
        ));
        let big = query_scalar::<_, i32>("SELECT 5000000000")
            .fetch_one(&pool)
            .await;
        assert!(big.is_err(), "an i32 cannot hold {big:?}");
    }

    #[tokio::test]
    async fn a_transaction_dropped_before_commit_leaves_nothing() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.db");
        let pool = Pool::new(1, Box::new(move || rusqlite::Connection::open(&path)));
        query("CREATE TABLE t (x INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
            query("INSERT INTO t VALUES (1)")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
        let done = query("INSERT INTO t VALUES (2)")
            .execute(&mut *tx)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1);
        tx.commit().await.unwrap();
        let tx = pool.begin_with("BEGIN").await.unwrap();
        tx.rollback().await.unwrap();
        let all: Vec<i64> = query_scalar("SELECT x FROM t")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(all, vec![2]);
        assert_eq!(pool.size(), 1, "the one connection was lent again");
    }

    #[tokio::test]
    async fn a_pool_lends_at_most_its_size_and_refuses_once_closed() {
        let pool = memory();
        let a = pool.acquire().await.unwrap();
        let b = pool.acquire().await.unwrap();
        let third = tokio::time::timeout(std::time::Duration::from_millis(50), pool.acquire());
        assert!(third.await.is_err(), "a third connection was lent");
        drop(a);
        let c = pool.acquire().await.unwrap();
        assert_eq!(pool.size(), 2);
        drop((b, c));
        pool.close().await;
        assert_eq!(pool.size(), 0);
        assert!(pool.acquire().await.is_err());
    }

    #[tokio::test]
    async fn rows_read_as_tuples_and_nothing_found_is_said() {
        let pool = memory();
        let pair: Option<(i64, String)> = query_as("SELECT 1, 'one'")
            .fetch_optional(&pool)
            .await
            .unwrap();
        assert_eq!(pair, Some((1, "one".to_string())));
        let none = query("SELECT 1 WHERE 0").fetch_one(&pool).await;
        assert!(matches!(none, Err(Error::QueryReturnedNoRows)));
        let nothing: Option<i64> = query_scalar("SELECT 1 WHERE 0")
            .fetch_optional(&pool)
            .await
            .unwrap();
        assert_eq!(nothing, None);
    }
}
