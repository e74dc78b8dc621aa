//! SQLCipher's cryptography, done by RustCrypto's AES, SHA-2, HMAC and PBKDF2
//! rather than by OpenSSL.
//!
//! SQLCipher asks a "provider" for five things: random bytes, an HMAC of a
//! page, PBKDF2 for the page keys, AES-256-CBC without padding, and a few
//! sizes. Its OpenSSL provider fetched each algorithm from OpenSSL's
//! provider tables: building those tables and seeding OpenSSL's random
//! generator were 2.8 M of a check-in's 10.2 M instructions (callgrind), and
//! every page then paid a fetch of HMAC and SHA-512 again. This provider
//! computes exactly the same bytes (the file format does not change; see the
//! tests and `tests/fixtures`), keeps no state, and is registered before
//! SQLite first initialises.

use std::ffi::{c_char, c_int, c_void};

use aes::Aes256;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, InOutBuf, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

const OK: c_int = libsqlite3_sys::SQLITE_OK;
const ERROR: c_int = libsqlite3_sys::SQLITE_ERROR;

// SQLCipher's names for the HMAC and PBKDF2 digests, and for the direction.
const SHA1: c_int = 0;
const SHA256: c_int = 1;
const SHA512: c_int = 2;
const ENCRYPT: c_int = 1;

const KEY_SIZE: usize = 32;
const IV_SIZE: usize = 16;
const BLOCK_SIZE: usize = 16;

/// SQLCipher's `sqlcipher_provider`, field for field (4.10, crypto.h).
#[repr(C)]
struct Provider {
    init: Option<extern "C" fn() -> c_int>,
    shutdown: Option<extern "C" fn()>,
    get_provider_name: extern "C" fn(*mut c_void) -> *const c_char,
    add_random: extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int,
    random: extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int,
    hmac: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    kdf: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        c_int,
        c_int,
        *mut u8,
    ) -> c_int,
    cipher: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    get_cipher: extern "C" fn(*mut c_void) -> *const c_char,
    get_key_sz: extern "C" fn(*mut c_void) -> c_int,
    get_iv_sz: extern "C" fn(*mut c_void) -> c_int,
    get_block_sz: extern "C" fn(*mut c_void) -> c_int,
    get_hmac_sz: extern "C" fn(*mut c_void, c_int) -> c_int,
    ctx_init: extern "C" fn(*mut *mut c_void) -> c_int,
    ctx_free: extern "C" fn(*mut *mut c_void) -> c_int,
    fips_status: extern "C" fn(*mut c_void) -> c_int,
    get_provider_version: extern "C" fn(*mut c_void) -> *const c_char,
    next: *mut Provider,
}

unsafe extern "C" {
    fn sqlcipher_register_provider(p: *mut Provider) -> c_int;
}

/// Registers Hearth's provider with SQLCipher, once, before any connection.
pub(crate) fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(register);
}

/// SQLCipher's hook for a provider of its own build's choosing:
/// `.cargo/config.toml` compiles SQLCipher with
/// `SQLCIPHER_CRYPTO_CUSTOM=hearth_sqlcipher_setup`, so its OpenSSL provider
/// is not compiled and OpenSSL is not linked into Hearth at all. `init`
/// registers the same provider first either way, so a build without that
/// setting still encrypts through it.
///
/// # Safety
/// `p` is null or points to writable memory the size of SQLCipher's
/// provider struct, aligned to 8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hearth_sqlcipher_setup(p: *mut c_void) -> c_int {
    if p.is_null() {
        return ERROR;
    }
    // SAFETY: as the caller promises; SQLCipher passes a block it allocated
    // for its provider struct.
    unsafe { p.cast::<Provider>().write(provider()) };
    OK
}

fn provider() -> Provider {
    Provider {
        init: None,
        shutdown: None,
        get_provider_name,
        add_random,
        random,
        hmac,
        kdf,
        cipher,
        get_cipher,
        get_key_sz,
        get_iv_sz,
        get_block_sz,
        get_hmac_sz,
        ctx_init,
        ctx_free,
        fips_status,
        get_provider_version,
        next: std::ptr::null_mut(),
    }
}

