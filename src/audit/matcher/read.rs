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
        }
    }
}

/// Words that introduce a reference, longest first; each is left out of
/// the reference it introduces.
const PREFIXES: &[&str] = &[
    "see also",
    "see, e.g.,",
    "see e.g.",
    "see",
    "cf. also",
    "cf.",
    "compare",
    "also",
    "e.g.,",
    "for example,",
    "quoted in",
    "cited in",
    "vgl. auch",
    "vgl. dazu",
    "vgl.",
    "siehe auch",
    "siehe",
    "dazu",
    "zit. nach",
    "voir aussi",
    "voir",
    "cfr. anche",
    "cfr.",
    "cf. anche",
    "v. anche",
    "si veda anche",
    "si veda",
    "véase también",
    "véase",
    "vease",
    "ver también",
    "ver",
    "参见",
    "参看",
    "见",
];

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
    let mut out: Vec<Reading> = Vec::new();
    for segment in segments(prose) {
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
    out
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
        return out;
    }
    // `For a different view, see Said, Orientalism, p. 12`: a reference
    // introduced inside the sentence.
    let text = &prose[segment.clone()];
    let cue = [
        " see ", " cf. ", " vgl. ", " voir ", " véase ", " cfr. ", " siehe ", " in ",
    ]
    .iter()
    .filter_map(|cue| rfind_ignoring_case(text, cue).map(|at| at + cue.len()))
    .max();
    let introduced: Vec<Reading> = match cue {
        Some(at) => read_one(prose, segment.start + at..segment.end, italic)
            .into_iter()
            .filter(|r| r.shape >= Shape::AuthorDate)
            .collect(),
        None => Vec::new(),
    };
    if !introduced.is_empty() {
        return introduced;
    }
    author_date_within(prose, segment, italic)
}

/// `As Teiwes (1999, p. 40) notes, …`: an author–date reference inside a
/// sentence. Taken only when the name is an author of the bibliography
/// (read as `Weak`): "In Sichuan 1960 was the worst year" is no citation.
fn author_date_within(prose: &str, segment: Range<usize>, italic: &[Range<usize>]) -> Vec<Reading> {
    static WITHIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[\s(])(\p{Lu}[\p{L}'’\-]+(?:\s+(?:and|&)\s+\p{Lu}[\p{L}'’\-]+|\s+et al\.)?)(?:,\s*|\s+|\s*\(\s*)(?:1[4-9]\d\d|20\d\d)[a-z]?(?:$|[^0-9A-Za-z])",
        )
        .expect("valid regex")
    });
    let text = &prose[segment.clone()];
    let mut out = Vec::new();
    for caps in WITHIN.captures_iter(text) {
        let name = caps.get(1).expect("group");
        if NOT_NAMES.contains(&fold(name.as_str()).as_str()) {
            continue;
        }
        let start = segment.start + name.start();
        if let Some(mut reading) =
            read_one(prose, start..segment.end, italic).filter(|r| r.shape == Shape::AuthorDate)
        {
            reading.shape = Shape::Weak;
            out.push(reading);
        }
    }
    out
}

/// Splits a note into the stretches that may each hold one reference: at
/// `;` outside brackets and quotes, and at a sentence end followed by a
/// prefix, a back-reference or a URL.
pub fn segments(prose: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut start = 0;
    let chars: Vec<(usize, char)> = prose.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' | '《' | '（' => depth += 1,
            ')' | ']' | '》' | '）' => depth = (depth - 1).max(0),
            '“' | '«' | '„' => quote = true,
            '”' | '»' => quote = false,
            '"' => quote = !quote,
            _ => {}
        }
        let cut = match c {
            ';' | '；' if depth == 0 && !quote => Some(i + c.len_utf8()),
            '.' | '。' if depth == 0 && !quote => {
                let rest = prose[i + c.len_utf8()..].trim_start();
                let next_starts = rest.len() < prose.len() - i - c.len_utf8() || c == '。';
                let opens = next_starts
                    && (prefix_len(rest) > 0
                        || backref::at_start(rest).is_some_and(|(t, _)| t.points != Points::Named)
                        || rest.starts_with("http"));
                // Not after an initial or an abbreviation ("C.", "cit.").
                let word_before = prose[..i]
                    .rsplit(|ch: char| !ch.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                let abbreviation = word_before.chars().count() <= 1
                    || backref::TERMS.iter().any(|t| {
                        t.text
                            .trim_end_matches('.')
                            .eq_ignore_ascii_case(word_before)
                    });
                (opens && !abbreviation).then_some(i + c.len_utf8())
            }
            _ => None,
        };
        if let Some(end) = cut {
            out.push(start..end);
            start = end;
        }
        let _ = n;
    }
    out.push(start..prose.len());
    out.into_iter()
        .map(|r| trim(prose, r))
        .filter(|r| !r.is_empty())
        .collect()
}

