//! `unused-entry`: a bibliography entry that nothing cites.

use std::collections::{HashMap, HashSet};

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
               uses (a `#cite(<key>, form: none)` counts as a use: it asks for the entry on \
               purpose), except in a bibliography printed with `full: true`, which lists every entry on \
               purpose. With several bibliographies (one per chapter, say), a citation counts for \
               the one Typst gives it to, so a key repeated in another file is reported there.",
        why: "An uncited entry is either a source the text forgot to credit, or a leftover that \
              pads the bibliography with a work the thesis does not use.",
        example: "smith2001:          # in refs.yaml, but no @smith2001 anywhere\n  type: book\n  title: …",
    },
};

/// Whether a `bibliography(…, full: true)` loads this file: its uncited
/// entries are listed on purpose.
fn listed_in_full(input: &AuditInput, file: &str) -> bool {
    input
        .document
        .bibliographies
        .iter()
        .any(|b| b.full && b.files.iter().any(|f| f == file))
}

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let used = used(input);
    input
        .bibliography
        .entries
        .iter()
        .filter(|entry| !used.contains(&(entry.span.file.as_str(), entry.key.as_str())))
        .filter(|entry| !listed_in_full(input, &entry.span.file))
        // In a manuscript every citation is typed by hand: that is a use.
        .filter(|entry| !input.config.manuscript || notes_citing_by_hand(input, &entry.key).is_empty())
        .map(|entry| {
            let by_hand = notes_citing_by_hand(input, &entry.key);
            let elsewhere: Vec<&str> = used
                .iter()
                .filter(|(file, key)| *key == entry.key && *file != entry.span.file)
                .map(|(file, _)| *file)
                .collect();
            let finding = if let Some(other) = elsewhere.first() {
                Finding::new(
                    Rule::UnusedEntry,
                    format!(
                        "entry `{}` of {} is never cited: Typst gives its citations to the \
                         bibliography of {other}",
                        entry.key, entry.span.file
                    ),
                )
                .hint(format!(
                    "remove it from {}, or cite it in the part of the document this bibliography covers",
                    entry.span.file
                ))
            } else if by_hand.is_empty() {
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

/// The entries cited, by file and key. With several bibliographies, each
/// citation counts for the one Typst gives it to: the nearest after it whose
/// files hold its key, else the nearest before.
fn used<'a>(input: &'a AuditInput) -> HashSet<(&'a str, &'a str)> {
    let places = &input.document.bibliographies;
    let mut used = HashSet::new();
    for citation in &input.document.citations {
        let holders: Vec<&str> = input
            .bibliography
            .entries
            .iter()
            .filter(|e| e.key == citation.key)
            .map(|e| e.span.file.as_str())
            .collect();
        let holds = |files: &[String]| files.iter().any(|f| holders.contains(&f.as_str()));
        let chosen = places
            .iter()
            .find(|b| b.after_groups > citation.group && holds(&b.files))
            .or_else(|| {
                places
                    .iter()
                    .rev()
                    .find(|b| b.after_groups <= citation.group && holds(&b.files))
            });
        match chosen {
            Some(place) => {
                for file in &place.files {
                    if holders.contains(&file.as_str()) {
                        used.insert((file.as_str(), citation.key.as_str()));
                    }
                }
            }
            // No bibliography known (a model built without them): the key is
            // used wherever it is.
            None => used.extend(holders.iter().map(|f| (*f, citation.key.as_str()))),
        }
    }
    used
}

/// The numbers of the footnotes that cite `key` by hand.
/// The numbers of the notes that cite each key, with `@` or by hand, in
/// document order: one pass over the citations and the notes' readings.
pub(super) fn notes_citing<'a>(input: &'a AuditInput) -> HashMap<&'a str, Vec<String>> {
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for citation in &input.document.citations {
        if let Some(i) = citation.footnote {
            by_key.entry(citation.key.as_str()).or_default().push(i);
        }
    }
    for reading in input.hand_typed() {
        for key in reading.found.iter().filter_map(|h| h.key.as_deref()) {
            by_key.entry(key).or_default().push(reading.footnote);
        }
    }
    by_key
        .into_iter()
        .map(|(key, mut notes)| {
            notes.sort_unstable();
            notes.dedup();
            let numbers = notes
                .into_iter()
                .filter_map(|i| Some(input.document.footnotes.get(i)?.number.clone()))
                .collect();
            (key, numbers)
        })
        .collect()
}

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
