//! Charts as SVG, drawn on the server and shared by the report and the web
//! app. Every chart comes with a text alternative that says what it shows,
//! and is drawn twice: for a page or a sheet of paper, and for a phone, so
//! that on neither is the text scaled below a readable size.

use hearth_core::instrument::Band;
use jiff::civil::Date;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

/// Named explicitly (not just "sans-serif") so a PDF renderer finds the font.
pub const FONT: &str = "DejaVu Sans";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Drawn for a page at least 560 px wide, and for print.
    pub svg: String,
    /// The same chart drawn for a phone, so that on a 360 px screen its
    /// smallest text is still about 13 px.
    #[serde(skip_serializing)]
    pub narrow: String,
    /// A sentence or two for screen readers and for anyone who would rather read.
    pub alt: String,
}

impl Chart {
    pub fn is_empty(&self) -> bool {
        self.svg.is_empty()
    }
}

/// How big a chart is drawn and how big its words are.
#[derive(Debug, Clone, Copy)]
struct Size {
    width: u32,
    height: u32,
    text: u32,
    caption: u32,
    /// Date labels along the bottom.
    dates: usize,
    narrow: bool,
}

const WIDE: Size = Size {
    width: 720,
    height: 260,
    text: 18,
    caption: 22,
    dates: 6,
    narrow: false,
};

/// A phone's chart is 320 units wide; plotters writes a size of 18 as 14.5
/// units (it converts points), which at the ~295 px a card on a 360 px
/// screen leaves for a chart is about 13 px.
const NARROW: Size = Size {
    width: 320,
    height: 250,
    text: 18,
    caption: 19,
    dates: 3,
    narrow: true,
};

/// Draws a chart at both sizes, or none when it cannot be drawn.
fn both(alt: String, draw: impl Fn(Size) -> Option<String>) -> Chart {
    match (draw(WIDE), draw(NARROW)) {
        (Some(svg), Some(narrow)) => Chart { svg, narrow, alt },
        _ => empty(&alt),
    }
}

const INK: RGBColor = RGBColor(0x33, 0x3a, 0x44);
const LINE: RGBColor = RGBColor(0x2f, 0x6f, 0x8f);
const ACCENT: RGBColor = RGBColor(0xc0, 0x5a, 0x3c);
const GRID: RGBColor = RGBColor(0xee, 0xee, 0xee);
const BAND_FILLS: [RGBColor; 5] = [
    RGBColor(0xee, 0xf6, 0xee),
    RGBColor(0xf7, 0xf6, 0xe6),
    RGBColor(0xfb, 0xef, 0xe0),
    RGBColor(0xfa, 0xe5, 0xdc),
    RGBColor(0xf6, 0xdb, 0xdb),
];

const MARGIN: u32 = 10;
/// Right of a dated chart: half of a date label ("23 Dec"), which is centred
/// on the axis's last day.
const DATE_ROOM: u32 = 30;
const Y_AXIS: u32 = 34;

/// About how wide a line of DejaVu Sans is, in the same units as its size.
fn text_width(text: &str, size: u32) -> f64 {
    text.chars().count() as f64 * f64::from(size) * 0.6
}

/// About how wide a line is as drawn: plotters writes a size as points,
/// so the SVG's font size is the size over 1.24.
fn rendered_width(text: &str, size: u32) -> f64 {
    text_width(text, size) / 1.24
}

/// The frame of a chart over days: its caption, the date axis below, the
/// value axis at the left, and room on the right for the last date.
fn dated<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    s: Size,
    caption: &str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(root);
    b.margin(MARGIN)
        .margin_right(DATE_ROOM)
        .caption(caption, (FONT, s.caption).into_font().color(&INK))
        .x_label_area_size(s.text * 2)
        .y_label_area_size(Y_AXIS);
    b
}

/// `text`, cut with an ellipsis where it would be wider than `room`.
fn fit(text: &str, room: f64, size: u32) -> String {
    if rendered_width(text, size) <= room {
        return text.to_string();
    }
    let keep = (room / rendered_width("x", size)) as usize;
    let cut: String = text.chars().take(keep.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

fn days_between(from: Date, to: Date) -> f64 {
    (to - from).get_days() as f64
}

fn date_label(start: Date, x: f64) -> String {
    let d = start + jiff::Span::new().days(x.round() as i64);
    d.strftime("%-d %b").to_string()
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
        narrow: String::new(),
        alt: alt.to_string(),
    }
}

fn style(s: Size, color: &RGBColor, pos: Pos) -> TextStyle<'static> {
    (FONT, s.text).into_font().color(color).pos(pos)
}

