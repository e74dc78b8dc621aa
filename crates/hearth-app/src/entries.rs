//! Recording, changing and removing entries: the rules every face shares.

use hearth_core::patch::EntryPatch;
use hearth_core::{Entry, EntryBody, EntryId, ValidationError};
use hearth_store::{NewEntry, Store, StoreError, UserId};
use jiff::Timestamp;
use serde_json::Value;

use crate::{AppError, Clock};

/// Stores one entry (at `at`, or now). Whether it fired a crisis trigger is
/// [`EntryBody::is_crisis`] on the result: the faces show crisis lines at once.
/// An episode gets the prompts that ask about it later.
pub async fn record(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    at: Option<Timestamp>,
    body: EntryBody,
) -> Result<Entry, StoreError> {
    let mut saved = store
        .insert(
            user,
            &[NewEntry {
                at: at.unwrap_or(clock.now),
                tz: clock.tz_name.clone(),
                body,
            }],
            clock.now,
        )
        .await?;
    let saved = saved.remove(0);
    if matches!(saved.body, EntryBody::Episode(_)) {
        let settings = store.settings(user).await?;
        crate::prompts::ask_after(store, user, clock, &settings, &saved).await?;
    }
    Ok(saved)
}

/// The entry, or `NotFound` when this person has no such entry.
pub async fn get(store: &dyn Store, user: UserId, id: &EntryId) -> Result<Entry, StoreError> {
    store
        .get(user, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(id.clone()))
}

/// Deletes an entry for good, or says there is no such entry of this person's.
pub async fn delete(store: &dyn Store, user: UserId, id: &EntryId) -> Result<(), StoreError> {
    if store.delete(user, id).await? {
        tracing::info!(entry = %id, "entry deleted");
        Ok(())
    } else {
        Err(StoreError::NotFound(id.clone()))
    }
}

/// Entries whose note or tags contain `text`, case ignored, newest first.
/// Notes are encrypted at rest and never indexed: the search reads them in
/// memory, once, and keeps nothing.
pub async fn search(
    store: &dyn Store,
    user: UserId,
    text: &str,
    limit: Option<u32>,
) -> Result<Vec<Entry>, AppError> {
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() {
        return Err(AppError::Invalid(vec![ValidationError::invalid(
            "text",
            "give some text to look for",
        )]));
    }
    let all = store.list(user, &hearth_store::Filter::default()).await?;
    let matches = |e: &Entry| {
        let (note, tags): (Option<&str>, &[String]) = match &e.body {
            EntryBody::Checkin(c) => (c.note.as_deref(), &c.tags),
            EntryBody::Episode(ep) => (ep.note.as_deref(), &[]),
            _ => (None, &[]),
        };
        note.is_some_and(|n| n.to_lowercase().contains(&wanted))
            || tags.iter().any(|t| t.to_lowercase().contains(&wanted))
    };
    let found: Vec<Entry> = all
        .into_iter()
        .filter(matches)
        .take(limit.map_or(usize::MAX, |n| n as usize))
        .collect();
    tracing::info!(found = found.len(), "entries searched");
    Ok(found)
}

/// Replaces `before` with `after` (same id), settling record-keeping fields
/// the same way from every face, and validates the result whole.
pub async fn update(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    before: &Entry,
    mut after: Entry,
) -> Result<Entry, StoreError> {
    after.id = before.id.clone();
    after.recorded_at = before.recorded_at;
    if let (EntryBody::Episode(new), EntryBody::Episode(old)) = (&mut after.body, &before.body) {
        new.settle_followup_time(old, clock.now);
        // A rating added by an edit answers the prompt that asked for it, and
        // the windows still open follow the episode's new time.
        let prompts = store.prompts(user, Some(&before.id)).await?;
        let mut changed = hearth_core::prompt::answered_by_edit(&prompts, old, new, clock.now);
        let open: Vec<_> = prompts
            .into_iter()
            .filter(|p| changed.iter().all(|c| c.id != p.id))
            .collect();
        changed.extend(hearth_core::prompt::moved(&open, before, &after));
        if !changed.is_empty() {
            return Ok(store
                .save_prompts(user, &changed, Some(&after), clock.now)
                .await?
                .expect("an entry was given"));
        }
    }
    store.update(user, &after, clock.now).await
}

/// Fields a patch may not change: identity and record-keeping.
const FIXED: &[&str] = &["id", "type", "recorded_at", "updated_at"];
const RATINGS: &[&str] = &[
    "mood",
    "energy",
    "stress",
    "loneliness",
    "desire",
    "sleep_quality",
    "mood_before",
    "mood_after",
    "followup",
    "satisfaction",
    "in_control",
];

/// A JSON merge patch over the stored entry (`null` clears a field); every
/// bad field is named, and the result is validated whole before it is kept.
pub async fn patch(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    id: &EntryId,
    patch: Value,
) -> Result<Entry, AppError> {
    let Value::Object(patch) = patch else {
        return Err(
            ValidationError::invalid("body", "send a JSON object of the fields to change").into(),
        );
    };
    let before = get(store, user, id).await?;
    let value = serde_json::json!(before);
    let mut p = Vec::new();
    for (k, v) in &patch {
        if FIXED.contains(&k.as_str()) {
            p.push(ValidationError::invalid(k, "cannot be changed"));
        } else if value.get(k).is_none() {
            p.push(ValidationError::invalid(k, "is not a field of this entry"));
        } else if RATINGS.contains(&k.as_str()) && !v.is_null() {
            match v.as_i64() {
                Some(n) => {
                    if let Err(e) = hearth_core::Rating::new(k, n) {
                        p.push(e);
                    }
                }
                None => p.push(ValidationError::invalid(
                    k,
                    "must be a whole number from 0 to 10",
                )),
            }
        }
    }
    if !p.is_empty() {
        return Err(AppError::Invalid(p));
    }
    let change = EntryPatch::from_json(&before.body, patch)?;
    Ok(edit(store, user, clock, &before, change).await?)
}

/// Applies a patch to `before` and keeps the result, validated whole.
pub async fn edit(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    before: &Entry,
    patch: EntryPatch,
) -> Result<Entry, StoreError> {
    let mut after = before.clone();
    patch.apply(&mut after)?;
    update(store, user, clock, before, after).await
}
