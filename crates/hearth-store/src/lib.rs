//! Where Hearth keeps what people record: one `Store` trait, implemented by an
//! encrypted embedded SQLite store (the default) and, in server mode, by
//! PostgreSQL. Every method takes the acting user; there is no way to ask for
//! rows without saying whose.

mod accounts;
mod cipher;
mod columns;
mod error;
mod group_commit;
pub mod keys;
mod lite;
mod partners;
mod pg_pool;
pub mod postgres;
mod prompts;
pub mod protect;
mod server;
mod sessions;
mod shared;
mod shares;
mod signed_cache;
mod sql;
mod sql_restore;
mod sql_rows;
pub mod sqlite;
mod sqlite_bulk;
mod sqlite_open;
mod store;

pub use error::{Result, StoreError};
pub use postgres::PgStore;
pub use server::{
    Account, Accounts, Pair, PartnerInvite, PartnerMessage, Partners, PendingImport, ServerStore,
    Sessions, ShareLink, ShareScope, ShareView, Shares, SignedIn, USER_TABLES,
};
pub use sqlite::SqliteStore;
pub use store::{
    CrisisEvent, Filter, LOCAL_USER, NewEntry, Only, Prompts, Restore, Restored, Store, UserId,
};
