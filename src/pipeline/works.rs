//! The works of a manuscript that comes without a bibliography (no
//! `--bibliography`, no reference-manager fields): the items of its own
//! reference list (a section headed Bibliography, References, Works Cited,
//! Bibliografia, Literaturverzeichnis, 参考文献, …), else the works inferred
//! from the first full citation of each in the notes — later short forms
//! and back-references then resolve to them as to any entry. Written as a
//! Hayagriva YAML bibliography (`ibid audit --write-bibliography`). Pure.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::audit::matcher::read::{self, Shape};
use crate::audit::matcher::text::{pinyin, squash};
use crate::manuscript::model::Manuscript;

/// Headings of a reference list, compared without case and end punctuation.
const HEADINGS: &[&str] = &[
    "bibliography",
    "references",
    "reference list",
    "works cited",
    "works consulted",
    "sources",
    "sources and bibliography",
    "select bibliography",
    "selected bibliography",
    "literature",
    "bibliografia",
    "riferimenti bibliografici",
    "bibliografía",
    "referencias",
    "referências",
    "referências bibliográficas",
    "bibliographie",
    "références",
    "literaturverzeichnis",
    "literatur",
    "quellen- und literaturverzeichnis",
    "litteratur",
    "参考文献",
    "参考书目",
    "引用文献",
    "참고문헌",
];

/// Where the works were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    ReferenceList,
    Notes,
}

/// A work as the manuscript gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub key: String,
    /// `(family, given)` for each author.
    pub authors: Vec<(String, String)>,
    pub title: String,
    pub year: Option<String>,
    pub url: Option<String>,
    /// `(place, publisher)`, when the item gives them.
    pub publisher: Option<(Option<String>, String)>,
}

/// The manuscript's works: its reference list, else its notes' first full
/// citations; none when neither gives any.
pub fn infer(manuscript: &Manuscript) -> Option<(Origin, Vec<Work>)> {
    let listed = reference_list(manuscript);
    if !listed.is_empty() {
        return Some((Origin::ReferenceList, listed));
    }
    let noted = from_notes(manuscript);
    (!noted.is_empty()).then_some((Origin::Notes, noted))
}

/// The items of the reference list: the paragraphs after its heading, up to
/// the next heading.
pub fn reference_list(manuscript: &Manuscript) -> Vec<Work> {
    let paragraphs = &manuscript.paragraphs;
    let Some(start) = paragraphs.iter().rposition(|p| {
        let name = p
            .text
            .trim()
            .trim_end_matches([':', '.'])
            .trim()
            .to_lowercase();
        HEADINGS.contains(&name.as_str()) && (p.heading.is_some() || name.len() < 40)
    }) else {
        return Vec::new();
    };
    let mut works = Vec::new();
    let mut keys = HashSet::new();
    for paragraph in paragraphs[start + 1..]
        .iter()
        .take_while(|p| p.heading.is_none())
    {
        if let Some(work) = item(&paragraph.text, &paragraph.italic, &mut keys) {
            works.push(work);
        }
    }
    works
}

/// A year from 1400 to 2099, with a letter for a second work of one year.
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])((?:1[4-9]|20)\d\d[a-z]?)(?:[^\d]|$)").expect("valid regex")
});

/// `(1999).`, `(1999a, March 3).`, `(n.d.).` after APA's authors.
static APA_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s\((?:(?:1[4-9]|20)\d\d[a-z]?|n\.d\.)[^)]{0,30}\)\.").expect("valid regex")
});

