//! `malformed-locator`: a locator the parser cannot read.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const MALFORMED_LOCATOR: Definition = Definition {
    code: "malformed-locator",
    severity: Severity::Warning,
    family: Family::Locators,
    doc: RuleDoc {
        summary: "a citation's locator cannot be read as pages",
        what: "Parses the locator of every citation (the supplement, `@key[pp. 7-9]`) and of every \
               hand-typed citation: a label (`p.`, `pp.`, `pag.`, `pagg.`, `page(s)`, `S.`, `ch.`, `n.`, …), \
               then pages or ranges joined by `,`, `;`, `and` or `&`, with `f.`/`ff.` or `passim`. Reports \
               what it cannot read, with what it expected.",
        why: "A locator nobody can read sends the reader nowhere, and none of the page checks can \
              run on it.",
        example: "@yang2007[pp. three-five]   // write: @yang2007[pp. 3-5]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    input
        .locator_sites()
        .iter()
        .filter_map(|site| {
            let err = site.parsed.as_ref().err()?;
            Some(
                site.finding(
                    Rule::MalformedLocator,
                    format!(
                        "cannot read `{}` in the locator `{}`",
                        err.found.trim(),
                        site.text
                    ),
                )
                .hint(format!(
                    "expected {}; for example `p. 12`, `pp. 12-15` or `pp. 3, 7`",
                    err.expected
                )),
            )
        })
        .collect()
}
