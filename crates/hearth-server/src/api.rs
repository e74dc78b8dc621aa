//! The JSON API under `/api/v1`: everything the pages do, for scripts and
//! other tools. Described by the OpenAPI document at `/api/v1/openapi.json`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hearth_core::kind::Kind;
use hearth_core::vocab::EntryType;
use hearth_core::{EntryBody, EntryId, ValidationError};
use hearth_store::{Filter, Only, StoreError};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::{IntoParams, ToSchema};

use hearth_app::Clock;

use crate::input::{self, CheckinIn, EpisodeIn, MedicationIn, Problems, SurveyIn};
use crate::{Acting, AppState, Blocked};

/// An API error: a status and a JSON body naming each bad field.
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub problems: Vec<ValidationError>,
}

impl ApiError {
    pub fn invalid(problems: Vec<ValidationError>) -> ApiError {
        let message = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message,
            problems,
        }
    }

    pub fn not_found(id: &str) -> ApiError {
        ApiError::status(
            StatusCode::NOT_FOUND,
            format!("no entry with id {}", shorten_id(id)),
        )
    }

    pub fn status(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            problems: vec![],
        }
    }

    pub fn blocked(b: Blocked) -> ApiError {
        match b {
            Blocked::NoJournal => ApiError::status(
                StatusCode::CONFLICT,
                "there is no journal yet: open Hearth's start page in a browser to create one",
            ),
            Blocked::Locked => ApiError::status(
                StatusCode::UNAUTHORIZED,
                "the journal is locked: POST /api/v1/unlock with {\"passphrase\": …}, or unlock it in the browser",
            ),
            Blocked::Login => ApiError::status(
                StatusCode::UNAUTHORIZED,
                "sign in first: POST /api/v1/auth/login with {\"username\", \"password\"}",
            ),
            Blocked::Broken => ApiError::status(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the journal could not be opened; the server's log says why",
            ),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::invalid(vec![e])
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => ApiError::invalid(v),
            StoreError::NotFound(id) => ApiError::not_found(id.as_str()),
            // Never echo internals (or health data) back; the id-free message is enough.
            StoreError::Locked(_) => {
                ApiError::status(StatusCode::UNAUTHORIZED, "the journal is locked")
            }
            _ => ApiError::status(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the journal could not be read or written",
            ),
        }
    }
}

impl From<hearth_app::AppError> for ApiError {
    fn from(e: hearth_app::AppError) -> Self {
        use hearth_app::AppError;
        match e {
            AppError::Invalid(v) => ApiError::invalid(v),
            AppError::File(why) => ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, why),
            AppError::Unavailable(why) => ApiError::status(StatusCode::NOT_FOUND, why),
            AppError::Store(e) => e.into(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = match r {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            JsonRejection::JsonSyntaxError(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::status(status, r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": self.message, "problems": self.problems})),
        )
            .into_response()
    }
}

/// The error body: a sentence, and one entry per bad field.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: String,
    /// `{"field": …, "reason": …}` (or `allowed` for a closed list).
    problems: Vec<Value>,
}

/// A created entry: its id, the entry as stored, and crisis resources when it fired a trigger.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Created {
    id: String,
    entry: Value,
    crisis: Option<bool>,
    resources: Option<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/checkins", post(create_checkin))
        .route("/episodes", post(create_episode))
        .route("/entries", get(list_entries))
        .route(
            "/entries/{id}",
            get(get_entry).patch(patch_entry).delete(delete_entry),
        )
        .route("/surveys/{instrument}", post(take_survey))
        .route("/surveys/due", get(surveys_due))
        .route("/insights", get(insights))
        .route("/medications", get(list_medications).post(medication_event))
        .route("/help", get(help))
        .route("/unlock", post(unlock))
        .nest("/auth", crate::account::api_routes())
        .route(
            "/account",
            get(crate::account::me).delete(crate::account::delete_api),
        )
        .route("/account/export", get(crate::account::export_api))
        .merge(crate::shares::api_routes())
        .route("/openapi.json", get(crate::openapi::document))
        .fallback(|| async { ApiError::status(StatusCode::NOT_FOUND, "no such route") })
        .layer(RequestBodyLimitLayer::new(crate::BODY_LIMIT))
        // After the request-sized limit, so a whole file fits.
        .merge(
            Router::new()
                .route("/account/import", post(crate::import::import_api))
                .layer(DefaultBodyLimit::max(hearth_app::import::MAX_BYTES))
                .layer(RequestBodyLimitLayer::new(hearth_app::import::MAX_BYTES)),
        )
}

/// "Now" and the person's zone, read per request.
pub async fn clock(a: &Acting) -> ApiResult<Clock> {
    Ok(Clock::of(&*a.store, a.user, Timestamp::now()).await?)
}

/// Crisis lines for the person's region, with their own contacts.
pub async fn resources(a: &Acting) -> ApiResult<Value> {
    let settings = a.store.settings(a.user).await?;
    let contacts = a.store.contacts(a.user).await?;
    Ok(hearth_core::crisis::resources_json(
        &settings.region,
        contacts,
    ))
}

/// Stores one entry and describes it: `{"id", "entry"}`, plus the crisis
/// lines whenever the entry fired a trigger.
pub async fn store_entry(
    a: &Acting,
    c: &Clock,
    built: Result<(Option<Timestamp>, EntryBody), Problems>,
) -> ApiResult<Value> {
    let (at, body) = built.map_err(ApiError::invalid)?;
    let e = hearth_app::entries::record(&*a.store, a.user, c, at, body).await?;
    let mut out = json!({"id": e.id, "entry": e});
    if e.body.is_crisis() {
        out["crisis"] = true.into();
        out["resources"] = resources(a).await?;
    }
    Ok(out)
}

fn respond_created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

#[utoipa::path(post, path = "/checkins", request_body = CheckinIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn create_checkin(
    a: Acting,
    body: Result<Json<CheckinIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let c = clock(&a).await?;
    let built = b.build(&c);
    store_entry(&a, &c, built).await.map(respond_created)
}

