//! Joining lines into paragraph / note text with ranges carried along.

use std::ops::Range;

use super::lines::{Line, is_cjk};

#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub text: String,
    pub italic: Vec<Range<usize>>,
    pub sups: Vec<Range<usize>>,
    pub links: Vec<(Range<usize>, String)>,
    /// (byte offset, page) where each appended line starts.
    pub line_starts: Vec<(usize, usize)>,
}

impl Builder {
    /// Append `line` from byte `from` of its text on.
    pub fn push(&mut self, line: &Line, from: usize) {
        let Some(piece) = line.text.get(from..) else {
            return;
        };
        let piece_trim = piece.trim_start();
        let from = from + (piece.len() - piece_trim.len());
        if piece_trim.is_empty() {
            return;
        }
        let first = piece_trim.chars().next().unwrap_or(' ');
        if !self.text.is_empty() {
            let last = self.text.chars().last().unwrap_or(' ');
            let before = self.text.chars().rev().nth(1).unwrap_or(' ');
            if last == '\u{AD}' {
                self.pop_char();
            } else if last == '-' && before.is_alphabetic() && first.is_lowercase() {
                // "exam-" + "ple": a hyphenated word.
                self.pop_char();
            } else if (is_cjk(last) && is_cjk(first))
                || last.is_whitespace()
                || self.url_continues(first, piece_trim.split_whitespace().next().unwrap_or(""))
            {
            } else {
                self.text.push(' ');
            }
        }
        let shift = self.text.len() as isize - from as isize;
        let map = |r: &Range<usize>| -> Option<Range<usize>> {
            if r.end <= from {
                return None;
            }
            let s = (r.start.max(from) as isize + shift) as usize;
            let e = (r.end as isize + shift) as usize;
            Some(s..e)
        };
        self.line_starts.push((self.text.len(), line.page));
        self.text.push_str(piece_trim);
        self.italic.extend(line.italic.iter().filter_map(map));
        self.sups.extend(line.sups.iter().filter_map(map));
        self.links.extend(
            line.links
                .iter()
                .filter_map(|(r, u)| map(r).map(|r| (r, u.clone()))),
        );
        merge(&mut self.italic, &self.text);
    }

    /// A URL broken at the end of a line ("…/content_" + "2423605.htm")
    /// continues without a space.
    /// Also a URL broken between two letters or digits, when what the next
    /// line begins with is itself URL-like ("…/0809_7878_1" + "71.shtml").
    fn url_continues(&self, first: char, next_word: &str) -> bool {
        let token = self.text.rsplit(char::is_whitespace).next().unwrap_or("");
        let is_url = token.contains("://") || token.starts_with("www.");
        let last = token.chars().last().unwrap_or(' ');
        let url_like = |w: &str| {
            w.contains(['/', '_', '=', '%', '&'])
                || (w.contains('.') && !w.ends_with('.') && w.chars().all(|c| !c.is_whitespace()))
        };
        is_url
            && (matches!(
                last,
                '/' | '_' | '-' | '.' | '=' | '&' | '?' | '#' | '~' | '%'
            ) || matches!(first, '/' | '_' | '.' | '?' | '&' | '=')
                || (last.is_ascii_alphanumeric()
                    && first.is_ascii_alphanumeric()
                    && url_like(next_word)))
    }

    fn pop_char(&mut self) {
        self.text.pop();
        let len = self.text.len();
        for r in self.italic.iter_mut().chain(self.sups.iter_mut()) {
            r.end = r.end.min(len);
        }
        for (r, _) in self.links.iter_mut() {
            r.end = r.end.min(len);
        }
    }

