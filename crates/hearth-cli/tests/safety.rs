//! Questionnaires and crisis safety through the real binary: scoring, refusals,
//! the crisis trigger in every path, and an interactive run on a pseudo-terminal.

mod common;

use std::fs;

use common::Journal;
use predicates::prelude::*;
use serde_json::Value;

const PHQ9_SAFE: &str = "1,2,1,2,0,1,1,0,0";

fn surveys(j: &Journal) -> Vec<Value> {
    j.json(&["list", "--kind", "survey"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn answers_are_scored_as_published_and_stored() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "America/Chicago"]);
    let v = j.json(&[
        "survey",
        "phq9",
        "--answers",
        PHQ9_SAFE,
        "--difficulty",
        "1",
        "--at",
        "2026-01-05 09:00",
    ]);
    assert_eq!(
        (
            v["instrument"].as_str(),
            v["total"].as_i64(),
            v["band"].as_str()
        ),
        (Some("phq9"), Some(8), Some("mild"))
    );
    assert_eq!(v["crisis"], false);
    assert!(v.get("resources").is_none());
    assert_eq!(v["extras"]["difficulty"], 1);
    let stored = surveys(&j);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0]["answers"],
        serde_json::json!([1, 2, 1, 2, 0, 1, 1, 0, 0])
    );
    assert_eq!(stored[0]["version"], "1");
    assert_eq!(stored[0]["band"], "mild");

    let gad = j.json(&["survey", "gad7", "--answers", "3,3,3,3,3,0,0"]);
    assert_eq!(
        (gad["total"].as_i64(), gad["band"].as_str()),
        (Some(15), Some("severe"))
    );
    let phq2 = j.json(&["survey", "phq2", "--answers", "2,1"]);
    assert_eq!(
        (phq2["band"].as_str(), phq2["suggest"].as_str()),
        (Some("positive"), Some("phq9"))
    );
    let out = j.ok(&["survey", "phq2", "--answers", "1,1"]);
    assert!(
        out.contains("negative screen") && !out.contains("hearth survey phq9"),
        "{out}"
    );
    let sf = j.json(&["survey", "sexual-function", "--answers", "6,5,4,3,2"]);
    assert_eq!(
        (sf["total"].as_i64(), &sf["band"]),
        (Some(20), &Value::Null)
    );
    let human = j.ok(&["survey", "ucla3", "--answers", "1,2,3"]);
    assert!(human.contains("total 6"), "{human}");
}

#[test]
fn wrong_answers_are_refused_and_the_history_is_unchanged() {
    let j = Journal::new();
    j.ok(&["survey", "phq9", "--answers", PHQ9_SAFE]);
    for (args, needle) in [
        (
            vec!["survey", "phq9", "--answers", "1,2,1"],
            "exactly 9 answers",
        ),
        (
            vec!["survey", "phq9", "--answers", "1,2,1,2,0,1,1,0,4"],
            "answer 9",
        ),
        (
            vec!["survey", "phq9", "--answers", "1,2,1,2,0,1,1,0,"],
            "not a number",
        ),
        (
            vec!["survey", "phq9", "--answers", "1,2,1,2,0,1,1,0,-1"],
            "answer 9",
        ),
        (
            vec![
                "survey",
                "phq9",
                "--answers",
                PHQ9_SAFE,
                "--difficulty",
                "4",
            ],
            "difficulty",
        ),
        (
            vec!["survey", "sexual-function", "--answers", "0,1,1,1,1"],
            "1, 2, 3, 4, 5 or 6",
        ),
        (vec!["survey", "asex", "--answers", "1"], "phq9"),
        (vec!["survey", "phq9"], "--answers"),
    ] {
        let e = j.refused(&args);
        assert!(e.contains(needle), "{args:?}: {e}");
    }
    assert_eq!(surveys(&j).len(), 1);
}