/// Invisible formatting characters (direction marks, zero-width spaces),
/// which never start a word.
pub fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `range` without surrounding spaces (and invisible marks) and the
/// separators that end it.
fn trim(prose: &str, range: Range<usize>) -> Range<usize> {
    let text = &prose[range.clone()];
    let lead = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || is_format(c))
            .len();
    let trimmed = text.trim_end().trim_end_matches([';', '；']).trim_end();
    range.start + lead..range.start + trimmed.len().max(lead)
}

/// Words that may follow a prefix before the reference it introduces
/// ("See, for example, …", "Vgl. hierzu …", "Cf. à ce sujet …").
const FILLERS: &[&str] = &[
    "for example,",
    "for example",
    "e.g.,",
    "e.g.",
    "generally",
    "especially",
    "in particular",
    "the discussion in",
    "the discussion by",
    "the account in",
    "on this",
    "on this point",
    "hierzu",
    "dazu",
    "etwa",
    "insbesondere",
    "ausführlich",
    "auch",
    "z. b.",
    "z.b.",
    "à ce sujet",
    "sur ce point",
    "notamment",
    "par exemple,",
    "par exemple",
    "in proposito",
    "al riguardo",
    "ad esempio,",
    "ad esempio",
    "por ejemplo,",
    "por ejemplo",
    "al respecto",
    "también",
];

/// The length of the prefixes ("See also", "Cf.") at the start of `text`,
/// with the fillers after them ("for example").
fn prefix_len(text: &str) -> usize {
    let len = prefixes_only(text);
    if len == 0 {
        return 0;
    }
    let mut len = len;
    loop {
        let rest = &text[len..];
        let rest_trim = rest.trim_start_matches([',', ':', '：', ' ']);
        let skipped = rest.len() - rest_trim.len();
        let found = FILLERS.iter().find(|f| {
            rest_trim
                .get(..f.len())
                .is_some_and(|s| s.to_lowercase() == **f)
                && !rest_trim[f.len()..].starts_with(char::is_alphanumeric)
        });
        match found {
            Some(f) => len += skipped + f.len(),
            None => return len + skipped,
        }
    }
}

/// The length of the prefixes alone.
fn prefixes_only(text: &str) -> usize {
    let mut len = 0;
    loop {
        let rest = &text[len..];
        // A prefix in Latin script ends a word; 见 and 参见 need no space.
        let found = PREFIXES.iter().find(|p| {
            rest.get(..p.len()).is_some_and(|s| s.to_lowercase() == **p)
                && (!p.ends_with(|c: char| c.is_ascii_alphabetic())
                    || !rest[p.len()..].starts_with(char::is_alphanumeric))
        });
        match found {
            Some(p) => {
                let after = &rest[p.len()..];
                len += p.len() + (after.len() - after.trim_start().len());
            }
            None => return len,
        }
    }
}

/// Where `needle` (lower case) last occurs in `text`, compared without
/// case, as a byte offset of `text` itself (lowering the whole text would
/// move the offsets: `İ` lowers to two characters).
fn rfind_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    text.char_indices().rev().map(|(i, _)| i).find(|&i| {
        let mut chars = text[i..].chars();
        needle.chars().all(|n| {
            chars
                .next()
                .is_some_and(|c| c.to_lowercase().eq(n.to_lowercase()))
        })
    })
}

/// Where `needle` (lower case) first occurs in `text`, compared without
/// case; a byte offset of `text`.
fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    text.char_indices().map(|(i, _)| i).find(|&i| {
        let mut chars = text[i..].chars();
        needle.chars().all(|n| {
            chars
                .next()
                .is_some_and(|c| c.to_lowercase().eq(n.to_lowercase()))
        })
    })
}

/// Reads one reference.
fn read_one(prose: &str, segment: Range<usize>, italic: &[Range<usize>]) -> Option<Reading> {
    let text = &prose[segment.clone()];
    let skip = prefix_len(text);
    let mut start = segment.start + skip;
    // `(Teiwes 1999, 40)`: a reference in parentheses.
    let mut end = segment.end;
    let inner = &prose[start..end];
    if inner.starts_with('(') && inner.trim_end_matches('.').ends_with(')') {
        start += 1;
        end = start + inner[1..].trim_end_matches('.').trim_end_matches(')').len();
    }
    let body = start..end;
    if body.is_empty() {
        return None;
    }
    if let Some(reading) = url(prose, body.clone()) {
        return Some(reading);
    }
    if let Some(reading) = back_reference(prose, body.clone(), italic) {
        return Some(reading);
    }
    if prose[body.clone()].chars().any(is_hanzi)
        && let Some(reading) = chinese(prose, body.clone())
    {
        return Some(reading);
    }
    if let Some(reading) = gbt(prose, body.clone()) {
        return Some(reading);
    }
    latin(prose, body, italic)
}

