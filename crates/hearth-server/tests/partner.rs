//! Partner mode through a real server: the Rust implementation plays one
//! partner and the browser's own code (the served `partner.js`, in Node)
//! plays the other, on SQLite and on PostgreSQL. Pairing, a check-in with
//! each side answering first, the mailbox's rules, what the database holds,
//! a second pair kept out of the first's mailbox, and unpairing.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use hearth_partner::checkin::{self, Answer, Day, DaySecret, Overlap};
use hearth_partner::pairing::{self, Paired, Share};
use hearth_partner::seal::{BLOB_LEN, Channel, Kind};
use hearth_server::auth::Registration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn node_available() -> bool {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var("HEARTH_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("node is required for the partner interoperation test");
    }
    ok
}

/// The browser's code in Node, one command of `play.mjs`.
struct Node {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Node {
    fn start(base: &str, user: &str, state: &std::path::Path, args: &[&str]) -> Node {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../web/partner/test/play.mjs"
        );
        let mut child = Command::new("node")
            .arg(script)
            .args([base, user, state.to_str().unwrap()])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Node { child, lines }
    }

    async fn line(&mut self) -> Value {
        let next = tokio::task::block_in_place(|| self.lines.next());
        match next {
            Some(Ok(l)) => serde_json::from_str(&l).unwrap(),
            other => panic!(
                "the Node partner stopped: {other:?} {:?}",
                self.child.wait()
            ),
        }
    }

    async fn done(mut self) {
        let status = tokio::task::block_in_place(|| self.child.wait()).unwrap();
        assert!(status.success());
    }
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

/// The Rust partner: the crate's protocol over the API.
struct Rust {
    person: Person,
    paired: Option<Paired>,
    pair: String,
    device: [u8; 32],
}

impl Rust {
    fn new(person: Person, seed: u8) -> Rust {
        Rust {
            person,
            paired: None,
            pair: String::new(),
            device: [seed; 32],
        }
    }

