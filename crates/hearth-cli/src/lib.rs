//! The `hearth` command: parses, calls the application layer, prints.
//! Exit codes: 0 ok, 2 bad input (nothing written), 1 any other failure.
//! Its two programs, `hearth` and `hearth-serve`, are the two `main`s here.

mod admin;
mod backup;
mod candidates;
mod cli;
mod complete;
mod editor;
mod entries;
mod exchange;
mod failure;
mod fields;
mod insights;
mod instruments;
mod journal;
mod meds;
mod open;
mod prompts;
mod protect;
mod remind;
mod render;
mod safety;
mod serve;
mod share;
mod subcommands;
mod survey;
mod term;

use std::process::ExitCode;

use clap::Parser;
use hearth_app::Clock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};
use jiff::Timestamp;

use crate::cli::{Cli, Command};
use crate::failure::{Failure, Outcome, print_json};

/// `hearth`.
pub fn main() -> ExitCode {
    complete::answer_if_asked();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve { .. }) {
        // Replaces this process, so it never returns on success.
        let failed = serve::hand_over();
        failed.report(cli.json);
        return ExitCode::from(failed.code());
    }
    quiet_on_closed_pipe();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    block_on(runtime, cli, run)
}

/// `hearth-serve`: `hearth serve`, which `hearth` hands its arguments to;
/// and, asked with `secrets::ESTIMATE_FLAG` alone, how easy a passphrase
/// `hearth` was given is to guess (zxcvbn is kept out of `hearth`).
pub fn serve_main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    if let (Some(flag), None) = (args.next(), args.next())
        && flag == hearth_app::secrets::ESTIMATE_FLAG
    {
        return match hearth_app::secrets::answer_estimate() {
            Ok(()) => ExitCode::SUCCESS,
            Err(why) => {
                eprintln!("error: {why}");
                ExitCode::FAILURE
            }
        };
    }
    let cli = Cli::parse();
    // A command does one thing at a time; a server answers requests side by
    // side, and the embedded store's statements run on the thread that
    // asks (`hearth_store::lite`), so it needs a thread per core.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    block_on(runtime, cli, |cli| async move {
        let now = Timestamp::now();
        let dir = open::data_dir(&cli.data_dir)?;
        let Command::Serve {
            addr,
            allow_remote,
            lock_after,
            server,
            registration,
            secure_cookies,
            trust_proxy,
            hosts,
            public_url,
        } = cli.command
        else {
            return Err(Failure::Input(
                "hearth-serve only serves: run other commands with hearth".into(),
            ));
        };
        let opts = serve::Options {
            addr,
            allow_remote,
            lock_after,
            registration,
            secure_cookies,
            trust_proxy,
            hosts,
            public_url,
        };
        serve::run(dir, &server, opts, now).await
    })
}

