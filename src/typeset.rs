//! Typesetting: compile the document, export it to PDF, write the PDF
//! atomically so that a failed build never damages the previous one.

use std::io::Write;
use std::path::Path;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::glyphs;
use crate::world::IbidWorld;

/// The outcome of a compile: the document if there were no errors, and
/// every diagnostic Typst and ibid produced, errors first.
pub struct Compiled {
    pub document: Option<PagedDocument>,
    pub errors: Vec<SourceDiagnostic>,
    pub warnings: Vec<SourceDiagnostic>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Compiles the world's main file and checks the layout for missing glyphs,
/// which become warnings, or errors when `strict`.
pub fn compile(world: &IbidWorld, strict: bool) -> Compiled {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let mut compiled = Compiled {
        document: None,
        errors: Vec::new(),
        warnings: warnings.to_vec(),
    };
    match output {
        Ok(document) => {
            for missing in glyphs::find(&document) {
                let diagnostic = missing.to_diagnostic(world, strict);
                if strict {
                    compiled.errors.push(diagnostic);
                } else {
                    compiled.warnings.push(diagnostic);
                }
            }
            compiled.document = Some(document);
        }
        Err(errors) => compiled.errors = errors.to_vec(),
    }
    compiled
}

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

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that readers see the old file or the new one, never half.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ibid-").suffix(".tmp");
    // A temporary file is private (0600); the output keeps the mode of the
    // file it replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        write_atomically(&path, b"first version, longer").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_gives_a_readable_file_and_keeps_an_existing_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        write_atomically(&path, b"one").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o644, "not the temporary file's 0600");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(mode(&path), 0o640);
    }

    #[test]
    fn atomic_write_into_a_missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.pdf");
        assert!(write_atomically(&path, b"x").is_err());
    }
}
