//! Insights: the API's numbers and the page with its charts.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult, PageResult};
use crate::extract::{ApiQuery, Ctx, clock};
use crate::input::{self};
use crate::render::page;
use crate::report::report_for;
use crate::state::{Acting, AppState};
use crate::views::{self};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct InsightsQuery {
    /// Only entries from this time on.
    pub since: Option<String>,
}

#[utoipa::path(get, path = "/insights", params(InsightsQuery),
    responses((status = 200, description = "Every insight with n, effect and 95% interval, as `hearth --json insights`")))]
pub(crate) async fn insights(
    a: Acting,
    ApiQuery(q): ApiQuery<InsightsQuery>,
) -> ApiResult<Json<Value>> {
    let c = clock(&a).await?;
    let mut p = Vec::new();
    let since = input::time("since", &q.since, &c, &mut p);
    if !p.is_empty() {
        return Err(ApiError::invalid(p));
    }
    let insights = hearth_app::insights::of_journal(&*a.store, a.user, &c, since).await?;
    Ok(Json(json!(insights)))
}

#[derive(Deserialize, Default)]
pub(crate) struct InsightsPageQuery {
    since: Option<String>,
}

pub(crate) async fn insights_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<InsightsPageQuery>,
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
    let (items, later) = crate::insight_views::build(&result, &report, ctx.tz());
    Ok(page(&views::Insights {
        c: ctx.chrome("insights").with_errors(&p),
        basis: match (since, n) {
            (Some(d), 0) => format!("nothing yet: no entries since {d}"),
            (Some(d), 1) => format!("one entry since {d}"),
            (Some(d), n) => format!("{n} entries since {d}"),
            (None, 0) => "nothing yet: your journal is empty".into(),
            (None, 1) => "the one entry in your journal".into(),
            (None, n) => format!("all {n} entries in your journal"),
        },
        since: since.map(|d| d.to_string()).unwrap_or_default(),
        mood: report.mood.clone(),
        items,
        later: later.join(", "),
    }))
}
