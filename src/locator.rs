//! Page locators: what a citation's supplement (`pag. 387`, `pp.7-9`,
//! `pp. 289-290; pp. 115-121`, `p. xii`, `211-12`, `passim`) says, as a
//! structured value. Typst passes the supplement through as free text; the
//! locator rules read this instead.
//!
//! Each page or range is read by Hayagriva's own `PageRangesPart` (which keeps
//! letters such as `e1` or `12a` as prefix and suffix); this module adds what
//! real theses write around it: labels in several languages, lists joined by
//! `;` or `and`, abbreviated ranges, roman numerals, `f.`/`ff.`, `passim`.

use std::fmt;
use std::str::FromStr;

use hayagriva::types::{Numeric, NumericValue, PageRangesPart};

/// What a locator's label points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Chapter,
    Section,
    Note,
    Line,
    Folio,
    Column,
    Volume,
    Other,
}

/// A page as written, with its value when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// As written (`387`, `xii`, `12a`).
    pub text: String,
    /// The arabic value (`12a` has none: it is kept as text).
    pub number: Option<u32>,
    /// The value of a roman numeral (front matter).
    pub roman: Option<u32>,
}

/// One element of a locator's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A page, or a range with its end as written and as expanded
    /// (`211-12` ends at 212).
    Pages {
        start: Page,
        end: Option<Page>,
        expanded_end: Option<u32>,
        following: Option<Following>,
    },
    /// `passim`: throughout.
    Passim,
}

/// `f.` (and the next page) or `ff.` (and the following pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Following {
    One,
    Many,
}

/// A parsed locator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    /// The label as first written (`pag.`, `Pp.`), if any.
    pub label: Option<String>,
    pub kind: Kind,
    /// Whether the label is a plural form (`pp.`, `pagg.`, `pages`).
    pub plural_label: bool,
    pub items: Vec<Item>,
    /// The dashes written between range ends (`-`, `--`, `–`, `—`).
    pub dashes: Vec<String>,
    /// Whether a space follows the label (`p. 5`) or not (`p.5`).
    pub spaced: Option<bool>,
}

/// Why a locator could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read `{found}` in locator `{text}`: expected {expected}")]
pub struct LocatorError {
    pub text: String,
    pub found: String,
    pub expected: &'static str,
}

/// Labels, longest first so that `pagg.` wins over `pag.` over `p.`.
const LABELS: &[(&str, Kind, bool)] = &[
    ("pages", Kind::Page, true),
    ("page", Kind::Page, false),
    ("pagg.", Kind::Page, true),
    ("pag.", Kind::Page, false),
    ("pp.", Kind::Page, true),
    ("p.", Kind::Page, false),
    ("s.", Kind::Page, false),
    ("chapters", Kind::Chapter, true),
    ("chapter", Kind::Chapter, false),
    ("chap.", Kind::Chapter, false),
    ("chs.", Kind::Chapter, true),
    ("ch.", Kind::Chapter, false),
    ("sections", Kind::Section, true),
    ("section", Kind::Section, false),
    ("sec.", Kind::Section, false),
    ("§§", Kind::Section, true),
    ("§", Kind::Section, false),
    ("notes", Kind::Note, true),
    ("note", Kind::Note, false),
    ("nn.", Kind::Note, true),
    ("n.", Kind::Note, false),
    ("lines", Kind::Line, true),
    ("line", Kind::Line, false),
    ("ll.", Kind::Line, true),
    ("l.", Kind::Line, false),
    ("fols.", Kind::Folio, true),
    ("fol.", Kind::Folio, false),
    ("ff.", Kind::Folio, true),
    ("cols.", Kind::Column, true),
    ("col.", Kind::Column, false),
    ("vols.", Kind::Volume, true),
    ("vol.", Kind::Volume, false),
];

