//! Browser sessions and CSRF protection. A session is a random token in an
//! HttpOnly, SameSite=Strict cookie; it carries the CSRF token every form
//! must echo, and, for a passphrase journal, whether this browser unlocked it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, header};
use rand::Rng;

use hearth_store::UserId;

pub const COOKIE: &str = "hearth_session";
/// Sessions unused this long are forgotten (a locked journal forgets sooner).
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Sessions before anyone signs in or unlocks (each page visit makes one):
/// bounds what a script could pile up.
const MAX_ANONYMOUS: usize = 1024;

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) csrf: String,
    unlocked: bool,
    /// Server mode: who signed in with this session.
    user: Option<UserId>,
    last_seen: Instant,
}

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

/// The request's session, for handlers: its token and CSRF value.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf: String,
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Compares secrets in time independent of where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Sessions {
    pub(crate) fn live(&self, token: &str) -> Option<Session> {
        let mut map = self.map.lock().expect("sessions lock");
        let s = map.get_mut(token)?;
        if s.last_seen.elapsed() > SESSION_TTL {
            map.remove(token);
            return None;
        }
        s.last_seen = Instant::now();
        Some(s.clone())
    }

    pub(crate) fn create(&self, unlocked: bool) -> SessionInfo {
        self.create_for(unlocked, None)
    }

    fn create_for(&self, unlocked: bool, user: Option<UserId>) -> SessionInfo {
        let mut map = self.map.lock().expect("sessions lock");
        map.retain(|_, s| s.last_seen.elapsed() <= SESSION_TTL);
        // Only sessions nobody signed in or unlocked with make way, so a flood
        // of anonymous visits can never sign real people out.
        let anonymous = |s: &Session| s.user.is_none() && !s.unlocked;
        if map.values().filter(|s| anonymous(s)).count() >= MAX_ANONYMOUS
            && let Some(oldest) = map
                .iter()
                .filter(|(_, s)| anonymous(s))
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        let info = SessionInfo {
            token: random_token(),
            csrf: random_token(),
        };
        map.insert(
            info.token.clone(),
            Session {
                csrf: info.csrf.clone(),
                unlocked,
                user,
                last_seen: Instant::now(),
            },
        );
        info
    }

    pub fn is_unlocked(&self, token: Option<&str>) -> bool {
        token.and_then(|t| self.live(t)).is_some_and(|s| s.unlocked)
    }

    /// A fresh, unlocked session replacing `old` (a new token after unlocking,
    /// so a token seen before cannot ride along).
    pub fn unlock(&self, old: Option<&str>) -> SessionInfo {
        if let Some(t) = old {
            self.map.lock().expect("sessions lock").remove(t);
        }
        self.create(true)
    }

    /// The person signed in with this session, if any.
    pub fn user_of(&self, token: Option<&str>) -> Option<UserId> {
        token.and_then(|t| self.live(t)).and_then(|s| s.user)
    }

    /// A fresh session for a person who just signed in, replacing `old`.
    pub fn login(&self, old: Option<&str>, user: UserId) -> SessionInfo {
        if let Some(t) = old {
            self.map.lock().expect("sessions lock").remove(t);
        }
        self.create_for(false, Some(user))
    }

    pub fn end(&self, token: &str) {
        self.map.lock().expect("sessions lock").remove(token);
    }

    /// Signs a person out everywhere (password changed, account disabled or deleted).
    pub fn end_for(&self, user: UserId) {
        self.map
            .lock()
            .expect("sessions lock")
            .retain(|_, s| s.user != Some(user));
    }

    /// Ends every session: the journal was locked.
    pub fn clear(&self) {
        self.map.lock().expect("sessions lock").clear();
    }
}

pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("a hex token is a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_visits_never_push_out_signed_in_sessions() {
        let s = Sessions::default();
        let alice = s.login(None, UserId(7));
        let unlocked = s.unlock(None);
        for _ in 0..MAX_ANONYMOUS * 2 {
            s.create(false);
        }
        assert_eq!(s.user_of(Some(&alice.token)), Some(UserId(7)));
        assert!(s.is_unlocked(Some(&unlocked.token)));
        assert!(s.map.lock().unwrap().len() <= MAX_ANONYMOUS + 2);
        s.end_for(UserId(7));
        assert_eq!(s.user_of(Some(&alice.token)), None);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hearth_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&h).as_deref(), Some("abc"));
        let v = set_cookie("abc", true);
        let v = v.to_str().unwrap();
        assert!(v.contains("HttpOnly") && v.contains("SameSite=Strict") && v.contains("Secure"));
        assert!(
            !set_cookie("abc", false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
