//! What a bibliography entry says that a registry can check: the
//! identifiers written in it (and where), and its facts for comparison.

use hayagriva::Entry;
use hayagriva::types::EntryType;

use super::compare::EntryFacts;
use super::csl::WorkKind;
use super::identifiers::{IdentifierKind, find_identifiers};

/// An identifier as the entry writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub kind: IdentifierKind,
    pub text: String,
    /// The field it is written in (`doi`, `isbn`, `issn`, `note`).
    pub field: &'static str,
}

/// The identifiers an entry writes: its `serial-number`s (BibLaTeX's `doi`,
/// `isbn`, `issn`), its periodical's ISSN, and those written in its note.
pub fn identifiers(entry: &Entry) -> Vec<Written> {
    let mut out = Vec::new();
    let mut push = |kind, text: &str, field| {
        let text = text.trim();
        if !text.is_empty() && !out.iter().any(|w: &Written| w.text == text) {
            out.push(Written {
                kind,
                text: text.to_string(),
                field,
            });
        }
    };
    if let Some(doi) = entry.doi() {
        push(IdentifierKind::Doi, doi, "doi");
    }
    if let Some(isbn) = entry.isbn() {
        push(IdentifierKind::Isbn, isbn, "isbn");
    }
    if let Some(issn) = entry.issn() {
        push(IdentifierKind::Issn, issn, "issn");
    }
    for parent in entry.parents() {
        if let Some(issn) = parent.issn() {
            push(IdentifierKind::Issn, issn, "issn");
        }
    }
    if let Some(note) = entry.note() {
        let note = note.value.to_string();
        for found in find_identifiers(&note) {
            if let Some(text) = note.get(found.span.clone()) {
                push(found.kind, text, "note");
            }
        }
    }
    out
}

/// The entry's facts, as the comparison reads them.
pub fn facts(entry: &Entry) -> EntryFacts {
    let parent = entry.parents().first();
    EntryFacts {
        title: entry.title().map(|t| t.value.to_string()),
        family_names: entry
            .authors()
            .or_else(|| entry.editors())
            .unwrap_or_default()
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        year: entry.date().map(|d| d.year),
        container: parent.and_then(|p| p.title()).map(|t| t.value.to_string()),
        pages: entry.page_range().map(|p| p.to_string()),
        volume: entry
            .volume()
            .or_else(|| parent.and_then(|p| p.volume()))
            .map(|v| v.to_string()),
        doi: entry.doi().map(String::from),
        isbn: entry.isbn().map(String::from),
        kind: Some(kind(entry)),
    }
}

fn kind(entry: &Entry) -> WorkKind {
    match entry.entry_type() {
        EntryType::Article => WorkKind::from_type("article-journal"),
        EntryType::Book | EntryType::Anthology => WorkKind::from_type("book"),
        EntryType::Chapter => WorkKind::from_type("chapter"),
        EntryType::Thesis => WorkKind::from_type("thesis"),
        EntryType::Report => WorkKind::from_type("report"),
        EntryType::Web => WorkKind::from_type("webpage"),
        _ => WorkKind::from_type("other"),
    }
}

/// Whether registries should know the work without an identifier, so that
/// a search that finds nothing is worth a warning: a journal article with a
/// title in Latin script (Crossref indexes nearly all of them). Books are
/// checked by their ISBN only (many are in no index a search reaches);
/// web pages, newspapers, archival documents and works in scripts these
/// indexes cover poorly (Chinese, Japanese…) are not looked for.
pub fn covered(entry: &Entry) -> bool {
    let latin = entry.title().is_some_and(|t| {
        let title = t.value.to_string();
        let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
        !letters.is_empty()
            && letters
                .iter()
                .filter(|&&c| c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c))
                .count()
                * 10
                >= letters.len() * 9
    });
    let kind_covered = match entry.entry_type() {
        EntryType::Article => !entry.parents().is_empty(),
        _ => false,
    };
    latin && kind_covered && entry.authors().is_some_and(|a| !a.is_empty())
}

/// Whether a book without an ISBN is worth looking for in Open Library:
/// a title in Latin script, an author, and a year from 1970 on (when ISBNs
/// came into use).
pub fn book_covered(entry: &Entry) -> bool {
    let latin = entry.title().is_some_and(|t| {
        let title = t.value.to_string();
        title
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c))
            && title.chars().any(char::is_alphabetic)
    });
    let year = entry.date().map(|d| d.year);
    entry.entry_type() == &EntryType::Book
        && latin
        && entry.authors().is_some_and(|a| !a.is_empty())
        && year.is_some_and(|y| y >= 1970)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(yaml: &str) -> Vec<Entry> {
        hayagriva::io::from_yaml_str(yaml)
            .expect("valid YAML")
            .iter()
            .cloned()
            .collect()
    }

    #[test]
    fn identifiers_are_read_from_their_fields_and_the_note() {
        let yaml = "a:\n  type: article\n  title: T\n  serial-number:\n    doi: 10.1234/abc\n  note: \"Reprint: ISBN 978-0-306-40615-7\"\n  parent:\n    type: periodical\n    title: J\n    serial-number:\n      issn: 1050-124X\n";
        let found = identifiers(&entries(yaml)[0]);
        let kinds: Vec<(IdentifierKind, &str, &str)> = found
            .iter()
            .map(|w| (w.kind, w.text.as_str(), w.field))
            .collect();
        assert_eq!(
            kinds,
            [
                (IdentifierKind::Doi, "10.1234/abc", "doi"),
                (IdentifierKind::Issn, "1050-124X", "issn"),
                (IdentifierKind::Isbn, "978-0-306-40615-7", "note"),
            ]
        );
    }

    #[test]
    fn registries_are_searched_for_articles_in_latin_script_only() {
        let yaml = "art:\n  type: article\n  title: The Famine\n  author: Doe, Jane\n  parent:\n    type: periodical\n    title: J\nbook:\n  type: book\n  title: Hungry Ghosts\n  author: Becker, Jasper\n  publisher: John Murray\nchinese:\n  type: book\n  title: 墓碑\n  author: 杨继绳\n  publisher: 天地图书\nweb:\n  type: web\n  title: Archive\n  author: Doe, Jane\narchive:\n  type: manuscript\n  title: Letter\n  author: Doe, Jane\n";
        let covered: Vec<bool> = entries(yaml).iter().map(covered).collect();
        assert_eq!(covered, [true, false, false, false, false]);
    }
}