/// One reference-list item: `Family, Given. Title. Place: Publisher, Year.`
/// (Chicago, MLA, ABNT's `FAMILY, Given.`), `Family, I. I., & Family, I.
/// (Year). Title. Publisher.` (APA), `Family, Given. “Article.” Journal …`;
/// a Chinese, Japanese or Korean item as the note reader reads it.
fn item(text: &str, italic: &[std::ops::Range<usize>], keys: &mut HashSet<String>) -> Option<Work> {
    let text = text.trim();
    if text.chars().count() < 8 {
        return None;
    }
    // Items the note reader reads by their marks (《》, 『』, GB/T).
    if let Some(reading) = read::references(text, italic)
        .into_iter()
        .find(|r| r.shape == Shape::Strong && r.title.is_some() && !r.names.is_empty())
        && text.chars().any(crate::script::is_cjk)
    {
        let authors = reading
            .names
            .iter()
            .map(|n| (n.clone(), String::new()))
            .collect();
        return Some(work(
            authors,
            reading.title?,
            reading.year,
            reading.url,
            keys,
        ));
    }
    let (names, rest) = authors_part(text)?;
    let authors = people(names);
    if authors.is_empty() {
        return None;
    }
    let rest = rest.trim_start().trim_start_matches('.').trim_start();
    // APA: the year in parentheses right after the authors.
    let (year, rest) = match rest.strip_prefix('(') {
        Some(inner) => match inner.split_once(')') {
            Some((year, after)) => (
                YEAR.captures(year).map(|c| c[1].to_string()),
                after.trim_start_matches(['.', ' ']),
            ),
            None => (None, rest),
        },
        None => (None, rest),
    };
    let title = title(text, rest, italic)?;
    let year = year.or_else(|| YEAR.captures_iter(rest).last().map(|c| c[1].to_string()));
    let url = rest
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|u| u.trim_end_matches(['.', ',', ')']).to_string());
    let mut found = work(authors, title.clone(), year, url, keys);
    found.publisher = publisher(
        rest.get(rest.find(title.as_str()).map_or(0, |at| at + title.len())..)
            .unwrap_or(rest),
    );
    Some(found)
}

/// `London: Bloomsbury, 2010` → `(Some("London"), "Bloomsbury")`; APA's
/// `M. E. Sharpe.` after the title → `(None, "M. E. Sharpe")`.
fn publisher(after_title: &str) -> Option<(Option<String>, String)> {
    static PLACE_PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\s.,”\x22]*([^.:;]{2,60}):\s*([^,;:]{2,80}),\s*(?:1[4-9]|20)\d\d")
            .expect("valid regex")
    });
    static APA_PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\s.]*((?:[A-Z][\w’'&-]*\.?\s?){1,6})\.?\s*$").expect("valid regex")
    });
    if let Some(c) = PLACE_PUBLISHER.captures(after_title) {
        return Some((Some(c[1].trim().to_string()), c[2].trim().to_string()));
    }
    APA_PUBLISHER
        .captures(after_title)
        .map(|c| (None, c[1].trim().trim_end_matches('.').to_string()))
        .filter(|(_, p)| !p.is_empty())
}

