//! Checked files waiting for the person to say "Import": kept in memory for
//! the browser session and person that checked them, briefly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hearth_app::import::Format;
use hearth_store::UserId;

/// Checked files waiting for "Import": few, small in number, and short-lived.
const MAX_PENDING: usize = 8;
const PENDING_TTL: Duration = Duration::from_secs(30 * 60);

pub(crate) struct Pending {
    pub(crate) session: String,
    pub(crate) user: UserId,
    pub(crate) format: Format,
    pub(crate) mood_map: Option<String>,
    pub(crate) text: String,
    pub(crate) made: Instant,
}

#[derive(Default)]
pub struct PendingImports {
    map: Mutex<HashMap<String, Pending>>,
}

impl PendingImports {
    pub(crate) fn put(&self, p: Pending) -> String {
        let id = hearth_app::secrets::new_secret().0;
        let mut map = self.map.lock().expect("pending imports lock");
        map.retain(|_, v| v.made.elapsed() < PENDING_TTL && v.session != p.session);
        if map.len() >= MAX_PENDING
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, v)| v.made)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(id.clone(), p);
        id
    }

    /// The checked file, if this session and person put it there.
    pub(crate) fn take(&self, id: &str, session: &str, user: UserId) -> Option<Pending> {
        let mut map = self.map.lock().expect("pending imports lock");
        let ok = map.get(id).is_some_and(|p| {
            p.session == session && p.user == user && p.made.elapsed() < PENDING_TTL
        });
        if ok { map.remove(id) } else { None }
    }
}
