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
    // Dutch, Scandinavian, Polish, Czech, Hungarian, Turkish, Russian,
    // Portuguese.
    "zie ook",
    "zie",
    "se även",
    "se også",
    "se",
    "jfr.",
    "jfr",
    "jf.",
    "zob. też",
    "zob.",
    "por. też",
    "por.",
    "srv.",
    "viz též",
    "viz",
    "lásd még",
    "lásd",
    "vö.",
    "bkz.",
    "krş.",
    "подробнее см.:",
    "см. также:",
    "см.:",
    "см.",
    "ср.:",
    "ср.",
    "цит. по:",
    "veja",
    "vide",
    "cf",
    "but see",
    "contra",
    "compare",
    "anders",
    "dagegen",
    "so auch",
    "ähnlich",
];

/// Words that point elsewhere in the thesis, not to a work.
const CROSS_REFERENCES: &[&str] = &[
    "supra",
    "infra",
    "above",
    "below",
    "oben",
    "unten",
    "ci-dessus",
    "ci-dessous",
    "sopra",
    "sotto",
    "arriba",
    "abajo",
    "acima",
    "abaixo",
    "hierboven",
    "hieronder",
    "powyżej",
    "poniżej",
];

/// Words that join a reference to the one before, at the start of its
/// segment (`…; and Anderson, …`, `…; valamint KSH, …`): left out of the
/// reference, but no sign that a new one begins after a full stop (`trans.
/// and ed.`, `19. og 20. århundre`).
const JOINING: &[&str] = &[
    "and",
    "as well as",
    "sowie",
    "valamint",
    "továbbá",
    "og",
    "och",
    "ve",
    "und",
];

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
            // `In: CARVALHO, José Murilo de; NEVES, Lúcia (org.)`: ABNT's
            // editors are joined by `;` inside one reference.
            ';' | '；'
                if depth == 0
                    && !quote
                    && !(prose[start..i].contains("In:")
                        && ABNT_NAME.is_match(&prose[i + c.len_utf8()..])) =>
            {
                Some(i + c.len_utf8())
            }
            '.' | '。' if depth == 0 && !quote => {
                let rest = prose[i + c.len_utf8()..].trim_start();
                let next_starts = rest.len() < prose.len() - i - c.len_utf8() || c == '。';
                let opens = next_starts
                    && (signal_len(rest) > 0
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
        .flat_map(|r| at_connectors(prose, r))
        .map(|r| trim(prose, r))
        .filter(|r| !r.is_empty())
        .collect()
}

/// A segment cut where one reference ends with its locator and a word that
/// joins works begins the next: `Compare X, 10, with Y, 16, and Z, 5`, `X,
/// s. 95, og Y, s. 250`, `Weber, S. 242, sowie Bourdieu, p. 9`, `三谷、前掲論文、
/// 75頁、および丸山…`, `강만길, …, 45-46쪽과 김용섭, …`.
fn at_connectors(prose: &str, segment: Range<usize>) -> Vec<Range<usize>> {
    static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i:,?\s+(?:and|with|against|as well as|along with|et|e|y|i|a|og|och|en|met|und|sowie|és|valamint|ve|ile|и|а также|apud|quoted in|cited in|zit\. nach|cit\. in|citado por)\s+)",
            r"|、?(?:および|及び|並びに)",
            r"|(?:과|와|및)\s",
            // `60頁、ベネディクト、…`: a page, then the next author.
            r"|(?:頁|页)、",
        ))
        .expect("valid regex")
    });
    let text = &prose[segment.clone()];
    let mut pieces = Vec::new();
    let mut from = segment.start;
    for m in CONNECTOR.find_iter(text) {
        // After a page, the comma alone cuts; the page stays.
        let start = if m.as_str().starts_with(['頁', '页']) {
            m.start() + m.as_str().chars().next().map_or(0, char::len_utf8)
        } else {
            m.start()
        };
        let before = text[..start].trim_end().trim_end_matches([',', ')', '、']);
        let after = text[m.end()..].trim_start();
        let ends_a_reference = before.ends_with(|c: char| c.is_ascii_digit())
            || before.ends_with(['頁', '页', '쪽', '면'])
            || ["f.", "ff.", "sqq.", "seq.", "passim", "sq."]
                .iter()
                .any(|e| before.ends_with(e));
        let begins_one = after.starts_with(|c: char| {
            c.is_uppercase()
                || matches!(c, '_' | '“' | '«' | '"' | '„' | '‘' | '『' | '《' | '「')
                || super::text::is_hanzi(c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{30a0}'..='\u{30ff}').contains(&c)
        });
        if ends_a_reference && begins_one && segment.start + start > from {
            pieces.push(from..segment.start + start);
            from = segment.start + m.end();
        }
    }
    pieces.push(from..segment.end);
    pieces
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

/// The length of the signal words (`See also`, `Cf.`) alone at the start
/// of `text`: what opens a new reference after a full stop.
fn signal_len(text: &str) -> usize {
    words_len(text, PREFIXES)
}

/// The length of the prefixes alone.
fn prefixes_only(text: &str) -> usize {
    // `a.A. Flume`: "of another opinion", as German legal writing signals a
    // reference (not Scandinavian `a.a.`, which follows a name).
    if text.starts_with("a.A. ") {
        return "a.A. ".len();
    }
    let len = words_len(text, PREFIXES);
    len + words_len(&text[len..], JOINING)
}

/// The length of the words of `list` at the start of `text`, one after
/// another.
fn words_len(text: &str, list: &[&str]) -> usize {
    let mut len = 0;
    loop {
        let rest = &text[len..];
        // A prefix in Latin script ends a word; 见 and 参见 need no space.
        let found = list.iter().find(|p| {
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
    if prose[body.clone()].contains(['《', '『', '「'])
        && let Some(reading) = cjk(prose, body.clone())
    {
        return Some(reading);
    }
    if let Some(reading) = gost(prose, body.clone()) {
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
        // `Idem, 1962, p. 40`: the same author, the work of that year.
        if term.points == Points::PreviousAuthor
            && let Some(caps) = LEADING_YEAR.captures(&prose[rest.clone()])
        {
            let year = caps.get(1).expect("group");
            reading.year = Some(year.as_str().to_string());
            reading.locate(locator_in(prose, rest.start + year.end()..body.end));
            return Some(reading);
        }
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
        Regex::new(
            r"\((?:wie |siehe |s\. )?(?:Fn\.|Anm\.|n\.?|note|supra note|nt\.|nota|przyp\.|pozn\.)\s*(?P<n>\d+)\)|,?\s*supra(?: note (?P<s>\d+))?|,?\s*above n (?P<a>\d+)|[、・]?前掲注\((?P<j>\d+)\)",
        )
        .expect("valid regex")
    });
    // A reference to a note by its number first (`前掲注(3)` holds `前掲`),
    // then a term.
    let mut note_ref = None;
    let named = TO_NOTE
        .captures(text)
        .and_then(|caps| {
            note_ref = ["n", "s", "a", "j"]
                .iter()
                .find_map(|g| caps.name(g))
                .map(|m| m.as_str().to_string());
            let term = backref::TERMS.iter().find(|t| t.text == "op. cit.")?;
            Some((term, caps.get(0)?.range()))
        })
        .or_else(|| {
            backref::find_all(text)
                .into_iter()
                .find(|(t, _)| t.points == Points::Named)
        });
    let (term, at) = named?;
    let names = names_at(&text[..at.start], &title_starts(italic, body.start))?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.back = Some(term);
    reading.names = names.families;
    reading.people = names.people;
    reading.note_ref = note_ref;
    // A title between the names and the term (`SAMARANI, “La Cina…”, cit.`).
    let between = body.start + names.len..body.start + at.start;
    if let Some((title, _)) = title_after(prose, between, italic) {
        reading.title = Some(title);
    }
    reading.locate(locator_in(prose, body.start + at.end..body.end));
    Some(reading)
}

/// Chinese, Japanese and Korean notes, whose titles stand in brackets:
/// `杨继绳：《墓碑》，香港：天地图书，2008年，第88页。`,
/// `丸山眞男『日本政治思想史研究』東京大学出版会、1952年、45頁。`,
/// `강만길, 『고쳐 쓴 한국현대사』, 창작과비평사, 1994, 45쪽.` An article or a
/// chapter in 「」 before the 『』 of its journal or book is the work cited.
fn cjk(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let bracket = |open: char, close: char| -> Option<(usize, usize)> {
        let at = text.find(open)?;
        let end = at + text[at..].find(close)?;
        Some((at, end))
    };
    // The work's own title: an article's 「」 when it comes first.
    let book = bracket('《', '》').or_else(|| bracket('『', '』'));
    let article = bracket('「', '」');
    let (open, close) = match (article, book) {
        (Some(a), Some(b)) if a.0 < b.0 => a,
        (_, Some(b)) => b,
        (Some(a), None) => a,
        (None, None) => return None,
    };
    let open_len = text[open..].chars().next().map_or(3, char::len_utf8);
    let title = text[open + open_len..close].trim();
    let before = text[..open]
        .trim_end()
        .trim_end_matches(['：', ':', '，', ',', '、'])
        .trim();
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.title = Some(title.to_string());
    if !before.is_empty() && before.chars().count() <= 40 {
        // Several authors: 杨继绳、谢春涛; 石井寛治・原朗; 강만길·성대경;
        // editors (编, 編, 엮음), `ほか` and `等` (et al.).
        // `ルース・ベネディクト（長谷川松治訳）`: the translator in
        // parentheses is no author.
        let before: String = {
            let mut out = String::new();
            let mut depth = 0;
            for c in before.chars() {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        };
        reading.names = before
            .split(['、', '，', ',', '和', '与', '・', '·'])
            .map(|n| {
                n.trim()
                    .trim_end_matches("엮음")
                    .trim_end_matches("편")
                    .trim()
                    .trim_end_matches("ほか")
                    .trim_end_matches(['等', '编', '編', '主', '著', '訳', '译'])
                    .trim_end_matches("ほか")
                    .trim()
                    .to_string()
            })
            .filter(|n| !n.is_empty())
            .collect();
    }
    let close_len = text[close..].chars().next().map_or(3, char::len_utf8);
    let rest = body.start + close + close_len..body.end;
    reading.year = year_in(&prose[rest.clone()]);
    reading.locate(locator_in(prose, rest));
    Some(reading)
}

/// Russian notes after GOST R 7.0.5: the surname before the initials, the
/// title without marks, `//` before a periodical or collection, `М.:`,
/// `СПб.:` before the publisher, `С.` for the page cited: `Ключевский В. О.
/// Сочинения. М.: Мысль, 1987. С. 45.`; and co-authors by comma
/// (`Анисимов Е. В., Каменский А. Б.`). A page count (`288 с.`) is no
/// locator.
fn gost(prose: &str, body: Range<usize>) -> Option<Reading> {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?P<names>\p{Lu}[\p{Ll}\-]+(?:-\p{Lu}[\p{Ll}]+)?\s(?:\p{Lu}\.\s?){1,3}(?:,\s\p{Lu}[\p{Ll}\-]+\s(?:\p{Lu}\.\s?){1,3})*)\s*(?P<rest>\p{Lu}.*)$",
        )
        .expect("valid regex")
    });
    static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\s//\s|…\s|\.\s(?:\p{Lu}[\p{L}\-]{0,12}\.?\s?:|(?:1[4-9]\d\d|20\d\d)\.|[ТтСсЧч]\.\s?\d|№)",
        )
        .expect("valid regex")
    });
    let text = &prose[body.clone()];
    let caps = HEAD.captures(text)?;
    let names = caps.name("names")?;
    let rest = caps.name("rest")?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    for person in names.as_str().split(", ") {
        let family = person.split_whitespace().next().unwrap_or("");
        reading.names.push(family.to_string());
        reading.people.push(person.trim().to_string());
    }
    // A back-reference after the names: `Ключевский В. О. Указ. соч. С. 60.`
    if backref::at_start(rest.as_str()).is_some() {
        return None;
    }
    // `Frederick C. Teiwes, …`: a given name and an initial, then the
    // family name — not GOST's surname and initials, then the title.
    let first_word = rest.as_str().split_whitespace().next().unwrap_or("");
    let latin = names.as_str().chars().any(|c| c.is_ascii_alphabetic());
    if latin && first_word.ends_with(',') {
        return None;
    }
    // The title ends where the publication begins; a reference without
    // one is not GOST's.
    let title_end = TITLE_END.find(rest.as_str())?.start();
    let title = rest.as_str()[..title_end].trim().trim_end_matches('.');
    if title.chars().count() < 3 {
        return None;
    }
    reading.title = Some(title.to_string());
    let after = body.start + rest.start() + title_end..body.end;
    reading.year = year_in(&prose[after.clone()]);
    let tail = prose[after.clone()].trim_end().trim_end_matches('.');
    let page_count = tail.ends_with(" с") || tail.ends_with(" c");
    if !page_count {
        reading.locate(locator_in(prose, after));
    }
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
    // A title that opens the note, without an author (`_China's Road_, 85`);
    // `_supra_`, `_infra_` point within the thesis.
    if let Some((title, after)) = set_apart_title(prose, body.start, italic)
        .filter(|(title, _)| !CROSS_REFERENCES.contains(&fold(title).as_str()))
    {
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
    reading.slashed = names.slashed;
    let after_names = body.start + names.len;
    let rest = &prose[after_names..body.end];

    // Author–date: `Teiwes 1999`, `Teiwes (1999)`, `Teiwes, 1999`.
    static AUTHOR_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:,\s*|\s+|\s*\(\s*)(1[4-9]\d\d|20\d\d)([a-z])?\)?(?:$|[,:;.)]|\s+(?:\d|p\.|pp\.|S\.|s\.|and\s|&\s|apud\b|\())")
            .expect("valid regex")
    });
    // `Frijhoff en Spies, _1650_, p. 220`: a year in italics is a title.
    let italic_year = AUTHOR_DATE.captures(rest).is_some_and(|caps| {
        let at = after_names + caps.get(1).expect("group").start();
        italic.iter().any(|r| r.start == at)
    });
    if let Some(caps) = AUTHOR_DATE.captures(rest).filter(|_| !italic_year) {
        reading.shape = Shape::AuthorDate;
        reading.year = Some(format!(
            "{}{}",
            &caps[1],
            caps.get(2).map_or("", |m| m.as_str())
        ));
        // The match reads on past the year to what follows it; the
        // reference ends with the year (and its parenthesis).
        let year_end = caps.get(2).or(caps.get(1)).expect("group").end();
        let year_end = year_end + usize::from(rest[year_end..].starts_with(')'));
        let after_year = (after_names + year_end).min(body.end);
        // Without a locator, the reference ends with its year.
        reading.range.end = after_year;
        // `Smith (1986, 9) dates …`: in parentheses, the locator ends with
        // them.
        let mut until = body.end;
        if caps
            .get(0)
            .expect("match")
            .as_str()
            .trim_start()
            .starts_with('(')
            && let Some(close) = prose[after_year..body.end].find(')')
        {
            until = after_year + close;
        }
        let found = locator_in(prose, after_year..until);
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
        && prose[found.0.end..body.end]
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ')'))
            .is_empty()
    {
        reading.shape = Shape::Weak;
        reading.locate(Some(found));
        return Some(reading);
    }
    // `Asser/Sieburgh 6-III 2018/45`: a Dutch handbook's volume, year and
    // marginal number.
    if let Some(caps) = YEAR_NUMBER.captures(rest) {
        let number = caps.get(2).expect("group");
        reading.year = Some(caps[1].to_string());
        let at = after_names + number.start();
        reading.locate(Some((at..at + number.len(), number.as_str().to_string())));
        return Some(reading);
    }
    let (title, after_title, set_apart) = match title_after(prose, after_names..body.end, italic) {
        Some((title, after)) => {
            let set_apart =
                set_apart_title(prose, skip_separators(prose, after_names), italic).is_some();
            (title, after, set_apart)
        }
        // `MüKoBGB/Wagner, 8. Aufl. 2020, § 823 Rn. 12`: a commentary by its
        // short title and commentator, an edition, a year and a place in
        // it, but no title.
        None => {
            let tail = after_names..body.end;
            let edition = EDITION.is_match(&prose[tail.clone()]);
            reading.year = year_in(&prose[tail.clone()]);
            reading.locate(labelled_locator(prose, tail).map(|f| abbreviation_dot(prose, f)));
            return (edition && reading.locator.is_some()).then_some(reading);
        }
    };
    let tail = after_title..body.end;
    reading.year = year_in(&prose[tail.clone()]);
    reading.locate(locator_in(prose, tail.clone()));
    // `LAW'S EMPIRE 45 (1986)`: the Bluebook's page after the title, before
    // the year in parentheses.
    static PAGE_AFTER_TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<title>.*\S)\s(?P<page>\d+(?:[-–]\d+)?)$").expect("valid regex")
    });
    let mut title = title;
    if reading.locator.is_none()
        && prose[tail.clone()].trim_start().starts_with('(')
        && let Some(caps) = PAGE_AFTER_TITLE.captures(&title.clone())
        && caps["title"].split_whitespace().count() >= 2
    {
        let page = caps.name("page").expect("group");
        if let Some(at) = prose[body.clone()].rfind(page.as_str()) {
            let start = body.start + at;
            reading.locate(Some((start..start + page.len(), page.as_str().to_string())));
        }
        title = caps["title"].to_string();
    }
    reading.title = Some(title);
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
    slashed: bool,
}

