//! One item of a manuscript's reference list, in the common forms.

use super::*;

/// A year from 1400 to 2099, with a letter for a second work of one year.
pub(super) static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])((?:1[4-9]|20)\d\d[a-z]?)(?:[^\d]|$)").expect("valid regex")
});

/// `(1999).`, `(1999a, March 3).`, `(n.d.).` after APA's authors.
pub(super) static APA_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s\((?:(?:1[4-9]|20)\d\d[a-z]?|n\.d\.)[^)]{0,30}\)\.").expect("valid regex")
});

/// One reference-list item: `Family, Given. Title. Place: Publisher, Year.`
/// (Chicago, MLA, ABNT's `FAMILY, Given.`), `Family, I. I., & Family, I.
/// (Year). Title. Publisher.` (APA), `Family, Given. “Article.” Journal …`;
/// a Chinese, Japanese or Korean item as the note reader reads it.
pub(super) fn item(
    text: &str,
    italic: &[std::ops::Range<usize>],
    keys: &mut HashSet<String>,
) -> Option<Work> {
    let text = text.trim();
    if text.chars().count() < 8 {
        return None;
    }
    // Items the note reader reads by their marks (《》, 『』, GB/T).
    if let Some(reading) = read::references(text, italic)
        .into_iter()
        .find(|r| r.shape == Shape::Strong && r.title.is_some() && !r.names.is_empty())
        && text.chars().any(crate::script::is_cjk)
    {
        let authors = reading
            .names
            .iter()
            .map(|n| (n.clone(), String::new()))
            .collect();
        return Some(work(
            authors,
            reading.title?,
            reading.year,
            reading.url,
            keys,
        ));
    }
    let (names, rest) = authors_part(text)?;
    let authors = people(names);
    if authors.is_empty() {
        return None;
    }
    let rest = rest.trim_start().trim_start_matches('.').trim_start();
    // APA: the year in parentheses right after the authors.
    let apa = rest.starts_with('(');
    let (year, rest) = match rest.strip_prefix('(') {
        Some(inner) => match inner.split_once(')') {
            Some((year, after)) => (
                YEAR.captures(year).map(|c| c[1].to_string()),
                after.trim_start_matches(['.', ' ']),
            ),
            None => (None, rest),
        },
        None => (None, rest),
    };
    let title = title(text, rest, italic)?;
    let year = year.or_else(|| YEAR.captures_iter(rest).last().map(|c| c[1].to_string()));
    let url = rest
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|u| u.trim_end_matches(['.', ',', ')']).to_string());
    let mut found = work(authors, title.clone(), year, url, keys);
    let after = rest
        .get(rest.find(title.as_str()).map_or(0, |at| at + title.len())..)
        .unwrap_or(rest);
    // A quoted title (APA: any title) followed by a periodical and its
    // volume is an article: `“Stalinism, Famine….” Theory and Society 13,
    // no. 3 (1984)`, `(2018). Counting the dead. Demography, 12(3), 45–67.`
    let quoted = rest.trim_start().starts_with(['“', '"', '«', '„']);
    match JOURNAL.captures(after).filter(|_| quoted || apa) {
        Some(journal) => found.container = Some(journal[1].trim().to_string()),
        None => found.publisher = publisher(after),
    }
    Some(found)
}

/// A periodical's name and its volume after an article's title.
static JOURNAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s.,”\x22»“]*([\p{L}][\p{L}\s&:'’-]{2,80}?)[\s,]+(?:vol\.\s*)?\d+")
        .expect("valid regex")
});

/// `London: Bloomsbury, 2010` → `(Some("London"), "Bloomsbury")`; APA's
/// `M. E. Sharpe.` after the title → `(None, "M. E. Sharpe")`.
pub(super) fn publisher(after_title: &str) -> Option<(Option<String>, String)> {
    static PLACE_PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\s.,”\x22]*([^.:;]{2,60})\s?:\s*([^,;:]{2,80}?),?\s*(?:1[4-9]|20)\d\d")
            .expect("valid regex")
    });
    static APA_PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\s.]*((?:[A-Z][\w’'&-]*\.?\s?){1,6})\.?\s*$").expect("valid regex")
    });
    if let Some(c) = PLACE_PUBLISHER.captures(after_title) {
        return Some((Some(c[1].trim().to_string()), c[2].trim().to_string()));
    }
    APA_PUBLISHER
        .captures(after_title)
        .map(|c| (None, c[1].trim().trim_end_matches('.').to_string()))
        .filter(|(_, p)| !p.is_empty())
}

