//! The web app's pages: server-rendered, usable without JavaScript, one
//! decision per screen where it matters. Every form post passed the CSRF
//! guard in `session` before it reaches a handler here.

use std::collections::BTreeMap;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hearth_app::Clock;
use hearth_core::Settings;
use hearth_core::instrument::Instrument;
use hearth_core::vocab::{EntryType, MedEventKind};
use hearth_core::{Entry, EntryBody, EntryId, ValidationError};
use hearth_formats::charts;
use hearth_store::{Filter, Only, StoreError};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::input::{self, FormData};
use crate::session::SessionInfo;
use crate::views::{self, Chrome, Resources, Row};
use crate::{Acting, AppState, Blocked};
use tower_http::limit::RequestBodyLimitLayer;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(today))
        .route("/checkin", post(checkin))
        .route("/log", get(log_page).post(log_post))
        .route("/history", get(history))
        .route("/entries/{id}", get(entry_page).post(entry_save))
        .route("/entries/{id}/edit", get(entry_edit))
        .route("/entries/{id}/after", get(after_page).post(after_save))
        .route("/entries/{id}/delete", get(delete_page).post(delete_post))
        .route("/surveys", get(surveys))
        .route("/surveys/{id}", get(survey_page).post(survey_post))
        .route("/surveys/{id}/history", get(survey_history))
        .route("/insights", get(insights))
        .route("/medications", get(medications).post(medication_post))
        .route("/settings", get(settings).post(settings_post))
        .route("/contacts", post(contact_add))
        .route("/contacts/{id}/delete", post(contact_remove))
        .route("/questions", post(question_add))
        .route("/questions/{id}/delete", post(question_remove))
        .route("/kinds", post(kind_add))
        .route("/export/journal.json", get(export_json))
        .route("/export/csv.zip", get(export_csv))
        .route("/report", get(report))
        .route("/help", get(help))
        .route("/welcome", get(welcome))
        .route("/welcome/start", get(start_page).post(start_post))
        .route("/welcome/demo", post(demo_open))
        .route("/unlock", get(unlock_page).post(unlock_post))
        .route("/lock", post(lock))
        .route("/demo", get(demo_page))
        .route("/demo/leave", post(demo_leave))
        .route("/demo/remove", post(demo_remove))
        .merge(crate::account::page_routes())
        .merge(crate::shares::page_routes())
        .layer(RequestBodyLimitLayer::new(crate::BODY_LIMIT))
        // After the form-sized limit, so file uploads get their own.
        .merge(crate::import_page::page_routes())
}

pub async fn css() -> Response {
    static_file(
        "text/css; charset=utf-8",
        include_str!("../static/hearth.css"),
    )
}

pub async fn js() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../static/hearth.js"),
    )
}

fn static_file(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

/// A page, or the error page if a template fails (it should not).
pub(crate) fn page<T: Template>(t: &T) -> Response {
    page_with(StatusCode::OK, t)
}

pub(crate) fn page_with<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page could not be drawn");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "This page could not be drawn.",
            )
                .into_response()
        }
    }
}

pub fn problem_response(status: StatusCode, title: &str, text: &str) -> Response {
    (status, problem_page(title, text)).into_response()
}

pub fn problem_page(title: &str, text: &str) -> Html<String> {
    Html(
        views::Problem {
            c: Chrome::default(),
            title: title.into(),
            text: text.into(),
        }
        .render()
        .unwrap_or_else(|_| text.to_string()),
    )
}

pub async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return ApiError::not_found(req.uri().path()).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        problem_page(
            "Nothing here",
            "This page does not exist, or the entry it showed was deleted.",
        ),
    )
        .into_response()
}

