//! Prompts after an episode: kept with their times, found while open,
//! answered together with their episode, gone with it, and private.

use hearth_core::prompt::Planned;
use hearth_core::vocab::{BuiltinKind, PromptKind};
use hearth_core::{EntryBody, Prompt};
use hearth_store::{Store, StoreError, UserId};
use jiff::{SignedDuration, Timestamp};

use super::{episode, hours_ago, now, r};

fn window(kind: PromptKind, opens: Timestamp, hours: i64) -> Planned {
    Planned {
        kind,
        scheduled_at: opens,
        closes_at: opens + SignedDuration::from_hours(hours),
    }
}

/// An episode logged two hours ago with no after-rating, and its prompts:
/// "how do you feel now" open until four hours from now, and a later one
/// that opens in an hour.
async fn asked(store: &dyn Store, user: UserId) -> (hearth_core::Entry, Vec<Prompt>) {
    let mut ep = episode(BuiltinKind::Exercise, hours_ago(2));
    if let EntryBody::Episode(e) = &mut ep.body {
        e.mood_after = None;
    }
    let entry = store.insert(user, &[ep], now()).await.unwrap().remove(0);
    let planned = [
        window(PromptKind::After, hours_ago(2), 6),
        window(PromptKind::Later, now() + SignedDuration::from_hours(1), 2),
    ];
    let made = store.add_prompts(user, &entry.id, &planned).await.unwrap();
    (entry, made)
}

pub async fn prompts_keep_their_times(store: &dyn Store, user: UserId) {
    let (entry, made) = asked(store, user).await;
    assert_eq!(made.len(), 2);
    assert_ne!(made[0].id, made[1].id);
    assert_eq!(store.prompts(user, Some(&entry.id)).await.unwrap(), made);
    assert_eq!(store.prompts(user, None).await.unwrap(), made);
    // A period's prompts are its episodes', whenever they open or close.
    let period = |since: Timestamp, until: Timestamp| store.prompts_of_period(user, since, until);
    assert_eq!(period(hours_ago(2), hours_ago(2)).await.unwrap(), made);
    assert_eq!(period(hours_ago(30), now()).await.unwrap(), made);
    assert!(period(hours_ago(1), now()).await.unwrap().is_empty());
    assert!(
        period(hours_ago(30), hours_ago(3))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.prompt(user, &made[1].id).await.unwrap().as_ref(),
        Some(&made[1])
    );

    // Open now: only the one whose window has begun and not ended.
    let due = store.due_prompts(user, now()).await.unwrap();
    assert_eq!(due, vec![made[0].clone()]);
    let later = now() + SignedDuration::from_hours(2);
    let due = store.due_prompts(user, later).await.unwrap();
    assert_eq!(
        due.iter().map(|p| p.kind).collect::<Vec<_>>(),
        vec![PromptKind::After, PromptKind::Later]
    );
    assert!(
        store
            .due_prompts(user, now() + SignedDuration::from_hours(9))
            .await
            .unwrap()
            .is_empty()
    );

    // First shown is kept the first time only.
    let seen = Prompt {
        shown_at: Some(now()),
        ..made[0].clone()
    };
    store
        .save_prompts(user, std::slice::from_ref(&seen), None, now())
        .await
        .unwrap();
    let again = Prompt {
        shown_at: Some(later),
        ..made[0].clone()
    };
    store
        .save_prompts(user, &[again], None, later)
        .await
        .unwrap();
    assert_eq!(
        store
            .prompt(user, &made[0].id)
            .await
            .unwrap()
            .unwrap()
            .shown_at,
        Some(now())
    );

    // A window moved with its episode is kept, the rest of the prompt as it was.
    let hour = SignedDuration::from_hours(1);
    let moved = Prompt {
        scheduled_at: made[1].scheduled_at + hour,
        closes_at: made[1].closes_at + hour,
        ..made[1].clone()
    };
    store
        .save_prompts(user, std::slice::from_ref(&moved), None, now())
        .await
        .unwrap();
    assert_eq!(store.prompt(user, &made[1].id).await.unwrap(), Some(moved));
    store
        .save_prompts(user, std::slice::from_ref(&made[1]), None, now())
        .await
        .unwrap();

    // A prompt that contradicts itself is refused and changes nothing.
    let bad = Prompt {
        rating: r(5),
        ..seen.clone()
    };
    assert!(store.save_prompts(user, &[bad], None, now()).await.is_err());
    assert_eq!(
        store.prompt(user, &made[0].id).await.unwrap().unwrap(),
        seen
    );

    // An answer whose episode cannot be kept keeps nothing, prompt included.
    let mut answered = seen.clone();
    let mut broken = entry.clone();
    if let EntryBody::Episode(e) = &mut broken.body {
        answered.answer(e, r(7).unwrap(), now()).unwrap();
        e.note = Some("x".repeat(hearth_core::model::NOTE_MAX_CHARS + 1));
    }
    assert!(
        store
            .save_prompts(user, &[answered.clone()], Some(&broken), now())
            .await
            .is_err()
    );
    assert_eq!(
        store.prompt(user, &made[0].id).await.unwrap().unwrap(),
        seen
    );
    assert_eq!(
        store.get(user, &entry.id).await.unwrap().as_ref(),
        Some(&entry)
    );

    // The answer and its episode, kept together.
    let mut filled = entry.clone();
    if let EntryBody::Episode(e) = &mut filled.body {
        e.mood_after = r(7);
    }
    let kept = store
        .save_prompts(user, &[answered.clone()], Some(&filled), now())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(&kept.body, EntryBody::Episode(e) if e.mood_after == r(7)));
    assert_eq!(
        store.prompt(user, &made[0].id).await.unwrap().unwrap(),
        answered
    );
    assert!(
        store.due_prompts(user, now()).await.unwrap().is_empty(),
        "answered is not open"
    );

    // Changing the episode keeps its prompts; deleting it takes them.
    store.update(user, &kept, later).await.unwrap();
    assert_eq!(store.prompts(user, Some(&entry.id)).await.unwrap().len(), 2);
    assert!(store.delete(user, &entry.id).await.unwrap());
    assert!(store.prompts(user, None).await.unwrap().is_empty());
}