/// The authors, up to the full stop that ends them (not an initial's, `C.`,
/// nor one inside `et al.`), and the rest of the item.
pub(super) fn authors_part(text: &str) -> Option<(&str, &str)> {
    // APA: the year in parentheses ends the authors.
    if let Some(m) = APA_YEAR.find(text) {
        return Some((
            text[..m.start()].trim_end_matches([',', '.', ' ']),
            &text[m.start()..],
        ));
    }
    // German notes end the names at a colon: `Müller, Hans: Die Hungersnot.`
    if let Some(colon) = text.find(": ")
        && text[..colon].split_whitespace().count() <= 5
        && text[..colon].contains(',')
        && !text[..colon].contains(". ")
    {
        return Some((&text[..colon], &text[colon + 1..]));
    }
    let initial = |word: &str| {
        let word = word.trim_end_matches('.');
        word.chars().count() == 1 && word.chars().all(char::is_uppercase)
    };
    let mut from = 0;
    while let Some(at) = text[from..].find(". ").map(|i| from + i) {
        let before = &text[..at];
        let word = before.rsplit([' ', ',', '-']).next().unwrap_or(before);
        let next = text[at + 2..].split_whitespace().next().unwrap_or("");
        // `J. R. R. Tolkien`, `Teiwes, F. C.`: an initial goes on when an
        // initial follows it; before a title (`Ralph A. Catastrophe…`,
        // `Thomas P. “Stalinism…”`) its period ends the names too.
        let goes_on = (initial(word) && initial(next))
            || word == "al"
            || word == "Jr"
            || (initial(word) && next.starts_with(|c: char| c.is_lowercase()));
        if goes_on {
            from = at + 2;
            continue;
        }
        // Editors: `…, and Kimberley Ens Manning, eds.` are the names.
        let names = before
            .trim_end_matches([' ', ','])
            .strip_suffix(", eds")
            .or_else(|| before.strip_suffix(", ed"))
            .or_else(|| before.strip_suffix(" (eds"))
            .or_else(|| before.strip_suffix(" (Hrsg"))
            .unwrap_or(before);
        return Some((names, &text[at + 1..]));
    }
    // APA with the year next: `Teiwes, F. C. (1999). …`
    let open = text.find(" (")?;
    Some((text[..open].trim_end_matches([',', '.']), &text[open..]))
}

/// `Teiwes, Frederick C., and Warren Sun` → `[("Teiwes", "Frederick C."),
/// ("Sun", "Warren")]`; `Teiwes, F. C., & Sun, W.`; `NEVES, Lúcia`.
pub(super) fn people(names: &str) -> Vec<(String, String)> {
    let names = names
        .replace(", and ", "; ")
        .replace(" and ", "; ")
        .replace(", & ", "; ")
        .replace(" & ", "; ")
        .replace(" e ", "; ")
        .replace(" und ", "; ")
        .replace(" et ", "; ")
        .replace(" y ", "; ");
    let names = names.trim().trim_end_matches(['.', ',']);
    let mut out: Vec<(String, String)> = Vec::new();
    for person in names.split("; ").map(str::trim).filter(|p| !p.is_empty()) {
        let parts: Vec<&str> = person.split(", ").map(str::trim).collect();
        match parts.as_slice() {
            // `Family, Given`, and APA's `Family, I., Family, I.`.
            [family, given, rest @ ..] => {
                out.push((capitalised(family), given_name(given)));
                for pair in rest.chunks(2) {
                    if let [family, given] = pair {
                        out.push((capitalised(family), given_name(given)));
                    }
                }
            }
            // `Given Family` (a second author in Chicago) or one name.
            [one] => match one.rsplit_once(' ') {
                Some((given, family)) if !one.contains("al.") => {
                    out.push((capitalised(family), given_name(given)))
                }
                _ => out.push((capitalised(one), String::new())),
            },
            [] => {}
        }
    }
    out.retain(|(family, _)| family.chars().next().is_some_and(char::is_alphabetic));
    out
}

/// A given name with its last initial's period (cut with the names' end):
/// `Ralph A` → `Ralph A.`.
fn given_name(given: &str) -> String {
    let last = given.rsplit(' ').next().unwrap_or(given);
    if last.chars().count() == 1 && last.chars().all(char::is_uppercase) {
        format!("{given}.")
    } else {
        given.to_string()
    }
}

/// `NEVES` → `Neves`; `MacFarquhar` stays.
pub(super) fn capitalised(name: &str) -> String {
    let name = name.trim().trim_end_matches('.');
    if name
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && name.chars().count() > 1
    {
        let lower = name.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        name.to_string()
    }
}

/// The title after the authors (and an APA year): in quotation marks, the
/// italic run there, else up to the next full stop.
pub(super) fn title(text: &str, rest: &str, italic: &[std::ops::Range<usize>]) -> Option<String> {
    let rest = rest.trim_start();
    for (open, close) in [('“', '”'), ('"', '"'), ('«', '»'), ('„', '“')] {
        if let Some(inner) = rest.strip_prefix(open) {
            let end = inner.find(close)?;
            return Some(clean(&inner[..end]));
        }
    }
    let at = text.len() - rest.len();
    if let Some(run) = italic.iter().find(|r| r.start >= at && r.start <= at + 2) {
        return text.get(run.clone()).map(clean);
    }
    let end = rest.find(". ").unwrap_or(rest.len());
    let title = clean(&rest[..end]);
    (!title.is_empty()).then_some(title)
}

pub(super) fn clean(title: &str) -> String {
    title
        .trim()
        .trim_end_matches(['.', ',', ':', ';'])
        .trim()
        .to_string()
}
