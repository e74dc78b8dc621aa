//! OpenSSL, which SQLCipher encrypts with: set up once, lean, and early.

/// OpenSSL set up before SQLCipher's first use of it: without its exit
/// handler, so the process's exit never tears OpenSSL down under a worker
/// thread; without its tables of error strings, which it would otherwise
/// load for the first thread that meets an error state (SQLCipher's log,
/// the one reader of their text, is off); and without filling its legacy
/// tables of every cipher and digest name, since SQLCipher asks the
/// providers by name. A check-in's profile showed all three.
pub(crate) fn init() {
    const NO_LOAD_CRYPTO_STRINGS: u64 = 0x01;
    const NO_ADD_ALL_CIPHERS: u64 = 0x10;
    const NO_ADD_ALL_DIGESTS: u64 = 0x20;
    static ONCE: std::sync::Once = std::sync::Once::new();
    unsafe extern "C" {
        fn OPENSSL_init_crypto(opts: u64, settings: *const std::ffi::c_void) -> std::ffi::c_int;
    }
    let opts = openssl_sys::OPENSSL_INIT_NO_ATEXIT
        | NO_LOAD_CRYPTO_STRINGS
        | NO_ADD_ALL_CIPHERS
        | NO_ADD_ALL_DIGESTS;
    // SAFETY: OpenSSL's documented initialiser, with no settings, called
    // once before any other use of OpenSSL in the process.
    ONCE.call_once(|| unsafe {
        OPENSSL_init_crypto(opts, std::ptr::null());
    });
}

/// Starts OpenSSL's first-use work on another core while the caller goes
/// on (parsing its command line, reading the key): the first use of each
/// kind of algorithm builds OpenSSL's tables of every algorithm of that
/// kind, and the first random bytes set up its generator. A check-in's
/// profile had that at a quarter of its instructions, all of it on the
/// path to SQLCipher's first page. What runs here is exactly what
/// SQLCipher uses next (random IVs, AES-256-CBC, PBKDF2 and HMAC with
/// SHA-512); OpenSSL's own locks make SQLCipher wait for it rather than
/// do it twice. Nothing secret passes through it.
pub fn warm_up() {
    let spawned = std::thread::Builder::new()
        .name("hearth-cipher".into())
        .spawn(|| {
            init();
            use openssl_sys::*;
            let mut out = [0u8; 64];
            // SAFETY: each call gets buffers of the sizes it is told, and
            // the cipher context is freed after its one use.
            unsafe {
                RAND_bytes(out.as_mut_ptr(), 16);
                PKCS5_PBKDF2_HMAC(
                    b"x".as_ptr().cast(),
                    1,
                    out.as_ptr(),
                    16,
                    1,
                    EVP_sha512(),
                    32,
                    out.as_mut_ptr(),
                );
                let ctx = EVP_CIPHER_CTX_new();
                if !ctx.is_null() {
                    EVP_EncryptInit_ex(
                        ctx,
                        EVP_aes_256_cbc(),
                        std::ptr::null_mut(),
                        out.as_ptr(),
                        out[32..].as_ptr(),
                    );
                    EVP_CIPHER_CTX_free(ctx);
                }
            }
        });
    // Without the thread, SQLCipher does the same work itself when it opens.
    drop(spawned);
}
