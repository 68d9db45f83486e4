//! Footnote and heading numbers as printed. Counter values need an engine,
//! which only Typst code evaluated against the finished document has (this is
//! what `typst eval` does), so the numbers are computed by a short query.

use comemo::Track;
use typst::World;
use typst::engine::Sink;
use typst::foundations::{Context, Scope, StyleChain, Value};
use typst::introspection::Introspector;
use typst::routines::SpanMode;
use typst::syntax::{Span, SyntaxMode};
use typst_layout::PagedDocument;

/// Printed numbers, in document order.
#[derive(Debug, Default)]
pub struct Numbers {
    pub footnotes: Vec<String>,
    /// `None` for an unnumbered heading.
    pub headings: Vec<Option<String>>,
}

const QUERY: &str = "(
  footnotes: query(footnote).map(f => numbering(f.numbering, ..counter(footnote).at(f.location()))),
  headings: query(heading).map(h => if h.numbering == none { none } else {
    numbering(h.numbering, ..counter(heading).at(h.location()))
  }),
)";

/// Evaluates the printed numbers. Returns a message if Typst could not
/// evaluate them (for example, a numbering function that fails).
pub fn numbers(world: &dyn World, doc: &PagedDocument) -> Result<Numbers, String> {
    let mut sink = Sink::new();
    let library = world.library();
    let introspector: &dyn Introspector = doc.introspector().as_ref();
    let value = typst_eval::eval_string(
        world.track(),
        library,
        sink.track_mut(),
        introspector.track(),
        Context::new(None, Some(StyleChain::new(&library.styles))).track(),
        QUERY,
        SpanMode::Uniform(Span::detached()),
        SyntaxMode::Code,
        Scope::default(),
    )
    .map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;

    let Value::Dict(dict) = value else {
        return Err("numbers query returned no dictionary".into());
    };
    let list = |key: &str| match dict.get(key) {
        Ok(Value::Array(array)) => array.iter().map(as_text).collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    Ok(Numbers {
        footnotes: list("footnotes")
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        headings: list("headings"),
    })
}

/// A number as text: numbering patterns give strings, numbering functions
/// may give content.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::None => None,
        Value::Str(s) => Some(s.to_string()),
        Value::Content(content) => Some(content.plain_text().to_string()),
        other => Some(other.clone().display().plain_text().to_string()),
    }
}
