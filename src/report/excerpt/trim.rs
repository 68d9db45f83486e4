//! Fitting an excerpt to the terminal: notes wrapped at the width, long
//! lines cut to a window around the span (display widths, tabs, wide
//! characters), with an ellipsis where text was cut.

use super::*;

/// Wraps a message or note (`hint: …`) at spaces so that no line is wider
/// than `width`, continuation lines indented by `indent`; the first line
/// starts at column `first`. Existing line breaks stay.
pub(super) fn wrap(note: &str, width: usize, first: usize, indent: usize) -> String {
    let mut out = String::new();
    for (i, line) in note.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = if i == 0 { first } else { 0 };
        for (j, word) in unbreakable(line).into_iter().enumerate() {
            let w = display_width(word, 1);
            if j > 0 {
                if column > indent && column + 1 + w > width {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', indent));
                    column = indent;
                } else {
                    out.push(' ');
                    column += 1;
                }
            }
            out.push_str(word);
            column += w;
        }
    }
    out
}

/// A line split at the spaces where it may break: not inside `code`.
pub(super) fn unbreakable(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    for (at, c) in line.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                pieces.push(&line[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    pieces.push(&line[start..]);
    pieces
}

pub(super) fn char_width(c: char, tab_width: usize) -> usize {
    if c == '\t' {
        tab_width
    } else {
        c.width().unwrap_or(0)
    }
}

pub(super) fn display_width(s: &str, tab_width: usize) -> usize {
    s.chars().map(|c| char_width(c, tab_width)).sum()
}

/// The lines of a file a diagnostic quotes (from its first quoted line to
/// its last), some replaced by their trimmed excerpt: only that window is
/// copied, so that printing N findings into one large file (a
/// bibliography) stays linear in N.
pub(super) struct Trimmed {
    pub(super) source: String,
    pub(super) line_starts: Vec<usize>,
    /// The index, in the file, of the window's first line.
    pub(super) first_line: usize,
    /// Where the window starts in the file.
    pub(super) base: usize,
    /// The trimmed lines, in order.
    pub(super) cuts: Vec<Cut>,
}

pub(super) struct Cut {
    /// The line's index in the window.
    pub(super) line: usize,
    /// The kept bytes, in the original text.
    pub(super) kept: Range<usize>,
    /// Where the kept bytes start in the window.
    pub(super) at: usize,
    /// The characters of the original line before the kept ones.
    pub(super) columns_before: usize,
    /// Window length minus the original's (from `base`), up to the end of
    /// this line.
    pub(super) shift: isize,
}

pub(super) const ELLIPSIS: &str = "...";

/// The columns shown before a span too wide for the line.
pub(super) const WIDE_SPAN_CONTEXT: usize = 8;

impl Trimmed {
    pub(super) fn new(
        text: &Text,
        parts: &[(Range<usize>, bool)],
        budget: usize,
        tab_width: usize,
    ) -> Self {
        // What each quoted line must show: the union of the parts on it, or
        // the primary part when the union is too wide.
        let mut focus: Vec<(usize, Range<usize>, bool)> = Vec::new();
        for (range, primary) in parts {
            let first = text.line_index(range.start);
            let last = text.line_index(range.end);
            for line in first..=last {
                let bounds = text.line(line);
                let part =
                    range.start.max(bounds.start)..range.end.min(bounds.end).max(bounds.start);
                let part = part.start.min(bounds.end)..part.end;
                match focus.iter_mut().find(|(l, _, _)| *l == line) {
                    Some((_, union, has_primary)) => {
                        let wide = union.start.min(part.start)..union.end.max(part.end);
                        let fits = display_width(&text.source[wide.clone()], tab_width)
                            <= budget.saturating_sub(2 * ELLIPSIS.len());
                        if fits {
                            *union = wide;
                        } else if *primary && !*has_primary {
                            *union = part;
                        }
                        *has_primary |= *primary;
                    }
                    None => focus.push((line, part, *primary)),
                }
            }
        }
        focus.sort_by_key(|(line, _, _)| *line);
        let first_line = focus.first().map_or(0, |(line, _, _)| *line);
        let last_line = focus.last().map_or(0, |(line, _, _)| *line);
        let base = text.line_starts.get(first_line).copied().unwrap_or(0);
        let end = text
            .line_starts
            .get(last_line + 1)
            .copied()
            .unwrap_or(text.source.len());

        let mut source = String::with_capacity(end - base);
        let mut cuts = Vec::new();
        let mut copied = base;
        for (line, part, _) in focus {
            let bounds = text.line(line);
            let Some(kept) = window(&text.source, bounds.clone(), part, budget, tab_width) else {
                continue;
            };
            source.push_str(&text.source[copied..bounds.start]);
            let columns_before = text.source[bounds.start..kept.start].chars().count();
            if kept.start > bounds.start {
                source.push_str(ELLIPSIS);
            }
            let at = source.len();
            source.push_str(&text.source[kept.clone()]);
            if kept.end < bounds.end {
                source.push_str(ELLIPSIS);
            }
            copied = bounds.end;
            let shift = source.len() as isize - (copied - base) as isize;
            cuts.push(Cut {
                line: line - first_line,
                kept,
                at,
                columns_before,
                shift,
            });
        }
        source.push_str(&text.source[copied..end]);
        let line_starts = files::line_starts(&source).collect();
        Self {
            source,
            line_starts,
            first_line,
            base,
            cuts,
        }
    }

    /// Where a byte of the original text is in the window (bytes cut away
    /// map to the nearest kept byte).
    pub(super) fn map(&self, text: &Text, byte: usize) -> usize {
        let line = text.line_index(byte).saturating_sub(self.first_line);
        let before = self.cuts.partition_point(|cut| cut.line < line);
        if let Some(cut) = self.cuts.get(before).filter(|cut| cut.line == line) {
            return cut.at + byte.clamp(cut.kept.start, cut.kept.end) - cut.kept.start;
        }
        let shift = before.checked_sub(1).map_or(0, |i| self.cuts[i].shift);
        let at = byte.saturating_sub(self.base) as isize + shift;
        (at.max(0) as usize).min(self.source.len())
    }
}

/// The byte range of the line to keep so that it fits `budget` columns with
/// an ellipsis on each cut side, centred on `focus`; `None` if the line fits.
pub(super) fn window(
    source: &str,
    line: Range<usize>,
    focus: Range<usize>,
    budget: usize,
    tab_width: usize,
) -> Option<Range<usize>> {
    let cells: Vec<(usize, usize)> = source[line.clone()]
        .char_indices()
        .map(|(i, c)| (line.start + i, char_width(c, tab_width)))
        .collect();
    let total: usize = cells.iter().map(|(_, w)| w).sum();
    if total <= budget {
        return None;
    }
    let byte = |index: usize| cells.get(index).map_or(line.end, |(at, _)| *at);
    let avail = budget - 2 * ELLIPSIS.len();
    let first = cells.partition_point(|(at, _)| *at < focus.start);
    let last = cells.partition_point(|(at, _)| *at < focus.end).max(first);
    let (mut start, mut end, mut used) = (first, first, 0);
    let focus_width: usize = cells[first..last].iter().map(|(_, w)| w).sum();
    if focus_width > avail {
        // A span too wide to show whole keeps its start and a little
        // before it.
        while start > 0 && used + cells[start - 1].1 <= WIDE_SPAN_CONTEXT {
            start -= 1;
            used += cells[start].1;
        }
        while end < last && used + cells[end].1 <= avail {
            used += cells[end].1;
            end += 1;
        }
    } else {
        end = last;
        used = focus_width;
        // Context on both sides, a character at a time.
        loop {
            let mut grew = false;
            if start > 0 && used + cells[start - 1].1 <= avail {
                start -= 1;
                used += cells[start].1;
                grew = true;
            }
            if end < cells.len() && used + cells[end].1 <= avail {
                used += cells[end].1;
                end += 1;
                grew = true;
            }
            if !grew {
                break;
            }
        }
    }
    // The room of an ellipsis that is not printed goes to the other side.
    let mut spare = 0;
    if start == 0 {
        spare += ELLIPSIS.len();
    }
    if end == cells.len() {
        spare += ELLIPSIS.len();
    }
    while spare > 0 && end >= last && end < cells.len() && cells[end].1 <= spare {
        spare -= cells[end].1;
        end += 1;
    }
    while spare > 0 && start > 0 && cells[start - 1].1 <= spare && end == cells.len() {
        spare -= cells[start - 1].1;
        start -= 1;
    }
    Some(byte(start)..byte(end))
}
