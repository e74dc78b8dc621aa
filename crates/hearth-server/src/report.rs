//! The clinician report for a period, and the journal's downloads.

use axum::extract::{Query, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use hearth_app::Clock;
use hearth_core::ValidationError;
use hearth_core::vocab::ReportSection;
use serde::Deserialize;

use crate::error::{ApiError, PageError, PageResult};
use crate::extract::Ctx;
use crate::state::{Acting, AppState};

/// The report's own policy: inline styles, nothing else, never framed.
pub(crate) const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The report's view of a period: its charts are the ones the pages show.
pub(crate) async fn report_for(
    s: &AppState,
    ctx: &Ctx,
    from: Option<jiff::civil::Date>,
) -> Result<hearth_app::report::Built, PageError> {
    report_data(s, &ctx.a, &ctx.clock, (from, None), &[]).await
}

/// The report's view of a period, as the pages show it.
pub(crate) async fn report_data(
    s: &AppState,
    a: &Acting,
    clock: &Clock,
    period: (Option<jiff::civil::Date>, Option<jiff::civil::Date>),
    leave_out: &[ReportSection],
) -> Result<hearth_app::report::Built, PageError> {
    Ok(hearth_app::report::build(
        &*a.store,
        a.user,
        &s.shared().registry,
        clock,
        period,
        leave_out,
    )
    .await?)
}

pub(crate) async fn export_json(ctx: Ctx) -> PageResult {
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
pub(crate) fn download(
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
pub(crate) async fn export_csv(ctx: Ctx) -> PageResult {
    let (entries, prompts) =
        hearth_app::export::entries_and_prompts(&*ctx.a.store, ctx.a.user).await?;
    let fail = |e: hearth_formats::FormatError| {
        ApiError::from(ValidationError::invalid("export", e.to_string()))
    };
    let files =
        hearth_formats::csv_export::export(&entries, &prompts, ctx.clock.now).map_err(fail)?;
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
pub(crate) struct ReportQuery {
    /// `pdf` for a download; the page otherwise.
    format: Option<String>,
}

/// The clinician report for the last 12 weeks, as its own page or a PDF. The
/// page carries its styles inline so it prints and saves as one file; this
/// route alone allows inline styles, and still no script.
pub(crate) async fn report(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    // `leave_out` repeats, one per checkbox, which a plain Query cannot read.
    let chosen = crate::input::FormData::parse(raw.unwrap_or_default().as_bytes())
        .map(|f| f.all("leave_out"))
        .unwrap_or_default();
    let leave_out = hearth_app::report::leave_out(&chosen).map_err(ApiError::from)?;
    let period =
        hearth_app::report::period(None, None, ctx.clock.today()).map_err(ApiError::from)?;
    let report = report_data(
        &s,
        &ctx.a,
        &ctx.clock,
        (Some(period.0), Some(period.1)),
        &leave_out,
    )
    .await?
    .report;
    if q.format.as_deref() == Some("pdf") {
        let bytes = tokio::task::spawn_blocking(move || hearth_app::typeset::pdf(&report))
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
            HeaderValue::from_static(REPORT_CSP),
        )],
        Html(report.to_html()),
    )
        .into_response())
}
