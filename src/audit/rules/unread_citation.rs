//! `unread-citation`: a footnote that looks like a citation, but which
//! ibid could not read: no entry, no work the bibliography lacks, nothing.
//! Said, so that a clean report means clean citations.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::matcher::Outcome;
use crate::audit::{AuditInput, Finding, Rule};

pub const UNREAD_CITATION: Definition = Definition {
    code: "unread-citation",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote looks like a citation, but ibid could not read it",
        what: "Every footnote ends as a citation of entries, a citation of works the bibliography \
               lacks, or a note that cites nothing. A note that cites nothing ibid could read but \
               has the shape of a citation — a title in italics, quotation marks or 《》『』, a \
               place and publisher, a year where a publication's stands, a page at its end, a \
               back-reference such as Ibid. or op. cit., a volume, an `In:` — is reported, with \
               what made it look like one. The decision is made from the note's shape alone, never \
               from whether it matched an entry.",
        why: "A note the matcher cannot read would otherwise pass as an explanation, and a clean \
              report would hide a citation nobody checked.",
        example: "#footnote[Iványi, _Magyar hadtörténet_ (Budapest 1983), 12. o.]\n// write `@ivanyi1983[12. o.]`, or `// ibid-ignore: unread-citation` if it cites nothing",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    input
        .hand_typed()
        .iter()
        .filter(|reading| reading.outcome == Outcome::Unread)
        .map(|reading| {
            let note = &input.document.footnotes[reading.footnote];
            let signs: Vec<&str> = reading.signs.iter().map(|s| s.describe()).collect();
            Finding::new(
                Rule::UnreadCitation,
                format!(
                    "footnote {} looks like a citation ({}), but ibid could not read it",
                    note.number,
                    signs.join(", ")
                ),
            )
            .at(note.span.as_ref())
            .footnote(&note.number)
            .hint(
                "cite the work with `@key[locator]` (add an entry if the bibliography lacks it); \
                 if the note cites nothing, silence this with `// ibid-ignore: unread-citation` and \
                 say why",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};

    const BOOK: &str = "a:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n";

    #[test]
    fn a_citation_ibid_cannot_read_is_said_and_an_explanation_is_not() {
        let findings = Doc::new(BOOK)
            .note("Ἱστορίαι, ἐν Ἀθήναις 1999, σ. 45.")
            .note("The campaign reached Sichuan in 1958.")
            .note("Doe, _A Book_, 12.")
            .audit();
        let unread = of(&findings, Rule::UnreadCitation);
        assert_eq!(unread.len(), 1, "{unread:?}");
        assert!(
            unread[0].starts_with("1: footnote 1 looks like a citation ("),
            "{unread:?}"
        );
    }

    #[test]
    fn a_note_read_as_a_citation_of_an_unknown_work_is_not_unread() {
        let findings = Doc::new(BOOK)
            .note("Smith, _Another Book_ (London: Verso, 1999), 12.")
            .audit();
        assert!(of(&findings, Rule::UnreadCitation).is_empty());
        assert_eq!(of(&findings, Rule::UnknownSource).len(), 1);
    }
}