/// A URL pasted into the note: the URL is the reference; a locator written
/// with it is kept.
fn url(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let (at, url) = urls_in(text).next()?;
    let start = body.start + at;
    let after = start + url.len();
    let locator = labelled_locator(prose, after..body.end);
    // The URL, and what locates in it when it is written with it.
    let end = locator.as_ref().map_or(after, |(range, _)| range.end);
    let mut reading = Reading::new(start..end, Shape::Strong);
    reading.url = Some(url.to_string());
    reading.locator = locator.map(|(_, l)| l);
    Some(reading)
}

/// `Ibid., 90.`, `Ebd., S. 12`, `同上，第90页`, `Id. at 45`, and `Teiwes,
/// op. cit., 45`, `Weber, a.a.O., S. 20`.
fn back_reference(prose: &str, body: Range<usize>, italic: &[Range<usize>]) -> Option<Reading> {
    let text = &prose[body.clone()];
    if let Some((term, len)) = backref::at_start(text) {
        let mut reading = Reading::new(body.clone(), Shape::Strong);
        reading.back = Some(term);
        let rest = body.start + len..body.end;
        // `Id., La Distinction, p. 5`: the same author, another title.
        if term.points == Points::PreviousAuthor
            && let Some((title, after)) = title_after(prose, rest.clone(), italic)
        {
            reading.title = Some(title);
            reading.locate(locator_in(prose, after..body.end));
            return Some(reading);
        }
        reading.locate(locator_in(prose, rest));
        return Some(reading);
    }
    // A named back-reference after the author: `Teiwes, op. cit., 45`,
    // or to the note that cited the work: `Looschelders (Fn. 3), § 23`.
    static TO_NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\((?:Fn\.|Anm\.|n\.?|note|supra note)\s*\d+\)|,?\s*supra(?: note \d+)?")
            .expect("valid regex")
    });
    let named = backref::find_all(text)
        .into_iter()
        .find(|(t, _)| t.points == Points::Named)
        .or_else(|| {
            let m = TO_NOTE.find(text)?;
            let term = backref::TERMS.iter().find(|t| t.text == "op. cit.")?;
            Some((term, m.range()))
        });
    let (term, at) = named?;
    let names = names_at(&text[..at.start], &title_starts(italic, body.start))?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.back = Some(term);
    reading.names = names.families;
    reading.people = names.people;
    // A title between the names and the term (`SAMARANI, “La Cina…”, cit.`).
    let between = body.start + names.len..body.start + at.start;
    if let Some((title, _)) = title_after(prose, between, italic) {
        reading.title = Some(title);
    }
    reading.locate(locator_in(prose, body.start + at.end..body.end));
    Some(reading)
}

/// Chinese notes: `杨继绳：《墓碑》，香港：天地图书，2008年，第88页。`, and
/// a hanzi title in 《》 anywhere.
fn chinese(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let open = text.find('《')?;
    let close = open + text[open..].find('》')?;
    let title = text[open + '《'.len_utf8()..close].trim();
    let before = text[..open]
        .trim_end()
        .trim_end_matches(['：', ':', '，', ','])
        .trim();
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.title = Some(title.to_string());
    if !before.is_empty() && before.chars().count() <= 30 {
        // Several authors: 杨继绳、谢春涛.
        reading.names = before
            .split(['、', '，', ',', '和', '与'])
            .map(|n| {
                n.trim()
                    .trim_end_matches(['等', '编', '主', '著'])
                    .trim()
                    .to_string()
            })
            .filter(|n| !n.is_empty())
            .collect();
    }
    let rest = body.start + close + '》'.len_utf8()..body.end;
    reading.year = year_in(&prose[rest.clone()]);
    reading.locate(locator_in(prose, rest));
    Some(reading)
}

/// GB/T 7714: `杨继绳. 墓碑: 中国六十年代大饥荒纪实[M]. 香港: 天地图书,
/// 2008: 88.` and `TEIWES F C. China's road to disaster[M]. …: 85.`
fn gbt(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let mark = GBT_MARK.find(text)?;
    let head = &text[..mark.start()];
    let dot = head.find(". ").or_else(|| head.find('.'))?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    let names = &head[..dot];
    reading.names = names
        .split([',', '，', '、'])
        .map(|n| {
            // `TEIWES F C`: the family name comes first.
            let n = n.trim();
            if n.chars().any(is_hanzi) {
                n.to_string()
            } else {
                n.split_whitespace().next().unwrap_or("").to_string()
            }
        })
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("et al"))
        .collect();
    reading.title = Some(head[dot + 1..].trim().to_string());
    let rest = &text[mark.end()..];
    reading.year = year_in(rest);
    // The pages follow the year after a colon: `2008: 88.`
    if let Some(year) = YEAR.captures(rest).and_then(|c| c.get(2).or(c.get(1)))
        && let Some(colon) = rest[year.end()..].find([':', '：'])
    {
        let colon_len = rest[year.end() + colon..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        let from = body.start + mark.end() + year.end() + colon + colon_len;
        reading.locate(bare_locator(prose, from..body.end));
    }
    Some(reading)
}

