//! The server over a real listener for integration tests: a fresh backend
//! per test (SQLite always, PostgreSQL when HEARTH_TEST_POSTGRES_URL is set)
//! and a person with a cookie jar who calls the API and the pages.
#![allow(dead_code)]

use std::sync::Arc;

use hearth_core::Settings;
use hearth_core::instrument::Registry;
use hearth_server::auth::Registration;
use hearth_server::{Access, AppState, loopback_hosts, router};
use hearth_store::{PgStore, ServerStore, SqliteStore};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A backend for one test, cleaned up on drop of the guard.
pub enum Guard {
    Sqlite(#[allow(dead_code)] TempDir),
    Pg(String, Arc<PgStore>),
}

pub async fn backends(test: &str) -> Vec<(&'static str, Arc<dyn ServerStore>, Guard)> {
    let dir = TempDir::new().unwrap();
    let sqlite = SqliteStore::create(
        &dir.path().join("j"),
        None,
        &Settings::for_zone("UTC"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let mut out: Vec<(&'static str, Arc<dyn ServerStore>, Guard)> =
        vec![("sqlite", Arc::new(sqlite), Guard::Sqlite(dir))];
    match std::env::var("HEARTH_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos();
            let schema = format!("hearth_srv_{test}_{}_{nanos}", std::process::id());
            let pg = Arc::new(PgStore::connect(&url, Some(&schema), 4).await.unwrap());
            out.push(("postgres", pg.clone(), Guard::Pg(schema, pg)));
        }
        None => eprintln!("{test}: PostgreSQL skipped (HEARTH_TEST_POSTGRES_URL is not set)"),
    }
    out
}

pub async fn cleanup(g: Guard) {
    if let Guard::Pg(schema, pg) = g {
        // The test's server still holds the store; drop the schema from outside.
        pg.close().await;
        let url = std::env::var("HEARTH_TEST_POSTGRES_URL").unwrap();
        PgStore::drop_schema_at(&url, &schema).await.unwrap();
    }
}

pub async fn serve(store: Arc<dyn ServerStore>, registration: Registration) -> String {
    serve_behind(store, registration, false).await
}

/// `trust_proxy`: as behind a reverse proxy, so X-Forwarded-For names the peer.
pub async fn serve_behind(
    store: Arc<dyn ServerStore>,
    registration: Registration,
    trust_proxy: bool,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(
        Access::Accounts {
            store,
            registration,
        },
        Arc::new(Registry::builtin()),
    )
    .with_tls(false, trust_proxy)
    .only_hosts(loopback_hosts(addr));
    // Kept alive to the end of the process: a journal dropped when the test's
    // runtime stops would close its SQLCipher connections on their worker
    // threads while the test binary exits, racing SQLCipher's own exit
    // cleanup (a crash after every test passed). Hearth itself closes its
    // stores before exiting.
    std::mem::forget(state.clone());
    tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
    format!("http://{addr}")
}

pub struct Person {
    pub http: reqwest::Client,
    pub base: String,
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Person {
    pub async fn register(base: &str, name: &str) -> Person {
        let p = Person {
            http: browser(),
            base: base.to_string(),
        };
        let (st, v) = p
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(json!({"username": name, "password": "a good long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        p
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (st, text) = self.raw(method, path, body).await;
        (
            st,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, String) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Sends a file's contents as the body, the way `curl --data-binary` does.
    pub async fn upload(&self, path: &str, body: String) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "text/plain")
            .body(body)
            .send()
            .await
            .unwrap();
        let st = r.status();
        (st, r.json().await.unwrap())
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        self.raw(Method::GET, path, None).await
    }

    /// Posts a form with the CSRF token of the page `from`.
    pub async fn form(
        &self,
        from: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let (_, html) = self.page(from).await;
        let at = html.find("name=\"csrf\" value=\"").expect("a form");
        let token = &html[at + 19..at + 19 + 64];
        let mut form = vec![("csrf", token)];
        form.extend_from_slice(fields);
        let r = self
            .http
            .post(format!("{}{action}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    pub async fn export(&self) -> Value {
        self.call(Method::GET, "/api/v1/account/export", None)
            .await
            .1
    }
}
