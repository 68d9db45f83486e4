//! ISBN, ISSN and DOI: syntax and check digits, and finding them in free
//! text (a `note` or `serial-number` field).
//!
//! The check-digit arithmetic is written here rather than taken from the
//! `isbn` crate: that crate reports a wrong check digit as the same
//! `InvalidDigit` error as a stray letter, keeps its check-digit function
//! private, and builds ISBN range tables at compile time that nothing here
//! needs. A wrong check digit here carries the corrected identifier.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

mod doi;
mod find;

pub use doi::check_doi;
use doi::*;
pub use find::find_identifiers;

/// Which kind of identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    Isbn,
    Issn,
    Doi,
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentifierKind::Isbn => "ISBN",
            IdentifierKind::Issn => "ISSN",
            IdentifierKind::Doi => "DOI",
        })
    }
}

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("empty {kind}")]
    Empty { kind: IdentifierKind },
    #[error("{kind} has an unexpected character {found:?}")]
    InvalidCharacter { kind: IdentifierKind, found: char },
    #[error("{kind} has {found} digits; it needs {expected}")]
    WrongLength {
        kind: IdentifierKind,
        found: usize,
        expected: &'static str,
    },
    #[error("an ISBN-13 begins with 978 or 979, not {found}")]
    BadIsbnPrefix { found: String },
    /// The check digit does not match the others. `corrected` is the whole
    /// identifier as written (same hyphens) with the right check digit: the
    /// hint to show. A wrong digit elsewhere gives the same error: the check
    /// digit cannot tell which digit is wrong.
    #[error("{kind} check digit is {found}, it should be {expected} ({corrected})")]
    WrongCheckDigit {
        kind: IdentifierKind,
        found: char,
        expected: char,
        corrected: String,
    },
    #[error("a DOI begins with \"10.\" and a registrant code of at least four digits")]
    DoiBadPrefix,
    #[error("a DOI needs a \"/\" and a suffix after its prefix")]
    DoiNoSuffix,
    #[error("a DOI has no spaces")]
    DoiWhitespace,
    #[error("the DOI looks cut short (it ends in {ending:?})")]
    DoiTruncated { ending: String },
    /// A DOI followed by sentence punctuation: `corrected` is without it.
    #[error("the DOI ends in punctuation; without it: {corrected}")]
    DoiTrailingPunctuation { corrected: String },
}

impl IdentifierError {
    /// The identifier with the error fixed, where the error tells it: the
    /// right check digit, or a DOI without trailing punctuation.
    pub fn corrected(&self) -> Option<&str> {
        match self {
            IdentifierError::WrongCheckDigit { corrected, .. }
            | IdentifierError::DoiTrailingPunctuation { corrected } => Some(corrected),
            _ => None,
        }
    }
}

/// A valid ISBN, ISBN-10 or ISBN-13 as written. Two ISBNs are equal when
/// they name the same book (`0-306-40615-2` = `978-0-306-40615-7`).
#[derive(Debug, Clone)]
pub struct Isbn {
    /// 10 or 13 characters, digits and a final `X` for an ISBN-10.
    compact: String,
}

impl Isbn {
    /// The digits without hyphens, as written (10 or 13).
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    pub fn is_isbn10(&self) -> bool {
        self.compact.len() == 10
    }

    /// The ISBN-13 form (`978` and a new check digit for an ISBN-10).
    pub fn to_isbn13(&self) -> String {
        if self.compact.len() == 13 {
            return self.compact.clone();
        }
        let mut digits: Vec<u8> = vec![9, 7, 8];
        digits.extend(self.compact.bytes().take(9).map(|b| b.wrapping_sub(b'0')));
        let check = isbn13_check(&digits);
        let mut out: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        out.push(check);
        out
    }

    /// The ISBN-10 form, for an ISBN-13 beginning with 978 (979 has none).
    pub fn to_isbn10(&self) -> Option<String> {
        if self.compact.len() == 10 {
            return Some(self.compact.clone());
        }
        let body = self.compact.strip_prefix("978")?;
        let digits: Vec<u8> = body.bytes().take(9).map(|b| b.wrapping_sub(b'0')).collect();
        let mut out: String = body.chars().take(9).collect();
        out.push(isbn10_check(&digits));
        Some(out)
    }
}

impl PartialEq for Isbn {
    fn eq(&self, other: &Self) -> bool {
        self.to_isbn13() == other.to_isbn13()
    }
}

impl Eq for Isbn {}

impl Hash for Isbn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_isbn13().hash(state);
    }
}

impl fmt::Display for Isbn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.compact)
    }
}

/// A valid ISSN, shown as `NNNN-NNNC`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Issn {
    /// Eight characters, the last possibly `X`.
    compact: String,
}

impl Issn {
    /// The eight characters without the hyphen.
    pub fn compact(&self) -> &str {
        &self.compact
    }
}

impl fmt::Display for Issn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.compact.split_at(4.min(self.compact.len()));
        write!(f, "{a}-{b}")
    }
}

/// A DOI of valid syntax, without its `doi:` or URL form. DOIs are
/// case-insensitive (ASCII): equality and hashing fold ASCII case, and
/// [`Doi::key`] is the lower-case form to store or compare.
#[derive(Debug, Clone)]
pub struct Doi {
    text: String,
    slash: usize,
}

impl Doi {
    /// As written, less the `doi:` or URL form.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The ASCII-lower-case form, for comparing and as a key.
    pub fn key(&self) -> String {
        self.text.to_ascii_lowercase()
    }

    /// `10.5555`.
    pub fn prefix(&self) -> &str {
        &self.text[..self.slash]
    }

