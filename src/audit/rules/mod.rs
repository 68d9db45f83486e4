//! The rules: one module each (or one per shared reading of the input),
//! each declaring beside its check its code, severity, family and
//! documentation (what it checks, why it matters, an example) for `ibid
//! audit --explain`. The registry below lists the modules once.

mod access_date;
mod ambiguous_ibid;
mod compile_error;
mod duplicate_entry;
mod entry_incomplete;
mod footnote_placement;
mod hand_typed;
mod implausible_range;
mod label_style;
mod legal_sources;
mod links;
mod local_file;
mod locator_outside;
mod locator_plural;
mod malformed_locator;
mod missing_source;
mod mixed_locator_style;
mod page_out_of_range;
mod quotation_pages_differ;
mod quotation_source;
mod registries;
mod reversed_range;
mod unknown_key;
mod unread_citation;
mod unsourced_quotation;
mod unused_entry;
mod unused_suppression;

pub use quotation_source::{QuotationCheck, Verdict, quotation_checks};
use serde::Serialize;

use super::{AuditInput, Finding, Severity};

/// What a rule module declares beside its check: the stable code, the
/// default severity and the documentation.
#[derive(Debug)]
pub struct Definition {
    pub code: &'static str,
    pub severity: Severity,
    pub family: Family,
    pub doc: RuleDoc,
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// The document itself.
    Compile,
    /// Citations and the footnotes that hold them.
    Citations,
    /// Locators: pages and other places in a work.
    Locators,
    /// The bibliography's entries.
    Bibliography,
    /// URLs and access dates.
    Links,
    /// `ibid-ignore` comments.
    Suppressions,
    /// Quotations against the cited works' own text.
    Sources,
}

/// A rule's documentation (`ibid audit --explain`, SARIF's rule texts).
#[derive(Debug)]
pub struct RuleDoc {
    /// One line: what is wrong.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
}

/// One reading of the input, which reports for one rule or for several that
/// share it (the matcher serves `hand-typed-citation` and `unknown-source`;
/// one link check, the five link rules).
struct Check {
    rules: &'static [Rule],
    run: fn(&AuditInput) -> Vec<Finding>,
}

/// The registry: each module with the rules it defines, in the order they
/// run; then the rules the edge reports itself, which have no check. This
/// list is the only place a rule is named besides its module.
macro_rules! registry {
    (
        checked { $( $module:ident: [$($rule:ident = $def:ident),+ $(,)?] ),* $(,)? }
        edge { $( $edge_module:ident: [$($edge_rule:ident = $edge_def:ident),+ $(,)?] ),* $(,)? }
    ) => {
        /// Every rule, by its stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        #[non_exhaustive]
        pub enum Rule {
            $($($edge_rule,)+)*
            $($($rule,)+)*
        }

        impl Rule {
            /// All rules, in the order they run.
            pub const ALL: &'static [Rule] = &[$($(Rule::$edge_rule,)+)* $($(Rule::$rule,)+)*];

            /// The module's declaration of this rule.
            pub fn definition(self) -> &'static Definition {
                match self {
                    $($(Rule::$edge_rule => &$edge_module::$edge_def,)+)*
                    $($(Rule::$rule => &$module::$def,)+)*
                }
            }
        }

        const CHECKS: &[Check] = &[
            $(Check { rules: &[$(Rule::$rule),+], run: $module::check },)*
        ];
    };
}

