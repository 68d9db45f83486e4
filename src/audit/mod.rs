//! The citation audit: pure rules over the document model and the
//! bibliography. Each rule is a function from an [`AuditInput`] to
//! [`Finding`]s, with a stable code, a severity and a span; nothing here
//! touches the disk, Typst or the network.

pub mod matcher;
pub mod rules;
pub mod tolerant;

use serde::Serialize;

use crate::bibliography::Bibliography;
use crate::document::{Document, SourceSpan};

pub use rules::Rule;

/// How bad a finding is. `Error` fails the audit (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// One problem found, with everything needed to report and fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    /// Where: a place in a Typst source or in a bibliography file.
    pub span: Option<SourceSpan>,
    /// The footnote concerned, by its printed number.
    pub footnote: Option<String>,
    /// The bibliography entry concerned.
    pub key: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity(),
            message: message.into(),
            hint: None,
            span: None,
            footnote: None,
            key: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, span: Option<&SourceSpan>) -> Self {
        self.span = span.cloned();
        self
    }

    pub fn footnote(mut self, number: &str) -> Self {
        self.footnote = Some(number.to_string());
        self
    }

    pub fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_string());
        self
    }
}

/// A citation key the bibliography lacks, found while compiling.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownKey {
    pub key: String,
    pub span: Option<SourceSpan>,
}

/// What the rules read.
pub struct AuditInput<'a> {
    pub document: &'a Document,
    pub bibliography: &'a Bibliography,
    /// Keys cited but absent from the bibliography; the document was
    /// compiled with placeholders for them.
    pub unknown_keys: &'a [UnknownKey],
}

/// Runs every offline rule and returns the findings in source order.
pub fn run(input: &AuditInput) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Rule::ALL
        .iter()
        .flat_map(|rule| rule.check(input))
        .collect();
    sort(&mut findings);
    findings
}

/// Orders findings by file, line and column, then rule; findings of one rule
/// at one place keep the order the rule gave them.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let place = |f: &Finding| f.span.as_ref().map(|s| (s.file.clone(), s.line, s.column));
        place(a).cmp(&place(b)).then(a.rule.cmp(&b.rule))
    });
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Self {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Self {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }
}
