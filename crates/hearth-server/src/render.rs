//! Drawing answers: pages from templates, the error page, redirects and the
//! static files.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::views::{self, Chrome};

pub(crate) async fn css() -> Response {
    static_file(
        "text/css; charset=utf-8",
        include_str!("../static/hearth.css"),
    )
}

pub(crate) async fn js() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../static/hearth.js"),
    )
}

pub(crate) fn static_file(kind: &'static str, body: &'static str) -> Response {
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

pub(crate) fn problem_response(status: StatusCode, title: &str, text: &str) -> Response {
    (status, problem_page(title, text)).into_response()
}

pub(crate) fn problem_page(title: &str, text: &str) -> Html<String> {
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

pub(crate) fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}
