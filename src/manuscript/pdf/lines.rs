//! Glyphs → lines: grouping by baseline, spaces from gaps, superscripts,
//! italic runs, links, right-to-left runs.

use std::collections::HashMap;
use std::ops::Range;

use super::catalog::{FontInfo, Role};
use super::device::RawGlyph;

/// One line of text on a page (y grows downwards).
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub page: usize,
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Dominant font size.
    pub size: f32,
    pub bold: bool,
    pub italic: Vec<Range<usize>>,
    /// Superscript segments.
    pub sups: Vec<Range<usize>>,
    pub links: Vec<(Range<usize>, String)>,
    /// The note this line belongs to according to the structure tree.
    pub note_tag: Option<usize>,
    /// The structure tree says this page is tagged (roles are reliable).
    pub tagged: bool,
}

struct G {
    text: String,
    x: f32,
    y: f32,
    w: f32,
    size: f32,
    italic: bool,
    bold: bool,
    sup: bool,
    forced_sup: bool,
    note: Option<usize>,
}

/// Characters that join without spaces at a line break (not Hangul:
/// Korean puts spaces between words).
pub(crate) use crate::script::is_cjk;

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '⁰' => '0',
        '¹' => '1',
        '²' => '2',
        '³' => '3',
        '⁴' => '4',
        '⁵' => '5',
        '⁶' => '6',
        '⁷' => '7',
        '⁸' => '8',
        '⁹' => '9',
        _ => return None,
    })
}

/// A link rectangle in the page space of the glyphs (y down).
pub(crate) struct LinkRect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub url: String,
}

pub(crate) fn build_lines(
    page: usize,
    raw: Vec<RawGlyph>,
    fonts: &HashMap<u128, FontInfo>,
    roles: &dyn Fn(i32) -> Option<Role>,
    tagged: bool,
    links: &[LinkRect],
) -> Vec<Line> {
    let mut glyphs: Vec<G> = Vec::with_capacity(raw.len());
    for r in raw {
        let info = fonts.get(&r.font).copied().unwrap_or_default();
        let role = r.mcid.and_then(roles);
        let mut text = r.text;
        let mut sup = r.sup_shape;
        if let Some(d) = text.chars().next().and_then(superscript_digit)
            && text.chars().count() == 1
        {
            text = d.to_string();
            sup = true;
        }
        let forced_sup = matches!(role, Some(Role::BodyMarker) | Some(Role::NoteLabel(_)));
        let note = match role {
            Some(Role::NoteText(i)) | Some(Role::NoteLabel(i)) => Some(i),
            _ => None,
        };
        // Fake bold / shadow: the same glyph drawn twice at (almost) the same place.
        if let Some(prev) = glyphs.last()
            && prev.text == text
            && (prev.x - r.x).abs() < 0.1 * r.size
            && (prev.y - r.y).abs() < 0.1 * r.size
        {
            continue;
        }
        glyphs.push(G {
            text,
            x: r.x,
            y: r.y,
            w: r.w,
            size: r.size,
            italic: info.italic,
            bold: info.bold,
            sup: sup || forced_sup,
            forced_sup,
            note,
        });
    }

    // Runs: consecutive glyphs (content order) on one baseline, close in x.
    let mut runs: Vec<Vec<G>> = Vec::new();
    for g in glyphs {
        if let Some(run) = runs.last_mut()
            && let Some(last) = run.last()
        {
            let gap = g.x - (last.x + last.w);
            let same = (g.y - last.y).abs() < 0.15 * last.size.max(g.size)
                && (g.size - last.size).abs() < 0.15 * last.size
                && gap > -0.6 * last.size
                && gap < 1.2 * last.size;
            if same {
                run.push(g);
                continue;
            }
        }
        runs.push(vec![g]);
    }

    // Lines: big runs first, smaller runs (superscripts) join the line they
    // sit on when close enough horizontally and vertically.
    struct L {
        y: f32,
        size: f32,
        x0: f32,
        x1: f32,
        glyphs: Vec<G>,
    }
    let run_size = |r: &Vec<G>| r.first().map(|g| g.size).unwrap_or(0.0);
    runs.sort_by(|a, b| run_size(b).total_cmp(&run_size(a)));
    let mut lines: Vec<L> = Vec::new();
    for run in runs {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let (y, size) = (first.y, first.size);
        let (x0, x1) = (first.x, last.x + last.w);
        let mut target = None;
        for (i, l) in lines.iter().enumerate().rev().take(400) {
            let dy = y - l.y;
            let fits_v = if size < 0.9 * l.size {
                dy > -0.75 * l.size && dy < 0.35 * l.size
            } else {
                dy.abs() < 0.3 * l.size
            };
            let hgap = (x0 - l.x1).max(l.x0 - x1);
            if fits_v && hgap < 1.2 * l.size.max(size) {
                target = Some(i);
                break;
            }
        }
        match target.and_then(|i| lines.get_mut(i)) {
            Some(l) => {
                l.x0 = l.x0.min(x0);
                l.x1 = l.x1.max(x1);
                l.glyphs.extend(run);
            }
            None => lines.push(L {
                y,
                size,
                x0,
                x1,
                glyphs: run,
            }),
        }
    }

    let mut out = Vec::with_capacity(lines.len());
    for mut l in lines {
        l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        out.push(finish_line(page, l.glyphs, l.y, l.size, tagged, links));
    }
    out.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    out
}

struct Cell {
    text: String,
    x0: f32,
    x1: f32,
    italic: bool,
    sup: bool,
    bold: bool,
}

