//! `page-out-of-range`: a page the cited work does not have.

use hayagriva::types::{MaybeTyped, NumericValue, PageRanges};

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::registries::verify::Extent;

pub const PAGE_OUT_OF_RANGE: Definition = Definition {
    code: "page-out-of-range",
    severity: Severity::Error,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a cited page lies beyond the work's pages",
        what: "Compares each cited page with the entry: beyond its `page-total`, or outside its \
               `page-range` (a chapter or an article, whose pages are those of the larger work), or, \
               when the work's own file is attached, beyond its last printed page. Without \
               either, the pages a registry records for the work it verified (an article's \
               range from its DOI, a book's number of pages from Open Library) are used, and \
               the finding names the registry. Roman front-matter pages are not checked.",
        why: "A page the work does not have is a wrong citation: a typo in the page, or a citation of \
              another work.",
        example: "smith2001: { …, page-total: 320 }\n@smith2001[p. 512]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The pages registries record, looked up once for every citation.
    let extents = input.registries.map(|r| r.extents()).unwrap_or_default();
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
        // Else the pages a registry records for it (the chain below takes
        // it only when the entry has neither a total nor a range).
        let registry = extents.get(key.as_str()).copied();
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
            } else if let Some((name, id, extent)) = registry {
                beyond(first, last, extent).then(|| match extent.first {
                    1 => format!("beyond the {} pages {name} records for {id}", extent.last),
                    low => format!(
                        "outside the pages {low}-{} {name} records for {id}",
                        extent.last
                    ),
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                let hint = match registry {
                    Some(_) if total.is_none() && range.is_none() && source.is_none() => format!(
                        "check the page against the work; if the registry counts another edition, give the entry a `page-total` ({}:{})",
                        bib.span.file, bib.span.line
                    ),
                    _ => format!(
                        "check the page against the work, or the entry's `page-total`/`page-range` ({}:{})",
                        bib.span.file, bib.span.line
                    ),
                };
                findings.push(
                    site.finding(
                        Rule::PageOutOfRange,
                        format!("`{}` cites `{key}` {problem}", site.text),
                    )
                    .hint(hint),
                );
                break;
            }
        }
    }
    findings
}

