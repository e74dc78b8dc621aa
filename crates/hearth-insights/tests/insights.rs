//! Each insight's rules on small hand-made journals, and the JSON contract.

use hearth_core::demo::Effects;
use hearth_core::kind::Kind;
use hearth_core::model::MedicationEvent;
use hearth_core::vocab::{BuiltinKind, DoseUnit, DrugClass, Feeling, MedEventKind, Motive};
use hearth_core::{Entry, EntryBody, EntryId, Episode, Rating, SurveyResponse};
use hearth_insights::evaluation::{now, profile, run};
use hearth_insights::{Input, Insight, Insights, analyse};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

fn days_ago(d: f64) -> Timestamp {
    now() - SignedDuration::from_secs_f64(d * 86_400.0)
}

fn entry(i: usize, at: Timestamp, body: EntryBody) -> Entry {
    Entry {
        id: EntryId::from_bits(i as u64),
        at,
        tz: "UTC".into(),
        recorded_at: at,
        updated_at: at,
        body,
    }
}

fn r(v: i64) -> Option<Rating> {
    Some(Rating::new("x", v).unwrap())
}

fn ep(kind: BuiltinKind, before: i64, after: i64) -> Episode {
    let mut e = Episode::new(Kind::Builtin(kind));
    e.mood_before = r(before);
    e.mood_after = r(after);
    e
}

fn survey(instrument: &str, answers: Vec<i32>) -> EntryBody {
    let total = answers.iter().sum();
    EntryBody::Survey(SurveyResponse {
        instrument: instrument.into(),
        version: "1".into(),
        answers,
        extras: Default::default(),
        total,
        band: None,
        crisis: false,
    })
}

fn analyse_utc(entries: &[Entry]) -> Insights {
    analyse(&Input {
        prompts: &[],
        entries,
        now: now(),
        tz: TimeZone::UTC,
        since: None,
        seed: 1,
    })
}

fn json(entries: &[Entry]) -> Value {
    serde_json::to_value(analyse_utc(entries)).unwrap()
}

fn insight<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

#[test]
fn an_empty_journal_says_not_enough_data_everywhere() {
    let v = json(&[]);
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
    for id in &ids {
        let i = insight(&v, id);
        let text = i["summary"].as_str().unwrap();
        assert!(text.contains("Not enough data yet"), "{id}: {text}");
        assert_ne!(i["triggered"], true, "{id}");
    }
    assert_eq!(insight(&v, "depression_trend")["latest"], Value::Null);
}

#[test]
fn four_episodes_are_not_enough_for_a_verdict() {
    let entries: Vec<Entry> = (0..4)
        .map(|i| {
            entry(
                i,
                days_ago(i as f64 + 1.0),
                EntryBody::Episode(ep(BuiltinKind::Exercise, 3, 8)),
            )
        })
        .collect();
    let v = json(&entries);
    let item = &insight(&v, "what_helps")["items"][0];
    assert_eq!(
        (item["kind"].as_str(), item["n"].as_u64()),
        (Some("exercise"), Some(4))
    );
    assert_eq!(item["verdict"], "not_enough_data");
    assert_eq!(item["mean_change"], Value::Null);
    assert_eq!(item["ci_low"], Value::Null);
}

/// Twelve episodes of a kind, each lifting mood from 3 to 5 or 6.
fn twelve_lifts(kind: BuiltinKind) -> Vec<Entry> {
    (0..12)
        .map(|i| {
            entry(
                i,
                days_ago(i as f64 + 1.0),
                EntryBody::Episode(ep(kind, 3, 5 + (i % 2) as i64)),
            )
        })
        .collect()
}

#[test]
fn a_clear_lift_is_called_helps_with_its_interval() {
    let v = json(&twelve_lifts(BuiltinKind::Outdoors));
    let item = &insight(&v, "what_helps")["items"][0];
    assert_eq!(item["verdict"], "helps");
    assert_eq!(item["mean_change"], 2.5);
    assert!(item["ci_low"].as_f64().unwrap() > 1.9 && item["ci_high"].as_f64().unwrap() < 3.1);
    assert!(item["q_value"].as_f64().unwrap() < 0.01);
}

