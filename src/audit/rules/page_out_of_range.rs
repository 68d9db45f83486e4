//! `page-out-of-range`: a page the cited work does not have.

use hayagriva::types::{MaybeTyped, NumericValue, PageRanges};

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const PAGE_OUT_OF_RANGE: Definition = Definition {
    code: "page-out-of-range",
    severity: Severity::Error,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a cited page lies beyond the work's pages",
        what: "Compares each cited page with the entry: beyond its `page-total`, or outside its \
               `page-range` (a chapter or an article, whose pages are those of the larger work), or, \
               when the work's own file is attached, beyond its last printed page. Roman \
               front-matter pages are not checked.",
        why: "A page the work does not have is a wrong citation: a typo in the page, or a citation of \
              another work.",
        example: "smith2001: { …, page-total: 320 }\n@smith2001[p. 512]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for site in input.locator_sites() {
        let (Ok(locator), Some(key)) = (&site.parsed, &site.key) else {
            continue;
        };
        let Some(bib) = input.bibliography.get(key) else {
            continue;
        };
        let total = bib.entry.page_total().and_then(|n| match n.value {
            NumericValue::Number(n) => u32::try_from(n).ok(),
            _ => None,
        });
        let range = bib.entry.page_range().and_then(|r| match r {
            MaybeTyped::Typed(ranges) => bounds(ranges),
            MaybeTyped::String(_) => None,
        });
        // The real extent, when the work itself is attached and paged.
        let source = input.sources.and_then(|s| match s.get(key)? {
            crate::sources::Source::Read { path, text, .. } => Some((path, text.last_page()?)),
            _ => None,
        });
        for (first, last) in locator.page_ranges() {
            let problem = if let Some((path, printed)) = source
                && last > printed
            {
                Some(format!(
                    "beyond the last printed page ({printed}) of its source {path}"
                ))
            } else if let Some((low, high)) = range {
                (first < low || last > high)
                    .then(|| format!("outside the entry's pages {low}-{high}"))
            } else if let Some(total) = total {
                (last > total).then(|| format!("beyond the entry's {total} pages"))
            } else {
                None
            };
            if let Some(problem) = problem {
                findings.push(
                    site.finding(Rule::PageOutOfRange, format!("`{}` cites `{key}` {problem}", site.text))
                        .hint(format!("check the page against the work, or the entry's `page-total`/`page-range` ({}:{})", bib.span.file, bib.span.line)),
                );
                break;
            }
        }
    }
    findings
}

/// The first and last page of an entry's page ranges.
fn bounds(ranges: &PageRanges) -> Option<(u32, u32)> {
    let number = |n: &hayagriva::types::Numeric| match n.value {
        NumericValue::Number(n) => u32::try_from(n).ok(),
        _ => None,
    };
    let starts = ranges
        .ranges
        .iter()
        .filter_map(|p| p.start())
        .filter_map(number);
    let ends = ranges
        .ranges
        .iter()
        .filter_map(|p| p.end().or(p.start()))
        .filter_map(number);
    Some((starts.min()?, ends.max()?))
}
