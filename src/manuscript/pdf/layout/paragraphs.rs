//! The body's lines into paragraphs: breaks, headings, block quotations.

use super::*;

/// Indented on the left by more than 5% of the text width, or inset on
/// both sides by more than 0.8 em (Typst's and LaTeX's quote blocks).
pub(super) fn is_quote(p: &Placed) -> bool {
    let w = (p.right - p.left).max(1.0);
    let left = p.line.x0 - p.left;
    let right = p.right - p.line.x1;
    left > 0.05 * w || (left > 0.8 * p.line.size && right > 0.8 * p.line.size)
}

pub(super) fn build_paragraphs(lines: &[Placed], body_size: f32, m: &mut Manuscript) {
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

pub(super) fn heading_like(block: &[&Placed], body_size: f32) -> bool {
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

pub(super) fn numbered_heading(text: &str) -> bool {
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

pub(super) fn heading_level(text: &str, size_rank: usize) -> u8 {
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

pub(super) fn breaks(
    a: &Placed,
    b: &Placed,
    block_len: usize,
    spacing: f32,
    body_size: f32,
) -> bool {
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
pub(super) fn without_trailing_sup(l: &Line) -> &str {
    match l.sups.last() {
        Some(r) if r.end >= l.text.trim_end().len() => l.text.get(..r.start).unwrap_or(&l.text),
        _ => &l.text,
    }
}

// ---------------------------------------------------------------- linking
