//! What the laid-out frames tell the model: each footnote entry's text,
//! and which footnote each citation group, link and quotation ended up in.

use super::*;

/// What the laid-out frames tell: the text of each footnote entry, and which
/// footnote each citation group and link ended up in.
#[derive(Default)]
pub(super) struct Layout<'a> {
    /// Footnote location to its entry's text.
    pub(super) note_text: HashMap<Location, TextCollector>,
    /// Footnote location to the text its author typed: the entry's text
    /// without what citations generated.
    pub(super) note_prose: HashMap<Location, TextCollector>,
    /// Citation groups open inside a footnote entry.
    pub(super) entry_groups: Vec<Location>,
    /// Citation group location to the footnote that holds it.
    pub(super) group_note: HashMap<Location, Location>,
    /// Link location to the footnote that holds it.
    pub(super) link_note: HashMap<Location, Location>,
    /// Links the citation style generated (URLs of entries), which are the
    /// bibliography's, not the document's own.
    pub(super) generated_links: HashSet<Location>,
    /// Open citation groups, bibliographies and footnotes made by a note
    /// style, whose links are generated.
    pub(super) generators: Vec<Location>,
    /// Footnotes a note citation style made.
    pub(super) generated_notes: HashSet<Location>,
    /// The body text so far (outside footnote entries).
    pub(super) body: TextCollector,
    /// Footnote or citation group location to the quotation that ends where
    /// it stands.
    pub(super) quotes: HashMap<Location, String>,
    /// The sentence each citation group or footnote marker ends.
    pub(super) sentences: HashMap<Location, String>,
    /// Footnote location to the place in the sources right after the text
    /// its marker follows.
    pub(super) marker: HashMap<Location, (Span, usize)>,
    /// Where footnote markers and citations stand in the body text.
    pub(super) anchors: Vec<usize>,
    /// Ranges of the body text a citation style generated.
    pub(super) generated_text: Vec<std::ops::Range<usize>>,
    /// Open raw elements (code, inline or in blocks, however produced).
    pub(super) code: Vec<Location>,
    /// Ranges of the body text set as code: never prose.
    pub(super) code_text: Vec<std::ops::Range<usize>>,
    /// Block quotations: their location and range in the body text (the end
    /// set when the quotation closes).
    pub(super) blocks: Vec<(Location, std::ops::Range<usize>)>,
    /// The block quotations not yet ended (a citation in an attribution
    /// stands inside its quotation).
    pub(super) open_blocks: Vec<Location>,
    /// Each run of body text: where it starts in the body text, its page,
    /// and where its first glyph comes from.
    pub(super) runs: Vec<Run<'a>>,
}

/// A run of body text: its range in the body text, its page (1-based), and
/// the laid-out text (whose glyphs know where they come from).
pub(super) struct Run<'a> {
    pub(super) range: std::ops::Range<usize>,
    pub(super) page: usize,
    pub(super) item: &'a typst::text::TextItem,
    /// Where the run's baseline starts on the page.
    pub(super) origin: typst::layout::Point,
}

/// An open footnote entry: its own location and its footnote's.
pub(super) struct OpenEntry {
    pub(super) entry: Location,
    pub(super) note: Location,
    /// Byte range of the footnote in its source, to recognise the rest of an
    /// entry that Typst continued on the next page.
    pub(super) source: Option<(typst::syntax::FileId, std::ops::Range<usize>)>,
}

impl<'a> Layout<'a> {
    pub(super) fn read(world: &IbidWorld, doc: &'a PagedDocument) -> Self {
        let mut layout = Layout::default();
        let mut entries: Vec<OpenEntry> = Vec::new();
        let mut dangling: Vec<OpenEntry> = Vec::new();
        let mut groups: Vec<Location> = Vec::new();
        let mut current_page = 0;
        let span_start = |span: Span| Some((span.id()?, world.span_range(span)?.start));

        frames::walk(doc, |page, event| {
            if page != current_page {
                // An entry still open at a page end continues in the next
                // page's footnote area, after that page's body text.
                dangling.append(&mut entries);
                current_page = page;
            }
            match event {
                Event::Start(content) => layout.start(world, content, &mut entries, &mut groups),
                Event::End(loc) => {
                    let end = layout.body.as_str().len();
                    if let Some((_, range)) = layout.blocks.iter_mut().find(|(l, _)| *l == loc) {
                        range.end = end;
                    }
                    layout.open_blocks.retain(|&b| b != loc);
                    entries.retain(|e| e.entry != loc);
                    dangling.retain(|e| e.entry != loc);
                    groups.retain(|&g| g != loc);
                    layout.generators.retain(|&g| g != loc);
                    layout.code.retain(|&c| c != loc);
                    layout.entry_groups.retain(|&g| g != loc);
                }
                Event::Text { item, origin } => {
                    if entries.is_empty() {
                        let start = layout.body.as_str().len();
                        layout.body.push(item, origin, &span_start);
                        let end = layout.body.as_str().len();
                        if !layout.generators.is_empty() {
                            match layout.generated_text.last_mut() {
                                Some(last) if last.end == start => last.end = end,
                                _ => layout.generated_text.push(start..end),
                            }
                        }
                        if !layout.code.is_empty() {
                            match layout.code_text.last_mut() {
                                Some(last) if last.end == start => last.end = end,
                                _ => layout.code_text.push(start..end),
                            }
                        }
                        layout.runs.push(Run {
                            range: end - item.text.len()..end,
                            page: page + 1,
                            item,
                            origin,
                        });
                    }
                    let target = entries.last().or_else(|| {
                        let span = item.glyphs.first()?.span.0;
                        let (id, range) = (span.id()?, world.span_range(span)?);
                        dangling.iter().find(|e| {
                            e.source.as_ref().is_some_and(|(fid, r)| {
                                *fid == id && r.start <= range.start && range.end <= r.end
                            })
                        })
                    });
                    if let Some(open) = target {
                        let note = open.note;
                        layout
                            .note_text
                            .entry(note)
                            .or_insert_with(TextCollector::logical)
                            .push(item, origin, &span_start);
                        if layout.entry_groups.is_empty() && !layout.generated_notes.contains(&note)
                        {
                            layout
                                .note_prose
                                .entry(note)
                                .or_insert_with(TextCollector::logical)
                                .push(item, origin, &span_start);
                        }
                    }
                }
            }
        });
        layout
    }

