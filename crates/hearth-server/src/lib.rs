//! Hearth's JSON API under `/api/v1` (the web pages come next). Thin: it
//! parses, calls core, store and insights, and answers. Every request acts
//! for one person; in local mode that is the journal's only user.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hearth_core::instrument::Registry;
use hearth_core::kind::Kind;
use hearth_core::model::{CheckIn, Episode, MedicationEvent};
use hearth_core::vocab::{
    DoseUnit, DrugClass, EntryType, ExerciseType, Feeling, MedEventKind, Motive, Touch,
};
use hearth_core::{EntryBody, EntryId, Rating, SurveyResponse, ValidationError};
use hearth_store::{Filter, NewEntry, Only, Store, StoreError, UserId};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Request bodies above this are refused: a journal entry is a few KiB at most.
pub const BODY_LIMIT: usize = 256 * 1024;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The person every request acts for (local mode has one).
    pub user: UserId,
    pub registry: Arc<Registry>,
}

/// An API error: a status and a JSON body naming each bad field.
pub struct ApiError {
    status: StatusCode,
    message: String,
    problems: Vec<ValidationError>,
}

impl ApiError {
    fn invalid(problems: Vec<ValidationError>) -> ApiError {
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

    fn not_found(id: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("no entry with id {id}"),
            problems: vec![],
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
            other => ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: match other {
                    StoreError::Locked(_) => "the journal is locked".into(),
                    _ => "the journal could not be read or written".into(),
                },
                problems: vec![],
            },
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
        ApiError {
            status,
            message: r.body_text(),
            problems: vec![],
        }
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

type ApiResult<T> = Result<T, ApiError>;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/checkins", post(create_checkin))
        .route("/episodes", post(create_episode))
        .route("/entries", get(list_entries))
        .route(
            "/entries/{id}",
            get(get_entry).patch(patch_entry).delete(delete_entry),
        )
        .route("/surveys/{instrument}", post(take_survey))
        .route("/insights", get(insights))
        .route("/medications", get(list_medications).post(medication_event));
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .nest("/api/v1", api)
        .fallback(|| async {
            ApiError {
                status: StatusCode::NOT_FOUND,
                message: "no such route".into(),
                problems: vec![],
            }
        })
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(state)
}

/// "Now" and the person's zone, read per request.
async fn clock(s: &AppState) -> ApiResult<(Timestamp, TimeZone, String)> {
    let settings = s.store.settings(s.user).await?;
    let tz = hearth_core::when::parse_zone(&settings.tz)?;
    Ok((Timestamp::now(), tz, settings.tz))
}

fn rating(field: &str, v: Option<i64>, problems: &mut Vec<ValidationError>) -> Option<Rating> {
    v.and_then(|v| Rating::new(field, v).map_err(|e| problems.push(e)).ok())
}

fn parsed<T>(r: Result<T, ValidationError>, problems: &mut Vec<ValidationError>) -> Option<T> {
    r.map_err(|e| problems.push(e)).ok()
}

fn time(
    field: &str,
    text: &Option<String>,
    now: Timestamp,
    tz: &TimeZone,
    problems: &mut Vec<ValidationError>,
) -> Option<Timestamp> {
    text.as_deref()
        .and_then(|t| parsed(hearth_core::when::parse_time(field, t, now, tz), problems))
}

/// Crisis lines for the person's region, with their own contacts.
async fn resources(s: &AppState) -> ApiResult<Value> {
    let settings = s.store.settings(s.user).await?;
    let contacts = s.store.contacts(s.user).await?;
    Ok(hearth_core::crisis::resources_json(
        &settings.region,
        contacts,
    ))
}

/// Stores one entry and describes it: `{"id", "entry"}`, plus the crisis
/// lines whenever the entry fired a trigger.
async fn created(
    s: &AppState,
    at: Option<Timestamp>,
    now: Timestamp,
    tz: String,
    body: EntryBody,
) -> ApiResult<Value> {
    let crisis = body.is_crisis();
    let saved = s
        .store
        .insert(
            s.user,
            &[NewEntry {
                at: at.unwrap_or(now),
                tz,
                body,
            }],
            now,
        )
        .await?;
    let e = &saved[0];
    let mut out = json!({"id": e.id, "entry": e});
    if crisis {
        out["crisis"] = true.into();
        out["resources"] = resources(s).await?;
    }
    Ok(out)
}

fn respond_created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckinIn {
    mood: i64,
    energy: Option<i64>,
    stress: Option<i64>,
    loneliness: Option<i64>,
    desire: Option<i64>,
    sleep_hours: Option<f64>,
    sleep_quality: Option<i64>,
    note: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    not_safe: bool,
    at: Option<String>,
}

async fn create_checkin(
    State(s): State<AppState>,
    body: Result<Json<CheckinIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let (now, tz, tz_name) = clock(&s).await?;
    let mut p = Vec::new();
    let mood = rating("mood", Some(b.mood), &mut p);
    let mut c = CheckIn::new(mood.unwrap_or(Rating::new("mood", 0).expect("0 is a rating")));
    c.energy = rating("energy", b.energy, &mut p);
    c.stress = rating("stress", b.stress, &mut p);
    c.loneliness = rating("loneliness", b.loneliness, &mut p);
    c.desire = rating("desire", b.desire, &mut p);
    c.sleep_quality = rating("sleep_quality", b.sleep_quality, &mut p);
    c.sleep_hours = b.sleep_hours;
    c.note = b.note;
    c.not_safe = b.not_safe;
    for t in &b.tags {
        if let Some(t) = parsed(hearth_core::model::normalise_tag(t), &mut p)
            && !c.tags.contains(&t)
        {
            c.tags.push(t);
        }
    }
    let at = time("at", &b.at, now, &tz, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    created(&s, at, now, tz_name, EntryBody::Checkin(c))
        .await
        .map(respond_created)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EpisodeIn {
    kind: String,
    minutes: Option<u32>,
    mood_before: Option<i64>,
    mood_after: Option<i64>,
    followup: Option<i64>,
    followup_at: Option<String>,
    note: Option<String>,
    touch: Option<String>,
    exercise_type: Option<String>,
    #[serde(default)]
    pressured: bool,
    protection: Option<bool>,
    #[serde(default)]
    new_partner: bool,
    motive: Option<String>,
    #[serde(default)]
    feelings: Vec<String>,
    satisfaction: Option<i64>,
    in_control: Option<i64>,
    at: Option<String>,
}

async fn create_episode(
    State(s): State<AppState>,
    body: Result<Json<EpisodeIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let (now, tz, tz_name) = clock(&s).await?;
    let custom = s.store.custom_kinds(s.user).await?;
    let mut p = Vec::new();
    let Some(kind) = parsed(Kind::resolve(&b.kind, &custom), &mut p) else {
        return Err(ApiError::invalid(p));
    };
    let mut e = Episode::new(kind);
    e.minutes = b.minutes;
    e.mood_before = rating("mood_before", b.mood_before, &mut p);
    e.mood_after = rating("mood_after", b.mood_after, &mut p);
    e.followup = rating("followup", b.followup, &mut p);
    if e.followup.is_some() {
        e.followup_at = time("followup_at", &b.followup_at, now, &tz, &mut p).or(Some(now));
    }
    e.note = b.note;
    e.touch = b
        .touch
        .as_deref()
        .and_then(|t| parsed(Touch::parse(t), &mut p));
    e.exercise_type = b
        .exercise_type
        .as_deref()
        .and_then(|t| parsed(ExerciseType::parse(t), &mut p));
    e.pressured = b.pressured;
    e.protection = b.protection;
    e.new_partner = b.new_partner;
    e.motive = b
        .motive
        .as_deref()
        .and_then(|m| parsed(Motive::parse(m), &mut p));
    for f in &b.feelings {
        if let Some(f) = parsed(Feeling::parse(f), &mut p)
            && !e.feelings.contains(&f)
        {
            e.feelings.push(f);
        }
    }
    e.satisfaction = rating("satisfaction", b.satisfaction, &mut p);
    e.in_control = rating("in_control", b.in_control, &mut p);
    let at = time("at", &b.at, now, &tz, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    created(&s, at, now, tz_name, EntryBody::Episode(e))
        .await
        .map(respond_created)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    since: Option<String>,
    until: Option<String>,
    kind: Option<String>,
    limit: Option<u32>,
}

async fn list_entries(
    State(s): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let (now, tz, _) = clock(&s).await?;
    let mut p = Vec::new();
    let since = time("since", &q.since, now, &tz, &mut p);
    let until = time("until", &q.until, now, &tz, &mut p);
    let only = match q.kind.as_deref() {
        None => None,
        Some(k) => match EntryType::parse(k) {
            Ok(t) => Some(Only::Type(t)),
            Err(_) => parsed(
                Kind::resolve(k, &s.store.custom_kinds(s.user).await?),
                &mut p,
            )
            .map(Only::Kind),
        },
    };
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let entries = s
        .store
        .list(
            s.user,
            &Filter {
                since,
                until,
                only,
                limit: q.limit,
            },
        )
        .await?;
    Ok(Json(json!(entries)))
}

fn entry_id(id: &str) -> ApiResult<EntryId> {
    // A malformed id cannot name anything: 404, like an unknown one.
    EntryId::parse(id).map_err(|_| ApiError::not_found(id))
}

async fn get_entry(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let id = entry_id(&id)?;
    let e = s
        .store
        .get(s.user, &id)
        .await?
        .ok_or_else(|| ApiError::not_found(id.as_str()))?;
    Ok(Json(json!(e)))
}

async fn delete_entry(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id = entry_id(&id)?;
    if s.store.delete(s.user, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(id.as_str()))
    }
}

/// Fields a PATCH may not change: identity and record-keeping.
const FIXED: &[&str] = &["id", "type", "recorded_at", "updated_at"];
const RATINGS: &[&str] = &[
    "mood",
    "energy",
    "stress",
    "loneliness",
    "desire",
    "sleep_quality",
    "mood_before",
    "mood_after",
    "followup",
    "satisfaction",
    "in_control",
];

/// JSON merge patch over the stored entry; the result is validated whole.
async fn patch_entry(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(patch) = body?;
    let id = entry_id(&id)?;
    let Value::Object(patch) = patch else {
        return Err(
            ValidationError::invalid("body", "send a JSON object of the fields to change").into(),
        );
    };
    let (now, _, _) = clock(&s).await?;
    let current = s
        .store
        .get(s.user, &id)
        .await?
        .ok_or_else(|| ApiError::not_found(id.as_str()))?;
    let mut value = json!(current);
    let mut p = Vec::new();
    for (k, v) in patch {
        if FIXED.contains(&k.as_str()) {
            p.push(ValidationError::invalid(&k, "cannot be changed"));
        } else if value.get(&k).is_none() {
            p.push(ValidationError::invalid(&k, "is not a field of this entry"));
        } else {
            if RATINGS.contains(&k.as_str()) && !v.is_null() {
                match v.as_i64() {
                    Some(n) => {
                        rating(&k, Some(n), &mut p);
                    }
                    None => p.push(ValidationError::invalid(
                        &k,
                        "must be a whole number from 0 to 10",
                    )),
                }
            }
            value[k] = v;
        }
    }
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let updated: hearth_core::Entry = serde_json::from_value(value)
        .map_err(|e| ApiError::from(ValidationError::invalid("body", e.to_string())))?;
    let saved = s.store.update(s.user, &updated, now).await?;
    Ok(Json(json!(saved)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SurveyIn {
    answers: Vec<i32>,
    difficulty: Option<i32>,
    at: Option<String>,
}

async fn take_survey(
    State(s): State<AppState>,
    Path(instrument): Path<String>,
    body: Result<Json<SurveyIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let inst = s.registry.require(&instrument)?;
    let (now, tz, tz_name) = clock(&s).await?;
    let mut p = Vec::new();
    let score = parsed(inst.score(&b.answers), &mut p);
    let mut extras = std::collections::BTreeMap::new();
    if let Some(d) = b.difficulty
        && parsed(inst.check_extra("difficulty", d), &mut p).is_some()
    {
        extras.insert("difficulty".to_string(), d);
    }
    let at = time("at", &b.at, now, &tz, &mut p);
    let Some(score) = score.filter(|_| p.is_empty()) else {
        return Err(ApiError::invalid(p));
    };
    let body = EntryBody::Survey(SurveyResponse {
        instrument: inst.id.clone(),
        version: inst.version.clone(),
        answers: b.answers,
        extras,
        total: score.total,
        band: score.band.as_ref().map(|b| b.id.clone()),
        crisis: score.crisis,
    });
    let mut v = created(&s, at, now, tz_name, body).await?;
    // The same score fields as `hearth --json survey`.
    v["instrument"] = json!(inst.id);
    v["total"] = json!(score.total);
    v["band"] = json!(score.band.map(|b| b.id));
    v["crisis"] = json!(score.crisis);
    Ok(respond_created(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InsightsQuery {
    since: Option<String>,
}

async fn insights(
    State(s): State<AppState>,
    Query(q): Query<InsightsQuery>,
) -> ApiResult<Json<Value>> {
    let (now, tz, _) = clock(&s).await?;
    let mut p = Vec::new();
    let since = time("since", &q.since, now, &tz, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let entries = s.store.list(s.user, &Filter::default()).await?;
    let result = hearth_insights::analyse(&hearth_insights::Input {
        entries: &entries,
        now,
        tz,
        since,
        seed: INSIGHT_SEED,
    });
    Ok(Json(json!(result)))
}

/// The same seed as the CLI, so both read a journal the same way.
pub const INSIGHT_SEED: u64 = 0x4845_4152_5448;

async fn list_medications(State(s): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(json!(s.store.medications(s.user).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MedicationIn {
    name: String,
    /// `start` (the default), `change` or `stop`.
    event: Option<String>,
    class: Option<String>,
    dose: Option<f64>,
    unit: Option<String>,
    at: Option<String>,
}

async fn medication_event(
    State(s): State<AppState>,
    body: Result<Json<MedicationIn>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let (now, tz, tz_name) = clock(&s).await?;
    let mut p = Vec::new();
    let event = match b.event.as_deref() {
        None => MedEventKind::Start,
        Some(e) => parsed(MedEventKind::parse(e), &mut p).unwrap_or(MedEventKind::Start),
    };
    let at = b.at.as_deref().and_then(|t| {
        parsed(
            hearth_core::when::parse_date_or_time("at", t, now, &tz),
            &mut p,
        )
    });
    let known = s.store.medications(s.user).await?;
    let existing = known
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(b.name.trim()));
    let (class, unit, name) = match (event, existing) {
        (MedEventKind::Start, existing) => (
            b.class.as_deref().map_or_else(
                || {
                    Err(ValidationError::Missing {
                        field: "class".into(),
                    })
                },
                DrugClass::parse,
            ),
            b.unit.as_deref().map_or(Ok(DoseUnit::Mg), DoseUnit::parse),
            existing.map_or_else(|| b.name.trim().to_string(), |m| m.name.clone()),
        ),
        (_, Some(m)) => (Ok(m.class), Ok(m.unit), m.name.clone()),
        (_, None) => {
            p.push(ValidationError::invalid(
                "name",
                format!("no medication called '{}' is recorded", b.name),
            ));
            (Ok(DrugClass::Other), Ok(DoseUnit::Mg), b.name.clone())
        }
    };
    let class = parsed(class, &mut p);
    let unit = parsed(unit, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let body = EntryBody::Medication(MedicationEvent {
        medication: name,
        class: class.expect("checked"),
        event,
        dose: b.dose,
        unit: unit.expect("checked"),
    });
    created(&s, at, now, tz_name, body)
        .await
        .map(respond_created)
}