/// Notes in Latin script: full and short notes, author–date references.
fn latin(prose: &str, body: Range<usize>, italic: &[Range<usize>]) -> Option<Reading> {
    let text = &prose[body.clone()];
    // A reference that starts with a locator is a cross-reference
    // ("chapter 2", "p. 45 above"), not a work; an initial that looks like
    // a label (`P. Bourdieu`, `N. Bobbio`) is no locator.
    let first = text
        .split([',', ';'])
        .next()
        .unwrap_or(text)
        .trim_end_matches('.');
    if locator::labels::at_start(text).is_some()
        && locator::parse(first).is_ok_and(|l| numbered(&l))
    {
        return None;
    }
    // A title that opens the note, without an author (`_China's Road_, 85`).
    if let Some((title, after)) = set_apart_title(prose, body.start, italic) {
        let mut reading = Reading::new(body.clone(), Shape::Strong);
        reading.title = Some(title);
        reading.year = year_in(&prose[after..body.end]);
        reading.locate(locator_in(prose, after..body.end));
        return (reading.year.is_some() || reading.locator.is_some()).then_some(reading);
    }
    let Some(names) = names_at(text, &title_starts(italic, body.start)) else {
        return unusual_names(prose, body, italic);
    };
    let mut reading = Reading::new(body.clone(), Shape::Inferred);
    reading.names = names.families.clone();
    reading.people = names.people.clone();
    let after_names = body.start + names.len;
    let rest = &prose[after_names..body.end];

    // Author–date: `Teiwes 1999`, `Teiwes (1999)`, `Teiwes, 1999`.
    static AUTHOR_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:,\s*|\s+|\s*\(\s*)(1[4-9]\d\d|20\d\d)([a-z])?\)?(?:$|[,:;.\s])")
            .expect("valid regex")
    });
    if let Some(caps) = AUTHOR_DATE.captures(rest) {
        reading.shape = Shape::AuthorDate;
        reading.year = Some(format!(
            "{}{}",
            &caps[1],
            caps.get(2).map_or("", |m| m.as_str())
        ));
        let after_year = (after_names + caps.get(0).expect("match").end()).min(body.end);
        // Without a locator, the reference ends with its year.
        reading.range.end = after_year;
        let found = locator_in(prose, after_year..body.end);
        if let Some((range, _)) = &found {
            reading.range.end = range.end;
        }
        reading.locate(found);
        return Some(reading);
    }
    // `Teiwes 42` and `Teiwes, 86`: a name and a number, nothing else.
    let number_at = skip_separators(prose, after_names);
    if let Some(found) = bare_locator(prose, after_names..body.end)
        && prose[number_at..body.end].starts_with(char::is_numeric)
        && found.0.start == number_at
    {
        reading.shape = Shape::Weak;
        reading.locate(Some(found));
        return Some(reading);
    }
    let (title, after_title, set_apart) = match title_after(prose, after_names..body.end, italic) {
        Some((title, after)) => {
            let set_apart =
                set_apart_title(prose, skip_separators(prose, after_names), italic).is_some();
            (title, after, set_apart)
        }
        None => return None,
    };
    reading.title = Some(title);
    let tail = after_title..body.end;
    reading.year = year_in(&prose[tail.clone()]);
    reading.locate(locator_in(prose, tail.clone()));
    let publication = prose[tail].contains('(') || reading.year.is_some();
    if set_apart {
        reading.shape = Shape::Strong;
    } else if reading.locator.is_none() && !publication {
        // Names and words, nothing that says "citation".
        return None;
    }
    Some(reading)
}

/// Where the italic runs start, relative to `base`.
fn title_starts(italic: &[Range<usize>], base: usize) -> Vec<usize> {
    italic
        .iter()
        .filter(|r| r.start >= base)
        .map(|r| r.start - base)
        .collect()
}

