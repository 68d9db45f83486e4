//! Labelled, bare and trailing locators, and the pages in a piece of a
//! note.

use super::*;

/// A labelled locator (`p. 5`, `pp.7-9`, `S. 17 f.`, `第88页`, `§ 59 Rn 1`)
/// in `range`: the first label from which a locator can be read, read as
/// far as it goes.
/// The volume a reference names apart from its locator: `dl. I (Amsterdam
/// 1986) 120`, `《国史大纲》上册，…，第45页`, `第2巻`, `제2권`. Counts of
/// volumes (`2 vols.`, `в 12 т.`) are no volume.
pub fn volume_in(text: &str) -> Option<String> {
    static CJK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:[上中下]|[第제][0-9０-９一二三四五六七八九十百]+)[册冊卷巻권]")
            .expect("valid regex")
    });
    if let Some(found) = CJK.find(text) {
        return Some(found.as_str().to_string());
    }
    let mut from = 0;
    let volume = |text: &str| {
        locator::parse(text).is_ok_and(|l| {
            l.parts
                .iter()
                .all(|p| matches!(p.kind, locator::Kind::Volume))
        })
    };
    while let Some((at, found)) = labelled_locator(text, from..text.len()) {
        // `dl. II, blz. 12`, `Т. 1. С. 45`: the volume before the page.
        let ends = found
            .char_indices()
            .filter(|&(i, c)| c == ',' || (c == '.' && found[i + 1..].starts_with(' ')))
            .map(|(i, c)| i + c.len_utf8())
            .chain([found.len()]);
        let shortest = ends
            .map(|end| found[..end].trim_end_matches(',').trim())
            .find(|prefix| volume(prefix));
        if let Some(shortest) = shortest {
            return Some(shortest.trim_end_matches('.').to_string());
        }
        from = at.end;
    }
    None
}

pub(super) fn labelled_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let text = &prose[range.clone()];
    for (i, _) in text.char_indices() {
        let before = text[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[i..];
        let chinese = rest.starts_with('第');
        let Some((_, label_len)) = locator::labels::at_start(rest)
            .or(chinese.then_some((locator::labels::LABELS.first().expect("labels"), 0)))
        else {
            continue;
        };
        // A label is followed by what it numbers (`p. 5`, `S. xiv`), not by
        // another abbreviation (`L. Rev.`, `S. Ct.`: a journal, a court).
        let after_label = rest[label_len..].trim_start();
        if !chinese
            && !after_label.starts_with(|c: char| {
                c.is_ascii_digit()
                    || matches!(c, 'i' | 'v' | 'x' | 'l' | 'I' | 'V' | 'X' | 'L' | 'C' | '§')
            })
        {
            continue;
        }
        // Postfix labels (`5. évf.`, `3. sz.`) number what comes before them.
        if POSTFIX.iter().any(|p| {
            rest.get(..p.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(p))
        }) {
            continue;
        }
        // The longest prefix that reads as a locator, up to a parenthesis,
        // a Chinese full stop or 80 bytes.
        let stops: &[char] = if chinese {
            &['(', ')', '。', '、', '，', ',']
        } else {
            &['(', ')', '。']
        };
        let mut candidate_end = rest.find(stops).unwrap_or(rest.len()).min(80);
        while !rest.is_char_boundary(candidate_end) {
            candidate_end -= 1;
        }
        let candidate = &rest[..candidate_end];
        let mut best: Option<&str> = None;
        for (j, c) in candidate.char_indices().chain([(candidate.len(), ' ')]) {
            if j == 0 || !(matches!(c, ' ' | ',' | '.' | ';' | '、' | '，') || j == candidate.len())
            {
                continue;
            }
            let piece = candidate[..j].trim_end_matches([',', ';', ' ', '、', '，']);
            let piece_with_dot = candidate.get(..j + 1).filter(|p| p.ends_with('.'));
            for piece in [piece_with_dot.unwrap_or(piece), piece] {
                let labelled =
                    |l: &locator::Locator| l.parts.first().is_some_and(|p| p.label.is_some());
                if !locator_words(piece) {
                    continue;
                }
                if locator::parse(piece).is_ok_and(|l| labelled(&l) && numbered(&l)) {
                    best = Some(piece);
                    break;
                }
            }
        }
        if let Some(best) = best {
            let start = range.start + i;
            return Some((start..start + best.len(), normalise(best)));
        }
    }
    None
}

