//! The test vectors both implementations must reproduce byte for byte: this
//! test writes them from the Rust side and fails when the committed file
//! differs; `web/partner/test/vectors.test.mjs` checks the browser's code
//! against the same file. After a deliberate change to the protocol, run
//! `HEARTH_WRITE_VECTORS=1 cargo test -p hearth-partner --test vectors`.

use hearth_partner::checkin::{self, Answer, Day, DaySecret};
use hearth_partner::group::{expand_xmd, hash_to_group, hash_to_scalar};
use hearth_partner::pairing::{self, Share};
use hearth_partner::seal::{Channel, Kind};
use serde_json::{Value, json};

fn seed(n: u8) -> [u8; 32] {
    std::array::from_fn(|i| n.wrapping_mul(31).wrapping_add(i as u8))
}

fn code(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::Maybe => "maybe",
        Answer::NotToday => "notToday",
    }
}

fn checkin_case(pair: &str, date: &str, a: [Answer; 6], b: [Answer; 6]) -> Value {
    let day = Day { pair, date };
    let (sa, sb) = (
        DaySecret::derive(&seed(1), &day),
        DaySecret::derive(&seed(2), &day),
    );
    let m1 = checkin::first(&day, &sa, &a, &seed(3));
    let m2 = checkin::second(&day, &sb, &b, &m1, &seed(4)).unwrap();
    let (m3, overlap) = checkin::third(&day, &sa, &m1, &m2, &seed(5)).unwrap();
    assert_eq!(checkin::finish(&day, &sb, &m1, &m2, &m3).unwrap(), overlap);
    json!({
        "pair": pair, "date": date,
        "device_seed_first": hex::encode(seed(1)), "device_seed_second": hex::encode(seed(2)),
        "answers_first": a.map(code), "answers_second": b.map(code),
        "seeds": [hex::encode(seed(3)), hex::encode(seed(4)), hex::encode(seed(5))],
        "first": hex::encode(&m1), "second": hex::encode(&m2), "third": hex::encode(&m3),
        "overlap": overlap.0,
    })
}

fn vectors() -> Value {
    use Answer::*;
    let hashes: Vec<Value> = [("", "hearth-partner-v1 slot"), ("abc", "QUUX-V01-CS02-with-expander-SHA512-256")]
        .iter()
        .map(|(msg, dst)| {
            json!({
                "msg": msg, "dst": dst,
                "expand": hex::encode(expand_xmd(msg.as_bytes(), dst.as_bytes())),
                "group": hex::encode(hash_to_group(dst.as_bytes(), msg.as_bytes()).compress().as_bytes()),
                "scalar": hex::encode(hash_to_scalar(dst.as_bytes(), msg.as_bytes()).as_bytes()),
            })
        })
        .collect();
    let day = Day {
        pair: "4d1f0c2a",
        date: "2026-12-02",
    };
    let secret = seed(9);
    let channel = Channel::for_day(&secret, &day);
    let body = hex::decode("0a0b0c").unwrap();
    let pairings: Vec<Value> = [("RXT9P0", "RXT9P0"), ("RXT9P0", "RXT9P1")]
        .iter()
        .map(|(pa, pb)| {
            let (a, b) = (Share::new(pa, &seed(6)), Share::new(pb, &seed(7)));
            let pa_ = pairing::agree(&a, "K7QM", &a.public, &b.public, true).unwrap();
            let pb_ = pairing::agree(&b, "K7QM", &a.public, &b.public, false).unwrap();
            json!({
                "invitation": "K7QM", "password_inviter": pa, "password_joiner": pb,
                "seed_inviter": hex::encode(seed(6)), "seed_joiner": hex::encode(seed(7)),
                "share_inviter": hex::encode(a.public), "share_joiner": hex::encode(b.public),
                "secret_inviter": hex::encode(*pa_.secret), "secret_joiner": hex::encode(*pb_.secret),
                "confirmation_inviter": pa_.confirmation, "confirmation_joiner": pb_.confirmation,
                "tag_inviter": hex::encode(pa_.tag(true)), "tag_joiner": hex::encode(pb_.tag(false)),
            })
        })
        .collect();
    json!({
        "note": "Written by crates/hearth-partner/tests/vectors.rs; the browser's code must reproduce every byte.",
        "hashes": hashes,
        "checkins": [
            checkin_case("4d1f0c2a", "2026-12-02", [Yes, Maybe, NotToday, Yes, Maybe, NotToday], [Yes, Yes, Yes, Maybe, NotToday, NotToday]),
            checkin_case("4d1f0c2a", "2026-12-03", [NotToday; 6], [Yes; 6]),
            checkin_case("99", "2027-01-01", [Yes; 6], [Yes; 6]),
        ],
        "seal": {
            "pairing_secret": hex::encode(secret), "pair": day.pair, "date": day.date,
            "mailbox": channel.mailbox, "seq": 2, "kind": Kind::Withdraw as u8,
            "body": hex::encode(&body), "nonce": "000102030405060708090a0b",
            "blob": hex::encode(channel.seal(2, Kind::Withdraw, &body, std::array::from_fn(|i| i as u8))),
        },
        "pairings": pairings,
        "codes": [
            {"typed": "k7qm4-rxt9p", "id": "K7QM", "password": "4RXT9P"},
            {"typed": "KO1L4 RXT9P", "id": "K011", "password": "4RXT9P"},
            {"typed": "K7QM4 RXT9", "id": null, "password": null},
            {"typed": "K7QM4 RXT9U", "id": null, "password": null},
        ],
    })
}

#[test]
fn the_committed_vectors_are_what_the_rust_side_computes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors.json");
    let fresh = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("HEARTH_WRITE_VECTORS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(path).expect("vectors.json is committed");
    assert!(
        committed == fresh,
        "vectors.json is stale: rerun with HEARTH_WRITE_VECTORS=1 if the change is deliberate"
    );
    // The typed codes, checked here too so both sides read them alike.
    for case in vectors()["codes"].as_array().unwrap() {
        let got = pairing::parse_code(case["typed"].as_str().unwrap()).ok();
        let want = case["id"].as_str().map(|id| {
            (
                id.to_string(),
                case["password"].as_str().unwrap().to_string(),
            )
        });
        assert_eq!(got, want);
    }
}