/// A name the name reader does not take (`bell hooks`, `Ngũgĩ wa
/// Thiong'o`) before a comma and a title set apart: the words before the
/// comma are the author.
fn unusual_names(prose: &str, body: Range<usize>, italic: &[Range<usize>]) -> Option<Reading> {
    let text = &prose[body.clone()];
    let comma = text.find(',')?;
    let name = text[..comma].trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 4
        || words.iter().any(|w| w.chars().any(|c| c.is_numeric()))
    {
        return None;
    }
    if NOT_NAMES.contains(&fold(words[0]).as_str()) {
        return None;
    }
    let (title, after) =
        set_apart_title(prose, skip_separators(prose, body.start + comma), italic)?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.names = vec![words[words.len() - 1].to_string()];
    reading.people = vec![name.to_string()];
    reading.title = Some(title);
    reading.year = year_in(&prose[after..body.end]);
    reading.locate(locator_in(prose, after..body.end));
    (reading.year.is_some() || reading.locator.is_some()).then_some(reading)
}

/// Names at the start of a reference, and where they end.
struct Names {
    families: Vec<String>,
    people: Vec<String>,
    len: usize,
}

/// Reads the people at the start of `text`: `Frederick C. Teiwes`,
/// `MacFARQUHAR`, `Roderick MacFarquhar and Michael Schoenhals`, `Teiwes and
/// Sun`, `Wang et al.`, `U. Eco`, `Weber:`; each person's family name is
/// the last capitalised word (or an all-capital word).
fn names_at(text: &str, title_starts: &[usize]) -> Option<Names> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{Lu}[[\p{L}\p{M}&&\P{Han}]'’\-]*\.?|\p{Lu}\.|\p{Han}{1,4}|(?:de|da|di|del|della|van|von|der|den|le|la|du|dos|das|ten|ter|bin|ibn|al|zu|vom)\b)")
            .expect("valid regex")
    });
    let mut people: Vec<Vec<&str>> = vec![Vec::new()];
    let mut at = 0;
    let mut end = 0;
    // The people read before a serial comma (`Teiwes, Frederick C., and
    // Warren Sun.`): what is read when the names after it do not end well.
    let mut before_serial_comma: Option<(Vec<Vec<&str>>, usize)> = None;
    loop {
        let rest = &text[at..];
        let spaces = rest.len() - rest.trim_start().len();
        let word_at = at + spaces;
        let rest = &text[word_at..];
        if backref::at_start(rest).is_some() {
            break;
        }
        if let Some(m) = WORD.find(rest) {
            let word = m.as_str();
            // `et al.`
            people.last_mut().expect("a person").push(word);
            at = word_at + m.end();
            end = at;
            continue;
        }
        // `Medicus/Petersen`, as German legal writing joins authors.
        if rest.starts_with('/') && people.last().is_some_and(|p| !p.is_empty()) {
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        let lower = rest.to_lowercase();
        if let Some(joined) = ["and ", "& ", "und ", "e ", "y ", "et ", "an "]
            .iter()
            .find(|j| lower.starts_with(*j))
            .filter(|_| people.last().is_some_and(|p| !p.is_empty()))
        {
            if lower.starts_with("et al") {
                at = word_at + "et al".len() + usize::from(rest[5..].starts_with('.'));
                end = at;
                break;
            }
            people.push(Vec::new());
            at = word_at + joined.len();
            continue;
        }
        // `A, B, and C`: the comma before the last "and" (the serial
        // comma) joins like the "and" after it.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| !p.is_empty())
        {
            let lower = after.trim_start().to_lowercase();
            let joiner = ["and ", "& ", "und ", "y ", "e ", "et "]
                .iter()
                .any(|j| lower.starts_with(j))
                && !lower.starts_with("et al");
            if joiner {
                before_serial_comma = Some((people.clone(), end));
                at = word_at + 1;
                continue;
            }
        }
        // `TEIWES, F. C. and SUN, W.`, `Teiwes, F. C., & Sun, W.`: initials
        // after a comma are the given names of the person before.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| !p.is_empty())
        {
            let initials = after
                .split_whitespace()
                .take_while(|w| is_initial(w.trim_end_matches(',')))
                .count();
            if initials > 0 {
                at = word_at + 1;
                continue;
            }
        }
        // `A, B, and C`: a comma between people, only before another
        // "and" joins them.
        let title_next = rest.starts_with(',') && {
            let after = &text[word_at + 1..];
            let skipped = after.len() - after.trim_start().len();
            title_starts.contains(&(word_at + 1 + skipped))
        };
        if rest.starts_with(',') && !title_next && rest[1..].to_lowercase().contains(" and ") {
            let ahead = &text[word_at + 1..];
            let next_and = find_ignoring_case(ahead, " and ").unwrap_or(0);
            let between = &ahead[..next_and];
            let all_names = between
                .split_whitespace()
                .all(|w| WORD.is_match(w) || w == ",");
            if all_names && !between.trim().is_empty() {
                people.push(Vec::new());
                at = word_at + 1;
                continue;
            }
        }
        break;
    }
    let ends_well = |end: usize| {
        let after = text[end..].trim_start();
        after.is_empty()
            || after.starts_with([',', ':', '(', '，', '：'])
            || after.starts_with(char::is_numeric)
            || backref::at_start(after).is_some()
    };
    if !ends_well(end)
        && let Some((people_before, end_before)) = before_serial_comma
    {
        people = people_before;
        end = end_before;
    }
    // A separator with no name before it (`, and ,`) names nobody.
    people.retain(|words| !words.is_empty());
    let families: Vec<String> = people.iter().filter_map(|words| family_of(words)).collect();
    if families.is_empty() || people.iter().map(Vec::len).sum::<usize>() > 10 {
        return None;
    }
    let first = fold(people.first()?.first()?.trim_end_matches('.'));
    if NOT_NAMES.contains(&first.as_str()) {
        return None;
    }
    // A name is followed by a separator, a parenthesis or a year.
    let ends_well = ends_well(end);
    let people = people.iter().map(|words| words.join(" ")).collect();
    ends_well.then_some(Names {
        families,
        people,
        len: end,
    })
}

