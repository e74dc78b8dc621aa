//! The `hearth` command: parses, calls the library crates, prints.
//! Exit codes: 0 ok, 2 bad input (nothing written), 1 any other failure.

mod admin;
mod cli;
mod exchange;
mod fields;
mod insights;
mod open;
mod render;
mod safety;
mod survey;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use hearth_core::kind::Kind;
use hearth_core::model::{CheckIn, Episode, MedicationEvent, validate_medication_name};
use hearth_core::vocab::{BuiltinKind, DoseUnit, DrugClass, EntryType, MedEventKind};
use hearth_core::when::{parse_date, parse_date_or_time, parse_zone, start_of_day};
use hearth_core::{Entry, EntryBody, EntryId, ValidationError};
use hearth_store::{Filter, LOCAL_USER, NewEntry, Only, SqliteStore, Store, StoreError};
use jiff::Timestamp;
use serde::Serialize;

use crate::cli::{Cli, Command, EditArgs, KindsCommand, ListArgs, MedCommand, QuestionsCommand};
use crate::fields::{
    Clock, apply_checkin, apply_episode, checkin_given, episode_given, flag_for, parse_number,
};

/// A failure as the person should hear about it.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: exit 2, nothing was written.
    Input(String),
    /// Several problems with one request, each naming its field.
    Invalid(Vec<ValidationError>),
    /// Anything else: exit 1.
    Other(String),
}

impl From<ValidationError> for Failure {
    fn from(e: ValidationError) -> Self {
        Failure::Invalid(vec![e])
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => Failure::Invalid(v),
            StoreError::NotFound(id) => Failure::Input(format!(
                "there is no entry with id {id}; `hearth list` shows ids"
            )),
            StoreError::AlreadyExists(dir) => Failure::Input(format!(
                "there is already a journal in {}; choose another --data-dir to start a new one",
                dir.display()
            )),
            other => Failure::Other(other.to_string()),
        }
    }
}

/// Names a field the way it was typed: "--before must be …".
fn describe(e: &ValidationError) -> String {
    let text = e.to_string();
    let field = e.field();
    match text.strip_prefix(field) {
        Some(rest) => format!("{}{rest}", flag_for(field)),
        None => text,
    }
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Input(_) | Failure::Invalid(_) => 2,
            Failure::Other(_) => 1,
        }
    }

    fn report(&self, json: bool) {
        let messages: Vec<String> = match self {
            Failure::Input(m) | Failure::Other(m) => vec![m.clone()],
            Failure::Invalid(v) => v.iter().map(describe).collect(),
        };
        if json {
            let problems = match self {
                Failure::Invalid(v) => serde_json::to_value(v).unwrap_or_default(),
                _ => serde_json::Value::Array(vec![]),
            };
            let body = serde_json::json!({"error": messages.join("; "), "problems": problems});
            eprintln!("{body}");
        } else {
            for m in &messages {
                eprintln!("error: {m}");
            }
            if matches!(self, Failure::Invalid(_)) {
                eprintln!("Nothing was saved.");
            }
        }
    }
}

pub type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            f.report(json);
            ExitCode::from(f.code())
        }
    }
}

pub fn print_json<T: Serialize>(v: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).expect("output serialises")
    );
}

