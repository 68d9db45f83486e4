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

const DOI_FORMS: [&str; 11] = [
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "https://www.doi.org/",
    "http://www.doi.org/",
    "doi.org/",
    "dx.doi.org/",
    "info:doi/",
    "urn:doi:",
    "doi:",
];

/// Decodes `%XX` escapes (URL forms); the text unchanged if the result is
/// not UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Checks a DOI: `10.NNNN(.N)*/suffix`, also written `doi:10.…`,
/// `https://doi.org/10.…` or `http://dx.doi.org/10.…` (URL forms are
/// percent-decoded). Rejects spaces and DOIs that look cut short.
pub fn check_doi(input: &str) -> Result<Doi, IdentifierError> {
    let mut text = input.trim();
    let mut was_url = false;
    for form in DOI_FORMS {
        if text.len() >= form.len()
            && text.is_char_boundary(form.len())
            && text[..form.len()].eq_ignore_ascii_case(form)
        {
            was_url = form.contains('/');
            text = text[form.len()..].trim_start();
            break;
        }
    }
    if text.is_empty() {
        return Err(IdentifierError::Empty {
            kind: IdentifierKind::Doi,
        });
    }
    let decoded;
    if was_url && text.contains('%') {
        decoded = percent_decode(text);
        text = &decoded;
    }
    if text.chars().any(char::is_whitespace) {
        return Err(IdentifierError::DoiWhitespace);
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(IdentifierError::InvalidCharacter {
            kind: IdentifierKind::Doi,
            found: c,
        });
    }
    let slash = doi_prefix_end(text)?;
    let suffix = &text[slash + 1..];
    if suffix.is_empty() {
        return Err(IdentifierError::DoiNoSuffix);
    }
    for ending in ["…", "...", "-", "/", "(", "[", "<"] {
        if suffix.ends_with(ending) {
            return Err(IdentifierError::DoiTruncated {
                ending: ending.to_string(),
            });
        }
    }
    if suffix.contains('…') {
        return Err(IdentifierError::DoiTruncated {
            ending: "…".to_string(),
        });
    }
    let trimmed = text.trim_end_matches(['.', ',', ';', ':']);
    if trimmed.len() != text.len() {
        if trimmed.len() <= slash + 1 {
            return Err(IdentifierError::DoiNoSuffix);
        }
        return Err(IdentifierError::DoiTrailingPunctuation {
            corrected: trimmed.to_string(),
        });
    }
    Ok(Doi {
        text: text.to_string(),
        slash,
    })
}

/// The byte position of the `/` after a DOI prefix `10.NNNN(.N)*`.
fn doi_prefix_end(text: &str) -> Result<usize, IdentifierError> {
    let rest = text
        .strip_prefix("10.")
        .ok_or(IdentifierError::DoiBadPrefix)?;
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut group_len = 0;
    let mut first_group = true;
    loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_digit() => group_len += 1,
            Some(b'.') if group_len > 0 && !(first_group && group_len < 4) => {
                first_group = false;
                group_len = 0;
            }
            Some(b'/') if group_len > 0 && !(first_group && group_len < 4) => {
                return Ok(3 + i);
            }
            Some(b'/') | None if group_len == 0 || (first_group && group_len < 4) => {
                return Err(IdentifierError::DoiBadPrefix);
            }
            None => return Err(IdentifierError::DoiNoSuffix),
            Some(_) => return Err(IdentifierError::DoiBadPrefix),
        }
        i += 1;
    }
}

/// Characters that end a DOI in running text.
fn ends_doi_in_text(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '<' | '>' | '{' | '}' | '|' | '\\' | '^' | '`')
        || (!c.is_ascii() && !c.is_alphanumeric())
}

fn preceded_by_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '.')
}

/// Finds ISBNs, ISSNs and DOIs written in free text, in the order they
/// appear. DOIs are found by their `10.NNNN/` shape; ISBNs after the word
/// `ISBN` (any check digit, so that a wrong one is reported with its
/// correction) and bare, hyphenated or 978/979, when the check digit is
/// right; ISSNs after the word `ISSN` only (a bare `NNNN-NNNN` is as likely
/// a page range).
pub fn find_identifiers(text: &str) -> Vec<FoundIdentifier> {
    let mut found: Vec<FoundIdentifier> = Vec::new();
    find_dois(text, &mut found);
    find_labelled(text, "isbn", IdentifierKind::Isbn, &mut found);
    find_labelled(text, "issn", IdentifierKind::Issn, &mut found);
    find_bare_isbns(text, &mut found);
    found.sort_by_key(|f| f.span.start);
    found
}

fn overlaps(found: &[FoundIdentifier], span: &Range<usize>) -> bool {
    found
        .iter()
        .any(|f| f.span.start < span.end && span.start < f.span.end)
}

