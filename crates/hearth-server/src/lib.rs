//! Hearth's web app and its JSON API under `/api/v1`. Thin: handlers parse,
//! call core, store, insights and formats, and answer. Every request acts for
//! one person; in local mode that is the journal's only user.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hearth_core::instrument::Registry;
use hearth_store::{ServerStore, Store, UserId};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

mod account;
mod api;
pub mod auth;
pub mod import;
mod import_page;
pub mod input;
mod insight_views;
pub mod local;
pub mod openapi;
pub mod pages;
pub mod session;
pub mod shares;
mod views;

pub use api::ApiError;
pub use local::{Local, Profile};

/// Request bodies above this are refused: a journal entry is a few KiB at most.
pub const BODY_LIMIT: usize = 256 * 1024;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Whose journal a request reaches.
pub enum Access {
    /// A store opened by the caller, acting for one person, always open.
    Fixed { store: Arc<dyn Store>, user: UserId },
    /// The journal on this computer: created, unlocked and locked from the pages.
    Local(Local),
    /// Server mode: many people, each signing in to their own journal.
    Accounts {
        store: Arc<dyn ServerStore>,
        registration: auth::Registration,
    },
}

pub struct Shared {
    pub registry: Arc<Registry>,
    pub access: Access,
    pub sessions: session::Sessions,
    /// Host header values accepted; `None` accepts any (an operator's choice).
    /// Answering only to the address we listen on defeats DNS rebinding.
    pub hosts: Option<Vec<String>>,
    /// Mark cookies Secure on every response (served over TLS).
    pub secure_cookies: bool,
    /// A reverse proxy in front says `X-Forwarded-Proto: https` when it serves TLS.
    pub trust_proxy: bool,
    pub limiter: auth::Limiter,
    pub imports: import_page::PendingImports,
}

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(access: Access, registry: Arc<Registry>) -> AppState {
        AppState(Arc::new(Shared {
            registry,
            access,
            sessions: session::Sessions::default(),
            hosts: None,
            secure_cookies: false,
            trust_proxy: false,
            limiter: auth::Limiter::default(),
            imports: import_page::PendingImports::default(),
        }))
    }

    /// Cookie and proxy settings for server mode.
    pub fn with_tls(self, secure_cookies: bool, trust_proxy: bool) -> AppState {
        self.configure(|s| {
            s.secure_cookies = secure_cookies;
            s.trust_proxy = trust_proxy;
        })
    }

    /// Changes settings while building the state, before any clone of it exists.
    fn configure(self, f: impl FnOnce(&mut Shared)) -> AppState {
        let Ok(mut shared) = Arc::try_unwrap(self.0) else {
            panic!("the server's settings are fixed once the state is shared");
        };
        f(&mut shared);
        AppState(Arc::new(shared))
    }

    /// Whether this request arrived over TLS, so its cookies must be Secure.
    pub fn secure_request(&self, headers: &axum::http::HeaderMap) -> bool {
        self.0.secure_cookies
            || (self.0.trust_proxy
                && headers
                    .get("x-forwarded-proto")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
    }

    pub fn accounts(&self) -> Option<(&Arc<dyn ServerStore>, auth::Registration)> {
        match &self.0.access {
            Access::Accounts {
                store,
                registration,
            } => Some((store, *registration)),
            _ => None,
        }
    }

    /// One already-open store acting for `user` (tests, and tools that embed Hearth).
    pub fn fixed(store: Arc<dyn Store>, user: UserId, registry: Arc<Registry>) -> AppState {
        AppState::new(Access::Fixed { store, user }, registry)
    }

    /// Accepts requests only with these Host headers.
    pub fn only_hosts(self, hosts: Vec<String>) -> AppState {
        self.configure(|s| s.hosts = Some(hosts))
    }

    pub fn shared(&self) -> &Shared {
        &self.0
    }

    pub fn local(&self) -> Option<&Local> {
        match &self.0.access {
            Access::Local(l) => Some(l),
            _ => None,
        }
    }

    /// Locks an idle passphrase journal and ends its sessions.
    pub async fn lock_if_idle(&self) {
        if let Some(l) = self.local()
            && l.lock_if_idle().await
        {
            self.0.sessions.clear();
        }
    }

    pub async fn lock_now(&self) {
        if let Some(l) = self.local()
            && l.lock().await
        {
            self.0.sessions.clear();
        }
    }

    /// Checkpoints and closes the journal (on shutdown).
    pub async fn close(&self) {
        if let Some(l) = self.local() {
            l.close().await;
        }
    }

    /// The store that answers share links: the server's, or the local journal
    /// while it is open (a locked passphrase journal shares nothing).
    pub async fn share_store(&self) -> Option<Arc<dyn ServerStore>> {
        match &self.0.access {
            Access::Fixed { .. } => None,
            Access::Accounts { store, .. } => Some(store.clone()),
            Access::Local(l) => l
                .acting_for_visitor()
                .await
                .ok()
                .map(|a| a.store as Arc<dyn ServerStore>),
        }
    }

    async fn acting(&self, token: Option<&str>) -> Result<Acting, Blocked> {
        match &self.0.access {
            Access::Fixed { store, user } => Ok(Acting {
                server: None,
                store: store.clone(),
                user: *user,
                demo: false,
                passphrase: false,
                account: None,
            }),
            Access::Accounts { store, .. } => {
                let user = self.0.sessions.user_of(token).ok_or(Blocked::Login)?;
                // Checked on every request, so an operator's "disable" bites at once.
                let account = store
                    .account_by_id(user)
                    .await
                    .map_err(|_| Blocked::Broken)?
                    .filter(|a| !a.disabled);
                let Some(account) = account else {
                    self.0.sessions.end_for(user);
                    return Err(Blocked::Login);
                };
                Ok(Acting {
                    server: Some(store.clone()),
                    store: store.clone() as Arc<dyn Store>,
                    user,
                    demo: false,
                    passphrase: false,
                    account: Some(account.username),
                })
            }
            Access::Local(l) => {
                let unlocked = self.0.sessions.is_unlocked(token);
                match l.acting(unlocked).await {
                    Ok(a) => Ok(Acting {
                        server: Some(a.store.clone() as Arc<dyn ServerStore>),
                        store: a.store,
                        user: hearth_store::LOCAL_USER,
                        demo: a.profile == Profile::Demo,
                        passphrase: a.passphrase,
                        account: None,
                    }),
                    Err((closed, err)) => {
                        if let Some(e) = err {
                            // Ids and kinds only: never the path's contents.
                            tracing::error!(error = %e, "the journal could not be opened");
                            return Err(Blocked::Broken);
                        }
                        Err(match closed {
                            local::Closed::NoJournal => Blocked::NoJournal,
                            local::Closed::Locked => Blocked::Locked,
                        })
                    }
                }
            }
        }
    }
}

