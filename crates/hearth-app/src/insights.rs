//! Reading a journal's insights: one seed, so the CLI, the pages, the API
//! and the report read the same journal the same way.

use hearth_core::{Entry, Prompt};
use hearth_insights::Insights;
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::Timestamp;

use crate::Clock;

/// Bootstrap seed: fixed so the same journal always reads the same.
pub const SEED: u64 = 0x4845_4152_5448;

/// Insights from `entries` as of the clock's now, counting only entries
/// from `since`; ratings `prompts` mark as given late are left out.
pub fn analyse(
    entries: &[Entry],
    prompts: &[Prompt],
    clock: &Clock,
    since: Option<Timestamp>,
) -> Insights {
    hearth_insights::analyse(&hearth_insights::Input {
        prompts,
        entries,
        now: clock.now,
        tz: clock.tz.clone(),
        since,
        seed: SEED,
    })
}

/// A person's insights now.
pub async fn of_journal(
    store: &dyn Store,
    user: UserId,
    clock: &Clock,
    since: Option<Timestamp>,
) -> Result<Insights, StoreError> {
    // Side by side: the embedded store reads each on a connection of its own.
    let all = Filter::default();
    let (entries, prompts) = tokio::try_join!(store.list(user, &all), store.prompts(user, None))?;
    Ok(analyse(&entries, &prompts, clock, since))
}