    async fn join(&mut self, code: &str) {
        let (id, password) = pairing::parse_code(code).unwrap();
        let (st, inv) = self
            .person
            .call(
                Method::GET,
                &format!("/api/v1/partner/invitations/{id}"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{inv}");
        let inviter: [u8; 32] = unhex(&inv["share"]).try_into().unwrap();
        let mine = Share::new(&password, &[self.device[0] ^ 0x55; 32]);
        let paired = pairing::agree(&mine, &id, &inviter, &mine.public, false).unwrap();
        let (st, pair) = self
            .person
            .call(
                Method::POST,
                &format!("/api/v1/partner/invitations/{id}/join"),
                Some(json!({"share": hex::encode(mine.public), "tag": hex::encode(paired.tag(false))})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{pair}");
        self.pair = pair["id"].as_str().unwrap().to_string();
        self.paired = Some(paired);
    }

    async fn until_confirmed(&self) {
        for _ in 0..200 {
            let (_, v) = self.person.call(Method::GET, "/api/v1/partner", None).await;
            if v["pair"]["confirmed"] == json!(true) {
                let tag = unhex(&v["pair"]["inviter_tag"]);
                self.paired.as_ref().unwrap().check(&tag, true).unwrap();
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the inviter never confirmed");
    }

    fn channel(&self, date: &str) -> Channel {
        let day = Day {
            pair: &self.pair,
            date,
        };
        Channel::for_day(&self.paired.as_ref().unwrap().secret, &day)
    }

    async fn mailbox(&self, date: &str, at_least: usize) -> Vec<Vec<u8>> {
        let ch = self.channel(date);
        for _ in 0..200 {
            let (st, v) = self
                .person
                .call(
                    Method::GET,
                    &format!("/api/v1/partner/mailboxes/{}", ch.mailbox),
                    None,
                )
                .await;
            assert_eq!(st, StatusCode::OK, "{v}");
            let msgs = v["messages"].as_array().unwrap();
            if msgs.len() >= at_least {
                return msgs
                    .iter()
                    .map(|m| {
                        let blob = unhex(&m["blob"]);
                        assert_eq!(blob.len(), BLOB_LEN, "every stored message has one size");
                        ch.open(m["seq"].as_u64().unwrap() as u32, &blob).unwrap().1
                    })
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the partner's message never came");
    }

    async fn post(&self, date: &str, seq: u32, kind: Kind, body: &[u8]) -> StatusCode {
        let ch = self.channel(date);
        let blob = ch.seal(seq, kind, body, [seq as u8; 12]);
        let path = format!("/api/v1/partner/mailboxes/{}/{seq}", ch.mailbox);
        self.person
            .call(Method::PUT, &path, Some(json!({"blob": hex::encode(blob)})))
            .await
            .0
    }

    fn secret(&self, date: &str) -> DaySecret {
        DaySecret::derive(
            &self.device,
            &Day {
                pair: &self.pair,
                date,
            },
        )
    }
}

fn expected(a: &[Answer; 6], b: &[Answer; 6]) -> Overlap {
    let mut mask = 0u16;
    for i in 0..6 {
        let low = a[i].min(b[i]);
        if low >= Answer::Maybe {
            mask |= 1 << (2 * i);
        }
        if low == Answer::Yes {
            mask |= 1 << (2 * i + 1);
        }
    }
    Overlap(mask)
}

fn csv(a: &[Answer; 6]) -> String {
    a.iter()
        .map(|x| (*x as u8).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_and_the_browsers_code_pair_and_see_the_same_overlap_through_a_real_server() {
    if !node_available() {
        eprintln!("partner interoperation skipped: no node");
        return;
    }
    use Answer::*;
    for (name, store, guard) in backends("partner").await {
        let base = serve(store.clone(), Registration::Open).await;
        let tmp = tempfile::TempDir::new().unwrap();
        let node_state = tmp.path().join("node.json");

        // Pairing: the browser's code invites, Rust joins.
        let mut inviter = Node::start(&base, "nora", &node_state, &["invite"]);
        let code = inviter.line().await["code"].as_str().unwrap().to_string();
        // The pair's day is the inviter's, whoever completes the pairing.
        let nora = store.account("nora").await.unwrap().unwrap().id;
        let mut settings = store.settings(nora).await.unwrap();
        settings.tz = "Pacific/Auckland".into();
        store.set_settings(nora, &settings).await.unwrap();
        let mut rust = Rust::new(Person::register(&base, "rafa").await, 7);
        rust.join(&code).await;
        let (_, st) = rust.person.call(Method::GET, "/api/v1/partner", None).await;
        assert_eq!(
            st["pair"]["zone"],
            json!("Pacific/Auckland"),
            "{name}: {st}"
        );
        let confirmation = inviter.line().await["paired"].as_str().unwrap().to_string();
        inviter.done().await;
        rust.until_confirmed().await;
        assert_eq!(
            confirmation,
            rust.paired.as_ref().unwrap().confirmation,
            "{name}: both show one number"
        );

        // Day one: the browser's code answers first.
        let (n1, r1) = (
            [Yes, Maybe, NotToday, Yes, Maybe, NotToday],
            [Yes, Yes, Yes, Maybe, NotToday, Yes],
        );
        let mut node = Node::start(
            &base,
            "nora",
            &node_state,
            &["answer", "2026-12-02", &csv(&n1)],
        );
        let first = rust.mailbox("2026-12-02", 1).await.remove(0);
        let secret = rust.secret("2026-12-02");
        let day = Day {
            pair: &rust.pair,
            date: "2026-12-02",
        };
        let second = checkin::second(&day, &secret, &r1, &first, &[9; 32]).unwrap();
        assert_eq!(
            rust.post("2026-12-02", 1, Kind::Second, &second).await,
            StatusCode::CREATED
        );
        let third = rust.mailbox("2026-12-02", 3).await.remove(2);
        let seen_by_rust = checkin::finish(&day, &secret, &first, &second, &third).unwrap();
        let seen_by_node = node.line().await;
        node.done().await;
        assert_eq!(seen_by_rust, expected(&n1, &r1), "{name}");
        assert_eq!(
            seen_by_node["overlap"],
            json!(seen_by_rust.0),
            "{name}: both see the same"
        );
        // Out of turn and wrong sizes are refused, and nothing is written.
        assert_eq!(
            rust.post("2026-12-02", 1, Kind::Second, &second).await,
            StatusCode::CONFLICT
        );
        let ch = rust.channel("2026-12-02");
        let (st, _) = rust
            .person
            .call(
                Method::PUT,
                &format!("/api/v1/partner/mailboxes/{}/3", ch.mailbox),
                Some(json!({"blob": "00ff"})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

        // Day two: Rust answers first.
        let (r2, n2) = (
            [Maybe, Maybe, Yes, NotToday, Yes, Yes],
            [Yes, NotToday, Yes, Yes, Maybe, Yes],
        );
        let day = Day {
            pair: &rust.pair,
            date: "2026-12-03",
        };
        let secret = rust.secret("2026-12-03");
        let first = checkin::first(&day, &secret, &r2, &[3; 32]);
        assert_eq!(
            rust.post("2026-12-03", 0, Kind::First, &first).await,
            StatusCode::CREATED
        );
        let mut node = Node::start(
            &base,
            "nora",
            &node_state,
            &["answer", "2026-12-03", &csv(&n2)],
        );
        let second = rust.mailbox("2026-12-03", 2).await.remove(1);
        let (third, seen_by_rust) =
            checkin::third(&day, &secret, &first, &second, &[4; 32]).unwrap();
        assert_eq!(
            rust.post("2026-12-03", 2, Kind::Third, &third).await,
            StatusCode::CREATED
        );
        let seen_by_node = node.line().await;
        node.done().await;
        assert_eq!(seen_by_rust, expected(&r2, &n2), "{name}");
        assert_eq!(seen_by_node["overlap"], json!(seen_by_rust.0), "{name}");
        eprintln!(
            "{name}: the Node side's check-in, answer to overlap: {} ms",
            seen_by_node["ms"]
        );

        // A second pair never reaches the first pair's mailbox.
        let carol = Rust::new(Person::register(&base, "carol").await, 8);
        let (_, inv) = carol
            .person
            .call(
                Method::POST,
                "/api/v1/partner/invitations",
                Some(json!({"share": hex::encode(Share::new("AAAAAA", &[1; 32]).public)})),
            )
            .await;
        assert!(inv["code"].is_string(), "{inv}");
        let (st, _) = carol
            .person
            .call(
                Method::GET,
                &format!("/api/v1/partner/mailboxes/{}", ch.mailbox),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{name}: not paired, no mailbox");
        let (st, v) = carol
            .person
            .call(
                Method::GET,
                &format!(
                    "/api/v1/partner/invitations/{}",
                    inv["code"].as_str().unwrap()
                ),
                None,
            )
            .await;
        assert_eq!(
            st,
            StatusCode::CONFLICT,
            "{name}: one's own invitation: {v}"
        );
        let (st, _) = rust
            .person
            .call(
                Method::POST,
                "/api/v1/partner/invitations",
                Some(json!({"share": inv["code"]})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{name}: not a share");

        // What the database keeps: no item, no answer, no key, one size.
        if let Guard::Pg(schema, _) = &guard {
            let url = std::env::var("HEARTH_TEST_POSTGRES_URL").unwrap();
            let dump = Command::new("pg_dump")
                .args([
                    "--data-only",
                    "--table",
                    &format!("{schema}.partner_*"),
                    &url,
                ])
                .output()
                .unwrap();
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            let text = String::from_utf8_lossy(&dump.stdout).to_lowercase();
            assert!(
                text.contains("partner_messages"),
                "the dump has the partner tables"
            );
            let secret_hex = hex::encode(*rust.paired.as_ref().unwrap().secret);
            for word in checkin::ITEMS.iter().copied().chain([
                "yes",
                "maybe",
                "not today",
                "open",
                &secret_hex,
            ]) {
                assert!(!text.contains(word), "{name}: the database holds {word:?}");
            }
            let sizes = Command::new("psql")
                .args([
                    &url,
                    "-tAc",
                    &format!("SELECT DISTINCT length(blob) FROM {schema}.partner_messages"),
                ])
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&sizes.stdout).trim(),
                BLOB_LEN.to_string()
            );
        }

        // Unpairing ends it for both at once, and the rows are gone.
        let (st, _) = rust
            .person
            .call(Method::DELETE, "/api/v1/partner", None)
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (_, v) = rust.person.call(Method::GET, "/api/v1/partner", None).await;
        assert_eq!(v["pair"], Value::Null);
        let (st, _) = rust
            .person
            .call(
                Method::GET,
                &format!("/api/v1/partner/mailboxes/{}", ch.mailbox),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert!(
            store
                .messages(&rust.pair, &ch.mailbox, jiff::Timestamp::now())
                .await
                .unwrap()
                .is_empty()
        );
        cleanup(guard).await;
    }
}
