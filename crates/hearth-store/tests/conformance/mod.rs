//! The behaviour every `Store` backend must have. Each backend's test file
//! builds a fresh store and calls `run_all`.

/// Every single-person behaviour, named once so each backend runs all of
/// them: `single_user_suite!(m)` calls `m!(name, …)` with the list.
macro_rules! single_user_suite {
    ($m:ident) => {
        $m!(
            every_field_round_trips,
            list_filters,
            a_bad_batch_writes_nothing,
            update_and_delete,
            medication_histories_stay_coherent,
            custom_kinds_must_exist,
            settings_round_trip,
            surveys_and_crisis_events,
            personal_contacts,
            appointment_questions,
            prompts_keep_their_times,
        );
    };
}

mod partners;
mod prompts;
pub use partners::partners;
pub use prompts::{prompts_are_private, prompts_keep_their_times, prompts_restore};

use hearth_core::Settings;
use hearth_core::kind::Kind;
use hearth_core::model::{CheckIn, Episode, MedicationEvent};
use hearth_core::vocab::{
    BuiltinKind, DoseUnit, DrugClass, EntryType, ExerciseType, Feeling, MedEventKind, Motive,
    ReportSection, Touch,
};
use hearth_core::{Entry, EntryBody, EntryId, Rating, SurveyResponse};
use hearth_store::{Filter, NewEntry, Only, Store, StoreError, UserId};
use jiff::{SignedDuration, Timestamp};

pub fn now() -> Timestamp {
    "2026-05-20T12:00:00Z".parse().unwrap()
}

pub fn hours_ago(h: i64) -> Timestamp {
    now() - SignedDuration::from_hours(h)
}

pub fn r(v: i64) -> Option<Rating> {
    Some(Rating::new("x", v).unwrap())
}

pub fn full_checkin() -> CheckIn {
    CheckIn {
        mood: r(6).unwrap(),
        energy: r(4),
        stress: r(7),
        loneliness: r(3),
        desire: r(2),
        sleep_hours: Some(6.5),
        sleep_quality: r(5),
        note: Some("Rain all day; \"quotes\", commas and ünïcode ✓".into()),
        tags: vec!["work".into(), "family".into()],
        not_safe: true,
    }
}

pub fn full_sex() -> Episode {
    let mut e = Episode::new(Kind::Builtin(BuiltinKind::SexPartnered));
    e.minutes = Some(40);
    e.mood_before = r(5);
    e.mood_after = r(3);
    e.followup = r(4);
    e.followup_at = Some(hours_ago(1));
    e.note = Some("private".into());
    e.pressured = true;
    e.protection = Some(false);
    e.new_partner = true;
    e.motive = Some(Motive::Escape);
    e.feelings = vec![Feeling::Tearful, Feeling::Empty];
    e.satisfaction = r(4);
    e
}

fn new(at: Timestamp, body: EntryBody) -> NewEntry {
    NewEntry {
        at,
        tz: "Europe/Paris".into(),
        body,
    }
}

pub fn episode(kind: BuiltinKind, at: Timestamp) -> NewEntry {
    let mut e = Episode::new(Kind::Builtin(kind));
    e.mood_before = r(4);
    e.mood_after = r(6);
    new(at, EntryBody::Episode(e))
}

fn med(event: MedEventKind, dose: Option<f64>, at: Timestamp) -> NewEntry {
    new(
        at,
        EntryBody::Medication(MedicationEvent {
            medication: "Sertraline".into(),
            class: DrugClass::Ssri,
            event,
            dose,
            unit: DoseUnit::Mg,
        }),
    )
}

async fn all(store: &dyn Store, user: UserId) -> Vec<hearth_core::Entry> {
    store.list(user, &Filter::default()).await.unwrap()
}

