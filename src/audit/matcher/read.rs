//! Reading a footnote's prose for citations, without the bibliography: the
//! note is split into references (at `;`, and where "See also", "Cf." or a
//! back-reference starts a new one), and each is read as a full or short
//! note, an author–date reference, a back-reference, a Chinese note or a
//! pasted URL: who (family names), what (a title: italic, quoted, in 《》,
//! or where the form puts it), when (a year), where it was published, and
//! where in it (a locator, labelled or bare).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::backref::{self, Points, Term};
use super::text::{NOT_NAMES, fold, is_hanzi};
use crate::links::collect::urls_in;
use crate::locator;

mod forms;
mod latin;
mod locate;
mod names;
mod pages;
mod segment;

use forms::*;
use latin::*;
use locate::*;
use names::*;
pub use pages::volume_in;
use pages::*;
use segment::*;

/// How a reference showed itself to be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// Only a name and a number (`Teiwes 42`): a citation if the name is
    /// an author of the bibliography.
    Weak,
    /// Names and a title where the note form puts it, with a place, year or
    /// locator (`Teiwes, China's Road to Disaster, 86–88.`).
    Inferred,
    /// Names and a year (`Teiwes 1999: 40`).
    AuthorDate,
    /// A title set apart (italic, quoted, 《》), a back-reference, a URL, a
    /// GB/T type mark.
    Strong,
}

/// One reference, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Where the reference is in the prose (prefixes such as "See" left out).
    pub range: Range<usize>,
    pub shape: Shape,
    pub back: Option<&'static Term>,
    /// Family names (or names as written, for Chinese), one per person.
    pub names: Vec<String>,
    /// Each person's name in full, as written (`J. Le Goff`, `Yang
    /// Jisheng`), for family names of several words or written first.
    pub people: Vec<String>,
    pub title: Option<String>,
    /// The year, with its letter if it has one (`1999a`).
    pub year: Option<String>,
    /// The locator as written, spacing normalised.
    pub locator: Option<String>,
    pub url: Option<String>,
    /// The note a back-reference names by its number (`(n 4)`, `supra note
    /// 9`, `above n 19`, `(Fn. 3)`, `前掲注(3)`).
    pub note_ref: Option<String>,
    /// Whether the names were joined by a slash, as legal writing joins a
    /// commentary or series and the author of the part cited
    /// (`MüKoBGB/Wagner`, `Asser/Sieburgh`): not every name is a person.
    pub slashed: bool,
}

impl Reading {
    /// Takes the locator found, and ends the reference with it: what
    /// follows a locator is the author's commentary.
    fn locate(&mut self, found: Option<(Range<usize>, String)>) {
        if let Some((range, locator)) = found {
            if range.end > self.range.start && range.end <= self.range.end {
                self.range.end = range.end;
            }
            self.locator = Some(locator);
        }
    }

    fn new(range: Range<usize>, shape: Shape) -> Self {
        Self {
            range,
            shape,
            back: None,
            names: Vec::new(),
            people: Vec::new(),
            title: None,
            year: None,
            locator: None,
            url: None,
            note_ref: None,
            slashed: false,
        }
    }
}

/// `2018/45`: a year and a marginal number, as the Asser series is cited.
static YEAR_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+[0-9IVX\-]+\s((?:19|20)\d\d)/(\d+)\b").expect("valid regex"));

/// An edition: `8. Aufl.`, `2nd edn`, `3rd ed.`, `wyd. 2`, `4. utg.`.
static EDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\d+\.?\s?(?:Aufl\.|Auflage|ed\.|edn|éd\.|utg\.|uppl\.|vyd\.|wyd\.|kiad\.|baskı|bs\.)|(?:wyd|vyd|изд)\.\s?\d|\d(?:st|nd|rd|th)\s(?:ed\.|edn))")
        .expect("valid regex")
});

/// A person as ABNT writes one: `NEVES, Lúcia`.
static ABNT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\p{Lu}{2,}[\p{Lu}\s\-]*,\s\p{Lu}").expect("valid regex"));

/// A year in parentheses right after a locator: `S. 1 (1989)`.
static YEAR_IN_PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\((?:1[4-9]\d\d|20\d\d)\)").expect("valid regex"));

