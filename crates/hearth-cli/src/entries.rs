//! Recording and reading entries: `checkin`, `log`, `list`, `show`, `edit`, `delete`.

use hearth_core::kind::Kind;
use hearth_core::model::{CheckIn, Episode};
use hearth_core::patch::{
    BodyPatch, Change, CheckinPatch, EntryPatch, EpisodePatch, MedicationPatch,
};
use hearth_core::vocab::EntryType;
use hearth_core::when::{parse_date, start_of_day};
use hearth_core::{EntryBody, EntryId, ValidationError};
use hearth_store::{Filter, Only};
use jiff::Timestamp;

use crate::cli::{CheckinArgs, EditArgs, ListArgs, LogArgs, When};

/// Rows `hearth list` shows a person unless told otherwise.
const LIST_DEFAULT: u32 = 20;
use crate::fields::{
    self, checkin_given, checkin_patch, episode_given, episode_patch, parse_number,
};
use crate::{render, safety};
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};

use crate::failure::{Failure, Outcome, print_json, print_json_list};

/// The note from `--note`, `--edit` (the person's editor) or none.
fn note(when: &When, current: Option<&str>) -> Result<Option<String>, Failure> {
    if when.edit {
        crate::editor::note(current)
    } else {
        Ok(when.note.clone())
    }
}

pub async fn checkin(store: &SqliteStore, clock: &Clock, a: CheckinArgs, json: bool) -> Outcome {
    let given = a.mood_arg.as_deref().or(a.fields.mood.as_deref());
    let mood = match given {
        Some(m) => hearth_core::Rating::parse("mood", m)?,
        // Someone at a terminal who typed only `hearth checkin` is asked.
        None if !a.not_safe && !json && crate::term::interactive() => crate::term::ask(
            "How is your mood right now, from 0 (very low) to 10 (very good)?",
            |t| hearth_core::Rating::parse("mood", t),
        )
        .ok_or_else(|| Failure::Input("nothing saved".into()))?,
        None => {
            return Err(Failure::Input(if a.not_safe {
                "the lines above are there whenever you need them. To save this check-in too, add --mood with how you feel from 0 to 10.".into()
            } else {
                "a mood is needed: how is your mood right now, from 0 (very low) to 10 (very good)? For example `hearth checkin 6` or `hearth checkin --mood 6`".into()
            }));
        }
    };
    let mut c = CheckIn::new(mood);
    checkin_patch(&a.fields)?.apply(&mut c)?;
    c.note = match a.note_arg {
        Some(n) => Some(n),
        None => note(&a.when, None)?,
    };
    c.not_safe = a.not_safe;
    save(store, clock, &a.when.at, EntryBody::Checkin(c), json).await
}

pub async fn log(store: &SqliteStore, clock: &Clock, a: LogArgs, json: bool) -> Outcome {
    let custom = store.custom_kinds(LOCAL_USER).await?;
    let kind = Kind::resolve(&a.kind, &custom).map_err(|e| match e {
        ValidationError::UnknownValue { allowed, .. } => Failure::Input(format!(
            "'{}' is not an activity kind. Choose one of: {}; or add your own with `hearth kinds add {}`",
            a.kind,
            allowed.join(", "),
            a.kind.trim().to_lowercase()
        )),
        other => other.into(),
    })?;
    let mut e = Episode::new(kind);
    episode_patch(&a.fields, clock)?.apply(&mut e)?;
    e.note = note(&a.when, None)?;
    save(store, clock, &a.when.at, EntryBody::Episode(e), json).await
}

pub async fn show(store: &SqliteStore, clock: &Clock, id: &str, json: bool) -> Outcome {
    let id = EntryId::parse(id)?;
    let e = hearth_app::entries::get(store, LOCAL_USER, &id).await?;
    if json {
        print_json(&e);
    } else {
        println!(
            "{}",
            render::entry(&e, &clock.tz, &crate::instruments::registry().0)
        );
    }
    Ok(())
}

