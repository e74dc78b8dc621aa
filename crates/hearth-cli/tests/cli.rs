//! The `hearth` binary as a person or a script uses it.

mod common;

use std::fs;

use common::{Journal, data_files, files};
use predicates::prelude::*;
use serde_json::{Value, json};

#[test]
fn a_newcomers_first_command_just_works() {
    let j = Journal::new();
    j.cmd()
        .args(["checkin", "--mood", "6"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Saved check-in"))
        .stderr(
            predicate::str::contains("Created a new encrypted journal")
                .and(predicate::str::contains("hearth.key")),
        );
    // Only the first command announces the new journal.
    j.cmd()
        .args(["checkin", "--mood", "5"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(j.list().as_array().unwrap().len(), 2);
    assert!(j.dir.join("hearth.key").exists());
}

#[test]
fn init_sets_the_zone_and_refuses_to_overwrite() {
    let j = Journal::new();
    let out = j.json(&["init", "--tz", "America/New_York"]);
    assert_eq!(out["tz"], "America/New_York");
    let e = j.json(&["checkin", "--mood", "4"]);
    assert_eq!(e["tz"], "America/New_York");
    j.cmd()
        .args(["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already a journal"));
    let j2 = Journal::new();
    j2.cmd()
        .args(["init", "--tz", "Atlantis/Capital"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("IANA"));
    assert!(!j2.dir.exists(), "a refused init must not create anything");
}

#[test]
fn every_field_of_every_entry_type_round_trips_through_json_list() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/Berlin"]);
    j.ok(&["kinds", "add", "gardening"]);
    let checkin = j.json(&[
        "checkin",
        "--mood",
        "6",
        "--energy",
        "4",
        "--stress",
        "7",
        "--loneliness",
        "3",
        "--desire",
        "2",
        "--sleep-hours",
        "6.5",
        "--sleep-quality",
        "5",
        "--note",
        "rain, \"quotes\" and ünïcode",
        "--tag",
        "Work",
        "--tag",
        "family",
        "--at",
        "2026-03-01T21:30:00+01:00",
    ]);
    let sex = j.json(&[
        "log",
        "sex-partnered",
        "--before",
        "5",
        "--after",
        "3",
        "--followup",
        "4",
        "--minutes",
        "40",
        "--pressured",
        "--protection",
        "no",
        "--new-partner",
        "--motive",
        "escape",
        "--feeling",
        "tearful",
        "--feeling",
        "empty",
        "--satisfaction",
        "4",
        "--note",
        "private",
        "--at",
        "yesterday 22:00",
    ]);
    let porn = j.json(&[
        "log",
        "porn",
        "--in-control",
        "3",
        "--minutes",
        "20",
        "--at",
        "2h ago",
    ]);
    let touch = j.json(&[
        "log", "intimacy", "--touch", "massage", "--before", "4", "--after", "6",
    ]);
    let run = j.json(&[
        "log",
        "exercise",
        "--type",
        "strength",
        "--at",
        "2026-03-02 07:15",
    ]);
    let garden = j.json(&["log", "gardening", "--before", "3", "--after", "5"]);
    let start = j.json(&[
        "med",
        "add",
        "sertraline",
        "--class",
        "ssri",
        "--dose",
        "50",
        "--unit",
        "mg",
        "--at",
        "2026-02-01",
    ]);
    let change = j.json(&[
        "med",
        "change",
        "Sertraline",
        "--dose",
        "75.5",
        "--at",
        "2026-02-15",
    ]);
    let stop = j.json(&["med", "stop", "sertraline", "--at", "2026-03-01"]);

    assert_eq!(checkin["at"], "2026-03-01T20:30:00Z");
    assert_eq!(checkin["tags"], json!(["work", "family"]));
    assert_eq!(checkin["sleep_hours"], 6.5);
    assert_eq!(sex["feelings"], json!(["tearful", "empty"]));
    assert_eq!(sex["protection"], false);
    assert_eq!(sex["pressured"], true);
    assert!(sex["followup_at"].is_string());
    assert_eq!(porn["in_control"], 3);
    assert_eq!(touch["touch"], "massage");
    assert_eq!(run["exercise_type"], "strength");
    assert_eq!(run["at"], "2026-03-02T06:15:00Z");
    assert_eq!(garden["kind"], "gardening");
    assert_eq!(start["type"], "medication");
    assert_eq!(change["dose"], 75.5);
    assert_eq!(stop["event"], "stop");
    assert_eq!(stop["dose"], Value::Null);

    let listed = j.list();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 9);
    // Felt pressured: the answer to saving carries support lines besides the entry.
    assert!(sex["support"]["message"].is_string());
    let mut sex = sex.clone();
    sex.as_object_mut().unwrap().remove("support");
    for created in [
        &checkin, &sex, &porn, &touch, &run, &garden, &start, &change, &stop,
    ] {
        let found = listed
            .iter()
            .find(|e| e["id"] == created["id"])
            .expect("listed");
        assert_eq!(found, created, "list differs from what was created");
        assert_eq!(&j.json(&["show", created["id"].as_str().unwrap()]), created);
    }
    let times: Vec<&str> = listed.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
}

#[test]
fn list_filters_by_day_kind_and_count() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    j.ok(&["log", "exercise", "--at", "2026-01-10 09:00"]);
    j.ok(&["log", "art", "--at", "2026-01-11 23:30"]);
    j.ok(&["checkin", "--mood", "5", "--at", "2026-01-12 08:00"]);
    let ids = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e["at"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(j.json(&["list", "--kind", "exercise"])),
        ["2026-01-10T09:00:00Z"]
    );
    assert_eq!(
        ids(j.json(&["list", "--kind", "checkin"])),
        ["2026-01-12T08:00:00Z"]
    );
    assert_eq!(
        ids(j.json(&["list", "--since", "2026-01-11", "--until", "2026-01-11"])),
        ["2026-01-11T23:30:00Z"]
    );
    assert_eq!(
        j.json(&["list", "--limit", "2"]).as_array().unwrap().len(),
        2
    );
    let table = j.ok(&["list"]);
    assert!(
        table.contains("Exercise") && table.contains("Check-in") && table.contains("Art or making"),
        "{table}"
    );
    j.refused(&["list", "--since", "last week"]);
    j.refused(&["list", "--kind", "jogging"]);
    j.refused(&["list", "--since", "2026-02-01", "--until", "2026-01-01"]);
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_written() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let e = j.refused(&["checkin", "--mood", "11"]);
    assert!(
        e.contains("--mood must be a whole number from 0 to 10 (got 11)"),
        "{e}"
    );
    assert!(j.refused(&["checkin", "--mood", "-1"]).contains("--mood"));
    assert!(
        j.refused(&["checkin", "--mood", "seven"])
            .contains("--mood")
    );
    assert!(
        j.refused(&["checkin", "--energy", "5"])
            .contains("a mood is needed")
    );
    assert!(
        j.refused(&["checkin", "--mood", "5", "--sleep-hours", "30"])
            .contains("--sleep-hours")
    );
    assert!(
        j.refused(&["checkin", "--mood", "5", "--at", "next tuesday"])
            .contains("2h ago")
    );
    assert!(
        j.refused(&["checkin", "--mood", "5", "--at", "2099-01-01 10:00"])
            .contains("future")
    );
    let e = j.refused(&["log", "jogging", "--before", "3"]);
    assert!(
        e.contains("not an activity kind") && e.contains("hearth kinds add jogging"),
        "{e}"
    );
    assert!(
        j.refused(&["log", "exercise", "--before", "12"])
            .contains("--before")
    );
    assert!(
        j.refused(&["log", "exercise", "--touch", "kiss"])
            .contains("cuddle")
    );
    assert!(
        j.refused(&["log", "exercise", "--motive", "escape"])
            .contains("--motive only applies to sex")
    );
    assert!(
        j.refused(&["log", "sex-solo", "--new-partner"])
            .contains("sex-partnered")
    );
    assert!(
        j.refused(&["log", "art", "--in-control", "4"])
            .contains("porn")
    );
    assert!(
        j.refused(&["log", "art", "--minutes", "2000"])
            .contains("--minutes")
    );
    assert!(
        j.refused(&["med", "add", "x", "--class", "magic", "--dose", "5"])
            .contains("ssri")
    );
    assert!(
        j.refused(&["med", "add", "x", "--class", "ssri", "--dose", "-5"])
            .contains("--dose")
    );
    assert!(
        j.refused(&["med", "change", "nothing", "--dose", "5"])
            .contains("no medication called")
    );
    j.ok(&[
        "med",
        "add",
        "x",
        "--class",
        "ssri",
        "--dose",
        "5",
        "--at",
        "2026-01-10",
    ]);
    assert!(
        j.refused(&["med", "add", "X", "--class", "ssri", "--dose", "5"])
            .contains("already being taken")
    );
    assert!(
        j.refused(&["med", "change", "x", "--dose", "10", "--at", "2026-01-01"])
            .contains("needs a start")
    );
    for cmd in ["show", "delete"] {
        assert!(
            j.refused(&[cmd, "zzzzzzzzzz"])
                .contains("no entry with id zzzzzzzzzz")
        );
        assert!(j.refused(&[cmd, "not-an-id"]).contains("not an entry id"));
    }
    j.refused(&["edit", "zzzzzzzzzz", "--mood", "3"]);
    j.refused(&["kinds", "add", "exercise"]);
    j.refused(&["kinds", "add", "two words"]);
}

#[test]
fn json_errors_name_each_field() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let out = j
        .cmd()
        .args([
            "--json", "log", "exercise", "--touch", "hug", "--motive", "sleep",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    let fields: Vec<&str> = err["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["touch", "motive"]);
}

#[test]
fn edit_changes_only_what_is_given_and_clear_removes() {
    let j = Journal::new();
    let c = j.json(&[
        "checkin",
        "--mood",
        "5",
        "--energy",
        "3",
        "--note",
        "first draft",
        "--at",
        "1h ago",
    ]);
    let id = c["id"].as_str().unwrap();
    let e = j.json(&["edit", id, "--mood", "7", "--clear", "note"]);
    assert_eq!(e["mood"], 7);
    assert_eq!(e["energy"], 3);
    assert_eq!(e["note"], Value::Null);
    assert_eq!(e["at"], c["at"]);
    assert_eq!(e["recorded_at"], c["recorded_at"]);
    assert_ne!(e["updated_at"], c["updated_at"]);
    j.refused(&["edit", id, "--before", "3"]);
    j.refused(&["edit", id, "--mood", "12"]);
    j.refused(&["edit", id, "--clear", "mood"]);

    let ep = j.json(&["log", "exercise", "--before", "3"]);
    let eid = ep["id"].as_str().unwrap();
    let e = j.json(&[
        "edit", eid, "--after", "6", "--type", "cardio", "--at", "30m ago",
    ]);
    assert_eq!(
        (e["mood_before"].as_i64(), e["mood_after"].as_i64()),
        (Some(3), Some(6))
    );
    assert_eq!(e["exercise_type"], "cardio");
    j.refused(&["edit", eid, "--mood", "5"]);
    j.refused(&["edit", eid, "--touch", "hug"]);

    j.ok(&["delete", id]);
    assert_eq!(j.list().as_array().unwrap().len(), 1);
}

#[test]
fn a_wrong_passphrase_unlocks_nothing_and_touches_nothing() {
    let j = Journal::new();
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "a long enough passphrase")
        .assert()
        .success();
    assert!(!j.dir.join("hearth.key").exists());
    j.cmd()
        .args(["checkin", "--mood", "5", "--note", "behind the passphrase"])
        .env("HEARTH_PASSPHRASE", "a long enough passphrase")
        .assert()
        .success();
    let before = data_files(&j.dir);
    j.cmd()
        .args(["list"])
        .env("HEARTH_PASSPHRASE", "the wrong passphrase")
        .assert()
        .code(1)
        // One plain sentence: none of SQLCipher's own diagnostics.
        .stderr("error: the journal could not be unlocked: that passphrase is not the one it was created with\n");
    // No terminal and no HEARTH_PASSPHRASE: a clear refusal, not a hang.
    j.cmd()
        .args(["list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("HEARTH_PASSPHRASE"));
    assert!(
        data_files(&j.dir) == before,
        "nothing in the journal changed"
    );
    let out = j
        .cmd()
        .args(["--json", "list"])
        .env("HEARTH_PASSPHRASE", "a long enough passphrase")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("behind the passphrase"));
}

#[test]
fn short_or_guessable_passphrases_are_refused_before_anything_is_created() {
    let j = Journal::new();
    for weak in ["short", "password123", "qwertyuiop", "          "] {
        j.cmd()
            .args(["init", "--passphrase"])
            .env("HEARTH_PASSPHRASE", weak)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("nothing was created"));
        assert!(!j.dir.join("hearth.db").exists(), "{weak}");
    }
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "password123")
        .assert()
        .stderr(predicate::str::contains("too easy to guess"));
}

#[test]
fn a_missing_key_file_is_an_unlock_error_not_a_new_journal() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    fs::remove_file(j.dir.join("hearth.key")).unwrap();
    let before = data_files(&j.dir);
    j.cmd()
        .args(["checkin", "--mood", "5"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("could not be unlocked")
                .and(predicate::str::contains("missing")),
        );
    assert!(
        data_files(&j.dir) == before,
        "nothing in the journal changed"
    );
}

#[test]
fn the_journal_file_holds_no_readable_text() {
    let j = Journal::new();
    j.ok(&[
        "checkin",
        "--mood",
        "5",
        "--note",
        "unmistakable-secret-note-4711",
    ]);
    for (path, bytes) in files(&j.dir) {
        let hay = String::from_utf8_lossy(&bytes);
        assert!(
            !hay.contains("unmistakable-secret-note"),
            "{} holds the note",
            path.display()
        );
        assert!(
            !hay.contains("SQLite format 3"),
            "{} has a plaintext header",
            path.display()
        );
    }
}

#[test]
fn demo_fills_an_empty_journal_once() {
    let j = Journal::new();
    let out = j.json(&["demo", "--days", "60", "--seed", "3"]);
    assert!(out["checkins"].as_u64().unwrap() > 40);
    assert!(out["episodes"].as_u64().unwrap() > 30);
    assert_eq!(out["medication_events"], 2);
    let meds = j.json(&["med", "list"]);
    assert_eq!(meds[0]["name"], "sertraline");
    let e = j.refused(&["demo"]);
    assert!(e.contains("already has"), "{e}");
}

#[test]
fn help_and_completions_are_there() {
    let j = Journal::new();
    j.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("not a medical device"));
    j.cmd()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hearth"));
    assert!(!j.dir.exists(), "help must not create a journal");
}

#[test]
fn insights_explain_a_demo_profile_and_keep_the_json_contract() {
    let j = Journal::new();
    let empty = j.json(&["insights"]);
    assert_eq!(empty["insights"][0]["id"], "what_helps");
    j.ok(&["demo", "--days", "120", "--seed", "2"]);
    let v = j.json(&["insights"]);
    let ids: Vec<&str> = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "what_helps",
            "after_sex_drop",
            "reliance",
            "medication_sexual_function",
            "depression_trend",
            "sleep_and_connection"
        ]
    );
    let exercise = v["insights"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "exercise")
        .unwrap()
        .clone();
    assert_eq!(exercise["verdict"], "helps");
    assert!(exercise["ci_low"].as_f64().unwrap() > 0.0);
    let text = j.ok(&["insights"]);
    for needle in [
        "What helps me",
        "95% interval",
        "exercise",
        "not diagnoses",
        "sertraline",
    ] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    let recent = j.json(&["insights", "--since", "2999-01-01"]);
    assert_eq!(recent["insights"][0]["items"].as_array().unwrap().len(), 0);
    j.refused(&["insights", "--since", "yesterday"]);
}

