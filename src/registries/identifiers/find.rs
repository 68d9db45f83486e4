//! Identifiers found in free text (a `note`, a URL): DOIs, labelled ISBNs
//! and ISSNs, bare ISBNs.

use super::*;

/// Characters that end a DOI in running text.
pub(super) fn ends_doi_in_text(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '<' | '>' | '{' | '}' | '|' | '\\' | '^' | '`')
        || (!c.is_ascii() && !c.is_alphanumeric())
}

pub(super) fn preceded_by_word(text: &str, at: usize) -> bool {
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

pub(super) fn overlaps(found: &[FoundIdentifier], span: &Range<usize>) -> bool {
    found
        .iter()
        .any(|f| f.span.start < span.end && span.start < f.span.end)
}

pub(super) fn find_dois(text: &str, found: &mut Vec<FoundIdentifier>) {
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
pub(super) fn find_labelled(
    text: &str,
    label: &str,
    kind: IdentifierKind,
    found: &mut Vec<FoundIdentifier>,
) {
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
pub(super) fn find_bare_isbns(text: &str, found: &mut Vec<FoundIdentifier>) {
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
