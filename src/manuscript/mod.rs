//! Manuscripts that are not Typst: a Word thesis (`.docx`) or a PDF, read
//! into the manuscript model (`model`) by their front ends (`docx`, `pdf`:
//! bytes in, model out, no I/O), then into the document model the rules
//! read (`convert`).

pub mod convert;
pub mod docx;
pub mod model;
pub mod pdf;

use std::path::Path;

/// A manuscript larger than this is refused before it is read.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Why a manuscript could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManuscriptError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Docx {
        path: String,
        #[source]
        source: docx::DocxError,
    },
    #[error("{path}: {source}")]
    Pdf {
        path: String,
        #[source]
        source: pdf::PdfError,
    },
    #[error(
        "{path} is neither a .docx nor a PDF (hint: ibid reads Typst sources, Word .docx files and PDFs)"
    )]
    Unknown { path: String },
}

/// The kinds of manuscript, told by their first bytes (a renamed file is
/// read as what it is), else by the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docx,
    Pdf,
}

impl Kind {
    /// The kind a path names by its extension, if a manuscript's.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "docx" | "docm" | "doc" => Some(Self::Docx),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// Reads the manuscript at `path`.
pub fn read(path: &Path) -> Result<model::Manuscript, ManuscriptError> {
    let name = path.display().to_string();
    let bytes =
        crate::sandbox::read_regular(path, MAX_BYTES).map_err(|err| ManuscriptError::Io {
            path: name.clone(),
            source: std::io::Error::other(err.to_string()),
        })?;
    let kind = if bytes.starts_with(b"%PDF") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(Kind::Docx)
    } else {
        Kind::of(path)
    };
    match kind {
        Some(Kind::Docx) => docx::read_docx(&bytes, &docx::Limits::default())
            .map_err(|source| ManuscriptError::Docx { path: name, source }),
        Some(Kind::Pdf) => pdf::read_pdf(&bytes, &pdf::Limits::default())
            .map_err(|source| ManuscriptError::Pdf { path: name, source }),
        None => Err(ManuscriptError::Unknown { path: name }),
    }
}
