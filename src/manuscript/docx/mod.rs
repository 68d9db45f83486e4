//! Reads a `.docx` (WordprocessingML) into the manuscript model.
//!
//! Parts read: `word/document.xml` (found through `_rels/.rels`), its
//! relationships, `styles.xml`, `settings.xml`, `footnotes.xml`,
//! `endnotes.xml`. Everything is streamed with quick-xml; nothing from the
//! file is trusted (sizes, counts, nesting are all capped by [`Limits`]).

mod body;
mod fields;
mod package;
mod styles;
mod xml;

use std::collections::HashMap;

use super::model;
use model::{Manuscript, Marker, Note, NoteKind, Paragraph, Place};

use body::{Ctx, RawPara, RefKind, push_range, read_story};
use package::{Package, parse_rels, rels_part_of, target_of_type};
use styles::{NoteSettings, Styles, format_number, parse_settings, parse_styles};

/// Caps on what a (possibly hostile) file may make us read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Total uncompressed bytes read from the zip, all parts together.
    pub max_total_bytes: u64,
    /// Uncompressed bytes of any one part.
    pub max_part_bytes: u64,
    /// Entries in the zip's central directory.
    pub max_entries: usize,
    /// XML element nesting depth (and field nesting depth).
    pub max_depth: usize,
    /// Paragraphs in one part (body, footnotes, endnotes).
    pub max_paragraphs: usize,
    /// Footnotes and endnotes (markers) in all.
    pub max_notes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: 256 << 20,
            max_part_bytes: 64 << 20,
            max_entries: 10_000,
            max_depth: 256,
            max_paragraphs: 200_000,
            max_notes: 50_000,
        }
    }
}

/// Most styles or relationships one part may define.
const MAX_DEFS: usize = 100_000;

const HINT_RESAVE: &str = "open it in Word or LibreOffice and save it again as .docx";

/// Why a file could not be read. Each message ends with a hint for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error(
        "not a .docx file ({detail}); hint: a .docx is a zip archive; save the thesis from Word as \"Word Document (.docx)\""
    )]
    NotZip { detail: String },
    #[error(
        "this is a Word 97–2003 .doc file, not a .docx; hint: open it in Word or LibreOffice and save it as .docx"
    )]
    LegacyDoc,
    #[error(
        "this .docx is encrypted (password-protected); hint: remove the password in Word (File › Info › Protect Document) and save it again"
    )]
    Encrypted,
    #[error("the file has no {part} part, so it is not a Word document; hint: {HINT_RESAVE}")]
    MissingPart { part: String },
    #[error(
        "the file looks like an OpenDocument text (.odt), not a .docx; hint: save it from LibreOffice as \"Word 2007-365 (.docx)\""
    )]
    OpenDocument,
    #[error(
        "the zip holds {count} entries, more than the limit of {limit} (a zip bomb?); hint: {HINT_RESAVE}"
    )]
    TooManyEntries { count: usize, limit: usize },
    #[error(
        "the file uncompresses to more than {limit} bytes in all (a zip bomb?); hint: {HINT_RESAVE}, or raise the limit"
    )]
    TooLarge { limit: u64 },
    #[error(
        "part {part} uncompresses to more than {limit} bytes (a zip bomb?); hint: {HINT_RESAVE}, or raise the limit"
    )]
    PartTooLarge { part: String, limit: u64 },
    #[error(
        "part {part} cannot be read from the zip: {detail}; hint: the file may be damaged; {HINT_RESAVE}"
    )]
    Zip { part: String, detail: String },
    #[error(
        "part {part} has a DOCTYPE declaration, which Word never writes (an XML entity bomb?); hint: {HINT_RESAVE}"
    )]
    DocType { part: String },
    #[error(
        "part {part} nests elements deeper than {limit} levels (near byte {position}); hint: {HINT_RESAVE}"
    )]
    TooDeep {
        part: String,
        limit: usize,
        position: u64,
    },
    #[error(
        "the document has more {what} than the limit of {limit}; hint: split the file or raise the limit"
    )]
    TooMany { what: &'static str, limit: usize },
    #[error(
        "part {part} is not well-formed XML at byte {position}: {detail}; hint: the file may be damaged; {HINT_RESAVE}"
    )]
    Malformed {
        part: String,
        position: u64,
        detail: String,
    },
}

