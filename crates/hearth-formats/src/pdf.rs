//! The clinician report as a PDF, laid out by typst (chosen over printpdf in
//! docs/architecture.md: it flows the SVG charts with the text, paginates, draws
//! tables and subsets its fonts). The typst source is fixed; the report's
//! data reaches it as JSON in `sys.inputs`, so no person's words are ever
//! parsed as markup. Fonts are embedded: DejaVu Sans, the charts' font.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::FormatError;
use crate::report::Report;

const TEMPLATE: &str = include_str!("../templates/report.typ");
const FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
];

/// Parsed once per process: the fonts and their book.
fn fonts() -> &'static (Vec<Font>, LazyHash<FontBook>) {
    static FONTS_AND_BOOK: OnceLock<(Vec<Font>, LazyHash<FontBook>)> = OnceLock::new();
    FONTS_AND_BOOK.get_or_init(|| {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        (fonts, book)
    })
}

/// Everything typst may read: the one template, the embedded fonts, and the
/// data in `sys.inputs`. No files, no network, no clock.
struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().1
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().0.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// The report as PDF bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, FormatError> {
    render_json(&serde_json::to_string(report).expect("the report serialises"))
}

/// The report, given as the JSON a [`Report`] serialises to, as PDF bytes.
/// The `hearth-typeset` helper's whole work: it keeps typst out of the
/// `hearth` binary, whose every start would otherwise map and relocate it.
pub fn render_json(data: &str) -> Result<Vec<u8>, FormatError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.to_string().into_value());
    let world = ReportWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        main: Source::detached(TEMPLATE),
    };
    let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
        FormatError::Invalid(format!(
            "the PDF could not be laid out: {}",
            messages(&errors)
        ))
    })?;
    // Tagged, titled and in a stated language, with every chart described:
    // PDF/UA-1, which typst checks as it writes.
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1])
        .expect("PDF/UA-1 alone is a valid set of standards");
    let options = typst_pdf::PdfOptions {
        standards,
        ..typst_pdf::PdfOptions::default()
    };
    let mut pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
        FormatError::Invalid(format!(
            "the PDF could not be written: {}",
            messages(&errors)
        ))
    })?;
    quiet_poppler(&mut pdf);
    Ok(pdf)
}

/// Blanks `/Suspects false` in the catalog's mark information. It is valid
/// PDF and the default anyway, but poppler up to 25.11 reports it as a
/// syntax error, and clinics check PDFs with poppler's `pdfinfo`. Spaces of
/// the same length keep every byte offset in the file true.
fn quiet_poppler(pdf: &mut [u8]) {
    const SUSPECTS: &[u8] = b"/Suspects false";
    if let Some(at) = pdf.windows(SUSPECTS.len()).position(|w| w == SUSPECTS) {
        pdf[at..at + SUSPECTS.len()].fill(b' ');
    }
}

fn messages(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