/// A prompt about entry `i`, opening at `at` for `hours`, answered `after`
/// hours from its opening with `rating`.
fn answered(
    i: usize,
    kind: hearth_core::vocab::PromptKind,
    at: Timestamp,
    hours: i64,
    after: f64,
    rating: i64,
) -> hearth_core::Prompt {
    hearth_core::Prompt {
        id: EntryId::from_bits(1_000_000 + i as u64 * 4 + kind as u64),
        kind,
        entry_id: Some(EntryId::from_bits(i as u64)),
        scheduled_at: at,
        closes_at: at + SignedDuration::from_hours(hours),
        shown_at: None,
        answered_at: Some(at + SignedDuration::from_secs_f64(after * 3600.0)),
        dismissed_at: None,
        rating: r(rating),
    }
}

fn analyse_with(entries: &[Entry], prompts: &[hearth_core::Prompt]) -> Value {
    serde_json::to_value(analyse(&Input {
        prompts,
        entries,
        now: now(),
        tz: TimeZone::UTC,
        since: None,
        seed: 1,
    }))
    .unwrap()
}

#[test]
fn a_lift_that_lasts_a_few_hours_is_found_and_a_null_one_is_not() {
    use hearth_core::vocab::PromptKind::{Later, Morning};
    let mut entries = Vec::new();
    let mut prompts = Vec::new();
    for i in 0..12 {
        let at = days_ago(i as f64 + 1.0);
        // Exercise: +2 right after, still +2 or +3 a few hours on.
        entries.push(entry(
            i,
            at,
            EntryBody::Episode(ep(BuiltinKind::Exercise, 3, 5)),
        ));
        prompts.push(answered(
            i,
            Later,
            at + SignedDuration::from_hours(3),
            2,
            0.5,
            5 + (i % 2) as i64,
        ));
        // Closeness: the same lift right after, gone by the next morning.
        let j = 100 + i;
        entries.push(entry(
            j,
            at,
            EntryBody::Episode(ep(BuiltinKind::Intimacy, 4, 6)),
        ));
        prompts.push(answered(
            j,
            Morning,
            at + SignedDuration::from_hours(10),
            7,
            1.0,
            3 + 2 * (i % 2) as i64,
        ));
    }
    // Late answers never count, however large.
    for i in 0..3 {
        prompts.push(answered(200 + i, Later, days_ago(1.0), 2, 9.0, 10));
        // Answering a later prompt fills the episode's later rating.
        let mut e = ep(BuiltinKind::Exercise, 3, 5);
        e.followup = r(10);
        e.followup_at = Some(days_ago(1.0) + SignedDuration::from_hours(9));
        entries.push(entry(200 + i, days_ago(1.0), EntryBody::Episode(e)));
    }
    let v = analyse_with(&entries, &prompts);
    let helps = insight(&v, "what_helps");
    let item = |kind: &str| {
        helps["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == kind)
            .unwrap()
            .clone()
    };
    let ex = item("exercise");
    assert_eq!(ex["later"]["n"], 12, "the three late answers are left out");
    assert_eq!(ex["later"]["mean_change"], 2.5);
    assert_eq!(ex["later"]["verdict"], "helps");
    assert!(ex["later"]["ci_low"].as_f64().unwrap() > 0.0);
    assert_eq!(ex["morning_after"]["verdict"], "not_enough_data");
    let close = item("intimacy");
    assert_eq!(close["morning_after"]["n"], 12);
    assert_eq!(close["morning_after"]["mean_change"], 0.0);
    assert_eq!(
        close["morning_after"]["verdict"], "no_clear_effect",
        "a planted null stays null"
    );
    let summary = helps["summary"].as_str().unwrap();
    assert!(
        summary
            .contains("A few hours later, it is still higher after exercise: +2.5 (95% interval"),
        "{summary}"
    );
    assert!(summary.contains("n 12)"), "{summary}");
    assert!(!summary.contains("Next morning"), "{summary}");
    assert_eq!(v["late_left_out"], 3);
    assert!(
        summary.ends_with("3 ratings given after their time were left out."),
        "{summary}"
    );
}

#[test]
fn a_rating_given_after_its_window_is_left_out_and_counted() {
    use hearth_core::Prompt;
    use hearth_core::vocab::PromptKind;
    // Twelve clear lifts, and four more whose after-ratings came late and
    // would drag the mean down if they were counted.
    let mut entries = twelve_lifts(BuiltinKind::Outdoors);
    let mut prompts = Vec::new();
    for i in 12..16 {
        let at = days_ago(i as f64 + 1.0);
        entries.push(entry(
            i,
            at,
            EntryBody::Episode(ep(BuiltinKind::Outdoors, 3, 0)),
        ));
        prompts.push(Prompt {
            id: EntryId::from_bits(1_000 + i as u64),
            kind: PromptKind::After,
            entry_id: Some(EntryId::from_bits(i as u64)),
            scheduled_at: at,
            closes_at: at + SignedDuration::from_hours(6),
            shown_at: None,
            answered_at: Some(at + SignedDuration::from_hours(30)),
            dismissed_at: None,
            rating: r(0),
        });
    }
    // One more answered in time counts as ever.
    let at = days_ago(20.0);
    entries.push(entry(
        20,
        at,
        EntryBody::Episode(ep(BuiltinKind::Outdoors, 3, 6)),
    ));
    prompts.push(Prompt {
        id: EntryId::from_bits(1_020),
        kind: PromptKind::After,
        entry_id: Some(EntryId::from_bits(20)),
        scheduled_at: at,
        closes_at: at + SignedDuration::from_hours(6),
        shown_at: None,
        answered_at: Some(at + SignedDuration::from_hours(1)),
        dismissed_at: None,
        rating: r(6),
    });
    let out = analyse(&Input {
        prompts: &prompts,
        entries: &entries,
        now: now(),
        tz: TimeZone::UTC,
        since: None,
        seed: 1,
    });
    assert_eq!(out.late_left_out, 4);
    let v = serde_json::to_value(&out).unwrap();
    let helps = insight(&v, "what_helps");
    assert_eq!(helps["items"][0]["n"], 13, "twelve, and the one in time");
    assert_eq!(helps["items"][0]["verdict"], "helps");
    assert!(
        helps["summary"]
            .as_str()
            .unwrap()
            .ends_with("4 ratings given after their time were left out.")
    );
    // Without the prompts, the late ones would have counted.
    let blind = json(&entries);
    assert_eq!(insight(&blind, "what_helps")["items"][0]["n"], 17);
}

#[test]
fn the_summary_names_what_helps_in_words_not_codes() {
    let v = json(&twelve_lifts(BuiltinKind::Social));
    let summary = insight(&v, "what_helps")["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(summary, "Your mood tends to rise with: time with people.");
}

/// `n` partnered episodes in the last 90 days, the first `drops` of them
/// followed by a clear drop.
fn drops_of(n: usize, drops: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            let after = if i < drops { 3 } else { 7 };
            entry(
                i,
                days_ago(1.0 + i as f64 * 2.0),
                EntryBody::Episode(ep(BuiltinKind::SexPartnered, 6, after)),
            )
        })
        .collect()
}