/// Reads the people at the start of `text`: `Frederick C. Teiwes`,
/// `MacFARQUHAR`, `Roderick MacFarquhar and Michael Schoenhals`, `Teiwes and
/// Sun`, `Wang et al.`, `U. Eco`, `Weber:`; each person's family name is
/// the last capitalised word (or an all-capital word).
fn names_at(text: &str, title_starts: &[usize]) -> Option<Names> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{Lu}[[\p{L}\p{M}&&\P{Han}]'’\-]*\.?|\p{Lu}\.|\p{Han}{1,4}(?:ほか)?[編编]?|\p{Hangul}{2,5}|\p{Katakana}[\p{Katakana}ー・]*|(?:de|da|di|del|della|van|von|der|den|le|la|du|dos|das|ten|ter|bin|ibn|al|zu|vom)\b)")
            .expect("valid regex")
    });
    let mut people: Vec<Vec<&str>> = vec![Vec::new()];
    let mut at = 0;
    let mut end = 0;
    // The people read before a serial comma (`Teiwes, Frederick C., and
    // Warren Sun.`): what is read when the names after it do not end well.
    let mut before_serial_comma: Option<(Vec<Vec<&str>>, usize)> = None;
    // Whether the names ended with a full stop (ABNT's `SURNAME, Given.`).
    let mut sentence_ended = false;
    let mut slashed = false;
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
            slashed = true;
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        let lower = rest.to_lowercase();
        if let Some(joined) = JOINERS
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
        // `FREYRE, Gilberto.`, `HOLANDA, Sérgio Buarque de.`: after a family
        // name in capitals (ABNT), the given names up to a full stop.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| p.len() == 1 && is_capitals(p[0]))
            && let Some(given) = GIVEN_NAMES.find(after)
            && given.as_str().trim_end().ends_with('.')
            // `TEIWES, F. C. and SUN, W.`: initials alone are Harvard's.
            && given
                .as_str()
                .split_whitespace()
                .any(|w| !is_initial(w) && w.chars().count() > 2)
        {
            end = word_at + 1 + given.end();
            sentence_ended = true;
            break;
        }
        // `Анисимов Е. В., Каменский А. Б.`: after a person written with
        // initials, a comma and the next such person.
        if let Some(after) = rest.strip_prefix(',')
            && people
                .last()
                .is_some_and(|p| p.last().is_some_and(|w| is_initial(w)))
            && SURNAME_INITIALS.is_match(after.trim_start())
        {
            people.push(Vec::new());
            at = word_at + 1;
            continue;
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
        // `A, B and C`, `A, B, och C`: the people of a list, each one to
        // three capitalised words, the last ending at a separator — not a
        // title that holds the word (`Weber, Wirtschaft und Gesellschaft`,
        // `Castro, España en su historia`, `Thomas, Religion and the
        // Decline`).
        let title_next_or_list = rest.starts_with(',') && !title_next;
        if title_next_or_list && PEOPLE_LIST.is_match(&text[word_at + 1..]) {
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        break;
    }
    let ends_well = |end: usize| {
        let after = text[end..].trim_start();
        sentence_ended
            || after.is_empty()
            || after.starts_with([',', ':', '(', '，', '：', '、', '・', '“', '«', '„'])
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
    // The first word that is not an initial (`A. D. Smith`: "A." is no
    // article).
    let words = people.first()?;
    let first = words
        .iter()
        .find(|w| !is_initial(w))
        .or(words.first())
        .map(|w| fold(w.trim_end_matches('.')))?;
    if NOT_NAMES.contains(&first.as_str()) && !(words.len() > 1 && is_initial(words[0])) {
        return None;
    }
    // A name is followed by a separator, a parenthesis or a year.
    let ends_well = ends_well(end);
    let people = people.iter().map(|words| words.join(" ")).collect();
    ends_well.then_some(Names {
        families,
        people,
        len: end,
        slashed,
    })
}

/// Words that join co-authors, in the languages of the conventions
/// (`Mark Selden with Elizabeth J. Perry`, `Frijhoff en Spies`, `Berend –
/// Ránki`); each followed by a space.
const JOINERS: &[&str] = &[
    "and ", "& ", "und ", "e ", "y ", "et ", "an ", "en ", "och ", "og ", "i ", "a ", "és ", "ve ",
    "with ", "mit ", "con ", "avec ", "и ", "– ", "— ",
];

/// Given names after an ABNT surname, up to their full stop: ` Gilberto.`,
/// ` Sérgio Buarque de.`, ` José Murilo de.`, ` Fernando A.`
static GIVEN_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s(?:\p{Lu}[\p{Ll}'’\-]+|\p{Lu}\.|de|da|do|dos|das|e|del|van|von)(?:\s(?:\p{Lu}[\p{Ll}'’\-]+|\p{Lu}\.|de|da|do|dos|das|e|del|van|von)){0,4}\.?(?:\s|$)",
    )
    .expect("valid regex")
});