pub async fn every_field_round_trips(store: &dyn Store, user: UserId) {
    let mut porn = Episode::new(Kind::Builtin(BuiltinKind::Porn));
    porn.in_control = r(3);
    porn.minutes = Some(20);
    let mut hug = Episode::new(Kind::Builtin(BuiltinKind::Intimacy));
    hug.touch = Some(Touch::Massage);
    let mut run = Episode::new(Kind::Builtin(BuiltinKind::Exercise));
    run.exercise_type = Some(ExerciseType::Strength);
    let wanted = vec![
        // Nanoseconds are trimmed to the stored microseconds on the way in.
        new(
            hours_ago(10) + SignedDuration::from_nanos(123_456_789),
            EntryBody::Checkin(full_checkin()),
        ),
        new(hours_ago(9), EntryBody::Episode(full_sex())),
        new(hours_ago(8), EntryBody::Episode(porn)),
        new(hours_ago(7), EntryBody::Episode(hug)),
        new(hours_ago(6), EntryBody::Episode(run)),
        med(MedEventKind::Start, Some(50.0), hours_ago(5)),
        med(MedEventKind::Change, Some(75.5), hours_ago(4)),
        med(MedEventKind::Stop, None, hours_ago(3)),
    ];
    let saved = store.insert(user, &wanted, now()).await.unwrap();
    assert_eq!(saved.len(), wanted.len());
    for (s, w) in saved.iter().zip(&wanted) {
        assert_eq!(s.at.as_microsecond(), w.at.as_microsecond());
        assert_eq!((&s.tz, &s.body), (&w.tz, &w.body));
        assert_eq!(s.recorded_at, now());
        let got = store.get(user, &s.id).await.unwrap().expect("stored");
        assert_eq!(&got, s);
    }
    let listed = all(store, user).await;
    assert_eq!(listed.len(), wanted.len());
    assert!(
        listed.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
}

pub async fn list_filters(store: &dyn Store, user: UserId) {
    let entries = vec![
        episode(BuiltinKind::Exercise, hours_ago(50)),
        episode(BuiltinKind::Art, hours_ago(30)),
        new(hours_ago(20), EntryBody::Checkin(full_checkin())),
        episode(BuiltinKind::Exercise, hours_ago(10)),
    ];
    store.insert(user, &entries, now()).await.unwrap();
    let f =
        |only: Option<Only>, since: Option<i64>, until: Option<i64>, limit: Option<u32>| Filter {
            since: since.map(hours_ago),
            until: until.map(hours_ago),
            only,
            limit,
        };
    let ex = store
        .list(
            user,
            &f(
                Some(Only::Kind(Kind::Builtin(BuiltinKind::Exercise))),
                None,
                None,
                None,
            ),
        )
        .await
        .unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].at, hours_ago(10));
    let checkins = store
        .list(
            user,
            &f(Some(Only::Type(EntryType::Checkin)), None, None, None),
        )
        .await
        .unwrap();
    assert_eq!(checkins.len(), 1);
    let window = store
        .list(user, &f(None, Some(30), Some(20), None))
        .await
        .unwrap();
    assert_eq!(
        window.iter().map(|e| e.at).collect::<Vec<_>>(),
        [hours_ago(20), hours_ago(30)]
    );
    let newest = store
        .list(user, &f(None, None, None, Some(1)))
        .await
        .unwrap();
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].at, hours_ago(10));
    // A kind and a window together: only the exercise inside the window.
    let exercise = Some(Only::Kind(Kind::Builtin(BuiltinKind::Exercise)));
    let in_window = store
        .list(user, &f(exercise.clone(), Some(60), Some(20), None))
        .await
        .unwrap();
    assert_eq!(
        in_window.iter().map(|e| e.at).collect::<Vec<_>>(),
        [hours_ago(50)]
    );
    let newest_exercise = store
        .list(user, &f(exercise, None, None, Some(1)))
        .await
        .unwrap();
    assert_eq!(
        newest_exercise.iter().map(|e| e.at).collect::<Vec<_>>(),
        [hours_ago(10)]
    );
}

