//! `missing-source`: a footnote the template marked as missing its source.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::{FootnoteKind, MISSING_SOURCE_LABEL};

pub const MISSING_SOURCE: Definition = Definition {
    code: "missing-source",
    severity: Severity::Error,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote has no source",
        what: "Reports every footnote labelled `<ibid-missing-source>`, the label the thesis \
               template's `missing-source()` function puts on a note whose source is lost (the \
               manuscript has markers 57–65 with no note text).",
        why: "A claim with a footnote marker and no source is unsupported; the marker promises the \
              reader a reference that is not there.",
        example: "shortage of everyday items.#missing-source()   // find the source, cite it: @key[p. 12]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    input
        .document
        .footnotes
        .iter()
        .filter(|note| note.kind == FootnoteKind::MissingSource)
        .map(|note| {
            Finding::new(Rule::MissingSource, format!("footnote {} has no source", note.number))
                .at(note.marker.as_ref().or(note.span.as_ref()))
                .footnote(&note.number)
                .hint(format!(
                    "replace the marked note (label <{MISSING_SOURCE_LABEL}>) with a citation, `@key[page]`"
                ))
        })
        .collect()
}