registry! {
    checked {
        unknown_key: [UnknownKey = UNKNOWN_KEY],
        unused_entry: [UnusedEntry = UNUSED_ENTRY],
        missing_source: [MissingSource = MISSING_SOURCE],
        hand_typed: [
            HandTypedCitation = HAND_TYPED_CITATION,
            UnknownSource = UNKNOWN_SOURCE,
        ],
        unread_citation: [UnreadCitation = UNREAD_CITATION],
        ambiguous_ibid: [AmbiguousIbid = AMBIGUOUS_IBID],
        footnote_placement: [
            FootnoteInFootnote = FOOTNOTE_IN_FOOTNOTE,
            FootnoteInHeading = FOOTNOTE_IN_HEADING,
        ],
        entry_incomplete: [
            EntryIncomplete = ENTRY_INCOMPLETE,
            NonstandardField = NONSTANDARD_FIELD,
        ],
        duplicate_entry: [DuplicateEntry = DUPLICATE_ENTRY],
        registries: [
            InvalidIdentifier = INVALID_IDENTIFIER,
            DoiNotFound = DOI_NOT_FOUND,
            MetadataMismatch = METADATA_MISMATCH,
            RetractedWork = RETRACTED_WORK,
            WorkUpdated = WORK_UPDATED,
            WorkNotFound = WORK_NOT_FOUND,
            MissingIdentifier = MISSING_IDENTIFIER,
            WorkUnverified = WORK_UNVERIFIED,
        ],
        locator_outside: [LocatorOutsideCitation = LOCATOR_OUTSIDE_CITATION],
        malformed_locator: [MalformedLocator = MALFORMED_LOCATOR],
        reversed_range: [ReversedRange = REVERSED_RANGE],
        locator_plural: [LocatorPlural = LOCATOR_PLURAL],
        page_out_of_range: [PageOutOfRange = PAGE_OUT_OF_RANGE],
        mixed_locator_style: [MixedLocatorStyle = MIXED_LOCATOR_STYLE],
        label_style: [LocatorLabelStyle = LOCATOR_LABEL_STYLE],
        implausible_range: [ImplausibleRange = IMPLAUSIBLE_RANGE],
        quotation_pages_differ: [QuotationPagesDiffer = QUOTATION_PAGES_DIFFER],
        unsourced_quotation: [UnsourcedQuotation = UNSOURCED_QUOTATION],
        quotation_source: [
            QuotationNotFound = QUOTATION_NOT_FOUND,
            QuotationPageDiffers = QUOTATION_PAGE_DIFFERS,
            QuotationAltered = QUOTATION_ALTERED,
            Unverifiable = UNVERIFIABLE,
            SourceMissing = SOURCE_MISSING,
            SourceUnreadable = SOURCE_UNREADABLE,
            ParaphraseNotOnPage = PARAPHRASE_NOT_ON_PAGE,
        ],
        links: [
            DeadLink = DEAD_LINK,
            MovedLink = MOVED_LINK,
            BlockedLink = BLOCKED_LINK,
            UnreachableLink = UNREACHABLE_LINK,
            UnverifiedLink = UNVERIFIED_LINK,
        ],
        local_file: [LocalFileLink = LOCAL_FILE_LINK],
        access_date: [
            StaleAccessDate = STALE_ACCESS_DATE,
            AccessDateInvalid = ACCESS_DATE_INVALID,
        ],
    }
    edge {
        compile_error: [CompileError = COMPILE_ERROR],
        unused_suppression: [UnusedSuppression = UNUSED_SUPPRESSION],
    }
}

impl Rule {
    /// The stable code, as in reports and `--explain`.
    pub fn code(self) -> &'static str {
        self.definition().code
    }

    /// The default severity.
    pub fn severity(self) -> Severity {
        self.definition().severity
    }

    pub fn doc(self) -> &'static RuleDoc {
        &self.definition().doc
    }

    /// Whether the rule is about URLs and access dates (`--links-only`).
    pub fn about_links(self) -> bool {
        self.definition().family == Family::Links
    }

    /// Whether the rule reports what the scholarly registries answer (so
    /// that they are asked only when one of these runs).
    pub fn asks_registries(self) -> bool {
        matches!(
            self,
            Rule::DoiNotFound
                | Rule::MetadataMismatch
                | Rule::RetractedWork
                | Rule::WorkUpdated
                | Rule::WorkNotFound
                | Rule::MissingIdentifier
                | Rule::WorkUnverified
        )
    }

    /// Whether the rule runs unless ignored; the others run only when
    /// selected by name (a check that is a hint, not a verdict).
    pub fn on_by_default(self) -> bool {
        self != Rule::ParaphraseNotOnPage
    }

    /// Whether the rule reads the cited works' own files (so that they are
    /// read only when one of these runs).
    pub fn reads_sources(self) -> bool {
        self.definition().family == Family::Sources || self == Rule::PageOutOfRange
    }

    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<Rule> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// The code most like `code` (a typo in `--ignore` or a config file).
pub fn closest_code<'a>(code: &str, codes: &[&'a str]) -> Option<&'a str> {
    unknown_key::closest(code, codes)
}

/// The findings of the selected rules: every check that reports for one of
/// them runs once, and only the selected rules' findings are kept; `timed`
/// is told how long each check took (named by its first rule's code).
pub fn run_timed(
    input: &AuditInput,
    selected: impl Fn(Rule) -> bool,
    timed: &mut dyn FnMut(&'static str, std::time::Duration),
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for check in CHECKS
        .iter()
        .filter(|check| check.rules.iter().any(|&rule| selected(rule)))
    {
        let start = std::time::Instant::now();
        findings.extend((check.run)(input).into_iter().filter(|f| selected(f.rule)));
        timed(check.rules[0].code(), start.elapsed());
    }
    findings
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
    fn every_rule_but_the_edge_s_is_reported_by_exactly_one_check() {
        for &rule in Rule::ALL {
            let checks = CHECKS.iter().filter(|c| c.rules.contains(&rule)).count();
            let edge = [Rule::CompileError, Rule::UnusedSuppression];
            let expected = usize::from(!edge.contains(&rule));
            assert_eq!(checks, expected, "{rule}");
        }
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for &rule in Rule::ALL {
            let code = rule.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
            assert_eq!(Rule::from_code(code), Some(rule));
        }
    }
}
