//! Every URL of the document and its bibliography, with what holds it: a
//! bibliography entry (with its access date), a `#link` in the text, or a URL
//! pasted into footnote prose.

use std::collections::HashMap;
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
    for link in document.links.iter().filter(|l| is_web(&l.url)) {
        add(
            &link.url,
            Site {
                holder: Holder::Link {
                    footnote: number(link.footnote),
                },
                span: link.span.clone(),
            },
        );
    }
    for note in &document.footnotes {
        for (_, written) in urls_in(&note.prose) {
            // A `#link` in the note is already collected with its own span.
            let linked = document.links.iter().any(|l| l.url == written);
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
