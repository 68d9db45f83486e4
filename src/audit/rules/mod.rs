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

    /// Whether the rule is about URLs and access dates (`--links-only`).
    pub fn about_links(self) -> bool {
        matches!(
            self,
            Rule::DeadLink
                | Rule::MovedLink
                | Rule::BlockedLink
                | Rule::UnreachableLink
                | Rule::UnverifiedLink
                | Rule::StaleAccessDate
                | Rule::AccessDateInvalid
        )
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
}

/// One reading of the input, which reports for one rule or for several that
/// share it (the matcher serves `hand-typed-citation` and `unknown-source`;
/// one link check, the five link rules; one reading of access dates, both
/// access-date rules).
struct Check {
    rules: &'static [Rule],
    run: fn(&AuditInput) -> Vec<Finding>,
}

const CHECKS: &[Check] = &[
    Check {
        rules: &[Rule::UnknownKey],
        run: unknown_key::check,
    },
    Check {
        rules: &[Rule::UnusedEntry],
        run: unused_entry::check,
    },
    Check {
        rules: &[Rule::MissingSource],
        run: missing_source::check,
    },
    Check {
        rules: &[Rule::HandTypedCitation, Rule::UnknownSource],
        run: hand_typed::check,
    },
    Check {
        rules: &[Rule::AmbiguousIbid],
        run: ambiguous_ibid::check,
    },
    Check {
        rules: &[Rule::EntryIncomplete],
        run: entry_incomplete::check,
    },
    Check {
        rules: &[Rule::DuplicateEntry],
        run: duplicate_entry::check,
    },
    Check {
        rules: &[Rule::MalformedLocator],
        run: malformed_locator::check,
    },
    Check {
        rules: &[Rule::ReversedRange],
        run: reversed_range::check,
    },
    Check {
        rules: &[Rule::LocatorPlural],
        run: locator_plural::check,
    },
    Check {
        rules: &[Rule::PageOutOfRange],
        run: page_out_of_range::check,
    },
    Check {
        rules: &[Rule::MixedLocatorStyle],
        run: mixed_locator_style::check,
    },
    Check {
        rules: &[Rule::ImplausibleRange],
        run: implausible_range::check,
    },
    Check {
        rules: &[Rule::QuotationPagesDiffer],
        run: quotation_pages_differ::check,
    },
    Check {
        rules: &[
            Rule::DeadLink,
            Rule::MovedLink,
            Rule::BlockedLink,
            Rule::UnreachableLink,
            Rule::UnverifiedLink,
        ],
        run: links::check,
    },
    Check {
        rules: &[Rule::StaleAccessDate, Rule::AccessDateInvalid],
        run: access_date::check,
    },
];

/// The findings of the selected rules: every check that reports for one of
/// them runs once, and only the selected rules' findings are kept.
pub fn run(input: &AuditInput, selected: impl Fn(Rule) -> bool) -> Vec<Finding> {
    CHECKS
        .iter()
        .filter(|check| check.rules.iter().any(|&rule| selected(rule)))
        .flat_map(|check| (check.run)(input))
        .filter(|finding| selected(finding.rule))
        .collect()
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_reported_by_exactly_one_check() {
        for &rule in Rule::ALL {
            let checks = CHECKS.iter().filter(|c| c.rules.contains(&rule)).count();
            assert_eq!(checks, 1, "{rule}");
        }
        let covered: usize = CHECKS.iter().map(|c| c.rules.len()).sum();
        assert_eq!(covered, Rule::ALL.len());
    }
}
