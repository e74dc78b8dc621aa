//! Browser sessions and CSRF protection. A session is a random token in an
//! HttpOnly, SameSite=Strict cookie. Its form token (CSRF) is derived from
//! it and a secret, so it needs no storage: SHA-256 over the 32-byte secret
//! and the fixed-length token, which cannot be extended into another valid
//! token. Local mode keeps sessions in memory (whether this browser unlocked
//! a passphrase journal cannot outlive the key anyway). Server mode keeps
//! signed-in sessions in the store, only as hashes of their tokens, so a
//! restart signs nobody out and several processes can share one database;
//! a session before sign-in is the cookie alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, header};
use hearth_store::{ServerStore, SignedIn, StoreError, UserId};
use rand::Rng;

pub const COOKIE: &str = "hearth_session";
/// Sessions unused this long are forgotten (a locked journal forgets sooner).
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Sessions before anyone signs in or unlocks (each page visit makes one):
/// bounds what a script could pile up.
const MAX_ANONYMOUS: usize = 1024;

#[derive(Debug, Clone)]
struct Session {
    unlocked: bool,
    /// Who signed in with this session (memory mode).
    user: Option<UserId>,
    last_seen: Instant,
}

pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    /// Server mode: signed-in sessions live here, shared by every process.
    store: Option<Arc<dyn ServerStore>>,
    secret: tokio::sync::OnceCell<[u8; 32]>,
}

impl Default for Sessions {
    fn default() -> Sessions {
        Sessions {
            map: Mutex::default(),
            store: None,
            secret: tokio::sync::OnceCell::new_with(Some(random_bytes())),
        }
    }
}

/// The request's session, for handlers: its token and CSRF value.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf: String,
}

fn random_bytes() -> [u8; 32] {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b
}