async fn run(cli: Cli) -> Outcome {
    let now = Timestamp::now();
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(shell, &mut Cli::command(), "hearth", &mut std::io::stdout());
        return Ok(());
    }
    let dir = open::data_dir(&cli.data_dir)?;
    if let Command::Init {
        passphrase,
        tz,
        region,
    } = &cli.command
    {
        let store = open::create(&dir, *passphrase, tz.as_deref(), region.as_deref(), now).await?;
        let settings = store.settings(LOCAL_USER).await?;
        store.close().await;
        if cli.json {
            print_json(
                &serde_json::json!({"data_dir": dir, "passphrase": passphrase, "tz": settings.tz, "region": settings.region}),
            );
        } else {
            println!(
                "Created an encrypted journal in {} (time zone {}; crisis lines for region '{}', change with `hearth settings set region CODE`).",
                dir.display(),
                settings.tz,
                settings.region
            );
            if *passphrase {
                println!(
                    "It opens only with your passphrase. Hearth cannot recover it if it is lost."
                );
            } else {
                println!(
                    "Its key is in {} — keep a copy somewhere safe: without it the journal cannot be read.",
                    dir.join(hearth_store::keys::KEY_FILE).display()
                );
            }
        }
        return Ok(());
    }
    if let Command::Serve {
        addr,
        allow_remote,
        lock_after,
        server,
        registration,
        secure_cookies,
        trust_proxy,
    } = &cli.command
    {
        let opts = ServeOptions {
            addr: addr.clone(),
            allow_remote: *allow_remote,
            lock_after: *lock_after,
            registration: hearth_server::auth::Registration::parse(registration)?,
            secure_cookies: *secure_cookies,
            trust_proxy: *trust_proxy,
        };
        // Local mode: the pages create or unlock the journal themselves.
        return match server_store(&dir, server, now).await? {
            None => serve(Access::Local(dir), opts).await,
            Some(store) => serve(Access::Server(store), opts).await,
        };
    }
    if let Command::Admin { server, command } = &cli.command {
        let Some(store) = server_store(&dir, server, now).await? else {
            return Err(Failure::Input(
                "admin works on a server's accounts: give --database-url URL (or HEARTH_DATABASE_URL), or --accounts for the journal in --data-dir".into(),
            ));
        };
        return admin::run(&*store, command, now, cli.json).await;
    }
    // "I'm not safe" shows resources before anything that could fail or wait.
    let not_safe = matches!(&cli.command, Command::Checkin(a) if a.not_safe);
    let store = match open::open_or_create(&dir, now).await {
        Ok(s) => s,
        Err(e) => {
            let region = hearth_core::crisis::region_for_zone(&open::system_zone());
            if not_safe {
                safety::show_crisis(None, region, cli.json).await;
            }
            if matches!(cli.command, Command::HelpNow) {
                safety::print_help_now(region, &[], cli.json);
                let why = match &e {
                    Failure::Input(m) | Failure::Other(m) => m.clone(),
                    Failure::Invalid(v) => v
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                eprintln!("(Your own contacts are not shown: {why})");
                return Ok(());
            }
            return Err(e);
        }
    };
    if not_safe {
        safety::show_crisis(Some(&store), hearth_core::crisis::FALLBACK, cli.json).await;
    }
    let settings = store.settings(LOCAL_USER).await?;
    let tz = parse_zone(&settings.tz)?;
    let clock = Clock {
        now,
        tz,
        tz_name: settings.tz,
    };
    let result = dispatch(&store, &clock, cli.command, cli.json).await;
    store.close().await;
    result
}

