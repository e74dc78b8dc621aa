//! What is waiting for a person: prompts after episodes and questionnaires
//! due, over the API and answered in one tap from the Today page.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use hearth_core::{EntryBody, Rating, ValidationError, labels};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult, ErrorBody, PageResult};
use crate::extract::{ApiQuery, Ctx, Form, clock, entry_id};
use crate::render::see;
use crate::state::{Acting, AppState};
use crate::views;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct DueQuery {
    /// A person is looking at the list now: prompts in it are marked as
    /// first shown (once). Leave it out when a script only checks.
    pub seen: Option<bool>,
}

#[utoipa::path(get, path = "/due", params(DueQuery),
    responses((status = 200, description = "What is waiting now, oldest first: `prompts` (each with the episode it asks about) and due `surveys`")))]
pub(crate) async fn due_api(
    State(s): State<AppState>,
    a: Acting,
    ApiQuery(q): ApiQuery<DueQuery>,
) -> ApiResult<Json<Value>> {
    let c = clock(&a).await?;
    let due = hearth_app::prompts::due(
        &*a.store,
        a.user,
        &c,
        &s.shared().registry,
        q.seen.unwrap_or(false),
    )
    .await?;
    Ok(Json(json!(due)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerIn {
    /// 0 (very low) to 10 (very good).
    pub rating: Option<i64>,
    /// Put the prompt aside instead: it is never asked again.
    #[serde(default)]
    pub dismiss: bool,
}

#[utoipa::path(post, path = "/prompts/{id}", request_body = AnswerIn,
    responses((status = 200, description = "Answered (the prompt, and the episode with the rating in it) or put aside (the prompt)"),
              (status = 404, description = "No such prompt of this person's", body = ErrorBody),
              (status = 422, description = "No rating, a rating outside 0–10, or a prompt already answered or not open yet", body = ErrorBody)))]
pub(crate) async fn answer_api(
    a: Acting,
    Path(id): Path<String>,
    body: Result<Json<AnswerIn>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let Json(b) = body?;
    let id = entry_id(&id)?;
    let c = clock(&a).await?;
    if b.dismiss {
        if b.rating.is_some() {
            return Err(
                ValidationError::invalid("dismiss", "give a rating or dismiss, not both").into(),
            );
        }
        let p = hearth_app::prompts::dismiss(&*a.store, a.user, &c, &id).await?;
        return Ok(Json(json!({ "prompt": p })));
    }
    let Some(r) = b.rating else {
        return Err(ValidationError::invalid("rating", "give a rating from 0 to 10").into());
    };
    let rating = Rating::new("rating", r)?;
    let (p, entry) = hearth_app::prompts::answer(&*a.store, a.user, &c, &id, rating).await?;
    Ok(Json(json!({ "prompt": p, "entry": entry })))
}

/// The Today page's "Waiting for you": each prompt with its question, what
/// it asks about, and until when.
pub(crate) async fn waiting(
    s: &AppState,
    ctx: &Ctx,
) -> Result<(Vec<views::PromptView>, Vec<hearth_core::settings::Due>), crate::error::PageError> {
    let due = hearth_app::prompts::due(
        &*ctx.a.store,
        ctx.a.user,
        &ctx.clock,
        &s.shared().registry,
        true,
    )
    .await?;
    let tz = ctx.tz().clone();
    let settings = ctx.settings();
    let local = |t| views::local_time(t, &tz);
    let prompts = due
        .prompts
        .iter()
        .map(|w| {
            let private =
                matches!(&w.entry.body, EntryBody::Episode(ep) if settings.keeps_private(&ep.kind));
            views::PromptView {
                id: w.prompt.id.to_string(),
                question: labels::prompt_question(w.prompt.kind).to_string(),
                about: hearth_formats::text::prompt_about(&w.entry, private, &local),
                until: local(w.prompt.closes_at),
            }
        })
        .collect();
    Ok((prompts, due.surveys))
}

/// One tap from the Today page: a rating, or "skip".
pub(crate) async fn answer_post(ctx: Ctx, Path(id): Path<String>, Form(f): Form) -> PageResult {
    let id = entry_id(&id)?;
    let store = &*ctx.a.store;
    let skip = f.get("dismiss").is_some();
    let done = if skip {
        hearth_app::prompts::dismiss(store, ctx.a.user, &ctx.clock, &id)
            .await
            .map(drop)
    } else {
        let rating = Rating::parse("rating", f.get("rating").unwrap_or_default())?;
        hearth_app::prompts::answer(store, ctx.a.user, &ctx.clock, &id, rating)
            .await
            .map(drop)
    };
    match done {
        Ok(()) if skip => Ok(see("/")),
        Ok(()) => Ok(see("/?answered=1")),
        // A second tap on a prompt already answered: it is no longer waiting.
        Err(hearth_app::AppError::Invalid(_)) => Ok(see("/")),
        Err(e) => Err(ApiError::from(e).into()),
    }
}
