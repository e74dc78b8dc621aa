//! The closeness check-in: a private set intersection over twelve fixed
//! slots (six items × "at least maybe" / "yes"), run by the two devices
//! through the server as a mailbox.
//!
//! The first to answer (the `First` role) sends its blinded tokens; the
//! second re-blinds them and sends its own; the first re-blinds those. Each
//! side then compares the doubly blinded tokens slot by slot and learns which
//! slots both hold, and nothing else. Every blinding carries a proof, so a
//! modified client cannot blind with an undisclosed key to probe.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use zeroize::Zeroize;

use crate::group::{Point, Reader, hash_to_group, hash_to_scalar, lv, point_bytes};
use crate::proof::{DLEQ_LEN, OR_LEN, prove_dleq, prove_or, verify_dleq, verify_or};
use crate::{Error, dst};

/// The items, in slot order. The codes are the protocol's, hashed into the
/// tokens; the words a person reads live with the faces.
pub const ITEMS: [&str; 6] = ["talk", "company", "cuddle", "massage", "sensual", "sex"];
const LEVELS: [&str; 2] = ["open", "yes"];
pub const SLOTS: usize = ITEMS.len() * LEVELS.len();

pub const FIRST_LEN: usize = 32 + SLOTS * (32 + OR_LEN);
pub const REBLIND_LEN: usize = SLOTS * (32 + DLEQ_LEN);
pub const SECOND_LEN: usize = REBLIND_LEN + FIRST_LEN;
pub const THIRD_LEN: usize = REBLIND_LEN;

/// One person's answer to one item for today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    NotToday,
    Maybe,
    Yes,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::NotToday, Answer::Maybe, Answer::Yes];

    fn holds(self, level: usize) -> bool {
        match level {
            0 => self >= Answer::Maybe,
            _ => self == Answer::Yes,
        }
    }
}

/// Who posted first today: only the order of the messages, never an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    First,
    Second,
}

impl Role {
    fn code(self) -> &'static [u8] {
        match self {
            Role::First => b"first",
            Role::Second => b"second",
        }
    }
}

/// The pair and the day a check-in belongs to; both are hashed into every
/// token and proof, so nothing carries over to another pair or day.
#[derive(Clone, Copy, Debug)]
pub struct Day<'a> {
    pub pair: &'a str,
    pub date: &'a str,
}

impl Day<'_> {
    fn token(&self, slot: usize) -> Point {
        let (item, level) = (ITEMS[slot / 2].as_bytes(), LEVELS[slot % 2].as_bytes());
        hash_to_group(
            dst::SLOT,
            &lv(&[self.pair.as_bytes(), self.date.as_bytes(), item, level]),
        )
    }

    /// What a sender blinds for a slot it does not hold: its own, so two
    /// absences never match, and of the same shape as a token.
    fn absent(&self, role: Role, slot: usize) -> Point {
        let (item, level) = (ITEMS[slot / 2].as_bytes(), LEVELS[slot % 2].as_bytes());
        let fields = [
            self.pair.as_bytes(),
            self.date.as_bytes(),
            role.code(),
            item,
            level,
        ];
        hash_to_group(dst::ABSENT, &lv(&fields))
    }

    fn context(&self, role: Role, slot: usize) -> Vec<u8> {
        lv(&[
            self.pair.as_bytes(),
            self.date.as_bytes(),
            role.code(),
            &[slot as u8],
        ])
    }
}

/// A person's secret for one day, derived from a seed that never leaves
/// their device, so the device can finish a day's exchange hours later.
pub struct DaySecret {
    x: Scalar,
    public: Point,
}

impl Drop for DaySecret {
    fn drop(&mut self) {
        self.x.zeroize();
    }
}

impl DaySecret {
    pub fn derive(device_seed: &[u8; 32], day: &Day) -> Self {
        let x = hash_to_scalar(
            dst::DAY_SECRET,
            &lv(&[device_seed, day.pair.as_bytes(), day.date.as_bytes()]),
        );
        Self {
            x,
            public: RistrettoPoint::mul_base(&x),
        }
    }
}

/// The slots both partners hold, as a 12-bit mask (bit `2·item + level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Overlap(pub u16);

/// What both said of one item: the lower of the two answers, when it is not
/// "not today".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Both {
    Open,
    Yes,
}

impl Overlap {
    pub fn item(self, item: usize) -> Option<Both> {
        if self.0 & (1 << (2 * item + 1)) != 0 {
            Some(Both::Yes)
        } else if self.0 & (1 << (2 * item)) != 0 {
            Some(Both::Open)
        } else {
            None
        }
    }

    /// The overlap once either side has taken answers back.
    pub fn without(self, withdrawn: u16) -> Overlap {
        Overlap(self.0 & !withdrawn)
    }

    /// The slots of this overlap that answers lowered since no longer hold:
    /// what to tell the partner, and only that.
    pub fn lowered_by(self, now: &[Answer; 6]) -> u16 {
        (0..SLOTS)
            .filter(|&s| self.0 & (1 << s) != 0 && !now[s / 2].holds(s % 2))
            .fold(0, |mask, s| mask | (1 << s))
    }
}

fn blind_own(
    out: &mut Vec<u8>,
    day: &Day,
    role: Role,
    secret: &DaySecret,
    answers: &[Answer; 6],
    seed: &[u8; 32],
) {
    out.extend_from_slice(&point_bytes(&secret.public));
    for slot in 0..SLOTS {
        let (token, absent) = (day.token(slot), day.absent(role, slot));
        let branch = usize::from(!answers[slot / 2].holds(slot % 2));
        let blinded = [&token, &absent][branch] * secret.x;
        let proof = prove_or(
            &secret.x,
            &secret.public,
            [&token, &absent],
            branch,
            &blinded,
            &day.context(role, slot),
            seed,
        );
        out.extend_from_slice(&point_bytes(&blinded));
        out.extend_from_slice(&proof);
    }
}

