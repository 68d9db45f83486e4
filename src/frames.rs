//! A walk over the laid-out pages: text runs with their page and position,
//! and the introspection tags that mark where each element begins and ends.
//! The missing-glyph check and the document model both read the document
//! through it, so they see exactly what the reader sees.

use typst::foundations::Content;

use crate::script::is_cjk;
use typst::introspection::{Location, Tag};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::syntax::{FileId, Span};
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// One thing met on the walk, in layout order.
pub enum Event<'a> {
    /// A run of shaped text; `origin` is its baseline start on the page.
    Text { item: &'a TextItem, origin: Point },
    /// An element's content begins.
    Start(&'a Content),
    /// The element at this location ends.
    End(Location),
}

/// Calls `visit` for everything on every page, with the 0-based page index.
pub fn walk<'a>(doc: &'a PagedDocument, mut visit: impl FnMut(usize, Event<'a>)) {
    for (index, page) in doc.pages().iter().enumerate() {
        walk_frame(&page.frame, Transform::identity(), &mut |event| {
            visit(index, event)
        });
    }
}

fn walk_frame<'a>(frame: &'a Frame, ts: Transform, visit: &mut dyn FnMut(Event<'a>)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk_frame(&group.frame, inner, visit);
            }
            FrameItem::Text(item) => visit(Event::Text {
                item,
                origin: pos.transform(ts),
            }),
            FrameItem::Tag(Tag::Start(content, _)) => visit(Event::Start(content)),
            FrameItem::Tag(Tag::End(location, ..)) => visit(Event::End(*location)),
            FrameItem::Shape(..) | FrameItem::Image(..) | FrameItem::Link(..) => {}
        }
    }
}

/// Joins text runs into the text a reader sees: a space where a line breaks
/// at a space, nothing where it breaks inside a word or URL, was hyphenated,
/// or falls between two CJK characters.
#[derive(Debug, Default, Clone)]
pub struct TextCollector {
    text: String,
    /// Byte ranges of `text` set in italic (titles, in most conventions).
    italic: Vec<std::ops::Range<usize>>,
    last_baseline: Option<f64>,
    /// The span of the last glyph and the byte offset just past it.
    last_end: Option<(Span, usize)>,
    pending_hyphen: bool,
    /// Whether lines of right-to-left text are put back in reading order
    /// (the frames hold them as they are seen, right to left).
    logical: bool,
    /// Where the current line starts in `text`, and its runs as laid out.
    line_start: usize,
    line_runs: Vec<(std::ops::Range<usize>, Direction)>,
    /// Whether the current line's language is written right to left.
    line_rtl_base: bool,
}

/// The direction of a run, from its first strong character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Ltr,
    Rtl,
    Neutral,
}

fn direction(text: &str) -> Direction {
    for c in text.chars() {
        let rtl = matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
        if rtl {
            return Direction::Rtl;
        }
        if c.is_alphabetic() {
            return Direction::Ltr;
        }
    }
    Direction::Neutral
}