/// Whether a cited range falls outside a registry's extent (a book's from
/// page 1, an article's range).
fn beyond(first: u32, last: u32, extent: Extent) -> bool {
    last > extent.last || first < extent.first
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

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};
    use crate::registries::verify::{Extent, RegistryReport, Verification};

    const YAML: &str = "book:\n  type: book\n  title: B\n  page-total: 320\nart:\n  type: article\n  title: A\n  page-range: 211-238\nbare:\n  type: book\n  title: C\nbareart:\n  type: article\n  title: D\n";

    fn hint_of(findings: &[crate::audit::Finding]) -> String {
        findings
            .iter()
            .find(|f| f.rule == Rule::PageOutOfRange)
            .and_then(|f| f.hint.clone())
            .unwrap_or_default()
    }

    fn cites(key: &str, locator: &str) -> Vec<String> {
        of(
            &Doc::new(YAML).cite(key, Some(locator)).audit(),
            Rule::PageOutOfRange,
        )
    }

    #[test]
    fn pages_beyond_the_entrys_total_or_outside_its_range() {
        assert_eq!(cites("book", "p. 320"), Vec::<String>::new());
        let found = cites("book", "p. 321");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("beyond the entry's 320 pages"),
            "{found:?}"
        );
        assert_eq!(cites("art", "pp. 211-238"), Vec::<String>::new());
        assert!(cites("art", "p. 210")[0].contains("outside the entry's pages 211-238"));
        assert!(cites("art", "p. 239")[0].contains("outside the entry's pages 211-238"));
        let hint = hint_of(&Doc::new(YAML).cite("book", Some("p. 321")).audit());
        assert!(
            hint.contains("or the entry's `page-total`/`page-range`"),
            "{hint}"
        );
        let hint = hint_of(&Doc::new(YAML).cite("book", Some("p. 321")).audit());
        assert!(
            hint.contains("or the entry's `page-total`/`page-range`"),
            "{hint}"
        );
        // Roman front matter is not checked; an entry without extent says nothing.
        assert_eq!(cites("book", "p. xiv"), Vec::<String>::new());
        assert_eq!(cites("bare", "p. 9999"), Vec::<String>::new());
    }

    fn verified(
        key: &str,
        registry: &'static str,
        id: &str,
        first: u32,
        last: u32,
    ) -> RegistryReport {
        RegistryReport {
            results: vec![(
                key.to_string(),
                vec![Verification::Verified {
                    registry,
                    id: id.to_string(),
                    checked: 0,
                    extent: Some(Extent { first, last }),
                }],
            )],
            online: true,
            warnings: Vec::new(),
        }
    }

    /// The work's own file, attached: its last printed page is the limit,
    /// before the entry's and the registry's.
    #[test]
    fn the_attached_source_gives_the_last_printed_page() {
        use crate::sources::{Numbering, Page, Source, SourceReport, SourceText, Tokens};
        let pages = ["one", "two", "three"];
        let text = SourceText {
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| Page {
                    label: Some((i + 1).to_string()),
                    text: t.to_string(),
                })
                .collect(),
            numbering: Numbering::Labels,
        };
        let mut report = SourceReport::default();
        report.sources.insert(
            "book".into(),
            Source::Read {
                path: "book.pdf".into(),
                text: std::sync::Arc::new(text),
                tokens: std::sync::Arc::new(Tokens::new(&pages)),
            },
        );
        let audit = |locator| {
            of(
                &Doc::new(YAML)
                    .cite("book", Some(locator))
                    .audit_with_sources(&report),
                Rule::PageOutOfRange,
            )
        };
        assert_eq!(audit("p. 3"), Vec::<String>::new());
        let found = audit("p. 4");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("beyond the last printed page (3) of its source book.pdf"),
            "{found:?}"
        );
    }

    #[test]
    fn a_registrys_pages_serve_an_entry_without_its_own() {
        let doc = |key, locator| Doc::new(YAML).cite(key, Some(locator));
        let books = verified("bare", "Open Library", "9781555501235", 1, 412);
        assert_eq!(
            of(
                &doc("bare", "p. 412").audit_with_registries(&books),
                Rule::PageOutOfRange
            ),
            Vec::<String>::new()
        );
        let found = of(
            &doc("bare", "p. 512").audit_with_registries(&books),
            Rule::PageOutOfRange,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("beyond the 412 pages Open Library records for 9781555501235"),
            "{found:?}"
        );
        // An article's range is exact at both ends.
        let articles = verified("bareart", "doi.org", "10.5555/x", 211, 238);
        let found = of(
            &doc("bareart", "p. 200").audit_with_registries(&articles),
            Rule::PageOutOfRange,
        );
        assert!(
            found[0].contains("outside the pages 211-238 doi.org records for 10.5555/x"),
            "{found:?}"
        );
        for inside in ["p. 211", "p. 215", "p. 238", "pp. 211-238"] {
            let found = of(
                &doc("bareart", inside).audit_with_registries(&articles),
                Rule::PageOutOfRange,
            );
            assert_eq!(found, Vec::<String>::new(), "{inside}");
        }
        // The hint says what to do when the registry counted another edition.
        let hint = hint_of(&doc("bare", "p. 512").audit_with_registries(&books));
        assert!(
            hint.contains("if the registry counts another edition"),
            "{hint}"
        );
        // The entry's own total comes first: a registry's count of another
        // edition does not override it.
        let other = verified("book", "Open Library", "9781555501235", 1, 100);
        let beyond_its_own = doc("book", "p. 321").audit_with_registries(&other);
        let found = of(&beyond_its_own, Rule::PageOutOfRange);
        assert!(
            found[0].contains("beyond the entry's 320 pages"),
            "{found:?}"
        );
        let hint = hint_of(&beyond_its_own);
        assert!(
            hint.contains("or the entry's `page-total`/`page-range`"),
            "{hint}"
        );
        assert_eq!(
            of(
                &doc("book", "p. 300").audit_with_registries(&other),
                Rule::PageOutOfRange
            ),
            Vec::<String>::new()
        );
        // A work found by a search (no identifier) gives no pages.
        let searched = verified("bare", "Open Library", "", 1, 10);
        assert_eq!(
            of(
                &doc("bare", "p. 300").audit_with_registries(&searched),
                Rule::PageOutOfRange
            ),
            Vec::<String>::new()
        );
    }
}
