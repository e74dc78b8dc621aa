//! What can go wrong in a store, in variants a caller can act on.

use std::path::PathBuf;

use hearth_core::{EntryId, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The key was wrong or missing; nothing was read or written.
    #[error("the store could not be unlocked: {0}")]
    Locked(String),
    #[error("there is no Hearth store in {0}")]
    NoStore(PathBuf),
    #[error("there is already a Hearth store in {0}")]
    AlreadyExists(PathBuf),
    #[error("no entry with id {0}")]
    NotFound(EntryId),
    /// The request was refused; every problem is listed and nothing was written.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ValidationError>),
    #[error("the store's files could not be read or written: {0}")]
    Io(#[from] std::io::Error),
    #[error("the store's metadata is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the embedded store's bulk reads and writes (see `sqlite_bulk`).
    #[error("database error: {0}")]
    Embedded(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<ValidationError> for StoreError {
    fn from(e: ValidationError) -> Self {
        StoreError::Invalid(vec![e])
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
