//! The whole check-in between two honest sides, and what a dishonest or
//! confused one runs into.

use crate::checkin::{self, Answer, Both, Day, DaySecret, Overlap};
use crate::pairing;
use crate::seal::{BLOB_LEN, Channel, Kind};
use crate::{Error, group};

const DAY: Day = Day {
    pair: "pair-1",
    date: "2026-12-02",
};

fn run(a: &[Answer; 6], b: &[Answer; 6]) -> (Overlap, Overlap) {
    let (sa, sb) = (
        DaySecret::derive(&[1; 32], &DAY),
        DaySecret::derive(&[2; 32], &DAY),
    );
    let m1 = checkin::first(&DAY, &sa, a, &[3; 32]);
    let m2 = checkin::second(&DAY, &sb, b, &m1, &[4; 32]).unwrap();
    let (m3, seen_by_a) = checkin::third(&DAY, &sa, &m1, &m2, &[5; 32]).unwrap();
    let seen_by_b = checkin::finish(&DAY, &sb, &m1, &m2, &m3).unwrap();
    (seen_by_a, seen_by_b)
}

#[test]
fn every_pair_of_answers_shows_both_sides_the_lower_answer_and_nothing_more() {
    use Answer::*;
    for &x in &Answer::ALL {
        for &y in &Answer::ALL {
            // Item 0 varies; the other items cover one fixed combination each
            // so each run checks that items do not bleed into each other.
            let a = [x, Yes, Yes, Maybe, NotToday, Yes];
            let b = [y, Yes, Maybe, NotToday, Yes, NotToday];
            let (for_a, for_b) = run(&a, &b);
            assert_eq!(for_a, for_b, "{x:?}/{y:?}: both see the same");
            let expect = match x.min(y) {
                Yes => Some(Both::Yes),
                Maybe => Some(Both::Open),
                NotToday => None,
            };
            assert_eq!(for_a.item(0), expect, "{x:?}/{y:?}");
            assert_eq!(for_a.item(1), Some(Both::Yes));
            assert_eq!(for_a.item(2), Some(Both::Open));
            assert_eq!(for_a.item(3), None);
            assert_eq!(for_a.item(4), None);
            assert_eq!(for_a.item(5), None);
        }
    }
}

#[test]
fn messages_have_one_size_whatever_the_answers() {
    let day = DAY;
    let s = DaySecret::derive(&[1; 32], &day);
    let none = checkin::first(&day, &s, &[Answer::NotToday; 6], &[3; 32]);
    let all = checkin::first(&day, &s, &[Answer::Yes; 6], &[3; 32]);
    assert_eq!(none.len(), checkin::FIRST_LEN);
    assert_eq!(all.len(), checkin::FIRST_LEN);
    assert_ne!(none, all);
    let channel = Channel::for_day(&[9; 32], &day);
    for (kind, body) in [(Kind::First, &none[..]), (Kind::Withdraw, &[0, 3][..])] {
        assert_eq!(channel.seal(0, kind, body, [0; 12]).len(), BLOB_LEN);
    }
}

#[test]
fn a_tampered_message_is_refused() {
    let s = DaySecret::derive(&[1; 32], &DAY);
    let sb = DaySecret::derive(&[2; 32], &DAY);
    let m1 = checkin::first(&DAY, &s, &[Answer::Yes; 6], &[3; 32]);
    // A point swapped for another slot's: the proof no longer fits.
    let mut swapped = m1.clone();
    let (a, b) = (32, 32 + 160);
    let first_slot: Vec<u8> = swapped[a..a + 32].to_vec();
    let second_slot: Vec<u8> = swapped[b..b + 32].to_vec();
    swapped[a..a + 32].copy_from_slice(&second_slot);
    swapped[b..b + 32].copy_from_slice(&first_slot);
    assert_eq!(
        checkin::second(&DAY, &sb, &[Answer::Yes; 6], &swapped, &[4; 32]).err(),
        Some(Error::BadProof)
    );
    // Yesterday's message, replayed today.
    let yesterday = Day {
        pair: "pair-1",
        date: "2026-12-01",
    };
    let old = checkin::first(
        &yesterday,
        &DaySecret::derive(&[1; 32], &yesterday),
        &[Answer::Yes; 6],
        &[3; 32],
    );
    assert!(checkin::second(&DAY, &sb, &[Answer::Yes; 6], &old, &[4; 32]).is_err());
    assert!(checkin::second(&DAY, &sb, &[Answer::Yes; 6], &m1[..100], &[4; 32]).is_err());
}

