//! The quotations against the cited works' own text: each quotation with a
//! citation of an entry whose file is attached is looked for in that file,
//! on the page cited (`quotation-not-found`, `quotation-page-differs`,
//! `quotation-altered`); a quotation in another script than its source is
//! `unverifiable`; a source named but missing or unreadable is said once.

use std::collections::BTreeSet;

use super::{Definition, Family, RuleDoc};
use crate::audit::locators::Site;
use crate::audit::{AuditInput, Finding, Rule, Severity};
use crate::sources::find::{self, Found};
use crate::sources::{Source, SourceText, Tokens};

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
fn paraphrases(input: &AuditInput, sources: &crate::sources::SourceReport) -> Vec<Finding> {
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

/// One quotation looked up in its source: what was found, and the passage
/// (for `ibid review`, which shows the evidence beside the verdict).
#[derive(Debug, Clone)]
pub struct QuotationCheck {
    /// The footnote of the citation, by its printed number.
    pub footnote: Option<String>,
    pub key: String,
    pub quote: String,
    /// The locator as written (empty when none).
    pub cited: String,
    /// The source file, as the user named it.
    pub source: String,
    pub verdict: Verdict,
    /// Where the quotation (or the closest passage) is, as printed.
    pub found_on: Option<String>,
    /// The source's passage; differences marked `[-quoted-]` `{+source+}`.
    pub passage: Option<String>,
    /// The finding the check makes, if any.
    pub finding: Option<Finding>,
}

/// What a quotation's lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// On the page cited (or anywhere, when no page is cited).
    Found,
    OtherPage,
    Altered,
    NotFound,
    Unverifiable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Found => "found",
            Verdict::OtherPage => "on another page",
            Verdict::Altered => "altered",
            Verdict::NotFound => "not found",
            Verdict::Unverifiable => "not compared",
        }
    }
}

/// Every quotation whose cited work has a readable source, looked up.
pub fn quotation_checks(input: &AuditInput) -> Vec<QuotationCheck> {
    let Some(sources) = input.sources else {
        return Vec::new();
    };
    quoted_sites(input)
        .iter()
        .filter_map(|site| {
            let (key, quote) = (site.key.as_ref()?, site.quote.as_ref()?);
            let Some(Source::Read { path, text, tokens }) = sources.get(key) else {
                return None;
            };
            check_one(site, key, quote, path, text, tokens)
        })
        .collect()
}

/// Every citation given for a quotation: those with a locator, and those
/// without one (whose quotation can still be looked for).
fn quoted_sites(input: &AuditInput) -> Vec<Site> {
    let mut sites: Vec<Site> = input
        .locator_sites()
        .iter()
        .filter(|s| s.quote.is_some() && s.key.is_some())
        .cloned()
        .collect();
    for cite in &input.document.citations {
        let located = cite.locator.is_some()
            || cite
                .after
                .as_deref()
                .and_then(crate::locator::prose_locator)
                .is_some();
        if cite.quote.is_none() || located {
            continue;
        }
        sites.push(Site {
            text: String::new(),
            parsed: Err(crate::locator::LocatorError {
                text: String::new(),
                found: String::new(),
                expected: "a locator",
            }),
            key: Some(cite.key.clone()),
            span: cite.span.clone(),
            footnote: cite
                .footnote
                .and_then(|i| input.document.footnotes.get(i))
                .map(|n| n.number.clone()),
            quote: cite.quote.clone(),
            hand_typed: false,
        });
    }
    sites
}

