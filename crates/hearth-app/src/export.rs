//! A person's whole journal for the lossless JSON export, and the entries
//! and prompts a CSV export holds, shared by `hearth export` and the web
//! app's downloads.

use hearth_core::{Entry, Prompt};
use hearth_formats::hearth_json::Export;
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::Timestamp;

/// Every entry and every prompt, read side by side: the embedded store
/// reads each on a connection of its own.
pub async fn entries_and_prompts(
    store: &dyn Store,
    user: UserId,
) -> Result<(Vec<Entry>, Vec<Prompt>), StoreError> {
    let all = Filter::default();
    tokio::try_join!(store.list(user, &all), store.prompts(user, None))
}

pub async fn journal(
    store: &dyn Store,
    user: UserId,
    now: Timestamp,
) -> Result<Export, StoreError> {
    let (entries, prompts) = entries_and_prompts(store, user).await?;
    let export = Export::new(
        now,
        store.settings(user).await?,
        store.custom_kinds(user).await?,
        store.contacts(user).await?,
    )
    .with_entries(entries);
    Ok(Export {
        questions: store.questions(user).await?,
        prompts,
        ..export
    })
}
