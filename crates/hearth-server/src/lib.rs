//! Hearth's web app and its JSON API under `/api/v1`. Thin: handlers parse,
//! call `hearth_app`, and answer. Every request acts for one person; in
//! local mode that is the journal's only user. `docs/architecture.md` maps
//! the modules: shared leaves (state, error, extract, render, input, views,
//! session), one module per feature, and `routes`, which knows them all.

mod account;
pub mod auth;
mod calendar;
mod entries;
mod entry_views;
mod error;
mod extract;
mod guard;
mod guides;
mod help;
mod help_views;
mod import;
pub mod input;
mod insight_views;
mod insights;
pub mod launch;
pub mod listen;
pub mod local;
mod medications;
pub mod openapi;
mod partner;
mod prompts;
mod render;
mod report;
mod routes;
mod self_wake;
mod sensate;
pub mod session;
mod settings;
mod shares;
mod state;
mod surveys;
mod views;
mod welcome;

pub use error::ApiError;
pub use error::Blocked;
pub use local::{Local, Profile};
pub use routes::{loopback_hosts, named_hosts, router};
pub use state::{Access, Acting, AppState, BODY_LIMIT, CONTENT_SECURITY_POLICY, Shared};