#[test]
fn feeling_worse_after_sex_is_said_when_its_share_is_surely_above_a_tenth() {
    let triggered = |n, k| insight(&json(&drops_of(n, k)), "after_sex_drop")["triggered"] == true;
    // 4 of 15: a share of 27%, whose interval lies above 10%.
    assert!(triggered(15, 4));
    // 3 of 30: 10%, which could be noise.
    assert!(!triggered(30, 3));
    // 3 of 3 is at the minimum count and far above; 2 of 2 is below it.
    assert!(triggered(3, 3));
    assert!(!triggered(2, 2));
    assert!(!triggered(20, 0));
}

#[test]
fn feeling_worse_after_sex_follows_its_documented_rule() {
    // 10 partnered episodes in the window: 2 drops by rating, 1 by feelings,
    // 1 by a post-sex check 2 h later; a check 4 h later, and feeling close,
    // calm and content, do not count.
    let mut entries = Vec::new();
    for i in 0..10 {
        let at = days_ago(2.0 + i as f64 * 5.0);
        let mut e = ep(BuiltinKind::SexPartnered, 6, 7);
        if i < 2 {
            e.mood_after = r(4);
        }
        if i == 2 {
            e.feelings = vec![Feeling::Empty];
        }
        // Good feelings afterwards are not a drop.
        if i == 5 {
            e.feelings = vec![Feeling::Close, Feeling::Calm, Feeling::Content];
        }
        entries.push(entry(i, at, EntryBody::Episode(e)));
        if i == 3 {
            entries.push(entry(
                100,
                at + SignedDuration::from_hours(2),
                survey("post-sex", vec![2, 0, 0, 0, 0]),
            ));
        }
        if i == 4 {
            entries.push(entry(
                101,
                at + SignedDuration::from_hours(4),
                survey("post-sex", vec![3, 3, 0, 0, 0]),
            ));
        }
    }
    // Old drops fall outside the 90 days.
    for i in 0..5 {
        entries.push(entry(
            200 + i,
            days_ago(100.0 + i as f64),
            EntryBody::Episode(ep(BuiltinKind::SexPartnered, 7, 2)),
        ));
    }
    let v = json(&entries);
    let d = insight(&v, "after_sex_drop");
    let partnered = &d["items"][0];
    assert_eq!(
        (partnered["n"].as_u64(), partnered["drops"].as_u64()),
        (Some(10), Some(4))
    );
    assert_eq!(partnered["share"], 0.4);
    assert_eq!(d["triggered"], true);
    // It says what happened, not what it is called or why.
    let summary = d["summary"].as_str().unwrap();
    assert!(summary.contains("after sex"), "{summary}");
    assert!(
        !summary.contains("dysphoria") && !summary.contains("partner"),
        "{summary}"
    );
    assert!(
        d["what_you_could_do"]
            .as_str()
            .unwrap()
            .contains("therapist or doctor")
    );

    // Two drops are below the minimum count, whatever the share.
    let few: Vec<Entry> = entries
        .iter()
        .filter(|e| e.at > days_ago(12.0))
        .cloned()
        .collect();
    let v = json(&few);
    assert_eq!(insight(&v, "after_sex_drop")["items"][0]["drops"], 2);
    assert_eq!(insight(&v, "after_sex_drop")["triggered"], false);
}

