//! The journal's `Store` trait and the values it takes and gives.

use async_trait::async_trait;
use hearth_core::vocab::EntryType;
use hearth_core::{
    Contact, Entry, EntryBody, EntryId, Kind, Medication, Prompt, Question, Settings,
};
use jiff::Timestamp;
use serde::Serialize;

use crate::error::Result;

/// The person a request acts for. Local mode has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct UserId(pub i64);

/// The only user of a local, single-person store.
pub const LOCAL_USER: UserId = UserId(1);

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

/// The questions asked after an episode. Part of every `Store`.
#[async_trait]
pub trait Prompts: Send + Sync {
    /// Makes the planned prompts for an entry; the store gives their ids.
    async fn add_prompts(
        &self,
        user: UserId,
        entry: &EntryId,
        planned: &[hearth_core::prompt::Planned],
    ) -> Result<Vec<Prompt>>;
    /// Every prompt, or one entry's, by when each opens.
    async fn prompts(&self, user: UserId, entry: Option<&EntryId>) -> Result<Vec<Prompt>>;
    /// The prompts of the episodes from `since` to `until` (both included),
    /// by when each opens: what a period's insights need, read without
    /// the rest of the journal.
    async fn prompts_of_period(
        &self,
        user: UserId,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Prompt>>;
    /// Prompts open at `now`: neither answered nor put aside, and in their
    /// window. Oldest first.
    async fn due_prompts(&self, user: UserId, now: Timestamp) -> Result<Vec<Prompt>>;
    async fn prompt(&self, user: UserId, id: &EntryId) -> Result<Option<Prompt>>;
    /// Keeps what became of prompts (first shown, answered, put aside) and,
    /// when given, the entry an answer fills, validated as `update` does,
    /// all in one transaction. Returns the entry as stored.
    async fn save_prompts(
        &self,
        user: UserId,
        prompts: &[Prompt],
        entry: Option<&Entry>,
        now: Timestamp,
    ) -> Result<Option<Entry>>;
}

#[async_trait]
pub trait Store: Prompts + Send + Sync {
    /// Finishes writing and closes every connection. Call it before the
    /// process exits: a pool dropped instead closes on a worker thread while
    /// the process tears down its crypto library.
    async fn close(&self);

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

/// What `restore` puts back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restore {
    pub custom_kinds: Vec<String>,
    pub contacts: Vec<Contact>,
    pub questions: Vec<Question>,
    pub entries: Vec<Entry>,
    /// Prompts after the entries, each naming one of them or one stored.
    pub prompts: Vec<Prompt>,
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
    pub prompts_added: usize,
}
