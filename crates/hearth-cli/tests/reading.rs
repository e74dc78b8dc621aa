//! The CLI as a terminal person uses it: quick check-ins, readable lists,
//! search, notes in an editor, and completions that know the journal.

mod common;

use common::Journal;
use predicates::prelude::*;

#[test]
fn a_check_in_takes_its_mood_and_note_as_plain_words() {
    let j = Journal::new();
    j.ok(&["checkin", "6", "slow morning, then better"]);
    let e = &j.list()[0];
    assert_eq!(e["mood"], 6);
    assert_eq!(e["note"], "slow morning, then better");
    // Either spelling, not both.
    let err = j.refused(&["checkin", "6", "--mood", "5"]);
    assert!(err.contains("cannot be used with"), "{err}");
    let err = j.refused(&["checkin", "11"]);
    assert!(err.contains("mood"), "{err}");
    // Without a terminal there is no one to ask: say how to give it.
    let err = j.refused(&["checkin"]);
    assert!(err.contains("hearth checkin 6"), "{err}");
}

#[test]
fn list_shows_the_newest_twenty_unless_asked_and_json_keeps_everything() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "30"]);
    let listed = j.list();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let all = ids.len();
    assert!(all > 40, "the demo has more than a screenful ({all})");
    let table = j.ok(&["list"]);
    assert!(ids[..20].iter().all(|id| table.contains(id)), "{table}");
    assert!(!table.contains(ids[20]), "only the newest 20:\n{table}");
    assert!(table.contains("hearth list --all"), "{table}");
    let every = j.ok(&["list", "--all"]);
    assert!(!every.contains("hearth list --all"));
    assert!(ids.iter().all(|id| every.contains(id)));
    let some = j.json(&["list", "--limit", "5"]);
    assert_eq!(some.as_array().unwrap().len(), 5);
    j.cmd()
        .args(["list", "--all", "--limit", "3"])
        .assert()
        .code(2);
}

#[test]
fn tables_wrap_to_the_width_they_are_given() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "120"]);
    for args in [&["insights"][..], &["list"][..]] {
        let out = j.cmd().env("COLUMNS", "80").args(args).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= 80,
            "hearth {args:?} is {widest} columns wide:\n{text}"
        );
    }
}

#[test]
fn show_prints_what_an_entry_of_its_kind_has_in_words() {
    let j = Journal::new();
    let ex = j.json(&[
        "log",
        "exercise",
        "--type",
        "cardio",
        "--minutes",
        "30",
        "--before",
        "4",
        "--after",
        "6",
    ]);
    let shown = j.ok(&["show", ex["id"].as_str().unwrap()]);
    let at = |s: &str| shown.find(s).unwrap_or_else(|| panic!("{s:?} in\n{shown}"));
    assert!(at("Activity") < at("Mood before") && at("Mood before") < at("Minutes"));
    assert!(shown.contains("Exercise") && shown.contains("Cardio") && shown.contains("4 of 10"));
    for absent in ["pressured", "new partner", "episode", "false"] {
        assert!(
            !shown.to_lowercase().contains(absent),
            "{absent:?} in\n{shown}"
        );
    }
    let c = j.json(&[
        "checkin",
        "5",
        "--sleep-hours",
        "5.5",
        "--sleep-quality",
        "6",
    ]);
    let shown = j.ok(&["show", c["id"].as_str().unwrap()]);
    assert!(
        shown.contains("Hours slept") && shown.contains("5.5 h"),
        "{shown}"
    );
    assert!(
        shown.contains("Sleep quality") && shown.contains("6 of 10"),
        "{shown}"
    );
    let list = j.ok(&["list"]);
    assert!(list.contains("sleep quality 6, slept 5.5 h"), "{list}");
}

#[test]
fn search_finds_notes_and_tags_whatever_the_case() {
    let j = Journal::new();
    j.ok(&["checkin", "5", "Walked by the RIVER"]);
    j.ok(&["checkin", "4", "--tag", "riverside"]);
    j.ok(&["log", "exercise", "--note", "gym"]);
    let found = j.json(&["search", "river"]);
    assert_eq!(found.as_array().unwrap().len(), 2);
    assert_eq!(j.json(&["search", "GYM"]).as_array().unwrap().len(), 1);
    assert!(
        j.ok(&["search", "ocean"])
            .contains("No note or tag contains")
    );
    assert!(j.refused(&["search", "  "]).contains("text"));
}

