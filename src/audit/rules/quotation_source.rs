//! The quotations against the cited works' own text: each quotation with a
//! citation of an entry whose file is attached is looked for in that file,
//! on the page cited (`quotation-not-found`, `quotation-page-differs`,
//! `quotation-altered`); a quotation in another script than its source is
//! `unverifiable`; a source named but missing or unreadable is said once.

use super::{Definition, Family, RuleDoc};
use crate::audit::{AuditInput, Finding, Rule, Severity};
use crate::sources::Source;

mod lookup;
mod paraphrase;

pub use lookup::{QuotationCheck, Verdict, quotation_checks};
use paraphrase::paraphrases;

pub const QUOTATION_NOT_FOUND: Definition = Definition {
    code: "quotation-not-found",
    severity: Severity::Warning,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "a quotation is not in the cited work",
        what: "Looks for each quotation in the file attached to the entry it cites, allowing for \
               line-end hyphenation, ligatures, quotation-mark and dash styles, ellipses, bracketed \
               insertions and a changed capital at the start. The hint shows the closest passage and \
               its page, the quotation's words that differ as [-…-] and the source's as {+…+}.",
        why: "A quotation the source does not contain is a misquotation, a quotation from another \
              work, or words put in an author's mouth.",
        example: "“the harvest was bountiful everywhere” @teiwes1999[p. 45]\n(teiwes1999.pdf has no such words)",
    },
};

pub const QUOTATION_PAGE_DIFFERS: Definition = Definition {
    code: "quotation-page-differs",
    severity: Severity::Error,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "a quotation is on another page of the cited work",
        what: "A quotation found in the attached source, but not on the page (or pages) the citation \
               gives: the message names the page it is on, as printed.",
        why: "A reader looking the quotation up will not find it on the page given.",
        example: "“reported at twice its size” @teiwes1999[p. 45]\n(the words are on p. 47)",
    },
};

pub const QUOTATION_ALTERED: Definition = Definition {
    code: "quotation-altered",
    severity: Severity::Info,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "a quotation differs from the source in some words",
        what: "A quotation found in the attached source with words changed beyond the allowed edits \
               (ellipses, bracketed insertions, capitals): each change listed, quoted → source.",
        why: "A changed word in a quotation should be marked as such ([…], [sic]), or restored.",
        example: "“the communes were told to report” @teiwes1999[p. 45]\n(the source: “ordered to report”)",
    },
};

pub const UNVERIFIABLE: Definition = Definition {
    code: "unverifiable",
    severity: Severity::Info,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "a quotation cannot be compared with its source word for word",
        what: "A quotation in another script than its attached source (English quoted from a Chinese \
               book): a translation is not compared word for word. Attach the translated edition to \
               check it.",
        why: "Said instead of a false alarm: the quotation was not checked.",
        example: "“Great Leap” @yang2008[p. 88]\n(yang2008.pdf is in Chinese)",
    },
};

pub const SOURCE_MISSING: Definition = Definition {
    code: "source-missing",
    severity: Severity::Info,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "an entry's attached file is not there",
        what: "An entry names a file for its work (`file` field, `--source`, `[sources]`) that does \
               not exist: its quotations are not checked. Said once per entry.",
        why: "A moved or renamed source silently turns the quotation check off.",
        example: "teiwes1999: { …, file: sources/teiwes.pdf }\n(sources/teiwes.pdf does not exist)",
    },
};

pub const SOURCE_UNREADABLE: Definition = Definition {
    code: "source-unreadable",
    severity: Severity::Info,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "an entry's attached file has no text to read",
        what: "A source that cannot be read: encrypted, a scan without a text layer (no OCR is done), \
               a broken EPUB, a file outside the project root or too large. Said once per entry, \
               with why.",
        why: "Its quotations are not checked; the author may attach a readable copy.",
        example: "teiwes1999: { …, file: scan.pdf }\n(scan.pdf: pages without text)",
    },
};

