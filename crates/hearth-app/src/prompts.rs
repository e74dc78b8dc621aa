//! Asking later: the prompts an episode gets when it is logged, what is
//! waiting for a person now, and answering or putting a prompt aside.

use hearth_core::instrument::Registry;
use hearth_core::{Entry, EntryBody, EntryId, Prompt, Rating, Settings, ValidationError};
use hearth_store::{Store, StoreError, UserId};
use serde::Serialize;

use crate::{AppError, Clock};

/// A prompt open now, with the episode it asks about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub prompt: Prompt,
    pub entry: Entry,
}

/// Everything waiting for a person now, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub prompts: Vec<Waiting>,
    /// Questionnaires due, only those the person tracks.
    pub surveys: Vec<hearth_core::settings::Due>,
}

impl Due {
    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty() && self.surveys.is_empty()
    }
}

/// Makes the prompts a just-recorded episode should get. Anything else, or
/// an episode whose windows have all closed, gets none.
pub async fn ask_after(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    settings: &Settings,
    entry: &Entry,
) -> Result<Vec<Prompt>, StoreError> {
    let planned = hearth_core::prompt::plan(
        entry,
        settings.after_window_hours(),
        &settings.asks_later(),
        clock.now,
    );
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    let made = store.add_prompts(user, &entry.id, &planned).await?;
    tracing::info!(entry = %entry.id, prompts = made.len(), "prompts made");
    Ok(made)
}

/// What is waiting now. With `seen`, the prompts listed are marked as shown
/// (the first time only): a face passes it when a person will see the list.
pub async fn due(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    registry: &Registry,
    seen: bool,
) -> Result<Due, StoreError> {
    let open = store.due_prompts(user, clock.now).await?;
    let mut prompts = Vec::with_capacity(open.len());
    for p in open {
        // A prompt outlives nothing: one whose episode is gone is not asked.
        let Some(id) = &p.entry_id else { continue };
        if let Some(entry) = store.get(user, id).await? {
            prompts.push(Waiting { prompt: p, entry });
        }
    }
    if seen {
        let first: Vec<Prompt> = prompts
            .iter()
            .filter(|w| w.prompt.shown_at.is_none())
            .map(|w| Prompt {
                shown_at: Some(clock.now),
                ..w.prompt.clone()
            })
            .collect();
        if !first.is_empty() {
            store.save_prompts(user, &first, None, clock.now).await?;
            for w in &mut prompts {
                w.prompt.shown_at.get_or_insert(clock.now);
            }
        }
    }
    let mut surveys: Vec<_> = crate::surveys::due(store, user, registry, clock.now)
        .await?
        .into_iter()
        .filter(|d| d.due)
        .collect();
    surveys.sort_by_key(|d| d.due_at);
    Ok(Due { prompts, surveys })
}

/// The prompt, or `NotFound` when this person has no such prompt.
pub async fn get(store: &dyn Store, user: UserId, id: &EntryId) -> Result<Prompt, StoreError> {
    store
        .prompt(user, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(id.clone()))
}

/// Answers a prompt now: the rating goes into its episode (the after-rating,
/// or the later rating with this time) and the prompt keeps when it was
/// answered, late or not, in one write.
pub async fn answer(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    id: &EntryId,
    rating: Rating,
) -> Result<(Prompt, Entry), AppError> {
    let mut prompt = get(store, user, id).await?;
    let entry_id = prompt
        .entry_id
        .clone()
        .ok_or_else(|| ValidationError::invalid("prompt", "this question has nothing to fill"))?;
    let mut entry = store
        .get(user, &entry_id)
        .await?
        .ok_or(StoreError::NotFound(entry_id))?;
    let EntryBody::Episode(ep) = &mut entry.body else {
        return Err(
            ValidationError::invalid("prompt", "this question is not about an activity").into(),
        );
    };
    prompt.answer(ep, rating, clock.now)?;
    prompt.shown_at.get_or_insert(clock.now);
    let saved = store
        .save_prompts(user, std::slice::from_ref(&prompt), Some(&entry), clock.now)
        .await?
        .expect("an entry was given");
    tracing::info!(prompt = %prompt.id, entry = %saved.id, "prompt answered");
    Ok((prompt, saved))
}

/// Puts a prompt aside for good: it is never asked again.
pub async fn dismiss(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    id: &EntryId,
) -> Result<Prompt, AppError> {
    let mut prompt = get(store, user, id).await?;
    prompt.dismiss(clock.now)?;
    prompt.shown_at.get_or_insert(clock.now);
    store
        .save_prompts(user, std::slice::from_ref(&prompt), None, clock.now)
        .await?;
    tracing::info!(prompt = %prompt.id, "prompt put aside");
    Ok(prompt)
}

/// What a reminder has to say at `now`, counted, never named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// One of the person's check-in times has passed with no check-in since.
    pub checkin: bool,
    /// Prompts open now.
    pub questions: usize,
    /// Questionnaires due.
    pub surveys: usize,
}

impl Reminder {
    pub fn is_empty(&self) -> bool {
        !self.checkin && self.questions == 0 && self.surveys == 0
    }
}

/// What is waiting at `now`. With `since` (the last reminder shown), only
/// what came due after it counts, so a reminder is shown once for each thing.
/// Nothing is marked as seen.
pub async fn reminder(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    registry: &Registry,
    since: Option<jiff::Timestamp>,
) -> Result<Reminder, StoreError> {
    let settings = store.settings(user).await?;
    let last_checkin = store
        .list(
            user,
            &hearth_store::Filter {
                only: Some(hearth_store::Only::Type(
                    hearth_core::vocab::EntryType::Checkin,
                )),
                until: Some(clock.now),
                limit: Some(1),
                ..hearth_store::Filter::default()
            },
        )
        .await?
        .first()
        .map(|e| e.at);
    let checkin = hearth_core::remind::checkin_due(
        &settings.remind_at,
        &clock.tz,
        since,
        clock.now,
        last_checkin,
    );
    let after = |t: jiff::Timestamp| since.is_none_or(|s| t > s);
    let waiting = due(store, user, clock, registry, false).await?;
    Ok(Reminder {
        checkin,
        questions: waiting
            .prompts
            .iter()
            .filter(|w| after(w.prompt.scheduled_at))
            .count(),
        surveys: waiting
            .surveys
            .iter()
            .filter(|d| since.is_none() || d.due_at.is_some_and(after))
            .count(),
    })
}
