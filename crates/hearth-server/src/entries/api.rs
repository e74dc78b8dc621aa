//! Entries over the JSON API: create, list, read, patch, delete.

use axum::Json;
use axum::extract::Path;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_app::Clock;
use hearth_core::EntryBody;
use hearth_core::kind::Kind;
use hearth_core::vocab::EntryType;
use hearth_store::{Filter, Only};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult, Created, ErrorBody};
use crate::extract::{ApiQuery, clock, entry_id, resources};
use crate::input::{self, CheckinIn, EpisodeIn, Problems};
use crate::state::Acting;

/// Stores one entry and describes it: `{"id", "entry"}`, plus the crisis
/// lines whenever the entry fired a trigger.
pub(crate) async fn store_entry(
    a: &Acting,
    c: &Clock,
    built: Result<(Option<Timestamp>, EntryBody), Problems>,
) -> ApiResult<Created> {
    let (at, body) = built.map_err(ApiError::invalid)?;
    let entry = hearth_app::entries::record(&*a.store, a.user, c, at, body).await?;
    let crisis = entry.body.is_crisis();
    let support = match hearth_core::crisis::Concern::of_entry(&entry.body) {
        Some(concern) => {
            let region = a.settings().await?.region;
            Some(hearth_core::crisis::support_json(&region, concern))
        }
        None => None,
    };
    Ok(Created {
        id: entry.id.clone(),
        entry,
        crisis: crisis.then_some(true),
        resources: if crisis {
            Some(resources(a).await?)
        } else {
            None
        },
        support,
        instrument: None,
        total: None,
        band: None,
    })
}

pub(crate) fn respond_created(c: Created) -> Response {
    (StatusCode::CREATED, Json(c)).into_response()
}

#[utoipa::path(post, path = "/checkins", request_body = CheckinIn,
    responses((status = 201, description = "Created: its id, the entry as stored, and crisis resources if it fired a trigger", body = Created), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
pub(crate) async fn create_checkin(
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
pub(crate) async fn create_episode(
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
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// Entries at or after this time (or date-time words like "2h ago").
    pub since: Option<String>,
    pub until: Option<String>,
    /// An entry type (checkin, episode, medication, survey) or an activity kind.
    pub kind: Option<String>,
    /// At most this many entries, newest first.
    #[param(minimum = 1, maximum = 100000)]
    pub limit: Option<u32>,
}

/// The most entries one list answers with.
const MAX_LIMIT: u32 = 100_000;

/// Resolves a list filter; shared with the History page.
pub(crate) async fn filter(a: &Acting, c: &Clock, q: &ListQuery) -> ApiResult<Filter> {
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
    if q.limit.is_some_and(|n| !(1..=MAX_LIMIT).contains(&n)) {
        p.push(hearth_core::ValidationError::invalid(
            "limit",
            format!("must be from 1 to {MAX_LIMIT}"),
        ));
    }
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
pub(crate) async fn list_entries(
    a: Acting,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let c = clock(&a).await?;
    let f = filter(&a, &c, &q).await?;
    Ok(Json(json!(a.store.list(a.user, &f).await?)))
}

#[utoipa::path(get, path = "/entries/{id}", params(("id" = String, Path)),
    responses((status = 200, description = "The entry"), (status = 404, description = "No such entry of yours", body = ErrorBody)))]
pub(crate) async fn get_entry(a: Acting, Path(id): Path<String>) -> ApiResult<Json<Value>> {
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
pub(crate) async fn delete_entry(a: Acting, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id = entry_id(&id)?;
    hearth_app::entries::delete(&*a.store, a.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// JSON merge patch over the stored entry; the result is validated whole.
#[utoipa::path(patch, path = "/entries/{id}", params(("id" = String, Path)),
    request_body(content = Object, description = "The fields to change; null clears one"),
    responses((status = 200, description = "The entry as now stored"), (status = 404, description = "No such entry of yours", body = ErrorBody), (status = 422, description = "Bad input: each bad field named; nothing written", body = ErrorBody)))]
pub(crate) async fn patch_entry(
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
