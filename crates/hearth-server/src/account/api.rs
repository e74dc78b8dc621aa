//! Accounts as JSON under `/api/v1/auth` and `/api/v1/account`.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::session::cookie_value;
use crate::state::{Acting, AppState};

use super::common::*;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// Needed when the server takes new accounts by invitation.
    pub invite: Option<String>,
}

/// Creates an account and signs it in (the Set-Cookie header holds the session).
#[utoipa::path(post, path = "/auth/register", request_body = Credentials,
    responses((status = 201, description = "Created and signed in"), (status = 403, description = "Registration is closed"), (status = 422, description = "A bad name, password or invitation")))]
pub async fn register_api(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match do_register(&s, &b.username, &b.password, b.invite.as_deref()).await {
        Ok(id) => {
            let session = match s.shared().sessions.login(None, id).await {
                Ok(session) => session,
                Err(e) => return ApiError::from(e).into_response(),
            };
            let resp = (
                StatusCode::CREATED,
                Json(json!({"id": id.0, "username": b.username.trim().to_lowercase()})),
            )
                .into_response();
            with_session(resp, &s, &headers, &session)
        }
        Err(r) => r.api(),
    }
}

/// Signs in; after five failures for a name, each try waits longer (429 with Retry-After).
#[utoipa::path(post, path = "/auth/login", request_body = Credentials,
    responses((status = 204, description = "Signed in; the Set-Cookie header holds the session"), (status = 401, description = "Wrong name or password"), (status = 429, description = "Too many failures; wait Retry-After seconds")))]
pub async fn login_api(
    State(s): State<AppState>,
    parts: Parts,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let headers = &parts.headers;
    let Json(b) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match do_login(&s, headers, peer(&parts), &b.username, &b.password).await {
        Ok(id) => {
            let old = cookie_value(headers);
            let session = match s.shared().sessions.login(old.as_deref(), id).await {
                Ok(session) => session,
                Err(e) => return ApiError::from(e).into_response(),
            };
            with_session(
                StatusCode::NO_CONTENT.into_response(),
                &s,
                headers,
                &session,
            )
        }
        Err(r) => r.api(),
    }
}

#[utoipa::path(post, path = "/auth/logout", responses((status = 204, description = "Signed out")))]
pub async fn logout_api(State(s): State<AppState>, headers: HeaderMap) -> StatusCode {
    if let Some(t) = cookie_value(&headers) {
        s.shared().sessions.end(&t).await;
    }
    StatusCode::NO_CONTENT
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the password and signs out every other session.
#[utoipa::path(post, path = "/auth/password", request_body = PasswordChange,
    responses((status = 204, description = "Changed; other sessions are signed out"), (status = 422, description = "Wrong current password, or a weak new one"), (status = 429, description = "Several wrong passwords: wait Retry-After seconds")))]
pub async fn password_api(
    State(s): State<AppState>,
    headers: HeaderMap,
    a: Acting,
    body: Result<Json<PasswordChange>, JsonRejection>,
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match change_password(&s, &a, &b.current, &b.new).await {
        Ok(()) => {
            let sessions = &s.shared().sessions;
            let renewed = match sessions.end_for(a.user).await {
                Ok(()) => sessions.login(None, a.user).await,
                Err(e) => Err(e),
            };
            let session = match renewed {
                Ok(session) => session,
                Err(e) => return ApiError::from(e).into_response(),
            };
            with_session(
                StatusCode::NO_CONTENT.into_response(),
                &s,
                &headers,
                &session,
            )
        }
        Err(r) => r.api(),
    }
}

#[utoipa::path(get, path = "/account", responses((status = 200, description = "Who is signed in")))]
pub async fn me(State(s): State<AppState>, a: Acting) -> ApiResult<Json<serde_json::Value>> {
    server(&s)?;
    Ok(Json(json!({"id": a.user.0, "username": a.account})))
}

/// Everything the person has, in Hearth's lossless JSON format.
#[utoipa::path(get, path = "/account/export", responses((status = 200, description = "The whole journal as Hearth JSON")))]
pub async fn export_api(a: Acting) -> ApiResult<Response> {
    let export = hearth_app::export::journal(&*a.store, a.user, Timestamp::now()).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        export.to_json(),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    /// The account's password, to be sure.
    pub password: String,
}

/// Deletes the account and every row of it, for good.
#[utoipa::path(delete, path = "/account", request_body = DeleteAccount,
    responses((status = 204, description = "Gone, with every entry"), (status = 422, description = "Wrong password; nothing deleted"), (status = 429, description = "Several wrong passwords: wait Retry-After seconds")))]
pub async fn delete_api(
    State(s): State<AppState>,
    a: Acting,
    body: Result<Json<DeleteAccount>, JsonRejection>,
) -> Response {
    let Json(b) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::from(e).into_response(),
    };
    match delete_account(&s, &a, &b.password).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => r.api(),
    }
}
