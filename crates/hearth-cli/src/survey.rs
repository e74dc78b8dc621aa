//! `hearth survey`: take a questionnaire one question at a time or from
//! `--answers`, and read back history and what is due.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use hearth_core::instrument::{Instrument, Registry, Score};
use hearth_core::{Entry, EntryBody, SurveyResponse, ValidationError};
use hearth_store::{LOCAL_USER, NewEntry, SqliteStore, Store};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::{SurveyArgs, SurveyCommand};
use crate::failure::{Failure, Outcome, print_json};
use crate::{render, safety};
use hearth_app::Clock;

fn warn_refused(refused: &[String]) {
    for r in refused {
        eprintln!("warning: {r}");
    }
}

pub async fn run(store: &SqliteStore, clock: &Clock, args: SurveyArgs, json: bool) -> Outcome {
    let (reg, refused) = crate::instruments::registry();
    warn_refused(&refused);
    match (args.command, args.instrument) {
        (Some(SurveyCommand::List), _) => list(&reg, json),
        (Some(SurveyCommand::History { instrument, limit }), _) => {
            let inst = reg.require(&instrument)?;
            let entries = history(store, &inst.id, limit).await?;
            if json {
                print_json(&entries);
            } else if entries.is_empty() {
                println!(
                    "You have not taken the {} yet. Take it with `hearth survey {}`.",
                    inst.title, inst.id
                );
            } else {
                println!("{}", render::surveys(inst, &entries, &clock.tz));
            }
            Ok(())
        }
        (Some(SurveyCommand::Due), _) => due(store, clock, &reg, json).await,
        (None, Some(id)) => {
            let inst = reg.require(&id)?.clone();
            take(
                store,
                clock,
                &inst,
                args.answers,
                args.difficulty,
                args.at,
                json,
            )
            .await
        }
        (None, None) => Err(Failure::Input(format!(
            "say which questionnaire to take, e.g. `hearth survey phq9`; the choices are: {}",
            reg.ids().join(", ")
        ))),
    }
}

fn list(reg: &Registry, json: bool) -> Outcome {
    if json {
        print_json(&reg.instruments);
        return Ok(());
    }
    for inst in &reg.instruments {
        let cadence = inst
            .cadence_days
            .map(|d| format!(", every {d} days"))
            .unwrap_or_default();
        println!(
            "{:<16} {} — {} questions{cadence}",
            inst.id,
            inst.title,
            inst.items.len()
        );
        println!("{:<16} {}", "", inst.name);
    }
    println!("\nSources and licences: docs/instruments.md");
    Ok(())
}

async fn history(
    store: &SqliteStore,
    instrument: &str,
    limit: Option<u32>,
) -> Result<Vec<Entry>, Failure> {
    let mut out = hearth_app::surveys::history(store, LOCAL_USER, instrument).await?;
    if let Some(n) = limit {
        out.truncate(n as usize);
    }
    Ok(out)
}

async fn due(store: &SqliteStore, clock: &Clock, reg: &Registry, json: bool) -> Outcome {
    let rows: Vec<Value> = hearth_app::surveys::due(store, LOCAL_USER, reg, clock.now)
        .await?
        .into_iter()
        .map(|d| json!(d))
        .collect();
    if json {
        print_json(&rows);
        return Ok(());
    }
    for r in &rows {
        let title = r["title"].as_str().unwrap_or_default();
        let when = |v: &Value| {
            v.as_str()
                .and_then(|s| s.parse::<Timestamp>().ok())
                .map(|t| render::local(t, &clock.tz))
        };
        let status = if r["tracked"] == false {
            format!(
                "not suggested (turn on with `hearth settings set track.{} on`)",
                r["instrument"].as_str().unwrap_or_default()
            )
        } else if r["due"] == true {
            match when(&r["last_taken"]) {
                Some(last) => format!("due now (last taken {last})"),
                None => "due now (not taken yet)".into(),
            }
        } else {
            format!("next on {}", when(&r["due_at"]).unwrap_or_default())
        };
        println!(
            "{:<16} {:<28} {status}",
            r["instrument"].as_str().unwrap_or_default(),
            title
        );
    }
    Ok(())
}

