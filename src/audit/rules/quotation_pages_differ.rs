//! `quotation-pages-differ`: one quotation, one work, two different pages.

use std::collections::{BTreeSet, HashSet};

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const QUOTATION_PAGES_DIFFER: Definition = Definition {
    code: "quotation-pages-differ",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "the same quotation is cited from the same work at different pages",
        what: "Finds quotations (quoted text of at least eight words ending right before a citation or \
               a footnote marker) quoted more than once from the same entry, and compares the pages \
               given for them. Two quotations are the same when they share a run of eight words.",
        why: "A passage has one place in its source: one of the two locators is wrong, and a reader \
              checking the quotation may not find it.",
        example: "Note 1: “Thanks to the correction of the mistakes …”  @yang2007[pag. 387]\nNote 48: the same words  @yang2007[pag. 378]",
    },
};

const MIN_WORDS: usize = 8;

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let quoted: Vec<_> = input
        .locator_sites()
        .iter()
        .filter_map(|site| {
            let quote = site.quote.as_deref()?;
            let key = site.key.as_deref()?;
            let pages: BTreeSet<(u32, u32)> = site.parsed.as_ref().ok()?.page_ranges().collect();
            let shingles = shingles(quote);
            (!shingles.is_empty() && !pages.is_empty())
                .then_some((site, key, pages, shingles, quote))
        })
        .collect();
    let mut findings = Vec::new();
    for (j, (later, key, pages, shingles, quote)) in quoted.iter().enumerate() {
        let earlier = quoted[..j]
            .iter()
            .find(|(_, k, p, s, _)| k == key && p != pages && !s.is_disjoint(shingles));
        if let Some((first, ..)) = earlier {
            let opening: Vec<&str> = quote.split_whitespace().take(6).collect();
            let at = |site: &crate::audit::locators::Site| {
                site.footnote
                    .as_ref()
                    .map_or(String::new(), |n| format!(" in footnote {n}"))
            };
            findings.push(
                later
                    .finding(
                        Rule::QuotationPagesDiffer,
                        format!(
                            "“{}…” is quoted from `{key}` at `{}`{} and at `{}`{}",
                            opening.join(" "),
                            first.text,
                            at(first),
                            later.text,
                            at(later)
                        ),
                    )
                    .hint("check the passage in the source and give both citations its page"),
            );
        }
    }
    findings
}

/// The quotation's runs of eight words, normalised.
fn shingles(quote: &str) -> HashSet<String> {
    let words: Vec<String> = quote
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(MIN_WORDS).map(|w| w.join(" ")).collect()
}
