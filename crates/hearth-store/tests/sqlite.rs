//! The conformance suite on the embedded store, and what only the embedded
//! store promises: encryption at rest and refusing the wrong key untouched.

#[macro_use]
mod conformance;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use conformance::now;
use hearth_core::EntryBody;
use hearth_core::Settings;
use hearth_store::keys::Unlock;
use hearth_store::{LOCAL_USER, NewEntry, SqliteStore, Store, StoreError};
use tempfile::TempDir;

fn settings() -> Settings {
    Settings::for_zone("Europe/Paris")
}

async fn fresh() -> (TempDir, SqliteStore) {
    let dir = TempDir::new().unwrap();
    let store = SqliteStore::create(&dir.path().join("journal"), None, &settings(), now())
        .await
        .unwrap();
    (dir, store)
}

macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            let (_dir, store) = fresh().await;
            conformance::$name(&store, LOCAL_USER).await;
        }
    )+};
}

single_user_suite!(conformance);

/// The same suite on a store opened the way a command opens it: one
/// connection for its work, and a second only while a whole journal is read
/// side by side; nothing in the store may wait on a third.
mod one_connection {
    use super::*;
    use hearth_store::sqlite::Connections;

    macro_rules! conformance_one {
        ($($name:ident),+ $(,)?) => {$(
            #[tokio::test]
            async fn $name() {
                let (dir, store) = fresh().await;
                store.close().await;
                let store = SqliteStore::open_with(
                    &dir.path().join("journal"),
                    &Unlock::KeyFileOnly,
                    Connections::Command,
                )
                .await
                .unwrap();
                conformance::$name(&store, LOCAL_USER).await;
            }
        )+};
    }

    single_user_suite!(conformance_one);
}

#[tokio::test]
async fn restore_round_trips() {
    let (_dir, store) = fresh().await;
    let other = store.create_user("second", now()).await.unwrap();
    conformance::restore_round_trips(&store, LOCAL_USER, other).await;
    // Closed, not dropped: a dropped pool closes its connections on worker
    // threads that can still be inside SQLCipher when the test process exits.
    store.close().await;
}

#[tokio::test]
async fn users_are_isolated() {
    for first_is_local in [true, false] {
        let (_dir, store) = fresh().await;
        let other = store.create_user("second", now()).await.unwrap();
        let (a, b) = if first_is_local {
            (LOCAL_USER, other)
        } else {
            (other, LOCAL_USER)
        };
        conformance::users_are_isolated(&store, a, b).await;
    }
}

const SECRET: &str = "a note nobody else may read 7f3a";

async fn store_a_secret(store: &SqliteStore) {
    let mut c = conformance::full_checkin();
    c.note = Some(SECRET.into());
    let e = NewEntry {
        at: now(),
        tz: "UTC".into(),
        body: EntryBody::Checkin(c),
    };
    store.insert(LOCAL_USER, &[e], now()).await.unwrap();
}

/// Every file in the directory with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let meta = fs::metadata(&p).unwrap();
            (p.clone(), (fs::read(&p).unwrap(), meta.modified().unwrap()))
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn nothing_is_readable_on_disk() {
    let (tmp, store) = fresh().await;
    store_a_secret(&store).await;
    let dir = tmp.path().join("journal");
    // Look while the store is open (WAL holds recent writes) and after closing.
    for phase in ["open", "closed"] {
        for (path, (bytes, _)) in snapshot(&dir) {
            assert!(
                !contains(&bytes, SECRET.as_bytes()),
                "{phase}: {} holds the note",
                path.display()
            );
            assert!(
                !contains(&bytes, b"SQLite format 3"),
                "{phase}: {} has a plaintext header",
                path.display()
            );
            assert!(
                !contains(&bytes, b"CREATE TABLE"),
                "{phase}: {} shows the schema",
                path.display()
            );
        }
        store.close().await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, store) = fresh().await;
    store_a_secret(&store).await;
    let dir = tmp.path().join("journal");
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for (path, _) in snapshot(&dir) {
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    store.close().await;

    // Loosened later (a restored backup, a directory made beforehand), they
    // are made private again when the journal opens; other files are not touched.
    let loose =
        |p: &Path, mode: u32| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    loose(&dir, 0o755);
    loose(&dir.join(hearth_store::keys::KEY_FILE), 0o644);
    let theirs = dir.join("notes-of-mine.txt");
    fs::write(&theirs, "mine").unwrap();
    loose(&theirs, 0o644);
    let store = SqliteStore::open(&dir, &hearth_store::keys::Unlock::KeyFileOnly)
        .await
        .unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(hearth_store::keys::KEY_FILE)), 0o600);
    assert_eq!(mode(&theirs), 0o644, "not Hearth's file");
    store.close().await;
}