/// Whether a word is written in capitals (`FREYRE`, `PRADO`), as ABNT and
/// others write a family name.
fn is_capitals(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// A surname and its initials, as GOST writes a person: `Каменский А. Б.`
static SURNAME_INITIALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{Ll}\-]+\s(?:\p{Lu}\.\s?){1,3}").expect("valid regex"));

/// The rest of a list of people after a comma: `B and C,`, `B, och C:`,
/// each person one to three capitalised words or initials.
static PEOPLE_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3}",
        r"(?:,\s*(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3})*",
        r",?\s(?:and|och|og|en|és|ve|i|&)\s",
        r"(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3}",
        r#"(?:[,.:;(“"«„_]|(?:1[4-9]|20)\d\d\b|$)"#,
    ))
    .expect("valid regex")
});

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
    // `石井ほか編`: the name, without "et al." and "ed.".
    let clean = |w: &str| {
        w.trim_end_matches('.')
            .trim_end_matches(['編', '编'])
            .trim_end_matches("ほか")
            .to_string()
    };
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
        ('„', '”'),
        ('‘', '’'),
        ('”', '”'),
        ('»', '«'),
        ('‚', '‘'),
        ('\'', '\''),
        ('《', '》'),
        ('『', '』'),
        ('「', '」'),
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
    // Of several labelled locators, the last with pages is the one cited
    // (`S. 1 (1989), s. 180`: the issue, then the page; a volume in a
    // title, then the page at the end).
    let mut labelled = labelled_locator(prose, range.clone());
    while let Some((at, text)) = &labelled {
        // Only what is no page gives way to a later locator (a volume, an
        // issue; `S. 1 (1989)`, an issue as Turkish writes it): a page is the
        // one cited, and what follows it is commentary (`Stone, pp. 70 f.,
        // with whom Hill, p. 40, disagrees`).
        let page = locator::parse(text).is_ok_and(|l| l.page_parts().next().is_some());
        let issue_with_year = YEAR_IN_PARENS.is_match(&prose[at.end..range.end]);
        if page && !issue_with_year {
            break;
        }
        let later = labelled_locator(prose, at.end..range.end).filter(|(_, text)| {
            locator::parse(text).is_ok_and(|l| l.page_parts().next().is_some())
        });
        let Some((next_at, next_text)) = later else {
            break;
        };
        // `vol. II, p. 1020`, `Т. 1. С. 380`: a volume right before the
        // page belongs to the locator.
        let between = &prose[at.end..next_at.start];
        let volume = locator::parse(text).is_ok_and(|l| {
            l.parts
                .iter()
                .all(|p| matches!(p.kind, locator::Kind::Volume | locator::Kind::Part))
        });
        labelled = if volume && between.trim_matches([',', '.', ' ', ':']).is_empty() {
            Some((at.start..next_at.end, format!("{text}, {next_text}")))
        } else {
            Some((next_at, next_text))
        };
    }
    let labelled = labelled.map(|found| after_issue(prose, found));
    let found = match labelled {
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
        // `Washington: GPO, 1987.`, `Teiwes and Sun, 1999`: a bare year,
        // the reference's only number that reads as one, is its date, not a
        // page (`NJW 2005, 1889, 1891` and `(1999), 1999` cite a page).
        None => bare_locator(prose, range.clone()).filter(|(at, text)| {
            let year = YEAR.is_match(text)
                && text.len() == 4
                && prose[..at.start].trim_end().ends_with(',');
            !year || YEAR.find_iter(&prose[range.clone()]).count() > 1
        }),
    };
    found
        .map(|found| pinpoint(prose, found, range.end))
        .map(|found| abbreviation_dot(prose, found))
}

