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

use crate::cli::{CheckinArgs, EditArgs, ListArgs, LogArgs};
use crate::fields::{
    self, checkin_given, checkin_patch, episode_given, episode_patch, parse_number,
};
use crate::{render, safety};
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};

use crate::failure::{Failure, Outcome, print_json};

pub async fn checkin(store: &SqliteStore, clock: &Clock, a: CheckinArgs, json: bool) -> Outcome {
    let mood = a.fields.mood.as_deref().ok_or_else(|| {
        Failure::Input(if a.not_safe {
            "the lines above are there whenever you need them. To save this check-in too, add --mood with how you feel from 0 to 10.".into()
        } else {
            "--mood is required: how is your mood right now, from 0 (very low) to 10 (very good)?".into()
        })
    })?;
    let mut c = CheckIn::new(hearth_core::Rating::parse("mood", mood)?);
    checkin_patch(&a.fields)?.apply(&mut c)?;
    c.note = a.when.note.clone();
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
    e.note = a.when.note.clone();
    save(store, clock, &a.when.at, EntryBody::Episode(e), json).await
}

pub async fn show(store: &SqliteStore, clock: &Clock, id: &str, json: bool) -> Outcome {
    let id = EntryId::parse(id)?;
    let e = hearth_app::entries::get(store, LOCAL_USER, &id).await?;
    if json {
        print_json(&e);
    } else {
        println!("{}", render::entry(&e, &clock.tz));
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
    if json {
        let mut v = serde_json::to_value(e).expect("entries serialise");
        if e.body.is_crisis() {
            let settings = store.settings(LOCAL_USER).await?;
            v["crisis"] = true.into();
            v["resources"] =
                safety::crisis_json(&settings.region, &store.contacts(LOCAL_USER).await?);
        }
        print_json(&v);
    } else {
        let what = match &e.body {
            EntryBody::Checkin(_) => "check-in".to_string(),
            EntryBody::Episode(ep) => ep.kind.to_string(),
            EntryBody::Medication(m) => format!("{} {}", m.medication, m.event),
            EntryBody::Survey(sv) => sv.instrument.clone(),
        };
        println!(
            "Saved {what} at {} — id {}",
            render::local(e.at, &clock.tz),
            e.id
        );
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
    let filter = Filter {
        since: day("since", &a.since, false)?,
        until: day("until", &a.until, true)?,
        only,
        limit: a.limit,
    };
    if let (Some(s), Some(u)) = (filter.since, filter.until)
        && s > u
    {
        return Err(Failure::Input("--since is after --until".into()));
    }
    let entries = store.list(LOCAL_USER, &filter).await?;
    if json {
        print_json(&entries);
    } else {
        println!("{}", render::entries(&entries, &clock.tz));
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
    let note = Change::given(a.when.note.clone());
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
            if checkin_given(&a.checkin) || episode_given(&a.episode) || a.when.note.is_some() {
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
        println!("{}", render::entry(&saved, &clock.tz));
    }
    Ok(())
}
