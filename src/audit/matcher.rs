//! The hand-typed citation matcher: finds, in the prose of a footnote, the
//! citations its author typed instead of citing the bibliography ("Ibid.",
//! "MacFARQUHAR, “The Origins…”, cit., pp.7-9", a pasted URL) and works out
//! which entry and locator each one means.
//!
//! It is string work over what the bibliography knows of each entry: its
//! authors' family names in Latin script and in the original script, its
//! titles (full and short, translated and original), its URL.

use std::sync::LazyLock;

use regex::Regex;

use crate::bibliography::{BibEntry, Bibliography};
use crate::document::{Document, FootnoteKind};
use crate::frames::is_cjk;
use crate::links::collect::urls_in;

/// A citation typed by hand in a footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandTyped {
    /// The entry it most likely means; `None` when it matches no entry.
    pub key: Option<String>,
    /// The locator as written, spacing normalised (`pag.387` → `pag. 387`).
    pub locator: Option<String>,
    /// The text that cites, as typed.
    pub excerpt: String,
    /// Whether it was an "Ibid."-like back reference.
    pub ibid: bool,
}

impl HandTyped {
    /// The structured citation to write instead, e.g. `@yang2007[pag. 387]`.
    pub fn suggestion(&self) -> Option<String> {
        let key = self.key.as_ref()?;
        Some(match &self.locator {
            Some(locator) => format!("@{key}[{locator}]"),
            None => format!("@{key}"),
        })
    }
}

/// What the matcher knows of each entry, normalised for comparison.
pub struct SourceIndex {
    entries: Vec<Marks>,
}

struct Marks {
    key: String,
    /// Lower-case family names in Latin script.
    names: Vec<String>,
    /// Names in a CJK script, family and given name together (杨继绳).
    cjk_names: Vec<String>,
    /// Normalised URLs, as written and as parsed.
    urls: Vec<String>,
    /// Normalised titles: full and short, Latin and original script.
    titles: Vec<String>,
}

impl SourceIndex {
    pub fn new(bibliography: &Bibliography) -> Self {
        Self {
            entries: bibliography.entries.iter().map(marks).collect(),
        }
    }
}

fn marks(bib: &BibEntry) -> Marks {
    let entry = &bib.entry;
    let mut names = Vec::new();
    let mut cjk_names = Vec::new();
    let people = entry.authors().into_iter().chain(entry.editors()).flatten();
    let original = entry
        .parents()
        .iter()
        .filter(|p| p.entry_type() == &hayagriva::types::EntryType::Original);
    let original_people = original
        .clone()
        .flat_map(|p| p.authors().into_iter().flatten());
    for person in people.chain(original_people) {
        if person.name.chars().any(is_cjk) {
            let full = format!(
                "{}{}",
                person.name,
                person.given_name.as_deref().unwrap_or("")
            );
            cjk_names.push(full);
        } else if person.name.chars().count() >= 2 {
            names.push(person.name.to_lowercase());
        }
    }
    let mut titles = Vec::new();
    for title in entry
        .title()
        .into_iter()
        .chain(original.filter_map(|p| p.title()))
    {
        titles.push(normalise_title(&title.value.to_string()));
        if let Some(short) = &title.short {
            titles.push(normalise_title(&short.to_string()));
        }
    }
    titles.retain(|t| t.chars().count() >= 2);
    let mut urls: Vec<String> = bib
        .url_as_written
        .iter()
        .map(|u| normalise_url(u))
        .collect();
    if let Some(url) = entry.url() {
        urls.push(normalise_url(url.value.as_str()));
    }
    Marks {
        key: bib.key.clone(),
        names,
        cjk_names,
        urls,
        titles,
    }
}

/// Where a source is named in the text.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    /// The entries it names: one for a name, title or URL; the previous
    /// note's for "Ibid."; none for a URL the bibliography lacks.
    keys: Vec<String>,
    ibid: bool,
    /// "op. cit." or "loc. cit.": the source named just before.
    back_reference: bool,
}