/// The page after a periodical's volume, issue and year, which name the
/// work: `vol. 18, no. 4, 1977, p. 788` cites `p. 788`.
fn after_issue(prose: &str, (range, text): (Range<usize>, String)) -> (Range<usize>, String) {
    let names_work = |piece: &str| {
        YEAR.is_match(piece.trim())
            || locator::parse(piece).is_ok_and(|l| {
                l.parts
                    .iter()
                    .all(|p| matches!(p.kind, locator::Kind::Issue))
            })
    };
    let pieces: Vec<&str> = text.split(", ").collect();
    let issue = pieces.iter().any(|p| {
        locator::parse(p).is_ok_and(|l| l.parts.iter().any(|p| p.kind == locator::Kind::Issue))
    });
    let Some(last) = pieces.iter().rposition(|p| names_work(p)).filter(|_| issue) else {
        return (range, text);
    };
    let rest = pieces[last + 1..].join(", ");
    let written = &prose[range.clone()];
    match (
        rest.is_empty(),
        pieces.get(last + 1).and_then(|first| written.rfind(first)),
    ) {
        (false, Some(at)) => (range.start + at..range.end, rest),
        _ => (range, text),
    }
}

/// After an article's or a chapter's page range, the page cited in it:
/// `512–38, at 520`, `512–38, 520`, `S. 512–538, hier 520`, `pp. 512–38
/// (520)`, `345–367., itt: 350`, `214-225, aldaar 220`, `s. 15–45, tu s.
/// 22`. The range is the work's extent; the pinpoint is what the note
/// cites.
fn pinpoint(
    prose: &str,
    (range, text): (Range<usize>, String),
    end: usize,
) -> (Range<usize>, String) {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"^\.?\s*(?:[,;:]\s*|\s*\(\s*)",
            r"(?i:(?:at|here|esp\.|especially|hier|insb\.|bes\.|itt:?|aldaar|särskilt|særlig|spesielt|her|här|tu|zde|tutaj|там|здесь|qui|ici|aquí|aqui|especialmente|in partic\.|in particolare|partic\.|spec\.|burada|이하|ここでは)\s*)?",
            r"(?P<cited>(?:[\p{L}.]{1,5}\s?)?\d+(?:\s?[-–]\s?\d+)?(?:\s?ff?\.)?)\)?",
        ))
        .expect("valid regex")
    });
    let Ok(extent) = locator::parse(&text) else {
        return (range, text);
    };
    let Some((first, mut last)) = extent.page_ranges().next() else {
        return (range, text);
    };
    if extent.page_ranges().count() > 1 {
        return (range, text);
    }
    // `S. 421 (430)`: a chapter's first page, then the page cited in it.
    if first == last {
        let after = prose[range.end..end.max(range.end)].trim_start();
        let parenthesised = after
            .strip_prefix('(')
            .and_then(|a| a.split_once(')'))
            .map(|(inside, _)| inside.trim());
        match parenthesised.and_then(|p| p.parse::<u32>().ok()) {
            Some(page) if page > first && page <= first + 200 => last = first + 200,
            _ => return (range, text),
        }
    }
    let after = &prose[range.end..end.max(range.end)];
    let Some(caps) = AFTER.captures(after) else {
        return (range, text);
    };
    let cited = caps.name("cited").expect("group");
    let Ok(page) = locator::parse(cited.as_str()) else {
        return (range, text);
    };
    let within = page
        .page_ranges()
        .all(|(a, b)| first <= a && b <= last && (a, b) != (first, last));
    if !within || page.page_ranges().next().is_none() {
        return (range, text);
    }
    let start = range.end + cited.start();
    (start..range.end + cited.end(), normalise(cited.as_str()))
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

