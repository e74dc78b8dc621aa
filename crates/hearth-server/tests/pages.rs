//! The web app over a real listener, in local mode: first visit, sessions and
//! CSRF, unlock and idle lock, forms that save or refuse whole, crisis lines,
//! the demo profile, and the OpenAPI document.

use std::sync::Arc;
use std::time::Duration;

use hearth_core::Settings;
use hearth_core::instrument::Registry;
use hearth_server::{Access, AppState, Local, loopback_hosts, router};
use hearth_store::keys::Unlock;
use hearth_store::{LOCAL_USER, SqliteStore, Store};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use serde_json::{Value, json};
use tempfile::TempDir;

struct App {
    dir: TempDir,
    base: String,
    http: reqwest::Client,
}

async fn start_with(prepare: impl AsyncFnOnce(&std::path::Path), lock_after: Duration) -> App {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("journal");
    prepare(&data).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(
        Access::Local(Local::new(data, lock_after, None)),
        Arc::new(Registry::builtin()),
    )
    .only_hosts(loopback_hosts(addr));
    // Kept alive to the end of the process: a journal dropped when the test's
    // runtime stops would close its SQLCipher connections on their worker
    // threads while the test binary exits, racing SQLCipher's own exit
    // cleanup (a crash after every test passed). Hearth itself closes its
    // stores before exiting.
    std::mem::forget(state.clone());
    tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
    App {
        dir,
        base: format!("http://{addr}"),
        http: client(),
    }
}

async fn start() -> App {
    start_with(async |_| {}, Duration::from_secs(900)).await
}

/// A browser: keeps cookies, does not follow redirects (so tests see them).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn key_file_journal(dir: &std::path::Path) {
    let s = SqliteStore::create(
        dir,
        None,
        &Settings::for_zone("America/New_York"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    s.close().await;
}

const PASSPHRASE: &str = "correct horse battery";

async fn passphrase_journal(dir: &std::path::Path) {
    let s = SqliteStore::create(
        dir,
        Some(PASSPHRASE),
        &Settings::for_zone("Europe/London"),
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    s.close().await;
}

fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 19..];
    rest[..rest.find('"').unwrap()].to_string()
}

