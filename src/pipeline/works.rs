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

mod item;
mod notes;

use item::*;
pub use notes::from_notes;

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
    /// The periodical an article appeared in.
    pub container: Option<String>,
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
        container: None,
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
            if work.container.is_some() {
                "article"
            } else if work.url.is_some() && work.year.is_none() {
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
        if let Some(journal) = &work.container {
            out.push_str(&format!(
                "  parent:\n    type: periodical\n    title: {}\n",
                quoted(journal)
            ));
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
        assert_eq!(article.container.as_deref(), Some("Theory and Society"));
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
    fn items_of_other_forms_and_languages() {
        let cases = [
            (
                "Wemheuer, Felix, and Kimberley Ens Manning, eds. Eating Bitterness. Vancouver: UBC Press, 2011.",
                (
                    "wemheuer2011",
                    "Eating Bitterness",
                    vec!["Wemheuer", "Manning"],
                ),
            ),
            (
                "Thaxton, Ralph A. Catastrophe and Contention in Rural China. Cambridge UP, 2008.",
                (
                    "thaxton2008",
                    "Catastrophe and Contention in Rural China",
                    vec!["Thaxton"],
                ),
            ),
            (
                "Müller, Hans: Die Hungersnot in China. München: Beck 2003.",
                ("muller2003", "Die Hungersnot in China", vec!["Müller"]),
            ),
            (
                "Dupont, Jean. La Chine de Mao. Paris : Gallimard, 1995.",
                ("dupont1995", "La Chine de Mao", vec!["Dupont"]),
            ),
            (
                "Smith, A. B., Jones, C., & Lee, D. (2018). Counting the dead. Journal of Demography, 12(3), 45–67.",
                (
                    "smith2018",
                    "Counting the dead",
                    vec!["Smith", "Jones", "Lee"],
                ),
            ),
            (
                "高华：《红太阳是怎样升起的》，香港：中文大学出版社，2000年。",
                ("gaohua2000", "红太阳是怎样升起的", vec!["高华"]),
            ),
        ];
        for (text, (key, title, families)) in cases {
            let work = read(text);
            assert_eq!(work.key, key, "{text}");
            assert_eq!(work.title, title, "{text}");
            let read: Vec<&str> = work.authors.iter().map(|(f, _)| f.as_str()).collect();
            assert_eq!(read, families, "{text}");
        }
        let thaxton = read(
            "Thaxton, Ralph A. Catastrophe and Contention in Rural China. Cambridge UP, 2008.",
        );
        assert_eq!(thaxton.authors[0].1, "Ralph A.");
        let muller = read("Müller, Hans: Die Hungersnot in China. München: Beck 2003.");
        assert_eq!(
            muller.publisher,
            Some((Some("München".into()), "Beck".into()))
        );
        let apa = read(
            "Smith, A. B., Jones, C., & Lee, D. (2018). Counting the dead. Journal of Demography, 12(3), 45–67.",
        );
        assert_eq!(apa.container.as_deref(), Some("Journal of Demography"));
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
