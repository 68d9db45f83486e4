//! `unused-entry`: a bibliography entry that nothing cites.

use std::collections::HashSet;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const UNUSED_ENTRY: Definition = Definition {
    code: "unused-entry",
    severity: Severity::Warning,
    family: Family::Bibliography,
    doc: RuleDoc {
        summary: "a bibliography entry is never cited",
        what: "Reports every entry of the bibliography files that no citation in the document \
               uses (a `#cite(<key>, form: none)` counts as a use: it asks for the entry on purpose).",
        why: "An uncited entry is either a source the text forgot to credit, or a leftover that \
              pads the bibliography with a work the thesis does not use.",
        example: "smith2001:          # in refs.yaml, but no @smith2001 anywhere\n  type: book\n  title: …",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let cited: HashSet<&str> = input
        .document
        .citations
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    input
        .bibliography
        .entries
        .iter()
        .filter(|entry| !cited.contains(entry.key.as_str()))
        .map(|entry| {
            let by_hand = notes_citing_by_hand(input, &entry.key);
            let finding = if by_hand.is_empty() {
                Finding::new(
                    Rule::UnusedEntry,
                    format!("entry `{}` is never cited", entry.key),
                )
                .hint(format!(
                    "cite it with `@{}` where the text uses it, or remove the entry",
                    entry.key
                ))
            } else {
                Finding::new(
                    Rule::UnusedEntry,
                    format!(
                        "entry `{}` is cited by hand in {} {}, never with `@`",
                        entry.key,
                        if by_hand.len() == 1 { "note" } else { "notes" },
                        by_hand.join(", ")
                    ),
                )
                .hint(format!(
                    "cite it with `@{}` in those notes (see `hand-typed-citation`)",
                    entry.key
                ))
            };
            finding.at(Some(&entry.span)).key(&entry.key)
        })
        .collect()
}

/// The numbers of the footnotes that cite `key` by hand.
fn notes_citing_by_hand(input: &AuditInput, key: &str) -> Vec<String> {
    let mut numbers: Vec<String> = Vec::new();
    for reading in input.hand_typed() {
        if reading.found.iter().any(|h| h.key.as_deref() == Some(key)) {
            let number = &input.document.footnotes[reading.footnote].number;
            if !numbers.contains(number) {
                numbers.push(number.clone());
            }
        }
    }
    numbers
}
