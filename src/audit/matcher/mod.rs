//! The hand-typed citation matcher: finds, in the prose of each footnote,
//! the citations its author typed instead of citing the bibliography, in
//! the conventions theses are written in — full and short notes, author–date
//! references, back-references in several languages, Chinese notes, pasted
//! URLs — and works out which entry and locator each one means.
//!
//! Reading ([`read`]) does not look at the bibliography: a note that names
//! a work the bibliography lacks is still read as a citation, and reported.
//! Resolving ([`resolve`]) compares what was read with what [`index`] knows
//! of each entry. Back-references follow the chain of notes: "Ibid." means
//! the one work of the note just before, and the chain breaks (with a
//! finding) at a note that cites nothing, several works, or a work the
//! bibliography lacks.

pub mod backref;
pub mod index;
pub mod legal;
pub mod read;
pub mod resolve;
pub mod shape;
pub mod text;

mod found;
mod note;
use found::*;
use note::{NoteFound, read_note};

use std::collections::{HashMap, HashSet};

use backref::Points;
pub use backref::is_ibid;
pub use index::SourceIndex;
use read::{Reading, Shape};
use resolve::Resolution;

use crate::document::{Document, FootnoteKind};

/// A citation typed by hand in a footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandTyped {
    /// The entry it means; `None` when no single entry fits (see `problem`).
    pub key: Option<String>,
    /// The locator as written, spacing normalised (`pag.387` → `pag. 387`).
    pub locator: Option<String>,
    /// The text that cites, as typed.
    pub excerpt: String,
    /// Whether it was a back-reference ("Ibid.", "op. cit.").
    pub ibid: bool,
    /// Why no entry was named.
    pub problem: Option<Problem>,
    /// What was read: family names, title, year.
    pub read: Read,
}

/// What a hand-typed citation says of its work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    pub names: Vec<String>,
    pub title: Option<String>,
    pub year: Option<String>,
    /// The pages of the work itself (an article's or a chapter's range),
    /// when the note gives them besides the page cited (`512–38, at 520`).
    pub extent: Option<(u32, u32)>,
    /// Whether the entry was known by its title alone, the names read not
    /// being its people's.
    pub names_differ: bool,
    pub url: Option<String>,
}

/// Why a hand-typed citation names no entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No entry fits what was read.
    Unknown,
    /// Several entries fit equally well.
    Ambiguous(Vec<String>),
    /// A back-reference with nothing to refer to, and why.
    NoAntecedent(String),
    /// A back-reference to a work the bibliography lacks, in this footnote.
    UnknownAntecedent(String),
}

impl HandTyped {
    /// The structured citation to write instead, e.g. `@yang2007[pag. 387]`.
    pub fn suggestion(&self) -> Option<String> {
        let key = self.key.as_ref()?;
        Some(match &self.locator {
            Some(locator) => format!("@{key}[{locator}]"),
            None => format!("@{key}"),
        })
    }
}

/// What a footnote cites, as far as the chain of back-references needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    Known(String),
    /// A work the bibliography lacks, by the text that cites it.
    Unknown(String),
    /// A legal authority (a case, a statute), by the text that cites it.
    Legal(String),
}

/// One footnote's reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteReading {
    /// Index into [`Document::footnotes`].
    pub footnote: usize,
    /// Its hand-typed citations, in order.
    pub found: Vec<HandTyped>,
    /// Every work it cites, with `@` or by hand, in order, each once.
    pub works: Vec<Work>,
    /// The legal authorities it cites, each with its kind.
    pub legal: Vec<(String, legal::Authority)>,
    /// What the note turned out to be.
    pub outcome: Outcome,
    /// Why it looks like a citation, when it does (from its shape alone).
    pub signs: Vec<shape::Sign>,
}

/// What a footnote is, once read: every footnote ends in one of these,
/// and each is visible in the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It cites entries of the bibliography (with `@` or by hand).
    Cites,
    /// It cites only works the bibliography lacks.
    CitesUnknown,
    /// It cites legal authorities (cases, statutes), which legal writing
    /// does not list in the bibliography.
    Legal,
    /// It only points to a site (a tool's homepage): a link, checked as
    /// one, not a work.
    Link,
    /// It cites nothing: an explanation, a cross-reference.
    NoCitation,
    /// It looks like a citation, but ibid could not read it.
    Unread,
    /// The template marked it as missing its source.
    MissingSource,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Cites => "cites",
            Outcome::CitesUnknown => "cites-unknown",
            Outcome::Legal => "legal",
            Outcome::Link => "link",
            Outcome::NoCitation => "no-citation",
            Outcome::Unread => "unread",
            Outcome::MissingSource => "missing-source",
        }
    }
}

/// What the notes before a note have cited: each entry's last locator
/// (short forms and `loc. cit.` refer to them), and each note's works by its
/// number (`(n 4)`, `supra note 9`).
#[derive(Default)]
struct Cited {
    last_locator: HashMap<String, Option<String>>,
    by_note: HashMap<String, Vec<Work>>,
}

