//! Text as titles, names and journals are compared: Unicode NFKC, case and
//! diacritics folded, punctuation dropped, CJK compared by characters.

use unicode_normalization::UnicodeNormalization;

/// Titles longer than this (in characters, after folding) are cut before
/// the edit distance, which costs the product of the two lengths.
const MAX_COMPARED_CHARS: usize = 600;

/// NFKC (full-width letters, ligatures), then folded as the matcher folds
/// (`crate::script::fold`).
pub(crate) fn fold(text: &str) -> String {
    crate::script::fold(&text.nfkc().collect::<String>())
}

/// Han, kana and hangul: scripts compared character by character (Hangul,
/// though written with spaces, is compared so too).
pub(crate) fn is_cjk(c: char) -> bool {
    crate::script::is_cjk(c) || ('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// Markup that Crossref leaves in titles (`<i>…</i>`, `<sub>`, MathML) taken
/// out, and the common character entities decoded.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let looks_like_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if looks_like_tag => rest = &after[end + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
}

/// The comparable form of a title: markup removed, folded, `&` read as
/// `and`, apostrophes dropped (`China's` = `Chinas`), other punctuation as
/// a space, spaces collapsed, and no space next to a CJK character.
pub(crate) fn title_key(text: &str) -> String {
    let folded = fold(&strip_markup(text));
    let mut spaced = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            '&' => spaced.push_str(" and "),
            '\'' | '’' | '‘' | 'ʼ' | '`' | '´' => {}
            c if c.is_alphanumeric() => spaced.push(c),
            _ => spaced.push(' '),
        }
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = String::with_capacity(spaced.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev_cjk = words[i - 1].chars().last().is_some_and(is_cjk);
            let next_cjk = w.chars().next().is_some_and(is_cjk);
            if !(prev_cjk || next_cjk) {
                out.push(' ');
            }
        }
        out.push_str(w);
    }
    out
}

/// The words of a folded text, punctuation dropped; each CJK character is a
/// word of its own.
pub(crate) fn words(text: &str) -> Vec<String> {
    let key = title_key(text);
    let mut out = Vec::new();
    for w in key.split(' ') {
        let mut current = String::new();
        for c in w.chars() {
            if is_cjk(c) {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(c.to_string());
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Edit distance over characters, a transposition of two neighbours
/// counting as one edit (optimal string alignment: `graet` → `great` is 1).
pub(crate) fn levenshtein(a: &[char], b: &[char]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// 1 − distance / longer length, on two comparable keys; 1.0 for two empty
/// keys. Keys are cut at [`MAX_COMPARED_CHARS`] characters.
pub(crate) fn key_similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().take(MAX_COMPARED_CHARS).collect();
    let b: Vec<char> = b.chars().take(MAX_COMPARED_CHARS).collect();
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    1.0 - levenshtein(&a, &b) as f64 / longer as f64
}

/// Whether every letter of the text is in a Latin block (ASCII, Latin-1,
/// Latin Extended A/B/Additional, IPA); false for a text with no letter.
pub(crate) fn is_latin(text: &str) -> bool {
    let mut any = false;
    for c in text.nfd() {
        if !c.is_alphabetic() {
            continue;
        }
        any = true;
        let latin = matches!(c as u32,
            0x0041..=0x005A | 0x0061..=0x007A
            | 0x00AA | 0x00BA | 0x00C0..=0x024F
            | 0x0250..=0x02AF | 0x1E00..=0x1EFF
            | 0xFB00..=0xFB06 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A);
        if !latin {
            return false;
        }
    }
    any
}

/// The first run of exactly four ASCII digits, read as a year
/// (`"March 2014"` → 2014, `"c1997."` → 1997).
pub(crate) fn first_year(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return text[start..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests;
