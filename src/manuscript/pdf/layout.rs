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

mod page;
mod paragraphs;

use page::*;
use paragraphs::*;

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
