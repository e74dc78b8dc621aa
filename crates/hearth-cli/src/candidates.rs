//! What completions offer from the journal: activity kinds (the person's
//! own too) and recent entry ids. Only a key-file journal that already
//! exists is read, never created, and nothing is ever asked for; an entry is
//! described by its kind and time, never its note.

use clap_complete::engine::CompletionCandidate;
use hearth_core::vocab::{BuiltinKind, EntryType};
use hearth_store::{Filter, LOCAL_USER, SqliteStore, Store, keys, sqlite};

/// Runs `f` on the journal if it opens without a passphrase.
fn with_journal<T: Default>(f: impl AsyncFnOnce(&SqliteStore) -> T) -> T {
    let Ok(dir) = crate::open::data_dir(&std::env::var_os("HEARTH_DATA_DIR").map(Into::into))
    else {
        return T::default();
    };
    let key_file = matches!(
        keys::read_meta(&dir),
        Ok(Some(keys::Meta {
            mode: keys::KeyMode::File,
            ..
        }))
    );
    if !sqlite::exists(&dir) || !key_file {
        return T::default();
    }
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return T::default();
    };
    rt.block_on(async {
        match SqliteStore::open_with(
            &dir,
            &keys::Unlock::KeyFileOnly,
            hearth_store::sqlite::Connections::Command,
        )
        .await
        {
            Ok(store) => {
                let out = f(&store).await;
                store.close().await;
                out
            }
            Err(_) => T::default(),
        }
    })
}

fn custom_kinds() -> Vec<String> {
    with_journal(async |s| s.custom_kinds(LOCAL_USER).await.unwrap_or_default())
}

/// Built-in and custom activity kinds, for `hearth log`.
pub fn kinds() -> Vec<CompletionCandidate> {
    BuiltinKind::ALL
        .iter()
        .map(|k| {
            CompletionCandidate::new(k.as_str())
                .help(Some(hearth_core::labels::builtin_kind(*k).into()))
        })
        .chain(custom_kinds().into_iter().map(CompletionCandidate::new))
        .collect()
}

/// Kinds and entry types, for `hearth list --kind`.
pub fn list_kinds() -> Vec<CompletionCandidate> {
    EntryType::ALL
        .iter()
        .map(|t| CompletionCandidate::new(t.as_str()))
        .chain(kinds())
        .collect()
}

/// The newest entries' ids, each with what and when, for show/edit/delete.
pub fn ids() -> Vec<CompletionCandidate> {
    let registry = crate::instruments::registry().0;
    with_journal(async |s| {
        let filter = Filter {
            limit: Some(40),
            ..Filter::default()
        };
        let tz = s
            .settings(LOCAL_USER)
            .await
            .ok()
            .and_then(|st| hearth_core::when::zone(&st.tz))
            .unwrap_or(jiff::tz::TimeZone::UTC);
        s.list(LOCAL_USER, &filter)
            .await
            .unwrap_or_default()
            .iter()
            .map(|e| {
                let (what, _, _) = hearth_formats::text::summary(e, &registry);
                CompletionCandidate::new(e.id.to_string()).help(Some(
                    format!("{what}, {}", crate::render::local(e.at, &tz)).into(),
                ))
            })
            .collect()
    })
}
