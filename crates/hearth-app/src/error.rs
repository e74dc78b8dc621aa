//! What can go wrong in a use-case, in variants a face can act on.

use hearth_core::ValidationError;
use hearth_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: every problem named, nothing written.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
    /// A file that cannot be imported; the message says where and why.
    #[error("{0}")]
    File(String),
    /// Something this mode of Hearth does not offer (share links without a server store).
    #[error("{0}")]
    Unavailable(&'static str),
    /// The request does not fit the state it meets (already paired, a
    /// mailbox place taken): nothing was written; look again and retry.
    #[error("{0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => AppError::Invalid(v),
            other => AppError::Store(other),
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl From<Vec<ValidationError>> for AppError {
    fn from(v: Vec<ValidationError>) -> Self {
        AppError::Invalid(v)
    }
}
