//! The elements the introspector holds, read into the model: citations,
//! links, footnotes, headings and bibliographies, each placed in its
//! footnote, page and source span.

use super::*;

/// What reading each kind of element needs: the world that compiled the
/// document, its introspector, what the frames told ([`Layout`]) and the
/// printed numbers.
pub(super) struct Elements<'a> {
    world: &'a IbidWorld,
    introspector: &'a dyn Introspector,
    pub(super) layout: Layout<'a>,
    numbers: Numbers,
    /// The footnote elements, in document order.
    notes: Vec<Content>,
    /// A footnote element's location to its index in `notes`.
    note_index: HashMap<Location, usize>,
}

/// The span of each footnote's first citation group (a note whose own span
/// is detached is placed there).
pub(super) type GroupSpans = HashMap<Option<usize>, Span>;

impl<'a> Elements<'a> {
    pub(super) fn new(world: &'a IbidWorld, doc: &'a PagedDocument, numbers: Numbers) -> Self {
        let introspector: &dyn Introspector = doc.introspector().as_ref();
        let notes: Vec<Content> = introspector
            .query(&FootnoteElem::ELEM.select())
            .into_iter()
            .collect();
        let note_index = notes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((n.location()?, i)))
            .collect();
        Self {
            world,
            introspector,
            layout: Layout::read(world, doc),
            numbers,
            notes,
            note_index,
        }
    }

    fn page_of(&self, loc: Option<Location>) -> usize {
        loc.and_then(|l| self.introspector.page(l))
            .map_or(0, |p| p.get())
    }

    fn span_of(&self, span: Span) -> Option<SourceSpan> {
        source_span(self.world, span)
    }

    fn position_of(&self, loc: Option<Location>) -> Option<Position> {
        match self.introspector.position(loc?)? {
            typst::introspection::DocumentPosition::Paged(at) => Some(Position {
                page: at.page.get(),
                x: at.point.x.to_pt(),
                y: at.point.y.to_pt(),
            }),
            _ => None,
        }
    }

    /// The index of the footnote that `map` places the element at `loc` in.
    fn footnote_of(
        &self,
        loc: Option<Location>,
        map: &HashMap<Location, Location>,
    ) -> Option<usize> {
        map.get(&loc?)
            .and_then(|note| self.note_index.get(note))
            .copied()
    }

    /// The citations, group by group, and the span of each footnote's first
    /// group.
    pub(super) fn citations(&self) -> (Vec<Citation>, GroupSpans) {
        let mut citations = Vec::new();
        let mut group_spans = HashMap::new();
        let groups = self.introspector.query(&CiteGroup::ELEM.select());
        for (group, content) in groups.iter().enumerate() {
            let Some(packed) = content.to_packed::<CiteGroup>() else {
                continue;
            };
            let loc = content.location();
            let footnote = self.footnote_of(loc, &self.layout.group_note);
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
                    quote: loc.and_then(|l| self.layout.quotes.get(&l).cloned()),
                    sentence: loc.and_then(|l| self.layout.sentences.get(&l).cloned()),
                    group,
                    page: self.page_of(loc),
                    span: self
                        .span_of(cite.span())
                        .map(|own| author_span(self.world, cite, own)),
                    after: text_after(self.world, cite.span()),
                });
            }
        }
        (citations, group_spans)
    }

    /// The links to URLs the author wrote (not those a template generated).
    pub(super) fn links(&self) -> Vec<Link> {
        self.introspector
            .query(&LinkElem::ELEM.select())
            .iter()
            .filter_map(|content| {
                let link = content.to_packed::<LinkElem>()?;
                let LinkTarget::Dest(Destination::Url(url)) = &link.dest else {
                    return None;
                };
                let loc = content.location();
                if loc.is_some_and(|l| self.layout.generated_links.contains(&l)) {
                    return None;
                }
                Some(Link {
                    url: url.to_string(),
                    footnote: self.footnote_of(loc, &self.layout.link_note),
                    page: self.page_of(loc),
                    span: self.span_of(content.span()),
                })
            })
            .collect()
    }

    /// The footnotes, each with the citations and links it holds.
    pub(super) fn footnotes(
        &self,
        citations: &[Citation],
        links: &[Link],
        group_spans: &GroupSpans,
    ) -> Vec<Footnote> {
        let mut cites = vec![Vec::new(); self.notes.len()];
        for (c, citation) in citations.iter().enumerate() {
            if let Some(held) = citation.footnote.and_then(|i| cites.get_mut(i)) {
                held.push(c);
            }
        }
        let mut held_links = vec![Vec::new(); self.notes.len()];
        for (l, link) in links.iter().enumerate() {
            if let Some(held) = link.footnote.and_then(|i| held_links.get_mut(i)) {
                held.push(l);
            }
        }
        cites
            .into_iter()
            .zip(held_links)
            .enumerate()
            .map(|(i, (cites, links))| self.footnote(i, cites, links, group_spans))
            .collect()
    }

    fn footnote(
        &self,
        i: usize,
        citations: Vec<usize>,
        links: Vec<usize>,
        group_spans: &GroupSpans,
    ) -> Footnote {
        let note = &self.notes[i];
        let loc = note.location();
        let number = self
            .numbers
            .footnotes
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string());
        let marked = note
            .label()
            .is_some_and(|l| l.resolve().as_str() == MISSING_SOURCE_LABEL);
        let kind = if marked {
            FootnoteKind::MissingSource
        } else if citations.is_empty() {
            FootnoteKind::Explanatory
        } else {
            FootnoteKind::Citing
        };
        let marker = loc
            .and_then(|l| self.layout.marker.get(&l))
            .and_then(|&(span, offset)| {
                let position = self.world.span_range(span)?.start + offset;
                at_range(self.world, span.id()?, position..position)
            });
        let span = self
            .span_of(note.span())
            .or_else(|| group_spans.get(&Some(i)).and_then(|&s| self.span_of(s)));
        let (text, (prose, italic)) = loc.map(|l| self.note_text(l, &number)).unwrap_or_default();
        Footnote {
            page: self.page_of(loc),
            kind,
            span,
            text,
            prose,
            italic,
            marker,
            position: self.position_of(loc),
            quote: loc.and_then(|l| self.layout.quotes.get(&l).cloned()),
            citations,
            links,
            number,
        }
    }

    /// A footnote's text and its prose (with its italic ranges), without the
    /// leading number.
    fn note_text(&self, note: Location, number: &str) -> (String, (String, Vec<Range<usize>>)) {
        let text = self
            .layout
            .note_text
            .get(&note)
            .map(TextCollector::finish)
            .unwrap_or_default();
        let (prose, italic) = self
            .layout
            .note_prose
            .get(&note)
            .map(TextCollector::finish_with_italics)
            .unwrap_or_default();
        (
            strip_number(&text, number),
            strip_prefix_number(prose, italic, number),
        )
    }

    /// The outline: headings that an outline would list.
    pub(super) fn headings(&self) -> Vec<Heading> {
        self.introspector
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
                        number: self.numbers.headings.get(i).cloned().flatten(),
                        title: title_of(&heading.body),
                        page: self.page_of(content.location()),
                        span: self.span_of(content.span()),
                    })
            })
            .collect()
    }

    /// The bibliographies, each with the number of citation groups before it.
    pub(super) fn bibliographies(&self) -> Vec<BibliographyPlace> {
        let mut groups_so_far = 0;
        let mut bibliographies = Vec::new();
        let in_order = self.introspector.query(&typst::foundations::Selector::Or(
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
                    position: self.position_of(content.location()),
                    note_style: style.settings.class == hayagriva::citationberg::StyleClass::Note,
                    full: elem.full.get(StyleChain::default()),
                    style: style.info.id.clone(),
                });
            }
        }
        bibliographies
    }
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
