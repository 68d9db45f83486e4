//! `locator-plural`: a plural label for one page, or a singular one for many.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const LOCATOR_PLURAL: Definition = Definition {
    code: "locator-plural",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "`pp.` for a single page, or `p.` for a range",
        what: "Checks that a page locator's label agrees with what it names: the plural forms \
               (`pp.`, `pagg.`, `pages`) for a range, a list or `ff.`; the singular forms (`p.`, `pag.`, \
               `page`) for one page. (German `S.` serves both.) Where the document writes every \
               range with the singular label and none with the plural, as Brazilian ABNT prescribes \
               (`p. 20-21`), that is its convention and only a plural label for one page is reported.",
        why: "`pp. 124` makes the reader look for a range that is not there, and `p. 326-328` reads as \
              a typo; style guides ask for the number to agree.",
        example: "@xie1990[pp. 124]   // write: @xie1990[p. 124]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let sites = input.locator_sites();
    // ABNT writes ranges with `p.` (`p. 20-21`): a document that writes
    // them all so (twice at least, never with `pp.`) follows it. Other
    // families' singular forms (`pag.`) have no such convention.
    let singular_ranges = |name: &str| {
        if name != crate::locator::labels::P.name {
            return false;
        }
        let (mut singular, mut plural) = (0, 0);
        for part in sites
            .iter()
            .filter_map(|s| s.parsed.as_ref().ok())
            .flat_map(|l| l.page_parts())
            .filter(|p| p.family.is_some_and(|f| f.name == name) && p.is_plural())
        {
            if part.plural_label {
                plural += 1;
            } else {
                singular += 1;
            }
        }
        singular >= 2 && plural == 0
    };
    let mut findings = Vec::new();
    for site in sites {
        let Ok(locator) = &site.parsed else { continue };
        for part in locator.page_parts() {
            let (Some(label), Some(family)) = (part.label.as_deref(), part.family) else {
                continue;
            };
            // `S.` serves one page and many.
            if family.singular == family.plural {
                continue;
            }
            let (wrong, right) = match (part.plural_label, part.is_plural()) {
                (true, false) => ("a plural label for a single page", family.singular),
                (false, true) if !singular_ranges(family.name) => {
                    ("a singular label for several pages", family.plural)
                }
                _ => continue,
            };
            let right = match_case(label, right);
            let fixed = site.text.replacen(label, &right, 1);
            findings.push(
                site.finding(Rule::LocatorPlural, format!("`{}` uses {wrong}", site.text))
                    .hint(format!("write `{fixed}`"))
                    .fix(site.rewrite(&fixed)),
            );
        }
    }
    findings
}

/// `right` with the capital of `like` (`Pag.` → `Pagg.`).
fn match_case(like: &str, right: &str) -> String {
    if like.starts_with(char::is_uppercase) {
        let mut chars = right.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        right.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};

    const BOOK: &str = "a:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n";

    fn plural(locators: &[&str]) -> Vec<String> {
        let mut doc = Doc::new(BOOK);
        for locator in locators {
            doc = doc.cite("a", Some(locator));
        }
        of(&doc.audit(), Rule::LocatorPlural)
    }

    #[test]
    fn a_label_that_disagrees_with_its_pages_is_reported() {
        assert_eq!(
            plural(&["pp. 124"]),
            ["1: `pp. 124` uses a plural label for a single page"]
        );
        assert_eq!(
            plural(&["p. 5-7", "pp. 9-10"]),
            ["1: `p. 5-7` uses a singular label for several pages"]
        );
        assert!(plural(&["S. 5-7", "S. 9"]).is_empty(), "S. serves both");
    }

    #[test]
    fn a_document_that_writes_every_range_with_p_follows_abnt() {
        assert!(plural(&["p. 20-21", "p. 45", "p. 50-51"]).is_empty());
        // A plural label for one page is still a slip.
        assert_eq!(
            plural(&["p. 20-21", "p. 50-51", "pp. 45"]),
            ["3: `pp. 45` uses a plural label for a single page"]
        );
    }
}
