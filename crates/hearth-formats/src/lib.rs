//! How Hearth talks to other tools. Pure: text in, values out, and back.

pub mod backup;
pub mod bearable;
pub mod charts;
pub mod csv_export;
pub mod daylio;
pub mod fhir;
pub mod hearth_json;
pub mod ics;
pub mod import;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod report;
pub mod tables;
pub mod text;

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The input could not be read; the message says where and why.
    #[error("{0}")]
    Invalid(String),
    #[error("could not write: {0}")]
    Io(#[from] std::io::Error),
}
