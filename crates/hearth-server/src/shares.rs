//! Share links: a person makes a time-limited, revocable, read-only link to
//! their report for a period, to send a clinician. Only a hash of the link's
//! secret is stored; every opening is recorded with its time and the
//! viewer's network prefix, never a full address.

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use hearth_core::ValidationError;
use hearth_store::{ServerStore, ShareLink};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, PageError};
use crate::extract::{Ctx, Form};
use crate::extract::{clock, entry_id};
use crate::state::{Acting, AppState};
use crate::views;

pub use hearth_app::shares::{DEFAULT_DAYS, MAX_DAYS};

pub(crate) fn shares_of(a: &Acting) -> ApiResult<&std::sync::Arc<dyn ServerStore>> {
    a.server.as_ref().ok_or_else(|| {
        ApiError::status(StatusCode::NOT_FOUND, "share links are not available here")
    })
}

/// The address to give out: the public address the operator gave, else the
/// host this request came to, over https when the server or its trusted
/// proxy says so.
pub(crate) fn link_url(s: &AppState, parts: &Parts, token: &str) -> String {
    format!("{}/s/{token}", base_url(s, parts))
}

/// Where people outside reach this Hearth, without a trailing slash.
pub(crate) fn base_url(s: &AppState, parts: &Parts) -> String {
    if let Some(base) = &s.shared().public_url {
        return base.clone();
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scheme = if s.secure_request(&parts.headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Whether a link names this computer itself, so nobody elsewhere can open it.
pub(crate) fn only_this_computer(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A viewer's network, for the audit log: IPv4 to /24, IPv6 to /48.
pub fn network_of(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        None => "unknown".into(),
    }
}

pub(crate) fn viewer_ip(s: &AppState, parts: &Parts) -> Option<IpAddr> {
    let forwarded = s
        .shared()
        .trust_proxy
        .then(|| {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    forwarded.or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    /// First day of the report (YYYY-MM-DD); default 12 weeks before `to`.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD); default today.
    pub to: Option<String>,
    /// Days until the link stops working: 1 to 90, default 14.
    pub days: Option<u32>,
    /// Report sections to leave out: any of "sex", "porn", "sexual-function", "notices".
    #[serde(default)]
    pub leave_out: Vec<String>,
}

struct Made {
    link: ShareLink,
    url: String,
}

async fn make(s: &AppState, a: &Acting, parts: &Parts, input: ShareIn) -> ApiResult<Made> {
    let store = shares_of(a)?;
    let c = clock(a).await?;
    let mut p = Vec::new();
    let date = |field: &str, v: &Option<String>, p: &mut Vec<ValidationError>| {
        v.as_deref()
            .filter(|d| !d.trim().is_empty())
            .and_then(|d| crate::input::parsed(hearth_core::when::parse_date(field, d), p))
    };
    let req = hearth_app::shares::Request {
        to: date("to", &input.to, &mut p),
        from: date("from", &input.from, &mut p),
        days: input.days,
        leave_out: crate::input::parsed(hearth_app::report::leave_out(&input.leave_out), &mut p)
            .unwrap_or_default(),
    };
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let made = hearth_app::shares::create(&**store, a.user, &c, &req).await?;
    Ok(Made {
        url: link_url(s, parts, &made.secret),
        link: made.link,
    })
}

/// Makes a link; its address is in the answer and nowhere else, ever.
#[utoipa::path(post, path = "/shares", request_body = ShareIn,
    responses((status = 201, description = "{\"id\", \"url\", \"from\", \"to\", \"expires_at\"}"), (status = 422, description = "A bad period or expiry")))]
pub async fn create_api(
    State(s): State<AppState>,
    a: Acting,
    parts: Parts,
    body: Result<Json<ShareIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let made = make(&s, &a, &parts, b).await?;
    let mut v = json!(made.link);
    v["only_this_computer"] = json!(only_this_computer(&made.url));
    v["url"] = json!(made.url);
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

#[utoipa::path(get, path = "/shares", responses((status = 200, description = "The person's links, newest first, with view counts")))]
pub async fn list_api(a: Acting) -> ApiResult<Json<Value>> {
    Ok(Json(json!(shares_of(&a)?.shares(a.user).await?)))
}

#[utoipa::path(delete, path = "/shares/{id}", params(("id" = String, Path)),
    responses((status = 204, description = "Revoked: it opens nothing from now on"), (status = 404, description = "No such live link of yours")))]
pub async fn revoke_api(a: Acting, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let store = shares_of(&a)?;
    let id = entry_id(&id)?;
    if store.revoke_share(a.user, &id, Timestamp::now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(id.as_str()))
    }
}

#[utoipa::path(get, path = "/shares/{id}/views", params(("id" = String, Path)),
    responses((status = 200, description = "Each opening: time and network prefix"), (status = 404, description = "No such link of yours")))]
