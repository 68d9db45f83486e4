//! Extraction of the [`Document`] model from a compiled document: elements
//! from the introspector, footnote text and "which footnote holds what" from
//! the introspection tags in the laid-out frames.

use std::collections::{HashMap, HashSet};

use typst::foundations::{Content, NativeElement, StyleChain};
use typst::introspection::{Introspector, Location};
use typst::model::{
    BibliographyElem, CiteElem, CiteGroup, Destination, FootnoteElem, FootnoteEntry, HeadingElem,
    LinkElem, LinkTarget, QuoteElem,
};
use typst::syntax::{DiagSpan, Span};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use super::numbers::numbers;
use crate::document::{
    AFTER_CITATION, BibliographyPlace, Citation, Document, Footnote, FootnoteKind, Heading, Link,
    MISSING_SOURCE_LABEL, Position, Quotation, SourceSpan,
};
use crate::frames::{self, Event, TextCollector, quote_before};
use crate::world::IbidWorld;

mod layout;
use layout::*;

/// Why the model could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("could not evaluate footnote and heading numbers: {0}")]
    Numbers(String),
}

/// Extracts the model of `doc`, which `world` compiled.
pub fn extract(world: &IbidWorld, doc: &PagedDocument) -> Result<Document, ExtractError> {
    let introspector: &dyn Introspector = doc.introspector().as_ref();
    let page_of = |loc: Option<Location>| {
        loc.and_then(|l| introspector.page(l))
            .map_or(0, |p| p.get())
    };
    let span_of = |span: Span| source_span(world, span);
    let position_of = |loc: Option<Location>| match introspector.position(loc?)? {
        typst::introspection::DocumentPosition::Paged(at) => Some(Position {
            page: at.page.get(),
            x: at.point.x.to_pt(),
            y: at.point.y.to_pt(),
        }),
        _ => None,
    };
    let numbers = numbers(world, doc).map_err(ExtractError::Numbers)?;
    let layout = Layout::read(world, doc);

    let notes = introspector.query(&FootnoteElem::ELEM.select());
    let note_index: HashMap<Location, usize> = notes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((n.location()?, i)))
        .collect();
    let footnote_of = |loc: Location, map: &HashMap<Location, Location>| {
        map.get(&loc).and_then(|note| note_index.get(note)).copied()
    };

    // Citations, group by group.
    let mut citations = Vec::new();
    let mut group_spans = HashMap::new();
    for (group, content) in introspector
        .query(&CiteGroup::ELEM.select())
        .iter()
        .enumerate()
    {
        let Some(packed) = content.to_packed::<CiteGroup>() else {
            continue;
        };
        let loc = content.location();
        let footnote = loc.and_then(|l| footnote_of(l, &layout.group_note));
        for child in &packed.children {
            let Some(cite) = child.to_packed::<CiteElem>() else {
                continue;
            };
            // `form: none` adds an entry to the bibliography without citing it.
            let visible = cite.form.get(StyleChain::default()).is_some();
            group_spans.entry(footnote).or_insert(cite.span());
            citations.push(Citation {
                key: cite.key.resolve().as_str().to_string(),
                locator: cite
                    .supplement
                    .get_cloned(StyleChain::default())
                    .map(|s| s.plain_text().trim().to_string())
                    .filter(|s| !s.is_empty()),
                footnote: footnote.filter(|_| visible),
                quote: loc.and_then(|l| layout.quotes.get(&l).cloned()),
                sentence: loc.and_then(|l| layout.sentences.get(&l).cloned()),
                group,
                page: page_of(loc),
                span: span_of(cite.span()).map(|own| author_span(world, cite, own)),
                after: text_after(world, cite.span()),
            });
        }
    }

    // Links to URLs.
    let links: Vec<Link> = introspector
        .query(&LinkElem::ELEM.select())
        .iter()
        .filter_map(|content| {
            let link = content.to_packed::<LinkElem>()?;
            let LinkTarget::Dest(Destination::Url(url)) = &link.dest else {
                return None;
            };
            let loc = content.location();
            if loc.is_some_and(|l| layout.generated_links.contains(&l)) {
                return None;
            }
            Some(Link {
                url: url.to_string(),
                footnote: loc.and_then(|l| footnote_of(l, &layout.link_note)),
                page: page_of(loc),
                span: span_of(content.span()),
            })
        })
        .collect();

    // Footnotes.
    let footnotes = notes
        .iter()
        .enumerate()
        .map(|(i, note)| {
            let loc = note.location();
            let number = numbers
                .footnotes
                .get(i)
                .cloned()
                .unwrap_or_else(|| (i + 1).to_string());
            let held = |footnote: Option<usize>| footnote == Some(i);
            let cites: Vec<usize> = (0..citations.len())
                .filter(|&c| held(citations[c].footnote))
                .collect();
            let link_ids: Vec<usize> = (0..links.len())
                .filter(|&l| held(links[l].footnote))
                .collect();
            let marked = note
                .label()
                .is_some_and(|l| l.resolve().as_str() == MISSING_SOURCE_LABEL);
            let kind = if marked {
                FootnoteKind::MissingSource
            } else if cites.is_empty() {
                FootnoteKind::Explanatory
            } else {
                FootnoteKind::Citing
            };
            let marker = loc
                .and_then(|l| layout.marker.get(&l))
                .and_then(|&(span, offset)| {
                    let position = world.span_range(span)?.start + offset;
                    at_range(world, span.id()?, position..position)
                });
            let span = span_of(note.span())
                .or_else(|| group_spans.get(&Some(i)).and_then(|&s| span_of(s)));
            let (text, (prose, italic)) = loc
                .map(|l| {
                    let text = layout
                        .note_text
                        .get(&l)
                        .map(TextCollector::finish)
                        .unwrap_or_default();
                    let (prose, italic) = layout
                        .note_prose
                        .get(&l)
                        .map(TextCollector::finish_with_italics)
                        .unwrap_or_default();
                    (
                        strip_number(&text, &number),
                        strip_prefix_number(prose, italic, &number),
                    )
                })
                .unwrap_or_default();
            Footnote {
                number,
                page: page_of(loc),
                kind,
                span,
                text,
                prose,
                italic,
                marker,
                position: position_of(loc),
                quote: loc.and_then(|l| layout.quotes.get(&l).cloned()),
                citations: cites,
                links: link_ids,
            }
        })
        .collect();

    // The outline: headings that an outline would list.
    let headings = introspector
        .query(&HeadingElem::ELEM.select())
        .iter()
        .enumerate()
        .filter_map(|(i, content)| {
            let heading = content.to_packed::<HeadingElem>()?;
            heading
                .outlined
                .get(StyleChain::default())
                .then(|| Heading {
                    level: heading.resolve_level(StyleChain::default()).get(),
                    number: numbers.headings.get(i).cloned().flatten(),
                    title: title_of(&heading.body),
                    page: page_of(content.location()),
                    span: span_of(content.span()),
                })
        })
        .collect();

    // The bibliographies, each with the number of citation groups before it.
    let mut groups_so_far = 0;
    let mut bibliographies = Vec::new();
    let in_order = introspector.query(&typst::foundations::Selector::Or(
        vec![CiteGroup::ELEM.select(), BibliographyElem::ELEM.select()].into(),
    ));
    for content in in_order.iter() {
        if content.is::<CiteGroup>() {
            groups_so_far += 1;
        } else if let Some(elem) = content.to_packed::<BibliographyElem>() {
            let style = elem.style.get_ref(StyleChain::default()).derived.get();
            bibliographies.push(BibliographyPlace {
                files: bibliography_paths(elem, content.span()),
                after_groups: groups_so_far,
                position: position_of(content.location()),
                note_style: style.settings.class == hayagriva::citationberg::StyleClass::Note,
                full: elem.full.get(StyleChain::default()),
                style: style.info.id.clone(),
            });
        }
    }

    let quotations = quotations(world, &layout);

    Ok(Document {
        pages: doc.pages().len(),
        page_sizes: doc
            .pages()
            .iter()
            .map(|p| (p.frame.width().to_pt(), p.frame.height().to_pt()))
            .collect(),
        quotations,
        headings,
        footnotes,
        citations,
        links,
        bibliographies,
    })
}