#[test]
fn json_export_round_trips_exactly_and_importing_twice_adds_nothing() {
    let a = Journal::new();
    a.ok(&["init", "--tz", "America/Chicago", "--region", "us"]);
    a.ok(&["demo", "--days", "40", "--seed", "4"]);
    a.ok(&["kinds", "add", "gardening"]);
    a.ok(&[
        "log",
        "gardening",
        "--before",
        "3",
        "--after",
        "5",
        "--note",
        "tomatoes, \"finally\"",
    ]);
    a.ok(&["contacts", "add", "Dr Lee", "555 0100"]);
    a.ok(&["questions", "add", "Could the timing of my dose help?"]);
    a.ok(&["settings", "set", "cadence.phq9", "21"]);
    a.ok(&["survey", "phq9", "--answers", "0,0,0,0,0,0,0,0,1"]);
    let file = a.dir.parent().unwrap().join("export.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]);
    let written = fs::read_to_string(&file).unwrap();
    let first: Value = serde_json::from_str(&written).unwrap();

    let b = Journal::new();
    let out = b.json(&["import", file.to_str().unwrap(), "--format", "hearth"]);
    assert_eq!(out["settings_applied"], true);
    let printed = b.ok(&["export"]);
    // A file and the terminal get the same shape: the JSON, then one newline.
    for text in [&written, &printed] {
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"), "{text:?}");
    }
    let mut second: Value = serde_json::from_str(&printed).unwrap();
    assert_ne!(second["exported_at"], first["exported_at"]);
    second["exported_at"] = first["exported_at"].clone();
    assert_eq!(
        second, first,
        "export → import → export must be identical apart from the export time"
    );

    let again = b.json(&["import", file.to_str().unwrap()]);
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), first["entries"].as_array().map(|a| a.len() as u64))
    );

    // A damaged file and a conflicting one are refused whole.
    let before = b.list();
    let damaged = file.with_extension("bad.json");
    fs::write(
        &damaged,
        fs::read_to_string(&file)
            .unwrap()
            .replacen("\"mood\": ", "\"mood\": 1", 1),
    )
    .unwrap();
    let e = b.refused(&["import", damaged.to_str().unwrap()]);
    assert!(
        e.contains("line") && e.contains("nothing was imported"),
        "{e}"
    );
    let mut conflict = first.clone();
    conflict["entries"][0]["tz"] = "Europe/Paris".into();
    fs::write(&damaged, conflict.to_string()).unwrap();
    assert!(
        b.refused(&["import", damaged.to_str().unwrap()])
            .contains("different content")
    );
    assert_eq!(b.list(), before);
    b.refused(&["import", "/nonexistent/export.json"]);
    b.refused(&["import", file.to_str().unwrap(), "--format", "daylio"]);

    let c = Journal::new();
    c.ok(&["checkin", "--mood", "5"]);
    let dry = c.json(&["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(dry["added"].as_u64().unwrap() > 100);
    assert_eq!(
        c.list().as_array().unwrap().len(),
        1,
        "a dry run writes nothing"
    );
}

#[test]
fn csv_export_writes_one_private_file_per_entry_type() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "20"]);
    let dir = j.dir.parent().unwrap().join("csv");
    j.ok(&["export", "--format", "csv", "--out", dir.to_str().unwrap()]);
    for name in [
        "checkins.csv",
        "activities.csv",
        "medications.csv",
        "surveys.csv",
    ] {
        let text = fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .starts_with("id,at_utc,local_time,tz"),
            "{name}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(dir.join(name)).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    assert!(
        fs::read_to_string(dir.join("activities.csv"))
            .unwrap()
            .contains("exercise")
    );
    j.refused(&["export", "--format", "csv"]);
    // The same files in one archive.
    let zip_path = dir.with_extension("zip");
    j.ok(&[
        "export",
        "--format",
        "csv",
        "--out",
        zip_path.to_str().unwrap(),
    ]);
    let bytes = fs::read(&zip_path).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    for name in ["checkins.csv", "activities.csv"] {
        let needle = name.as_bytes();
        assert!(
            bytes.windows(needle.len()).any(|w| w == needle),
            "{name} is in it"
        );
    }
}