/// The authors, up to the full stop that ends them (not an initial's, `C.`,
/// nor one inside `et al.`), and the rest of the item.
fn authors_part(text: &str) -> Option<(&str, &str)> {
    // APA: the year in parentheses ends the authors.
    if let Some(m) = APA_YEAR.find(text) {
        return Some((
            text[..m.start()].trim_end_matches([',', '.', ' ']),
            &text[m.start()..],
        ));
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(". ").map(|i| from + i) {
        let before = &text[..at];
        let word = before.rsplit([' ', ',', '-']).next().unwrap_or(before);
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        // A quoted title begins: the authors end, even after an initial.
        let quoted = text[at + 2..].starts_with(['“', '"', '«', '„']);
        if (initial && !quoted) || word == "al" || word == "Jr" || word == "eds" || word == "ed" {
            from = at + 2;
            continue;
        }
        return Some((before, &text[at + 1..]));
    }
    // APA with the year next: `Teiwes, F. C. (1999). …`
    let open = text.find(" (")?;
    Some((text[..open].trim_end_matches([',', '.']), &text[open..]))
}

/// `Teiwes, Frederick C., and Warren Sun` → `[("Teiwes", "Frederick C."),
/// ("Sun", "Warren")]`; `Teiwes, F. C., & Sun, W.`; `NEVES, Lúcia`.
fn people(names: &str) -> Vec<(String, String)> {
    let names = names
        .replace(", and ", "; ")
        .replace(" and ", "; ")
        .replace(", & ", "; ")
        .replace(" & ", "; ")
        .replace(" e ", "; ")
        .replace(" und ", "; ")
        .replace(" et ", "; ")
        .replace(" y ", "; ");
    let names = names.trim().trim_end_matches(['.', ',']);
    let mut out: Vec<(String, String)> = Vec::new();
    for person in names.split("; ").map(str::trim).filter(|p| !p.is_empty()) {
        let parts: Vec<&str> = person.split(", ").map(str::trim).collect();
        match parts.as_slice() {
            // `Family, Given`, and APA's `Family, I., Family, I.`.
            [family, given, rest @ ..] => {
                out.push((capitalised(family), given.to_string()));
                for pair in rest.chunks(2) {
                    if let [family, given] = pair {
                        out.push((capitalised(family), given.to_string()));
                    }
                }
            }
            // `Given Family` (a second author in Chicago) or one name.
            [one] => match one.rsplit_once(' ') {
                Some((given, family)) if !one.contains("al.") => {
                    out.push((capitalised(family), given.to_string()))
                }
                _ => out.push((capitalised(one), String::new())),
            },
            [] => {}
        }
    }
    out.retain(|(family, _)| family.chars().next().is_some_and(char::is_alphabetic));
    out
}

/// `NEVES` → `Neves`; `MacFarquhar` stays.
fn capitalised(name: &str) -> String {
    let name = name.trim().trim_end_matches('.');
    if name
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && name.chars().count() > 1
    {
        let lower = name.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        name.to_string()
    }
}

/// The title after the authors (and an APA year): in quotation marks, the
/// italic run there, else up to the next full stop.
fn title(text: &str, rest: &str, italic: &[std::ops::Range<usize>]) -> Option<String> {
    let rest = rest.trim_start();
    for (open, close) in [('“', '”'), ('"', '"'), ('«', '»'), ('„', '“')] {
        if let Some(inner) = rest.strip_prefix(open) {
            let end = inner.find(close)?;
            return Some(clean(&inner[..end]));
        }
    }
    let at = text.len() - rest.len();
    if let Some(run) = italic.iter().find(|r| r.start >= at && r.start <= at + 2) {
        return text.get(run.clone()).map(clean);
    }
    let end = rest.find(". ").unwrap_or(rest.len());
    let title = clean(&rest[..end]);
    (!title.is_empty()).then_some(title)
}

fn clean(title: &str) -> String {
    title
        .trim()
        .trim_end_matches(['.', ',', ':', ';'])
        .trim()
        .to_string()
}

/// The works the notes cite in full, each once (by its first author's
/// family name and title), in the order first cited.
pub fn from_notes(manuscript: &Manuscript) -> Vec<Work> {
    let mut found = Found::default();
    for note in &manuscript.notes {
        for reading in read::references(&note.text, &note.italic) {
            if reading.back.is_some() {
                continue;
            }
            let Some(url) = reading.url.clone() else {
                found.full(&reading, None);
                continue;
            };
            // A pasted URL, then the work it is a copy of (`http://…,
            // 20/09/2009: YANG Jisheng, “Mubei”, 2007`): that work, with the
            // URL; else the citation of a web page.
            let after = note.text.find(&url).map_or(0, |at| at + url.len());
            let rest = note.text.get(after..).unwrap_or("");
            let rest = ACCESS_DATE.replace(rest, "");
            let work = read::references(&rest, &[])
                .into_iter()
                .find(|r| r.url.is_none() && is_full(r));
            match work {
                Some(work) => found.full(&work, Some(url)),
                None => found.web(url),
            }
        }
    }
    found.works
}

/// A date of access before the work a URL is a copy of: `, 20/09/2009:`.
static ACCESS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\s,;:]*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})[\s,;:]*")
        .expect("valid regex")
});

/// A full citation gives the year; a short form (`Yang, “Mubei…”`) does
/// not, and often cuts its title short.
fn is_full(reading: &read::Reading) -> bool {
    matches!(reading.shape, Shape::Strong | Shape::Inferred)
        && reading.back.is_none()
        && !reading.names.is_empty()
        && reading.year.is_some()
        && reading
            .title
            .as_deref()
            .is_some_and(|t| !(t.ends_with('…') || t.ends_with("...") || t.contains("… ")))
}

/// The works found so far, each once.
#[derive(Default)]
struct Found {
    works: Vec<Work>,
    seen: HashSet<(String, String)>,
    keys: HashSet<String>,
}

