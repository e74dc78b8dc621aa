//! The guard in front of every page: a session for each browser, and no form
//! post without this session's CSRF token or from another site.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::session::{cookie_value, same, set_cookie};
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
    let existing = match cookie_value(req.headers()) {
        Some(t) => sessions.live(&t).await,
        None => Ok(None),
    };
    let found = match existing {
        Ok(Some(info)) => Ok((info, false)),
        Ok(None) => sessions.create().await.map(|info| (info, true)),
        Err(e) => Err(e),
    };
    let (info, new) = match found {
        Ok(found) => found,
        Err(e) => return crate::error::PageError::from(e).into_response(),
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

/// For every API route: a request that changes something must come from
/// Hearth's own pages or from a program, never from another site. Browsers
/// say where a request comes from (`Sec-Fetch-Site`, `Origin`); a "simple"
/// cross-site POST (text/plain, no preflight) would otherwise reach the
/// journal. "same-site" is refused too: a sibling subdomain or another port
/// is same-site but not Hearth.
pub async fn same_origin_api(req: Request, next: Next) -> Response {
    if !matches!(
        req.method(),
        &Method::GET | &Method::HEAD | &Method::OPTIONS
    ) && let Some(why) = cross_site(req.headers())
    {
        return crate::error::ApiError::status(
            StatusCode::FORBIDDEN,
            format!("{why}: Hearth's API takes changes only from its own pages or from programs"),
        )
        .into_response();
    }
    next.run(req).await
}

/// Why a request's own headers say it came from another site, if they do.
fn cross_site(headers: &axum::http::HeaderMap) -> Option<&'static str> {
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return Some("this request came from another site");
    }
    let origin = headers.get(header::ORIGIN)?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let from = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, authority)| authority.trim_end_matches('/'));
    match (from, host) {
        (Some(from), Some(host)) if from.eq_ignore_ascii_case(host) => None,
        _ => Some("this request's origin is not this Hearth"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_this_origin_and_programs_may_change_things() {
        let host = ("host", "127.0.0.1:7878");
        assert!(
            cross_site(&headers(&[host])).is_none(),
            "a program sends neither header"
        );
        assert!(cross_site(&headers(&[host, ("sec-fetch-site", "same-origin")])).is_none());
        assert!(cross_site(&headers(&[host, ("origin", "http://127.0.0.1:7878")])).is_none());
        for bad in [
            [host, ("sec-fetch-site", "cross-site")],
            [host, ("sec-fetch-site", "same-site")],
            [host, ("origin", "https://evil.example")],
            [host, ("origin", "http://127.0.0.1:7879")],
            [host, ("origin", "null")],
        ] {
            assert!(cross_site(&headers(&bad)).is_some(), "{bad:?}");
        }
    }
}
