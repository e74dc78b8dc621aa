//! Asking later, end to end over a real store: an episode logged without an
//! after-rating is asked about, the answer lands in the episode with its
//! real time, a late answer is kept and marked, and a prompt put aside is
//! never asked again.

use hearth_app::Clock;
use hearth_app::entries;
use hearth_app::prompts::{answer, dismiss, due};
use hearth_core::instrument::Registry;
use hearth_core::kind::Kind;
use hearth_core::patch::{BodyPatch, Change, EntryPatch, EpisodePatch};
use hearth_core::vocab::{BuiltinKind, PromptKind};
use hearth_core::{EntryBody, Episode, PromptStatus, Rating, Settings};
use hearth_store::{LOCAL_USER, Prompts, SqliteStore, Store};
use jiff::{SignedDuration, Timestamp};
use tempfile::TempDir;

const T: &str = "2026-06-01T17:00:00Z";

fn at(hours: f64) -> Timestamp {
    T.parse::<Timestamp>().unwrap() + SignedDuration::from_secs_f64(hours * 3600.0)
}

fn r(v: i64) -> Rating {
    Rating::new("rating", v).unwrap()
}

async fn journal() -> (TempDir, SqliteStore, Settings) {
    let dir = TempDir::new().unwrap();
    let mut settings = Settings::for_zone("Europe/London");
    settings.surveys = Some(Default::default());
    let store = SqliteStore::create(&dir.path().join("j"), None, &settings, at(-1.0))
        .await
        .unwrap();
    (dir, store, settings)
}

fn exercise() -> EntryBody {
    let mut ep = Episode::new(Kind::Builtin(BuiltinKind::Exercise));
    ep.mood_before = Some(r(3));
    EntryBody::Episode(ep)
}

fn clock(s: &Settings, hours: f64) -> Clock {
    Clock::of_settings(s, at(hours)).unwrap()
}

#[tokio::test]
async fn an_episode_is_asked_about_then_answered_with_its_real_time() {
    let (_dir, store, s) = journal().await;
    let reg = Registry::builtin();
    let e = entries::record(&store, LOCAL_USER, &clock(&s, 0.0), None, exercise())
        .await
        .unwrap();
    let made = store.prompts(LOCAL_USER, Some(&e.id)).await.unwrap();
    let kinds: Vec<PromptKind> = made.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [PromptKind::After, PromptKind::Later, PromptKind::Morning]
    );

    let now = due(&store, LOCAL_USER, &clock(&s, 0.5), &reg, true)
        .await
        .unwrap();
    assert_eq!(now.prompts.len(), 1);
    assert_eq!(now.prompts[0].prompt.kind, PromptKind::After);
    assert_eq!(
        now.prompts[0].prompt.shown_at,
        Some(at(0.5)),
        "first shown now"
    );
    assert_eq!(now.prompts[0].entry.id, e.id);
    let again = due(&store, LOCAL_USER, &clock(&s, 0.75), &reg, true)
        .await
        .unwrap();
    assert_eq!(
        again.prompts[0].prompt.shown_at,
        Some(at(0.5)),
        "and only the first time"
    );

    let (p, filled) = answer(&store, LOCAL_USER, &clock(&s, 1.0), &made[0].id, r(7))
        .await
        .unwrap();
    assert_eq!(p.status(at(9.0)), PromptStatus::Answered);
    assert!(matches!(&filled.body, EntryBody::Episode(ep) if ep.mood_after == Some(r(7))));
    assert!(
        answer(&store, LOCAL_USER, &clock(&s, 1.5), &made[0].id, r(2))
            .await
            .is_err()
    );

    // A few hours later the later prompt is open; it fills the later rating
    // with the time it was given.
    let later = due(&store, LOCAL_USER, &clock(&s, 3.5), &reg, false)
        .await
        .unwrap();
    assert_eq!(later.prompts.len(), 1);
    assert_eq!(
        later.prompts[0].prompt.shown_at, None,
        "a check that nobody saw marks nothing"
    );
    let (_, filled) = answer(&store, LOCAL_USER, &clock(&s, 3.5), &made[1].id, r(6))
        .await
        .unwrap();
    let EntryBody::Episode(ep) = &filled.body else {
        panic!()
    };
    assert_eq!((ep.followup, ep.followup_at), (Some(r(6)), Some(at(3.5))));

    // Next morning: put aside, it is not asked again and cannot be answered.
    let morning = made[2].scheduled_at;
    let c = Clock::of_settings(&s, morning + SignedDuration::from_hours(1)).unwrap();
    assert_eq!(
        due(&store, LOCAL_USER, &c, &reg, true)
            .await
            .unwrap()
            .prompts
            .len(),
        1
    );
    dismiss(&store, LOCAL_USER, &c, &made[2].id).await.unwrap();
    assert!(
        due(&store, LOCAL_USER, &c, &reg, true)
            .await
            .unwrap()
            .prompts
            .is_empty()
    );
    assert!(
        answer(&store, LOCAL_USER, &c, &made[2].id, r(5))
            .await
            .is_err()
    );
    store.close().await;
}

