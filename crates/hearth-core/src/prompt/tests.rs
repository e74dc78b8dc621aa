use super::*;
use crate::Kind;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn r(v: i64) -> Rating {
    Rating::new("rating", v).unwrap()
}

fn episode(kind: BuiltinKind, at: &str, tz: &str, minutes: Option<u32>) -> Entry {
    let mut ep = Episode::new(Kind::Builtin(kind));
    ep.minutes = minutes;
    ep.mood_before = Some(r(4));
    Entry {
        id: EntryId::parse("0000000001").unwrap(),
        at: t(at),
        tz: tz.into(),
        recorded_at: t(at),
        updated_at: t(at),
        body: EntryBody::Episode(ep),
    }
}

fn kinds_of(p: &[Planned]) -> Vec<PromptKind> {
    p.iter().map(|p| p.kind).collect()
}

fn prompt(kind: PromptKind, opens: &str, closes: &str) -> Prompt {
    Prompt {
        id: EntryId::parse("00000000p1").unwrap(),
        kind,
        entry_id: Some(EntryId::parse("0000000001").unwrap()),
        scheduled_at: t(opens),
        closes_at: t(closes),
        shown_at: None,
        answered_at: None,
        dismissed_at: None,
        rating: None,
    }
}

#[test]
fn an_episode_without_an_after_rating_is_asked_from_its_end_for_the_chosen_hours() {
    let e = episode(BuiltinKind::Art, "2026-06-01T18:00:00Z", "UTC", Some(30));
    let now = t("2026-06-01T18:31:00Z");
    let planned = plan(&e, 6, &default_followup_kinds(), now);
    assert_eq!(kinds_of(&planned), vec![PromptKind::After]);
    assert_eq!(planned[0].scheduled_at, t("2026-06-01T18:30:00Z"));
    assert_eq!(planned[0].closes_at, t("2026-06-02T00:30:00Z"));
    let planned = plan(&e, 2, &default_followup_kinds(), now);
    assert_eq!(planned[0].closes_at, t("2026-06-01T20:30:00Z"));
}

#[test]
fn an_activity_logged_with_its_minutes_just_after_it_is_asked_about_at_once() {
    let e = episode(BuiltinKind::Art, "2026-06-01T18:00:00Z", "UTC", Some(45));
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-06-01T18:00:00Z"));
    assert_eq!(planned[0].scheduled_at, t("2026-06-01T18:00:00Z"));
    let ahead = episode(BuiltinKind::Art, "2026-06-01T20:00:00Z", "UTC", Some(45));
    let planned = plan(
        &ahead,
        6,
        &default_followup_kinds(),
        t("2026-06-01T18:00:00Z"),
    );
    assert_eq!(
        planned[0].scheduled_at,
        t("2026-06-01T20:45:00Z"),
        "logged ahead"
    );
}

#[test]
fn an_episode_rated_after_or_never_rated_before_gets_no_after_prompt() {
    let mut e = episode(BuiltinKind::Art, "2026-06-01T18:00:00Z", "UTC", None);
    let now = t("2026-06-01T18:00:00Z");
    if let EntryBody::Episode(ep) = &mut e.body {
        ep.mood_after = Some(r(6));
    }
    assert!(plan(&e, 6, &default_followup_kinds(), now).is_empty());
    if let EntryBody::Episode(ep) = &mut e.body {
        ep.mood_after = None;
        ep.mood_before = None;
    }
    assert!(plan(&e, 6, &default_followup_kinds(), now).is_empty());
}

#[test]
fn chosen_kinds_are_asked_a_few_hours_later_and_next_morning() {
    let e = episode(
        BuiltinKind::Exercise,
        "2026-06-01T17:00:00Z",
        "UTC",
        Some(60),
    );
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-06-01T18:00:00Z"));
    assert_eq!(
        kinds_of(&planned),
        vec![PromptKind::After, PromptKind::Later, PromptKind::Morning]
    );
    assert_eq!(planned[1].scheduled_at, t("2026-06-01T21:00:00Z"));
    assert_eq!(planned[1].closes_at, t("2026-06-01T23:00:00Z"));
    assert_eq!(planned[2].scheduled_at, t("2026-06-02T05:00:00Z"));
    assert_eq!(planned[2].closes_at, t("2026-06-02T12:00:00Z"));
    let none = BTreeSet::new();
    let planned = plan(&e, 6, &none, t("2026-06-01T18:00:00Z"));
    assert_eq!(kinds_of(&planned), vec![PromptKind::After]);
}

