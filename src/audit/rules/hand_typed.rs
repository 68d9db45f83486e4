//! `hand-typed-citation` and `unknown-source`: citations typed as prose
//! instead of cited from the bibliography.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::matcher::HandTyped;
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::Footnote;

pub const HAND_TYPED_CITATION: Definition = Definition {
    code: "hand-typed-citation",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote cites a source by hand instead of through the bibliography",
        what: "Reads the prose of every footnote (its text minus what citations generated) for \
               citations typed by hand: \"Ibid.\", \"Ibidem\", \"Id.\", \"op. cit.\", \"loc. cit.\", the \
               name of an entry's author in any script or capitalisation (MacFARQUHAR, YANG 杨, 谢春涛) \
               near a locator, a quoted title or \"cit.\", a pasted URL. It names the entry and the \
               locator the text most likely means and the structured citation to write instead.",
        why: "A hand-typed citation is invisible to the bibliography: the style cannot format it, \
              \"Ibid.\" breaks silently when notes move, and nothing checks that the source exists.",
        example: "#footnote[MacFARQUHAR, “The Origins…”, cit., pp.7-9.]\n// write instead:\n@macfarquhar1983[pp. 7-9]",
    },
};

pub const UNKNOWN_SOURCE: Definition = Definition {
    code: "unknown-source",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote cites by hand a source the bibliography does not have",
        what: "A hand-typed citation (see `hand-typed-citation`) that matches no bibliography \
               entry: a pasted URL, or an \"Ibid.\" with nothing cited before it.",
        why: "The source is missing from the bibliography altogether, so the reader finds it only \
              in this note, and no check covers it.",
        example: "#footnote[See http://example.org/report.pdf, 13/10/2009.]   // add an entry, then @report",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, found) in input.hand_typed() {
        let note = &input.document.footnotes[*i];
        for citation in found {
            findings.push(finding(note, citation));
        }
    }
    findings
}

fn finding(note: &Footnote, citation: &HandTyped) -> Finding {
    let finding = match (&citation.key, citation.suggestion()) {
        (Some(key), Some(suggestion)) => Finding::new(
            Rule::HandTypedCitation,
            format!(
                "footnote {} cites `{key}` by hand: “{}”",
                note.number, citation.excerpt
            ),
        )
        .key(key)
        .hint(format!(
            "cite it from the bibliography instead: `{suggestion}`"
        )),
        _ if citation.ibid => Finding::new(
            Rule::UnknownSource,
            format!(
                "footnote {} says “{}” but no earlier footnote cites a source",
                note.number, citation.excerpt
            ),
        )
        .hint("cite the source itself, `@key[page]`"),
        _ => Finding::new(
            Rule::UnknownSource,
            format!(
                "footnote {} cites a source the bibliography does not have: “{}”",
                note.number, citation.excerpt
            ),
        )
        .hint("add an entry for it to the bibliography and cite it with `@key`"),
    };
    finding
        .at(note.span.as_ref())
        .footnote(&note.number)
        .excerpt(&citation.excerpt)
}