impl Cited {
    /// `loc. cit.`, `t.a.p.`: each work found without a locator takes the
    /// place of its last citation.
    fn same_place(&self, found: &mut [HandTyped]) {
        for found in found {
            if found.locator.is_none()
                && let Some(key) = &found.key
                && let Some(Some(locator)) = self.last_locator.get(key)
            {
                found.locator = Some(locator.clone());
            }
        }
    }
}

/// Reads every footnote of the document, following back-references from
/// note to note.
pub fn in_document(document: &Document, index: &SourceIndex) -> Vec<NoteReading> {
    let mut out: Vec<NoteReading> = Vec::new();
    let mut cited = Cited::default();
    for (i, note) in document.footnotes.iter().enumerate() {
        let antecedent = antecedent(document, &out, i);
        let read = if note.kind == FootnoteKind::MissingSource {
            NoteFound::default()
        } else {
            read_note(&note.prose, &note.italic, &antecedent, index, &cited)
        };
        let mut works: Vec<Work> = document
            .citations_of(note)
            .map(|c| Work::Known(c.key.clone()))
            .collect();
        for hand in &read.found {
            let work = match (&hand.key, &hand.problem) {
                (Some(key), _) => Some(Work::Known(key.clone())),
                (None, Some(Problem::Unknown)) => Some(Work::Unknown(hand.excerpt.clone())),
                (None, Some(Problem::UnknownAntecedent(excerpt))) => {
                    Some(Work::Unknown(excerpt.clone()))
                }
                _ => None,
            };
            if let Some(work) = work
                && !works.contains(&work)
            {
                works.push(work);
            }
        }
        for (excerpt, _) in &read.legal {
            let work = Work::Legal(excerpt.clone());
            if !works.contains(&work) {
                works.push(work);
            }
        }
        // A note that only points to a site (a tool's homepage) is a link,
        // unless its URL is an entry's: then it cites that entry by hand.
        let link = shape::only_a_link(&note.prose, &note.italic)
            && !works.iter().any(|w| matches!(w, Work::Known(_)));
        let read = if link {
            works.clear();
            NoteFound {
                found: Vec::new(),
                ..read
            }
        } else {
            read
        };
        for c in document.citations_of(note) {
            cited.last_locator.insert(c.key.clone(), c.locator.clone());
        }
        for hand in &read.found {
            if let Some(key) = &hand.key {
                cited.last_locator.insert(key.clone(), hand.locator.clone());
            }
        }
        cited.by_note.insert(note.number.clone(), works.clone());
        let signs = shape::citation_signs(&note.prose, &note.italic);
        let found = read.found;
        let outcome = if note.kind == FootnoteKind::MissingSource {
            Outcome::MissingSource
        } else if works.iter().any(|w| matches!(w, Work::Known(_)))
            || found
                .iter()
                .any(|h| matches!(h.problem, Some(Problem::Ambiguous(_))))
        {
            Outcome::Cites
        } else if works.iter().any(|w| matches!(w, Work::Unknown(_))) || !found.is_empty() {
            // A work the bibliography lacks, or a back-reference to nothing:
            // read, and reported.
            Outcome::CitesUnknown
        } else if !read.legal.is_empty() {
            Outcome::Legal
        } else if link {
            Outcome::Link
        } else if !signs.is_empty() {
            Outcome::Unread
        } else {
            Outcome::NoCitation
        };
        out.push(NoteReading {
            footnote: i,
            found,
            works,
            legal: read.legal,
            outcome,
            signs,
        });
    }
    out
}

/// What "Ibid." in footnote `i` can refer to: the works of the note just
/// before, whatever it is (a note without a source, or citing nothing,
/// breaks the chain). The one decision that both the matcher and
/// `ambiguous-ibid` read.
pub fn antecedent(document: &Document, readings: &[NoteReading], i: usize) -> Antecedent {
    let previous = i
        .checked_sub(1)
        .and_then(|p| Some((readings.get(p)?, document.footnotes.get(p)?)));
    match previous {
        None => Antecedent::Nothing("no footnote comes before it".into()),
        Some((_, prev)) if prev.kind == FootnoteKind::MissingSource => {
            Antecedent::Nothing(format!("footnote {} before it has no source", prev.number))
        }
        Some((reading, prev)) if reading.works.is_empty() => Antecedent::Nothing(format!(
            "footnote {} before it cites no source",
            prev.number
        )),
        Some((reading, prev)) => Antecedent::Works(prev.number.clone(), reading.works.clone()),
    }
}

/// What a back-reference in a note can refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Antecedent {
    /// The works of the note before (by its number).
    Works(String, Vec<Work>),
    /// Nothing, and why.
    Nothing(String),
}

/// The hand-typed citations in one note's prose, given the works of the
/// note before it (for tests and the fuzzer; the audit reads whole
/// documents with [`in_document`]).
pub fn match_prose(prose: &str, previous: &[String], index: &SourceIndex) -> Vec<HandTyped> {
    let antecedent = if previous.is_empty() {
        Antecedent::Nothing("no footnote comes before it".into())
    } else {
        Antecedent::Works(
            "0".into(),
            previous.iter().map(|k| Work::Known(k.clone())).collect(),
        )
    };
    read_note(prose, &[], &antecedent, index, &Cited::default()).found
}

#[cfg(test)]
mod tests;
