//! `--edit`: a note written in the person's own editor. The text passes
//! through a temporary file only this user can read, in memory where the
//! system offers it (`XDG_RUNTIME_DIR`), and the file is blanked and removed
//! as soon as the editor closes.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::failure::Failure;

/// The editor to run: `VISUAL`, then `EDITOR`, then `vi`.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

fn private_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// Opens the editor on `current` and returns what the person wrote, or
/// `None` when they left it empty.
pub fn note(current: Option<&str>) -> Result<Option<String>, Failure> {
    let mut file = tempfile::Builder::new()
        .prefix("hearth-note-")
        .suffix(".txt")
        // Created 0600 and opened exclusively: only this user can read it.
        .tempfile_in(private_dir())
        .map_err(|e| Failure::Other(format!("could not make a private file for the note: {e}")))?;
    if let Some(text) = current {
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| Failure::Other(format!("could not write the note's file: {e}")))?;
    }
    let editor = editor();
    // Through the shell, so an editor given with its flags ("code --wait") works.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("hearth")
        .arg(file.path())
        .status()
        .map_err(|e| Failure::Other(format!("could not start the editor '{editor}': {e}")))?;
    let text = std::fs::read_to_string(file.path());
    // Blank it before removal, so the words do not linger in the file's blocks.
    let len = std::fs::metadata(file.path()).map_or(0, |m| m.len());
    let _ = file.as_file_mut().set_len(0);
    let _ = file.as_file_mut().write_all(&vec![0; len as usize]);
    let _ = file.as_file_mut().sync_all();
    drop(file);
    if !status.success() {
        return Err(Failure::Input(format!(
            "the editor '{editor}' did not finish cleanly, so nothing was saved; set VISUAL or EDITOR to the editor you use"
        )));
    }
    let text = text.map_err(|e| Failure::Other(format!("could not read the note back: {e}")))?;
    let text = text.trim_end();
    Ok((!text.trim().is_empty()).then(|| text.to_string()))
}
