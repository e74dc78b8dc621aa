//! Hearth's helper programs (`hearth-typeset`, `hearth-serve`), installed
//! beside `hearth`.

use std::path::{Path, PathBuf};

/// The program `name` beside the running one; in a test build, whose
/// programs run from `target/<profile>/deps`, the one cargo built in the
/// directory above. `Err` says, in words, where it was looked for.
pub fn program(name: &str) -> Result<PathBuf, String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("this program's place is unknown: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let mut candidates = vec![dir.join(name)];
    if dir.file_name().is_some_and(|n| n == "deps")
        && let Some(up) = dir.parent()
    {
        candidates.push(up.join(name));
    }
    candidates.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "the {name} program is not installed beside {}; \
             install them together with `cargo install --path crates/hearth-cli`, or build them with \
             `cargo build --release --bins`",
            exe.display()
        )
    })
}
