//! Checked files waiting for the person to say "Import", for the browser
//! session and person that checked them, briefly: in memory in local mode,
//! in the store in server mode so any server process can finish the import.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_app::import::Format;
use hearth_app::secrets::secret_hash;
use hearth_store::{PendingImport, ServerStore, StoreError, UserId};
use jiff::{SignedDuration, Timestamp};

/// Checked files waiting for "Import": few, and short-lived. Each person may
/// have a couple waiting; all together stay few, since each may be 32 MiB.
const MAX_PER_PERSON: usize = 2;
const MAX_PENDING: usize = 16;
const PENDING_TTL: SignedDuration = SignedDuration::from_mins(30);

pub(crate) struct Pending {
    pub(crate) session: String,
    pub(crate) user: UserId,
    pub(crate) format: Format,
    pub(crate) mood_map: Option<String>,
    pub(crate) text: String,
    pub(crate) made: Timestamp,
}

#[derive(Default)]
pub struct PendingImports {
    map: Mutex<HashMap<String, Pending>>,
    store: Option<Arc<dyn ServerStore>>,
}

impl PendingImports {
    pub fn in_store(store: Arc<dyn ServerStore>) -> PendingImports {
        PendingImports {
            map: Mutex::default(),
            store: Some(store),
        }
    }

    /// Keeps a checked file and names it, or `None` when the server already
    /// holds as many as it will for others: one person's files never push
    /// out another's.
    pub(crate) async fn put(&self, p: Pending) -> Result<Option<String>, StoreError> {
        let id = hearth_app::secrets::new_secret().0;
        let since = Timestamp::now() - PENDING_TTL;
        if let Some(store) = &self.store {
            let row = PendingImport {
                id_hash: secret_hash(&id),
                user: p.user,
                session_hash: secret_hash(&p.session),
                format: p.format.as_str().to_string(),
                mood_map: p.mood_map,
                body: p.text,
                created_at: p.made,
            };
            let kept = store
                .put_pending(&row, since, MAX_PER_PERSON, MAX_PENDING)
                .await?;
            return Ok(kept.then_some(id));
        }
        let mut map = self.map.lock().expect("pending imports lock");
        map.retain(|_, v| v.made > since && v.session != p.session);
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
            return Ok(None);
        }
        map.insert(id.clone(), p);
        Ok(Some(id))
    }

    /// The checked file, if this session and person put it there.
    pub(crate) async fn take(
        &self,
        id: &str,
        session: &str,
        user: UserId,
    ) -> Result<Option<Pending>, StoreError> {
        let since = Timestamp::now() - PENDING_TTL;
        if let Some(store) = &self.store {
            let found = store
                .take_pending(&secret_hash(id), &secret_hash(session), user, since)
                .await?;
            return Ok(found.and_then(|r| {
                Some(Pending {
                    session: session.to_string(),
                    user,
                    format: Format::parse(&r.format).ok()?,
                    mood_map: r.mood_map,
                    text: r.body,
                    made: r.created_at,
                })
            }));
        }
        let mut map = self.map.lock().expect("pending imports lock");
        let ok = map
            .get(id)
            .is_some_and(|p| p.session == session && p.user == user && p.made > since);
        Ok(if ok { map.remove(id) } else { None })
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
            made: Timestamp::now(),
        }
    }

    #[tokio::test]
    async fn one_persons_checks_never_push_out_anothers() {
        let p = PendingImports::default();
        let alices = p.put(pending("a1", 1)).await.unwrap().unwrap();
        for i in 0..10 {
            p.put(pending(&format!("b{i}"), 2)).await.unwrap().unwrap();
        }
        assert!(
            p.take(&alices, "a1", UserId(1)).await.unwrap().is_some(),
            "Alice's file waited"
        );
        // Filling the server with many people's files refuses the next, not evicts.
        let mut all = Vec::new();
        for u in 0..MAX_PENDING as i64 {
            if let Some(id) = p.put(pending(&format!("s{u}"), 100 + u)).await.unwrap() {
                all.push(id);
            }
        }
        assert!(p.put(pending("late", 999)).await.unwrap().is_none());
        assert!(p.take(&all[0], "s0", UserId(100)).await.unwrap().is_some());
        assert!(
            p.take(&alices, "a1", UserId(1)).await.unwrap().is_none(),
            "taken once only"
        );
    }
}
