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

/// The Partner page's script: the partner protocol (built from
/// `web/partner`, checked against the Rust crate's vectors) and its client.
pub(crate) async fn partner_js() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../static/partner.js"),
    )
}

/// The installable web app's manifest and icons: opened from a phone's home
/// screen, Hearth starts on Today, with what is waiting at the top.
pub(crate) async fn manifest() -> Response {
    static_file(
        "application/manifest+json",
        include_str!("../static/manifest.webmanifest"),
    )
}

pub(crate) async fn icon_svg() -> Response {
    static_file("image/svg+xml", include_str!("../static/icon.svg"))
}

pub(crate) async fn icon_192() -> Response {
    static_file(
        "image/png",
        include_bytes!("../static/icon-192.png").as_slice(),
    )
}

pub(crate) async fn icon_512() -> Response {
    static_file(
        "image/png",
        include_bytes!("../static/icon-512.png").as_slice(),
    )
}

pub(crate) fn static_file(kind: &'static str, body: impl IntoResponse) -> Response {
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

/// A form page's status: 422 when it comes back with problems to fix.
pub(crate) fn form_status(errors: &[hearth_core::ValidationError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
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

#[cfg(test)]
mod tests {
    /// The colours one `:root` block of the stylesheet names.
    fn palette(block: &str) -> std::collections::HashMap<String, String> {
        let mut plain = String::new();
        let mut rest = block;
        while let Some(at) = rest.find("/*") {
            plain.push_str(&rest[..at]);
            rest = rest[at..]
                .find("*/")
                .map_or("", |end| &rest[at + end + 2..]);
        }
        plain.push_str(rest);
        plain
            .split(';')
            .filter_map(|d| {
                let (name, value) = d.trim().split_once(':')?;
                let value = value.trim();
                (name.starts_with("--") && value.starts_with('#') && value.len() == 7)
                    .then(|| (name[2..].to_string(), value.to_string()))
            })
            .collect()
    }

    fn luminance(hex: &str) -> f64 {
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// WCAG 2.2 AA, in light and in dark: text 4.5:1 against what it sits
    /// on, control edges and the focus ring 3:1.
    #[test]
    fn text_and_controls_keep_their_contrast_in_light_and_dark() {
        let css = include_str!("../static/hearth.css");
        let light = palette(&css[..css.find('}').unwrap()]);
        let dark_block = &css[css.find("prefers-color-scheme: dark").unwrap()..];
        let dark_block = &dark_block[dark_block.find(":root {").unwrap() + 7..];
        let mut dark = light.clone();
        dark.extend(palette(&dark_block[..dark_block.find('}').unwrap()]));
        assert!(dark["ink"] != light["ink"], "the dark palette was read");
        let text = [
            ("ink", "bg"),
            ("ink", "card"),
            ("soft", "bg"),
            ("soft", "card"),
            ("accent", "card"),
            ("accent", "field"),
            ("accent", "chosen-soft"),
            ("accent", "chosen"),
            ("accent-ink", "accent"),
            ("warm", "notice"),
            ("alert", "crisis-bg"),
            ("alert", "field"),
            ("ink", "warn-bg"),
            ("ink", "ok-bg"),
            ("ok", "card"),
        ];
        let controls = [
            ("edge", "field"),
            ("edge", "card"),
            ("focus", "bg"),
            ("focus", "card"),
        ];
        for (scheme, p) in [("light", &light), ("dark", &dark)] {
            for (pairs, least) in [(&text[..], 4.5), (&controls[..], 3.0)] {
                for (fg, bg) in pairs {
                    let r = contrast(&p[*fg], &p[*bg]);
                    assert!(
                        r >= least,
                        "{scheme}: --{fg} on --{bg} is {r:.2}:1 (at least {least}:1)"
                    );
                }
            }
        }
    }
}
