//! The first visit, unlocking and locking a passphrase journal, and the demo.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::Settings;
use hearth_core::ValidationError;
use hearth_store::StoreError;
use jiff::Timestamp;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::Blocked;
use crate::error::{ApiError, ApiResult, ErrorBody, PageError, PageResult};
use crate::extract::{Bare, Ctx, Form};
use crate::input::{self};
use crate::local::UnlockError;
use crate::render::{page, page_with, problem_page, see};
use crate::state::AppState;
use crate::views::{self};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnlockIn {
    pub passphrase: String,
}

/// Unlocks a passphrase journal for this client: answers with a session cookie.
#[utoipa::path(post, path = "/unlock", request_body = UnlockIn,
    responses((status = 204, description = "Unlocked; the Set-Cookie header holds the session"), (status = 401, description = "Not the passphrase this journal was created with", body = ErrorBody), (status = 429, description = "Several wrong passphrases: the message says how long to wait", body = ErrorBody)))]
pub(crate) async fn unlock(
    State(s): State<AppState>,
    body: Result<Json<UnlockIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let Some(local) = s.local() else {
        return Err(ApiError::status(
            StatusCode::NOT_FOUND,
            "this server has no journal to unlock",
        ));
    };
    match local.unlock(&b.passphrase).await {
        Ok(()) => {
            let session = s.shared().sessions.unlock(None).await?;
            Ok((
                StatusCode::NO_CONTENT,
                [(
                    header::SET_COOKIE,
                    crate::session::set_cookie(&session.token, s.shared().secure_cookies),
                )],
            )
                .into_response())
        }
        Err(UnlockError::Wrong) => Err(ApiError::status(
            StatusCode::UNAUTHORIZED,
            "that passphrase is not the one this journal was created with",
        )),
        Err(UnlockError::Wait(d)) => Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many wrong passphrases: {}", wait_words(d)),
        )),
        Err(UnlockError::Store(StoreError::NoStore(_))) => {
            Err(ApiError::blocked(Blocked::NoJournal))
        }
        Err(UnlockError::Store(e)) => Err(e.into()),
    }
}

pub(crate) fn local_only(s: &AppState) -> Result<&crate::local::Local, PageError> {
    s.local().ok_or_else(|| {
        PageError(Box::new(
            (
                StatusCode::NOT_FOUND,
                problem_page(
                    "Nothing here",
                    "This server has no journal of its own to set up.",
                ),
            )
                .into_response(),
        ))
    })
}

#[derive(serde::Deserialize)]
pub(crate) struct WelcomeQuery {
    deleted: Option<String>,
}

pub(crate) async fn welcome(
    State(s): State<AppState>,
    bare: Bare,
    axum::extract::Query(q): axum::extract::Query<WelcomeQuery>,
) -> PageResult {
    let local = local_only(&s)?;
    if local.journal_exists() {
        return Ok(see("/"));
    }
    Ok(page(&views::Welcome {
        c: bare.chrome(),
        deleted: q.deleted.is_some(),
    }))
}

pub(crate) async fn start_page(State(s): State<AppState>, bare: Bare) -> PageResult {
    if local_only(&s)?.journal_exists() {
        return Ok(see("/"));
    }
    let tz = hearth_app::journal::system_zone();
    Ok(page(&views::Start {
        c: bare.chrome(),
        zones: views::zones_with_regions(),
        region: hearth_core::crisis::region_for_zone(&tz).to_string(),
        tz,
        regions: views::region_choices(),
    }))
}

