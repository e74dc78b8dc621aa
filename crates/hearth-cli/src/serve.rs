//! `hearth serve` and the stores of server mode: the only place the CLI
//! knows the web server, and only `hearth-serve` runs that part.

use jiff::Timestamp;

use crate::failure::{Failure, Outcome};
use crate::{cli, open};

/// What `serve` runs on: the local journal, or a store with accounts.
enum Access {
    Local(std::path::PathBuf),
    Server(std::sync::Arc<dyn hearth_store::ServerStore>),
}

pub struct Options {
    pub addr: String,
    pub allow_remote: bool,
    pub lock_after: u32,
    pub registration: String,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    /// Host names to answer to besides this computer's own and bare addresses.
    pub hosts: Vec<String>,
    /// Where people outside reach Hearth; share links are made there.
    pub public_url: Option<String>,
}

/// `hearth serve`: becomes `hearth-serve`, with the same arguments and
/// environment (and the same process, so whoever started it can stop it).
/// Returns only if that program could not be started.
pub fn hand_over() -> Failure {
    let helper = match hearth_app::beside::program("hearth-serve") {
        Ok(p) => p,
        Err(why) => return Failure::Other(format!("Hearth cannot serve: {why}")),
    };
    let mut command = std::process::Command::new(&helper);
    command.args(std::env::args_os().skip(1));
    #[cfg(unix)]
    let e = std::os::unix::process::CommandExt::exec(&mut command);
    #[cfg(not(unix))]
    let e = match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    };
    Failure::Other(format!("{} could not be started: {e}", helper.display()))
}

/// The server logs ids, counts and timings to stderr: `HEARTH_LOG` chooses
/// how much (error, warn, info — the default — debug or trace).
fn log_to_stderr() {
    let level = std::env::var("HEARTH_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing_subscriber::filter::LevelFilter>().ok())
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .try_init();
}

/// The host name of `--public-url`, which must be an http(s) address with no path.
fn public_host(url: &str) -> Result<String, Failure> {
    let bad = || {
        Failure::Input(format!(
            "--public-url '{url}' is not an address like https://hearth.example.org (no path)"
        ))
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains('/') {
        return Err(bad());
    }
    // A port is the proxy's business; the name is what the Host check needs.
    let name = authority.rsplit_once(':').map_or(authority, |(n, _)| n);
    Ok(name.to_ascii_lowercase())
}

/// A host name as people type it: letters, digits, dots and dashes.
fn check_host_name(name: &str) -> Result<(), Failure> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "--host '{name}' is not a host name like hearth.example.org (no scheme, port or path)"
        )))
    }
}

/// Serves the local journal, or server mode when `server` asks for it.
pub async fn run(
    dir: std::path::PathBuf,
    server: &cli::ServerArgs,
    o: Options,
    now: Timestamp,
) -> Outcome {
    let registration = hearth_server::auth::Registration::parse(&o.registration)?;
    log_to_stderr();
    // Local mode: the pages create or unlock the journal themselves.
    match server_store(&dir, server, now).await? {
        None => serve(Access::Local(dir), o, registration).await,
        Some(store) => serve(Access::Server(store), o, registration).await,
    }
}

/// The store for server mode, if asked for: PostgreSQL, or the local journal with accounts.
pub async fn server_store(
    dir: &std::path::Path,
    args: &cli::ServerArgs,
    now: Timestamp,
) -> Result<Option<std::sync::Arc<dyn hearth_store::ServerStore>>, Failure> {
    if let Some(url) = &args.database_url {
        if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(Failure::Input(
                "--database-url must be a PostgreSQL URL like postgres://user@host/db".into(),
            ));
        }
        let store = hearth_store::PgStore::connect(url, None, 16)
            .await
            .map_err(|e| Failure::Other(format!("could not open the database: {e}")))?;
        return Ok(Some(std::sync::Arc::new(store)));
    }
    if args.accounts {
        return Ok(Some(std::sync::Arc::new(
            open::open_or_create(dir, now).await?,
        )));
    }
    Ok(None)
}

async fn serve(
    access: Access,
    o: Options,
    registration: hearth_server::auth::Registration,
) -> Outcome {
    let accounts = matches!(access, Access::Server(_));
    let addr = o.addr.as_str();
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| {
        Failure::Input(format!(
            "--addr '{addr}' is not an address like 127.0.0.1:7878"
        ))
    })?;
    if !addr.ip().is_loopback() && !accounts {
        if !o.allow_remote {
            return Err(Failure::Input(format!(
                "Hearth listens only on this computer ({addr} is reachable from elsewhere, and a local journal has no accounts); \
                 use 127.0.0.1, server mode (--database-url or --accounts), or --allow-remote if you really mean it"
            )));
        }
        eprintln!(
            "warning: listening on {addr} over plain http: the key in the address, and everything the journal shows, cross the network unencrypted"
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Other(format!("could not listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Other(e.to_string()))?;
    let (registry, refused) = crate::instruments::registry();
    for r in &refused {
        eprintln!("warning: {r}");
    }
    let access = match access {
        Access::Local(dir) => hearth_server::Access::Local(hearth_server::Local::new(
            dir,
            std::time::Duration::from_secs(u64::from(o.lock_after) * 60),
            None,
        )),
        Access::Server(store) => hearth_server::Access::Accounts {
            store,
            registration,
        },
    };
    let mut state = hearth_server::AppState::new(access, std::sync::Arc::new(registry))
        .with_tls(o.secure_cookies, o.trust_proxy);
    let mut hosts = o.hosts.clone();
    if let Some(url) = &o.public_url {
        hosts.push(public_host(url)?);
        state = state.with_public_url(url.clone());
    }
    for h in &hosts {
        check_host_name(h)?;
    }
    let names = hearth_server::named_hosts(&hosts, local.port());
    state = if addr.ip().is_loopback() {
        let mut hosts = hearth_server::loopback_hosts(local);
        hosts.extend(names);
        state.only_hosts(hosts)
    } else {
        state.only_names_or_addresses(names)
    };
    // Every account on the computer can reach the port; only the person who
    // started Hearth sees the key.
    let key = (!accounts).then(hearth_server::launch::new_key);
    if let Some(k) = &key {
        state = state.with_launch_key(k.clone());
    }
    // A passphrase journal's key leaves memory once it has been idle too long.
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
            loop {
                tick.tick().await;
                state.lock_if_idle().await;
            }
        })
    };
    let (open, mode) = match &key {
        None => (format!("http://{local}/"), "server mode, with accounts"),
        Some(k) => (
            format!("http://{local}/?{}={k}", hearth_server::launch::PARAM),
            "JSON API at /api/v1 with the key as a bearer token",
        ),
    };
    println!("Hearth is open at {open} ({mode}). Press Ctrl-C to stop.");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let served = hearth_server::listen::serve(
        listener,
        hearth_server::router(state.clone()),
        hearth_server::listen::Limits::default(),
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await;
    sweeper.abort();
    // Checkpoint the journal's write-ahead log before leaving.
    state.close().await;
    served.map_err(|e| Failure::Other(format!("the server stopped: {e}")))
}
