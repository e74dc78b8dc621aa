//! What a handler starts from: the journal, the clock and the session of a
//! page request, a posted form, and the per-request helpers both faces use.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::Clock;
use hearth_core::{Entry, EntryId, ValidationError};
use hearth_store::StoreError;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::error::Blocked;
use crate::error::{ApiError, ApiResult, PageError};
use crate::input::{self, FormData};
use crate::render::problem_page;
use crate::session::SessionInfo;
use crate::state::{Acting, AppState};
use crate::views::Chrome;

/// "Now" and the person's zone, read per request.
pub(crate) async fn clock(a: &Acting) -> ApiResult<Clock> {
    let settings = a.settings().await?;
    Ok(Clock::of_settings(&settings, Timestamp::now()).map_err(StoreError::from)?)
}

/// Crisis lines for the person's region, with their own contacts.
pub(crate) async fn resources(a: &Acting) -> ApiResult<Value> {
    let settings = a.settings().await?;
    let contacts = a.store.contacts(a.user).await?;
    Ok(hearth_core::crisis::resources_json(
        &settings.region,
        contacts,
    ))
}

pub(crate) fn entry_id(id: &str) -> ApiResult<EntryId> {
    // A malformed id cannot name anything: 404, like an unknown one.
    EntryId::parse(id).map_err(|_| ApiError::not_found(id))
}

/// The journal, the clock and the page frame, or a redirect to where the
/// person needs to go first (welcome or unlock).
pub(crate) struct Ctx {
    pub a: Acting,
    pub clock: Clock,
    session: SessionInfo,
    /// The person's settings as this request found them, read once for the
    /// clock, the page frame and every page that shows them.
    settings: hearth_core::Settings,
}

impl Ctx {
    pub(crate) fn chrome(&self, here: &'static str) -> Chrome {
        Chrome {
            csrf: self.session.csrf.clone(),
            demo: self.a.demo,
            // A journal filled by `hearth demo` is labelled too.
            made_up: self.settings.demo,
            passphrase: self.a.passphrase,
            account: self.a.account.clone(),
            nav: true,
            here,
            errors: Vec::new(),
        }
    }

    pub(crate) fn session_token(&self) -> &str {
        &self.session.token
    }

    pub(crate) fn settings(&self) -> &hearth_core::Settings {
        &self.settings
    }

    pub(crate) fn tz(&self) -> &jiff::tz::TimeZone {
        &self.clock.tz
    }

    pub(crate) async fn entry(&self, id: &str) -> Result<Entry, PageError> {
        let id = entry_id(id)?;
        Ok(hearth_app::entries::get(&*self.a.store, self.a.user, &id).await?)
    }

    pub(crate) async fn save(
        &self,
        built: input::Built,
    ) -> Result<Result<Entry, Vec<ValidationError>>, PageError> {
        let (at, body) = match built {
            Ok(b) => b,
            Err(p) => return Ok(Err(p)),
        };
        match hearth_app::entries::record(&*self.a.store, self.a.user, &self.clock, at, body).await
        {
            Ok(saved) => Ok(Ok(saved)),
            Err(StoreError::Invalid(p)) => Ok(Err(p)),
            Err(e) => Err(e.into()),
        }
    }
}

pub(crate) fn session_of(parts: &Parts) -> SessionInfo {
    parts
        .extensions
        .get::<SessionInfo>()
        .cloned()
        .unwrap_or(SessionInfo {
            token: String::new(),
            csrf: String::new(),
        })
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, Response> {
        let session = session_of(parts);
        match state.acting(Some(&session.token)).await {
            Ok(a) => {
                let fail = |e: ApiError| PageError::from(e).into_response();
                let settings = a.settings().await.map_err(|e| fail(e.into()))?;
                let clock = Clock::of_settings(&settings, Timestamp::now())
                    .map_err(|e| fail(StoreError::from(e).into()))?;
                Ok(Ctx {
                    a,
                    clock,
                    session,
                    settings,
                })
            }
            Err(Blocked::NoJournal) => Err(Redirect::to("/welcome").into_response()),
            Err(Blocked::Locked) => Err(Redirect::to("/unlock").into_response()),
            Err(Blocked::Login) => Err(Redirect::to("/login").into_response()),
            Err(Blocked::Broken) => {
                Err(PageError::from(ApiError::blocked(Blocked::Broken)).into_response())
            }
        }
    }
}

/// The session alone, for pages shown before there is a journal to act on.
pub(crate) struct Bare(pub(crate) SessionInfo);

impl FromRequestParts<AppState> for Bare {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Bare, Response> {
        Ok(Bare(session_of(parts)))
    }
}

impl Bare {
    pub(crate) fn chrome(&self) -> Chrome {
        Chrome {
            csrf: self.0.csrf.clone(),
            ..Chrome::default()
        }
    }
}

/// An API route's query string: one it cannot read answers 400 in the API's
/// own JSON, like every other refusal.
pub(crate) struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::status(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

/// A posted HTML form.
pub(crate) struct Form(pub FormData);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Form, Response> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        FormData::parse(&bytes).map(Form).ok_or_else(|| {
            (
                StatusCode::BAD_REQUEST,
                problem_page("That form could not be read", "Go back and try again."),
            )
                .into_response()
        })
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct FlashQuery {
    pub(crate) saved: Option<String>,
}