/// A year right at the start (after separators): `, 1936, p. 40`.
static LEADING_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s,.:]*((?:1[4-9]\d\d|20\d\d)[a-z]?)(?:$|[^0-9A-Za-z])").expect("valid regex")
});

/// A year from 1400 to 2099, with a letter for a second work of the same
/// year (`1999a`); not inside a longer number or word (`2008年` is a year).
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9A-Za-z])(1[4-9]\d\d|20\d\d)([a-z])?(?:$|[^0-9A-Za-z])")
        .expect("valid regex")
});
static GBT_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[(?:M|J|C|D|N|R|S|P|G|Z|A|EB/OL|M/OL|J/OL|DB/OL)\]").expect("valid regex")
});

/// Every reference in a note's prose, in order. `italic` are the byte
/// ranges of the prose set in italic.
pub fn references(prose: &str, italic: &[Range<usize>]) -> Vec<Reading> {
    references_and_authorities(prose, italic).0
}

/// A legal authority cited in a note: where, and what kind.
pub type Authority = (Range<usize>, super::legal::Authority);

/// Every reference in a note's prose, and apart from them the legal
/// authorities it cites (cases, statutes), which are no works of the
/// bibliography.
pub fn references_and_authorities(
    prose: &str,
    italic: &[Range<usize>],
) -> (Vec<Reading>, Vec<Authority>) {
    let mut out: Vec<Reading> = Vec::new();
    let mut authorities = Vec::new();
    for segment in segments(prose) {
        let text = &prose[segment.clone()];
        let unprefixed = &text[prefix_len(text)..];
        if let Some(kind) = super::legal::authority(unprefixed) {
            authorities.push((segment, kind));
            continue;
        }
        // `…, pp.289-290; pp.115-121`: a second locator for the same work.
        let text = prose[segment.clone()].trim_end_matches('.');
        if let Some(last) = out.last_mut()
            && locator::labels::at_start(text).is_some_and(|(l, _)| l.kind.is_page())
            && locator::parse(text).is_ok()
        {
            let more = normalise(text);
            last.locator = Some(match last.locator.take() {
                Some(first) => format!("{first}; {more}"),
                None => more,
            });
            last.range.end = segment.start + text.len();
            continue;
        }
        out.extend(read(prose, segment, italic));
    }
    (out, authorities)
}

/// Reads one segment: a URL in the middle of it ends the reference before
/// it (`MacFARQUHAR, …, pp.29-30 and http://…`).
fn read(prose: &str, segment: Range<usize>, italic: &[Range<usize>]) -> Vec<Reading> {
    let text = &prose[segment.clone()];
    if let Some((at, url)) = urls_in(text).next() {
        let before = text[..at].trim_end();
        let joined = before.ends_with(" and") || before.ends_with(" e") || before.ends_with(" und");
        let before = before
            .strip_suffix("and")
            .or_else(|| before.strip_suffix("und"))
            .or_else(|| before.strip_suffix(" e"))
            .unwrap_or(before)
            .trim_end()
            .trim_end_matches([',', ':', ';', '.']);
        if before.trim().chars().count() > 3 {
            let first = segment.start..segment.start + before.len();
            let mut out: Vec<Reading> = read_one(prose, first, italic).into_iter().collect();
            match out.last_mut() {
                // `Brown, "Great Leap City," …: 412, https://doi.org/…`: the
                // URL is where the same work is found.
                Some(reading) if !joined => reading.url = Some(url.to_string()),
                _ => out.extend(read_one(prose, segment.start + at..segment.end, italic)),
            }
            return out;
        }
    }
    if let Some(reading) = read_one(prose, segment.clone(), italic) {
        let mut out = vec![reading];
        // `Grady et al. (2019) and Fuller (2020)`: more author–date
        // references after the first.
        while let Some(last) = out.last().filter(|r| r.shape == Shape::AuthorDate) {
            let rest = last.range.end..segment.end;
            let text = &prose[rest.clone()];
            let skip = text.len()
                - text
                    .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ')' | '.'))
                    .trim_start_matches("and ")
                    .trim_start_matches("& ")
                    .trim_start_matches("und ")
                    .len();
            let next = read_one(prose, rest.start + skip..rest.end, italic)
                .filter(|r| r.shape == Shape::AuthorDate && r.range.start > last.range.start);
            match next {
                Some(next) => out.push(next),
                None => break,
            }
        }
        // What follows a reference's locator is the author's commentary,
        // which may name another work (`Foner, Reconstruction, 602, is less
        // sanguine than Tocqueville, Democracy in America, 490`).
        if let Some(last) = out.last() {
            let rest = last.range.end..segment.end;
            out.extend(in_commentary(prose, rest, italic));
        }
        return out;
    }
    // `For a different view, see Said, Orientalism, p. 12`: a reference
    // introduced inside the sentence.
    let text = &prose[segment.clone()];
    let cue = [
        " see ",
        " cf. ",
        " cf ",
        " vgl. ",
        " voir ",
        " véase ",
        " cfr. ",
        " siehe ",
        " in ",
        " compare ",
        " than ",
        " anders ",
        " dagegen ",
        " contra ",
        " zie ",
        " zob. ",
        " por. ",
        " srov. ",
        " lásd ",
        " bkz. ",
        " se ",
        " jfr ",
        " jf. ",
        " см. ",
        " ср. ",
        " ver ",
    ]
    .iter()
    .filter_map(|cue| rfind_ignoring_case(text, cue).map(|at| at + cue.len()))
    .max();
    let introduced: Vec<Reading> = match cue {
        // A name and a page (`see Achebe 790`) too: resolved only against
        // the bibliography's authors.
        Some(at) => read_one(prose, segment.start + at..segment.end, italic)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    if !introduced.is_empty() {
        return introduced;
    }
    author_date_within(prose, segment, italic)
}

