//! Pages and page ranges: arabic (read by Hayagriva's `PageRangesPart`,
//! letters kept), roman front matter, abbreviated ends (`211-12` is
//! 211–212), `f.` and `ff.`.

use std::str::FromStr;

use hayagriva::types::{Numeric, NumericValue, PageRangesPart};

use super::Item;

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

/// `f.` (and the next page) or `ff.` (and the following pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Following {
    One,
    Many,
}

/// A page or a range, from its start and end as written.
pub fn item(start: &str, end: Option<&str>) -> Result<Item, &'static str> {
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
        following: None,
    })
}

/// Whether a word can be a page: digits (with letters around them, `12a`,
/// `e1`), or a roman numeral.
pub fn looks_like_page(word: &str) -> bool {
    roman(word).is_some()
        || (word.chars().any(|c| c.is_ascii_digit())
            && word.chars().all(|c| c.is_ascii_alphanumeric())
            && word.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 2)
}

/// A page: arabic (read by Hayagriva, letters kept), or roman.
pub fn page(text: &str) -> Result<Page, &'static str> {
    if let Some(value) = roman(text) {
        return Ok(Page {
            text: text.to_string(),
            number: None,
            roman: Some(value),
        });
    }
    if !looks_like_page(text) {
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
pub fn roman(text: &str) -> Option<u32> {
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
    let mut total: i64 = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= i64::from(d);
        } else {
            total += i64::from(d);
        }
    }
    let total = u32::try_from(total).ok().filter(|&t| t > 0)?;
    // Only canonical numerals (so that `ic` or `vv` are not taken).
    (to_roman(total) == lower).then_some(total)
}

/// A number as a lower-case roman numeral (empty for 0).
pub fn to_roman(mut n: u32) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_are_canonical() {
        assert_eq!(roman("xii"), Some(12));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("ic"), None);
        assert_eq!(roman("Xii"), None);
        assert_eq!(roman("c"), Some(100));
    }

    #[test]
    fn pages_with_letters_are_pages_and_words_are_not() {
        assert!(looks_like_page("12a") && looks_like_page("e1") && looks_like_page("387"));
        assert!(!looks_like_page("three") && !looks_like_page("2.3") && !looks_like_page("abc1"));
    }
}
