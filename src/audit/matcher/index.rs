//! What the matcher knows of each bibliography entry, folded for comparison
//! once per audit: its people's family names (in Latin script, with
//! diacritics folded and umlauts spelled out, and in hanzi with their
//! pinyin), its titles (full, short, original; squashed to letters and as
//! pinyin), its year and its URLs.

use hayagriva::types::EntryType;

use super::text::{fold, is_hanzi, pinyin, squash, umlauts_spelled, words};
use crate::bibliography::{BibEntry, Bibliography};

/// One entry, ready to compare.
#[derive(Debug)]
pub struct Marks {
    pub key: String,
    /// Folded family names (and other spellings of each), per person.
    pub families: Vec<Vec<String>>,
    /// Folded names of the people in full (`yangjisheng`, `jishengyang`).
    pub full_names: Vec<String>,
    /// Titles squashed to letters (`chinasroadtodisaster`), hanzi kept.
    pub titles: Vec<String>,
    /// The same titles as words, for overlap.
    pub title_words: Vec<Vec<String>>,
    pub year: Option<i32>,
    /// Normalised URLs, as written and as parsed.
    pub urls: Vec<String>,
    /// The titles of the periodical or book it appears in, squashed (full
    /// and short): `Author, JZ 1993, 649` names the journal, not the work.
    pub containers: Vec<String>,
    /// Its first and last page, when the entry gives its page range (an
    /// article's or a chapter's extent).
    pub pages: Option<(u32, u32)>,
    /// Whether it is part of something larger (an article in a periodical,
    /// a chapter in a book): what `art. cit.` and `前掲論文` name.
    pub is_part: bool,
    /// Whether it is a work of several volumes cited as a whole (a
    /// `volume-total` and no `volume`): a note names the volume it cites,
    /// and the volume is part of the place.
    pub volumes: bool,
}

/// The bibliography, indexed for the matcher.
#[derive(Debug)]
pub struct SourceIndex {
    pub entries: Vec<Marks>,
}

impl SourceIndex {
    pub fn new(bibliography: &Bibliography) -> Self {
        Self {
            entries: bibliography.entries.iter().map(marks).collect(),
        }
    }
}

fn marks(bib: &BibEntry) -> Marks {
    let entry = &bib.entry;
    let originals: Vec<&hayagriva::Entry> = entry
        .parents()
        .iter()
        .filter(|p| p.entry_type() == &EntryType::Original)
        .collect();
    let people = entry
        .authors()
        .into_iter()
        .chain(entry.editors())
        .flatten()
        .chain(
            originals
                .iter()
                .flat_map(|p| p.authors().into_iter().flatten()),
        );
    let mut families = Vec::new();
    let mut full_names = Vec::new();
    for person in people {
        let family = match &person.prefix {
            Some(prefix) => format!("{prefix} {}", person.name),
            None => person.name.clone(),
        };
        let given = person.given_name.as_deref().unwrap_or("");
        let mut forms = vec![squash(&person.name), squash(&family)];
        forms.extend(umlauts_spelled(&person.name).map(|s| squash(&s)));
        if let Some(p) = pinyin(&person.name) {
            forms.push(p);
        }
        // Hanzi written family-first, given name after: 杨继绳.
        if person.name.chars().any(is_hanzi) {
            full_names.push(format!("{}{given}", person.name));
            full_names.extend(pinyin(&format!("{}{given}", person.name)));
        } else if !given.is_empty() {
            full_names.push(squash(&format!("{family}{given}")));
            full_names.push(squash(&format!("{given}{family}")));
        }
        // An institution of several words is also known by its initials
        // (`Központi Statisztikai Hivatal`: KSH).
        let words: Vec<&str> = person.name.split_whitespace().collect();
        if person.given_name.is_none() && words.len() >= 2 {
            let initials: String = words
                .iter()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .filter_map(|w| w.chars().next())
                .collect();
            if initials.chars().count() >= 2 {
                forms.push(fold(&initials));
            }
        }
        forms.retain(|f| !f.is_empty());
        forms.dedup();
        if !forms.is_empty() {
            families.push(forms);
        }
    }
    let mut titles = Vec::new();
    let mut title_words = Vec::new();
    for title in entry
        .title()
        .into_iter()
        .chain(originals.iter().filter_map(|p| p.title()))
    {
        let mut texts = vec![title.value.to_string()];
        texts.extend(title.short.as_ref().map(|s| s.to_string()));
        for text in texts {
            let text = text.trim_end_matches(['…', '.', ' ']).to_string();
            titles.push(squash(&text));
            titles.extend(pinyin(&text));
            title_words.push(words(&text));
        }
    }
    titles.retain(|t| t.chars().count() >= 2);
    let mut urls: Vec<String> = bib
        .url_as_written
        .iter()
        .map(|u| normalise_url(u))
        .collect();
    if let Some(url) = entry.url() {
        urls.push(normalise_url(url.value.as_str()));
    }
    let mut containers = Vec::new();
    for parent in entry
        .parents()
        .iter()
        .filter(|p| p.entry_type() != &EntryType::Original)
    {
        if let Some(title) = parent.title() {
            containers.push(squash(&title.value.to_string()));
            containers.extend(title.short.as_ref().map(|s| squash(&s.to_string())));
        }
    }
    containers.retain(|t| t.chars().count() >= 2);
    Marks {
        key: bib.key.clone(),
        families,
        full_names,
        titles,
        title_words,
        year: entry.date().map(|d| d.year),
        urls,
        is_part: matches!(entry.entry_type(), EntryType::Article | EntryType::Chapter)
            || !containers.is_empty(),
        containers,
        pages: page_range(entry),
        volumes: entry
            .volume_total()
            .and_then(|n| n.single_number())
            .is_some_and(|n| n > 1)
            && entry.volume().is_none(),
    }
}

/// The entry's page range, first and last page, when both are numbers.
fn page_range(entry: &hayagriva::Entry) -> Option<(u32, u32)> {
    let range = entry.page_range()?;
    let text = format!("{range:?}");
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [first, last, ..] if first <= last => Some((*first, *last)),
        [only] => Some((*only, *only)),
        _ => None,
    }
}

/// A URL as compared: no scheme, no `www.`, no trailing slash, decoded,
/// folded.
pub fn normalise_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let url = url.strip_prefix("www.").unwrap_or(url);
    fold(&crate::bibliography::percent_decode(url))
}
