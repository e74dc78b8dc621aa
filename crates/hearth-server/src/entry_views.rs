//! Entries as lists show them: one row each, the kinds offered when logging,
//! discreet rows, and the last week at a glance.

use hearth_core::{Entry, EntryBody};
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%a %-d %b, %H:%M")
        .to_string()
}

pub fn local_day(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%A %-d %B %Y").to_string()
}

/// One entry in a list.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub what: String,
    pub when: String,
    pub mood: String,
    pub details: String,
}

/// Built-in kinds in the order a person is likely to reach for them.
pub const KIND_ORDER: &[&str] = &[
    "exercise",
    "outdoors",
    "social",
    "intimacy",
    "sex-partnered",
    "sex-solo",
    "mindfulness",
    "art",
    "therapy",
    "porn",
];

pub fn kinds(custom: &[String]) -> Vec<(String, String)> {
    KIND_ORDER
        .iter()
        .map(|k| (k.to_string(), hearth_core::labels::kind_name(k)))
        .chain(
            custom
                .iter()
                .map(|k| (k.clone(), hearth_core::labels::kind_name(k))),
        )
        .collect()
}

pub fn row(e: &Entry, tz: &TimeZone, registry: &hearth_core::instrument::Registry) -> Row {
    let (_, mood, details) = hearth_formats::text::summary(e, registry);
    let what = match &e.body {
        EntryBody::Checkin(_) => "Check-in".to_string(),
        EntryBody::Episode(ep) => hearth_core::labels::kind(&ep.kind),
        EntryBody::Survey(s) => registry
            .get(&s.instrument)
            .map_or_else(|| s.instrument.clone(), |i| i.title.clone()),
        EntryBody::Medication(_) => "Medication".to_string(),
    };
    Row {
        id: e.id.to_string(),
        what,
        when: local_time(e.at, tz),
        mood: if mood.is_empty() {
            String::new()
        } else {
            format!("mood {mood}")
        },
        details,
    }
}

/// A row for a list: in discreet mode a sexual activity reads "Private",
/// with nothing else of it shown until it is opened.
pub fn listed(
    e: &Entry,
    tz: &TimeZone,
    registry: &hearth_core::instrument::Registry,
    settings: &hearth_core::Settings,
) -> Row {
    let mut r = row(e, tz, registry);
    if let EntryBody::Episode(ep) = &e.body
        && settings.keeps_private(&ep.kind)
    {
        r.what = "Private".into();
        r.details = String::new();
    }
    r
}

/// One day of the week at a glance, in words: (day, mood, activities).
pub struct GlanceDay {
    pub day: String,
    pub today: bool,
    pub mood: String,
    pub activities: String,
}

pub fn week(g: &hearth_app::today::Glance, today: jiff::civil::Date) -> Vec<GlanceDay> {
    g.days
        .iter()
        .map(|d| GlanceDay {
            day: d.date.strftime("%a %-d").to_string(),
            today: d.date == today,
            mood: d.mood.map_or_else(|| "–".into(), |m| format!("{m:.0}")),
            activities: match d.activities {
                0 => "–".into(),
                n => n.to_string(),
            },
        })
        .collect()
}
