use serde::Serialize;
use thiserror::Error;

/// Why a value was refused. Every variant names the field so a form or a
/// command line can point at it, and says what would have been accepted.
#[derive(Debug, Clone, PartialEq, Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ValidationError {
    #[error("{field} must be a whole number from {min} to {max} (got {got})")]
    OutOfRange {
        field: String,
        min: i64,
        max: i64,
        got: String,
    },
    #[error("{field} must be one of: {} (got '{got}')", allowed.join(", "))]
    UnknownValue {
        field: String,
        got: String,
        allowed: Vec<String>,
    },
    #[error("{field} only applies to {applies_to} (this entry is {kind})")]
    NotApplicable {
        field: String,
        kind: String,
        applies_to: String,
    },
    #[error("{field} is required")]
    Missing { field: String },
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
}

impl ValidationError {
    pub fn field(&self) -> &str {
        match self {
            Self::OutOfRange { field, .. }
            | Self::UnknownValue { field, .. }
            | Self::NotApplicable { field, .. }
            | Self::Missing { field }
            | Self::Invalid { field, .. } => field,
        }
    }

    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    pub fn unknown(field: &str, got: &str, allowed: &[&str]) -> Self {
        Self::UnknownValue {
            field: field.to_string(),
            got: got.to_string(),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
        }
    }
}
