//! Pairing by a short code said in person, through a server that must not
//! be able to guess it offline: a CPace-style balanced PAKE over
//! ristretto255. The code's secret half picks the generator; each device
//! sends one point; a wrong code gives unrelated keys, which the key
//! confirmation tags catch, and an eavesdropping or meddling server gets one
//! online guess per invitation.
//!
//! The invitation code a person reads out is ten characters of Crockford's
//! base32 in two groups of five: the server's four-character invitation id,
//! then six characters (30 bits) that only the two devices know.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use crate::group::{Point, hash_to_group, lv, nonce, point_bytes, read_point};
use crate::{Error, dst};

pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const ID_LEN: usize = 4;
pub const PASSWORD_LEN: usize = 6;

/// The code as it is read out: `K7QM4 RXT9P`.
pub fn format_code(id: &str, password: &str) -> String {
    let all = format!("{id}{password}");
    format!("{} {}", &all[..5], &all[5..])
}

/// A typed code back into (invitation id, password), forgiving case,
/// spaces, dashes and the letters people mistake for digits.
pub fn parse_code(typed: &str) -> Result<(String, String), Error> {
    let mut clean = String::with_capacity(ID_LEN + PASSWORD_LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return Err(Error::Code);
        }
        clean.push(c);
    }
    if clean.len() != ID_LEN + PASSWORD_LEN {
        return Err(Error::Code);
    }
    let password = clean.split_off(ID_LEN);
    Ok((clean, password))
}

/// A password from six bytes of randomness (5 bits each).
pub fn password_from(random: &[u8; PASSWORD_LEN]) -> String {
    random
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect()
}

fn generator(password: &str) -> Point {
    hash_to_group(dst::PAKE, &lv(&[password.as_bytes()]))
}

/// One device's half of the exchange.
pub struct Share {
    secret: Scalar,
    pub public: [u8; 32],
}

impl Drop for Share {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl Share {
    pub fn new(password: &str, seed: &[u8; 32]) -> Self {
        let secret = nonce(seed, b"pake", password.as_bytes());
        let public = point_bytes(&(generator(password) * secret));
        Self { secret, public }
    }
}

/// What pairing leaves on both devices.
pub struct Paired {
    /// The key every later message is sealed under; never sent anywhere.
    pub secret: Zeroizing<[u8; 32]>,
    /// Six digits both people compare, "123 456".
    pub confirmation: String,
    tag_key: Zeroizing<[u8; 32]>,
}

/// Both devices reach the same `Paired` from (invitation id, the inviter's
/// share, the joiner's share), or unrelated ones if the passwords differed.
pub fn agree(
    mine: &Share,
    invitation: &str,
    inviter: &[u8; 32],
    joiner: &[u8; 32],
    i_am_inviter: bool,
) -> Result<Paired, Error> {
    let theirs = read_point(if i_am_inviter { joiner } else { inviter })?;
    let shared = theirs * mine.secret;
    if shared == RistrettoPoint::default() {
        return Err(Error::Malformed("a share is of small order"));
    }
    let isk: Zeroizing<[u8; 64]> = Zeroizing::new(
        Sha512::digest(lv(&[
            dst::ISK,
            invitation.as_bytes(),
            &point_bytes(&shared),
            inviter,
            joiner,
        ]))
        .into(),
    );
    let hk = Hkdf::<Sha256>::new(Some(dst::HKDF_SALT), isk.as_ref());
    let mut secret = Zeroizing::new([0u8; 32]);
    let mut tag_key = Zeroizing::new([0u8; 32]);
    let mut digits = [0u8; 4];
    hk.expand(b"pairing secret", secret.as_mut())
        .expect("32 bytes");
    hk.expand(b"confirmation tags", tag_key.as_mut())
        .expect("32 bytes");
    hk.expand(b"confirmation code", &mut digits)
        .expect("4 bytes");
    let n = u32::from_be_bytes(digits) % 1_000_000;
    let confirmation = format!("{:03} {:03}", n / 1000, n % 1000);
    Ok(Paired {
        secret,
        confirmation,
        tag_key,
    })
}

impl Paired {
    /// The tag a side sends to show it holds the same key.
    pub fn tag(&self, from_inviter: bool) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.tag_key.as_ref())
            .expect("any key length");
        mac.update(if from_inviter { b"inviter" } else { b"joiner" });
        mac.finalize().into_bytes().into()
    }

    /// Checks the other side's tag; a mismatch means the code was mistyped
    /// (or someone in the middle guessed wrong).
    pub fn check(&self, tag: &[u8], from_inviter: bool) -> Result<(), Error> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.tag_key.as_ref())
            .expect("any key length");
        mac.update(if from_inviter { b"inviter" } else { b"joiner" });
        mac.verify_slice(tag).map_err(|_| Error::CodeMismatch)
    }
}