impl App {
    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("journal")
    }

    async fn get(&self, path: &str) -> (StatusCode, String, Option<String>) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (status, r.text().await.unwrap(), location)
    }

    /// Posts a form with the CSRF token from `page`.
    async fn post(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let (_, html, _) = self.get(page).await;
        let token = csrf_of(&html);
        let mut form: Vec<(&str, &str)> = vec![("csrf", &token)];
        form.extend_from_slice(fields);
        self.post_raw(action, &form).await
    }

    async fn post_raw(
        &self,
        action: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let r = self
            .http
            .post(format!("{}{action}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (status, r.text().await.unwrap(), location)
    }

    async fn api(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .get(format!("{}/api/v1{path}", self.base))
            .send()
            .await
            .unwrap();
        let st = r.status();
        (st, r.json().await.unwrap_or(Value::Null))
    }

    async fn count(&self) -> usize {
        self.api("/entries").await.1.as_array().map_or(0, Vec::len)
    }
}

#[tokio::test]
async fn a_first_visit_offers_a_journal_or_the_demo_and_starts_one() {
    let app = start().await;
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/welcome"))
    );
    let (_, html, _) = app.get("/welcome").await;
    assert!(html.contains("Start my journal") && html.contains("Explore with demo data"));
    // The API says what to do rather than failing obscurely.
    assert_eq!(app.api("/entries").await.0, StatusCode::CONFLICT);

    let (st, html, _) = app
        .post(
            "/welcome/start",
            "/welcome/start",
            &[
                ("tz", "Europe/Dublin"),
                ("passphrase", "short"),
                ("again", "short"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("at least 8 characters"), "{html}");
    assert!(
        !hearth_store::sqlite::exists(&app.data()),
        "nothing was created"
    );

    // The form asks where the person is, with each zone's guess beside it.
    let (_, form, _) = app.get("/welcome/start").await;
    assert!(form.contains("name=\"region\""), "{form}");
    assert!(form.contains("data-region=\"ie\">Europe/Dublin"), "{form}");
    let (st, html, _) = app
        .post(
            "/welcome/start",
            "/welcome/start",
            &[("tz", "Europe/Dublin"), ("region", "atlantis")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("atlantis"), "{html}");
    assert!(!hearth_store::sqlite::exists(&app.data()));

    // A person in Dublin's zone who is in fact in the US gets 988.
    let (st, _, loc) = app
        .post(
            "/welcome/start",
            "/welcome/start",
            &[("tz", "Europe/Dublin"), ("region", "us")],
        )
        .await;
    assert_eq!((st, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let (st, html, _) = app.get("/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("How are you right now?"));
    let store = SqliteStore::open(&app.data(), &Unlock::KeyFileOnly)
        .await
        .unwrap();
    let settings = store.settings(LOCAL_USER).await.unwrap();
    assert_eq!(
        (settings.tz.as_str(), settings.region.as_str()),
        ("Europe/Dublin", "us")
    );
}

#[tokio::test]
async fn forms_need_this_sessions_token_and_a_same_site_origin() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    // No session, or a made-up token: refused, nothing saved.
    let stranger = client();
    let r = stranger
        .post(format!("{}/checkin", app.base))
        .form(&[("mood", "5"), ("csrf", "0000")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (st, _, _) = app
        .post_raw("/checkin", &[("mood", "5"), ("csrf", "0000")])
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // The right token from another site's page: refused too.
    let (_, html, _) = app.get("/").await;
    let token = csrf_of(&html);
    let r = app
        .http
        .post(format!("{}/checkin", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("mood", "5"), ("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count().await, 0);
    // The page's own form: saved.
    let (st, _, loc) = app.post("/", "/checkin", &[("mood", "5")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(loc.unwrap().starts_with("/?saved="));
    assert_eq!(app.count().await, 1);
}

#[tokio::test]
async fn a_request_for_another_host_name_is_refused() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let r = app
        .http
        .get(format!("{}/api/v1/entries", app.base))
        .header("host", "evil.example:80")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::MISDIRECTED_REQUEST);
    let port = app.base.rsplit(':').next().unwrap();
    let r = app
        .http
        .get(format!("{}/api/v1/entries", app.base))
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn unlocking_a_key_file_journal_changes_nothing() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let r = app
        .http
        .post(format!("{}/api/v1/unlock", app.base))
        .json(&json!({"passphrase": "anything at all"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Still open to every client, as a key-file journal is; nothing became passphrase-only.
    let r = client()
        .get(format!("{}/api/v1/entries", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, html, _) = app.get("/").await;
    assert!(!html.contains("Lock now"));
}

#[tokio::test]
async fn a_bad_form_saves_nothing_and_keeps_what_was_typed() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, html, _) = app
        .post(
            "/",
            "/checkin",
            &[
                ("mood", "6"),
                ("energy", "11"),
                ("note", "kept text"),
                ("at", "next tuesday"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Nothing was saved") && html.contains("energy") && html.contains("at"));
    assert!(html.contains("kept text"), "the note survives the error");
    assert!(
        html.contains("value=\"6\" checked"),
        "the chosen mood stays chosen"
    );
    let (st, html, _) = app.post("/log", "/log", &[("mood_before", "4")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("choose what you did"));
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn log_rate_later_edit_and_delete_with_confirmation() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, _, loc) = app
        .post(
            "/log",
            "/log",
            &[
                ("kind", "exercise"),
                ("mood_before", "3"),
                ("minutes", "25"),
                ("exercise_type", "cardio"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let id = loc.unwrap().trim_start_matches("/log?saved=").to_string();
    let (_, html, _) = app.get(&format!("/log?saved={id}")).await;
    assert!(
        html.contains(&format!("/entries/{id}/after")),
        "a link to rate it later"
    );
    let (_, today, _) = app.get("/").await;
    assert!(
        today.contains("Waiting for you") && today.contains("How do you feel now?"),
        "and it waits on Today"
    );

    let (st, _, _) = app
        .post(
            &format!("/entries/{id}/after"),
            &format!("/entries/{id}/after"),
            &[("mood_after", "6"), ("followup", "5")],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, e) = app.api(&format!("/entries/{id}")).await;
    assert_eq!(
        (e["mood_after"].as_i64(), e["followup"].as_i64()),
        (Some(6), Some(5))
    );
    assert!(
        e["followup_at"].is_string(),
        "when the later rating was given is kept"
    );

    // Edit through the same form, prefilled.
    let (_, form, _) = app.get(&format!("/entries/{id}/edit")).await;
    assert!(form.contains("value=\"exercise\" checked") && form.contains("value=\"25\""));
    let (st, _, loc) = app
        .post(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}"),
            &[
                ("kind", "exercise"),
                ("mood_before", "3"),
                ("mood_after", "7"),
                ("followup", "5"),
                ("minutes", "40"),
            ],
        )
        .await;
    assert_eq!(
        (st, loc),
        (
            StatusCode::SEE_OTHER,
            Some(format!("/entries/{id}?changed=1"))
        )
    );
    let (_, e2) = app.api(&format!("/entries/{id}")).await;
    assert_eq!(
        (e2["minutes"].as_i64(), e2["mood_after"].as_i64()),
        (Some(40), Some(7))
    );
    assert_eq!(
        e2["followup_at"], e["followup_at"],
        "an unchanged later rating keeps its time"
    );

    // Delete asks first; the question itself changes nothing.
    let (st, ask, _) = app.get(&format!("/entries/{id}/delete")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ask.contains("Delete this entry?") && ask.contains("Keep it"));
    assert_eq!(app.count().await, 1);
    let (st, _, loc) = app
        .post(
            &format!("/entries/{id}/delete"),
            &format!("/entries/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/history?deleted=1"))
    );
    assert_eq!(app.count().await, 0);
    let (st, _, _) = app.get(&format!("/entries/{id}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _, _) = app.get("/entries/not-an-id").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn undo_removes_what_was_just_saved() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (_, _, loc) = app.post("/", "/checkin", &[("mood", "2")]).await;
    let loc = loc.unwrap();
    let (_, html, _) = app.get(&loc).await;
    assert!(html.contains("Saved.") && html.contains("Undo"));
    let id = loc.trim_start_matches("/?saved=");
    let (st, _, back) = app
        .post(&loc, &format!("/entries/{id}/delete"), &[("undo", "1")])
        .await;
    assert_eq!((st, back.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    assert_eq!(app.count().await, 0);
}

/// Logging that one felt pressured shows support at once on the page that
/// confirms the save, with the numbers a phone can tap.
#[tokio::test]
async fn feeling_pressured_shows_support_lines_on_saving() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    app.post(
        "/settings",
        "/settings",
        &[("tz", "Europe/London"), ("region", "gb")],
    )
    .await;
    let (st, _, loc) = app
        .post(
            "/log",
            "/log",
            &[
                ("kind", "sex-partnered"),
                ("pressured", "on"),
                ("mood_before", "4"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, page, _) = app.get(&loc.unwrap()).await;
    assert!(page.contains("Support, if you want it"), "{page}");
    assert!(page.contains("not your fault"));
    for link in ["href=\"tel:08085002222\"", "href=\"tel:08082000247\""] {
        assert!(page.contains(link), "{link}");
    }
    assert!(!page.contains("Leaning on one tool"));
    // After-sex feelings offer good ones first, in words.
    let (_, form, _) = app.get("/log").await;
    let close = form.find("value=\"close\"").expect("close offered");
    assert!(close < form.find("value=\"tearful\"").unwrap());
    assert!(form.contains("<span>Calm</span>") && form.contains("<span>Content</span>"));
    // An ordinary activity gets the plain confirmation only.
    let (_, _, loc) = app
        .post(
            "/log",
            "/log",
            &[("kind", "exercise"), ("mood_before", "4")],
        )
        .await;
    let (_, page, _) = app.get(&loc.unwrap()).await;
    assert!(page.contains("Saved.") && !page.contains("Support, if you want it"));
}

#[tokio::test]
async fn crisis_lines_appear_at_once_from_a_check_in_and_from_phq9_item_9() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, _, loc) = app
        .post("/", "/checkin", &[("mood", "1"), ("not_safe", "on")])
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let loc = loc.unwrap();
    assert!(loc.starts_with("/help?saved="), "{loc}");
    let (_, help, _) = app.get(&loc).await;
    assert!(help.contains("988") && help.contains("You said you may not be safe"));
    // One tap from Today, with nothing to fill in first.
    let (_, today, _) = app.get("/").await;
    assert!(today.contains("href=\"/help?now=1\""));
    let (_, now, _) = app.get("/help?now=1").await;
    assert!(now.contains("You said you may not be safe"));
    // The PHQ-9 form carries the lines beside item 9, for its answers above 0
    // only, shown by the stylesheet the moment one is chosen (no script).
    let (_, form, _) = app.get("/surveys/phq9").await;
    assert_eq!(
        form.matches(" data-crisis").count(),
        3,
        "Several days and up on item 9"
    );
    let item9 = &form[form.find("name=\"a9\"").unwrap()..];
    assert!(item9.find("crisis-when-chosen").unwrap() < item9.find("</fieldset>").unwrap());

    let mut answers: Vec<(String, String)> =
        (1..=8).map(|i| (format!("a{i}"), "0".into())).collect();
    answers.push(("a9".into(), "1".into()));
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (st, result, _) = app.post("/surveys/phq9", "/surveys/phq9", &fields).await;
    assert_eq!(st, StatusCode::OK);
    let lines = result.find("988").expect("crisis lines on the result page");
    let score = result.find("PHQ-9: 1 of 27").expect("the score");
    assert!(lines < score, "the lines come before the score");

    // A PHQ-9 with an unanswered item is refused whole.
    let (st, html, _) = app
        .post("/surveys/phq9", "/surveys/phq9", &fields[..8])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("question 9"));
    // The help page needs no journal, and is never behind a lock.
    let fresh = start().await;
    let (st, help, _) = fresh.get("/help").await;
    assert_eq!(st, StatusCode::OK);
    assert!(help.contains("988") && help.contains("116 123"));
    // Every line is one tap: a call, or a text with its word already in it.
    for link in [
        "href=\"tel:988\"",
        "href=\"sms:988\"",
        "href=\"sms:741741?body=HOME\"",
        "href=\"tel:116123\"",
        "href=\"tel:911\"",
        "href=\"tel:112\"",
    ] {
        assert!(help.contains(link), "{link} on the help page");
    }
}

#[tokio::test]
async fn a_passphrase_journal_unlocks_per_browser_and_locks_when_idle() {
    let app = start_with(passphrase_journal, Duration::from_secs(2)).await;
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/unlock"))
    );
    assert_eq!(app.api("/entries").await.0, StatusCode::UNAUTHORIZED);
    let (st, html, _) = app
        .post("/unlock", "/unlock", &[("passphrase", "wrong one here")])
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(html.contains("is not the one this journal was created with"));
    let (st, _, loc) = app
        .post("/unlock", "/unlock", &[("passphrase", PASSPHRASE)])
        .await;
    assert_eq!((st, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    assert_eq!(app.get("/").await.0, StatusCode::OK);
    assert_eq!(app.api("/entries").await.0, StatusCode::OK);

    // Another browser on the same machine is still locked out.
    let other = client();
    let r = other
        .get(format!("{}/api/v1/entries", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The API can unlock for a script, with the passphrase.
    let r = other
        .post(format!("{}/api/v1/unlock", app.base))
        .json(&json!({"passphrase": PASSPHRASE}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = other
        .get(format!("{}/api/v1/entries", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Idle past the limit: locked again, for everyone.
    tokio::time::sleep(Duration::from_millis(2300)).await;
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/unlock"))
    );
    let (st, _, _) = app
        .post("/unlock", "/unlock", &[("passphrase", PASSPHRASE)])
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    // "Lock now" ends it at once.
    let (st, _, loc) = app.post("/", "/lock", &[]).await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/unlock"))
    );
    assert_eq!(app.get("/").await.0, StatusCode::SEE_OTHER);
}

/// Guesses at a passphrase are heard one at a time, and after a few wrong
/// ones the next waits longer: parallel requests cannot multiply the rate.
#[tokio::test]
async fn passphrase_guesses_are_heard_one_at_a_time_and_back_off() {
    let app = start_with(passphrase_journal, Duration::from_secs(900)).await;
    let guess = |passphrase: &'static str| {
        let url = format!("{}/api/v1/unlock", app.base);
        async move {
            let r = client()
                .post(url)
                .json(&json!({ "passphrase": passphrase }))
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let started = std::time::Instant::now();
    let w = "not the passphrase";
    let (a, b, c, d) = tokio::join!(guess(w), guess(w), guess(w), guess(w));
    let parallel = [a, b, c, d];
    let wrong = parallel
        .iter()
        .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
        .count();
    let waits = parallel
        .iter()
        .filter(|(s, b)| *s == StatusCode::TOO_MANY_REQUESTS && b.contains("wait"))
        .count();
    assert_eq!((wrong, waits), (1, 3), "{parallel:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the pause stays"
    );
    // Two more wrong tries, one after another, and the next must wait.
    for _ in 0..2 {
        assert_eq!(guess("still not it").await.0, StatusCode::UNAUTHORIZED);
    }
    let (st, body) = guess(PASSPHRASE).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("wait 2 seconds"), "{body}");
    let (st, html, _) = app
        .post("/unlock", "/unlock", &[("passphrase", PASSPHRASE)])
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("several wrong tries"), "{html}");
    // A back-off, not a lockout: after the wait the right one opens it.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(guess(PASSPHRASE).await.0, StatusCode::NO_CONTENT);
    assert_eq!(guess("wrong again").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        guess("wrong again").await.0,
        StatusCode::UNAUTHORIZED,
        "the count starts over after the right one"
    );
}

#[tokio::test]
async fn a_clinician_opening_a_share_link_does_not_keep_the_journal_unlocked() {
    let app = start_with(passphrase_journal, Duration::from_secs(2)).await;
    app.post("/unlock", "/unlock", &[("passphrase", PASSPHRASE)])
        .await;
    let url = app.share_link().await;
    // The clinician keeps reading while the owner is away…
    let clinician = client();
    for _ in 0..4 {
        let r = clinician.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    // …and two seconds after the owner's last step, the journal locks even
    // though the link was opened less than a second ago.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/unlock")),
        "locked after two idle seconds, however often the link was opened"
    );
    // And once locked, the link shows nothing until the owner unlocks again.
    assert_eq!(
        clinician.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn session_cookies_are_http_only_and_same_site_strict() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let r = client().get(format!("{}/", app.base)).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn the_demo_is_labelled_kept_apart_and_removable() {
    let app = start().await;
    let (st, _, loc) = app.post("/welcome", "/welcome/demo", &[]).await;
    assert_eq!((st, loc.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let demo = app.data().join("demo");
    assert!(hearth_store::sqlite::exists(&demo));
    assert!(
        !hearth_store::sqlite::exists(&app.data()),
        "the person's own journal is untouched"
    );
    let (_, today, _) = app.get("/").await;
    assert!(today.contains("demo data"));
    assert!(app.count().await > 1000, "a year of made-up entries");

    // Every page draws on a year of data, with charts that have words too,
    // and nothing the security policy would block.
    for path in [
        "/",
        "/log",
        "/history",
        "/surveys",
        "/surveys/phq9",
        "/surveys/phq9/history",
        "/insights",
        "/medications",
        "/settings",
        "/help",
        "/demo",
    ] {
        let (st, html, _) = app.get(path).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        assert!(html.contains("demo data"), "{path} says it is the demo");
        assert!(html.contains("href=\"/help\""), "{path} has the help link");
        assert!(
            !html.contains(" style=\"") && !html.contains("<script>"),
            "{path} has inline style or script"
        );
    }
    let (_, insights, _) = app.get("/insights").await;
    assert!(
        insights.matches("<svg").count() >= 4,
        "mood, what helps, medication and PHQ-9 charts"
    );
    assert!(insights.contains("95% interval") && insights.contains("role=\"img\" aria-label="));

    let (st, _, _) = app.post("/demo", "/demo/remove", &[]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(!demo.exists(), "the demo's directory is gone");
    assert_eq!(app.get("/").await.2.as_deref(), Some("/welcome"));
}

#[tokio::test]
async fn medications_settings_and_export_from_the_pages() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, _, _) = app
        .post(
            "/medications",
            "/medications",
            &[
                ("name", "sertraline"),
                ("event", "start"),
                ("class", "ssri"),
                ("dose", "50"),
                ("unit", "mg"),
                ("at", "2026-01-05"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, html, _) = app
        .post(
            "/medications",
            "/medications",
            &[("name", "sertraline"), ("event", "change"), ("dose", "100")],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{html}");
    let (st, html, _) = app
        .post(
            "/medications",
            "/medications",
            &[("name", "nothing-like-it"), ("event", "stop")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("no medication called"));
    let (_, meds) = app.api("/medications").await;
    assert_eq!(meds[0]["dose"], 100.0);

    // "Taken today" in one tap, from Today or Medications, once a day.
    let (_, today, _) = app.get("/").await;
    assert!(
        today.contains(">Taken today: sertraline</button>"),
        "{today}"
    );
    let (_, page, _) = app.get("/medications").await;
    assert!(
        page.contains("aria-label=\"Taken today: sertraline\""),
        "{page}"
    );
    for (from, back) in [("today", "/"), ("medications", "/medications?saved=1")] {
        let (st, _, loc) = app
            .post(
                "/",
                "/medications",
                &[("name", "sertraline"), ("event", "taken"), ("from", from)],
            )
            .await;
        assert_eq!((st, loc.as_deref()), (StatusCode::SEE_OTHER, Some(back)));
    }
    let (_, page, _) = app.get("/medications").await;
    assert!(page.contains("✓ Taken today at"), "{page}");
    let (_, today, _) = app.get("/").await;
    assert!(
        !today.contains("Today's medication"),
        "nothing left to mark today"
    );
    assert!(!page.contains("aria-label=\"Taken today: sertraline\""));
    assert!(
        page.contains("Taking 100 mg since"),
        "the dose is unchanged: {page}"
    );
    let (_, meds) = app.api("/medications").await;
    assert_eq!(
        meds[0]["history"].as_array().unwrap().len(),
        2,
        "start and change only"
    );
    assert!(meds[0]["last_taken"].is_string());
    let (_, entries) = app.api("/entries").await;
    let taken = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "taken")
        .count();
    assert_eq!(taken, 1, "a double tap records one dose");

    let (st, _, _) = app
        .post(
            "/settings",
            "/settings",
            &[
                ("tz", "Europe/London"),
                ("region", "gb"),
                ("cadence:phq9", "21"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, html, _) = app
        .post(
            "/settings",
            "/settings",
            &[("tz", "Mars/Olympus"), ("cadence:phq9", "0")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Nothing was saved") && html.contains("1 to 365"));
    app.post(
        "/settings",
        "/contacts",
        &[("name", "Sam"), ("contact", "07700 900123")],
    )
    .await;
    let (_, help, _) = app.get("/help").await;
    assert!(help.contains("116 123") && help.contains("Sam") && !help.contains("988"));
    assert!(
        help.contains("href=\"tel:07700900123\""),
        "the person's own number is one tap"
    );
    assert!(
        help.find("Your people").unwrap() < help.find("United Kingdom").unwrap(),
        "their own people come first"
    );

    let r = app
        .http
        .get(format!("{}/export/journal.json", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let export: Value = r.json().await.unwrap();
    assert_eq!(export["settings"]["region"], "gb");
    assert_eq!(export["settings"]["cadence"]["phq9"], 21);
    assert_eq!(
        export["entries"].as_array().unwrap().len(),
        3,
        "start, change, a dose taken"
    );
    let r = app
        .http
        .get(format!("{}/export/csv.zip", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/zip");
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, doc) = app.api("/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/checkins",
        "/episodes",
        "/entries",
        "/entries/{id}",
        "/surveys/{instrument}",
        "/insights",
        "/medications",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    for (path, method) in [
        ("/entries/{id}", "patch"),
        ("/entries/{id}", "delete"),
        ("/medications", "post"),
    ] {
        assert!(doc["paths"][path].get(method).is_some(), "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["CheckinIn"]["properties"]["mood"].is_object());
    // Query strings are documented as queries, with their bounds.
    for (path, name) in [
        ("/entries", "limit"),
        ("/insights", "since"),
        ("/account/import", "format"),
    ] {
        let params = doc["paths"][path]["get"]["parameters"]
            .as_array()
            .or(doc["paths"][path]["post"]["parameters"].as_array())
            .unwrap_or_else(|| panic!("{path} has parameters"));
        let p = params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(p["in"], "query", "{path} {name}");
    }
    // Every operation lists the refusals every route can give.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for code in ["400", "401", "404", "422"] {
                assert!(
                    op["responses"].get(code).is_some(),
                    "{method} {path} lacks {code}"
                );
            }
            if method != "get" {
                assert!(
                    op["responses"].get("403").is_some(),
                    "{method} {path} lacks 403"
                );
            }
        }
    }
}

/// A share link made on this computer says plainly that nobody elsewhere can
/// open it and offers the PDF instead, with a button to copy it.
#[tokio::test]
async fn a_link_only_this_computer_can_open_says_so_and_offers_the_pdf() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    app.post("/", "/checkin", &[("mood", "5")]).await;
    let (st, page, _) = app
        .post("/shares", "/shares", &[("weeks", "4"), ("days", "7")])
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    assert!(
        page.contains("This link works only on this computer"),
        "{page}"
    );
    assert!(page.contains("href=\"/report?format=pdf\""));
    assert!(page.contains("data-copy=\"share-url\""));
    let link = app.share().await;
    assert_eq!(link["only_this_computer"], true, "{link}");
}

#[tokio::test]
async fn the_report_and_share_links_work_on_a_local_journal() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    app.post("/", "/checkin", &[("mood", "4")]).await;
    let r = app
        .http
        .get(format!("{}/report", app.base))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("style-src 'unsafe-inline'") && !csp.contains("script"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Hearth report"));
    // The same twelve weeks as `hearth report` and a share link (84 days).
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("America/New_York").unwrap())
        .date();
    let from = today.checked_sub(jiff::Span::new().days(83)).unwrap();
    let period = format!(
        "{} to {}",
        from.strftime("%a %-d %b %Y"),
        today.strftime("%a %-d %b %Y")
    );
    assert!(html.contains(&period), "the report covers {period}");
    let r = app
        .http
        .get(format!("{}/report?format=pdf", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));

    let url = app.share_link().await;
    let r = client().get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    assert!(r.text().await.unwrap().contains("Hearth report"));

    // Parts left out from the settings page's form, which repeats the field.
    let r = app
        .http
        .get(format!(
            "{}/report?leave_out=sexual-function&leave_out=notices",
            app.base
        ))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("unvalidated questionnaire") && !html.contains("No notices"));
    assert!(
        html.contains("sexual-function checks, notices."),
        "the report says so"
    );
    let r = app
        .http
        .get(format!("{}/report?leave_out=diary", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The share form takes the same choices.
    let (st, page, _) = app
        .post(
            "/shares",
            "/shares",
            &[("weeks", "4"), ("days", "2"), ("leave_out", "porn")],
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    assert!(page.contains("(without porn use)"), "{page}");
}

impl App {
    /// Uploads `file` as the import form does, with the CSRF token (if any)
    /// in the form's address.
    async fn upload(&self, csrf: Option<&str>, format: &str, file: &str) -> (StatusCode, String) {
        let form = reqwest::multipart::Form::new()
            .text("format", format.to_string())
            .text("mood_map", "")
            .part(
                "file",
                reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("export.csv"),
            );
        let url = match csrf {
            Some(t) => format!("{}/import?csrf={t}", self.base),
            None => format!("{}/import", self.base),
        };
        let r = self.http.post(url).multipart(form).send().await.unwrap();
        let status = r.status();
        (status, r.text().await.unwrap())
    }

    /// A two-day share link's address, made through the API.
    /// A share link made through the API, as it answers.
    async fn share(&self) -> Value {
        self.http
            .post(format!("{}/api/v1/shares", self.base))
            .json(&json!({"days": 2}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn share_link(&self) -> String {
        self.share().await["url"].as_str().unwrap().to_string()
    }

    async fn entry_count(&self) -> usize {
        let v: Value = self
            .http
            .get(format!("{}/api/v1/entries", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v.as_array().expect("a list of entries").len()
    }
}

const BEARABLE: &str = "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n\
2024-03-02,2024-03-02,Saturday,am,Mood,6,,slow start\n\
2024-03-02,2024-03-02,Saturday,,Lifestyle,,🏃 Exercise | 🌱 Gardening,\n\
2024-03-02,2024-03-02,Saturday,,Symptom,2,Fatigue (Moderate),\n";

#[tokio::test]
async fn a_file_is_checked_in_settings_then_imported_once() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (_, html, _) = app.get("/settings").await;
    assert!(
        html.contains("href=\"/import\""),
        "Settings offers the import"
    );
    let (st, html, _) = app.get("/import").await;
    assert_eq!(st, StatusCode::OK);
    let token = csrf_of(&html);
    assert!(html.contains(&format!("action=\"/import?csrf={token}\"")));

    // Without the session's token the upload is refused unread.
    let (st, _) = app.upload(None, "bearable", BEARABLE).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app
        .upload(Some("0".repeat(64).as_str()), "bearable", BEARABLE)
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // A bad file: the line and the reason, the form again, nothing stored.
    let bad = format!("{BEARABLE}2024-03-03,2024-03-03,Sunday,am,Mood,14,,\n");
    let (st, html) = app.upload(Some(&token), "bearable", &bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Line 5: 14 is outside") && html.contains("nothing was imported."),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"bearable\" selected>"),
        "the choice is kept"
    );

    // Checking shows what would come in and writes nothing.
    let (st, html) = app.upload(Some(&token), "bearable", BEARABLE).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(
        html.contains("Would import 3 entries from 3 rows"),
        "{html}"
    );
    assert!(
        html.contains("symptoms: Hearth has no symptom tracker"),
        "{html}"
    );
    assert_eq!(app.entry_count().await, 0);
    let at = html.find("action=\"/import/").expect("an Import button");
    let action = html[at + 8..].split('"').next().unwrap().to_string();

    // Another browser cannot import this one's checked file.
    let other = App {
        dir: TempDir::new().unwrap(),
        base: app.base.clone(),
        http: client(),
    };
    let (st, html, _) = other.post("/import", &action, &[]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("no longer waiting"));
    assert_eq!(app.entry_count().await, 0);

    let (st, html, _) = app.post("/import", &action, &[]).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("Imported 3 entries"), "{html}");
    assert_eq!(app.entry_count().await, 3);
    // Sent again (a reload), it is not waiting any more; nothing doubles.
    let (st, _, _) = app.post("/import", &action, &[]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, html) = app.upload(Some(&token), "bearable", BEARABLE).await;
    assert!(html.contains("Nothing new to import"), "{html}");
    assert_eq!(app.entry_count().await, 3);
}

#[tokio::test]
async fn a_file_too_large_to_import_is_refused_in_words() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (_, html, _) = app.get("/import").await;
    let token = csrf_of(&html);
    let big = "x".repeat(hearth_app::import::MAX_BYTES + 1024);
    let (st, html) = app.upload(Some(&token), "daylio", &big).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("The file is larger than 32 MB"), "{html}");
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn a_strangers_requests_do_not_keep_the_journal_unlocked() {
    let app = start_with(passphrase_journal, Duration::from_secs(2)).await;
    app.post("/unlock", "/unlock", &[("passphrase", PASSPHRASE)])
        .await;
    // Someone else on this computer keeps knocking: pages, the API, and
    // wrong passphrases. None of it is the owner's use.
    let stranger = client();
    for _ in 0..6 {
        let r = stranger
            .get(format!("{}/api/v1/entries", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = stranger
            .post(format!("{}/api/v1/unlock", app.base))
            .json(&serde_json::json!({"passphrase": "not the passphrase"}))
            .send()
            .await
            .unwrap();
        // Wrong, then (after a few) told to wait: refused either way.
        assert!(
            matches!(
                r.status(),
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "{}",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/unlock")),
        "locked two seconds after the owner's last step, however often others knocked"
    );
}

#[tokio::test]
async fn a_wrong_passphrase_waits_a_second_through_the_api_as_on_the_page() {
    let app = start_with(passphrase_journal, Duration::from_secs(900)).await;
    let started = std::time::Instant::now();
    let r = client()
        .post(format!("{}/api/v1/unlock", app.base))
        .json(&serde_json::json!({"passphrase": "not the passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "answered after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_person_chooses_what_to_track_and_keeps_lists_discreet() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    for kind in ["sex-solo", "exercise"] {
        let (st, _, _) = app
            .post("/log", "/log", &[("kind", kind), ("mood_before", "5")])
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER);
    }
    // Today: both to log again in one tap, and the week at a glance.
    let (_, today, _) = app.get("/").await;
    assert!(
        today.contains("href=\"/log?done=exercise\"")
            && today.contains("href=\"/log?done=sex-solo\"")
    );
    assert!(today.contains("The last 7 days") && today.matches("<th scope=\"row\">").count() == 7);
    assert!(
        today.contains("(today)</th><td class=\"num\">–</td><td class=\"num\">2</td>"),
        "{today}"
    );
    let (_, html, _) = app.get("/settings").await;
    assert!(
        html.contains("name=\"track:sexual-function\" checked"),
        "{html}"
    );
    let names: Vec<String> = html
        .split("name=\"show:")
        .skip(1)
        .map(|t| t[..t.find('"').unwrap()].to_string())
        .collect();
    assert!(
        names.contains(&"porn".to_string()) && names.len() >= 10,
        "{names:?}"
    );
    // Everything but the sexual-function check and porn, and discreet lists.
    let mut form: Vec<(String, String)> = ["phq9", "gad7", "ucla3"]
        .iter()
        .map(|i| (format!("track:{i}"), "on".to_string()))
        .collect();
    form.extend(
        names
            .iter()
            .filter(|k| *k != "porn")
            .map(|k| (format!("show:{k}"), "on".to_string())),
    );
    form.push(("discreet".into(), "on".into()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (st, _, loc) = app.post("/settings", "/settings/tracking", &fields).await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/settings?saved=1#tracking"))
    );

    let (_, log, _) = app.get("/log").await;
    assert!(!log.contains("value=\"porn\"") && log.contains("value=\"exercise\""));
    let (_, surveys, _) = app.get("/surveys").await;
    assert!(surveys.contains("not suggested"), "{surveys}");
    let (_, due) = app.api("/surveys/due").await;
    let sf = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["instrument"] == "sexual-function")
        .unwrap();
    assert_eq!(
        (sf["tracked"].as_bool(), sf["due"].as_bool()),
        (Some(false), Some(false))
    );
    let (_, today, _) = app.get("/").await;
    assert!(today.contains("href=\"/log?done=exercise\"") && !today.contains("done=sex-solo"));
    // Lists say "Private" for the sexual activity; opening it shows it.
    for page in ["/", "/history"] {
        let (_, list, _) = app.get(page).await;
        assert!(list.contains(">Private<"), "{page}: {list}");
        assert!(list.contains(">Exercise<"), "{page}");
    }
    let id = app.api("/entries").await.1[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, entry, _) = app.get(&format!("/entries/{id}")).await;
    assert!(!entry.contains(">Private<"), "{entry}");

    // Unticking discreet brings the names back; nothing logged was lost.
    let without: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|f| f.0 != "discreet")
        .collect();
    app.post("/settings", "/settings/tracking", &without).await;
    let (_, list, _) = app.get("/history").await;
    assert!(!list.contains(">Private<"));
    assert_eq!(app.count().await, 2);
}

#[tokio::test]
async fn deleting_everything_needs_the_words_and_leaves_nothing_readable() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (st, _, _) = app.post("/", "/checkin", &[("mood", "6")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, settings, _) = app.get("/settings").await;
    assert!(settings.contains("Delete everything") && settings.contains("cannot be undone"));
    for typed in ["", "delete", "delete everything please"] {
        let (st, html, _) = app
            .post("/settings", "/settings/delete", &[("confirm", typed)])
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        assert!(html.contains("nothing was deleted"), "{html}");
    }
    assert_eq!(app.count().await, 1, "a wrong phrase deletes nothing");
    let (st, _, loc) = app
        .post(
            "/settings",
            "/settings/delete",
            &[("confirm", " Delete Everything ")],
        )
        .await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/welcome?deleted=1"))
    );
    assert!(!hearth_store::sqlite::exists(&app.data()));
    for f in [
        "hearth.db",
        "hearth.db-wal",
        "hearth.db-shm",
        "hearth.key",
        "store.json",
    ] {
        assert!(!app.data().join(f).exists(), "{f} is gone");
    }
    let (_, html, _) = app.get("/welcome?deleted=1").await;
    assert!(html.contains("Your journal was deleted"), "{html}");
    let (st, _, loc) = app.get("/").await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/welcome"))
    );
}

#[tokio::test]
async fn a_passphrase_is_added_changed_and_removed_from_settings() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    app.post("/", "/checkin", &[("mood", "6")]).await;
    let (_, html, _) = app.get("/settings").await;
    assert!(html.contains("Protect with a passphrase"), "{html}");
    // Too easy to guess, or typed differently: refused, nothing changes.
    for (p, again) in [
        ("password1", "password1"),
        ("copper kettle rain", "copper kettle rian"),
    ] {
        let (st, _, _) = app
            .post(
                "/settings",
                "/settings/passphrase",
                &[("action", "set"), ("passphrase", p), ("again", again)],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert!(app.data().join("hearth.key").exists());
    let (st, _, loc) = app
        .post(
            "/settings",
            "/settings/passphrase",
            &[
                ("action", "set"),
                ("passphrase", "copper kettle rain"),
                ("again", "copper kettle rain"),
            ],
        )
        .await;
    assert_eq!(
        (st, loc.as_deref()),
        (StatusCode::SEE_OTHER, Some("/settings?saved=1#passphrase"))
    );
    assert!(
        !app.data().join("hearth.key").exists(),
        "the key file is gone"
    );
    // This browser set it, so it stays unlocked; a new one must unlock.
    assert_eq!(app.count().await, 1);
    let (_, html, _) = app.get("/settings").await;
    assert!(html.contains("Your passphrase") && html.contains("Remove the passphrase"));
    let stranger = App {
        dir: TempDir::new().unwrap(),
        base: app.base.clone(),
        http: client(),
    };
    assert_ne!(stranger.api("/entries").await.0, StatusCode::OK);
    drop(stranger);
    // A wrong current passphrase changes nothing.
    let (st, html, _) = app
        .post(
            "/settings",
            "/settings/passphrase",
            &[
                ("action", "set"),
                ("current", "not the one"),
                ("passphrase", "silver lantern moss"),
                ("again", "silver lantern moss"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("nothing was changed"), "{html}");
    let store = SqliteStore::open(&app.data(), &Unlock::Passphrase("copper kettle rain")).await;
    assert!(store.is_ok(), "the first passphrase still opens it");
    store.unwrap().close().await;
    let (st, _, _) = app
        .post(
            "/settings",
            "/settings/passphrase",
            &[
                ("action", "set"),
                ("current", "copper kettle rain"),
                ("passphrase", "silver lantern moss"),
                ("again", "silver lantern moss"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, _, _) = app
        .post(
            "/settings",
            "/settings/passphrase",
            &[("action", "remove"), ("current", "silver lantern moss")],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(app.data().join("hearth.key").exists());
    let store = SqliteStore::open(&app.data(), &Unlock::KeyFileOnly)
        .await
        .unwrap();
    assert_eq!(
        store.count(LOCAL_USER).await.unwrap(),
        1,
        "every entry is kept"
    );
    store.close().await;
    assert_eq!(app.count().await, 1);
}

#[tokio::test]
async fn a_journal_filled_with_demo_data_says_so_on_every_page() {
    let app = start_with(
        async |dir: &std::path::Path| {
            let now = jiff::Timestamp::now();
            let s = SqliteStore::create(dir, None, &Settings::for_zone("UTC"), now)
                .await
                .unwrap();
            let spec = hearth_core::demo::Spec {
                days: 14,
                seed: 3,
                now,
                tz: jiff::tz::TimeZone::UTC,
                effects: hearth_core::demo::Effects::default(),
            };
            hearth_app::journal::fill_demo(&s, LOCAL_USER, &spec, "UTC", now)
                .await
                .unwrap();
            s.close().await;
        },
        Duration::from_secs(900),
    )
    .await;
    for page in ["/", "/history", "/insights", "/settings"] {
        let (_, html, _) = app.get(page).await;
        assert!(
            html.contains("This journal holds <strong>demo data</strong>"),
            "{page}"
        );
        assert!(
            !html.contains("Leave or remove the demo"),
            "{page}: not the demo profile"
        );
    }
    let plain = start_with(key_file_journal, Duration::from_secs(900)).await;
    let (_, html, _) = plain.get("/").await;
    assert!(!html.contains("demo data"));
}

#[tokio::test]
async fn a_sensate_focus_session_is_logged_as_closeness_and_a_bad_one_keeps_what_was_typed() {
    let app = start_with(key_file_journal, Duration::from_secs(900)).await;
    let page = "/partner/sensate-focus";
    let before = app.count().await;
    let (st, html, _) = app
        .post(
            page,
            page,
            &[
                ("stage", "9"),
                ("noticed", "slow breathing"),
                ("minutes", "15"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("choose the stage of this session"), "{html}");
    assert!(html.contains("slow breathing"), "what was typed stays");
    assert_eq!(app.count().await, before, "nothing saved");
    let (st, _, to) = app
        .post(
            page,
            page,
            &[
                ("stage", "3"),
                ("minutes", "15"),
                ("mood_before", "4"),
                ("mood_after", "7"),
                ("noticed", "slow breathing"),
            ],
        )
        .await;
    assert_eq!(
        (st, to.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/partner/sensate-focus?saved=1")
        )
    );
    let (_, entries) = app.api("/entries").await;
    let e = &entries[0];
    assert_eq!(e["kind"], "intimacy", "{e}");
    assert_eq!(e["note"], "Sensate focus, stage 3: slow breathing");
    assert_eq!(
        (
            e["minutes"].as_i64(),
            e["mood_before"].as_i64(),
            e["mood_after"].as_i64()
        ),
        (Some(15), Some(4), Some(7))
    );
    // Without accounts the page says what moving on together needs.
    let (_, html, _) = app.get(page).await;
    assert!(html.contains("needs partner mode"));
}