static IBID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[Ii]bidem|[Ii]bid|Id)\.|\b(?:[Oo]p|[Ll]oc)\.\s*cit\.").unwrap()
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[“"«]([^”"»]{2,})[”"»]"#).unwrap());
static LOCATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(pagg\.|pag\.|pp\.|p\.|pages|page|S\.)\s*(\d[\dA-Za-z]*(?:\s*(?:-|–|—|--)\s*\d[\dA-Za-z]*)?(?:\s*(?:,|&|and)\s*\d[\dA-Za-z]*(?:\s*(?:-|–|—|--)\s*\d[\dA-Za-z]*)?)*)").unwrap()
});
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bcit\.|https?://").unwrap());

/// Finds the hand-typed citations in `prose`. `previous` are the entries the
/// previous citing footnote cited, which "Ibid." refers to.
pub fn match_prose(prose: &str, previous: &[String], index: &SourceIndex) -> Vec<HandTyped> {
    let mut mentions = Vec::new();
    for m in IBID.find_iter(prose) {
        let back = m.as_str().to_lowercase().contains("cit");
        let keys = if back { Vec::new() } else { previous.to_vec() };
        mentions.push(Mention {
            start: m.start(),
            end: m.end(),
            keys,
            ibid: !back,
            back_reference: back,
        });
    }
    for (start, url) in urls_in(prose) {
        let normal = normalise_url(url);
        let keys = index
            .entries
            .iter()
            .filter(|e| e.urls.contains(&normal))
            .map(|e| e.key.clone())
            .take(1)
            .collect();
        mentions.push(Mention {
            start,
            end: start + url.len(),
            keys,
            ibid: false,
            back_reference: false,
        });
    }
    let lower = prose.to_lowercase();
    for entry in &index.entries {
        for name in &entry.names {
            for (start, _) in lower.match_indices(name.as_str()) {
                let end = start + name.len();
                if is_word_boundary(&lower, start, end) && in_citation_context(prose, start) {
                    mentions.push(Mention {
                        start,
                        end,
                        keys: vec![entry.key.clone()],
                        ibid: false,
                        back_reference: false,
                    });
                }
            }
        }
        for name in &entry.cjk_names {
            for (start, _) in prose.match_indices(name.as_str()) {
                mentions.push(Mention {
                    start,
                    end: start + name.len(),
                    keys: vec![entry.key.clone()],
                    ibid: false,
                    back_reference: false,
                });
            }
        }
    }
    for caps in QUOTED.captures_iter(prose) {
        let whole = caps.get(0).expect("match");
        let quoted = normalise_title(&caps[1]);
        if let Some(entry) = index
            .entries
            .iter()
            .find(|e| e.titles.iter().any(|t| titles_match(t, &quoted)))
        {
            mentions.push(Mention {
                start: whole.start(),
                end: whole.end(),
                keys: vec![entry.key.clone()],
                ibid: false,
                back_reference: false,
            });
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    resolve_back_references(&mut mentions);

    let mut groups = group(prose, mentions);
    attach_locators(prose, &mut groups);
    groups
        .into_iter()
        .flat_map(|g| {
            let excerpt = prose[g.start..g.end].trim().to_string();
            let single = g.keys.len() <= 1;
            let keys: Vec<Option<String>> = if g.keys.is_empty() {
                vec![None]
            } else {
                g.keys.into_iter().map(Some).collect()
            };
            let locator = g.locator;
            let ibid = g.ibid;
            keys.into_iter().map(move |key| HandTyped {
                key,
                locator: if single { locator.clone() } else { None },
                excerpt: excerpt.clone(),
                ibid,
            })
        })
        .collect()
}

/// The hand-typed citations of every footnote, in order. "Ibid." refers to
/// the sources of the last footnote that cited any, by hand or not.
pub fn in_document(document: &Document, index: &SourceIndex) -> Vec<(usize, Vec<HandTyped>)> {
    let mut previous: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, note) in document.footnotes.iter().enumerate() {
        if note.kind == FootnoteKind::MissingSource {
            continue;
        }
        let found = match_prose(&note.prose, &previous, index);
        let mut cited: Vec<String> = document.citations_of(note).map(|c| c.key.clone()).collect();
        cited.extend(found.iter().filter_map(|h| h.key.clone()));
        cited.dedup();
        if !cited.is_empty() {
            previous = cited;
        }
        out.push((i, found));
    }
    out
}

/// "op. cit." and "loc. cit." refer to the source named just before them.
fn resolve_back_references(mentions: &mut [Mention]) {
    for i in 0..mentions.len() {
        if mentions[i].back_reference && i > 0 {
            let before = mentions[i - 1].keys.clone();
            mentions[i].keys = before;
        }
    }
}

/// One hand-typed citation: consecutive mentions of the same source.
struct Group {
    start: usize,
    end: usize,
    keys: Vec<String>,
    ibid: bool,
    locator: Option<String>,
    locator_end: usize,
}

fn group(prose: &str, mentions: Vec<Mention>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for mention in mentions {
        if let Some(last) = groups.last_mut() {
            let between = prose
                .get(last.end.min(mention.start)..mention.start)
                .unwrap_or("");
            let overlaps = mention.start < last.end;
            let same = !mention.keys.is_empty() && mention.keys == last.keys;
            if overlaps || (same && !between.contains(';') && !mention.ibid && !last.ibid) {
                last.end = last.end.max(mention.end);
                continue;
            }
        }
        groups.push(Group {
            start: mention.start,
            end: mention.end,
            keys: mention.keys,
            ibid: mention.ibid,
            locator: None,
            locator_end: 0,
        });
    }
    groups
}

/// Gives each locator to the citation it follows. A second locator right
/// after the first (`pp.289-290; pp.115-121`) extends it.
fn attach_locators(prose: &str, groups: &mut [Group]) {
    for caps in LOCATOR.captures_iter(prose) {
        let whole = caps.get(0).expect("match");
        let Some(group) = groups.iter_mut().rev().find(|g| g.start <= whole.start()) else {
            continue;
        };
        let numbers: String = caps[2].split_whitespace().collect::<Vec<_>>().join(" ");
        let numbers = numbers
            .replace(" - ", "-")
            .replace("- ", "-")
            .replace(" -", "-");
        let locator = format!("{} {}", &caps[1], numbers);
        match &mut group.locator {
            None => group.locator = Some(locator),
            Some(existing) => {
                let between = &prose[group.locator_end.min(whole.start())..whole.start()];
                if between.trim().trim_matches([';', ',']).trim().is_empty()
                    || between.trim() == "and"
                {
                    existing.push_str("; ");
                    existing.push_str(&locator);
                } else {
                    continue;
                }
            }
        }
        group.locator_end = whole.end();
        group.end = group.end.max(whole.end());
    }
}

/// Whether a name at `start..end` in lower-cased text stands as a word.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !is_cjk(c));
    !letter(before) && !letter(after)
}