/// Whether every place a locator names has a number in it: in prose, "the
/// book Robert L. Worden wrote" is no locator, "book 3" is.
pub(super) fn numbered(locator: &locator::Locator) -> bool {
    locator
        .parts
        .iter()
        .flat_map(|p| &p.items)
        .all(|item| match item {
            locator::Item::Text(text) => text.chars().any(|c| c.is_numeric()) || roman(text),
            _ => true,
        })
}

/// A Roman numeral in capitals (`I`, `IV`, `XII`): a volume's or a part's
/// number.
pub(super) fn roman(text: &str) -> bool {
    (1..=8).contains(&text.len())
        && text
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// A bare locator after the last comma or colon of `range`: `, 85.`,
/// `: 40`, `, 86–88.`, `, xiv`, `, 112 ff.`, `, 2:45`.
pub(super) fn bare_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    let full = &prose[range.clone()];
    let text = full.trim_end().trim_end_matches(['.', '。']);
    // The pieces between commas and colons, each a candidate; the first
    // that reads as pages wins (what follows it is commentary), but a year
    // gives way to pages after it.
    // Pieces inside parentheses (`(Washington, DC, 1960)`) are the place
    // of publication, never the locator.
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut inside = false;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '（' => {
                depth += 1;
                inside = true;
            }
            ')' | '）' => depth -= 1,
            ',' | ':' | '，' | '：' | '、' if depth <= 0 => {
                if !inside {
                    pieces.push((start, &text[start..i]));
                }
                start = i + c.len_utf8();
                inside = false;
            }
            ',' | ':' | '，' | '：' | '、' => {
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !inside || text[start..].contains('(') {
        pieces.push((start, &text[start..]));
    }
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    for (n, &(at, piece)) in pieces.iter().enumerate() {
        // `2:45`: a volume before the colon belongs to the locator.
        let (at, piece) = match pieces.get(n + 1) {
            Some(&(next_at, next))
                if text[at + piece.len()..].starts_with(':')
                    && piece.trim().chars().all(|c| c.is_ascii_digit())
                    && !piece.trim().is_empty()
                    && next.trim().starts_with(|c: char| c.is_ascii_digit()) =>
            {
                (at, &text[at..next_at + next.len()])
            }
            _ => (at, piece),
        };
        let lead = piece.len() - piece.trim_start().len();
        // `130.`: the ordinal's period of Hungarian and others, no part of
        // the page.
        let candidate = piece.trim().trim_end_matches(')');
        let candidate = match candidate.strip_suffix('.') {
            Some(bare) if bare.ends_with(|c: char| c.is_ascii_digit()) => bare,
            _ => candidate,
        };
        if let Some(hit) = pages_in(candidate) {
            let start = range.start + at + lead;
            let is_year = YEAR.is_match(candidate) && candidate.len() == 4;
            found.push((start + hit.0.start..start + hit.0.end, hit.1));
            if !is_year {
                break;
            }
        }
    }
    // A year alone is a page only when nothing else is.
    let year_only = found.len() == 1 && found[0].1.len() == 4 && YEAR.is_match(&found[0].1);
    match found.pop() {
        Some(hit) if !year_only => Some(hit),
        other => tail_locator(prose, range).or(other),
    }
}

/// The page at the very end of a reference, after a full stop, a
/// parenthesis or a colon, as Dutch, Hungarian and others write it: `(Haarlem
/// 1919) 45`, `1934. 112`, `1913. 45. o.`, `345–367., itt: 350`. Not a year.
pub(super) fn tail_locator(prose: &str, range: Range<usize>) -> Option<(Range<usize>, String)> {
    static TAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^\s*|[.:),]\s*|\s(?i:at|aldaar|hier|here|itt|tu|zde|tutaj|särskilt|særlig|esp\.|especially|insb\.|bes\.)\s+)(?P<loc>\d+(?:\s?[-–]\s?\d+)?(?:\.?\s?(?:ff?\.|skk?\.|kk\.|sqq?\.|e\.v\.|et seq\.|[op]\.))?)\s*[.)]?\s*$",
        )
        .expect("valid regex")
    });
    let text = &prose[range.clone()];
    let caps = TAIL.captures(text)?;
    let found = caps.name("loc")?;
    let written = found.as_str();
    // A year-like number is a page only after `at` (`supra note 9 at 1750`).
    let after_at = text[..found.start()]
        .trim_end()
        .to_lowercase()
        .ends_with(" at");
    if YEAR.is_match(written) && written.trim_end_matches(['.', ' ']).len() == 4 && !after_at {
        return None;
    }
    // Inside a title or a date (`1780-1848'`, `13 maart 1981`) it would not
    // end the reference.
    let parsed = locator::parse(written).ok()?;
    parsed.page_ranges().next()?;
    let start = range.start + found.start();
    Some((start..range.start + found.end(), normalise(written)))
}