/// A file may bring only so many kinds, contacts and questions: a small
/// hostile file cannot make thousands, and nothing of it is kept.
#[test]
fn an_import_that_brings_too_many_kinds_or_contacts_is_refused_whole() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let before = j.list();
    let mut csv = String::from("full_date,date,weekday,time,mood,activities,note_title,note\n");
    for i in 0..600 {
        csv.push_str(&format!(
            "2024-03-01,March 1,Friday,8:{:02} am,good,made up thing {i},,\n",
            i % 60
        ));
    }
    let file = j.dir.parent().unwrap().join("many.csv");
    fs::write(&file, csv).unwrap();
    let e = j.refused(&["import", file.to_str().unwrap(), "--format", "daylio"]);
    assert!(
        e.contains("600 activities of its own kind") && e.contains("nothing was imported"),
        "{e}"
    );
    j.refused(&[
        "import",
        file.to_str().unwrap(),
        "--format",
        "daylio",
        "--dry-run",
    ]);
    let mut export: Value = serde_json::from_str(&j.ok(&["export"])).unwrap();
    export["contacts"] = (0..101)
        .map(|i| serde_json::json!({"id": format!("c{i:09}"), "name": "Someone", "contact": "555 0100"}))
        .collect();
    let file = j.dir.parent().unwrap().join("contacts.json");
    fs::write(&file, export.to_string()).unwrap();
    let e = j.refused(&["import", file.to_str().unwrap()]);
    assert!(e.contains("101 contacts"), "{e}");
    assert_eq!(j.list(), before);
    assert_eq!(j.json(&["contacts", "list"]), serde_json::json!([]));
}