fn block_on<F: Future<Output = Outcome>>(
    runtime: std::io::Result<tokio::runtime::Runtime>,
    cli: Cli,
    run: impl FnOnce(Cli) -> F,
) -> ExitCode {
    let json = cli.json;
    let runtime = match runtime {
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

async fn run(cli: Cli) -> Outcome {
    let now = Timestamp::now();
    if let Command::Completions { shell } = cli.command {
        return complete::script(&shell.to_string());
    }
    let dir = open::data_dir(&cli.data_dir)?;
    if let Command::Init {
        passphrase,
        tz,
        region,
    } = &cli.command
    {
        // At a terminal, the country is asked, so crisis lines are the right
        // ones from the first day; scripts pass --region or get the zone's guess.
        let region = match region {
            Some(r) => Some(r.clone()),
            None if term::interactive() => open::ask_region(tz.as_deref()),
            None => None,
        };
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
    match &cli.command {
        Command::Backup { out, include_key } => {
            return backup::make(&dir, out, *include_key, now, cli.json).await;
        }
        Command::Restore {
            file,
            force,
            key_file,
        } => return backup::restore(&dir, file, *force, key_file.as_deref(), cli.json).await,
        Command::Passphrase { command } => {
            return protect::passphrase(&dir, command, cli.json).await;
        }
        Command::DeleteEverything { yes } => {
            return protect::delete_everything(&dir, *yes, cli.json);
        }
        Command::Remind { notify, install } => {
            return remind::run(&dir, *notify, *install, now, cli.json).await;
        }
        _ => {}
    }
    if let Command::Admin { server, command } = &cli.command {
        let Some(store) = serve::server_store(&dir, server, now).await? else {
            return Err(Failure::Input(
                "admin works on a server's accounts: give --database-url URL (or HEARTH_DATABASE_URL), or --accounts for the journal in --data-dir".into(),
            ));
        };
        let done = admin::run(&*store, command, now, cli.json).await;
        store.close().await;
        return done;
    }
    // "I'm not safe" shows resources before anything that could fail or wait.
    let not_safe = matches!(&cli.command, Command::Checkin(a) if a.not_safe);
    let store = match open::open_or_create(&dir, now).await {
        Ok(s) => s,
        Err(e) => {
            let region = hearth_core::crisis::region_for_zone(&hearth_app::journal::system_zone());
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
    let clock = Clock::of(&store, LOCAL_USER, now).await?;
    let result = dispatch(&store, &clock, cli.command, cli.json).await;
    store.close().await;
    result
}

async fn dispatch(store: &SqliteStore, clock: &Clock, command: Command, json: bool) -> Outcome {
    match command {
        Command::Init { .. }
        | Command::Completions { .. }
        | Command::Serve { .. }
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Passphrase { .. }
        | Command::DeleteEverything { .. }
        | Command::Remind { .. }
        | Command::Admin { .. } => {
            unreachable!("handled before dispatch")
        }
        Command::Checkin(a) => entries::checkin(store, clock, a, json).await,
        Command::Log(a) => entries::log(store, clock, a, json).await,
        Command::Kinds(k) => journal::kinds(store, clock, k, json).await,
        Command::Med(m) => meds::run(store, clock, m, json).await,
        Command::Survey(a) => survey::run(store, clock, a, json).await,
        Command::Due => prompts::due(store, clock, json).await,
        Command::Answer {
            id,
            rating,
            dismiss,
        } => prompts::answer(store, clock, &id, rating.as_deref(), dismiss, json).await,
        Command::HelpNow => safety::help_now(store, json).await,
        Command::Questions(q) => journal::questions(store, clock, q, json).await,
        Command::Share(c) => share::run(store, clock, c, json).await,
        Command::Report {
            from,
            to,
            format,
            out,
            leave_out,
        } => {
            let leave_out = hearth_app::report::leave_out(&leave_out)?;
            exchange::report(store, clock, (from, to), &leave_out, format, out, json).await
        }
        Command::Export {
            format,
            out,
            patient_name,
        } => exchange::export(store, clock, format, out, patient_name.as_deref(), json).await,
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
                format,
                mood_map.as_deref(),
                dry_run,
                json,
            )
            .await
        }
        Command::Insights { since } => insights::run(store, clock, since, json).await,
        Command::Contacts(c) => safety::contacts(store, clock, c, json).await,
        Command::Settings { command } => safety::settings(store, command, json).await,
        Command::List(a) => entries::list(store, clock, a, json).await,
        Command::Show { id } => entries::show(store, clock, &id, json).await,
        Command::Search { text, limit } => entries::search(store, clock, &text, limit, json).await,
        Command::Edit(a) => entries::edit(store, clock, *a, json).await,
        Command::Delete { id } => entries::delete(store, &id, json).await,
        Command::Demo { days, seed } => journal::demo(store, clock, days, seed, json).await,
    }
}

/// `hearth list | head` stops when the reader has read enough, quietly, as
/// other command-line tools do: the default action of SIGPIPE, which Rust
/// programs otherwise ignore (so that every later print would panic).
/// Not for `serve`, which must outlive any reader of its first line.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first in main, before any other thread exists; it only
    // restores the signal's default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