/// Whether every word of `text` is one a locator is written with: labels,
/// numbers (arabic, roman, with letters), dashes, joining words, `f.`,
/// `ff.`, `passim` — not prose (`Т. 1: Курс русской истории` is a title).
fn locator_words(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '、' | '，'))
        .filter(|w| !w.is_empty())
        .all(|word| {
            let bare = word.trim_end_matches('.');
            word.chars().any(|c| c.is_ascii_digit())
                || locator::labels::at_start(word).is_some_and(|(_, len)| len == word.len())
                || locator::pages::roman(bare).is_some()
                || matches!(
                    bare.to_lowercase().as_str(),
                    "f" | "ff"
                        | "sq"
                        | "sqq"
                        | "seq"
                        | "et"
                        | "passim"
                        | "and"
                        | "und"
                        | "e"
                        | "y"
                        | "sgg"
                        | "ss"
                        | "s"
                        | "n"
                        | "nn"
                )
                || word
                    .chars()
                    .all(|c| matches!(c, '-' | '–' | '—' | '(' | ')' | '§' | '&'))
                || word.starts_with('第')
                || bare.len() <= 2
        })
}

/// Labels written after their number in Hungarian (`5. évf.`, `3. sz.`,
/// `I. köt.`): never the start of a locator.
const POSTFIX: &[&str] = &["évf.", "sz.", "köt.", "füz."];

