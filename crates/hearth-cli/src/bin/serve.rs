//! `hearth-serve`: the web app and JSON API, which `hearth serve` runs in
//! its own place. Kept out of `hearth`, the server's code is neither mapped
//! nor relocated at every check-in.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hearth_cli::serve_main()
}
