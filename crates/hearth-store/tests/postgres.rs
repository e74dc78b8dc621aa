//! The conformance suite on PostgreSQL. Runs when HEARTH_TEST_POSTGRES_URL is
//! set (CI sets it); each test works in a schema of its own, dropped after.

#[macro_use]
mod conformance;

use conformance::now;
use hearth_store::{PgStore, Store, UserId};

fn url() -> Option<String> {
    std::env::var("HEARTH_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

async fn fresh(test: &str) -> Option<(PgStore, String, UserId, UserId)> {
    let Some(url) = url() else {
        eprintln!("skipping {test}: HEARTH_TEST_POSTGRES_URL is not set");
        return None;
    };
    let schema = format!(
        "hearth_test_{}_{}_{}",
        test,
        std::process::id(),
        rand_suffix()
    );
    let store = PgStore::connect(&url, Some(&schema), 4)
        .await
        .expect("connect to the test database");
    let a = store.create_user("first", now()).await.unwrap();
    let b = store.create_user("second", now()).await.unwrap();
    Some((store, schema, a, b))
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            let Some((store, schema, a, _)) = fresh(stringify!($name)).await else { return };
            conformance::$name(&store, a).await;
            store.drop_schema(&schema).await.unwrap();
        }
    )+};
}

single_user_suite!(conformance);

#[tokio::test]
async fn restore_round_trips() {
    let Some((store, schema, a, b)) = fresh("restore").await else {
        return;
    };
    conformance::restore_round_trips(&store, a, b).await;
    store.drop_schema(&schema).await.unwrap();
}

#[tokio::test]
async fn users_are_isolated() {
    for first in [true, false] {
        let Some((store, schema, a, b)) = fresh("isolated").await else {
            return;
        };
        let (x, y) = if first { (a, b) } else { (b, a) };
        conformance::users_are_isolated(&store, x, y).await;
        store.drop_schema(&schema).await.unwrap();
    }
}

#[tokio::test]
async fn accounts() {
    let Some((store, schema, _, _)) = fresh("accounts").await else {
        return;
    };
    conformance::accounts(&store).await;
    store.drop_schema(&schema).await.unwrap();
}

#[tokio::test]
async fn shares() {
    let Some((store, schema, a, b)) = fresh("shares").await else {
        return;
    };
    conformance::shares(&store, a, b).await;
    store.drop_schema(&schema).await.unwrap();
}

#[tokio::test]
async fn partners() {
    let Some((store, schema, _, _)) = fresh("partners").await else {
        return;
    };
    conformance::partners(&store).await;
    store.drop_schema(&schema).await.unwrap();
}

#[tokio::test]
async fn sessions() {
    let Some((store, schema, _, _)) = fresh("sessions").await else {
        return;
    };
    conformance::sessions(&store).await;
    store.drop_schema(&schema).await.unwrap();
}
