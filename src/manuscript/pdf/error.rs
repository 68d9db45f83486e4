//! Errors and limits of the PDF front end.

use std::fmt;

/// Bounds on the work done for one file, so that a hostile or huge PDF cannot
/// exhaust memory or time.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: usize,
    /// Largest page count accepted.
    pub max_pages: usize,
    /// Glyphs read per page; the rest of a page is skipped with a warning.
    pub max_glyphs_per_page: usize,
    /// Structure elements visited in the tag tree.
    pub max_struct_elements: usize,
    /// Ignore the structure tree (tagged PDF) and use the layout heuristics
    /// only (for tests and for PDFs whose tags are wrong).
    pub force_layout: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 200 * 1024 * 1024,
            max_pages: 5_000,
            max_glyphs_per_page: 100_000,
            max_struct_elements: 2_000_000,
            force_layout: false,
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The bytes are not a PDF file at all.
    NotPdf,
    /// The file is encrypted with a password we do not have.
    Encrypted,
    /// The file is encrypted with an algorithm we cannot decrypt.
    UnsupportedEncryption,
    /// The file looks like a PDF but its structure is broken beyond repair.
    Damaged,
    /// The file is larger than `Limits::max_bytes`.
    TooLarge { bytes: usize, max: usize },
    /// The file has more pages than `Limits::max_pages`.
    TooManyPages { pages: usize, max: usize },
    /// The PDF has pages but not one carries a text layer.
    NoText { pages: usize },
}

impl PdfError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            PdfError::NotPdf => {
                "check that the file is a PDF (it should start with `%PDF-`); export the thesis to PDF again"
            }
            PdfError::Encrypted => {
                "remove the password (open it in a PDF viewer and save or print an unprotected copy), or give the DOCX/Typst source instead"
            }
            PdfError::UnsupportedEncryption => {
                "save an unprotected copy of the PDF from a PDF viewer"
            }
            PdfError::Damaged => {
                "re-export the PDF from the word processor, or repair it with a PDF tool (e.g. `qpdf in.pdf out.pdf`)"
            }
            PdfError::TooLarge { .. } => {
                "split the file, or raise the size limit if the file is trusted"
            }
            PdfError::TooManyPages { .. } => {
                "split the file, or raise the page limit if the file is trusted"
            }
            PdfError::NoText { .. } => {
                "the PDF seems scanned: run OCR on it (e.g. `ocrmypdf`) or give the DOCX source"
            }
        }
    }
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NotPdf => write!(f, "this file is not a PDF"),
            PdfError::Encrypted => write!(f, "the PDF is encrypted and needs a password to open"),
            PdfError::UnsupportedEncryption => {
                write!(f, "the PDF is encrypted in a way that cannot be read")
            }
            PdfError::Damaged => write!(f, "the PDF is damaged: its structure could not be read"),
            PdfError::TooLarge { bytes, max } => write!(
                f,
                "the PDF is too large ({} MiB; at most {} MiB are read)",
                bytes / (1024 * 1024),
                max / (1024 * 1024)
            ),
            PdfError::TooManyPages { pages, max } => {
                write!(f, "the PDF has {pages} pages; at most {max} are read")
            }
            PdfError::NoText { pages } => write!(
                f,
                "none of the {pages} pages has a text layer (a scanned document?)"
            ),
        }?;
        write!(f, " (hint: {})", self.hint())
    }
}

impl std::error::Error for PdfError {}
