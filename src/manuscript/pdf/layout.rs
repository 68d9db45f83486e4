//! Page layout analysis: running headers/footers, footnote areas, columns,
//! paragraphs, headings, block quotes, markers and notes.

use std::collections::HashMap;
use std::ops::Range;

use super::catalog::parse_roman;
use super::device::Rule;
use super::lines::Line;
use super::read::PageData;
use super::text::{Builder, char_offset};
use crate::manuscript::model::{Hyperlink, Manuscript, Marker, Note, NoteKind, Paragraph, Place};

/// A line with where it sits in the page's column layout.
struct Placed {
    line: Line,
    /// Column index on its page (0 = left / single).
    col: usize,
    /// Left and right edges of its column's text.
    left: f32,
    right: f32,
}

pub(crate) fn assemble(
    pages: Vec<PageData>,
    labels: Option<Vec<String>>,
    tagged: bool,
) -> Manuscript {
    let count = pages.len();
    let body_size = dominant_size(&pages);
    let running = running_keys(&pages);
    let edges = text_edges(&pages, body_size);

    let mut folios: Vec<Option<String>> = vec![None; count];
    let mut body: Vec<Placed> = Vec::new();
    let mut notes: Vec<Placed> = Vec::new();
    for (pi, page) in pages.into_iter().enumerate() {
        let PageData {
            lines,
            rules,
            width,
            height,
        } = page;
        let n = lines.len();
        let mut kept = Vec::with_capacity(n);
        for (i, line) in lines.into_iter().enumerate() {
            let extreme = i < 2 || i + 2 >= n;
            let at_edge = line.y < 0.2 * height || line.y > 0.8 * height;
            if extreme && at_edge {
                if let Some(folio) = folio(&line.text) {
                    if let Some(slot) = folios.get_mut(pi) {
                        slot.get_or_insert(folio);
                    }
                    continue;
                }
                if running.contains_key(&running_key(&line)) {
                    continue;
                }
            }
            kept.push(line);
        }
        let (b, nt) = split_notes(kept, &rules, body_size, tagged);
        body.extend(order(b, width, edges));
        notes.extend(order(nt, width, None));
    }

    let page_labels = match labels {
        Some(l) => l,
        None => folios
            .iter()
            .enumerate()
            .map(|(i, f)| f.clone().unwrap_or_else(|| (i + 1).to_string()))
            .collect(),
    };

    let mut m = Manuscript {
        pages: count,
        page_labels,
        ..Default::default()
    };
    build_notes(&notes, &mut m);
    build_paragraphs(&body, body_size, &mut m);
    link_markers(&mut m);
    m
}

/// The font size carrying most characters.
fn dominant_size(pages: &[PageData]) -> f32 {
    let mut hist: HashMap<i32, usize> = HashMap::new();
    for p in pages {
        for l in &p.lines {
            *hist.entry((l.size * 2.0).round() as i32).or_insert(0) += l.text.chars().count();
        }
    }
    hist.into_iter()
        .max_by_key(|(k, v)| (*v, *k))
        .map(|(k, _)| k as f32 / 2.0)
        .unwrap_or(10.0)
}

/// The usual left and right edges of body text over the document: the most
/// common left edge and the 90th percentile of right edges.
fn text_edges(pages: &[PageData], body_size: f32) -> Option<(f32, f32)> {
    let mut lefts: HashMap<i32, usize> = HashMap::new();
    let mut rights: Vec<f32> = Vec::new();
    for p in pages {
        for l in &p.lines {
            if (l.size - body_size).abs() < 0.3 && l.x1 - l.x0 > 0.3 * p.width {
                *lefts.entry(l.x0.round() as i32).or_insert(0) += 1;
                rights.push(l.x1);
            }
        }
    }
    if rights.is_empty() {
        // Short lines only (tiny documents): the extreme edges.
        let all = pages.iter().flat_map(|p| p.lines.iter());
        let (l, r) = all.fold((f32::MAX, f32::MIN), |(l, r), x| (l.min(x.x0), r.max(x.x1)));
        return (l < r).then_some((l, r));
    }
    let left = lefts.into_iter().max_by_key(|(k, v)| (*v, -*k))?.0 as f32;
    rights.sort_by(f32::total_cmp);
    let right = *rights.get(rights.len() * 9 / 10)?;
    Some((left, right))
}

fn running_key(line: &Line) -> (String, i32) {
    let text: String = line
        .text
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect();
    (text, (line.y / 4.0).round() as i32)
}