async fn dispatch(store: &SqliteStore, clock: &Clock, command: Command, json: bool) -> Outcome {
    match command {
        Command::Init { .. }
        | Command::Completions { .. }
        | Command::Serve { .. }
        | Command::Admin { .. } => {
            unreachable!("handled before dispatch")
        }
        Command::Checkin(a) => {
            let mood = a.fields.mood.as_deref().ok_or_else(|| {
                Failure::Input(if a.not_safe {
                    "the lines above are there whenever you need them. To save this check-in too, add --mood with how you feel from 0 to 10.".into()
                } else {
                    "--mood is required: how is your mood right now, from 0 (very low) to 10 (very good)?".into()
                })
            })?;
            let mut c = CheckIn::new(hearth_core::Rating::parse("mood", mood)?);
            apply_checkin(&mut c, &a.fields)?;
            c.note = a.when.note.clone();
            c.not_safe = a.not_safe;
            save(store, clock, &a.when.at, EntryBody::Checkin(c), json).await
        }
        Command::Log(a) => {
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
            apply_episode(&mut e, &a.fields, clock)?;
            e.note = a.when.note.clone();
            save(store, clock, &a.when.at, EntryBody::Episode(e), json).await
        }
        Command::Kinds(KindsCommand::Add { name }) => {
            let kind = Kind::new_custom(&name)?;
            let created = store.add_custom_kind(LOCAL_USER, &kind, clock.now).await?;
            if json {
                print_json(&serde_json::json!({"kind": kind, "created": created}));
            } else if created {
                println!("Added the kind '{kind}'. Log it with `hearth log {kind}`.");
            } else {
                println!("You already have the kind '{kind}'.");
            }
            Ok(())
        }
        Command::Kinds(KindsCommand::List) => {
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
            Ok(())
        }
        Command::Med(m) => medication(store, clock, m, json).await,
        Command::Survey(a) => survey::run(store, clock, a, json).await,
        Command::HelpNow => safety::help_now(store, json).await,
        Command::Questions(q) => questions(store, clock, q, json).await,
        Command::Share(c) => share(store, clock, c, json).await,
        Command::Report {
            from,
            to,
            format,
            out,
        } => exchange::report(store, clock, from, to, &format, out, json).await,
        Command::Export {
            format,
            out,
            patient_name,
        } => exchange::export(store, clock, &format, out, patient_name.as_deref(), json).await,
        Command::Import {
            file,
            format,
            mood_map,
            dry_run,
        } => {
            exchange::import(
                store,
                clock,
                file,
                &format,
                mood_map.as_deref(),
                dry_run,
                json,
            )
            .await
        }
        Command::Insights { since } => insights::run(store, clock, since, json).await,
        Command::Contacts(c) => safety::contacts(store, clock, c, json).await,
        Command::Settings { command } => safety::settings(store, command, json).await,
        Command::List(a) => list(store, clock, a, json).await,
        Command::Show { id } => {
            let id = EntryId::parse(&id)?;
            let e = store
                .get(LOCAL_USER, &id)
                .await?
                .ok_or(StoreError::NotFound(id))?;
            if json {
                print_json(&e);
            } else {
                println!("{}", render::entry(&e, &clock.tz));
            }
            Ok(())
        }
        Command::Edit(a) => edit(store, clock, *a, json).await,
        Command::Delete { id } => {
            let id = EntryId::parse(&id)?;
            if !store.delete(LOCAL_USER, &id).await? {
                return Err(StoreError::NotFound(id).into());
            }
            if json {
                print_json(&serde_json::json!({"deleted": id}));
            } else {
                println!("Deleted {id}.");
            }
            Ok(())
        }
        Command::Demo { days, seed } => demo(store, clock, days, seed, json).await,
    }
}

