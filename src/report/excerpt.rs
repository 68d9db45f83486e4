//! Source excerpts that fit the terminal. Theses are often written one
//! sentence per line, so a quoted line can be 600 characters wide; like
//! rustc, ibid keeps the marked span and some context on either side and
//! replaces the rest of the line with `...`. Both ibid's findings and Typst's
//! own diagnostics are printed through [`emit`].
//!
//! The excerpt is trimmed, the place is not: `file:line:col` in the header
//! is the column in the file as written.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Severity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Config, DisplayStyle};
use unicode_width::UnicodeWidthChar;

mod trim;

use trim::*;

/// The width output is trimmed to when it does not go to a terminal.
pub const DEFAULT_WIDTH: usize = 100;

/// The width of the terminal `stream` is, or [`DEFAULT_WIDTH`] when it is
/// not a terminal (a pipe, a file, CI's log).
pub fn width_of(stream: &impl std::os::fd::AsFd) -> usize {
    terminal_size::terminal_size_of(stream)
        .map(|(width, _)| usize::from(width.0))
        .filter(|&width| width >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The texts diagnostics point into, by id.
#[derive(Default)]
pub struct Texts {
    files: Vec<Text>,
    /// Columns count from 1 (ibid's findings, as every machine format and
    /// editor counts), else from 0 (Typst's own diagnostics, as typst-cli
    /// prints them).
    from_one: bool,
}

struct Text {
    name: String,
    source: String,
    line_starts: Vec<usize>,
}

impl Text {
    fn new(name: String, source: String) -> Self {
        let line_starts = files::line_starts(&source).collect();
        Self {
            name,
            source,
            line_starts,
        }
    }

    fn line_index(&self, byte: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    /// The byte range of a line, without its line break.
    fn line(&self, index: usize) -> Range<usize> {
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.source.len());
        let line = &self.source[start..end];
        let content = line.trim_end_matches(['\n', '\r']);
        start..start + content.len()
    }
}

impl Texts {
    /// Texts whose columns count from 1: a finding's place prints as in
    /// JSON, SARIF, GitHub and Markdown.
    pub fn counting_from_one() -> Self {
        Self {
            from_one: true,
            ..Self::default()
        }
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: String, source: String) -> usize {
        self.files.push(Text::new(name, source));
        self.files.len() - 1
    }
}

/// Prints one diagnostic whose labels point into `texts`, each quoted line
/// trimmed to `width` columns.
pub fn emit(
    out: &mut dyn WriteColor,
    config: &Config,
    texts: &Texts,
    diagnostic: &Diagnostic<usize>,
    width: usize,
) -> Result<(), files::Error> {
    let mut diagnostic = diagnostic.clone();
    // The gutter is the widest line number and " │ ".
    let widest = diagnostic
        .labels
        .iter()
        .filter_map(|label| {
            let text = texts.files.get(label.file_id)?;
            Some(text.line_index(label.range.end.min(text.source.len())) + 1)
        })
        .max()
        .unwrap_or(1);
    let budget = width
        .saturating_sub(widest.to_string().len() + 3)
        .max(MIN_BUDGET);
    let mut trimmed = HashMap::new();
    let ids: Vec<usize> = diagnostic.labels.iter().map(|l| l.file_id).collect();
    for id in ids {
        if trimmed.contains_key(&id) {
            continue;
        }
        let Some(text) = texts.files.get(id) else {
            continue;
        };
        let parts: Vec<(Range<usize>, bool)> = diagnostic
            .labels
            .iter()
            .filter(|label| label.file_id == id)
            .map(|label| (clamp(&label.range, text), is_primary(label)))
            .collect();
        let trim = Trimmed::new(text, &parts, budget, config.tab_width);
        for label in diagnostic.labels.iter_mut().filter(|l| l.file_id == id) {
            let range = clamp(&label.range, text);
            label.range = trim.map(text, range.start)..trim.map(text, range.end);
        }
        trimmed.insert(id, trim);
    }
    // codespan prints a note after the gutter and `= `, and indents the
    // note's further lines to match; ours go on under the text after
    // `hint: `.
    let gutter = widest.to_string().len() + 3;
    for note in &mut diagnostic.notes {
        let indent = note.find(": ").map_or(0, |at| at + 2);
        *note = wrap(
            note,
            width.saturating_sub(gutter).max(MIN_BUDGET),
            0,
            indent,
        );
    }
    if matches!(config.display_style, DisplayStyle::Short) {
        // One line per diagnostic, whatever its width: made to be grepped.
        let view = View { texts, trimmed };
        return term::emit(out, config, &view, &diagnostic);
    }
    // `warning[rule]: ` comes before the message on its first line.
    let severity = match diagnostic.severity {
        Severity::Bug => "bug",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
        Severity::Help => "help",
    };
    let code = diagnostic.code.as_ref().map_or(0, |code| code.len() + 2);
    let header = severity.len() + code + 2;
    diagnostic.message = wrap(&diagnostic.message, width.max(MIN_BUDGET), header, 2);
    let view = View { texts, trimmed };
    term::emit(out, config, &view, &diagnostic)
}

/// Below this the excerpt would say too little to be worth trimming.
const MIN_BUDGET: usize = 40;

fn is_primary(label: &codespan_reporting::diagnostic::Label<usize>) -> bool {
    label.style == codespan_reporting::diagnostic::LabelStyle::Primary
}

fn clamp(range: &Range<usize>, text: &Text) -> Range<usize> {
    let fit = |at: usize| {
        let mut at = at.min(text.source.len());
        while !text.source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = fit(range.start);
    start..fit(range.end).max(start)
}

/// The files as the excerpt shows them.
struct View<'a> {
    texts: &'a Texts,
    trimmed: HashMap<usize, Trimmed>,
}

impl View<'_> {
    fn text(&self, id: usize) -> Result<&Text, files::Error> {
        self.texts.files.get(id).ok_or(files::Error::FileMissing)
    }

    fn source_and_starts(&self, id: usize) -> Result<(&str, &[usize]), files::Error> {
        Ok(match self.trimmed.get(&id) {
            Some(trim) => (&trim.source, &trim.line_starts),
            None => {
                let text = self.text(id)?;
                (&text.source, &text.line_starts)
            }
        })
    }

    /// The index in the file of the window's first line.
    fn first_line(&self, id: usize) -> usize {
        self.trimmed.get(&id).map_or(0, |trim| trim.first_line)
    }
}

impl<'a> Files<'a> for View<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, files::Error> {
        Ok(self.text(id)?.name.clone())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self.source_and_starts(id)?.0)
    }

    /// The line's number in the file (the window starts further down).
    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, files::Error> {
        Ok(self.first_line(id) + line_index + 1)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        let (_, starts) = self.source_and_starts(id)?;
        Ok(starts
            .partition_point(|&start| start <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        let (source, starts) = self.source_and_starts(id)?;
        let start = *starts.get(line_index).ok_or(files::Error::LineTooLarge {
            given: line_index,
            max: starts.len() - 1,
        })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(source.len());
        Ok(start..end)
    }

    /// The column in the file as written, counted in characters: from 1 for
    /// findings (as the machine formats count), from 0 for Typst's own
    /// diagnostics (as typst-cli counts).
    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let (source, _) = self.source_and_starts(id)?;
        let start = self.line_range(id, line_index)?.start;
        let cut = self
            .trimmed
            .get(&id)
            .and_then(|trim| trim.cuts.iter().find(|cut| cut.line == line_index));
        let (from, before) = match cut {
            Some(cut) if byte_index >= cut.at => (cut.at, cut.columns_before),
            Some(cut) => return Ok(cut.columns_before + usize::from(self.texts.from_one)),
            None => (start, 0),
        };
        let prefix = source
            .get(from..byte_index)
            .ok_or(files::Error::InvalidCharBoundary { given: byte_index })?;
        Ok(before + prefix.chars().count() + usize::from(self.texts.from_one))
    }
}

