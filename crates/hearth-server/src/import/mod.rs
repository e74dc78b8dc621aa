//! Bringing a file in: through the API, or the Settings page's check-then-import.

pub(crate) mod api;
pub(crate) mod page;
pub(crate) mod pending;
