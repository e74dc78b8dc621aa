//! Charts as SVG, drawn on the server and shared by the report and the web
//! app. Every chart comes with a text alternative that says what it shows.

use hearth_core::instrument::Band;
use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

/// Named explicitly (not just "sans-serif") so a PDF renderer finds the font.
pub const FONT: &str = "DejaVu Sans";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub svg: String,
    /// A sentence or two for screen readers and for anyone who would rather read.
    pub alt: String,
}

const INK: RGBColor = RGBColor(0x33, 0x3a, 0x44);
const LINE: RGBColor = RGBColor(0x2f, 0x6f, 0x8f);
const ACCENT: RGBColor = RGBColor(0xc0, 0x5a, 0x3c);
const BAND_FILLS: [RGBColor; 5] = [
    RGBColor(0xee, 0xf6, 0xee),
    RGBColor(0xf7, 0xf6, 0xe6),
    RGBColor(0xfb, 0xef, 0xe0),
    RGBColor(0xfa, 0xe5, 0xdc),
    RGBColor(0xf6, 0xdb, 0xdb),
];

const WIDTH: u32 = 720;
const HEIGHT: u32 = 260;

fn days_between(from: Date, to: Date) -> f64 {
    (to - from).get_days() as f64
}

fn date_label(start: Date, x: f64) -> String {
    let d = start + jiff::Span::new().days(x.round() as i64);
    d.strftime("%d %b").to_string()
}

/// A tick on a signed axis: "+1", "0", "-1.5"; never "-0" or a rounded half.
fn signed_tick(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".into()
    } else if (r - r.round()).abs() < 1e-9 {
        format!("{:+}", r.round() as i64)
    } else {
        format!("{r:+.1}")
    }
}

fn empty(alt: &str) -> Chart {
    Chart {
        svg: String::new(),
        alt: alt.to_string(),
    }
}

/// Totals of a questionnaire over time, on its bands.
pub fn scores(title: &str, points: &[(Date, i32)], max: i32, bands: &[Band]) -> Chart {
    if points.is_empty() {
        return empty(&format!("{title}: no scores in this period."));
    }
    let start = points[0].0;
    let span = days_between(start, points[points.len() - 1].0).max(1.0);
    // Room on the right for the band names, clear of the latest point.
    let right = span * 1.18 + 0.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok();
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(12)
            .caption(title, (FONT, 22).into_font().color(&INK))
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d(-0.5..right, 0f64..f64::from(max))
        else {
            return empty(title);
        };
        for (i, b) in bands.iter().enumerate() {
            let fill = BAND_FILLS[i.min(BAND_FILLS.len() - 1)];
            let area = [
                (-0.5, f64::from(b.min) - 0.5_f64.min(f64::from(b.min))),
                (span + 0.5, f64::from(b.max) + 0.5),
            ];
            chart
                .draw_series(std::iter::once(Rectangle::new(area, fill.filled())))
                .ok();
            chart
                .draw_series(std::iter::once(Text::new(
                    b.label.clone(),
                    (right - 0.1, f64::from(b.max) - 0.2),
                    (FONT, 18)
                        .into_font()
                        .color(&INK)
                        .pos(Pos::new(HPos::Right, VPos::Top)),
                )))
                .ok();
        }
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .x_label_formatter(&|x| date_label(start, *x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, 18).into_font().color(&INK))
            .draw()
            .ok();
        let series: Vec<(f64, f64)> = points
            .iter()
            .map(|(d, v)| (days_between(start, *d), f64::from(*v)))
            .collect();
        chart
            .draw_series(LineSeries::new(series.clone(), LINE.stroke_width(2)))
            .ok();
        chart
            .draw_series(series.iter().map(|p| Circle::new(*p, 4, LINE.filled())))
            .ok();
        root.present().ok();
    }
    let last = points[points.len() - 1];
    let band = bands
        .iter()
        .find(|b| (b.min..=b.max).contains(&last.1))
        .map(|b| format!(" ({})", b.label))
        .unwrap_or_default();
    let alt = format!(
        "{title}: {} scores from {} to {}, ranging {}–{}; latest {}{band} on {}.",
        points.len(),
        start,
        last.0,
        points.iter().map(|p| p.1).min().unwrap_or(0),
        points.iter().map(|p| p.1).max().unwrap_or(0),
        last.1,
        last.0
    );
    Chart { svg, alt }
}