/// Lines at the top or bottom of pages that repeat (digits ignored) at the
/// same height on at least 3 pages (2 in documents of up to 4 pages):
/// running heads and feet.
fn running_keys(pages: &[PageData]) -> HashMap<(String, i32), usize> {
    let mut counts: HashMap<(String, i32), usize> = HashMap::new();
    for p in pages {
        let n = p.lines.len();
        let mut seen = std::collections::HashSet::new();
        for (i, l) in p.lines.iter().enumerate() {
            let at_edge = l.y < 0.2 * p.height || l.y > 0.8 * p.height;
            if (i < 2 || i + 2 >= n) && at_edge {
                let k = running_key(l);
                if seen.insert(k.clone()) {
                    *counts.entry(k).or_insert(0) += 1;
                }
            }
        }
    }
    // Chapter-specific running heads cover only a share of the pages, so no
    // percentage is required; short documents need only two repeats.
    let need = if pages.len() <= 4 { 2 } else { 3 };
    counts.retain(|_, c| *c >= need);
    counts
}

/// A bare page number: "12", "- 12 -", "Page 12", "xiv".
fn folio(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    let t = t
        .strip_prefix("Page ")
        .or_else(|| t.strip_prefix("page "))
        .or_else(|| t.strip_prefix("p. "))
        .unwrap_or(t)
        .trim();
    if !t.is_empty() && t.len() <= 6 && t.chars().all(|c| c.is_ascii_digit()) {
        return Some(t.to_string());
    }
    if parse_roman(t).is_some() {
        return Some(t.to_string());
    }
    None
}

/// Does the line begin with a note number? Returns (number, byte end of the
/// number, whether it is a superscript).
fn leading_number(line: &Line) -> Option<(String, usize, bool)> {
    let text = &line.text;
    if let Some(r) = line.sups.first()
        && r.start == 0
    {
        let s = text.get(r.clone())?.trim();
        if !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()) {
            return Some((s.to_string(), r.end, true));
        }
    }
    let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let rest = text.get(digits.len()..)?;
    let rest_trim = rest.trim_start_matches(['.', ')']);
    if !rest_trim.starts_with(|c: char| c.is_whitespace()) || rest_trim.trim().is_empty() {
        return None;
    }
    Some((
        digits.clone(),
        digits.len() + (rest.len() - rest_trim.len()),
        false,
    ))
}

/// Split a page's lines into body and footnote area.
fn split_notes(
    lines: Vec<Line>,
    rules: &[Rule],
    body_size: f32,
    tagged: bool,
) -> (Vec<Line>, Vec<Line>) {
    if tagged {
        let (n, b): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.note_tag.is_some());
        return (b, n);
    }
    let small = |l: &Line| l.size < 0.93 * body_size;
    // 1. A short horizontal rule with only small text below it.
    let mut best: Option<f32> = None;
    let text_left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let text_right = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let width = (text_right - text_left).max(1.0);
    for r in rules.iter().take(500) {
        // Separators start at the left edge of the text (or of a column).
        let starts_left = (r.x0 - text_left).abs() < 0.1 * width || r.x0 > text_left + 0.4 * width;
        if !starts_left || r.x1 - r.x0 > 1.05 * width {
            continue;
        }
        let below: Vec<&Line> = lines.iter().filter(|l| l.y > r.y).collect();
        let above_body = lines.iter().any(|l| l.y < r.y && !small(l));
        if below.is_empty() || !above_body {
            continue;
        }
        let small_below = below.iter().filter(|l| small(l)).count();
        if small_below * 10 >= below.len() * 8 && best.is_none_or(|b| r.y < b) {
            best = Some(r.y);
        }
    }
    if let Some(y) = best {
        let (n, b): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.y > y);
        return (b, n);
    }
    // 2. The run of small lines at the bottom, starting with a numbered line.
    let mut start = lines.len();
    for (i, l) in lines.iter().enumerate().rev() {
        if !small(l) {
            break;
        }
        start = i;
    }
    while let Some(l) = lines.get(start) {
        if leading_number(l).is_some() {
            break;
        }
        start += 1;
    }
    if start >= lines.len() || start == 0 {
        return (lines, Vec::new());
    }
    let mut lines = lines;
    let notes = lines.split_off(start);
    (lines, notes)
}