fn register() {
    use libsqlite3_sys::{
        SQLITE_CONFIG_GETMALLOC, sqlite3_config, sqlite3_malloc, sqlite3_mem_methods,
    };
    let size = std::mem::size_of::<Provider>() as c_int;
    // SQLCipher frees every provider with `sqlite3_free` when it shuts down,
    // so the struct must come from SQLite's allocator; `sqlite3_malloc` would
    // initialise SQLite first, which sets up the build's default provider
    // (with OpenSSL, its set-up is the cost this module avoids), so before
    // initialisation ask SQLite for its allocator instead.
    // SAFETY: GETMALLOC writes one `sqlite3_mem_methods`; it is refused
    // (MISUSE) once SQLite is initialised, and then `sqlite3_malloc` has
    // nothing left to set up. Either way the block is SQLite's to free.
    let block = unsafe {
        let mut methods = std::mem::zeroed::<sqlite3_mem_methods>();
        match (
            sqlite3_config(
                SQLITE_CONFIG_GETMALLOC,
                &mut methods as *mut sqlite3_mem_methods,
            ),
            methods.xMalloc,
        ) {
            (OK, Some(malloc)) => malloc(size),
            _ => sqlite3_malloc(size),
        }
    };
    // SAFETY: `block` is null or a fresh allocation of the struct's size
    // from SQLite's allocator (8-byte aligned, all the struct needs); once
    // filled, SQLCipher owns it.
    unsafe {
        assert_eq!(
            hearth_sqlcipher_setup(block),
            OK,
            "no memory for SQLCipher's provider"
        );
        assert_eq!(
            sqlcipher_register_provider(block.cast()),
            OK,
            "SQLCipher refused Hearth's crypto provider"
        );
    }
}

extern "C" fn get_provider_name(_: *mut c_void) -> *const c_char {
    c"rustcrypto".as_ptr()
}

extern "C" fn get_provider_version(_: *mut c_void) -> *const c_char {
    c"aes 0.9, sha2 0.11, hmac 0.13, pbkdf2 0.13".as_ptr()
}

extern "C" fn get_cipher(_: *mut c_void) -> *const c_char {
    // OpenSSL's short name for the same cipher, which `PRAGMA cipher` shows.
    c"AES-256-CBC".as_ptr()
}

extern "C" fn add_random(_: *mut c_void, _: *const c_void, _: c_int) -> c_int {
    // The operating system's generator takes no seed from the caller.
    OK
}

extern "C" fn random(_: *mut c_void, buffer: *mut c_void, length: c_int) -> c_int {
    let Ok(length) = usize::try_from(length) else {
        return ERROR;
    };
    if length == 0 {
        return OK;
    }
    // SAFETY: SQLCipher passes a buffer of `length` writable bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(buffer.cast::<u8>(), length) };
    match getrandom::fill(out) {
        Ok(()) => OK,
        Err(_) => ERROR,
    }
}

/// A slice from SQLCipher's pointer and length; an empty one for a null
/// pointer or a length of zero.
///
/// # Safety
/// A non-null `p` must point to `len` readable bytes that outlive the slice.
unsafe fn bytes<'a>(p: *const u8, len: c_int) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok()?;
    if p.is_null() || len == 0 {
        return Some(&[]);
    }
    // SAFETY: as the caller promises.
    Some(unsafe { std::slice::from_raw_parts(p, len) })
}

fn mac<M: Mac + KeyInit>(key: &[u8], parts: [&[u8]; 2], out: &mut [u8]) -> c_int {
    let Ok(mut m) = <M as KeyInit>::new_from_slice(key) else {
        return ERROR;
    };
    for part in parts {
        m.update(part);
    }
    let tag = m.finalize().into_bytes();
    out.copy_from_slice(&tag);
    OK
}

unsafe extern "C" fn hmac(
    _: *mut c_void,
    algorithm: c_int,
    key: *const u8,
    key_sz: c_int,
    input: *const u8,
    in_sz: c_int,
    input2: *const u8,
    in2_sz: c_int,
    out: *mut u8,
) -> c_int {
    if input.is_null() || out.is_null() {
        return ERROR;
    }
    // SAFETY: SQLCipher passes each buffer with its length, and `out` with
    // room for this algorithm's `get_hmac_sz`.
    let (Some(key), Some(input), Some(input2)) = (unsafe {
        (
            bytes(key, key_sz),
            bytes(input, in_sz),
            bytes(input2, in2_sz),
        )
    }) else {
        return ERROR;
    };
    let size = hmac_size(algorithm);
    if size == 0 {
        return ERROR;
    }
    // SAFETY: see above.
    let out = unsafe { std::slice::from_raw_parts_mut(out, size) };
    let parts = [input, input2];
    match algorithm {
        SHA1 => mac::<Hmac<Sha1>>(key, parts, out),
        SHA256 => mac::<Hmac<Sha256>>(key, parts, out),
        _ => mac::<Hmac<Sha512>>(key, parts, out),
    }
}

