//! Server mode's accounts, as JSON under `/api/v1/auth` and `/api/v1/account`
//! and as pages: sign up (open, by invitation, or closed), sign in with a
//! back-off on failures, sign out, change password, export, and delete for
//! good.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_core::ValidationError;
use hearth_store::{ServerStore, StoreError, UserId};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use zeroize::Zeroizing;

use crate::auth::{self, Registration};
use crate::error::{ApiError, ApiResult, PageError};
use crate::extract::{Bare, Ctx, Form};
use crate::session::{SessionInfo, cookie_value, set_cookie};
use crate::state::{Acting, AppState};
use crate::views;

pub(crate) fn server(s: &AppState) -> ApiResult<(&Arc<dyn ServerStore>, Registration)> {
    s.accounts().ok_or_else(|| {
        ApiError::status(
            StatusCode::NOT_FOUND,
            "this Hearth keeps one local journal and has no accounts",
        )
    })
}

/// Why a sign-up or sign-in failed, for the page or the JSON body.
pub(crate) enum Refused {
    Invalid(Vec<ValidationError>),
    /// Wrong name or password: the same answer for both, so names cannot be probed.
    Credentials,
    TooMany(Duration),
    Closed,
    Other(ApiError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => Refused::Invalid(v),
            other => Refused::Other(other.into()),
        }
    }
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Other(e)
    }
}

impl Refused {
    fn api(self) -> Response {
        match self {
            Refused::Invalid(p) => ApiError::invalid(p).into_response(),
            Refused::Credentials => ApiError::status(
                StatusCode::UNAUTHORIZED,
                "that username and password do not match an account",
            )
            .into_response(),
            Refused::TooMany(wait) => {
                let mut r = ApiError::status(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "too many failed sign-ins; try again in {} seconds",
                        wait.as_secs().max(1)
                    ),
                )
                .into_response();
                r.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(wait.as_secs().max(1)),
                );
                r
            }
            Refused::Closed => ApiError::status(
                StatusCode::FORBIDDEN,
                "this server is not taking new accounts",
            )
            .into_response(),
            Refused::Other(e) => e.into_response(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Refused::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refused::Credentials => StatusCode::UNAUTHORIZED,
            Refused::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Refused::Closed => StatusCode::FORBIDDEN,
            Refused::Other(e) => e.status,
        }
    }

    fn words(&self) -> Vec<String> {
        match self {
            Refused::Invalid(p) => p.iter().map(ToString::to_string).collect(),
            Refused::Credentials => {
                vec!["That username and password do not match an account.".into()]
            }
            Refused::TooMany(w) => vec![format!(
                "Too many failed tries. Please wait {} seconds and try again.",
                w.as_secs().max(1)
            )],
            Refused::Closed => vec!["This server is not taking new accounts.".into()],
            Refused::Other(e) => vec![e.message.clone()],
        }
    }
}

pub(crate) async fn do_register(
    s: &AppState,
    username: &str,
    password: &str,
    invite: Option<&str>,
) -> Result<UserId, Refused> {
    let (store, registration) = server(s)?;
    let mut p = Vec::new();
    let name = auth::check_username(username).map_err(|e| p.push(e)).ok();
    if let Err(e) = auth::check_password("password", password) {
        p.push(e);
    }
    let invite = match registration {
        Registration::Closed => return Err(Refused::Closed),
        Registration::Open => None,
        Registration::Invite => match invite.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(hearth_app::secrets::secret_hash(code)),
            None => {
                p.push(ValidationError::invalid(
                    "invite",
                    "this server takes new accounts by invitation: ask its operator for a code",
                ));
                None
            }
        },
    };
    if !p.is_empty() {
        return Err(Refused::Invalid(p));
    }
    let name = name.expect("checked");
    let hash = {
        let pw = password.to_string();
        tokio::task::spawn_blocking(move || auth::hash_password(&pw))
            .await
            .map_err(|_| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, "could not hash"))?
    };
    let id = store
        .register(&name, &hash, invite.as_deref(), Timestamp::now())
        .await?;
    tracing::info!(account = id.0, "account created");
    Ok(id)
}

