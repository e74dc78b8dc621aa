//! What Hearth knows: the things a person records, how they are checked, and
//! how times are read. Pure: no I/O and no clock; "now" is always passed in.

pub mod contact;
pub mod crisis;
pub mod demo;
pub mod error;
pub mod guides;
pub mod id;
pub mod instrument;
pub mod kind;
pub mod labels;
pub mod medication;
pub mod model;
pub mod patch;
pub mod prompt;
pub mod remind;
pub mod sensate;
pub mod settings;
pub mod vocab;
pub mod when;

pub use contact::{Contact, Question};
pub use error::ValidationError;
pub use kind::Kind;
pub use medication::Medication;
pub use model::{
    CheckIn, Entry, EntryBody, EntryId, Episode, MedicationEvent, Rating, SurveyResponse,
};
pub use prompt::{Prompt, PromptStatus};
pub use settings::Settings;
