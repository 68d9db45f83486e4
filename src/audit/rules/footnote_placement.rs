//! `footnote-in-footnote` and `footnote-in-heading`: footnotes that Typst
//! prints other than the author meant — a citation written inside
//! `#footnote[…]` under a note style, which makes a note inside the note,
//! and a footnote in a heading, which the outline prints a second time.
//! Both read the model, which keeps what the reader sees.

use std::collections::HashMap;

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

    // Notes by file, in the order they are written, to find the notes
    // written inside another without comparing every pair.
    let mut by_file: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    for (i, note) in notes.iter().enumerate() {
        if let Some(span) = &note.span {
            by_file.entry(span.file.as_str()).or_default().push((
                span.range.start,
                span.range.end,
                i,
            ));
        }
    }
    for spans in by_file.values_mut() {
        spans.sort_unstable();
    }
    for (i, outer) in notes.iter().enumerate() {
        let Some(o) = &outer.span else { continue };
        let spans = &by_file[o.file.as_str()];
        let from = spans.partition_point(|&(start, _, _)| start < o.range.start);
        let inner = spans[from..]
            .iter()
            .take_while(|&&(start, _, _)| start <= o.range.end)
            .filter(|&&(start, end, j)| {
                j > i && end <= o.range.end && (start, end) != (o.range.start, o.range.end)
            })
            .map(|&(_, _, j)| j)
            .min();
        if let Some(j) = inner {
            findings.push(nested(outer, &notes[j], input));
        }
    }

    // The same note printed more than once: same call, marker and text.
    let mut copies_of: HashMap<(&SourceSpan, Option<&SourceSpan>, &str), Vec<&Footnote>> =
        HashMap::new();
    let mut order = Vec::new();
    for note in notes {
        let Some(span) = note.span.as_ref() else {
            continue;
        };
        let key = (span, note.marker.as_ref(), note.text.as_str());
        let copies = copies_of.entry(key).or_default();
        if copies.is_empty() {
            order.push(key);
        }
        copies.push(note);
    }
    for key in order {
        let copies = &copies_of[&key];
        let span = key.0;
        if copies.len() > 1 {
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
