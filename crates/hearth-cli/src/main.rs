//! `hearth`: see the library's `main`.
//!
//! It keeps the system's allocator, where `hearth-serve` takes mimalloc: a
//! command is short, and mimalloc's start (its arena, a fresh page for each
//! size of allocation in each thread) was a fifth of a check-in's page
//! faults, while reading ten years took as long with either.

fn main() -> std::process::ExitCode {
    hearth_cli::main()
}