/// Reads a `.docx` file's bytes into a [`Manuscript`].
///
/// Body paragraphs (headings, table cells and text boxes included) come in
/// reading order; footnotes and endnotes come in the order of their markers.
/// Never panics; every failure is a [`DocxError`].
pub fn read_docx(bytes: &[u8], limits: &Limits) -> Result<Manuscript, DocxError> {
    let mut pkg = Package::open(bytes, limits)?;

    // The main part: from the package relationships, else the usual name.
    let mut main = "word/document.xml".to_string();
    if let Some(rels) = pkg.read("_rels/.rels")? {
        let rels = parse_rels(&rels, "_rels/.rels", limits)?;
        if let Some(t) = target_of_type(&rels, "", "officeDocument")
            && pkg.has(&t)
        {
            main = t;
        }
    }
    let Some(doc) = pkg.read(&main)? else {
        if pkg.has("content.xml") && pkg.has("mimetype") {
            return Err(DocxError::OpenDocument);
        }
        return Err(DocxError::MissingPart {
            part: "word/document.xml".into(),
        });
    };
    let rels_part = rels_part_of(&main);
    let rels = match pkg.read(&rels_part)? {
        Some(b) => parse_rels(&b, &rels_part, limits)?,
        None => HashMap::new(),
    };
    let part_for = |kind: &str, default: &str| {
        target_of_type(&rels, &main, kind).unwrap_or_else(|| default.to_string())
    };
    let styles_part = part_for("styles", "word/styles.xml");
    let settings_part = part_for("settings", "word/settings.xml");
    let footnotes_part = part_for("footnotes", "word/footnotes.xml");
    let endnotes_part = part_for("endnotes", "word/endnotes.xml");

    let styles = match pkg.read(&styles_part)? {
        Some(b) => parse_styles(&b, &styles_part, limits)?,
        None => Styles::default(),
    };
    let mut settings = NoteSettings::default();
    if let Some(b) = pkg.read(&settings_part)? {
        parse_settings(&b, &settings_part, limits, &mut settings)?;
    }

    let ctx = Ctx {
        styles: &styles,
        rels: &rels,
        limits,
    };
    let body = read_story(&doc, &main, &ctx, settings)?;
    let settings = body.settings.clone();
    let mut warnings = body.warnings;

    let mut notes_of = |part: &str| -> Result<HashMap<i64, Vec<RawPara>>, DocxError> {
        let Some(b) = pkg.read(part)? else {
            return Ok(HashMap::new());
        };
        let rels_part = rels_part_of(part);
        let note_rels = match pkg.read(&rels_part)? {
            Some(r) => parse_rels(&r, &rels_part, limits)?,
            None => HashMap::new(),
        };
        let nctx = Ctx {
            styles: &styles,
            rels: &note_rels,
            limits,
        };
        let story = read_story(&b, part, &nctx, NoteSettings::default())?;
        warnings.extend(story.warnings);
        let mut map: HashMap<i64, Vec<RawPara>> = HashMap::new();
        for p in story.paragraphs {
            if let Some(id) = p.note {
                map.entry(id).or_default().push(p);
            }
        }
        Ok(map)
    };
    let footnotes = notes_of(&footnotes_part)?;
    let endnotes = notes_of(&endnotes_part)?;

    let mut ms = Manuscript::default();
    let mut used: HashMap<(RefKind, i64), usize> = HashMap::new();
    let mut counters = (settings.footnote.start, settings.endnote.start);
    let mut marker_count = 0usize;
    for (pi, raw) in body.paragraphs.into_iter().enumerate() {
        let mut para = Paragraph {
            place: Place {
                page: 0,
                paragraph: pi + 1,
                offset: 0,
            },
            heading: raw.heading,
            block_quote: raw.block_quote,
            italic: raw.italic,
            links: raw.links,
            fields: raw.fields,
            ..Paragraph::default()
        };
        for m in raw.markers {
            marker_count += 1;
            if marker_count > limits.max_notes {
                return Err(DocxError::TooMany {
                    what: "note markers",
                    limit: limits.max_notes,
                });
            }
            let number = match (m.kind, m.custom) {
                (RefKind::Footnote, false) => {
                    let n = format_number(counters.0, &settings.footnote.fmt);
                    counters.0 = counters.0.saturating_add(1);
                    n
                }
                (RefKind::Endnote, false) => {
                    let n = format_number(counters.1, &settings.endnote.fmt);
                    counters.1 = counters.1.saturating_add(1);
                    n
                }
                _ => m.number.trim().to_string(),
            };
            let marker_place = Place {
                page: 0,
                paragraph: pi + 1,
                offset: char_offset(&raw.text, m.at),
            };
            let source = match m.kind {
                RefKind::Footnote => Some((&footnotes, NoteKind::Footnote)),
                RefKind::Endnote => Some((&endnotes, NoteKind::Endnote)),
                RefKind::Plain => None,
            };
            let mut note_idx = None;
            if let (Some((map, kind)), Some(id)) = (source, m.id) {
                if let Some(&i) = used.get(&(m.kind, id)) {
                    note_idx = Some(i);
                } else if let Some(paras) = map.get(&id) {
                    let mut note = build_note(paras);
                    note.number = number.clone();
                    note.kind = kind;
                    note.marker = Some(marker_place);
                    ms.notes.push(note);
                    let i = ms.notes.len() - 1;
                    used.insert((m.kind, id), i);
                    note_idx = Some(i);
                } else {
                    warnings.push(format!(
                        "paragraph {}: the {} reference {id} has no note text",
                        pi + 1,
                        if kind == NoteKind::Footnote {
                            "footnote"
                        } else {
                            "endnote"
                        }
                    ));
                }
            }
            para.markers.push(Marker {
                number,
                at: m.at,
                note: note_idx,
            });
        }
        para.text = raw.text;
        ms.paragraphs.push(para);
    }
    ms.warnings = warnings;
    Ok(ms)
}

