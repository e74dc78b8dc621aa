//! Where Hearth keeps what people record: one `Store` trait, implemented by an
//! encrypted embedded SQLite store (the default) and, in server mode, by
//! PostgreSQL. Every method takes the acting user; there is no way to ask for
//! rows without saying whose.

use std::path::PathBuf;

use async_trait::async_trait;
use hearth_core::vocab::EntryType;
use hearth_core::{
    Contact, Entry, EntryBody, EntryId, Kind, Medication, Question, Settings, ValidationError,
};
use jiff::Timestamp;
use serde::Serialize;

mod accounts;
pub mod keys;
pub mod postgres;
mod shared;
mod shares;
mod sql;
pub mod sqlite;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// The person a request acts for. Local mode has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct UserId(pub i64);

/// The only user of a local, single-person store.
pub const LOCAL_USER: UserId = UserId(1);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key was wrong or missing; nothing was read or written.
    #[error("the store could not be unlocked: {0}")]
    Locked(String),
    #[error("there is no Hearth store in {0}")]
    NoStore(PathBuf),
    #[error("there is already a Hearth store in {0}")]
    AlreadyExists(PathBuf),
    #[error("no entry with id {0}")]
    NotFound(EntryId),
    /// The request was refused; every problem is listed and nothing was written.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
    #[error("the store's files could not be read or written: {0}")]
    Io(#[from] std::io::Error),
    #[error("the store's metadata is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<ValidationError> for StoreError {
    fn from(e: ValidationError) -> Self {
        StoreError::Invalid(vec![e])
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An entry about to be stored: the store gives it an id and record times.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub at: Timestamp,
    pub tz: String,
    pub body: EntryBody,
}

/// Which entries `list` returns. Bounds are inclusive instants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub only: Option<Only>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Only {
    Type(EntryType),
    Kind(Kind),
}

/// A time crisis resources were shown because of a stored entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisEvent {
    pub id: EntryId,
    pub at: Timestamp,
    pub recorded_at: Timestamp,
    /// `survey:<instrument>` or `checkin`.
    pub source: String,
    pub entry_id: EntryId,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Adds a person; local stores are created with `LOCAL_USER` already in them.
    async fn create_user(&self, name: &str, now: Timestamp) -> Result<UserId>;

    async fn settings(&self, user: UserId) -> Result<Settings>;
    async fn set_settings(&self, user: UserId, settings: &Settings) -> Result<()>;

    async fn custom_kinds(&self, user: UserId) -> Result<Vec<String>>;
    /// Adds a custom kind; returns false if it already existed.
    async fn add_custom_kind(&self, user: UserId, kind: &Kind, now: Timestamp) -> Result<bool>;

    /// Stores entries all together or not at all, after validating each one
    /// (including custom kinds and medication timelines) against `now`.
    async fn insert(
        &self,
        user: UserId,
        entries: &[NewEntry],
        now: Timestamp,
    ) -> Result<Vec<Entry>>;
    /// Newest first.
    async fn list(&self, user: UserId, filter: &Filter) -> Result<Vec<Entry>>;
    async fn get(&self, user: UserId, id: &EntryId) -> Result<Option<Entry>>;
    /// Replaces an entry's time and contents; id, type and `recorded_at` stay.
    async fn update(&self, user: UserId, entry: &Entry, now: Timestamp) -> Result<Entry>;
    /// Returns false if there was no such entry.
    async fn delete(&self, user: UserId, id: &EntryId) -> Result<bool>;

    async fn medications(&self, user: UserId) -> Result<Vec<Medication>>;
    /// Oldest first.
    async fn crisis_events(&self, user: UserId) -> Result<Vec<CrisisEvent>>;

    async fn contacts(&self, user: UserId) -> Result<Vec<Contact>>;
    async fn add_contact(
        &self,
        user: UserId,
        name: &str,
        contact: &str,
        note: Option<&str>,
        now: Timestamp,
    ) -> Result<Contact>;
    async fn remove_contact(&self, user: UserId, id: &EntryId) -> Result<bool>;

    /// The person's questions for their next appointment, oldest first.
    async fn questions(&self, user: UserId) -> Result<Vec<Question>>;
    async fn add_question(&self, user: UserId, text: &str, now: Timestamp) -> Result<Question>;
    async fn remove_question(&self, user: UserId, id: &EntryId) -> Result<bool>;
    async fn count(&self, user: UserId) -> Result<u64>;
    /// Puts back exported entries with their own ids and times, all or
    /// nothing. Entries already present unchanged are skipped, so restoring
    /// twice adds nothing; an id present with other content is refused.
    async fn restore(&self, user: UserId, r: &Restore, now: Timestamp) -> Result<Restored> {
        self.restore_with_progress(user, r, now, &|_| {}).await
    }
    /// `restore`, calling `progress` with the number of entries written so
    /// far now and then, for a progress bar on large imports.
    async fn restore_with_progress(
        &self,
        user: UserId,
        r: &Restore,
        now: Timestamp,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Restored>;
}

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
    "share_links",
    "share_views",
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
    /// How many times it was opened.
    pub views: u64,
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
        from: jiff::civil::Date,
        to: jiff::civil::Date,
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
}

/// A store that also keeps accounts and share links: what server mode runs on.
pub trait ServerStore: Store + Accounts + Shares {}
impl<T: Store + Accounts + Shares> ServerStore for T {}

/// What `restore` puts back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restore {
    pub custom_kinds: Vec<String>,
    pub contacts: Vec<Contact>,
    pub questions: Vec<Question>,
    pub entries: Vec<Entry>,
    /// Check everything, report what would happen, and write nothing.
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Restored {
    pub added: usize,
    pub unchanged: usize,
    pub kinds_added: usize,
    pub contacts_added: usize,
    pub questions_added: usize,
}

/// Checks a personal crisis contact and gives it a fresh id.
pub(crate) fn check_contact(name: &str, contact: &str, note: Option<&str>) -> Result<Contact> {
    Contact::checked(shared::fresh_ids(1).remove(0), name, contact, note)
        .map_err(StoreError::Invalid)
}