#[tokio::test]
async fn a_passphrase_store_opens_only_with_its_passphrase() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("journal");
    let store = SqliteStore::create(&dir, Some("correct horse battery"), &settings(), now())
        .await
        .unwrap();
    store_a_secret(&store).await;
    store.close().await;
    assert!(
        !dir.join(hearth_store::keys::KEY_FILE).exists(),
        "no key may be stored"
    );
    let meta = fs::read_to_string(dir.join(hearth_store::keys::META_FILE)).unwrap();
    assert!(meta.contains("argon2id") && !meta.contains("correct horse"));

    let before = snapshot(&dir);
    for how in [
        Unlock::Passphrase("wrong horse battery"),
        Unlock::KeyFileOnly,
    ] {
        match SqliteStore::open(&dir, &how).await {
            Err(StoreError::Locked(why)) => assert!(!why.is_empty()),
            Err(other) => panic!("expected Locked, got {other}"),
            Ok(_) => panic!("opened with the wrong key"),
        }
        assert_eq!(snapshot(&dir), before, "a failed unlock touched the files");
    }

    let store = SqliteStore::open(&dir, &Unlock::Passphrase("correct horse battery"))
        .await
        .unwrap();
    let entries = store.list(LOCAL_USER, &Default::default()).await.unwrap();
    assert_eq!(entries.len(), 1);
    store.close().await;
}

#[tokio::test]
async fn a_missing_or_wrong_key_file_is_refused_untouched() {
    let (tmp, store) = fresh().await;
    store_a_secret(&store).await;
    store.close().await;
    let dir = tmp.path().join("journal");
    let key = dir.join(hearth_store::keys::KEY_FILE);
    let real = fs::read(&key).unwrap();

    fs::write(&key, "00".repeat(32)).unwrap();
    let before = snapshot(&dir);
    assert!(matches!(
        SqliteStore::open(&dir, &Unlock::KeyFileOnly).await,
        Err(StoreError::Locked(_))
    ));
    assert_eq!(snapshot(&dir), before);

    fs::remove_file(&key).unwrap();
    let before = snapshot(&dir);
    match SqliteStore::open(&dir, &Unlock::KeyFileOnly).await {
        Err(StoreError::Locked(why)) => assert!(why.contains("missing"), "{why}"),
        other => panic!("expected Locked, got {:?}", other.err()),
    }
    assert_eq!(snapshot(&dir), before);

    fs::write(&key, real).unwrap();
    assert!(SqliteStore::open(&dir, &Unlock::KeyFileOnly).await.is_ok());
}

#[tokio::test]
async fn creating_twice_is_refused() {
    let (tmp, store) = fresh().await;
    store.close().await;
    let again = SqliteStore::create(&tmp.path().join("journal"), None, &settings(), now()).await;
    assert!(matches!(again, Err(StoreError::AlreadyExists(_))));
}

