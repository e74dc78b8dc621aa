//! Every route of the web app and the API, in one place: the only module
//! that knows all the features.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::{AppState, BODY_LIMIT, CONTENT_SECURITY_POLICY};
use crate::{
    account, calendar, entries, guard, guides, help, import, insights, launch, medications,
    openapi, partner, prompts, render, report, sensate, settings, shares, surveys, welcome,
};

/// Refuses requests addressed to any other host name: a page on the internet
/// cannot rebind its name to this server's address and read the journal.
async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let shared = state.shared();
    if let Some(hosts) = &shared.hosts {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        if !host_allowed(hosts, shared.ip_hosts, host) {
            let at = hosts.first().map_or("its own address", String::as_str);
            return (
                StatusCode::MISDIRECTED_REQUEST,
                format!("Hearth does not answer to this name; it answers at {at}"),
            )
                .into_response();
        }
    }
    next.run(req).await
}

fn host_allowed(hosts: &[String], ip_hosts: bool, host: &str) -> bool {
    let is_ip = || {
        host.parse::<std::net::SocketAddr>().is_ok()
            || host.parse::<std::net::IpAddr>().is_ok()
            || host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok())
    };
    hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) || (ip_hosts && is_ip())
}

/// Names given by the operator, with and without the port.
pub fn named_hosts(names: &[String], port: u16) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| [n.clone(), format!("{n}:{port}")])
        .collect()
}

/// Host names a loopback listener answers to.
pub fn loopback_hosts(addr: std::net::SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![
        addr.to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    if port == 80 {
        hosts.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
    }
    hosts
}

/// A request's log span: its method and path only. Never the query (it can
/// hold dates and filters) and never a share link's secret.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let path = req.uri().path();
    // A share link's path is its secret; a checked import's is its key.
    let path = ["/s/", "/import/"]
        .into_iter()
        .find(|p| path.starts_with(p) && path.len() > p.len())
        .map_or(path, |p| if p == "/s/" { "/s/…" } else { "/import/…" });
    tracing::info_span!("request", method = %req.method(), path)
}

pub fn router(state: AppState) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let pages = page_routes().layer(middleware::from_fn_with_state(state.clone(), guard::guard));
    Router::new()
        .nest("/api/v1", api_routes())
        .merge(pages)
        .route("/static/hearth.css", get(render::css))
        .route("/static/hearth.js", get(render::js))
        .route("/static/partner.js", get(render::partner_js))
        .route("/static/manifest.webmanifest", get(render::manifest))
        .route("/static/icon.svg", get(render::icon_svg))
        .route("/static/icon-192.png", get(render::icon_192))
        .route("/static/icon-512.png", get(render::icon_512))
        // A clinician's link: no session, no sign-in; the secret is the key.
        .route("/s/{token}", get(shares::open))
        // A phone's calendar: no session either; the secret is the key.
        .route("/calendar.ics", get(calendar::feed))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            launch::require,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), check_host))
        // A page with a policy of its own (the report's) keeps it; every other
        // response gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            strict_transport,
        ))
        .with_state(state)
}

/// Served over TLS, Hearth tells the browser to keep to https for a year, so
/// a later plain-http visit cannot be intercepted before it is redirected.
async fn strict_transport(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let tls = state.secure_request(req.headers());
    let mut resp = next.run(req).await;
    if tls {
        resp.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

/// The JSON API and its OpenAPI document, from one table: a handler is
/// served exactly where its `#[utoipa::path]` says, and documented there.
pub(crate) fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use entries::api as e;
    let (limited, doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(e::create_checkin))
        .routes(routes!(e::create_episode))
        .routes(routes!(e::list_entries))
        .routes(routes!(e::get_entry, e::patch_entry, e::delete_entry))
        .routes(routes!(surveys::take_survey))
        .routes(routes!(surveys::surveys_due))
        .routes(routes!(prompts::due_api))
        .routes(routes!(prompts::answer_api))
        .routes(routes!(calendar::make_api, calendar::stop_api))
        .routes(routes!(calendar::reminders_api))
        .routes(routes!(insights::insights))
        .routes(routes!(
            medications::list_medications,
            medications::medication_event
        ))
        .routes(routes!(help::help))
        .routes(routes!(welcome::unlock))
        .routes(routes!(account::api::register_api))
        .routes(routes!(account::api::login_api))
        .routes(routes!(account::api::logout_api))
        .routes(routes!(account::api::password_api))
        .routes(routes!(account::api::me, account::api::delete_api))
        .routes(routes!(account::api::export_api))
        .routes(routes!(shares::list_api, shares::create_api))
        .routes(routes!(shares::revoke_api))
        .routes(routes!(shares::views_api))
        .routes(routes!(partner::status_api, partner::unpair_api))
        .routes(routes!(partner::invite_api))
        .routes(routes!(partner::invitation_api))
        .routes(routes!(partner::join_api))
        .routes(routes!(partner::confirm_api))
        .routes(routes!(partner::mailbox_api))
        .routes(routes!(partner::post_api))
        .split_for_parts();
    // The import takes a whole file; every other route a request's worth.
    let (files, import_doc) = OpenApiRouter::new()
        .routes(routes!(import::api::import_api))
        .split_for_parts();
    let mut doc = doc;
    doc.merge(import_doc);
    openapi::add_common_refusals(&mut doc);
    let router = limited.layer(RequestBodyLimitLayer::new(BODY_LIMIT)).merge(
        files
            .layer(DefaultBodyLimit::max(hearth_app::import::MAX_BYTES))
            .layer(RequestBodyLimitLayer::new(hearth_app::import::MAX_BYTES)),
    );
    (router, doc)
}

fn api_routes() -> Router<AppState> {
    let (router, doc) = api();
    let doc = Arc::new(doc);
    router
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc) }
            }),
        )
        .fallback(|| async { ApiError::status(StatusCode::NOT_FOUND, "no such route") })
        .layer(middleware::from_fn(guard::same_origin_api))
}