/// An error while handling a page, shown as a page.
pub struct PageError(Box<Response>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        let (title, status) = match e.status {
            StatusCode::NOT_FOUND => ("Nothing here", StatusCode::NOT_FOUND),
            StatusCode::UNPROCESSABLE_ENTITY => ("That could not be saved", e.status),
            s => ("Something went wrong", s),
        };
        PageError(Box::new(
            (status, problem_page(title, &e.message)).into_response(),
        ))
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ValidationError> for PageError {
    fn from(e: ValidationError) -> Self {
        ApiError::from(e).into()
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// The journal, the clock and the page frame, or a redirect to where the
/// person needs to go first (welcome or unlock).
pub struct Ctx {
    pub a: Acting,
    pub clock: Clock,
    session: SessionInfo,
}

impl Ctx {
    pub(crate) fn chrome(&self, here: &'static str) -> Chrome {
        Chrome {
            csrf: self.session.csrf.clone(),
            demo: self.a.demo,
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

    fn tz(&self) -> &jiff::tz::TimeZone {
        &self.clock.tz
    }

    async fn entry(&self, id: &str) -> Result<Entry, PageError> {
        let id = api::entry_id(id)?;
        Ok(self
            .a
            .store
            .get(self.a.user, &id)
            .await?
            .ok_or_else(|| ApiError::not_found(id.as_str()))?)
    }

    async fn save(
        &self,
        built: input::Built,
    ) -> Result<Result<Entry, Vec<ValidationError>>, PageError> {
        let (at, body) = match built {
            Ok(b) => b,
            Err(p) => return Ok(Err(p)),
        };
        match self
            .a
            .store
            .insert(
                self.a.user,
                &[hearth_store::NewEntry {
                    at: at.unwrap_or(self.clock.now),
                    tz: self.clock.tz_name.clone(),
                    body,
                }],
                self.clock.now,
            )
            .await
        {
            Ok(mut saved) => Ok(Ok(saved.remove(0))),
            Err(StoreError::Invalid(p)) => Ok(Err(p)),
            Err(e) => Err(e.into()),
        }
    }
}

fn session_of(parts: &Parts) -> SessionInfo {
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
                let clock = api::clock(&a)
                    .await
                    .map_err(|e| PageError::from(e).into_response())?;
                Ok(Ctx { a, clock, session })
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
pub struct Bare(pub(crate) SessionInfo);

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

/// A posted HTML form.
pub struct Form(pub FormData);

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

fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ------------------------------------------------------------------ today

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
    done: Option<String>,
}

fn saved_text(e: &Entry, ctx: &Ctx) -> String {
    let time =
        e.at.to_zoned(ctx.tz().clone())
            .strftime("%H:%M")
            .to_string();
    match &e.body {
        EntryBody::Checkin(c) => format!("Check-in at {time}, mood {}.", c.mood),
        EntryBody::Episode(ep) => format!("{} at {time}.", views::kind_label(ep.kind.as_str())),
        _ => format!("Saved at {time}."),
    }
}

async fn saved_banner(ctx: &Ctx, q: &SavedQuery) -> Option<views::Saved> {
    let id = EntryId::parse(q.saved.as_deref()?).ok()?;
    let e = ctx.a.store.get(ctx.a.user, &id).await.ok()??;
    Some(views::Saved {
        id: e.id.to_string(),
        text: saved_text(&e, ctx),
        needs_after: matches!(&e.body, EntryBody::Episode(ep) if ep.mood_after.is_none()),
    })
}

/// At most this many of today's entries on the Today page; History has the rest.
const TODAY_LIMIT: u32 = 50;

async fn today_page(
    State(s): State<AppState>,
    ctx: Ctx,
    q: SavedQuery,
    v: FormData,
    errors: Vec<ValidationError>,
) -> PageResult {
    let tz = ctx.tz().clone();
    let registry = &s.shared().registry;
    let start_of_today =
        hearth_core::when::start_of_day(ctx.clock.now.to_zoned(tz.clone()).date(), &tz);
    // Both lists are bounded: a day with hundreds of entries (an import, a
    // script) still draws at once.
    let today_entries = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                since: start_of_today,
                limit: Some(TODAY_LIMIT),
                ..Filter::default()
            },
        )
        .await?;
    let today = today_entries
        .iter()
        .map(|e| views::Row {
            when: e.at.to_zoned(tz.clone()).strftime("%H:%M").to_string(),
            ..views::row(e, &tz, registry)
        })
        .collect();
    let waiting = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                since: Some(ctx.clock.now - SignedDuration::from_hours(48)),
                only: Some(Only::Type(EntryType::Episode)),
                limit: Some(TODAY_LIMIT),
                ..Filter::default()
            },
        )
        .await?
        .iter()
        .filter(|e| matches!(&e.body, EntryBody::Episode(ep) if ep.mood_after.is_none() && ep.followup.is_none()))
        .map(|e| views::row(e, &tz, registry))
        .collect();
    let due = hearth_app::surveys::due(&*ctx.a.store, ctx.a.user, registry, ctx.clock.now)
        .await?
        .into_iter()
        .filter(|d| d.due)
        .map(|d| views::DueView {
            note: match d.last_taken {
                Some(t) => format!("last taken {}", views::local_time(t, &tz)),
                None => "not taken yet".into(),
            },
            instrument: d.instrument,
            title: d.title,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let open_more = !errors.is_empty() && errors.iter().any(|e| e.field() != "mood");
    Ok(page_with(
        status,
        &views::Today {
            c: ctx.chrome("today").with_errors(&errors),
            v,
            action: "/checkin".into(),
            open_more,
            saved: saved_banner(&ctx, &q).await,
            due,
            today,
            waiting,
        },
    ))
}

async fn today(s: State<AppState>, ctx: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    today_page(s, ctx, q, FormData::default(), Vec::new()).await
}

async fn checkin(s: State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let mut p = Vec::new();
    let input = input::checkin_from_form(&f, &mut p);
    let built = input.build(&ctx.clock).map_err(|mut more| {
        p.append(&mut more);
        p.clone()
    });
    let built = if p.is_empty() { built } else { Err(p) };
    match ctx.save(built).await? {
        Ok(e) if e.body.is_crisis() => Ok(see(&format!("/help?saved={}", e.id))),
        Ok(e) => Ok(see(&format!("/?saved={}", e.id))),
        Err(errors) => today_page(s, ctx, SavedQuery::default(), f, errors).await,
    }
}

// ------------------------------------------------------------------ log

async fn log_form(
    ctx: &Ctx,
    v: FormData,
    errors: Vec<ValidationError>,
    saved: Option<views::Saved>,
    editing: Option<String>,
) -> PageResult {
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let open_more = (!errors.is_empty()
        && errors
            .iter()
            .any(|e| !["kind", "mood_before", "mood_after", "minutes", "at"].contains(&e.field())))
        || editing.is_some();
    Ok(page_with(
        status,
        &views::Log {
            c: ctx.chrome("log").with_errors(&errors),
            v,
            action: editing
                .as_ref()
                .map_or_else(|| "/log".to_string(), |id| format!("/entries/{id}")),
            open_more,
            saved,
            editing,
            kinds: views::kinds(&custom),
            motives: views::MOTIVES.to_vec(),
        },
    ))
}

async fn log_page(ctx: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    let saved = saved_banner(&ctx, &q).await;
    let mut v = FormData::default();
    if let Some(k) = q.done {
        v.set("kind", k);
    }
    log_form(&ctx, v, Vec::new(), saved, None).await
}

async fn episode_built(ctx: &Ctx, f: &FormData) -> Result<input::Built, PageError> {
    let mut p = Vec::new();
    let input = input::episode_from_form(f, &mut p);
    if input.kind.is_empty() {
        p.push(ValidationError::invalid("kind", "choose what you did"));
        return Ok(Err(p));
    }
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let built = input.build(&ctx.clock, &custom);
    Ok(match built {
        Ok(b) if p.is_empty() => Ok(b),
        Ok(_) => Err(p),
        Err(mut more) => {
            p.append(&mut more);
            Err(p)
        }
    })
}

async fn log_post(ctx: Ctx, Form(f): Form) -> PageResult {
    let built = episode_built(&ctx, &f).await?;
    match ctx.save(built).await? {
        Ok(e) => Ok(see(&format!("/log?saved={}", e.id))),
        Err(errors) => log_form(&ctx, f, errors, None, None).await,
    }
}

// ------------------------------------------------------------------ history and entries

#[derive(Deserialize, Default)]
pub struct HistoryQuery {
    kind: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// Entries strictly older than this instant: the "show older" page.
    before: Option<String>,
    deleted: Option<String>,
}

const HISTORY_LIMIT: u32 = 60;

async fn history(State(s): State<AppState>, ctx: Ctx, Query(q): Query<HistoryQuery>) -> PageResult {
    let tz = ctx.tz().clone();
    let mut p = Vec::new();
    let date = |field: &str, v: &Option<String>, p: &mut Vec<ValidationError>| {
        v.as_deref()
            .filter(|d| !d.is_empty())
            .and_then(|d| input::parsed(hearth_core::when::parse_date(field, d), p))
    };
    let since = date("since", &q.since, &mut p);
    let until = date("until", &q.until, &mut p);
    let custom = ctx.a.store.custom_kinds(ctx.a.user).await?;
    let kind = q.kind.clone().unwrap_or_default();
    let only = if kind.is_empty() {
        None
    } else if let Ok(t) = EntryType::parse(&kind) {
        Some(Only::Type(t))
    } else {
        input::parsed(hearth_core::Kind::resolve(&kind, &custom), &mut p).map(Only::Kind)
    };
    let before = q.before.as_deref().filter(|b| !b.is_empty()).and_then(|b| {
        b.parse::<Timestamp>()
            .map_err(|_| p.push(ValidationError::invalid("before", "is not a time")))
            .ok()
    });
    let end_of_until = until
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| hearth_core::when::start_of_day(d, &tz))
        .map(|t| t - SignedDuration::from_micros(1));
    let filter = Filter {
        since: since.and_then(|d| hearth_core::when::start_of_day(d, &tz)),
        until: match (
            end_of_until,
            before.map(|b| b - SignedDuration::from_micros(1)),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        },
        only,
        limit: Some(HISTORY_LIMIT + 1),
    };
    let mut entries = if p.is_empty() {
        ctx.a.store.list(ctx.a.user, &filter).await?
    } else {
        Vec::new()
    };
    let more = entries.len() > HISTORY_LIMIT as usize;
    entries.truncate(HISTORY_LIMIT as usize);
    let older = more.then(|| entries.last()).flatten().map(|last| {
        let mut link: Vec<(&str, String)> = vec![("before", last.at.to_string())];
        for (k, v) in [("kind", &q.kind), ("since", &q.since), ("until", &q.until)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                link.push((k, v.to_string()));
            }
        }
        format!(
            "/history?{}",
            serde_urlencoded::to_string(&link).unwrap_or_default()
        )
    });
    let mut days: Vec<(String, Vec<Row>)> = Vec::new();
    for e in &entries {
        let day = views::local_day(e.at, &tz);
        let row = views::Row {
            when: e.at.to_zoned(tz.clone()).strftime("%H:%M").to_string(),
            ..views::row(e, &tz, &s.shared().registry)
        };
        match days.last_mut() {
            Some((d, rows)) if *d == day => rows.push(row),
            _ => days.push((day, vec![row])),
        }
    }
    let mut filters: Vec<(String, String)> = vec![
        ("checkin".into(), "Check-ins".into()),
        ("episode".into(), "All activities".into()),
        ("survey".into(), "Questionnaires".into()),
        ("medication".into(), "Medication changes".into()),
    ];
    filters.extend(views::kinds(&custom));
    let filtered = !kind.is_empty() || since.is_some() || until.is_some();
    Ok(page(&views::History {
        c: ctx.chrome("history").with_errors(&p),
        flash: q.deleted.map(|_| "Deleted.".to_string()),
        filters,
        kind,
        since: since.map(|d| d.to_string()).unwrap_or_default(),
        until: until.map(|d| d.to_string()).unwrap_or_default(),
        filtered,
        days,
        older,
    }))
}

fn label(key: &str) -> String {
    match key {
        "at" => "when".into(),
        "not_safe" => "marked not safe".into(),
        "followup" => "later rating".into(),
        "followup_at" => "later rating given".into(),
        "in_control" => "felt in control".into(),
        "new_partner" => "new or casual partner".into(),
        other => other.replace('_', " "),
    }
}

/// The order a person reads an entry's fields in; anything else follows.
const FIELD_ORDER: &[&str] = &[
    "kind",
    "mood",
    "mood_before",
    "mood_after",
    "followup",
    "followup_at",
    "minutes",
    "exercise_type",
    "touch",
    "energy",
    "stress",
    "loneliness",
    "desire",
    "sleep_hours",
    "sleep_quality",
    "motive",
    "feelings",
    "satisfaction",
    "pressured",
    "protection",
    "new_partner",
    "in_control",
    "instrument",
    "total",
    "band",
    "answers",
    "extras",
    "crisis",
    "medication",
    "class",
    "event",
    "dose",
    "unit",
    "tags",
    "note",
    "not_safe",
];

/// Every recorded field of an entry, in words, local times.
fn fields(e: &Entry, ctx: &Ctx) -> Vec<(String, String)> {
    let mut out = vec![("when".to_string(), views::local_time(e.at, ctx.tz()))];
    let body = serde_json::to_value(&e.body).unwrap_or_default();
    let Some(map) = body.as_object() else {
        return out;
    };
    let mut keys: Vec<&String> = map.keys().filter(|k| *k != "type").collect();
    keys.sort_by_key(|k| {
        FIELD_ORDER
            .iter()
            .position(|o| o == k)
            .unwrap_or(usize::MAX)
    });
    for k in keys {
        let v = &map[k];
        let text = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::Bool(false) => continue,
            serde_json::Value::Bool(true) => "yes".to_string(),
            serde_json::Value::Array(a) if a.is_empty() => continue,
            serde_json::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
            serde_json::Value::Object(o) if o.is_empty() => continue,
            serde_json::Value::Object(o) => o
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            serde_json::Value::String(s) if k.ends_with("_at") => s
                .parse::<Timestamp>()
                .map_or_else(|_| s.clone(), |t| views::local_time(t, ctx.tz())),
            serde_json::Value::String(s) => s.replace('_', " "),
            other => other.to_string(),
        };
        out.push((label(k), text));
    }
    out.push((
        "recorded".into(),
        views::local_time(e.recorded_at, ctx.tz()),
    ));
    if e.updated_at != e.recorded_at {
        out.push(("changed".into(), views::local_time(e.updated_at, ctx.tz())));
    }
    out
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    changed: Option<String>,
}

