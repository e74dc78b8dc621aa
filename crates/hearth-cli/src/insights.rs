//! `hearth insights`: the engine's findings as a short read, or JSON.

use hearth_insights::{Insight, Insights};
use hearth_store::{LOCAL_USER, SqliteStore};

use crate::failure::{Outcome, print_json};
use crate::render;
use hearth_app::Clock;
use hearth_formats::tables;
use hearth_formats::text::pct;

pub async fn run(store: &SqliteStore, clock: &Clock, since: Option<String>, json: bool) -> Outcome {
    let since = match since {
        Some(d) => {
            let date = hearth_core::when::parse_date("since", &d)?;
            hearth_core::when::start_of_day(date, &clock.tz)
        }
        None => None,
    };
    let result = hearth_app::insights::of_journal(store, LOCAL_USER, clock, since).await?;
    if json {
        print_json(&result);
    } else {
        crate::term::page(&crate::term::wrap(&text(&result, clock)));
    }
    Ok(())
}

fn heading(out: &mut String, title: &str, summary: &str) {
    out.push_str(&format!("\n{title}\n{summary}\n"));
}

fn could_do(out: &mut String, line: Option<&str>) {
    if let Some(l) = line {
        out.push_str(&format!("What you could do: {l}\n"));
    }
}

fn text(r: &Insights, clock: &Clock) -> String {
    let mut out = String::new();
    let mut later = Vec::new();
    for i in &r.insights {
        if !i.applies() {
            later.push(i.title());
            continue;
        }
        match i {
            Insight::WhatHelps(w) => {
                heading(&mut out, w.title, &w.summary);
                if !w.items.is_empty() {
                    out.push_str(&format!("{}\n", draw(&tables::what_helps(&w.items))));
                    if let Some(t) = tables::what_helps_later(&w.items) {
                        out.push_str(&format!("Later on, {}:\n", tables::LATER_ON));
                        out.push_str(&format!("{}\n", draw(&t)));
                    }
                }
                could_do(&mut out, Some(w.what_you_could_do));
            }
            Insight::AfterSexDrop(d) => {
                heading(&mut out, d.title, d.summary);
                if d.items.iter().any(|x| x.n > 0) {
                    out.push_str(&format!("{}\n", draw(&tables::after_sex(d))));
                }
                could_do(&mut out, d.what_you_could_do);
            }
            Insight::Reliance(rl) => {
                heading(&mut out, rl.title, rl.summary);
                if rl.n_episodes > 0 {
                    out.push_str(&format!(
                        "  last 4 weeks: {} activities, {} sexual ({}, 95% interval {}–{}); {:.1} kinds a week; variety {}\n",
                        rl.n_episodes,
                        rl.n_sexual,
                        pct(rl.sexual_share),
                        pct(rl.sexual_share_ci_low),
                        pct(rl.sexual_share_ci_high),
                        rl.distinct_kinds_per_week,
                        rl.diversity.map(|d| format!("{d:.2} (0 one kind only, 1 evenly spread)")).unwrap_or_else(|| "–".into())
                    ));
                }
                for reason in &rl.reasons {
                    out.push_str(&format!("  • {reason}\n"));
                }
                could_do(&mut out, rl.what_you_could_do);
            }
            Insight::Medication(md) => {
                heading(&mut out, md.title, md.summary);
                if !md.items.is_empty() {
                    out.push_str(&format!("{}\n", draw(&tables::medication(md, &clock.tz))));
                }
                could_do(&mut out, md.what_you_could_do);
            }
            Insight::Trend(tr) => {
                heading(&mut out, tr.title, &tr.summary);
                if tr.n > 0 {
                    let recent: Vec<String> = tr
                        .history
                        .iter()
                        .rev()
                        .take(6)
                        .rev()
                        .map(|p| p.total.to_string())
                        .collect();
                    out.push_str(&format!("  recent scores: {}\n", recent.join(" → ")));
                }
            }
            Insight::Sleep(sl) => {
                heading(&mut out, sl.title, &sl.summary);
                if sl.items.iter().any(|x| x.difference.is_some()) {
                    out.push_str(&format!("{}\n", draw(&tables::sleep(sl))));
                }
                could_do(&mut out, Some(sl.what_you_could_do));
            }
        }
    }
    if !later.is_empty() {
        out.push_str(&format!(
            "\nMore appears here once your journal holds what it needs: {}.\n",
            later.join(", ")
        ));
    }
    out.push_str(
        "\nThese are Hearth's heuristics about your own entries, not diagnoses. Intervals are 95%; \
         \"not enough data yet\" means just that. See docs/insights.md.",
    );
    out
}

/// A shared table as the terminal can show it: as a table when it fits, else as
/// one short card per row, each value beside its heading, so no word is
/// broken across lines in a narrow window.
fn draw(t: &tables::Table) -> String {
    let chars = |s: &str| s.chars().count();
    let natural: usize = (0..t.head.len())
        .map(|i| {
            let cells = t.rows.iter().map(|r| r.get(i).map_or(0, |c| chars(c)));
            cells.chain([chars(t.head[i])]).max().unwrap_or(0) + 2
        })
        .sum::<usize>()
        + 2;
    if crate::term::width().is_some_and(|w| natural > usize::from(w)) {
        return cards(t);
    }
    let mut out = render::table(&t.head);
    for row in &t.rows {
        out.add_row(row.clone());
    }
    for (i, numeric) in t.numeric.iter().enumerate() {
        if *numeric && let Some(col) = out.column_mut(i) {
            col.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    out.to_string()
}

fn cards(t: &tables::Table) -> String {
    let label = t
        .head
        .iter()
        .skip(1)
        .map(|h| h.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for row in &t.rows {
        let mut cells = t.head.iter().zip(row);
        if let Some((_, first)) = cells.next() {
            out.push_str(&format!("  {first}\n"));
        }
        for (head, cell) in cells {
            out.push_str(&format!("    {head:<label$}  {cell}\n"));
        }
    }
    out.trim_end().to_string()
}
