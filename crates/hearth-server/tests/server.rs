//! Server mode over a real listener, on SQLite always and on PostgreSQL when
//! HEARTH_TEST_POSTGRES_URL is set: accounts, sessions and back-off, and
//! isolation proven on every API route the OpenAPI document lists and every
//! page that takes an id — another person's ids answer 404 and reveal,
//! change and delete nothing.

use std::sync::Arc;

use hearth_server::auth::Registration;
use hearth_store::{PgStore, ServerStore, SqliteStore};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

mod common;
use common::*;

const SECRET: &str = "alice-private-note";

/// Alice's journal: one of everything, each holding the secret where it can.
async fn fill(alice: &Person) -> Vec<String> {
    let mut ids = Vec::new();
    for (path, body) in [
        ("/api/v1/checkins", json!({"mood": 3, "note": SECRET})),
        (
            "/api/v1/episodes",
            json!({"kind": "sex-partnered", "mood_before": 6, "note": SECRET, "feelings": ["tearful"]}),
        ),
        (
            "/api/v1/surveys/phq9",
            json!({"answers": [1, 1, 1, 1, 1, 1, 1, 1, 1]}),
        ),
        (
            "/api/v1/medications",
            json!({"name": "sertraline", "class": "ssri", "dose": 50}),
        ),
    ] {
        let (st, v) = alice.call(Method::POST, path, Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{path}: {v}");
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    alice
        .form(
            "/settings",
            "/contacts",
            &[("name", SECRET), ("contact", "0123 456")],
        )
        .await;
    alice
        .form("/settings", "/questions", &[("text", SECRET)])
        .await;
    // A share link too: its id joins the ids another person must not reach.
    let (st, v) = alice
        .call(Method::POST, "/api/v1/shares", Some(json!({"days": 3})))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    ids.push(v["id"].as_str().unwrap().to_string());
    // The episode has no after-rating: its "how do you feel now?" prompt.
    let (_, due) = alice.call(Method::GET, "/api/v1/due", None).await;
    let prompt = due["prompts"][0]["prompt"]["id"].as_str().unwrap();
    ids.push(prompt.to_string());
    ids
}

#[tokio::test]
async fn one_person_never_reaches_anothers_data_on_any_route() {
    for (backend, store, guard) in backends("isolation").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let bob = Person::register(&base, "bob").await;
        let ids = fill(&alice).await;
        let before = alice.export().await;
        let contact_id = before["contacts"][0]["id"].as_str().unwrap().to_string();
        let question_id = before["questions"][0]["id"].as_str().unwrap().to_string();

        // Every API route the OpenAPI document lists, with Alice's ids where it takes one.
        let (_, doc) = bob.call(Method::GET, "/api/v1/openapi.json", None).await;
        let paths = doc["paths"].as_object().unwrap();
        assert!(
            paths.len() >= 15,
            "{backend}: the document lists the routes"
        );
        for (path, ops) in paths {
            for method in ops.as_object().unwrap().keys() {
                if path.starts_with("/auth/")
                    || path == "/unlock"
                    || path == "/openapi.json"
                    || (path == "/account" && method == "delete")
                {
                    continue;
                }
                let m: Method = method.to_uppercase().parse().unwrap();
                let ids_here: Vec<String> = if path.contains("{id}") {
                    ids.clone()
                } else {
                    vec![String::new()]
                };
                for id in ids_here {
                    let url = format!(
                        "/api/v1{}",
                        path.replace("{id}", &id).replace("{instrument}", "phq9")
                    );
                    let body = match (m.as_str(), path.as_str()) {
                        ("PATCH", _) => Some(json!({"note": "bob was here"})),
                        ("POST", "/checkins") => Some(json!({"mood": 5})),
                        ("POST", "/episodes") => Some(json!({"kind": "exercise"})),
                        ("POST", "/surveys/{instrument}") => {
                            Some(json!({"answers": [0, 0, 0, 0, 0, 0, 0, 0, 0]}))
                        }
                        ("POST", "/medications") => {
                            Some(json!({"name": "sertraline", "event": "stop"}))
                        }
                        ("POST", "/prompts/{id}") => Some(json!({"rating": 5})),
                        _ => None,
                    };
                    let (st, text) = bob.raw(m.clone(), &url, body).await;
                    assert!(!text.contains(SECRET), "{backend} {m} {url} leaked: {text}");
                    // A 404 repeats the id asked for; any other of Alice's ids is a leak.
                    for alice_id in ids.iter().filter(|x| **x != id) {
                        assert!(
                            !text.contains(alice_id.as_str()),
                            "{backend} {m} {url} named Alice's entry"
                        );
                    }
                    if path.contains("{id}") {
                        assert_eq!(st, StatusCode::NOT_FOUND, "{backend} {m} {url}: {text}");
                    }
                    // Stopping Alice's medication by name must not reach hers.
                    if path == "/medications" && m == Method::POST {
                        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {text}");
                    }
                }
            }
        }

        // Every page that takes an id, read and posted.
        for id in &ids {
            for p in [
                "/entries/{id}",
                "/entries/{id}/edit",
                "/entries/{id}/after",
                "/entries/{id}/delete",
            ] {
                let (st, html) = bob.page(&p.replace("{id}", id)).await;
                assert_eq!(st, StatusCode::NOT_FOUND, "{backend} GET {p}");
                assert!(!html.contains(SECRET));
            }
            for (p, fields) in [
                ("/entries/{id}", vec![("mood", "9"), ("kind", "exercise")]),
                ("/entries/{id}/after", vec![("mood_after", "9")]),
                ("/entries/{id}/delete", vec![]),
            ] {
                let (st, _) = bob.form("/settings", &p.replace("{id}", id), &fields).await;
                assert_eq!(st, StatusCode::NOT_FOUND, "{backend} POST {p}");
            }
        }
        bob.form("/settings", &format!("/contacts/{contact_id}/delete"), &[])
            .await;
        bob.form(
            "/settings",
            &format!("/questions/{question_id}/delete"),
            &[],
        )
        .await;
        for p in [
            "/",
            "/history",
            "/insights",
            "/medications",
            "/settings",
            "/help",
            "/surveys/phq9/history",
            "/export/journal.json",
            "/report",
        ] {
            let (st, html) = bob.page(p).await;
            assert_eq!(st, StatusCode::OK, "{backend} {p}");
            assert!(!html.contains(SECRET), "{backend} {p} leaked");
            assert!(
                !ids.iter().any(|id| html.contains(id.as_str())),
                "{backend} {p} named Alice's entry"
            );
        }

        let mut after = alice.export().await;
        after["exported_at"] = before["exported_at"].clone();
        assert_eq!(
            after, before,
            "{backend}: Alice's journal is exactly as it was"
        );
        assert!(
            bob.export().await["entries"].as_array().unwrap().len() >= 3,
            "Bob's own writes landed in Bob's journal"
        );
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn imports_land_in_the_importers_journal_only_and_all_or_nothing() {
    for (backend, store, guard) in backends("import").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let bob = Person::register(&base, "bob").await;
        fill(&alice).await;
        let before = alice.export().await;
        let n = before["entries"].as_array().unwrap().len();

        // Alice hands Bob her export file: it becomes Bob's copy, with the
        // same ids, and Alice's journal is untouched.
        let file = serde_json::to_string(&before).unwrap();
        let (st, v) = bob
            .upload(
                "/api/v1/account/import?format=hearth&dry_run=true",
                file.clone(),
            )
            .await;
        assert_eq!(
            (st, v["added"].as_u64()),
            (StatusCode::OK, Some(n as u64)),
            "{backend}: {v}"
        );
        assert!(
            bob.export().await["entries"].as_array().unwrap().is_empty(),
            "{backend}: a dry run writes nothing"
        );
        let (st, v) = bob
            .upload("/api/v1/account/import?format=hearth", file.clone())
            .await;
        assert_eq!(
            (st, v["added"].as_u64(), v["unchanged"].as_u64()),
            (StatusCode::OK, Some(n as u64), Some(0)),
            "{backend}: {v}"
        );
        let (_, v) = bob
            .upload("/api/v1/account/import?format=hearth", file)
            .await;
        assert_eq!(
            (v["added"].as_u64(), v["unchanged"].as_u64()),
            (Some(0), Some(n as u64)),
            "{backend}: twice adds nothing"
        );
        let mut after = alice.export().await;
        after["exported_at"] = before["exported_at"].clone();
        assert_eq!(
            after, before,
            "{backend}: Alice's journal is exactly as it was"
        );

        // A file larger than any form, with one bad row at the end: refused
        // with its line, and nothing of it is kept.
        let bobs = bob.export().await;
        let mut csv = String::from("full_date,date,weekday,time,mood,activities,note_title,note\n");
        let note = "A note long enough to make the file bigger than any form. ".repeat(6);
        for day in 0..1000 {
            let d = jiff::civil::date(2000, 1, 1) + jiff::Span::new().days(day);
            csv.push_str(&format!("{d},x,x,9:00 am,good,,,{note}\n"));
        }
        assert!(csv.len() > 300 * 1024);
        let (st, v) = bob
            .upload(
                "/api/v1/account/import?format=daylio",
                format!("{csv}2020-01-01,x,x,9:00 am,tired,,,\n"),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(
            msg.contains("line 1002") && msg.contains("nothing was imported"),
            "{backend}: {v}"
        );
        let mut now = bob.export().await;
        now["exported_at"] = bobs["exported_at"].clone();
        assert_eq!(
            now, bobs,
            "{backend}: a refused import leaves the journal as it was"
        );
        let (st, v) = bob
            .upload("/api/v1/account/import?format=daylio", csv)
            .await;
        assert_eq!(
            (st, v["added"].as_u64()),
            (StatusCode::OK, Some(1000)),
            "{backend}: {v}"
        );
        let (st, v) = bob
            .upload("/api/v1/account/import?format=numbers", String::new())
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn without_signing_in_the_api_answers_401_and_pages_ask_to_sign_in() {
    for (backend, store, guard) in backends("anon").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let ids = fill(&alice).await;
        let stranger = Person {
            http: browser(),
            base: base.clone(),
        };
        let (_, doc) = stranger
            .call(Method::GET, "/api/v1/openapi.json", None)
            .await;
        for (path, ops) in doc["paths"].as_object().unwrap() {
            if path.starts_with("/auth/") || path == "/unlock" || path == "/openapi.json" {
                continue;
            }
            for method in ops.as_object().unwrap().keys() {
                let url = format!(
                    "/api/v1{}",
                    path.replace("{id}", &ids[0])
                        .replace("{instrument}", "phq9")
                );
                let (st, text) = stranger
                    .raw(
                        method.to_uppercase().parse().unwrap(),
                        &url,
                        Some(json!({})),
                    )
                    .await;
                assert_eq!(
                    st,
                    StatusCode::UNAUTHORIZED,
                    "{backend} {method} {url}: {text}"
                );
                assert!(!text.contains(SECRET));
            }
        }
        let r = stranger
            .http
            .get(format!("{base}/history"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/login");
        // Local-mode pages do not exist here.
        assert_eq!(stranger.page("/welcome").await.0, StatusCode::NOT_FOUND);
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn sign_in_back_off_password_change_and_sign_out() {
    for (backend, store, guard) in backends("login").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let login = |pw: &str| json!({"username": "Alice", "password": pw});
        let other = Person {
            http: browser(),
            base: base.clone(),
        };
        let (st, _) = other
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(login("a good long password")),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT, "{backend}: names ignore case");
        assert_eq!(
            other.call(Method::GET, "/api/v1/account", None).await.1["username"],
            "alice"
        );

        // Changing the password signs out the other session.
        let (st, v) = alice
            .call(
                Method::POST,
                "/api/v1/auth/password",
                Some(json!({"current": "not it at all", "new": "another long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (st, _) = alice
            .call(
                Method::POST,
                "/api/v1/auth/password",
                Some(json!({"current": "a good long password", "new": "another long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        assert_eq!(
            alice.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::OK,
            "this session goes on"
        );
        assert_eq!(
            other.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::UNAUTHORIZED,
            "the other is signed out"
        );
        let hash = store
            .account("alice")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{backend}: Argon2id");
        assert!(!hash.contains("another long password"));

        // Disabled by an operator: out at the next request.
        store.set_disabled("alice", true).await.unwrap();
        assert_eq!(
            alice.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::UNAUTHORIZED
        );
        store.set_disabled("alice", false).await.unwrap();

        // Sign out.
        let fresh = Person {
            http: browser(),
            base: base.clone(),
        };
        fresh
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": "alice", "password": "another long password"})),
            )
            .await;
        assert_eq!(
            fresh.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::OK
        );
        fresh.call(Method::POST, "/api/v1/auth/logout", None).await;
        assert_eq!(
            fresh.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::UNAUTHORIZED
        );
        // Wrong passwords: 401 and the same words for an unknown name; then 429.
        let guesser = Person {
            http: browser(),
            base: base.clone(),
        };
        let (_, unknown) = guesser
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": "nobody", "password": "whatever at all"})),
            )
            .await;
        for i in 0..5 {
            let (st, v) = guesser
                .call(
                    Method::POST,
                    "/api/v1/auth/login",
                    Some(login("wrong password!")),
                )
                .await;
            assert_eq!(st, StatusCode::UNAUTHORIZED, "{backend} try {i}");
            assert_eq!(
                v["error"], unknown["error"],
                "no hint whether the name exists"
            );
        }
        let r = guesser
            .http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&login("another long password"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{backend}: even the right password waits"
        );
        assert!(r.headers().get("retry-after").is_some());

        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn registration_can_be_open_by_invitation_or_closed() {
    for (backend, store, guard) in backends("register").await {
        let invite_only = serve(store.clone(), Registration::Invite).await;
        let p = Person {
            http: browser(),
            base: invite_only.clone(),
        };
        let creds = |code: Option<&str>| json!({"username": "casey", "password": "a good long password", "invite": code});
        let (st, v) = p
            .call(Method::POST, "/api/v1/auth/register", Some(creds(None)))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        assert_eq!(v["problems"][0]["field"], "invite");
        let (code, hash) = hearth_app::secrets::new_invite();
        let now = jiff::Timestamp::now();
        store
            .create_invite(&hash, now, now + jiff::SignedDuration::from_hours(1))
            .await
            .unwrap();
        let (st, _) = p
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(creds(Some("not-the-code"))),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let (st, v) = p
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(creds(Some(&code))),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let again = Person {
            http: browser(),
            base: invite_only,
        };
        let (st, _) = again
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(
                    json!({"username": "drew", "password": "a good long password", "invite": code}),
                ),
            )
            .await;
        assert_eq!(
            st,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an invitation works once"
        );

        let closed = serve(store.clone(), Registration::Closed).await;
        let p = Person {
            http: browser(),
            base: closed,
        };
        let (st, _) = p
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(json!({"username": "erin", "password": "a good long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = p
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(json!({"username": "x", "password": "short"})),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        assert!(store.account("erin").await.unwrap().is_none());
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn deleting_an_account_removes_every_row_and_keeps_others() {
    for (backend, store, guard) in backends("delete").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let bob = Person::register(&base, "bob").await;
        fill(&alice).await;
        fill(&bob).await;
        let alice_id = store.account("alice").await.unwrap().unwrap().id;
        let bob_id = store.account("bob").await.unwrap().unwrap().id;
        let bob_rows = store.rows_of(bob_id).await.unwrap();
        assert!(store.rows_of(alice_id).await.unwrap() > 8);

        let (st, _) = alice
            .call(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"password": "wrong password!"})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert!(
            store.rows_of(alice_id).await.unwrap() > 8,
            "a wrong password deletes nothing"
        );
        let (st, _) = alice
            .call(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"password": "a good long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        assert_eq!(
            store.rows_of(alice_id).await.unwrap(),
            0,
            "{backend}: every row is gone"
        );
        assert_eq!(
            store.rows_of(bob_id).await.unwrap(),
            bob_rows,
            "Bob's are all there"
        );
        assert_eq!(
            alice.call(Method::GET, "/api/v1/entries", None).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (st, _) = Person {
            http: browser(),
            base: base.clone(),
        }
        .call(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"username": "alice", "password": "a good long password"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);

        // The same from the page, which asks for the name and the password.
        let (st, html) = bob
            .form(
                "/account",
                "/account/delete",
                &[("confirm", "bobby"), ("password", "a good long password")],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        let (st, html) = bob
            .form(
                "/account",
                "/account/delete",
                &[("confirm", "bob"), ("password", "a good long password")],
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("Your account is deleted"));
        assert_eq!(store.rows_of(bob_id).await.unwrap(), 0);
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn pages_sign_up_and_sign_in_in_a_browser_session() {
    for (backend, store, guard) in backends("pages").await {
        let base = serve(store.clone(), Registration::Open).await;
        let p = Person {
            http: browser(),
            base: base.clone(),
        };
        let (st, html) = p
            .form(
                "/register",
                "/register",
                &[
                    ("username", "frankie"),
                    ("password", "a good long password"),
                    ("again", "not the same one"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert!(html.contains("different"));
        let (st, _) = p
            .form(
                "/register",
                "/register",
                &[
                    ("username", "frankie"),
                    ("password", "a good long password"),
                    ("again", "a good long password"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let (st, html) = p.page("/").await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("Signed in as frankie"));
        p.form("/", "/logout", &[]).await;
        assert_eq!(p.page("/").await.0, StatusCode::SEE_OTHER);
        let (st, html) = p
            .form(
                "/login",
                "/login",
                &[("username", "frankie"), ("password", "wrong password!")],
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert!(html.contains("do not match"));
        let (st, _) = p
            .form(
                "/login",
                "/login",
                &[
                    ("username", "frankie"),
                    ("password", "a good long password"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(p.page("/").await.0, StatusCode::OK);
        drop(store);
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn a_share_link_leaves_out_what_the_person_chose() {
    for (backend, store, guard) in backends("share_leave_out").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        fill(&alice).await;
        let (st, v) = alice
            .call(
                Method::POST,
                "/api/v1/episodes",
                Some(json!({"kind": "sex-partnered", "mood_before": 5, "mood_after": 3, "pressured": true})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (st, v) = alice
            .call(
                Method::POST,
                "/api/v1/shares",
                Some(json!({"days": 2, "leave_out": ["diary"]})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        assert!(v.to_string().contains("leave_out"), "{v}");
        let open = |leave_out: Value| {
            let alice = &alice;
            async move {
                let (st, link) = alice
                    .call(
                        Method::POST,
                        "/api/v1/shares",
                        Some(json!({"days": 2, "leave_out": leave_out})),
                    )
                    .await;
                assert_eq!(st, StatusCode::CREATED, "{link}");
                let url = link["url"].as_str().unwrap().to_string();
                (
                    link,
                    browser()
                        .get(&url)
                        .send()
                        .await
                        .unwrap()
                        .text()
                        .await
                        .unwrap(),
                )
            }
        };
        let (_, full) = open(json!([])).await;
        assert!(
            full.contains("Felt pressured during sex with a partner"),
            "{backend}"
        );
        let (link, page) = open(json!(["sex", "notices"])).await;
        assert_eq!(link["leave_out"], json!(["sex", "notices"]), "{backend}");
        assert!(
            !page.contains("Felt pressured"),
            "{backend}: sexual activity left out"
        );
        assert!(
            !page.contains("Notices raised"),
            "{backend}: notices left out"
        );
        assert!(
            page.contains("Left out at the person&#39;s request:")
                || page.contains("Left out at the person's request:"),
            "{backend}: the report says so"
        );
        let (_, list) = alice.call(Method::GET, "/api/v1/shares", None).await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|l| l["leave_out"] == json!(["sex", "notices"])),
            "{backend}: {list}"
        );
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn a_share_link_shows_the_report_until_withdrawn_and_logs_each_view() {
    for (backend, store, guard) in backends("share").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let bob = Person::register(&base, "bob").await;
        fill(&alice).await;
        let (st, v) = alice
            .call(Method::POST, "/api/v1/shares", Some(json!({"days": 0})))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {v}");
        let (st, link) = alice
            .call(
                Method::POST,
                "/api/v1/shares",
                Some(json!({"from": "2026-01-01", "days": 14})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{link}");
        let url = link["url"].as_str().unwrap().to_string();
        let id = link["id"].as_str().unwrap().to_string();
        assert!(url.starts_with(&format!("{base}/s/")), "{url}");
        let token = url.rsplit('/').next().unwrap().to_string();
        // Only a hash is kept: the secret is nowhere in what the list shows.
        let (_, list) = alice.call(Method::GET, "/api/v1/shares", None).await;
        assert!(!list.to_string().contains(&token));

        // A clinician with no account opens it: the report, read-only, with no way in.
        let clinician = browser();
        let r = clinician.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{backend}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script"),
            "{csp}"
        );
        assert!(
            r.headers().get("set-cookie").is_none(),
            "no session for a viewer"
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Hearth report") && page.contains(SECRET),
            "the person's questions are in it"
        );
        assert!(!page.contains("<form"), "read-only");
        assert_eq!(
            clinician
                .get(format!("{base}/api/v1/entries"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );

        let (_, views) = alice
            .call(Method::GET, &format!("/api/v1/shares/{id}/views"), None)
            .await;
        assert_eq!(
            views.as_array().unwrap().len(),
            1,
            "{backend}: the view was logged"
        );
        assert_eq!(
            views[0]["network"], "unknown",
            "no address without a known peer"
        );
        // Bob can neither see, count nor withdraw it.
        assert_eq!(
            bob.call(Method::GET, &format!("/api/v1/shares/{id}/views"), None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            bob.call(Method::DELETE, &format!("/api/v1/shares/{id}"), None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            clinician.get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );

        // Withdrawn: the same plain answer as an unknown link, and nothing logged.
        assert_eq!(
            alice
                .call(Method::DELETE, &format!("/api/v1/shares/{id}"), None)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        let r = clinician.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(!r.text().await.unwrap().contains(SECRET));
        let unknown = clinician
            .get(format!("{base}/s/{}", "0".repeat(64)))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let (_, views) = alice
            .call(Method::GET, &format!("/api/v1/shares/{id}/views"), None)
            .await;
        assert_eq!(views.as_array().unwrap().len(), 2);

        // The page makes one too, and shows its address once.
        let (st, html) = alice
            .form("/shares", "/shares", &[("weeks", "4"), ("days", "7")])
            .await;
        assert_eq!(st, StatusCode::OK, "{backend}");
        assert!(html.contains("Here is your link") && html.contains("/s/"));
        let (_, again) = alice.page("/shares").await;
        assert!(!again.contains("Here is your link"), "never shown again");
        assert!(again.contains("withdrawn") && again.contains("opened 2 times"));
        drop(store);
        cleanup(guard).await;
    }
}

/// Many addresses guessing one account's password are slowed down too, not
/// only one address guessing many: after 20 failures from anywhere, each
/// further try for that account waits.
#[tokio::test]
async fn guessing_one_password_from_many_addresses_is_slowed() {
    for (backend, store, guard) in backends("spread").await {
        let base = serve_behind(store.clone(), Registration::Open, true).await;
        Person::register(&base, "alice").await;
        let http = browser();
        let mut answers = Vec::new();
        for i in 0..24 {
            let r = http
                .post(format!("{base}/api/v1/auth/login"))
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .json(&json!({"username": "alice", "password": format!("guess number {i}")}))
                .send()
                .await
                .unwrap();
            answers.push(r.status());
        }
        assert!(
            answers[..20].iter().all(|s| *s == StatusCode::UNAUTHORIZED),
            "{backend}: {answers:?}"
        );
        assert_eq!(
            answers[23],
            StatusCode::TOO_MANY_REQUESTS,
            "{backend}: slowed after 20 failures from 24 addresses: {answers:?}"
        );
        cleanup(guard).await;
    }
}

/// An operator's "disable" ends an account's share links too, and
/// "enable" brings them back.
#[tokio::test]
async fn a_disabled_accounts_share_links_show_nothing() {
    for (backend, store, guard) in backends("disabledshare").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let (st, link) = alice
            .call(Method::POST, "/api/v1/shares", Some(json!({"days": 14})))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{backend}: {link}");
        let url = link["url"].as_str().unwrap().to_string();
        let clinician = browser();
        assert_eq!(
            clinician.get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
        store.set_disabled("alice", true).await.unwrap();
        let r = clinician.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{backend}: disabled");
        assert!(!r.text().await.unwrap().contains("Hearth report"));
        store.set_disabled("alice", false).await.unwrap();
        assert_eq!(
            clinician.get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
        cleanup(guard).await;
    }
}

/// A session left open cannot be used to guess the password: confirmations
/// for a new password or deleting the account back off like sign-ins.
#[tokio::test]
async fn confirming_a_password_backs_off_after_failures() {
    for (backend, store, guard) in backends("confirm").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let mut answers = Vec::new();
        for i in 0..6 {
            let (st, _) = alice
                .call(
                    Method::POST,
                    "/api/v1/auth/password",
                    Some(json!({"current": format!("guess number {i}"), "new": "another long password"})),
                )
                .await;
            answers.push(st);
        }
        assert_eq!(answers[0], StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert_eq!(
            answers[5],
            StatusCode::TOO_MANY_REQUESTS,
            "{backend}: {answers:?}"
        );
        let (st, _) = alice
            .call(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"password": "a good long password"})),
            )
            .await;
        assert_eq!(
            st,
            StatusCode::TOO_MANY_REQUESTS,
            "{backend}: even the right one waits"
        );
        assert!(
            store.account("alice").await.unwrap().is_some(),
            "nothing deleted"
        );
        cleanup(guard).await;
    }
}

/// A second server process over the same database: for SQLite a second open
/// of the same file, for PostgreSQL a second connection pool.
async fn second_store(guard: &Guard) -> Arc<dyn ServerStore> {
    match guard {
        Guard::Sqlite(dir) => Arc::new(
            SqliteStore::open(
                &dir.path().join("j"),
                &hearth_store::keys::Unlock::KeyFileOnly,
            )
            .await
            .unwrap(),
        ),
        Guard::Pg(schema, _) => {
            let url = std::env::var("HEARTH_TEST_POSTGRES_URL").unwrap();
            Arc::new(PgStore::connect(&url, Some(schema), 2).await.unwrap())
        }
    }
}

/// Sessions live in the store: one server signs a person in, another on the
/// same database knows them and takes the first one's forms, a restarted
/// server still does, and a password change ends the other sessions on every
/// server at once.
#[tokio::test]
async fn sessions_survive_a_restart_and_work_across_two_servers() {
    for (backend, store, guard) in backends("two_servers").await {
        let a = serve(store.clone(), Registration::Open).await;
        let b = serve(second_store(&guard).await, Registration::Open).await;
        let alex = Person::register(&a, "alex").await;
        // Cookies do not depend on the port: the same browser, at server b.
        let at_b = Person {
            http: alex.http.clone(),
            base: b.clone(),
        };
        let (st, me) = at_b.call(Method::GET, "/api/v1/account", None).await;
        assert_eq!(
            (st, me["username"].as_str()),
            (StatusCode::OK, Some("alex")),
            "{backend}"
        );
        // A form served by a, sent to b.
        let (_, html) = alex.page("/settings").await;
        let at = html.find("name=\"csrf\" value=\"").expect("a form");
        let token = html[at + 19..at + 19 + 64].to_string();
        let r = at_b
            .http
            .post(format!("{b}/questions"))
            .form(&[("csrf", token.as_str()), ("text", "Asked through server b")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{backend}");
        assert!(
            alex.export()
                .await
                .to_string()
                .contains("Asked through server b")
        );
        // Restarted: a new server over a fresh connection knows the session.
        let c = serve(second_store(&guard).await, Registration::Open).await;
        let at_c = Person {
            http: alex.http.clone(),
            base: c.clone(),
        };
        assert_eq!(
            at_c.call(Method::GET, "/api/v1/account", None).await.0,
            StatusCode::OK
        );
        // Alex signed in on a second browser; the password changes on b.
        let phone = Person {
            http: browser(),
            base: a.clone(),
        };
        let (st, _) = phone
            .call(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": "alex", "password": "a good long password"})),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT, "{backend}");
        let phone_at = |base: &String| Person {
            http: phone.http.clone(),
            base: base.clone(),
        };
        // Used at a and c first, so a PostgreSQL server there keeps who it is.
        for base in [&a, &c] {
            let (st, _) = phone_at(base)
                .call(Method::GET, "/api/v1/account", None)
                .await;
            assert_eq!(st, StatusCode::OK, "{backend}");
        }
        let (st, v) = at_b
            .call(
                Method::POST,
                "/api/v1/auth/password",
                Some(json!({"current": "a good long password", "new": "copper kettle rain"})),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT, "{backend}: {v}");
        // The database's notice reaches the other servers within moments;
        // waiting less than the 2 s a kept answer lasts, only it can end it.
        let told_by = std::time::Instant::now() + std::time::Duration::from_secs(1);
        for base in [&a, &b, &c] {
            let st = loop {
                let (st, _) = phone_at(base)
                    .call(Method::GET, "/api/v1/account", None)
                    .await;
                if st != StatusCode::OK || std::time::Instant::now() > told_by {
                    break st;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            };
            assert_eq!(
                st,
                StatusCode::UNAUTHORIZED,
                "{backend}: the other session ended at {base}"
            );
        }
        // The browser that changed it keeps a fresh session, everywhere.
        assert_eq!(
            alex.call(Method::GET, "/api/v1/account", None).await.0,
            StatusCode::OK
        );
        assert_eq!(
            at_c.call(Method::GET, "/api/v1/account", None).await.0,
            StatusCode::OK
        );
        cleanup(guard).await;
    }
}

#[tokio::test]
async fn a_calendar_link_rings_at_the_chosen_times_names_nothing_and_stops_at_once() {
    for (backend, store, guard) in backends("calendar").await {
        let base = serve(store.clone(), Registration::Open).await;
        let alice = Person::register(&base, "alice").await;
        let (st, _) = alice
            .form(
                "/reminders",
                "/reminders",
                &[("times", "20:30, 9:00"), ("quiet", "22:00-07:00")],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{backend}");
        let (st, bad) = alice
            .form(
                "/reminders",
                "/reminders",
                &[("times", "25:00"), ("quiet", "")],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
        assert!(bad.contains("is not a time of day"), "{backend}");
        let (_, r) = alice.call(Method::GET, "/api/v1/reminders", None).await;
        assert_eq!(r["remind_at"], json!(["09:00", "20:30"]), "{backend}: {r}");
        assert_eq!(r["calendar"], false);

        let (st, made) = alice.call(Method::POST, "/api/v1/calendar", None).await;
        assert_eq!(st, StatusCode::CREATED, "{backend}: {made}");
        let url = made["url"].as_str().unwrap().to_string();
        assert!(
            url.starts_with(&format!("{base}/calendar.ics?token=")),
            "{url}"
        );
        // A phone's calendar has no session: the link alone reads the feed.
        let phone = reqwest::Client::new();
        let r = phone.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{backend}");
        assert!(
            r.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let feed = r.text().await.unwrap();
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2, "{backend}: {feed}");
        assert!(
            feed.contains("DTSTART:")
                && feed.contains("T090000\r\n")
                && feed.contains("T203000\r\n")
        );
        assert!(!feed.contains("alice"), "the feed names nobody");
        // Saving settings keeps the link; a wrong secret reads nothing.
        alice
            .form(
                "/reminders",
                "/reminders",
                &[("times", "09:00, 20:30"), ("quiet", "")],
            )
            .await;
        assert_eq!(
            phone.get(&url).send().await.unwrap().status(),
            StatusCode::OK
        );
        let wrong = format!("{base}/calendar.ics?token={}", "0".repeat(64));
        assert_eq!(
            phone.get(&wrong).send().await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            phone
                .get(format!("{base}/calendar.ics"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
        // A new link ends the old one; stopping ends it at once.
        let (_, again) = alice.call(Method::POST, "/api/v1/calendar", None).await;
        let newer = again["url"].as_str().unwrap().to_string();
        assert_eq!(
            phone.get(&url).send().await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            phone.get(&newer).send().await.unwrap().status(),
            StatusCode::OK
        );
        let (st, _) = alice.call(Method::DELETE, "/api/v1/calendar", None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        assert_eq!(
            phone.get(&newer).send().await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        // A disabled account's link reads nothing.
        let (_, last) = alice.call(Method::POST, "/api/v1/calendar", None).await;
        let last = last["url"].as_str().unwrap().to_string();
        store.set_disabled("alice", true).await.unwrap();
        assert_eq!(
            phone.get(&last).send().await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "disabled"
        );
        cleanup(guard).await;
    }
}