#[utoipa::path(post, path = "/episodes", request_body = EpisodeIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn create_episode(
    a: Acting,
    body: Result<Json<EpisodeIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let c = clock(&a).await?;
    let custom = a.store.custom_kinds(a.user).await?;
    let built = b.build(&c, &custom);
    store_entry(&a, &c, built).await.map(respond_created)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Entries at or after this time (or date-time words like "2h ago").
    pub since: Option<String>,
    pub until: Option<String>,
    /// An entry type (checkin, episode, medication, survey) or an activity kind.
    pub kind: Option<String>,
    pub limit: Option<u32>,
}

/// Resolves a list filter; shared with the History page.
pub async fn filter(a: &Acting, c: &Clock, q: &ListQuery) -> ApiResult<Filter> {
    let mut p = Vec::new();
    let since = input::time("since", &q.since, c, &mut p);
    let until = input::time("until", &q.until, c, &mut p);
    let only = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => match EntryType::parse(k) {
            Ok(t) => Some(Only::Type(t)),
            Err(_) => input::parsed(
                Kind::resolve(k, &a.store.custom_kinds(a.user).await?),
                &mut p,
            )
            .map(Only::Kind),
        },
    };
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    Ok(Filter {
        since,
        until,
        only,
        limit: q.limit,
    })
}

#[utoipa::path(get, path = "/entries", params(ListQuery),
    responses((status = 200, description = "Entries, newest first"), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn list_entries(a: Acting, Query(q): Query<ListQuery>) -> ApiResult<Json<Value>> {
    let c = clock(&a).await?;
    let f = filter(&a, &c, &q).await?;
    Ok(Json(json!(a.store.list(a.user, &f).await?)))
}

pub fn entry_id(id: &str) -> ApiResult<EntryId> {
    // A malformed id cannot name anything: 404, like an unknown one.
    EntryId::parse(id).map_err(|_| ApiError::not_found(id))
}

#[utoipa::path(get, path = "/entries/{id}", params(("id" = String, Path)),
    responses((status = 200, description = "The entry"), (status = 404, description = "No such entry of yours", body = ErrorBody)))]
async fn get_entry(a: Acting, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = entry_id(&id)?;
    let e = a
        .store
        .get(a.user, &id)
        .await?
        .ok_or_else(|| ApiError::not_found(id.as_str()))?;
    Ok(Json(json!(e)))
}

#[utoipa::path(delete, path = "/entries/{id}", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such entry of yours", body = ErrorBody)))]
async fn delete_entry(a: Acting, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id = entry_id(&id)?;
    if a.store.delete(a.user, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(id.as_str()))
    }
}