async fn entry_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<EntryQuery>,
) -> PageResult {
    let e = ctx.entry(&id).await?;
    let needs_after = match &e.body {
        EntryBody::Episode(ep) if ep.mood_after.is_none() => Some("Add how you felt after"),
        EntryBody::Episode(ep) if ep.followup.is_none() => Some("Add a later rating"),
        _ => None,
    };
    Ok(page(&views::EntryPage {
        c: ctx.chrome("history"),
        flash: q.changed.map(|_| "Changed.".to_string()),
        fields: fields(&e, &ctx),
        editable: matches!(e.body, EntryBody::Checkin(_) | EntryBody::Episode(_)),
        needs_after,
        e: views::row(&e, ctx.tz(), &s.shared().registry),
    }))
}

fn local_input(t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// An entry as the values of its edit form.
fn form_of(e: &Entry, tz: &jiff::tz::TimeZone) -> FormData {
    let mut f = FormData::default();
    let opt = |f: &mut FormData, k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.set(k, v);
        }
    };
    f.set("at", local_input(e.at, tz));
    match &e.body {
        EntryBody::Checkin(c) => {
            f.set("mood", c.mood);
            for (k, v) in [
                ("energy", c.energy),
                ("stress", c.stress),
                ("loneliness", c.loneliness),
                ("desire", c.desire),
                ("sleep_quality", c.sleep_quality),
            ] {
                opt(&mut f, k, v.map(|r| r.to_string()));
            }
            opt(&mut f, "sleep_hours", c.sleep_hours.map(|h| h.to_string()));
            opt(&mut f, "note", c.note.clone());
            f.set("tags", c.tags.join(", "));
            if c.not_safe {
                f.set("not_safe", "on");
            }
        }
        EntryBody::Episode(ep) => {
            f.set("kind", ep.kind.as_str());
            for (k, v) in [
                ("mood_before", ep.mood_before),
                ("mood_after", ep.mood_after),
                ("followup", ep.followup),
                ("satisfaction", ep.satisfaction),
                ("in_control", ep.in_control),
            ] {
                opt(&mut f, k, v.map(|r| r.to_string()));
            }
            opt(&mut f, "minutes", ep.minutes.map(|m| m.to_string()));
            opt(&mut f, "note", ep.note.clone());
            opt(&mut f, "touch", ep.touch.map(|t| t.to_string()));
            opt(
                &mut f,
                "exercise_type",
                ep.exercise_type.map(|t| t.to_string()),
            );
            opt(&mut f, "motive", ep.motive.map(|t| t.to_string()));
            for x in &ep.feelings {
                f.set("feelings", x);
            }
            if ep.pressured {
                f.set("pressured", "on");
            }
            if ep.new_partner {
                f.set("new_partner", "on");
            }
            opt(
                &mut f,
                "protection",
                ep.protection
                    .map(|p| if p { "yes" } else { "no" }.to_string()),
            );
        }
        _ => {}
    }
    f
}

