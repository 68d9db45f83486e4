//! Finding a quotation in a source's text, as a reader would: words
//! compared without case, punctuation, quotation-mark or dash style;
//! ligatures read as their letters (NFKC); a word hyphenated at a line end
//! read whole; an ellipsis (`…`, `...`, `[…]`) a gap; a bracketed insertion
//! (`[t]he`, `[the Party]`) part of a word or a short gap; `[sic]` nothing;
//! Chinese, Japanese and Korean compared by characters. Pure.

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::script::is_cjk;

mod diff;
mod text;

use diff::*;
use text::*;
pub use text::{mostly_cjk, words};

/// A source's words, interned, with where each stands.
#[derive(Debug, Default)]
pub struct Tokens {
    /// Each word's id in `vocabulary`.
    ids: Vec<u32>,
    /// The page (index) of each word.
    page: Vec<u32>,
    /// Each word's bytes in its page's text.
    range: Vec<(u32, u32)>,
    vocabulary: HashMap<String, u32>,
    /// Each word by its id.
    names: Vec<String>,
    /// Where each word id occurs.
    index: HashMap<u32, Vec<u32>>,
    /// How many words are Chinese, Japanese or Korean characters.
    cjk: usize,
    /// A text with no spaces between its words (a PDF whose words were
    /// set without space characters): compared letter by letter.
    letters: bool,
}

/// A quotation altered by the allowed edits alone is found; one with this
/// share of its words unchanged is found altered; below, not found.
const ALTERED: f64 = 0.75;
/// A passage this close is shown as the closest.
const CLOSEST: f64 = 0.2;

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Every word, by the allowed edits: the pages (indexes) it spans, and
    /// the passage as printed.
    Exact { pages: Vec<usize>, passage: String },
    /// Most words; `changes` are the others (quoted → source); the passage
    /// with the differences marked as in [`Closest`].
    Altered {
        pages: Vec<usize>,
        changes: Vec<(String, String)>,
        marked: String,
    },
    /// Not in the source; the closest passage, if any came near.
    NotFound { closest: Option<Closest> },
    /// Nothing to look for (a quotation with no words).
    Empty,
}

/// The passage most like a quotation that was not found.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The page (index) it starts on.
    pub page: usize,
    /// The passage, with the quotation's words that differ as `[-…-]` and
    /// the source's as `{+…+}`.
    pub marked: String,
}

