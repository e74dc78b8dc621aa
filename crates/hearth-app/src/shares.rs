//! Share links: a time-limited, revocable, read-only link to a person's
//! report for a period. Only a hash of the link's secret is ever stored.

use hearth_core::ValidationError;
use hearth_store::{ShareLink, ShareScope, Shares, UserId};
use jiff::SignedDuration;
use jiff::civil::Date;

use crate::{AppError, Clock};

pub const DEFAULT_DAYS: u32 = 14;
pub const MAX_DAYS: u32 = 90;

/// What a person asks for; every part has a default.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Days until the link stops working.
    pub days: Option<u32>,
    /// Report sections the link leaves out.
    pub leave_out: Vec<hearth_core::vocab::ReportSection>,
}

/// A new link, and its secret: shown to the person once, kept nowhere.
pub struct Made {
    pub link: ShareLink,
    pub secret: String,
}

/// Checks the request (naming every problem) and makes the link.
pub async fn create(
    store: &dyn Shares,
    user: UserId,
    clock: &Clock,
    req: &Request,
) -> Result<Made, AppError> {
    let today = clock.today();
    let mut p = Vec::new();
    let days = req.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        p.push(ValidationError::invalid(
            "days",
            format!("must be from 1 to {MAX_DAYS}"),
        ));
    }
    if req.to.is_some_and(|t| t > today) {
        p.push(ValidationError::invalid("to", "cannot be in the future"));
    }
    let period = crate::report::period(req.from, req.to, today);
    let (from, to) = match period {
        Ok(ft) if p.is_empty() => ft,
        Ok(_) => return Err(AppError::Invalid(p)),
        Err(e) => {
            p.push(e);
            return Err(AppError::Invalid(p));
        }
    };
    let (secret, hash) = crate::secrets::new_secret();
    let expires = clock.now + SignedDuration::from_hours(24 * i64::from(days));
    let link = store
        .create_share(
            user,
            &hash,
            &ShareScope {
                from,
                to,
                leave_out: req.leave_out.clone(),
            },
            clock.now,
            expires,
        )
        .await?;
    tracing::info!(link = %link.id, "share link created");
    Ok(Made { link, secret })
}

/// A new private calendar link's secret, shown to the person once; a link
/// made before stops working.
pub async fn make_calendar(store: &dyn Shares, user: UserId) -> Result<String, AppError> {
    let (secret, hash) = crate::secrets::new_secret();
    store.set_calendar(user, Some(&hash)).await?;
    tracing::info!(user = user.0, "calendar link made");
    Ok(secret)
}

/// Ends the person's calendar link at once.
pub async fn stop_calendar(store: &dyn Shares, user: UserId) -> Result<(), AppError> {
    store.set_calendar(user, None).await?;
    tracing::info!(user = user.0, "calendar link stopped");
    Ok(())
}