/// Reading order on a page: columns found by an x gap that no line crosses.
fn order(lines: Vec<Line>, page_width: f32, doc_edges: Option<(f32, f32)>) -> Vec<Placed> {
    if lines.is_empty() {
        return Vec::new();
    }
    let min_x = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let max_x = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let width = (max_x - min_x).max(1.0);
    let mut gutter: Option<f32> = None;
    if lines.len() >= 6 && width > 0.3 * page_width {
        let mut best_len = 0.0f32;
        let mut run_start: Option<f32> = None;
        let steps = 200;
        for s in 0..=steps {
            let x = min_x + width * (0.25 + 0.5 * s as f32 / steps as f32);
            let crossing = lines.iter().filter(|l| l.x0 < x && l.x1 > x).count();
            let left = lines
                .iter()
                .filter(|l| l.x1 <= x && l.x1 - l.x0 > 0.15 * width)
                .count();
            let right = lines
                .iter()
                .filter(|l| l.x0 >= x && l.x1 - l.x0 > 0.15 * width)
                .count();
            let spanning_ok = crossing * 10 <= lines.len();
            if spanning_ok && crossing <= 2 && left >= 3 && right >= 3 {
                let st = *run_start.get_or_insert(x);
                if x - st >= best_len {
                    best_len = x - st;
                    gutter = Some((st + x) / 2.0);
                }
            } else {
                run_start = None;
            }
        }
    }
    let edges = |ls: &[&Line]| -> (f32, f32) {
        let l = ls.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        let r = ls.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
        (l, r)
    };
    let Some(g) = gutter else {
        let refs: Vec<&Line> = lines.iter().collect();
        let (mut left, mut right) = edges(&refs);
        if let Some((l, r)) = doc_edges {
            left = left.min(l);
            right = right.max(r);
        }
        return lines
            .into_iter()
            .map(|line| Placed {
                line,
                col: 0,
                left,
                right,
            })
            .collect();
    };
    // Bands separated by lines spanning the gutter; in each band the left
    // column, then the right one.
    let (lc, rc): (Vec<&Line>, Vec<&Line>) = lines
        .iter()
        .filter(|l| !(l.x0 < g && l.x1 > g))
        .partition(|l| l.x1 <= g);
    let (ll, lr) = edges(&lc);
    let (rl, rr) = edges(&rc);
    let mut out = Vec::with_capacity(lines.len());
    let mut left_buf = Vec::new();
    let mut right_buf = Vec::new();
    for line in lines {
        if line.x0 < g && line.x1 > g {
            out.append(&mut left_buf);
            out.append(&mut right_buf);
            let (left, right) = (line.x0.min(ll), line.x1.max(rr));
            out.push(Placed {
                line,
                col: 0,
                left,
                right,
            });
        } else if line.x1 <= g {
            left_buf.push(Placed {
                line,
                col: 0,
                left: ll,
                right: lr,
            });
        } else {
            right_buf.push(Placed {
                line,
                col: 1,
                left: rl,
                right: rr,
            });
        }
    }
    out.append(&mut left_buf);
    out.append(&mut right_buf);
    out
}

// ------------------------------------------------------------------ notes

fn build_notes(lines: &[Placed], m: &mut Manuscript) {
    struct Open {
        number: String,
        tag: Option<usize>,
        b: Builder,
        page: usize,
    }
    let mut done: Vec<Open> = Vec::new();
    let mut cur: Option<Open> = None;
    let mut last_num: Option<u64> = None;
    for p in lines {
        let l = &p.line;
        let lead = leading_number(l);
        let new_tag = l.note_tag.is_some() && cur.as_ref().is_none_or(|c| c.tag != l.note_tag);
        let starts = match &lead {
            Some((n, _, sup)) if l.tagged => {
                new_tag || (*sup && cur.as_ref().is_some_and(|c| c.tag != l.note_tag))
            }
            Some((n, _, sup)) => {
                let v: u64 = n.parse().unwrap_or(0);
                *sup || last_num.is_none() || Some(v) == last_num.map(|x| x + 1) || v == 1
            }
            None => new_tag,
        };
        if starts {
            if let Some(c) = cur.take() {
                done.push(c);
            }
            let (number, from) = match &lead {
                Some((n, end, _)) => (n.clone(), *end),
                None => (String::new(), 0),
            };
            last_num = number.parse().ok();
            let mut b = Builder::default();
            b.push(l, from);
            cur = Some(Open {
                number,
                tag: l.note_tag,
                b,
                page: l.page,
            });
        } else if let Some(c) = cur.as_mut() {
            c.b.push(l, 0);
        } else if let Some(c) = done.last_mut() {
            c.b.push(l, 0);
        } else {
            let mut b = Builder::default();
            b.push(l, 0);
            cur = Some(Open {
                number: String::new(),
                tag: l.note_tag,
                b,
                page: l.page,
            });
        }
    }
    if let Some(c) = cur.take() {
        done.push(c);
    }
    for c in done {
        let links = c.b.merged_links();
        m.notes.push(Note {
            number: c.number,
            kind: NoteKind::Footnote,
            text: c.b.text.trim_end().to_string(),
            italic: c.b.italic.clone(),
            links: links
                .into_iter()
                .map(|(range, url)| Hyperlink { url, range })
                .collect(),
            place: Place {
                page: c.page,
                paragraph: 1,
                offset: 0,
            },
            marker: None,
            fields: Vec::new(),
        });
    }
}

