//! Years and the locator of a reference: labelled, after a periodical's
//! issue, a pinpoint in a page range.

use super::*;

/// The first year in `text`.
pub(super) fn year_in(text: &str) -> Option<String> {
    YEAR.captures(text)
        .map(|c| format!("{}{}", &c[1], c.get(2).map_or("", |m| m.as_str())))
}

/// The locator in `range`: labelled anywhere, else bare after the last
/// comma or colon.
pub(super) fn locator_in(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
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
pub(super) fn after_issue(
    prose: &str,
    (range, text): (Range<usize>, String),
) -> (Range<usize>, String) {
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
pub(super) fn pinpoint(
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
pub(super) fn abbreviation_dot(
    prose: &str,
    (range, text): (Range<usize>, String),
) -> (Range<usize>, String) {
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
pub(super) const ABBREVIATED: &[&str] = &[
    "f", "ff", "sq", "sqq", "seq", "sgg", "ss", "s", "o", "skk", "nn", "n",
];

/// Whether every word of `text` is one a locator is written with: labels,
/// numbers (arabic, roman, with letters), dashes, joining words, `f.`,
/// `ff.`, `passim` — not prose (`Т. 1: Курс русской истории` is a title).
pub(super) fn locator_words(text: &str) -> bool {
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
pub(super) const POSTFIX: &[&str] = &["évf.", "sz.", "köt.", "füz."];