fn find_dois(text: &str, found: &mut Vec<FoundIdentifier>) {
    for (start, _) in text.match_indices("10.") {
        if preceded_by_word(text, start) || overlaps(found, &(start..start + 3)) {
            continue;
        }
        let rest = &text[start..];
        let len = rest.find(ends_doi_in_text).unwrap_or(rest.len());
        let mut candidate = &rest[..len];
        // Sentence punctuation and closing brackets the DOI did not open.
        loop {
            let before = candidate.len();
            candidate = candidate.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
            for (open, close) in [('(', ')'), ('[', ']')] {
                if candidate.ends_with(close)
                    && candidate.matches(close).count() > candidate.matches(open).count()
                {
                    candidate = &candidate[..candidate.len() - 1];
                }
            }
            if candidate.len() == before {
                break;
            }
        }
        // Only the DOI shape counts as found: `10.5 mg` is not a DOI.
        let Ok(slash) = doi_prefix_end(candidate) else {
            continue;
        };
        if slash + 1 >= candidate.len() {
            continue;
        }
        found.push(FoundIdentifier {
            kind: IdentifierKind::Doi,
            span: start..start + candidate.len(),
            parsed: check_doi(candidate).map(Identifier::Doi),
        });
    }
}

/// Identifiers after their label: `ISBN 978-…`, `ISBN-10: 0-…`, `eISSN
/// 1759-443X`.
fn find_labelled(text: &str, label: &str, kind: IdentifierKind, found: &mut Vec<FoundIdentifier>) {
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices(label) {
        let before = text[..at].chars().next_back();
        let label_ok = match before {
            None => true,
            Some(c) => {
                !c.is_alphanumeric()
                    || (kind == IdentifierKind::Issn && matches!(c, 'e' | 'p' | 'E' | 'P'))
            }
        };
        if !label_ok {
            continue;
        }
        let mut pos = at + label.len();
        let after = &text[pos..];
        for tail in ["-13", "-10", "13", "10"] {
            if after.starts_with(tail) && kind == IdentifierKind::Isbn {
                pos += tail.len();
                break;
            }
        }
        if text[pos..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
            && !text[pos..].starts_with(|c: char| c.is_ascii_digit())
        {
            continue; // "ISBNs", "issnumber"
        }
        let skip = text[pos..]
            .find(|c: char| !(c == ':' || c == '：' || c.is_whitespace()))
            .unwrap_or(text.len() - pos);
        let start = pos + skip;
        let wanted = if kind == IdentifierKind::Isbn { 13 } else { 8 };
        let mut sig = 0;
        let mut end = start;
        let mut tenth_end = None;
        for (i, c) in text[start..].char_indices() {
            let is_sig = c.is_ascii_digit() || c == 'X' || c == 'x';
            if is_sig {
                sig += 1;
                end = start + i + c.len_utf8();
                if sig == 10 {
                    tenth_end = Some(end);
                }
                if sig == wanted {
                    break;
                }
            } else if !is_separator(c) {
                break;
            }
        }
        if sig == 0 {
            continue;
        }
        // An ISBN-10 followed by a space and other digits ("ISBN 0306406152
        // 2010"): the ten when they are valid and the thirteen are not.
        if kind == IdentifierKind::Isbn
            && let Some(t) = tenth_end
        {
            let ten_valid = check_isbn(&text[start..t]).is_ok();
            let all_valid = sig == 13 && check_isbn(&text[start..end]).is_ok();
            if t == end || (ten_valid && !all_valid) {
                end = t;
            }
        }
        let span = start..end;
        if overlaps(found, &span) {
            continue;
        }
        let body = &text[span.clone()];
        let parsed = match kind {
            IdentifierKind::Isbn => check_isbn(body).map(Identifier::Isbn),
            _ => check_issn(body).map(Identifier::Issn),
        };
        found.push(FoundIdentifier { kind, span, parsed });
    }
}

/// ISBNs without a label: a run of digits and hyphens that is a valid
/// ISBN-13 beginning 978/979, or a hyphenated valid ISBN-10.
fn find_bare_isbns(text: &str, found: &mut Vec<FoundIdentifier>) {
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_ascii_digit() || preceded_by_word(text, start) {
            continue;
        }
        let mut end = start + 1;
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii_digit()
                || c == 'X'
                || c == 'x'
                || matches!(c, '-' | '\u{2010}' | '\u{2011}')
            {
                end = i + c.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let run = text[start..end].trim_end_matches(['-', '\u{2010}', '\u{2011}']);
        let span = start..start + run.len();
        let follows_word = text[span.end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if follows_word || overlaps(found, &span) {
            continue;
        }
        let sig = run.chars().filter(|c| c.is_ascii_alphanumeric()).count();
        let plausible = (sig == 13 && (run.starts_with("978") || run.starts_with("979")))
            || (sig == 10 && run.contains('-'));
        if !plausible {
            continue;
        }
        if let Ok(isbn) = check_isbn(run) {
            found.push(FoundIdentifier {
                kind: IdentifierKind::Isbn,
                span,
                parsed: Ok(Identifier::Isbn(isbn)),
            });
        }
    }
}

#[cfg(test)]
mod tests;
