//! The JSON API over a real listener on a free loopback port.

use std::sync::Arc;

use hearth_core::Settings;
use hearth_core::instrument::Registry;
use hearth_server::{AppState, router};
use hearth_store::{LOCAL_USER, SqliteStore, Store, UserId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tempfile::TempDir;

struct Server {
    _dir: TempDir,
    store: Arc<dyn Store>,
    base: String,
    other: String,
    http: reqwest::Client,
}

/// One store, two people: `base` acts for the journal's owner, `other` for a second person.
async fn start() -> Server {
    let dir = TempDir::new().unwrap();
    let store = SqliteStore::create(
        &dir.path().join("j"),
        None,
        &Settings::for_zone("America/New_York"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let second = store
        .create_user("second", jiff::Timestamp::now())
        .await
        .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let registry = Arc::new(Registry::builtin());
    let mut bases = Vec::new();
    for user in [LOCAL_USER, second] {
        let state = AppState::fixed(store.clone(), UserId(user.0), registry.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        bases.push(format!("http://{}/api/v1", listener.local_addr().unwrap()));
        tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
    }
    Server {
        _dir: dir,
        store,
        other: bases.pop().unwrap(),
        base: bases.pop().unwrap(),
        http: reqwest::Client::new(),
    }
}

impl Server {
    /// Closes the journal before the test ends. Left to the runtime's
    /// shutdown, its SQLCipher connections would close on their worker
    /// threads while the test binary exits, racing SQLCipher's own exit
    /// cleanup (a crash after every test passed); Hearth itself always
    /// closes its stores before exiting.
    async fn finish(self) {
        self.store.close().await;
    }

    async fn send(
        &self,
        method: reqwest::Method,
        base: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{base}{path}"));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, &self.base, path, Some(body))
            .await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, &self.base, path, None)
            .await
    }

    async fn entries(&self) -> Value {
        self.get("/entries").await.1
    }
}

fn fields(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn create_read_update_delete() {
    let s = start().await;
    let (st, v) = s
        .post(
            "/checkins",
            json!({"mood": 4, "energy": 3, "note": "tired", "tags": ["Work"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["entry"]["tags"], json!(["work"]));
    let (st, ep) = s
        .post("/episodes", json!({"kind": "exercise", "exercise_type": "cardio", "mood_before": 3, "mood_after": 6, "at": "2h ago"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{ep}");
    let list = s.entries().await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], v["id"], "newest first");
    let (st, one) = s.get(&format!("/entries/{id}")).await;
    assert_eq!((st, one["mood"].as_i64()), (StatusCode::OK, Some(4)));

    let (st, patched) = s
        .send(
            reqwest::Method::PATCH,
            &s.base,
            &format!("/entries/{id}"),
            Some(json!({"mood": 7, "note": null})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{patched}");
    assert_eq!(
        (patched["mood"].as_i64(), &patched["note"]),
        (Some(7), &Value::Null)
    );
    let before = s.entries().await;
    for bad in [
        json!({"mood": 12}),
        json!({"id": "zzzzzzzzzz"}),
        json!({"colour": 1}),
        json!({"mood_before": 3}),
    ] {
        let (st, e) = s
            .send(
                reqwest::Method::PATCH,
                &s.base,
                &format!("/entries/{id}"),
                Some(bad.clone()),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad} → {e}");
    }
    assert_eq!(s.entries().await, before, "refused patches change nothing");

    let (st, _) = s
        .send(
            reqwest::Method::DELETE,
            &s.base,
            &format!("/entries/{id}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    for path in [
        format!("/entries/{id}"),
        "/entries/zzzzzzzzzz".into(),
        "/entries/not-an-id".into(),
    ] {
        assert_eq!(
            s.send(reqwest::Method::DELETE, &s.base, &path, None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(s.get(&path).await.0, StatusCode::NOT_FOUND);
    }
    s.finish().await;
}

#[tokio::test]
async fn bad_input_is_422_naming_each_field_and_writes_nothing() {
    let s = start().await;
    let (st, e) = s
        .post(
            "/checkins",
            json!({"mood": 11, "energy": -1, "at": "next tuesday"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&e), ["mood", "energy", "at"]);
    let (st, e) = s
        .post(
            "/episodes",
            json!({"kind": "exercise", "motive": "escape", "touch": "hug"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&e), ["touch", "motive"]);
    let (st, e) = s.post("/episodes", json!({"kind": "jogging"})).await;
    assert_eq!(
        (st, fields(&e)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".to_string()])
    );
    assert_eq!(
        s.post("/checkins", json!({"mood": 5, "colour": "blue"}))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (st, _) = s.post("/surveys/phq9", json!({"answers": [1, 2, 3]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _) = s
        .post(
            "/medications",
            json!({"name": "sertraline", "event": "change", "dose": 50}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.entries().await, json!([]));
    let raw = s
        .http
        .post(format!("{}/checkins", s.base))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let big = "x".repeat(hearth_server::BODY_LIMIT + 10);
    let huge = s
        .http
        .post(format!("{}/checkins", s.base))
        .json(&json!({"mood": 5, "note": big}))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(s.entries().await, json!([]));
    s.finish().await;
}

#[tokio::test]
async fn surveys_insights_medications_and_crisis() {
    let s = start().await;
    let (st, v) = s
        .post(
            "/surveys/phq9",
            json!({"answers": [0, 0, 0, 0, 0, 0, 0, 0, 1], "difficulty": 1}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(
        (
            v["total"].as_i64(),
            v["band"].as_str(),
            v["crisis"].as_bool()
        ),
        (Some(1), Some("minimal"), Some(true))
    );
    assert!(v["resources"].to_string().contains("988"));
    let (_, safe) = s
        .post("/checkins", json!({"mood": 2, "not_safe": true}))
        .await;
    assert_eq!(safe["crisis"], true);
    let (st, m) = s
        .post(
            "/medications",
            json!({"name": "Sertraline", "class": "ssri", "dose": 50, "at": "2026-01-10"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (st, _) = s
        .post(
            "/medications",
            json!({"name": "sertraline", "event": "change", "dose": 100}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (_, meds) = s.get("/medications").await;
    assert_eq!(
        (meds[0]["name"].as_str(), meds[0]["dose"].as_f64()),
        (Some("Sertraline"), Some(100.0))
    );
    let (st, ins) = s.get("/insights").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ins["insights"][4]["id"], "depression_trend");
    assert_eq!(ins["insights"][4]["latest"], 1);
    s.finish().await;
}

#[tokio::test]
async fn one_person_can_never_reach_anothers_entries() {
    let s = start().await;
    let (_, v) = s
        .post("/checkins", json!({"mood": 4, "note": "mine"}))
        .await;
    let id = v["id"].as_str().unwrap();
    let path = format!("/entries/{id}");
    let (st, body) = s.send(reqwest::Method::GET, &s.other, &path, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(!body.to_string().contains("mine"));
    assert_eq!(
        s.send(
            reqwest::Method::PATCH,
            &s.other,
            &path,
            Some(json!({"mood": 1}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.send(reqwest::Method::DELETE, &s.other, &path, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.send(reqwest::Method::GET, &s.other, "/entries", None)
            .await
            .1,
        json!([])
    );
    assert_eq!(s.get(&path).await.1["mood"], 4, "still there, unchanged");
    s.finish().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = start().await;
    for path in ["/entries", "/nowhere"] {
        let r = s
            .http
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    s.finish().await;
}

/// The pages, the CLI's `edit` and `PATCH` settle a later rating's time by one
/// rule: an unchanged rating keeps the time it was given, a new one was given now.
#[tokio::test]
async fn a_patched_later_rating_is_timed_like_one_given_on_a_page() {
    let s = start().await;
    let (st, v) = s
        .post(
            "/episodes",
            json!({"kind": "exercise", "mood_before": 3, "mood_after": 5, "followup": 6,
                   "followup_at": "2h ago", "at": "3h ago"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let given = v["entry"]["followup_at"].clone();
    let patch = |body: Value| {
        let path = format!("/entries/{id}");
        let s = &s;
        async move {
            s.send(reqwest::Method::PATCH, &s.base, &path, Some(body))
                .await
        }
    };
    let (st, same) = patch(json!({"mood_after": 6})).await;
    assert_eq!(st, StatusCode::OK, "{same}");
    assert_eq!(
        same["followup_at"], given,
        "an unchanged rating keeps its time"
    );
    let (_, changed) = patch(json!({"followup": 8})).await;
    let at: jiff::Timestamp = changed["followup_at"].as_str().unwrap().parse().unwrap();
    let was: jiff::Timestamp = given.as_str().unwrap().parse().unwrap();
    assert!(
        at > was + jiff::SignedDuration::from_mins(90),
        "a changed rating was given now, not two hours ago: {at} vs {was}"
    );
    let (_, cleared) = patch(json!({"followup": null})).await;
    assert_eq!(cleared["followup_at"], Value::Null, "no rating, no time");
    s.finish().await;
}

/// Each kind of entry has its own patch: a questionnaire's score cannot be
/// edited by hand, and a check-in cannot lose its mood.
#[tokio::test]
async fn a_patch_changes_only_what_its_kind_allows() {
    let s = start().await;
    let (_, v) = s.post("/surveys/phq2", json!({"answers": [1, 1]})).await;
    let sid = v["id"].as_str().expect("a survey was stored").to_string();
    let (st, e) = s
        .send(
            reqwest::Method::PATCH,
            &s.base,
            &format!("/entries/{sid}"),
            Some(json!({"total": 0})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("questionnaire"),
        "{e}"
    );
    let (_, c) = s.post("/checkins", json!({"mood": 4})).await;
    let cid = c["id"].as_str().unwrap().to_string();
    let (st, e) = s
        .send(
            reqwest::Method::PATCH,
            &s.base,
            &format!("/entries/{cid}"),
            Some(json!({"mood": null})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, after) = s.get(&format!("/entries/{cid}")).await;
    assert_eq!(after["mood"], 4, "nothing was written");
    s.finish().await;
}

/// A page on another site can send a "simple" POST (text/plain, no
/// preflight) to a journal that needs no sign-in; the browser says where
/// it came from, and Hearth refuses it before anything is written.
#[tokio::test]
async fn a_cross_site_request_changes_nothing() {
    let s = start().await;
    let export = json!({
        "format": "hearth-export", "version": 1, "exported_at": "2026-01-01T00:00:00Z",
        "settings": {"tz": "UTC", "region": "us"}, "custom_kinds": [],
        "contacts": [{"id": "0000000001", "name": "Mallory", "contact": "call me", "note": null}],
        "entries": []
    });
    let attacks = [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ];
    for (name, value) in attacks {
        for (path, body) in [
            ("/account/import?format=hearth", export.to_string()),
            ("/checkins", json!({"mood": 1}).to_string()),
        ] {
            let r = s
                .http
                .post(format!("{}{path}", s.base))
                .header("content-type", "text/plain")
                .header(name, value)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                StatusCode::FORBIDDEN,
                "{name}: {value} on {path}"
            );
        }
    }
    let (_, help) = s.get("/help").await;
    assert!(
        !help.to_string().contains("Mallory"),
        "no contact was added"
    );
    assert_eq!(s.entries().await, json!([]), "no entry was added");
    // Hearth's own pages, and programs, still can.
    let r = s
        .http
        .post(format!("{}/checkins", s.base))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"mood": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    s.finish().await;
}

/// Behind TLS (`--secure-cookies`, or a trusted proxy saying https) every
/// answer asks the browser to stay on https; over plain http none does.
#[tokio::test]
async fn strict_transport_security_only_over_tls() {
    let dir = TempDir::new().unwrap();
    let store = SqliteStore::create(
        &dir.path().join("j"),
        None,
        &Settings::for_zone("UTC"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    let store: Arc<dyn Store> = Arc::new(store);
    let registry = Arc::new(Registry::builtin());
    let mut hsts = Vec::new();
    for (secure, proxy, forwarded) in [
        (true, false, None),
        (false, true, Some("https")),
        (false, true, None),
        (false, false, Some("https")),
    ] {
        let state =
            AppState::fixed(store.clone(), LOCAL_USER, registry.clone()).with_tls(secure, proxy);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
        let mut req = reqwest::Client::new().get(format!("{base}/entries"));
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-proto", f);
        }
        let r = req.send().await.unwrap();
        hsts.push(r.headers().get("strict-transport-security").is_some());
    }
    assert_eq!(
        hsts,
        [true, true, false, false],
        "an untrusted header changes nothing"
    );
    store.close().await;
}

/// Feeling pressured, or sex with a new partner without protection, is met
/// at once with kind words and the region's support lines; other activities
/// are not.
#[tokio::test]
async fn feeling_pressured_answers_with_support_lines_at_once() {
    let s = start().await;
    let (st, v) = s
        .post(
            "/episodes",
            json!({"kind": "sex-partnered", "pressured": true, "mood_before": 4, "mood_after": 2}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let support = v["support"].to_string();
    assert!(support.contains("not your fault"), "{support}");
    assert!(
        support.contains("800-656-4673"),
        "RAINN for a US journal: {support}"
    );
    assert!(support.contains("findahelpline.com"), "{support}");
    assert!(v.get("crisis").is_none(), "support, not a crisis trigger");
    let (_, v) = s
        .post(
            "/episodes",
            json!({"kind": "sex-partnered", "new_partner": true, "protection": false}),
        )
        .await;
    assert!(
        v["support"].to_string().contains("sexual health clinic"),
        "{v}"
    );
    for calm in [
        json!({"kind": "sex-partnered", "new_partner": true, "protection": true}),
        json!({"kind": "exercise", "mood_before": 3, "mood_after": 6}),
    ] {
        let (_, v) = s.post("/episodes", calm).await;
        assert!(v.get("support").is_none(), "{v}");
    }
    s.finish().await;
}
