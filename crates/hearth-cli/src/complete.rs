//! Shell completions: the shell calls `hearth` back while completing
//! (`COMPLETE=bash hearth …`), so they know the journal's kinds and ids
//! (see `candidates`).

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::candidates;
use crate::cli::Cli;

/// The command line, with the journal's own values offered where they fit.
fn command() -> clap::Command {
    let offer = |arg: &'static str, f: fn() -> Vec<CompletionCandidate>| {
        move |c: clap::Command| c.mut_arg(arg, |a| a.add(ArgValueCandidates::new(f)))
    };
    let mut cli = Cli::command();
    // Every command's flags, which clap otherwise adds only to the one run
    // (`defer`), so the journal's values can be offered on them.
    cli.build();
    cli.mut_subcommand("log", offer("kind", candidates::kinds))
        .mut_subcommand("list", offer("kind", candidates::list_kinds))
        .mut_subcommand("show", offer("id", candidates::ids))
        .mut_subcommand("edit", offer("id", candidates::ids))
        .mut_subcommand("delete", offer("id", candidates::ids))
}

/// Answers a completion request and exits, if this run is one.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(command).complete();
}

/// The registration script for `shell`, which calls back into this binary.
pub fn script(shell: &str) -> Result<(), crate::failure::Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| crate::failure::Failure::Other(format!("could not find this program: {e}")))?;
    // SAFETY: single-threaded here, before any runtime starts.
    unsafe { std::env::set_var("COMPLETE", shell) };
    clap_complete::CompleteEnv::with_factory(command)
        .try_complete([exe.into_os_string()], None)
        .map_err(|e| crate::failure::Failure::Input(e.to_string()))?;
    Ok(())
}