#[tokio::test]
async fn opening_an_empty_directory_says_there_is_no_store() {
    let tmp = TempDir::new().unwrap();
    assert!(matches!(
        SqliteStore::open(tmp.path(), &Unlock::KeyFileOnly).await,
        Err(StoreError::NoStore(_))
    ));
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn accounts() {
    let (_dir, store) = fresh().await;
    conformance::accounts(&store).await;
}

#[tokio::test]
async fn shares() {
    let (_dir, store) = fresh().await;
    let other = store.create_user("second", now()).await.unwrap();
    conformance::shares(&store, LOCAL_USER, other).await;
}

#[tokio::test]
async fn partners() {
    let (_dir, store) = fresh().await;
    conformance::partners(&store).await;
}

#[tokio::test]
async fn sessions() {
    let (_dir, store) = fresh().await;
    conformance::sessions(&store).await;
}

async fn read_secret(dir: &Path, how: &Unlock<'_>) -> std::result::Result<bool, StoreError> {
    let store = SqliteStore::open(dir, how).await?;
    let notes: Vec<String> = store
        .list(LOCAL_USER, &hearth_store::Filter::default())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.body {
            EntryBody::Checkin(c) => c.note,
            _ => None,
        })
        .collect();
    store.close().await;
    Ok(notes == [SECRET])
}

#[tokio::test]
async fn a_passphrase_is_added_changed_and_removed_keeping_every_entry() {
    use hearth_store::protect::change_protection;
    let (tmp, store) = fresh().await;
    store_a_secret(&store).await;
    store.close().await;
    let dir = tmp.path().join("journal");
    let key_file = dir.join("hearth.key");

    // Removing a passphrase a key-file journal does not have is refused.
    assert!(
        change_protection(&dir, &Unlock::KeyFileOnly, None)
            .await
            .is_err()
    );

    change_protection(&dir, &Unlock::KeyFileOnly, Some("first long phrase"))
        .await
        .unwrap();
    assert!(!key_file.exists(), "a passphrase journal keeps no key file");
    assert!(matches!(
        read_secret(&dir, &Unlock::KeyFileOnly).await,
        Err(StoreError::Locked(_))
    ));
    assert!(
        read_secret(&dir, &Unlock::Passphrase("first long phrase"))
            .await
            .unwrap()
    );

    // A wrong current passphrase changes nothing.
    let before = snapshot(&dir);
    assert!(
        change_protection(&dir, &Unlock::Passphrase("not it at all"), Some("x y z w"))
            .await
            .is_err()
    );
    assert_eq!(snapshot(&dir), before);

    change_protection(
        &dir,
        &Unlock::Passphrase("first long phrase"),
        Some("second long phrase"),
    )
    .await
    .unwrap();
    assert!(
        read_secret(&dir, &Unlock::Passphrase("first long phrase"))
            .await
            .is_err()
    );
    assert!(
        read_secret(&dir, &Unlock::Passphrase("second long phrase"))
            .await
            .unwrap()
    );

    change_protection(&dir, &Unlock::Passphrase("second long phrase"), None)
        .await
        .unwrap();
    assert!(key_file.exists());
    assert!(read_secret(&dir, &Unlock::KeyFileOnly).await.unwrap());
    // Nothing is left behind: no staging copy, no half-written store.json.
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("hearth.db-"))
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["hearth.db", "hearth.key", "store.json"]);
    // Still in write-ahead mode, as Hearth makes its journals.
    let store = SqliteStore::open(&dir, &Unlock::KeyFileOnly).await.unwrap();
    store_a_secret(&store).await;
    assert!(
        dir.join("hearth.db-wal").exists(),
        "writes go to the write-ahead log"
    );
    store.close().await;
}

#[tokio::test]
async fn a_change_cut_short_still_opens_the_way_it_was_locked_before() {
    let (tmp, store) = fresh().await;
    store_a_secret(&store).await;
    store.close().await;
    let dir = tmp.path().join("journal");
    // As if Hearth stopped after writing the new store.json but before the
    // new database went in: store.json asks for a passphrase, the database
    // still opens with the key file.
    let meta = fs::read_to_string(dir.join("store.json")).unwrap();
    let cut = r#"{"format":1,"key":"passphrase","kdf":{"algorithm":"argon2id","memory_kib":8,"iterations":1,"parallelism":1,"salt":"00112233445566778899aabbccddeeff"},"previous":{"key":"file"}}"#;
    fs::write(dir.join("store.json"), cut).unwrap();
    assert!(
        read_secret(&dir, &Unlock::Passphrase("whatever was typed"))
            .await
            .unwrap()
    );
    fs::write(dir.join("store.json"), meta).unwrap();
    assert!(read_secret(&dir, &Unlock::KeyFileOnly).await.unwrap());
}

