//! The report as a clinician reads it, checked on a demo journal.

use super::*;
use hearth_core::demo::{Effects, Spec, generate};
use hearth_core::{EntryId, SurveyResponse};

fn now() -> Timestamp {
    "2026-06-30T20:00:00Z".parse().unwrap()
}

fn entries() -> Vec<Entry> {
    let tz = TimeZone::get("Europe/London").unwrap();
    let spec = Spec {
        days: 84,
        seed: 5,
        now: now(),
        tz,
        effects: Effects::default(),
    };
    let mut out: Vec<Entry> = generate(&spec)
        .into_iter()
        .enumerate()
        .map(|(i, g)| Entry {
            id: EntryId::from_bits(i as u64),
            at: g.at,
            tz: "Europe/London".into(),
            recorded_at: g.at,
            updated_at: g.at,
            body: g.body,
        })
        .collect();
    // One PHQ-9 with item 9 above 0, as the person might answer it.
    let at: Timestamp = "2026-06-29T19:00:00Z".parse().unwrap();
    out.push(Entry {
        id: EntryId::from_bits(9999),
        at,
        tz: "Europe/London".into(),
        recorded_at: at,
        updated_at: at,
        body: EntryBody::Survey(SurveyResponse {
            instrument: "phq9".into(),
            version: "1".into(),
            answers: vec![2, 2, 2, 2, 1, 2, 2, 1, 1],
            extras: Default::default(),
            total: 15,
            band: Some("moderately_severe".into()),
            crisis: true,
        }),
    });
    // One partnered episode in which the person felt pressured.
    let at: Timestamp = "2026-06-20T21:00:00Z".parse().unwrap();
    let mut ep = hearth_core::Episode::new(hearth_core::Kind::Builtin(BuiltinKind::SexPartnered));
    ep.pressured = true;
    out.push(Entry {
        id: EntryId::from_bits(9998),
        at,
        tz: "Europe/London".into(),
        recorded_at: at,
        updated_at: at,
        body: EntryBody::Episode(ep),
    });
    out.reverse();
    out
}

/// Builds the test report with these questions for the person.
fn with_report<T>(questions: &[String], f: impl FnOnce(&Input<'_>) -> T) -> T {
    with_report_leaving(questions, &[], f)
}

fn with_report_leaving<T>(
    questions: &[String],
    leave_out: &[ReportSection],
    f: impl FnOnce(&Input<'_>) -> T,
) -> T {
    let entries = entries();
    let tz = TimeZone::get("Europe/London").unwrap();
    // The prompts the demo's later ratings answered, as a real journal has them.
    let prompts: Vec<_> = entries
        .iter()
        .filter_map(hearth_core::demo::answered_prompt)
        .collect();
    let insights = hearth_insights::analyse(&hearth_insights::Input {
        prompts: &prompts,
        entries: &entries,
        now: now(),
        tz: tz.clone(),
        since: None,
        seed: 1,
    });
    let crisis = [(
        "2026-06-29T19:00:00Z".parse().unwrap(),
        "PHQ-9 item 9 answered above 0".to_string(),
    )];
    let medications = hearth_core::medication::summarise(&entries);
    f(&Input {
        entries: &entries,
        insights: &insights,
        medications: &medications,
        questions,
        crisis: &crisis,
        registry: &Registry::builtin(),
        from: jiff::civil::date(2026, 4, 8),
        to: jiff::civil::date(2026, 6, 30),
        tz: &tz,
        generated_at: now(),
        leave_out,
    })
}

fn render() -> String {
    let questions = [
        "Is low desire a side effect of sertraline?".to_string(),
        "<b>not markup</b>".to_string(),
    ];
    with_report(&questions, html)
}

/// The page without the charts' drawing, which the chart tests cover.
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        out.push_str("<svg/>");
        rest = &rest[i + rest[i..].find("</svg>").map_or(rest.len() - i, |j| j + 6)..];
    }
    out.push_str(rest);
    out
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_is_paginated_with_embedded_fonts_and_no_markup_injection() {
    // Typst markup in a person's words must print as text, not run.
    let questions = ["#panic(\"no\") *bold?* $x$ [brackets] \\".to_string()];
    let pdf =
        with_report(&questions, |i| crate::pdf::render(&build(i))).expect("the report lays out");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page\n").count()
        + text.matches("/Type /Page/").count()
        + text.matches("/Type /Page ").count()
        + text.matches("/Type/Page").count();
    assert!(pages >= 2, "page one and the details ({pages} pages)");
    assert!(text.contains("DejaVuSans"), "the font is embedded");
    if let Some(page_one) = poppler(&pdf, "pdftotext", &["-l", "1"]) {
        for part in [
            "Summary",
            "questions for this appointment",
            "Medications",
            "Dose history",
        ] {
            assert!(
                page_one.contains(part),
                "page one has {part:?}:\n{page_one}"
            );
        }
    }
    if let Some(info) = poppler(&pdf, "pdfinfo", &[]) {
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("Title:           Hearth report"), "{info}");
        assert!(
            !info.to_lowercase().contains("error") && !info.contains("Syntax Warning"),
            "{info}"
        );
    }
    assert!(
        pdf.len() < 2_000_000,
        "fonts are subset ({} bytes)",
        pdf.len()
    );
}

/// The visible text of a page: tags dropped, entities as they read.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in without_svg(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&#34;", "\"")
}

