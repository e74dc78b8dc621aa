//! Questionnaires: what is due, by the person's cadence or the instrument's.

use hearth_core::instrument::Registry;
use hearth_core::settings::Due;
use hearth_core::vocab::EntryType;
use hearth_store::{Filter, Only, Store, StoreError, UserId};
use jiff::Timestamp;

/// One row per questionnaire with a cadence, in the registry's order.
pub async fn due(
    store: &dyn Store,
    user: UserId,
    registry: &Registry,
    now: Timestamp,
) -> Result<Vec<Due>, StoreError> {
    let settings = store.settings(user).await?;
    let surveys = store
        .list(
            user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?;
    Ok(hearth_core::settings::surveys_due(
        &settings, registry, &surveys, now,
    ))
}
