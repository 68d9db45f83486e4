//! Titles compared: normalised, subtitle-tolerant, a `RETRACTED:` prefix
//! and a cut at a colon or dash allowed, a few words missing or misspelt.

use super::*;

/// Registry titles of retracted works may carry this; it is not part of
/// the title the entry cites.
pub(super) fn without_retracted_prefix(title: &str) -> &str {
    let t = title.trim_start();
    for prefix in [
        "RETRACTED ARTICLE:",
        "RETRACTED:",
        "Retracted:",
        "WITHDRAWN:",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim_start();
        }
    }
    t
}

/// The comparable forms of a title cut at each main-title separator
/// (`Title: subtitle` → `title`), shortest first.
pub(super) fn cuts(title: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in title.char_indices() {
        let is_cut = match c {
            ':' | '：' | '?' | '？' | '!' | '！' | '。' | '—' => true,
            '.' | '–' => title[i + c.len_utf8()..].starts_with(' '),
            _ => false,
        };
        if is_cut {
            let key = title_key(&title[..i]);
            if !key.is_empty() && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// Numbers in a title (years, volumes).
pub(super) fn numbers(key: &str) -> Vec<&str> {
    key.split(' ')
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Words of one title that are in the other neither as they are nor with a
/// typo (an edit distance of at most a quarter of the word, at least 1).
pub(super) fn missing_words(a: &[&str], b: &[&str]) -> usize {
    a.iter()
        .filter(|w| !b.contains(w))
        .filter(|w| {
            let wc: Vec<char> = w.chars().collect();
            let allowed = (wc.len() / 4).max(1);
            !b.iter().any(|x| {
                let xc: Vec<char> = x.chars().collect();
                levenshtein(&wc, &xc) <= allowed
            })
        })
        .count()
}

/// Similar titles: a similarity of at least [`TITLE_THRESHOLD`]; the same
/// numbers when both have some (`Yearbook 1958` ≠ `Yearbook 1959`); and,
/// for titles in words, at most one word in ten (at least one) without a
/// counterpart, so that one changed word of a short title (`Famine` ≠
/// `Family`) is a different title while typos are not.
pub(super) fn fuzzy(a: &str, b: &str) -> TitleMatch {
    let s = key_similarity(a, b);
    let (na, nb) = (numbers(a), numbers(b));
    let numbers_ok = na.is_empty() || nb.is_empty() || na == nb;
    let words_ok = if a.chars().chain(b.chars()).any(is_cjk) {
        true
    } else {
        let wa: Vec<&str> = a.split(' ').take(200).collect();
        let wb: Vec<&str> = b.split(' ').take(200).collect();
        let missing = missing_words(&wa, &wb) + missing_words(&wb, &wa);
        missing <= ((wa.len() + wb.len()) / 10).max(1)
    };
    if s >= TITLE_THRESHOLD && numbers_ok && words_ok {
        TitleMatch::Similar(s)
    } else {
        TitleMatch::Different(s)
    }
}

/// Compares an entry's title with a registry's title and subtitle:
/// normalised (NFKC, case, diacritics, punctuation, `&` = `and`), tolerant
/// of a subtitle present on one side only (or a title cut at a colon or
/// period), then by similarity with [`TITLE_THRESHOLD`] and equal numbers.
pub fn compare_titles(entry: &str, registry: &str, registry_subtitle: Option<&str>) -> TitleMatch {
    let entry = without_retracted_prefix(entry);
    let registry = without_retracted_prefix(registry);
    let e = title_key(entry);
    let r = title_key(registry);
    let full = registry_subtitle
        .filter(|s| !s.trim().is_empty())
        .map(|s| format!("{registry}: {s}"));
    let f = full.as_deref().map(title_key);
    if e.is_empty() || r.is_empty() {
        return TitleMatch::Different(0.0);
    }
    if f.as_deref() == Some(e.as_str()) {
        return TitleMatch::Same;
    }
    if e == r {
        // The entry leaves out the registry's subtitle.
        return if f.is_some() {
            TitleMatch::SubtitleDiffers
        } else {
            TitleMatch::Same
        };
    }
    let mut candidates = vec![fuzzy(&e, &r), cut_match(entry, registry, &e, &r)];
    if let (Some(full), Some(f)) = (full.as_deref(), f.as_deref()) {
        candidates.push(fuzzy(&e, f));
        candidates.push(cut_match(entry, full, &e, f));
    }
    // A match beats a difference; among either, the higher score wins (a
    // subtitle difference scores 1.0).
    let rank = |m: TitleMatch| (u8::from(m.is_match()), m.score());
    candidates
        .into_iter()
        .fold(TitleMatch::Different(0.0), |best, m| {
            if rank(m) > rank(best) { m } else { best }
        })
}

/// A subtitle on one side only: one title equals the other cut at a
/// separator, exactly or (for a cut of three words or more) fuzzily.
pub(super) fn cut_match(entry: &str, registry: &str, e: &str, r: &str) -> TitleMatch {
    let mut best = TitleMatch::Different(0.0);
    for (cuts_of, other) in [(cuts(registry), e), (cuts(entry), r)] {
        for cut in cuts_of {
            if cut == other {
                return TitleMatch::SubtitleDiffers;
            }
            if (cut.split(' ').count() >= 3 || cut.chars().filter(|c| is_cjk(*c)).count() >= 4)
                && let TitleMatch::Similar(_) = fuzzy(&cut, other)
            {
                best = TitleMatch::SubtitleDiffers;
            }
        }
    }
    best
}
