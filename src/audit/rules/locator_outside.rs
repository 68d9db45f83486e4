//! `locator-outside-citation`: a locator written as prose right after a
//! citation (`@key, S. 12`), where Typst does not see it.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::fix::{Edit, Fix};
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::{Citation, SourceSpan};
use crate::locator::{ProseLocator, prose_locator};

pub const LOCATOR_OUTSIDE_CITATION: Definition = Definition {
    code: "locator-outside-citation",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a locator is written after the citation instead of in it",
        what: "Reports a citation written `@key` with its locator as prose right after it: \
               `@key, S. 12`, `@key, § 59 Rn 1`, `@key p. 5`, `@key (p. 5)`, Bluebook's \
               `@key, at 45`. Only a locator with a label (`p.`, `S.`, `§`, `Rn`, `Art.`, \
               `chap.`…, or `at` before pages) is taken for one, so a year or a number in the \
               sentence is never read as a page. The locator rules then check what \
               was read, and the fix moves it into the citation: `@key[S. 12]`.",
        why: "Outside the citation the locator is plain text: the citation style cannot place or \
              format it, `ibid.` and short forms cannot carry it, and no check of pages against \
              the work can run.",
        example: "#footnote[@palandt2024, § 823 Rn 12.]   // write @palandt2024[§ 823 Rn 12]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    input
        .document
        .citations
        .iter()
        .filter(|cite| cite.locator.is_none())
        .filter_map(|cite| {
            let after = cite.after.as_deref()?;
            let prose = prose_locator(after)?;
            Some(finding(input, cite, &prose))
        })
        .collect()
}

fn finding(input: &AuditInput, cite: &Citation, prose: &ProseLocator) -> Finding {
    let fixed = format!("@{}[{}]", cite.key, prose.locator);
    let mut finding = Finding::new(
        Rule::LocatorOutsideCitation,
        format!(
            "the locator `{}` is written after `@{}`, outside the citation",
            prose.text(),
            cite.key
        ),
    )
    .at(cite.span.as_ref())
    .key(&cite.key)
    .hint(format!(
        "write `{fixed}`: in the citation the style formats it and the locator checks can read it"
    ));
    if let Some(number) = cite
        .footnote
        .and_then(|i| input.document.footnotes.get(i))
        .map(|n| n.number.as_str())
    {
        finding = finding.footnote(number);
    }
    if let Some(span) = &cite.span {
        let within = SourceSpan {
            range: span.range.start..span.range.end + prose.written,
            ..span.clone()
        };
        finding = finding.fix(Some(Fix::safe(
            format!("write `{fixed}`"),
            vec![Edit::Replace {
                within,
                find: String::new(),
                with: fixed,
            }],
        )));
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Doc, of};

    const BOOK: &str =
        "palandt:\n  type: book\n  title: BGB\n  author: Grüneberg, Christian\n  date: 2024\n";

    #[test]
    fn the_finding_and_its_fix() {
        let findings = Doc::new(BOOK)
            .cite("palandt", None)
            .after(", § 823 Rn 12.")
            .audit();
        assert_eq!(
            of(&findings, Rule::LocatorOutsideCitation),
            ["1: the locator `§ 823 Rn 12` is written after `@palandt`, outside the citation"]
        );
        let finding = findings
            .iter()
            .find(|f| f.rule == Rule::LocatorOutsideCitation)
            .expect("a finding");
        let Some(Edit::Replace { within, with, .. }) =
            finding.fix.as_ref().and_then(|f| f.edits.first())
        else {
            panic!("a replacement");
        };
        assert_eq!(with, "@palandt[§ 823 Rn 12]");
        // The citation's own span, and the 13 bytes of `, § 823 Rn 12`.
        assert_eq!(within.range, 1000..1500 + ", § 823 Rn 12".len());
    }

    #[test]
    fn a_citation_with_its_locator_inside_is_not_reported() {
        let findings = Doc::new(BOOK).cite("palandt", Some("§ 823 Rn 12")).audit();
        assert!(of(&findings, Rule::LocatorOutsideCitation).is_empty());
    }
}
