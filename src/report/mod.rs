//! Renderers: each format in its own file, each writing to any `Write`.

pub mod excerpt;
pub mod github;
pub mod groups;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod snapshot;

use std::io::{self, Write};

use crate::audit::{Finding, NoteOutcome};

/// `1 page`, `2 pages`: a count with its noun (English plurals in -s).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// What an audit report holds: the findings, and what each footnote
/// turned out to be.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub notes: &'a [NoteOutcome],
}

impl<'a> Report<'a> {
    /// A report of findings alone (a document that did not compile).
    pub fn of(findings: &'a [Finding]) -> Self {
        Self {
            findings,
            notes: &[],
        }
    }
}

/// An output format for audit findings.
pub trait Emitter {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}