#[test]
fn a_later_rating_already_given_asks_nothing_later() {
    let mut e = episode(BuiltinKind::Exercise, "2026-06-01T17:00:00Z", "UTC", None);
    if let EntryBody::Episode(ep) = &mut e.body {
        ep.mood_after = Some(r(6));
        ep.followup = Some(r(6));
        ep.followup_at = Some(t("2026-06-01T17:00:00Z"));
    }
    assert!(plan(&e, 6, &default_followup_kinds(), t("2026-06-01T17:00:00Z")).is_empty());
}

#[test]
fn an_episode_logged_after_its_windows_closed_asks_nothing() {
    let e = episode(BuiltinKind::Exercise, "2026-06-01T07:00:00Z", "UTC", None);
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-06-03T09:00:00Z"));
    assert!(planned.is_empty(), "{planned:?}");
    // Logged the next morning: only the morning is still open.
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-06-02T09:00:00Z"));
    assert_eq!(kinds_of(&planned), vec![PromptKind::Morning]);
}

#[test]
fn next_morning_is_five_to_noon_local_across_daylight_saving_changes() {
    // London springs forward at 01:00 GMT on 29 March 2026.
    let e = episode(
        BuiltinKind::Intimacy,
        "2026-03-28T22:00:00Z",
        "Europe/London",
        None,
    );
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-03-28T22:00:00Z"));
    let later = planned
        .iter()
        .find(|p| p.kind == PromptKind::Later)
        .unwrap();
    assert_eq!(
        later.scheduled_at,
        t("2026-03-29T01:00:00Z"),
        "three real hours"
    );
    let morning = planned
        .iter()
        .find(|p| p.kind == PromptKind::Morning)
        .unwrap();
    assert_eq!(morning.scheduled_at, t("2026-03-29T04:00:00Z"), "05:00 BST");
    assert_eq!(morning.closes_at, t("2026-03-29T11:00:00Z"), "12:00 BST");
    // And falls back at 02:00 BST on 25 October 2026.
    let e = episode(
        BuiltinKind::Intimacy,
        "2026-10-24T22:00:00Z",
        "Europe/London",
        None,
    );
    let planned = plan(&e, 6, &default_followup_kinds(), t("2026-10-24T22:00:00Z"));
    let morning = planned
        .iter()
        .find(|p| p.kind == PromptKind::Morning)
        .unwrap();
    assert_eq!(morning.scheduled_at, t("2026-10-25T05:00:00Z"), "05:00 GMT");
    assert_eq!(morning.closes_at, t("2026-10-25T12:00:00Z"));
}

#[test]
fn next_morning_follows_the_zone_the_episode_was_logged_in() {
    // 02:00 UTC is 22:00 the evening before in New York, 03:00 in London.
    let at = "2026-06-01T02:00:00Z";
    let now = t(at);
    let ny = episode(BuiltinKind::SexSolo, at, "America/New_York", None);
    let m = plan(&ny, 6, &default_followup_kinds(), now);
    let m = m.iter().find(|p| p.kind == PromptKind::Morning).unwrap();
    assert_eq!(
        m.scheduled_at,
        t("2026-06-01T09:00:00Z"),
        "05:00 EDT on 1 June"
    );
    let london = episode(BuiltinKind::SexSolo, at, "Europe/London", None);
    let m = plan(&london, 6, &default_followup_kinds(), now);
    let m = m.iter().find(|p| p.kind == PromptKind::Morning).unwrap();
    assert_eq!(
        m.scheduled_at,
        t("2026-06-01T04:00:00Z"),
        "03:00 is still the night: 05:00 BST the same day"
    );
}