#[test]
fn item_nine_above_zero_shows_resources_before_the_score() {
    for value in 1..=3 {
        let j = Journal::new();
        j.ok(&["init", "--tz", "America/New_York"]);
        let answers = format!("0,0,0,0,0,0,0,0,{value}");
        let out = j.ok(&["survey", "phq9", "--answers", &answers]);
        let resources = out.find("988").expect("988 shown");
        let score = out.find("PHQ-9 total").expect("score shown");
        assert!(resources < score, "resources must come first:\n{out}");
        assert!(out.contains("741741") && out.contains("findahelpline.com"));

        let v = j.json(&["survey", "phq9", "--answers", &answers]);
        assert_eq!(v["crisis"], true);
        assert!(v["resources"].to_string().contains("988"));
        assert_eq!(
            surveys(&j).iter().filter(|s| s["crisis"] == true).count(),
            2
        );
    }
    let j = Journal::new();
    let out = j.ok(&["survey", "phq9", "--answers", "3,3,3,3,3,3,3,3,0"]);
    assert!(
        !out.contains("findahelpline"),
        "item 9 = 0 must not trigger:\n{out}"
    );
}

#[test]
fn json_mode_still_shows_a_person_the_resources() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/Dublin"]);
    j.cmd()
        .args(["--json", "survey", "phq9", "--answers", "0,0,0,0,0,0,0,0,2"])
        .assert()
        .success()
        .stderr(predicate::str::contains("116 123"))
        .stdout(predicate::str::contains("\"crisis\": true"));
}

#[test]
fn not_safe_shows_resources_at_once_and_stores_the_event() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Europe/London"]);
    j.ok(&["contacts", "add", "Dr Lee", "020 7946 0000"]);
    let out = j.ok(&["checkin", "--mood", "2", "--not-safe"]);
    let resources = out.find("116 123").expect("Samaritans shown");
    assert!(out.find("Dr Lee").unwrap() > resources);
    assert!(out.find("Saved check-in").unwrap() > resources);
    let v = j.json(&["checkin", "--mood", "2", "--not-safe"]);
    assert_eq!(
        (v["crisis"].as_bool(), v["not_safe"].as_bool()),
        (Some(true), Some(true))
    );
    // Even when nothing can be saved, the resources come first.
    j.cmd()
        .args(["checkin", "--not-safe"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("116 123"))
        .stderr(predicate::str::contains("--mood"));
}

#[test]
fn not_safe_shows_resources_even_when_the_journal_will_not_open() {
    let j = Journal::new();
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "a long passphrase")
        .assert()
        .success();
    j.cmd()
        .args(["checkin", "--mood", "1", "--not-safe"])
        .env("HEARTH_PASSPHRASE", "not the passphrase")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("findahelpline.com"))
        .stderr(predicate::str::contains("could not be unlocked"));
}

#[test]
fn help_now_works_even_when_the_journal_is_locked() {
    let j = Journal::new();
    j.cmd()
        .args(["init", "--passphrase"])
        .env("HEARTH_PASSPHRASE", "a long passphrase")
        .assert()
        .success();
    j.cmd()
        .args(["help-now"])
        .env("HEARTH_PASSPHRASE", "not the passphrase")
        .assert()
        .success()
        .stdout(predicate::str::contains("findahelpline.com"))
        .stderr(predicate::str::contains("contacts are not shown"));
}

#[test]
fn the_region_picks_the_lines_and_help_now_lists_them() {
    let j = Journal::new();
    let init = j.json(&["init", "--tz", "Australia/Sydney"]);
    assert_eq!(init["region"], "au");
    assert!(j.ok(&["help-now"]).contains("13 11 14"));
    j.ok(&["settings", "set", "region", "us"]);
    let out = j.ok(&["help-now"]);
    assert!(out.contains("988") && out.contains("findahelpline.com") && !out.contains("13 11 14"));
    j.refused(&["settings", "set", "region", "atlantis"]);
    assert_eq!(j.json(&["settings"])["region"], "us");
    let k = Journal::new();
    k.cmd().args(["init", "--region", "mars"]).assert().code(2);
    assert!(!k.dir.exists());
}

