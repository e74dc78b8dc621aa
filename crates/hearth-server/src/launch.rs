//! Local mode's per-launch key. The loopback port is open to every account
//! on the computer, and a key-file journal has no passphrase to stop them, so
//! `hearth serve` makes a fresh key each time it starts and prints it in the
//! address it shows. Only the person who started it sees that address. The
//! browser trades the key for a cookie; programs send it as a bearer token.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::session::{cookie, cookie_header, same};
use crate::state::AppState;

pub const COOKIE: &str = "hearth_key";
/// The query parameter of the address `serve` prints.
pub const PARAM: &str = "key";

/// A fresh 256-bit key for one launch.
pub fn new_key() -> String {
    hearth_app::secrets::new_secret().0
}

/// Paths anyone may reach: the stylesheet and script, and a clinician's share
/// link, whose own secret is its key.
fn open_to_all(path: &str) -> bool {
    // A share link and the calendar feed carry secrets of their own.
    path.starts_with("/static/") || path.starts_with("/s/") || path == "/calendar.ics"
}

fn carries(headers: &HeaderMap, key: &str) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let sent = cookie(headers, COOKIE);
    bearer.is_some_and(|b| same(b.trim(), key)) || sent.is_some_and(|c| same(&c, key))
}

/// Lets through only requests that carry this launch's key; the printed
/// address is answered with the cookie and a redirect that takes the key out
/// of the address bar.
pub async fn require(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = state.shared().launch_key.as_deref() else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if open_to_all(path) || carries(req.headers(), key) {
        return next.run(req).await;
    }
    let offered = req
        .uri()
        .query()
        .and_then(|q| crate::input::FormData::parse(q.as_bytes()))
        .and_then(|f| f.get(PARAM).map(str::to_string));
    if matches!(req.method(), &Method::GET | &Method::HEAD)
        && offered.is_some_and(|k| same(&k, key))
    {
        let secure = state.secure_request(req.headers());
        return (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, path.parse().expect("a request path")),
                (header::SET_COOKIE, cookie_header(COOKIE, key, secure)),
            ],
        )
            .into_response();
    }
    if path.starts_with("/api/") {
        return ApiError::status(
            StatusCode::UNAUTHORIZED,
            "this Hearth needs the key it printed when it started: open the address it printed, \
             or send the key as 'Authorization: Bearer KEY'",
        )
        .into_response();
    }
    crate::render::problem_response(
        StatusCode::UNAUTHORIZED,
        "Open Hearth from its own address",
        "This journal opens only from the whole address Hearth showed when it started — the one \
         that ends in ?key= and a long code. Copy that address into this browser. If you did not \
         start Hearth on this computer, this journal is not yours to open.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_key_is_accepted_as_a_cookie_or_a_bearer_token_only_when_exact() {
        let key = new_key();
        assert_eq!(key.len(), 64);
        assert_ne!(key, new_key());
        let with = |name, value: String| {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_str(&value).unwrap());
            h
        };
        assert!(carries(
            &with(header::AUTHORIZATION, format!("Bearer {key}")),
            &key
        ));
        assert!(carries(
            &with(header::COOKIE, format!("a=1; {COOKIE}={key}")),
            &key
        ));
        assert!(!carries(&HeaderMap::new(), &key));
        assert!(!carries(
            &with(header::AUTHORIZATION, format!("Basic {key}")),
            &key
        ));
        assert!(!carries(
            &with(header::COOKIE, format!("{COOKIE}={}", &key[1..])),
            &key
        ));
        assert!(!carries(
            &with(header::COOKIE, format!("hearth_session={key}")),
            &key
        ));
        assert!(open_to_all("/s/abc") && open_to_all("/static/hearth.css"));
        assert!(!open_to_all("/api/v1/entries") && !open_to_all("/help") && !open_to_all("/"));
    }
}
