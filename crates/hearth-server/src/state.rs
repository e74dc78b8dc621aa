//! Whose journal a request reaches: the server's shared state, the acting
//! person, and why a request may be blocked.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hearth_core::Settings;
use hearth_core::instrument::Registry;
use hearth_store::{ServerStore, Store, StoreError, UserId};

use crate::error::{ApiError, Blocked};
use crate::import::pending::PendingImports;
use crate::local::{self, Local, Profile};
use crate::{auth, session};

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
    /// Also accept a Host that is an IP address: a browser sends one only when
    /// it was pointed at the address itself, never after rebinding a name.
    pub ip_hosts: bool,
    /// Local mode: the key every request must carry (see `launch`).
    pub launch_key: Option<String>,
    /// The address people outside reach Hearth at (`--public-url`), for share links.
    pub public_url: Option<String>,
    /// Mark cookies Secure on every response (served over TLS).
    pub secure_cookies: bool,
    /// A reverse proxy in front says `X-Forwarded-Proto: https` when it serves TLS.
    pub trust_proxy: bool,
    pub limiter: auth::Limiter,
    pub imports: PendingImports,
}

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(access: Access, registry: Arc<Registry>) -> AppState {
        // Passwords and passphrases chosen on the pages are checked here,
        // in the server's own process (`hearth` asks its helper instead).
        hearth_app::secrets::estimate_here();
        let (sessions, imports) = match &access {
            Access::Accounts { store, .. } => (
                session::Sessions::in_store(store.clone()),
                PendingImports::in_store(store.clone()),
            ),
            _ => (session::Sessions::default(), PendingImports::default()),
        };
        AppState(Arc::new(Shared {
            registry,
            access,
            sessions,
            hosts: None,
            ip_hosts: false,
            launch_key: None,
            public_url: None,
            secure_cookies: false,
            trust_proxy: false,
            limiter: auth::Limiter::default(),
            imports,
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

    /// Accepts these names and any IP address as the Host (listening beyond
    /// loopback, where the addresses people use are not known in advance).
    pub fn only_names_or_addresses(self, names: Vec<String>) -> AppState {
        self.configure(|s| {
            s.hosts = Some(names);
            s.ip_hosts = true;
        })
    }

    /// Share links are made at this address (`https://hearth.example.org`).
    pub fn with_public_url(self, url: String) -> AppState {
        self.configure(|s| s.public_url = Some(url.trim_end_matches('/').to_string()))
    }

    /// Requires this key of every request but a share link's (local mode).
    pub fn with_launch_key(self, key: String) -> AppState {
        self.configure(|s| s.launch_key = Some(key))
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
        match &self.0.access {
            Access::Local(l) => l.close().await,
            Access::Accounts { store, .. } => store.close().await,
            Access::Fixed { .. } => {}
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

    pub(crate) async fn acting(&self, token: Option<&str>) -> Result<Acting, Blocked> {
        match &self.0.access {
            Access::Fixed { store, user } => Ok(Acting {
                server: None,
                store: store.clone(),
                user: *user,
                demo: false,
                passphrase: false,
                account: None,
                settings: None,
            }),
            Access::Accounts { store, .. } => {
                let signed = self
                    .0
                    .sessions
                    .signed_in(token)
                    .await
                    .ok_or(Blocked::Login)?;
                let user = signed.account.id;
                // Checked on every request, so an operator's "disable" bites at once.
                if signed.account.disabled {
                    let _ = self.0.sessions.end_for(user).await;
                    return Err(Blocked::Login);
                }
                Ok(Acting {
                    server: Some(store.clone()),
                    store: store.clone() as Arc<dyn Store>,
                    user,
                    demo: false,
                    passphrase: false,
                    account: Some(signed.account.username),
                    settings: Some(signed.settings),
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
                        settings: None,
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
    /// The person's settings when they came with the session (server
    /// mode); otherwise read when needed (`Acting::settings`).
    pub settings: Option<Settings>,
}

impl Acting {
    /// The person's settings, as read with the session or from the store.
    pub async fn settings(&self) -> Result<Settings, StoreError> {
        match &self.settings {
            Some(s) => Ok(s.clone()),
            None => self.store.settings(self.user).await,
        }
    }
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
