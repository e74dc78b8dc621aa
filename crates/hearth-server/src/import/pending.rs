//! Checked files waiting for the person to say "Import": kept in memory for
//! the browser session and person that checked them, briefly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hearth_app::import::Format;
use hearth_store::UserId;

/// Checked files waiting for "Import": few, and short-lived. Each person may
/// have a couple waiting; all together stay few, since each may be 32 MiB.
const MAX_PER_PERSON: usize = 2;
const MAX_PENDING: usize = 16;
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
    /// Keeps a checked file and names it, or `None` when the server already
    /// holds as many as it will for others: one person's files never push
    /// out another's.
    pub(crate) fn put(&self, p: Pending) -> Option<String> {
        let id = hearth_app::secrets::new_secret().0;
        let mut map = self.map.lock().expect("pending imports lock");
        map.retain(|_, v| v.made.elapsed() < PENDING_TTL && v.session != p.session);
        let theirs = map.values().filter(|v| v.user == p.user).count();
        if theirs >= MAX_PER_PERSON
            && let Some(oldest) = map
                .iter()
                .filter(|(_, v)| v.user == p.user)
                .min_by_key(|(_, v)| v.made)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        if map.len() >= MAX_PENDING {
            return None;
        }
        map.insert(id.clone(), p);
        Some(id)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(session: &str, user: i64) -> Pending {
        Pending {
            session: session.into(),
            user: UserId(user),
            format: Format::Daylio,
            mood_map: None,
            text: String::new(),
            made: Instant::now(),
        }
    }

    #[test]
    fn one_persons_checks_never_push_out_anothers() {
        let p = PendingImports::default();
        let alices = p.put(pending("a1", 1)).unwrap();
        for i in 0..10 {
            p.put(pending(&format!("b{i}"), 2)).unwrap();
        }
        assert!(
            p.take(&alices, "a1", UserId(1)).is_some(),
            "Alice's file waited"
        );
        // Filling the server with many people's files refuses the next, not evicts.
        let all: Vec<String> = (0..MAX_PENDING as i64)
            .filter_map(|u| p.put(pending(&format!("s{u}"), 100 + u)))
            .collect();
        assert!(p.put(pending("late", 999)).is_none());
        assert!(p.take(&all[0], "s0", UserId(100)).is_some());
        assert!(
            p.take(&alices, "a1", UserId(1)).is_none(),
            "taken once only"
        );
    }
}