/// JSON merge patch over the stored entry; the result is validated whole.
#[utoipa::path(patch, path = "/entries/{id}", params(("id" = String, Path)),
    request_body(content = Object, description = "The fields to change; null clears one"),
    responses((status = 200, description = "The entry as now stored"), (status = 404, description = "No such entry of yours", body = ErrorBody), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn patch_entry(
    a: Acting,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(patch) = body?;
    let id = entry_id(&id)?;
    let c = clock(&a).await?;
    let saved = hearth_app::entries::patch(&*a.store, a.user, &c, &id, patch).await?;
    Ok(Json(json!(saved)))
}

#[utoipa::path(post, path = "/surveys/{instrument}", params(("instrument" = String, Path, description = "phq9, phq2, gad7, ucla3, sexual-function, post-sex, or a clinic's own")),
    request_body = SurveyIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn take_survey(
    State(s): State<AppState>,
    a: Acting,
    Path(instrument): Path<String>,
    body: Result<Json<SurveyIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let inst = s.shared().registry.require(&instrument)?;
    let c = clock(&a).await?;
    let built = b.build(inst, &c);
    let mut v = store_entry(&a, &c, built).await?;
    // The same score fields as `hearth --json survey`.
    if let Some(EntryBody::Survey(r)) =
        serde_json::from_value::<hearth_core::Entry>(v["entry"].clone())
            .ok()
            .map(|e| e.body)
    {
        v["instrument"] = json!(inst.id);
        v["total"] = json!(r.total);
        v["band"] = json!(r.band);
        v["crisis"] = json!(r.crisis);
    }
    Ok(respond_created(v))
}

#[utoipa::path(get, path = "/surveys/due",
    responses((status = 200, description = "One row per questionnaire with a cadence: last taken, next due, due now")))]
async fn surveys_due(State(s): State<AppState>, a: Acting) -> ApiResult<Json<Value>> {
    let rows =
        hearth_app::surveys::due(&*a.store, a.user, &s.shared().registry, Timestamp::now()).await?;
    Ok(Json(json!(rows)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InsightsQuery {
    /// Only entries from this time on.
    pub since: Option<String>,
}

#[utoipa::path(get, path = "/insights", params(InsightsQuery),
    responses((status = 200, description = "Every insight with n, effect and 95% interval, as `hearth --json insights`")))]
async fn insights(a: Acting, Query(q): Query<InsightsQuery>) -> ApiResult<Json<Value>> {
    let c = clock(&a).await?;
    let mut p = Vec::new();
    let since = input::time("since", &q.since, &c, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let insights = hearth_app::insights::of_journal(&*a.store, a.user, &c, since).await?;
    Ok(Json(json!(insights)))
}

#[utoipa::path(get, path = "/medications",
    responses((status = 200, description = "Each medication as its events describe it now")))]
async fn list_medications(a: Acting) -> ApiResult<Json<Value>> {
    Ok(Json(json!(a.store.medications(a.user).await?)))
}

#[utoipa::path(post, path = "/medications", request_body = MedicationIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
async fn medication_event(
    a: Acting,
    body: Result<Json<MedicationIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let c = clock(&a).await?;
    let known = a.store.medications(a.user).await?;
    let built = b.build(&c, &known);
    store_entry(&a, &c, built).await.map(respond_created)
}

#[utoipa::path(get, path = "/help",
    responses((status = 200, description = "Crisis lines for the person's region, then international ones, and their own contacts")))]
async fn help(a: Acting) -> ApiResult<Json<Value>> {
    Ok(Json(resources(&a).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockIn {
    pub passphrase: String,
}

/// Unlocks a passphrase journal for this client: answers with a session cookie.
#[utoipa::path(post, path = "/unlock", request_body = UnlockIn,
    responses((status = 204, description = "Unlocked; the Set-Cookie header holds the session"), (status = 401, description = "Not the passphrase this journal was created with", body = ErrorBody)))]
async fn unlock(
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
            let session = s.shared().sessions.unlock(None);
            Ok((
                StatusCode::NO_CONTENT,
                [(
                    header::SET_COOKIE,
                    crate::session::set_cookie(&session.token, s.shared().secure_cookies),
                )],
            )
                .into_response())
        }
        Err(StoreError::Locked(_)) => Err(ApiError::status(
            StatusCode::UNAUTHORIZED,
            "that passphrase is not the one this journal was created with",
        )),
        Err(StoreError::NoStore(_)) => Err(ApiError::blocked(Blocked::NoJournal)),
        Err(e) => Err(e.into()),
    }
}

/// An id as echoed in a 404: the caller's own text, cut short so a long
/// path is not reflected back whole.
fn shorten_id(id: &str) -> String {
    id.chars().take(40).collect()
}