fn parse_answers(inst: &Instrument, text: &str) -> Result<Vec<i32>, ValidationError> {
    text.split(',')
        .map(|a| {
            a.trim().parse::<i32>().map_err(|_| {
                ValidationError::invalid(
                    "answers",
                    format!(
                        "'{}' is not a number; give {} whole numbers separated by commas",
                        a.trim(),
                        inst.items.len()
                    ),
                )
            })
        })
        .collect()
}

enum Asked {
    Answered(Vec<i32>, BTreeMap<String, i32>, bool),
    Quit,
}

/// Asks one question at a time on the terminal: a number answers, `b` goes
/// back, `q` quits without saving. Crisis resources appear the moment an
/// answer triggers them.
async fn interactive(store: &SqliteStore, inst: &Instrument, json: bool) -> Result<Asked, Failure> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out: Box<dyn Write> = if json {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    let mut answers: Vec<Option<i32>> = vec![None; inst.items.len()];
    let mut shown_crisis = false;
    let _ = writeln!(out, "{} — {}\n{}", inst.title, inst.name, inst.question);
    let mut i = 0;
    while i < inst.items.len() {
        let item = &inst.items[i];
        let options = inst.options_for(item);
        let _ = writeln!(out, "\n({} of {}) {}", i + 1, inst.items.len(), item.text);
        for o in options {
            let mark = if answers[i] == Some(o.value) {
                " ← your answer"
            } else {
                ""
            };
            let _ = writeln!(out, "  {}  {}{mark}", o.value, o.label);
        }
        let back = if i > 0 { ", b to go back" } else { "" };
        let _ = write!(
            out,
            "Answer with a number{back}, q to quit without saving: "
        );
        let _ = out.flush();
        let Some(Ok(line)) = lines.next() else {
            let _ = writeln!(out);
            return Err(Failure::Other(
                "the questions were cut off before the end; nothing was saved".into(),
            ));
        };
        let reply = line.trim().to_ascii_lowercase();
        match reply.as_str() {
            "q" | "quit" => return Ok(Asked::Quit),
            "b" | "back" if i > 0 => {
                i -= 1;
                continue;
            }
            _ => {}
        }
        match reply
            .parse::<i32>()
            .ok()
            .filter(|v| inst.check_answer(item, *v).is_ok())
        {
            Some(v) => {
                answers[i] = Some(v);
                if inst.is_crisis_answer(i, v) && !shown_crisis {
                    let _ = out.flush();
                    safety::show_crisis(Some(store), hearth_core::crisis::FALLBACK, json).await;
                    shown_crisis = true;
                }
                i += 1;
            }
            None => {
                let allowed = inst.check_answer(item, i32::MIN).unwrap_err();
                let _ = writeln!(out, "Please answer {allowed}.");
            }
        }
    }
    let mut extras = BTreeMap::new();
    for item in &inst.extras {
        let _ = writeln!(out, "\n(optional) {}", item.text);
        for o in inst.options_for(item) {
            let _ = writeln!(out, "  {}  {}", o.value, o.label);
        }
        loop {
            let _ = write!(out, "Answer with a number, or press Enter to skip: ");
            let _ = out.flush();
            let line = match lines.next() {
                Some(Ok(l)) => l,
                _ => String::new(),
            };
            let reply = line.trim();
            if reply.is_empty() {
                break;
            }
            match reply
                .parse::<i32>()
                .ok()
                .filter(|v| inst.check_answer(item, *v).is_ok())
            {
                Some(v) => {
                    extras.insert(item.id.clone(), v);
                    break;
                }
                None => {
                    let _ = writeln!(
                        out,
                        "Please answer {}, or press Enter.",
                        inst.check_answer(item, i32::MIN).unwrap_err()
                    );
                }
            }
        }
    }
    let answers = answers
        .into_iter()
        .map(|a| a.expect("every item answered"))
        .collect();
    Ok(Asked::Answered(answers, extras, shown_crisis))
}

