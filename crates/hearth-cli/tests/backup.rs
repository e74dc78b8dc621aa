//! `hearth backup` and `hearth restore` through the real binary: the copy is
//! encrypted, a restore checks it whole before touching the journal, and a
//! backup taken while `hearth serve` writes opens and holds what was saved.

mod common;

use std::fs;
use std::io::{Read, Write};

use common::Journal;
use predicates::prelude::*;
use serde_json::Value;

fn backup(j: &Journal, extra: &[&str]) -> std::path::PathBuf {
    let out = j.dir.parent().unwrap().join("hearth.backup");
    let mut args = vec!["backup", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    j.ok(&args);
    out
}

fn restore(j: &Journal, file: &std::path::Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut args = vec!["restore", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    j.cmd().args(&args).assert()
}

#[test]
fn a_backup_is_encrypted_and_restores_exactly_what_it_held() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "6", "--note", "the zebra sentence"]);
    let before = j.list();
    let file = backup(&j, &[]);
    let bytes = fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("zebra") && !text.contains("SQLite format 3"),
        "encrypted"
    );
    assert!(
        !text.contains(
            &fs::read_to_string(j.dir.join("hearth.key"))
                .unwrap()
                .trim()
                .to_string()
        )
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    j.ok(&["checkin", "--mood", "2"]);
    let after = j.list();
    // Without --force the journal that is there stays.
    restore(&j, &file, &[]).code(2).stderr(
        predicate::str::contains("--force").and(predicate::str::contains("nothing was changed")),
    );
    assert_eq!(j.list(), after);
    restore(&j, &file, &["--force"]).success();
    assert_eq!(j.list(), before, "back to the moment of the backup");
    j.ok(&["checkin", "--mood", "7"]);
    assert_eq!(j.list().as_array().unwrap().len(), 2, "and it works on");
}

