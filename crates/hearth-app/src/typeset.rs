//! The report as a PDF, laid out by the `hearth-typeset` helper installed
//! beside `hearth`. typst is most of the code Hearth has; kept in its own
//! program, it is mapped and relocated only when someone asks for a PDF, not
//! at every check-in. The report's JSON goes in on the helper's stdin and
//! the PDF comes back on its stdout: no files, no environment, no network.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use hearth_formats::FormatError;
use hearth_formats::report::Report;

/// The helper's name, beside the `hearth` binary.
pub const HELPER: &str = "hearth-typeset";

/// The report as PDF bytes, from the helper.
pub fn pdf(report: &Report) -> Result<Vec<u8>, FormatError> {
    let helper = helper()?;
    let data = serde_json::to_vec(report).expect("the report serialises");
    let mut child = Command::new(&helper)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            FormatError::Invalid(format!(
                "the PDF helper {} could not be started: {e}",
                helper.display()
            ))
        })?;
    // Written from a thread so a large report cannot fill the pipe while
    // this side waits for output.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut out)?;
    let mut why = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut why)?;
    }
    let status = child.wait()?;
    let written = writer.join().expect("the writer does not panic");
    if !status.success() || !out.starts_with(b"%PDF-") {
        let why = why.trim();
        return Err(FormatError::Invalid(if why.is_empty() {
            format!("the PDF could not be laid out ({status})")
        } else {
            why.to_string()
        }));
    }
    written?;
    Ok(out)
}

fn helper() -> Result<PathBuf, FormatError> {
    crate::beside::program(HELPER)
        .map_err(|why| FormatError::Invalid(format!("PDF reports need {HELPER}: {why}")))
}