pub async fn a_bad_batch_writes_nothing(store: &dyn Store, user: UserId) {
    store
        .insert(user, &[episode(BuiltinKind::Art, hours_ago(5))], now())
        .await
        .unwrap();
    let before = all(store, user).await;
    let mut wrong = Episode::new(Kind::Builtin(BuiltinKind::Art));
    wrong.motive = Some(Motive::Pleasure);
    let batch = vec![
        episode(BuiltinKind::Exercise, hours_ago(2)),
        new(hours_ago(1), EntryBody::Episode(wrong)),
    ];
    match store.insert(user, &batch, now()).await {
        Err(StoreError::Invalid(v)) => assert_eq!(v[0].field(), "motive"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let future = vec![episode(
        BuiltinKind::Exercise,
        now() + SignedDuration::from_hours(25),
    )];
    assert!(matches!(
        store.insert(user, &future, now()).await,
        Err(StoreError::Invalid(_))
    ));
    // A timeline error is found only after writing, inside the transaction.
    let timeline = vec![
        episode(BuiltinKind::Exercise, hours_ago(2)),
        med(MedEventKind::Change, Some(5.0), hours_ago(1)),
    ];
    assert!(matches!(
        store.insert(user, &timeline, now()).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(all(store, user).await, before);
}

pub async fn update_and_delete(store: &dyn Store, user: UserId) {
    let saved = store
        .insert(
            user,
            &[new(hours_ago(3), EntryBody::Checkin(full_checkin()))],
            now(),
        )
        .await
        .unwrap();
    let mut e = saved[0].clone();
    let later = now() + SignedDuration::from_mins(5);
    if let EntryBody::Checkin(c) = &mut e.body {
        c.mood = Rating::new("mood", 2).unwrap();
        c.note = None;
    }
    let updated = store.update(user, &e, later).await.unwrap();
    assert_eq!(updated.recorded_at, now());
    assert_eq!(updated.updated_at, later);
    assert_eq!(store.get(user, &e.id).await.unwrap().unwrap(), updated);

    let mut changed_type = updated.clone();
    changed_type.body = EntryBody::Episode(Episode::new(Kind::Builtin(BuiltinKind::Art)));
    assert!(store.update(user, &changed_type, later).await.is_err());
    let mut bad = updated.clone();
    bad.tz = "Not/AZone".into();
    assert!(store.update(user, &bad, later).await.is_err());
    assert_eq!(store.get(user, &e.id).await.unwrap().unwrap(), updated);

    let ghost = EntryId::from_bits(12345);
    let mut missing = updated.clone();
    missing.id = ghost.clone();
    assert!(matches!(
        store.update(user, &missing, later).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.delete(user, &e.id).await.unwrap());
    assert!(!store.delete(user, &e.id).await.unwrap());
    assert!(store.get(user, &e.id).await.unwrap().is_none());
}

pub async fn medication_histories_stay_coherent(store: &dyn Store, user: UserId) {
    let start = store
        .insert(
            user,
            &[med(MedEventKind::Start, Some(50.0), hours_ago(100))],
            now(),
        )
        .await
        .unwrap();
    // A second start while taking it is refused, whatever the spelling.
    let mut again = med(MedEventKind::Start, Some(50.0), hours_ago(50));
    if let EntryBody::Medication(m) = &mut again.body {
        m.medication = "SERTRALINE".into();
    }
    assert!(store.insert(user, &[again], now()).await.is_err());
    store
        .insert(
            user,
            &[med(MedEventKind::Change, Some(100.0), hours_ago(40))],
            now(),
        )
        .await
        .unwrap();
    // A dose taken is kept on both backends, and is no step of the history.
    store
        .insert(
            user,
            &[med(MedEventKind::Taken, None, hours_ago(30))],
            now(),
        )
        .await
        .unwrap();
    let m = &store.medications(user).await.unwrap()[0];
    assert_eq!((m.dose, m.history.len()), (Some(100.0), 2));
    assert_eq!(m.last_taken, Some(hours_ago(30)));
    assert!(
        store
            .insert(
                user,
                &[med(MedEventKind::Taken, None, hours_ago(200))],
                now()
            )
            .await
            .is_err(),
        "not before it was started"
    );
    // Deleting the start would leave a change with nothing before it.
    assert!(store.delete(user, &start[0].id).await.is_err());
    let meds = store.medications(user).await.unwrap();
    assert_eq!(meds.len(), 1);
    assert_eq!(meds[0].dose, Some(100.0));
    assert!(meds[0].taking);
    assert_eq!(meds[0].started_at, hours_ago(100));
    store
        .insert(user, &[med(MedEventKind::Stop, None, hours_ago(1))], now())
        .await
        .unwrap();
    let meds = store.medications(user).await.unwrap();
    assert!(!meds[0].taking);
    assert_eq!(meds[0].events, 3);
}

pub async fn custom_kinds_must_exist(store: &dyn Store, user: UserId) {
    let garden = Kind::new_custom("gardening").unwrap();
    let entry = new(
        hours_ago(1),
        EntryBody::Episode(Episode::new(garden.clone())),
    );
    assert!(
        store
            .insert(user, std::slice::from_ref(&entry), now())
            .await
            .is_err()
    );
    assert!(store.add_custom_kind(user, &garden, now()).await.unwrap());
    assert!(!store.add_custom_kind(user, &garden, now()).await.unwrap());
    assert_eq!(store.custom_kinds(user).await.unwrap(), ["gardening"]);
    store.insert(user, &[entry], now()).await.unwrap();
    let listed = store
        .list(
            user,
            &Filter {
                only: Some(Only::Kind(garden)),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
}

pub async fn settings_round_trip(store: &dyn Store, user: UserId) {
    let mut wanted = Settings::for_zone("America/Chicago");
    assert_eq!(wanted.region, "us");
    wanted.region = "gb".into();
    wanted.cadence.insert("phq9".into(), 21);
    store.set_settings(user, &wanted).await.unwrap();
    assert_eq!(store.settings(user).await.unwrap(), wanted);
    // What a person chose to track, hide and keep private, and when the
    // journal began; an empty choice of questionnaires stays a choice.
    let started: jiff::Timestamp = "2026-02-03T04:05:06.789Z".parse().unwrap();
    let mut chosen = Settings::new_journal("Europe/Dublin", started);
    chosen.hidden_kinds = ["porn".to_string(), "art".to_string()].into();
    chosen.discreet = true;
    chosen.demo = true;
    chosen.after_hours = Some(3);
    chosen.followup_kinds = Some(["exercise".to_string(), "art".to_string()].into());
    chosen.remind_at = hearth_core::remind::parse_times("08:30,21:00").unwrap();
    chosen.quiet_hours = hearth_core::remind::parse_quiet("22:30-06:45").unwrap();
    store.set_settings(user, &chosen).await.unwrap();
    assert_eq!(store.settings(user).await.unwrap(), chosen);
    chosen.surveys = Some(Default::default());
    store.set_settings(user, &chosen).await.unwrap();
    assert_eq!(store.settings(user).await.unwrap(), chosen);
    store.set_settings(user, &wanted).await.unwrap();
    assert_eq!(store.settings(user).await.unwrap(), wanted);
    for bad in [
        Settings {
            tz: "Moon/Base".into(),
            ..wanted.clone()
        },
        Settings {
            region: "atlantis".into(),
            ..wanted.clone()
        },
        Settings {
            cadence: [("gad7".to_string(), 0)].into(),
            ..wanted.clone()
        },
        Settings {
            after_hours: Some(0),
            ..wanted.clone()
        },
    ] {
        assert!(store.set_settings(user, &bad).await.is_err());
    }
    assert_eq!(store.settings(user).await.unwrap(), wanted);
}

pub fn survey(crisis: bool) -> SurveyResponse {
    SurveyResponse {
        instrument: "phq9".into(),
        version: "1".into(),
        answers: vec![1, 2, 1, 0, 0, 1, 1, 0, i32::from(crisis)],
        extras: [("difficulty".to_string(), 2)].into(),
        total: 6 + i32::from(crisis),
        band: Some("mild".into()),
        crisis,
    }
}

/// Every crisis trigger is kept as an event; it goes when its entry goes.
pub async fn surveys_and_crisis_events(store: &dyn Store, user: UserId) {
    let mut safe = full_checkin();
    safe.not_safe = false;
    let saved = store
        .insert(
            user,
            &[
                new(hours_ago(5), EntryBody::Survey(survey(false))),
                new(hours_ago(4), EntryBody::Survey(survey(true))),
                new(hours_ago(3), EntryBody::Checkin(safe)),
                new(hours_ago(2), EntryBody::Checkin(full_checkin())),
            ],
            now(),
        )
        .await
        .unwrap();
    for e in &saved {
        assert_eq!(store.get(user, &e.id).await.unwrap().as_ref(), Some(e));
    }
    let events = store.crisis_events(user).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
        ["survey:phq9", "checkin"]
    );
    assert_eq!(events[0].entry_id, saved[1].id);
    assert_eq!(events[1].at, hours_ago(2));
    let mut wrong_total = survey(false);
    wrong_total.total = 27;
    assert!(
        store
            .insert(
                user,
                &[new(hours_ago(1), EntryBody::Survey(wrong_total))],
                now()
            )
            .await
            .is_err()
    );
    let surveys = store
        .list(
            user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(surveys.len(), 2);
    store.delete(user, &saved[1].id).await.unwrap();
    assert_eq!(store.crisis_events(user).await.unwrap().len(), 1);
    // An edit replaces the entry's crisis event rather than adding one, and
    // an edit that takes the crisis back takes its event with it.
    let mut edited = saved[3].clone();
    let EntryBody::Checkin(c) = &mut edited.body else {
        unreachable!()
    };
    c.note = Some("edited".into());
    store.update(user, &edited, now()).await.unwrap();
    assert_eq!(store.crisis_events(user).await.unwrap().len(), 1);
    let EntryBody::Checkin(c) = &mut edited.body else {
        unreachable!()
    };
    c.not_safe = false;
    store.update(user, &edited, now()).await.unwrap();
    assert!(store.crisis_events(user).await.unwrap().is_empty());
}

pub async fn personal_contacts(store: &dyn Store, user: UserId) {
    let c = store
        .add_contact(user, "Dr Lee", "020 7946 0000", Some("Tuesdays"), now())
        .await
        .unwrap();
    store
        .add_contact(user, "Sam", "sam@example.org", None, now())
        .await
        .unwrap();
    assert!(
        store
            .add_contact(user, " ", "x", None, now())
            .await
            .is_err()
    );
    assert!(
        store
            .add_contact(user, "Bad", "line\nbreak", None, now())
            .await
            .is_err()
    );
    let all = store.contacts(user).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], c);
    assert!(store.remove_contact(user, &c.id).await.unwrap());
    assert!(!store.remove_contact(user, &c.id).await.unwrap());
    assert_eq!(store.contacts(user).await.unwrap().len(), 1);
}

/// One person can never see, change or delete another's rows.
pub async fn users_are_isolated(store: &dyn Store, a: UserId, b: UserId) {
    let saved = store
        .insert(
            a,
            &[
                new(hours_ago(2), EntryBody::Episode(full_sex())),
                med(MedEventKind::Start, Some(20.0), hours_ago(1)),
            ],
            now(),
        )
        .await
        .unwrap();
    store
        .add_custom_kind(a, &Kind::new_custom("secret-kind").unwrap(), now())
        .await
        .unwrap();
    assert!(all(store, b).await.is_empty());
    assert!(store.medications(b).await.unwrap().is_empty());
    assert!(store.custom_kinds(b).await.unwrap().is_empty());
    store
        .insert(
            a,
            &[new(hours_ago(1), EntryBody::Survey(survey(true)))],
            now(),
        )
        .await
        .unwrap();
    store
        .add_contact(a, "A's friend", "555", None, now())
        .await
        .unwrap();
    assert!(store.crisis_events(b).await.unwrap().is_empty());
    assert!(store.contacts(b).await.unwrap().is_empty());
    let contact = &store.contacts(a).await.unwrap()[0];
    assert!(!store.remove_contact(b, &contact.id).await.unwrap());
    assert_eq!(store.count(b).await.unwrap(), 0);
    for e in &saved {
        assert!(store.get(b, &e.id).await.unwrap().is_none());
        assert!(matches!(
            store.update(b, e, now()).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(!store.delete(b, &e.id).await.unwrap());
        assert_eq!(store.get(a, &e.id).await.unwrap().as_ref(), Some(e));
    }
    // B may start a medication of the same name: timelines are per person.
    store
        .insert(
            b,
            &[med(MedEventKind::Start, Some(20.0), hours_ago(1))],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(store.count(a).await.unwrap(), 3);
    assert_eq!(store.contacts(a).await.unwrap().len(), 1);
    prompts_are_private(store, a, b).await;
}

/// Restoring one person's entries for another gives identical rows; doing it
/// again adds nothing; a conflict or a bad entry writes nothing at all.
pub async fn restore_round_trips(store: &dyn Store, a: UserId, b: UserId) {
    store
        .add_custom_kind(a, &Kind::new_custom("gardening").unwrap(), now())
        .await
        .unwrap();
    let mut garden = Episode::new(Kind::new_custom("gardening").unwrap());
    garden.mood_before = r(3);
    store
        .insert(
            a,
            &[
                new(hours_ago(9), EntryBody::Checkin(full_checkin())),
                new(hours_ago(8), EntryBody::Episode(full_sex())),
                new(hours_ago(7), EntryBody::Episode(garden)),
                new(hours_ago(6), EntryBody::Survey(survey(true))),
                med(MedEventKind::Start, Some(50.0), hours_ago(5)),
                med(MedEventKind::Change, Some(75.0), hours_ago(4)),
            ],
            now(),
        )
        .await
        .unwrap();
    store
        .add_contact(a, "Dr Lee", "020 7946 0000", Some("Tuesdays"), now())
        .await
        .unwrap();
    let wanted = hearth_store::Restore {
        custom_kinds: store.custom_kinds(a).await.unwrap(),
        contacts: store.contacts(a).await.unwrap(),
        questions: store.questions(a).await.unwrap(),
        entries: all(store, a).await,
        prompts: vec![],
        dry_run: false,
    };
    let dry = store
        .restore(
            b,
            &hearth_store::Restore {
                dry_run: true,
                ..wanted.clone()
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!((dry.added, dry.contacts_added), (6, 1));
    assert!(
        all(store, b).await.is_empty() && store.contacts(b).await.unwrap().is_empty(),
        "a dry run writes nothing"
    );
    let later = now() + SignedDuration::from_hours(1);
    let done = store.restore(b, &wanted, later).await.unwrap();
    assert_eq!(
        (
            done.added,
            done.unchanged,
            done.kinds_added,
            done.contacts_added
        ),
        (6, 0, 1, 1)
    );
    assert_eq!(all(store, b).await, wanted.entries);
    assert_eq!(store.contacts(b).await.unwrap(), wanted.contacts);
    assert_eq!(store.questions(b).await.unwrap(), wanted.questions);
    assert_eq!(store.crisis_events(b).await.unwrap().len(), 2);
    assert_eq!(
        store.medications(b).await.unwrap(),
        store.medications(a).await.unwrap()
    );

    let again = store.restore(b, &wanted, later).await.unwrap();
    assert_eq!(
        (
            again.added,
            again.unchanged,
            again.kinds_added,
            again.contacts_added
        ),
        (0, 6, 0, 0)
    );

    let before = all(store, b).await;
    let mut conflicting = wanted.clone();
    for e in &mut conflicting.entries {
        if let EntryBody::Checkin(c) = &mut e.body {
            c.note = Some("changed".into());
        }
    }
    let fresh = EntryId::from_bits(777);
    let mut extra = conflicting.entries[0].clone();
    extra.id = fresh.clone();
    conflicting.entries.insert(0, extra);
    assert!(store.restore(b, &conflicting, later).await.is_err());
    assert_eq!(
        all(store, b).await,
        before,
        "a conflict must leave everything as it was"
    );
    assert!(store.get(b, &fresh).await.unwrap().is_none());

    // An id twice in one file: the same entry counts once, a different one
    // is a conflict that writes nothing.
    let mut twice = wanted.clone();
    let mut repeat = twice
        .entries
        .iter()
        .find(|e| matches!(e.body, EntryBody::Checkin(_)))
        .unwrap()
        .clone();
    repeat.id = EntryId::from_bits(778);
    twice.entries.push(repeat.clone());
    twice.entries.push(repeat.clone());
    let done = store.restore(b, &twice, later).await.unwrap();
    assert_eq!((done.added, done.unchanged), (1, 7));
    let mut clash = wanted.clone();
    let mut other = repeat.clone();
    other.id = EntryId::from_bits(779);
    let mut changed = other.clone();
    if let EntryBody::Checkin(c) = &mut changed.body {
        c.note = Some("not the same".into());
    }
    clash.entries.extend([other.clone(), changed]);
    assert!(store.restore(b, &clash, later).await.is_err());
    assert!(store.get(b, &other.id).await.unwrap().is_none());
    let before = all(store, b).await;

    // More entries than one statement takes still go in whole.
    let many: Vec<Entry> = (0..2_500u64)
        .map(|i| {
            let mut e = repeat.clone();
            e.id = EntryId::from_bits(1_000_000 + i);
            e.at -= SignedDuration::from_secs(60 * i as i64);
            e
        })
        .collect();
    let bulk = hearth_store::Restore {
        entries: many.clone(),
        ..hearth_store::Restore::default()
    };
    let done = store.restore(b, &bulk, later).await.unwrap();
    assert_eq!(done.added, 2_500);
    for e in [&many[0], &many[1_499], &many[2_499]] {
        assert_eq!(store.get(b, &e.id).await.unwrap().as_ref(), Some(e));
    }
    assert_eq!(store.count(b).await.unwrap(), before.len() as u64 + 2_500);
    let before = all(store, b).await;

    let mut bad = wanted.clone();
    bad.entries[0].tz = "Nowhere/Land".into();
    bad.entries[0].id = fresh.clone();
    match store.restore(b, &bad, later).await {
        Err(StoreError::Invalid(v)) => assert!(v[0].to_string().contains(fresh.as_str()), "{v:?}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(all(store, b).await, before);
    prompts_restore(store, a, b, later).await;
}

pub async fn appointment_questions(store: &dyn Store, user: UserId) {
    let q = store
        .add_question(user, "  Is low desire a side effect?  ", now())
        .await
        .unwrap();
    assert_eq!(q.text, "Is low desire a side effect?");
    assert!(store.add_question(user, "   ", now()).await.is_err());
    assert!(
        store
            .add_question(user, &"x".repeat(1001), now())
            .await
            .is_err()
    );
    assert_eq!(
        store.questions(user).await.unwrap(),
        std::slice::from_ref(&q)
    );
    assert!(store.remove_question(user, &q.id).await.unwrap());
    assert!(!store.remove_question(user, &q.id).await.unwrap());
    assert!(store.questions(user).await.unwrap().is_empty());
}

/// Accounts: sign-up with and without invitations, names ignoring case,
/// disabling, and a hard delete that leaves not one row of the person while
/// everyone else's stay.
pub async fn accounts<S: Store + hearth_store::Accounts>(store: &S) {
    let existing = store.accounts().await.unwrap().len();
    let a = store.register("Alex", "hash-a", None, now()).await.unwrap();
    let err = store
        .register("alex", "hash-x", None, now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("taken"), "{err}");
    let got = store.account("ALEX").await.unwrap().unwrap();
    assert_eq!(
        (got.id, got.password_hash.as_deref(), got.disabled),
        (a, Some("hash-a"), false)
    );

    // Invitations: used once, before they expire.
    let later = now() + SignedDuration::from_hours(24);
    store.create_invite("code-1", now(), later).await.unwrap();
    store
        .create_invite(
            "old",
            now() - SignedDuration::from_hours(48),
            now() - SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    let b = store
        .register("blake", "hash-b", Some("code-1"), now())
        .await
        .unwrap();
    for (name, code) in [("casey", "code-1"), ("casey", "old"), ("casey", "nope")] {
        let e = store
            .register(name, "h", Some(code), now())
            .await
            .unwrap_err();
        assert!(e.to_string().contains("invitation"), "{code}: {e}");
    }
    assert!(
        store.account("casey").await.unwrap().is_none(),
        "a refused sign-up writes nothing"
    );
    // A taken name does not use up the invitation.
    store.create_invite("code-2", now(), later).await.unwrap();
    assert!(
        store
            .register("blake", "h", Some("code-2"), now())
            .await
            .is_err()
    );
    store
        .register("casey", "h", Some("code-2"), now())
        .await
        .unwrap();

    assert!(store.set_disabled("BLAKE", true).await.unwrap());
    assert!(store.account_by_id(b).await.unwrap().unwrap().disabled);
    assert!(!store.set_disabled("nobody", true).await.unwrap());
    store.set_password(a, "hash-a2").await.unwrap();
    assert_eq!(
        store
            .account("alex")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("hash-a2")
    );
    assert_eq!(store.accounts().await.unwrap().len(), existing + 3);

    // Fill both people's journals, then delete one of them for good.
    for user in [a, b] {
        store
            .add_custom_kind(user, &Kind::new_custom("gardening").unwrap(), now())
            .await
            .unwrap();
        store
            .insert(
                user,
                &[
                    NewEntry {
                        at: hours_ago(3),
                        tz: "UTC".into(),
                        body: EntryBody::Checkin(full_checkin()),
                    },
                    NewEntry {
                        at: hours_ago(2),
                        tz: "UTC".into(),
                        body: EntryBody::Episode(full_sex()),
                    },
                ],
                now(),
            )
            .await
            .unwrap();
        store
            .add_contact(user, "Sam", "0123", None, now())
            .await
            .unwrap();
        store.add_question(user, "Why?", now()).await.unwrap();
    }
    let b_rows = store.rows_of(b).await.unwrap();
    assert!(store.rows_of(a).await.unwrap() >= 8);
    assert!(store.delete_account(a).await.unwrap());
    assert_eq!(
        store.rows_of(a).await.unwrap(),
        0,
        "every row of the person is gone"
    );
    assert_eq!(store.rows_of(b).await.unwrap(), b_rows, "nobody else's");
    assert!(store.account("alex").await.unwrap().is_none());
    assert!(!store.delete_account(a).await.unwrap());
}

/// Share links: opened by their secret until revoked or expired, each view
/// recorded with a network prefix; one person's links are theirs alone.
pub async fn shares<S: Store + hearth_store::Shares>(store: &S, a: UserId, b: UserId) {
    let (from, to) = (
        jiff::civil::date(2026, 2, 1),
        jiff::civil::date(2026, 4, 30),
    );
    let later = now() + SignedDuration::from_hours(24 * 14);
    let scope = |from, to| hearth_store::ShareScope {
        from,
        to,
        leave_out: vec![ReportSection::Sex, ReportSection::Notices],
    };
    let link = store
        .create_share(a, "hash-1", &scope(from, to), now(), later)
        .await
        .unwrap();
    assert_eq!(link.leave_out, [ReportSection::Sex, ReportSection::Notices]);
    assert!(
        store
            .create_share(a, "hash-x", &scope(to, from), now(), later)
            .await
            .is_err(),
        "backwards period"
    );
    assert!(
        store
            .create_share(a, "hash-y", &scope(from, to), now(), now())
            .await
            .is_err(),
        "already expired"
    );
    assert_eq!(store.shares(a).await.unwrap(), vec![link.clone()]);
    assert!(store.shares(b).await.unwrap().is_empty());

    let (owner, opened) = store
        .open_share("hash-1", now(), "192.0.2.0/24")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (owner, opened.id.clone(), opened.views),
        (a, link.id.clone(), 1)
    );
    store
        .open_share(
            "hash-1",
            now() + SignedDuration::from_hours(1),
            "2001:db8:1::/48",
        )
        .await
        .unwrap()
        .unwrap();
    let views = store.share_views(a, &link.id).await.unwrap();
    assert_eq!(
        views.iter().map(|v| v.network.as_str()).collect::<Vec<_>>(),
        ["2001:db8:1::/48", "192.0.2.0/24"]
    );
    assert!(
        store.share_views(b, &link.id).await.unwrap().is_empty(),
        "another person sees no views"
    );
    assert!(
        store
            .open_share("unknown", now(), "x")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .open_share("hash-1", later, "x")
            .await
            .unwrap()
            .is_none(),
        "expired"
    );

    assert!(
        !store.revoke_share(b, &link.id, now()).await.unwrap(),
        "not theirs to revoke"
    );
    assert!(
        store
            .open_share("hash-1", now(), "x")
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.revoke_share(a, &link.id, now()).await.unwrap());
    assert!(
        !store.revoke_share(a, &link.id, now()).await.unwrap(),
        "once"
    );
    assert!(
        store
            .open_share("hash-1", now(), "x")
            .await
            .unwrap()
            .is_none(),
        "revoked"
    );
    let listed = store.shares(a).await.unwrap();
    assert_eq!(listed[0].views, 3, "refused openings are not counted");
    assert!(!listed[0].is_live(now()));
}

/// Sessions: found by their hash until they expire, sliding when used, ended
/// one by one or all of a person's at once, and gone with the account; one
/// form-token secret for every caller.
pub async fn sessions<S: Store + hearth_store::Accounts + hearth_store::Sessions>(store: &S) {
    let a = store.register("sam", "h", None, now()).await.unwrap();
    let b = store.register("kit", "h", None, now()).await.unwrap();
    let hour = SignedDuration::from_hours(1);
    let t0 = now();
    store
        .create_session("sa-1", a, t0, t0 + hour)
        .await
        .unwrap();
    store
        .create_session("sa-2", a, t0, t0 + hour)
        .await
        .unwrap();
    store
        .create_session("sb-1", b, t0, t0 + hour)
        .await
        .unwrap();
    assert!(
        store
            .create_session("sa-1", b, t0, t0 + hour)
            .await
            .is_err(),
        "a hash is unique"
    );
    assert_eq!(user_of(store, "sa-1", t0).await, Some(a));
    assert_eq!(user_of(store, "nope", t0).await, None);
    // One read brings the account and its settings with the session: the
    // defaults for a person who never chose any, every row for one who did.
    let signed = store
        .signed_in("sb-1", t0, t0 + hour)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(signed.account.username, "kit");
    assert!(!signed.account.disabled);
    assert_eq!(signed.settings, store.settings(b).await.unwrap());
    assert_eq!(signed.settings.tz, "UTC");
    let mut chosen = Settings::for_zone("Europe/London");
    chosen.discreet = true;
    chosen.cadence.insert("phq9".into(), 7);
    chosen.remind_at = hearth_core::remind::parse_times("09:00,20:30").unwrap();
    store.set_settings(a, &chosen).await.unwrap();
    let signed = store
        .signed_in("sa-1", t0, t0 + hour)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (signed.account.id, signed.account.username.as_str()),
        (a, "sam")
    );
    assert_eq!(signed.settings, store.settings(a).await.unwrap());
    assert_eq!(signed.settings.tz, "Europe/London");
    assert!(signed.settings.discreet);
    assert_eq!(signed.settings.remind_at.len(), 2);
    assert!(store.set_disabled("sam", true).await.unwrap());
    assert!(
        store
            .signed_in("sa-1", t0, t0 + hour)
            .await
            .unwrap()
            .unwrap()
            .account
            .disabled,
        "a disabled account's session is found, marked, for the caller to refuse"
    );
    assert!(store.set_disabled("sam", false).await.unwrap());
    // Used 50 minutes in, it lives an hour from then; unused, it ends on time.
    let t50 = t0 + SignedDuration::from_mins(50);
    assert_eq!(user_of(store, "sa-1", t50).await, Some(a));
    let t70 = t0 + SignedDuration::from_mins(70);
    assert_eq!(user_of(store, "sa-1", t70).await, Some(a));
    assert_eq!(user_of(store, "sa-2", t70).await, None);
    assert_eq!(user_of(store, "sb-1", t70).await, None);
    // Expired ones are swept when the next session is made.
    store
        .create_session("sb-2", b, t70, t70 + hour)
        .await
        .unwrap();
    store.end_session("sb-2").await.unwrap();
    assert_eq!(user_of(store, "sb-2", t70).await, None);
    store
        .create_session("sa-3", a, t70, t70 + hour)
        .await
        .unwrap();
    store
        .create_session("sb-3", b, t70, t70 + hour)
        .await
        .unwrap();
    store.end_sessions_of(a).await.unwrap();
    for gone in ["sa-1", "sa-3"] {
        assert_eq!(user_of(store, gone, t70).await, None);
    }
    assert_eq!(user_of(store, "sb-3", t70).await, Some(b));
    // Deleting the account takes its sessions with it.
    assert!(store.delete_account(b).await.unwrap());
    assert_eq!(user_of(store, "sb-3", t70).await, None);
    assert_eq!(store.rows_of(b).await.unwrap(), 0);
    let first = store.server_secret("first").await.unwrap();
    assert_eq!(first, "first");
    assert_eq!(store.server_secret("second").await.unwrap(), "first");
    pending_imports(store, a).await;
}

/// Checked import files: taken once, by their own session and person only,
/// a person's oldest making way for their newest, and a full store refusing
/// rather than pushing out someone else's.
/// Whose live session `hash` is at `t`, its end moved to an hour later.
async fn user_of<S: hearth_store::Sessions>(store: &S, hash: &str, t: Timestamp) -> Option<UserId> {
    let hour = SignedDuration::from_hours(1);
    store
        .signed_in(hash, t, t + hour)
        .await
        .unwrap()
        .map(|s| s.account.id)
}

async fn pending_imports<S: Store + hearth_store::Accounts + hearth_store::Sessions>(
    store: &S,
    a: UserId,
) {
    let c = store.register("cass", "h", None, now()).await.unwrap();
    let t = now();
    let p = |id: &str, session: &str, user: UserId, mins: i64| hearth_store::PendingImport {
        id_hash: id.into(),
        user,
        session_hash: session.into(),
        format: "daylio".into(),
        mood_map: Some("tired=4".into()),
        body: format!("file {id}"),
        created_at: t + SignedDuration::from_mins(mins),
    };
    let since = t - SignedDuration::from_mins(30);
    assert!(
        store
            .put_pending(&p("a1", "sa", a, 0), since, 2, 3)
            .await
            .unwrap()
    );
    assert!(
        store
            .put_pending(&p("c1", "sc1", c, 1), since, 2, 3)
            .await
            .unwrap()
    );
    assert!(
        store
            .put_pending(&p("c2", "sc2", c, 2), since, 2, 3)
            .await
            .unwrap()
    );
    // Full: a fourth person's file is refused, nobody's is pushed out.
    let d = store.register("dee", "h", None, now()).await.unwrap();
    assert!(
        !store
            .put_pending(&p("d1", "sd", d, 3), since, 2, 3)
            .await
            .unwrap()
    );
    // Cass's third replaces her oldest.
    assert!(
        store
            .put_pending(&p("c3", "sc3", c, 4), since, 2, 3)
            .await
            .unwrap()
    );
    assert_eq!(
        store.take_pending("c1", "sc1", c, since).await.unwrap(),
        None
    );
    assert_eq!(
        store.take_pending("a1", "sa", c, since).await.unwrap(),
        None,
        "not hers"
    );
    assert_eq!(
        store.take_pending("a1", "other", a, since).await.unwrap(),
        None,
        "another browser"
    );
    let got = store
        .take_pending("a1", "sa", a, since)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got, p("a1", "sa", a, 0));
    assert_eq!(
        store.take_pending("a1", "sa", a, since).await.unwrap(),
        None,
        "once"
    );
    // Too old to take.
    let later = t + SignedDuration::from_mins(40);
    assert_eq!(
        store.take_pending("c2", "sc2", c, later).await.unwrap(),
        None
    );
    assert!(store.delete_account(c).await.unwrap());
    assert_eq!(store.rows_of(c).await.unwrap(), 0);
}
