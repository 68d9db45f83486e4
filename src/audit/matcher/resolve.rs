//! Which bibliography entry a reading means: by its people's family names
//! (folded, in Latin script or hanzi, or as pinyin), its title (full,
//! short, truncated, in either script) and its year. Two entries that the
//! reading cannot tell apart are named both, never guessed between.

use std::collections::HashSet;

use super::backref::Of;
use super::index::{Marks, SourceIndex};
use super::read::{Reading, Shape};
use super::text::{is_hanzi, pinyin, squash, umlauts_spelled, words};

/// What a reading resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Key(String),
    /// Entries the reading fits equally well.
    Ambiguous(Vec<String>),
    /// No entry fits.
    Unknown,
}

/// Resolves a reading among the entries. `cited` are the keys cited before
/// in the document, which break ties (a short form names a work cited
/// before).
pub fn resolve(reading: &Reading, index: &SourceIndex, cited: &HashSet<String>) -> Resolution {
    let year: Option<i32> = reading
        .year
        .as_deref()
        .and_then(|y| y.get(..4))
        .and_then(|y| y.parse().ok());
    let title = reading.title.as_deref().map(Title::new);
    let mut candidates: Vec<(&Marks, f32)> = Vec::new();
    for entry in &index.entries {
        let names = reading.names.is_empty() || names_match(&reading.names, &reading.people, entry);
        if !names {
            continue;
        }
        // An author–date reference names its authors only: one the entry
        // lacks (`Smith and Teiwes 1999`) makes it another work.
        if title.is_none()
            && reading.people.len() >= 2
            && !reading.slashed
            && !every_person_named(reading, entry)
        {
            continue;
        }
        let title_score = title.as_ref().map(|t| t.score(entry));
        let year_fits = match (year, entry.year) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        };
        let score = match (reading.names.is_empty(), title_score, year_fits) {
            // A title alone must be near certain.
            (true, Some(t), _) if t >= 0.8 => t,
            (true, _, _) => continue,
            // A known author with another title is another work.
            (false, Some(t), _) if t < 0.6 => continue,
            // A title that fits strongly outweighs a year of another
            // edition; a weaker one needs the year too.
            (false, Some(t), Some(false)) if t < 0.9 => continue,
            (false, Some(t), fits) => t + if fits == Some(true) { 0.2 } else { 0.0 },
            // Author–date: the year decides.
            (false, None, Some(false)) => continue,
            (false, None, Some(true)) => 1.0,
            (false, None, None) if reading.shape == Shape::AuthorDate => continue,
            (false, None, None) => 0.5,
        };
        candidates.push((entry, score));
    }
    let Some(best) = candidates.iter().map(|(_, s)| *s).reduce(f32::max) else {
        return Resolution::Unknown;
    };
    // A title alone that one entry has whole and another begins with (`See
    // Nations and Nationalism, 30`): nothing tells them apart.
    let tolerance = if reading.names.is_empty() { 0.15 } else { 0.05 };
    let mut top: Vec<&Marks> = candidates
        .iter()
        .filter(|(_, s)| (best - s).abs() < tolerance)
        .map(|(e, _)| *e)
        .collect();
    // `前掲書` names a book, `art. cit.` an article.
    if top.len() > 1
        && let Some(of) = reading.back.map(|t| t.of).filter(|o| *o != Of::Any)
    {
        let kind: Vec<&Marks> = top
            .iter()
            .copied()
            .filter(|e| e.is_part == (of == Of::Article))
            .collect();
        if !kind.is_empty() {
            top = kind;
        }
    }
    // `Kang, op. cit.` names Kang's work, not Kang and Sung's.
    if top.len() > 1 && title.is_none() && !reading.names.is_empty() {
        let exact: Vec<&Marks> = top
            .iter()
            .copied()
            .filter(|e| e.families.len() == reading.names.len())
            .collect();
        if !exact.is_empty() {
            top = exact;
        }
    }
    if top.len() > 1 {
        let before: Vec<&Marks> = top
            .iter()
            .copied()
            .filter(|e| cited.contains(&e.key))
            .collect();
        if before.len() == 1 {
            top = before;
        }
    }
    match top.as_slice() {
        [one] => Resolution::Key(one.key.clone()),
        many => Resolution::Ambiguous(many.iter().map(|e| e.key.clone()).collect()),
    }
}

