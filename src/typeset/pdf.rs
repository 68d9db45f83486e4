//! PDF export: Typst's own, with a creation date that `SOURCE_DATE_EPOCH`
//! can fix for byte-identical output.

use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// How to write the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfConfig {
    /// PDF standards to conform to (validated when the config is resolved).
    pub standards: Vec<PdfStandard>,
    /// Seconds since the epoch to record as the creation date; `None` for now.
    pub creation_timestamp: Option<i64>,
}

/// Exports the document to PDF bytes.
pub fn pdf(document: &PagedDocument, config: &PdfConfig) -> Result<Vec<u8>, Vec<SourceDiagnostic>> {
    let standards = PdfStandards::new(&config.standards).map_err(|err| {
        vec![SourceDiagnostic::error(
            typst::syntax::Span::detached(),
            err.message().clone(),
        )]
    })?;
    let timestamp = match config.creation_timestamp {
        Some(seconds) => chrono::DateTime::from_timestamp(seconds, 0)
            .and_then(|dt| datetime(&dt.naive_utc()))
            .map(Timestamp::new_utc),
        None => {
            let now = chrono::Local::now();
            datetime(&now.naive_local())
                .and_then(|dt| Timestamp::new_local(dt, now.offset().local_minus_utc() / 60))
        }
    };
    let options = PdfOptions {
        ident: Smart::Auto,
        timestamp,
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| errors.to_vec())
}

fn datetime(dt: &chrono::NaiveDateTime) -> Option<Datetime> {
    use chrono::{Datelike, Timelike};
    Datetime::from_ymd_hms(
        dt.year(),
        dt.month().try_into().ok()?,
        dt.day().try_into().ok()?,
        dt.hour().try_into().ok()?,
        dt.minute().try_into().ok()?,
        dt.second().try_into().ok()?,
    )
}