    /// Remove the byte ranges `cut` (sorted, disjoint) from the text,
    /// remapping all ranges. Returns the offset in the new text of each cut.
    pub fn cut(&mut self, cut: &[Range<usize>]) -> Vec<usize> {
        let old = std::mem::take(&mut self.text);
        let mut at = Vec::with_capacity(cut.len());
        let mut pos = 0;
        for r in cut {
            if let Some(s) = old.get(pos..r.start) {
                self.text.push_str(s);
            }
            at.push(self.text.len());
            pos = r.end.max(pos);
        }
        if let Some(s) = old.get(pos..) {
            self.text.push_str(s);
        }
        let remap = |p: usize| -> usize {
            let mut removed = 0;
            for r in cut {
                if r.end <= p {
                    removed += r.end - r.start;
                } else if r.start < p {
                    removed += p - r.start;
                }
            }
            p - removed
        };
        for r in self.italic.iter_mut() {
            *r = remap(r.start)..remap(r.end);
        }
        self.italic.retain(|r| r.start < r.end);
        for (r, _) in self.links.iter_mut() {
            *r = remap(r.start)..remap(r.end);
        }
        self.links.retain(|(r, _)| r.start < r.end);
        for r in self.line_starts.iter_mut() {
            r.0 = remap(r.0);
        }
        self.sups.clear();
        at
    }

    /// Links: merge pieces of the same URL that follow each other.
    pub fn merged_links(&self) -> Vec<(Range<usize>, String)> {
        let mut out: Vec<(Range<usize>, String)> = Vec::new();
        for (r, u) in &self.links {
            if let Some((lr, lu)) = out.last_mut()
                && lu == u
                && r.start <= lr.end + 2
            {
                lr.end = lr.end.max(r.end);
                continue;
            }
            out.push((r.clone(), u.clone()));
        }
        out
    }

    pub fn page_at(&self, byte: usize) -> usize {
        self.line_starts
            .iter()
            .take_while(|(s, _)| *s <= byte)
            .last()
            .or(self.line_starts.first())
            .map(|x| x.1)
            .unwrap_or(0)
    }
}

fn merge(v: &mut Vec<Range<usize>>, text: &str) {
    v.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v.drain(..) {
        if let Some(last) = out.last_mut() {
            let between = text.get(last.end..r.start.max(last.end)).unwrap_or("x");
            if r.start <= last.end || between == " " {
                last.end = last.end.max(r.end);
                continue;
            }
        }
        out.push(r);
    }
    *v = out;
}

/// Character offset of a byte offset.
pub(crate) fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte)
        .map(|s| s.chars().count())
        .unwrap_or_else(|| text.chars().count())
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn line(text: &str, italic: Vec<Range<usize>>) -> Line {
        Line {
            page: 1,
            text: text.into(),
            italic,
            ..Default::default()
        }
    }

    #[test]
    fn joins_lines() {
        let mut b = Builder::default();
        b.push(&line("an exam-", vec![]), 0);
        b.push(&line("ple of well-", vec![]), 0);
        b.push(&line("Known joining", vec![]), 0);
        b.push(&line("中华人民", vec![]), 0);
        b.push(&line("共和国 and soft\u{AD}", vec![]), 0);
        b.push(&line("ware at http://example.org/a_", vec![]), 0);
        b.push(&line("b.htm done", vec![]), 0);
        assert_eq!(
            b.text,
            "an example of well- Known joining 中华人民共和国 and software at http://example.org/a_b.htm done"
        );
    }

    #[test]
    fn italic_ranges_follow_and_merge() {
        let mut b = Builder::default();
        b.push(&line("Read The Origins of the", vec![5..23]), 0);
        b.push(&line("Cultural Revolution now.", vec![0..19]), 0);
        assert_eq!(
            &b.text[b.italic[0].clone()],
            "The Origins of the Cultural Revolution"
        );
        assert_eq!(b.italic.len(), 1);
        let at = b.cut(&[4..5]);
        assert_eq!(at, vec![4]);
        assert_eq!(b.text, "ReadThe Origins of the Cultural Revolution now.");
        assert_eq!(
            &b.text[b.italic[0].clone()],
            "The Origins of the Cultural Revolution"
        );
        assert_eq!(char_offset("中a", 3), 1);
    }
}