/// Pages in one piece of a note: `85`, `86–88`, `xiv`, `112 ff.`, `2:45`,
/// and `1234 (1236)` (the first page of an article, then the page cited).
pub(super) fn pages_in(candidate: &str) -> Option<(Range<usize>, String)> {
    if candidate.is_empty() || !candidate.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    // `130쪽을 비교할 것`, `60頁を参照`: a particle or a verb after the label.
    if let Some(at) = candidate.find(['쪽', '면', '頁', '页']) {
        let end = at + candidate[at..].chars().next().map_or(3, char::len_utf8);
        if end < candidate.len() {
            return pages_in(&candidate[..end]);
        }
    }
    static PINPOINT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d+\s*\((\d+(?:\s*[-–]\s*\d+)?)$").expect("valid regex"));
    if let Some(caps) = PINPOINT.captures(candidate) {
        let cited = caps.get(1).expect("group");
        let first: u32 = candidate[..candidate.find(|c: char| !c.is_ascii_digit()).unwrap_or(0)]
            .parse()
            .unwrap_or(0);
        let pin: u32 = cited
            .as_str()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        // `649 (650)`: the page cited in an article; `505 (1999)`: a page
        // and the year, as the Bluebook writes them.
        if (first..=first + 200).contains(&pin) {
            return Some((cited.start()..cited.end() + 1, normalise(cited.as_str())));
        }
        let page = &candidate[..candidate.find(" (").unwrap_or(candidate.len())];
        return Some((0..page.len(), normalise(page)));
    }
    let parsed = locator::parse(candidate).ok()?;
    let pages = parsed.parts.iter().all(|p| {
        matches!(
            p.kind,
            locator::Kind::Page | locator::Kind::Volume | locator::Kind::Note
        )
    });
    (pages && parsed.page_parts().next().is_some())
        .then(|| (0..candidate.len(), normalise(candidate)))
}

/// A locator with its spacing normalised: `pag.387` → `pag. 387`, `7 - 9`
/// → `7-9`.
pub(super) fn normalise(locator: &str) -> String {
    let locator = locator.trim().trim_end_matches([',', ';']);
    let mut out = String::new();
    let mut rest = locator;
    if let Some((label, len)) = locator::labels::at_start(rest)
        && label.text.ends_with('.')
    {
        out.push_str(&rest[..len]);
        out.push(' ');
        rest = rest[len..].trim_start();
    }
    out.push_str(&rest.split_whitespace().collect::<Vec<_>>().join(" "));
    for dash in ["-", "–", "—"] {
        out = out
            .replace(&format!(" {dash} "), dash)
            .replace(&format!("{dash} "), dash)
            .replace(&format!(" {dash}"), dash);
    }
    out
}
