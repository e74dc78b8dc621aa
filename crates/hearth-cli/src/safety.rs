//! Crisis resources, personal contacts and settings. Resources are printed
//! the moment a trigger fires, before anything else is said or saved.

use hearth_core::EntryId;
use hearth_core::crisis::{self, MESSAGE};
use hearth_core::{Contact, Settings};
use hearth_store::{LOCAL_USER, SqliteStore, Store};
use serde_json::{Value, json};

use crate::cli::{ContactsCommand, SettingsCommand};
use crate::failure::{Failure, Outcome, print_json};
use hearth_app::Clock;

/// The resources for a region plus the person's own contacts, as text.
/// The region's lines, the person's own contacts, then the international
/// lines, one per line; shared by every place that shows them.
fn resource_list(region: &str, contacts: &[Contact]) -> (String, String) {
    let regions = crisis::resources_for(region);
    let mut out = String::new();
    for (i, (_, r)) in regions.iter().enumerate() {
        out.push_str(&format!("\n  {}\n", r.name));
        for res in &r.resources {
            out.push_str(&format!(
                "    • {} — {} ({})\n      {}\n",
                res.name, res.contact, res.hours, res.url
            ));
        }
        if i == 0 && !contacts.is_empty() {
            out.push_str("\n  Your own contacts\n");
            for c in contacts {
                out.push_str(&format!("    • {} — {}\n", c.name, c.contact));
            }
        }
    }
    (out, regions[0].1.emergency.clone())
}

/// The resources for a region plus the person's own contacts, as text.
pub fn crisis_text(region: &str, contacts: &[Contact]) -> String {
    let rule = "─".repeat(60);
    let (list, emergency) = resource_list(region, contacts);
    format!(
        "{rule}\n{MESSAGE}\n{list}\nIf you might act on these thoughts or are in danger now, call {emergency}.\n{rule}"
    )
}

/// Kind words and support lines after a person noted feeling pressured, or
/// unprotected sex with a new partner.
pub fn support_text(region: &str, concern: crisis::Concern) -> String {
    let mut out = format!("\n{}\n", concern.message());
    for (_, r) in crisis::support_for(region) {
        for res in &r.resources {
            out.push_str(&format!(
                "  • {} — {} ({})\n    {}\n",
                res.name, res.contact, res.hours, res.url
            ));
        }
    }
    out.trim_end().to_string()
}

pub fn crisis_json(region: &str, contacts: &[Contact]) -> Value {
    crisis::resources_json(region, contacts)
}

/// Shows resources at once. With `--json` the text goes to stderr so a person
/// sees it even when stdout is read by a program.
pub async fn show_crisis(store: Option<&SqliteStore>, fallback_region: &str, json: bool) -> Value {
    let (region, contacts) = match store {
        Some(s) => (
            s.settings(LOCAL_USER)
                .await
                .map(|x| x.region)
                .unwrap_or_else(|_| fallback_region.to_string()),
            s.contacts(LOCAL_USER).await.unwrap_or_default(),
        ),
        None => (fallback_region.to_string(), Vec::new()),
    };
    let text = crisis_text(&region, &contacts);
    if json {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
    crisis_json(&region, &contacts)
}

pub async fn help_now(store: &SqliteStore, json: bool) -> Outcome {
    let settings = store.settings(LOCAL_USER).await?;
    let contacts = store.contacts(LOCAL_USER).await?;
    print_help_now(&settings.region, &contacts, json);
    Ok(())
}

/// The resources on request. Also used when the journal cannot be opened,
/// so a locked or damaged journal never stands between a person and help.
pub fn print_help_now(region: &str, contacts: &[Contact], json: bool) {
    if json {
        print_json(&crisis_json(region, contacts));
        return;
    }
    let (list, emergency) = resource_list(region, contacts);
    println!("If you need to talk to someone now:\n{list}");
    println!("In an emergency, call {emergency}.");
    println!("Hearth is not a medical device and not a substitute for care.");
}

pub async fn contacts(
    store: &SqliteStore,
    clock: &Clock,
    cmd: ContactsCommand,
    json: bool,
) -> Outcome {
    match cmd {
        ContactsCommand::Add {
            name,
            contact,
            note,
        } => {
            let c = store
                .add_contact(LOCAL_USER, &name, &contact, note.as_deref(), clock.now)
                .await?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "Added {} — they will be listed beside the crisis lines. (id {})",
                    c.name, c.id
                );
            }
        }
        ContactsCommand::List => {
            let list = store.contacts(LOCAL_USER).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No contacts yet. Add someone with `hearth contacts add NAME CONTACT`.");
            } else {
                for c in &list {
                    let note = c
                        .note
                        .as_deref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    println!("{}  {} — {}{note}", c.id, c.name, c.contact);
                }
            }
        }
        ContactsCommand::Remove { id } => {
            let id = EntryId::parse(&id)?;
            if !store.remove_contact(LOCAL_USER, &id).await? {
                return Err(Failure::Input(format!(
                    "there is no contact with id {id}; `hearth contacts list` shows ids"
                )));
            }
            if json {
                print_json(&json!({"removed": id}));
            } else {
                println!("Removed contact {id}.");
            }
        }
    }
    Ok(())
}

pub async fn settings(store: &SqliteStore, cmd: Option<SettingsCommand>, json: bool) -> Outcome {
    let mut s: Settings = store.settings(LOCAL_USER).await?;
    if let Some(SettingsCommand::Set { key, value }) = cmd {
        let (registry, _) = crate::instruments::registry();
        let custom = store.custom_kinds(LOCAL_USER).await?;
        s.set_text(&registry, &custom, &key, &value)?;
        store.set_settings(LOCAL_USER, &s).await?;
    }
    if json {
        print_json(&s);
    } else {
        println!("time zone  {}", s.tz);
        let name = crisis::regions()
            .get(&s.region)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        println!("region     {} ({name})", s.region);
        for (id, days) in &s.cadence {
            println!("cadence    {id} every {days} days");
        }
        let (registry, _) = crate::instruments::registry();
        let on: Vec<&str> = registry
            .instruments
            .iter()
            .filter(|i| s.cadence_of(i).is_some() && s.tracks(&i.id))
            .map(|i| i.id.as_str())
            .collect();
        println!(
            "suggested  {}",
            if on.is_empty() {
                "none".to_string()
            } else {
                on.join(", ")
            }
        );
        if !s.hidden_kinds.is_empty() {
            let hidden: Vec<&str> = s.hidden_kinds.iter().map(String::as_str).collect();
            println!("hidden     {}", hidden.join(", "));
        }
        println!("discreet   {}", if s.discreet { "on" } else { "off" });
        println!("asks after {} hours", s.after_window_hours());
        let later: Vec<String> = s
            .asks_later()
            .iter()
            .map(|k| hearth_core::labels::kind_name(k))
            .collect();
        println!(
            "later      {}",
            if later.is_empty() {
                "none".to_string()
            } else {
                later.join(", ")
            }
        );
    }
    Ok(())
}
