//! Settings → "Bring in your history": upload a file, see what it would add,
//! then import it. The checked file waits (this browser's session only, half
//! an hour at most) so the person need not choose it twice.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;

use crate::error::PageResult;
use crate::extract::Ctx;
use crate::import::pending::Pending;
use crate::render::{page, page_with};
use crate::state::AppState;
use crate::views::ImportPage;
use hearth_app::AppError;
use hearth_app::import::{self, Format, MAX_BYTES, Summary};

pub(crate) fn view(ctx: &Ctx) -> ImportPage {
    ImportPage {
        c: ctx.chrome("settings"),
        summary: None,
        lines: Vec::new(),
        pending: None,
        format: "daylio".into(),
        mood_map: String::new(),
    }
}

pub(crate) async fn form(ctx: Ctx) -> PageResult {
    Ok(page(&view(&ctx)))
}

pub(crate) fn refused(ctx: &Ctx, why: String, format: &str, mood_map: &str) -> PageResult {
    let mut v = view(ctx);
    v.c.errors.push(why);
    v.format = format.to_string();
    v.mood_map = mood_map.to_string();
    Ok(page_with(StatusCode::UNPROCESSABLE_ENTITY, &v))
}

pub(crate) fn summary_view(ctx: &Ctx, s: Summary, pending: Option<String>) -> ImportPage {
    let mut v = view(ctx);
    v.lines = s.lines();
    v.format = s.format.clone();
    v.summary = Some(s);
    v.pending = pending;
    v
}

/// Reads the upload and checks it with a dry run; nothing is written.
pub(crate) async fn check(State(s): State<AppState>, ctx: Ctx, mut form: Multipart) -> PageResult {
    let (mut format, mut mood_map, mut file) = (String::new(), String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return refused(&ctx, upload_error(&e), &format, &mood_map),
        };
        let name = field.name().unwrap_or_default().to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return refused(&ctx, upload_error(&e), &format, &mood_map),
        };
        match name.as_str() {
            "format" => format = String::from_utf8_lossy(&bytes).into_owned(),
            "mood_map" => mood_map = String::from_utf8_lossy(&bytes).trim().to_string(),
            "file" => file = Some(bytes),
            _ => {}
        }
    }
    if let Err(why) = crate::import::api::not_in_demo(&ctx.a) {
        return refused(
            &ctx,
            format!("{}.", capitalised(&why.message)),
            &format,
            &mood_map,
        );
    }
    let fmt = match Format::parse(&format) {
        Ok(f) => f,
        Err(why) => return refused(&ctx, why, &format, &mood_map),
    };
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return refused(&ctx, "Choose a file first.".into(), &format, &mood_map);
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return refused(
            &ctx,
            "The file is not text (UTF-8). Export it again from the app it came from.".into(),
            &format,
            &mood_map,
        );
    };
    let map = Some(mood_map.as_str()).filter(|m| !m.is_empty() && fmt == Format::Daylio);
    match import::run(
        &*ctx.a.store,
        ctx.a.user,
        &ctx.clock,
        &text,
        fmt,
        map,
        true,
        &|_, _| {},
    )
    .await
    {
        Ok(summary) => {
            if summary.added == 0 {
                return Ok(page(&summary_view(&ctx, summary, None)));
            }
            let waiting = s
                .shared()
                .imports
                .put(Pending {
                    session: ctx.session_token().to_string(),
                    user: ctx.a.user,
                    format: fmt,
                    mood_map: map.map(str::to_string),
                    text,
                    made: jiff::Timestamp::now(),
                })
                .await?;
            match waiting {
                Some(id) => Ok(page(&summary_view(&ctx, summary, Some(id)))),
                None => refused(
                    &ctx,
                    "Hearth is holding several checked files for other people right now. Nothing was imported; choose the file again in a few minutes.".into(),
                    &format,
                    &mood_map,
                ),
            }
        }
        Err(e) => failed(&ctx, e, &format, &mood_map),
    }
}

/// A file the journal refused (an id already there with other content, say)
/// is the person's to fix, so it gets the form back, not an error page.
pub(crate) fn failed(ctx: &Ctx, e: AppError, format: &str, mood_map: &str) -> PageResult {
    match e {
        AppError::File(why) => refused(ctx, format!("{}.", capitalised(&why)), format, mood_map),
        AppError::Invalid(v) => {
            let why = v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            refused(
                ctx,
                format!("{}; nothing was imported.", capitalised(&why)),
                format,
                mood_map,
            )
        }
        e => Err(crate::error::ApiError::from(e).into()),
    }
}

/// Imports the file checked a moment ago.
pub(crate) async fn confirm(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let Some(p) = s
        .shared()
        .imports
        .take(&id, ctx.session_token(), ctx.a.user)
        .await?
    else {
        return refused(
            &ctx,
            "That checked file is no longer waiting (it was imported already, or half an hour passed). Choose it again below.".into(),
            "daylio",
            "",
        );
    };
    match import::run(
        &*ctx.a.store,
        ctx.a.user,
        &ctx.clock,
        &p.text,
        p.format,
        p.mood_map.as_deref(),
        false,
        &|_, _| {},
    )
    .await
    {
        Ok(summary) => Ok(page(&summary_view(&ctx, summary, None))),
        Err(e) => failed(&ctx, e, p.format.as_str(), ""),
    }
}

pub(crate) fn upload_error(e: &axum::extract::multipart::MultipartError) -> String {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        format!("The file is larger than {} MB.", MAX_BYTES / (1024 * 1024))
    } else {
        "The upload did not arrive whole. Try again.".to_string()
    }
}

pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