/// Character offset of byte offset `at` in `text` (clamped).
fn char_offset(text: &str, at: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < at).count()
}

/// Joins a note's paragraphs with "\n", trims the space after the note
/// mark (and trailing blank lines), and shifts every range accordingly.
fn build_note(paras: &[RawPara]) -> Note {
    let mut note = Note {
        place: Place {
            page: 0,
            paragraph: 1,
            offset: 0,
        },
        ..Note::default()
    };
    let mut text = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let base = text.len();
        text.push_str(&p.text);
        for r in &p.italic {
            push_range(&mut note.italic, r.start + base..r.end + base);
        }
        for l in &p.links {
            let mut l = l.clone();
            l.range = l.range.start + base..l.range.end + base;
            note.links.push(l);
        }
        for f in &p.fields {
            let mut f = f.clone();
            f.range = f.range.start + base..f.range.end + base;
            note.fields.push(f);
        }
    }
    let trimmed_start = text.len() - text.trim_start().len();
    let end = text.trim_end().len().max(trimmed_start);
    let shift = |r: &std::ops::Range<usize>| {
        let s = r.start.clamp(trimmed_start, end) - trimmed_start;
        let e = r.end.clamp(trimmed_start, end) - trimmed_start;
        s..e.max(s)
    };
    note.italic = note
        .italic
        .iter()
        .map(shift)
        .filter(|r| !r.is_empty())
        .collect();
    for l in &mut note.links {
        l.range = shift(&l.range);
    }
    for f in &mut note.fields {
        f.range = shift(&f.range);
    }
    note.text = text.get(trimmed_start..end).unwrap_or_default().to_string();
    note
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn blank_note_does_not_panic() {
        let p = RawPara {
            text: "   ".into(),
            italic: vec![0..2],
            ..RawPara::default()
        };
        let n = build_note(&[p.clone(), p]);
        assert_eq!(n.text, "");
        assert!(n.italic.is_empty());
    }

    #[test]
    fn note_ranges_shift_with_the_trimmed_space() {
        let p = RawPara {
            text: "  See Mubei.".into(),
            italic: vec![6..11],
            ..RawPara::default()
        };
        let n = build_note(&[p]);
        assert_eq!(n.text, "See Mubei.");
        assert_eq!(n.italic, vec![4..9]);
    }
}
