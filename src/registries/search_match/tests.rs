use super::*;
use crate::registries::csl::parse_crossref_search;

fn candidates() -> Vec<RegistryWork> {
    let path = format!(
        "{}/tests/fixtures/registries/crossref-search.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_crossref_search(&json).unwrap()
}

fn entry(title: &str, names: &[&str], year: Option<i32>) -> EntryFacts {
    EntryFacts {
        title: Some(title.into()),
        family_names: names.iter().map(|n| n.to_string()).collect(),
        year,
        ..EntryFacts::default()
    }
}

#[test]
fn finds_the_article_and_suggests_its_doi() {
    let e = entry(
        "Grain procurement and provincial reporting during the Great Leap Forward",
        &["Hensley", "Zhang"],
        Some(2019),
    );
    let m = best_match(&e, &candidates()).unwrap();
    assert_eq!(m.index, 0);
    assert_eq!(m.doi.as_deref(), Some("10.5555/jmcrs.2019.0412"));
    assert_eq!(m.confidence, Confidence::High);
    // The entry leaves out the ", 1958–1960" tail: a near match, not
    // a subtitle cut (a comma is no separator).
    assert!(
        (m.title_similarity - 0.8780).abs() < 0.001,
        "{}",
        m.title_similarity
    );
}

#[test]
fn cases() {
    // (title, names, year, expected (index, confidence) or none)
    type Want = Option<(usize, Confidence)>;
    let cases: Vec<(&str, Vec<&str>, Option<i32>, Want)> = vec![
        (
            "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960",
            vec!["Hensley"],
            Some(2019),
            Some((0, Confidence::High)),
        ),
        // A typo in the title and the print year off by one.
        (
            "Grain Procurment and Provincial Reporting during the Great Leap Forward, 1958–1960",
            vec!["Hensley", "Zhang"],
            Some(2020),
            Some((0, Confidence::High)),
        ),
        // No year: medium.
        (
            "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960",
            vec!["Hensley"],
            None,
            Some((0, Confidence::Medium)),
        ),
        // The third candidate, the book chapter, cited by its author (not its editor).
        (
            "Reporting the Leap: Statistics and Provincial Cadres",
            vec!["Ashdown"],
            Some(2021),
            Some((2, Confidence::High)),
        ),
        // Right title, wrong author: not this work.
        (
            "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960",
            vec!["Okafor"],
            Some(2019),
            None,
        ),
        // Right title and author, ten years off: not this work.
        (
            "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960",
            vec!["Hensley"],
            Some(2009),
            None,
        ),
        // A work Crossref does not hold: the top hit is no match.
        (
            "Famine Relief in Gansu Province, 1960",
            vec!["Brennan"],
            Some(2018),
            None,
        ),
        // A short title alone decides nothing.
        ("Reporting the Leap", vec![], None, None),
        // A long title alone is a medium match.
        (
            "Provincial Grain Reports and the Politics of Procurement, 1959",
            vec![],
            None,
            Some((1, Confidence::Medium)),
        ),
    ];
    let items = candidates();
    for (title, names, year, want) in cases {
        let got = best_match(&entry(title, &names, year), &items).map(|m| (m.index, m.confidence));
        assert_eq!(got, want, "{title} / {names:?} / {year:?}");
    }
    assert_eq!(
        best_match(&entry("Anything at all here", &["X"], None), &[]),
        None
    );
}

#[test]
fn query_text() {
    let e = EntryFacts {
        title: Some("Grain procurement  and provincial reporting".into()),
        family_names: vec!["Hensley, M. L.".into(), "Zhang".into()],
        year: Some(2019),
        container: Some("J. Mod. Chin. Rural Stud.".into()),
        ..EntryFacts::default()
    };
    assert_eq!(
        bibliographic_query(&e),
        "Hensley Zhang Grain procurement and provincial reporting J. Mod. Chin. Rural Stud. 2019"
    );
}