unsafe extern "C" fn kdf(
    _: *mut c_void,
    algorithm: c_int,
    pass: *const u8,
    pass_sz: c_int,
    salt: *const u8,
    salt_sz: c_int,
    workfactor: c_int,
    key_sz: c_int,
    key: *mut u8,
) -> c_int {
    let (Ok(rounds), Ok(key_sz)) = (u32::try_from(workfactor), usize::try_from(key_sz)) else {
        return ERROR;
    };
    if rounds == 0 || key.is_null() {
        return ERROR;
    }
    // SAFETY: SQLCipher passes each buffer with its length, and `key` with
    // room for `key_sz` bytes.
    let (Some(pass), Some(salt)) = (unsafe { (bytes(pass, pass_sz), bytes(salt, salt_sz)) }) else {
        return ERROR;
    };
    // SAFETY: see above.
    let key = unsafe { std::slice::from_raw_parts_mut(key, key_sz) };
    match algorithm {
        SHA1 => pbkdf2::pbkdf2_hmac::<Sha1>(pass, salt, rounds, key),
        SHA256 => pbkdf2::pbkdf2_hmac::<Sha256>(pass, salt, rounds, key),
        SHA512 => pbkdf2::pbkdf2_hmac::<Sha512>(pass, salt, rounds, key),
        _ => return ERROR,
    }
    OK
}

unsafe extern "C" fn cipher(
    _: *mut c_void,
    mode: c_int,
    key: *const u8,
    key_sz: c_int,
    iv: *const u8,
    input: *const u8,
    in_sz: c_int,
    out: *mut u8,
) -> c_int {
    let Ok(len) = usize::try_from(in_sz) else {
        return ERROR;
    };
    if key_sz as usize != KEY_SIZE || len % BLOCK_SIZE != 0 {
        return ERROR;
    }
    if key.is_null() || iv.is_null() || input.is_null() || out.is_null() {
        return ERROR;
    }
    // SAFETY: SQLCipher passes a key of `key_sz` bytes, an IV of
    // `get_iv_sz`, and `input` and `out` of `in_sz` bytes each, which may be
    // the same buffer (from_raw allows that; it is read before written).
    let (key, iv, blocks) = unsafe {
        (
            &*key.cast::<[u8; KEY_SIZE]>(),
            &*iv.cast::<[u8; IV_SIZE]>(),
            InOutBuf::from_raw(input, out, len),
        )
    };
    let (blocks, tail) = blocks.into_chunks();
    debug_assert!(tail.is_empty());
    if mode == ENCRYPT {
        cbc::Encryptor::<Aes256>::new(key.into(), iv.into()).encrypt_blocks_inout(blocks);
    } else {
        cbc::Decryptor::<Aes256>::new(key.into(), iv.into()).decrypt_blocks_inout(blocks);
    }
    OK
}

fn hmac_size(algorithm: c_int) -> usize {
    match algorithm {
        SHA1 => 20,
        SHA256 => 32,
        SHA512 => 64,
        _ => 0,
    }
}

extern "C" fn get_key_sz(_: *mut c_void) -> c_int {
    KEY_SIZE as c_int
}

extern "C" fn get_iv_sz(_: *mut c_void) -> c_int {
    IV_SIZE as c_int
}

extern "C" fn get_block_sz(_: *mut c_void) -> c_int {
    BLOCK_SIZE as c_int
}

extern "C" fn get_hmac_sz(_: *mut c_void, algorithm: c_int) -> c_int {
    hmac_size(algorithm) as c_int
}

extern "C" fn ctx_init(_: *mut *mut c_void) -> c_int {
    OK
}

extern "C" fn ctx_free(_: *mut *mut c_void) -> c_int {
    OK
}

