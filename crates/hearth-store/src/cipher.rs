//! OpenSSL, which SQLCipher encrypts with: set up once, and lean.

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
