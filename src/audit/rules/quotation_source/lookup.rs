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
            Lookup {
                site,
                key,
                quote,
                path,
                text,
                opening: opening(quote),
            }
            .check(tokens)
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

/// One quotation looked up in its cited work's file.
struct Lookup<'a> {
    site: &'a Site,
    key: &'a str,
    quote: &'a str,
    /// The file, as the user named it.
    path: &'a str,
    text: &'a SourceText,
    /// The quotation's first words, for messages.
    opening: String,
}

impl Lookup<'_> {
    /// The verdict, the passage and the finding; none when there is nothing
    /// to look for, or when the page cited is not in the source (that is
    /// `page-out-of-range`'s to report).
    fn check(&self, tokens: &Tokens) -> Option<QuotationCheck> {
        if find::mostly_cjk(self.quote) != tokens.mostly_cjk() {
            return Some(self.other_script(tokens.mostly_cjk()));
        }
        let cited = self.cited_pages()?;
        let pages: Vec<&str> = self.text.pages.iter().map(|p| p.text.as_str()).collect();
        match tokens.search(self.quote, &cited, &pages) {
            Found::Empty => None,
            Found::Exact {
                pages: found,
                passage,
            }
            | Found::Altered {
                pages: found,
                marked: passage,
                ..
            } if !cited.is_empty() && !found.iter().any(|p| cited.contains(p)) => {
                Some(self.other_page(&found, passage))
            }
            Found::Exact {
                pages: found,
                passage,
            } => Some(self.verdict(Verdict::Found, Some(self.on(&found)), Some(passage), None)),
            Found::Altered {
                pages: found,
                changes,
                marked,
            } => Some(self.altered(&found, &changes, marked)),
            Found::NotFound { closest } => Some(self.not_found(closest)),
        }
    }

    fn verdict(
        &self,
        verdict: Verdict,
        found_on: Option<String>,
        passage: Option<String>,
        finding: Option<Finding>,
    ) -> QuotationCheck {
        QuotationCheck {
            footnote: self.site.footnote.clone(),
            key: self.key.to_string(),
            quote: self.quote.to_string(),
            cited: self.site.text.clone(),
            source: self.path.to_string(),
            verdict,
            found_on,
            passage,
            finding,
        }
    }

    /// The pages cited, as indexes into the source (none when no page is
    /// cited, or none the source labels); `None` when a page cited is
    /// beyond the source's last.
    fn cited_pages(&self) -> Option<Vec<usize>> {
        let cited: Vec<u32> = self
            .site
            .parsed
            .as_ref()
            .map(|l| {
                l.page_ranges()
                    .flat_map(|(a, b)| a..=b.min(a + 200))
                    .collect()
            })
            .unwrap_or_default();
        let last = self.text.last_page();
        if cited.iter().any(|&p| last.is_some_and(|last| p > last)) {
            return None;
        }
        Some(
            cited
                .iter()
                .filter_map(|p| self.text.page_index(&p.to_string()))
                .collect(),
        )
    }

    /// The pages (indexes) as printed, in order.
    fn on(&self, found: &[usize]) -> String {
        let labels: BTreeSet<String> = found.iter().map(|&i| self.text.label(i)).collect();
        labels.into_iter().collect::<Vec<_>>().join(", ")
    }

    /// The locator as written, for messages (empty when none).
    fn cited_text(&self) -> String {
        if self.site.text.is_empty() {
            String::new()
        } else {
            format!(" `{}`", self.site.text)
        }
    }

    /// A quotation in one script and its source in another: a translation,
    /// not compared.
    fn other_script(&self, source_cjk: bool) -> QuotationCheck {
        let (quoted, source) = if source_cjk {
            ("a translation", "Chinese, Japanese or Korean")
        } else {
            ("in Chinese, Japanese or Korean", "in another script")
        };
        let finding = self
            .site
            .finding(
                Rule::Unverifiable,
                format!(
                    "“{}” is {quoted}; its source {} is {source}: not compared",
                    self.opening, self.path
                ),
            )
            .hint("attach the edition quoted (a translation) to check the quotation");
        self.verdict(Verdict::Unverifiable, None, None, Some(finding))
    }

    fn other_page(&self, found: &[usize], passage: String) -> QuotationCheck {
        let on = self.on(found);
        let finding = self
            .site
            .finding(
                Rule::QuotationPageDiffers,
                format!(
                    "“{}” is on {on} of `{}` ({}), not on the page cited{}",
                    self.opening,
                    self.key,
                    self.path,
                    self.cited_text()
                ),
            )
            .hint(format!("cite {on} for this quotation"));
        self.verdict(Verdict::OtherPage, Some(on), Some(passage), Some(finding))
    }

    fn altered(
        &self,
        found: &[usize],
        changes: &[(String, String)],
        marked: String,
    ) -> QuotationCheck {
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
        let on = self.on(found);
        let finding = self
            .site
            .finding(
                Rule::QuotationAltered,
                format!(
                    "“{}” differs from `{}` ({}, {on}): {}",
                    self.opening,
                    self.key,
                    self.path,
                    list.join(", ")
                ),
            )
            .hint("restore the source's words, or mark the change ([…], [sic], [emphasis added])");
        self.verdict(Verdict::Altered, Some(on), Some(marked), Some(finding))
    }

    fn not_found(&self, closest: Option<find::Closest>) -> QuotationCheck {
        let hint = match &closest {
            Some(closest) => format!(
                "the closest passage, {}: {}",
                self.text.label(closest.page),
                closest.marked
            ),
            None => {
                "no passage of the source comes near it: check the quotation and the work cited"
                    .to_string()
            }
        };
        let finding = self
            .site
            .finding(
                Rule::QuotationNotFound,
                format!(
                    "“{}” is not in `{}` ({}){}",
                    self.opening,
                    self.key,
                    self.path,
                    self.cited_text()
                ),
            )
            .hint(hint);
        let (found_on, passage) = match closest {
            Some(closest) => (Some(self.text.label(closest.page)), Some(closest.marked)),
            None => (None, None),
        };
        self.verdict(Verdict::NotFound, found_on, passage, Some(finding))
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