/// Reads and checks the other side's blinded tokens: their key and the
/// twelve points, each proved to be a token or that sender's absence.
fn read_own(r: &mut Reader, day: &Day, role: Role) -> Result<(Point, Vec<Point>), Error> {
    let key = r.point()?;
    let mut points = Vec::with_capacity(SLOTS);
    for slot in 0..SLOTS {
        let p = r.point()?;
        let (token, absent) = (day.token(slot), day.absent(role, slot));
        verify_or(
            r.take(OR_LEN)?,
            &key,
            [&token, &absent],
            &p,
            &day.context(role, slot),
        )?;
        points.push(p);
    }
    Ok((key, points))
}

fn reblind(
    out: &mut Vec<u8>,
    day: &Day,
    role: Role,
    secret: &DaySecret,
    theirs: &[Point],
    seed: &[u8; 32],
) {
    for (slot, p) in theirs.iter().enumerate() {
        let q = p * secret.x;
        let proof = prove_dleq(
            &secret.x,
            &secret.public,
            p,
            &q,
            &day.context(role, slot),
            seed,
        );
        out.extend_from_slice(&point_bytes(&q));
        out.extend_from_slice(&proof);
    }
}

fn read_reblinded(
    r: &mut Reader,
    day: &Day,
    role: Role,
    key: &Point,
    mine: &[Point],
) -> Result<Vec<Point>, Error> {
    mine.iter()
        .enumerate()
        .map(|(slot, p)| {
            let q = r.point()?;
            verify_dleq(r.take(DLEQ_LEN)?, key, p, &q, &day.context(role, slot))?;
            Ok(q)
        })
        .collect()
}

fn compare(a: &[Point], b: &[Point]) -> Overlap {
    Overlap(
        a.iter()
            .zip(b)
            .enumerate()
            .filter(|(_, (x, y))| x == y)
            .fold(0, |m, (s, _)| m | (1 << s)),
    )
}

/// The first message of a day, from whoever answers first.
pub fn first(day: &Day, secret: &DaySecret, answers: &[Answer; 6], seed: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIRST_LEN);
    blind_own(&mut out, day, Role::First, secret, answers, seed);
    out
}

/// The second partner's reply to a checked first message: the first's
/// tokens re-blinded, then its own.
pub fn second(
    day: &Day,
    secret: &DaySecret,
    answers: &[Answer; 6],
    first: &[u8],
    seed: &[u8; 32],
) -> Result<Vec<u8>, Error> {
    let mut r = Reader::new(first);
    let (_, theirs) = read_own(&mut r, day, Role::First)?;
    r.finish()?;
    let mut out = Vec::with_capacity(SECOND_LEN);
    reblind(&mut out, day, Role::Second, secret, &theirs, seed);
    blind_own(&mut out, day, Role::Second, secret, answers, seed);
    Ok(out)
}

/// The first partner, on the reply: checks it, learns the overlap, and
/// answers with the reply's tokens re-blinded so the second learns the same.
pub fn third(
    day: &Day,
    secret: &DaySecret,
    first: &[u8],
    second: &[u8],
    seed: &[u8; 32],
) -> Result<(Vec<u8>, Overlap), Error> {
    let mine = own_points(first)?;
    let mut r = Reader::new(second);
    let key_bytes = second
        .get(REBLIND_LEN..REBLIND_LEN + 32)
        .ok_or(Error::Malformed("a message is too short"))?;
    let their_key = crate::group::read_point(key_bytes)?;
    let doubled_mine = read_reblinded(&mut r, day, Role::Second, &their_key, &mine)?;
    let (_, theirs) = read_own(&mut r, day, Role::Second)?;
    r.finish()?;
    let mut out = Vec::with_capacity(THIRD_LEN);
    reblind(&mut out, day, Role::First, secret, &theirs, seed);
    let doubled_theirs: Vec<Point> = theirs.iter().map(|p| p * secret.x).collect();
    Ok((out, compare(&doubled_mine, &doubled_theirs)))
}

/// The second partner, on the third message: the same overlap.
pub fn finish(
    day: &Day,
    secret: &DaySecret,
    first: &[u8],
    second: &[u8],
    third: &[u8],
) -> Result<Overlap, Error> {
    let their_key = crate::group::read_point(
        first
            .get(..32)
            .ok_or(Error::Malformed("a message is too short"))?,
    )?;
    let theirs = own_points(first)?;
    let mine = own_points(
        second
            .get(REBLIND_LEN..)
            .ok_or(Error::Malformed("a message is too short"))?,
    )?;
    let mut r = Reader::new(third);
    let doubled_mine = read_reblinded(&mut r, day, Role::First, &their_key, &mine)?;
    r.finish()?;
    let doubled_theirs: Vec<Point> = theirs.iter().map(|p| p * secret.x).collect();
    Ok(compare(&doubled_theirs, &doubled_mine))
}

/// The blinded points of a message this device sent or already checked.
fn own_points(message: &[u8]) -> Result<Vec<Point>, Error> {
    if message.len() != FIRST_LEN {
        return Err(Error::Malformed("a message has the wrong length"));
    }
    let mut r = Reader::new(&message[32..]);
    (0..SLOTS)
        .map(|_| {
            let p = r.point()?;
            r.take(OR_LEN)?;
            Ok(p)
        })
        .collect()
}
