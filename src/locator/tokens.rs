//! A locator's words: numbers (arabic, roman, Chinese), labels, ranges,
//! separators, each with whether a space came before it.

use super::*;

/// One piece of a locator as the tokenizer sees it.
#[derive(Debug, Clone)]
pub(super) enum Token<'a> {
    Label(&'static Label, &'a str, bool),
    /// A number, numeral or word (`387`, `xii`, `2.3.3`, `12a`).
    Word(&'a str),
    Dash(&'a str),
    /// `,`, `&`, `and`, `et`, `und`, `e`, `y`: the next item of the list.
    And,
    /// `;`: the next group, which may bring its own label.
    Semicolon,
    Following(Following),
    Passim,
    /// `第88页`: a Chinese locator, its inside and its kind.
    Chinese(&'a str, Kind),
}

/// Words that join the items of a list, in the languages theses use.
pub(super) const AND: &[&str] = &["and", "et", "und", "e", "y"];

/// Splits a locator into tokens.
pub(super) fn tokens(text: &str) -> Vec<(Token<'_>, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut spaced_before = false;
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.len() != rest.len() {
            spaced_before = true;
            rest = trimmed;
            continue;
        }
        let (token, len) = next_token(rest);
        out.push((token, spaced_before));
        spaced_before = false;
        rest = &rest[len..];
    }
    out
}

pub(super) fn next_token(rest: &str) -> (Token<'_>, usize) {
    if let Some(chinese) = chinese(rest) {
        return chinese;
    }
    if let Some((label, len)) = labels::at_start(rest) {
        let spaced = rest[len..].starts_with(char::is_whitespace);
        return (Token::Label(label, &rest[..len], spaced), len);
    }
    for (written, following) in [
        ("ff.", Following::Many),
        ("ff", Following::Many),
        ("sqq.", Following::Many),
        ("sgg.", Following::Many),
        ("segg.", Following::Many),
        ("ss.", Following::Many),
        ("sg.", Following::One),
        ("sq.", Following::One),
        ("et seq.", Following::Many),
        ("e.v.", Following::Many),
        ("i n.", Following::Many),
        ("i nast.", Following::Many),
        ("skk.", Following::Many),
        ("kk.", Following::Many),
        ("et s.", Following::One),
        ("f.", Following::One),
        ("s.", Following::One),
    ] {
        if rest
            .get(..written.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(written))
            && !rest[written.len()..].starts_with(char::is_alphanumeric)
        {
            return (Token::Following(following), written.len());
        }
    }
    // `45f.`, `12ff.`, `12ff`: the page, then its `f.`/`ff.` (read as the
    // next token), as German and English often write them, unspaced.
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let after = &rest[digits..];
        let following = ["ff.", "ff", "f."].iter().find(|w| {
            after.starts_with(**w) && !after[w.len()..].starts_with(char::is_alphanumeric)
        });
        if following.is_some() {
            return (Token::Word(&rest[..digits]), digits);
        }
    }
    for dash in ["--", "—", "–", "‒", "-"] {
        if rest.starts_with(dash) {
            return (Token::Dash(dash), dash.len());
        }
    }
    match rest.chars().next() {
        Some(',' | '&') => return (Token::And, 1),
        Some(';') => return (Token::Semicolon, 1),
        _ => {}
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '-' | '–' | '—' | '‒'))
        .unwrap_or(rest.len());
    let word = &rest[..end.max(rest.chars().next().map_or(1, char::len_utf8))];
    let bare = word.trim_end_matches('.');
    if AND.iter().any(|a| bare.eq_ignore_ascii_case(a)) && word.len() == bare.len() {
        return (Token::And, word.len());
    }
    if bare.eq_ignore_ascii_case("passim") {
        return (Token::Passim, word.len());
    }
    (Token::Word(word), word.len())
}

/// A locator whose label follows the pages, as Japanese, Korean and
/// Hungarian write it (`45頁`, `30–32頁`, `45~47쪽`, `12. o.`), with the label
/// moved before them (`頁 45`, `쪽 45–47`, `o. 12`) so that one parser reads
/// every locator.
pub(super) fn suffixed(whole: &str) -> Option<String> {
    use std::sync::LazyLock;
    static SUFFIXED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?P<items>[0-9ivxlcdm][0-9ivxlcdm\s,、–\-~〜]*?)(?:\.\s*(?P<o>[op]\.?)|\s*(?P<cjk>頁|页|쪽|면))$",
        )
        .expect("valid regex")
    });
    let caps = SUFFIXED.captures(whole)?;
    let label = match caps.name("o") {
        Some(_) => "o.",
        None => caps.name("cjk")?.as_str(),
    };
    let items = caps["items"]
        .trim()
        .replace(['~', '〜'], "–")
        .replace('、', ", ");
    Some(format!("{label} {items}"))
}

/// `第88页`, `第3章`, `第2节`: the number between 第 and a measure word.
pub(super) fn chinese(rest: &str) -> Option<(Token<'_>, usize)> {
    let inner = rest.strip_prefix('第')?;
    let (end, c) = inner.char_indices().find(|(_, c)| {
        matches!(
            c,
            '页' | '頁'
                | '章'
                | '节'
                | '節'
                | '条'
                | '條'
                | '卷'
                | '巻'
                | '册'
                | '号'
                | '號'
                | '回'
        )
    })?;
    let kind = match c {
        '页' | '頁' => Kind::Page,
        '章' => Kind::Chapter,
        '节' | '節' => Kind::Section,
        '条' | '條' => Kind::Article,
        '号' | '號' => Kind::Issue,
        '回' => Kind::Issue,
        _ => Kind::Volume,
    };
    let len = '第'.len_utf8() + end + c.len_utf8();
    Some((Token::Chinese(inner[..end].trim(), kind), len))
}