/// A name cites only near what citations carry: a locator, a quoted title,
/// "cit." or a URL, in the same part of the note (parts end at `;`).
fn in_citation_context(prose: &str, at: usize) -> bool {
    let start = prose[..at].rfind(';').map_or(0, |i| i + 1);
    let end = prose[at..].find(';').map_or(prose.len(), |i| at + i);
    let part = &prose[start..end];
    LOCATOR.is_match(part) || QUOTED.is_match(part) || CONTEXT.is_match(part)
}

fn normalise_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let url = url.strip_prefix("www.").unwrap_or(url);
    crate::bibliography::percent_decode(url).to_lowercase()
}

fn normalise_title(title: &str) -> String {
    title
        .trim()
        .trim_end_matches(['…', '.', ' '])
        .chars()
        .filter(|c| c.is_alphanumeric() || is_cjk(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A quoted title matches an entry's title when one is a prefix of the other
/// (authors shorten titles: “The Origins…”).
fn titles_match(title: &str, quoted: &str) -> bool {
    let shorter = title.chars().count().min(quoted.chars().count());
    shorter >= 4 && (title.starts_with(quoted) || quoted.starts_with(title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bibliography::parse;

    fn index() -> SourceIndex {
        let yaml = r#"
yang2007:
  type: book
  title: { value: "Mubei: Zhongguo liushi niandai dajihuang jishi", short: "Mubei: Zhongguo liushi niandai…" }
  author: { name: Yang, given-name: Jisheng }
  url: { value: http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, date: 2009-09-20 }
  parent:
    type: original
    title: "墓碑:中国六十年代大饥荒纪实"
    author: { name: 杨, given-name: 继绳 }
macfarquhar1983:
  type: book
  title: { value: "The Origins of the Cultural Revolution 2", short: "The Origins…" }
  author: MacFarquhar, Roderick
xinhua:
  type: web
  url: { value: http://news.xinhuanet.com/ziliao/2005-01/06/content_2423605.htm, date: 2009-10-13 }
"#;
        let bibliography = Bibliography::new(vec![], parse("refs.yaml", yaml).unwrap());
        SourceIndex::new(&bibliography)
    }

    fn keys(found: &[HandTyped]) -> Vec<(Option<&str>, Option<&str>)> {
        found
            .iter()
            .map(|h| (h.key.as_deref(), h.locator.as_deref()))
            .collect()
    }

    #[test]
    fn a_name_and_a_short_title() {
        let found = match_prose("MacFARQUHAR, “The Origins…”, cit., pp.7-9.", &[], &index());
        assert_eq!(keys(&found), [(Some("macfarquhar1983"), Some("pp. 7-9"))]);
        assert_eq!(found[0].suggestion().unwrap(), "@macfarquhar1983[pp. 7-9]");
    }

    #[test]
    fn a_url_and_a_name_are_one_citation() {
        let text = "http://www.scribd.com/doc/6404050/墓碑：中国六十年代大饥荒纪实, 20/09/2009: YANG Jisheng 杨继绳, “Mubei: Zhongguo liushi niandai dajihuang jishi”, August 2007, pag.387.";
        assert_eq!(
            keys(&match_prose(text, &[], &index())),
            [(Some("yang2007"), Some("pag. 387"))]
        );
    }

    #[test]
    fn chinese_script_names_alone() {
        let found = match_prose("杨继绳, “墓碑:中国六十年代…” p.5", &[], &index());
        assert_eq!(keys(&found), [(Some("yang2007"), Some("p. 5"))]);
    }

    #[test]
    fn ibid_refers_to_the_previous_note() {
        let previous = vec!["macfarquhar1983".to_string()];
        let found = match_prose("Ibid. p.265.", &previous, &index());
        assert_eq!(keys(&found), [(Some("macfarquhar1983"), Some("p. 265"))]);
        assert!(found[0].ibid);
        let both = vec!["yang2007".to_string(), "xinhua".to_string()];
        assert_eq!(
            keys(&match_prose("Ibidem.", &both, &index())),
            [(Some("yang2007"), None), (Some("xinhua"), None)]
        );
    }

    #[test]
    fn two_locators_for_one_source() {
        let found = match_prose(
            "MacFARQUHAR, “The Origins…”, pp.289-290; pp.115-121.",
            &[],
            &index(),
        );
        assert_eq!(
            keys(&found),
            [(Some("macfarquhar1983"), Some("pp. 289-290; pp. 115-121"))]
        );
    }

    #[test]
    fn an_unknown_url_is_an_unknown_source() {
        let found = match_prose(
            "See http://example.org/page.htm, 13/10/2009.",
            &[],
            &index(),
        );
        assert_eq!(keys(&found), [(None, None)]);
    }

    #[test]
    fn a_name_in_plain_prose_is_not_a_citation() {
        assert!(match_prose("Yang was a journalist at Xinhua.", &[], &index()).is_empty());
    }

    #[test]
    fn no_panic_on_odd_text() {
        for text in [
            "",
            ";;;",
            "p.",
            "“",
            "Ibid",
            "http://",
            "杨",
            "pp. 1-",
            "MacFarquhar;",
        ] {
            let _ = match_prose(text, &[], &index());
        }
    }
}