async fn save(
    store: &SqliteStore,
    clock: &Clock,
    at: &Option<String>,
    body: EntryBody,
    json: bool,
) -> Outcome {
    let at = clock.time("at", at)?.unwrap_or(clock.now);
    let new = NewEntry {
        at,
        tz: clock.tz_name.clone(),
        body,
    };
    let saved = store.insert(LOCAL_USER, &[new], clock.now).await?;
    let e = &saved[0];
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

async fn medication(store: &SqliteStore, clock: &Clock, cmd: MedCommand, json: bool) -> Outcome {
    let when = |at: &Option<String>| -> Result<Timestamp, Failure> {
        Ok(match at {
            Some(t) => parse_date_or_time("at", t, clock.now, &clock.tz)?,
            None => clock.now,
        })
    };
    let find = |name: &str,
                meds: &[hearth_store::Medication]|
     -> Result<hearth_store::Medication, Failure> {
        meds.iter().find(|m| m.name.eq_ignore_ascii_case(name.trim())).cloned().ok_or_else(|| {
            let known: Vec<&str> = meds.iter().map(|m| m.name.as_str()).collect();
            Failure::Input(if known.is_empty() {
                format!("no medication called '{name}' is recorded; add it with `hearth med add {name} --class ... --dose ...`")
            } else {
                format!("no medication called '{name}' is recorded (you have: {})", known.join(", "))
            })
        })
    };
    let body = match cmd {
        MedCommand::List => {
            let meds = store.medications(LOCAL_USER).await?;
            if json {
                print_json(&meds);
            } else {
                println!("{}", render::medications(&meds, &clock.tz));
            }
            return Ok(());
        }
        MedCommand::Add {
            name,
            class,
            dose,
            unit,
            at,
        } => {
            let name = name.trim().to_string();
            validate_medication_name(&name)?;
            let meds = store.medications(LOCAL_USER).await?;
            // A restart keeps the name as first written, so the history reads as one.
            let name = meds
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(&name))
                .map_or(name, |m| m.name.clone());
            (
                MedicationEvent {
                    medication: name,
                    class: DrugClass::parse(&class)?,
                    event: MedEventKind::Start,
                    dose: Some(parse_number("dose", &dose)?),
                    unit: DoseUnit::parse(&unit)?,
                },
                when(&at)?,
            )
        }
        MedCommand::Change { name, dose, at } => {
            let med = find(&name, &store.medications(LOCAL_USER).await?)?;
            (
                MedicationEvent {
                    medication: med.name,
                    class: med.class,
                    event: MedEventKind::Change,
                    dose: Some(parse_number("dose", &dose)?),
                    unit: med.unit,
                },
                when(&at)?,
            )
        }
        MedCommand::Stop { name, at } => {
            let med = find(&name, &store.medications(LOCAL_USER).await?)?;
            (
                MedicationEvent {
                    medication: med.name,
                    class: med.class,
                    event: MedEventKind::Stop,
                    dose: None,
                    unit: med.unit,
                },
                when(&at)?,
            )
        }
    };
    let (event, at) = body;
    let new = NewEntry {
        at,
        tz: clock.tz_name.clone(),
        body: EntryBody::Medication(event),
    };
    let saved = store.insert(LOCAL_USER, &[new], clock.now).await?;
    let e = &saved[0];
    if json {
        print_json(e);
    } else if let EntryBody::Medication(m) = &e.body {
        println!(
            "Saved {} {} on {} — id {}",
            m.medication,
            m.event,
            render::local(e.at, &clock.tz),
            e.id
        );
    }
    Ok(())
}

