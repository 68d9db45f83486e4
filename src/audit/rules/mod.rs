//! The rules: one file each, each with its documentation (what it checks,
//! why it matters, an example) for `ibid audit --explain`.

mod access_date;
mod ambiguous_ibid;
mod duplicate_entry;
mod entry_incomplete;
mod hand_typed;
mod implausible_range;
mod links;
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
    DeadLink,
    MovedLink,
    BlockedLink,
    UnreachableLink,
    UnverifiedLink,
    StaleAccessDate,
    AccessDateInvalid,
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
        Rule::DeadLink,
        Rule::MovedLink,
        Rule::BlockedLink,
        Rule::UnreachableLink,
        Rule::UnverifiedLink,
        Rule::StaleAccessDate,
        Rule::AccessDateInvalid,
    ];

    /// The rules about URLs, all that `--links-only` runs.
    pub const LINKS: &'static [Rule] = &[
        Rule::DeadLink,
        Rule::MovedLink,
        Rule::BlockedLink,
        Rule::UnreachableLink,
        Rule::UnverifiedLink,
        Rule::StaleAccessDate,
        Rule::AccessDateInvalid,
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
            Rule::DeadLink => "dead-link",
            Rule::MovedLink => "moved-link",
            Rule::BlockedLink => "blocked-link",
            Rule::UnreachableLink => "unreachable-link",
            Rule::UnverifiedLink => "unverified-link",
            Rule::StaleAccessDate => "stale-access-date",
            Rule::AccessDateInvalid => "access-date-invalid",
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
            | Rule::PageOutOfRange
            | Rule::DeadLink => Severity::Error,
            Rule::UnusedEntry
            | Rule::HandTypedCitation
            | Rule::UnknownSource
            | Rule::EntryIncomplete
            | Rule::DuplicateEntry
            | Rule::MalformedLocator
            | Rule::LocatorPlural
            | Rule::MixedLocatorStyle
            | Rule::QuotationPagesDiffer
            | Rule::MovedLink
            | Rule::UnreachableLink
            | Rule::AccessDateInvalid => Severity::Warning,
            Rule::ImplausibleRange
            | Rule::BlockedLink
            | Rule::UnverifiedLink
            | Rule::StaleAccessDate => Severity::Info,
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
            Rule::DeadLink => &links::DEAD_DOC,
            Rule::MovedLink => &links::MOVED_DOC,
            Rule::BlockedLink => &links::BLOCKED_DOC,
            Rule::UnreachableLink => &links::UNREACHABLE_DOC,
            Rule::UnverifiedLink => &links::UNVERIFIED_DOC,
            Rule::StaleAccessDate => &access_date::STALE_DOC,
            Rule::AccessDateInvalid => &access_date::INVALID_DOC,
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
            // One classification, five codes: `dead-link` reports them all.
            Rule::DeadLink => links::check(input),
            Rule::MovedLink | Rule::BlockedLink | Rule::UnreachableLink | Rule::UnverifiedLink => {
                Vec::new()
            }
            // Both access-date rules come from one reading of the dates.
            Rule::StaleAccessDate => access_date::check(input),
            Rule::AccessDateInvalid => Vec::new(),
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
