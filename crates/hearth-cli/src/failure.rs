//! A failure as the person hears it, and how output is printed for scripts.

use hearth_app::AppError;
use hearth_core::ValidationError;
use hearth_store::StoreError;
use serde::Serialize;

use crate::fields::flag_for;

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
    pub fn code(&self) -> u8 {
        match self {
            Failure::Input(_) | Failure::Invalid(_) => 2,
            Failure::Other(_) => 1,
        }
    }

    pub fn report(&self, json: bool) {
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

/// Writes `v` as pretty JSON to stdout as it serialises: a whole journal is
/// megabytes, which need not wait in memory first.
pub fn print_json<T: Serialize>(v: &T) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, v)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("error: could not write the output: {e}");
        std::process::exit(1);
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(v) => Failure::Invalid(v),
            AppError::File(why) => Failure::Input(why),
            AppError::Unavailable(why) | AppError::Conflict(why) => Failure::Other(why.into()),
            AppError::Store(e) => e.into(),
        }
    }
}
