//! Gathering a person's whole journal for the lossless JSON export, shared by
//! `hearth export` and the web app's download.

use hearth_formats::hearth_json::{self, Export};
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::Timestamp;

pub async fn journal(
    store: &dyn Store,
    user: UserId,
    now: Timestamp,
) -> Result<Export, StoreError> {
    let s = store.settings(user).await?;
    let contacts = store
        .contacts(user)
        .await?
        .into_iter()
        .map(|c| hearth_json::Contact {
            id: c.id,
            name: c.name,
            contact: c.contact,
            note: c.note,
        })
        .collect();
    let entries = store.list(user, &Filter::default()).await?;
    let export = Export::new(
        now,
        hearth_json::Settings {
            tz: s.tz,
            region: s.region,
            cadence: s.cadence,
        },
        store.custom_kinds(user).await?,
        contacts,
    )
    .with_entries(entries);
    Ok(Export {
        questions: store
            .questions(user)
            .await?
            .into_iter()
            .map(|q| hearth_json::Question {
                id: q.id,
                text: q.text,
                created_at: q.created_at,
            })
            .collect(),
        ..export
    })
}