extern "C" fn fips_status(_: *mut c_void) -> c_int {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    fn run_hmac(algorithm: c_int, key: &[u8], a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
        let mut out = vec![0u8; hmac_size(algorithm)];
        let (b_ptr, b_len) = b.map_or((std::ptr::null(), 0), |b| (b.as_ptr(), b.len() as c_int));
        let rc = unsafe {
            hmac(
                std::ptr::null_mut(),
                algorithm,
                key.as_ptr(),
                key.len() as c_int,
                a.as_ptr(),
                a.len() as c_int,
                b_ptr,
                b_len,
                out.as_mut_ptr(),
            )
        };
        assert_eq!(rc, OK);
        out
    }

    #[test]
    fn hmac_matches_rfc_4231_and_2202_and_reads_both_parts() {
        // RFC 4231 test case 2: key "Jefe".
        let key = b"Jefe";
        let data = b"what do ya want for nothing?";
        let sha512 = hex(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        );
        let sha256 = hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_eq!(run_hmac(SHA512, key, data, None), sha512);
        assert_eq!(run_hmac(SHA256, key, data, None), sha256);
        // RFC 2202 test case 2.
        let sha1 = hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assert_eq!(run_hmac(SHA1, key, data, None), sha1);
        // SQLCipher MACs a page and then its number: two parts, one message.
        let (a, b) = data.split_at(10);
        assert_eq!(run_hmac(SHA512, key, a, Some(b)), sha512);
        let mut out = [0u8; 64];
        let rc = unsafe {
            hmac(
                std::ptr::null_mut(),
                7,
                key.as_ptr(),
                4,
                data.as_ptr(),
                4,
                std::ptr::null(),
                0,
                out.as_mut_ptr(),
            )
        };
        assert_eq!(rc, ERROR, "an unknown digest is refused");
    }

    fn run_kdf(algorithm: c_int, size: usize) -> Vec<u8> {
        let mut key = vec![0u8; size];
        let (pass, salt) = (b"password", b"salt");
        let rc = unsafe {
            kdf(
                std::ptr::null_mut(),
                algorithm,
                pass.as_ptr(),
                pass.len() as c_int,
                salt.as_ptr(),
                salt.len() as c_int,
                2,
                size as c_int,
                key.as_mut_ptr(),
            )
        };
        assert_eq!(rc, OK);
        key
    }

    #[test]
    fn pbkdf2_matches_known_answers() {
        // RFC 6070 at 2 iterations (SHA-1), and the same inputs with SHA-512
        // (as Python's hashlib.pbkdf2_hmac gives them).
        assert_eq!(
            run_kdf(SHA1, 20),
            hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        );
        assert_eq!(
            run_kdf(SHA512, 64),
            hex(
                "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53c\
                 f76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"
            )
        );
    }

    #[test]
    fn aes_256_cbc_matches_nist_sp_800_38a_both_ways_and_in_place() {
        // NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt), all four blocks.
        let key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let plain = hex(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51\
             30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
        );
        let sealed = hex(
            "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d\
             39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
        );
        let run = |mode, input: &[u8], out: *mut u8| unsafe {
            cipher(
                std::ptr::null_mut(),
                mode,
                key.as_ptr(),
                32,
                iv.as_ptr(),
                input.as_ptr(),
                input.len() as c_int,
                out,
            )
        };
        let mut out = vec![0u8; 64];
        assert_eq!(run(ENCRYPT, &plain, out.as_mut_ptr()), OK);
        assert_eq!(out, sealed);
        assert_eq!(run(0, &sealed, out.as_mut_ptr()), OK);
        assert_eq!(out, plain);
        let mut buf = sealed.clone();
        let ptr = buf.as_mut_ptr();
        assert_eq!(
            run(0, unsafe { std::slice::from_raw_parts(ptr, 64) }, ptr),
            OK
        );
        assert_eq!(buf, plain);
        assert_eq!(
            run(ENCRYPT, &plain[..20], out.as_mut_ptr()),
            ERROR,
            "not whole blocks"
        );
    }

    #[test]
    fn random_fills_and_differs() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        assert_eq!(random(std::ptr::null_mut(), a.as_mut_ptr().cast(), 32), OK);
        assert_eq!(random(std::ptr::null_mut(), b.as_mut_ptr().cast(), 32), OK);
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
