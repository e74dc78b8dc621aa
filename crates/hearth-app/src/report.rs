//! The clinician report for a period, assembled from a person's journal:
//! one definition for the Report page, share links and `hearth report`.

use hearth_core::instrument::Registry;
use hearth_core::vocab::{EntryType, ReportSection};
use hearth_core::{Entry, EntryBody, ValidationError};
use hearth_store::{Filter, Only, Store, StoreError, UserId};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::Clock;

/// A report covers twelve weeks unless the person says otherwise: about six PHQ-9s.
pub const DEFAULT_WEEKS: i64 = 12;

/// The first day of the `weeks` whole weeks ending on `to` (both days included).
pub fn weeks_ending(to: Date, weeks: i64) -> Date {
    to.checked_sub(jiff::Span::new().days(7 * weeks.max(1) - 1))
        .unwrap_or(to)
}

/// The first day of the default period ending on `to`.
pub fn default_from(to: Date) -> Date {
    weeks_ending(to, DEFAULT_WEEKS)
}

/// The period a person asked for: `to` defaults to today, `from` to twelve
/// weeks before `to`.
pub fn period(
    from: Option<Date>,
    to: Option<Date>,
    today: Date,
) -> Result<(Date, Date), ValidationError> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| default_from(to));
    if from > to {
        return Err(ValidationError::invalid(
            "from",
            "must be on or before 'to'",
        ));
    }
    Ok((from, to))
}

/// Insights, the built report, and how many entries it covers.
pub struct Built {
    pub insights: hearth_insights::Insights,
    pub report: hearth_formats::report::Report,
    pub entries: usize,
}

/// Reads the person's choice of sections to leave out: each part a name or
/// a comma-separated list ("sex,porn"), as flags, forms and JSON give them.
pub fn leave_out<S: AsRef<str>>(parts: &[S]) -> Result<Vec<ReportSection>, ValidationError> {
    let mut out = Vec::new();
    let names = parts.iter().flat_map(|p| p.as_ref().split(','));
    for part in names.map(str::trim).filter(|p| !p.is_empty()) {
        let s = ReportSection::parse(part)?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out.sort();
    Ok(out)
}

/// The report for `from`..=`to` (`to` defaults to today, `from` to the first
/// entry): insights as they stood at the period's end, from its entries only,
/// without the sections the person left out.
pub async fn build(
    store: &dyn Store,
    user: UserId,
    registry: &Registry,
    clock: &Clock,
    (from, to): (Option<Date>, Option<Date>),
    leave_out: &[ReportSection],
) -> Result<Built, StoreError> {
    let tz = clock.tz.clone();
    let today = clock.today();
    let to = to.map_or(today, |t| t.min(today));
    let since = from.and_then(|d| hearth_core::when::start_of_day(d, &tz));
    let end = to
        .tomorrow()
        .ok()
        .and_then(|d| hearth_core::when::start_of_day(d, &tz))
        .map_or(clock.now, |t| t.min(clock.now));
    // Only the period is read, so a report takes as long for a year's
    // journal as for a lifetime's; medication histories are the exception,
    // since a dose started years ago is still today's dose.
    let in_period: Vec<Entry> = store
        .list(
            user,
            &Filter {
                since,
                until: Some(end),
                ..Filter::default()
            },
        )
        .await?;
    let medication_events = store
        .list(
            user,
            &Filter {
                until: Some(end),
                only: Some(Only::Type(EntryType::Medication)),
                ..Filter::default()
            },
        )
        .await?;
    let prompts = store
        .prompts_of_period(user, since.unwrap_or(Timestamp::MIN), end)
        .await?;
    let insights = crate::insights::analyse(&in_period, &prompts, &clock.at(end), since);
    let medications = hearth_core::medication::summarise(&medication_events);
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
        .map(|c| {
            let answered = in_period
                .iter()
                .find(|e| e.id == c.entry_id)
                .and_then(|e| crisis_answer(e, registry));
            (c.at, crisis_source(&c.source, answered.as_deref()))
        })
        .collect();
    let report = hearth_formats::report::build(&hearth_formats::report::Input {
        entries: &in_period,
        insights: &insights,
        medications: &medications,
        questions: &questions,
        crisis: &crisis,
        registry,
        from: from.unwrap_or(first),
        to,
        tz: &tz,
        generated_at: clock.now,
        leave_out,
    });
    Ok(Built {
        insights,
        report,
        entries: in_period.len(),
    })
}

/// The answers that met a questionnaire's crisis rule, with their values,
/// e.g. "answered 2 (More than half the days)".
fn crisis_answer(e: &Entry, registry: &Registry) -> Option<String> {
    let EntryBody::Survey(s) = &e.body else {
        return None;
    };
    let def = registry.get(&s.instrument)?;
    let words: Vec<String> = def
        .crisis
        .iter()
        .filter_map(|rule| {
            let i = def.items.iter().position(|it| it.id == rule.item)?;
            let v = *s.answers.get(i)?;
            let label = def
                .options_for(&def.items[i])
                .iter()
                .find(|o| o.value == v)
                .map_or_else(String::new, |o| format!(" ({})", o.label.to_lowercase()));
            (v > rule.above).then(|| format!("answered {v}{label}"))
        })
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// How a crisis event reads in the report, with what was answered when it
/// is known ("answered 2 (more than half the days)").
pub fn crisis_source(source: &str, answered: Option<&str>) -> String {
    let answered = answered.unwrap_or("answered above 0");
    match source {
        "checkin" => "marked \"I'm not safe\" on a check-in".into(),
        s => match s.strip_prefix("survey:") {
            Some("phq9") => format!(
                "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) {answered}"
            ),
            Some(i) => format!("an answer on {i}: {answered}"),
            None => s.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_twelve_weeks_ending_today() {
        let today: Date = "2026-12-01".parse().unwrap();
        let (from, to) = period(None, None, today).unwrap();
        assert_eq!(to, today);
        assert_eq!(
            from,
            "2026-09-09".parse::<Date>().unwrap(),
            "84 days, both ends included"
        );
        assert_eq!(
            weeks_ending(today, 1),
            "2026-11-25".parse::<Date>().unwrap()
        );
        let end: Date = "2026-06-30".parse().unwrap();
        let (from, to) = period(None, Some(end), today).unwrap();
        assert_eq!((to, from), (end, "2026-04-08".parse().unwrap()));
        assert!(period(Some(today), Some(end), today).is_err());
    }

    #[test]
    fn sections_to_leave_out_are_read_once_each_and_unknown_ones_refused() {
        assert_eq!(
            leave_out(&[" porn, sex", "porn ,"]).unwrap(),
            vec![ReportSection::Sex, ReportSection::Porn]
        );
        assert!(leave_out::<&str>(&[]).unwrap().is_empty());
        let err = leave_out(&["sex,diary"]).unwrap_err().to_string();
        assert!(err.contains("sex, porn, sexual-function, notices"), "{err}");
    }
}
