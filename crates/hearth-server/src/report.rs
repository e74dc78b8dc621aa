//! The clinician report for a period, assembled from a person's journal:
//! shared by the Report page, share links and `hearth report`.

use hearth_core::Entry;
use hearth_core::instrument::Registry;
use hearth_store::{Filter, Store, StoreError, UserId};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::input::Clock;

/// Insights, the built report, and how many entries it covers.
pub type ReportParts = (
    hearth_insights::Insights,
    hearth_formats::report::Report,
    usize,
);

/// The report for `from`..=`to` (`to` defaults to today, `from` to the first
/// entry): insights as they stood at the period's end, from its entries only.
pub async fn build(
    store: &dyn Store,
    user: UserId,
    registry: &Registry,
    clock: &Clock,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<ReportParts, StoreError> {
    let tz = clock.tz.clone();
    let today = clock.now.to_zoned(tz.clone()).date();
    let to = to.map_or(today, |t| t.min(today));
    let since = from.and_then(|d| hearth_core::when::start_of_day(d, &tz));
    let end = to
        .tomorrow()
        .ok()
        .and_then(|d| hearth_core::when::start_of_day(d, &tz))
        .map_or(clock.now, |t| t.min(clock.now));
    let all: Vec<Entry> = store
        .list(
            user,
            &Filter {
                until: Some(end),
                ..Filter::default()
            },
        )
        .await?;
    let as_of = Clock {
        now: end,
        tz: tz.clone(),
        tz_name: clock.tz_name.clone(),
    };
    let result = crate::api::analyse(&all, &as_of, since);
    let in_period: Vec<Entry> = all
        .iter()
        .filter(|e| since.is_none_or(|t| e.at >= t))
        .cloned()
        .collect();
    let first = in_period
        .last()
        .map_or(today, |e| e.at.to_zoned(tz.clone()).date());
    let questions: Vec<String> = store
        .questions(user)
        .await?
        .into_iter()
        .map(|q| q.text)
        .collect();
    let crisis: Vec<(Timestamp, String)> = store
        .crisis_events(user)
        .await?
        .into_iter()
        .filter(|c| since.is_none_or(|t| c.at >= t) && c.at <= end)
        .map(|c| (c.at, crisis_source(&c.source)))
        .collect();
    let report = hearth_formats::report::build(&hearth_formats::report::Input {
        entries: &in_period,
        insights: &result,
        questions: &questions,
        crisis: &crisis,
        registry,
        from: from.unwrap_or(first),
        to,
        tz: &tz,
        generated_at: clock.now,
    });
    Ok((result, report, in_period.len()))
}

/// How a crisis event reads in the report.
pub fn crisis_source(source: &str) -> String {
    match source {
        "checkin" => "marked \"I'm not safe\" on a check-in".into(),
        s => match s.strip_prefix("survey:") {
            Some("phq9") => {
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above 0"
                    .into()
            }
            Some(i) => format!("an answer on {i}"),
            None => s.to_string(),
        },
    }
}
