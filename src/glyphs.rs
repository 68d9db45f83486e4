//! Missing glyphs: characters that were laid out with a font's `.notdef`
//! glyph (id 0) and so print as empty boxes. Typst itself stays silent about
//! them in a plain PDF export.

use std::collections::{HashMap, HashSet};

use typst::diag::SourceDiagnostic;
use typst::syntax::{DiagSpan, Span};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use crate::frames::{self, Event};

/// One character that a font could not draw, where it first occurs, and
/// the other places it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MissingGlyph {
    /// 0-based page index.
    pub page: usize,
    pub character: String,
    pub font: String,
    /// The text node the character was set from.
    pub span: Span,
    /// Byte offset of the character within that node.
    pub offset: usize,
    /// The 0-based pages of its other occurrences, in layout order.
    pub also_on: Vec<usize>,
}

/// Every missing glyph in the document, once per character and font (a
/// character outside the fonts is usually so throughout the document), in
/// layout order.
pub fn find(doc: &PagedDocument) -> Vec<MissingGlyph> {
    let mut seen = HashSet::new();
    let mut found: Vec<MissingGlyph> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    frames::walk(doc, |page, event| {
        let Event::Text { item, .. } = event else {
            return;
        };
        for glyph in item.glyphs.iter().filter(|glyph| glyph.id == 0) {
            let character = item.text.get(glyph.range()).unwrap_or_default();
            if character.trim().is_empty() {
                continue;
            }
            let font = item.font.font().info().family.clone();
            let place = (character.to_string(), font.clone(), glyph.span);
            if !seen.insert(place) {
                continue;
            }
            let key = (character.to_string(), font.clone());
            match index.get(&key) {
                Some(&at) => found[at].also_on.push(page),
                None => {
                    index.insert(key, found.len());
                    found.push(MissingGlyph {
                        page,
                        character: character.to_string(),
                        font,
                        span: glyph.span.0,
                        offset: usize::from(glyph.span.1),
                        also_on: Vec::new(),
                    });
                }
            }
        }
    });
    found
}

impl MissingGlyph {
    /// Where the character is: the character itself when the source holds it
    /// at the glyph's offset, else the whole text node it was set from.
    pub fn location(&self, world: &dyn World) -> DiagSpan {
        let exact = self
            .span
            .id()
            .zip(world.range(self.span))
            .and_then(|(id, node)| {
                let start = node.start + self.offset;
                let range = start..start + self.character.len();
                let source = world.source(id).ok()?;
                (source.text().get(range.clone()) == Some(self.character.as_str()))
                    .then(|| DiagSpan::from_range(id, range))
            });
        exact.unwrap_or_else(|| self.span.into())
    }

    /// A diagnostic in Typst's own form: a warning, or an error under `--strict`.
    pub fn to_diagnostic(&self, world: &dyn World, strict: bool) -> SourceDiagnostic {
        let codepoints: Vec<String> = self
            .character
            .chars()
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        let message = format!(
            "missing glyph: `{}` ({}) has no glyph in font {} and prints as an empty box",
            self.character,
            codepoints.join(" "),
            self.font
        );
        let diagnostic = if strict {
            SourceDiagnostic::error(self.location(world), message)
        } else {
            SourceDiagnostic::warning(self.location(world), message)
        };
        let diagnostic = match self.also_on.as_slice() {
            [] => diagnostic,
            others => {
                let mut pages: Vec<usize> = others.iter().map(|page| page + 1).collect();
                pages.dedup();
                let shown: Vec<String> = pages.iter().take(10).map(usize::to_string).collect();
                let more = if pages.len() > 10 { ", …" } else { "" };
                diagnostic.with_hint(format!(
                    "it occurs {} more time{} (page{} {}{more})",
                    others.len(),
                    if others.len() == 1 { "" } else { "s" },
                    if pages.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                ))
            }
        };
        diagnostic
            .with_hint("add a font that covers it with `--font-path DIR`")
            .with_hint(
                "for Chinese text, regenerate the shipped subset with `python3 fonts/subset.py`",
            )
    }
}
