//! Browser sessions and CSRF protection. A session is a random token in an
//! HttpOnly, SameSite=Strict cookie; it carries the CSRF token every form
//! must echo, and, for a passphrase journal, whether this browser unlocked it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

use hearth_store::UserId;

use crate::{AppState, BODY_LIMIT};

pub const COOKIE: &str = "hearth_session";
/// Sessions unused this long are forgotten (a locked journal forgets sooner).
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// A loopback server has a handful of browsers; this bounds what a script could pile up.
const MAX_SESSIONS: usize = 256;

#[derive(Debug, Clone)]
struct Session {
    csrf: String,
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
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Sessions {
    fn live(&self, token: &str) -> Option<Session> {
        let mut map = self.map.lock().expect("sessions lock");
        let s = map.get_mut(token)?;
        if s.last_seen.elapsed() > SESSION_TTL {
            map.remove(token);
            return None;
        }
        s.last_seen = Instant::now();
        Some(s.clone())
    }

    fn create(&self, unlocked: bool) -> SessionInfo {
        self.create_for(unlocked, None)
    }

    fn create_for(&self, unlocked: bool, user: Option<UserId>) -> SessionInfo {
        let mut map = self.map.lock().expect("sessions lock");
        map.retain(|_, s| s.last_seen.elapsed() <= SESSION_TTL);
        if map.len() >= MAX_SESSIONS
            && let Some(oldest) = map
                .iter()
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

fn refuse(why: &str) -> Response {
    let page = crate::pages::problem_page("This form could not be sent", why);
    (StatusCode::FORBIDDEN, page).into_response()
}

/// For every page route: make sure the browser has a session, and refuse any
/// form post that does not carry this session's CSRF token or that another
/// site sent.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let sessions = &state.shared().sessions;
    let existing = cookie_value(req.headers()).and_then(|t| sessions.live(&t).map(|s| (t, s)));
    let (info, new) = match existing {
        Some((token, s)) => (
            SessionInfo {
                token,
                csrf: s.csrf,
            },
            false,
        ),
        None => (sessions.create(false), true),
    };
    let mut req = req;
    if req.method() == Method::POST {
        if let Some(site) = req.headers().get("sec-fetch-site")
            && !matches!(site.as_bytes(), b"same-origin" | b"none")
        {
            return refuse(
                "It came from another site. Hearth only takes forms from its own pages.",
            );
        }
        if new {
            return refuse(
                "The page it came from has expired. Go back, reload the page, and try again — nothing was saved.",
            );
        }
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "That form was too large.").into_response();
        };
        let sent =
            crate::input::FormData::parse(&bytes).and_then(|f| f.get("csrf").map(str::to_string));
        if !sent.is_some_and(|s| same(&s, &info.csrf)) {
            return refuse(
                "The page it came from has expired. Go back, reload the page, and try again — nothing was saved.",
            );
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let secure = state.secure_request(req.headers());
    req.extensions_mut().insert(info.clone());
    let mut resp = next.run(req).await;
    if new && !resp.headers().contains_key(header::SET_COOKIE) {
        resp.headers_mut()
            .append(header::SET_COOKIE, set_cookie(&info.token, secure));
    }
    resp
}
