//! Errors as a person or a script should see them: JSON with every bad
//! field named for the API, a page for the web app.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_core::{Entry, EntryId, ValidationError};
use hearth_store::StoreError;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::render::problem_page;

/// An API error: a status and a JSON body naming each bad field.
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub problems: Vec<ValidationError>,
}

impl ApiError {
    pub fn invalid(problems: Vec<ValidationError>) -> ApiError {
        let message = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message,
            problems,
        }
    }

    pub fn not_found(id: &str) -> ApiError {
        ApiError::status(
            StatusCode::NOT_FOUND,
            format!("no entry with id {}", shorten_id(id)),
        )
    }

    pub fn status(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            problems: vec![],
        }
    }

    pub fn blocked(b: Blocked) -> ApiError {
        match b {
            Blocked::NoJournal => ApiError::status(
                StatusCode::CONFLICT,
                "there is no journal yet: open Hearth's start page in a browser to create one",
            ),
            Blocked::Locked => ApiError::status(
                StatusCode::UNAUTHORIZED,
                "the journal is locked: POST /api/v1/unlock with {\"passphrase\": …}, or unlock it in the browser",
            ),
            Blocked::Login => ApiError::status(
                StatusCode::UNAUTHORIZED,
                "sign in first: POST /api/v1/auth/login with {\"username\", \"password\"}",
            ),
            Blocked::Broken => ApiError::status(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the journal could not be opened; the server's log says why",
            ),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::invalid(vec![e])
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => ApiError::invalid(v),
            StoreError::NotFound(id) => ApiError::not_found(id.as_str()),
            // Never echo internals (or health data) back; the id-free message is enough.
            StoreError::Locked(_) => {
                ApiError::status(StatusCode::UNAUTHORIZED, "the journal is locked")
            }
            _ => ApiError::status(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the journal could not be read or written",
            ),
        }
    }
}

impl From<hearth_app::AppError> for ApiError {
    fn from(e: hearth_app::AppError) -> Self {
        use hearth_app::AppError;
        match e {
            AppError::Invalid(v) => ApiError::invalid(v),
            AppError::File(why) => ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, why),
            AppError::Unavailable(why) => ApiError::status(StatusCode::NOT_FOUND, why),
            AppError::Conflict(why) => ApiError::status(StatusCode::CONFLICT, why),
            AppError::Store(e) => e.into(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = match r {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            JsonRejection::JsonSyntaxError(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::status(status, r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.message,
                problems: self.problems,
            }),
        )
            .into_response()
    }
}

/// The error body: a sentence, and one entry per bad field.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub error: String,
    /// `{"field": …, "reason": …}` (or `allowed` for a closed list).
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<ValidationError>,
}

/// A created entry: its id, the entry as stored, and crisis resources when
/// it fired a trigger; a questionnaire adds its score.
#[derive(Serialize, ToSchema)]
pub(crate) struct Created {
    #[schema(value_type = String)]
    pub id: EntryId,
    #[schema(value_type = Object)]
    pub entry: Entry,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub resources: Option<Value>,
    /// Felt pressured, or sex with a new partner without protection: kind
    /// words and support lines (`{"message", "regions"}`), shown at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub support: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i32>,
    /// The score's band, or null for a questionnaire without bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub band: Option<Option<String>>,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// An id as echoed in a 404: the caller's own text, cut short so a long
/// path is not reflected back whole.
pub(crate) fn shorten_id(id: &str) -> String {
    id.chars().take(40).collect()
}

/// An error while handling a page, shown as a page.
pub(crate) struct PageError(pub(crate) Box<Response>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        let (title, status) = match e.status {
            StatusCode::NOT_FOUND => ("Nothing here", StatusCode::NOT_FOUND),
            StatusCode::UNPROCESSABLE_ENTITY => ("That could not be saved", e.status),
            s => ("Something went wrong", s),
        };
        PageError(Box::new(
            (status, problem_page(title, &e.message)).into_response(),
        ))
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ValidationError> for PageError {
    fn from(e: ValidationError) -> Self {
        ApiError::from(e).into()
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// Why a request cannot reach a journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    NoJournal,
    Locked,
    /// Server mode: nobody is signed in with this session.
    Login,
    Broken,
}
