//! Secrets handed to people — share-link addresses, invitation codes — and
//! the hashes kept in their place.

use rand::Rng;
use sha2::{Digest, Sha256};

/// A 256-bit secret for a link, and the hash to store in its place.
pub fn new_secret() -> (String, String) {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    let secret = hex::encode(b);
    let hash = secret_hash(&secret);
    (secret, hash)
}

/// A new invitation code to hand to someone, and the hash to store.
pub fn new_invite() -> (String, String) {
    let mut b = [0u8; 12];
    rand::rng().fill_bytes(&mut b);
    let code = hex::encode(b);
    let hash = secret_hash(&code);
    (code, hash)
}

/// SHA-256 of a high-entropy secret (no salt or stretching needed at 96+ bits).
/// Case and surrounding spaces do not matter, so a code read aloud still works.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().to_lowercase().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_only_their_hash_matches() {
        let (a, ha) = new_secret();
        let (b, _) = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(secret_hash(&a), ha);
        assert_eq!(secret_hash(&format!(" {} ", a.to_uppercase())), ha);
        assert_ne!(ha, a);
        let (code, hc) = new_invite();
        assert_eq!(code.len(), 24);
        assert_eq!(secret_hash(&code), hc);
    }
}