// ------------------------------------------------------------- paragraphs

/// Indented on the left by more than 5% of the text width, or inset on
/// both sides by more than 0.8 em (Typst's and LaTeX's quote blocks).
fn is_quote(p: &Placed) -> bool {
    let w = (p.right - p.left).max(1.0);
    let left = p.line.x0 - p.left;
    let right = p.right - p.line.x1;
    left > 0.05 * w || (left > 0.8 * p.line.size && right > 0.8 * p.line.size)
}

fn build_paragraphs(lines: &[Placed], body_size: f32, m: &mut Manuscript) {
    // Typical distance between baselines in running text, relative to size.
    let mut ratios: Vec<f32> = lines
        .windows(2)
        .filter_map(|w| {
            let (a, b) = (&w[0], &w[1]);
            let same = a.line.page == b.line.page && a.col == b.col;
            let body =
                (a.line.size - body_size).abs() < 0.3 && (b.line.size - body_size).abs() < 0.3;
            let dy = b.line.y - a.line.y;
            (same && body && dy > 0.0).then_some(dy / body_size)
        })
        .collect();
    ratios.sort_by(f32::total_cmp);
    let spacing = ratios
        .get(ratios.len() / 3)
        .copied()
        .unwrap_or(1.2)
        .clamp(0.8, 3.0);

    let mut blocks: Vec<Vec<&Placed>> = Vec::new();
    let mut cur: Vec<&Placed> = Vec::new();
    for p in lines {
        if let Some(prev) = cur.last()
            && breaks(prev, p, cur.len(), spacing, body_size)
        {
            blocks.push(std::mem::take(&mut cur));
        }
        cur.push(p);
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }

    // Heading levels: distinct heading sizes, largest first.
    let mut heading_sizes: Vec<i32> = blocks
        .iter()
        .filter(|b| heading_like(b, body_size))
        .filter_map(|b| b.first().map(|p| (p.line.size * 2.0).round() as i32))
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();

    for block in blocks {
        let Some(first) = block.first() else { continue };
        let mut b = Builder::default();
        for p in &block {
            b.push(&p.line, 0);
        }
        // Markers: superscript numbers leave the text.
        let mut cut: Vec<Range<usize>> = Vec::new();
        let mut numbers = Vec::new();
        for r in &b.sups {
            let Some(s) = b.text.get(r.clone()) else {
                continue;
            };
            let s = s.trim();
            if !s.is_empty()
                && s.len() <= 4
                && s.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '*' | '†' | '‡'))
            {
                cut.push(r.clone());
                numbers.push(s.to_string());
            }
        }
        let pages: Vec<usize> = cut.iter().map(|r| b.page_at(r.start)).collect();
        let at = b.cut(&cut);
        let text = b.text.trim_end().to_string();
        let index = m.paragraphs.len();
        let heading = if heading_like(&block, body_size) {
            let size = (first.line.size * 2.0).round() as i32;
            let rank = heading_sizes.iter().position(|s| *s == size).unwrap_or(0);
            Some(heading_level(&text, rank))
        } else {
            None
        };
        let quote_lines = block.iter().filter(|p| is_quote(p)).count();
        let block_quote = heading.is_none()
            && ((block.len() >= 2 && quote_lines * 10 >= block.len() * 8)
                || (block.len() == 1 && quote_lines == 1 && first.line.size < 0.95 * body_size));
        let markers = numbers
            .into_iter()
            .zip(at)
            .zip(pages)
            .map(|((number, at), page)| {
                let at = at.min(text.len());
                (
                    Marker {
                        number,
                        at,
                        note: None,
                    },
                    page,
                )
            })
            .collect::<Vec<_>>();
        let links = b.merged_links();
        m.paragraphs.push(Paragraph {
            italic: b
                .italic
                .iter()
                .filter(|r| r.end <= text.len())
                .cloned()
                .collect(),
            heading,
            block_quote,
            place: Place {
                page: first.line.page,
                paragraph: index + 1,
                offset: 0,
            },
            links: links
                .into_iter()
                .filter(|(r, _)| r.end <= text.len())
                .map(|(range, url)| Hyperlink { url, range })
                .collect(),
            markers: markers.iter().map(|(mk, _)| mk.clone()).collect(),
            fields: Vec::new(),
            text,
        });
    }
}