#[test]
fn daylio_imports_are_all_or_nothing_and_idempotent() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    j.ok(&["checkin", "--mood", "5"]);
    let file = j.dir.parent().unwrap().join("daylio.csv");
    fs::write(
        &file,
        "full_date,date,weekday,time,mood,activities,note_title,note\n\
         2024-03-02,March 2,Saturday,10:40 pm,good ,friends | Gardening,,\"nice, \"\"really\"\"\nsecond line\"\n\
         2024-03-01,March 1,Friday,8:05 am,Tired,,,\n",
    )
    .unwrap();
    let e = j.refused(&["import", file.to_str().unwrap(), "--format", "daylio"]);
    assert!(
        e.contains("line 4") && e.contains("--mood-map") && e.contains("nothing was imported"),
        "{e}"
    );
    let first = j.json(&[
        "import",
        file.to_str().unwrap(),
        "--format",
        "daylio",
        "--mood-map",
        "tired=4",
    ]);
    assert_eq!(
        (first["rows"].as_u64(), first["added"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(first["custom_kinds"], serde_json::json!(["gardening"]));
    assert_eq!(first["activity_kinds"]["friends"], "social");
    let second = j.json(&[
        "import",
        file.to_str().unwrap(),
        "--format",
        "daylio",
        "--mood-map",
        "tired=4",
    ]);
    assert_eq!(
        (second["added"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(4))
    );
    let notes: Vec<Value> = j
        .list()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["note"].clone())
        .collect();
    assert!(notes.contains(&Value::from("nice, \"really\"\nsecond line")));
    assert_eq!(
        j.json(&["kinds", "list"])["custom"],
        serde_json::json!(["gardening"])
    );
}

#[test]
fn bearable_imports_are_all_or_nothing_idempotent_and_say_what_was_left_out() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    j.ok(&["checkin", "--mood", "5"]);
    let file = j.dir.parent().unwrap().join("bearable.csv");
    let good = "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n\
         Mar 2 2024,2024-03-02,Saturday,am,Mood,6,,\"slow start, then \"\"fine\"\"\"\n\
         Mar 2 2024,2024-03-02,Saturday,am,Energy,4,,\n\
         Mar 2 2024,2024-03-02,Saturday,,Sleep,6:45,,\n\
         Mar 2 2024,2024-03-02,Saturday,,Lifestyle,,🏃 Exercise - A lot | 🌱 Gardening | ☕ Caffeine - None,\n\
         Mar 2 2024,2024-03-02,Saturday,,Symptom,2,Fatigue (Moderate),\n";
    // The last row's mood is off Bearable's scale: nothing may come in.
    fs::write(
        &file,
        format!("{good}Mar 3 2024,2024-03-03,Sunday,pm,Mood,12,,\n"),
    )
    .unwrap();
    let e = j.refused(&["import", file.to_str().unwrap(), "--format", "bearable"]);
    assert!(
        e.contains("line 7") && e.contains("1 to 10") && e.contains("nothing was imported"),
        "{e}"
    );
    assert!(
        j.json(&["kinds", "list"])["custom"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    fs::write(&file, good).unwrap();
    let args = ["import", file.to_str().unwrap(), "--format", "bearable"];
    let dry = j.json(&[&args[..], &["--dry-run"]].concat());
    assert_eq!(
        (dry["added"].as_u64(), dry["dry_run"].as_bool()),
        (Some(3), Some(true))
    );
    assert_eq!(
        j.list().as_array().unwrap().len(),
        1,
        "a dry run writes nothing"
    );
    let first = j.json(&args);
    assert_eq!(
        (
            first["rows"].as_u64(),
            first["added"].as_u64(),
            first["checkins"].as_u64(),
            first["activities"].as_u64()
        ),
        (Some(5), Some(3), Some(1), Some(2))
    );
    assert_eq!(first["custom_kinds"], serde_json::json!(["gardening"]));
    let reasons: Vec<&str> = first["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("symptoms")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.starts_with("factors marked None")),
        "{reasons:?}"
    );
    let again = j.ok(&args);
    assert!(
        again.contains("Imported 0 entries from 5 rows; 3 were already here"),
        "{again}"
    );
    assert!(again.contains("Not imported: 1 row — symptoms"), "{again}");
    let listed = j.list();
    let checkin = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["note"] == "slow start, then \"fine\"")
        .expect("the Bearable check-in is listed");
    assert_eq!(
        (
            checkin["mood"].as_u64(),
            checkin["energy"].as_u64(),
            checkin["sleep_hours"].as_f64()
        ),
        (Some(6), Some(4), Some(6.75))
    );
    let e = j.refused(&[&args[..], &["--mood-map", "x=1"]].concat());
    assert!(e.contains("a mood map is for Daylio"), "{e}");
}

#[test]
fn fhir_export_holds_the_loinc_questionnaires_and_their_totals() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    j.ok(&[
        "survey",
        "phq9",
        "--answers",
        "1,2,1,0,0,1,3,0,0",
        "--difficulty",
        "1",
        "--at",
        "2026-01-05 09:00",
    ]);
    j.ok(&[
        "survey",
        "gad7",
        "--answers",
        "1,1,1,1,1,1,1",
        "--at",
        "2026-01-05 09:05",
    ]);
    j.ok(&["survey", "sexual-function", "--answers", "2,2,2,2,2"]);
    let b: Value = serde_json::from_str(&j.ok(&["export", "--format", "fhir"])).unwrap();
    assert_eq!(
        (b["resourceType"].as_str(), b["type"].as_str()),
        (Some("Bundle"), Some("collection"))
    );
    let kinds: Vec<&str> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "Patient",
            "QuestionnaireResponse",
            "Observation",
            "QuestionnaireResponse",
            "Observation"
        ]
    );
    assert!(b["entry"][0]["resource"].get("name").is_none());
    assert_eq!(
        b["entry"][2]["resource"]["code"]["coding"][0]["code"],
        "44261-6"
    );
    assert_eq!(
        b["entry"][4]["resource"]["code"]["coding"][0]["code"],
        "70274-6"
    );
    assert_eq!(
        b["entry"][3]["resource"]["questionnaire"],
        "http://loinc.org/q/69737-5"
    );
    let named: Value =
        serde_json::from_str(&j.ok(&["export", "--format", "fhir", "--patient-name", "Sam"]))
            .unwrap();
    assert_eq!(named["entry"][0]["resource"]["name"][0]["text"], "Sam");
}

