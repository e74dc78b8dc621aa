//! Finding, creating and unlocking the journal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use hearth_core::Settings;
use hearth_core::when::parse_zone;
use hearth_store::keys::{self, KeyMode, Unlock};
use hearth_store::sqlite::{self, Connections};
use hearth_store::{SqliteStore, StoreError};
use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::failure::Failure;

pub const PASSPHRASE_ENV: &str = "HEARTH_PASSPHRASE";
/// Settings read from `config.toml` in the config directory and `HEARTH_*`
/// variables; command-line flags override both.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    data_dir: Option<PathBuf>,
}

fn config() -> Result<Config, Failure> {
    use figment::Figment;
    use figment::providers::{Env, Format, Toml};
    let mut fig = Figment::new();
    if let Some(dir) = crate::instruments::config_dir() {
        fig = fig.merge(Toml::file(dir.join("config.toml")));
    }
    // Only the keys the file may hold, so HEARTH_PASSPHRASE and friends stay out.
    fig.merge(Env::prefixed("HEARTH_").only(&["data_dir"]))
        .extract()
        .map_err(|e| Failure::Input(format!("the configuration could not be read: {e}")))
}

/// Flag (or `HEARTH_DATA_DIR`, which clap reads) > `config.toml` > platform default.
pub fn data_dir(flag: &Option<PathBuf>) -> Result<PathBuf, Failure> {
    if let Some(d) = flag {
        return Ok(d.clone());
    }
    if let Some(d) = config()?.data_dir {
        return Ok(d);
    }
    directories::ProjectDirs::from("org", "Hearth", "hearth")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            Failure::Input(
                "could not find a home directory for the journal; pass --data-dir DIR".into(),
            )
        })
}

fn passphrase_from_env() -> Option<Zeroizing<String>> {
    std::env::var(PASSPHRASE_ENV).ok().map(Zeroizing::new)
}

pub fn prompt(question: &str) -> Result<Zeroizing<String>, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Other(format!(
            "the journal needs a passphrase but there is no terminal to ask on; set {PASSPHRASE_ENV}"
        )));
    }
    rpassword::prompt_password(question)
        .map(Zeroizing::new)
        .map_err(|e| Failure::Other(format!("could not read the passphrase: {e}")))
}

/// A passphrase from `HEARTH_PASSPHRASE`, or asked for at the terminal.
pub fn ask_passphrase(question: &str) -> Result<Zeroizing<String>, Failure> {
    match passphrase_from_env() {
        Some(p) => Ok(p),
        None => prompt(question),
    }
}

/// Asks which country's crisis lines to show, offering the zone's guess.
pub fn ask_region(tz: Option<&str>) -> Option<String> {
    let zone = tz.map_or_else(hearth_app::journal::system_zone, str::to_string);
    let guess = hearth_core::crisis::region_for_zone(&zone);
    let all = hearth_core::crisis::regions();
    let choices: Vec<String> = all
        .iter()
        .map(|(code, r)| format!("{code} ({})", r.name))
        .collect();
    eprintln!(
        "Which crisis lines should Hearth show? {}.",
        choices.join(", ")
    );
    crate::term::ask(&format!("Your country [Enter for {guess}]:"), |a| {
        hearth_core::crisis::check_region(a)
    })
    .or_else(|| Some(guess.to_string()))
}

/// Whether the journal in `dir` opens with a passphrase (not a key file).
pub fn is_passphrase_journal(dir: &Path) -> bool {
    keys::read_meta(dir).is_ok_and(|m| locked_by_passphrase(m.as_ref()))
}

fn locked_by_passphrase(meta: Option<&keys::Meta>) -> bool {
    matches!(
        meta,
        Some(keys::Meta {
            mode: KeyMode::Passphrase { .. },
            ..
        })
    )
}

/// Creates a journal; `passphrase` true derives the key from one instead of
/// writing a key file.
pub async fn create(
    dir: &Path,
    passphrase: bool,
    tz: Option<&str>,
    region: Option<&str>,
    now: Timestamp,
) -> Result<SqliteStore, Failure> {
    let zone = match tz {
        Some(z) => parse_zone(z)?.iana_name().unwrap_or("UTC").to_string(),
        None => hearth_app::journal::system_zone(),
    };
    let mut settings = Settings::new_journal(&zone, now);
    if let Some(r) = region {
        settings.region = hearth_core::crisis::check_region(r)?;
    }
    let secret = if passphrase {
        let p = match passphrase_from_env() {
            Some(p) => p,
            None => {
                let first = prompt("Choose a passphrase: ")?;
                let again = prompt("Type it again: ")?;
                if *first != *again {
                    return Err(Failure::Input(
                        "the two passphrases were different; nothing was created".into(),
                    ));
                }
                first
            }
        };
        if let Err(e) = hearth_app::journal::check_passphrase(&p, &p) {
            return Err(Failure::Input(format!("{e}; nothing was created")));
        }
        Some(p)
    } else {
        None
    };
    Ok(SqliteStore::create(dir, secret.as_deref().map(|s| s.as_str()), &settings, now).await?)
}

/// Opens the journal, creating one in key-file mode if the directory has none.
pub async fn open_or_create(dir: &Path, now: Timestamp) -> Result<SqliteStore, Failure> {
    if !sqlite::exists(dir) {
        let store = create(dir, false, None, None, now).await?;
        eprintln!(
            "Created a new encrypted journal in {}.\nIts key is in {} — keep a copy somewhere safe: without it the journal cannot be read.",
            dir.display(),
            dir.join(keys::KEY_FILE).display()
        );
        return Ok(store);
    }
    open(dir).await
}

/// Opens the journal for one command: a single connection is all it uses.
pub async fn open(dir: &Path) -> Result<SqliteStore, Failure> {
    if !locked_by_passphrase(keys::read_meta(dir)?.as_ref()) {
        return Ok(SqliteStore::open_with(dir, &Unlock::KeyFileOnly, Connections::Command).await?);
    }
    let secret = ask_passphrase("Passphrase: ")?;
    match SqliteStore::open_with(dir, &Unlock::Passphrase(&secret), Connections::Command).await {
        Err(StoreError::Locked(_)) => Err(Failure::Other(
            "the journal could not be unlocked: that passphrase is not the one it was created with"
                .into(),
        )),
        other => Ok(other?),
    }
}
