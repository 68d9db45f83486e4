//! A manuscript into the document model the rules read: its notes as
//! footnotes (a marker with no note is a footnote missing its source), the
//! reference-manager citations as citations, its quotations found in the
//! body text as in a Typst document, and the works those citations carry as
//! bibliography entries. Places are the manuscript's: the file, the
//! paragraph as the line and the character offset as the column.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value;

use super::model::{FieldCitation, Manuscript, Marker, Note, Paragraph, Place};
use crate::document::quotes::{Marks, find, words};
use crate::document::{
    Citation, Document, Footnote, FootnoteKind, Heading, Link, Quotation, SourceSpan,
};

/// The document model of a manuscript named `file`, and the YAML of the
/// works its reference-manager citations carry (empty when none).
pub fn to_document(manuscript: &Manuscript, file: &str) -> (Document, String) {
    let place = |p: &Place| SourceSpan {
        file: file.to_string(),
        line: p.paragraph.max(1),
        column: p.offset + 1,
        range: 0..0,
    };
    let page = |p: &Place| p.page.max(1);
    let mut document = Document {
        pages: manuscript.pages.max(1),
        ..Document::default()
    };
    let mut works = Works::default();

    // Markers in reading order: each a footnote (its note, or none).
    let markers: Vec<(&Paragraph, &Marker)> = manuscript
        .paragraphs
        .iter()
        .flat_map(|p| p.markers.iter().map(move |m| (p, m)))
        .collect();
    let mut seen_notes = vec![false; manuscript.notes.len()];
    for (paragraph, marker) in &markers {
        let at = Place {
            offset: paragraph.text[..marker.at.min(paragraph.text.len())]
                .chars()
                .count(),
            ..paragraph.place
        };
        let note = marker
            .note
            .and_then(|i| manuscript.notes.get(i).map(|n| (i, n)));
        if let Some((i, _)) = note {
            seen_notes[i] = true;
        }
        push_note(
            &mut document,
            &mut works,
            &marker.number,
            note.map(|(_, n)| n),
            &place(&at),
            page(&at),
        );
    }
    // Notes no marker was found for (a PDF's marker lost in layout).
    for (i, note) in manuscript.notes.iter().enumerate() {
        if !seen_notes[i] {
            push_note(
                &mut document,
                &mut works,
                &note.number,
                Some(note),
                &place(&note.place),
                page(&note.place),
            );
        }
    }

    // Headings, links and quotations of the body.
    let mut body = String::new();
    let mut anchors = Vec::new();
    let mut blocks = Vec::new();
    let mut starts = Vec::new();
    for paragraph in &manuscript.paragraphs {
        if let Some(level) = paragraph.heading {
            document.headings.push(Heading {
                level: level.into(),
                number: None,
                title: paragraph.text.trim().to_string(),
                page: page(&paragraph.place),
                span: Some(place(&paragraph.place)),
            });
        }
        for link in &paragraph.links {
            document.links.push(Link {
                url: link.url.clone(),
                footnote: None,
                page: page(&paragraph.place),
                span: Some(place(&paragraph.place)),
            });
        }
        let start = body.len();
        starts.push((start, paragraph));
        body.push_str(&paragraph.text);
        anchors.extend(paragraph.markers.iter().map(|m| start + m.at));
        anchors.extend(paragraph.fields.iter().map(|f| start + f.range.end));
        if paragraph.block_quote {
            blocks.push(start..body.len());
        }
        body.push_str("\n\n");
    }
    let marks = Marks {
        anchors: &anchors,
        generated: &[],
        code: &[],
        blocks: &blocks,
    };
    for found in find(&body, &marks) {
        let Some(&(start, paragraph)) = starts.iter().rev().find(|(start, _)| *start <= found.open)
        else {
            continue;
        };
        let at = Place {
            offset: body[start..found.open.max(start)].chars().count(),
            ..paragraph.place
        };
        let text = body[found.range.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        document.quotations.push(Quotation {
            words: words(&text),
            text,
            block: found.block,
            sourced: found.sourced,
            attributed: found.attributed,
            page: page(&at),
            span: Some(place(&at)),
            position: None,
        });
    }
    (document, works.yaml())
}

fn push_note(
    document: &mut Document,
    works: &mut Works,
    number: &str,
    note: Option<&Note>,
    span: &SourceSpan,
    page: usize,
) {
    let index = document.footnotes.len();
    let Some(note) = note else {
        document.footnotes.push(Footnote {
            number: number.to_string(),
            page,
            kind: FootnoteKind::MissingSource,
            span: Some(span.clone()),
            marker: Some(span.clone()),
            position: None,
            quote: None,
            text: String::new(),
            prose: String::new(),
            italic: Vec::new(),
            citations: Vec::new(),
            links: Vec::new(),
        });
        return;
    };
    let mut citations = Vec::new();
    for field in &note.fields {
        for item in &field.items {
            let key = works.key_of(item);
            citations.push(document.citations.len());
            document.citations.push(Citation {
                key,
                locator: locator(item.locator.as_deref(), item.label.as_deref()),
                footnote: Some(index),
                quote: None,
                group: document.citations.len(),
                page,
                span: Some(span.clone()),
                after: None,
                sentence: None,
            });
        }
    }
    let mut links = Vec::new();
    for link in &note.links {
        links.push(document.links.len());
        document.links.push(Link {
            url: link.url.clone(),
            footnote: Some(index),
            page,
            span: Some(span.clone()),
        });
    }
    let (prose, italic) = without_fields(&note.text, &note.italic, &note.fields);
    document.footnotes.push(Footnote {
        number: number.to_string(),
        page,
        kind: if citations.is_empty() {
            FootnoteKind::Explanatory
        } else {
            FootnoteKind::Citing
        },
        span: Some(span.clone()),
        marker: Some(span.clone()),
        position: None,
        quote: None,
        text: note.text.clone(),
        prose,
        italic,
        citations,
        links,
    });
}

/// The note's text without what reference managers wrote (the matcher reads
/// what the author typed), its italics moved with it.
fn without_fields(
    text: &str,
    italic: &[Range<usize>],
    fields: &[FieldCitation],
) -> (String, Vec<Range<usize>>) {
    let mut cut: Vec<Range<usize>> = fields.iter().map(|f| f.range.clone()).collect();
    cut.sort_by_key(|r| r.start);
    if cut.is_empty() {
        return (text.to_string(), italic.to_vec());
    }
    let mut prose = String::new();
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let removed = cut.iter().any(|r| r.contains(&i));
        for _ in 0..c.len_utf8() {
            map.push(prose.len());
        }
        if !removed {
            prose.push(c);
        }
    }
    map.push(prose.len());
    let italic = italic
        .iter()
        .filter_map(|r| {
            let (start, end) = (*map.get(r.start)?, *map.get(r.end)?);
            (start < end).then_some(start..end)
        })
        .collect();
    (prose, italic)
}

