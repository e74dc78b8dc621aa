//! Packs the `hearth` binary's relative relocations (DT_RELR) on GNU/Linux.
//! The loader applies about 134,000 of them at every start; packed, their
//! table shrinks from megabytes to kilobytes, which a check-in no longer
//! reads. The binary stays position-independent (ASLR). glibc 2.36 and
//! binutils 2.38 and later understand it; older binutils ignore the flag
//! with a warning.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bin=hearth=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