async fn take(
    store: &SqliteStore,
    clock: &Clock,
    inst: &Instrument,
    answers: Option<String>,
    difficulty: Option<String>,
    at: Option<String>,
    json: bool,
) -> Outcome {
    let at = clock.time("at", &at)?.unwrap_or(clock.now);
    // Check everything typed before asking anything.
    let mut extras = BTreeMap::new();
    if let Some(d) = &difficulty {
        let v = d.trim().parse::<i32>().map_err(|_| {
            ValidationError::invalid("difficulty", format!("'{d}' is not a number"))
        })?;
        inst.check_extra("difficulty", v)?;
        extras.insert("difficulty".to_string(), v);
    }
    let overlap = overlap_warning(store, inst, at).await?;
    let warn = || {
        if let Some(w) = &overlap {
            eprintln!("note: {w}");
        }
    };
    let (answers, shown) = match answers {
        Some(text) => {
            let answers = parse_answers(inst, &text)?;
            inst.score(&answers)?;
            warn();
            (answers, false)
        }
        None => {
            if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                return Err(Failure::Input(format!(
                    "answer on a terminal, or give every answer with --answers (for {}: {} numbers separated by commas)",
                    inst.title,
                    inst.items.len()
                )));
            }
            warn();
            match interactive(store, inst, json).await? {
                Asked::Quit => {
                    if json {
                        print_json(&json!({"saved": false}));
                    } else {
                        println!("Quit without saving. Nothing was stored.");
                    }
                    return Ok(());
                }
                Asked::Answered(a, more, shown) => {
                    extras.extend(more);
                    (a, shown)
                }
            }
        }
    };
    let score: Score = inst.score(&answers)?;
    // Resources come before any score, every time a trigger fires.
    let resources = if score.crisis && !shown {
        Some(safety::show_crisis(Some(store), hearth_core::crisis::FALLBACK, json).await)
    } else if score.crisis {
        let s = store.settings(LOCAL_USER).await?;
        Some(safety::crisis_json(
            &s.region,
            &store.contacts(LOCAL_USER).await?,
        ))
    } else {
        None
    };
    let response = SurveyResponse {
        instrument: inst.id.clone(),
        version: inst.version.clone(),
        answers,
        extras,
        total: score.total,
        band: score.band.as_ref().map(|b| b.id.clone()),
        crisis: score.crisis,
    };
    let saved = store
        .insert(
            LOCAL_USER,
            &[NewEntry {
                at,
                tz: clock.tz_name.clone(),
                body: EntryBody::Survey(response),
            }],
            clock.now,
        )
        .await?;
    let e = &saved[0];
    let suggest = score.band.as_ref().and_then(|b| b.suggest.clone());
    if json {
        let mut v = json!({
            "id": e.id, "at": e.at, "instrument": inst.id, "version": inst.version, "title": inst.title,
            "total": score.total, "band": score.band.as_ref().map(|b| &b.id),
            "band_label": score.band.as_ref().map(|b| &b.label), "crisis": score.crisis,
            "suggest": suggest, "overlap_warning": overlap,
        });
        if let EntryBody::Survey(sv) = &e.body {
            v["answers"] = json!(sv.answers);
            v["extras"] = json!(sv.extras);
        }
        if let Some(r) = resources {
            v["resources"] = r;
        }
        print_json(&v);
        return Ok(());
    }
    let range = |min: i32, max: i32| format!("{min}–{max}");
    match &score.band {
        Some(b) => println!(
            "{} total {} of {} — {} ({}).",
            inst.title,
            score.total,
            inst.max_total(),
            b.label,
            range(b.min, b.max)
        ),
        None => println!(
            "{} total {} (possible {}). Hearth claims no cutoff for this one; it is for watching change over time.",
            inst.title,
            score.total,
            range(inst.min_total(), inst.max_total())
        ),
    }
    if let Some(next) = suggest {
        println!(
            "This screen suggests taking the full questionnaire next: `hearth survey {next}`. A screen is not a diagnosis."
        );
    }
    println!("Saved — id {}.", e.id);
    Ok(())
}

/// Taking a questionnaire again inside its recall period overlaps the last one.
async fn overlap_warning(
    store: &SqliteStore,
    inst: &Instrument,
    at: Timestamp,
) -> Result<Option<String>, Failure> {
    let Some(recall) = inst.recall_days else {
        return Ok(None);
    };
    let last = history(store, &inst.id, None)
        .await?
        .into_iter()
        .find(|e| e.at <= at);
    Ok(last.and_then(|e| {
        let days = at.duration_since(e.at).as_hours() / 24;
        let ago = match days {
            0 => "earlier today".to_string(),
            1 => "1 day ago".to_string(),
            d => format!("{d} days ago"),
        };
        (days < i64::from(recall)).then(|| {
            format!(
                "your last {} was {ago}. It asks about the last {recall} days, so these answers overlap with it; \
                 Hearth saves them, but a score every {recall} days is easier to compare.",
                inst.title
            )
        })
    }))
}
