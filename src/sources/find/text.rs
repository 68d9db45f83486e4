//! The quotation's words and gaps, and any text's words as the search
//! compares them.

use super::*;

/// A word as the quotation has it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Word {
    Exact(String),
    /// `[t]he`: the source's word ends so.
    Ends(String),
    /// `Party[’s]`: the source's word starts so.
    Starts(String),
    /// A word wholly in brackets: any word.
    Any,
}

impl Word {
    /// The word as letters (for a source compared letter by letter); a
    /// bracketed part stands for one letter.
    pub(super) fn letters(&self) -> Vec<Word> {
        let each = |w: &str| {
            w.chars()
                .map(|c| Word::Exact(c.to_string()))
                .collect::<Vec<_>>()
        };
        match self {
            Word::Exact(w) => each(w),
            Word::Ends(w) => std::iter::once(Word::Any).chain(each(w)).collect(),
            Word::Starts(w) => each(w).into_iter().chain([Word::Any]).collect(),
            Word::Any => vec![Word::Any],
        }
    }
}

/// A word split into its letters, each with its bytes (the word as read may
/// be longer than the text, by NFKC: then the letters share its range).
pub(super) fn letters_of(word: &str, range: Range<usize>) -> Vec<(String, Range<usize>)> {
    word.chars()
        .map(|c| (c.to_string(), range.clone()))
        .collect()
}

/// The quotation as stretches of words between gaps.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fragment {
    pub(super) words: Vec<Word>,
    /// How many source words may stand before it (after the fragment
    /// before): an ellipsis leaves out up to a few pages, an insertion a few
    /// words.
    pub(super) gap: usize,
}

/// An ellipsis may leave out this many words.
pub(super) const ELLIPSIS_GAP: usize = 1_500;
/// An insertion in brackets stands for this many words at most.
pub(super) const INSERTION_GAP: usize = 12;

/// Whether the quotation is mostly Chinese, Japanese or Korean.
pub fn mostly_cjk(quotation: &str) -> bool {
    let words = words(quotation);
    let cjk = words
        .iter()
        .filter(|(w, _)| w.chars().next().is_some_and(is_cjk))
        .count();
    cjk * 2 > words.len()
}

/// The words of `text` with their byte ranges: letters and digits, lower
/// case, ligatures and full-width forms read as their letters (NFKC),
/// apostrophes and hyphens inside a word left out (a hyphen at a line end
/// too: `self-\nreliance` is `selfreliance`, as `self-reliance` is); each
/// Chinese, Japanese or Korean character a word.
pub fn words(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    let finish = |word: &mut String, out: &mut Vec<(String, Range<usize>)>, start, end| {
        if !word.is_empty() {
            out.push((std::mem::take(word), start..end));
        }
    };
    while let Some((at, c)) = chars.next() {
        // Full-width Latin letters and digits (`Ｑ`) read as Latin.
        if is_cjk(c)
            && c.is_alphanumeric()
            && !std::iter::once(c).nfkc().all(|f| f.is_ascii_alphanumeric())
        {
            finish(&mut word, &mut out, start, end);
            let folded: String = std::iter::once(c).nfkc().collect();
            out.push((folded, at..at + c.len_utf8()));
            continue;
        }
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = at;
            }
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                for d in std::iter::once(c).nfkc() {
                    // Combining marks after NFKC stay (é is one character).
                    word.extend(d.to_lowercase());
                }
            }
            end = at + c.len_utf8();
            continue;
        }
        // Inside a word: an apostrophe, a hyphen (and a line break after
        // one), a soft hyphen.
        let joins = !word.is_empty()
            && matches!(
                c,
                '\'' | '’' | 'ʼ' | '-' | '‐' | '‑' | '\u{ad}' | '\u{200b}' | '\u{2060}'
            );
        if joins {
            let hyphen = c != '\'' && c != '’' && c != 'ʼ';
            // Past a line break (and the spaces around it) after a hyphen.
            let mut look = chars.clone();
            if hyphen {
                while look.peek().is_some_and(|(_, n)| *n == ' ' || *n == '\t') {
                    look.next();
                }
                if look.peek().is_some_and(|(_, n)| *n == '\n' || *n == '\r') {
                    while look.peek().is_some_and(|(_, n)| n.is_whitespace()) {
                        look.next();
                    }
                } else {
                    look = chars.clone();
                }
            }
            if look
                .peek()
                .is_some_and(|(_, n)| n.is_alphanumeric() && !is_cjk(*n))
            {
                chars = look;
                continue;
            }
        }
        finish(&mut word, &mut out, start, end);
    }
    finish(&mut word, &mut out, start, end);
    out
}