#[test]
fn the_report_reads_as_a_clinician_needs() {
    let page = render();
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} is in the report"))
    };
    // Page one, in this order: summary, safety, the person's questions, medications, scores.
    assert!(at("id=\"summary\"") < at("id=\"safety\""));
    assert!(at("id=\"safety\"") < at("id=\"questions\""));
    assert!(at("id=\"questions\"") < at("id=\"current-meds\""));
    assert!(at("id=\"current-meds\"") < at("id=\"scores\""));
    assert!(at("id=\"scores\"") < at("id=\"trends\""));
    let text = visible(&page);
    for line in [
        "PHQ-9 15 of 27 (moderately severe) on 29 Jun 2026",
        "PHQ-9 item 9 (Thoughts of being better off dead or of self-harm): answered 1 (several days)",
        "Crisis resources were shown once in this period",
        "Felt pressured during sex with a partner: once (20 Jun)",
        "Notices raised:",
    ] {
        assert!(text.contains(line), "the summary says {line:?}:\n{text}");
    }
    assert!(page.contains("15 / 27") && page.contains("moderately severe"));
    assert!(
        page.contains("<tr class=\"flag\"><td>9. Thoughts of being better off dead"),
        "item 9 stands out"
    );
    assert!(
        text.contains("Difficulty in daily life"),
        "the difficulty question has its row"
    );
    assert!(text.contains("sertraline") && text.contains("Dose history"));
    assert!(text.contains("SSRI") && text.contains("mg from"), "{text}");
    assert!(
        page.contains("&#60;b&#62;not markup&#60;/b&#62;"),
        "questions are escaped"
    );
    // Written for a clinician: no advice to the person, no internal codes.
    for said in [
        "You never owe",
        "What the person could do",
        "What you could do",
        "your partner",
    ] {
        assert!(!text.contains(said), "no advice to the person: {said:?}");
    }
    for code in [
        "sex-partnered",
        "sex-solo",
        " intimacy",
        "ssri",
        "dose change 1",
    ] {
        assert!(
            !text.contains(code),
            "no internal code {code:?} in:\n{text}"
        );
    }
    // GAD-7 has no crisis item, so its history has no such column.
    let gad = &page[at("GAD-7 history")..];
    let gad_table = &gad[..gad.find("</table>").unwrap()];
    assert!(!gad_table.contains("Crisis item"));
    // Five charts, each drawn for a page and for a phone.
    assert_eq!(page.matches("<div class=\"chart-wide\"><svg").count(), 5);
    assert_eq!(page.matches("<div class=\"chart-narrow\"><svg").count(), 5);
    for attr in ["src=\"http", "href=\"http", "url(http", "<script", "<link"] {
        assert!(
            !page.contains(attr),
            "the page must not load anything ({attr})"
        );
    }
    insta::assert_snapshot!(without_svg(&page));
}

const ALL_LEFT_OUT: &[ReportSection] = &[
    ReportSection::Sex,
    ReportSection::Porn,
    ReportSection::SexualFunction,
    ReportSection::Notices,
];

/// Words that appear only when sexual activity, porn, sexual-function checks
/// or notices are in the report.
const SENSITIVE: &[&str] = &[
    "Sex with a partner",
    "Solo sex",
    "Porn",
    "Felt pressured",
    "unvalidated questionnaire",
    "Feeling worse after sex",
    "Notices raised",
    "No notices",
];

#[test]
fn left_out_sections_are_absent_and_the_report_says_so() {
    let full = visible(&with_report(&[], html));
    for word in [
        "Sex with a partner",
        "Felt pressured",
        "unvalidated questionnaire",
        "Notices raised",
    ] {
        assert!(full.contains(word), "the full report has {word:?}");
    }
    let page = with_report_leaving(&[], ALL_LEFT_OUT, html);
    let text = visible(&page);
    for word in SENSITIVE {
        assert!(!text.contains(word), "{word:?} was left out:\n{text}");
    }
    assert!(text.contains(
        "Left out at the person's request: sexual activity, porn use, sexual-function checks, notices."
    ));
    assert!(text.contains("Exercise"), "the rest of what helps stays");
    // Leaving one part out keeps the others.
    let no_porn = visible(&with_report_leaving(&[], &[ReportSection::Porn], html));
    assert!(no_porn.contains("Sex with a partner") && !no_porn.contains("Porn "));
}

#[cfg(feature = "pdf")]
#[test]
fn left_out_sections_are_absent_from_the_pdf_text() {
    let Some(text) = pdf_text(&with_report_leaving(&[], ALL_LEFT_OUT, |i| {
        crate::pdf::render(&build(i)).unwrap()
    })) else {
        return;
    };
    for word in SENSITIVE {
        assert!(
            !text.contains(word),
            "{word:?} was left out of the PDF:\n{text}"
        );
    }
    assert!(text.contains("Left out at the person's request"));
}

/// The PDF's text by poppler's `pdftotext`, or `None` (loudly) where it is
/// not installed and tools are not required.
#[cfg(feature = "pdf")]
pub(super) fn pdf_text(pdf: &[u8]) -> Option<String> {
    poppler(pdf, "pdftotext", &["-layout"])
}

#[cfg(feature = "pdf")]
fn poppler(pdf: &[u8], tool: &str, args: &[&str]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).arg(&path);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    match cmd.output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        ),
        _ if std::env::var("HEARTH_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!("{tool} (poppler-utils) is required here")
        }
        _ => {
            eprintln!("!!! SKIPPED: no {tool} (apt-get install poppler-utils)");
            None
        }
    }
}