fn finish_line(
    page: usize,
    glyphs: Vec<G>,
    y: f32,
    size: f32,
    tagged: bool,
    links: &[LinkRect],
) -> Line {
    // Superscripts by geometry: smaller and raised relative to the line.
    let mut cells: Vec<Cell> = Vec::with_capacity(glyphs.len() + 16);
    let mut note_votes: HashMap<usize, usize> = HashMap::new();
    let mut body_votes = 0usize;
    let mut prev: Option<&G> = None;
    for g in &glyphs {
        let raised = g.size < 0.85 * size && g.y < y - 0.15 * size;
        let sup = g.sup || raised;
        match g.note {
            Some(n) => *note_votes.entry(n).or_insert(0) += 1,
            None => body_votes += 1,
        }
        if let Some(p) = prev {
            let gap = g.x - (p.x + p.w);
            let pc = p.text.chars().last().unwrap_or(' ');
            let nc = g.text.chars().next().unwrap_or(' ');
            let explicit = pc.is_whitespace() || nc.is_whitespace();
            let psup = p.sup || (p.size < 0.85 * size && p.y < y - 0.15 * size);
            let threshold = if is_cjk(pc) && is_cjk(nc) {
                0.6 * size
            } else if sup != psup {
                0.35 * size
            } else {
                0.18 * p.size.min(g.size)
            };
            if !explicit && gap > threshold {
                let x = p.x + p.w;
                cells.push(Cell {
                    text: " ".into(),
                    x0: x,
                    x1: g.x,
                    italic: p.italic && g.italic,
                    sup: false,
                    bold: p.bold,
                });
            }
        }
        cells.push(Cell {
            text: g.text.clone(),
            x0: g.x,
            x1: g.x + g.w,
            italic: g.italic,
            sup,
            bold: g.bold,
        });
        prev = Some(g);
    }
    // Collapse whitespace cells and trim.
    cells.dedup_by(|b, a| a.text.trim().is_empty() && b.text.trim().is_empty());
    while cells.first().is_some_and(|c| c.text.trim().is_empty()) {
        cells.remove(0);
    }
    while cells.last().is_some_and(|c| c.text.trim().is_empty()) {
        cells.pop();
    }
    reverse_rtl(&mut cells);
    // Typst (and others) map a hyphen glyph to U+00AD once it served as a
    // hyphenation hyphen; inside a line it is a real hyphen.
    let n = cells.len();
    for c in cells.iter_mut().take(n.saturating_sub(1)) {
        if c.text == "\u{AD}" {
            c.text = "-".into();
        }
    }

    let mut line = Line {
        page,
        y,
        size,
        tagged,
        ..Default::default()
    };
    line.x0 = cells.first().map(|c| c.x0).unwrap_or(0.0);
    line.x1 = cells.iter().map(|c| c.x1).fold(line.x0, f32::max);
    let mut bold_chars = 0usize;
    let mut chars = 0usize;
    let mut link_ranges: Vec<Option<Range<usize>>> = vec![None; links.len()];
    for c in &cells {
        let start = line.text.len();
        let text = if c.text.trim().is_empty() {
            " "
        } else {
            c.text.as_str()
        };
        line.text.push_str(text);
        let end = line.text.len();
        let n = text.chars().count();
        chars += n;
        if c.bold {
            bold_chars += n;
        }
        if c.italic && !text.trim().is_empty() {
            push_range(&mut line.italic, start..end);
        }
        if c.sup {
            push_range(&mut line.sups, start..end);
        }
        let cx = (c.x0 + c.x1) / 2.0;
        for (i, l) in links.iter().enumerate() {
            if cx >= l.x0
                && cx <= l.x1
                && y >= l.y0 - 0.1 * size
                && y - 0.4 * size <= l.y1
                && let Some(slot) = link_ranges.get_mut(i)
            {
                match slot {
                    Some(r) => r.end = end,
                    None => *slot = Some(start..end),
                }
            }
        }
    }
    for (r, l) in link_ranges.into_iter().zip(links) {
        if let Some(r) = r {
            line.links.push((r, l.url.clone()));
        }
    }
    line.bold = chars > 0 && bold_chars * 2 > chars;
    let best_note = note_votes
        .iter()
        .max_by_key(|(_, v)| **v)
        .map(|(k, v)| (*k, *v));
    line.note_tag = best_note.filter(|(_, v)| *v >= body_votes).map(|(k, _)| k);
    // A forced superscript only stands for a marker when it is a number.
    let _ = glyphs.iter().any(|g| g.forced_sup);
    line
}

fn push_range(v: &mut Vec<Range<usize>>, r: Range<usize>) {
    if let Some(last) = v.last_mut()
        && last.end == r.start
    {
        last.end = r.end;
        return;
    }
    v.push(r);
}

/// Glyphs of right-to-left scripts are drawn left to right in visual order;
/// put each run of RTL cells (with the spaces between them) back in logical
/// order.
fn reverse_rtl(cells: &mut [Cell]) {
    let strong = |c: &Cell| c.text.chars().any(is_rtl);
    let neutral = |c: &Cell| {
        c.text
            .chars()
            .all(|ch| ch.is_whitespace() || ch.is_ascii_punctuation())
    };
    let mut i = 0;
    while i < cells.len() {
        if !cells.get(i).is_some_and(strong) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut last_strong = i;
        while j < cells.len() {
            match cells.get(j) {
                Some(c) if strong(c) => last_strong = j,
                Some(c) if neutral(c) => {}
                _ => break,
            }
            j += 1;
        }
        if let Some(run) = cells.get_mut(i..=last_strong) {
            run.reverse();
        }
        i = last_strong + 1;
    }
}
