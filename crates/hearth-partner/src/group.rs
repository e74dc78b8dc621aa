//! The group and the hashes into it: ristretto255, with RFC 9380's
//! `expand_message_xmd` over SHA-512 so the browser's `@noble/curves` lands on
//! the same points and scalars.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use sha2::{Digest, Sha512};

use crate::Error;

pub(crate) type Point = RistrettoPoint;

/// RFC 9380 §5.3.1 `expand_message_xmd` with SHA-512, for the 64 bytes that
/// both the one-way map and a wide scalar reduction take (so ℓ = 1).
pub fn expand_xmd(msg: &[u8], dst: &[u8]) -> [u8; 64] {
    assert!(dst.len() <= 255, "a domain tag is at most 255 bytes");
    let dst_len = [dst.len() as u8];
    let b0 = Sha512::new()
        .chain_update([0u8; 128])
        .chain_update(msg)
        .chain_update(64u16.to_be_bytes())
        .chain_update([0u8])
        .chain_update(dst)
        .chain_update(dst_len)
        .finalize();
    let b1 = Sha512::new()
        .chain_update(b0)
        .chain_update([1u8])
        .chain_update(dst)
        .chain_update(dst_len)
        .finalize();
    b1.into()
}

/// `hash_to_ristretto255` of RFC 9380 Appendix B.
pub fn hash_to_group(dst: &[u8], msg: &[u8]) -> Point {
    RistrettoPoint::from_uniform_bytes(&expand_xmd(msg, dst))
}

/// A scalar from 64 uniform bytes reduced mod ℓ.
pub fn hash_to_scalar(dst: &[u8], msg: &[u8]) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&expand_xmd(msg, dst))
}

/// Length-prefixed concatenation (two bytes, big-endian), so no two lists of
/// fields hash alike.
pub fn lv(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
    for part in parts {
        let len = u16::try_from(part.len()).expect("a hashed field is under 64 KiB");
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

pub(crate) fn point_bytes(p: &Point) -> [u8; 32] {
    p.compress().to_bytes()
}

/// A point from its canonical encoding; the identity is refused because no
/// honest message ever carries it.
pub(crate) fn read_point(bytes: &[u8]) -> Result<Point, Error> {
    let point = CompressedRistretto::from_slice(bytes)
        .ok()
        .and_then(|c| c.decompress())
        .ok_or(Error::Malformed("a point is not a valid group element"))?;
    if point == RistrettoPoint::identity() {
        return Err(Error::Malformed("a point is the identity"));
    }
    Ok(point)
}

pub(crate) fn read_scalar(bytes: &[u8]) -> Result<Scalar, Error> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Malformed("a scalar is not 32 bytes"))?;
    Option::from(Scalar::from_canonical_bytes(array))
        .ok_or(Error::Malformed("a scalar is not reduced"))
}

/// A fresh secret scalar from the caller's random seed and what it is for.
/// Deterministic given the seed, which is what lets both implementations
/// share test vectors; in use the seed is 32 fresh random bytes.
pub(crate) fn nonce(seed: &[u8; 32], label: &[u8], context: &[u8]) -> Scalar {
    hash_to_scalar(crate::dst::NONCE, &lv(&[seed, label, context]))
}

/// Reads a message field by field.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::Malformed("a message is too short"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub(crate) fn point(&mut self) -> Result<Point, Error> {
        read_point(self.take(32)?)
    }

    pub(crate) fn scalar(&mut self) -> Result<Scalar, Error> {
        read_scalar(self.take(32)?)
    }

    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::Malformed("a message is too long"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lv_separates_fields() {
        assert_ne!(lv(&[b"ab", b"c"]), lv(&[b"a", b"bc"]));
        assert_eq!(lv(&[b"ab"]), vec![0, 2, b'a', b'b']);
    }

    #[test]
    fn the_identity_and_junk_are_refused() {
        assert!(read_point(&[0u8; 32]).is_err());
        assert!(read_point(&[0xffu8; 32]).is_err());
        assert!(read_scalar(&[0xffu8; 32]).is_err());
        let p = hash_to_group(b"t", b"m");
        assert_eq!(read_point(&point_bytes(&p)).unwrap(), p);
    }
}