fn page_routes() -> Router<AppState> {
    use entries::{history, today};
    Router::new()
        .route("/", get(today::today))
        .route("/checkin", post(today::checkin))
        .route("/log", get(today::log_page).post(today::log_post))
        .route("/history", get(history::history))
        .route(
            "/entries/{id}",
            get(history::entry_page).post(history::entry_save),
        )
        .route("/entries/{id}/edit", get(history::entry_edit))
        .route(
            "/entries/{id}/after",
            get(history::after_page).post(history::after_save),
        )
        .route(
            "/entries/{id}/delete",
            get(history::delete_page).post(history::delete_post),
        )
        .route("/prompts/{id}", post(prompts::answer_post))
        .route(
            "/reminders",
            get(calendar::reminders_page).post(calendar::reminders_post),
        )
        .route("/reminders/calendar", post(calendar::calendar_post))
        .route("/reminders/calendar/stop", post(calendar::calendar_stop))
        .route("/surveys", get(surveys::surveys))
        .route(
            "/surveys/{id}",
            get(surveys::survey_page).post(surveys::survey_post),
        )
        .route("/surveys/{id}/history", get(surveys::survey_history))
        .route("/insights", get(insights::insights_page))
        .route(
            "/medications",
            get(medications::medications).post(medications::medication_post),
        )
        .route(
            "/settings",
            get(settings::settings).post(settings::settings_post),
        )
        .route("/settings/tracking", post(settings::tracking_post))
        .route("/settings/delete", post(settings::delete_everything))
        .route("/settings/passphrase", post(settings::passphrase_post))
        .route("/contacts", post(settings::contact_add))
        .route("/contacts/{id}/delete", post(settings::contact_remove))
        .route("/questions", post(settings::question_add))
        .route("/questions/{id}/delete", post(settings::question_remove))
        .route("/kinds", post(settings::kind_add))
        .route("/export/journal.json", get(report::export_json))
        .route("/export/csv.zip", get(report::export_csv))
        .route("/report", get(report::report))
        .route("/help", get(help::help_page))
        .route("/partner", get(partner::page))
        .route(
            "/partner/sensate-focus",
            get(sensate::page).post(sensate::session_post),
        )
        .route("/guides", get(guides::list))
        .route("/guides/{slug}", get(guides::one))
        .route("/welcome", get(welcome::welcome))
        .route(
            "/welcome/start",
            get(welcome::start_page).post(welcome::start_post),
        )
        .route("/welcome/demo", post(welcome::demo_open))
        .route(
            "/unlock",
            get(welcome::unlock_page).post(welcome::unlock_post),
        )
        .route("/lock", post(welcome::lock))
        .route("/demo", get(welcome::demo_page))
        .route("/demo/leave", post(welcome::demo_leave))
        .route("/demo/remove", post(welcome::demo_remove))
        .route(
            "/login",
            get(account::pages::login_page).post(account::pages::login_post),
        )
        .route(
            "/register",
            get(account::pages::register_page).post(account::pages::register_post),
        )
        .route("/logout", post(account::pages::logout_post))
        .route("/account", get(account::pages::account_page))
        .route("/account/password", post(account::pages::password_post))
        .route("/account/delete", post(account::pages::delete_post))
        .route(
            "/shares",
            get(shares::shares_page).post(shares::create_post),
        )
        .route("/shares/{id}/revoke", post(shares::revoke_post))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Files are larger than forms: the upload routes alone take up to
        // MAX_BYTES, after the form-sized limit. The extractor enforces it,
        // so a larger file gets the page saying so rather than a bare 413.
        .merge(
            Router::new()
                .route("/import", post(import::page::check).get(import::page::form))
                .route("/import/{id}", post(import::page::confirm))
                .layer(DefaultBodyLimit::max(hearth_app::import::MAX_BYTES)),
        )
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return ApiError::not_found(req.uri().path()).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        render::problem_page(
            "Nothing here",
            "This page does not exist, or the entry it showed was deleted.",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_named_hosts_or_bare_addresses_are_answered() {
        let names = named_hosts(&["hearth.example".into()], 7878);
        for ok in [
            "hearth.example",
            "HEARTH.example:7878",
            "192.168.1.20:7878",
            "10.0.0.2",
            "[fe80::1]:7878",
            "[::1]",
        ] {
            assert!(host_allowed(&names, true, ok), "{ok}");
        }
        for bad in [
            "attacker.example",
            "hearth.example.evil",
            "",
            "hearth.example:1",
        ] {
            assert!(!host_allowed(&names, true, bad), "{bad}");
        }
        assert!(
            !host_allowed(&names, false, "10.0.0.2"),
            "loopback lists its own"
        );
    }
}