#[test]
fn the_report_is_one_private_self_contained_page() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "60"]);
    j.ok(&["questions", "add", "Could the timing of my dose help?"]);
    let out = j.dir.parent().unwrap().join("report.html");
    j.ok(&["report", "--out", out.to_str().unwrap()]);
    let page = fs::read_to_string(&out).unwrap();
    for needle in [
        "Hearth report",
        "Safety",
        "PHQ-9",
        "What helps",
        "Could the timing of my dose help?",
        "<svg",
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
    assert!(
        !page.contains("<script") && !page.contains("<link"),
        "no scripts or external assets"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let narrow = j.ok(&["report", "--from", "2020-01-01", "--to", "2020-01-31"]);
    assert!(narrow.contains("No crisis triggers") && narrow.contains("Not enough data yet"));
    assert!(j.refused(&["report", "--format", "pdf"]).contains("--out"));
    let pdf_path = j.dir.join("report.pdf");
    j.ok(&[
        "report",
        "--format",
        "pdf",
        "--out",
        pdf_path.to_str().unwrap(),
    ]);
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the PDF is private too");
    }
    j.refused(&["report", "--from", "2026-02-01", "--to", "2026-01-01"]);
    j.refused(&["report", "--from", "last month"]);
}

#[test]
fn config_toml_sets_the_data_dir_and_flags_override_it() {
    let j = Journal::new();
    fs::create_dir_all(&j.config).unwrap();
    let from_config = j.config.parent().unwrap().join("from-config");
    fs::write(
        j.config.join("config.toml"),
        format!("data_dir = {:?}\n", from_config.to_str().unwrap()),
    )
    .unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("hearth").unwrap();
    cmd.env_remove("HEARTH_DATA_DIR")
        .env("HEARTH_CONFIG_DIR", &j.config)
        .args(["checkin", "--mood", "5"]);
    cmd.assert().success();
    assert!(from_config.join("hearth.db").exists());
    // The flag wins over the file.
    j.ok(&["checkin", "--mood", "5"]);
    assert!(j.dir.join("hearth.db").exists());
    fs::write(j.config.join("config.toml"), "colour = \"blue\"\n").unwrap();
    let mut bad = assert_cmd::Command::cargo_bin("hearth").unwrap();
    bad.env_remove("HEARTH_DATA_DIR")
        .env("HEARTH_CONFIG_DIR", &j.config)
        .args(["list"]);
    bad.assert().code(2).stderr(
        predicates::str::contains("configuration").and(predicates::str::contains("colour")),
    );
}

