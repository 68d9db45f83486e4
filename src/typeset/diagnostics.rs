//! Typst's diagnostics printed as typst-cli prints them (message, excerpt,
//! hints, then the trace), but through [`excerpt`] so that a long source
//! line is trimmed around the span as ibid's findings are.

use std::collections::HashMap;
use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files;
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, DisplayStyle};
use typst::diag::{Severity, SourceDiagnostic, Tracepoint};
use typst::syntax::{DiagSpan, DiagSpanKind, FileId, Spanned};
use typst_kit::diagnostics::DiagnosticWorld;

use crate::report::excerpt::{self, Texts};

/// Prints `diagnostics` in the rich (`short: false`) or one-line style.
pub fn emit<'a>(
    out: &mut dyn WriteColor,
    world: &dyn DiagnosticWorld,
    diagnostics: impl IntoIterator<Item = &'a SourceDiagnostic>,
    short: bool,
    width: usize,
) -> Result<(), files::Error> {
    let mut files = Loaded {
        world,
        texts: Texts::default(),
        ids: HashMap::new(),
    };
    let mut config = term::Config {
        tab_width: 2,
        ..Default::default()
    };
    if short {
        config.display_style = DisplayStyle::Short;
    }
    for diagnostic in diagnostics {
        let mut labels: Vec<Label<usize>> = Vec::new();
        if let Some((id, range)) = files.locate(diagnostic.span) {
            labels.push(Label::primary(id, range));
        }
        for hint in &diagnostic.hints {
            if let Some((id, range)) = files.locate(hint.span) {
                labels.push(Label::secondary(id, range).with_message(hint.v.as_str()));
            }
        }
        let notes = diagnostic
            .hints
            .iter()
            .filter(|hint| hint.span.is_detached())
            .map(|hint| format!("hint: {}", hint.v))
            .collect();
        let rendered = match diagnostic.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
        }
        .with_message(diagnostic.message.as_str())
        .with_labels(labels)
        .with_notes(notes);
        excerpt::emit(out, &config, &files.texts, &rendered, width)?;

        if !short && !diagnostic.trace.is_empty() {
            for point in &diagnostic.trace {
                trace(out, &mut files, point, width)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// One trace point: what kind and where, then the traced source on one
/// line, trimmed to the width.
fn trace(
    out: &mut dyn WriteColor,
    files: &mut Loaded,
    point: &Spanned<Tracepoint>,
    width: usize,
) -> io::Result<()> {
    let Some((name, line, column, text)) = files.place(point.span.into()) else {
        return Ok(());
    };
    write!(out, "  {} at ", point.v)?;
    out.set_color(ColorSpec::new().set_underline(true))?;
    write!(out, "{name}:{line}:{column}")?;
    out.reset()?;
    writeln!(out)?;
    let mut lines = text.lines();
    let mut shown = lines.next().unwrap_or_default().to_string();
    if let Some(last) = lines.next_back()
        && let Some(last) = last.chars().next_back()
        && !last.is_whitespace()
    {
        shown.push('…');
        shown.push(last);
    }
    let room = width.saturating_sub(4 + 3);
    if shown.chars().count() > room + 3 {
        shown = shown.chars().take(room).collect::<String>() + "...";
    }
    write!(out, "    ")?;
    out.set_color(ColorSpec::new().set_fg(Some(Color::Ansi256(248))))?;
    write!(out, "{shown}")?;
    out.reset()?;
    writeln!(out)
}

/// The files diagnostics point into, loaded once each.
struct Loaded<'a> {
    world: &'a dyn DiagnosticWorld,
    texts: Texts,
    ids: HashMap<FileId, Option<usize>>,
}

impl Loaded<'_> {
    /// The text's id and the byte range of a span.
    fn locate(&mut self, span: DiagSpan) -> Option<(usize, Range<usize>)> {
        let (file, range) = match span.get() {
            DiagSpanKind::Detached => return None,
            DiagSpanKind::Number { id, num, sub_range } => {
                (id, self.world.source(id).ok()?.range(num, sub_range)?)
            }
            DiagSpanKind::Range { id, range } => (id, range),
        };
        let world = self.world;
        let texts = &mut self.texts;
        let id = *self.ids.entry(file).or_insert_with(|| {
            let text = match world.source(file) {
                Ok(source) => source.text().to_string(),
                Err(_) => String::from_utf8_lossy(world.file(file).ok()?.as_slice()).into_owned(),
            };
            Some(texts.add(world.name(file), text))
        });
        Some((id?, range))
    }

    /// Name, 1-based line, 0-based column and text of a span.
    fn place(&mut self, span: DiagSpan) -> Option<(String, usize, usize, String)> {
        let file = span.id()?;
        let source = self.world.source(file).ok()?;
        let range = self.locate(span)?.1;
        let lines = source.lines();
        let line = lines.byte_to_line(range.start)?;
        let column = lines.byte_to_column(range.start)?;
        let text = source.text().get(range)?.to_string();
        Some((self.world.name(file), line + 1, column, text))
    }
}
