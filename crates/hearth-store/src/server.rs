//! What server mode adds to a journal: accounts and share links.

use async_trait::async_trait;
use hearth_core::EntryId;
use jiff::Timestamp;
use serde::Serialize;

use crate::error::Result;
use crate::store::{Store, UserId};

/// A person who signs in to a server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: UserId,
    pub username: String,
    /// An Argon2id PHC string; `None` for a local journal's user, who cannot sign in.
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub created_at: Timestamp,
}

/// A live session's person: their account (disabled or not; the caller
/// decides) and their settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub account: Account,
    pub settings: hearth_core::Settings,
}

/// Every table holding a person's rows, each keyed by `user_id`.
pub const USER_TABLES: &[&str] = &[
    "settings",
    "custom_kinds",
    "checkins",
    "episodes",
    "medication_events",
    "surveys",
    "crisis_events",
    "crisis_contacts",
    "questions",
    "prompts",
    "share_links",
    "share_views",
    "sessions",
    "pending_imports",
    "partner_invites",
    "partner_members",
];

/// Accounts for server mode: sign-up, passwords, invitations, and hard delete.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Adds a person with a password hash, using up `invite` (a code hash) when
    /// given; a taken name or a bad invitation is refused and nothing is written.
    async fn register(
        &self,
        username: &str,
        password_hash: &str,
        invite: Option<&str>,
        now: Timestamp,
    ) -> Result<UserId>;
    /// By name, ignoring case.
    async fn account(&self, username: &str) -> Result<Option<Account>>;
    async fn account_by_id(&self, user: UserId) -> Result<Option<Account>>;
    /// Everyone, oldest first (for operators: no health data).
    async fn accounts(&self) -> Result<Vec<Account>>;
    async fn set_password(&self, user: UserId, password_hash: &str) -> Result<()>;
    /// Returns false when there is no such person.
    async fn set_disabled(&self, username: &str, disabled: bool) -> Result<bool>;
    async fn create_invite(
        &self,
        code_hash: &str,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<()>;
    /// Removes the person and every row they own. Returns false if there was none.
    async fn delete_account(&self, user: UserId) -> Result<bool>;
    /// How many rows anywhere belong to the person (0 after a hard delete).
    async fn rows_of(&self, user: UserId) -> Result<u64>;
}

/// A read-only link to a person's report for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareLink {
    pub id: EntryId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    /// Report sections the person left out of what the link shows.
    pub leave_out: Vec<hearth_core::vocab::ReportSection>,
    /// How many times it was opened.
    pub views: u64,
}

/// What a new link shows: a period of the report, less what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareScope {
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
    pub leave_out: Vec<hearth_core::vocab::ReportSection>,
}

impl ShareLink {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// One opening of a share link: when, and from which network (never a full address).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareView {
    pub at: Timestamp,
    pub network: String,
}