impl Found {
    fn full(&mut self, reading: &read::Reading, url: Option<String>) {
        let Some(title) = reading.title.clone().filter(|_| is_full(reading)) else {
            return;
        };
        let id = (
            crate::script::fold(&reading.names[0]),
            crate::script::fold(&title),
        );
        if !self.seen.insert(id) {
            return;
        }
        let authors = reading
            .names
            .iter()
            .enumerate()
            .map(|(i, family)| {
                let given = reading
                    .people
                    .get(i)
                    .map(|full| full.replace(family.as_str(), "").trim().to_string())
                    .unwrap_or_default();
                (capitalised(family), given)
            })
            .collect();
        let url = url.or_else(|| reading.url.clone());
        self.works.push(work(
            authors,
            title,
            reading.year.clone(),
            url,
            &mut self.keys,
        ));
    }

    fn web(&mut self, url: String) {
        if !self.seen.insert((url.clone(), String::new())) {
            return;
        }
        let host = url::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let site = host.trim_start_matches("www.");
        let name = site.split('.').next().unwrap_or(site).to_string();
        // Keyed by its site; a web page has no author the URL tells.
        let mut page = work(
            vec![(name, String::new())],
            url.clone(),
            None,
            Some(url),
            &mut self.keys,
        );
        page.authors.clear();
        self.works.push(page);
    }
}

fn work(
    authors: Vec<(String, String)>,
    title: String,
    year: Option<String>,
    url: Option<String>,
    keys: &mut HashSet<String>,
) -> Work {
    let first = authors
        .first()
        .map_or("anon", |(family, _)| family.as_str());
    let name = pinyin(first).unwrap_or_else(|| squash(first));
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let name = if name.is_empty() {
        "work".to_string()
    } else {
        name
    };
    let year4 = year.as_deref().and_then(|y| y.get(..4)).unwrap_or("");
    let base = format!("{name}{year4}");
    let mut key = base.clone();
    let mut letter = b'a';
    while !keys.insert(key.clone()) {
        key = format!("{base}{}", letter as char);
        letter = letter.saturating_add(1);
    }
    Work {
        key,
        authors,
        title,
        year,
        url,
        publisher: None,
    }
}