/// The journal a request acts on, and for whom.
pub struct Acting {
    pub store: Arc<dyn Store>,
    pub user: UserId,
    /// The demo profile: made-up data, clearly labelled.
    pub demo: bool,
    /// A passphrase journal (so the pages offer "Lock now").
    pub passphrase: bool,
    /// Server mode: the signed-in person's username.
    pub account: Option<String>,
    /// The same store with share links (every mode but `Access::Fixed`).
    pub server: Option<Arc<dyn ServerStore>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    NoJournal,
    Locked,
    /// Server mode: nobody is signed in with this session.
    Login,
    Broken,
}

impl FromRequestParts<AppState> for Acting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session::cookie_value(&parts.headers);
        state
            .acting(token.as_deref())
            .await
            .map_err(ApiError::blocked)
    }
}

/// Refuses requests addressed to any other host name: a page on the internet
/// cannot rebind its name to 127.0.0.1 and read the journal.
async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(hosts) = &state.0.hosts {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "Hearth answers only at http://{}/",
                    hosts.first().map_or("127.0.0.1", String::as_str)
                ),
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Host names a loopback listener answers to.
pub fn loopback_hosts(addr: std::net::SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![
        addr.to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    if port == 80 {
        hosts.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
    }
    hosts
}

/// A request's log span: its method and path only. Never the query (it can
/// hold dates and filters) and never a share link's secret.
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let path = req.uri().path();
    let path = if path.starts_with("/s/") {
        "/s/…"
    } else {
        path
    };
    tracing::info_span!("request", method = %req.method(), path)
}

pub fn router(state: AppState) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let pages = pages::routes().layer(middleware::from_fn_with_state(
        state.clone(),
        session::guard,
    ));
    Router::new()
        .nest("/api/v1", api::routes())
        .merge(pages)
        .route("/static/hearth.css", get(pages::css))
        .route("/static/hearth.js", get(pages::js))
        // A clinician's link: no session, no sign-in; the secret is the key.
        .route("/s/{token}", get(shares::open))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), check_host))
        // A page with a policy of its own (the report's) keeps it; every other
        // response gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}
