//! A person's whole journal for the lossless JSON export, shared by
//! `hearth export` and the web app's download.

use hearth_formats::hearth_json::Export;
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::Timestamp;

pub async fn journal(
    store: &dyn Store,
    user: UserId,
    now: Timestamp,
) -> Result<Export, StoreError> {
    // Side by side: the embedded store reads each on a connection of its own.
    let all = Filter::default();
    let (entries, prompts) = tokio::try_join!(store.list(user, &all), store.prompts(user, None))?;
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