/// `F.`, `W.`, `F.C.`, `J.-P.`: initials.
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), Some('.')) if c.is_uppercase() => {
            let rest = chars.as_str();
            rest.is_empty() || is_initial(rest.strip_prefix('-').unwrap_or(rest))
        }
        _ => false,
    }
}

/// The family name among a person's words: an all-capital word (`YANG`,
/// `MacFARQUHAR`), else the last word that is not an initial.
fn family_of(words: &[&str]) -> Option<String> {
    let clean = |w: &str| w.trim_end_matches('.').to_string();
    let capital = words.iter().find(|w| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2
            && letters.iter().filter(|c| c.is_uppercase()).count() >= letters.len() - 2
            && letters.iter().filter(|c| c.is_uppercase()).count() >= 3
    });
    if let Some(word) = capital {
        return Some(clean(word));
    }
    words
        .iter()
        .rev()
        .find(|w| w.trim_end_matches('.').chars().count() >= 2)
        .map(|w| clean(w))
}

/// Past `,`, `:` and spaces.
fn skip_separators(prose: &str, at: usize) -> usize {
    let rest = &prose[at..];
    at + (rest.len() - rest.trim_start_matches([',', ':', ' ', '，', '：']).len())
}

/// A title set apart at `at` (after spaces): an italic run, or text in
/// quotation marks or 《》; with where it ends.
fn set_apart_title(prose: &str, at: usize, italic: &[Range<usize>]) -> Option<(String, usize)> {
    let at = at + (prose[at..].len() - prose[at..].trim_start().len());
    if let Some(run) = italic
        .iter()
        .find(|r| r.start == at || (r.start > at && prose[at..r.start].trim().is_empty()))
    {
        let title = prose[run.clone()].trim().trim_end_matches([',', '.']);
        if title.chars().count() >= 2 {
            return Some((title.to_string(), run.end));
        }
    }
    let rest = &prose[at..];
    for (open, close) in [
        ('“', '”'),
        ('"', '"'),
        ('«', '»'),
        ('„', '“'),
        ('‘', '’'),
        ('《', '》'),
    ] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(end) = inner.find(close)
        {
            let title = inner[..end].trim().trim_end_matches(',');
            if title.chars().count() >= 2 {
                return Some((
                    title.to_string(),
                    at + open.len_utf8() + end + close.len_utf8(),
                ));
            }
        }
    }
    None
}

/// The title after the names: set apart, or where the note form puts it —
/// up to a parenthesis, a comma before a place, year or locator, or a full
/// stop.
fn title_after(
    prose: &str,
    range: Range<usize>,
    italic: &[Range<usize>],
) -> Option<(String, usize)> {
    let start = skip_separators(prose, range.start);
    if start >= range.end {
        return None;
    }
    if let Some((title, end)) = set_apart_title(prose, start, italic)
        && end <= range.end
    {
        return Some((title, end));
    }
    // `MacFarquhar, ed., _The Politics of China_`: words about the author
    // before a title set apart.
    if let Some(run) = italic
        .iter()
        .find(|r| r.start > start && r.end <= range.end)
        && prose[start..run.start].chars().count() <= 40
        && !prose[start..run.start].contains(|c: char| c.is_numeric())
    {
        let title = prose[run.clone()].trim().trim_end_matches([',', '.']);
        if title.chars().count() >= 2 {
            return Some((title.to_string(), run.end));
        }
    }
    let text = &prose[start..range.end];
    let first = text.chars().next()?;
    if !(first.is_uppercase() || first.is_numeric()) {
        return None;
    }
    // The title ends at `(`, at a full stop, or at the comma before what
    // follows a title.
    let mut end = text.len();
    if let Some(paren) = text.find(" (") {
        end = end.min(paren);
    }
    if let Some(stop) = text.find(". ") {
        end = end.min(stop);
    }
    for (i, _) in text.match_indices(',') {
        let after = text[i + 1..].trim_start();
        let ends_title = after.is_empty()
            || locator::parse(after.trim_end_matches('.'))
                .is_ok_and(|l| !l.kinds().contains(&locator::Kind::Other))
            || locator::labels::at_start(after).is_some()
            || backref::at_start(after).is_some()
            || YEAR.is_match(after.get(..40).unwrap_or(after))
            || after.starts_with(|c: char| c.is_numeric());
        if ends_title {
            end = end.min(i);
            break;
        }
    }
    let title = text[..end].trim().trim_end_matches([',', '.']);
    if title.chars().count() < 2 {
        return None;
    }
    Some((title.to_string(), start + end))
}

