//! The quotation against the passage found, word by word: where the
//! passage is, what changed, and the passage with the differences marked.

use super::*;

/// The source words from the first to the last word both share; a lone
/// shared word far from the others at either edge (a `the` a sentence
/// away) is not part of the passage.
pub(super) fn aligned(ops: &[similar::DiffOp]) -> Option<(usize, usize)> {
    let mut equal: Vec<(usize, usize)> = ops
        .iter()
        .filter_map(|op| match op {
            similar::DiffOp::Equal { new_index, len, .. } => Some((*new_index, new_index + len)),
            _ => None,
        })
        .collect();
    let stray = |run: (usize, usize), next: (usize, usize)| {
        run.1 - run.0 == 1 && next.0.abs_diff(run.1) > 4
    };
    while equal.len() > 1 && stray(equal[0], equal[1]) {
        equal.remove(0);
    }
    while equal.len() > 1 && {
        let n = equal.len();
        let (last, before) = (equal[n - 1], equal[n - 2]);
        last.1 - last.0 == 1 && last.0.abs_diff(before.1) > 4
    } {
        equal.pop();
    }
    Some((equal.first()?.0, equal.last()?.1))
}

/// The words the quotation changed, quoted → source, between the first and
/// the last shared word (what the source has before or after the passage
/// is no change); a bracketed word stands for what it replaced.
pub(super) fn changes(
    ops: &[similar::DiffOp],
    quote: &[&str],
    source: &[&str],
    quoted: &[&Word],
) -> Vec<(String, String)> {
    let Some((first, last)) = aligned(ops) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        // Before the first or after the last shared word: the passage's
        // edges, not a change (unless the quotation has words there).
        if old.is_empty() && (new.end <= first || new.start >= last) {
            continue;
        }
        if old.clone().all(|i| quoted[i] == &Word::Any) && !old.is_empty() {
            continue;
        }
        out.push((quote[old].join(" "), source[new].join(" ")));
    }
    out
}

/// The passage in the source's own words, the differences marked.
pub(super) fn marked(
    ops: &[similar::DiffOp],
    quote: &[&str],
    source: &[&str],
    tokens: &Tokens,
    start: usize,
    pages: &[&str],
) -> String {
    let Some((first, last)) = aligned(ops) else {
        return String::new();
    };
    // The source's words as printed (with their case and marks).
    let printed = |i: usize| -> String {
        let at = start + i;
        let (from, to) = tokens.range[at];
        pages
            .get(tokens.page[at] as usize)
            .and_then(|p| p.get(from as usize..to as usize))
            .map_or_else(|| source[i].to_string(), str::to_string)
    };
    let mut out: Vec<String> = Vec::new();
    let inside = |range: Range<usize>| range.start.max(first)..range.end.min(last);
    let source_words = |range: Range<usize>| -> Option<String> {
        let range = inside(range);
        (!range.is_empty()).then(|| range.map(printed).collect::<Vec<_>>().join(" "))
    };
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            // Shared words outside the passage are quoted words it lacks.
            if inside(new.clone()).len() == new.len() {
                out.extend(new.map(printed));
                continue;
            }
        }
        let new = if tag == similar::DiffTag::Equal {
            0..0
        } else {
            new
        };
        if !old.is_empty() {
            out.push(format!("[-{}-]", quote[old].join(" ")));
        }
        if let Some(words) = source_words(new) {
            out.push(format!("{{+{words}+}}"));
        }
    }
    // Neighbouring pieces of one kind read as one.
    let mut merged: Vec<String> = Vec::new();
    for piece in out {
        match merged.last_mut() {
            Some(last) if last.ends_with("-]") && piece.starts_with("[-") => {
                last.truncate(last.len() - 2);
                last.push(' ');
                last.push_str(&piece[2..]);
            }
            _ => merged.push(piece),
        }
    }
    let text = merged.join(" ");
    // A long passage is cut in the middle: the hint is one line.
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() > 40 {
        format!(
            "{} … {}",
            words[..20].join(" "),
            words[words.len() - 15..].join(" ")
        )
    } else {
        text
    }
}
