//! Partner mode's cryptography, pure: no I/O, no clock, no randomness of its
//! own (callers pass fresh random seeds, which is also what lets the Rust and
//! the browser's JavaScript share test vectors; see `vectors.json`).
//!
//! - [`pairing`]: a short code said in person becomes a 32-byte pairing
//!   secret on both devices, through a server that cannot guess it offline.
//! - [`checkin`]: the daily closeness check-in, a private set intersection
//!   whose result is the same on both sides and is all either side learns.
//! - [`seal`]: the fixed-size sealed blobs the server keeps in a mailbox.
//!
//! The construction and its limits are written up in `docs/security.md`
//! ("Partner mode"); it has had no independent review.

pub mod checkin;
pub mod group;
pub mod pairing;
pub mod proof;
pub mod seal;

/// Domain tags: one per use, so no hash in one part can stand in for another.
pub mod dst {
    pub const SLOT: &[u8] = b"hearth-partner-v1 slot";
    pub const ABSENT: &[u8] = b"hearth-partner-v1 absent";
    pub const CHALLENGE: &[u8] = b"hearth-partner-v1 challenge";
    pub const NONCE: &[u8] = b"hearth-partner-v1 nonce";
    pub const DAY_SECRET: &[u8] = b"hearth-partner-v1 day secret";
    pub const PAKE: &[u8] = b"hearth-partner-v1 pake";
    pub const ISK: &[u8] = b"hearth-partner-v1 isk";
    pub const HKDF_SALT: &[u8] = b"hearth-partner-v1";
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the partner's message is malformed: {0}")]
    Malformed(&'static str),
    #[error("the partner's message does not prove it was made honestly")]
    BadProof,
    #[error("this message was not sealed with this pairing's key")]
    NotOurs,
    #[error("an invitation code is ten letters and digits, like K7QM4 RXT9P")]
    Code,
    #[error("the code did not match: ask your partner for a new invitation and type it again")]
    CodeMismatch,
}

#[cfg(test)]
mod tests;

/// Whether 32 bytes are a group element an honest device could send: how
/// the server checks a pairing share without learning anything from it.
pub fn is_valid_point(bytes: &[u8]) -> bool {
    group::read_point(bytes).is_ok()
}