#[test]
fn a_restore_elsewhere_needs_the_key_and_a_damaged_backup_changes_nothing() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let file = backup(&j, &[]);
    let elsewhere = Journal::new();
    restore(&elsewhere, &file, &[])
        .code(2)
        .stderr(predicate::str::contains("--key-file"));
    assert!(!elsewhere.dir.join("hearth.db").exists());
    let kept = j.dir.parent().unwrap().join("kept.key");
    fs::copy(j.dir.join("hearth.key"), &kept).unwrap();
    // The wrong key is refused, and nothing is left behind.
    let wrong = j.dir.parent().unwrap().join("wrong.key");
    fs::write(&wrong, format!("{}\n", "ab".repeat(32))).unwrap();
    restore(&elsewhere, &file, &["--key-file", wrong.to_str().unwrap()])
        .code(1)
        .stderr(predicate::str::contains("could not be unlocked"));
    assert!(!elsewhere.dir.join("hearth.db").exists());
    restore(&elsewhere, &file, &["--key-file", kept.to_str().unwrap()]).success();
    assert_eq!(elsewhere.list(), j.list());

    // A backup with its key restores alone.
    let with_key = backup(&j, &["--include-key"]);
    let third = Journal::new();
    restore(&third, &with_key, &[]).success();
    assert_eq!(third.list(), j.list());

    // Damaged: a byte of the database changed, or the file cut short.
    let mut bytes = fs::read(&file).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    let damaged = j.dir.parent().unwrap().join("damaged.backup");
    fs::write(&damaged, &bytes).unwrap();
    let before = j.list();
    let out = j
        .cmd()
        .args(["restore", damaged.to_str().unwrap(), "--force"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was changed"));
    fs::write(&damaged, &bytes[..bytes.len() / 3]).unwrap();
    restore(&j, &damaged, &["--force"])
        .code(2)
        .stderr(predicate::str::contains("not a Hearth backup"));
    restore(&j, &j.dir.join("store.json"), &["--force"]).code(2);
    assert_eq!(j.list(), before);
    let leftovers: Vec<_> = fs::read_dir(&j.dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no staging left: {leftovers:?}");
}

#[test]
fn a_passphrase_backup_restores_only_with_its_passphrase() {
    let j = Journal::new();
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .assert()
        .success();
    j.cmd()
        .args(["checkin", "--mood", "4"])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .assert()
        .success();
    let file = j.dir.parent().unwrap().join("p.backup");
    j.cmd()
        .args(["backup", "--out", file.to_str().unwrap(), "--include-key"])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .assert()
        .success();
    let other = Journal::new();
    other
        .cmd()
        .args(["restore", file.to_str().unwrap()])
        .env("HEARTH_PASSPHRASE", "not the passphrase")
        .assert()
        .code(1);
    assert!(!other.dir.join("hearth.db").exists());
    other
        .cmd()
        .args(["restore", file.to_str().unwrap()])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .assert()
        .success();
    assert!(
        !other.dir.join("hearth.key").exists(),
        "no key file for a passphrase journal"
    );
    let list = other
        .cmd()
        .args(["--json", "list"])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list[0]["mood"], 4);
}

/// A backup taken while `hearth serve` is saving check-ins is consistent and
/// holds every check-in acknowledged before it began.
#[test]
fn a_backup_taken_while_serving_holds_what_was_saved() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let (mut child, addr, key) = j.serve(&[], std::process::Stdio::null());
    let post = move |mood: u8| {
        let body = format!("{{\"mood\": {mood}}}");
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            c,
            "POST /api/v1/checkins HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        c.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    };
    for m in 0..10 {
        post(m);
    }
    // Writes go on while the backup is made.
    let writer = std::thread::spawn(move || {
        for m in 0..30 {
            post(m % 11);
        }
    });
    let file = backup(&j, &[]);
    writer.join().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let copy = Journal::new();
    fs::create_dir_all(&copy.dir).unwrap();
    fs::copy(j.dir.join("hearth.key"), copy.dir.join("hearth.key")).unwrap();
    restore(&copy, &file, &[]).success();
    let n = copy.json(&["list", "--all"]).as_array().unwrap().len();
    let all = j.json(&["list", "--all"]).as_array().unwrap().len();
    assert!((11..=41).contains(&n), "at least the 11 saved before: {n}");
    assert_eq!(all, 41);
}

#[test]
fn a_passphrase_is_added_changed_and_removed_from_the_command_line() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "6"]);
    let with = |now: Option<&str>, new: Option<&str>, args: &[&str]| {
        let mut c = j.cmd();
        if let Some(p) = now {
            c.env("HEARTH_PASSPHRASE", p);
        }
        if let Some(p) = new {
            c.env("HEARTH_NEW_PASSPHRASE", p);
        }
        c.args(args).assert()
    };
    // Removing a passphrase it does not have, or adding a weak one: refused.
    with(None, None, &["passphrase", "remove"]).code(2);
    with(None, Some("password1"), &["passphrase", "set"]).code(2);
    assert!(j.dir.join("hearth.key").exists());
    with(None, Some("copper kettle rain"), &["passphrase", "set"])
        .success()
        .stdout(predicate::str::contains("opens only with its passphrase"));
    assert!(!j.dir.join("hearth.key").exists());
    with(None, None, &["list"]).failure();
    with(Some("copper kettle rain"), None, &["list"]).success();
    with(
        Some("not it"),
        Some("silver lantern moss"),
        &["passphrase", "set"],
    )
    .code(1)
    .stderr(predicate::str::contains("nothing was changed"));
    with(
        Some("copper kettle rain"),
        Some("silver lantern moss"),
        &["passphrase", "set"],
    )
    .success();
    with(Some("silver lantern moss"), None, &["passphrase", "remove"])
        .success()
        .stdout(predicate::str::contains("hearth.key"));
    assert_eq!(j.list().as_array().unwrap().len(), 1, "every entry is kept");
}

#[test]
fn deleting_everything_asks_for_the_words_or_yes() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "6"]);
    j.cmd()
        .args(["delete-everything"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(j.list().as_array().unwrap().len(), 1);
    j.cmd()
        .args(["delete-everything", "--yes"])
        .assert()
        .success();
    for f in ["hearth.db", "hearth.key", "store.json"] {
        assert!(!j.dir.join(f).exists(), "{f} is gone");
    }
    j.cmd()
        .args(["delete-everything", "--yes"])
        .assert()
        .code(2);
}