fn check_one(
    site: &Site,
    key: &str,
    quote: &str,
    path: &str,
    text: &SourceText,
    tokens: &Tokens,
) -> Option<QuotationCheck> {
    let opening = opening(quote);
    let check = |verdict, found_on: Option<String>, passage, finding| QuotationCheck {
        footnote: site.footnote.clone(),
        key: key.to_string(),
        quote: quote.to_string(),
        cited: site.text.clone(),
        source: path.to_string(),
        verdict,
        found_on,
        passage,
        finding,
    };
    if find::mostly_cjk(quote) != tokens.mostly_cjk() {
        let (quoted, source) = if tokens.mostly_cjk() {
            ("a translation", "Chinese, Japanese or Korean")
        } else {
            ("in Chinese, Japanese or Korean", "in another script")
        };
        let finding = site
            .finding(
                Rule::Unverifiable,
                format!("“{opening}” is {quoted}; its source {path} is {source}: not compared"),
            )
            .hint("attach the edition quoted (a translation) to check the quotation");
        return Some(check(Verdict::Unverifiable, None, None, Some(finding)));
    }
    // The pages cited, as indexes into the source; a page the source does
    // not have is `page-out-of-range`'s to report.
    let cited: Vec<u32> = site
        .parsed
        .as_ref()
        .map(|l| {
            l.page_ranges()
                .flat_map(|(a, b)| a..=b.min(a + 200))
                .collect()
        })
        .unwrap_or_default();
    let last = text.last_page();
    if cited.iter().any(|&p| last.is_some_and(|last| p > last)) {
        return None;
    }
    let preferred: Vec<usize> = cited
        .iter()
        .filter_map(|p| text.page_index(&p.to_string()))
        .collect();
    let checkable = !preferred.is_empty();
    let pages: Vec<&str> = text.pages.iter().map(|p| p.text.as_str()).collect();
    let on = |found: &[usize]| -> String {
        let labels: BTreeSet<String> = found.iter().map(|&i| text.label(i)).collect();
        labels.into_iter().collect::<Vec<_>>().join(", ")
    };
    let cited_text = if site.text.is_empty() {
        String::new()
    } else {
        format!(" `{}`", site.text)
    };
    match tokens.search(quote, &preferred, &pages) {
        Found::Empty => None,
        Found::Exact {
            pages: found,
            passage,
        }
        | Found::Altered {
            pages: found,
            marked: passage,
            ..
        } if checkable && !found.iter().any(|p| preferred.contains(p)) => {
            let finding = site
                .finding(
                    Rule::QuotationPageDiffers,
                    format!(
                        "“{opening}” is on {} of `{key}` ({path}), not on the page cited{cited_text}",
                        on(&found)
                    ),
                )
                .hint(format!("cite {} for this quotation", on(&found)));
            Some(check(
                Verdict::OtherPage,
                Some(on(&found)),
                Some(passage),
                Some(finding),
            ))
        }
        Found::Exact {
            pages: found,
            passage,
        } => Some(check(Verdict::Found, Some(on(&found)), Some(passage), None)),
        Found::Altered {
            pages: found,
            changes,
            marked,
        } => {
            let list: Vec<String> = changes
                .iter()
                .take(8)
                .map(
                    |(quoted, source)| match (quoted.is_empty(), source.is_empty()) {
                        (true, _) => format!("“{source}” left out"),
                        (_, true) => format!("“{quoted}” added"),
                        _ => format!("“{quoted}” for “{source}”"),
                    },
                )
                .collect();
            let finding = site
                .finding(
                    Rule::QuotationAltered,
                    format!(
                        "“{opening}” differs from `{key}` ({path}, {}): {}",
                        on(&found),
                        list.join(", ")
                    ),
                )
                .hint(
                    "restore the source's words, or mark the change ([…], [sic], [emphasis added])",
                );
            Some(check(
                Verdict::Altered,
                Some(on(&found)),
                Some(marked),
                Some(finding),
            ))
        }
        Found::NotFound { closest } => {
            let hint = match &closest {
                Some(closest) => format!(
                    "the closest passage, {}: {}",
                    text.label(closest.page),
                    closest.marked
                ),
                None => {
                    "no passage of the source comes near it: check the quotation and the work cited"
                        .to_string()
                }
            };
            let finding = site
                .finding(
                    Rule::QuotationNotFound,
                    format!("“{opening}” is not in `{key}` ({path}){cited_text}"),
                )
                .hint(hint);
            let (found_on, passage) = match closest {
                Some(closest) => (Some(text.label(closest.page)), Some(closest.marked)),
                None => (None, None),
            };
            Some(check(Verdict::NotFound, found_on, passage, Some(finding)))
        }
    }
}

/// The quotation's first words, for messages.
fn opening(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().collect();
    if words.len() > 8 {
        format!("{}…", words[..8].join(" "))
    } else if quote.chars().count() > 40 && words.len() <= 2 {
        // Chinese: no spaces.
        format!("{}…", quote.chars().take(20).collect::<String>())
    } else {
        words.join(" ")
    }
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