#[test]
fn a_prompt_is_waiting_then_due_then_missed_and_an_answer_says_if_it_was_late() {
    let p = prompt(
        PromptKind::After,
        "2026-06-01T18:00:00Z",
        "2026-06-02T00:00:00Z",
    );
    assert_eq!(p.status(t("2026-06-01T17:59:59Z")), PromptStatus::Waiting);
    assert_eq!(p.status(t("2026-06-01T18:00:00Z")), PromptStatus::Due);
    assert_eq!(p.status(t("2026-06-02T00:00:00Z")), PromptStatus::Due);
    assert_eq!(p.status(t("2026-06-02T00:00:01Z")), PromptStatus::Missed);
    let mut ep = Episode::new(Kind::Builtin(BuiltinKind::Art));
    let mut on_time = p.clone();
    on_time
        .answer(&mut ep, r(7), t("2026-06-01T20:00:00Z"))
        .unwrap();
    assert_eq!(ep.mood_after, Some(r(7)));
    assert_eq!(
        on_time.status(t("2026-06-09T00:00:00Z")),
        PromptStatus::Answered
    );
    let mut late = p.clone();
    late.answer(&mut ep, r(3), t("2026-06-02T08:00:00Z"))
        .unwrap();
    assert_eq!(late.status(t("2026-06-09T00:00:00Z")), PromptStatus::Late);
    assert_eq!(late.rating, Some(r(3)), "a late answer is kept");
    let mut put_aside = p;
    put_aside.dismiss(t("2026-06-01T19:00:00Z")).unwrap();
    assert_eq!(
        put_aside.status(t("2026-06-01T19:00:00Z")),
        PromptStatus::Dismissed
    );
    assert!(
        put_aside
            .answer(&mut ep, r(5), t("2026-06-01T19:30:00Z"))
            .is_err()
    );
    assert!(put_aside.dismiss(t("2026-06-01T19:30:00Z")).is_err());
}

#[test]
fn a_later_answer_fills_the_followup_with_the_time_it_was_given() {
    let mut p = prompt(
        PromptKind::Morning,
        "2026-06-02T05:00:00Z",
        "2026-06-02T12:00:00Z",
    );
    let mut ep = Episode::new(Kind::Builtin(BuiltinKind::Exercise));
    let early = p.answer(&mut ep, r(6), t("2026-06-02T04:00:00Z"));
    assert!(
        early.is_err(),
        "an answer before the window opens is not a morning answer"
    );
    assert_eq!(ep.followup, None);
    p.answer(&mut ep, r(6), t("2026-06-02T07:30:00Z")).unwrap();
    assert_eq!(ep.followup, Some(r(6)));
    assert_eq!(ep.followup_at, Some(t("2026-06-02T07:30:00Z")));
    assert_eq!(ep.mood_after, None);
    assert!(
        p.answer(&mut ep, r(2), t("2026-06-02T08:00:00Z")).is_err(),
        "answered once"
    );
}

#[test]
fn an_edit_answers_the_prompt_it_fills_and_marks_a_late_one() {
    let after = prompt(
        PromptKind::After,
        "2026-06-01T18:00:00Z",
        "2026-06-02T00:00:00Z",
    );
    let later = Prompt {
        id: EntryId::parse("00000000p2").unwrap(),
        ..prompt(
            PromptKind::Later,
            "2026-06-01T21:00:00Z",
            "2026-06-01T23:00:00Z",
        )
    };
    let morning = Prompt {
        id: EntryId::parse("00000000p3").unwrap(),
        ..prompt(
            PromptKind::Morning,
            "2026-06-02T05:00:00Z",
            "2026-06-02T12:00:00Z",
        )
    };
    let prompts = [after, later, morning];
    let before = Episode::new(Kind::Builtin(BuiltinKind::Exercise));
    let mut edited = before.clone();
    edited.mood_after = Some(r(6));
    let done = answered_by_edit(&prompts, &before, &edited, t("2026-06-02T03:00:00Z"));
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].kind, PromptKind::After);
    assert_eq!(
        done[0].status(t("2026-06-03T00:00:00Z")),
        PromptStatus::Late
    );
    let mut edited = before.clone();
    edited.followup = Some(r(5));
    edited.followup_at = Some(t("2026-06-02T06:00:00Z"));
    let done = answered_by_edit(&prompts, &before, &edited, t("2026-06-02T06:00:00Z"));
    assert_eq!(done.len(), 1);
    assert_eq!(
        done[0].kind,
        PromptKind::Morning,
        "the latest window opened by then"
    );
    assert_eq!(
        done[0].status(t("2026-06-03T00:00:00Z")),
        PromptStatus::Answered
    );
    let unchanged = answered_by_edit(&prompts, &edited, &edited, t("2026-06-02T06:00:00Z"));
    assert!(unchanged.is_empty());
}

