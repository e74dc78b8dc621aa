//! Reminders on a phone without any push service: the person's check-in
//! times and quiet hours, and a private calendar feed behind a secret that
//! can be replaced or stopped at once.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::remind::hhmm;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult, ErrorBody, PageError, PageResult};
use crate::extract::{Ctx, Form};
use crate::render::{page_with, see};
use crate::shares::{base_url, only_this_computer, shares_of};
use crate::state::{Acting, AppState};
use crate::views;

fn feed_url(s: &AppState, parts: &Parts, secret: &str) -> String {
    format!("{}/calendar.ics?token={secret}", base_url(s, parts))
}

#[derive(Deserialize)]
pub(crate) struct FeedQuery {
    token: Option<String>,
}

/// The feed a phone's calendar subscribes to. An unknown or stopped link,
/// or a disabled account's, is one plain 404 for all.
pub(crate) async fn feed(State(s): State<AppState>, Query(q): Query<FeedQuery>) -> Response {
    let gone = || {
        (
            StatusCode::NOT_FOUND,
            "This calendar link is not available.",
        )
            .into_response()
    };
    let Some(token) = q
        .token
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return gone();
    };
    let Some(store) = s.share_store().await else {
        return gone();
    };
    let fail = |e: hearth_store::StoreError| PageError::from(ApiError::from(e)).into_response();
    let user = match store
        .calendar_user(&hearth_app::secrets::secret_hash(&token))
        .await
    {
        Ok(Some(u)) => u,
        Ok(None) => return gone(),
        Err(e) => return fail(e),
    };
    if s.accounts().is_some() {
        match store.account_by_id(user).await {
            Ok(Some(a)) if !a.disabled => {}
            Ok(_) => return gone(),
            Err(e) => return fail(e),
        }
    }
    let settings = match store.settings(user).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let now = Timestamp::now();
    let today = match hearth_app::Clock::of_settings(&settings, now) {
        Ok(c) => c.today(),
        Err(_) => now.to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    let text =
        hearth_formats::ics::reminders(&settings.remind_at, settings.quiet_hours, today, now);
    tracing::info!(user = user.0, "calendar feed read");
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response()
}

#[utoipa::path(post, path = "/calendar",
    responses((status = 201, description = "A new private calendar link: `{\"url\"}`, shown once; any earlier link stops working"),
              (status = 404, description = "Calendar links are not available in this mode", body = ErrorBody)))]
pub(crate) async fn make_api(
    State(s): State<AppState>,
    a: Acting,
    parts: Parts,
) -> ApiResult<Response> {
    let secret = hearth_app::shares::make_calendar(&**shares_of(&a)?, a.user).await?;
    let url = feed_url(&s, &parts, &secret);
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))).into_response())
}

#[utoipa::path(delete, path = "/calendar",
    responses((status = 204, description = "The calendar link stops working at once")))]
pub(crate) async fn stop_api(a: Acting) -> ApiResult<StatusCode> {
    hearth_app::shares::stop_calendar(&**shares_of(&a)?, a.user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/reminders",
    responses((status = 200, description = "Check-in times (HH:MM, local), quiet hours, and whether a calendar link exists")))]
pub(crate) async fn reminders_api(a: Acting) -> ApiResult<Json<Value>> {
    let settings = a.settings().await?;
    let calendar = match &a.server {
        Some(store) => store.has_calendar(a.user).await?,
        None => false,
    };
    Ok(Json(json!({
        "remind_at": settings.remind_at.iter().map(|t| hhmm(*t)).collect::<Vec<_>>(),
        "quiet_hours": settings.quiet_hours.map(|q| q.as_text()),
        "calendar": calendar,
    })))
}

// ------------------------------------------------------------------ page

async fn page(
    ctx: &Ctx,
    made: Option<String>,
    errors: Vec<hearth_core::ValidationError>,
) -> PageResult {
    let settings = ctx.settings();
    let calendar = match &ctx.a.server {
        Some(store) => Some(store.has_calendar(ctx.a.user).await?),
        None => None,
    };
    let status = crate::render::form_status(&errors);
    Ok(page_with(
        status,
        &views::Reminders {
            c: ctx.chrome("settings").with_errors(&errors),
            times: settings
                .remind_at
                .iter()
                .map(|t| hhmm(*t))
                .collect::<Vec<_>>()
                .join(", "),
            quiet: settings
                .quiet_hours
                .map(|q| q.as_text())
                .unwrap_or_default(),
            local: made.as_deref().is_some_and(only_this_computer),
            made,
            offered: calendar.is_some(),
            calendar: calendar.unwrap_or(false),
        },
    ))
}

pub(crate) async fn reminders_page(ctx: Ctx) -> PageResult {
    page(&ctx, None, Vec::new()).await
}

/// The check-in times and quiet hours, as typed.
pub(crate) async fn reminders_post(ctx: Ctx, Form(f): Form) -> PageResult {
    let mut settings = ctx.settings().clone();
    let mut p = Vec::new();
    match hearth_core::remind::parse_times(f.get("times").unwrap_or_default()) {
        Ok(t) => settings.remind_at = t,
        Err(e) => p.push(e),
    }
    match hearth_core::remind::parse_quiet(f.get("quiet").unwrap_or_default()) {
        Ok(q) => settings.quiet_hours = q,
        Err(e) => p.push(e),
    }
    if !p.is_empty() {
        return page(&ctx, None, p).await;
    }
    ctx.a.store.set_settings(ctx.a.user, &settings).await?;
    Ok(see("/reminders"))
}

pub(crate) async fn calendar_post(State(s): State<AppState>, ctx: Ctx, parts: Parts) -> PageResult {
    let store = shares_of(&ctx.a)?;
    let secret = hearth_app::shares::make_calendar(&**store, ctx.a.user)
        .await
        .map_err(ApiError::from)?;
    page(&ctx, Some(feed_url(&s, &parts, &secret)), Vec::new()).await
}

pub(crate) async fn calendar_stop(ctx: Ctx) -> PageResult {
    hearth_app::shares::stop_calendar(&**shares_of(&ctx.a)?, ctx.a.user)
        .await
        .map_err(ApiError::from)?;
    Ok(see("/reminders"))
}
