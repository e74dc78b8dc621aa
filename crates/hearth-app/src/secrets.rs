//! Secrets handed to people — share-link addresses, invitation codes — and
//! the hashes kept in their place.

use hearth_core::ValidationError;
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

/// A value bound to `message` that only a holder of `secret` can make:
/// SHA-256 over the 32-byte secret, a label and the message. Callers pass
/// fixed-length messages (tokens), so no other valid message extends one.
pub fn derive(secret: &[u8; 32], label: &str, message: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret);
    h.update(label.as_bytes());
    h.update(b"\0");
    h.update(message.as_bytes());
    hex::encode(h.finalize())
}

/// Refuses a password or passphrase that is quick to guess: a common
/// password, a keyboard pattern, a repeated character, a date, or one built
/// from what the person told Hearth (`known`: their username). Estimated
/// with zxcvbn; at least 10^8 guesses are required, a hashed secret's
/// protection against someone who copies the file.
pub fn check_guessable(field: &str, secret: &str, known: &[&str]) -> Result<(), ValidationError> {
    let estimate = zxcvbn::zxcvbn(secret, known);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let feedback = estimate.feedback();
    let warning = feedback.and_then(|f| f.warning()).map(|w| w.to_string());
    let mut message = match warning {
        Some(w) => format!("is too easy to guess: {}{}", w[..1].to_lowercase(), &w[1..]),
        None => "is too easy to guess.".to_string(),
    };
    if !message.ends_with('.') {
        message.push('.');
    }
    let hints: Vec<String> = feedback
        .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    if hints.is_empty() {
        message.push_str(" Try a few unrelated words together.");
    }
    for h in hints {
        message.push(' ');
        message.push_str(&h);
    }
    Err(ValidationError::invalid(field, message))
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

    #[test]
    fn common_patterned_and_personal_secrets_are_refused() {
        for weak in [
            "password12",
            "          ",
            "qwertyuiop",
            "1234567890",
            "aaaaaaaaaaaa",
            "robin.smith1",
        ] {
            let e = check_guessable("password", weak, &["robin.smith"]).unwrap_err();
            assert!(e.to_string().contains("too easy to guess"), "{weak}: {e}");
        }
        for strong in [
            "a good long password",
            "a long passphrase",
            "another long password",
            "copper kettle rain",
        ] {
            assert!(
                check_guessable("password", strong, &["robin"]).is_ok(),
                "{strong}"
            );
        }
    }
}