#[test]
fn serve_and_passphrase_checks_use_the_helper_and_say_when_it_is_missing() {
    let j = Journal::new();
    let (mut child, _, _) = j.serve(&[], std::process::Stdio::null());
    // The process that was started is the one serving, so whoever started it can stop it.
    let serving = std::fs::read_to_string(format!("/proc/{}/comm", child.id()));
    child.kill().unwrap();
    child.wait().unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(serving.unwrap().trim(), "hearth-serve");
    }
    // A `hearth` on its own cannot serve, and says what is missing.
    let alone = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let lonely = alone.path().join("hearth");
    std::fs::hard_link(assert_cmd::cargo::cargo_bin("hearth"), &lonely).unwrap();
    let out = std::process::Command::new(&lonely)
        .arg("--data-dir")
        .arg(&j.dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("the hearth-serve program is not installed beside"),
        "{said}"
    );
    assert!(!j.dir.exists(), "nothing was created");
    // Nor can it judge a passphrase, which the helper estimates for it:
    // the journal is not made with an unchecked one.
    let out = std::process::Command::new(&lonely)
        .arg("--data-dir")
        .arg(&j.dir)
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "copper kettle rain")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("could not be checked") && said.contains("hearth-serve"),
        "{said}"
    );
    assert!(!j.dir.exists(), "nothing was created");
}

#[test]
fn serve_listens_on_loopback_only_unless_told() {
    use std::io::{Read, Write};
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "6"]);
    j.refused(&["serve", "--addr", "0.0.0.0:0"]);
    j.refused(&["serve", "--addr", "localhost"]);
    let (mut child, addr, key) = j.serve(&[], std::process::Stdio::null());
    let ask = |host: &str, path: &str, extra: &str| {
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            conn,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        conn.read_to_string(&mut reply).unwrap();
        reply
    };
    let bearer = format!("Authorization: Bearer {key}\r\n");
    let reply = ask(&addr, "/api/v1/entries", &bearer);
    // A page elsewhere that rebinds its name to 127.0.0.1 gets nothing.
    let rebound = ask("attacker.example", "/api/v1/entries", &bearer);
    // Another account on this computer, without the key, gets nothing either.
    let stranger = ask(&addr, "/api/v1/entries", "");
    let wrong = ask(
        &addr,
        "/api/v1/entries",
        &format!("Cookie: hearth_key={}\r\n", "0".repeat(64)),
    );
    let stranger_page = ask(&addr, "/history", "");
    // The printed address trades the key for a cookie and drops it from the address.
    let opened = ask(&addr, &format!("/?key={key}"), "");
    let with_cookie = ask(&addr, "/history", &format!("Cookie: hearth_key={key}\r\n"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"mood\":6"), "{reply}");
    assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
    assert!(!rebound.contains("mood"), "{rebound}");
    for refused in [&stranger, &wrong, &stranger_page] {
        assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
        assert!(
            !refused.contains("mood") && !refused.contains("Mood 6"),
            "{refused}"
        );
    }
    assert!(stranger.contains("Bearer"), "says how: {stranger}");
    assert!(opened.starts_with("HTTP/1.1 303"), "{opened}");
    assert!(
        opened.to_lowercase().contains("location: /\r\n"),
        "{opened}"
    );
    assert!(opened.contains(&format!(
        "hearth_key={key}; Path=/; HttpOnly; SameSite=Strict"
    )));
    assert!(with_cookie.starts_with("HTTP/1.1 200"), "{with_cookie}");
}

#[test]
fn serve_answers_other_names_only_when_told() {
    use std::io::{Read, Write};
    let j = Journal::new();
    let bad = j.refused(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--host",
        "https://x.example/",
    ]);
    assert!(bad.contains("--host"), "{bad}");
    let (mut child, addr, key) = j.serve(
        &[("HEARTH_HOSTS", "hearth.example,journal.lan")],
        std::process::Stdio::null(),
    );
    let port = addr.rsplit(':').next().unwrap().to_string();
    let status = |host: &str| {
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            conn,
            "GET /api/v1/entries HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        conn.read_to_string(&mut reply).unwrap();
        reply.split(' ').nth(1).unwrap_or_default().to_string()
    };
    let named = status(&format!("hearth.example:{port}"));
    let other = status("journal.lan");
    let unnamed = status(&format!("evil.example:{port}"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!((named.as_str(), other.as_str()), ("200", "200"));
    assert_eq!(unnamed, "421");

    // A public address: share links are made there, and its name is answered.
    for bad in [
        "hearth.example.org",
        "https://hearth.example.org/journal",
        "ftp://x",
    ] {
        let e = j.refused(&["serve", "--addr", "127.0.0.1:0", "--public-url", bad]);
        assert!(e.contains("--public-url"), "{e}");
    }
    let (mut child, addr, key) = j.serve(
        &[("HEARTH_PUBLIC_URL", "https://hearth.example.org/")],
        std::process::Stdio::null(),
    );
    let body = r#"{"days": 3}"#;
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "POST /api/v1/shares HTTP/1.1\r\nHost: hearth.example.org\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    assert!(
        reply.contains("\"url\":\"https://hearth.example.org/s/"),
        "{reply}"
    );
    assert!(reply.contains("\"only_this_computer\":false"), "{reply}");
}

#[test]
fn admin_invites_lists_and_disables_accounts_without_health_data() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "4", "--note", "private words"]);
    // Admin needs a server's accounts, and says how to name them.
    let msg = j.refused(&["admin", "users"]);
    assert!(msg.contains("--database-url"), "{msg}");
    let invite = j.json(&["admin", "--accounts", "invite", "--days", "2"]);
    let code = invite["code"].as_str().unwrap();
    assert_eq!(code.len(), 24);
    let none = j.ok(&["admin", "--accounts", "users"]);
    assert!(
        none.contains("No accounts yet"),
        "the local journal's own user is not an account: {none}"
    );
    let bad = j.refused(&["admin", "--accounts", "disable", "nobody"]);
    assert!(bad.contains("no account called 'nobody'"), "{bad}");
    assert_eq!(
        j.json(&["admin", "--accounts", "users"]),
        serde_json::json!([]),
    );
    let out = j.ok(&["admin", "--accounts", "invite"]);
    assert!(out.contains("Invitation code:") && !out.contains("private words"));
    j.refused(&["admin", "--accounts", "invite", "--days", "0"]);
}