/// A reference manager's locator as a supplement: `p. 45`, `pp. 45–47`,
/// `chap. 3`.
fn locator(locator: Option<&str>, label: Option<&str>) -> Option<String> {
    let locator = locator?.trim();
    if locator.is_empty() {
        return None;
    }
    let range = locator.contains(['-', '–', ',']);
    let label = match label.unwrap_or("page") {
        "page" if range => "pp.",
        "page" => "p.",
        "chapter" => "chap.",
        "section" => "§",
        "paragraph" => "para.",
        "volume" => "vol.",
        "folio" => "fol.",
        "line" => "l.",
        "note" => "n.",
        _ => "",
    };
    Some(if label.is_empty() {
        locator.to_string()
    } else {
        format!("{label} {locator}")
    })
}

/// The works reference-manager citations carry, by key.
#[derive(Default)]
struct Works {
    keys: HashMap<String, String>,
    entries: Vec<(String, Value)>,
}

impl Works {
    /// The key of a cited item: its author and year (`hensley2019`), made
    /// unique; the same item always gets the same key.
    fn key_of(&mut self, item: &super::model::CitedItem) -> String {
        if let Some(key) = self.keys.get(&item.id) {
            return key.clone();
        }
        let family = item.csl["author"][0]["family"]
            .as_str()
            .or_else(|| item.csl["author"][0]["literal"].as_str())
            .unwrap_or("work");
        let year = item.csl["issued"]["date-parts"][0][0]
            .as_i64()
            .map(|y| y.to_string())
            .or_else(|| {
                item.csl["issued"]["date-parts"][0][0]
                    .as_str()
                    .map(String::from)
            })
            .unwrap_or_default();
        let base: String = format!("{family}{year}")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let base = if base.is_empty() {
            "work".to_string()
        } else {
            base
        };
        let mut key = base.clone();
        let mut n = 1;
        while self.entries.iter().any(|(k, _)| *k == key) {
            n += 1;
            key = format!("{base}-{n}");
        }
        self.keys.insert(item.id.clone(), key.clone());
        self.entries.push((key.clone(), item.csl.clone()));
        key
    }

    /// Hayagriva YAML of the works.
    fn yaml(&self) -> String {
        self.entries
            .iter()
            .map(|(key, csl)| entry_yaml(key, csl))
            .collect()
    }
}

