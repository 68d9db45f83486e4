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
pub mod read;
pub mod resolve;
pub mod text;

use std::collections::HashSet;

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
}

/// Reads every footnote of the document, following back-references from
/// note to note.
pub fn in_document(document: &Document, index: &SourceIndex) -> Vec<NoteReading> {
    let mut out: Vec<NoteReading> = Vec::new();
    let mut cited: HashSet<String> = HashSet::new();
    for (i, note) in document.footnotes.iter().enumerate() {
        let previous = out.last().map(|r| (r, &document.footnotes[r.footnote]));
        let antecedent = match previous {
            None => Antecedent::Nothing("no footnote comes before it".into()),
            Some((_, prev)) if prev.kind == FootnoteKind::MissingSource => {
                Antecedent::Nothing(format!("footnote {} before it has no source", prev.number))
            }
            Some((reading, prev)) if reading.works.is_empty() => Antecedent::Nothing(format!(
                "footnote {} before it cites no source",
                prev.number
            )),
            Some((reading, prev)) => Antecedent::Works(prev.number.clone(), reading.works.clone()),
        };
        let found = if note.kind == FootnoteKind::MissingSource {
            Vec::new()
        } else {
            read_note(&note.prose, &note.italic, &antecedent, index, &cited)
        };
        let mut works: Vec<Work> = document
            .citations_of(note)
            .map(|c| Work::Known(c.key.clone()))
            .collect();
        for hand in &found {
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
        cited.extend(works.iter().filter_map(|w| match w {
            Work::Known(key) => Some(key.clone()),
            Work::Unknown(_) => None,
        }));
        out.push(NoteReading {
            footnote: i,
            found,
            works,
        });
    }
    out
}

/// What a back-reference in a note can refer to.
#[derive(Debug, Clone)]
enum Antecedent {
    /// The works of the note before (by its number).
    Works(String, Vec<Work>),
    /// Nothing, and why.
    Nothing(String),
}

/// The hand-typed citations of one note's prose.
fn read_note(
    prose: &str,
    italic: &[std::ops::Range<usize>],
    antecedent: &Antecedent,
    index: &SourceIndex,
    cited: &HashSet<String>,
) -> Vec<HandTyped> {
    let mut found: Vec<HandTyped> = Vec::new();
    for reading in read::references(prose, italic) {
        let excerpt = excerpt(&prose[reading.range.clone()]);
        let hand = |key: Option<String>, problem: Option<Problem>| HandTyped {
            key,
            locator: reading.locator.clone(),
            excerpt: excerpt.clone(),
            ibid: reading.back.is_some(),
            problem,
            read: Read {
                names: reading.names.clone(),
                title: reading.title.clone(),
                year: reading.year.clone(),
                url: reading.url.clone(),
            },
        };
        let by_url = |url: &str| {
            let normal = index::normalise_url(url);
            index
                .entries
                .iter()
                .find(|e| e.urls.contains(&normal))
                .map(|e| e.key.clone())
        };
        // A URL alone: the entry that has it.
        if let Some(url) = &reading.url
            && reading.names.is_empty()
            && reading.title.is_none()
        {
            let key = by_url(url);
            let problem = key.is_none().then_some(Problem::Unknown);
            found.push(hand(key, problem));
            continue;
        }
        match reading.back.map(|t| t.points) {
            Some(Points::Previous) => found.extend(back(&reading, antecedent, &hand)),
            Some(Points::PreviousAuthor) if reading.title.is_none() => {
                found.extend(back(&reading, antecedent, &hand))
            }
            Some(Points::Named) if reading.names.is_empty() => {
                found.extend(back(&reading, antecedent, &hand))
            }
            _ => {
                let mut reading = reading.clone();
                // `Id., La Distinction`: the author of the note before.
                if reading
                    .back
                    .is_some_and(|t| t.points == Points::PreviousAuthor)
                    && let Antecedent::Works(_, works) = antecedent
                {
                    reading.names = authors_of(works, index);
                }
                let resolution = match resolve::resolve(&reading, index, cited) {
                    // Read in an order the reader did not expect: look for an
                    // entry's author and title anywhere in the reference, or
                    // for its URL.
                    Resolution::Unknown if reading.shape != Shape::Weak => {
                        match resolve::anchored(&prose[reading.range.clone()], &reading, index) {
                            Resolution::Unknown => match reading.url.as_deref().and_then(by_url) {
                                Some(key) => Resolution::Key(key),
                                None => Resolution::Unknown,
                            },
                            other => other,
                        }
                    }
                    other => other,
                };
                match resolution {
                    Resolution::Key(key) => found.push(hand(Some(key), None)),
                    Resolution::Ambiguous(keys) => {
                        found.push(hand(None, Some(Problem::Ambiguous(keys))))
                    }
                    // A name and a number that fit no entry: not a citation.
                    Resolution::Unknown if reading.shape == Shape::Weak => {}
                    Resolution::Unknown => found.push(hand(None, Some(Problem::Unknown))),
                }
            }
        }
    }
    found
}

/// A reference as it is quoted in a finding: as typed, without the full
/// stop that ends the note (but with the period of `Ibid.` or `ff.`).
fn excerpt(text: &str) -> String {
    let text = text.trim();
    let stop = text.strip_suffix('.').filter(|rest| {
        rest.ends_with(|c: char| c.is_numeric() || matches!(c, '”' | ')' | ']' | '"' | '»'))
    });
    stop.unwrap_or(text).to_string()
}

/// A back-reference to the note before: its work, or why there is none.
/// After a note that cites several works, each is named (the author meant
/// them all, or `ambiguous-ibid` says which is meant), without a locator.
fn back(
    reading: &Reading,
    antecedent: &Antecedent,
    hand: &dyn Fn(Option<String>, Option<Problem>) -> HandTyped,
) -> Vec<HandTyped> {
    let (number, works) = match antecedent {
        Antecedent::Nothing(why) => {
            return vec![hand(None, Some(Problem::NoAntecedent(why.clone())))];
        }
        Antecedent::Works(number, works) => (number, works),
    };
    let single = works.len() == 1;
    works
        .iter()
        .map(|work| {
            let mut found = match work {
                Work::Known(key) => hand(Some(key.clone()), None),
                Work::Unknown(excerpt) => hand(
                    None,
                    Some(Problem::UnknownAntecedent(format!(
                        "footnote {number}: “{excerpt}”"
                    ))),
                ),
            };
            found.ibid = reading.back.is_some();
            if !single {
                found.locator = None;
            }
            found
        })
        .collect()
}

/// The family names of the people of these works.
fn authors_of(works: &[Work], index: &SourceIndex) -> Vec<String> {
    works
        .iter()
        .filter_map(|w| match w {
            Work::Known(key) => index.entries.iter().find(|e| &e.key == key),
            Work::Unknown(_) => None,
        })
        .flat_map(|e| e.families.iter().filter_map(|f| f.first().cloned()))
        .collect()
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
    read_note(prose, &[], &antecedent, index, &HashSet::new())
}

#[cfg(test)]
mod tests;