/// The one entry whose family name and title (or year) both appear in the
/// reference's text, wherever they stand; for references read in an order
/// the reader did not expect (`A Book, by Jane Doe, 5`).
pub fn anchored(text: &str, reading: &Reading, index: &SourceIndex) -> Resolution {
    let folded_words = words(text);
    let squashed = squash(text);
    let pinyin_text = pinyin(text);
    let title = reading.title.as_deref().map(Title::new);
    // Any year in the text: `Canaris, JZ 1993, 649` puts it in the title.
    let years: Vec<i32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1400..2100).contains(y))
        .collect();
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    let fits: Vec<&Marks> = index
        .entries
        .iter()
        .filter(|entry| {
            let named = entry.families.iter().flatten().any(|family| {
                if family.chars().any(is_hanzi) {
                    squashed.contains(family.as_str())
                } else {
                    folded_words.iter().any(|w| squash(w) == *family)
                }
            });
            let titled = entry.titles.iter().any(|t| {
                t.chars().count() >= 4
                    && (squashed.contains(t.as_str())
                        || pinyin_text.as_ref().is_some_and(|p| p.contains(t.as_str())))
            }) || title.as_ref().is_some_and(|t| t.score(entry) >= 0.6)
                // The year stands in for a title only where none was read
                // (a title that disagrees names another work by the
                // author), or where what was read is the periodical and the
                // article's first page follows (`Canaris, JZ 1993, 649`).
                || (entry.year.is_some_and(|y| years.contains(&y))
                    && (title.is_none()
                        || title.as_ref().is_some_and(|t| t.names_container(entry))
                        || entry.pages.is_some_and(|(first, _)| numbers.contains(&first))));
            named
                && titled
                && (title.is_some()
                    || reading.people.len() < 2
                    || every_person_named(reading, entry))
        })
        .collect();
    match fits.as_slice() {
        [one] => Resolution::Key(one.key.clone()),
        _ => Resolution::Unknown,
    }
}

/// Whether one of the reading's names is a name of the entry's people:
/// its family name (`Teiwes`), a family name of several words (`Le Goff`,
/// `García Márquez`), a name written family first (`Yang Jisheng`), or a
/// full name in hanzi (`杨继绳`), each compared folded, and as pinyin.
fn names_match(names: &[String], people: &[String], entry: &Marks) -> bool {
    let mut forms: Vec<String> = Vec::new();
    for name in names {
        forms.push(squash(name));
        forms.extend(pinyin(name));
        forms.extend(umlauts_spelled(name).map(|s| squash(&s)));
    }
    for person in people {
        let words: Vec<&str> = person
            .split_whitespace()
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| !w.is_empty())
            .collect();
        for n in 1..=words.len().min(3) {
            forms.push(squash(&words[words.len() - n..].concat()));
            forms.push(squash(&words[..n].concat()));
        }
        forms.push(squash(person));
        forms.extend(pinyin(person));
    }
    forms.retain(|f| f.chars().count() >= 2 || f.chars().any(is_hanzi));
    forms.iter().any(|form| {
        entry.families.iter().flatten().any(|family| family == form)
            || entry.full_names.iter().any(|full| full == form)
            // 杨继绳 for an entry whose family name is 杨.
            || (form.chars().all(is_hanzi)
                && entry
                    .families
                    .iter()
                    .flatten()
                    .any(|family| family.chars().all(is_hanzi) && form.starts_with(family.as_str())))
    })
}

/// Whether each person the reading names is one of the entry's.
fn every_person_named(reading: &Reading, entry: &Marks) -> bool {
    reading.people.iter().enumerate().all(|(i, person)| {
        let name: Vec<String> = reading.names.get(i).cloned().into_iter().collect();
        names_match(&name, std::slice::from_ref(person), entry)
    })
}

/// A title as read, in the forms it is compared in.
struct Title {
    squashed: Vec<String>,
    words: Vec<String>,
}

impl Title {
    fn new(text: &str) -> Self {
        let text = text
            .trim()
            .trim_end_matches(['…', '⋯', '.', ' '])
            .trim_end_matches("...")
            .trim();
        let mut squashed = vec![squash(text)];
        squashed.extend(pinyin(text));
        squashed.retain(|s| s.chars().count() >= 2);
        let words = words(text)
            .into_iter()
            .filter(|w| w.chars().count() >= 3 || w.chars().any(is_hanzi))
            .filter(|w| !STOP.contains(&w.as_str()))
            .collect();
        Self { squashed, words }
    }

    /// Whether the title read is the periodical's or the book's the entry
    /// appears in.
    fn names_container(&self, entry: &Marks) -> bool {
        self.squashed
            .iter()
            .any(|mine| entry.containers.iter().any(|theirs| theirs == mine))
    }

    /// How well the title fits one of the entry's: 1 the same, 0.9 one
    /// begins the other (a short or truncated title), 0.8 one holds the
    /// other, 0.7 most of its words are the entry's.
    fn score(&self, entry: &Marks) -> f32 {
        let mut best: f32 = 0.0;
        for mine in &self.squashed {
            for theirs in &entry.titles {
                let shorter = mine.chars().count().min(theirs.chars().count());
                let score = if mine == theirs {
                    1.0
                } else if shorter >= 4
                    && (theirs.starts_with(mine.as_str()) || mine.starts_with(theirs.as_str()))
                {
                    0.9
                } else if shorter >= 6
                    && (theirs.contains(mine.as_str()) || mine.contains(theirs.as_str()))
                {
                    0.8
                } else {
                    0.0
                };
                best = best.max(score);
            }
        }
        if best < 0.7 && !self.words.is_empty() {
            for theirs in &entry.title_words {
                let found = self.words.iter().filter(|w| theirs.contains(w)).count();
                if found * 10 >= self.words.len() * 6 && found >= 1 {
                    best = best.max(0.7);
                }
            }
        }
        best
    }
}

/// Words that say nothing about which title it is.
const STOP: &[&str] = &[
    "the", "and", "for", "with", "from", "der", "die", "das", "und", "les", "des", "une", "del",
    "della", "los", "las", "una", "von",
];