/// One CSL-JSON item as a Hayagriva entry.
fn entry_yaml(key: &str, csl: &Value) -> String {
    let text = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(a) => a.first().and_then(|v| v.as_str()).map(String::from),
            _ => None,
        }
    };
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let kind = match csl["type"].as_str().unwrap_or("") {
        "article-journal" | "article-magazine" | "article-newspaper" | "article" => "article",
        "book" => "book",
        "chapter" => "chapter",
        "webpage" | "post-weblog" => "web",
        "thesis" => "thesis",
        "report" => "report",
        "legal_case" => "case",
        "legislation" => "legislation",
        _ => "misc",
    };
    let mut yaml = format!("{key}:\n  type: {kind}\n");
    if let Some(title) = text(&csl["title"]) {
        yaml.push_str(&format!("  title: {}\n", quoted(&title)));
    }
    let authors: Vec<String> = csl["author"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    match (
                        p["family"].as_str(),
                        p["given"].as_str(),
                        p["literal"].as_str(),
                    ) {
                        (Some(f), Some(g), _) => Some(format!("{f}, {g}")),
                        (Some(f), None, _) => Some(f.to_string()),
                        (None, _, Some(l)) => Some(l.to_string()),
                        _ => None,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if !authors.is_empty() {
        let list: Vec<String> = authors.iter().map(|a| quoted(a)).collect();
        yaml.push_str(&format!("  author: [{}]\n", list.join(", ")));
    }
    if let Some(year) = text(&csl["issued"]["date-parts"][0][0]) {
        yaml.push_str(&format!("  date: {year}\n"));
    }
    if let Some(publisher) = text(&csl["publisher"]) {
        yaml.push_str(&format!("  publisher: {}\n", quoted(&publisher)));
    }
    if let Some(place) = text(&csl["publisher-place"]) {
        yaml.push_str(&format!("  location: {}\n", quoted(&place)));
    }
    if let Some(pages) = text(&csl["page"]) {
        yaml.push_str(&format!("  page-range: {}\n", quoted(&pages)));
    }
    if let Some(url) = text(&csl["URL"]) {
        yaml.push_str(&format!("  url: {}\n", quoted(&url)));
    }
    let mut serials = Vec::new();
    if let Some(doi) = text(&csl["DOI"]) {
        serials.push(format!("    doi: {}\n", quoted(&doi)));
    }
    if let Some(isbn) = text(&csl["ISBN"]) {
        serials.push(format!("    isbn: {}\n", quoted(&isbn)));
    }
    if !serials.is_empty() {
        yaml.push_str("  serial-number:\n");
        yaml.push_str(&serials.concat());
    }
    if let Some(container) = text(&csl["container-title"]) {
        let parent = if kind == "chapter" {
            "book"
        } else {
            "periodical"
        };
        yaml.push_str(&format!(
            "  parent:\n    type: {parent}\n    title: {}\n",
            quoted(&container)
        ));
        if let Some(volume) = text(&csl["volume"]) {
            yaml.push_str(&format!("    volume: {}\n", quoted(&volume)));
        }
    }
    yaml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manuscript::model::{CitedItem, Manager, NoteKind};

    fn paragraph(text: &str, markers: Vec<Marker>) -> Paragraph {
        Paragraph {
            text: text.into(),
            markers,
            place: Place {
                page: 1,
                paragraph: 1,
                offset: 0,
            },
            ..Paragraph::default()
        }
    }

    #[test]
    fn notes_markers_and_fields_become_the_model() {
        let item = CitedItem {
            id: "http://zotero.org/users/1/items/ABC".into(),
            csl: serde_json::json!({
                "type": "book", "title": "Mao's Great Famine",
                "author": [{"family": "Dikötter", "given": "Frank"}],
                "issued": {"date-parts": [[2010]]}, "publisher": "Bloomsbury"
            }),
            locator: Some("45-47".into()),
            label: Some("page".into()),
            prefix: None,
            suffix: None,
        };
        let manuscript = Manuscript {
            pages: 1,
            page_labels: vec!["1".into()],
            paragraphs: vec![paragraph(
                "The famine spread. It killed millions.",
                vec![
                    Marker {
                        number: "1".into(),
                        at: 18,
                        note: Some(0),
                    },
                    Marker {
                        number: "2".into(),
                        at: 38,
                        note: None,
                    },
                ],
            )],
            notes: vec![Note {
                number: "1".into(),
                kind: NoteKind::Footnote,
                text: "See Dikötter, Mao's Great Famine, 45–47.".into(),
                fields: vec![FieldCitation {
                    manager: Manager::Zotero,
                    range: 4.."See Dikötter, Mao's Great Famine, 45–47".len(),
                    items: vec![item],
                }],
                ..Note::default()
            }],
            warnings: Vec::new(),
        };
        let (document, yaml) = to_document(&manuscript, "thesis.docx");
        assert_eq!(document.footnotes.len(), 2);
        assert_eq!(document.footnotes[0].kind, FootnoteKind::Citing);
        assert_eq!(document.footnotes[0].prose, "See .");
        assert_eq!(document.footnotes[1].kind, FootnoteKind::MissingSource);
        assert_eq!(document.citations[0].key, "dikötter2010");
        assert_eq!(document.citations[0].locator.as_deref(), Some("pp. 45-47"));
        let span = document.footnotes[1].span.as_ref().expect("a place");
        assert_eq!(
            (span.file.as_str(), span.line, span.column),
            ("thesis.docx", 1, 39)
        );
        assert!(
            yaml.starts_with("dikötter2010:\n  type: book\n  title: \"Mao's Great Famine\"\n"),
            "{yaml}"
        );
        let entries = crate::bibliography::parse("fields.yaml", &yaml).expect("the YAML parses");
        assert_eq!(entries.len(), 1);
    }
}
