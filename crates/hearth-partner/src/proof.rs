//! Zero-knowledge proofs that a message was made honestly: Chaum–Pedersen
//! equality of discrete logs (the same key blinded a point), and its
//! two-branch OR (the blinded token is either the slot's token or the
//! sender's "absent" token, without saying which). Fiat–Shamir, every
//! challenge bound to the pair, the day, the sender and the slot.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

use crate::Error;
use crate::dst;
use crate::group::{Point, Reader, hash_to_scalar, lv, nonce, point_bytes};

pub const DLEQ_LEN: usize = 64;
pub const OR_LEN: usize = 128;

fn challenge(kind: &[u8], context: &[u8], points: &[&Point]) -> Scalar {
    let encoded: Vec<[u8; 32]> = points.iter().map(|p| point_bytes(p)).collect();
    let mut fields: Vec<&[u8]> = vec![kind, context];
    fields.extend(encoded.iter().map(|b| b.as_slice()));
    hash_to_scalar(dst::CHALLENGE, &lv(&fields))
}

/// Proves `key = x·B` and `out = x·base` for the same secret `x`.
pub fn prove_dleq(
    x: &Scalar,
    key: &Point,
    base: &Point,
    out: &Point,
    context: &[u8],
    seed: &[u8; 32],
) -> [u8; DLEQ_LEN] {
    let r = nonce(seed, b"dleq", &lv(&[context, &point_bytes(out)]));
    let t1 = RistrettoPoint::mul_base(&r);
    let t2 = base * r;
    let c = challenge(b"dleq", context, &[key, base, out, &t1, &t2]);
    let z = r + c * x;
    let mut proof = [0u8; DLEQ_LEN];
    proof[..32].copy_from_slice(c.as_bytes());
    proof[32..].copy_from_slice(z.as_bytes());
    proof
}

pub fn verify_dleq(
    proof: &[u8],
    key: &Point,
    base: &Point,
    out: &Point,
    context: &[u8],
) -> Result<(), Error> {
    let mut r = Reader::new(proof);
    let (c, z) = (r.scalar()?, r.scalar()?);
    r.finish()?;
    let t1 = RistrettoPoint::mul_base(&z) - key * c;
    let t2 = base * z - out * c;
    if challenge(b"dleq", context, &[key, base, out, &t1, &t2]) == c {
        Ok(())
    } else {
        Err(Error::BadProof)
    }
}

/// Proves `key = x·B` and `out = x·bases[branch]`, hiding `branch`.
pub fn prove_or(
    x: &Scalar,
    key: &Point,
    bases: [&Point; 2],
    branch: usize,
    out: &Point,
    context: &[u8],
    seed: &[u8; 32],
) -> [u8; OR_LEN] {
    let other = 1 - branch;
    let salt = lv(&[context, &point_bytes(out)]);
    let r = nonce(seed, b"or r", &salt);
    let c_other = nonce(seed, b"or c", &salt);
    let z_other = nonce(seed, b"or z", &salt);
    let mut t = [[RistrettoPoint::default(); 2]; 2];
    t[branch] = [RistrettoPoint::mul_base(&r), bases[branch] * r];
    t[other] = [
        RistrettoPoint::mul_base(&z_other) - key * c_other,
        bases[other] * z_other - out * c_other,
    ];
    let c = or_challenge(context, key, bases, out, &t);
    let mut cs = [Scalar::ZERO; 2];
    let mut zs = [Scalar::ZERO; 2];
    cs[other] = c_other;
    zs[other] = z_other;
    cs[branch] = c - c_other;
    zs[branch] = r + cs[branch] * x;
    let mut proof = [0u8; OR_LEN];
    for (i, s) in [cs[0], cs[1], zs[0], zs[1]].iter().enumerate() {
        proof[i * 32..(i + 1) * 32].copy_from_slice(s.as_bytes());
    }
    proof
}

pub fn verify_or(
    proof: &[u8],
    key: &Point,
    bases: [&Point; 2],
    out: &Point,
    context: &[u8],
) -> Result<(), Error> {
    let mut r = Reader::new(proof);
    let (c0, c1, z0, z1) = (r.scalar()?, r.scalar()?, r.scalar()?, r.scalar()?);
    r.finish()?;
    let mut t = [[RistrettoPoint::default(); 2]; 2];
    for (i, (c, z)) in [(c0, z0), (c1, z1)].into_iter().enumerate() {
        t[i] = [
            RistrettoPoint::mul_base(&z) - key * c,
            bases[i] * z - out * c,
        ];
    }
    if or_challenge(context, key, bases, out, &t) == c0 + c1 {
        Ok(())
    } else {
        Err(Error::BadProof)
    }
}

fn or_challenge(
    context: &[u8],
    key: &Point,
    bases: [&Point; 2],
    out: &Point,
    t: &[[Point; 2]; 2],
) -> Scalar {
    challenge(
        b"or",
        context,
        &[
            key, bases[0], bases[1], out, &t[0][0], &t[0][1], &t[1][0], &t[1][1],
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::hash_to_group;

    fn setup() -> (Scalar, Point, Point, Point) {
        let x = hash_to_scalar(b"test", b"x");
        let key = RistrettoPoint::mul_base(&x);
        let base = hash_to_group(b"test", b"base");
        let other = hash_to_group(b"test", b"other");
        (x, key, base, other)
    }

    #[test]
    fn an_honest_dleq_verifies_and_a_different_key_does_not() {
        let (x, key, base, _) = setup();
        let out = base * x;
        let proof = prove_dleq(&x, &key, &base, &out, b"ctx", &[7; 32]);
        verify_dleq(&proof, &key, &base, &out, b"ctx").unwrap();
        assert!(verify_dleq(&proof, &key, &base, &out, b"another ctx").is_err());
        // Blinding with an undisclosed key is exactly what a probe would do.
        let y = hash_to_scalar(b"test", b"y");
        let forged = prove_dleq(&y, &key, &base, &(base * y), b"ctx", &[7; 32]);
        assert_eq!(
            verify_dleq(&forged, &key, &base, &(base * y), b"ctx"),
            Err(Error::BadProof)
        );
    }

    #[test]
    fn either_branch_of_an_or_verifies_and_a_third_point_does_not() {
        let (x, key, base, other) = setup();
        for branch in 0..2 {
            let chosen = [&base, &other][branch];
            let out = chosen * x;
            let proof = prove_or(&x, &key, [&base, &other], branch, &out, b"ctx", &[1; 32]);
            verify_or(&proof, &key, [&base, &other], &out, b"ctx").unwrap();
            // The same proof does not carry over to the bases swapped.
            assert!(verify_or(&proof, &key, [&other, &base], &out, b"ctx").is_err());
        }
        let third = hash_to_group(b"test", b"third");
        let out = third * x;
        let proof = prove_or(&x, &key, [&base, &other], 0, &out, b"ctx", &[1; 32]);
        assert_eq!(
            verify_or(&proof, &key, [&base, &other], &out, b"ctx"),
            Err(Error::BadProof)
        );
    }
}