/// A command's one connection leaves its write-ahead log for the next open
/// instead of checkpointing on close; what it wrote is all there, to a
/// server's pool too, which checkpoints and removes the log as before.
/// One new episode, as a command would add it.
async fn add_art(store: &SqliteStore) -> hearth_core::Entry {
    let episode = conformance::episode(hearth_core::vocab::BuiltinKind::Art, now());
    store
        .insert(LOCAL_USER, &[episode], now())
        .await
        .unwrap()
        .remove(0)
}

#[tokio::test]
async fn a_command_leaves_its_log_and_nothing_is_lost() {
    use hearth_store::sqlite::Connections;
    let (dir, store) = fresh().await;
    store.close().await;
    let journal = dir.path().join("journal");
    let wal = journal.join("hearth.db-wal");
    let one = SqliteStore::open_with(&journal, &Unlock::KeyFileOnly, Connections::Command)
        .await
        .unwrap();
    let added = add_art(&one).await;
    one.close().await;
    assert!(
        fs::metadata(&wal).map(|m| m.len() > 0).unwrap_or(false),
        "the log stays, holding the check-in"
    );
    let again = SqliteStore::open_with(&journal, &Unlock::KeyFileOnly, Connections::Command)
        .await
        .unwrap();
    assert_eq!(
        again.get(LOCAL_USER, &added.id).await.unwrap(),
        Some(added.clone())
    );
    again.close().await;
    let server = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
        .await
        .unwrap();
    assert_eq!(
        server.get(LOCAL_USER, &added.id).await.unwrap(),
        Some(added.clone())
    );
    server.close().await;
    assert!(
        !wal.exists(),
        "a server's pool checkpoints on close and removes the log"
    );
    let readable = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
        .await
        .unwrap();
    assert_eq!(
        readable
            .list(LOCAL_USER, &hearth_store::Filter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    readable.close().await;
}

/// A journal SQLCipher wrote with OpenSSL's cryptography still reads, page
/// for page, with Hearth's own provider, and takes new writes.
#[tokio::test]
async fn a_journal_written_through_openssl_reads_and_writes() {
    use hearth_store::sqlite::Connections;
    use std::os::unix::fs::PermissionsExt;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openssl-journal");
    let dir = TempDir::new().unwrap();
    let journal = dir.path().join("journal");
    fs::create_dir(&journal).unwrap();
    fs::set_permissions(&journal, fs::Permissions::from_mode(0o700)).unwrap();
    for name in ["hearth.db", "hearth.db-wal", "hearth.key", "store.json"] {
        fs::copy(fixture.join(name), journal.join(name)).unwrap();
        fs::set_permissions(journal.join(name), fs::Permissions::from_mode(0o600)).unwrap();
    }
    let one = SqliteStore::open_with(&journal, &Unlock::KeyFileOnly, Connections::Command)
        .await
        .unwrap();
    let entries = one
        .list(LOCAL_USER, &hearth_store::Filter::default())
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    let text = serde_json::to_string(&entries).unwrap();
    assert!(text.contains("made before the provider change"), "{text}");
    let added = add_art(&one).await;
    one.close().await;
    // A server's pool checkpoints the log into the file on close: every
    // page is then rewritten and read back through the new provider.
    let server = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
        .await
        .unwrap();
    server.close().await;
    let again = SqliteStore::open(&journal, &Unlock::KeyFileOnly)
        .await
        .unwrap();
    let entries = again
        .list(LOCAL_USER, &hearth_store::Filter::default())
        .await
        .unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.contains(&added));
    again.close().await;
}