pub(crate) async fn start_post(State(s): State<AppState>, bare: Bare, Form(f): Form) -> PageResult {
    let local = local_only(&s)?;
    if local.journal_exists() {
        return Ok(see("/"));
    }
    let mut p = Vec::new();
    let tz = f.get("tz").unwrap_or("UTC");
    let zone = input::parsed(hearth_core::when::parse_zone(tz), &mut p);
    let region_text = f.get("region").unwrap_or_default().to_string();
    let region = match region_text.as_str() {
        "" => Some(hearth_core::crisis::region_for_zone(tz).to_string()),
        r => input::parsed(hearth_core::crisis::check_region(r), &mut p),
    };
    let (pass, again) = (f.secret("passphrase"), f.secret("again"));
    if !pass.is_empty() || !again.is_empty() {
        input::parsed(hearth_app::journal::check_passphrase(&pass, &again), &mut p);
    }
    if !p.is_empty() {
        return Ok(page_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &views::Start {
                c: bare.chrome().with_errors(&p),
                zones: views::zones_with_regions(),
                tz: tz.to_string(),
                regions: views::region_choices(),
                region: region_text,
            },
        ));
    }
    let tz_name = zone
        .as_ref()
        .and_then(|z| z.iana_name())
        .unwrap_or("UTC")
        .to_string();
    let passphrase = (!pass.is_empty()).then(|| pass.as_str());
    let now = Timestamp::now();
    let mut settings = Settings::new_journal(&tz_name, now);
    if let Some(r) = region {
        settings.region = r;
    }
    local.create(&settings, passphrase, now).await?;
    if passphrase.is_some() {
        // This browser set the passphrase: it is already unlocked here.
        let session = s.shared().sessions.unlock(Some(&bare.0.token)).await?;
        let mut resp = see("/");
        resp.headers_mut().insert(
            header::SET_COOKIE,
            crate::session::set_cookie(&session.token, s.shared().secure_cookies),
        );
        return Ok(resp);
    }
    Ok(see("/"))
}

pub(crate) async fn demo_open(State(s): State<AppState>) -> PageResult {
    let local = local_only(&s)?;
    local
        .open_demo(&hearth_app::journal::system_zone(), Timestamp::now())
        .await?;
    Ok(see("/"))
}

pub(crate) async fn unlock_page(State(s): State<AppState>, bare: Bare) -> PageResult {
    let local = local_only(&s)?;
    if !local.is_passphrase_journal().await {
        return Ok(see("/"));
    }
    Ok(page(&views::UnlockPage {
        c: bare.chrome(),
        idle: idle_words(local.lock_after()),
    }))
}

/// "wait 8 seconds, then try again", rounded up.
fn wait_words(d: Duration) -> String {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    match s {
        0 | 1 => "wait a second, then try again".into(),
        s if s < 120 => format!("wait {s} seconds, then try again"),
        s => format!("wait {} minutes, then try again", s.div_ceil(60)),
    }
}

pub(crate) fn idle_words(d: Duration) -> String {
    let m = d.as_secs() / 60;
    match m {
        0 => format!("{} seconds", d.as_secs()),
        1 => "a minute".into(),
        m if m % 60 == 0 && m >= 60 => format!("{} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("{m} minutes"),
    }
}

pub(crate) async fn unlock_post(
    State(s): State<AppState>,
    bare: Bare,
    Form(f): Form,
) -> PageResult {
    let local = local_only(&s)?;
    let pass = f.secret("passphrase");
    match local.unlock(&pass).await {
        Ok(()) => {
            let session = s.shared().sessions.unlock(Some(&bare.0.token)).await?;
            let mut resp = see("/");
            resp.headers_mut().insert(
                header::SET_COOKIE,
                crate::session::set_cookie(&session.token, s.shared().secure_cookies),
            );
            Ok(resp)
        }
        Err(UnlockError::Store(e)) => Err(e.into()),
        Err(refused) => {
            let (status, why) = match refused {
                UnlockError::Wait(d) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "was not checked: there were several wrong tries, so {}",
                        wait_words(d)
                    ),
                ),
                _ => (
                    StatusCode::UNAUTHORIZED,
                    "is not the one this journal was created with".into(),
                ),
            };
            Ok(page_with(
                status,
                &views::UnlockPage {
                    c: bare
                        .chrome()
                        .with_errors(&[ValidationError::invalid("passphrase", why)]),
                    idle: idle_words(local.lock_after()),
                },
            ))
        }
    }
}

pub(crate) async fn lock(State(s): State<AppState>) -> Response {
    s.lock_now().await;
    see("/unlock")
}

pub(crate) async fn demo_page(State(s): State<AppState>, ctx: Ctx) -> PageResult {
    let local = local_only(&s)?;
    Ok(page(&views::DemoPage {
        c: ctx.chrome(""),
        demo_dir: local.demo_dir().display().to_string(),
        has_journal: local.journal_exists(),
    }))
}

pub(crate) async fn demo_leave(State(s): State<AppState>) -> PageResult {
    local_only(&s)?.leave_demo().await;
    Ok(see("/"))
}

pub(crate) async fn demo_remove(State(s): State<AppState>) -> PageResult {
    local_only(&s)?
        .remove_demo()
        .await
        .map_err(|e| ApiError::from(StoreError::Io(e)))?;
    Ok(see("/"))
}
