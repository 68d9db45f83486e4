//! `unsourced-quotation`: a quotation in the text with no footnote or
//! citation at its end or in its sentence.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

/// Quotations shorter than this many words are phrases, not quotations
/// that need a source (`the “Great Leap”`).
pub const MIN_WORDS: usize = 8;

pub const UNSOURCED_QUOTATION: Definition = Definition {
    code: "unsourced-quotation",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a quotation has no footnote or citation",
        what: "Reads the body text for quotations — in quotation marks (“…”, ‘…’, „…“, «…», »…«, 「…」, \
               『…』, straight \"…\") of 8 words or more (Chinese: 16 characters), and block quotations \
               (`#quote(block: true)`) of any length — and reports each that has no footnote marker \
               and no citation at its end or anywhere in the sentence that holds it. Not read as \
               quotations: text the citation style generates (a bibliography's titles); code \
               (raw text, inline or in blocks, however produced), and marks paired across code or \
               across a footnote marker; a pairing of more than 500 words (marks paired wrongly); \
               a title, term or slogan followed by its original in another script in parentheses \
               (`“The resolution …” (中共中央…)`); phrases under 8 words (scare quotes, terms). A \
               quotation whose source the text names right after it, in parentheses (`“…” (The \
               East Is Red, Li Youyuan)`), is reported as attributed but not cited, as an info.",
        why: "A quotation without its source is the first thing an examiner checks; it reads as \
              the author's claim that someone said it, with nothing to verify it by.",
        example: "Mao wrote “a new high tide of production has risen, and is still rising”.   // add: #footnote[…] or @key[p. 5]",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    input
        .document
        .quotations
        .iter()
        .filter(|q| !q.sourced && (q.block || q.words >= MIN_WORDS))
        .map(|quote| {
            let what = if quote.block {
                "a block quotation"
            } else {
                "a quotation"
            };
            let text = opening(quote.text.trim_matches(MARKS));
            if quote.attributed {
                let mut finding = Finding::new(
                    Rule::UnsourcedQuotation,
                    format!(
                        "{what} of {} words on page {} is attributed in the text but not cited: “{text}”",
                        quote.words, quote.page,
                    ),
                )
                .hint("the text names its source; cite it too, `…”@key[p. 5]`, so that the reader can find the words")
                .at(quote.span.as_ref());
                finding.severity = Severity::Info;
                return finding;
            }
            Finding::new(
                Rule::UnsourcedQuotation,
                format!(
                    "{what} of {} words on page {} has no footnote or citation: “{text}”",
                    quote.words, quote.page,
                ),
            )
            .hint("cite its source at its end: `…”@key[p. 5]`, or a footnote that gives it")
            .at(quote.span.as_ref())
        })
        .collect()
}

/// Quotation marks a block quotation's text may begin or end with.
const MARKS: &[char] = &[
    '“', '”', '„', '«', '»', '「', '」', '『', '』', '‘', '’', '"',
];

/// The first words of a quotation, enough to find it.
fn opening(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 12 {
        format!("{} …", words[..12].join(" "))
    } else if words.len() <= 1 && text.chars().count() > 24 {
        format!("{}…", text.chars().take(24).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditInput;
    use crate::bibliography::Bibliography;
    use crate::document::{Document, Quotation};

    fn quote(words: usize, block: bool, sourced: bool) -> Quotation {
        Quotation {
            text: vec!["word"; words].join(" "),
            words,
            block,
            sourced,
            attributed: false,
            page: 1,
            span: None,
            position: None,
        }
    }

    fn findings(quotations: Vec<Quotation>) -> Vec<Finding> {
        let document = Document {
            quotations,
            ..Document::default()
        };
        let bibliography = Bibliography::new(Vec::new(), Vec::new());
        check(&AuditInput::new(&document, &bibliography, &[]))
    }

    #[test]
    fn a_long_quotation_without_a_source_is_reported() {
        let found = findings(vec![quote(8, false, false)]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("a quotation of 8 words"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_short_phrase_in_quotation_marks_is_not() {
        assert!(findings(vec![quote(7, false, false)]).is_empty());
    }

    #[test]
    fn a_sourced_quotation_is_not() {
        assert!(findings(vec![quote(30, false, true), quote(30, true, true)]).is_empty());
    }

    #[test]
    fn a_block_quotation_of_any_length_is() {
        assert_eq!(findings(vec![quote(3, true, false)]).len(), 1);
    }
}
