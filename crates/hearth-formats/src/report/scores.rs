//! PHQ-9 and GAD-7 in the report: totals with their bands and change, the
//! latest two answers item by item, and the history.

use hearth_core::EntryBody;
use hearth_core::SurveyResponse;
use hearth_core::instrument::Registry;

use super::{Input, day, fmt_day, oldest_first, short_day};
use crate::charts::{self, Chart};

#[derive(Clone, serde::Serialize)]
pub struct ScoreRow {
    pub date: String,
    pub total: i32,
    pub band: String,
    pub crisis: bool,
}

/// One item of the questionnaire: its latest and previous answers.
#[derive(Clone, serde::Serialize)]
pub struct ItemRow {
    /// The item's number in the questionnaire; `None` for an extra question.
    pub number: Option<usize>,
    /// The item in a few words.
    pub short: String,
    pub latest: String,
    /// The latest answer's wording, e.g. "Several days".
    pub latest_word: String,
    pub previous: String,
    /// The crisis item, answered above its threshold in the latest score.
    pub flagged: bool,
}

#[derive(serde::Serialize)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub max: i32,
    pub latest: Option<ScoreRow>,
    pub change: Option<String>,
    /// Whether the questionnaire has a crisis item (GAD-7 has none).
    pub has_crisis_item: bool,
    /// Dates of the two scores the item table compares.
    pub latest_date: String,
    pub previous_date: String,
    pub items: Vec<ItemRow>,
    /// How the answers are scored, e.g. "0 Not at all · 1 Several days …".
    pub scale: String,
    pub chart: Chart,
    pub rows: Vec<ScoreRow>,
}

pub(super) fn band_label(registry: &Registry, instrument: &str, band: &Option<String>) -> String {
    let Some(b) = band else { return String::new() };
    registry
        .get(instrument)
        .and_then(|i| i.bands.iter().find(|x| &x.id == b))
        .map_or_else(|| b.replace('_', " "), |x| x.label.clone())
}

pub(super) fn instrument(input: &Input<'_>, id: &str) -> Option<Instrument> {
    let def = input.registry.get(id)?;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    let mut taken: Vec<(jiff::civil::Date, &SurveyResponse)> = Vec::new();
    for e in oldest_first(input.entries) {
        if let EntryBody::Survey(s) = &e.body
            && s.instrument == id
        {
            let d = day(e.at, input.tz);
            points.push((d, s.total));
            taken.push((d, s));
            rows.push(ScoreRow {
                date: fmt_day(d),
                total: s.total,
                band: band_label(input.registry, id, &s.band),
                crisis: s.crisis,
            });
        }
    }
    let change = (points.len() >= 2).then(|| {
        let c = points[points.len() - 1].1 - points[points.len() - 2].1;
        let meaningful = if hearth_insights::rules::meaningful_change(id, c) {
            format!(
                " — a meaningful change (≥ {} points)",
                hearth_insights::rules::PHQ9_MEANINGFUL_CHANGE
            )
        } else {
            String::new()
        };
        format!("{c:+} since the previous score{meaningful}")
    });
    let latest = taken.last();
    let previous = taken.len().checked_sub(2).map(|i| taken[i]);
    let answer = |s: Option<&SurveyResponse>, i: usize| {
        s.and_then(|s| s.answers.get(i))
            .map_or_else(|| "–".to_string(), i32::to_string)
    };
    let mut items: Vec<ItemRow> = def
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemRow {
            number: Some(i + 1),
            short: item.short_text().to_string(),
            latest: answer(latest.map(|l| l.1), i),
            latest_word: latest
                .and_then(|l| l.1.answers.get(i))
                .and_then(|v| def.options_for(item).iter().find(|o| o.value == *v))
                .map_or_else(String::new, |o| o.label.clone()),
            previous: answer(previous.map(|p| p.1), i),
            flagged: latest.is_some_and(|(_, s)| {
                s.answers
                    .get(i)
                    .is_some_and(|v| def.is_crisis_answer(i, *v))
            }),
        })
        .collect();
    for x in &def.extras {
        let word = |s: Option<&SurveyResponse>| {
            s.and_then(|s| s.extras.get(&x.id))
                .and_then(|v| def.options_for(x).iter().find(|o| o.value == *v))
                .map_or_else(|| "–".to_string(), |o| o.label.clone())
        };
        items.push(ItemRow {
            number: None,
            short: x.short_text().to_string(),
            latest: word(latest.map(|l| l.1)),
            latest_word: String::new(),
            previous: word(previous.map(|p| p.1)),
            flagged: false,
        });
    }
    let scale = def
        .options
        .iter()
        .map(|o| format!("{} {}", o.value, o.label.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" · ");
    let chart = charts::scores(
        &format!("{} ({}–{})", def.title, def.min_total(), def.max_total()),
        &points,
        def.max_total(),
        &def.bands,
    );
    Some(Instrument {
        id: id.to_string(),
        title: def.title.clone(),
        max: def.max_total(),
        latest: rows.last().cloned(),
        change,
        has_crisis_item: !def.crisis.is_empty(),
        latest_date: latest.map(|l| short_day(l.0)).unwrap_or_default(),
        previous_date: previous.map(|p| short_day(p.0)).unwrap_or_default(),
        items: if latest.is_some() { items } else { Vec::new() },
        scale,
        chart,
        rows,
    })
}
