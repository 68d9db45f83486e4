//! DOIs: the forms they are written in, and their syntax.

use super::*;

pub(super) const DOI_FORMS: [&str; 11] = [
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
pub(super) fn percent_decode(text: &str) -> String {
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
pub(super) fn doi_prefix_end(text: &str) -> Result<usize, IdentifierError> {
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
