//! Who a session belongs to, kept a moment by a PostgreSQL server process:
//! every request asks, and each answer was a round trip. It stays true
//! because the database says when an answer may have changed: triggers on
//! `sessions`, `users` and `settings` notify `CHANNEL` (PostgreSQL
//! migration 0011), and a listener forgets every answer on any notice, and
//! keeps none while it is not listening. This process's own changes forget
//! at once, before they return, so a person reads their own writes. An
//! answer is kept at most `KEEP_FOR`, which bounds how long a listening
//! connection that died without a word could leave one stale.
//!
//! SQLite keeps nothing: another process (`hearth admin`) may change its
//! accounts, and nothing would tell this one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};

use crate::SignedIn;

/// The channel the triggers notify.
pub(crate) const CHANNEL: &str = "hearth_signed_in";
/// The longest an answer is kept.
#[cfg(not(test))]
pub(crate) const KEEP_FOR: Duration = Duration::from_secs(2);
/// Long in this crate's tests, so only a notice can make an answer go.
#[cfg(test)]
pub(crate) const KEEP_FOR: Duration = Duration::from_secs(3600);
/// Answers kept at most: a flood of distinct sessions cannot grow memory.
const MAX_KEPT: usize = 10_000;

pub(crate) struct SignedCache {
    inner: Mutex<Inner>,
    keep_for: Duration,
    /// PostgreSQL: where to listen (`None` keeps nothing, ever), and the
    /// listening task, started by the first question, so a command that
    /// never asks (`hearth admin`) opens no connection for it.
    listen: Option<(PgConnectOptions, OnceLock<tokio::task::JoinHandle<()>>)>,
}

#[derive(Default)]
struct Inner {
    /// Whether a listener is listening, so answers may be kept.
    on: bool,
    /// Moves on every forgetting: an answer read before it is not kept.
    generation: u64,
    kept: HashMap<String, Kept>,
}

impl Inner {
    fn forget_all(&mut self) {
        self.kept.clear();
        self.generation += 1;
    }
}

struct Kept {
    signed: SignedIn,
    /// The session's end as stored (microseconds since the epoch).
    until_us: i64,
    at: Instant,
}

impl SignedCache {
    /// A cache that keeps nothing (SQLite).
    pub(crate) fn off() -> Arc<SignedCache> {
        Arc::new(SignedCache::keeping_for(KEEP_FOR, None))
    }

    /// A cache that keeps answers once it listens for changes at `opts`.
    pub(crate) fn listening_at(opts: PgConnectOptions) -> Arc<SignedCache> {
        Arc::new(SignedCache::keeping_for(KEEP_FOR, Some(opts)))
    }

    fn keeping_for(keep_for: Duration, listen: Option<PgConnectOptions>) -> SignedCache {
        SignedCache {
            inner: Mutex::default(),
            keep_for,
            listen: listen.map(|opts| (opts, OnceLock::new())),
        }
    }

    /// Starts listening, the first time it is called; keeping starts once
    /// the listener listens.
    pub(crate) fn start(self: &Arc<Self>) {
        if let Some((opts, task)) = &self.listen {
            task.get_or_init(|| listen(self.clone(), opts.clone()));
        }
    }

    /// Stops listening for good (the store is closed or dropped).
    pub(crate) fn stop(&self) {
        if let Some(task) = self.listen.as_ref().and_then(|(_, t)| t.get()) {
            task.abort();
        }
        self.listening(false);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing a panic could leave half-done is kept: start afresh.
        self.inner.lock().unwrap_or_else(|poisoned| {
            let mut inner = poisoned.into_inner();
            inner.forget_all();
            inner
        })
    }

    /// The kept answer for this session, if it is fresh, still live at
    /// `now`, and its end need not move to `expires` (a read writes that).
    pub(crate) fn get(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires: Timestamp,
    ) -> Option<SignedIn> {
        let inner = self.lock();
        let kept = inner.kept.get(token_hash)?;
        (inner.on
            && kept.at.elapsed() < self.keep_for
            && now.as_microsecond() < kept.until_us
            && expires.as_microsecond() - kept.until_us <= crate::sessions::MOVE_END_AFTER_US)
            .then(|| kept.signed.clone())
    }

    /// Where forgetting stands before a read; `None` while nothing may be kept.
    pub(crate) fn generation(&self) -> Option<u64> {
        let inner = self.lock();
        inner.on.then_some(inner.generation)
    }

