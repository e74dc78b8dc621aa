//! What a person can do with a Hearth journal: record and edit entries, take
//! questionnaires, import and export, make a report, share it, keep their
//! settings. The CLI and the server are faces over these use-cases; each rule
//! lives here once. Knows no HTTP and no terminal, and reads no clock: "now"
//! arrives in a [`Clock`].

pub mod backup;
pub mod beside;
pub mod clock;
pub mod entries;
pub mod error;
pub mod export;
pub mod import;
pub mod insights;
pub mod journal;
pub mod partner;
pub mod prompts;
pub mod report;
pub mod secrets;
pub mod shares;
pub mod surveys;
pub mod today;
pub mod typeset;

pub use clock::Clock;
pub use error::AppError;