pub async fn search(
    store: &SqliteStore,
    clock: &Clock,
    text: &str,
    limit: Option<u32>,
    json: bool,
) -> Outcome {
    let found = hearth_app::entries::search(store, LOCAL_USER, text, limit).await?;
    if json {
        print_json(&found);
    } else if found.is_empty() {
        println!("No note or tag contains '{}'.", text.trim());
    } else {
        crate::term::page(&render::entries(
            &found,
            &clock.tz,
            &crate::instruments::registry().0,
        ));
    }
    Ok(())
}

pub async fn delete(store: &SqliteStore, id: &str, json: bool) -> Outcome {
    let id = EntryId::parse(id)?;
    hearth_app::entries::delete(store, LOCAL_USER, &id).await?;
    if json {
        print_json(&serde_json::json!({"deleted": id}));
    } else {
        println!("Deleted {id}.");
    }
    Ok(())
}

async fn save(
    store: &SqliteStore,
    clock: &Clock,
    at: &Option<String>,
    body: EntryBody,
    json: bool,
) -> Outcome {
    let at = clock.time("at", at)?;
    let saved = hearth_app::entries::record(store, LOCAL_USER, clock, at, body).await?;
    let e = &saved;
    let concern = hearth_core::crisis::Concern::of_entry(&e.body);
    // The region only when lines are shown: a plain check-in reads nothing more.
    let region = if e.body.is_crisis() || concern.is_some() {
        store.settings(LOCAL_USER).await?.region
    } else {
        String::new()
    };
    if json {
        let mut v = serde_json::to_value(e).expect("entries serialise");
        if e.body.is_crisis() {
            v["crisis"] = true.into();
            v["resources"] = safety::crisis_json(&region, &store.contacts(LOCAL_USER).await?);
        }
        if let Some(c) = concern {
            v["support"] = hearth_core::crisis::support_json(&region, c);
        }
        print_json(&v);
    } else {
        let what = match &e.body {
            EntryBody::Checkin(_) => "check-in".to_string(),
            EntryBody::Episode(ep) => hearth_core::labels::kind(&ep.kind).to_lowercase(),
            EntryBody::Medication(m) => format!("{} {}", m.medication, m.event),
            EntryBody::Survey(sv) => sv.instrument.clone(),
        };
        println!(
            "Saved {what} at {} — id {}",
            render::local(e.at, &clock.tz),
            e.id
        );
        if matches!(e.body, EntryBody::Episode(_))
            && !hearth_store::Prompts::prompts(store, LOCAL_USER, Some(&e.id))
                .await?
                .is_empty()
        {
            println!("Hearth will ask later how it left you: `hearth due` shows what is waiting.");
        }
    }
    if let Some(c) = concern {
        // Said to the person even when stdout goes to a program.
        let text = safety::support_text(&region, c);
        if json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }
    Ok(())
}

pub async fn list(store: &SqliteStore, clock: &Clock, a: ListArgs, json: bool) -> Outcome {
    let day =
        |field: &str, text: &Option<String>, next: bool| -> Result<Option<Timestamp>, Failure> {
            let Some(t) = text else { return Ok(None) };
            let mut d = parse_date(field, t)?;
            if next {
                d = d
                    .tomorrow()
                    .map_err(|_| Failure::Input(format!("--{field} is out of range")))?;
            }
            let start = start_of_day(d, &clock.tz)
                .ok_or_else(|| Failure::Input(format!("--{field} is out of range")))?;
            // `until` includes its whole day: stop just before the next one starts.
            Ok(Some(if next {
                start - jiff::SignedDuration::from_micros(1)
            } else {
                start
            }))
        };
    let only = match a.kind.as_deref() {
        None => None,
        Some(k) => match EntryType::parse(k) {
            Ok(t) => Some(Only::Type(t)),
            Err(_) if k.trim().eq_ignore_ascii_case("check-in") => {
                Some(Only::Type(EntryType::Checkin))
            }
            Err(_) => Some(Only::Kind(Kind::resolve(
                k,
                &store.custom_kinds(LOCAL_USER).await?,
            )?)),
        },
    };
    // A person reading a table wants the latest few; scripts want everything.
    let shown = match (a.limit, a.all || json) {
        (Some(n), _) => Some(n),
        (None, true) => None,
        (None, false) => Some(LIST_DEFAULT),
    };
    let filter = Filter {
        since: day("since", &a.since, false)?,
        until: day("until", &a.until, true)?,
        only,
        // One more than shown tells whether there are more.
        limit: shown.map(|n| n.saturating_add(1)),
    };
    if let (Some(s), Some(u)) = (filter.since, filter.until)
        && s > u
    {
        return Err(Failure::Input("--since is after --until".into()));
    }
    let mut entries = store.list(LOCAL_USER, &filter).await?;
    let more = shown.is_some_and(|n| entries.len() > n as usize);
    if let Some(n) = shown {
        entries.truncate(n as usize);
    }
    if json {
        print_json_list(&entries);
    } else {
        let mut out = render::entries(&entries, &clock.tz, &crate::instruments::registry().0);
        if more {
            out.push_str(&crate::term::wrap(&format!(
                "\nThe newest {}; `hearth list --all` shows every one, `--limit N` as many as you like.",
                entries.len()
            )));
        }
        crate::term::page(&out);
    }
    Ok(())
}