/// Daily mood with days of chosen activities marked beneath it.
pub fn mood(days: &[(Date, f64)], marks: &[(Date, String)]) -> Chart {
    if days.is_empty() {
        return empty("Mood: no check-ins in this period.");
    }
    let start = days[0].0;
    let span = days_between(start, days[days.len() - 1].0).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok();
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(12)
            .caption(
                "Mood (0–10), activities marked below",
                (FONT, 22).into_font().color(&INK),
            )
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d(-0.5..span + 0.5, -1.5f64..10.0)
        else {
            return empty("Mood");
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_labels(6)
            .y_label_formatter(&|y| {
                if *y >= 0.0 {
                    format!("{y:.0}")
                } else {
                    String::new()
                }
            })
            .x_labels(6)
            .x_label_formatter(&|x| date_label(start, *x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, 18).into_font().color(&INK))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .draw()
            .ok();
        let series: Vec<(f64, f64)> = days
            .iter()
            .map(|(d, v)| (days_between(start, *d), *v))
            .collect();
        chart
            .draw_series(LineSeries::new(series, LINE.stroke_width(2)))
            .ok();
        chart
            .draw_series(marks.iter().filter(|(d, _)| *d >= start).map(|(d, _)| {
                let x = days_between(start, *d);
                Rectangle::new([(x - 0.2, -1.3), (x + 0.2, -0.7)], ACCENT.filled())
            }))
            .ok();
        root.present().ok();
    }
    let mean = days.iter().map(|d| d.1).sum::<f64>() / days.len() as f64;
    let alt = format!(
        "Mood from {} to {}: {} days with a check-in, average {mean:.1} of 10; {} activities marked.",
        start,
        days[days.len() - 1].0,
        days.len(),
        marks.len()
    );
    Chart { svg, alt }
}

