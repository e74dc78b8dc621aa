//! Sensate focus: the programme (`hearth_core::sensate`), each partner's
//! own sessions, logged privately as closeness so insights and the report
//! count them, and (in the page's script) moving on to the next stage only
//! when both say they are ready, by the partner check-in's protocol.

use axum::extract::{Query, State};
use serde::Deserialize;

use crate::entries::today::episode_built;
use crate::error::PageResult;
use crate::extract::{Ctx, Form};
use crate::input::FormData;
use crate::render::{page_with, see};
use crate::state::AppState;
use crate::views;

#[derive(Deserialize, Default)]
pub(crate) struct SensateQuery {
    saved: Option<String>,
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    v: FormData,
    errors: Vec<hearth_core::ValidationError>,
    saved: bool,
) -> PageResult {
    let paired = s.accounts().is_some() && ctx.a.server.is_some();
    Ok(page_with(
        crate::render::form_status(&errors),
        &views::SensatePage {
            c: ctx.chrome("partner").with_errors(&errors),
            always: hearth_core::sensate::ALWAYS,
            stages: hearth_core::sensate::STAGES,
            v,
            saved,
            partner_mode: paired,
            key: ctx.a.user.0.to_string(),
        },
    ))
}

pub(crate) async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SensateQuery>,
) -> PageResult {
    show(&s, &ctx, FormData::default(), Vec::new(), q.saved.is_some()).await
}

/// A session, as an intimacy episode whose note begins with its stage.
pub(crate) async fn session_post(State(s): State<AppState>, ctx: Ctx, Form(f): Form) -> PageResult {
    let stage = f
        .num("stage")
        .filter(|n| (1..=hearth_core::sensate::STAGES.len() as i64).contains(n));
    let Some(stage) = stage else {
        let e = hearth_core::ValidationError::invalid("stage", "choose the stage of this session");
        return show(&s, &ctx, f, vec![e], false).await;
    };
    let mut episode = FormData::default();
    episode.set("kind", "intimacy");
    for field in ["minutes", "mood_before", "mood_after", "at"] {
        if let Some(v) = f.get(field) {
            episode.set(field, v);
        }
    }
    let noticed = f
        .get("noticed")
        .map(|n| format!(": {n}"))
        .unwrap_or_default();
    episode.set("note", format!("Sensate focus, stage {stage}{noticed}"));
    let built = episode_built(&ctx, &episode).await?;
    match ctx.save(built).await? {
        Ok(_) => Ok(see("/partner/sensate-focus?saved=1")),
        Err(errors) => show(&s, &ctx, f, errors, false).await,
    }
}
