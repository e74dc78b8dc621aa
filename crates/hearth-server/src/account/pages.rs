//! Accounts as pages: sign up, sign in, sign out, the account page.

use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_core::ValidationError;
use serde::Deserialize;

use crate::auth::Registration;
use crate::error::{ApiError, PageError};
use crate::extract::{Bare, Ctx, Form};
use crate::state::AppState;
use crate::views;

use super::common::*;

pub(crate) fn page_error(e: ApiError) -> PageError {
    e.into()
}

pub(crate) fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub(crate) async fn login_page(
    State(s): State<AppState>,
    bare: Bare,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    Ok(render(
        StatusCode::OK,
        &views::Login {
            c: bare.chrome(),
            username: String::new(),
            can_register: registration != Registration::Closed,
        },
    ))
}

pub(crate) async fn login_post(
    State(s): State<AppState>,
    parts: Parts,
    bare: Bare,
    Form(f): Form,
) -> Result<Response, PageError> {
    let headers = &parts.headers;
    let (_, registration) = server(&s).map_err(page_error)?;
    let username = f.get("username").unwrap_or_default().to_string();
    let password = f.secret("password");
    match do_login(&s, headers, peer(&parts), &username, &password).await {
        Ok(id) => {
            let session = s.shared().sessions.login(Some(&bare.0.token), id).await?;
            Ok(with_session(
                Redirect::to("/").into_response(),
                &s,
                headers,
                &session,
            ))
        }
        Err(r) => Ok(render(
            r.status(),
            &views::Login {
                c: views::Chrome {
                    errors: r.words(),
                    ..bare.chrome()
                },
                username,
                can_register: registration != Registration::Closed,
            },
        )),
    }
}

pub(crate) async fn register_page(
    State(s): State<AppState>,
    bare: Bare,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    Ok(render(
        StatusCode::OK,
        &views::Register {
            c: bare.chrome(),
            username: String::new(),
            invite: registration == Registration::Invite,
            closed: registration == Registration::Closed,
        },
    ))
}

pub(crate) async fn register_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    bare: Bare,
    Form(f): Form,
) -> Result<Response, PageError> {
    let (_, registration) = server(&s).map_err(page_error)?;
    let username = f.get("username").unwrap_or_default().to_string();
    let (password, again) = (f.secret("password"), f.secret("again"));
    let result = if *password != *again {
        Err(Refused::Invalid(vec![ValidationError::invalid(
            "password",
            "the two passwords were different",
        )]))
    } else {
        do_register(&s, &username, &password, f.get("invite")).await
    };
    match result {
        Ok(id) => {
            let session = s.shared().sessions.login(Some(&bare.0.token), id).await?;
            Ok(with_session(
                Redirect::to("/settings").into_response(),
                &s,
                &headers,
                &session,
            ))
        }
        Err(r) => Ok(render(
            r.status(),
            &views::Register {
                c: views::Chrome {
                    errors: r.words(),
                    ..bare.chrome()
                },
                username,
                invite: registration == Registration::Invite,
                closed: registration == Registration::Closed,
            },
        )),
    }
}

pub(crate) async fn logout_post(State(s): State<AppState>, bare: Bare) -> Response {
    s.shared().sessions.end(&bare.0.token).await;
    Redirect::to("/login").into_response()
}

pub(crate) async fn account_view(ctx: &Ctx, flash: Option<&str>, errors: Vec<String>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &views::AccountPage {
            c: views::Chrome {
                errors,
                ..ctx.chrome("settings")
            },
            username: ctx.a.account.clone().unwrap_or_default(),
            flash: flash.map(str::to_string),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Flash {
    changed: Option<String>,
}

pub(crate) async fn account_page(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<Flash>,
) -> Result<Response, PageError> {
    server(&s).map_err(page_error)?;
    Ok(account_view(
        &ctx,
        q.changed
            .as_ref()
            .map(|_| "Your password is changed. Other devices are signed out."),
        vec![],
    )
    .await)
}

pub(crate) async fn password_post(
    State(s): State<AppState>,
    headers: HeaderMap,
    ctx: Ctx,
    Form(f): Form,
) -> Result<Response, PageError> {
    let (current, new, again) = (f.secret("current"), f.secret("new"), f.secret("again"));
    if *new != *again {
        return Ok(account_view(
            &ctx,
            None,
            vec!["The two new passwords were different.".into()],
        )
        .await);
    }
    match change_password(&s, &ctx.a, &current, &new).await {
        Ok(()) => {
            s.shared().sessions.end_for(ctx.a.user).await?;
            let session = s.shared().sessions.login(None, ctx.a.user).await?;
            Ok(with_session(
                Redirect::to("/account?changed=1").into_response(),
                &s,
                &headers,
                &session,
            ))
        }
        Err(r) => Ok(account_view(&ctx, None, r.words()).await),
    }
}

pub(crate) async fn delete_post(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form,
) -> Result<Response, PageError> {
    let password = f.secret("password");
    if f.get("confirm") != Some(ctx.a.account.as_deref().unwrap_or_default()) {
        return Ok(account_view(
            &ctx,
            None,
            vec!["To delete, type your username exactly as shown.".into()],
        )
        .await);
    }
    match delete_account(&s, &ctx.a, &password).await {
        Ok(()) => Ok(crate::render::problem_response(
            StatusCode::OK,
            "Your account is deleted",
            "Every entry, setting and contact in it is gone from this server. Thank you for using Hearth.",
        )),
        Err(r) => Ok(account_view(&ctx, None, r.words()).await),
    }
}
