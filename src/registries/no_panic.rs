//! No input makes the registry code panic.

use crate::registries::compare::{EntryFacts, compare, compare_containers, compare_titles};
use crate::registries::csl::*;
use crate::registries::identifiers::*;
use crate::registries::search_match::best_match;

const NASTY: [&str; 6] = [
    "ISBN：978-7-5402-7226-3。doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0)",
    "é\u{301}\u{0}<i>RETRACTED: </i>Ｔｏｍｂｓｔｏｎｅ：墓碑. Ünïcödé — 10.5555/ä… ISSN 1759-443X",
    "https://doi.org/10.5555%2Fabc%E2%80%A6 %ZZ %",
    "eISSN pISSN ISBN-13 ISBN10: 0-8044-2957-x, 979-10-90636-07-1; 10.1234/x.",
    ":::...!!!???——",
    "van der de la y, et al., , ,",
];

/// Every prefix of every nasty string, through every text function.
#[test]
fn text_functions() {
    let mut calls = 0;
    for s in NASTY {
        for (i, _) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            let p = &s[..i];
            let _ = find_identifiers(p);
            let _ = check_doi(p);
            let _ = check_isbn(p);
            let _ = check_issn(p);
            let _ = compare_titles(p, s, Some(p));
            let _ = compare_containers(p, s);
            let entry = EntryFacts {
                title: Some(p.into()),
                family_names: vec![p.into(), s.into()],
                container: Some(p.into()),
                pages: Some(p.into()),
                volume: Some(p.into()),
                year: Some(i32::MIN),
                ..EntryFacts::default()
            };
            let mut work = parse_csl("{}").unwrap();
            work.title = Some(s.into());
            work.family_names = vec![p.into()];
            work.pages = Some(p.into());
            work.year = Some(i32::MAX);
            let _ = compare(&entry, &work);
            let _ = best_match(&entry, &[work]);
            calls += 1;
        }
    }
    assert_eq!(
        calls,
        NASTY.iter().map(|s| s.chars().count() + 1).sum::<usize>()
    );
}

/// Every fixture cut short at every 7th character boundary is an error
/// or a work, never a panic.
#[test]
fn truncated_answers() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/registries");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let json = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in json.char_indices().step_by(7) {
            let p = &json[..i];
            let _ = parse_csl(p);
            let _ = parse_crossref_work(p);
            let _ = parse_crossref_search(p);
            let _ = parse_openalex_work(p);
            let _ = parse_openalex_search(p);
            let _ = parse_openlibrary_search(p);
            let _ = parse_openlibrary_books(p);
            let _ = parse_openlibrary_edition(p);
        }
        files += 1;
    }
    assert_eq!(files, 15);
}
