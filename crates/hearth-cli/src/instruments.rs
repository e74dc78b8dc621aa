//! The questionnaires this CLI offers: the built-in ones and a clinic's own
//! definitions from the config directory.

use std::path::PathBuf;

use hearth_core::instrument::{Instrument, Registry};

pub const CONFIG_ENV: &str = "HEARTH_CONFIG_DIR";

pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os(CONFIG_ENV).map(PathBuf::from).or_else(|| {
        directories::ProjectDirs::from("org", "Hearth", "hearth")
            .map(|p| p.config_dir().to_path_buf())
    })
}

/// Built-in instruments plus `*.toml` definitions in `<config>/instruments/`.
/// A bad file is refused with its reason; the others still load.
pub fn registry() -> (Registry, Vec<String>) {
    let mut reg = Registry::builtin();
    let mut refused = Vec::new();
    let Some(dir) = config_dir().map(|d| d.join("instruments")) else {
        return (reg, refused);
    };
    let Ok(read) = std::fs::read_dir(&dir) else {
        return (reg, refused);
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let loaded = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| Instrument::from_toml(&text).map_err(|e| e.to_string()))
            .and_then(|inst| reg.add(inst).map_err(|e| e.to_string()));
        if let Err(why) = loaded {
            refused.push(format!(
                "the instrument definition {} was refused: {why}",
                path.display()
            ));
        }
    }
    (reg, refused)
}
