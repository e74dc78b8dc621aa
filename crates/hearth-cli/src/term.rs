//! The terminal: how wide it is, a pager for long output, and asking for
//! one answer when a person runs a command with nothing else to go on.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, Stdio};

/// The terminal's size, when it reports a usable one (a new pseudo-terminal
/// may say 0 by 0).
fn size() -> Option<(u16, u16)> {
    terminal_size::terminal_size()
        .map(|(terminal_size::Width(w), terminal_size::Height(h))| (w, h))
        .filter(|(w, h)| *w >= 20 && *h >= 5)
}

/// Columns to wrap human output to: the terminal's width (80 when it says
/// none), or `COLUMNS` when the output is piped; `None` means do not wrap.
pub fn width() -> Option<u16> {
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            .filter(|w| *w >= 20)
    };
    if std::io::stdout().is_terminal() {
        return Some(size().map_or_else(|| columns().unwrap_or(80), |(w, _)| w));
    }
    columns()
}

/// Text wrapped to the output's width, continuation lines indented like
/// the first. Table lines (drawn to the width already) are left as they are.
pub fn wrap(text: &str) -> String {
    let Some(w) = width() else {
        return text.to_string();
    };
    text.lines()
        .map(|line| {
            if line.starts_with(['│', '┌', '└', '├', '╞', '═', '─', '╭', '╰']) {
                return line.to_string();
            }
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            let opts = textwrap::Options::new(usize::from(w))
                .initial_indent(&indent)
                .subsequent_indent(&indent);
            textwrap::fill(line.trim_start(), opts)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Prints long output through the person's pager when it goes to a
/// terminal (`PAGER`, or `less -FRX`, which quits at once if it all fits).
pub fn page(text: &str) {
    let rows = size().map_or(24, |(_, h)| usize::from(h));
    let tall = text.lines().count() >= rows;
    if std::io::stdout().is_terminal() && tall {
        let pager = std::env::var("PAGER")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "less -FRX".into());
        let child = Command::new("sh")
            .arg("-c")
            .arg(&pager)
            .stdin(Stdio::piped())
            .spawn();
        if let Ok(mut child) = child {
            if let Some(mut input) = child.stdin.take() {
                // A pager quit early (or never found) closes the pipe: that
                // is not an error, and must not end Hearth before it prints.
                ignoring_closed_pipes(|| {
                    let _ = writeln!(input, "{text}");
                });
            }
            // 127: the shell found no such pager; show the text anyway.
            if child.wait().is_ok_and(|s| s.code() != Some(127)) {
                return;
            }
        }
    }
    println!("{text}");
}

/// Runs `f` with SIGPIPE ignored, so a write to a closed pipe fails instead
/// of ending the process; its default action (quiet exit, for `hearth list
/// | head`) comes back afterwards.
fn ignoring_closed_pipes(f: impl FnOnce()) {
    #[cfg(unix)]
    // SAFETY: the CLI runs on one thread; this only swaps the signal's
    // action and puts the previous one back.
    unsafe {
        let before = libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        f();
        libc::signal(libc::SIGPIPE, before);
    }
    #[cfg(not(unix))]
    f();
}

/// Whether a person is there to answer: both standard input and standard
/// error are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks on standard error until `parse` accepts the answer. An empty answer
/// or the end of input gives `None`: the person chose not to answer.
pub fn ask<T, E: std::fmt::Display>(
    question: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    let stdin = std::io::stdin();
    loop {
        eprint!("{question} ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let answer = line.trim();
        if answer.is_empty() {
            return None;
        }
        match parse(answer) {
            Ok(v) => return Some(v),
            Err(e) => eprintln!("{e}"),
        }
    }
}