/// A labelled locator (`p. 5`, `pp.7-9`, `S. 17 f.`, `第88页`, `§ 59 Rn 1`)
/// in `range`: the first label from which a locator can be read, read as
/// far as it goes.
/// The volume a reference names apart from its locator: `dl. I (Amsterdam
/// 1986) 120`, `《国史大纲》上册，…，第45页`, `第2巻`, `제2권`. Counts of
/// volumes (`2 vols.`, `в 12 т.`) are no volume.
pub fn volume_in(text: &str) -> Option<String> {
    static CJK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[上中下]|[第제][0-9０-９一二三四五六七八九十百]+)[册冊卷巻권]")
            .expect("valid regex")
    });
    if let Some(found) = CJK.find(text) {
        return Some(found.as_str().to_string());
    }
    let mut from = 0;
    let volume = |text: &str| {
        locator::parse(text).is_ok_and(|l| {
            l.parts
                .iter()
                .all(|p| matches!(p.kind, locator::Kind::Volume))
        })
    };
    while let Some((at, found)) = labelled_locator(text, from..text.len()) {
        // `dl. II, blz. 12`, `Т. 1. С. 45`: the volume before the page.
        let ends = found
            .char_indices()
            .filter(|&(i, c)| c == ',' || (c == '.' && found[i + 1..].starts_with(' ')))
            .map(|(i, c)| i + c.len_utf8())
            .chain([found.len()]);
        let shortest = ends
            .map(|end| found[..end].trim_end_matches(',').trim())
            .find(|prefix| volume(prefix));
        if let Some(shortest) = shortest {
            return Some(shortest.trim_end_matches('.').to_string());
        }
        from = at.end;
    }
    None
}