pub const PARAPHRASE_NOT_ON_PAGE: Definition = Definition {
    code: "paraphrase-not-on-page",
    severity: Severity::Info,
    family: Family::Sources,
    doc: RuleDoc {
        summary: "a sentence citing a page shares none of its key terms with that page",
        what: "Off unless selected (`--select paraphrase-not-on-page`). For a citation with a page \
               and no quotation, whose work's file is attached: the sentence it ends is compared \
               with the page cited, by its longer words; when none of at least three is printed on \
               the page, it is said. A hint, not a verdict: a paraphrase may use other words.",
        why: "A page that says nothing of what the sentence claims is often the wrong page, or the \
              wrong work.",
        example: "Grain procurement rose sharply in Sichuan.@teiwes1999[p. 12]\n(p. 12 of teiwes1999.pdf: a preface)",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let Some(sources) = input.sources else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    // The sources that cannot be used, once each, at their entry.
    let mut keys: Vec<&String> = sources.sources.keys().collect();
    keys.sort();
    for key in keys {
        let at = input.bibliography.get(key).map(|e| e.span.clone());
        let finding = match &sources.sources[key] {
            Source::Missing { path } => Finding::new(
                Rule::SourceMissing,
                format!("`{key}` names the file {path}, which does not exist"),
            )
            .hint("its quotations are not checked; correct the path or remove it"),
            Source::Unreadable { path, reason } => Finding::new(
                Rule::SourceUnreadable,
                format!("the source of `{key}`, {path}, cannot be read: {reason}"),
            )
            .hint("its quotations are not checked; attach a copy with a text layer (a scan needs OCR first, e.g. `ocrmypdf`)"),
            Source::Read { .. } => continue,
        };
        findings.push(finding.at(at.as_ref()).key(key));
    }
    findings.extend(
        input
            .quotation_checks()
            .iter()
            .filter_map(|check| check.finding.clone()),
    );
    findings.extend(paraphrases(input, sources));
    findings
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};
    use crate::sources::{Numbering, Page, Source, SourceReport, SourceText, Tokens};

    const YAML: &str = "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick\n  date: 1999\n";

    /// A book of three pages printed 44–46.
    fn report(pages: &[&str], numbering: Numbering) -> SourceReport {
        let text = SourceText {
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| Page {
                    label: Some((44 + i).to_string()),
                    text: t.to_string(),
                })
                .collect(),
            numbering,
        };
        let tokens = Tokens::new(pages);
        let mut report = SourceReport::default();
        report.sources.insert(
            "teiwes1999".into(),
            Source::Read {
                path: "teiwes.pdf".into(),
                text: std::sync::Arc::new(text),
                tokens: std::sync::Arc::new(tokens),
            },
        );
        report
    }

    fn book() -> SourceReport {
        report(
            &[
                "Mao spoke of the communes at length in the spring.",
                "The communes were ordered to report the grain that the state would then procure.",
                "Reports of the harvest were inflated at every level of the hierarchy.",
            ],
            Numbering::Labels,
        )
    }

    fn audit(quote: &str, locator: Option<&str>) -> Vec<crate::audit::Finding> {
        Doc::new(YAML)
            .cite("teiwes1999", locator)
            .quote(quote)
            .audit_with_sources(&book())
    }

    #[test]
    fn a_quotation_on_the_cited_page_has_no_finding() {
        let findings = audit(
            "the communes were ordered to report the grain",
            Some("p. 45"),
        );
        assert!(
            findings
                .iter()
                .all(|f| !f.rule.reads_sources() || f.rule == Rule::PageOutOfRange),
            "{findings:?}"
        );
    }

    #[test]
    fn a_quotation_on_another_page_names_it() {
        let findings = audit("inflated at every level of the hierarchy", Some("p. 44"));
        assert_eq!(
            of(&findings, Rule::QuotationPageDiffers),
            [
                "1: “inflated at every level of the hierarchy” is on p. 46 of `teiwes1999` (teiwes.pdf), not on the page cited `p. 44`"
            ]
        );
    }

    #[test]
    fn a_word_changed_is_altered() {
        let findings = audit("the communes were told to report the grain", Some("p. 45"));
        let altered = of(&findings, Rule::QuotationAltered);
        assert_eq!(altered.len(), 1, "{findings:?}");
        assert!(altered[0].contains("“told” for “ordered”"), "{altered:?}");
    }

    #[test]
    fn words_not_in_the_source_are_not_found() {
        let findings = audit(
            "the harvest was bountiful in every province of the land",
            Some("p. 45"),
        );
        assert_eq!(
            of(&findings, Rule::QuotationNotFound).len(),
            1,
            "{findings:?}"
        );
        // Without a locator too.
        let findings = audit(
            "the harvest was bountiful in every province of the land",
            None,
        );
        assert_eq!(
            of(&findings, Rule::QuotationNotFound).len(),
            1,
            "{findings:?}"
        );
    }

    #[test]
    fn a_page_beyond_the_source_is_left_to_page_out_of_range() {
        let findings = audit(
            "the communes were ordered to report the grain",
            Some("p. 412"),
        );
        assert!(of(&findings, Rule::QuotationPageDiffers).is_empty());
        assert_eq!(of(&findings, Rule::PageOutOfRange).len(), 1, "{findings:?}");
    }

    #[test]
    fn a_translation_is_unverifiable_not_false() {
        let chinese = report(&["一九五八年，全国大炼钢铁。"], Numbering::Labels);
        let findings = Doc::new(YAML)
            .cite("teiwes1999", Some("p. 44"))
            .quote("the whole country made steel")
            .audit_with_sources(&chinese);
        assert_eq!(of(&findings, Rule::Unverifiable).len(), 1, "{findings:?}");
        assert!(of(&findings, Rule::QuotationNotFound).is_empty());
    }

    #[test]
    fn a_paraphrase_of_a_page_that_says_nothing_of_it_is_said_when_selected() {
        let doc = |sentence: &str| {
            let mut doc = Doc::new(YAML).cite("teiwes1999", Some("p. 44"));
            doc = doc.sentence(sentence);
            doc
        };
        let unrelated = doc("Procurement quotas doubled across Sichuan province.");
        let findings = unrelated.audit_with_sources(&book());
        assert_eq!(
            of(&findings, Rule::ParaphraseNotOnPage).len(),
            1,
            "{findings:?}"
        );
        // Page 44 speaks of Mao and the communes in spring.
        let related = doc("Mao discussed the communes repeatedly that spring.");
        assert!(
            of(
                &related.audit_with_sources(&book()),
                Rule::ParaphraseNotOnPage
            )
            .is_empty()
        );
    }

    #[test]
    fn missing_and_unreadable_sources_are_said_once() {
        let mut report = SourceReport::default();
        report.sources.insert(
            "teiwes1999".into(),
            Source::Missing {
                path: "gone.pdf".into(),
            },
        );
        let findings = Doc::new(YAML)
            .cite("teiwes1999", Some("p. 44"))
            .quote("some words here")
            .cite("teiwes1999", Some("p. 45"))
            .quote("other words there")
            .audit_with_sources(&report);
        assert_eq!(of(&findings, Rule::SourceMissing).len(), 1);
        assert!(of(&findings, Rule::QuotationNotFound).is_empty());
    }
}