impl FromStr for Locator {
    type Err = LocatorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

/// Parses a locator.
pub fn parse(text: &str) -> Result<Locator, LocatorError> {
    let error = |found: &str, expected| LocatorError {
        text: text.to_string(),
        found: found.to_string(),
        expected,
    };
    let whole = text.trim().trim_end_matches([',', ';']).trim();
    if LABELS
        .iter()
        .any(|(label, ..)| whole.eq_ignore_ascii_case(label))
    {
        return Err(error(whole, "a page or range after the label"));
    }
    let trimmed = whole.trim_end_matches('.').trim();
    if trimmed.is_empty() {
        return Err(error(text, "a page, a range or a label such as `p.`"));
    }
    let mut locator = Locator {
        label: None,
        kind: Kind::Page,
        plural_label: false,
        items: Vec::new(),
        dashes: Vec::new(),
        spaced: None,
    };
    // `;` and `and` separate groups that may repeat the label
    // (`pp. 289-290; pp. 115-121`); `,` and `&` separate items.
    for group in split_groups(trimmed) {
        let rest = take_label(group, &mut locator);
        if rest.trim().is_empty() {
            if locator.label.is_some() && locator.items.is_empty() && group == trimmed {
                return Err(error(group, "a page or range after the label"));
            }
            continue;
        }
        for part in rest.split([',', '&']) {
            let part = part.trim();
            if part.is_empty() {
                return Err(error(rest, "a page or range between separators"));
            }
            locator.items.push(
                parse_item(part, &mut locator.dashes).map_err(|expected| error(part, expected))?,
            );
        }
    }
    if locator.items.is_empty() {
        return Err(error(text, "a page or range"));
    }
    Ok(locator)
}

fn split_groups(text: &str) -> Vec<&str> {
    let mut groups = Vec::new();
    for semi in text.split(';') {
        let mut rest = semi;
        while let Some(i) = find_word(rest, "and") {
            groups.push(&rest[..i]);
            rest = &rest[i + 3..];
        }
        groups.push(rest);
    }
    groups
        .into_iter()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .collect()
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace)
    })
}

/// Strips a leading label, recording the first one.
fn take_label<'a>(group: &'a str, locator: &mut Locator) -> &'a str {
    for &(label, kind, plural) in LABELS {
        if !group
            .get(..label.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(label))
        {
            continue;
        }
        let rest = &group[label.len()..];
        // A word label must end there (`pages`, not `pagesx`).
        if label.ends_with(char::is_alphabetic) && rest.starts_with(char::is_alphabetic) {
            continue;
        }
        if locator.label.is_none() {
            locator.label = Some(group[..label.len()].to_string());
            locator.kind = kind;
            locator.plural_label = plural;
            locator.spaced = Some(rest.starts_with(char::is_whitespace));
        }
        return rest;
    }
    group
}

fn parse_item(part: &str, dashes: &mut Vec<String>) -> Result<Item, &'static str> {
    if part.eq_ignore_ascii_case("passim") {
        return Ok(Item::Passim);
    }
    let (part, following) = match part.strip_suffix("ff.").or_else(|| part.strip_suffix("ff")) {
        Some(rest) => (rest.trim(), Some(Following::Many)),
        None => match part.strip_suffix(" f.").or_else(|| part.strip_suffix(" f")) {
            Some(rest) => (rest.trim(), Some(Following::One)),
            None => (part, None),
        },
    };
    let (start, end, dash) = split_range(part)?;
    if let Some(dash) = dash {
        dashes.push(dash.to_string());
    }
    let start = page(start)?;
    let end = end.map(page).transpose()?;
    let expanded_end = match (&start, &end) {
        (
            Page {
                number: Some(s), ..
            },
            Some(Page {
                number: Some(e),
                text,
                ..
            }),
        ) => Some(expand(*s, *e, text)),
        (Page { roman: Some(_), .. }, Some(Page { roman: Some(e), .. })) => Some(*e),
        _ => None,
    };
    Ok(Item::Pages {
        start,
        end,
        expanded_end,
        following,
    })
}

/// Splits `a-b` at its dash (`-`, `--`, en or em dash).
fn split_range(part: &str) -> Result<(&str, Option<&str>, Option<&str>), &'static str> {
    for dash in ["--", "—", "–", "-"] {
        if let Some((start, end)) = part.split_once(dash) {
            let (start, end) = (start.trim(), end.trim());
            if start.is_empty() || end.is_empty() {
                return Err("a page on both sides of the dash");
            }
            return Ok((start, Some(end), Some(dash)));
        }
    }
    Ok((part.trim(), None, None))
}