#[tokio::test]
async fn a_rating_given_after_its_window_is_kept_and_marked_late() {
    let (_dir, store, mut s) = journal().await;
    s.after_hours = Some(1);
    store.set_settings(LOCAL_USER, &s).await.unwrap();
    let reg = Registry::builtin();
    let e = entries::record(&store, LOCAL_USER, &clock(&s, 0.0), None, exercise())
        .await
        .unwrap();
    let after = store
        .prompts(LOCAL_USER, Some(&e.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(after.closes_at, at(1.0), "the window the person chose");
    assert!(
        due(&store, LOCAL_USER, &clock(&s, 1.5), &reg, true)
            .await
            .unwrap()
            .prompts
            .is_empty()
    );
    assert_eq!(after.status(at(1.5)), PromptStatus::Missed);

    // Rated later by editing the entry, as `hearth edit` and the pages do.
    let change = EntryPatch {
        at: Change::Keep,
        tz: Change::Keep,
        body: BodyPatch::Episode(EpisodePatch {
            mood_after: Change::Set(r(5)),
            ..EpisodePatch::default()
        }),
    };
    let edited = entries::edit(&store, LOCAL_USER, &clock(&s, 2.0), &e, change)
        .await
        .unwrap();
    assert!(matches!(&edited.body, EntryBody::Episode(ep) if ep.mood_after == Some(r(5))));
    let kept = store.prompt(LOCAL_USER, &after.id).await.unwrap().unwrap();
    assert_eq!(kept.answered_at, Some(at(2.0)));
    assert_eq!(kept.rating, Some(r(5)));
    assert_eq!(kept.status(at(3.0)), PromptStatus::Late);
    store.close().await;
}

#[tokio::test]
async fn an_edit_to_an_episodes_time_moves_the_windows_still_open() {
    let (_dir, store, s) = journal().await;
    let reg = Registry::builtin();
    let e = entries::record(&store, LOCAL_USER, &clock(&s, 0.0), None, exercise())
        .await
        .unwrap();
    let made = store.prompts(LOCAL_USER, Some(&e.id)).await.unwrap();
    dismiss(&store, LOCAL_USER, &clock(&s, 0.1), &made[0].id)
        .await
        .unwrap();
    // It really ended two hours later, after 30 minutes.
    let change = EntryPatch {
        at: Change::Set(at(1.5)),
        tz: Change::Keep,
        body: BodyPatch::Episode(EpisodePatch {
            minutes: Change::Set(30),
            ..EpisodePatch::default()
        }),
    };
    entries::edit(&store, LOCAL_USER, &clock(&s, 0.2), &e, change)
        .await
        .unwrap();
    let now = store.prompts(LOCAL_USER, Some(&e.id)).await.unwrap();
    let of = |ps: &[hearth_core::Prompt], k: PromptKind| {
        ps.iter().find(|p| p.kind == k).cloned().unwrap()
    };
    let put_aside = of(&now, PromptKind::After);
    assert_eq!(
        (put_aside.scheduled_at, put_aside.dismissed_at),
        (made[0].scheduled_at, Some(at(0.1))),
        "the prompt put aside stays put aside, where it was"
    );
    let later = of(&now, PromptKind::Later);
    assert_eq!((later.scheduled_at, later.closes_at), (at(5.0), at(7.0)));
    let morning = of(&now, PromptKind::Morning);
    assert_eq!(
        morning,
        of(&made, PromptKind::Morning),
        "still next morning"
    );
    // Due only in its new window.
    for (hours, want) in [(3.5, 0), (5.5, 1)] {
        let waiting = due(&store, LOCAL_USER, &clock(&s, hours), &reg, false)
            .await
            .unwrap();
        assert_eq!(waiting.prompts.len(), want, "at {hours} h");
    }
    store.close().await;
}

#[tokio::test]
async fn prompts_travel_in_the_lossless_export() {
    let (_dir, store, s) = journal().await;
    let c = clock(&s, 0.0);
    let e = entries::record(&store, LOCAL_USER, &c, None, exercise())
        .await
        .unwrap();
    let first = store.prompts(LOCAL_USER, None).await.unwrap();
    answer(&store, LOCAL_USER, &clock(&s, 0.5), &first[0].id, r(8))
        .await
        .unwrap();
    let export = hearth_app::export::journal(&store, LOCAL_USER, at(1.0))
        .await
        .unwrap();
    let text = export.to_json();
    assert!(text.contains("\"prompts\""));

    let (_dir2, other, _) = journal().await;
    let c2 = clock(&s, 1.0);
    let summary = hearth_app::import::run(
        &other,
        LOCAL_USER,
        &c2,
        &text,
        hearth_app::import::Format::Hearth,
        None,
        false,
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.added, 1);
    assert_eq!(
        other.prompts(LOCAL_USER, None).await.unwrap(),
        store.prompts(LOCAL_USER, None).await.unwrap()
    );
    assert!(other.get(LOCAL_USER, &e.id).await.unwrap().is_some());
    store.close().await;
    other.close().await;
}
