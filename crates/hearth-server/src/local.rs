//! The journal on this computer, as the web app sees it: maybe not created
//! yet, maybe locked behind a passphrase, maybe the demo profile instead.
//! A passphrase journal's key lives only in memory while it is open, and the
//! journal closes itself after a stretch without use.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::Settings;
use hearth_store::keys::{self, KeyMode, Unlock};
use hearth_store::{LOCAL_USER, SqliteStore, StoreError, sqlite};
use jiff::Timestamp;
use tokio::sync::Mutex;

/// Which journal the pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Journal,
    Demo,
}

/// Why there is no journal to act on right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Nothing has been created yet: the first visit.
    NoJournal,
    /// A passphrase journal waits for its passphrase (or this browser has not given it).
    Locked,
}

struct Open {
    store: Arc<SqliteStore>,
    profile: Profile,
    passphrase: bool,
}

struct Inner {
    profile: Profile,
    open: Option<Open>,
    last_used: Instant,
}

pub struct Local {
    dir: PathBuf,
    lock_after: Duration,
    inner: Mutex<Inner>,
    /// One passphrase is checked at a time, so parallel guesses cannot
    /// multiply the rate.
    checking: Mutex<()>,
    guesses: std::sync::Mutex<Guesses>,
}

/// Wrong passphrases since the last right one, and when the next is heard.
#[derive(Default)]
struct Guesses {
    wrong: u32,
    heard_after: Option<Instant>,
}

/// Why an unlock did not open the journal.
#[derive(Debug)]
pub enum UnlockError {
    /// Not this journal's passphrase.
    Wrong,
    /// Too many wrong passphrases lately: the next is heard after this long.
    Wait(Duration),
    Store(StoreError),
}

/// How long after the `wrong`-th wrong passphrase the next one is heard: two
/// typos cost nothing more than the pause, then each doubles, up to five
/// minutes. A back-off, never a lockout.
fn back_off(wrong: u32) -> Duration {
    match wrong {
        0..=2 => Duration::ZERO,
        n => Duration::from_secs(1 << (n - 2).min(9)).min(Duration::from_secs(300)),
    }
}

/// The demo journal lives in its own directory inside the data directory.
pub const DEMO_DIR: &str = "demo";
pub const DEMO_DAYS: u32 = 365;
/// How long a wrong passphrase waits for its answer.
pub const WRONG_PASSPHRASE_PAUSE: Duration = Duration::from_secs(1);

pub struct Acting {
    pub store: Arc<SqliteStore>,
    pub profile: Profile,
    pub passphrase: bool,
}