#[test]
fn due_follows_the_cadence_and_warns_on_overlap() {
    let j = Journal::new();
    let due = j.json(&["survey", "due"]);
    let ids: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["instrument"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["phq9", "gad7", "ucla3", "sexual-function"]);
    // A new journal suggests only the PHQ-9, and not on its first day.
    assert!(due.as_array().unwrap().iter().all(|d| d["due"] == false));
    let tracked: Vec<bool> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["tracked"].as_bool().unwrap())
        .collect();
    assert_eq!(tracked, [true, false, false, false]);
    j.ok(&["settings", "set", "track.gad7", "on"]);
    assert_eq!(j.json(&["survey", "due"])[1]["tracked"], true);
    assert!(
        j.ok(&["survey", "due"])
            .contains("not suggested (turn on with `hearth settings set track.ucla3 on`)")
    );
    j.refused(&["settings", "set", "track.gad7", "maybe"]);
    j.ok(&["settings", "set", "kind.porn", "hidden"]);
    j.ok(&["settings", "set", "discreet", "on"]);
    let s = j.json(&["settings"]);
    assert_eq!(
        (s["hidden_kinds"][0].as_str(), s["discreet"].as_bool()),
        (Some("porn"), Some(true))
    );
    assert!(j.ok(&["settings"]).contains("suggested  phq9, gad7"));

    j.ok(&["survey", "phq9", "--answers", PHQ9_SAFE, "--at", "3d ago"]);
    let phq9 = |j: &Journal| j.json(&["survey", "due"])[0].clone();
    assert_eq!(phq9(&j)["due"], false);
    assert_eq!(phq9(&j)["cadence_days"], 14);
    j.ok(&["settings", "set", "cadence.phq9", "2"]);
    assert_eq!(phq9(&j)["due"], true);
    j.ok(&["settings", "set", "cadence.phq9", "default"]);
    assert_eq!(phq9(&j)["cadence_days"], 14);

    j.cmd()
        .args(["survey", "phq9", "--answers", PHQ9_SAFE])
        .assert()
        .success()
        .stderr(predicate::str::contains("3 days ago").and(predicate::str::contains("overlap")));
    let hist = j.json(&["survey", "history", "phq9"]);
    assert_eq!(hist.as_array().unwrap().len(), 2);
}

const WHO5: &str = r#"
id = "wellbeing"
version = "2"
title = "Wellbeing"
name = "A clinic's own two-item check"
question = "Over the last two weeks"
source = "The clinic"
licence = "Licensed to the clinic"
[[options]]
value = 0
label = "At no time"
[[options]]
value = 5
label = "All of the time"
[[items]]
id = "cheerful"
text = "I have felt cheerful"
[[items]]
id = "calm"
text = "I have felt calm"
"#;

