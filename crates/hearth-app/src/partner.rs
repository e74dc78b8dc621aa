//! Partner mode on the server: invitations, pairing, unpairing, and the
//! mailbox two devices run the closeness check-in through. The server only
//! keeps turns and sizes here; every answer and key stays on the devices
//! (see `hearth_partner` and `docs/security.md`).

use hearth_core::ValidationError;
use hearth_partner::pairing::{ALPHABET, ID_LEN};
use hearth_partner::seal::BLOB_LEN;
use hearth_store::{Pair, PartnerInvite, PartnerMessage, Partners, ServerStore, UserId};
use jiff::SignedDuration;
use jiff::civil::Date;
use rand::Rng;

use crate::{AppError, Clock};

/// How long an invitation code lives: long enough to read it out, short
/// enough that a guess has little time.
pub const INVITE_MINUTES: i64 = 30;
/// A day's mailbox: the three messages of the exchange and a few taken back.
pub const MAX_MESSAGES: u32 = 12;
/// Messages outlive their day by this much, for a late device to finish.
pub const GRACE_HOURS: i64 = 12;

const NOT_PAIRED: &str = "you are not paired with anyone";
const PAIRED: &str = "you are already paired: unpair first to pair with someone else";

/// Where a person stands.
pub struct Status {
    pub pair: Option<Pair>,
    pub invite: Option<PartnerInvite>,
    /// The pair's calendar day now (its zone's), which a check-in belongs to.
    pub today: Option<Date>,
}

fn bytes32(field: &str, value: &[u8]) -> Result<(), ValidationError> {
    if value.len() == 32 {
        Ok(())
    } else {
        Err(ValidationError::invalid(
            field,
            "must be 32 bytes, written as 64 hex digits",
        ))
    }
}

fn share_ok(share: &[u8]) -> Result<(), ValidationError> {
    bytes32("share", share)?;
    if hearth_partner::is_valid_point(share) {
        Ok(())
    } else {
        Err(ValidationError::invalid(
            "share",
            "is not a valid pairing share",
        ))
    }
}

/// An invitation id as typed: four characters of the code alphabet.
pub fn check_code(code: &str) -> Result<String, ValidationError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == ID_LEN && code.bytes().all(|b| ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(ValidationError::invalid("code", "is not an invitation id"))
    }
}

fn pair_today(pair: &Pair, clock: &Clock) -> Date {
    match jiff::tz::TimeZone::get(&pair.zone) {
        Ok(tz) => clock.now.to_zoned(tz).date(),
        Err(_) => clock.today(),
    }
}

pub async fn status(store: &dyn Partners, user: UserId, clock: &Clock) -> Result<Status, AppError> {
    let pair = store.pair_of(user).await?;
    let invite = match pair {
        Some(_) => None,
        None => store.invite_of(user, clock.now).await?,
    };
    let today = pair.as_ref().map(|p| pair_today(p, clock));
    Ok(Status {
        pair,
        invite,
        today,
    })
}

/// A new invitation carrying the inviter's share; any earlier one ends.
pub async fn invite(
    store: &dyn Partners,
    user: UserId,
    share: &[u8],
    clock: &Clock,
) -> Result<PartnerInvite, AppError> {
    share_ok(share)?;
    if store.pair_of(user).await?.is_some() {
        return Err(AppError::Conflict(PAIRED));
    }
    let expires_at = clock.now + SignedDuration::from_mins(INVITE_MINUTES);
    for _ in 0..8 {
        let mut random = [0u8; ID_LEN];
        rand::rng().fill_bytes(&mut random);
        // 32 letters: five bits of each byte pick one without bias.
        let code: String = random
            .iter()
            .map(|b| ALPHABET[usize::from(b & 31)] as char)
            .collect();
        let invite = PartnerInvite {
            code,
            inviter: user,
            share: share.to_vec(),
            expires_at,
        };
        if store.put_invite(&invite, clock.now).await? {
            tracing::info!(user = user.0, "partner invitation made");
            return Ok(invite);
        }
    }
    Err(AppError::Conflict(
        "no free invitation code just now: try again in a minute",
    ))
}

async fn live_invite(
    store: &dyn Partners,
    user: UserId,
    code: &str,
    clock: &Clock,
) -> Result<PartnerInvite, AppError> {
    let code = check_code(code)?;
    let invite = store
        .invite(&code, clock.now)
        .await?
        .ok_or(AppError::Unavailable(
            "no such invitation: it may have been used, replaced or run out of time",
        ))?;
    if invite.inviter == user {
        return Err(AppError::Conflict(
            "this is your own invitation: your partner types it on their device",
        ));
    }
    if store.pair_of(user).await?.is_some() {
        return Err(AppError::Conflict(PAIRED));
    }
    Ok(invite)
}

/// The inviter's share, for the joiner's device to answer.
pub async fn invitation(
    store: &dyn Partners,
    user: UserId,
    code: &str,
    clock: &Clock,
) -> Result<Vec<u8>, AppError> {
    Ok(live_invite(store, user, code, clock).await?.share)
}