/// What failed sign-ins count against: the name from this address (so a
/// stranger elsewhere cannot lock a person out), and the address itself
/// (so trying many names from one place slows down too). Behind a trusted
/// proxy the address is the last X-Forwarded-For entry, the one it added.
pub(crate) fn limiter_keys(
    s: &AppState,
    username: &str,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
) -> Vec<String> {
    let name = username.trim().to_lowercase();
    let forwarded = s
        .shared()
        .trust_proxy
        .then(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    match forwarded.or(peer) {
        Some(ip) => vec![format!("user:{name}@{ip}"), format!("ip:{ip}")],
        None => vec![format!("user:{name}")],
    }
}

pub(crate) fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

pub(crate) async fn do_login(
    s: &AppState,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    username: &str,
    password: &str,
) -> Result<UserId, Refused> {
    let (store, _) = server(s)?;
    let keys = limiter_keys(s, username, headers, peer);
    let limiter = &s.shared().limiter;
    if let Some(wait) = limiter.wait(&keys) {
        return Err(Refused::TooMany(wait));
    }
    let account = store.account(username.trim()).await?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let pw = Zeroizing::new(password.to_string());
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, hash.as_deref()))
        .await
        .unwrap_or(false);
    match account {
        Some(a) if ok && !a.disabled => {
            limiter.succeeded(&keys);
            Ok(a.id)
        }
        _ => {
            limiter.failed(&keys);
            Err(Refused::Credentials)
        }
    }
}

pub(crate) fn with_session(
    mut resp: Response,
    s: &AppState,
    headers: &HeaderMap,
    session: &SessionInfo,
) -> Response {
    resp.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&session.token, s.secure_request(headers)),
    );
    resp
}

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
            let session = s.shared().sessions.login(None, id);
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
            let session = s.shared().sessions.login(old.as_deref(), id);
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
        s.shared().sessions.end(&t);
    }
    StatusCode::NO_CONTENT
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

pub(crate) async fn change_password(
    s: &AppState,
    a: &Acting,
    current: &str,
    new: &str,
) -> Result<(), Refused> {
    let (store, _) = server(s)?;
    if let Err(e) = auth::check_password("new", new) {
        return Err(Refused::Invalid(vec![e]));
    }
    let account = store.account_by_id(a.user).await?;
    let hash = account.and_then(|x| x.password_hash);
    let cur = current.to_string();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&cur, hash.as_deref()))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(Refused::Invalid(vec![ValidationError::invalid(
            "current",
            "is not your current password",
        )]));
    }
    let pw = new.to_string();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await
        .map_err(|_| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, "could not hash"))?;
    store.set_password(a.user, &hash).await?;
    Ok(())
}

/// Changes the password and signs out every other session.
#[utoipa::path(post, path = "/auth/password", request_body = PasswordChange,
    responses((status = 204, description = "Changed; other sessions are signed out"), (status = 422, description = "Wrong current password, or a weak new one")))]
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
            s.shared().sessions.end_for(a.user);
            let session = s.shared().sessions.login(None, a.user);
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

pub(crate) async fn delete_account(
    s: &AppState,
    a: &Acting,
    password: &str,
) -> Result<(), Refused> {
    let (store, _) = server(s)?;
    let hash = store
        .account_by_id(a.user)
        .await?
        .and_then(|x| x.password_hash);
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, hash.as_deref()))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(Refused::Invalid(vec![ValidationError::invalid(
            "password",
            "is not your password; nothing was deleted",
        )]));
    }
    store.delete_account(a.user).await?;
    s.shared().sessions.end_for(a.user);
    tracing::info!(account = a.user.0, "account deleted");
    Ok(())
}

/// Deletes the account and every row of it, for good.
#[utoipa::path(delete, path = "/account", request_body = DeleteAccount,
    responses((status = 204, description = "Gone, with every entry"), (status = 422, description = "Wrong password; nothing deleted")))]
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

// ------------------------------------------------------------------ pages

pub(crate) fn page_error(e: ApiError) -> PageError {
    e.into()
}

pub(crate) fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub(crate) async fn login_page(
    State(s): State<AppState>,
    bare: Bare,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    Ok(render(
        StatusCode::OK,
        &views::Login {
            c: bare.chrome(),
            username: String::new(),
            can_register: registration != Registration::Closed,
        },
    ))
}

