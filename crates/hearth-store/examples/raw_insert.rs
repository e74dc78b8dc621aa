//! The floor under Hearth's write path: plain inserts into a SQLCipher
//! database with the same settings as the journal (WAL, synchronous FULL, a
//! raw key), one committed transaction per row, from `writers` threads,
//! each with its own connection, through rusqlite as the journal's store.
//! Usage: cargo run --release --example raw_insert -- [seconds] [writers]

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().map_or(Ok(10), |s| s.parse())?;
    let writers: usize = args.next().map_or(Ok(1), |s| s.parse())?;
    let dir = tempfile::TempDir::new()?;
    let path = dir.path().join("raw.db");
    // The same SQLCipher cryptography as the journal's.
    hearth_store::sqlite::use_hearth_cipher();
    let open = || -> rusqlite::Result<rusqlite::Connection> {
        let c = rusqlite::Connection::open(&path)?;
        c.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; PRAGMA cipher_log = off; PRAGMA journal_mode = WAL;",
            "ab".repeat(32)
        ))?;
        c.busy_timeout(Duration::from_secs(5))?;
        Ok(c)
    };
    open()?.execute_batch(
        "CREATE TABLE t (user_id INTEGER NOT NULL, id TEXT NOT NULL, at_us INTEGER NOT NULL, \
         mood INTEGER NOT NULL, note TEXT, PRIMARY KEY (user_id, id)) WITHOUT ROWID",
    )?;
    let end = Instant::now() + Duration::from_secs(secs);
    // SQLite writes one transaction at a time; writers of one process take
    // turns here, as Hearth's do, rather than sleeping in SQLite's busy
    // handler (which starved some of 16 past any timeout).
    let turn = std::sync::Mutex::new(());
    let total = std::thread::scope(|s| {
        let tasks: Vec<_> = (0..writers)
            .map(|w| {
                let turn = &turn;
                s.spawn(move || -> rusqlite::Result<u64> {
                    let c = open()?;
                    let mut n = 0u64;
                    while Instant::now() < end {
                        let _turn = turn.lock().expect("a writer panicked");
                        c.execute_batch("BEGIN IMMEDIATE")?;
                        c.prepare_cached("INSERT INTO t VALUES (1, ?1, ?2, 6, 'benchmark')")?
                            .execute((format!("{w}-{n}"), n as i64))?;
                        c.execute_batch("COMMIT")?;
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        tasks
            .into_iter()
            .map(|t| t.join().expect("a writer panicked"))
            .sum::<rusqlite::Result<u64>>()
    })?;
    println!(
        "raw SQLCipher inserts, {writers} writer(s): {total} in {secs} s = {:.0}/s",
        total as f64 / secs as f64
    );
    Ok(())
}