/// A page: arabic (read by Hayagriva, letters kept), or roman.
fn page(text: &str) -> Result<Page, &'static str> {
    if let Some(value) = roman(text) {
        return Ok(Page {
            text: text.to_string(),
            number: None,
            roman: Some(value),
        });
    }
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return Err("a page number (arabic, roman or with letters, e.g. 12a)");
    }
    let part = PageRangesPart::from_str(text).map_err(|_| "a page number")?;
    let PageRangesPart::SinglePage(numeric) = part else {
        return Err("a single page");
    };
    Ok(Page {
        text: text.to_string(),
        number: plain_number(&numeric),
        roman: None,
    })
}

/// The value of a page number without letters around it.
fn plain_number(numeric: &Numeric) -> Option<u32> {
    match (&numeric.value, &numeric.prefix, &numeric.suffix) {
        (NumericValue::Number(n), None, None) => u32::try_from(*n).ok(),
        _ => None,
    }
}

/// `211-12` means 211–212 and `1534-6` means 1534–1536: a shorter end
/// takes its missing leading digits from the start.
fn expand(start: u32, end: u32, end_text: &str) -> u32 {
    let start_text = start.to_string();
    let digits = end_text.len();
    if end >= start || digits >= start_text.len() {
        return end;
    }
    let prefix = &start_text[..start_text.len() - digits];
    format!("{prefix}{end_text}").parse().unwrap_or(end)
}

/// The value of a roman numeral, in either case; `None` if it is not one.
fn roman(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 15 {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if lower != text && text.to_ascii_uppercase() != text {
        return None; // mixed case: not a numeral
    }
    let value = |c| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let digits: Vec<u32> = lower.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d as i64;
        } else {
            total += d as i64;
        }
    }
    let total = u32::try_from(total).ok().filter(|&t| t > 0)?;
    // Only canonical numerals (so that `ic` or `vv` are not taken).
    (to_roman(total) == lower).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const TABLE: &[(u32, &str)] = &[
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for &(value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

impl Locator {
    /// Whether it names more than one page (a range, a list, `ff.`, `passim`).
    pub fn is_plural(&self) -> bool {
        self.items.len() > 1
            || self.items.iter().any(|item| match item {
                Item::Pages { end, following, .. } => end.is_some() || following.is_some(),
                Item::Passim => true,
            })
    }

    /// The arabic page ranges it names, expanded (`211-12` → 211..=212).
    pub fn page_ranges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Pages {
                start: Page {
                    number: Some(s), ..
                },
                end,
                expanded_end,
                ..
            } => match end {
                None => Some((*s, *s)),
                Some(_) => expanded_end.map(|e| (*s, e)),
            },
            _ => None,
        })
    }
}

