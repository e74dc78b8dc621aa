//! Crisis lines: always reachable, before a journal exists and while it is locked.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::{Bare, resources};
use crate::render::page;
use crate::state::{Acting, AppState};
use crate::views::{self, Chrome, Resources};

#[utoipa::path(get, path = "/help",
    responses((status = 200, description = "Crisis lines for the person's region, then international ones, and their own contacts")))]
pub(crate) async fn help(a: Acting) -> ApiResult<Json<Value>> {
    Ok(Json(resources(&a).await?))
}

#[derive(Deserialize, Default)]
pub(crate) struct HelpQuery {
    saved: Option<String>,
    /// Reached from "I'm not safe right now": the words speak to that.
    now: Option<String>,
}

/// Crisis lines: always reachable, even before a journal exists or while it is locked.
pub(crate) async fn help_page(
    State(s): State<AppState>,
    bare: Bare,
    Query(q): Query<HelpQuery>,
) -> Response {
    let acting = s.acting(Some(&bare.0.token)).await.ok();
    let (region, contacts, demo, passphrase) = match &acting {
        Some(a) => (
            a.settings().await.ok().map(|s| s.region),
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
        r: Resources::new(
            region.as_deref(),
            contacts,
            q.saved.is_some() || q.now.is_some(),
        ),
        saved: q.saved.is_some(),
        all_regions,
    })
}
