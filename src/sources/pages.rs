//! Pages as the reader sees them: a source's pages with their printed
//! numbers. A PDF's page labels when it has them; otherwise the folio
//! printed in each page's first or last lines, with the offset between the
//! PDF's page index and the printed page inferred from the pages that agree;
//! and the running heads and folios left out of the text, so that a
//! quotation across a page break reads on.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// One page of a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The page number as printed (`45`, `xiv`), when known.
    pub label: Option<String>,
    pub text: String,
}

/// How the printed page numbers were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Numbering {
    /// The PDF's page labels, or an EPUB's page list.
    Labels,
    /// The folios printed on the pages: printed page = page index + 1 +
    /// `offset`.
    Folios { offset: i64 },
    /// No printed numbers: pages counted from 1 (plain text split at form
    /// feeds; a PDF without labels or folios).
    Counted,
    /// No pages at all (HTML, an EPUB without a page list): a quotation can
    /// be found, its page not checked.
    Unpaged,
}

/// A source read into pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceText {
    pub pages: Vec<Page>,
    pub numbering: Numbering,
}

impl SourceText {
    /// The index of the page printed `number`.
    pub fn page_index(&self, number: &str) -> Option<usize> {
        if self.numbering == Numbering::Unpaged {
            return None;
        }
        self.pages.iter().position(|p| {
            p.label
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(number))
        })
    }

    /// The last printed page in Arabic numerals: the extent a page cited
    /// beyond is out of range of.
    pub fn last_page(&self) -> Option<u32> {
        if self.numbering == Numbering::Unpaged {
            return None;
        }
        self.pages
            .iter()
            .filter_map(|p| p.label.as_deref()?.parse::<u32>().ok())
            .max()
    }

    /// The printed number of the page at `index`, or its place.
    pub fn label(&self, index: usize) -> String {
        match self.pages.get(index).and_then(|p| p.label.clone()) {
            Some(label) => format!("p. {label}"),
            None if self.numbering == Numbering::Unpaged => "the text".to_string(),
            None => format!("page {} of the file", index + 1),
        }
    }
}

/// Pages read from markup (an EPUB's chapters, an HTML page): labelled by
/// their page-break markers, or one text with no pages when there are none.
pub fn from_marked(pages: Vec<(Option<String>, String)>) -> SourceText {
    let paged = pages.iter().any(|(label, _)| label.is_some());
    SourceText {
        pages: pages
            .into_iter()
            .map(|(label, text)| Page { label, text })
            .collect(),
        numbering: if paged {
            Numbering::Labels
        } else {
            Numbering::Unpaged
        },
    }
}

/// A PDF's pages (as lines) with their labels: the catalog's labels when
/// there are any, else the folios read from the pages.
pub fn from_lines(lines: Vec<Vec<String>>, labels: Option<Vec<String>>) -> SourceText {
    let heads = running_heads(&lines);
    let folios: Vec<Option<Folio>> = lines.iter().map(|page| folio(page)).collect();
    let texts: Vec<String> = lines
        .iter()
        .map(|page| {
            let keep: Vec<&str> = page
                .iter()
                .enumerate()
                .filter(|(i, line)| {
                    let edge = *i < 2 || *i + 2 >= page.len();
                    !(edge && (is_folio_line(line) || heads.contains(&shape(line))))
                })
                .map(|(_, l)| l.as_str())
                .collect();
            keep.join("\n")
        })
        .collect();
    let (labels, numbering): (Vec<Option<String>>, Numbering) =
        match labels.filter(|l| l.iter().any(|l| !l.is_empty())) {
            Some(labels) => (labels.into_iter().map(Some).collect(), Numbering::Labels),
            None => match offset(&folios) {
                Some(offset) => {
                    let labels = folios
                        .iter()
                        .enumerate()
                        .map(|(i, folio)| {
                            let printed = i as i64 + 1 + offset;
                            match folio {
                                Some(Folio::Roman(r)) if printed < 1 => Some(r.clone()),
                                _ => (printed >= 1).then(|| printed.to_string()),
                            }
                        })
                        .collect();
                    (labels, Numbering::Folios { offset })
                }
                None => (
                    (1..=lines.len()).map(|n| Some(n.to_string())).collect(),
                    Numbering::Counted,
                ),
            },
        };
    SourceText {
        pages: texts
            .into_iter()
            .zip(labels)
            .map(|(text, label)| Page { label, text })
            .collect(),
        numbering,
    }
}