async fn entry_edit(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let e = ctx.entry(&id).await?;
    let v = form_of(&e, ctx.tz());
    match &e.body {
        EntryBody::Checkin(_) => Ok(page(&views::EditCheckin {
            c: ctx.chrome("history"),
            v,
            action: format!("/entries/{}", e.id),
            open_more: true,
            id: e.id.to_string(),
        })),
        EntryBody::Episode(_) => log_form(&ctx, v, Vec::new(), None, Some(e.id.to_string())).await,
        _ => Ok(see(&format!("/entries/{}", e.id))),
    }
}

async fn update(
    ctx: &Ctx,
    current: &Entry,
    built: input::Built,
) -> Result<Result<Entry, Vec<ValidationError>>, PageError> {
    let (at, body) = match built {
        Ok(b) => b,
        Err(p) => return Ok(Err(p)),
    };
    let mut e = current.clone();
    e.at = at.unwrap_or(current.at);
    e.body = body;
    match hearth_app::entries::update(&*ctx.a.store, ctx.a.user, &ctx.clock, current, e).await {
        Ok(saved) => Ok(Ok(saved)),
        Err(StoreError::Invalid(p)) => Ok(Err(p)),
        Err(e) => Err(e.into()),
    }
}

async fn entry_save(ctx: Ctx, Path(id): Path<String>, Form(f): Form) -> PageResult {
    let current = ctx.entry(&id).await?;
    match &current.body {
        EntryBody::Checkin(_) => {
            let mut p = Vec::new();
            let built = input::checkin_from_form(&f, &mut p).build(&ctx.clock);
            let built = if p.is_empty() { built } else { Err(p) };
            match update(&ctx, &current, built).await? {
                Ok(e) if e.body.is_crisis() && !current.body.is_crisis() => {
                    Ok(see(&format!("/help?saved={}", e.id)))
                }
                Ok(e) => Ok(see(&format!("/entries/{}?changed=1", e.id))),
                Err(errors) => Ok(page_with(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &views::EditCheckin {
                        c: ctx.chrome("history").with_errors(&errors),
                        v: f,
                        action: format!("/entries/{}", current.id),
                        open_more: true,
                        id: current.id.to_string(),
                    },
                )),
            }
        }
        EntryBody::Episode(_) => {
            let built = episode_built(&ctx, &f).await?;
            match update(&ctx, &current, built).await? {
                Ok(e) => Ok(see(&format!("/entries/{}?changed=1", e.id))),
                Err(errors) => log_form(&ctx, f, errors, None, Some(current.id.to_string())).await,
            }
        }
        _ => Ok(see(&format!("/entries/{}", current.id))),
    }
}

async fn after_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let e = ctx.entry(&id).await?;
    let EntryBody::Episode(ep) = &e.body else {
        return Ok(see(&format!("/entries/{}", e.id)));
    };
    let row = views::row(&e, ctx.tz(), &s.shared().registry);
    let mut v = FormData::default();
    if let Some(f) = ep.followup {
        v.set("followup", f);
    }
    Ok(page(&views::After {
        c: ctx.chrome("today"),
        v,
        id: row.id,
        what: row.what,
        when: row.when,
        show_after: ep.mood_after.is_none(),
    }))
}

async fn after_save(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form,
) -> PageResult {
    let before = ctx.entry(&id).await?;
    let mut e = before.clone();
    let EntryBody::Episode(ep) = &mut e.body else {
        return Ok(see(&format!("/entries/{}", e.id)));
    };
    let mut p = Vec::new();
    if let Some(a) = f.int("mood_after", &mut p) {
        ep.mood_after = input::parsed(hearth_core::Rating::new("mood_after", a), &mut p);
    }
    if let Some(x) = f.int("followup", &mut p)
        && let Some(r) = input::parsed(hearth_core::Rating::new("followup", x), &mut p)
    {
        ep.followup = Some(r);
    }
    if p.is_empty() && f.get("mood_after").is_none() && f.get("followup").is_none() {
        p.push(ValidationError::invalid(
            "mood",
            "choose a number from 0 to 10",
        ));
    }
    let result = if p.is_empty() {
        match hearth_app::entries::update(&*ctx.a.store, ctx.a.user, &ctx.clock, &before, e.clone())
            .await
        {
            Ok(saved) => Ok(saved),
            Err(StoreError::Invalid(more)) => Err(more),
            Err(other) => return Err(other.into()),
        }
    } else {
        Err(p)
    };
    match result {
        Ok(saved) => Ok(see(&format!("/entries/{}?changed=1", saved.id))),
        Err(errors) => {
            let row = views::row(&e, ctx.tz(), &s.shared().registry);
            Ok(page_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &views::After {
                    c: ctx.chrome("today").with_errors(&errors),
                    v: f,
                    id: row.id,
                    what: row.what,
                    when: row.when,
                    show_after: true,
                },
            ))
        }
    }
}

async fn delete_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let e = ctx.entry(&id).await?;
    Ok(page(&views::ConfirmDelete {
        c: ctx.chrome("history"),
        e: views::row(&e, ctx.tz(), &s.shared().registry),
    }))
}