/// The sexual-function total with medication events as vertical lines.
pub fn function_with_medication(points: &[(Date, i32)], events: &[(Date, String)]) -> Chart {
    if points.is_empty() && events.is_empty() {
        return empty("Sexual function and medication: nothing recorded in this period.");
    }
    let all: Vec<Date> = points
        .iter()
        .map(|p| p.0)
        .chain(events.iter().map(|e| e.0))
        .collect();
    let start = *all.iter().min().expect("non-empty");
    let end = *all.iter().max().expect("non-empty");
    let span = days_between(start, end).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok();
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(12)
            .caption(
                "Sexual-function total (5–30, higher = more difficulty) and medication",
                (FONT, 22).into_font().color(&INK),
            )
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d(-0.5..span + 0.5, 5f64..30.0)
        else {
            return empty("Sexual function");
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .x_label_formatter(&|x| date_label(start, *x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, 18).into_font().color(&INK))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .draw()
            .ok();
        for (d, label) in events {
            let x = days_between(start, *d);
            chart
                .draw_series(LineSeries::new(
                    [(x, 5.0), (x, 30.0)],
                    ACCENT.stroke_width(1),
                ))
                .ok();
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x + 0.3, 29.5),
                    (FONT, 18)
                        .into_font()
                        .color(&ACCENT)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                )))
                .ok();
        }
        let series: Vec<(f64, f64)> = points
            .iter()
            .map(|(d, v)| (days_between(start, *d), f64::from(*v)))
            .collect();
        chart
            .draw_series(LineSeries::new(series.clone(), LINE.stroke_width(2)))
            .ok();
        chart
            .draw_series(series.iter().map(|p| Circle::new(*p, 3, LINE.filled())))
            .ok();
        root.present().ok();
    }
    let alt = format!(
        "Sexual-function totals: {} weekly checks between {start} and {end}; medication events: {}.",
        points.len(),
        if events.is_empty() {
            "none".to_string()
        } else {
            events
                .iter()
                .map(|(d, l)| format!("{l} on {d}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    Chart { svg, alt }
}

/// Mood change per activity with its 95% interval (a forest plot).
pub fn effects(items: &[(String, f64, f64, f64)]) -> Chart {
    if items.is_empty() {
        return empty("What helps: not enough data yet.");
    }
    let lo = items.iter().map(|i| i.2).fold(-1.0_f64, f64::min).floor();
    let hi = items.iter().map(|i| i.3).fold(1.0_f64, f64::max).ceil();
    let rows = items.len() as f64;
    let height = (70 + 28 * items.len()) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(12)
            .caption(
                "Mood change after each activity (95% interval)",
                (FONT, 22).into_font().color(&INK),
            )
            .x_label_area_size(28)
            .y_label_area_size(200)
            .build_cartesian_2d(lo..hi, -0.5..rows - 0.5)
        else {
            return empty("What helps");
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(items.len())
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 0.01 && i >= 0.0 && (i as usize) < items.len() {
                    items[items.len() - 1 - i as usize].0.clone()
                } else {
                    String::new()
                }
            })
            .x_labels((hi - lo) as usize + 1)
            .x_label_formatter(&|x| signed_tick(*x))
            .label_style((FONT, 18).into_font().color(&INK))
            .light_line_style(RGBColor(0xee, 0xee, 0xee))
            .draw()
            .ok();
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.5), (0.0, rows - 0.5)],
                INK.stroke_width(1),
            ))
            .ok();
        for (i, (_, mean, l, h)) in items.iter().enumerate() {
            let y = rows - 1.0 - i as f64;
            chart
                .draw_series(LineSeries::new([(*l, y), (*h, y)], LINE.stroke_width(2)))
                .ok();
            chart
                .draw_series(std::iter::once(Circle::new((*mean, y), 5, LINE.filled())))
                .ok();
        }
        root.present().ok();
    }
    let alt = items
        .iter()
        .map(|(k, m, l, h)| format!("{k} {m:+.1} ({l:+.1} to {h:+.1})"))
        .collect::<Vec<_>>()
        .join("; ");
    Chart {
        svg,
        alt: format!("Mood change after each activity with 95% intervals: {alt}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn charts_draw_and_describe_themselves() {
        let bands = hearth_core::instrument::Registry::builtin()
            .require("phq9")
            .unwrap()
            .bands
            .clone();
        let c = scores(
            "PHQ-9",
            &[(date(2026, 1, 1), 12), (date(2026, 1, 15), 8)],
            27,
            &bands,
        );
        assert!(c.svg.starts_with("<svg") && c.svg.contains("moderately severe"));
        assert!(c.alt.contains("latest 8 (mild)"), "{}", c.alt);
        let m = mood(
            &[(date(2026, 1, 1), 4.0), (date(2026, 1, 2), 6.0)],
            &[(date(2026, 1, 2), "exercise".into())],
        );
        assert!(m.svg.contains("<svg") && m.alt.contains("average 5.0"));
        let f = function_with_medication(
            &[(date(2026, 1, 1), 10)],
            &[(date(2026, 1, 3), "sertraline <50 mg>".into())],
        );
        assert!(
            f.svg.contains("sertraline &lt;50 mg&gt;"),
            "labels are escaped"
        );
        let e = effects(&[("exercise".into(), 1.4, 0.9, 1.9)]);
        assert!(e.svg.contains("exercise") && e.alt.contains("+1.4 (+0.9 to +1.9)"));
        assert_eq!(scores("GAD-7", &[], 21, &[]).svg, "");
    }

    /// The text of every `<text>` element, in order.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim().to_string()))
            .collect()
    }

    #[test]
    fn the_effects_axis_has_distinct_whole_steps_and_legible_text() {
        let e = effects(&[
            ("Exercise".into(), 1.4, 0.6, 2.1),
            ("Sex with a partner".into(), -0.8, -1.7, 0.2),
        ]);
        let ticks: Vec<String> = texts(&e.svg)
            .into_iter()
            .filter(|t| t.parse::<f64>().is_ok())
            .collect();
        assert_eq!(
            ticks,
            ["-2", "-1", "0", "+1", "+2", "+3"],
            "{:?}",
            texts(&e.svg)
        );
        let smallest = e
            .svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|t| t[..t.find('"')?].parse::<f64>().ok())
            .fold(f64::MAX, f64::min);
        assert!(
            smallest >= 14.0,
            "chart text is at least 14 px of 720 ({smallest})"
        );
        assert_eq!(signed_tick(-0.5), "-0.5");
        assert_eq!(signed_tick(-0.0001), "0");
    }
}
