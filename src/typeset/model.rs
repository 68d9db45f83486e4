//! Extraction of the [`Document`] model from a compiled document: elements
//! from the introspector, footnote text and "which footnote holds what" from
//! the introspection tags in the laid-out frames.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use typst::foundations::{Content, NativeElement, StyleChain};
use typst::introspection::{Introspector, Location};
use typst::model::{
    BibliographyElem, CiteElem, CiteGroup, Destination, FootnoteElem, FootnoteEntry, HeadingElem,
    LinkElem, LinkTarget, QuoteElem,
};
use typst::syntax::{DiagSpan, Span};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use super::numbers::{Numbers, numbers};
use crate::document::{
    AFTER_CITATION, BibliographyPlace, Citation, Document, Footnote, FootnoteKind, Heading, Link,
    MISSING_SOURCE_LABEL, Position, Quotation, SourceSpan,
};
use crate::frames::{self, Event, TextCollector, quote_before};
use crate::world::IbidWorld;

mod elements;
mod layout;
use elements::*;
use layout::*;

/// Why the model could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("could not evaluate footnote and heading numbers: {0}")]
    Numbers(String),
}

/// Extracts the model of `doc`, which `world` compiled.
pub fn extract(world: &IbidWorld, doc: &PagedDocument) -> Result<Document, ExtractError> {
    let numbers = numbers(world, doc).map_err(ExtractError::Numbers)?;
    let read = Elements::new(world, doc, numbers);
    let (citations, group_spans) = read.citations();
    let links = read.links();
    let footnotes = read.footnotes(&citations, &links, &group_spans);
    Ok(Document {
        pages: doc.pages().len(),
        page_sizes: doc
            .pages()
            .iter()
            .map(|p| (p.frame.width().to_pt(), p.frame.height().to_pt()))
            .collect(),
        quotations: quotations(world, &read.layout),
        headings: read.headings(),
        footnotes,
        citations,
        links,
        bibliographies: read.bibliographies(),
    })
}

/// The quotations of the body text, each with its page and its place in
/// the sources (its first glyph's).
fn quotations(world: &IbidWorld, layout: &Layout<'_>) -> Vec<Quotation> {
    let text = layout.body.as_str();
    let blocks: Vec<Range<usize>> = layout
        .blocks
        .iter()
        .map(|(_, r)| r.clone())
        .filter(|r| !r.is_empty())
        .collect();
    crate::document::quotes::find(
        text,
        &crate::document::quotes::Marks {
            anchors: &layout.anchors,
            generated: &layout.generated_text,
            code: &layout.code_text,
            blocks: &blocks,
        },
    )
    .into_iter()
    .map(|found| {
        let quoted = text[found.range.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // The run that holds the opening mark (for a block, the first
        // run at or after its start).
        let at = found.open;
        // The run that holds the mark; if its glyphs come from no source
        // (a template's text), the next run that does: every finding
        // has a place.
        let first = layout
            .runs
            .iter()
            .position(|r| r.range.contains(&at) || r.range.start >= at);
        let run = first.and_then(|i| {
            layout.runs[i..]
                .iter()
                .take(50)
                .find(|r| r.item.glyphs.iter().any(|g| !g.span.0.is_detached()))
                .or(layout.runs.get(i))
        });
        let position = run.map(|run| Position {
            page: run.page,
            x: run.origin.x.to_pt(),
            y: run.origin.y.to_pt(),
        });
        let (page, span) = run.map_or((0, None), |run| (run.page, place_of(world, run, at)));
        Quotation {
            words: crate::document::quotes::words(&quoted),
            text: quoted,
            block: found.block,
            sourced: found.sourced,
            attributed: found.attributed,
            page,
            span,
            position,
        }
    })
    .collect()
}

/// Where in the sources the glyph set from the text at `at` in `run` comes
/// from.
fn place_of(world: &IbidWorld, run: &Run<'_>, at: usize) -> Option<SourceSpan> {
    let within = at.saturating_sub(run.range.start);
    let glyph = run
        .item
        .glyphs
        .iter()
        .find(|g| g.range().end > within)
        .or(run.item.glyphs.last())?;
    let (span, offset) = (glyph.span.0, glyph.span.1 as usize);
    let (id, range) = span.id().zip(world.span_range(span))?;
    let start = (range.start + offset).min(range.end);
    let (line, column) = world.line_column(id, start)?;
    Some(SourceSpan {
        file: world.relative_name(id),
        line,
        column,
        range: start..start,
    })
}

/// The root-relative paths of the files a `bibliography` element loads.
pub(crate) fn bibliography_paths(elem: &BibliographyElem, span: Span) -> Vec<String> {
    let Some(within) = span.id() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for source in &elem.sources.source.0 {
        if let typst::loading::DataSource::Path(path) = source
            && let Ok(rooted) = path.resolve(within)
            && *rooted.root() == typst::syntax::VirtualRoot::Project
        {
            let path = rooted.vpath().get_without_slash().to_string();
            if !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// A span as a root-relative file, line and column.
pub(crate) fn source_span(world: &IbidWorld, span: Span) -> Option<SourceSpan> {
    at_range(world, span.id()?, world.span_range(span)?)
}

/// A diagnostic's span (a span, or a range in a file) as a root-relative
/// file, line and column.
pub(crate) fn diagnostic_span(world: &IbidWorld, span: DiagSpan) -> Option<SourceSpan> {
    at_range(world, span.id()?, world.range(span)?)
}

fn at_range(
    world: &IbidWorld,
    id: typst::syntax::FileId,
    range: Range<usize>,
) -> Option<SourceSpan> {
    let (line, column) = world.line_column(id, range.start)?;
    Some(SourceSpan {
        file: world.relative_name(id),
        line,
        column,
        range,
    })
}