/// Share links to a report: made, listed and revoked by their owner; opened
/// by anyone holding the secret until they expire, each opening recorded.
#[async_trait]
pub trait Shares: Send + Sync {
    /// Stores a link whose secret hashes to `token_hash`.
    async fn create_share(
        &self,
        user: UserId,
        token_hash: &str,
        scope: &ShareScope,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<ShareLink>;
    /// Newest first, with how often each was opened.
    async fn shares(&self, user: UserId) -> Result<Vec<ShareLink>>;
    /// Returns false if there was no such live link of this person's.
    async fn revoke_share(&self, user: UserId, id: &EntryId, now: Timestamp) -> Result<bool>;
    /// The live link for a secret, recording this view; `None` for an unknown,
    /// expired or revoked one (and nothing is recorded).
    async fn open_share(
        &self,
        token_hash: &str,
        now: Timestamp,
        network: &str,
    ) -> Result<Option<(UserId, ShareLink)>>;
    /// Newest first.
    async fn share_views(&self, user: UserId, id: &EntryId) -> Result<Vec<ShareView>>;
    /// Keeps the hash of the person's calendar link, replacing any before,
    /// or ends the link with `None`.
    async fn set_calendar(&self, user: UserId, token_hash: Option<&str>) -> Result<()>;
    async fn has_calendar(&self, user: UserId) -> Result<bool>;
    /// Whose calendar link a secret's hash is.
    async fn calendar_user(&self, token_hash: &str) -> Result<Option<UserId>>;
}

/// Signed-in sessions, by the hash of their token: shared by every server
/// process on the store, and kept across restarts.
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Records a session for `user` that lives until `expires` unless used.
    /// Sessions past their time are swept out here.
    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<()>;
    /// Whose live session this is, with their account and settings as
    /// stored, in one read (a request's first three reads were otherwise
    /// three round trips); using it moves its end to `expires` (written at
    /// most once a minute).
    async fn signed_in(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<Option<SignedIn>>;
    async fn end_session(&self, token_hash: &str) -> Result<()>;
    /// Ends every session of a person (password changed, account disabled).
    async fn end_sessions_of(&self, user: UserId) -> Result<()>;
    /// The store's secret for form tokens: `fresh` becomes it if there is
    /// none yet; every caller gets the same one.
    async fn server_secret(&self, fresh: &str) -> Result<String>;
    /// Keeps a checked import file. Files older than `since` and the same
    /// session's earlier one go first; a person past `per_person` loses their
    /// oldest; when `in_all` are waiting the file is refused (false), so one
    /// person's files never push out another's.
    async fn put_pending(
        &self,
        p: &PendingImport,
        since: Timestamp,
        per_person: usize,
        in_all: usize,
    ) -> Result<bool>;
    /// Takes the file if this session and person put it there after `since`.
    async fn take_pending(
        &self,
        id_hash: &str,
        session_hash: &str,
        user: UserId,
        since: Timestamp,
    ) -> Result<Option<PendingImport>>;
}

/// A checked import file waiting for "Import".
#[derive(Debug, Clone, PartialEq)]
pub struct PendingImport {
    pub id_hash: String,
    pub user: UserId,
    pub session_hash: String,
    pub format: String,
    pub mood_map: Option<String>,
    pub body: String,
    pub created_at: Timestamp,
}

/// A store that also keeps accounts, sessions and share links: what server
/// mode runs on.
pub trait ServerStore: Store + Accounts + Shares + Sessions + Partners {}
impl<T: Store + Accounts + Shares + Sessions + Partners> ServerStore for T {}

/// A live invitation to pair: the inviter's public PAKE share under a short
/// id. The code's secret half never reaches the server.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerInvite {
    pub code: String,
    pub inviter: UserId,
    pub share: Vec<u8>,
    pub expires_at: Timestamp,
}

/// Two people paired, as the server knows them: who, and the public values
/// of the exchange that made their secret (never the secret).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub id: String,
    pub inviter: UserId,
    pub joiner: UserId,
    pub invitation: String,
    pub inviter_share: Vec<u8>,
    pub joiner_share: Vec<u8>,
    pub joiner_tag: Vec<u8>,
    /// Set once the inviter's device has checked the joiner's tag.
    pub inviter_tag: Option<Vec<u8>>,
    /// The zone whose calendar day a check-in belongs to (the inviter's).
    pub zone: String,
    pub created_at: Timestamp,
}

/// A sealed message in a pair's mailbox: opaque, of one fixed size.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerMessage {
    pub seq: u32,
    pub sender: UserId,
    pub blob: Vec<u8>,
}

/// Partner mode's server side: invitations, pairs, and the mailboxes the
/// devices exchange sealed messages through.
#[async_trait]
pub trait Partners: Send + Sync {
    /// Keeps the person's invitation, replacing any earlier one of theirs;
    /// false when another live invitation has this code (try another).
    /// Invitations past their time are swept out here.
    async fn put_invite(&self, invite: &PartnerInvite, now: Timestamp) -> Result<bool>;
    /// A live invitation by its code.
    async fn invite(&self, code: &str, now: Timestamp) -> Result<Option<PartnerInvite>>;
    async fn invite_of(&self, user: UserId, now: Timestamp) -> Result<Option<PartnerInvite>>;
    /// Uses the invitation up and records the pair, in one step; false when
    /// the invitation is gone or either person is already paired (nothing
    /// is written then).
    async fn create_pair(&self, pair: &Pair, now: Timestamp) -> Result<bool>;
    async fn pair_of(&self, user: UserId) -> Result<Option<Pair>>;
    /// The inviter's tag, once; false if not the inviter or already set.
    async fn confirm_pair(&self, user: UserId, tag: &[u8]) -> Result<bool>;
    /// Ends the person's pairing: the pair, both memberships and every
    /// message go. False if they were not paired.
    async fn unpair(&self, user: UserId) -> Result<bool>;
    /// Appends message `seq` to a mailbox of the pair; false when that place
    /// is taken or out of turn (`seq` is not the next one). Expired messages
    /// are swept out here.
    async fn post_message(
        &self,
        pair: &str,
        mailbox: &str,
        message: &PartnerMessage,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<bool>;
    /// A mailbox's live messages, in order.
    async fn messages(
        &self,
        pair: &str,
        mailbox: &str,
        now: Timestamp,
    ) -> Result<Vec<PartnerMessage>>;
}