fn labelled_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let text = &prose[range.clone()];
    for (i, _) in text.char_indices() {
        let before = text[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[i..];
        let chinese = rest.starts_with('第');
        let Some((_, label_len)) = locator::labels::at_start(rest)
            .or(chinese.then_some((locator::labels::LABELS.first().expect("labels"), 0)))
        else {
            continue;
        };
        // A label is followed by what it numbers (`p. 5`, `S. xiv`), not by
        // another abbreviation (`L. Rev.`, `S. Ct.`: a journal, a court).
        let after_label = rest[label_len..].trim_start();
        if !chinese
            && !after_label.starts_with(|c: char| {
                c.is_ascii_digit()
                    || matches!(c, 'i' | 'v' | 'x' | 'l' | 'I' | 'V' | 'X' | 'L' | 'C' | '§')
            })
        {
            continue;
        }
        // Postfix labels (`5. évf.`, `3. sz.`) number what comes before them.
        if POSTFIX.iter().any(|p| {
            rest.get(..p.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(p))
        }) {
            continue;
        }
        // The longest prefix that reads as a locator, up to a parenthesis,
        // a Chinese full stop or 80 bytes.
        let stops: &[char] = if chinese {
            &['(', ')', '。', '、', '，', ',']
        } else {
            &['(', ')', '。']
        };
        let mut candidate_end = rest.find(stops).unwrap_or(rest.len()).min(80);
        while !rest.is_char_boundary(candidate_end) {
            candidate_end -= 1;
        }
        let candidate = &rest[..candidate_end];
        let mut best: Option<&str> = None;
        for (j, c) in candidate.char_indices().chain([(candidate.len(), ' ')]) {
            if j == 0 || !(matches!(c, ' ' | ',' | '.' | ';' | '、' | '，') || j == candidate.len())
            {
                continue;
            }
            let piece = candidate[..j].trim_end_matches([',', ';', ' ', '、', '，']);
            let piece_with_dot = candidate.get(..j + 1).filter(|p| p.ends_with('.'));
            for piece in [piece_with_dot.unwrap_or(piece), piece] {
                let labelled =
                    |l: &locator::Locator| l.parts.first().is_some_and(|p| p.label.is_some());
                if !locator_words(piece) {
                    continue;
                }
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
            locator::Item::Text(text) => text.chars().any(|c| c.is_numeric()) || roman(text),
            _ => true,
        })
}

/// A Roman numeral in capitals (`I`, `IV`, `XII`): a volume's or a part's
/// number.
fn roman(text: &str) -> bool {
    (1..=8).contains(&text.len())
        && text
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
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
            ',' | ':' | '，' | '：' | '、' if depth <= 0 => {
                if !inside {
                    pieces.push((start, &text[start..i]));
                }
                start = i + c.len_utf8();
                inside = false;
            }
            ',' | ':' | '，' | '：' | '、' => {
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
        // `130.`: the ordinal's period of Hungarian and others, no part of
        // the page.
        let candidate = piece.trim().trim_end_matches(')');
        let candidate = match candidate.strip_suffix('.') {
            Some(bare) if bare.ends_with(|c: char| c.is_ascii_digit()) => bare,
            _ => candidate,
        };
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
    let year_only = found.len() == 1 && found[0].1.len() == 4 && YEAR.is_match(&found[0].1);
    match found.pop() {
        Some(hit) if !year_only => Some(hit),
        other => tail_locator(prose, range).or(other),
    }
}

/// The page at the very end of a reference, after a full stop, a
/// parenthesis or a colon, as Dutch, Hungarian and others write it: `(Haarlem
/// 1919) 45`, `1934. 112`, `1913. 45. o.`, `345–367., itt: 350`. Not a year.
fn tail_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^\s*|[.:),]\s*|\s(?i:at|aldaar|hier|here|itt|tu|zde|tutaj|särskilt|særlig|esp\.|especially|insb\.|bes\.)\s+)(?P<loc>\d+(?:\s?[-–]\s?\d+)?(?:\.?\s?(?:ff?\.|skk?\.|kk\.|sqq?\.|e\.v\.|et seq\.|[op]\.))?)\s*[.)]?\s*$",
        )
        .expect("valid regex")
    });
    let text = &prose[range.clone()];
    let caps = TAIL.captures(text)?;
    let found = caps.name("loc")?;
    let written = found.as_str();
    // A year-like number is a page only after `at` (`supra note 9 at 1750`).
    let after_at = text[..found.start()]
        .trim_end()
        .to_lowercase()
        .ends_with(" at");
    if YEAR.is_match(written) && written.trim_end_matches(['.', ' ']).len() == 4 && !after_at {
        return None;
    }
    // Inside a title or a date (`1780-1848'`, `13 maart 1981`) it would not
    // end the reference.
    let parsed = locator::parse(written).ok()?;
    parsed.page_ranges().next()?;
    let start = range.start + found.start();
    Some((start..range.start + found.end(), normalise(written)))
}