/// The first year in `text`.
fn year_in(text: &str) -> Option<String> {
    YEAR.captures(text)
        .map(|c| format!("{}{}", &c[1], c.get(2).map_or("", |m| m.as_str())))
}

/// The locator in `range`: labelled anywhere, else bare after the last
/// comma or colon.
fn locator_in(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    if range.start >= range.end {
        return None;
    }
    let found = match labelled_locator(prose, range.clone()) {
        // `vol. 2, _Title_ (…), 45` and `111, no. 2 (April 2016): 170`: a
        // volume or an issue names the work, the pages come after.
        Some((at, text))
            if locator::parse(&text).is_ok_and(|l| {
                l.parts
                    .iter()
                    .all(|p| matches!(p.kind, locator::Kind::Volume | locator::Kind::Issue))
            }) =>
        {
            bare_locator(prose, at.end..range.end).or(Some((at, text)))
        }
        Some(found) => Some(found),
        None => bare_locator(prose, range),
    };
    found.map(|found| abbreviation_dot(prose, found))
}

/// A locator with the period of the abbreviation it ends in (`83 ff.`,
/// `12 sq.`), which the note's full stop shares; without the full stop
/// after a number (`44.` is page 44 at the end of the sentence).
fn abbreviation_dot(prose: &str, (range, text): (Range<usize>, String)) -> (Range<usize>, String) {
    let bare = text.strip_suffix('.').unwrap_or(&text);
    let abbreviated = bare.ends_with(|c: char| c.is_alphabetic())
        && bare
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .is_some_and(|word| ABBREVIATED.contains(&word));
    if abbreviated {
        if text.ends_with('.') {
            return (range, text);
        }
        if prose[range.end..].starts_with('.') {
            return (range.start..range.end + 1, format!("{text}."));
        }
        return (range, text);
    }
    match text.strip_suffix('.') {
        Some(bare) if bare.ends_with(|c: char| c.is_ascii_digit()) => {
            (range.start..range.end - 1, bare.to_string())
        }
        _ => (range, text),
    }
}

/// Abbreviations a locator ends in, written with a period.
const ABBREVIATED: &[&str] = &[
    "f", "ff", "sq", "sqq", "seq", "sgg", "ss", "s", "o", "skk", "nn", "n",
];

/// A labelled locator (`p. 5`, `pp.7-9`, `S. 17 f.`, `第88页`, `§ 59 Rn 1`)
/// in `range`: the first label from which a locator can be read, read as
/// far as it goes.
fn labelled_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let text = &prose[range.clone()];
    for (i, _) in text.char_indices() {
        let before = text[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[i..];
        let chinese = rest.starts_with('第');
        if !chinese && locator::labels::at_start(rest).is_none() {
            continue;
        }
        // The longest prefix that reads as a locator, up to a parenthesis,
        // a Chinese full stop or 80 bytes.
        let mut candidate_end = rest.find(['(', ')', '。']).unwrap_or(rest.len()).min(80);
        while !rest.is_char_boundary(candidate_end) {
            candidate_end -= 1;
        }
        let candidate = &rest[..candidate_end];
        let mut best: Option<&str> = None;
        for (j, c) in candidate.char_indices().chain([(candidate.len(), ' ')]) {
            if j == 0 || !(c == ' ' || c == ',' || c == '.' || c == ';' || j == candidate.len()) {
                continue;
            }
            let piece = candidate[..j].trim_end_matches([',', ';', ' ']);
            let piece_with_dot = candidate.get(..j + 1).filter(|p| p.ends_with('.'));
            for piece in [piece_with_dot.unwrap_or(piece), piece] {
                let labelled =
                    |l: &locator::Locator| l.parts.first().is_some_and(|p| p.label.is_some());
                if locator::parse(piece).is_ok_and(|l| labelled(&l) && numbered(&l)) {
                    best = Some(piece);
                    break;
                }
            }
        }
        if let Some(best) = best {
            let start = range.start + i;
            return Some((start..start + best.len(), normalise(best)));
        }
    }
    None
}