    /// Keeps an answer read after `generation`, unless something was
    /// forgotten since (the read may have raced the change).
    pub(crate) fn keep(&self, generation: u64, token_hash: &str, signed: &SignedIn, until_us: i64) {
        let mut inner = self.lock();
        if !inner.on || inner.generation != generation {
            return;
        }
        if inner.kept.len() >= MAX_KEPT {
            let keep_for = self.keep_for;
            inner.kept.retain(|_, k| k.at.elapsed() < keep_for);
            if inner.kept.len() >= MAX_KEPT {
                return;
            }
        }
        inner.kept.insert(
            token_hash.to_string(),
            Kept {
                signed: signed.clone(),
                until_us,
                at: Instant::now(),
            },
        );
    }

    /// Forgets every answer: something they rest on may have changed.
    pub(crate) fn forget_all(&self) {
        self.lock().forget_all();
    }

    fn listening(&self, on: bool) {
        let mut inner = self.lock();
        inner.forget_all();
        inner.on = on;
    }
}

/// Listens for changes on a connection of its own, for as long as the
/// returned task runs (the store stops it when dropped). A lost connection
/// turns keeping off until a new one listens again.
fn listen(cache: Arc<SignedCache>, opts: PgConnectOptions) -> tokio::task::JoinHandle<()> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy_with(opts);
    tokio::spawn(async move {
        let mut wait = Duration::from_millis(100);
        loop {
            match listener(&pool).await {
                Ok(mut listener) => {
                    cache.listening(true);
                    wait = Duration::from_millis(100);
                    // Any notice, whatever its payload, forgets everything.
                    while let Ok(Some(_)) = listener.try_recv().await {
                        cache.forget_all();
                    }
                    cache.listening(false);
                    tracing::warn!(
                        "lost the database's notices; signed-in answers are read afresh"
                    );
                }
                Err(e) => {
                    cache.listening(false);
                    tracing::warn!(error = %e, "cannot listen for the database's notices");
                }
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(10));
        }
    })
}