async fn delete_post(ctx: Ctx, Path(id): Path<String>, Form(f): Form) -> PageResult {
    let id = api::entry_id(&id)?;
    if !ctx.a.store.delete(ctx.a.user, &id).await? {
        return Err(ApiError::not_found(id.as_str()).into());
    }
    if f.flag("undo") {
        // Undo from a "Saved" banner: back where the person was.
        let back = match f.get("back") {
            Some("/log") => "/log",
            _ => "/",
        };
        return Ok(see(back));
    }
    Ok(see("/history?deleted=1"))
}

// ------------------------------------------------------------------ surveys

async fn survey_entries(ctx: &Ctx, instrument: &str) -> Result<Vec<Entry>, PageError> {
    let all = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?;
    Ok(all
        .into_iter()
        .filter(|e| matches!(&e.body, EntryBody::Survey(s) if s.instrument == instrument))
        .collect())
}

async fn surveys(State(s): State<AppState>, ctx: Ctx) -> PageResult {
    let registry = &s.shared().registry;
    let due = hearth_app::surveys::due(&*ctx.a.store, ctx.a.user, registry, ctx.clock.now).await?;
    let taken_all = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?;
    let mut rows = Vec::new();
    for inst in &registry.instruments {
        let taken = taken_all
            .iter()
            .filter(|e| matches!(&e.body, EntryBody::Survey(s) if s.instrument == inst.id))
            .count();
        let status = match due.iter().find(|d| d.instrument == inst.id) {
            Some(d) if d.due && d.last_taken.is_none() => "Due now — not taken yet".to_string(),
            Some(d) if d.due => "Due now".to_string(),
            Some(d) => format!(
                "Next suggested {}",
                d.due_at
                    .map(|t| views::local_day(t, ctx.tz()))
                    .unwrap_or_default()
            ),
            None => "Whenever you like".to_string(),
        };
        rows.push(views::SurveyRow {
            id: inst.id.clone(),
            title: inst.title.clone(),
            name: inst.name.clone(),
            status,
            taken,
        });
    }
    Ok(page(&views::Surveys {
        c: ctx.chrome("surveys"),
        rows,
    }))
}

fn item_views(inst: &Instrument) -> Vec<views::ItemView> {
    let mut items: Vec<views::ItemView> = inst
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| views::ItemView {
            name: format!("a{}", i + 1),
            text: it.text.clone(),
            options: inst.options_for(it).to_vec(),
            required: true,
        })
        .collect();
    items.extend(inst.extras.iter().map(|it| views::ItemView {
        name: it.id.clone(),
        text: format!("{} (optional)", it.text),
        options: inst.options_for(it).to_vec(),
        required: false,
    }));
    items
}

fn recall_words(days: Option<u32>) -> String {
    match days {
        Some(14) => "two weeks".into(),
        Some(7) => "week".into(),
        Some(1) => "day".into(),
        Some(d) => format!("{d} days"),
        None => "while".into(),
    }
}

async fn survey_form(
    s: &AppState,
    ctx: &Ctx,
    id: &str,
    v: FormData,
    errors: Vec<ValidationError>,
) -> PageResult {
    let inst = s.shared().registry.require(id)?;
    let last = survey_entries(ctx, &inst.id).await?.into_iter().next();
    let overlap = match (last, inst.recall_days) {
        (Some(e), Some(days))
            if ctx.clock.now.duration_since(e.at)
                < SignedDuration::from_hours(24 * i64::from(days)) =>
        {
            Some(format!(
                "You last answered this on {}. It asks about the last {}, so this answer will overlap with that one — that's fine if things have changed.",
                views::local_day(e.at, ctx.tz()),
                recall_words(Some(days))
            ))
        }
        _ => None,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page_with(
        status,
        &views::SurveyForm {
            c: ctx.chrome("surveys").with_errors(&errors),
            v,
            id: inst.id.clone(),
            title: inst.title.clone(),
            question: inst.question.clone(),
            items: item_views(inst),
            source: format!("Source: {}", inst.source),
            overlap,
        },
    ))
}

async fn survey_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    survey_form(&s, &ctx, &id, FormData::default(), Vec::new()).await
}

async fn survey_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form,
) -> PageResult {
    let inst = s.shared().registry.require(&id)?.clone();
    let mut p = Vec::new();
    let mut answers = Vec::new();
    for (i, _) in inst.items.iter().enumerate() {
        let name = format!("a{}", i + 1);
        match f.int(&name, &mut p) {
            Some(a) => answers.push(i32::try_from(a).unwrap_or(i32::MAX)),
            None => p.push(ValidationError::invalid(
                &format!("question {}", i + 1),
                "choose an answer",
            )),
        }
    }
    let difficulty = f
        .int("difficulty", &mut p)
        .map(|d| i32::try_from(d).unwrap_or(i32::MAX));
    let previous = survey_entries(&ctx, &inst.id).await?.into_iter().next();
    let built = if p.is_empty() {
        input::SurveyIn {
            answers,
            difficulty,
            at: None,
        }
        .build(&inst, &ctx.clock)
    } else {
        Err(p)
    };
    let saved = match ctx.save(built).await? {
        Ok(e) => e,
        Err(errors) => return survey_form(&s, &ctx, &id, f, errors).await,
    };
    let EntryBody::Survey(r) = &saved.body else {
        return Ok(see("/surveys"));
    };
    let crisis = if r.crisis {
        let settings = ctx.a.store.settings(ctx.a.user).await?;
        let contacts = ctx.a.store.contacts(ctx.a.user).await?;
        Some(Resources::new(Some(&settings.region), contacts, true))
    } else {
        None
    };
    let band = r
        .band
        .as_ref()
        .and_then(|b| inst.bands.iter().find(|x| &x.id == b));
    let change = previous.and_then(|p| match p.body {
        EntryBody::Survey(prev) => {
            let c = r.total - prev.total;
            let meaningful = if hearth_insights::rules::meaningful_change(&inst.id, c) {
                format!(
                    " That is a change of {} or more points, which clinicians treat as meaningful.",
                    hearth_insights::rules::PHQ9_MEANINGFUL_CHANGE
                )
            } else {
                String::new()
            };
            Some(format!(
                "{} since your previous score of {} on {}.{meaningful}",
                match c {
                    0 => "No change".to_string(),
                    c if c > 0 => format!("{c} points higher"),
                    c => format!("{} points lower", -c),
                },
                prev.total,
                views::local_day(p.at, ctx.tz())
            ))
        }
        _ => None,
    });
    let suggest = band
        .and_then(|b| b.suggest.as_ref())
        .and_then(|id| s.shared().registry.get(id))
        .map(|i| (i.id.clone(), i.title.clone()));
    Ok(page(&views::SurveyResult {
        c: ctx.chrome("surveys"),
        crisis,
        id: inst.id.clone(),
        title: inst.title.clone(),
        total: r.total,
        max: inst.max_total(),
        band: band.map(|b| b.label.clone()).unwrap_or_default(),
        band_note: if inst.id == "sexual-function" {
            "Higher means more difficulty; Hearth's own check, with no validated cut-off.".into()
        } else {
            String::new()
        },
        change,
        recall: recall_words(inst.recall_days),
        suggest,
    }))
}