#[test]
fn reliance_names_its_reasons() {
    let mut entries = Vec::new();
    for i in 0..8 {
        let mut e = ep(BuiltinKind::SexPartnered, 4, 5);
        e.motive = Some(Motive::Escape);
        e.pressured = i == 0;
        entries.push(entry(
            i,
            days_ago(1.0 + i as f64 * 3.0),
            EntryBody::Episode(e),
        ));
    }
    entries.push(entry(
        50,
        days_ago(2.0),
        EntryBody::Episode(ep(BuiltinKind::Exercise, 4, 6)),
    ));
    let v = json(&entries);
    let rl = insight(&v, "reliance");
    assert_eq!(rl["triggered"], true);
    assert_eq!(
        (
            rl["n_episodes"].as_u64(),
            rl["n_sexual"].as_u64(),
            rl["pressured"].as_u64()
        ),
        (Some(9), Some(8), Some(1))
    );
    assert_eq!(rl["sexual_share"], 0.89);
    assert_eq!(rl["escape_share"], 1.0);
    let reasons = rl["reasons"].to_string();
    assert!(reasons.contains("Most of your coping") && reasons.contains("escape"));
    // Feeling pressured is counted, and answered with support when saved,
    // but it is not a coping habit.
    assert!(
        !reasons.contains("pressured") && !reasons.contains("never owe"),
        "{reasons}"
    );
    assert!(rl["diversity"].as_f64().unwrap() < 0.3);

    // A varied month triggers nothing.
    let varied: Vec<Entry> = [
        BuiltinKind::Exercise,
        BuiltinKind::Social,
        BuiltinKind::Art,
        BuiltinKind::Outdoors,
        BuiltinKind::SexPartnered,
        BuiltinKind::Mindfulness,
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| {
        entry(
            i,
            days_ago(1.0 + i as f64 * 4.0),
            EntryBody::Episode(ep(*k, 4, 6)),
        )
    })
    .collect();
    let v = json(&varied);
    assert_eq!(insight(&v, "reliance")["triggered"], false);
    assert!(insight(&v, "reliance")["diversity"].as_f64().unwrap() > 0.7);
}