impl Local {
    /// `open`: a journal the caller already unlocked (e.g. from the terminal).
    pub fn new(dir: PathBuf, lock_after: Duration, open: Option<(SqliteStore, bool)>) -> Local {
        Local {
            dir,
            lock_after,
            inner: Mutex::new(Inner {
                profile: Profile::Journal,
                open: open.map(|(s, passphrase)| Open {
                    store: Arc::new(s),
                    profile: Profile::Journal,
                    passphrase,
                }),
                last_used: Instant::now(),
            }),
            checking: Mutex::new(()),
            guesses: std::sync::Mutex::default(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn demo_dir(&self) -> PathBuf {
        self.dir.join(DEMO_DIR)
    }

    fn profile_dir(&self, p: Profile) -> PathBuf {
        match p {
            Profile::Journal => self.dir.clone(),
            Profile::Demo => self.demo_dir(),
        }
    }

    pub fn journal_exists(&self) -> bool {
        sqlite::exists(&self.dir)
    }

    pub fn demo_exists(&self) -> bool {
        sqlite::exists(&self.demo_dir())
    }

    fn needs_passphrase(dir: &Path) -> Result<bool, StoreError> {
        Ok(matches!(
            keys::read_meta(dir)?,
            Some(keys::Meta {
                mode: KeyMode::Passphrase { .. },
                ..
            })
        ))
    }

    /// The journal to act on. `unlocked`: this browser gave the passphrase
    /// since the journal was last locked.
    pub async fn acting(&self, unlocked: bool) -> Result<Acting, (Closed, Option<StoreError>)> {
        self.acting_as(unlocked, true).await
    }

    /// The open journal for someone other than its owner (a clinician's share
    /// link): it does not count as use, so it never keeps a passphrase journal
    /// from locking when its owner walks away.
    pub async fn acting_for_visitor(&self) -> Result<Acting, (Closed, Option<StoreError>)> {
        self.acting_as(true, false).await
    }

    async fn acting_as(
        &self,
        unlocked: bool,
        touch: bool,
    ) -> Result<Acting, (Closed, Option<StoreError>)> {
        let mut inner = self.inner.lock().await;
        if inner.last_used.elapsed() > self.lock_after
            && inner.open.as_ref().is_some_and(|o| o.passphrase)
            && let Some(o) = inner.open.take()
        {
            o.store.close().await;
        }
        let profile = inner.profile;
        if inner.open.as_ref().is_some_and(|o| o.profile != profile)
            && let Some(o) = inner.open.take()
        {
            o.store.close().await;
        }
        if inner.open.is_none() {
            let dir = self.profile_dir(profile);
            if !sqlite::exists(&dir) {
                return Err((Closed::NoJournal, None));
            }
            if Self::needs_passphrase(&dir).map_err(|e| (Closed::Locked, Some(e)))? {
                return Err((Closed::Locked, None));
            }
            let store = SqliteStore::open(&dir, &Unlock::KeyFileOnly)
                .await
                .map_err(|e| (Closed::Locked, Some(e)))?;
            inner.open = Some(Open {
                store: Arc::new(store),
                profile,
                passphrase: false,
            });
        }
        let open = inner.open.as_ref().expect("opened above");
        if open.passphrase && !unlocked {
            return Err((Closed::Locked, None));
        }
        // Only the owner's own requests count as use: a refused one, or a
        // stranger's, must never keep the key in memory.
        let acting = Acting {
            store: open.store.clone(),
            profile,
            passphrase: open.passphrase,
        };
        if touch {
            inner.last_used = Instant::now();
        }
        Ok(acting)
    }

    /// Whether the current profile's journal needs a passphrase.
    /// Whether the demo, not the person's own journal, is what pages show.
    pub async fn in_demo(&self) -> bool {
        self.inner.lock().await.profile == Profile::Demo
    }

    pub async fn is_passphrase_journal(&self) -> bool {
        let profile = self.inner.lock().await.profile;
        Self::needs_passphrase(&self.profile_dir(profile)).unwrap_or(false)
    }

    /// Opens the passphrase journal. A wrong passphrase changes nothing and
    /// is answered only after a pause, whichever face asked; guesses are
    /// heard one at a time, and after a few wrong ones each waits longer
    /// (Argon2id already costs a fraction of a second per try).
    pub async fn unlock(&self, passphrase: &str) -> Result<(), UnlockError> {
        let Ok(_turn) = self.checking.try_lock() else {
            return Err(UnlockError::Wait(WRONG_PASSPHRASE_PAUSE));
        };
        let heard_after = self.guesses.lock().expect("guesses lock").heard_after;
        if let Some(wait) = heard_after.and_then(|t| t.checked_duration_since(Instant::now())) {
            return Err(UnlockError::Wait(wait));
        }
        match self.try_unlock(passphrase).await {
            Ok(()) => {
                *self.guesses.lock().expect("guesses lock") = Guesses::default();
                Ok(())
            }
            Err(StoreError::Locked(_)) => {
                tokio::time::sleep(WRONG_PASSPHRASE_PAUSE).await;
                let mut g = self.guesses.lock().expect("guesses lock");
                g.wrong += 1;
                g.heard_after = Some(Instant::now() + back_off(g.wrong));
                Err(UnlockError::Wrong)
            }
            Err(e) => Err(UnlockError::Store(e)),
        }
    }

    async fn try_unlock(&self, passphrase: &str) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().await;
        let profile = inner.profile;
        // A key-file journal has nothing to unlock; never mark it as passphrase-held.
        if !Self::needs_passphrase(&self.profile_dir(profile))? {
            return Ok(());
        }
        if inner.open.as_ref().is_some_and(|o| o.passphrase) {
            // Already open: still check the passphrase, so a session is never
            // granted on the strength of someone else's unlock, and only a
            // right one counts as use.
            let dir = self.profile_dir(profile);
            let check = SqliteStore::open(&dir, &Unlock::Passphrase(passphrase)).await?;
            check.close().await;
            inner.last_used = Instant::now();
            return Ok(());
        }
        let dir = self.profile_dir(profile);
        let store = SqliteStore::open(&dir, &Unlock::Passphrase(passphrase)).await?;
        if let Some(o) = inner.open.take() {
            o.store.close().await;
        }
        inner.open = Some(Open {
            store: Arc::new(store),
            profile,
            passphrase: true,
        });
        inner.last_used = Instant::now();
        Ok(())
    }

    /// Closes a passphrase journal (its key leaves memory). Returns whether it did.
    pub async fn lock(&self) -> bool {
        let mut inner = self.inner.lock().await;
        if inner.open.as_ref().is_some_and(|o| o.passphrase)
            && let Some(o) = inner.open.take()
        {
            o.store.close().await;
            return true;
        }
        false
    }

    /// Locks when idle too long; called by a timer so the key does not linger.
    pub async fn lock_if_idle(&self) -> bool {
        let idle = self.inner.lock().await.last_used.elapsed() > self.lock_after;
        idle && self.lock().await
    }

    /// Creates the person's journal and switches to it.
    pub async fn create(
        &self,
        settings: &Settings,
        passphrase: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().await;
        let store = SqliteStore::create(&self.dir, passphrase, settings, now).await?;
        if let Some(o) = inner.open.take() {
            o.store.close().await;
        }
        inner.profile = Profile::Journal;
        inner.open = Some(Open {
            store: Arc::new(store),
            profile: Profile::Journal,
            passphrase: passphrase.is_some(),
        });
        inner.last_used = Instant::now();
        Ok(())
    }

    /// Switches to the demo profile, creating it with a year of made-up data
    /// the first time.
    pub async fn open_demo(&self, tz: &str, now: Timestamp) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().await;
        let dir = self.demo_dir();
        if !sqlite::exists(&dir) {
            let store = SqliteStore::create(&dir, None, &Settings::for_zone(tz), now).await?;
            let spec = hearth_core::demo::Spec {
                days: DEMO_DAYS,
                seed: 1,
                now,
                tz: hearth_core::when::parse_zone(tz)?,
                effects: hearth_core::demo::Effects::default(),
            };
            let filled = hearth_app::journal::fill_demo(&store, LOCAL_USER, &spec, tz, now).await;
            store.close().await;
            if let Err(e) = filled {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        }
        inner.profile = Profile::Demo;
        Ok(())
    }

    /// Leaves the demo for the person's own journal (or the first-visit page).
    pub async fn leave_demo(&self) {
        self.inner.lock().await.profile = Profile::Journal;
    }

    /// Deletes the demo profile and everything in it.
    pub async fn remove_demo(&self) -> std::io::Result<()> {
        let mut inner = self.inner.lock().await;
        if inner
            .open
            .as_ref()
            .is_some_and(|o| o.profile == Profile::Demo)
            && let Some(o) = inner.open.take()
        {
            o.store.close().await;
        }
        inner.profile = Profile::Journal;
        let dir = self.demo_dir();
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        Ok(())
    }

    /// Adds, changes or removes the journal's passphrase (not the demo's).
    /// The current one is checked before the open journal is closed, so a
    /// wrong one changes nothing; afterwards the journal is open again, the
    /// new way when the change was made and the old way when it was not.
    pub async fn protect(
        &self,
        current: Option<&str>,
        new: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        if let Some((p, again)) = new {
            hearth_app::journal::check_passphrase(p, again)?;
        }
        let mut inner = self.inner.lock().await;
        let before = match current {
            Some(p) => Unlock::Passphrase(p),
            None => Unlock::KeyFileOnly,
        };
        SqliteStore::open(&self.dir, &before).await?.close().await;
        if let Some(o) = inner.open.take() {
            o.store.close().await;
        }
        inner.profile = Profile::Journal;
        let changed = hearth_app::journal::protect(&self.dir, current, new).await;
        let now = match (&changed, new) {
            (Ok(()), Some((p, _))) => Unlock::Passphrase(p),
            (Ok(()), None) => Unlock::KeyFileOnly,
            (Err(_), _) => before,
        };
        let store = SqliteStore::open(&self.dir, &now).await?;
        inner.open = Some(Open {
            store: Arc::new(store),
            profile: Profile::Journal,
            passphrase: matches!(now, Unlock::Passphrase(_)),
        });
        inner.last_used = Instant::now();
        changed
    }

    /// Deletes the journal and the demo for good; the next visit starts
    /// afresh. Only a backup made beforehand can bring them back.
    pub async fn delete_everything(&self) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().await;
        if let Some(o) = inner.open.take() {
            o.store.close().await;
        }
        inner.profile = Profile::Journal;
        sqlite::destroy(&self.dir)?;
        let demo = self.demo_dir();
        if demo.exists() {
            std::fs::remove_dir_all(demo)?;
        }
        Ok(())
    }

    /// Checkpoints and closes whatever is open (on shutdown).
    pub async fn close(&self) {
        if let Some(o) = self.inner.lock().await.open.take() {
            o.store.close().await;
        }
    }
}

impl Local {
    pub fn lock_after(&self) -> Duration {
        self.lock_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passphrases_wait_longer_each_time_but_never_for_ever() {
        assert_eq!(back_off(1), Duration::ZERO);
        assert_eq!(back_off(2), Duration::ZERO);
        assert_eq!(back_off(3), Duration::from_secs(2));
        assert_eq!(back_off(4), Duration::from_secs(4));
        assert!((3..40).all(|n| back_off(n + 1) >= back_off(n)));
        assert_eq!(back_off(1000), Duration::from_secs(300));
    }
}