    /// What follows the first `/`.
    pub fn suffix(&self) -> &str {
        &self.text[self.slash + 1..]
    }
}

impl PartialEq for Doi {
    fn eq(&self, other: &Self) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl Eq for Doi {}

impl Hash for Doi {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One identifier of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    Isbn(Isbn),
    Issn(Issn),
    Doi(Doi),
}

/// An identifier written in free text: where, and whether it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundIdentifier {
    pub kind: IdentifierKind,
    /// Byte offsets of the identifier itself (without `ISBN`, `doi:`).
    pub span: Range<usize>,
    pub parsed: Result<Identifier, IdentifierError>,
}

fn isbn10_check(first9: &[u8]) -> char {
    let sum: u32 = first9
        .iter()
        .take(9)
        .enumerate()
        .map(|(i, &d)| u32::from(d) * (10 - i as u32))
        .sum();
    check_char_mod11(sum)
}

fn isbn13_check(first12: &[u8]) -> char {
    let sum: u32 = first12
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn issn_check(first7: &[u8]) -> char {
    let sum: u32 = first7
        .iter()
        .take(7)
        .enumerate()
        .map(|(i, &d)| u32::from(d) * (8 - i as u32))
        .sum();
    check_char_mod11(sum)
}

fn check_char_mod11(sum: u32) -> char {
    match (11 - sum % 11) % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | ' ' | '\u{00A0}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}'
    )
}

/// Removes a leading label (`ISBN`, `ISBN-13:`, `eISSN`), case-insensitive.
fn strip_label<'a>(text: &'a str, labels: &[&str]) -> &'a str {
    let trimmed = text.trim();
    for label in labels {
        if trimmed.len() >= label.len()
            && trimmed.is_char_boundary(label.len())
            && trimmed[..label.len()].eq_ignore_ascii_case(label)
        {
            let rest = &trimmed[label.len()..];
            return rest
                .trim_start_matches(|c: char| c == ':' || c == '：' || c.is_whitespace())
                .trim_end();
        }
    }
    trimmed
}

/// Significant characters of an ISBN or ISSN (digits, `X`) and the byte
/// position of the last one in `body`.
fn significant(body: &str, kind: IdentifierKind) -> Result<(Vec<char>, usize), IdentifierError> {
    let mut chars = Vec::new();
    let mut last = 0;
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' | 'X' | 'x' => {
                chars.push(c.to_ascii_uppercase());
                last = i;
            }
            c if is_separator(c) => {}
            found => return Err(IdentifierError::InvalidCharacter { kind, found }),
        }
    }
    if chars.is_empty() {
        return Err(IdentifierError::Empty { kind });
    }
    Ok((chars, last))
}

fn digits_of(chars: &[char]) -> Vec<u8> {
    chars
        .iter()
        .map(|c| c.to_digit(10).map_or(0, |d| d as u8))
        .collect()
}

/// `body` with the character at byte `at` (the check digit) replaced.
fn replace_at(body: &str, at: usize, with: char) -> String {
    let mut out = String::with_capacity(body.len());
    for (i, c) in body.char_indices() {
        out.push(if i == at { with } else { c });
    }
    out
}

/// Checks an ISBN-10 or ISBN-13: hyphens and spaces anywhere, an `X` check
/// digit for ISBN-10, a leading `ISBN`/`ISBN-13:` label allowed.
pub fn check_isbn(input: &str) -> Result<Isbn, IdentifierError> {
    let kind = IdentifierKind::Isbn;
    let body = strip_label(input, &["isbn-13", "isbn-10", "isbn13", "isbn10", "isbn"]);
    let (chars, last) = significant(body, kind)?;
    let n = chars.len();
    if n != 10 && n != 13 {
        return Err(IdentifierError::WrongLength {
            kind,
            found: n,
            expected: "10 or 13",
        });
    }
    if chars[..n - 1].contains(&'X') || (n == 13 && chars[n - 1] == 'X') {
        return Err(IdentifierError::InvalidCharacter { kind, found: 'X' });
    }
    let digits = digits_of(&chars);
    let expected = if n == 10 {
        isbn10_check(&digits)
    } else {
        let prefix: String = chars[..3].iter().collect();
        if prefix != "978" && prefix != "979" {
            return Err(IdentifierError::BadIsbnPrefix { found: prefix });
        }
        isbn13_check(&digits)
    };
    let found = chars[n - 1];
    if found != expected {
        return Err(IdentifierError::WrongCheckDigit {
            kind,
            found,
            expected,
            corrected: replace_at(body, last, expected),
        });
    }
    Ok(Isbn {
        compact: chars.into_iter().collect(),
    })
}

/// Checks an ISSN: `NNNN-NNNC` (or without the hyphen), `C` possibly `X`,
/// a leading `ISSN`/`eISSN` label allowed.
pub fn check_issn(input: &str) -> Result<Issn, IdentifierError> {
    let kind = IdentifierKind::Issn;
    let body = strip_label(input, &["e-issn", "p-issn", "eissn", "pissn", "issn"]);
    let (chars, last) = significant(body, kind)?;
    if chars.len() != 8 {
        return Err(IdentifierError::WrongLength {
            kind,
            found: chars.len(),
            expected: "8",
        });
    }
    if chars[..7].contains(&'X') {
        return Err(IdentifierError::InvalidCharacter { kind, found: 'X' });
    }
    let expected = issn_check(&digits_of(&chars));
    if chars[7] != expected {
        return Err(IdentifierError::WrongCheckDigit {
            kind,
            found: chars[7],
            expected,
            corrected: replace_at(body, last, expected),
        });
    }
    Ok(Issn {
        compact: chars.into_iter().collect(),
    })
}
#[cfg(test)]
mod tests;
