//! Where the locators are: every citation's supplement, and the locators of
//! citations typed by hand, each parsed once with the place it is written.

use crate::document::{Document, SourceSpan};
use crate::locator::{self, Locator, LocatorError};

use super::matcher::NoteReading;

/// One locator and what it belongs to.
#[derive(Debug, Clone)]
pub struct Site {
    /// As written.
    pub text: String,
    pub parsed: Result<Locator, LocatorError>,
    /// The entry cited, when known.
    pub key: Option<String>,
    pub span: Option<SourceSpan>,
    /// The footnote, by its printed number.
    pub footnote: Option<String>,
    /// The quotation this citation is given for, if one ends right before it.
    pub quote: Option<String>,
    /// Whether the citation was typed by hand.
    pub hand_typed: bool,
}

/// Every locator of the document, in order: structured citations, then
/// hand-typed ones.
pub fn sites(document: &Document, hand_typed: &[NoteReading]) -> Vec<Site> {
    let number = |i: Option<usize>| {
        i.and_then(|i| document.footnotes.get(i))
            .map(|n| n.number.clone())
    };
    let mut sites: Vec<Site> = document
        .citations
        .iter()
        .filter_map(|cite| {
            // A locator written as prose after `@key` is read too (its own
            // rule moves it into the citation); its site is not rewritten
            // in place, as a hand-typed one is not.
            let (text, prose) = match &cite.locator {
                Some(text) => (text.clone(), false),
                None => (locator::prose_locator(cite.after.as_deref()?)?.text(), true),
            };
            Some(Site {
                parsed: locator::parse(&text),
                text,
                key: Some(cite.key.clone()),
                span: cite.span.clone(),
                footnote: number(cite.footnote),
                quote: cite.quote.clone(),
                hand_typed: prose,
            })
        })
        .collect();
    for reading in hand_typed {
        let note = &document.footnotes[reading.footnote];
        for citation in &reading.found {
            let Some(text) = citation.locator.clone() else {
                continue;
            };
            sites.push(Site {
                parsed: locator::parse(&text),
                text,
                key: citation.key.clone(),
                span: note.span.clone(),
                footnote: Some(note.number.clone()),
                quote: note.quote.clone(),
                hand_typed: true,
            });
        }
    }
    sites
}

impl Site {
    /// The fix that writes this locator as `fixed`: in the supplement of a
    /// structured citation. (A hand-typed citation is fixed whole, by
    /// `hand-typed-citation`, and its locator with it on the next round.)
    pub fn rewrite(&self, fixed: &str) -> Option<super::fix::Fix> {
        if self.hand_typed || fixed == self.text {
            return None;
        }
        Some(super::fix::Fix::safe(
            format!("write `{fixed}`"),
            vec![super::fix::Edit::Replace {
                within: self.span.clone()?,
                find: self.text.clone(),
                with: fixed.to_string(),
            }],
        ))
    }

    /// Where to report a finding about this locator.
    pub fn finding(&self, rule: super::Rule, message: String) -> super::Finding {
        let mut finding = super::Finding::new(rule, message).at(self.span.as_ref());
        if let Some(number) = &self.footnote {
            finding = finding.footnote(number);
        }
        if let Some(key) = &self.key {
            finding = finding.key(key);
        }
        finding
    }
}
