//! The one injected clock: "now" and the person's zone, read once per
//! command or request and handed to every use-case.

use hearth_core::ValidationError;
use hearth_store::{Store, StoreError, UserId};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

#[derive(Debug, Clone)]
pub struct Clock {
    pub now: Timestamp,
    pub tz: TimeZone,
    pub tz_name: String,
}

impl Clock {
    /// `now` in the zone a person's settings name.
    pub async fn of(store: &dyn Store, user: UserId, now: Timestamp) -> Result<Clock, StoreError> {
        Ok(Clock::of_settings(&store.settings(user).await?, now)?)
    }

    /// `now` in the zone `settings` name, for a caller that has read them.
    pub fn of_settings(
        settings: &hearth_core::Settings,
        now: Timestamp,
    ) -> Result<Clock, ValidationError> {
        let tz = match hearth_core::when::zone(&settings.tz) {
            Some(tz) => tz,
            None => hearth_core::when::parse_zone(&settings.tz)?,
        };
        Ok(Clock {
            now,
            tz,
            tz_name: settings.tz.clone(),
        })
    }

    /// The person's local date now.
    pub fn today(&self) -> Date {
        self.now.to_zoned(self.tz.clone()).date()
    }

    /// Reads a time a person typed ("2h ago", "yesterday 22:00", RFC 3339).
    pub fn time(
        &self,
        field: &str,
        text: &Option<String>,
    ) -> Result<Option<Timestamp>, ValidationError> {
        text.as_deref()
            .map(|t| hearth_core::when::parse_time(field, t, self.now, &self.tz))
            .transpose()
    }

    /// The same clock, stopped at `now`: insights "as they stood" then.
    pub fn at(&self, now: Timestamp) -> Clock {
        Clock {
            now,
            ..self.clone()
        }
    }
}
