//! The rules: one file each, each with its documentation (what it checks,
//! why it matters, an example) for `ibid audit --explain`.

mod ambiguous_ibid;
mod duplicate_entry;
mod entry_incomplete;
mod hand_typed;
mod implausible_range;
mod locator_plural;
mod malformed_locator;
mod missing_source;
mod mixed_locator_style;
mod page_out_of_range;
mod quotation_pages_differ;
mod reversed_range;
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
    MalformedLocator,
    ReversedRange,
    LocatorPlural,
    PageOutOfRange,
    MixedLocatorStyle,
    ImplausibleRange,
    QuotationPagesDiffer,
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
        Rule::MalformedLocator,
        Rule::ReversedRange,
        Rule::LocatorPlural,
        Rule::PageOutOfRange,
        Rule::MixedLocatorStyle,
        Rule::ImplausibleRange,
        Rule::QuotationPagesDiffer,
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
            Rule::MalformedLocator => "malformed-locator",
            Rule::ReversedRange => "reversed-range",
            Rule::LocatorPlural => "locator-plural",
            Rule::PageOutOfRange => "page-out-of-range",
            Rule::MixedLocatorStyle => "mixed-locator-style",
            Rule::ImplausibleRange => "implausible-range",
            Rule::QuotationPagesDiffer => "quotation-pages-differ",
        }
    }

    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<Rule> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::UnknownKey
            | Rule::MissingSource
            | Rule::AmbiguousIbid
            | Rule::ReversedRange
            | Rule::PageOutOfRange => Severity::Error,
            Rule::UnusedEntry
            | Rule::HandTypedCitation
            | Rule::UnknownSource
            | Rule::EntryIncomplete
            | Rule::DuplicateEntry
            | Rule::MalformedLocator
            | Rule::LocatorPlural
            | Rule::MixedLocatorStyle
            | Rule::QuotationPagesDiffer => Severity::Warning,
            Rule::ImplausibleRange => Severity::Info,
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
            Rule::MalformedLocator => &malformed_locator::DOC,
            Rule::ReversedRange => &reversed_range::DOC,
            Rule::LocatorPlural => &locator_plural::DOC,
            Rule::PageOutOfRange => &page_out_of_range::DOC,
            Rule::MixedLocatorStyle => &mixed_locator_style::DOC,
            Rule::ImplausibleRange => &implausible_range::DOC,
            Rule::QuotationPagesDiffer => &quotation_pages_differ::DOC,
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
            Rule::MalformedLocator => malformed_locator::check(input),
            Rule::ReversedRange => reversed_range::check(input),
            Rule::LocatorPlural => locator_plural::check(input),
            Rule::PageOutOfRange => page_out_of_range::check(input),
            Rule::MixedLocatorStyle => mixed_locator_style::check(input),
            Rule::ImplausibleRange => implausible_range::check(input),
            Rule::QuotationPagesDiffer => quotation_pages_differ::check(input),
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