/// The references in the commentary after a reference: a name before a
/// title set apart (`than Tocqueville, _Democracy in America_, 490`, `with
/// whom Hill, _Intellectual Origins_, p. 40, disagrees`), or an author–date
/// reference (`disagrees with Baumeister and Leary (1995, p. 510)`).
fn in_commentary(prose: &str, rest: Range<usize>, italic: &[Range<usize>]) -> Vec<Reading> {
    let text = &prose[rest.clone()];
    // Where a capitalised word starts, after a space: a name may start there.
    let starts = text
        .char_indices()
        .filter(|&(i, c)| c.is_uppercase() && (i == 0 || text[..i].ends_with([' ', '('])))
        .map(|(i, _)| rest.start + i)
        .take(12);
    for start in starts {
        if let Some(reading) = read_one(prose, start..rest.end, italic)
            .filter(|r| r.shape >= Shape::AuthorDate && r.locator.is_some())
        {
            let end = reading.range.end;
            let mut out = vec![reading];
            out.extend(in_commentary(prose, end..rest.end, italic));
            return out;
        }
    }
    author_date_within(prose, rest, italic)
}

/// `As Teiwes (1999, p. 40) notes, …`: an author–date reference inside a
/// sentence. Taken only when the name is an author of the bibliography
/// (read as `Weak`): "In Sichuan 1960 was the worst year" is no citation.
fn author_date_within(prose: &str, segment: Range<usize>, italic: &[Range<usize>]) -> Vec<Reading> {
    static WITHIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[\s(])(\p{Lu}[\p{L}'’\-]+(?:\s\p{Lu}[\p{L}'’\-]+){0,3}(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'’\-]+|\s+et al\.)?)(?:,\s*|\s+|\s*\(\s*)(?:1[4-9]\d\d|20\d\d)[a-z]?(?:$|[^0-9A-Za-z])",
        )
        .expect("valid regex")
    });
    let text = &prose[segment.clone()];
    let mut out = Vec::new();
    for caps in WITHIN.captures_iter(text) {
        let name = caps.get(1).expect("group");
        // `The Open Science Collaboration (2015)`: an institution, without
        // its article.
        let (skip, name_text) = match name.as_str().split_once(' ') {
            Some((first, rest)) if NOT_NAMES.contains(&fold(first).as_str()) => {
                (first.len() + 1, rest)
            }
            _ => (0, name.as_str()),
        };
        if NOT_NAMES.contains(&fold(name_text).as_str()) {
            continue;
        }
        let start = segment.start + name.start() + skip;
        if let Some(mut reading) =
            read_one(prose, start..segment.end, italic).filter(|r| r.shape == Shape::AuthorDate)
        {
            reading.shape = Shape::Weak;
            out.push(reading);
        }
    }
    out
}

#[cfg(test)]
mod tests;