async fn survey_history(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let inst = s.shared().registry.require(&id)?;
    let entries = survey_entries(&ctx, &inst.id).await?;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for e in entries.iter().rev() {
        if let EntryBody::Survey(r) = &e.body {
            points.push((e.at.to_zoned(ctx.tz().clone()).date(), r.total));
            rows.push(views::ScoreRow {
                id: e.id.to_string(),
                date: views::local_day(e.at, ctx.tz()),
                total: r.total,
                band: r
                    .band
                    .as_ref()
                    .and_then(|b| inst.bands.iter().find(|x| &x.id == b))
                    .map(|b| b.label.clone())
                    .unwrap_or_default(),
                crisis: r.crisis,
            });
        }
    }
    rows.reverse();
    let chart = charts::scores(
        &format!("{} ({}–{})", inst.title, inst.min_total(), inst.max_total()),
        &points,
        inst.max_total(),
        &inst.bands,
    );
    Ok(page(&views::SurveyHistory {
        c: ctx.chrome("surveys"),
        id: inst.id.clone(),
        title: inst.title.clone(),
        chart,
        rows,
    }))
}

// ------------------------------------------------------------------ insights

#[derive(Deserialize, Default)]
pub struct InsightsQuery {
    since: Option<String>,
}

/// The report's view of a period: its charts are the ones the pages show.
async fn report_for(
    s: &AppState,
    ctx: &Ctx,
    from: Option<jiff::civil::Date>,
) -> Result<hearth_app::report::Built, PageError> {
    report_data(s, &ctx.a, &ctx.clock, from, None).await
}

/// The report's view of a period, as the pages show it.
pub(crate) async fn report_data(
    s: &AppState,
    a: &Acting,
    clock: &Clock,
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
) -> Result<hearth_app::report::Built, PageError> {
    Ok(hearth_app::report::build(&*a.store, a.user, &s.shared().registry, clock, from, to).await?)
}

async fn insights(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<InsightsQuery>,
) -> PageResult {
    let mut p = Vec::new();
    let since = q
        .since
        .as_deref()
        .filter(|d| !d.is_empty())
        .and_then(|d| input::parsed(hearth_core::when::parse_date("since", d), &mut p));
    let hearth_app::report::Built {
        insights: result,
        report,
        entries: n,
    } = report_for(&s, &ctx, since).await?;
    Ok(page(&views::Insights {
        c: ctx.chrome("insights").with_errors(&p),
        basis: match since {
            Some(d) => format!("{n} entries since {d}"),
            None => format!("all {n} entries in your journal"),
        },
        since: since.map(|d| d.to_string()).unwrap_or_default(),
        mood: report.mood.clone(),
        items: crate::insight_views::build(&result, &report, ctx.tz()),
    }))
}

// ------------------------------------------------------------------ medications