fn random_token() -> String {
    hex::encode(random_bytes())
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares secrets in time independent of where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn ttl_from(now: jiff::Timestamp) -> jiff::Timestamp {
    now + jiff::SignedDuration::from_secs(SESSION_TTL.as_secs() as i64)
}

impl Sessions {
    /// Server mode: signed-in sessions in `store`.
    pub fn in_store(store: Arc<dyn ServerStore>) -> Sessions {
        Sessions {
            map: Mutex::default(),
            store: Some(store),
            secret: tokio::sync::OnceCell::new(),
        }
    }

    async fn secret(&self) -> Result<&[u8; 32], StoreError> {
        self.secret
            .get_or_try_init(|| async {
                let store = self
                    .store
                    .as_ref()
                    .expect("only a store-backed set starts empty");
                let text = store.server_secret(&hex::encode(random_bytes())).await?;
                let bytes = hex::decode(text.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok());
                bytes.ok_or_else(|| {
                    StoreError::Corrupt("the server's form-token secret is damaged".into())
                })
            })
            .await
    }

    async fn info(&self, token: String) -> Result<SessionInfo, StoreError> {
        Ok(SessionInfo {
            csrf: hearth_app::secrets::derive(self.secret().await?, "csrf", &token),
            token,
        })
    }

    /// The session this token names, if it is live.
    pub(crate) async fn live(&self, token: &str) -> Result<Option<SessionInfo>, StoreError> {
        let live = match self.store {
            // Signed in or not, a well-formed token is a session: who it
            // belongs to is asked separately.
            Some(_) => well_formed(token),
            None => self.touch(token).is_some(),
        };
        if !live {
            return Ok(None);
        }
        self.info(token.to_string()).await.map(Some)
    }

    fn touch(&self, token: &str) -> Option<Session> {
        let mut map = self.map.lock().expect("sessions lock");
        let s = map.get_mut(token)?;
        if s.last_seen.elapsed() > SESSION_TTL {
            map.remove(token);
            return None;
        }
        s.last_seen = Instant::now();
        Some(s.clone())
    }

    /// A new session for a browser that has none.
    pub(crate) async fn create(&self) -> Result<SessionInfo, StoreError> {
        if self.store.is_some() {
            return self.info(random_token()).await;
        }
        self.remember(false, None).await
    }

    async fn remember(
        &self,
        unlocked: bool,
        user: Option<UserId>,
    ) -> Result<SessionInfo, StoreError> {
        let token = random_token();
        {
            let mut map = self.map.lock().expect("sessions lock");
            map.retain(|_, s| s.last_seen.elapsed() <= SESSION_TTL);
            // Only sessions nobody signed in or unlocked with make way, so a
            // flood of anonymous visits can never sign real people out.
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
            map.insert(
                token.clone(),
                Session {
                    unlocked,
                    user,
                    last_seen: Instant::now(),
                },
            );
        }
        self.info(token).await
    }

    pub fn is_unlocked(&self, token: Option<&str>) -> bool {
        token
            .and_then(|t| self.touch(t))
            .is_some_and(|s| s.unlocked)
    }

    /// A fresh, unlocked session replacing `old` (a new token after unlocking,
    /// so a token seen before cannot ride along). Local mode only.
    pub async fn unlock(&self, old: Option<&str>) -> Result<SessionInfo, StoreError> {
        if let Some(t) = old {
            self.map.lock().expect("sessions lock").remove(t);
        }
        self.remember(true, None).await
    }

    /// The person signed in with this session, if any. A store that cannot
    /// answer signs nobody in.
    pub async fn user_of(&self, token: Option<&str>) -> Option<UserId> {
        match &self.store {
            Some(_) => self.signed_in(token).await.map(|s| s.account.id),
            None => self.touch(token?).and_then(|s| s.user),
        }
    }

    /// Server mode: the person signed in with this session, with their
    /// account and settings, in one read of the store.
    pub async fn signed_in(&self, token: Option<&str>) -> Option<SignedIn> {
        let (token, store) = (token?, self.store.as_ref()?);
        let now = jiff::Timestamp::now();
        let hash = hearth_app::secrets::secret_hash(token);
        store
            .signed_in(&hash, now, ttl_from(now))
            .await
            .inspect_err(|e| tracing::error!(error = %e, "could not read a session"))
            .ok()
            .flatten()
    }

    /// A fresh session for a person who just signed in, replacing `old`.
    pub async fn login(&self, old: Option<&str>, user: UserId) -> Result<SessionInfo, StoreError> {
        if let Some(t) = old {
            self.end(t).await;
        }
        let Some(store) = &self.store else {
            return self.remember(false, Some(user)).await;
        };
        let token = random_token();
        let now = jiff::Timestamp::now();
        store
            .create_session(
                &hearth_app::secrets::secret_hash(&token),
                user,
                now,
                ttl_from(now),
            )
            .await?;
        self.info(token).await
    }

    pub async fn end(&self, token: &str) {
        self.map.lock().expect("sessions lock").remove(token);
        if let Some(store) = &self.store
            && let Err(e) = store
                .end_session(&hearth_app::secrets::secret_hash(token))
                .await
        {
            tracing::error!(error = %e, "could not end a session");
        }
    }

    /// Signs a person out everywhere (password changed, account disabled or deleted).
    pub async fn end_for(&self, user: UserId) -> Result<(), StoreError> {
        self.map
            .lock()
            .expect("sessions lock")
            .retain(|_, s| s.user != Some(user));
        match &self.store {
            Some(store) => store.end_sessions_of(user).await,
            None => Ok(()),
        }
    }

    /// Ends every session: the journal was locked.
    pub fn clear(&self) {
        self.map.lock().expect("sessions lock").clear();
    }
}

pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// The value of the cookie called `name`, among all the request sends.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(COOKIE, token, secure)
}

/// A browser-session cookie scripts cannot read and other sites never send.
pub(crate) fn cookie_header(name: &str, token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("a hex token is a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn anonymous_visits_never_push_out_signed_in_sessions() {
        let s = Sessions::default();
        let alice = s.login(None, UserId(7)).await.unwrap();
        let unlocked = s.unlock(None).await.unwrap();
        for _ in 0..MAX_ANONYMOUS * 2 {
            s.create().await.unwrap();
        }
        assert_eq!(s.user_of(Some(&alice.token)).await, Some(UserId(7)));
        assert!(s.is_unlocked(Some(&unlocked.token)));
        assert!(s.map.lock().unwrap().len() <= MAX_ANONYMOUS + 2);
        s.end_for(UserId(7)).await.unwrap();
        assert_eq!(s.user_of(Some(&alice.token)).await, None);
    }

    #[tokio::test]
    async fn form_tokens_are_derived_per_session_and_per_secret() {
        let s = Sessions::default();
        let a = s.create().await.unwrap();
        let b = s.create().await.unwrap();
        assert_ne!(a.csrf, b.csrf);
        assert_eq!(
            s.live(&a.token).await.unwrap().unwrap().csrf,
            a.csrf,
            "stable"
        );
        assert!(
            s.live(&"0".repeat(64)).await.unwrap().is_none(),
            "unknown in memory"
        );
        let other = Sessions::default();
        assert_ne!(other.info(a.token.clone()).await.unwrap().csrf, a.csrf);
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