/// The works as a Hayagriva YAML bibliography.
pub fn yaml(works: &[Work]) -> String {
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut out = String::new();
    for work in works {
        out.push_str(&format!(
            "{}:\n  type: {}\n  title: {}\n",
            work.key,
            if work.url.is_some() && work.year.is_none() {
                "web"
            } else {
                "book"
            },
            quoted(&work.title)
        ));
        let people: Vec<String> = work
            .authors
            .iter()
            .map(|(family, given)| {
                if given.is_empty() {
                    quoted(family)
                } else {
                    quoted(&format!("{family}, {given}"))
                }
            })
            .collect();
        match people.as_slice() {
            [] => {}
            [one] => out.push_str(&format!("  author: {one}\n")),
            many => out.push_str(&format!("  author: [{}]\n", many.join(", "))),
        }
        if let Some(year) = work.year.as_deref().and_then(|y| y.get(..4)) {
            out.push_str(&format!("  date: {year}\n"));
        }
        if let Some((place, name)) = &work.publisher {
            match place {
                Some(place) => out.push_str(&format!(
                    "  publisher:\n    name: {}\n    location: {}\n",
                    quoted(name),
                    quoted(place)
                )),
                None => out.push_str(&format!("  publisher: {}\n", quoted(name))),
            }
        }
        if let Some(url) = &work.url {
            out.push_str(&format!("  url: {}\n", quoted(url)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Work {
        item(text, &[], &mut HashSet::new()).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn reference_list_items_in_the_common_forms() {
        let chicago = read(
            "Teiwes, Frederick C., and Warren Sun. China's Road to Disaster. Armonk, NY: M. E. Sharpe, 1999.",
        );
        assert_eq!(
            chicago.authors,
            [
                ("Teiwes".to_string(), "Frederick C.".to_string()),
                ("Sun".to_string(), "Warren".to_string())
            ]
        );
        assert_eq!(chicago.title, "China's Road to Disaster");
        assert_eq!(chicago.year.as_deref(), Some("1999"));
        assert_eq!(chicago.key, "teiwes1999");
        assert_eq!(
            chicago.publisher,
            Some((Some("Armonk, NY".to_string()), "M. E. Sharpe".to_string()))
        );

        let apa = read("Teiwes, F. C., & Sun, W. (1999). China's road to disaster. M. E. Sharpe.");
        assert_eq!(apa.authors.len(), 2, "{apa:?}");
        assert_eq!(apa.title, "China's road to disaster");
        assert_eq!(apa.year.as_deref(), Some("1999"));
        assert_eq!(apa.publisher, Some((None, "M. E. Sharpe".to_string())));

        let article = read(
            "Bernstein, Thomas P. “Stalinism, Famine, and Chinese Peasants.” Theory and Society 13, no. 3 (1984): 339–77.",
        );
        assert_eq!(article.title, "Stalinism, Famine, and Chinese Peasants");
        assert_eq!(article.year.as_deref(), Some("1984"));

        let abnt =
            read("FREYRE, Gilberto. Casa-grande & senzala. Rio de Janeiro: Maia & Schmidt, 1933.");
        assert_eq!(abnt.authors[0].0, "Freyre");
        assert_eq!(abnt.title, "Casa-grande & senzala");

        let chinese = read("杨继绳：《墓碑》，香港：天地图书，2008年。");
        assert_eq!(chinese.title, "墓碑");
        assert_eq!(chinese.year.as_deref(), Some("2008"));
    }

    fn manuscript(paragraphs: &[(&str, Option<u8>)], notes: &[&str]) -> Manuscript {
        use crate::manuscript::model::{Note, NoteKind, Paragraph, Place};
        Manuscript {
            pages: 1,
            paragraphs: paragraphs
                .iter()
                .map(|(text, heading)| Paragraph {
                    text: text.to_string(),
                    heading: *heading,
                    ..Paragraph::default()
                })
                .collect(),
            notes: notes
                .iter()
                .enumerate()
                .map(|(i, text)| Note {
                    number: (i + 1).to_string(),
                    kind: NoteKind::Footnote,
                    text: text.to_string(),
                    italic: Vec::new(),
                    links: Vec::new(),
                    place: Place::default(),
                    marker: None,
                    fields: Vec::new(),
                })
                .collect(),
            ..Manuscript::default()
        }
    }

    #[test]
    fn the_reference_list_wins_over_the_notes() {
        let m = manuscript(
            &[
                ("Chapter one", Some(1)),
                ("Body text.", None),
                ("Bibliography", Some(1)),
                (
                    "Dikötter, Frank. Mao's Great Famine. London: Bloomsbury, 2010.",
                    None,
                ),
                (
                    "Teiwes, Frederick C. China's Road to Disaster. Armonk: Sharpe, 1999.",
                    None,
                ),
            ],
            &["Frank Dikötter, “Mao's Great Famine”, London, Bloomsbury, 2010, p. 5."],
        );
        let (origin, works) = infer(&m).expect("works");
        assert_eq!(origin, Origin::ReferenceList);
        let keys: Vec<&str> = works.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["dikotter2010", "teiwes1999"]);
    }

    #[test]
    fn without_a_list_the_first_full_citations_are_the_works() {
        let m = manuscript(
            &[("Body text.", None)],
            &[
                "http://countrystudies.us/china/87.htm",
                "Roderick MacFarquhar, “The Origins of the Cultural Revolution”, Columbia University Press, 1983, p. 7.",
                "MacFarquhar, “The Origins…”, cit., p. 9.",
                "Ibid.",
                "Guido Samarani, “La Cina del Novecento”, Torino, Einaudi, 2004, p. 192.",
            ],
        );
        let (origin, works) = infer(&m).expect("works");
        assert_eq!(origin, Origin::Notes);
        let keys: Vec<&str> = works.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["countrystudies", "macfarquhar1983", "samarani2004"]);
    }

    #[test]
    fn the_yaml_is_a_bibliography_hayagriva_reads() {
        let mut keys = HashSet::new();
        let works = vec![
            item(
                "Dikötter, Frank. Mao's Great Famine. London: Bloomsbury, 2010.",
                &[],
                &mut keys,
            )
            .expect("read"),
            item(
                "Dikötter, Frank. The Tragedy of Liberation. London: Bloomsbury, 2010.",
                &[],
                &mut keys,
            )
            .expect("read"),
        ];
        assert_eq!(works[1].key, "dikotter2010a");
        let entries = crate::bibliography::parse("inferred.yaml", &yaml(&works)).expect("YAML");
        assert_eq!(entries.len(), 2);
    }
}
