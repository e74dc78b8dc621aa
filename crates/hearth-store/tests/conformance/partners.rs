//! Partner mode's storage: one pairing per person, an invitation used once,
//! mailboxes that take messages only in turn and only for their pair, and an
//! unpairing or an account deletion that leaves nothing behind.

use hearth_store::{Accounts, Pair, PartnerInvite, PartnerMessage, Partners, Store, UserId};
use jiff::SignedDuration;

use super::now;

fn invite(code: &str, inviter: UserId, minutes: i64) -> PartnerInvite {
    PartnerInvite {
        code: code.into(),
        inviter,
        share: vec![1; 32],
        expires_at: now() + SignedDuration::from_mins(minutes),
    }
}

fn pair(id: &str, code: &str, inviter: UserId, joiner: UserId) -> Pair {
    Pair {
        id: id.into(),
        inviter,
        joiner,
        invitation: code.into(),
        inviter_share: vec![1; 32],
        joiner_share: vec![2; 32],
        joiner_tag: vec![3; 32],
        inviter_tag: None,
        zone: "Europe/London".into(),
        created_at: now(),
    }
}

fn msg(seq: u32, sender: UserId) -> PartnerMessage {
    PartnerMessage {
        seq,
        sender,
        blob: vec![seq as u8; 64],
    }
}

pub async fn partners<S: Store + Accounts + Partners>(store: &S) {
    let a = store.register("ana", "h", None, now()).await.unwrap();
    let b = store.register("ben", "h", None, now()).await.unwrap();
    let c = store.register("cleo", "h", None, now()).await.unwrap();
    let d = store.register("dev", "h", None, now()).await.unwrap();
    let later = now() + SignedDuration::from_hours(1);

    // Invitations: one live one per person, codes unique while live.
    assert!(
        store
            .put_invite(&invite("AAAA", a, 30), now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .put_invite(&invite("AAAA", c, 30), now())
            .await
            .unwrap()
    );
    assert!(
        store
            .put_invite(&invite("BBBB", a, 30), now())
            .await
            .unwrap()
    );
    assert_eq!(
        store.invite("AAAA", now()).await.unwrap(),
        None,
        "a new invitation replaces the old"
    );
    assert_eq!(
        store.invite_of(a, now()).await.unwrap().unwrap().code,
        "BBBB"
    );
    assert_eq!(store.invite("BBBB", later).await.unwrap(), None, "expired");
    // An expired code is free again.
    assert!(
        store
            .put_invite(&invite("CCCC", c, 120), now())
            .await
            .unwrap()
    );
    assert!(
        store
            .put_invite(&invite("BBBB", d, 30), later)
            .await
            .unwrap()
    );
    assert!(
        store
            .put_invite(&invite("EEEE", a, 30), now())
            .await
            .unwrap()
    );

    // Pairing uses the invitation once; nobody is in two pairs.
    assert!(
        store
            .create_pair(&pair("p1", "EEEE", a, b), now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .create_pair(&pair("p2", "EEEE", a, c), now())
            .await
            .unwrap(),
        "used up"
    );
    assert!(
        !store
            .create_pair(&pair("p3", "CCCC", c, b), now())
            .await
            .unwrap(),
        "the joiner is already paired"
    );
    assert!(
        store.invite("CCCC", now()).await.unwrap().is_some(),
        "a refused pairing used nothing"
    );
    assert!(store.pair_of(c).await.unwrap().is_none());
    let seen_by_a = store.pair_of(a).await.unwrap().unwrap();
    assert_eq!(seen_by_a, store.pair_of(b).await.unwrap().unwrap());
    assert_eq!((seen_by_a.inviter, seen_by_a.joiner), (a, b));

    // Only the inviter confirms, once.
    assert!(!store.confirm_pair(b, &[9; 32]).await.unwrap());
    assert!(store.confirm_pair(a, &[9; 32]).await.unwrap());
    assert!(!store.confirm_pair(a, &[8; 32]).await.unwrap());
    assert_eq!(
        store.pair_of(b).await.unwrap().unwrap().inviter_tag,
        Some(vec![9; 32])
    );

    // Mailboxes: in turn, per pair, expiring.
    let end = now() + SignedDuration::from_hours(30);
    assert!(
        store
            .post_message("p1", "m1", &msg(0, a), now(), end)
            .await
            .unwrap()
    );
    assert!(
        !store
            .post_message("p1", "m1", &msg(0, b), now(), end)
            .await
            .unwrap(),
        "taken"
    );
    assert!(
        !store
            .post_message("p1", "m1", &msg(2, b), now(), end)
            .await
            .unwrap(),
        "out of turn"
    );
    assert!(
        store
            .post_message("p1", "m1", &msg(1, b), now(), end)
            .await
            .unwrap()
    );
    assert!(
        store
            .post_message(
                "p1",
                "m2",
                &msg(0, b),
                now(),
                now() + SignedDuration::from_mins(5)
            )
            .await
            .unwrap()
    );
    let got = store.messages("p1", "m1", now()).await.unwrap();
    assert_eq!(got, vec![msg(0, a), msg(1, b)]);
    assert!(
        store.messages("p2", "m1", now()).await.unwrap().is_empty(),
        "another pair's mailbox"
    );
    assert!(
        store.messages("p1", "m2", later).await.unwrap().is_empty(),
        "expired"
    );

    // Unpairing takes the pair, both memberships and every message.
    let before_c = store.rows_of(c).await.unwrap();
    assert!(store.unpair(b).await.unwrap());
    assert!(!store.unpair(a).await.unwrap());
    assert!(store.pair_of(a).await.unwrap().is_none());
    assert!(store.messages("p1", "m1", now()).await.unwrap().is_empty());
    assert_eq!(store.rows_of(c).await.unwrap(), before_c);

    // Deleting an account ends its pairing for the partner too.
    assert!(
        store
            .put_invite(&invite("FFFF", a, 30), now())
            .await
            .unwrap()
    );
    assert!(
        store
            .create_pair(&pair("p4", "FFFF", a, c), now())
            .await
            .unwrap()
    );
    assert!(
        store
            .post_message("p4", "m1", &msg(0, c), now(), end)
            .await
            .unwrap()
    );
    assert!(store.delete_account(c).await.unwrap());
    assert!(store.pair_of(a).await.unwrap().is_none());
    assert!(store.messages("p4", "m1", now()).await.unwrap().is_empty());
    // And a fresh pairing for the one left is possible.
    assert!(
        store
            .put_invite(&invite("GGGG", a, 30), now())
            .await
            .unwrap()
    );
    assert!(
        store
            .create_pair(&pair("p5", "GGGG", a, d), now())
            .await
            .unwrap()
    );
}