async fn listener(pool: &sqlx::PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    // Reconnecting is ours to do, so a lost connection is always seen.
    listener.eager_reconnect(false);
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Account, UserId};

    fn signed(name: &str) -> SignedIn {
        SignedIn {
            account: Account {
                id: UserId(1),
                username: name.into(),
                password_hash: None,
                disabled: false,
                created_at: Timestamp::UNIX_EPOCH,
            },
            settings: hearth_core::Settings::new_journal("UTC", Timestamp::UNIX_EPOCH),
        }
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_000).unwrap()
    }

    #[test]
    fn nothing_is_kept_until_a_listener_listens() {
        let c = SignedCache::off();
        assert_eq!(c.generation(), None);
        c.keep(0, "t", &signed("ana"), i64::MAX);
        assert_eq!(c.get("t", now(), now()), None);
        c.listening(true);
        let g = c.generation().unwrap();
        c.keep(g, "t", &signed("ana"), i64::MAX);
        assert_eq!(c.get("t", now(), now()).unwrap().account.username, "ana");
        c.listening(false);
        assert_eq!(c.get("t", now(), now()), None, "a lost listener forgets");
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept() {
        let c = SignedCache::off();
        c.listening(true);
        let before = c.generation().unwrap();
        c.forget_all();
        c.keep(before, "t", &signed("ana"), i64::MAX);
        assert_eq!(c.get("t", now(), now()), None);
        let after = c.generation().unwrap();
        c.keep(after, "t", &signed("ana"), i64::MAX);
        assert!(c.get("t", now(), now()).is_some());
        c.forget_all();
        assert_eq!(c.get("t", now(), now()), None);
    }

    #[test]
    fn an_answer_lasts_neither_past_its_session_nor_past_its_time() {
        let c = SignedCache::keeping_for(Duration::from_millis(30), None);
        c.listening(true);
        let g = c.generation().unwrap();
        c.keep(g, "t", &signed("ana"), now().as_microsecond() + 1);
        assert!(c.get("t", now(), now()).is_some());
        let later = Timestamp::from_microsecond(now().as_microsecond() + 1).unwrap();
        assert_eq!(c.get("t", later, later), None, "the session ended");
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get("t", now(), now()), None, "kept too long");
    }

    #[test]
    fn an_end_due_to_move_is_read_and_written_not_kept() {
        let c = SignedCache::off();
        c.listening(true);
        let g = c.generation().unwrap();
        let until = now().as_microsecond() + 3_600_000_000;
        c.keep(g, "t", &signed("ana"), until);
        let soon = Timestamp::from_microsecond(until + crate::sessions::MOVE_END_AFTER_US).unwrap();
        assert!(c.get("t", now(), soon).is_some());
        let later =
            Timestamp::from_microsecond(until + crate::sessions::MOVE_END_AFTER_US + 1).unwrap();
        assert_eq!(c.get("t", now(), later), None);
    }

    #[test]
    fn a_full_cache_keeps_no_more() {
        let c = SignedCache::off();
        c.listening(true);
        let g = c.generation().unwrap();
        for i in 0..MAX_KEPT + 5 {
            c.keep(g, &i.to_string(), &signed("ana"), i64::MAX);
        }
        assert_eq!(c.lock().kept.len(), MAX_KEPT);
        assert!(c.get(&(MAX_KEPT + 1).to_string(), now(), now()).is_none());
    }

    /// Two stores on one schema, as two server processes, with a person
    /// signed in; or None (and a note) without a test database.
    async fn two_processes(test: &str) -> Option<(crate::PgStore, crate::PgStore, String, UserId)> {
        use crate::{Accounts, Sessions};
        let url = std::env::var("HEARTH_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let Some(url) = url else {
            eprintln!("skipping {test}: HEARTH_TEST_POSTGRES_URL is not set");
            return None;
        };
        let schema = format!("hearth_test_signed_{test}_{}", std::process::id());
        crate::PgStore::drop_schema_at(&url, &schema).await.unwrap();
        let a = crate::PgStore::connect(&url, Some(&schema), 2)
            .await
            .unwrap();
        let b = crate::PgStore::connect(&url, Some(&schema), 2)
            .await
            .unwrap();
        let user = a.register("ana", "x", None, now()).await.unwrap();
        let live_until = Timestamp::from_second(10_000).unwrap();
        a.create_session("token", user, now(), live_until)
            .await
            .unwrap();
        for store in [&a, &b] {
            // The first question starts the listener; its answer is not kept.
            assert!(answer(store).await.is_some());
            wait_for("a listener", || store.signed.generation().is_some()).await;
        }
        Some((a, b, schema, user))
    }

    async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(Instant::now() < deadline, "waited 20 s for {what}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The end each question asks for: the session's own, so none moves.
    fn until() -> Timestamp {
        Timestamp::from_second(10_000).unwrap()
    }

    async fn answer(store: &crate::PgStore) -> Option<SignedIn> {
        use crate::Sessions;
        store.signed_in("token", now(), until()).await.unwrap()
    }

    #[tokio::test]
    async fn another_process_changing_sign_in_is_heard() {
        use crate::{Accounts, Sessions, Store};
        let Some((a, b, schema, user)) = two_processes("heard").await else {
            return;
        };
        assert!(answer(&a).await.is_some());
        assert!(a.signed.get("token", now(), until()).is_some(), "kept");

        let mut settings = b.settings(user).await.unwrap();
        settings.tz = "Europe/Paris".into();
        b.set_settings(user, &settings).await.unwrap();
        wait_for("the new zone", || {
            a.signed.get("token", now(), until()).is_none()
        })
        .await;
        assert_eq!(answer(&a).await.unwrap().settings.tz, "Europe/Paris");

        assert!(b.set_disabled("ana", true).await.unwrap());
        wait_for("the account disabled", || {
            a.signed.get("token", now(), until()).is_none()
        })
        .await;
        assert!(answer(&a).await.unwrap().account.disabled);

        b.end_session("token").await.unwrap();
        wait_for("the session's end", || {
            a.signed.get("token", now(), until()).is_none()
        })
        .await;
        assert_eq!(answer(&a).await, None);
        b.drop_schema(&schema).await.unwrap();
    }

    #[tokio::test]
    async fn this_process_reads_its_own_changes_at_once() {
        use crate::{Accounts, Sessions};
        let Some((a, b, schema, user)) = two_processes("own").await else {
            return;
        };
        // Deaf from here on: only this process's own forgetting can act.
        let (_, task) = a.signed.listen.as_ref().unwrap();
        task.get().unwrap().abort();
        assert!(answer(&a).await.is_some());
        assert!(a.signed.get("token", now(), until()).is_some(), "kept");
        a.set_password(user, "y").await.unwrap();
        assert_eq!(a.signed.get("token", now(), until()), None);
        assert!(answer(&a).await.is_some());
        a.end_sessions_of(user).await.unwrap();
        assert_eq!(answer(&a).await, None);
        b.close().await;
        a.drop_schema(&schema).await.unwrap();
    }
}