async fn list(store: &SqliteStore, clock: &Clock, a: ListArgs, json: bool) -> Outcome {
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

async fn edit(store: &SqliteStore, clock: &Clock, a: EditArgs, json: bool) -> Outcome {
    let id = EntryId::parse(&a.id)?;
    let mut e: Entry = store
        .get(LOCAL_USER, &id)
        .await?
        .ok_or_else(|| StoreError::NotFound(id.clone()))?;
    let wrong = |what: &str, kind: &str| {
        Failure::Input(format!(
            "{what} {kind}; `hearth edit --help` lists what can be changed"
        ))
    };
    match &mut e.body {
        EntryBody::Checkin(c) => {
            if episode_given(&a.episode) || a.dose.is_some() {
                return Err(wrong(
                    "this entry is a check-in:",
                    "activity and medication fields do not apply",
                ));
            }
            apply_checkin(c, &a.checkin)?;
            if a.when.note.is_some() {
                c.note = a.when.note.clone();
            }
        }
        EntryBody::Episode(ep) => {
            if checkin_given(&a.checkin) || a.dose.is_some() {
                return Err(wrong(
                    "this entry is an activity:",
                    "check-in and medication fields do not apply",
                ));
            }
            apply_episode(ep, &a.episode, clock)?;
            if a.when.note.is_some() {
                ep.note = a.when.note.clone();
            }
        }
        EntryBody::Survey(_) => {
            return Err(Failure::Input(
                "questionnaire answers cannot be edited, so every score stays exactly as given; \
                 delete it with `hearth delete` and take it again if it was wrong"
                    .into(),
            ));
        }
        EntryBody::Medication(m) => {
            if checkin_given(&a.checkin) || episode_given(&a.episode) || a.when.note.is_some() {
                return Err(wrong(
                    "this entry is a medication event:",
                    "only --dose and --at can change",
                ));
            }
            if let Some(d) = &a.dose {
                if m.event == MedEventKind::Stop {
                    return Err(Failure::Input("a stop has no dose".into()));
                }
                m.dose = Some(parse_number("dose", d)?);
            }
        }
    }
    for field in &a.clear {
        fields::clear(&mut e.body, field)?;
    }
    if let Some(at) = clock.time("at", &a.when.at)? {
        e.at = at;
    }
    let saved = store.update(LOCAL_USER, &e, clock.now).await?;
    if json {
        print_json(&saved);
    } else {
        println!("Updated {}.", saved.id);
        println!("{}", render::entry(&saved, &clock.tz));
    }
    Ok(())
}

async fn demo(store: &SqliteStore, clock: &Clock, days: u32, seed: u64, json: bool) -> Outcome {
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
        hearth_store::fill_demo(store, LOCAL_USER, &spec, &clock.tz_name, clock.now).await?;
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

async fn questions(
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

/// What `serve` runs on: the local journal, or a store with accounts.
enum Access {
    Local(std::path::PathBuf),
    Server(std::sync::Arc<dyn hearth_store::ServerStore>),
}

struct ServeOptions {
    addr: String,
    allow_remote: bool,
    lock_after: u32,
    registration: hearth_server::auth::Registration,
    secure_cookies: bool,
    trust_proxy: bool,
}

/// The store for server mode, if asked for: PostgreSQL, or the local journal with accounts.
async fn server_store(
    dir: &std::path::Path,
    args: &cli::ServerArgs,
    now: Timestamp,
) -> Result<Option<std::sync::Arc<dyn hearth_store::ServerStore>>, Failure> {
    if let Some(url) = &args.database_url {
        if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(Failure::Input(
                "--database-url must be a PostgreSQL URL like postgres://user@host/db".into(),
            ));
        }
        let store = hearth_store::PgStore::connect(url, None, 16)
            .await
            .map_err(|e| Failure::Other(format!("could not open the database: {e}")))?;
        return Ok(Some(std::sync::Arc::new(store)));
    }
    if args.accounts {
        return Ok(Some(std::sync::Arc::new(
            open::open_or_create(dir, now).await?,
        )));
    }
    Ok(None)
}

async fn serve(access: Access, o: ServeOptions) -> Outcome {
    let accounts = matches!(access, Access::Server(_));
    let addr = o.addr.as_str();
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| {
        Failure::Input(format!(
            "--addr '{addr}' is not an address like 127.0.0.1:7878"
        ))
    })?;
    if !addr.ip().is_loopback() && !accounts {
        if !o.allow_remote {
            return Err(Failure::Input(format!(
                "Hearth listens only on this computer ({addr} is reachable from elsewhere, and a local journal has no accounts); \
                 use 127.0.0.1, server mode (--database-url or --accounts), or --allow-remote if you really mean it"
            )));
        }
        eprintln!(
            "warning: listening on {addr}: anyone who can reach this address can read and change the journal"
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Other(format!("could not listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let (registry, refused) = survey::registry();
    for r in &refused {
        eprintln!("warning: {r}");
    }
    let access = match access {
        Access::Local(dir) => hearth_server::Access::Local(hearth_server::Local::new(
            dir,
            std::time::Duration::from_secs(u64::from(o.lock_after) * 60),
            None,
        )),
        Access::Server(store) => hearth_server::Access::Accounts {
            store,
            registration: o.registration,
        },
    };
    let mut state = hearth_server::AppState::new(access, std::sync::Arc::new(registry))
        .with_tls(o.secure_cookies, o.trust_proxy);
    if addr.ip().is_loopback() {
        state = state.only_hosts(hearth_server::loopback_hosts(local));
    }
    // A passphrase journal's key leaves memory once it has been idle too long.
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
            loop {
                tick.tick().await;
                state.lock_if_idle().await;
            }
        })
    };
    let mode = if accounts {
        "server mode, with accounts"
    } else {
        "JSON API at /api/v1"
    };
    println!("Hearth is open at http://{local}/ ({mode}). Press Ctrl-C to stop.");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // The peer address lets sign-in back-off count per address.
    let app = hearth_server::router(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    sweeper.abort();
    // Checkpoint the journal's write-ahead log before leaving.
    state.close().await;
    served.map_err(|e| Failure::Other(format!("the server stopped: {e}")))
}

async fn share(store: &SqliteStore, clock: &Clock, cmd: cli::ShareCommand, json: bool) -> Outcome {
    use hearth_store::Shares;
    match cmd {
        cli::ShareCommand::Create {
            from,
            to,
            days,
            base_url,
        } => {
            if !(1..=90).contains(&days) {
                return Err(Failure::Input("--days must be from 1 to 90".into()));
            }
            let base = base_url.trim_end_matches('/');
            if !base.starts_with("http://") && !base.starts_with("https://") {
                return Err(Failure::Input(
                    "--base-url must start with http:// or https://".into(),
                ));
            }
            let today = clock.now.to_zoned(clock.tz.clone()).date();
            let to = to
                .map(|d| parse_date("to", &d))
                .transpose()?
                .unwrap_or(today);
            let from = match from {
                Some(d) => parse_date("from", &d)?,
                None => to
                    .checked_sub(jiff::Span::new().weeks(12))
                    .map_err(|e| Failure::Input(e.to_string()))?,
            };
            if to > today || from > to {
                return Err(Failure::Input(
                    "the period must end by today and start on or before its end".into(),
                ));
            }
            let (secret, hash) = hearth_server::auth::new_secret();
            let expires = clock.now + jiff::SignedDuration::from_hours(24 * i64::from(days));
            let link = store
                .create_share(LOCAL_USER, &hash, from, to, clock.now, expires)
                .await?;
            let url = format!("{base}/s/{secret}");
            if json {
                let mut v = serde_json::json!(link);
                v["url"] = url.into();
                print_json(&v);
            } else {
                println!("{url}");
                println!(
                    "The report from {from} to {to}, read-only, until {}. It opens wherever `hearth serve` answers at {base};",
                    render::local(expires, &clock.tz)
                );
                println!(
                    "copy the address now: only a fingerprint of it is kept. Withdraw it with `hearth share revoke {}`.",
                    link.id
                );
            }
        }
        cli::ShareCommand::List => {
            let links = store.shares(LOCAL_USER).await?;
            if json {
                print_json(&links);
            } else if links.is_empty() {
                println!("No share links. Make one with `hearth share create`.");
            } else {
                for l in &links {
                    let state = match (l.revoked_at, l.is_live(clock.now)) {
                        (Some(_), _) => "withdrawn".to_string(),
                        (None, true) => format!("until {}", render::local(l.expires_at, &clock.tz)),
                        (None, false) => "expired".to_string(),
                    };
                    println!(
                        "{}  {} to {}  {state}  opened {} times",
                        l.id, l.from, l.to, l.views
                    );
                }
            }
        }
        cli::ShareCommand::Revoke { id } => {
            let id = EntryId::parse(&id)?;
            if !store.revoke_share(LOCAL_USER, &id, clock.now).await? {
                return Err(Failure::Input(format!(
                    "there is no live share link with id {id}; `hearth share list` shows them"
                )));
            }
            if json {
                print_json(&serde_json::json!({"revoked": id}));
            } else {
                println!("Withdrawn: the link opens nothing from now on.");
            }
        }
    }
    Ok(())
}