pub async fn edit(store: &SqliteStore, clock: &Clock, a: EditArgs, json: bool) -> Outcome {
    let id = EntryId::parse(&a.id)?;
    let before = hearth_app::entries::get(store, LOCAL_USER, &id).await?;
    let wrong = |what: &str, kind: &str| {
        Failure::Input(format!(
            "{what} {kind}; `hearth edit --help` lists what can be changed"
        ))
    };
    let current_note = match &before.body {
        EntryBody::Checkin(c) => c.note.as_deref(),
        EntryBody::Episode(e) => e.note.as_deref(),
        _ => None,
    };
    let note = if a.when.edit {
        // An emptied note in the editor clears it.
        match crate::editor::note(current_note)? {
            Some(n) => Change::Set(n),
            None if current_note.is_some() => Change::Clear,
            None => Change::Keep,
        }
    } else {
        Change::given(a.when.note.clone())
    };
    let mut body = match &before.body {
        EntryBody::Checkin(_) => {
            if episode_given(&a.episode) || a.dose.is_some() {
                return Err(wrong(
                    "this entry is a check-in:",
                    "activity and medication fields do not apply",
                ));
            }
            BodyPatch::Checkin(CheckinPatch {
                note,
                ..checkin_patch(&a.checkin)?
            })
        }
        EntryBody::Episode(_) => {
            if checkin_given(&a.checkin) || a.dose.is_some() {
                return Err(wrong(
                    "this entry is an activity:",
                    "check-in and medication fields do not apply",
                ));
            }
            BodyPatch::Episode(EpisodePatch {
                note,
                ..episode_patch(&a.episode, clock)?
            })
        }
        EntryBody::Survey(_) => {
            return Err(Failure::Input(
                "questionnaire answers cannot be edited, so every score stays exactly as given; \
                 delete it with `hearth delete` and take it again if it was wrong"
                    .into(),
            ));
        }
        EntryBody::Medication(_) => {
            if checkin_given(&a.checkin)
                || episode_given(&a.episode)
                || a.when.note.is_some()
                || a.when.edit
            {
                return Err(wrong(
                    "this entry is a medication event:",
                    "only --dose and --at can change",
                ));
            }
            BodyPatch::Medication(MedicationPatch {
                dose: Change::given(
                    a.dose
                        .as_deref()
                        .map(|d| parse_number("dose", d))
                        .transpose()?,
                ),
                ..MedicationPatch::default()
            })
        }
    };
    for field in &a.clear {
        fields::clear(&mut body, field)?;
    }
    let patch = EntryPatch {
        at: Change::given(clock.time("at", &a.when.at)?),
        tz: Change::Keep,
        body,
    };
    let saved = hearth_app::entries::edit(store, LOCAL_USER, clock, &before, patch).await?;
    if json {
        print_json(&saved);
    } else {
        println!("Updated {}.", saved.id);
        println!(
            "{}",
            render::entry(&saved, &clock.tz, &crate::instruments::registry().0)
        );
    }
    Ok(())
}
