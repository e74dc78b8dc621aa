//! A failure as the person hears it, and how output is printed for scripts.

use hearth_app::AppError;
use hearth_core::ValidationError;
use hearth_store::StoreError;
use serde::Serialize;
use std::io::{self, Write};

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
    emit(|out| serde_json::to_writer_pretty(out, v).map_err(io::Error::from));
}

/// As `print_json` for a list, written to JSON in parts side by side, one a
/// core: for a whole journal, the main thread writing JSON alone was about
/// 40% of `hearth --json list`'s CPU samples, with the other core idle.
pub fn print_json_list<T: Serialize + Sync>(items: &[T]) {
    // Counting the cores reads the process's cgroup files: only for a list
    // long enough to be cut.
    let parts = if items.len() < APART {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    emit(|out| pretty_list(items, parts, out));
}

/// A list shorter than this is written in one part: a thread's start costs
/// about what it would save.
const APART: usize = 1024;

fn emit(write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<()>) {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let written = write(&mut out)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("error: could not write the output: {e}");
        std::process::exit(1);
    }
}

/// `items` as `serde_json::to_writer_pretty` writes them, byte for byte,
/// in up to `parts` parts serialised at once.
fn pretty_list<T: Serialize + Sync>(
    items: &[T],
    parts: usize,
    out: &mut impl Write,
) -> io::Result<()> {
    // Entries in one part: the parts of a round are held in memory until
    // written, so this bounds the memory, whatever the journal's length.
    const PART: usize = 2048;
    // An empty list is "[]", which has no elements to cut out.
    if parts < 2 || items.is_empty() {
        return serde_json::to_writer_pretty(out, items).map_err(io::Error::from);
    }
    // Each part is a pretty list of its own: its elements stand indented as
    // in the whole list, between "[\n" and "\n]".
    let part = |c: &[T]| serde_json::to_vec_pretty(c).map_err(io::Error::from);
    let mut sep: &[u8] = b"[\n";
    for round in items.chunks(PART * parts) {
        std::thread::scope(|s| {
            let mut chunks = round.chunks(round.len().div_ceil(parts));
            let mine = chunks.next().unwrap_or_default();
            let rest: Vec<_> = chunks.map(|c| s.spawn(move || part(c))).collect();
            let mine = part(mine);
            let joined = rest
                .into_iter()
                .map(|r| r.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            for done in std::iter::once(mine).chain(joined) {
                out.write_all(sep)?;
                out.write_all(elements(&done?))?;
                sep = b",\n";
            }
            io::Result::Ok(())
        })?;
    }
    out.write_all(b"\n]")
}

/// A non-empty pretty list's elements, without its "[\n" and "\n]".
fn elements(list: &[u8]) -> &[u8] {
    &list[2..list.len() - 2]
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

#[cfg(test)]
mod tests {
    use super::pretty_list;
    use serde_json::{Value, json};

    /// Elements of every shape pretty printing indents: nested objects and
    /// lists, empty ones, strings that need escaping, numbers, nulls.
    fn items(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| match i % 4 {
                0 => json!({"id": i, "note": "line\nbreak \"quoted\" é", "tags": ["a", "b"]}),
                1 => json!({"nested": {"deeper": {"x": 1.5, "none": null}}, "empty": {}}),
                2 => json!([i, [], {"k": []}]),
                _ => json!("plain"),
            })
            .collect()
    }

    #[test]
    fn a_list_written_in_parts_is_byte_for_byte_the_whole_list() {
        for n in [0, 1, 1023, 1024, 1025, 4099, 2048 * 3 + 5, 2048 * 8] {
            let v = items(n);
            let whole = serde_json::to_vec_pretty(&v).unwrap();
            for parts in [1, 2, 3, 4, 7] {
                let mut out = Vec::new();
                pretty_list(&v, parts, &mut out).unwrap();
                assert!(out == whole, "{n} items in {parts} parts differ");
            }
        }
    }
}
