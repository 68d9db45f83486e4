//! Every URL of the document and its bibliography, with what holds it: a
//! bibliography entry (with its access date), a `#link` in the text, or a URL
//! pasted into footnote prose.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::bibliography::Bibliography;
use crate::document::{Document, SourceSpan};

/// What holds a URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Holder {
    Entry { key: String },
    Link { footnote: Option<String> },
    Prose { footnote: String },
}

/// One place a URL is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub holder: Holder,
    pub span: Option<SourceSpan>,
}

/// A URL to check, as written, with every place that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As the author wrote it (Chinese characters and all).
    pub written: String,
    pub sites: Vec<Site>,
}

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://[^\s,;]+").expect("valid regex"));

/// The URLs pasted into running text, with their byte offsets. Punctuation
/// that closes the sentence after a URL is not part of it.
pub fn urls_in(text: &str) -> impl Iterator<Item = (usize, &str)> {
    URL.find_iter(text)
        .map(|m| (m.start(), m.as_str().trim_end_matches(['.', ')', ':', '”'])))
}

/// Whether a URL is a web address (`http:` or `https:`).
pub fn is_web(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Collects the URLs to check, each once, in the order first met:
/// bibliography entries, then links in the text, then URLs in footnote prose.
pub fn targets(document: &Document, bibliography: &Bibliography) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |written: &str, site: Site| match index.get(written) {
        Some(&at) => targets[at].sites.push(site),
        None => {
            index.insert(written.to_string(), targets.len());
            targets.push(Target {
                written: written.to_string(),
                sites: vec![site],
            });
        }
    };
    for entry in &bibliography.entries {
        if let Some(url) = entry.url_as_written.as_ref().filter(|u| is_web(u)) {
            add(
                url,
                Site {
                    holder: Holder::Entry {
                        key: entry.key.clone(),
                    },
                    span: Some(entry.url_place().clone()),
                },
            );
        }
    }
    let number = |i: Option<usize>| {
        i.and_then(|i| document.footnotes.get(i))
            .map(|n| n.number.clone())
    };
    // Only web addresses are checked: `mailto:` and `tel:` say nothing a
    // check could verify, and `file:` has a rule of its own.
    //
    // Typst's automatic links end at the first character outside ASCII
    // (`http://zh.wikipedia.org/wiki/中苏…` links `…/wiki/`): a link that the
    // URL typed in its note goes on from is that URL, at the link's place.
    let typed = |footnote: Option<usize>| -> Vec<&str> {
        footnote
            .and_then(|i| document.footnotes.get(i))
            .map(|note| urls_in(&note.prose).map(|(_, u)| u).collect())
            .unwrap_or_default()
    };
    let mut covered: HashSet<(Option<usize>, String)> = HashSet::new();
    for link in document.links.iter().filter(|l| is_web(&l.url)) {
        let whole = typed(link.footnote)
            .into_iter()
            .find(|u| u.len() > link.url.len() && u.starts_with(link.url.as_str()))
            .map(str::to_string);
        let url = whole.unwrap_or_else(|| link.url.clone());
        covered.insert((link.footnote, url.clone()));
        add(
            &url,
            Site {
                holder: Holder::Link {
                    footnote: number(link.footnote),
                },
                span: link.span.clone(),
            },
        );
    }
    // Looked up once per URL typed: a set, not a scan of every link.
    let linked: HashSet<&str> = document.links.iter().map(|l| l.url.as_str()).collect();
    for (i, note) in document.footnotes.iter().enumerate() {
        for (_, written) in urls_in(&note.prose) {
            // A `#link` in the note is already collected with its own span.
            let linked =
                linked.contains(written) || covered.contains(&(Some(i), written.to_string()));
            if !linked {
                add(
                    written,
                    Site {
                        holder: Holder::Prose {
                            footnote: note.number.clone(),
                        },
                        span: note.span.clone(),
                    },
                );
            }
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Footnote, Link};

    #[test]
    fn an_automatic_link_cut_at_a_chinese_character_is_the_url_typed() {
        let url = "http://zh.wikipedia.org/wiki/中苏国防新技术协定";
        let document = Document {
            footnotes: vec![Footnote {
                number: "12".into(),
                page: 1,
                kind: crate::document::FootnoteKind::Citing,
                span: None,
                marker: None,
                position: None,
                quote: None,
                text: format!("{url}, 20/11/2009."),
                prose: format!("{url}, 20/11/2009."),
                italic: Vec::new(),
                citations: Vec::new(),
                links: vec![0],
            }],
            links: vec![Link {
                url: "http://zh.wikipedia.org/wiki/".into(),
                footnote: Some(0),
                page: 1,
                span: None,
            }],
            ..Default::default()
        };
        let targets = targets(&document, &Bibliography::new(Vec::new(), Vec::new()));
        let written: Vec<&str> = targets.iter().map(|t| t.written.as_str()).collect();
        assert_eq!(written, [url], "one URL, whole");
        assert_eq!(targets[0].sites.len(), 1);
    }
}
