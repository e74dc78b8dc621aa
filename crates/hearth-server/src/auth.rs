//! Server mode's sign-in: Argon2id password hashes, names and passwords
//! checked before anything is stored, one-time invitation codes kept only
//! as hashes, and a back-off on repeated failed sign-ins.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use hearth_core::ValidationError;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Who may create an account on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    Open,
    /// Only with a code from `hearth admin invite`.
    Invite,
    Closed,
}

impl Registration {
    pub fn parse(text: &str) -> Result<Registration, ValidationError> {
        match text {
            "open" => Ok(Registration::Open),
            "invite" => Ok(Registration::Invite),
            "closed" => Ok(Registration::Closed),
            other => Err(ValidationError::unknown(
                "registration",
                other,
                &["open", "invite", "closed"],
            )),
        }
    }
}

/// Usernames: 3 to 40 of a–z, 0–9, `.`, `_`, `-`, compared without case.
pub fn check_username(name: &str) -> Result<String, ValidationError> {
    let n = name.trim().to_lowercase();
    let ok = (3..=40).contains(&n.chars().count())
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(n)
    } else {
        Err(ValidationError::invalid(
            "username",
            "needs 3 to 40 letters, digits, dots, dashes or underscores",
        ))
    }
}

/// A new account password: its length, and not quick to guess (`username`
/// among what it must not be built from).
pub fn check_password(field: &str, pw: &str, username: &str) -> Result<(), ValidationError> {
    let n = pw.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(ValidationError::invalid(
            field,
            format!("needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(ValidationError::invalid(
            field,
            format!("can have at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    hearth_app::secrets::check_guessable(field, pw, &[username, "hearth"])
}

/// An Argon2id PHC string (argon2's defaults: 19 MiB, 2 passes).
pub fn hash_password(pw: &str) -> String {
    Argon2::default()
        .hash_password(pw.as_bytes())
        .expect("hashing with a fresh salt succeeds")
        .to_string()
}

/// Checks a password against a stored hash; an unknown person is checked
/// against a throwaway hash so the answer takes as long either way.
pub fn verify_password(pw: &str, hash: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not anyone's password"));
    let (hash, real) = match hash {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let ok = Argon2::default()
        .verify_password(pw.as_bytes(), hash)
        .is_ok();
    ok && real
}

/// Failed sign-ins per name and per address; after a few, each further try
/// must wait twice as long as the last (up to 15 minutes).
#[derive(Default)]
pub struct Limiter {
    map: Mutex<HashMap<String, Strikes>>,
}

struct Strikes {
    failures: u32,
    last: Instant,
    until: Option<Instant>,
}

const FREE_TRIES: u32 = 5;
/// Failures against one account from anywhere before it slows down: enough
/// that a stranger cannot make its owner wait by failing a few times, few
/// enough that guessing from many addresses is slowed too.
const FREE_TRIES_PER_ACCOUNT: u32 = 20;
/// Keys that count failures against an account from every address.
pub const ACCOUNT_KEY: &str = "account:";
/// Keys that count a signed-in person's failed password confirmations.
pub const CONFIRM_KEY: &str = "confirm:";
const FORGET_AFTER: Duration = Duration::from_secs(3600);
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);

impl Limiter {
    /// How long to wait before another try is heard, if at all.
    pub fn wait(&self, keys: &[String]) -> Option<Duration> {
        let map = self.map.lock().expect("limiter lock");
        keys.iter()
            .filter_map(|k| map.get(k))
            .filter_map(|s| s.until)
            .filter_map(|u| u.checked_duration_since(Instant::now()))
            .max()
    }

    pub fn failed(&self, keys: &[String]) {
        let mut map = self.map.lock().expect("limiter lock");
        map.retain(|_, s| s.last.elapsed() < FORGET_AFTER);
        for k in keys {
            let s = map.entry(k.clone()).or_insert(Strikes {
                failures: 0,
                last: Instant::now(),
                until: None,
            });
            s.failures += 1;
            s.last = Instant::now();
            let free = if k.starts_with(ACCOUNT_KEY) {
                FREE_TRIES_PER_ACCOUNT
            } else {
                FREE_TRIES
            };
            if s.failures >= free {
                let wait = Duration::from_secs(1 << (s.failures - free).min(10)).min(MAX_WAIT);
                s.until = Some(Instant::now() + wait);
            }
        }
    }

    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.map.lock().expect("limiter lock");
        for k in keys {
            map.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("a long enough password");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("a long enough password", Some(&h)));
        assert!(!verify_password("another password entirely", Some(&h)));
        assert!(!verify_password("a long enough password", None));
        assert_ne!(h, hash_password("a long enough password"), "salted");
    }

    #[test]
    fn names_and_passwords_are_checked() {
        // As the server does when it starts (`AppState::new`).
        hearth_app::secrets::estimate_here();
        assert_eq!(check_username(" Alex.B ").unwrap(), "alex.b");
        for bad in ["ab", "has space", "émile", &"x".repeat(41)] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
        assert!(check_password("password", "short", "alex").is_err());
        assert!(check_password("password", "copper kettle rain", "alex").is_ok());
        for weak in ["password1234", "            ", "alex.b123456"] {
            let e = check_password("password", weak, "alex.b").unwrap_err();
            assert!(e.to_string().contains("too easy to guess"), "{weak}: {e}");
        }
    }

    #[test]
    fn back_off_starts_after_five_failures_and_resets_on_success() {
        let l = Limiter::default();
        let k = vec!["user:alex".to_string()];
        for _ in 0..4 {
            l.failed(&k);
            assert!(l.wait(&k).is_none());
        }
        l.failed(&k);
        let first = l.wait(&k).expect("a wait after five failures");
        l.failed(&k);
        assert!(l.wait(&k).unwrap() > first, "each failure waits longer");
        l.succeeded(&k);
        assert!(l.wait(&k).is_none());
    }
}