/// The quotations of the body text, each with its page and its place in
/// the sources (its first glyph's).
fn quotations(world: &IbidWorld, layout: &Layout<'_>) -> Vec<Quotation> {
    let text = layout.body.as_str();
    let blocks: Vec<std::ops::Range<usize>> = layout
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
        let (page, span) = run.map_or((0, None), |run| {
            // The glyph set from the text at the mark, and where in the
            // sources that glyph comes from.
            let within = at.saturating_sub(run.range.start);
            let glyph = run
                .item
                .glyphs
                .iter()
                .find(|g| g.range().end > within)
                .or(run.item.glyphs.last());
            let place = glyph.and_then(|g| {
                let (span, offset) = (g.span.0, g.span.1 as usize);
                let (id, range) = span.id().zip(world.span_range(span))?;
                let start = (range.start + offset).min(range.end);
                let (line, column) = world.line_column(id, start)?;
                Some(SourceSpan {
                    file: world.relative_name(id),
                    line,
                    column,
                    range: start..start,
                })
            });
            (run.page, place)
        });
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

/// A heading's title as the outline shows it, without the text of the
/// footnotes written in it.
fn title_of(body: &Content) -> String {
    let mut notes: Vec<String> = Vec::new();
    let _ = body.traverse(&mut |element| -> std::ops::ControlFlow<()> {
        if element.is::<FootnoteElem>() {
            notes.push(element.plain_text().to_string());
        }
        std::ops::ControlFlow::Continue(())
    });
    let mut title = body.plain_text().to_string();
    for note in notes.iter().filter(|n| !n.is_empty()) {
        if let Some(at) = title.rfind(note.as_str()) {
            title.replace_range(at..at + note.len(), "");
        }
    }
    title.trim().to_string()
}

/// The footnote text without its leading number.
fn strip_number(text: &str, number: &str) -> String {
    text.strip_prefix(number).unwrap_or(text).trim().to_string()
}

/// The prose without its leading number, its italic ranges moved along.
fn strip_prefix_number(
    prose: String,
    italic: Vec<std::ops::Range<usize>>,
    number: &str,
) -> (String, Vec<std::ops::Range<usize>>) {
    let rest = prose.strip_prefix(number).unwrap_or(&prose);
    let cut = prose.len() - rest.trim_start().len();
    let stripped = rest.trim().to_string();
    let italic = italic
        .into_iter()
        .filter(|r| r.start >= cut)
        .map(|r| r.start - cut..(r.end - cut).min(stripped.len()))
        .filter(|r| !r.is_empty())
        .collect();
    (stripped, italic)
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
    range: std::ops::Range<usize>,
) -> Option<SourceSpan> {
    let (line, column) = world.line_column(id, range.start)?;
    Some(SourceSpan {
        file: world.relative_name(id),
        line,
        column,
        range,
    })
}

/// Where the author wrote a citation that a template's wrapper made (`#let
/// see(key, page) = cite(label(key), supplement: page)`, called as
/// `#see("mao1977", [p. 45])`): the cite's own span is the wrapper's body,
/// which names no key; the supplement the author passed is their own. `own`
/// (the cite's span) when it is the author's (`@key`, or a call naming the
/// key), or when there is no supplement elsewhere.
fn author_span(
    world: &IbidWorld,
    cite: &typst::foundations::Packed<CiteElem>,
    own: SourceSpan,
) -> SourceSpan {
    let written = cite
        .span()
        .id()
        .and_then(|id| world.source(id).ok())
        .and_then(|source| source.text().get(own.range.clone()).map(String::from));
    let key = cite.key.resolve();
    if written.is_none_or(|w| w.starts_with('@') || w.contains(key.as_str())) {
        return own;
    }
    cite.supplement
        .get_ref(StyleChain::default())
        .as_ref()
        .and_then(|supplement| source_span(world, supplement.span()))
        .filter(|s| {
            s.file != own.file || s.range.start > own.range.end || s.range.end < own.range.start
        })
        .unwrap_or(own)
}

/// The source text right after a citation written `@key` (no supplement),
/// to the end of its line, at most [`AFTER_CITATION`] bytes.
fn text_after(world: &IbidWorld, span: Span) -> Option<String> {
    let source = world.source(span.id()?).ok()?;
    let range = world.span_range(span)?;
    let text = source.text();
    if !text.get(range.clone())?.starts_with('@') {
        return None;
    }
    let rest = text.get(range.end..)?;
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut end = line.len().min(AFTER_CITATION);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    Some(line[..end].to_string())
}
