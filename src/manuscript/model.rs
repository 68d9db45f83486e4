//! The manuscript model: what a DOCX or PDF front end reads from a thesis that
//! is not Typst, before ibid turns it into its document model. Front ends fill
//! it; they never audit. All ranges are byte ranges into the `text` they sit
//! beside. Pages and paragraphs are 1-based; 0 means "unknown / not paged".

use std::ops::Range;

/// Everything read from one manuscript file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manuscript {
    /// Number of pages, when the format has pages (PDF); 0 for DOCX.
    pub pages: usize,
    /// The printed label of each page (PDF page labels, else the folio read
    /// in the header/footer, else the page number), index = page - 1.
    pub page_labels: Vec<String>,
    /// Body paragraphs in reading order, headings included, note text excluded.
    pub paragraphs: Vec<Paragraph>,
    /// Footnotes and endnotes, in the order of their markers in the body.
    pub notes: Vec<Note>,
    /// What could not be read, for the user (e.g. "pages 4–7 have no text
    /// layer (scanned?)", "page 12: a font with no Unicode mapping").
    pub warnings: Vec<String>,
}

/// Where something is in the manuscript.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    /// Page (PDF), 0 when the format has none (DOCX).
    pub page: usize,
    /// Paragraph: for body text, the index into `Manuscript::paragraphs` + 1;
    /// for note text, the paragraph within the note (1 for the first).
    pub paragraph: usize,
    /// Character (not byte) offset into that paragraph's text, as a Word
    /// add-in would use it.
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// Italic runs (titles are italic in most conventions).
    pub italic: Vec<Range<usize>>,
    /// Heading level (1 = chapter) when the paragraph is a heading.
    pub heading: Option<u8>,
    /// An indented / quote-styled paragraph: a block quotation.
    pub block_quote: bool,
    pub place: Place,
    pub links: Vec<Hyperlink>,
    /// Note markers in this paragraph.
    pub markers: Vec<Marker>,
    /// Reference-manager citations in the body (author-date styles).
    pub fields: Vec<FieldCitation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The marker as printed ("12", "*").
    pub number: String,
    /// Byte offset in the paragraph's text where the marker stands (the
    /// marker's own digits are NOT part of `text`).
    pub at: usize,
    /// Index into `Manuscript::notes`, None when no note carries this number
    /// (a marker with no note).
    pub note: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteKind {
    #[default]
    Footnote,
    Endnote,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Note {
    /// The note's number as printed ("12").
    pub number: String,
    pub kind: NoteKind,
    /// The note's text without its leading number; paragraphs of a
    /// multi-paragraph note joined with "\n".
    pub text: String,
    pub italic: Vec<Range<usize>>,
    pub links: Vec<Hyperlink>,
    /// Where the note's text begins (PDF: the page of the footnote area).
    pub place: Place,
    /// Where its marker is in the body, if found.
    pub marker: Option<Place>,
    /// Reference-manager citations inside the note.
    pub fields: Vec<FieldCitation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hyperlink {
    pub url: String,
    pub range: Range<usize>,
}

/// A citation inserted by a reference manager (Zotero, Mendeley, EndNote):
/// exact, no guessing.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCitation {
    pub manager: Manager,
    /// The rendered text of the citation, as a range of the text it sits in.
    pub range: Range<usize>,
    pub items: Vec<CitedItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Zotero,
    Mendeley,
    EndNote,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CitedItem {
    /// A stable id for the work (Zotero URI / item id, Mendeley id, EndNote rec-number).
    pub id: String,
    /// The work as a CSL-JSON item (EndNote records converted to CSL-JSON:
    /// type, title, author [{family, given}], issued {date-parts}, container-title,
    /// publisher, publisher-place, page, volume, issue, DOI, ISBN, URL).
    pub csl: serde_json::Value,
    /// Locator and its CSL label ("page", "chapter", ...), as the manager stored them.
    pub locator: Option<String>,
    pub label: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
}
