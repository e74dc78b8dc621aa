//! Importing a file through the API: the request's shape around the one
//! import path in `hearth_app::import`, which the CLI and the Settings page
//! share.

use crate::extract::ApiQuery;
use axum::Json;
use axum::http::StatusCode;
use hearth_app::import::{Format, Summary};

use crate::error::{ApiError, ApiResult};
use crate::state::Acting;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// hearth (Hearth's JSON export), daylio or bearable (their CSV exports)
    pub format: String,
    /// Check the file and report what would happen, writing nothing
    #[serde(default)]
    pub dry_run: bool,
    /// Daylio only: numbers for your own mood labels, e.g. "tired=4,calm=6"
    pub mood_map: Option<String>,
}

/// Refuses to mix someone's real history into the made-up demo year.
pub fn not_in_demo(a: &Acting) -> Result<(), ApiError> {
    if a.demo {
        return Err(ApiError::status(
            StatusCode::CONFLICT,
            "this is the demo's made-up data: leave the demo to import into your own journal",
        ));
    }
    Ok(())
}

/// Brings in a file's contents (the request body, as text), all or nothing;
/// importing the same file twice adds nothing. The answer is the summary
/// `hearth import --json` prints.
#[utoipa::path(
    post,
    path = "/account/import",
    params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "The file's contents: Hearth JSON, or Daylio or Bearable CSV"),
    responses(
        (status = 200, description = "What was imported (or, on a dry run, would be)", body = hearth_app::import::Summary),
        (status = 422, description = "The file cannot be imported; the message names the line and why. Nothing was written.", body = crate::error::ErrorBody)
    )
)]
pub async fn import_api(
    a: Acting,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Summary>> {
    not_in_demo(&a)?;
    let format = Format::parse(&q.format)
        .map_err(|e| ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, e))?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the file is not UTF-8 text; export it again from the app it came from",
        )
    })?;
    let clock = crate::extract::clock(&a).await?;
    let summary = hearth_app::import::run(
        &*a.store,
        a.user,
        &clock,
        text,
        format,
        q.mood_map.as_deref().filter(|m| !m.trim().is_empty()),
        q.dry_run,
        &|_, _| {},
    )
    .await?;
    Ok(Json(summary))
}