#[test]
fn share_links_are_made_listed_and_withdrawn() {
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5"]);
    let made = j.json(&[
        "share",
        "create",
        "--days",
        "3",
        "--base-url",
        "https://hearth.example/",
    ]);
    let url = made["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://hearth.example/s/")
            && url.len() == "https://hearth.example/s/".len() + 64,
        "{url}"
    );
    let list = j.json(&["share", "list"]);
    assert_eq!(list[0]["id"], made["id"]);
    assert!(
        !list.to_string().contains(url.rsplit('/').next().unwrap()),
        "the secret is not kept"
    );
    j.refused(&["share", "create", "--days", "0"]);
    j.refused(&["share", "create", "--base-url", "ftp://x"]);
    j.refused(&["share", "create", "--from", "2026-13-01"]);
    let id = made["id"].as_str().unwrap();
    j.ok(&["share", "revoke", id]);
    let again = j.refused(&["share", "revoke", id]);
    assert!(again.contains("no live share link"), "{again}");
    assert!(j.ok(&["share", "list"]).contains("withdrawn"));
}

/// A report and a share link made without a start both cover the same
/// twelve weeks (84 days, both ends included) — the web app's rule too.
#[test]
fn a_report_and_a_share_link_cover_the_same_default_period() {
    let j = Journal::new();
    j.json(&["init", "--tz", "UTC"]);
    let out = j.dir.join("report.html");
    let r = j.json(&["report", "--out", out.to_str().unwrap()]);
    let day = |v: &Value| v.as_str().unwrap().parse::<jiff::civil::Date>().unwrap();
    let (from, to) = (day(&r["from"]), day(&r["to"]));
    assert_eq!(from, to.checked_sub(jiff::Span::new().days(83)).unwrap());
    let s = j.json(&["share", "create", "--base-url", "https://hearth.example"]);
    assert_eq!((day(&s["from"]), day(&s["to"])), (from, to));
    let late = j.refused(&["share", "create", "--days", "91"]);
    assert!(late.contains("from 1 to 90"), "{late}");
    let future = to.tomorrow().unwrap().to_string();
    let refused = j.refused(&["share", "create", "--to", &future]);
    assert!(refused.contains("future"), "{refused}");
}

/// The server's log names requests, ids and counts: never a note, and never
/// a share link's secret, even at its most talkative.
#[test]
fn the_server_log_holds_no_health_data_or_secrets() {
    use std::io::{Read, Write};
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "6"]);
    let (mut child, addr, key) = j.serve(&[("HEARTH_LOG", "trace")], std::process::Stdio::piped());
    let send = |method: &str, path: &str, body: &str| {
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            conn,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        conn.read_to_string(&mut reply).unwrap();
        reply
    };
    let saved = send(
        "POST",
        "/api/v1/checkins",
        r#"{"mood": 3, "note": "a private sentence about zebras"}"#,
    );
    assert!(saved.starts_with("HTTP/1.1 201"), "{saved}");
    let made = send("POST", "/api/v1/shares", r#"{"days": 1}"#);
    let url = made
        .split("\"url\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a share link");
    let secret = url.rsplit('/').next().unwrap().to_string();
    let opened = send("GET", &format!("/s/{secret}?from=2026-01-01"), "");
    assert!(opened.starts_with("HTTP/1.1 200"), "{opened}");
    child.kill().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    child.wait().unwrap();
    assert!(
        log.contains("share link opened"),
        "the log says what happened: {log}"
    );
    assert!(
        !log.contains("zebras") && !log.contains("private sentence"),
        "{log}"
    );
    // Nor the journal's key, which opens every connection.
    assert!(!log.contains("PRAGMA key") && !log.contains("x'"), "{log}");
    assert!(!log.contains(&secret), "the secret is never logged: {log}");
    assert!(!log.contains(&key), "nor the launch key: {log}");
    assert!(!log.contains("2026-01-01"), "nor a query: {log}");
}

/// A questionnaire's cadence follows the Settings page's rule: a known
/// questionnaire, 1 to 365 days.
#[test]
fn a_cadence_is_checked_as_the_settings_page_checks_it() {
    let j = Journal::new();
    j.ok(&["settings", "set", "cadence.phq9", "7"]);
    let zero = j.refused(&["settings", "set", "cadence.phq9", "0"]);
    assert!(zero.contains("1 to 365"), "{zero}");
    j.refused(&["settings", "set", "cadence.phq9", "4000"]);
    j.refused(&["settings", "set", "cadence.nonsense", "7"]);
    let s = j.json(&["settings"]);
    assert_eq!(s["cadence"]["phq9"], 7, "{s}");
    j.ok(&["settings", "set", "cadence.phq9", "default"]);
    assert_eq!(j.json(&["settings"])["cadence"], json!({}));
}

/// `hearth list | head`: when the reader stops reading, the command stops
/// quietly, with no panic and no backtrace.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "120"]);
    for args in [&["--json", "list"][..], &["list"][..]] {
        let mut child = j
            .std_cmd()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && err.is_empty(),
            "{args:?}: {err}"
        );
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked");
    }
}

