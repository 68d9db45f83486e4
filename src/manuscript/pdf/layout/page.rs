//! What each page tells before its lines are read as text: the body's
//! size and edges, running heads and folios, the notes below the body.

use super::*;

/// The font size carrying most characters.
pub(super) fn dominant_size(pages: &[PageData]) -> f32 {
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
pub(super) fn text_edges(pages: &[PageData], body_size: f32) -> Option<(f32, f32)> {
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

pub(super) fn running_key(line: &Line) -> (String, i32) {
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
pub(super) fn running_keys(pages: &[PageData]) -> HashMap<(String, i32), usize> {
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
pub(super) fn folio(text: &str) -> Option<String> {
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
pub(super) fn leading_number(line: &Line) -> Option<(String, usize, bool)> {
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
pub(super) fn split_notes(
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
