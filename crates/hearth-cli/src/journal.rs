//! The journal's own lists and the demo: `kinds`, `questions`, `demo`.

use hearth_core::EntryId;
use hearth_core::kind::Kind;
use hearth_core::vocab::{BuiltinKind, EntryType};

use crate::cli::{KindsCommand, QuestionsCommand};
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};

use crate::failure::{Failure, Outcome, print_json};

pub async fn demo(store: &SqliteStore, clock: &Clock, days: u32, seed: u64, json: bool) -> Outcome {
    let existing = store.count(LOCAL_USER).await?;
    if existing > 0 {
        return Err(Failure::Input(format!(
            "this journal already has {existing} entries, and demo data would mix with them. \
             Explore the demo in its own place: `hearth --data-dir /tmp/hearth-demo demo`"
        )));
    }
    let spec = hearth_core::demo::Spec {
        days,
        seed,
        now: clock.now,
        tz: clock.tz.clone(),
        effects: hearth_core::demo::Effects::default(),
    };
    let saved =
        hearth_app::journal::fill_demo(store, LOCAL_USER, &spec, &clock.tz_name, clock.now).await?;
    let count = |t: EntryType| saved.iter().filter(|e| e.body.entry_type() == t).count();
    let (checkins, episodes, meds) = (
        count(EntryType::Checkin),
        count(EntryType::Episode),
        count(EntryType::Medication),
    );
    if json {
        print_json(
            &serde_json::json!({"days": days, "seed": seed, "checkins": checkins, "episodes": episodes, "medication_events": meds}),
        );
    } else {
        println!(
            "Filled the journal with {days} days of made-up data (seed {seed}): {checkins} check-ins, {episodes} activities, {meds} medication events."
        );
        println!(
            "This is a demo profile: none of it is real. See docs/demo.md for what was planted in it."
        );
    }
    Ok(())
}

pub async fn questions(
    store: &SqliteStore,
    clock: &Clock,
    cmd: QuestionsCommand,
    json: bool,
) -> Outcome {
    match cmd {
        QuestionsCommand::Add { text } => {
            let q = store.add_question(LOCAL_USER, &text, clock.now).await?;
            if json {
                print_json(&q);
            } else {
                println!("Added — it will be in your next report. (id {})", q.id);
            }
        }
        QuestionsCommand::List => {
            let list = store.questions(LOCAL_USER).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No questions yet. Add one with `hearth questions add \"…\"`.");
            } else {
                for q in &list {
                    println!("{}  {}", q.id, q.text);
                }
            }
        }
        QuestionsCommand::Remove { id } => {
            let id = EntryId::parse(&id)?;
            if !store.remove_question(LOCAL_USER, &id).await? {
                return Err(Failure::Input(format!(
                    "there is no question with id {id}; `hearth questions list` shows ids"
                )));
            }
            if json {
                print_json(&serde_json::json!({"removed": id}));
            } else {
                println!("Removed question {id}.");
            }
        }
    }
    Ok(())
}

pub async fn kinds(store: &SqliteStore, clock: &Clock, cmd: KindsCommand, json: bool) -> Outcome {
    match cmd {
        KindsCommand::Add { name } => {
            let kind = Kind::new_custom(&name)?;
            let created = store.add_custom_kind(LOCAL_USER, &kind, clock.now).await?;
            if json {
                print_json(&serde_json::json!({"kind": kind, "created": created}));
            } else if created {
                println!("Added the kind '{kind}'. Log it with `hearth log {kind}`.");
            } else {
                println!("You already have the kind '{kind}'.");
            }
        }
        KindsCommand::List => {
            let custom = store.custom_kinds(LOCAL_USER).await?;
            if json {
                print_json(&serde_json::json!({"builtin": BuiltinKind::NAMES, "custom": custom}));
            } else {
                println!("Built in: {}", BuiltinKind::NAMES.join(", "));
                if custom.is_empty() {
                    println!("Your own: none yet (add one with `hearth kinds add NAME`)");
                } else {
                    println!("Your own: {}", custom.join(", "));
                }
            }
        }
    }
    Ok(())
}