/// Totals of a questionnaire over time, on its bands.
pub fn scores(title: &str, points: &[(Date, i32)], max: i32, bands: &[Band]) -> Chart {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return empty(&format!("{title}: no scores in this period."));
    };
    let band = bands
        .iter()
        .find(|b| (b.min..=b.max).contains(&last.1))
        .map(|b| format!(" ({})", b.label))
        .unwrap_or_default();
    let alt = format!(
        "{title}: {} scores from {} to {}, ranging {}–{}; latest {}{band} on {}.",
        points.len(),
        first.0,
        last.0,
        points.iter().map(|p| p.1).min().unwrap_or(0),
        points.iter().map(|p| p.1).max().unwrap_or(0),
        last.1,
        last.0
    );
    both(alt, |s| draw_scores(s, title, points, max, bands))
}

fn draw_scores(
    s: Size,
    title: &str,
    points: &[(Date, i32)],
    max: i32,
    bands: &[Band],
) -> Option<String> {
    let start = points.first()?.0;
    let span = days_between(start, points.last()?.0).max(1.0);
    // Room on the right for the longest band name, clear of the latest point.
    let plot = f64::from(s.width - MARGIN - DATE_ROOM - Y_AXIS);
    let longest = bands
        .iter()
        .map(|b| text_width(&b.label, s.text))
        .fold(0.0, f64::max);
    let share = ((longest + 12.0) / plot).min(0.6);
    let right = (span + 1.0) / (1.0 - share) - 0.5;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (s.width, s.height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let mut chart = dated(&root, s, title)
            .build_cartesian_2d(-0.5..right, 0f64..f64::from(max))
            .ok()?;
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
                    style(s, &INK, Pos::new(HPos::Right, VPos::Top)),
                )))
                .ok();
        }
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_mesh()
            .x_labels(s.dates)
            // The room kept for band names lies past the last score: a date
            // there would be one nobody has reached yet.
            .x_label_formatter(&|x| {
                if *x > span + 0.5 {
                    String::new()
                } else {
                    date_label(start, *x)
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, s.text).into_font().color(&INK))
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
    Some(svg)
}

/// Daily mood with days of chosen activities marked beneath it.
pub fn mood(days: &[(Date, f64)], marks: &[(Date, String)]) -> Chart {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return empty("Mood: no check-ins in this period.");
    };
    let mean = days.iter().map(|d| d.1).sum::<f64>() / days.len() as f64;
    let alt = format!(
        "Mood from {} to {}: {} days with a check-in, average {mean:.1} of 10; {} activities marked.",
        first.0,
        last.0,
        days.len(),
        marks.len()
    );
    both(alt, |s| draw_mood(s, days, marks))
}