/// The runs of a line with right-to-left text, in reading order. In a
/// left-to-right paragraph (`rtl_base` false) each stretch of right-to-left
/// runs (with the numbers and punctuation between them) is reversed; in a
/// right-to-left one the line is reversed, the left-to-right stretches in it
/// kept in their own order.
fn reading_order(
    text: &str,
    runs: &[(std::ops::Range<usize>, Direction)],
    rtl_base: bool,
) -> String {
    let mut order: Vec<&(std::ops::Range<usize>, Direction)> = runs.iter().collect();
    let (flip, keep) = if rtl_base {
        order.reverse();
        (Direction::Ltr, Direction::Rtl)
    } else {
        (Direction::Rtl, Direction::Ltr)
    };
    let mut i = 0;
    while i < order.len() {
        if order[i].1 != flip {
            i += 1;
            continue;
        }
        // The stretch: from this run to the last run of its direction
        // before one of the other.
        let start = i;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < order.len() && order[j].1 != keep {
            if order[j].1 == flip {
                end = j + 1;
            }
            j += 1;
        }
        order[start..end].reverse();
        i = end;
    }
    let mut out = String::new();
    for (range, _) in order {
        let piece = &text[range.clone()];
        if !out.is_empty() && !out.ends_with(' ') && !piece.starts_with(' ') {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

/// Typst sets a soft hyphen where it hyphenated a word at a line end.
const SOFT_HYPHEN: &str = "\u{ad}";

/// Where a span starts in its source file, if it comes from one.
pub type SpanStart<'a> = &'a dyn Fn(Span) -> Option<(FileId, usize)>;

impl TextCollector {
    /// Adds a text run found at `origin`.
    pub fn push(&mut self, item: &TextItem, origin: Point, span_start: SpanStart) {
        if item.text == SOFT_HYPHEN {
            self.pending_hyphen = true;
            return;
        }
        let baseline = origin.y.to_pt();
        let new_line = self
            .last_baseline
            .is_some_and(|y| (y - baseline).abs() > 0.5 * item.size.to_pt());
        self.last_baseline = Some(baseline);
        if new_line && self.logical {
            self.end_line();
        }
        let hyphenated = std::mem::take(&mut self.pending_hyphen);
        if new_line && !hyphenated && self.needs_space(item, span_start) {
            self.text.push(' ');
        }
        if let Some(glyph) = item.glyphs.last() {
            self.last_end = Some((glyph.span.0, glyph.span.1 as usize + glyph.range().len()));
        }
        let start = self.text.len();
        self.text.push_str(&item.text);
        if self.logical {
            if self.line_runs.is_empty() {
                self.line_rtl_base = item.lang.dir() == typst::layout::Dir::RTL;
            }
            self.line_runs
                .push((start..self.text.len(), direction(&item.text)));
        }
        let style = item.font.info().variant.style;
        if style != typst::text::FontStyle::Normal {
            match self.italic.last_mut() {
                // Runs of one italic title may be set in pieces.
                Some(last) if self.text[last.end..start].trim().is_empty() => {
                    last.end = self.text.len()
                }
                _ => self.italic.push(start..self.text.len()),
            }
        }
    }

    /// Whether a line break between the text so far and `item` stands for a
    /// space. The glyphs' spans tell whether the two lines were adjacent in
    /// the text they were set from (a URL broken at a slash) or had a space
    /// between them.
    fn needs_space(&self, item: &TextItem, span_start: SpanStart) -> bool {
        if self.text.is_empty()
            || self.text.ends_with(char::is_whitespace)
            || item.text.starts_with(char::is_whitespace)
        {
            return false;
        }
        let (Some((last_span, last_end)), Some(first)) = (self.last_end, item.glyphs.first())
        else {
            return true;
        };
        let first_offset = first.span.1 as usize;
        if last_span == first.span.0 {
            return first_offset != last_end;
        }
        if let (Some((a, a_start)), Some((b, b_start))) =
            (span_start(last_span), span_start(first.span.0))
        {
            return !(a == b && a_start + last_end == b_start + first_offset);
        }
        let joins_cjk = self.text.chars().next_back().is_some_and(is_cjk)
            && item.text.chars().next().is_some_and(is_cjk);
        !joins_cjk
    }

    /// A collector that puts right-to-left lines back in reading order
    /// (for footnotes; the body's offsets must stay those of the frames).
    pub fn logical() -> Self {
        Self {
            logical: true,
            ..Self::default()
        }
    }

    /// Ends the current line: a line with right-to-left text is rewritten in
    /// reading order (its italics are dropped: they would point elsewhere).
    fn end_line(&mut self) {
        let runs = std::mem::take(&mut self.line_runs);
        if runs.iter().any(|(_, d)| *d == Direction::Rtl) {
            let ordered = reading_order(&self.text, &runs, self.line_rtl_base);
            let start = self.line_start;
            self.text.truncate(start);
            self.text.push_str(&ordered);
            self.italic.retain(|r| r.end <= start);
        }
        self.line_start = self.text.len();
    }

    /// The text with its last line in reading order too.
    fn finished(&self) -> (String, Vec<std::ops::Range<usize>>) {
        let mut done = self.clone();
        if done.logical {
            done.end_line();
        }
        (done.text, done.italic)
    }

    /// The collected text, with runs of whitespace collapsed.
    pub fn finish(&self) -> String {
        self.finished()
            .0
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The collected text, whitespace collapsed as by [`finish`], and the
    /// byte ranges of it that are italic.
    ///
    /// [`finish`]: Self::finish
    pub fn finish_with_italics(&self) -> (String, Vec<std::ops::Range<usize>>) {
        let (text, italic) = self.finished();
        collapse(&text, &italic)
    }

    /// The text collected so far, as it is.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The span of the last glyph collected and the byte offset just past it
    /// within that span's text: where the text so far ends in the sources.
    pub fn last_end(&self) -> Option<(Span, usize)> {
        self.last_end
    }
}

/// `text` with runs of whitespace collapsed to one space and trimmed, and
/// `ranges` of it moved to where their text ends up.
pub fn collapse(
    text: &str,
    ranges: &[std::ops::Range<usize>],
) -> (String, Vec<std::ops::Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    // Where each byte of `text` lands in `out`.
    let mut map = vec![0usize; text.len() + 1];
    let mut pending_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            map[i] = out.len();
            out.push(c);
            continue;
        }
        map[i] = out.len();
    }
    map[text.len()] = out.len();
    for i in 1..text.len() {
        if !text.is_char_boundary(i) {
            map[i] = map[i - 1];
        }
    }
    let moved = ranges
        .iter()
        .map(|r| {
            let start = map[r.start.min(text.len())];
            let end = map[r.end.min(text.len())].max(start);
            // A range that ended on a collapsed space ends before it.
            let slice = &out[start..end];
            start..start + slice.trim_end().len()
        })
        .filter(|r| !r.is_empty())
        .collect();
    (out, moved)
}

/// The longest quotation `quote_before` finds, in bytes (the thesis's longest,
/// Liu Shaoqi's article 23, is about 1,600).
const MAX_QUOTE_BYTES: usize = 8 * 1024;

/// The quotation that ends right where `text` ends (a footnote marker or a
/// citation follows it): `… “A new high tide […].”` gives `A new high tide
/// […].` Closing punctuation after the quote mark is allowed.
pub fn quote_before(text: &str) -> Option<String> {
    // Only the end of the text matters: look no further back than a long
    // quotation, so that a document without quotes is not scanned whole at
    // every marker.
    let from = text.len().saturating_sub(MAX_QUOTE_BYTES);
    let from = (from..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    let end = text[from..]
        .trim_end()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim_end();
    let (close, open) = ['”', '"', '»', '“']
        .iter()
        .zip(['“', '"', '«', '“'])
        .find(|(close, _)| end.ends_with(**close))
        .map(|(c, o)| (*c, o))?;
    let inner = &end[..end.len() - close.len_utf8()];
    let start = inner.rfind(open)?;
    let quote = &inner[start + open.len_utf8()..];
    // A closing mark inside would mean the opener belongs to another quote.
    if quote.contains('”') || quote.trim().is_empty() {
        return None;
    }
    Some(quote.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {

    #[test]
    fn quotes_before_a_marker() {
        use super::quote_before;
        assert_eq!(
            quote_before("He said “red and expert”.").as_deref(),
            Some("red and expert")
        );
        assert_eq!(
            quote_before("ended “within the year 1959.”").as_deref(),
            Some("within the year 1959.")
        );
        assert_eq!(quote_before("no quote here."), None);
        assert_eq!(quote_before("“one” and “two”").as_deref(), Some("two"));
        assert_eq!(quote_before("“odd” opener”"), None);
    }

    #[test]
    fn collapsing_moves_the_italic_ranges_with_their_text() {
        use super::collapse;
        let text = "  Teiwes,\n  China’s   Road (1999),  85.";
        let start = text.find("China").unwrap();
        let end = text.find(" (").unwrap();
        let italic: Vec<std::ops::Range<usize>> = std::iter::once(start..end).collect();
        let (out, ranges) = collapse(text, &italic);
        assert_eq!(out, "Teiwes, China’s Road (1999), 85.");
        assert_eq!(&out[ranges[0].clone()], "China’s Road");
    }
}