#[cfg(unix)]
#[test]
fn a_note_can_be_written_in_an_editor_through_a_private_file_that_is_removed() {
    use std::os::unix::fs::PermissionsExt;
    let j = Journal::new();
    j.ok(&["init"]);
    let tmp = tempfile::tempdir().unwrap();
    let seen = tmp.path().join("seen");
    let editor = tmp.path().join("editor.sh");
    // Records where the file was and its mode, then writes the note.
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho \"$1\" > {seen}\nstat -c %a \"$1\" >> {seen}\nprintf 'written in the editor\\n\\n' > \"$1\"\n",
            seen = seen.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = j
        .cmd()
        .env("VISUAL", &editor)
        .env("XDG_RUNTIME_DIR", tmp.path())
        .args(["--json", "checkin", "6", "--edit"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["note"], "written in the editor");
    let seen = std::fs::read_to_string(&seen).unwrap();
    let mut lines = seen.lines();
    let path = std::path::PathBuf::from(lines.next().unwrap());
    assert_eq!(lines.next(), Some("600"), "only this user can read it");
    assert!(
        path.starts_with(tmp.path()),
        "kept in the runtime directory"
    );
    assert!(!path.exists(), "removed after the editor closed");

    // Editing starts from the note there is; emptying it clears it.
    std::fs::write(&editor, "#!/bin/sh\n: > \"$1\"\n").unwrap();
    let id = saved["id"].as_str().unwrap();
    j.cmd()
        .env("VISUAL", &editor)
        .args(["edit", id, "--edit"])
        .assert()
        .success();
    assert!(
        j.json(&["show", id])
            .get("note")
            .is_none_or(|n| n.is_null())
    );
    // An editor that fails saves nothing.
    j.cmd()
        .env("VISUAL", "false")
        .args(["checkin", "3", "--edit"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing was saved"));
    assert_eq!(j.list().as_array().unwrap().len(), 1);
}

#[test]
fn completions_offer_the_journals_own_kinds_and_ids() {
    let j = Journal::new();
    j.ok(&["kinds", "add", "gardening"]);
    let e = j.json(&["checkin", "5"]);
    let script = j.ok(&["completions", "bash"]);
    assert!(
        script.contains("COMPLETE") && script.contains("hearth"),
        "{script}"
    );
    let complete = |words: &[&str]| {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hearth"));
        c.env("COMPLETE", "bash")
            .env("HEARTH_DATA_DIR", &j.dir)
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .env("_CLAP_COMPLETE_COMP_TYPE", "9")
            .env("_CLAP_COMPLETE_SPACE", "true")
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(words);
        let out = c.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let kinds = complete(&["hearth", "log", ""]);
    assert!(
        kinds.contains("exercise") && kinds.contains("gardening"),
        "{kinds}"
    );
    let ids = complete(&["hearth", "show", ""]);
    assert!(ids.contains(e["id"].as_str().unwrap()), "{ids}");
}

#[cfg(unix)]
mod terminal {
    use super::*;
    use rexpect::session::spawn_command;

    #[test]
    fn init_at_a_terminal_asks_where_the_person_is_for_the_crisis_lines() {
        let j = Journal::new();
        let mut cmd = j.std_cmd();
        cmd.args(["init", "--tz", "Europe/London"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("Which crisis lines should Hearth show?")
            .unwrap();
        p.exp_string("[Enter for gb]").unwrap();
        p.send_line("narnia").unwrap();
        p.exp_string("narnia").unwrap();
        p.send_line("ie").unwrap();
        p.exp_string("Created an encrypted journal").unwrap();
        p.exp_eof().unwrap();
        assert_eq!(j.json(&["settings"])["region"], "ie");
        // Enter takes the zone's guess.
        let k = Journal::new();
        let mut cmd = k.std_cmd();
        cmd.args(["init", "--tz", "Australia/Sydney"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("[Enter for au]").unwrap();
        p.send_line("").unwrap();
        p.exp_eof().unwrap();
        assert_eq!(k.json(&["settings"])["region"], "au");
    }

    #[test]
    fn a_bare_check_in_at_a_terminal_asks_for_the_mood_only() {
        let j = Journal::new();
        j.ok(&["init"]);
        let mut cmd = j.std_cmd();
        cmd.arg("checkin");
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("How is your mood right now").unwrap();
        p.send_line("12").unwrap();
        p.exp_string("mood").unwrap();
        p.send_line("7").unwrap();
        p.exp_string("Saved check-in").unwrap();
        p.exp_eof().unwrap();
        let list = j.list();
        assert_eq!(list[0]["mood"], 7);
        assert!(list[0].get("energy").is_none_or(|v| v.is_null()));

        // An empty answer saves nothing.
        let mut cmd = j.std_cmd();
        cmd.arg("checkin");
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("How is your mood right now").unwrap();
        p.send_line("").unwrap();
        p.exp_string("nothing saved").unwrap();
        p.exp_eof().unwrap();
        assert_eq!(j.list().as_array().unwrap().len(), 1);
    }
}

#[test]
fn the_report_gives_item_9s_value_and_leaves_out_what_was_asked() {
    let j = Journal::new();
    j.ok(&["demo", "--days", "60"]);
    j.cmd()
        .args(["survey", "phq9", "--answers", "1,1,1,1,1,1,1,1,2"])
        .assert()
        .success();
    let html = j.ok(&["report"]);
    assert!(
        html.contains("self-harm) answered 2 (more than half the days)"),
        "the Safety section gives the value"
    );
    assert!(html.contains("Sex with a partner"));
    let html = j.ok(&["report", "--leave-out", "sex,notices"]);
    assert!(!html.contains("Sex with a partner") && !html.contains("Notices raised"));
    assert!(html.contains("Left out at the person&#39;s request: sexual activity, notices."));
    let err = j.refused(&["report", "--leave-out", "diary"]);
    assert!(err.contains("sexual-function"), "{err}");
}

#[cfg(unix)]
mod pager {
    use super::*;
    use rexpect::session::spawn_command;

    #[test]
    fn a_long_list_at_a_terminal_goes_through_the_pager_or_prints_without_one() {
        let j = Journal::new();
        j.ok(&["demo", "--days", "30"]);
        let mut cmd = j.std_cmd();
        cmd.env("PAGER", "sed s/^/PAGED:/").args(["list", "--all"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("PAGED:").unwrap();
        p.exp_eof().unwrap();
        // A pager that is not installed still shows the list.
        let mut cmd = j.std_cmd();
        cmd.env("PAGER", "no-such-pager-here")
            .args(["list", "--all"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("Check-in").unwrap();
        p.exp_eof().unwrap();
    }
}
