//! The conversation guides (`hearth_core::guides`): a list and one page
//! each, printable.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::extract::Ctx;
use crate::render::page;
use crate::views;

pub(crate) async fn list(ctx: Ctx) -> Response {
    page(&views::GuideList {
        c: ctx.chrome("insights"),
        guides: hearth_core::guides::ALL.to_vec(),
    })
}

pub(crate) async fn one(ctx: Ctx, Path(slug): Path<String>) -> Response {
    match hearth_core::guides::by_slug(&slug) {
        Some(g) => page(&views::GuidePage {
            c: ctx.chrome("insights"),
            g,
        }),
        None => (StatusCode::NOT_FOUND, "There is no such guide.").into_response(),
    }
}

/// The (address, title) of the guides an insight links to.
pub(crate) fn links(from: hearth_core::guides::LinkedFrom) -> Vec<(String, &'static str)> {
    hearth_core::guides::linked(from)
        .iter()
        .map(|g| (format!("/guides/{}", g.slug), g.title))
        .collect()
}
