//! Findings printed the way Typst prints its diagnostics (codespan:
//! file:line:col, the source excerpt, hints), with the rule code, then a
//! summary line.

use std::collections::HashMap;
use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files, SimpleFiles};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, DisplayStyle};

use super::Emitter;
use crate::audit::{Finding, Severity, Summary};

/// Where the human renderer gets the text of the files findings point into.
pub trait SourceFiles {
    /// The name to print for a root-relative path, and the file's text.
    fn load(&self, path: &str) -> Option<(String, String)>;
}

/// Rich (`Human`) or one line per finding (`Short`), like `--diagnostic-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Human,
    Short,
}

pub struct Human<'a> {
    pub files: &'a dyn SourceFiles,
    pub style: Style,
    pub color: bool,
}

impl Emitter for Human<'_> {
    fn emit(&self, findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
        let mut files = TypstFiles(SimpleFiles::new());
        let mut ids: HashMap<String, Option<usize>> = HashMap::new();
        for finding in findings {
            let mut buffer = Vec::new();
            if self.color {
                self.render(finding, &mut files, &mut ids, &mut Ansi::new(&mut buffer))?;
            } else {
                self.render(
                    finding,
                    &mut files,
                    &mut ids,
                    &mut NoColor::new(&mut buffer),
                )?;
            }
            // codespan names the lowest severity "note"; ibid calls it
            // "info" everywhere else (the summary, JSON).
            if finding.severity == Severity::Info
                && let Some(at) = buffer.windows(5).position(|w| w == b"note[")
            {
                buffer[at..at + 4].copy_from_slice(b"info");
            }
            out.write_all(&buffer)?;
        }
        summary(findings, out)
    }
}

impl Human<'_> {
    fn render(
        &self,
        finding: &Finding,
        files: &mut TypstFiles,
        ids: &mut HashMap<String, Option<usize>>,
        out: &mut dyn WriteColor,
    ) -> io::Result<()> {
        let mut config = term::Config {
            tab_width: 2,
            ..Default::default()
        };
        if self.style == Style::Short {
            config.display_style = DisplayStyle::Short;
        }
        let label = finding.span.as_ref().and_then(|span| {
            let id = *ids.entry(span.file.clone()).or_insert_with(|| {
                self.files
                    .load(&span.file)
                    .map(|(name, text)| files.0.add(name, text))
            });
            Some(Label::primary(id?, span.range.clone()))
        });
        let mut diagnostic = Diagnostic::new(severity(finding.severity))
            .with_code(finding.rule.code())
            .with_message(&finding.message)
            .with_labels(label.into_iter().collect());
        if let Some(hint) = &finding.hint {
            diagnostic = diagnostic.with_notes(vec![format!("hint: {hint}")]);
        }
        let located = finding.span.is_some() && diagnostic.labels.is_empty();
        if located && let Some(span) = &finding.span {
            // The file could not be read: still say where.
            writeln!(out, "{}:{}:{}:", span.file, span.line, span.column)?;
        }
        term::emit(out, &config, &*files, &diagnostic).map_err(io::Error::other)
    }
}

/// Files that number columns from 0, as Typst's diagnostics do, so that a
/// finding and a Typst error about the same place print the same position.
struct TypstFiles(SimpleFiles<String, String>);

impl<'a> Files<'a> for TypstFiles {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, files::Error> {
        self.0.name(id)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        self.0.source(id)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        self.0.line_index(id, byte_index)
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, files::Error> {
        self.0.line_range(id, line_index)
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let start = self.line_range(id, line_index)?.start;
        let source = self.source(id)?;
        let prefix = source
            .get(start..byte_index)
            .ok_or(files::Error::InvalidCharBoundary { given: byte_index })?;
        Ok(prefix.chars().count())
    }
}

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// `audit: 9 errors, 3 warnings, 1 info`.
pub fn summary(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let Summary {
        errors,
        warnings,
        infos,
    } = Summary::of(findings);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "audit: {}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info")
    )
}
