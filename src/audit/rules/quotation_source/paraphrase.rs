//! `paraphrase-not-on-page`: a citation with a page and no quotation whose
//! sentence shares no key term with the page cited.

use crate::audit::{AuditInput, Finding, Rule};
use crate::sources::Source;
use crate::sources::find;

/// Words too common to say what a sentence is about.
const COMMON: &[&str] = &[
    "about",
    "after",
    "again",
    "against",
    "among",
    "because",
    "before",
    "being",
    "below",
    "between",
    "could",
    "during",
    "every",
    "first",
    "their",
    "there",
    "these",
    "those",
    "through",
    "under",
    "until",
    "where",
    "which",
    "while",
    "would",
    "other",
    "since",
    "still",
    "should",
    "within",
    "without",
    "also",
    "into",
    "from",
    "that",
    "this",
    "with",
    "were",
    "have",
    "they",
    "what",
    "when",
    "then",
    "than",
    "them",
    "only",
    "some",
    "such",
    "many",
    "more",
    "most",
    "much",
    "even",
    "very",
    "well",
    "over",
    "upon",
    "according",
    "however",
    "therefore",
    "although",
    "itself",
    "himself",
    "herself",
    "later",
    "years",
    "great",
];

/// Citations with a page and no quotation whose sentence shares no key
/// term with the page cited (`paraphrase-not-on-page`).
pub(super) fn paraphrases(
    input: &AuditInput,
    sources: &crate::sources::SourceReport,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for cite in &input.document.citations {
        let (Some(locator), Some(sentence), None) = (&cite.locator, &cite.sentence, &cite.quote)
        else {
            continue;
        };
        let Some(Source::Read { path, text, tokens }) = sources.get(&cite.key) else {
            continue;
        };
        let Ok(parsed) = crate::locator::parse(locator) else {
            continue;
        };
        let pages: Vec<usize> = parsed
            .page_ranges()
            .flat_map(|(a, b)| a..=b.min(a + 20))
            .filter_map(|p| text.page_index(&p.to_string()))
            .collect();
        if pages.is_empty() || tokens.mostly_cjk() {
            continue;
        }
        let mut terms: Vec<String> = find::words(sentence)
            .into_iter()
            .map(|(w, _)| w)
            .filter(|w| w.chars().count() >= 5 && !COMMON.contains(&w.as_str()))
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        terms.sort();
        terms.dedup();
        if terms.len() < 3 {
            continue;
        }
        let shared = terms
            .iter()
            .any(|t| pages.iter().any(|&p| tokens.on_page(p, t)));
        if !shared {
            let footnote = cite
                .footnote
                .and_then(|i| input.document.footnotes.get(i))
                .map(|n| n.number.clone());
            let mut finding = Finding::new(
                Rule::ParaphraseNotOnPage,
                format!(
                    "the sentence citing `{}` at `{locator}` shares none of its key terms ({}) with that page of {path}",
                    cite.key,
                    terms.iter().take(6).cloned().collect::<Vec<_>>().join(", ")
                ),
            )
            .at(cite.span.as_ref())
            .key(&cite.key)
            .hint("check the page cited (and the work): the page may be another");
            if let Some(number) = footnote {
                finding = finding.footnote(&number);
            }
            findings.push(finding);
        }
    }
    findings
}