#[test]
fn a_prompt_that_contradicts_itself_is_refused() {
    let mut p = prompt(
        PromptKind::After,
        "2026-06-01T18:00:00Z",
        "2026-06-01T18:00:00Z",
    );
    assert!(p.validate().is_err(), "empty window");
    p.closes_at = t("2026-06-01T19:00:00Z");
    assert!(p.validate().is_ok());
    p.rating = Some(r(3));
    assert!(p.validate().is_err(), "a rating with no answer time");
    p.answered_at = Some(t("2026-06-01T18:30:00Z"));
    p.dismissed_at = Some(t("2026-06-01T18:30:00Z"));
    assert!(p.validate().is_err(), "answered and dismissed");
}

fn planned_prompts(e: &Entry) -> Vec<Prompt> {
    plan(e, 6, &default_followup_kinds(), e.recorded_at)
        .into_iter()
        .map(|p| Prompt {
            scheduled_at: p.scheduled_at,
            closes_at: p.closes_at,
            ..prompt(p.kind, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z")
        })
        .collect()
}

#[test]
fn an_edit_that_moves_an_episode_moves_its_open_windows_with_it() {
    // Logged ahead at 18:00 for 30 minutes, then moved to 20:00 for an hour.
    let mut before = episode(
        BuiltinKind::Exercise,
        "2026-06-01T18:00:00Z",
        "UTC",
        Some(30),
    );
    before.recorded_at = t("2026-06-01T12:00:00Z");
    let mut prompts = planned_prompts(&before);
    assert_eq!(prompts.len(), 3);
    prompts[2].dismissed_at = Some(t("2026-06-01T12:01:00Z"));
    let mut after = before.clone();
    after.at = t("2026-06-01T20:00:00Z");
    if let EntryBody::Episode(ep) = &mut after.body {
        ep.minutes = Some(60);
    }
    let moved = moved(&prompts, &before, &after);
    assert_eq!(moved.len(), 2, "a dismissed prompt stays as it was");
    assert_eq!(moved[0].kind, PromptKind::After);
    assert_eq!(
        (moved[0].scheduled_at, moved[0].closes_at),
        (t("2026-06-01T21:00:00Z"), t("2026-06-02T03:00:00Z")),
        "the window keeps its six hours"
    );
    assert_eq!(
        (moved[1].scheduled_at, moved[1].closes_at),
        (t("2026-06-02T00:00:00Z"), t("2026-06-02T02:00:00Z"))
    );
    assert!(moved.iter().all(|m| prompts.iter().any(|p| p.id == m.id)));
}

#[test]
fn an_edit_into_another_zone_asks_next_morning_on_the_new_clock() {
    let mut before = episode(BuiltinKind::Intimacy, "2026-06-01T21:00:00Z", "UTC", None);
    before.recorded_at = t("2026-06-01T21:00:00Z");
    let prompts = planned_prompts(&before);
    let mut after = before.clone();
    after.tz = "America/New_York".into();
    let moved = moved(&prompts, &before, &after);
    assert_eq!(moved.len(), 1, "only the morning depends on the zone");
    assert_eq!(moved[0].kind, PromptKind::Morning);
    // 21:00 UTC is 17:00 in New York (EDT): the next morning there is 2 June.
    assert_eq!(moved[0].scheduled_at, t("2026-06-02T09:00:00Z"));
    assert_eq!(moved[0].closes_at, t("2026-06-02T16:00:00Z"));
}

#[test]
fn an_edit_that_changes_no_time_moves_nothing_and_a_window_moved_past_closes() {
    let mut before = episode(
        BuiltinKind::Exercise,
        "2026-06-01T18:00:00Z",
        "UTC",
        Some(30),
    );
    before.recorded_at = t("2026-06-01T18:30:00Z");
    let prompts = planned_prompts(&before);
    let mut same = before.clone();
    if let EntryBody::Episode(ep) = &mut same.body {
        ep.note = Some("a walk".into());
    }
    assert!(moved(&prompts, &before, &same).is_empty());
    let mut earlier = before.clone();
    earlier.at = t("2026-05-20T18:00:00Z");
    let moved = moved(&prompts, &before, &earlier);
    assert_eq!(moved.len(), 3);
    let now = t("2026-06-01T18:31:00Z");
    assert!(
        moved.iter().all(|p| p.status(now) == PromptStatus::Missed),
        "kept, and counted as missed"
    );
}
