//! The floor under `hearth checkin`, for `bench/cli.sh`: the statements a
//! check-in runs on a key-file journal (the schema's state, the settings,
//! one insert that commits itself), with the same SQLCipher and the same
//! pragmas, through rusqlite on the calling thread as the journal's store
//! does: no async runtime, no command line to parse, no journal's rules
//! and nothing to print but a count. What `hearth checkin` takes beyond
//! this is Hearth's own.
//! Usage: checkin_floor DATA_DIR (a journal made by `hearth init`)

use std::path::PathBuf;

use hearth_store::keys::{DB_FILE, KEY_FILE};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: checkin_floor DATA_DIR")?,
    );
    let key = std::fs::read_to_string(dir.join(KEY_FILE))?;
    hearth_store::sqlite::use_hearth_cipher();
    let db = rusqlite::Connection::open(dir.join(DB_FILE))?;
    db.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\"; PRAGMA cipher_log = off; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        key.trim()
    ))?;
    // As a command's connection does: the log stays for the next open.
    db.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    let migrations: Vec<(i64, Vec<u8>)> = db
        .prepare("SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let settings: Vec<(String, String)> = db
        .prepare("SELECT key, value FROM settings WHERE user_id = 1")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_micros() as i64;
    db.execute(
        "INSERT INTO checkins (user_id, id, at_us, tz, recorded_us, updated_us, mood, tags) \
         VALUES (1, ?1, ?2, 'UTC', ?2, ?2, 5, '[]')",
        (format!("floor{now}"), now),
    )?;
    drop(db);
    println!(
        "{} migrations, {} settings",
        migrations.len(),
        settings.len()
    );
    Ok(())
}
