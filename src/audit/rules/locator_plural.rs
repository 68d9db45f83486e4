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
               `page`) for one page. (German `S.` serves both.)",
        why: "`pp. 124` makes the reader look for a range that is not there, and `p. 326-328` reads as \
              a typo; style guides ask for the number to agree.",
        example: "@xie1990[pp. 124]   // write: @xie1990[p. 124]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for site in input.locator_sites() {
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
                (false, true) => ("a singular label for several pages", family.plural),
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
