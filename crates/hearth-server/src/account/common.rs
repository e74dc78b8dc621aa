//! What signing up, signing in, changing a password and deleting an
//! account mean, for the API and the pages alike.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::ValidationError;
use hearth_store::{ServerStore, StoreError, UserId};
use jiff::Timestamp;
use zeroize::Zeroizing;

use crate::auth::{self, Registration};
use crate::error::{ApiError, ApiResult};
use crate::session::{SessionInfo, set_cookie};
use crate::state::{Acting, AppState};

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
    pub(crate) fn api(self) -> Response {
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
                        "too many failed tries; try again in {} seconds",
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

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Refused::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refused::Credentials => StatusCode::UNAUTHORIZED,
            Refused::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Refused::Closed => StatusCode::FORBIDDEN,
            Refused::Other(e) => e.status,
        }
    }

    pub(crate) fn words(&self) -> Vec<String> {
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
    if let Err(e) = auth::check_password("password", password, username.trim()) {
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
/// (so trying many names from one place slows down too), and the account
/// from everywhere (so many addresses guessing one password slow down too,
/// after more tries). Behind a trusted
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
    let account = format!("{}{name}", auth::ACCOUNT_KEY);
    match forwarded.or(peer) {
        Some(ip) => vec![format!("user:{name}@{ip}"), format!("ip:{ip}"), account],
        None => vec![format!("user:{name}"), account],
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

/// Checks a signed-in person's password before a change that needs it
/// (a new password, deleting the account). Failures back off as sign-ins
/// do, so a session left open cannot be used to guess the password.
async fn confirm_password(
    s: &AppState,
    a: &Acting,
    field: &str,
    password: &str,
    wrong: &str,
) -> Result<(), Refused> {
    let (store, _) = server(s)?;
    let keys = [format!("{}{}", auth::CONFIRM_KEY, a.user.0)];
    let limiter = &s.shared().limiter;
    if let Some(wait) = limiter.wait(&keys) {
        return Err(Refused::TooMany(wait));
    }
    let hash = store
        .account_by_id(a.user)
        .await?
        .and_then(|x| x.password_hash);
    let pw = Zeroizing::new(password.to_string());
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, hash.as_deref()))
        .await
        .unwrap_or(false);
    if ok {
        limiter.succeeded(&keys);
        Ok(())
    } else {
        limiter.failed(&keys);
        Err(Refused::Invalid(vec![ValidationError::invalid(
            field, wrong,
        )]))
    }
}

pub(crate) async fn change_password(
    s: &AppState,
    a: &Acting,
    current: &str,
    new: &str,
) -> Result<(), Refused> {
    let (store, _) = server(s)?;
    let name = a.account.as_deref().unwrap_or_default();
    if let Err(e) = auth::check_password("new", new, name) {
        return Err(Refused::Invalid(vec![e]));
    }
    confirm_password(s, a, "current", current, "is not your current password").await?;
    let pw = new.to_string();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await
        .map_err(|_| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, "could not hash"))?;
    store.set_password(a.user, &hash).await?;
    Ok(())
}

pub(crate) async fn delete_account(
    s: &AppState,
    a: &Acting,
    password: &str,
) -> Result<(), Refused> {
    let (store, _) = server(s)?;
    confirm_password(
        s,
        a,
        "password",
        password,
        "is not your password; nothing was deleted",
    )
    .await?;
    store.delete_account(a.user).await?;
    s.shared().sessions.end_for(a.user).await?;
    tracing::info!(account = a.user.0, "account deleted");
    Ok(())
}
