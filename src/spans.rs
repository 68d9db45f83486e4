//! Spans to byte ranges, each source file walked once. Typst's own lookup
//! (`WorldExt::range`) descends from the root for every span, scanning the
//! root's children: linear in the file, so a document model that looks up a
//! span per note is quadratic in the notes. The table here is built on a
//! file's first lookup and kept while the file's text is the same.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use typst::syntax::{FileId, LinkedNode, Source, Span, SpanKind};

/// The tables of the files looked up so far.
#[derive(Default)]
pub struct SpanTables(Mutex<HashMap<FileId, Arc<Table>>>);

/// One file's spans, sorted, with their ranges.
struct Table {
    /// The source the table was built from (kept, so that its text cannot
    /// be freed and another allocated at the same place).
    source: Source,
    spans: Vec<(u64, Range<usize>)>,
}

impl Table {
    fn new(source: &Source) -> Self {
        let mut spans = Vec::new();
        let mut stack = vec![LinkedNode::new(source.root())];
        while let Some(node) = stack.pop() {
            spans.push((node.span().into_raw().get(), node.range()));
            stack.extend(node.children());
        }
        spans.sort_unstable_by_key(|(raw, _)| *raw);
        Self {
            source: source.clone(),
            spans,
        }
    }

    fn is_for(&self, source: &Source) -> bool {
        let (a, b) = (self.source.text(), source.text());
        a.as_ptr() == b.as_ptr() && a.len() == b.len()
    }

    fn get(&self, span: Span) -> Option<Range<usize>> {
        let raw = span.into_raw().get();
        let at = self.spans.binary_search_by_key(&raw, |(r, _)| *r).ok()?;
        Some(self.spans[at].1.clone())
    }
}

impl SpanTables {
    /// The byte range of `span` in `source` (the source of its file).
    pub fn range(&self, span: Span, source: &Source) -> Option<Range<usize>> {
        match span.get() {
            SpanKind::Detached => None,
            SpanKind::Range { range, .. } => Some(range),
            SpanKind::Number { id, .. } => {
                let table = {
                    let mut tables = self.0.lock().unwrap_or_else(|e| e.into_inner());
                    let table = tables
                        .entry(id)
                        .or_insert_with(|| Arc::new(Table::new(source)));
                    if !table.is_for(source) {
                        *table = Arc::new(Table::new(source));
                    }
                    Arc::clone(table)
                };
                table.get(span)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use typst::syntax::{RootedPath, VirtualPath, VirtualRoot};

    use super::*;

    /// Every node's range, from the table and from Typst's own lookup.
    #[test]
    fn the_table_gives_the_ranges_typst_gives() {
        let id = RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new("main.typ").expect("a path"),
        )
        .intern();
        let text =
            "= Title\nText #footnote[A note @key[p. 5].] and *strong* $x^2$.\n#let f(x) = x + 1\n";
        let source = Source::new(id, text.into());
        let tables = SpanTables::default();
        let mut stack = vec![LinkedNode::new(source.root())];
        let mut checked = 0;
        while let Some(node) = stack.pop() {
            let span = node.span();
            assert_eq!(
                tables.range(span, &source),
                source.range_of(span),
                "{node:?}"
            );
            checked += 1;
            stack.extend(node.children());
        }
        assert!(checked > 30);
        // An edited source gets a new table.
        let edited = Source::new(id, "Other text.".into());
        let span = edited.root().span();
        assert_eq!(tables.range(span, &edited), Some(0..11));
    }

    trait RangeOf {
        fn range_of(&self, span: Span) -> Option<Range<usize>>;
    }

    impl RangeOf for Source {
        fn range_of(&self, span: Span) -> Option<Range<usize>> {
            self.find(span).map(|n| n.range())
        }
    }
}
