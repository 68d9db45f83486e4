//! `implausible-range`: a range too wide to be a precise citation.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const IMPLAUSIBLE_RANGE: Definition = Definition {
    code: "implausible-range",
    severity: Severity::Info,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a page range is wider than a citation usually is",
        what: "Reports a range spanning more pages than a threshold (50 by default; \
               `--max-range-pages` sets it).",
        why: "A very wide range is often a typo (`pp. 115-821` for `115-121`), and when it is not, the \
              reader is sent to read a whole chapter for one claim.",
        example: "@xie1990[pp. 115-821]   // pp. 115-121?",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let max = input.config.max_range_pages;
    let mut findings = Vec::new();
    for site in input.locator_sites() {
        let Ok(locator) = &site.parsed else { continue };
        for (first, last) in locator.page_ranges() {
            let span = last.saturating_sub(first) + 1;
            if last >= first && span > max {
                findings.push(
                    site.finding(Rule::ImplausibleRange, format!("`{}` spans {span} pages ({first} to {last})", site.text))
                        .hint(format!("check the range; ranges wider than {max} pages are reported (`--max-range-pages`)")),
                );
            }
        }
    }
    findings
}
