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

/// What zxcvbn makes of a secret, reduced to what Hearth says about it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// At least 10^8 guesses needed (zxcvbn's score 3 or more).
    pub strong: bool,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

/// zxcvbn's estimate, worked out in this process.
pub fn estimate(secret: &str, known: &[&str]) -> Estimate {
    let estimate = zxcvbn::zxcvbn(secret, known);
    let feedback = estimate.feedback();
    Estimate {
        strong: estimate.score() >= zxcvbn::Score::Three,
        warning: feedback.and_then(|f| f.warning()).map(|w| w.to_string()),
        suggestions: feedback
            .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
    }
}

/// How this program estimates: `estimate` here, once `estimate_here` has
/// been called (the web server does), or else `hearth-serve` from beside
/// it (`estimate_beside`). zxcvbn and the Unicode tables of its regular
/// expressions were two fifths of the data `hearth` relocated at every start, for
/// a check made only when a passphrase is chosen; so `hearth` leaves them
/// to its helper, and its own code never names `estimate`.
static HERE: std::sync::OnceLock<fn(&str, &[&str]) -> Estimate> = std::sync::OnceLock::new();

/// Makes `check_guessable` estimate in this process.
pub fn estimate_here() {
    let _ = HERE.set(estimate);
}

/// The argument that makes `hearth-serve` answer one estimate: the secret
/// and the known words as JSON on its stdin, the `Estimate` on its stdout.
pub const ESTIMATE_FLAG: &str = "--estimate-guesses";

#[derive(serde::Serialize, serde::Deserialize)]
struct EstimateRequest {
    secret: String,
    known: Vec<String>,
}

/// Answers `ESTIMATE_FLAG` in the helper: reads the request on stdin.
pub fn answer_estimate() -> Result<(), String> {
    use zeroize::Zeroize;
    let mut request: EstimateRequest = serde_json::from_reader(std::io::stdin().lock())
        .map_err(|e| format!("the request could not be read: {e}"))?;
    let known: Vec<&str> = request.known.iter().map(String::as_str).collect();
    let answer = estimate(&request.secret, &known);
    request.secret.zeroize();
    serde_json::to_writer(std::io::stdout().lock(), &answer)
        .map_err(|e| format!("the answer could not be written: {e}"))
}

/// The estimate of `hearth-serve` beside this program.
fn estimate_beside(secret: &str, known: &[&str]) -> Result<Estimate, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let helper = crate::beside::program("hearth-serve")?;
    let mut child = Command::new(&helper)
        .arg(ESTIMATE_FLAG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{} could not be started: {e}", helper.display()))?;
    let mut asked = EstimateRequest {
        secret: secret.to_string(),
        known: known.iter().map(|k| k.to_string()).collect(),
    };
    let request = serde_json::to_vec(&asked)
        .map(zeroize::Zeroizing::new)
        .map_err(|e| e.to_string());
    zeroize::Zeroize::zeroize(&mut asked.secret);
    let request = request?;
    let mut stdin = child.stdin.take().expect("piped");
    let written = stdin.write_all(&request);
    drop(stdin);
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{} did not answer: {e}", helper.display()))?;
    written.map_err(|e| format!("{} did not take the request: {e}", helper.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", helper.display(), out.status));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{} answered something unexpected: {e}", helper.display()))
}

/// Refuses a password or passphrase that is quick to guess: a common
/// password, a keyboard pattern, a repeated character, a date, or one built
/// from what the person told Hearth (`known`: their username). Estimated
/// with zxcvbn; at least 10^8 guesses are required, a hashed secret's
/// protection against someone who copies the file.
pub fn check_guessable(field: &str, secret: &str, known: &[&str]) -> Result<(), ValidationError> {
    let estimate = match HERE.get() {
        Some(here) => here(secret, known),
        None => estimate_beside(secret, known).map_err(|why| {
            ValidationError::invalid(
                field,
                format!("could not be checked for how easy it is to guess: {why}"),
            )
        })?,
    };
    if estimate.strong {
        return Ok(());
    }
    let mut message = match estimate.warning {
        Some(w) => format!("is too easy to guess: {}{}", w[..1].to_lowercase(), &w[1..]),
        None => "is too easy to guess.".to_string(),
    };
    if !message.ends_with('.') {
        message.push('.');
    }
    if estimate.suggestions.is_empty() {
        message.push_str(" Try a few unrelated words together.");
    }
    for h in estimate.suggestions {
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
        estimate_here();
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