/// Pages in one piece of a note: `85`, `86–88`, `xiv`, `112 ff.`, `2:45`,
/// and `1234 (1236)` (the first page of an article, then the page cited).
fn pages_in(candidate: &str) -> Option<(Range<usize>, String)> {
    if candidate.is_empty() || !candidate.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    // `130쪽을 비교할 것`, `60頁を参照`: a particle or a verb after the label.
    if let Some(at) = candidate.find(['쪽', '면', '頁', '页']) {
        let end = at + candidate[at..].chars().next().map_or(3, char::len_utf8);
        if end < candidate.len() {
            return pages_in(&candidate[..end]);
        }
    }
    static PINPOINT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d+\s*\((\d+(?:\s*[-–]\s*\d+)?)$").expect("valid regex"));
    if let Some(caps) = PINPOINT.captures(candidate) {
        let cited = caps.get(1).expect("group");
        let first: u32 = candidate[..candidate.find(|c: char| !c.is_ascii_digit()).unwrap_or(0)]
            .parse()
            .unwrap_or(0);
        let pin: u32 = cited
            .as_str()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        // `649 (650)`: the page cited in an article; `505 (1999)`: a page
        // and the year, as the Bluebook writes them.
        if (first..=first + 200).contains(&pin) {
            return Some((cited.start()..cited.end() + 1, normalise(cited.as_str())));
        }
        let page = &candidate[..candidate.find(" (").unwrap_or(candidate.len())];
        return Some((0..page.len(), normalise(page)));
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
