//! What the server holds: fixed-size sealed blobs in a mailbox whose address
//! and key come from the pairing secret and the day, so the server can
//! neither read a message nor tell one kind or answer from another by size.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::checkin::{Day, SECOND_LEN};
use crate::group::lv;
use crate::{Error, dst};

/// Every plaintext is padded to this, the longest message and its header.
pub const PLAIN_LEN: usize = SECOND_LEN + 3;
/// What the server stores for any message: nonce, padded plaintext, tag.
pub const BLOB_LEN: usize = 12 + PLAIN_LEN + 16;

/// What a sealed message is; inside the seal, so the server never sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    First = 1,
    Second = 2,
    Third = 3,
    /// A 12-bit mask of overlap slots the sender takes back.
    Withdraw = 4,
    /// The sender ended the pairing.
    Unpair = 5,
}

impl Kind {
    fn from_byte(b: u8) -> Result<Kind, Error> {
        Ok(match b {
            1 => Kind::First,
            2 => Kind::Second,
            3 => Kind::Third,
            4 => Kind::Withdraw,
            5 => Kind::Unpair,
            _ => return Err(Error::Malformed("a message of an unknown kind")),
        })
    }
}

/// One day's mailbox address and key.
pub struct Channel {
    key: Zeroizing<[u8; 32]>,
    pub mailbox: String,
}

fn derive(secret: &[u8; 32], label: &[u8], day: &Day, out: &mut [u8]) {
    Hkdf::<Sha256>::new(Some(dst::HKDF_SALT), secret)
        .expand(&lv(&[label, day.pair.as_bytes(), day.date.as_bytes()]), out)
        .expect("HKDF gives up to 8 KiB");
}

impl Channel {
    pub fn for_day(pairing_secret: &[u8; 32], day: &Day) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        derive(pairing_secret, b"day key", day, key.as_mut());
        let mut address = [0u8; 16];
        derive(pairing_secret, b"mailbox", day, &mut address);
        let mailbox = address.iter().map(|b| format!("{b:02x}")).collect();
        Self { key, mailbox }
    }

    fn aad(&self, seq: u32) -> Vec<u8> {
        lv(&[dst::HKDF_SALT, self.mailbox.as_bytes(), &seq.to_be_bytes()])
    }

    /// Seals `body` as message `seq` of the day. The nonce must be fresh
    /// random bytes (given, so vectors can be fixed).
    pub fn seal(&self, seq: u32, kind: Kind, body: &[u8], nonce: [u8; 12]) -> Vec<u8> {
        assert!(
            body.len() + 3 <= PLAIN_LEN,
            "every message fits the fixed size"
        );
        let mut plain = Zeroizing::new(vec![0u8; PLAIN_LEN]);
        plain[0] = kind as u8;
        plain[1..3].copy_from_slice(&(body.len() as u16).to_be_bytes());
        plain[3..3 + body.len()].copy_from_slice(body);
        let cipher = ChaCha20Poly1305::new(&(*self.key).into());
        let aad = self.aad(seq);
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .expect("a buffer this size seals");
        let mut blob = Vec::with_capacity(BLOB_LEN);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        blob
    }

    pub fn open(&self, seq: u32, blob: &[u8]) -> Result<(Kind, Vec<u8>), Error> {
        if blob.len() != BLOB_LEN {
            return Err(Error::Malformed("a sealed message has the wrong size"));
        }
        let nonce: [u8; 12] = blob[..12].try_into().expect("twelve bytes");
        let cipher = ChaCha20Poly1305::new(&(*self.key).into());
        let aad = self.aad(seq);
        let mut plain = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &blob[12..],
                    aad: &aad,
                },
            )
            .map_err(|_| Error::NotOurs)?;
        let kind = Kind::from_byte(plain[0]);
        let len = usize::from(u16::from_be_bytes([plain[1], plain[2]]));
        let body = plain.get(3..3 + len).map(<[u8]>::to_vec);
        plain.zeroize();
        Ok((
            kind?,
            body.ok_or(Error::Malformed("a sealed message's length is wrong"))?,
        ))
    }
}