fn med(event: MedEventKind, at: Timestamp) -> Entry {
    entry(
        900 + event as usize,
        at,
        EntryBody::Medication(MedicationEvent {
            medication: "sertraline".into(),
            class: DrugClass::Ssri,
            event,
            dose: Some(50.0),
            unit: DoseUnit::Mg,
        }),
    )
}

#[test]
fn medication_compares_six_weeks_before_with_seven_after() {
    let start = days_ago(60.0);
    let mut entries = vec![med(MedEventKind::Start, start)];
    for w in 1..=6 {
        entries.push(entry(
            w,
            start - SignedDuration::from_hours(24 * 7 * w as i64),
            survey("sexual-function", vec![2, 2, 2, 2, (w % 2) as i32 + 1]),
        ));
        entries.push(entry(
            100 + w,
            start + SignedDuration::from_hours(24 * 7 * w as i64),
            survey("sexual-function", vec![4, 4, 3, 3, (w % 2) as i32 + 3]),
        ));
    }
    // Outside both windows: ignored.
    entries.push(entry(
        300,
        start - SignedDuration::from_hours(24 * 7 * 8),
        survey("sexual-function", vec![6, 6, 6, 6, 6]),
    ));
    let v = json(&entries);
    let md = insight(&v, "medication_sexual_function");
    let item = &md["items"][0];
    assert_eq!(
        (item["before_n"].as_u64(), item["after_n"].as_u64()),
        (Some(6), Some(6))
    );
    assert_eq!(
        (item["before_mean"].as_f64(), item["after_mean"].as_f64()),
        (Some(9.5), Some(17.5))
    );
    assert_eq!(item["change"], 8.0);
    assert!(item["ci_low"].as_f64().unwrap() > 0.0);
    assert_eq!(item["triggered"], true);
    let text = md["summary"].as_str().unwrap();
    assert!(
        text.contains("prescriber") && text.contains("don't change or stop a dose on your own"),
        "{text}"
    );
}

