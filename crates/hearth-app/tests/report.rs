//! The report over a real store reads only its period, yet says what a read
//! of the whole journal would: the same insights, and medications started
//! long before the period began.

use hearth_app::{Clock, report};
use hearth_core::instrument::Registry;
use hearth_core::{Entry, EntryBody, Settings};
use hearth_store::{Filter, LOCAL_USER, Prompts, SqliteStore, Store};
use jiff::Timestamp;
use tempfile::TempDir;

#[tokio::test]
async fn a_report_reads_its_period_and_medications_from_before_it() {
    let dir = TempDir::new().unwrap();
    let now: Timestamp = "2026-06-01T17:00:00Z".parse().unwrap();
    let settings = Settings::for_zone("Europe/London");
    let store = SqliteStore::create(&dir.path().join("j"), None, &settings, now)
        .await
        .unwrap();
    let clock = Clock::of_settings(&settings, now).unwrap();
    let spec = hearth_core::demo::Spec {
        days: 400,
        seed: 7,
        now,
        tz: clock.tz.clone(),
        effects: Default::default(),
    };
    hearth_app::journal::fill_demo(&store, LOCAL_USER, &spec, &clock.tz_name, now)
        .await
        .unwrap();

    let from = report::default_from(clock.today());
    let built = report::build(
        &store,
        LOCAL_USER,
        &Registry::builtin(),
        &clock,
        (Some(from), None),
        &[],
    )
    .await
    .unwrap();

    // The reference: everything read, then cut to the period.
    let since = hearth_core::when::start_of_day(from, &clock.tz).unwrap();
    let all = store.list(LOCAL_USER, &Filter::default()).await.unwrap();
    let prompts = store.prompts(LOCAL_USER, None).await.unwrap();
    let want = hearth_app::insights::analyse(&all, &prompts, &clock, Some(since));
    assert_eq!(
        serde_json::to_value(&built.insights).unwrap(),
        serde_json::to_value(&want).unwrap()
    );
    let in_period = all.iter().filter(|e| e.at >= since).count();
    assert!(in_period > 0 && in_period < all.len() / 3, "{in_period}");
    assert_eq!(built.entries, in_period);

    // The medication began and changed before the period, and still shows.
    let is_med = |e: &&Entry| matches!(e.body, EntryBody::Medication(_));
    let meds: Vec<&Entry> = all.iter().filter(is_med).collect();
    assert!(!meds.is_empty() && meds.iter().all(|e| e.at < since));
    assert_eq!(built.report.current_medications.len(), 1);
    let current = &built.report.current_medications[0];
    assert_eq!(current.history.len(), meds.len(), "{:?}", current.history);
}
