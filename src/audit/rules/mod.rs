//! The rules: one file each, each with its documentation (what it checks,
//! why it matters, an example) for `ibid audit --explain`.

mod ambiguous_ibid;
mod duplicate_entry;
mod entry_incomplete;
mod hand_typed;
mod missing_source;
mod unknown_key;
mod unused_entry;

use serde::Serialize;

use super::{AuditInput, Finding, Severity};

/// A rule's documentation.
#[derive(Debug)]
pub struct RuleDoc {
    /// One line: what is wrong.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
}

/// Every rule, by its stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    UnknownKey,
    UnusedEntry,
    MissingSource,
    HandTypedCitation,
    UnknownSource,
    AmbiguousIbid,
    EntryIncomplete,
    DuplicateEntry,
}

impl Rule {
    /// All rules, in the order they run.
    pub const ALL: &'static [Rule] = &[
        Rule::UnknownKey,
        Rule::UnusedEntry,
        Rule::MissingSource,
        Rule::HandTypedCitation,
        Rule::UnknownSource,
        Rule::AmbiguousIbid,
        Rule::EntryIncomplete,
        Rule::DuplicateEntry,
    ];

    /// The stable code, as in reports and `--explain`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::UnknownKey => "unknown-key",
            Rule::UnusedEntry => "unused-entry",
            Rule::MissingSource => "missing-source",
            Rule::HandTypedCitation => "hand-typed-citation",
            Rule::UnknownSource => "unknown-source",
            Rule::AmbiguousIbid => "ambiguous-ibid",
            Rule::EntryIncomplete => "entry-incomplete",
            Rule::DuplicateEntry => "duplicate-entry",
        }
    }

    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<Rule> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::UnknownKey | Rule::MissingSource | Rule::AmbiguousIbid => Severity::Error,
            Rule::UnusedEntry
            | Rule::HandTypedCitation
            | Rule::UnknownSource
            | Rule::EntryIncomplete
            | Rule::DuplicateEntry => Severity::Warning,
        }
    }

    pub fn doc(self) -> &'static RuleDoc {
        match self {
            Rule::UnknownKey => &unknown_key::DOC,
            Rule::UnusedEntry => &unused_entry::DOC,
            Rule::MissingSource => &missing_source::DOC,
            Rule::HandTypedCitation => &hand_typed::DOC,
            Rule::UnknownSource => &hand_typed::UNKNOWN_SOURCE_DOC,
            Rule::AmbiguousIbid => &ambiguous_ibid::DOC,
            Rule::EntryIncomplete => &entry_incomplete::DOC,
            Rule::DuplicateEntry => &duplicate_entry::DOC,
        }
    }

    /// Runs the rule. (`hand-typed-citation` also yields `unknown-source`
    /// findings: one matcher serves both.)
    pub fn check(self, input: &AuditInput) -> Vec<Finding> {
        match self {
            Rule::UnknownKey => unknown_key::check(input),
            Rule::UnusedEntry => unused_entry::check(input),
            Rule::MissingSource => missing_source::check(input),
            Rule::HandTypedCitation => hand_typed::check(input),
            Rule::UnknownSource => Vec::new(),
            Rule::AmbiguousIbid => ambiguous_ibid::check(input),
            Rule::EntryIncomplete => entry_incomplete::check(input),
            Rule::DuplicateEntry => duplicate_entry::check(input),
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