fn heading_like(block: &[&Placed], body_size: f32) -> bool {
    let Some(first) = block.first() else {
        return false;
    };
    let chars: usize = block.iter().map(|p| p.line.text.chars().count()).sum();
    if block.len() > 3 || !(2..=200).contains(&chars) {
        return false;
    }
    let text = first.line.text.trim();
    let ends_sentence = block
        .last()
        .is_some_and(|p| p.line.text.trim_end().ends_with(['.', ',', ';']));
    let bigger = first.line.size > 1.12 * body_size;
    let bold = block.iter().all(|p| p.line.bold);
    let numbered = block.len() == 1 && chars < 90 && !ends_sentence && numbered_heading(text);
    bigger
        || (bold && !ends_sentence && (first.line.size - body_size).abs() < 0.3 * body_size)
        || numbered
}

fn numbered_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    for w in ["chapter ", "part ", "section ", "appendix "] {
        if lower.starts_with(w) {
            return true;
        }
    }
    let num: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let rest = text.get(num.len()..).unwrap_or("");
    rest.starts_with(' ')
        && rest
            .trim_start()
            .starts_with(|c: char| c.is_uppercase() || c == '“' || c == '"')
}

fn heading_level(text: &str, size_rank: usize) -> u8 {
    let lower = text.to_lowercase();
    if lower.starts_with("chapter ") || lower.starts_with("part ") {
        return 1;
    }
    let num: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let depth = num
        .trim_end_matches('.')
        .split('.')
        .filter(|s| !s.is_empty())
        .count();
    if depth >= 2 {
        return depth.min(6) as u8;
    }
    (size_rank + 1).min(6) as u8
}

fn breaks(a: &Placed, b: &Placed, block_len: usize, spacing: f32, body_size: f32) -> bool {
    let (la, lb) = (&a.line, &b.line);
    let size = la.size.max(lb.size);
    let short_a = la.x1 < a.right - 2.0 * size;
    // Style changes: size or weight.
    if (la.size - lb.size).abs() > 0.12 * body_size.max(1.0) {
        return true;
    }
    if la.bold != lb.bold && (short_a || block_len == 1) {
        return true;
    }
    let ends = without_trailing_sup(la)
        .trim_end()
        .ends_with(['.', ':', '!', '?', '”', '"', ')', '’']);
    let indent_b = lb.x0 - b.left;
    let first_line_indent = indent_b > 0.8 * size && indent_b < 8.0 * size;
    if la.page != lb.page || a.col != b.col {
        // Page or column turn: a new paragraph when the last line stops
        // short or the next begins indented.
        return (short_a && ends) || (first_line_indent && !is_quote(a));
    }
    let dy = lb.y - la.y;
    if dy < 0.0 || dy / size > spacing * 1.2 + 0.05 {
        return true;
    }
    let (qa, qb) = (is_quote(a), is_quote(b));
    if !qa && qb {
        return true;
    }
    if qa && !qb && block_len > 1 {
        return true;
    }
    if short_a && ends && !qa {
        return true;
    }
    false
}

/// The line's text without a superscript (note marker) at its end.
fn without_trailing_sup(l: &Line) -> &str {
    match l.sups.last() {
        Some(r) if r.end >= l.text.trim_end().len() => l.text.get(..r.start).unwrap_or(&l.text),
        _ => &l.text,
    }
}

// ---------------------------------------------------------------- linking

fn link_markers(m: &mut Manuscript) {
    let mut taken = vec![false; m.notes.len()];
    for (pi, p) in m.paragraphs.iter_mut().enumerate() {
        let page = p.place.page;
        for mk in p.markers.iter_mut() {
            let found = m
                .notes
                .iter()
                .enumerate()
                .find(|(i, n)| {
                    n.number == mk.number
                        && n.place.page >= page
                        && !taken.get(*i).copied().unwrap_or(true)
                })
                .map(|(i, _)| i);
            if let Some(i) = found {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                mk.note = Some(i);
                if let Some(n) = m.notes.get_mut(i) {
                    n.marker = Some(Place {
                        page,
                        paragraph: pi + 1,
                        offset: char_offset(&p.text, mk.at),
                    });
                }
            }
        }
    }
}
