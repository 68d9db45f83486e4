//! The citation audit: pure rules over the document model and the
//! bibliography. Each rule is a function from an [`AuditInput`] to
//! [`Finding`]s, with a stable code, a severity and a span; nothing here
//! touches the disk, Typst or the network.

pub mod baseline;
pub mod fix;
pub mod locators;
pub mod matcher;
#[cfg(test)]
mod regressions;
pub mod rules;
pub mod select;
pub mod suppress;
#[cfg(test)]
pub(crate) mod testing;

use std::sync::OnceLock;

use serde::Serialize;

use crate::bibliography::Bibliography;
use crate::document::{Document, SourceSpan};

pub use rules::Rule;
pub use select::Selection;

/// How bad a finding is. `Error` fails the audit (exit code 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// Whether this is `other` or graver (`--fail-on`).
    pub fn at_least(self, other: Severity) -> bool {
        let rank = |s: Severity| match s {
            Self::Error => 2,
            Self::Warning => 1,
            Self::Info => 0,
        };
        rank(self) >= rank(other)
    }

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
    /// Text the finding is about, as written inside its span (a hand-typed
    /// citation); lets the edge narrow the span to those words.
    #[serde(skip)]
    pub excerpt: Option<String>,
    /// What `ibid fix` would change, when the rule knows the remedy.
    #[serde(skip)]
    pub fix: Option<fix::Fix>,
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
            excerpt: None,
            fix: None,
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

    pub fn excerpt(mut self, excerpt: &str) -> Self {
        self.excerpt = Some(excerpt.to_string());
        self
    }

    pub fn fix(mut self, fix: Option<fix::Fix>) -> Self {
        self.fix = fix;
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
    pub config: AuditConfig,
    /// What checking the URLs found, when they were checked.
    pub links: Option<&'a crate::links::LinkReport>,
    /// What the scholarly registries said of the entries, when asked.
    pub registries: Option<&'a crate::registries::verify::RegistryReport>,
    /// The cited works' own files, read into pages, when attached.
    pub sources: Option<&'a crate::sources::SourceReport>,
    /// Every locator of the document, parsed once for all locator rules.
    locator_sites: OnceLock<Vec<locators::Site>>,
    /// The hand-typed citations of each footnote, matched once.
    hand_typed: OnceLock<Vec<matcher::NoteReading>>,
    /// The quotations looked up in their sources, once.
    quotation_checks: OnceLock<Vec<rules::QuotationCheck>>,
}

impl<'a> AuditInput<'a> {
    pub fn new(
        document: &'a Document,
        bibliography: &'a Bibliography,
        unknown_keys: &'a [UnknownKey],
    ) -> Self {
        Self {
            document,
            bibliography,
            unknown_keys,
            config: AuditConfig::default(),
            links: None,
            registries: None,
            sources: None,
            locator_sites: OnceLock::new(),
            hand_typed: OnceLock::new(),
            quotation_checks: OnceLock::new(),
        }
    }

    pub fn with_config(mut self, config: AuditConfig) -> Self {
        self.config = config;
        self
    }

    pub fn with_links(mut self, links: &'a crate::links::LinkReport) -> Self {
        self.links = Some(links);
        self
    }

    /// Every quotation whose cited work has a readable source, looked up
    /// once for the rules and the review.
    pub fn quotation_checks(&self) -> &[rules::QuotationCheck] {
        self.quotation_checks
            .get_or_init(|| rules::quotation_checks(self))
    }

    pub fn with_sources(mut self, sources: &'a crate::sources::SourceReport) -> Self {
        self.sources = Some(sources);
        self
    }

    pub fn with_registries(
        mut self,
        registries: &'a crate::registries::verify::RegistryReport,
    ) -> Self {
        self.registries = Some(registries);
        self
    }

    /// Every locator: of citations, and of citations typed by hand.
    pub fn locator_sites(&self) -> &[locators::Site] {
        self.locator_sites
            .get_or_init(|| locators::sites(self.document, self.hand_typed()))
    }

    /// Each footnote's reading: its citations typed by hand, in order, and
    /// the works it cites.
    pub fn hand_typed(&self) -> &[matcher::NoteReading] {
        self.hand_typed.get_or_init(|| {
            let index = matcher::SourceIndex::new(self.bibliography);
            matcher::in_document(self.document, &index)
        })
    }
}

