//! Each quotation looked up in its cited work's file: the verdict, where
//! the passage is, and the finding it makes.

use std::collections::BTreeSet;

use crate::audit::locators::Site;
use crate::audit::{AuditInput, Finding, Rule};
use crate::sources::find::{self, Found};
use crate::sources::{Source, SourceText, Tokens};

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
