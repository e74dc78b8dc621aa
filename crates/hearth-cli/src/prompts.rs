//! `hearth due` and `hearth answer`: what is waiting, answered in one step.

use hearth_app::{AppError, Clock};
use hearth_core::{EntryBody, EntryId, Rating, labels};
use hearth_store::{LOCAL_USER, SqliteStore, Store, StoreError};
use serde_json::json;

use crate::failure::{Failure, Outcome, print_json};
use crate::render;

pub async fn due(store: &SqliteStore, clock: &Clock, json: bool) -> Outcome {
    let (reg, _) = crate::instruments::registry();
    // A script reading --json is not a person seeing the list.
    let due = hearth_app::prompts::due(store, LOCAL_USER, clock, &reg, !json).await?;
    if json {
        print_json(&due);
        return Ok(());
    }
    if due.is_empty() {
        println!("Nothing is waiting for you.");
        return Ok(());
    }
    let settings = store.settings(LOCAL_USER).await?;
    let local = |t| render::local(t, &clock.tz);
    for w in &due.prompts {
        let private = match &w.entry.body {
            EntryBody::Episode(ep) => settings.keeps_private(&ep.kind),
            _ => false,
        };
        println!(
            "{}  {}  ({}; open until {})",
            w.prompt.id,
            labels::prompt_question(w.prompt.kind),
            hearth_formats::text::prompt_about(&w.entry, private, &local),
            local(w.prompt.closes_at),
        );
    }
    if !due.prompts.is_empty() {
        println!(
            "Answer with `hearth answer ID 0-10`, or put one aside with `hearth answer ID --dismiss`."
        );
    }
    for s in &due.surveys {
        println!(
            "{} is due: take it with `hearth survey {}`.",
            s.title, s.instrument
        );
    }
    Ok(())
}

pub async fn answer(
    store: &SqliteStore,
    clock: &Clock,
    id: &str,
    rating: Option<&str>,
    dismiss: bool,
    json: bool,
) -> Outcome {
    let id = EntryId::parse(id)?;
    let not_found = |e: AppError| match e {
        AppError::Store(StoreError::NotFound(id)) => Failure::Input(format!(
            "there is no question with id {id}; `hearth due` shows what is waiting"
        )),
        other => other.into(),
    };
    if dismiss {
        let p = hearth_app::prompts::dismiss(store, LOCAL_USER, clock, &id)
            .await
            .map_err(not_found)?;
        if json {
            print_json(&json!({ "prompt": p }));
        } else {
            println!("Put aside; it will not be asked again.");
        }
        return Ok(());
    }
    let rating = Rating::parse("rating", rating.unwrap_or_default())?;
    let (p, entry) = hearth_app::prompts::answer(store, LOCAL_USER, clock, &id, rating)
        .await
        .map_err(not_found)?;
    if json {
        print_json(&json!({ "prompt": p, "entry": entry }));
    } else if p.status(clock.now) == hearth_core::PromptStatus::Late {
        println!("Kept, marked as given after its time ({rating}).");
    } else {
        println!("Thank you — kept ({rating}).");
    }
    Ok(())
}
