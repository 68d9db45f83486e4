//! `reversed-range`: a range whose end comes before its start.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::locator::{Item, Page};

pub const REVERSED_RANGE: Definition = Definition {
    code: "reversed-range",
    severity: Severity::Error,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a page range runs backwards",
        what: "Reports a range whose last page comes before its first, once abbreviated ranges are \
               expanded (`211-12` is 211–212 and fine; `30-29` is not). Roman ranges are checked too.",
        why: "A backwards range is a typo: one of the two pages is wrong, and the reader cannot tell \
              which passage is meant.",
        example: "@macfarquhar1983[pp. 30-29]   // pp. 29-30?",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for site in input.locator_sites() {
        let Ok(locator) = &site.parsed else { continue };
        for item in locator.page_parts().flat_map(|p| &p.items) {
            let Item::Pages {
                start,
                end: Some(end),
                expanded_end,
                ..
            } = item
            else {
                continue;
            };
            let first = value(start);
            if let (Some(first), Some(last)) = (first, expanded_end.or(value(end)))
                && last < first
            {
                findings.push(
                    site.finding(
                        Rule::ReversedRange,
                        format!(
                            "range `{}-{}` in `{}` runs backwards ({first} to {last})",
                            start.text, end.text, site.text
                        ),
                    )
                    .hint(format!(
                        "the first page comes first: `{}-{}`",
                        end.text, start.text
                    )),
                );
            }
        }
    }
    findings
}

fn value(page: &Page) -> Option<u32> {
    page.number.or(page.roman)
}
