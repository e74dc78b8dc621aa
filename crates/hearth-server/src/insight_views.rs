//! Every insight as the Insights page shows it: title, sentence, numbers
//! with n and 95% intervals, confidence, chart and "what you could do".

use hearth_insights::Insight;

use hearth_formats::text::{interval, num, pct};

use crate::views;

pub fn build(
    result: &hearth_insights::Insights,
    report: &hearth_formats::report::Report,
    tz: &jiff::tz::TimeZone,
) -> Vec<views::InsightView> {
    let mut out = Vec::new();
    for i in &result.insights {
        let v =
            match i {
                Insight::WhatHelps(w) => views::InsightView {
                    title: w.title.into(),
                    summary: w.summary.clone(),
                    confidence: "per activity".into(),
                    notice: false,
                    could_do: w.what_you_could_do.into(),
                    charts: vec![report.helps_chart.clone()],
                    table: (!w.items.is_empty()).then(|| views::TableView {
                        head: vec![
                            "activity",
                            "n",
                            "mood change",
                            "95% interval",
                            "next morning",
                            "95% interval",
                            "verdict",
                            "confidence",
                        ],
                        rows: w
                            .items
                            .iter()
                            .map(|it| {
                                vec![
                                    it.kind.clone(),
                                    it.n.to_string(),
                                    num(it.mean_change),
                                    interval(it.ci_low, it.ci_high),
                                    num(it.next_morning_effect),
                                    interval(it.next_morning_ci_low, it.next_morning_ci_high),
                                    it.verdict.label().into(),
                                    it.confidence.as_str().into(),
                                ]
                            })
                            .collect(),
                    }),
                    details: vec![],
                },
                Insight::AfterSexDrop(d) => views::InsightView {
                    title: d.title.into(),
                    summary: d.summary.into(),
                    confidence: d.confidence.as_str().into(),
                    notice: d.triggered,
                    could_do: d.what_you_could_do.unwrap_or_default().into(),
                    charts: vec![],
                    table: d.items.iter().any(|x| x.n > 0).then(|| views::TableView {
                        head: vec![
                            "after",
                            "n (90 days)",
                            "felt worse",
                            "share",
                            "95% interval",
                        ],
                        rows: d
                            .items
                            .iter()
                            .filter(|x| x.n > 0)
                            .map(|x| {
                                vec![
                                    x.kind.replace('-', " "),
                                    x.n.to_string(),
                                    x.drops.to_string(),
                                    pct(x.share),
                                    format!("{}–{}", pct(x.ci_low), pct(x.ci_high)),
                                ]
                            })
                            .collect(),
                    }),
                    details: vec![],
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
                        confidence: r.confidence.as_str().into(),
                        notice: r.triggered,
                        could_do: r.what_you_could_do.unwrap_or_default().into(),
                        charts: vec![],
                        table: None,
                        details,
                    }
                }
                Insight::Medication(m) => views::InsightView {
                    title: m.title.into(),
                    summary: m.summary.into(),
                    confidence: if m.triggered {
                        "see each change"
                    } else {
                        "–"
                    }
                    .into(),
                    notice: m.triggered,
                    could_do: m.what_you_could_do.unwrap_or_default().into(),
                    charts: vec![report.function.clone()],
                    table: (!m.items.is_empty()).then(|| views::TableView {
                        head: vec![
                            "medication",
                            "change",
                            "date",
                            "before (checks)",
                            "after (checks)",
                            "difference",
                            "95% interval",
                        ],
                        rows: m
                            .items
                            .iter()
                            .map(|x| {
                                vec![
                                    x.medication.clone(),
                                    x.event.to_string(),
                                    views::local_day(x.at, tz),
                                    format!(
                                        "{} ({})",
                                        x.before_mean.map_or("–".into(), |v| format!("{v:.1}")),
                                        x.before_n
                                    ),
                                    format!(
                                        "{} ({})",
                                        x.after_mean.map_or("–".into(), |v| format!("{v:.1}")),
                                        x.after_n
                                    ),
                                    num(x.change),
                                    interval(x.ci_low, x.ci_high),
                                ]
                            })
                            .collect(),
                    }),
                    details: vec![],
                },
                Insight::Trend(t) => views::InsightView {
                    title: t.title.into(),
                    summary: t.summary.clone(),
                    confidence: t.confidence.as_str().into(),
                    notice: t.prompt_professional_help,
                    could_do: t.what_you_could_do.into(),
                    charts: report
                        .instruments
                        .iter()
                        .filter(|i| i.title == "PHQ-9")
                        .map(|i| i.chart.clone())
                        .collect(),
                    table: None,
                    details: vec![],
                },
                Insight::Sleep(sl) => views::InsightView {
                    title: sl.title.into(),
                    summary: sl.summary.clone(),
                    confidence: "per comparison".into(),
                    notice: false,
                    could_do: sl.what_you_could_do.into(),
                    charts: vec![],
                    table: sl.items.iter().any(|x| x.difference.is_some()).then(|| {
                        views::TableView {
                            head: vec![
                                "measure",
                                "after",
                                "mean (days)",
                                "other days",
                                "difference",
                                "95% interval",
                                "confidence",
                            ],
                            rows: sl
                                .items
                                .iter()
                                .filter(|x| x.difference.is_some())
                                .map(|x| {
                                    vec![
                                        x.measure.replace('_', " "),
                                        x.after.replace('_', " "),
                                        format!("{:.1} ({})", x.mean.unwrap_or_default(), x.n),
                                        format!(
                                            "{:.1} ({})",
                                            x.other_mean.unwrap_or_default(),
                                            x.n_other
                                        ),
                                        num(x.difference),
                                        interval(x.ci_low, x.ci_high),
                                        x.confidence.as_str().into(),
                                    ]
                                })
                                .collect(),
                        }
                    }),
                    details: vec![],
                },
            };
        out.push(v);
    }
    out
}
