//! Questionnaires: what is due, by the person's cadence or the instrument's.

use hearth_core::instrument::Registry;
use hearth_core::settings::Due;
use hearth_core::vocab::EntryType;
use hearth_core::{Entry, EntryBody};
use hearth_store::{Filter, Only, Store, StoreError, UserId};
use jiff::Timestamp;

/// Every take of one questionnaire, newest first.
pub async fn history(
    store: &dyn Store,
    user: UserId,
    instrument: &str,
) -> Result<Vec<Entry>, StoreError> {
    Ok(surveys(store, user)
        .await?
        .into_iter()
        .filter(|e| matches!(&e.body, EntryBody::Survey(s) if s.instrument == instrument))
        .collect())
}

async fn surveys(store: &dyn Store, user: UserId) -> Result<Vec<Entry>, StoreError> {
    store
        .list(
            user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await
}

/// One row per questionnaire with a cadence, in the registry's order.
pub async fn due(
    store: &dyn Store,
    user: UserId,
    registry: &Registry,
    now: Timestamp,
) -> Result<Vec<Due>, StoreError> {
    let settings = store.settings(user).await?;
    let surveys = surveys(store, user).await?;
    Ok(hearth_core::settings::surveys_due(
        &settings, registry, &surveys, now,
    ))
}
