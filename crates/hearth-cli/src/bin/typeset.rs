//! `hearth-typeset`: lays out a clinician report as a PDF for `hearth`,
//! which runs it only when a PDF is asked for (see hearth-app's `typeset`).
//! Reads the report's JSON on stdin, writes the PDF on stdout; exit code 2
//! and a sentence on stderr when the input is not a report.

use std::io::{Read, Write};
use std::process::ExitCode;

/// Far above any real report (a year's is well under a megabyte), so a
/// runaway input is refused rather than read without end.
const LIMIT: u64 = 64 << 20;

fn main() -> ExitCode {
    let mut data = String::new();
    if let Err(e) = std::io::stdin().take(LIMIT + 1).read_to_string(&mut data) {
        eprintln!("hearth-typeset: the report could not be read: {e}");
        return ExitCode::from(2);
    }
    if data.len() as u64 > LIMIT {
        eprintln!(
            "hearth-typeset: the report is larger than {} MiB",
            LIMIT >> 20
        );
        return ExitCode::from(2);
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&data) {
        eprintln!("hearth-typeset: the report is not JSON: {e}");
        return ExitCode::from(2);
    }
    let pdf = match hearth_formats::pdf::render_json(&data) {
        Ok(pdf) => pdf,
        Err(e) => {
            eprintln!("hearth-typeset: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(&pdf).and_then(|()| out.flush()) {
        eprintln!("hearth-typeset: the PDF could not be written: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