#[test]
fn a_clinics_own_definition_loads_and_a_bad_one_is_refused_with_its_reason() {
    let j = Journal::new();
    let dir = j.config.join("instruments");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("wellbeing.toml"), WHO5).unwrap();
    fs::write(
        dir.join("broken.toml"),
        WHO5.replace("id = \"wellbeing\"", "id = \"broken\"")
            .replace("value = 5", "value = 0"),
    )
    .unwrap();
    let v = j.json(&["survey", "wellbeing", "--answers", "5,0"]);
    assert_eq!(
        (v["total"].as_i64(), v["version"].as_str()),
        (Some(5), Some("2"))
    );
    j.cmd()
        .args(["survey", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wellbeing"))
        .stderr(
            predicate::str::contains("broken.toml was refused")
                .and(predicate::str::contains("same value")),
        );
    assert!(
        j.refused(&["survey", "broken", "--answers", "0,0"])
            .contains("instrument")
    );
}

#[cfg(unix)]
mod terminal {
    use super::*;
    use rexpect::session::spawn_command;

    const TIMEOUT_MS: Option<u64> = Some(20_000);

    #[test]
    fn an_interactive_run_can_go_back_and_is_saved() {
        let j = Journal::new();
        j.ok(&["init", "--tz", "Europe/London"]);
        let mut cmd = j.std_cmd();
        cmd.args(["survey", "gad7"]);
        let mut p = spawn_command(cmd, TIMEOUT_MS).unwrap();
        p.exp_string("(1 of 7) Feeling nervous").unwrap();
        p.send_line("7").unwrap();
        p.exp_string("Please answer 0, 1, 2 or 3").unwrap();
        p.send_line("3").unwrap();
        p.exp_string("(2 of 7)").unwrap();
        p.send_line("b").unwrap();
        p.exp_string("(1 of 7)").unwrap();
        // rexpect reads bytes one by one, so match the ASCII part of the marker.
        p.exp_string("your answer").unwrap();
        p.send_line("1").unwrap();
        for n in 2..=7 {
            p.exp_string(&format!("({n} of 7)")).unwrap();
            p.send_line("2").unwrap();
        }
        p.exp_string("GAD-7 total 13 of 21").unwrap();
        p.exp_string("moderate").unwrap();
        p.exp_eof().unwrap();
        let stored = surveys(&j);
        assert_eq!(
            stored[0]["answers"],
            serde_json::json!([1, 2, 2, 2, 2, 2, 2])
        );
    }

    #[test]
    fn quitting_saves_nothing() {
        let j = Journal::new();
        j.ok(&["checkin", "--mood", "5"]);
        let mut cmd = j.std_cmd();
        cmd.args(["survey", "phq9"]);
        let mut p = spawn_command(cmd, TIMEOUT_MS).unwrap();
        p.exp_string("(1 of 9)").unwrap();
        p.send_line("2").unwrap();
        p.exp_string("(2 of 9)").unwrap();
        p.send_line("q").unwrap();
        p.exp_string("Nothing was stored").unwrap();
        p.exp_eof().unwrap();
        assert!(surveys(&j).is_empty());
    }

    #[test]
    fn resources_appear_the_moment_item_nine_is_answered() {
        let j = Journal::new();
        j.ok(&["init", "--tz", "America/New_York"]);
        let mut cmd = j.std_cmd();
        cmd.args(["survey", "phq9"]);
        let mut p = spawn_command(cmd, TIMEOUT_MS).unwrap();
        for n in 1..=8 {
            p.exp_string(&format!("({n} of 9)")).unwrap();
            p.send_line("0").unwrap();
        }
        p.exp_string("(9 of 9) Thoughts that you would be better off dead")
            .unwrap();
        p.send_line("1").unwrap();
        // Before the optional difficulty question and before any score.
        let before = p.exp_string("(optional)").unwrap();
        assert!(
            before.contains("988") && before.contains("741741"),
            "{before}"
        );
        assert!(!before.contains("PHQ-9 total"));
        p.send_line("").unwrap();
        p.exp_string("PHQ-9 total 1 of 27").unwrap();
        p.exp_eof().unwrap();
        assert_eq!(surveys(&j)[0]["crisis"], true);
    }
}

/// Logging that one felt pressured prints kind words and the region's
/// support lines straight after the save; `--json` carries them too, and
/// still tells the person on stderr.
#[test]
fn feeling_pressured_is_met_with_support_lines() {
    let j = Journal::new();
    j.ok(&["init", "--tz", "Australia/Sydney"]);
    let out = j.ok(&["log", "sex-partnered", "--pressured", "--before", "4"]);
    assert!(out.contains("Saved sex"), "{out}");
    assert!(
        out.contains("not your fault") && out.contains("1800 737 732"),
        "{out}"
    );
    let out = j
        .cmd()
        .args([
            "--json",
            "log",
            "sex-partnered",
            "--new-partner",
            "--protection",
            "no",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["support"]["message"]
            .as_str()
            .unwrap()
            .contains("sexual health clinic")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1800RESPECT"));
    let calm = j.ok(&["log", "exercise", "--before", "3", "--after", "6"]);
    assert!(!calm.contains("1800RESPECT"), "{calm}");
}