#[cfg(test)]
mod tests {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::term::termcolor::NoColor;

    use super::*;

    /// Renders one error marking `marked` (found in `source`) at `width`.
    fn render(source: &str, marked: &str, width: usize) -> String {
        let start = source
            .find(marked)
            .expect("the marked text is in the source");
        let mut texts = Texts::default();
        let id = texts.add("main.typ".into(), source.into());
        let diagnostic = Diagnostic::error()
            .with_message("the message")
            .with_code("rule")
            .with_labels(vec![Label::primary(id, start..start + marked.len())])
            .with_notes(vec!["hint: the hint".into()]);
        let mut out = NoColor::new(Vec::new());
        let config = Config {
            tab_width: 2,
            ..Config::default()
        };
        emit(&mut out, &config, &texts, &diagnostic, width).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    fn widest(rendered: &str) -> usize {
        rendered
            .lines()
            .map(|l| display_width(l, 1))
            .max()
            .unwrap_or(0)
    }

    /// A 600-character line of prose, one sentence per line as theses are
    /// written, between two short lines.
    fn long_line(marked: &str, at: usize) -> String {
        let words = "the commune kitchens served free meals until the grain ran out ";
        let mut line: String = words.repeat(10);
        line.truncate(600 - marked.len());
        line.insert_str(at.min(line.len()), marked);
        format!("= Chapter\n\n{line}\nnext line\n")
    }

    #[test]
    fn a_span_at_the_start_of_a_long_line() {
        let rendered = render(&long_line("#footnote[Ibid.]", 0), "#footnote[Ibid.]", 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_span_in_the_middle_of_a_long_line() {
        let rendered = render(&long_line("#footnote[Ibid.]", 300), "#footnote[Ibid.]", 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        assert!(rendered.contains("main.typ:3:300"), "{rendered}");
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_span_at_the_end_of_a_long_line() {
        let source = long_line("#footnote[Ibid.]", 600);
        let rendered = render(&source, "#footnote[Ibid.]", 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        assert!(rendered.contains("main.typ:3:584"), "{rendered}");
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_span_after_wide_characters_is_trimmed_by_display_width() {
        let line = format!(
            "{}#footnote[同上。]{}",
            "大跃进时期的公共食堂".repeat(15),
            "。".repeat(100)
        );
        let source = format!("{line}\n");
        let rendered = render(&source, "#footnote[同上。]", 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        assert!(rendered.contains("main.typ:1:150"), "{rendered}");
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn findings_count_columns_from_one_typst_from_zero() {
        let source = "abc #x\n";
        let at = |texts: &mut Texts| {
            let id = texts.add("main.typ".into(), source.into());
            let diagnostic = Diagnostic::error().with_labels(vec![Label::primary(id, 5..6)]);
            let mut out = NoColor::new(Vec::new());
            emit(&mut out, &Config::default(), texts, &diagnostic, 100).expect("emitted");
            String::from_utf8(out.into_inner()).expect("UTF-8")
        };
        assert!(at(&mut Texts::counting_from_one()).contains("main.typ:1:6"));
        assert!(at(&mut Texts::default()).contains("main.typ:1:5"));
    }

    #[test]
    fn tabs_count_as_the_tab_width() {
        let line = format!("{}#footnote[Ibid.]{}", "\tx".repeat(80), "\ty".repeat(80));
        let rendered = render(&format!("{line}\n"), "#footnote[Ibid.]", 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_span_wider_than_the_terminal_keeps_its_start() {
        let marked = format!("#footnote[{}]", "a very long note ".repeat(20));
        let rendered = render(&long_line(&marked, 200), &marked, 100);
        assert!(widest(&rendered) <= 100, "{rendered}");
        assert!(
            rendered.contains("... commune#footnote[a very long note"),
            "{rendered}"
        );
        insta::assert_snapshot!(rendered);
    }

    #[test]
    fn a_short_line_is_left_whole() {
        let rendered = render("Some text.#footnote[Ibid.]\n", "#footnote[Ibid.]", 100);
        assert!(
            rendered.contains("1 │ Some text.#footnote[Ibid.]\n"),
            "{rendered}"
        );
        assert!(!rendered.contains("..."), "{rendered}");
    }

    #[test]
    fn a_long_hint_is_wrapped_at_spaces() {
        let wrapped = wrap(&format!("hint: {}", "word ".repeat(40)), 60, 0, 2);
        assert!(wrapped.lines().all(|l| l.len() <= 60), "{wrapped}");
        assert!(wrapped.lines().count() > 2);
        assert_eq!(
            wrapped.replace("\n  ", " "),
            format!("hint: {}", "word ".repeat(40))
        );
    }

    #[test]
    fn code_in_a_hint_is_not_broken() {
        let hint = "hint: for example `p. 12`, `pp. 12-15` or `pp. 3, 7`";
        let wrapped = wrap(hint, 50, 0, 6);
        assert_eq!(
            wrapped,
            "hint: for example `p. 12`, `pp. 12-15` or\n      `pp. 3, 7`"
        );
    }
}