pub(crate) async fn login_post(
    State(s): State<AppState>,
    parts: Parts,
    bare: Bare,
    Form(f): Form,
) -> Result<Response, PageError> {
    let headers = &parts.headers;
    let (_, registration) = server(&s).map_err(page_error)?;
    let username = f.get("username").unwrap_or_default().to_string();
    let password = f.secret("password");
    match do_login(&s, headers, peer(&parts), &username, &password).await {
        Ok(id) => {
            let session = s.shared().sessions.login(Some(&bare.0.token), id);
            Ok(with_session(
                Redirect::to("/").into_response(),
                &s,
                headers,
                &session,
            ))
        }
        Err(r) => Ok(render(
            r.status(),
            &views::Login {
                c: views::Chrome {
                    errors: r.words(),
                    ..bare.chrome()
                },
                username,
                can_register: registration != Registration::Closed,
            },
        )),
    }
}

pub(crate) async fn register_page(
    State(s): State<AppState>,
    bare: Bare,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    Ok(render(
        StatusCode::OK,
        &views::Register {
            c: bare.chrome(),
            username: String::new(),
            invite: registration == Registration::Invite,
            closed: registration == Registration::Closed,
        },
    ))
}

pub(crate) async fn register_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    bare: Bare,
    Form(f): Form,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    let username = f.get("username").unwrap_or_default().to_string();
    let (password, again) = (f.secret("password"), f.secret("again"));
    let result = if *password != *again {
        Err(Refused::Invalid(vec![ValidationError::invalid(
            "password",
            "the two passwords were different",
        )]))
    } else {
        do_register(&s, &username, &password, f.get("invite")).await
    };
    match result {
        Ok(id) => {
            let session = s.shared().sessions.login(Some(&bare.0.token), id);
            Ok(with_session(
                Redirect::to("/settings").into_response(),
                &s,
                &headers,
                &session,
            ))
        }
        Err(r) => Ok(render(
            r.status(),
            &views::Register {
                c: views::Chrome {
                    errors: r.words(),
                    ..bare.chrome()
                },
                username,
                invite: registration == Registration::Invite,
                closed: registration == Registration::Closed,
            },
        )),
    }
}

pub(crate) async fn logout_post(State(s): State<AppState>, bare: Bare) -> Response {
    s.shared().sessions.end(&bare.0.token);
    Redirect::to("/login").into_response()
}

pub(crate) async fn account_view(ctx: &Ctx, flash: Option<&str>, errors: Vec<String>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &views::AccountPage {
            c: views::Chrome {
                errors,
                ..ctx.chrome("settings")
            },
            username: ctx.a.account.clone().unwrap_or_default(),
            flash: flash.map(str::to_string),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Flash {
    changed: Option<String>,
}

pub(crate) async fn account_page(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<Flash>,
) -> Result<Response, PageError> {
    server(&s).map_err(page_error)?;
    Ok(account_view(
        &ctx,
        q.changed
            .as_ref()
            .map(|_| "Your password is changed. Other devices are signed out."),
        vec![],
    )
    .await)
}

pub(crate) async fn password_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    ctx: Ctx,
    Form(f): Form,
) -> Result<Response, PageError> {
    let (current, new, again) = (f.secret("current"), f.secret("new"), f.secret("again"));
    if *new != *again {
        return Ok(account_view(
            &ctx,
            None,
            vec!["The two new passwords were different.".into()],
        )
        .await);
    }
    match change_password(&s, &ctx.a, &current, &new).await {
        Ok(()) => {
            s.shared().sessions.end_for(ctx.a.user);
            let session = s.shared().sessions.login(None, ctx.a.user);
            Ok(with_session(
                Redirect::to("/account?changed=1").into_response(),
                &s,
                &headers,
                &session,
            ))
        }
        Err(r) => Ok(account_view(&ctx, None, r.words()).await),
    }
}

pub(crate) async fn delete_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> Result<Response, PageError> {
    let password = f.secret("password");
    if f.get("confirm") != Some(ctx.a.account.as_deref().unwrap_or_default()) {
        return Ok(account_view(
            &ctx,
            None,
            vec!["To delete, type your username exactly as shown.".into()],
        )
        .await);
    }
    match delete_account(&s, &ctx.a, &password).await {
        Ok(()) => Ok(crate::render::problem_response(
            StatusCode::OK,
            "Your account is deleted",
            "Every entry, setting and contact in it is gone from this server. Thank you for using Hearth.",
        )),
        Err(r) => Ok(account_view(&ctx, None, r.words()).await),
    }
}
