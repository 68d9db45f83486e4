//! `footnote-in-footnote` and `footnote-in-heading`: footnotes that Typst
//! prints other than the author meant — a citation written inside
//! `#footnote[…]` under a note style, which makes a note inside the note,
//! and a footnote in a heading, which the outline prints a second time.
//! Both read the model, which keeps what the reader sees.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::{Footnote, SourceSpan};

pub const FOOTNOTE_IN_FOOTNOTE: Definition = Definition {
    code: "footnote-in-footnote",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote holds another footnote",
        what: "Reports a footnote whose text makes another footnote — most often a citation \
               written inside `#footnote[…]` under a note citation style, which makes a footnote \
               itself: the reader sees a note that reads only \"2\" and the citation in note 2.",
        why: "The reader follows a note to find another note number; \"Ibid.\" and the numbering \
              after it no longer mean what the author wrote.",
        example: "#footnote[@yang2007[p. 5]]   // under a note style, write: @yang2007[p. 5]",
    },
};

pub const FOOTNOTE_IN_HEADING: Definition = Definition {
    code: "footnote-in-heading",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote in a heading is printed more than once",
        what: "Reports a footnote written in a heading (or a figure caption) that the document \
               prints again wherever the heading is repeated — in the outline, above all — so the \
               same note appears under two numbers.",
        why: "The notes after it are numbered one higher than the author counted, and the \
              outline's page carries a stray note.",
        example: "= Sources#footnote[All translations are mine.]   // move the note into the text",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let notes = &input.document.footnotes;
    let mut findings = Vec::new();
    for (i, outer) in notes.iter().enumerate() {
        // A note made inside this one: its span lies within this one's.
        let inner = notes
            .iter()
            .skip(i + 1)
            .find(|inner| within(inner.span.as_ref(), outer.span.as_ref()));
        if let Some(inner) = inner {
            findings.push(nested(outer, inner, input));
        }
    }
    // The same note printed twice: one call, and the same text before its
    // marker (a function that makes notes, like `missing-source()`, is one
    // call site but follows different text each time).
    let same =
        |a: &Footnote, b: &Footnote| a.span == b.span && a.marker == b.marker && a.text == b.text;
    let mut seen: Vec<&SourceSpan> = Vec::new();
    for note in notes {
        let Some(span) = note.span.as_ref() else {
            continue;
        };
        if seen.contains(&span) {
            continue;
        }
        let copies: Vec<&Footnote> = notes.iter().filter(|n| same(n, note)).collect();
        if copies.len() > 1 {
            seen.push(span);
            let numbers: Vec<&str> = copies.iter().map(|n| n.number.as_str()).collect();
            findings.push(
                Finding::new(
                    Rule::FootnoteInHeading,
                    format!(
                        "this footnote is printed {} times (footnotes {}): the heading it is in is \
                         printed again, by the outline",
                        copies.len(),
                        numbers.join(", ")
                    ),
                )
                .at(Some(span))
                .footnote(numbers[0])
                .hint("move the note into the text after the heading; Typst prints a footnote in a heading wherever the heading is repeated (typst#1880)"),
            );
        }
    }
    findings
}

fn nested(outer: &Footnote, inner: &Footnote, input: &AuditInput) -> Finding {
    let citations: Vec<String> = input
        .document
        .citations_of(inner)
        .map(|c| match &c.locator {
            Some(locator) => format!("@{}[{locator}]", c.key),
            None => format!("@{}", c.key),
        })
        .collect();
    let (message, hint) = if citations.is_empty() {
        (
            format!(
                "footnote {} holds footnote {}: a note inside a note",
                outer.number, inner.number
            ),
            "write the inner note's text into the outer note".to_string(),
        )
    } else {
        (
            format!(
                "footnote {} reads only “{}”: the citation written in it makes a footnote of its \
                 own (footnote {}) under the note style",
                outer.number, outer.text, inner.number
            ),
            format!(
                "under a note style a citation makes its footnote itself: write `{}` in the text, \
                 not inside `#footnote[…]`",
                citations.join(" ")
            ),
        )
    };
    Finding::new(Rule::FootnoteInFootnote, message)
        .at(outer.span.as_ref())
        .footnote(&outer.number)
        .hint(hint)
}

/// Whether `inner` lies inside `outer`, in the same file.
fn within(inner: Option<&SourceSpan>, outer: Option<&SourceSpan>) -> bool {
    match (inner, outer) {
        (Some(i), Some(o)) => {
            i.file == o.file
                && o.range.start <= i.range.start
                && i.range.end <= o.range.end
                && i.range != o.range
        }
        _ => false,
    }
}