    /// The quotation that ends where the body text stands: in quotation
    /// marks, or a block quotation just ended (or still open: the
    /// citation is in its attribution).
    fn quote_before(&self) -> Option<String> {
        if let Some(quote) = quote_before(self.body.as_str()) {
            return Some(quote);
        }
        let body = self.body.as_str();
        let (loc, range) = self.blocks.last()?;
        let text = if self.open_blocks.contains(loc) {
            body.get(range.start..)?
        } else {
            let after = body.get(range.end..)?;
            if !after
                .trim()
                .trim_matches(['.', ',', ';', ':', '—', '–', '-'])
                .is_empty()
            {
                return None;
            }
            body.get(range.clone())?
        };
        let text = text.trim().trim_end_matches(['—', '–', ' ']).trim();
        (!text.is_empty()).then(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    pub(super) fn start(
        &mut self,
        world: &IbidWorld,
        content: &Content,
        entries: &mut Vec<OpenEntry>,
        groups: &mut Vec<Location>,
    ) {
        let Some(loc) = content.location() else {
            return;
        };
        if let Some(entry) = content.to_packed::<FootnoteEntry>() {
            let Some(note) = entry.note.location() else {
                return;
            };
            let span = entry.note.span();
            let source = span.id().zip(world.span_range(span));
            if self.generated_notes.contains(&note) {
                self.generators.push(loc);
            }
            entries.push(OpenEntry {
                entry: loc,
                note,
                source,
            });
        } else if let Some(quote) = content.to_packed::<QuoteElem>() {
            if entries.is_empty() && quote.block.get(StyleChain::default()) {
                let at = self.body.as_str().len();
                self.blocks.push((loc, at..at));
                self.open_blocks.push(loc);
            }
        } else if content.is::<CiteGroup>() {
            if entries.is_empty() {
                self.anchors.push(self.body.as_str().len());
            }
            if let Some(open) = entries.last() {
                self.group_note.insert(loc, open.note);
                self.entry_groups.push(loc);
                if let Some(quote) = self.quotes.get(&open.note).cloned() {
                    self.quotes.insert(loc, quote);
                }
                if let Some(sentence) = self.sentences.get(&open.note).cloned() {
                    self.sentences.insert(loc, sentence);
                }
            } else {
                if let Some(quote) = self.quote_before() {
                    self.quotes.insert(loc, quote);
                }
                if let Some(sentence) = sentence_before(self.body.as_str()) {
                    self.sentences.insert(loc, sentence);
                }
            }
            groups.push(loc);
            self.generators.push(loc);
        } else if content.is::<BibliographyElem>() {
            self.generators.push(loc);
        } else if content.is::<typst::text::RawElem>() {
            self.code.push(loc);
        } else if content.is::<FootnoteElem>() {
            if entries.is_empty() {
                self.anchors.push(self.body.as_str().len());
            }
            if let Some(after) = self.body.last_end() {
                self.marker.insert(loc, after);
            }
            if let Some(quote) = self.quote_before() {
                self.quotes.insert(loc, quote);
            }
            if entries.is_empty()
                && let Some(sentence) = sentence_before(self.body.as_str())
            {
                self.sentences.insert(loc, sentence);
            }
            // A note citation style wraps a citation group in a footnote,
            // which holds the citation — also when the group was written
            // inside a footnote of its own (`#footnote[@key]`): the reader
            // sees the citation in the inner note.
            if let Some(&group) = groups.last() {
                self.group_note.insert(group, loc);
                self.generated_notes.insert(loc);
            }
        } else if content.is::<LinkElem>() {
            if !self.generators.is_empty() {
                self.generated_links.insert(loc);
            }
            if let Some(open) = entries.last() {
                self.link_note.insert(loc, open.note);
            }
        }
    }
}

/// The sentence that ends where `body` ends: from the last sentence end
/// before it (at most a few hundred bytes back), whitespace collapsed.
fn sentence_before(body: &str) -> Option<String> {
    let from = body.len().saturating_sub(600);
    let from = (from..body.len())
        .find(|&i| body.is_char_boundary(i))
        .unwrap_or(body.len());
    let tail = body[from..].trim_end();
    let tail = tail.trim_end_matches(['.', ',', ';', ':', '”', '"', '’']);
    let start = tail
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '。' | '！' | '？')
                || (matches!(c, '.' | '!' | '?')
                    && tail[i + c.len_utf8()..].starts_with(char::is_whitespace))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let sentence = tail[start..]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (sentence.chars().count() >= 12).then_some(sentence)
}
