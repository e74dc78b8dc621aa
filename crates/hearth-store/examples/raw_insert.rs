//! The floor under Hearth's write path: inserts into a SQLCipher database
//! with the same settings as the journal (WAL, synchronous FULL, a raw key,
//! foreign keys on), one committed transaction per row, from `writers`
//! threads, each with its own connection, through rusqlite as the journal's
//! store. `narrow` is a plain table (one B-tree); `checkins` is Hearth's own
//! schema, made by running its migrations, and the same check-in row an API
//! write stores: the database's share of that write.
//! Usage: cargo run --release --example raw_insert -- [seconds] [writers] [narrow|checkins]

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().map_or(Ok(10), |s| s.parse())?;
    let writers: usize = args.next().map_or(Ok(1), |s| s.parse())?;
    let table = args.next().unwrap_or_else(|| "narrow".into());
    let insert = match table.as_str() {
        "narrow" => "INSERT INTO t VALUES (1, ?1, ?2, 6, 'benchmark')",
        "checkins" => {
            "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, energy, note) \
             VALUES (1, ?1, ?2, 'UTC', ?2, ?2, 6, 5, 'benchmark')"
        }
        other => return Err(format!("no table {other:?}: narrow or checkins").into()),
    };
    let dir = tempfile::TempDir::new()?;
    let path = dir.path().join("raw.db");
    // The same SQLCipher cryptography as the journal's.
    hearth_store::sqlite::use_hearth_cipher();
    let open = || -> rusqlite::Result<rusqlite::Connection> {
        let c = rusqlite::Connection::open(&path)?;
        c.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\"; PRAGMA cipher_log = off; PRAGMA journal_mode = WAL; \
             PRAGMA foreign_keys = ON;",
            "ab".repeat(32)
        ))?;
        c.busy_timeout(Duration::from_secs(5))?;
        Ok(c)
    };
    let first = open()?;
    if table == "narrow" {
        first.execute_batch(
            "CREATE TABLE t (user_id INTEGER NOT NULL, id TEXT NOT NULL, at_us INTEGER NOT NULL, \
             mood INTEGER NOT NULL, note TEXT, PRIMARY KEY (user_id, id)) WITHOUT ROWID",
        )?;
    } else {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let mut migrations: Vec<_> = std::fs::read_dir(dir)?
            .map(|f| f.map(|f| f.path()))
            .collect::<Result<_, _>>()?;
        migrations.sort();
        for m in migrations {
            first.execute_batch(&std::fs::read_to_string(m)?)?;
        }
        first.execute_batch("INSERT INTO users (id, name, created_us) VALUES (1, 'raw', 0)")?;
    }
    drop(first);
    let table = table.as_str();
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
                        c.prepare_cached(insert)?
                            .execute((id(table, w, n), n as i64))?;
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
        "raw SQLCipher inserts ({table}), {writers} writer(s): {total} in {secs} s = {:.0}/s",
        total as f64 / secs as f64
    );
    Ok(())
}

/// Ids in insertion order for the plain table, as before; for Hearth's
/// table, scattered as Hearth's random ids are (splitmix64 of the count).
fn id(table: &str, writer: usize, n: u64) -> String {
    if table == "narrow" {
        return format!("{writer}-{n}");
    }
    let mut z = n
        .wrapping_add((writer as u64) << 40)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    format!("{:010x}", (z ^ (z >> 31)) & 0xff_ffff_ffff)
}