/// Nobody reads, answers or lists another person's prompts.
pub async fn prompts_are_private(store: &dyn Store, a: UserId, b: UserId) {
    let (_, made) = asked(store, a).await;
    assert!(store.prompts(b, None).await.unwrap().is_empty());
    let all_time = store.prompts_of_period(b, Timestamp::MIN, Timestamp::MAX);
    assert!(all_time.await.unwrap().is_empty());
    assert!(store.due_prompts(b, now()).await.unwrap().is_empty());
    assert!(store.prompt(b, &made[0].id).await.unwrap().is_none());
    let dismissed = Prompt {
        dismissed_at: Some(now()),
        ..made[0].clone()
    };
    assert!(matches!(
        store.save_prompts(b, &[dismissed], None, now()).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.prompt(a, &made[0].id).await.unwrap().as_ref(),
        Some(&made[0])
    );
}

/// The prompts of a restored journal, and a refusal for one that names no
/// entry; call with `b` holding a restored copy of `a`'s entries.
pub async fn prompts_restore(store: &dyn Store, a: UserId, b: UserId, later: Timestamp) {
    let (_, made) = asked(store, a).await;
    let wanted = hearth_store::Restore {
        entries: store
            .list(a, &hearth_store::Filter::default())
            .await
            .unwrap(),
        prompts: store.prompts(a, None).await.unwrap(),
        ..hearth_store::Restore::default()
    };
    let done = store.restore(b, &wanted, later).await.unwrap();
    assert_eq!(done.prompts_added, made.len());
    assert_eq!(store.prompts(b, None).await.unwrap(), wanted.prompts);
    let again = store.restore(b, &wanted, later).await.unwrap();
    assert_eq!((again.added, again.prompts_added), (0, 0));
    let mut orphan = made[0].clone();
    orphan.id = hearth_core::EntryId::from_bits(4242);
    orphan.entry_id = Some(hearth_core::EntryId::from_bits(4343));
    let lonely = hearth_store::Restore {
        prompts: vec![orphan.clone()],
        ..hearth_store::Restore::default()
    };
    assert!(store.restore(b, &lonely, later).await.is_err());
    assert!(store.prompt(b, &orphan.id).await.unwrap().is_none());
}