async fn medications_page(
    ctx: &Ctx,
    v: FormData,
    errors: Vec<ValidationError>,
    flash: Option<String>,
) -> PageResult {
    let tz = ctx.tz().clone();
    let meds = ctx.a.store.medications(ctx.a.user).await?;
    let events = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Medication)),
                ..Filter::default()
            },
        )
        .await?;
    let sf: Vec<(jiff::civil::Date, i32)> = ctx
        .a
        .store
        .list(
            ctx.a.user,
            &Filter {
                only: Some(Only::Type(EntryType::Survey)),
                ..Filter::default()
            },
        )
        .await?
        .iter()
        .rev()
        .filter_map(|e| match &e.body {
            EntryBody::Survey(s) if s.instrument == "sexual-function" => {
                Some((e.at.to_zoned(tz.clone()).date(), s.total))
            }
            _ => None,
        })
        .collect();
    let mut marks = Vec::new();
    let mut views_out = Vec::new();
    for m in &meds {
        let mut evs = Vec::new();
        for e in events.iter().rev() {
            if let EntryBody::Medication(me) = &e.body
                && me.medication.eq_ignore_ascii_case(&m.name)
            {
                let what = match me.event {
                    MedEventKind::Start => "started",
                    MedEventKind::Change => "dose changed",
                    MedEventKind::Stop => "stopped",
                };
                let dose = hearth_formats::text::dose(me.dose, me.unit);
                evs.push((
                    e.id.to_string(),
                    format!("{} — {what} {dose}", views::local_day(e.at, &tz)),
                ));
                marks.push((
                    e.at.to_zoned(tz.clone()).date(),
                    format!("{} {what} {dose}", me.medication)
                        .trim()
                        .to_string(),
                ));
            }
        }
        views_out.push(views::MedView {
            name: m.name.clone(),
            class_id: m.class.to_string(),
            class: views::CLASSES
                .iter()
                .find(|(c, _)| *c == m.class.as_str())
                .map_or_else(
                    || m.class.to_string(),
                    |(_, l)| l.split(" (").next().unwrap_or(l).to_string(),
                ),
            unit: m.unit.to_string(),
            taking: m.taking,
            status: if m.taking {
                format!(
                    "Taking {} since {}.",
                    hearth_formats::text::dose(m.dose, m.unit),
                    views::local_day(m.started_at, &tz)
                )
            } else {
                format!("Stopped on {}.", views::local_day(m.last_event_at, &tz))
            },
            events: evs,
        });
    }
    marks.sort_by_key(|m| m.0);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page_with(
        status,
        &views::Medications {
            c: ctx.chrome("medications").with_errors(&errors),
            v,
            flash,
            chart: charts::function_with_medication(&sf, &marks),
            meds: views_out,
            classes: views::CLASSES.to_vec(),
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    saved: Option<String>,
}

async fn medications(ctx: Ctx, Query(q): Query<FlashQuery>) -> PageResult {
    medications_page(
        &ctx,
        FormData::default(),
        Vec::new(),
        q.saved.map(|_| "Saved.".into()),
    )
    .await
}

async fn medication_post(ctx: Ctx, Form(f): Form) -> PageResult {
    let mut p = Vec::new();
    let input = input::MedicationIn {
        name: f.text("name").unwrap_or_default(),
        event: f.text("event"),
        class: f.text("class"),
        dose: f.number("dose", &mut p),
        unit: f.text("unit"),
        at: f.text("at"),
    };
    if input.name.is_empty() {
        p.push(ValidationError::Missing {
            field: "name".into(),
        });
    }
    let known = ctx.a.store.medications(ctx.a.user).await?;
    let built = if p.is_empty() {
        input.build(&ctx.clock, &known)
    } else {
        Err(p)
    };
    match ctx.save(built).await? {
        Ok(_) => Ok(see("/medications?saved=1")),
        Err(errors) => medications_page(&ctx, f, errors, None).await,
    }
}

// ------------------------------------------------------------------ settings

async fn settings_view(
    s: &AppState,
    ctx: &Ctx,
    flash: Option<String>,
    errors: Vec<ValidationError>,
) -> PageResult {
    let settings = ctx.a.store.settings(ctx.a.user).await?;
    let regions = hearth_core::crisis::regions()
        .into_iter()
        .map(|(code, r)| (code, r.name))
        .collect();
    let cadence = s
        .shared()
        .registry
        .instruments
        .iter()
        .map(|i| {
            (
                i.id.clone(),
                i.title.clone(),
                settings
                    .cadence
                    .get(&i.id)
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                i.cadence_days
                    .map_or_else(|| "none: whenever you like".into(), |d| format!("{d} days")),
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(page_with(
        status,
        &views::SettingsPage {
            c: ctx.chrome("settings").with_errors(&errors),
            flash,
            zones: views::zones(),
            tz: settings.tz,
            regions,
            region: settings.region,
            cadence,
            contacts: ctx.a.store.contacts(ctx.a.user).await?,
            questions: ctx.a.store.questions(ctx.a.user).await?,
            kinds: ctx.a.store.custom_kinds(ctx.a.user).await?,
        },
    ))
}

async fn settings(State(s): State<AppState>, ctx: Ctx, Query(q): Query<FlashQuery>) -> PageResult {
    settings_view(&s, &ctx, q.saved.map(|_| "Saved.".into()), Vec::new()).await
}

async fn settings_post(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let mut p = Vec::new();
    let mut next: Settings = ctx.a.store.settings(ctx.a.user).await?;
    if let Some(tz) = f.get("tz") {
        match hearth_core::when::parse_zone(tz) {
            Ok(z) => next.tz = z.iana_name().unwrap_or(tz).to_string(),
            Err(e) => p.push(e),
        }
    }
    if let Some(r) = f.get("region")
        && let Some(r) = input::parsed(hearth_core::crisis::check_region(r), &mut p)
    {
        next.region = r;
    }
    let mut cadence = BTreeMap::new();
    for inst in &s.shared().registry.instruments {
        let field = format!("cadence:{}", inst.id);
        if let Some(d) = f.int(&field, &mut p) {
            match u32::try_from(d) {
                Ok(d @ 1..=365) => {
                    cadence.insert(inst.id.clone(), d);
                }
                _ => p.push(ValidationError::invalid(
                    &format!("{} cadence", inst.title),
                    "must be from 1 to 365 days",
                )),
            }
        }
    }
    next.cadence = cadence;
    if !p.is_empty() {
        return settings_view(&s, &ctx, None, p).await;
    }
    ctx.a.store.set_settings(ctx.a.user, &next).await?;
    Ok(see("/settings?saved=1"))
}

/// After a settings form: back to its section, or the page with the problems.
async fn settings_saved<T>(
    s: &AppState,
    ctx: &Ctx,
    result: Result<T, StoreError>,
    section: &str,
) -> PageResult {
    match result {
        Ok(_) => Ok(see(&format!("/settings?saved=1#{section}"))),
        Err(StoreError::Invalid(p)) => settings_view(s, ctx, None, p).await,
        Err(e) => Err(e.into()),
    }
}

async fn contact_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let r = ctx
        .a
        .store
        .add_contact(
            ctx.a.user,
            f.get("name").unwrap_or_default(),
            f.get("contact").unwrap_or_default(),
            f.get("note"),
            ctx.clock.now,
        )
        .await;
    settings_saved(&s, &ctx, r, "contacts").await
}

async fn contact_remove(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = api::entry_id(&id)?;
    ctx.a.store.remove_contact(ctx.a.user, &id).await?;
    Ok(see("/settings#contacts"))
}

async fn question_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let r = ctx
        .a
        .store
        .add_question(ctx.a.user, f.get("text").unwrap_or_default(), ctx.clock.now)
        .await;
    settings_saved(&s, &ctx, r, "questions").await
}

async fn question_remove(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = api::entry_id(&id)?;
    ctx.a.store.remove_question(ctx.a.user, &id).await?;
    Ok(see("/settings#questions"))
}

async fn kind_add(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let kind = match hearth_core::Kind::new_custom(f.get("kind").unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => return settings_view(&s, &ctx, None, vec![e]).await,
    };
    let r = ctx
        .a
        .store
        .add_custom_kind(ctx.a.user, &kind, ctx.clock.now)
        .await;
    settings_saved(&s, &ctx, r, "kinds").await
}

async fn export_json(ctx: Ctx) -> PageResult {
    let export = hearth_app::export::journal(&*ctx.a.store, ctx.a.user, ctx.clock.now).await?;
    Ok(download(
        &ctx,
        "application/json",
        "hearth",
        "json",
        export.to_json(),
    ))
}

/// A file to save, named for today: `{stem}-{date}.{ext}`.
fn download(
    ctx: &Ctx,
    kind: &'static str,
    stem: &str,
    ext: &str,
    body: impl IntoResponse,
) -> Response {
    let name = format!(
        "attachment; filename=\"{stem}-{}.{ext}\"",
        ctx.clock.now.to_zoned(ctx.tz().clone()).date()
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).expect("an ASCII file name"),
            ),
        ],
        body,
    )
        .into_response()
}

/// One CSV per entry type, in a zip archive, for spreadsheets.
async fn export_csv(ctx: Ctx) -> PageResult {
    let entries = ctx.a.store.list(ctx.a.user, &Filter::default()).await?;
    let fail = |e: hearth_formats::FormatError| {
        ApiError::from(ValidationError::invalid("export", e.to_string()))
    };
    let files = hearth_formats::csv_export::export(&entries).map_err(fail)?;
    let bytes = hearth_formats::csv_export::zip(&files).map_err(fail)?;
    Ok(download(
        &ctx,
        "application/zip",
        "hearth-csv",
        "zip",
        bytes,
    ))
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    /// `pdf` for a download; the page otherwise.
    format: Option<String>,
}