/// An unencrypted export is this user's alone, whatever was at `--out`
/// before, and it never follows a symbolic link somewhere else.
#[cfg(unix)]
#[test]
fn an_export_is_private_and_never_follows_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let j = Journal::new();
    j.ok(&["checkin", "--mood", "5", "--note", "private"]);
    let dir = j.dir.parent().unwrap().to_path_buf();
    let out = dir.join("export.json");
    fs::write(&out, "old").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o644)).unwrap();
    j.ok(&["export", "--out", out.to_str().unwrap()]);
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let elsewhere = dir.join("elsewhere.txt");
    fs::write(&elsewhere, "keep me").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let e = j.refused(&["export", "--out", link.to_str().unwrap()]);
    assert!(e.contains("symbolic link"), "{e}");
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "keep me");
    let csv = dir.join("csv");
    j.ok(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    assert_eq!(
        fs::metadata(&csv).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[test]
fn todays_dose_is_marked_once_and_only_while_taking_it() {
    let j = Journal::new();
    j.ok(&[
        "med",
        "add",
        "sertraline",
        "--class",
        "ssri",
        "--dose",
        "50",
        "--at",
        "2026-02-01",
    ]);
    let taken = j.json(&["med", "taken", "sertraline"]);
    assert_eq!(
        (taken["event"].as_str(), taken["dose"].as_f64()),
        (Some("taken"), None)
    );
    assert!(j.json(&["med", "taken", "Sertraline"])["already_taken_at"].is_string());
    let meds = j.json(&["med", "list"]);
    assert_eq!(meds[0]["dose"], 50.0);
    assert_eq!(
        meds[0]["history"].as_array().unwrap().len(),
        1,
        "a dose taken is no step"
    );
    assert!(j.ok(&["med", "list"]).contains("last taken"));
    j.refused(&["med", "taken", "fluoxetine"]);
}

#[test]
fn an_activity_without_an_after_rating_is_asked_about_and_answered_from_the_cli() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    assert!(j.ok(&["due"]).contains("Nothing is waiting"));
    assert!(
        !j.ok(&["log", "art", "--before", "3", "--after", "5"])
            .contains("hearth due")
    );
    assert!(
        j.ok(&["log", "art", "--before", "3", "--at", "3d ago"])
            .lines()
            .count()
            == 1,
        "its windows have closed"
    );
    let ep = j.json(&["log", "exercise", "--before", "3"]);
    let eid = ep["id"].as_str().unwrap();
    let due = j.json(&["due"]);
    let prompts = due["prompts"].as_array().unwrap();
    assert_eq!(prompts.len(), 1, "{due}");
    assert_eq!(prompts[0]["prompt"]["kind"], "after");
    assert_eq!(prompts[0]["prompt"]["entry_id"], eid);
    assert_eq!(prompts[0]["entry"]["id"], eid);
    let pid = prompts[0]["prompt"]["id"].as_str().unwrap().to_string();
    let text = j.ok(&["due"]);
    assert!(
        text.contains("How do you feel now?") && text.contains("Exercise"),
        "{text}"
    );
    assert!(text.contains("hearth answer ID"), "{text}");
    assert!(j.refused(&["answer", &pid, "11"]).contains("0"));
    assert!(j.refused(&["answer", &pid]).contains("<RATING>"));
    let answered = j.json(&["answer", &pid, "7"]);
    assert_eq!(answered["entry"]["mood_after"], 7);
    assert_eq!(answered["prompt"]["rating"], 7);
    assert!(answered["prompt"]["answered_at"].is_string());
    let shown = j.json(&["show", eid]);
    assert_eq!(shown["mood_after"], 7);
    assert!(j.refused(&["answer", &pid, "5"]).contains("already"));
    assert!(
        j.refused(&["answer", "zzzzzzzzzz", "5"])
            .contains("no question with id")
    );
    assert!(j.ok(&["due"]).contains("Nothing is waiting"));

    // The next one is put aside in one step and never asked again.
    assert!(
        j.ok(&["log", "art", "--before", "4"])
            .contains("`hearth due`")
    );
    let due = j.json(&["due"]);
    let pid = due["prompts"][0]["prompt"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(due["prompts"][0]["entry"]["kind"], "art");
    j.ok(&["answer", &pid, "--dismiss"]);
    assert!(j.ok(&["due"]).contains("Nothing is waiting"));
    let csv = j.dir.parent().unwrap().join("csv");
    j.ok(&["export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    let prompts = fs::read_to_string(csv.join("prompts.csv")).unwrap();
    assert!(
        prompts.starts_with("id,activity_id,asks,status,"),
        "{prompts}"
    );
    assert!(
        prompts.contains(",after,answered,") && prompts.contains(",after,dismissed,"),
        "{prompts}"
    );
}

#[test]
fn remind_says_what_waits_in_words_that_name_nothing_and_sets_up_a_timer() {
    let j = Journal::new();
    assert_eq!(j.ok(&["remind"]), "", "no journal: nothing said");
    assert!(!j.dir.exists(), "and none created");
    j.ok(&["init", "--tz", "UTC"]);
    assert_eq!(j.ok(&["remind"]), "", "nothing waiting, nothing said");
    j.ok(&["log", "sex-solo", "--before", "3"]);
    j.ok(&["settings", "set", "remind_at", "00:00"]);
    let told = j.ok(&["remind"]);
    assert!(
        told.contains("A moment to check in") && told.contains("A question is waiting"),
        "{told}"
    );
    let r = j.json(&["remind"]);
    assert_eq!(
        (r["checkin"].as_bool(), r["questions"].as_u64()),
        (Some(true), Some(1))
    );

    // From a timer: shown once (here printed, as no notify-send is on PATH),
    // then not again for the same things.
    let notify = |j: &Journal| {
        let out = j
            .cmd()
            .env("PATH", "/nonexistent")
            .args(["remind", "--notify"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let first = notify(&j);
    assert_eq!(first.trim(), "Hearth: A moment to check in");
    for private in ["sex", "solo", "mood", "question"] {
        assert!(!first.to_lowercase().contains(private), "{private}");
    }
    assert_eq!(notify(&j), "", "each thing is shown once");
    // Quiet hours around now, whenever the test runs.
    let hour = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .hour();
    let quiet = format!("{hour:02}:00-{:02}:00", (hour + 2) % 24);
    j.ok(&["settings", "set", "quiet_hours", &quiet]);
    fs::remove_file(j.dir.join("remind.last")).unwrap();
    assert_eq!(notify(&j), "", "nothing in quiet hours");
    assert!(
        !j.dir.join("remind.last").exists(),
        "and what waits is kept for after them"
    );
    j.refused(&["settings", "set", "quiet_hours", "late"]);
    j.refused(&["settings", "set", "remind_at", "25:00"]);

    let config = j.dir.parent().unwrap().join("xdg");
    let out = j
        .cmd()
        .env("XDG_CONFIG_HOME", &config)
        .args(["remind", "--install"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let units = config.join("systemd/user");
    let service = fs::read_to_string(units.join("hearth-remind.service")).unwrap();
    let timer = fs::read_to_string(units.join("hearth-remind.timer")).unwrap();
    assert!(
        service.contains("remind --notify") && service.contains(j.dir.to_str().unwrap()),
        "{service}"
    );
    assert!(
        timer.contains("OnCalendar=*:0/15") && timer.contains("WantedBy=timers.target"),
        "{timer}"
    );
}

#[test]
fn a_passphrase_journal_gets_no_timer_and_a_timer_never_asks_for_it() {
    let j = Journal::new();
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "correct horse battery staple")
        .assert()
        .success();
    let out = j.cmd().args(["remind", "--notify"]).output().unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
    let out = j
        .cmd()
        .env("XDG_CONFIG_HOME", j.dir.parent().unwrap().join("xdg"))
        .args(["remind", "--install"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase"));
}
