//! What a hand-typed citation found is completed with: the volume it
//! names apart, the extent of a range, the work a reference refers to,
//! the work a back-reference points to.

use super::*;

/// The volume of a work in several volumes, when the note names it apart
/// from the page (`dl. I (Amsterdam 1986) 120`, `《国史大纲》上册，…，第45页`):
/// the place cited is the volume's page.
pub(super) fn volume(found: &mut HandTyped, index: &SourceIndex) {
    let volumes = found
        .key
        .as_ref()
        .and_then(|k| index.entries.iter().find(|e| &e.key == k))
        .is_some_and(|marks| marks.volumes);
    let Some(locator) = found.locator.as_deref().filter(|_| volumes) else {
        return;
    };
    let has_volume = crate::locator::parse(locator).is_ok_and(|l| {
        l.parts
            .iter()
            .any(|p| matches!(p.kind, crate::locator::Kind::Volume))
    });
    if has_volume {
        return;
    }
    if let Some(volume) = read::volume_in(&found.excerpt) {
        // Joined as the note joins its parts: `上册，第45页`, `Т. 1. С. 45`,
        // `dl. I, 120`.
        let after = found
            .excerpt
            .find(&volume)
            .map(|at| &found.excerpt[at + volume.len()..]);
        let joint = match after.and_then(|a| a.chars().next()) {
            Some('，') => "，",
            Some('.') => ". ",
            _ if volume.chars().any(text::is_hanzi) => "，",
            _ => ", ",
        };
        found.locator = Some(format!("{volume}{joint}{locator}"));
    }
}

/// The pages of the work that a citation gives besides the page cited:
/// the range before a pinpoint (`512–38, at 520`), or the locator itself
/// when it is the entry's own range (`С. 3–24` for an article of pages
/// 3–24: the note cites the article, not pages of it).
pub(super) fn extent(found: &mut HandTyped, index: &SourceIndex) {
    let Some(marks) = found
        .key
        .as_ref()
        .and_then(|k| index.entries.iter().find(|e| &e.key == k))
    else {
        return;
    };
    let cited: Vec<(u32, u32)> = found
        .locator
        .as_deref()
        .and_then(|l| crate::locator::parse(l).ok())
        .map(|l| l.page_ranges().collect())
        .unwrap_or_default();
    if let (Some(range), [only]) = (marks.pages, cited.as_slice())
        && range == *only
        && range.0 != range.1
    {
        found.read.extent = Some(range);
        found.locator = None;
        return;
    }
    // A range in the excerpt that holds the page cited.
    static RANGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(\d+)\s?[-–]\s?(\d+)").expect("valid regex")
    });
    let Some(&(page, _)) = cited.first() else {
        return;
    };
    for caps in RANGE.captures_iter(&found.excerpt) {
        let (Ok(first), Ok(written)) = (caps[1].parse::<u32>(), caps[2].parse::<u32>()) else {
            continue;
        };
        // `512–38`: the end abbreviated.
        let last = if written < first {
            let digits = caps[2].len() as u32;
            let base = first - first % 10u32.pow(digits);
            base + written
        } else {
            written
        };
        if first < last && (first..=last).contains(&page) && (first, last) != (page, page) {
            // A range the locator itself gives is cited, not the extent.
            if cited.contains(&(first, last)) {
                continue;
            }
            found.read.extent = Some((first, last));
            return;
        }
    }
}

/// The work a note reference (`(n 4)`) points to among that note's works:
/// the only one, or the one the reference's names fit.
pub(super) fn referred(reading: &Reading, works: &[Work], index: &SourceIndex) -> Option<Work> {
    if let [one] = works {
        return Some(one.clone());
    }
    let named: Vec<&Work> = works
        .iter()
        .filter(|w| match w {
            Work::Known(key) => index.entries.iter().any(|e| {
                &e.key == key
                    && reading
                        .names
                        .iter()
                        .any(|n| e.families.iter().flatten().any(|f| *f == text::squash(n)))
            }),
            Work::Unknown(excerpt) | Work::Legal(excerpt) => reading
                .names
                .iter()
                .any(|n| text::fold(excerpt).contains(&text::fold(n))),
        })
        .collect();
    match named.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}

/// A reference as it is quoted in a finding: as typed, without the full
/// stop that ends the note (but with the period of `Ibid.` or `ff.`).
pub(super) fn excerpt(text: &str) -> String {
    let text = text.trim();
    let stop = text.strip_suffix('.').filter(|rest| {
        rest.ends_with(|c: char| c.is_numeric() || matches!(c, '”' | ')' | ']' | '"' | '»'))
    });
    stop.unwrap_or(text).to_string()
}

/// A back-reference to the note before: its work, or why there is none.
/// After a note that cites several works, each is named (the author meant
/// them all, or `ambiguous-ibid` says which is meant), without a locator.
/// A legal authority before is this note's too (`Id. at 154` after a case).
pub(super) fn back(
    reading: &Reading,
    antecedent: &Antecedent,
    hand: &dyn Fn(Option<String>, Option<Problem>) -> HandTyped,
    legal: &mut Vec<(String, legal::Authority)>,
) -> Vec<HandTyped> {
    let (number, works) = match antecedent {
        Antecedent::Nothing(why) => {
            return vec![hand(None, Some(Problem::NoAntecedent(why.clone())))];
        }
        Antecedent::Works(number, works) => (number, works),
    };
    let single = works.len() == 1;
    // `Ibid., 12` after a note citing several works: a page is in one of
    // them, and nothing tells which.
    let known: Vec<String> = works
        .iter()
        .filter_map(|w| match w {
            Work::Known(key) => Some(key.clone()),
            _ => None,
        })
        .collect();
    if !single && reading.locator.is_some() && known.len() > 1 {
        let mut found = hand(None, Some(Problem::Ambiguous(known)));
        found.ibid = true;
        return vec![found];
    }
    works
        .iter()
        .filter_map(|work| {
            let mut found = match work {
                Work::Known(key) => hand(Some(key.clone()), None),
                Work::Unknown(excerpt) => hand(
                    None,
                    Some(Problem::UnknownAntecedent(format!(
                        "footnote {number}: “{excerpt}”"
                    ))),
                ),
                Work::Legal(excerpt) => {
                    legal.push((excerpt.clone(), legal::Authority::Case));
                    return None;
                }
            };
            found.ibid = reading.back.is_some();
            if !single {
                found.locator = None;
            }
            Some(found)
        })
        .collect()
}

/// The family names of the people of these works.
pub(super) fn authors_of(works: &[Work], index: &SourceIndex) -> Vec<String> {
    works
        .iter()
        .filter_map(|w| match w {
            Work::Known(key) => index.entries.iter().find(|e| &e.key == key),
            Work::Unknown(_) | Work::Legal(_) => None,
        })
        .flat_map(|e| e.families.iter().filter_map(|f| f.first().cloned()))
        .collect()
}
