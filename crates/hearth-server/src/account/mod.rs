//! Server mode's accounts, as JSON under `/api/v1/auth` and `/api/v1/account`
//! and as pages: sign up (open, by invitation, or closed), sign in with a
//! back-off on failures, sign out, change password, export, and delete for
//! good.

pub(crate) mod api;
pub(crate) mod common;
pub(crate) mod pages;