fn draw_mood(s: Size, days: &[(Date, f64)], marks: &[(Date, String)]) -> Option<String> {
    let start = days.first()?.0;
    let span = days_between(start, days.last()?.0).max(1.0);
    let caption = if s.narrow {
        "Mood (0–10), activities below"
    } else {
        "Mood (0–10), activities marked below"
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (s.width, s.height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let mut chart = dated(&root, s, caption)
            .build_cartesian_2d(-0.5..span + 0.5, -1.5f64..10.0)
            .ok()?;
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
            .x_labels(s.dates)
            .x_label_formatter(&|x| date_label(start, *x))
            .label_style((FONT, s.text).into_font().color(&INK))
            .light_line_style(GRID)
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
    Some(svg)
}

/// The sexual-function total with medication events as vertical lines.
pub fn function_with_medication(points: &[(Date, i32)], events: &[(Date, String)]) -> Chart {
    let all = || points.iter().map(|p| p.0).chain(events.iter().map(|e| e.0));
    let (Some(start), Some(end)) = (all().min(), all().max()) else {
        return empty("Sexual function and medication: nothing recorded in this period.");
    };
    let alt = format!(
        "Sexual-function totals (5–30, higher means more difficulty): {} weekly checks between {start} and {end}; medication events: {}.",
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
    both(alt, |s| draw_function(s, start, end, points, events))
}

fn draw_function(
    s: Size,
    start: Date,
    end: Date,
    points: &[(Date, i32)],
    events: &[(Date, String)],
) -> Option<String> {
    let span = days_between(start, end).max(1.0);
    let plot = f64::from(s.width - MARGIN - DATE_ROOM - Y_AXIS);
    let caption = if s.narrow {
        "Sexual function and medication"
    } else {
        "Sexual-function total (5–30, higher = more difficulty) and medication"
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (s.width, s.height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let mut chart = dated(&root, s, caption)
            .build_cartesian_2d(-0.5..span + 0.5, 5f64..30.0)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(s.dates)
            .x_label_formatter(&|x| date_label(start, *x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, s.text).into_font().color(&INK))
            .light_line_style(GRID)
            .draw()
            .ok();
        for (i, (d, text)) in events.iter().enumerate() {
            let x = days_between(start, *d);
            chart
                .draw_series(LineSeries::new(
                    [(x, 5.0), (x, 30.0)],
                    ACCENT.stroke_width(1),
                ))
                .ok();
            // Labels step down in three rows so that close events stay
            // readable, start beside their line, and are moved left just
            // enough to end inside the chart.
            let y = 29.5 - (i % 3) as f64 * 2.6;
            let days_per_unit = (span + 1.0) / plot;
            // Longer than the whole chart (on a phone): cut, with the whole
            // label in the caption beneath.
            let text = fit(text, plot, s.text);
            let wide = rendered_width(&text, s.text) * days_per_unit;
            let at = (x + 0.3).min(span + 0.5 - wide).max(-0.5);
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (at, y),
                    style(s, &ACCENT, Pos::new(HPos::Left, VPos::Top)),
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
    Some(svg)
}

/// Mood change per activity with its 95% interval (a forest plot), the
/// activities that help most at the top.
pub fn effects(items: &[(String, f64, f64, f64)]) -> Chart {
    if items.is_empty() {
        return empty("What helps: not enough data yet.");
    }
    let mut items = items.to_vec();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let alt = items
        .iter()
        .map(|(k, m, l, h)| format!("{k} {m:+.1} ({l:+.1} to {h:+.1})"))
        .collect::<Vec<_>>()
        .join("; ");
    let alt = format!("Mood change after each activity with 95% intervals: {alt}.");
    both(alt, |s| draw_effects(s, &items))
}

fn draw_effects(s: Size, items: &[(String, f64, f64, f64)]) -> Option<String> {
    let lo = items.iter().map(|i| i.2).fold(-1.0_f64, f64::min).floor();
    let hi = items.iter().map(|i| i.3).fold(1.0_f64, f64::max).ceil();
    let rows = items.len() as f64;
    // On a phone each activity's name sits above its interval, so the
    // intervals keep the whole width; on a page the names sit to the left.
    let (row, names) = if s.narrow {
        (s.text * 3 + 4, 0)
    } else {
        let longest = items
            .iter()
            .map(|i| text_width(&i.0, s.text))
            .fold(0.0, f64::max);
        (28, (longest + 16.0).min(f64::from(s.width) * 0.4) as u32)
    };
    let height = s.caption * 2 + s.text * 2 + 20 + row * items.len() as u32;
    let caption = if s.narrow {
        "Mood change after each activity"
    } else {
        "Mood change after each activity (95% interval)"
    };
    let ticks = ((hi - lo) as usize + 1).min(if s.narrow { 7 } else { 13 });
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (s.width, height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let mut chart = ChartBuilder::on(&root)
            .margin(MARGIN)
            .caption(caption, (FONT, s.caption).into_font().color(&INK))
            .x_label_area_size(s.text * 2)
            .y_label_area_size(names)
            .build_cartesian_2d(lo..hi, -0.5..rows - 0.5)
            .ok()?;
        let tick = |x: &f64| signed_tick(*x);
        let name_at = |y: &f64| {
            let i = y.round();
            if (y - i).abs() < 0.01 && i >= 0.0 && (i as usize) < items.len() {
                items[items.len() - 1 - i as usize].0.clone()
            } else {
                String::new()
            }
        };
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .x_labels(ticks)
            .x_label_formatter(&tick)
            .label_style((FONT, s.text).into_font().color(&INK))
            .light_line_style(GRID);
        if s.narrow {
            mesh.disable_y_axis();
        } else {
            mesh.y_labels(items.len()).y_label_formatter(&name_at);
        }
        mesh.draw().ok();
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.5), (0.0, rows - 0.5)],
                INK.stroke_width(1),
            ))
            .ok();
        for (i, (name, mean, l, h)) in items.iter().enumerate() {
            let mut y = rows - 1.0 - i as f64;
            if s.narrow {
                chart
                    .draw_series(std::iter::once(Text::new(
                        name.clone(),
                        (lo, y + 0.45),
                        style(s, &INK, Pos::new(HPos::Left, VPos::Top)),
                    )))
                    .ok();
                y -= 0.18;
            }
            chart
                .draw_series(LineSeries::new([(*l, y), (*h, y)], LINE.stroke_width(2)))
                .ok();
            chart
                .draw_series(std::iter::once(Circle::new((*mean, y), 5, LINE.filled())))
                .ok();
        }
        root.present().ok();
    }
    Some(svg)
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

    #[test]
    fn a_score_chart_names_no_date_after_its_last_score() {
        let bands = hearth_core::instrument::Registry::builtin()
            .require("phq9")
            .unwrap()
            .bands
            .clone();
        let points: Vec<_> = (0..6)
            .map(|i| (date(2026, 9, 14) + jiff::Span::new().days(14 * i), 10))
            .collect();
        let c = scores("PHQ-9", &points, 27, &bands);
        let last = points.last().unwrap().0;
        for svg in [&c.svg, &c.narrow] {
            let dates: Vec<String> = texts(svg)
                .into_iter()
                .filter(|t| {
                    t.split(' ').count() == 2 && t.starts_with(|c: char| c.is_ascii_digit())
                })
                .collect();
            assert!(!dates.is_empty(), "{:?}", texts(svg));
            for d in dates {
                let day = jiff::civil::Date::strptime("%d %b %Y", format!("{d} 2026")).unwrap();
                assert!(day <= last, "{d} is after the last score, {last}");
            }
        }
    }

    /// Each `<text>` with its font size and the span it is drawn across,
    /// estimated from where it is anchored.
    fn spans(svg: &str) -> Vec<(String, f64, f64, f64)> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let attr = |name: &str| -> Option<&str> {
                    let at = t.find(&format!(" {name}=\""))? + name.len() + 3;
                    Some(&t[at..at + t[at..].find('"')?])
                };
                let body = t[t.find('>')? + 1..t.find("</text>")?].trim().to_string();
                let size: f64 = attr("font-size")?.parse().ok()?;
                let x: f64 = attr("x")?.parse().ok()?;
                let w = body.chars().count() as f64 * size * 0.6;
                let (from, to) = match attr("text-anchor") {
                    Some("end") => (x - w, x),
                    Some("middle") => (x - w / 2.0, x + w / 2.0),
                    _ => (x, x + w),
                };
                Some((body, size, from, to))
            })
            .collect()
    }

    fn phone_fit(c: &Chart) {
        assert!(
            c.narrow.contains("viewBox=\"0 0 320 "),
            "{}",
            &c.narrow[..80]
        );
        for (text, size, from, to) in spans(&c.narrow) {
            assert!(size >= 14.0, "{text:?} is {size} units on a phone");
            assert!(
                from >= -1.0 && to <= 321.0,
                "{text:?} runs off a phone's chart ({from:.0}..{to:.0})"
            );
        }
    }

    #[test]
    fn every_chart_has_a_phone_copy_whose_words_fit_and_stay_legible() {
        let bands = hearth_core::instrument::Registry::builtin()
            .require("phq9")
            .unwrap()
            .bands
            .clone();
        let weeks: Vec<(jiff::civil::Date, i32)> = (0..13)
            .map(|w| (date(2026, 1, 1) + jiff::Span::new().days(14 * w), 20 - w))
            .collect();
        phone_fit(&scores("PHQ-9", &weeks, 27, &bands));
        let days: Vec<(jiff::civil::Date, f64)> = (0..180)
            .map(|d| {
                (
                    date(2026, 1, 1) + jiff::Span::new().days(d),
                    (d % 10) as f64,
                )
            })
            .collect();
        phone_fit(&mood(&days, &[(date(2026, 2, 1), "Exercise".into())]));
        phone_fit(&function_with_medication(
            &weeks,
            &[
                (date(2026, 1, 10), "Sertraline 50 mg".into()),
                (date(2026, 3, 20), "sertraline started 50 mg".into()),
                (
                    date(2026, 4, 25),
                    "sertraline dose changed 50 mg → 100 mg".into(),
                ),
                (date(2026, 6, 1), "Sertraline stopped".into()),
            ],
        ));
        let e = effects(&[
            ("Sex with a partner".into(), -0.8, -1.7, 0.2),
            ("Time with other people".into(), 0.4, -0.3, 1.1),
            ("Exercise".into(), 1.4, 0.6, 2.1),
        ]);
        phone_fit(&e);
        // The activity that helps most comes first, on a page and on a phone.
        for svg in [&e.svg, &e.narrow] {
            let mut placed: Vec<(f64, String)> = svg
                .split("<text")
                .skip(1)
                .filter_map(|t| {
                    let y = t[t.find(" y=\"")? + 4..].split('"').next()?.parse().ok()?;
                    let body = t[t.find('>')? + 1..t.find("</text>")?].trim().to_string();
                    Some((y, body))
                })
                .filter(|(_, t)| t.chars().any(char::is_alphabetic) && !t.starts_with("Mood"))
                .collect();
            placed.sort_by(|a, b| a.0.total_cmp(&b.0));
            let names: Vec<String> = placed.into_iter().map(|p| p.1).collect();
            assert_eq!(
                names,
                ["Exercise", "Time with other people", "Sex with a partner"]
            );
        }
        assert!(
            e.alt
                .starts_with("Mood change after each activity with 95% intervals: Exercise")
        );
    }
}