/// The quotation cut at its gaps: ellipses, and bracketed insertions that
/// stand alone; `[sic]` and editorial notes left out; a bracket inside a
/// word makes it match the source's word by its other letters.
pub(super) fn fragments(quotation: &str) -> Vec<Fragment> {
    let mut fragments = vec![Fragment {
        words: Vec::new(),
        gap: 0,
    }];
    let mut rest = quotation;
    let push_text = |fragments: &mut Vec<Fragment>, text: &str| {
        let last = fragments.last_mut().expect("one fragment");
        last.words
            .extend(words(text).into_iter().map(|(w, _)| Word::Exact(w)));
    };
    let gap = |fragments: &mut Vec<Fragment>, size: usize| {
        if fragments.last().is_some_and(|f| f.words.is_empty()) {
            let last = fragments.last_mut().expect("one fragment");
            last.gap = last.gap.max(size);
        } else {
            fragments.push(Fragment {
                words: Vec::new(),
                gap: size,
            });
        }
    };
    while !rest.is_empty() {
        let next = rest.find(['…', '[', '.']).unwrap_or(rest.len());
        let (before, after) = rest.split_at(next);
        if after.is_empty() {
            push_text(&mut fragments, before);
            break;
        }
        if let Some(tail) = after
            .strip_prefix("...")
            .or_else(|| after.strip_prefix(". . ."))
            .or_else(|| after.strip_prefix('…'))
        {
            push_text(&mut fragments, before);
            gap(&mut fragments, ELLIPSIS_GAP);
            rest = tail.trim_start_matches(['.', '…', ' ']);
            continue;
        }
        if after.starts_with('.') {
            push_text(&mut fragments, &rest[..next + 1]);
            rest = &rest[next + 1..];
            continue;
        }
        // A bracket.
        let Some(close) = after.find(']') else {
            push_text(&mut fragments, rest);
            break;
        };
        let inner = &after[1..close];
        let tail = &after[close + 1..];
        let glued_before = before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let glued_after = tail.chars().next().is_some_and(char::is_alphanumeric);
        let editorial = {
            let lower = inner.trim().to_lowercase();
            lower.starts_with("sic")
                || lower.contains("emphasis")
                || lower.contains("italics")
                || lower.contains("added")
        };
        if inner.trim_matches(['…', '.', ' ']).is_empty() {
            // `[…]`
            push_text(&mut fragments, before);
            gap(&mut fragments, ELLIPSIS_GAP);
        } else if editorial {
            push_text(&mut fragments, before);
        } else if glued_before || glued_after {
            // `[t]he`, `Party[’s]`, `[T]hey`: the word without its
            // bracketed letters matches the source's word's other end.
            let head_len = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric())
                .last()
                .map_or(before.len(), |(i, _)| i);
            push_text(&mut fragments, &before[..head_len]);
            let head: String = words(&before[head_len..])
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            let tail_len = tail
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(tail.len(), |(i, _)| i);
            let rest_word: String = words(&tail[..tail_len])
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            let word = match (head.is_empty(), rest_word.is_empty()) {
                (true, false) => Word::Ends(rest_word),
                (false, true) => Word::Starts(head),
                (false, false) => Word::Starts(head),
                (true, true) => Word::Any,
            };
            fragments.last_mut().expect("one fragment").words.push(word);
            rest = &tail[tail_len..];
            continue;
        } else {
            // `[the Party]`: words put in for others left out.
            push_text(&mut fragments, before);
            gap(&mut fragments, INSERTION_GAP);
        }
        rest = tail;
    }
    fragments.retain(|f| !f.words.is_empty());
    if let Some(first) = fragments.first_mut() {
        first.gap = 0;
    }
    fragments
}
