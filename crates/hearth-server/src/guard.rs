//! The guard in front of every page: a session for each browser, and no form
//! post without this session's CSRF token or from another site.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::session::{SessionInfo, cookie_value, same, set_cookie};
use crate::state::{AppState, BODY_LIMIT};

fn refuse(why: &str) -> Response {
    let page = crate::render::problem_page("This form could not be sent", why);
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
        let expired = || {
            refuse(
                "The page it came from has expired. Go back, reload the page, and try again — nothing was saved.",
            )
        };
        if new {
            return expired();
        }
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"));
        if multipart {
            // A file upload streams to its handler unread; its form carries
            // the token in the address instead.
            let sent = req
                .uri()
                .query()
                .and_then(|q| crate::input::FormData::parse(q.as_bytes()))
                .and_then(|f| f.get("csrf").map(str::to_string));
            if !sent.is_some_and(|s| same(&s, &info.csrf)) {
                return expired();
            }
        } else {
            let (parts, body) = req.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, "That form was too large.").into_response();
            };
            let sent = crate::input::FormData::parse(&bytes)
                .and_then(|f| f.get("csrf").map(str::to_string));
            if !sent.is_some_and(|s| same(&s, &info.csrf)) {
                return expired();
            }
            req = Request::from_parts(parts, Body::from(bytes));
        }
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