/// The clinician report for the last 12 weeks, as its own page or a PDF. The
/// page carries its styles inline so it prints and saves as one file; this
/// route alone allows inline styles, and still no script.
async fn report(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ReportQuery>) -> PageResult {
    let from = hearth_app::report::default_from(ctx.clock.today());
    let report = report_for(&s, &ctx, Some(from)).await?.report;
    if q.format.as_deref() == Some("pdf") {
        let bytes = tokio::task::spawn_blocking(move || hearth_formats::pdf::render(&report))
            .await
            .map_err(|_| {
                ApiError::from(ValidationError::invalid("report", "could not be laid out"))
            })?
            .map_err(|e| ApiError::from(ValidationError::invalid("report", e.to_string())))?;
        return Ok(download(
            &ctx,
            "application/pdf",
            "hearth-report",
            "pdf",
            bytes,
        ));
    }
    Ok((
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::shares::REPORT_CSP),
        )],
        Html(report.to_html()),
    )
        .into_response())
}

// ------------------------------------------------------------------ help

#[derive(Deserialize, Default)]
pub struct HelpQuery {
    saved: Option<String>,
}

/// Crisis lines: always reachable, even before a journal exists or while it is locked.
async fn help(State(s): State<AppState>, bare: Bare, Query(q): Query<HelpQuery>) -> Response {
    let acting = s.acting(Some(&bare.0.token)).await.ok();
    let (region, contacts, demo, passphrase) = match &acting {
        Some(a) => (
            a.store.settings(a.user).await.ok().map(|s| s.region),
            a.store.contacts(a.user).await.unwrap_or_default(),
            a.demo,
            a.passphrase,
        ),
        None => (None, Vec::new(), false, false),
    };
    let all_regions = region
        .as_deref()
        .is_none_or(|r| r == hearth_core::crisis::FALLBACK);
    page(&views::Help {
        c: Chrome {
            demo,
            passphrase,
            nav: acting.is_some(),
            ..bare.chrome()
        },
        r: Resources::new(region.as_deref(), contacts, q.saved.is_some()),
        saved: q.saved.is_some(),
        all_regions,
    })
}

// ------------------------------------------------------------------ first visit, unlock, demo

fn local_only(s: &AppState) -> Result<&crate::Local, PageError> {
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

async fn welcome(State(s): State<AppState>, bare: Bare) -> PageResult {
    let local = local_only(&s)?;
    if local.journal_exists() {
        return Ok(see("/"));
    }
    Ok(page(&views::Welcome {
        c: bare.chrome(),
        demo_dir: local.demo_dir().display().to_string(),
    }))
}

async fn start_page(State(s): State<AppState>, bare: Bare) -> PageResult {
    if local_only(&s)?.journal_exists() {
        return Ok(see("/"));
    }
    Ok(page(&views::Start {
        c: bare.chrome(),
        zones: views::zones(),
        tz: hearth_app::journal::system_zone(),
    }))
}

async fn start_post(State(s): State<AppState>, bare: Bare, Form(f): Form) -> PageResult {
    let local = local_only(&s)?;
    if local.journal_exists() {
        return Ok(see("/"));
    }
    let mut p = Vec::new();
    let tz = f.get("tz").unwrap_or("UTC");
    let zone = input::parsed(hearth_core::when::parse_zone(tz), &mut p);
    let (pass, again) = (f.secret("passphrase"), f.secret("again"));
    if !pass.is_empty() || !again.is_empty() {
        input::parsed(hearth_app::journal::check_passphrase(&pass, &again), &mut p);
    }
    if !p.is_empty() {
        return Ok(page_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &views::Start {
                c: bare.chrome().with_errors(&p),
                zones: views::zones(),
                tz: tz.to_string(),
            },
        ));
    }
    let tz_name = zone
        .as_ref()
        .and_then(|z| z.iana_name())
        .unwrap_or("UTC")
        .to_string();
    let passphrase = (!pass.is_empty()).then(|| pass.as_str());
    local
        .create(&Settings::for_zone(&tz_name), passphrase, Timestamp::now())
        .await?;
    if passphrase.is_some() {
        // This browser set the passphrase: it is already unlocked here.
        let session = s.shared().sessions.unlock(Some(&bare.0.token));
        let mut resp = see("/");
        resp.headers_mut().insert(
            header::SET_COOKIE,
            crate::session::set_cookie(&session.token, s.shared().secure_cookies),
        );
        return Ok(resp);
    }
    Ok(see("/"))
}

async fn demo_open(State(s): State<AppState>) -> PageResult {
    let local = local_only(&s)?;
    local
        .open_demo(&hearth_app::journal::system_zone(), Timestamp::now())
        .await?;
    Ok(see("/"))
}

async fn unlock_page(State(s): State<AppState>, bare: Bare) -> PageResult {
    let local = local_only(&s)?;
    if !local.is_passphrase_journal().await {
        return Ok(see("/"));
    }
    Ok(page(&views::UnlockPage {
        c: bare.chrome(),
        idle: idle_words(local.lock_after()),
    }))
}

fn idle_words(d: Duration) -> String {
    let m = d.as_secs() / 60;
    match m {
        0 => format!("{} seconds", d.as_secs()),
        1 => "a minute".into(),
        m if m % 60 == 0 && m >= 60 => format!("{} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("{m} minutes"),
    }
}

async fn unlock_post(State(s): State<AppState>, bare: Bare, Form(f): Form) -> PageResult {
    let local = local_only(&s)?;
    let pass = f.secret("passphrase");
    match local.unlock(&pass).await {
        Ok(()) => {
            let session = s.shared().sessions.unlock(Some(&bare.0.token));
            let mut resp = see("/");
            resp.headers_mut().insert(
                header::SET_COOKIE,
                crate::session::set_cookie(&session.token, s.shared().secure_cookies),
            );
            Ok(resp)
        }
        Err(StoreError::Locked(_)) => {
            // Slows guessing; Argon2id already costs a fraction of a second per try.
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok(page_with(
                StatusCode::UNAUTHORIZED,
                &views::UnlockPage {
                    c: bare.chrome().with_errors(&[ValidationError::invalid(
                        "passphrase",
                        "is not the one this journal was created with",
                    )]),
                    idle: idle_words(local.lock_after()),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn lock(State(s): State<AppState>) -> Response {
    s.lock_now().await;
    see("/unlock")
}

async fn demo_page(State(s): State<AppState>, ctx: Ctx) -> PageResult {
    let local = local_only(&s)?;
    Ok(page(&views::DemoPage {
        c: ctx.chrome(""),
        demo_dir: local.demo_dir().display().to_string(),
        has_journal: local.journal_exists(),
    }))
}

async fn demo_leave(State(s): State<AppState>) -> PageResult {
    local_only(&s)?.leave_demo().await;
    Ok(see("/"))
}

async fn demo_remove(State(s): State<AppState>) -> PageResult {
    local_only(&s)?
        .remove_demo()
        .await
        .map_err(|e| ApiError::from(StoreError::Io(e)))?;
    Ok(see("/"))
}