/// A number printed at a page's head or foot.
#[derive(Debug, Clone, PartialEq)]
enum Folio {
    Arabic(i64),
    Roman(String),
}

/// The folio among a page's first two and last two lines: a line that is
/// a number, or a running head that starts or ends with one.
fn folio(lines: &[String]) -> Option<Folio> {
    let n = lines.len();
    let edges = (0..n.min(2)).chain(n.saturating_sub(2).max(2.min(n))..n);
    for i in edges {
        let line = lines[i].trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        let candidates = [words.first(), words.last()];
        for word in candidates.into_iter().flatten() {
            let word = word.trim_matches(|c: char| c == '-' || c == '–' || c == '—');
            if let Ok(number) = word.parse::<i64>()
                && (1..100_000).contains(&number)
                && (words.len() == 1 || words.len() <= 12)
            {
                return Some(Folio::Arabic(number));
            }
            if words.len() == 1 && is_roman(word) {
                return Some(Folio::Roman(word.to_ascii_lowercase()));
            }
        }
    }
    None
}

fn is_roman(word: &str) -> bool {
    word.len() <= 8 && crate::locator::pages::roman(word).is_some()
}

/// A line that is only a page number.
fn is_folio_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c == ' ');
    !t.is_empty() && (t.chars().all(|c| c.is_ascii_digit()) || is_roman(t))
}

/// A line with its digits left out: a running head's shape on every page.
fn shape(line: &str) -> String {
    line.chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .trim()
        .to_string()
}

/// The lines at a page's head or foot found on many pages (digits aside):
/// running heads.
fn running_heads(pages: &[Vec<String>]) -> Vec<String> {
    if pages.len() < 4 {
        return Vec::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let n = page.len();
        let mut seen: Vec<String> = Vec::new();
        for i in (0..n.min(2)).chain(n.saturating_sub(2)..n) {
            let s = shape(&page[i]);
            if !s.is_empty() && !seen.contains(&s) {
                seen.push(s);
            }
        }
        for s in seen {
            *counts.entry(s).or_default() += 1;
        }
    }
    let threshold = (pages.len() / 5).max(3);
    counts
        .into_iter()
        .filter(|(_, c)| *c >= threshold)
        .map(|(s, _)| s)
        .collect()
}

/// The offset most pages agree on (printed = index + 1 + offset), when at
/// least two pages and a third of the pages with a folio agree.
fn offset(folios: &[Option<Folio>]) -> Option<i64> {
    let mut votes: HashMap<i64, usize> = HashMap::new();
    let mut numbered = 0;
    for (i, folio) in folios.iter().enumerate() {
        if let Some(Folio::Arabic(n)) = folio {
            numbered += 1;
            *votes.entry(n - (i as i64 + 1)).or_default() += 1;
        }
    }
    let (offset, count) = votes.into_iter().max_by_key(|(o, c)| (*c, -o.abs()))?;
    (count >= 2 && count * 3 >= numbered).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn labels_win_over_folios() {
        let text = from_lines(
            vec![page(&["a", "7"]), page(&["b", "8"])],
            Some(vec!["i".into(), "1".into()]),
        );
        assert_eq!(text.numbering, Numbering::Labels);
        assert_eq!(text.page_index("1"), Some(1));
        assert_eq!(text.page_index("I"), Some(0));
    }

    #[test]
    fn the_offset_is_read_from_the_folios_and_heads_left_out() {
        let mut pages = vec![page(&["Title page"]), page(&["Contents", "v"])];
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
        for (n, word) in (1..=6).zip(words) {
            pages.push(page(&[
                &format!("{n}   THE GREAT FAMINE"),
                &format!("body text of the {word} page"),
                &format!("continues with {word}"),
            ]));
        }
        let text = from_lines(pages, None);
        assert_eq!(text.numbering, Numbering::Folios { offset: -2 });
        assert_eq!(text.page_index("1"), Some(2));
        assert_eq!(text.page_index("v"), Some(1));
        assert_eq!(text.last_page(), Some(6));
        assert!(
            !text.pages[3].text.contains("GREAT FAMINE"),
            "{}",
            text.pages[3].text
        );
        assert!(text.pages[3].text.contains("body text"));
    }

    #[test]
    fn without_labels_or_folios_pages_are_counted() {
        let text = from_lines(vec![page(&["a"]), page(&["b"])], None);
        assert_eq!(text.numbering, Numbering::Counted);
        assert_eq!(text.page_index("2"), Some(1));
        assert_eq!(text.label(1), "p. 2");
    }
}