pub async fn views_api(a: Acting, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = shares_of(&a)?;
    let id = entry_id(&id)?;
    if !store.shares(a.user).await?.iter().any(|l| l.id == id) {
        return Err(ApiError::not_found(id.as_str()));
    }
    Ok(Json(json!(store.share_views(a.user, &id).await?)))
}

/// What a clinician sees at `/s/{secret}`: the report, read-only; an unknown,
/// expired or revoked link gets one plain "not available" for all three.
pub async fn open(State(s): State<AppState>, parts: Parts, Path(token): Path<String>) -> Response {
    let gone = || {
        crate::render::problem_response(
            StatusCode::NOT_FOUND,
            "This link is not available",
            "It may have expired or been withdrawn. Please ask the person who sent it for a new one.",
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return gone();
    }
    let Some(store) = s.share_store().await else {
        return gone();
    };
    let network = network_of(viewer_ip(&s, &parts));
    let now = Timestamp::now();
    let (user, link) = match store
        .open_share(&hearth_app::secrets::secret_hash(&token), now, &network)
        .await
    {
        Ok(Some(found)) => found,
        Ok(None) => return gone(),
        Err(e) => return PageError::from(ApiError::from(e)).into_response(),
    };
    // A disabled account shares nothing, as it signs in to nothing.
    if s.accounts().is_some() {
        match store.account_by_id(user).await {
            Ok(Some(account)) if !account.disabled => {}
            Ok(_) => return gone(),
            Err(e) => return PageError::from(ApiError::from(e)).into_response(),
        }
    }
    tracing::info!(link = %link.id, "share link opened");
    let a = Acting {
        store: store.clone() as std::sync::Arc<dyn hearth_store::Store>,
        user,
        demo: false,
        passphrase: false,
        account: None,
        server: Some(store),
        settings: None,
    };
    let clock = match clock(&a).await {
        Ok(c) => c,
        Err(e) => return PageError::from(e).into_response(),
    };
    let period = (Some(link.from), Some(link.to));
    match crate::report::report_data(&s, &a, &clock, period, &link.leave_out).await {
        Ok(built) => match built.report.render() {
            Ok(html) => (
                [
                    (
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static(crate::report::REPORT_CSP),
                    ),
                    (
                        header::HeaderName::from_static("x-robots-tag"),
                        HeaderValue::from_static("noindex, nofollow"),
                    ),
                ],
                Html(html),
            )
                .into_response(),
            Err(_) => gone(),
        },
        Err(e) => e.into_response(),
    }
}

// ------------------------------------------------------------------ pages

pub(crate) async fn shares_view(
    ctx: &Ctx,
    made: Option<(String, ShareLink)>,
    errors: Vec<ValidationError>,
) -> Result<Response, PageError> {
    let store = shares_of(&ctx.a)?;
    let now = Timestamp::now();
    let mut rows = Vec::new();
    for l in store.shares(ctx.a.user).await? {
        let views = store
            .share_views(ctx.a.user, &l.id)
            .await?
            .into_iter()
            .map(|v| format!("{} · {}", views::local_time(v.at, &ctx.clock.tz), v.network))
            .collect();
        rows.push(views::ShareRow {
            id: l.id.to_string(),
            period: format!("{} to {}", l.from, l.to),
            status: match (l.revoked_at, l.expires_at > now) {
                (Some(t), _) => format!("withdrawn {}", views::local_time(t, &ctx.clock.tz)),
                (None, true) => format!(
                    "works until {}",
                    views::local_time(l.expires_at, &ctx.clock.tz)
                ),
                (None, false) => {
                    format!("expired {}", views::local_time(l.expires_at, &ctx.clock.tz))
                }
            },
            live: l.is_live(now),
            left_out: l
                .leave_out
                .iter()
                .map(|s| hearth_core::labels::report_section(*s))
                .collect::<Vec<_>>()
                .join(", "),
            views,
        });
    }
    let status = crate::render::form_status(&errors);
    let t = views::SharesPage {
        c: ctx.chrome("settings").with_errors(&errors),
        made: made.map(|(url, l)| views::MadeLink {
            local: only_this_computer(&url),
            url,
            period: format!("{} to {}", l.from, l.to),
            expires: views::local_time(l.expires_at, &ctx.clock.tz),
        }),
        rows,
        default_days: DEFAULT_DAYS,
        max_days: MAX_DAYS,
        sections: views::report_sections(),
    };
    Ok(match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    })
}