impl Tokens {
    /// The words of `pages`, in order, each knowing its page.
    pub fn new(pages: &[&str]) -> Self {
        let read: Vec<Vec<(String, Range<usize>)>> = pages.iter().map(|t| words(t)).collect();
        let latin: Vec<usize> = read
            .iter()
            .flatten()
            .filter(|(w, _)| !w.chars().next().is_some_and(is_cjk))
            .map(|(w, _)| w.chars().count())
            .collect();
        // Words of twenty letters on average are sentences run together.
        let letters = latin.len() >= 2 && latin.iter().sum::<usize>() / latin.len() >= 20;
        let mut tokens = Tokens {
            letters,
            ..Tokens::default()
        };
        for (p, page) in read.into_iter().enumerate() {
            let page: Vec<(String, Range<usize>)> = if letters {
                page.into_iter()
                    .flat_map(|(w, r)| letters_of(&w, r))
                    .collect()
            } else {
                page
            };
            for (word, range) in page {
                let id = match tokens.vocabulary.get(&word) {
                    Some(&id) => id,
                    None => {
                        let id = tokens.names.len() as u32;
                        tokens.vocabulary.insert(word.clone(), id);
                        tokens.names.push(word.clone());
                        id
                    }
                };
                if word.chars().next().is_some_and(is_cjk) {
                    tokens.cjk += 1;
                }
                tokens
                    .index
                    .entry(id)
                    .or_default()
                    .push(tokens.ids.len() as u32);
                tokens.ids.push(id);
                tokens.page.push(p as u32);
                tokens.range.push((range.start as u32, range.end as u32));
            }
        }
        tokens
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether `word` (as [`words`] reads it) is printed on the page at
    /// `index`.
    pub fn on_page(&self, index: usize, word: &str) -> bool {
        let index = index as u32;
        let start = self.page.partition_point(|&p| p < index) as u32;
        let end = self.page.partition_point(|&p| p <= index) as u32;
        self.vocabulary
            .get(word)
            .and_then(|id| self.index.get(id))
            .is_some_and(|places| {
                let first = places.partition_point(|&at| at < start);
                places.get(first).is_some_and(|&at| at < end)
            })
    }

    /// Whether most of the source is Chinese, Japanese or Korean.
    pub fn mostly_cjk(&self) -> bool {
        self.cjk * 2 > self.ids.len()
    }

    /// Looks for `quotation`; among several places, one on `preferred`
    /// pages (the pages cited) first.
    pub fn search(&self, quotation: &str, preferred: &[usize], pages: &[&str]) -> Found {
        let mut fragments = fragments(quotation);
        if self.letters {
            for fragment in &mut fragments {
                fragment.words = fragment.words.iter().flat_map(Word::letters).collect();
            }
        }
        let total: usize = fragments.iter().map(|f| f.words.len()).sum();
        if total == 0 {
            return Found::Empty;
        }
        let places = self.exact(&fragments);
        if let Some(place) = places
            .iter()
            .find(|r| self.pages_of(r).iter().any(|p| preferred.contains(p)))
            .or(places.first())
        {
            return Found::Exact {
                pages: self.pages_of(place),
                passage: self.printed(place.clone(), pages),
            };
        }
        self.approximate(&fragments, total, pages)
    }

    /// The source's text from the first word of `range` to its last, as
    /// printed (line breaks as spaces; a passage over several pages joined).
    fn printed(&self, range: Range<usize>, pages: &[&str]) -> String {
        if range.is_empty() {
            return String::new();
        }
        let (first, last) = (range.start, range.end - 1);
        let (from_page, to_page) = (self.page[first] as usize, self.page[last] as usize);
        let mut text = String::new();
        for page in from_page..=to_page {
            let Some(body) = pages.get(page) else { break };
            let from = if page == from_page {
                self.range[first].0 as usize
            } else {
                0
            };
            let to = if page == to_page {
                self.range[last].1 as usize
            } else {
                body.len()
            };
            if let Some(part) = body.get(from..to) {
                text.push_str(part);
                text.push(' ');
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether the source word at `at` is `word`.
    fn is(&self, at: usize, word: &Word) -> bool {
        match word {
            Word::Any => true,
            Word::Exact(w) => self.vocabulary.get(w) == Some(&self.ids[at]),
            Word::Ends(w) => self.names[self.ids[at] as usize].ends_with(w.as_str()),
            Word::Starts(w) => self.names[self.ids[at] as usize].starts_with(w.as_str()),
        }
    }

    /// Every place (source word range) where the fragments stand in order
    /// within their gaps; at most a few dozen.
    fn exact(&self, fragments: &[Fragment]) -> Vec<Range<usize>> {
        let first = &fragments[0];
        let Some((offset, anchor)) = first.words.iter().enumerate().find_map(|(i, w)| match w {
            Word::Exact(w) => Some((i, w)),
            _ => None,
        }) else {
            return Vec::new();
        };
        let Some(starts) = self
            .vocabulary
            .get(anchor)
            .and_then(|id| self.index.get(id))
        else {
            return Vec::new();
        };
        let mut places = Vec::new();
        for &at in starts {
            let Some(start) = (at as usize).checked_sub(offset) else {
                continue;
            };
            if !self.matches_at(start, &first.words) {
                continue;
            }
            let mut end = start + first.words.len();
            let mut whole = true;
            for fragment in &fragments[1..] {
                let found = (end..=end + fragment.gap)
                    .take_while(|&s| s + fragment.words.len() <= self.ids.len())
                    .find(|&s| self.matches_at(s, &fragment.words));
                match found {
                    Some(s) => end = s + fragment.words.len(),
                    None => {
                        whole = false;
                        break;
                    }
                }
            }
            if whole {
                places.push(start..end);
                if places.len() >= 32 {
                    break;
                }
            }
        }
        places
    }

    fn matches_at(&self, start: usize, words: &[Word]) -> bool {
        start + words.len() <= self.ids.len()
            && words.iter().enumerate().all(|(i, w)| self.is(start + i, w))
    }

    fn pages_of(&self, range: &Range<usize>) -> Vec<usize> {
        let mut pages: Vec<usize> = self.page[range.clone()]
            .iter()
            .map(|&p| p as usize)
            .collect();
        pages.dedup();
        pages
    }

    /// The passage most like the quotation: where most of its rarer words
    /// stand at the same distances, compared word by word.
    fn approximate(&self, fragments: &[Fragment], total: usize, pages: &[&str]) -> Found {
        let quoted: Vec<&Word> = fragments.iter().flat_map(|f| &f.words).collect();
        // Each occurrence of a quoted word votes for where the quotation
        // would start, a rare word more than a common one (`famine` more
        // than `the`); a vote counts for the neighbouring stretches too
        // (words reordered or put in).
        let mut votes: HashMap<usize, f64> = HashMap::new();
        for (i, word) in quoted.iter().enumerate() {
            let Word::Exact(w) = word else { continue };
            let Some(places) = self.vocabulary.get(w).and_then(|id| self.index.get(id)) else {
                continue;
            };
            if places.len() > 2_000 {
                continue;
            }
            let weight = 1.0 / places.len() as f64;
            for &at in places {
                if let Some(start) = (at as usize).checked_sub(i) {
                    let bucket = start / 8;
                    *votes.entry(bucket).or_default() += weight;
                    *votes.entry(bucket + 1).or_default() += weight / 2.0;
                    if let Some(before) = bucket.checked_sub(1) {
                        *votes.entry(before).or_default() += weight / 2.0;
                    }
                }
            }
        }
        let Some((&bucket, _)) = votes
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        else {
            return Found::NotFound { closest: None };
        };
        let start = (bucket * 8).saturating_sub(12);
        let end = (bucket * 8 + total + total / 4 + 20).min(self.ids.len());
        let source: Vec<&str> = (start..end)
            .map(|i| self.names[self.ids[i] as usize].as_str())
            .collect();
        let quote: Vec<String> = quoted
            .iter()
            .map(|w| match w {
                Word::Exact(w) | Word::Ends(w) | Word::Starts(w) => w.clone(),
                Word::Any => "…".to_string(),
            })
            .collect();
        let quote: Vec<&str> = quote.iter().map(String::as_str).collect();
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
        let ops = similar::capture_diff_slices_deadline(
            similar::Algorithm::Myers,
            &quote,
            &source,
            Some(deadline),
        );
        let equal: usize = ops
            .iter()
            .filter_map(|op| match op {
                similar::DiffOp::Equal { len, .. } => Some(*len),
                _ => None,
            })
            .sum();
        let Some((first, last)) = aligned(&ops) else {
            return Found::NotFound { closest: None };
        };
        let passage = start + first..start + last;
        let pages_found = self.pages_of(&passage);
        let share = equal as f64 / total as f64;
        let changes = changes(&ops, &quote, &source, &quoted);
        if share >= ALTERED {
            return Found::Altered {
                pages: pages_found,
                changes,
                marked: marked(&ops, &quote, &source, self, start, pages),
            };
        }
        let closest = (share >= CLOSEST).then(|| Closest {
            page: pages_found.first().copied().unwrap_or(0),
            marked: marked(&ops, &quote, &source, self, start, pages),
        });
        Found::NotFound { closest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(quotation: &str, pages: &[&str]) -> Found {
        Tokens::new(pages).search(quotation, &[], pages)
    }

    #[test]
    fn words_read_ligatures_hyphens_and_apostrophes() {
        let w: Vec<String> = words("The ﬁrst self-\n  reliance, don’t “Ｑuote”")
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(w, ["the", "first", "selfreliance", "dont", "quote"]);
        let w: Vec<String> = words("大跃进，1958").into_iter().map(|(w, _)| w).collect();
        assert_eq!(w, ["大", "跃", "进", "1958"]);
    }

    #[test]
    fn an_exact_quotation_is_found_across_a_page_break() {
        let pages = [
            "the harvest of 1958 was reported",
            "at twice its size by the cadres",
        ];
        assert_eq!(
            search("reported at twice its size", &pages),
            Found::Exact {
                pages: vec![0, 1],
                passage: "reported at twice its size".into()
            }
        );
    }

    #[test]
    fn ellipses_insertions_and_capitals_are_allowed_edits() {
        let pages = [
            "The communes were ordered to report the grain that the state would then procure, and they did so.",
        ];
        for quotation in [
            "the communes were ordered … to report the grain",
            "The communes were ordered to report the grain [...] and they did so",
            "[t]he communes were ordered to report the grain",
            "the state would then procure [sic]",
            "[the state] would then procure",
        ] {
            assert!(
                matches!(search(quotation, &pages), Found::Exact { .. }),
                "{quotation}"
            );
        }
    }

    #[test]
    fn a_word_changed_is_altered_and_named() {
        let pages =
            ["the communes were ordered to report the grain that the state would then procure"];
        let Found::Altered { changes, .. } = search(
            "the communes were told to report the grain that the state would then procure",
            &pages,
        ) else {
            panic!("not altered");
        };
        assert_eq!(changes, [("told".to_string(), "ordered".to_string())]);
    }

    #[test]
    fn words_not_in_the_source_are_not_found_with_the_closest_passage() {
        let pages =
            ["the communes were ordered to report the grain that the state would then procure"];
        let found = search(
            "the communes refused to report anything the state wanted",
            &pages,
        );
        let Found::NotFound {
            closest: Some(closest),
        } = found
        else {
            panic!("{found:?}");
        };
        assert!(closest.marked.contains("[-refused-]"), "{}", closest.marked);
        assert!(
            closest.marked.contains("{+were ordered+}"),
            "{}",
            closest.marked
        );
        assert_eq!(
            search("nothing of the kind appears here at all", &pages),
            Found::NotFound { closest: None }
        );
    }

    #[test]
    fn of_two_places_the_cited_page_is_preferred() {
        let pages = ["grain was taken", "filler words", "grain was taken"];
        let tokens = Tokens::new(&pages);
        assert_eq!(
            tokens.search("grain was taken", &[2], &pages),
            Found::Exact {
                pages: vec![2],
                passage: "grain was taken".into()
            }
        );
    }

    #[test]
    fn a_source_without_spaces_is_compared_letter_by_letter() {
        let pages = [
            "Thecommuneswereorderedtoreportthegrainthatthestatewouldthenprocure.\nReportsoftheharvestwereinflatedateverylevel.",
        ];
        assert!(matches!(
            search("the communes were ordered to report the grain", &pages),
            Found::Exact { .. }
        ));
        assert!(matches!(
            search("the harvest was bountiful in every province", &pages),
            Found::NotFound { .. }
        ));
    }

    #[test]
    fn a_quotation_of_two_thousand_words_is_searched_in_bounded_time() {
        let book: Vec<String> = (0..400)
            .map(|p| {
                (0..300)
                    .map(|w| format!("w{}", (p * 7 + w * 13) % 5000))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let pages: Vec<&str> = book.iter().map(String::as_str).collect();
        let tokens = Tokens::new(&pages);
        let quotation: String = (0..2000).map(|i| format!("q{i} ")).collect();
        // Not in the source: searched (not found), whatever its length.
        assert!(matches!(
            tokens.search(&quotation, &[], &pages),
            Found::NotFound { .. }
        ));
        let found: String = book[10].split(' ').take(250).collect::<Vec<_>>().join(" ");
        assert!(matches!(
            tokens.search(&found, &[10], &pages),
            Found::Exact { .. }
        ));
    }

    #[test]
    fn chinese_is_compared_by_characters() {
        let pages = ["一九五八年，全国大炼钢铁。"];
        assert!(matches!(
            search("全国大炼钢铁", &pages),
            Found::Exact { .. }
        ));
        assert!(mostly_cjk("全国大炼钢铁"));
        assert!(!mostly_cjk("the whole country made steel"));
    }
}