/// What a footnote turned out to be, for the reports: its outcome, the
/// entries it cites (with `@` or by hand) and where in them, the works the
/// bibliography lacks, and for a note not read, why it looked like a
/// citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteOutcome {
    /// The number as printed.
    pub footnote: String,
    pub outcome: matcher::Outcome,
    pub cites: Vec<Cited>,
    /// The words that cite a work the bibliography lacks.
    pub unknown: Vec<String>,
    /// The legal authorities it cites (cases, statutes, official papers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub legal: Vec<LegalCited>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signs: Vec<&'static str>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// A legal authority a footnote cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalCited {
    pub text: String,
    pub kind: matcher::legal::Authority,
}

/// An entry a footnote cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    pub key: String,
    pub locator: Option<String>,
    /// Typed by hand in the note (not cited with `@`).
    pub typed: bool,
}

impl AuditInput<'_> {
    /// Every footnote's outcome, in order.
    pub fn note_outcomes(&self) -> Vec<NoteOutcome> {
        self.hand_typed()
            .iter()
            .map(|reading| {
                let note = &self.document.footnotes[reading.footnote];
                let mut cites: Vec<Cited> = self
                    .document
                    .citations_of(note)
                    .map(|c| Cited {
                        key: c.key.clone(),
                        locator: c.locator.clone(),
                        typed: false,
                    })
                    .collect();
                let mut unknown = Vec::new();
                for hand in &reading.found {
                    match &hand.key {
                        Some(key) => cites.push(Cited {
                            key: key.clone(),
                            locator: hand.locator.clone(),
                            typed: true,
                        }),
                        None if matches!(hand.problem, Some(matcher::Problem::Unknown)) => {
                            unknown.push(hand.excerpt.clone())
                        }
                        None => {}
                    }
                }
                NoteOutcome {
                    footnote: note.number.clone(),
                    outcome: reading.outcome,
                    cites,
                    unknown,
                    legal: reading
                        .legal
                        .iter()
                        .map(|(text, kind)| LegalCited {
                            text: text.clone(),
                            kind: *kind,
                        })
                        .collect(),
                    signs: reading.signs.iter().map(|s| s.describe()).collect(),
                    file: note.span.as_ref().map(|s| s.file.clone()),
                    line: note.span.as_ref().map(|s| s.line),
                    column: note.span.as_ref().map(|s| s.column),
                }
            })
            .collect()
    }
}

/// Thresholds of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditConfig {
    /// `implausible-range` fires for a range wider than this many pages.
    pub max_range_pages: u32,
    /// `stale-access-date` fires for access dates older than this.
    pub stale_after_years: u32,
    /// Today (year, month, day), for the access-date rules; `None` skips them.
    pub today: Option<(i32, u8, u8)>,
    /// The document is a manuscript (Word, PDF): its citations are typed by
    /// hand, and a citation typed by hand is a use of its entry.
    pub manuscript: bool,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            max_range_pages: 50,
            stale_after_years: 5,
            today: None,
            manuscript: false,
        }
    }
}

/// Runs every rule and returns the findings in source order. The link rules
/// report only what `input.links` holds: without a link check, nothing.
pub fn run(input: &AuditInput) -> Vec<Finding> {
    run_rules(input, |_| true)
}

/// Runs the selected rules (`Rule::about_links` for `--links-only`).
pub fn run_rules(input: &AuditInput, selected: impl Fn(Rule) -> bool) -> Vec<Finding> {
    run_rules_timed(input, selected, &mut |_, _| {})
}

/// [`run_rules`], telling `timed` how long each check took.
pub fn run_rules_timed(
    input: &AuditInput,
    selected: impl Fn(Rule) -> bool,
    timed: &mut dyn FnMut(&'static str, std::time::Duration),
) -> Vec<Finding> {
    let mut findings = rules::run_timed(input, selected, timed);
    sort(&mut findings);
    findings
}

/// Narrows each finding that carries an excerpt to where those words are
/// written inside its span. `text_of` gives a file's text by its
/// root-relative path.
pub fn narrow_to_excerpts(findings: &mut [Finding], text_of: impl Fn(&str) -> Option<String>) {
    // Each file read once: a document of thousands of notes may be one file.
    let mut texts: std::collections::HashMap<String, Option<String>> = Default::default();
    for finding in findings.iter_mut() {
        let (Some(excerpt), Some(span)) = (&finding.excerpt, &finding.span) else {
            continue;
        };
        let Some(text) = texts
            .entry(span.file.clone())
            .or_insert_with(|| text_of(&span.file))
        else {
            continue;
        };
        let Some(inside) = text.get(span.range.clone()) else {
            continue;
        };
        if let Some(at) = inside.find(excerpt.as_str()) {
            let start = span.range.start + at;
            finding.span = Some(SourceSpan::in_text(
                &span.file,
                text,
                start..start + excerpt.len(),
            ));
        }
    }
    sort(findings);
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