#[test]
fn a_probe_with_an_undisclosed_key_is_refused() {
    // The second side re-blinds with a key other than the one it proved its
    // tokens with: the first side refuses rather than reveal the overlap.
    let sa = DaySecret::derive(&[1; 32], &DAY);
    let m1 = checkin::first(&DAY, &sa, &[Answer::Yes; 6], &[3; 32]);
    let honest = checkin::second(
        &DAY,
        &DaySecret::derive(&[2; 32], &DAY),
        &[Answer::Yes; 6],
        &m1,
        &[4; 32],
    )
    .unwrap();
    let other = checkin::second(
        &DAY,
        &DaySecret::derive(&[8; 32], &DAY),
        &[Answer::Yes; 6],
        &m1,
        &[4; 32],
    )
    .unwrap();
    let mut spliced = other[..checkin::REBLIND_LEN].to_vec();
    spliced.extend_from_slice(&honest[checkin::REBLIND_LEN..]);
    assert_eq!(
        checkin::third(&DAY, &sa, &m1, &spliced, &[5; 32]).err(),
        Some(Error::BadProof)
    );
}

#[test]
fn taking_an_answer_back_reaches_only_the_overlap() {
    use Answer::*;
    let (overlap, _) = run(
        &[Yes, Yes, NotToday, Maybe, Yes, Yes],
        &[Yes, Maybe, Yes, Maybe, NotToday, Yes],
    );
    // Lowered sex to maybe and talk to not today; massage was never shared.
    let lowered = overlap.lowered_by(&[NotToday, Yes, NotToday, Maybe, Yes, Maybe]);
    let after = overlap.without(lowered);
    assert_eq!(after.item(0), None);
    assert_eq!(after.item(5), Some(Both::Open));
    assert_eq!(after.item(1), Some(Both::Open));
    // Only bits that were in the overlap are ever sent.
    assert_eq!(lowered & !overlap.0, 0);
}

#[test]
fn a_sealed_message_opens_only_with_its_key_and_place() {
    let channel = Channel::for_day(&[9; 32], &DAY);
    let blob = channel.seal(2, Kind::Third, b"body", [7; 12]);
    assert_eq!(
        channel.open(2, &blob).unwrap(),
        (Kind::Third, b"body".to_vec())
    );
    assert_eq!(channel.open(1, &blob).err(), Some(Error::NotOurs));
    assert_eq!(
        Channel::for_day(&[8; 32], &DAY).open(2, &blob).err(),
        Some(Error::NotOurs)
    );
    let tomorrow = Day {
        pair: "pair-1",
        date: "2026-12-03",
    };
    let next = Channel::for_day(&[9; 32], &tomorrow);
    assert_ne!(next.mailbox, channel.mailbox);
    assert_eq!(next.open(2, &blob).err(), Some(Error::NotOurs));
}

#[test]
fn pairing_agrees_on_the_same_code_and_not_on_another() {
    let invite = Share::new("RXT9P0", &[1; 32]);
    let join = Share::new("RXT9P0", &[2; 32]);
    let a = pairing::agree(&invite, "K7QM", &invite.public, &join.public, true).unwrap();
    let b = pairing::agree(&join, "K7QM", &invite.public, &join.public, false).unwrap();
    assert_eq!(*a.secret, *b.secret);
    assert_eq!(a.confirmation, b.confirmation);
    b.check(&a.tag(true), true).unwrap();
    a.check(&b.tag(false), false).unwrap();
    // A tag cannot be reflected back as the other side's.
    assert_eq!(a.check(&a.tag(true), false), Err(Error::CodeMismatch));

    let wrong = Share::new("RXT9P1", &[2; 32]);
    let c = pairing::agree(&wrong, "K7QM", &invite.public, &wrong.public, false).unwrap();
    let a2 = pairing::agree(&invite, "K7QM", &invite.public, &wrong.public, true).unwrap();
    assert_ne!(*a2.secret, *c.secret);
    assert_eq!(a2.check(&c.tag(false), false), Err(Error::CodeMismatch));
}

use pairing::Share;

#[test]
fn codes_read_back_whatever_the_typing() {
    let code = pairing::format_code("K7QM", "4RXT9P");
    assert_eq!(code, "K7QM4 RXT9P");
    let want = ("K7QM".to_string(), "4RXT9P".to_string());
    assert_eq!(pairing::parse_code(&code).unwrap(), want);
    assert_eq!(pairing::parse_code(" k7qm4-rxt9p ").unwrap(), want);
    assert_eq!(pairing::parse_code("K7QM4 RXT9").err(), Some(Error::Code));
    assert_eq!(pairing::parse_code("K7QM4 RXT9U").err(), Some(Error::Code));
    assert_eq!(pairing::parse_code("K7QM4 RXT9É").err(), Some(Error::Code));
    assert_eq!(pairing::parse_code("ko1m4 rxt9p").unwrap().0, "K01M");
    assert_eq!(pairing::password_from(&[0, 31, 32, 255, 10, 17]), "0Z0ZAH");
}

#[test]
fn group_hashes_are_deterministic_and_separated() {
    assert_eq!(
        group::hash_to_group(b"a", b"m"),
        group::hash_to_group(b"a", b"m")
    );
    assert_ne!(
        group::hash_to_group(b"a", b"m"),
        group::hash_to_group(b"b", b"m")
    );
}