#[test]
fn depression_trend_prompts_help_when_high_or_rising() {
    let phq = |i: usize, d: f64, total: i32| {
        let mut answers = vec![0; 9];
        let mut left = total;
        for a in answers.iter_mut().take(8) {
            *a = left.min(3);
            left -= *a;
        }
        entry(i, days_ago(d), survey("phq9", answers))
    };
    let trend = |entries: &[Entry]| json(entries)["insights"][4].clone();
    let t = trend(&[phq(1, 30.0, 9), phq(2, 10.0, 14)]);
    assert_eq!(
        (
            t["latest"].as_i64(),
            t["previous"].as_i64(),
            t["change"].as_i64()
        ),
        (Some(14), Some(9), Some(5))
    );
    assert_eq!(
        (
            t["meaningful_change"].as_bool(),
            t["prompt_professional_help"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert!(
        t["summary"]
            .as_str()
            .unwrap()
            .contains("psychologist, psychiatrist, social worker or CBT therapist")
    );
    let t = trend(&[phq(1, 30.0, 10), phq(2, 10.0, 14)]);
    assert_eq!(t["prompt_professional_help"], false);
    let t = trend(&[phq(1, 10.0, 15)]);
    assert_eq!(
        (
            t["prompt_professional_help"].as_bool(),
            t["change"].as_i64()
        ),
        (Some(true), None)
    );
}

#[test]
fn the_demo_profile_reads_as_planted_and_the_contract_holds() {
    let entries = profile(120, 3, Effects::default());
    let a = serde_json::to_value(run(&entries, 9)).unwrap();
    assert_eq!(
        a,
        serde_json::to_value(run(&entries, 9)).unwrap(),
        "deterministic"
    );
    assert!(a["generated_at"].is_string());
    let wh = insight(&a, "what_helps");
    let exercise = wh["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "exercise")
        .unwrap();
    for key in [
        "n",
        "mean_change",
        "ci_low",
        "ci_high",
        "next_morning_effect",
        "next_morning_ci_low",
        "next_morning_ci_high",
        "q_value",
        "verdict",
    ] {
        assert!(exercise.get(key).is_some(), "what_helps item lacks {key}");
    }
    assert_eq!(exercise["verdict"], "helps");
    for key in ["kind", "n", "drops", "share"] {
        assert!(insight(&a, "after_sex_drop")["items"][0].get(key).is_some());
    }
    for key in ["triggered", "sexual_share", "escape_share", "diversity"] {
        assert!(insight(&a, "reliance").get(key).is_some());
    }
    let med = &insight(&a, "medication_sexual_function")["items"][0];
    for key in [
        "medication",
        "event",
        "at",
        "before_mean",
        "after_mean",
        "ci_low",
        "ci_high",
        "triggered",
    ] {
        assert!(med.get(key).is_some(), "medication item lacks {key}");
    }
    assert_eq!(
        (med["medication"].as_str(), med["event"].as_str()),
        (Some("sertraline"), Some("start"))
    );
    for key in ["latest", "band", "change", "prompt_professional_help"] {
        assert!(insight(&a, "depression_trend").get(key).is_some());
    }
    assert_eq!(
        insight(&a, "reliance")["triggered"],
        false,
        "the demo has no reliance pattern planted"
    );
}

#[test]
fn since_limits_what_is_read() {
    let entries: Vec<Entry> = (0..10)
        .map(|i| {
            entry(
                i,
                days_ago(i as f64 * 10.0 + 1.0),
                EntryBody::Episode(ep(BuiltinKind::Art, 3, 6)),
            )
        })
        .collect();
    let all = analyse_utc(&entries);
    let recent = analyse(&Input {
        prompts: &[],
        entries: &entries,
        now: now(),
        tz: TimeZone::UTC,
        since: Some(days_ago(35.0)),
        seed: 1,
    });
    let n = |i: &Insights| match &i.insights[0] {
        Insight::WhatHelps(w) => w.items[0].n,
        _ => unreachable!(),
    };
    assert_eq!((n(&all), n(&recent)), (10, 4));
}

#[test]
fn every_insight_carries_a_confidence_label() {
    let entries = profile(120, 3, Effects::default());
    let v = serde_json::to_value(run(&entries, 9)).unwrap();
    let allowed = ["none", "low", "moderate", "high"];
    for i in v["insights"].as_array().unwrap() {
        let labels: Vec<&Value> = match i.get("confidence") {
            Some(c) => vec![c],
            None => i["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| &x["confidence"])
                .collect(),
        };
        assert!(!labels.is_empty(), "{} has no confidence", i["id"]);
        for l in labels {
            assert!(
                allowed.contains(&l.as_str().unwrap_or("")),
                "{}: {l}",
                i["id"]
            );
        }
    }
}
