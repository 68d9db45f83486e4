//! `ibid review`: the audit as a supervisor reads it — each finding placed
//! where it sits in the typeset thesis ([`place`]), drawn as a PDF
//! annotation over the footnote marker, the quotation or the bibliography
//! ([`pdf`]), and an HTML report with charts, filters and each footnote
//! as the reader sees it ([`html`]). Pure but for the PDF library: the
//! edge compiles, audits and writes.

mod evidence;
pub mod html;
pub mod pdf;
mod works;

use std::collections::BTreeMap;

use crate::audit::{Finding, Severity};
use crate::document::{Document, Position};

/// A finding with its place in the typeset document.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub finding: &'a Finding,
    /// Where to draw it; `None` for a finding with no place on a page (it is
    /// on the summary page and in the HTML only).
    pub at: Option<Position>,
    /// The chapter it falls in: the last top-level heading before it.
    pub chapter: String,
}

/// The chapter of findings that have no page.
pub const NO_CHAPTER: &str = "(the document)";

/// Each finding with its place: a footnote's marker, a quotation's first
/// line, or for an entry of the bibliography, the bibliography itself.
pub fn place<'a>(findings: &'a [Finding], document: &Document) -> Vec<Placed<'a>> {
    findings
        .iter()
        .map(|finding| {
            let at = position(finding, document);
            let chapter = at.map_or(NO_CHAPTER.to_string(), |at| chapter(document, at));
            Placed {
                finding,
                at,
                chapter,
            }
        })
        .collect()
}

fn position(finding: &Finding, document: &Document) -> Option<Position> {
    if let Some(number) = &finding.footnote
        && let Some(note) = document.footnotes.iter().find(|n| &n.number == number)
    {
        return note.position;
    }
    if let Some(span) = &finding.span {
        // `unsourced-quotation` reports a quotation at the quotation's span.
        if finding.rule == crate::audit::Rule::UnsourcedQuotation
            && let Some(quote) = document
                .quotations
                .iter()
                .find(|q| q.span.as_ref() == Some(span))
        {
            return quote.position;
        }
        let in_bibliography = document
            .bibliographies
            .iter()
            .find(|b| b.files.contains(&span.file));
        if let Some(bibliography) = in_bibliography {
            return bibliography.position;
        }
    }
    None
}

/// The last top-level heading at or before `at` (by page; on the same page,
/// the heading above).
fn chapter(document: &Document, at: Position) -> String {
    let top = document.headings.iter().map(|h| h.level).min().unwrap_or(1);
    document
        .headings
        .iter()
        .rfind(|h| h.level == top && h.page <= at.page)
        .map_or(NO_CHAPTER.to_string(), |h| match &h.number {
            Some(number) => format!("{number} {}", h.title),
            None => h.title.clone(),
        })
}

/// Counts of findings by a key, in order of the key, with their severities.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Tally {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// Findings counted by chapter (in document order) and by rule.
pub fn tallies(placed: &[Placed]) -> (Vec<(String, Tally)>, BTreeMap<&'static str, Tally>) {
    let mut chapters: Vec<(String, Tally)> = Vec::new();
    let mut rules: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut ordered: Vec<&Placed> = placed.iter().collect();
    ordered.sort_by(|a, b| {
        let key = |p: &Placed| p.at.map_or((usize::MAX, 0.0), |at| (at.page, at.y));
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for p in ordered {
        match chapters.iter_mut().find(|(c, _)| *c == p.chapter) {
            Some((_, tally)) => tally.add(p.finding.severity),
            None => {
                let mut tally = Tally::default();
                tally.add(p.finding.severity);
                chapters.push((p.chapter.clone(), tally));
            }
        }
        rules
            .entry(p.finding.rule.code())
            .or_default()
            .add(p.finding.severity);
    }
    (chapters, rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Rule;
    use crate::document::{Footnote, FootnoteKind, Heading};

    fn document() -> Document {
        let heading = |title: &str, page| Heading {
            level: 1,
            number: None,
            title: title.into(),
            page,
            span: None,
        };
        let note = |number: &str, page| Footnote {
            number: number.into(),
            page,
            kind: FootnoteKind::Citing,
            span: None,
            marker: None,
            position: Some(Position {
                page,
                x: 100.0,
                y: 200.0,
            }),
            quote: None,
            text: String::new(),
            prose: String::new(),
            italic: Vec::new(),
            citations: Vec::new(),
            links: Vec::new(),
        };
        Document {
            headings: vec![heading("Introduction", 1), heading("The Leap", 3)],
            footnotes: vec![note("1", 2), note("2", 4)],
            ..Document::default()
        }
    }

    #[test]
    fn a_finding_about_a_footnote_is_placed_at_its_marker_in_its_chapter() {
        let findings = vec![
            Finding::new(Rule::LocatorPlural, "x").footnote("2"),
            Finding::new(Rule::UnusedEntry, "y"),
        ];
        let placed = place(&findings, &document());
        assert_eq!(placed[0].at.map(|p| p.page), Some(4));
        assert_eq!(placed[0].chapter, "The Leap");
        assert_eq!(placed[1].at, None);
        assert_eq!(placed[1].chapter, NO_CHAPTER);
        let (chapters, rules) = tallies(&placed);
        assert_eq!(chapters[0].0, "The Leap");
        assert_eq!(chapters[1].0, NO_CHAPTER);
        assert_eq!(rules["locator-plural"].warnings, 1);
    }
}