/// Whether every place a locator names has a number in it: in prose, "the
/// book Robert L. Worden wrote" is no locator, "book 3" is.
fn numbered(locator: &locator::Locator) -> bool {
    locator
        .parts
        .iter()
        .flat_map(|p| &p.items)
        .all(|item| match item {
            locator::Item::Text(text) => text.chars().any(|c| c.is_numeric()),
            _ => true,
        })
}

/// A bare locator after the last comma or colon of `range`: `, 85.`,
/// `: 40`, `, 86–88.`, `, xiv`, `, 112 ff.`, `, 2:45`.
fn bare_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let full = &prose[range.clone()];
    let text = full.trim_end().trim_end_matches(['.', '。']);
    // The pieces between commas and colons, each a candidate; the first
    // that reads as pages wins (what follows it is commentary), but a year
    // gives way to pages after it.
    // Pieces inside parentheses (`(Washington, DC, 1960)`) are the place
    // of publication, never the locator.
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut inside = false;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '（' => {
                depth += 1;
                inside = true;
            }
            ')' | '）' => depth -= 1,
            ',' | ':' | '，' | '：' if depth <= 0 => {
                if !inside {
                    pieces.push((start, &text[start..i]));
                }
                start = i + c.len_utf8();
                inside = false;
            }
            ',' | ':' | '，' | '：' => {
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !inside || text[start..].contains('(') {
        pieces.push((start, &text[start..]));
    }
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    for (n, &(at, piece)) in pieces.iter().enumerate() {
        // `2:45`: a volume before the colon belongs to the locator.
        let (at, piece) = match pieces.get(n + 1) {
            Some(&(next_at, next))
                if text[at + piece.len()..].starts_with(':')
                    && piece.trim().chars().all(|c| c.is_ascii_digit())
                    && !piece.trim().is_empty()
                    && next.trim().starts_with(|c: char| c.is_ascii_digit()) =>
            {
                (at, &text[at..next_at + next.len()])
            }
            _ => (at, piece),
        };
        let lead = piece.len() - piece.trim_start().len();
        let candidate = piece.trim().trim_end_matches(')');
        if let Some(hit) = pages_in(candidate) {
            let start = range.start + at + lead;
            let is_year = YEAR.is_match(candidate) && candidate.len() == 4;
            found.push((start + hit.0.start..start + hit.0.end, hit.1));
            if !is_year {
                break;
            }
        }
    }
    // A year alone is a page only when nothing else is.
    found.pop()
}

/// Pages in one piece of a note: `85`, `86–88`, `xiv`, `112 ff.`, `2:45`,
/// and `1234 (1236)` (the first page of an article, then the page cited).
fn pages_in(candidate: &str) -> Option<(Range<usize>, String)> {
    if candidate.is_empty() || !candidate.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    static PINPOINT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d+\s*\((\d+(?:\s*[-–]\s*\d+)?)$").expect("valid regex"));
    if let Some(caps) = PINPOINT.captures(candidate) {
        let cited = caps.get(1).expect("group");
        return Some((cited.start()..cited.end() + 1, normalise(cited.as_str())));
    }
    let parsed = locator::parse(candidate).ok()?;
    let pages = parsed.parts.iter().all(|p| {
        matches!(
            p.kind,
            locator::Kind::Page | locator::Kind::Volume | locator::Kind::Note
        )
    });
    (pages && parsed.page_parts().next().is_some())
        .then(|| (0..candidate.len(), normalise(candidate)))
}

/// A locator with its spacing normalised: `pag.387` → `pag. 387`, `7 - 9`
/// → `7-9`.
fn normalise(locator: &str) -> String {
    let locator = locator.trim().trim_end_matches([',', ';']);
    let mut out = String::new();
    let mut rest = locator;
    if let Some((label, len)) = locator::labels::at_start(rest)
        && label.text.ends_with('.')
    {
        out.push_str(&rest[..len]);
        out.push(' ');
        rest = rest[len..].trim_start();
    }
    out.push_str(&rest.split_whitespace().collect::<Vec<_>>().join(" "));
    for dash in ["-", "–", "—"] {
        out = out
            .replace(&format!(" {dash} "), dash)
            .replace(&format!("{dash} "), dash)
            .replace(&format!(" {dash}"), dash);
    }
    out
}

#[cfg(test)]
mod tests;