/// Accepts an invitation with the joiner's share and key-confirmation tag.
/// The pair's day is the inviter's (their zone), so both devices agree on
/// which day a check-in belongs to.
pub async fn join(
    store: &dyn ServerStore,
    user: UserId,
    code: &str,
    share: &[u8],
    tag: &[u8],
    clock: &Clock,
) -> Result<Pair, AppError> {
    let mut problems = Vec::new();
    problems.extend(share_ok(share).err());
    problems.extend(bytes32("tag", tag).err());
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let invite = live_invite(store, user, code, clock).await?;
    let inviter_zone = store.settings(invite.inviter).await?.tz;
    let mut id = [0u8; 16];
    rand::rng().fill_bytes(&mut id);
    let pair = Pair {
        id: hex::encode(id),
        inviter: invite.inviter,
        joiner: user,
        invitation: invite.code,
        inviter_share: invite.share,
        joiner_share: share.to_vec(),
        joiner_tag: tag.to_vec(),
        inviter_tag: None,
        zone: inviter_zone,
        created_at: clock.now,
    };
    if !store.create_pair(&pair, clock.now).await? {
        return Err(AppError::Conflict(
            "the invitation was used or someone was paired meanwhile: ask for a new one",
        ));
    }
    tracing::info!(pair = %pair.id, "partners paired");
    Ok(pair)
}

/// The inviter's device, having checked the joiner's tag, sends its own.
pub async fn confirm(store: &dyn Partners, user: UserId, tag: &[u8]) -> Result<(), AppError> {
    bytes32("tag", tag)?;
    if store.confirm_pair(user, tag).await? {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "there is no pairing of yours waiting for your confirmation",
        ))
    }
}

/// Ends the pairing for both, at once; true if there was one.
pub async fn unpair(store: &dyn Partners, user: UserId) -> Result<bool, AppError> {
    let ended = store.unpair(user).await?;
    if ended {
        tracing::info!(user = user.0, "partners unpaired");
    }
    Ok(ended)
}

async fn confirmed_pair(store: &dyn Partners, user: UserId) -> Result<Pair, AppError> {
    match store.pair_of(user).await? {
        Some(p) if p.inviter_tag.is_some() => Ok(p),
        Some(_) => Err(AppError::Conflict("the pairing is not confirmed yet")),
        None => Err(AppError::Unavailable(NOT_PAIRED)),
    }
}

fn check_mailbox(mailbox: &str) -> Result<(), ValidationError> {
    if mailbox.len() == 32
        && mailbox
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        Ok(())
    } else {
        Err(ValidationError::invalid(
            "mailbox",
            "must be 32 lowercase hex digits",
        ))
    }
}

/// A day's messages for the person's pair.
pub async fn mailbox(
    store: &dyn Partners,
    user: UserId,
    mailbox: &str,
    clock: &Clock,
) -> Result<Vec<PartnerMessage>, AppError> {
    check_mailbox(mailbox)?;
    let pair = confirmed_pair(store, user).await?;
    Ok(store.messages(&pair.id, mailbox, clock.now).await?)
}

/// Posts message `seq`, in turn: the first by either, the second by the
/// other, the third by the first's sender, then either may take answers
/// back. Every blob has the one sealed size.
pub async fn post(
    store: &dyn Partners,
    user: UserId,
    mailbox: &str,
    seq: u32,
    blob: &[u8],
    clock: &Clock,
) -> Result<(), AppError> {
    let mut problems = Vec::new();
    problems.extend(check_mailbox(mailbox).err());
    if blob.len() != BLOB_LEN {
        problems.push(ValidationError::invalid(
            "blob",
            format!("must be exactly {BLOB_LEN} bytes"),
        ));
    }
    if seq >= MAX_MESSAGES {
        problems.push(ValidationError::invalid(
            "seq",
            format!("must be below {MAX_MESSAGES}"),
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let pair = confirmed_pair(store, user).await?;
    let have = store.messages(&pair.id, mailbox, clock.now).await?;
    let out_of_turn = match (seq, have.first()) {
        (1, Some(first)) => first.sender == user,
        (2, Some(first)) => first.sender != user,
        _ => false,
    };
    if out_of_turn || seq as usize != have.len() {
        return Err(AppError::Conflict(
            "that message is out of turn: read the mailbox again",
        ));
    }
    let today = pair_today(&pair, clock);
    let zone = jiff::tz::TimeZone::get(&pair.zone).unwrap_or(clock.tz.clone());
    let expires = today
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(zone).ok())
        .map(|z| z.timestamp())
        .unwrap_or(clock.now)
        + SignedDuration::from_hours(GRACE_HOURS);
    let message = PartnerMessage {
        seq,
        sender: user,
        blob: blob.to_vec(),
    };
    if !store
        .post_message(&pair.id, mailbox, &message, clock.now, expires)
        .await?
    {
        return Err(AppError::Conflict(
            "that message is out of turn: read the mailbox again",
        ));
    }
    Ok(())
}