impl fmt::Display for Locator {
    /// The locator written in a normal form: label, a space, items joined by
    /// `, ` and ranges by `-` (the form the round-trip tests read back).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(label) = &self.label {
            write!(f, "{label} ")?;
        }
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match item {
                Item::Passim => f.write_str("passim")?,
                Item::Pages {
                    start,
                    end,
                    following,
                    ..
                } => {
                    f.write_str(&start.text)?;
                    if let Some(end) = end {
                        write!(f, "-{}", end.text)?;
                    }
                    match following {
                        Some(Following::One) => f.write_str(" f.")?,
                        Some(Following::Many) => f.write_str(" ff.")?,
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str) -> Vec<(u32, u32)> {
        parse(text).unwrap().page_ranges().collect()
    }

    #[test]
    fn labels_as_real_theses_write_them() {
        for (text, label, plural) in [
            ("p. 5", "p.", false),
            ("pp.7-9", "pp.", true),
            ("pag. 387", "pag.", false),
            ("Pag.192", "Pag.", false),
            ("pagg. 12-14", "pagg.", true),
            ("page 3", "page", false),
            ("pages 3-4", "pages", true),
            ("S. 12", "S.", false),
        ] {
            let locator = parse(text).unwrap();
            assert_eq!(locator.label.as_deref(), Some(label), "{text}");
            assert_eq!(locator.plural_label, plural, "{text}");
            assert_eq!(locator.kind, Kind::Page);
        }
        assert_eq!(parse("12").unwrap().label, None);
        assert_eq!(parse("p.5").unwrap().spaced, Some(false));
        assert_eq!(parse("p. 5").unwrap().spaced, Some(true));
        assert_eq!(parse("ch. 3").unwrap().kind, Kind::Chapter);
        assert_eq!(parse("n. 12").unwrap().kind, Kind::Note);
        assert_eq!(parse("vol. 2").unwrap().kind, Kind::Volume);
    }

    #[test]
    fn ranges_lists_and_dashes() {
        assert_eq!(ranges("pp. 7-9"), [(7, 9)]);
        assert_eq!(ranges("pp. 7--9"), [(7, 9)]);
        assert_eq!(ranges("pp. 7–9"), [(7, 9)]);
        assert_eq!(ranges("pp. 7—9"), [(7, 9)]);
        assert_eq!(ranges("pp. 289-290; pp. 115-121"), [(289, 290), (115, 121)]);
        assert_eq!(ranges("pp. 3, 5 & 7"), [(3, 3), (5, 5), (7, 7)]);
        assert_eq!(ranges("pp. 3 and 5-6"), [(3, 3), (5, 6)]);
        assert_eq!(parse("pp. 7–9").unwrap().dashes, ["–"]);
    }

    #[test]
    fn abbreviated_ranges_are_expanded() {
        assert_eq!(ranges("pp. 211-12"), [(211, 212)]);
        assert_eq!(ranges("pp. 1534-6"), [(1534, 1536)]);
        assert_eq!(
            ranges("pp. 30-29"),
            [(30, 29)],
            "same length: reversed, not abbreviated"
        );
    }

    #[test]
    fn roman_letters_following_and_passim() {
        let locator = parse("p. xii").unwrap();
        let Item::Pages { start, .. } = &locator.items[0] else {
            panic!()
        };
        assert_eq!(start.roman, Some(12));
        let locator = parse("p. 12a").unwrap();
        let Item::Pages { start, .. } = &locator.items[0] else {
            panic!()
        };
        assert_eq!(
            (start.text.as_str(), start.number),
            ("12a", None),
            "kept as text"
        );
        assert!(parse("p. e1").is_ok());
        assert!(parse("pp. 5 ff.").unwrap().is_plural());
        assert!(parse("p. 5 f.").unwrap().is_plural());
        assert_eq!(parse("passim").unwrap().items, [Item::Passim]);
    }

    #[test]
    fn what_cannot_be_read_says_what_was_expected() {
        let err = parse("pp. seven").unwrap_err();
        assert!(err.expected.contains("page number"), "{err}");
        assert_eq!(
            parse("p.").unwrap_err().expected,
            "a page or range after the label"
        );
        assert!(parse("").is_err());
        assert!(parse("pp. 5-").is_err());
        assert!(parse("pp. 3,,4").is_err());
    }

    proptest::proptest! {
        /// No input makes the parser panic.
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
        }

        /// Locator-like noise: labels, digits, dashes, separators.
        #[test]
        fn never_panics_on_near_misses(text in "(pp?\\.|pag\\.|S\\.|ch\\.)? ?[0-9xivXIV ,;&–—-]{0,20}(ff?\\.)?") {
            let _ = parse(&text);
        }

        /// Rendering a locator and parsing it back gives the same pages.
        #[test]
        fn render_then_parse(
            label in proptest::sample::select(vec!["p.", "pp.", "pag.", "pagg.", "S.", "page"]),
            items in proptest::collection::vec((1u32..5000, proptest::option::of(0u32..300)), 1..4),
        ) {
            let text = format!("{label} {}", items.iter().map(|(s, len)| match len {
                Some(len) => format!("{s}-{}", s + len),
                None => s.to_string(),
            }).collect::<Vec<_>>().join(", "));
            let parsed = parse(&text).unwrap();
            let again = parse(&parsed.to_string()).unwrap();
            let expected: Vec<(u32, u32)> = items.iter().map(|(s, len)| (*s, s + len.unwrap_or(0))).collect();
            proptest::prop_assert_eq!(parsed.page_ranges().collect::<Vec<_>>(), expected.clone());
            proptest::prop_assert_eq!(again.page_ranges().collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(again.label.as_deref(), Some(label));
        }
    }

    #[test]
    fn roman_numerals_are_canonical() {
        assert_eq!(roman("xii"), Some(12));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("ic"), None);
        assert_eq!(roman("Xii"), None);
        assert_eq!(roman("c"), Some(100));
    }
}
