//! Entries: recording, reading, changing and deleting them, by API and page.

pub(crate) mod api;
pub(crate) mod history;
pub(crate) mod today;
