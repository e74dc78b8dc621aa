//! The floor under Hearth's write path: plain inserts into a SQLCipher
//! database with the same settings as the journal (WAL, synchronous FULL, a
//! raw key), one committed transaction per row, from `writers` tasks.
//! Usage: cargo run --release --example raw_insert -- [seconds] [writers]

use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().map_or(Ok(10), |s| s.parse())?;
    let writers: usize = args.next().map_or(Ok(1), |s| s.parse())?;
    let dir = tempfile::TempDir::new()?;
    // The same SQLCipher cryptography as the journal's.
    hearth_store::sqlite::use_hearth_cipher();
    let opts = SqliteConnectOptions::new()
        .filename(dir.path().join("raw.db"))
        .create_if_missing(true)
        .pragma("key", format!("\"x'{}'\"", "ab".repeat(32)))
        .pragma("cipher_log", "off")
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(writers as u32)
        .connect_with(opts)
        .await?;
    sqlx::query(
        "CREATE TABLE t (user_id INTEGER NOT NULL, id TEXT NOT NULL, at_us INTEGER NOT NULL, \
         mood INTEGER NOT NULL, note TEXT, PRIMARY KEY (user_id, id)) WITHOUT ROWID",
    )
    .execute(&pool)
    .await?;
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < end {
                let mut tx = pool.begin().await?;
                sqlx::query("INSERT INTO t VALUES (1, $1, $2, 6, 'benchmark')")
                    .bind(format!("{w}-{n}"))
                    .bind(n as i64)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                n += 1;
            }
            Ok::<u64, sqlx::Error>(n)
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await??;
    }
    // SQLCipher frees its provider and mutexes at exit; a connection still
    // open on one of sqlx's worker threads then crashed the process now and
    // then (16 writers), so every connection closes first.
    pool.close().await;
    println!(
        "raw SQLCipher inserts, {writers} writer(s): {total} in {secs} s = {:.0}/s",
        total as f64 / secs as f64
    );
    Ok(())
}
