//! Every insight as the Insights page shows it: title, sentence, numbers
//! with n and 95% intervals, confidence, chart and "what you could do".

use hearth_insights::Insight;

use hearth_formats::tables;
use hearth_formats::text::pct;

use hearth_core::guides::LinkedFrom;

use crate::guides::links;
use crate::views;

/// The cards that have something to say, and the titles of those that will
/// appear once the journal holds what they need.
pub fn build(
    result: &hearth_insights::Insights,
    report: &hearth_formats::report::Report,
    tz: &jiff::tz::TimeZone,
) -> (Vec<views::InsightView>, Vec<&'static str>) {
    let mut out = Vec::new();
    let mut later = Vec::new();
    for i in &result.insights {
        if !i.applies() {
            later.push(i.title());
            continue;
        }
        let v = match i {
            Insight::WhatHelps(w) => views::InsightView {
                title: w.title.into(),
                summary: w.summary.clone(),
                confidence: String::new(),
                notice: false,
                could_do: w.what_you_could_do.into(),
                charts: vec![report.helps_chart.clone()],
                table: (!w.items.is_empty()).then(|| tables::what_helps(&w.items)),
                later: tables::what_helps_later(&w.items),
                details: vec![],
                guides: vec![],
            },
            Insight::AfterSexDrop(d) => views::InsightView {
                title: d.title.into(),
                summary: d.summary.into(),
                confidence: d.confidence.words().into(),
                notice: d.triggered,
                could_do: d.what_you_could_do.unwrap_or_default().into(),
                charts: vec![],
                table: d
                    .items
                    .iter()
                    .any(|x| x.n > 0)
                    .then(|| tables::after_sex(d)),
                later: None,
                details: vec![],
                guides: links(LinkedFrom::AfterSex),
            },
            Insight::Reliance(r) => {
                let mut details = Vec::new();
                if r.n_episodes > 0 {
                    details.push(format!(
                        "Last 4 weeks: {} activities, {} of them sexual ({}, 95% interval {}–{}).",
                        r.n_episodes,
                        r.n_sexual,
                        pct(r.sexual_share),
                        pct(r.sexual_share_ci_low),
                        pct(r.sexual_share_ci_high)
                    ));
                    details.push(format!(
                        "Variety: {:.1} different kinds a week; spread {} of 1.",
                        r.distinct_kinds_per_week,
                        r.diversity
                            .map_or_else(|| "–".into(), |d| format!("{d:.2}"))
                    ));
                }
                details.extend(r.reasons.iter().map(|s| s.to_string()));
                views::InsightView {
                    title: r.title.into(),
                    summary: r.summary.into(),
                    confidence: r.confidence.words().into(),
                    notice: r.triggered,
                    could_do: r.what_you_could_do.unwrap_or_default().into(),
                    charts: vec![],
                    table: None,
                    later: None,
                    details,
                    guides: links(LinkedFrom::Reliance),
                }
            }
            Insight::Medication(m) => views::InsightView {
                title: m.title.into(),
                summary: m.summary.into(),
                confidence: String::new(),
                notice: m.triggered,
                could_do: m.what_you_could_do.unwrap_or_default().into(),
                charts: report.function.iter().cloned().collect(),
                table: (!m.items.is_empty()).then(|| tables::medication(m, tz)),
                later: None,
                details: vec![],
                guides: links(LinkedFrom::Medication),
            },
            Insight::Trend(t) => views::InsightView {
                title: t.title.into(),
                summary: t.summary.clone(),
                confidence: t.confidence.words().into(),
                notice: t.prompt_professional_help,
                could_do: t.what_you_could_do.into(),
                charts: report
                    .instruments
                    .iter()
                    .filter(|i| i.title == "PHQ-9")
                    .map(|i| i.chart.clone())
                    .collect(),
                table: None,
                later: None,
                details: vec![],
                guides: vec![],
            },
            Insight::Sleep(sl) => views::InsightView {
                title: sl.title.into(),
                summary: sl.summary.clone(),
                confidence: String::new(),
                notice: false,
                could_do: sl.what_you_could_do.into(),
                charts: vec![],
                table: sl
                    .items
                    .iter()
                    .any(|x| x.difference.is_some())
                    .then(|| tables::sleep(sl)),
                later: None,
                details: vec![],
                guides: vec![],
            },
        };
        out.push(v);
    }
    (out, later)
}