pub(crate) async fn shares_page(ctx: Ctx) -> Result<Response, PageError> {
    shares_view(&ctx, None, Vec::new()).await
}

pub(crate) async fn create_post(
    State(s): State<AppState>,
    ctx: Ctx,
    parts: Parts,
    Form(f): Form,
) -> Result<Response, PageError> {
    let mut p = Vec::new();
    let weeks = f
        .int("weeks", &mut p)
        .unwrap_or(hearth_app::report::DEFAULT_WEEKS);
    let days = f.int("days", &mut p).unwrap_or(i64::from(DEFAULT_DAYS));
    if !p.is_empty() {
        return shares_view(&ctx, None, p).await;
    }
    let from = hearth_app::report::weeks_ending(ctx.clock.today(), weeks.clamp(1, 520));
    let input = ShareIn {
        from: Some(from.to_string()),
        to: None,
        days: u32::try_from(days).ok().or(Some(0)),
        leave_out: f.all("leave_out"),
    };
    match make(&s, &ctx.a, &parts, input).await {
        Ok(m) => shares_view(&ctx, Some((m.url, m.link)), Vec::new()).await,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            shares_view(&ctx, None, e.problems).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke_post(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let store = shares_of(&ctx.a)?;
    let id = entry_id(&id)?;
    store
        .revoke_share(ctx.a.user, &id, Timestamp::now())
        .await?;
    Ok(Redirect::to("/shares").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_this_computer_is_told_apart_from_one_others_can_open() {
        for local in [
            "http://127.0.0.1:7878/s/ab",
            "http://localhost:7878/s/ab",
            "http://[::1]:7878/s/ab",
            "http://127.0.0.2/s/ab",
        ] {
            assert!(only_this_computer(local), "{local}");
        }
        for public in [
            "https://hearth.example.org/s/ab",
            "http://192.168.1.20:7878/s/ab",
            "https://localhost.example/s/ab",
        ] {
            assert!(!only_this_computer(public), "{public}");
        }
    }

    #[test]
    fn only_a_network_prefix_is_kept() {
        assert_eq!(network_of("203.0.113.77".parse().ok()), "203.0.113.0/24");
        assert_eq!(
            network_of("2001:db8:abcd:12::1".parse().ok()),
            "2001:db8:abcd::/48"
        );
        assert_eq!(network_of(None), "unknown");
    }
}
