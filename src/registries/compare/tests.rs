use super::*;
use crate::registries::csl::{parse_crossref_work, parse_csl, parse_openlibrary_books};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/registries/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const HENSLEY: &str =
    "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960";

fn hensley_entry() -> EntryFacts {
    EntryFacts {
        title: Some(HENSLEY.into()),
        family_names: vec!["Hensley".into(), "Zhang".into()],
        year: Some(2019),
        container: Some("Journal of Modern Chinese Rural Studies".into()),
        pages: Some("211–238".into()),
        volume: Some("14".into()),
        doi: Some("10.5555/jmcrs.2019.0412".into()),
        isbn: None,
        kind: Some(WorkKind::Article),
    }
}

#[test]
fn the_right_work_matches_on_every_field() {
    let w = parse_csl(&fixture("csl-article.json")).unwrap();
    let v = compare(&hensley_entry(), &w);
    assert_eq!(v.mismatches, vec![]);
    assert_eq!(
        v.compared,
        vec![
            Field::Title,
            Field::Authors,
            Field::Year,
            Field::Container,
            Field::Pages,
            Field::Volume,
            Field::Kind
        ]
    );
    assert_eq!(v.title, Some(TitleMatch::Same));
    assert!(v.is_match());
}

#[test]
fn a_doi_typed_for_another_paper_names_title_and_authors() {
    let w = parse_crossref_work(&fixture("crossref-other-paper.json")).unwrap();
    let v = compare(&hensley_entry(), &w);
    let fields: Vec<Field> = v.mismatches.iter().map(|m| m.field).collect();
    assert_eq!(fields, vec![Field::Title, Field::Authors, Field::Pages]);
    assert_eq!(
        v.mismatch(Field::Title),
        Some(&Mismatch {
            field: Field::Title,
            entry_value: HENSLEY.into(),
            registry_value: "Hydraulic Campaigns and Labour Mobilisation in Henan, 1957–1959"
                .into(),
        })
    );
    assert_eq!(
        v.mismatch(Field::Authors),
        Some(&Mismatch {
            field: Field::Authors,
            entry_value: "Hensley; Zhang".into(),
            registry_value: "Okafor".into(),
        })
    );
    assert_eq!(
        v.mismatch(Field::Pages).map(|m| m.registry_value.as_str()),
        Some("239-262")
    );
    assert!(v.is_other_work());
    match v.title {
        Some(TitleMatch::Different(s)) => assert!(s < 0.5, "similarity {s}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn titles() {
    use TitleMatch::*;
    // (entry, registry title, registry subtitle, expected kind)
    let cases: Vec<(&str, &str, Option<&str>, &str)> = vec![
        (HENSLEY, HENSLEY, None, "same"),
        (
            "grain procurement & provincial reporting during the great leap forward (1958-1960)",
            HENSLEY,
            None,
            "same",
        ),
        // Typos, a dropped word, British/American spelling.
        (
            "Grain Procurment and Provincial Reportng during the Great Leap Forward, 1958–1960",
            HENSLEY,
            None,
            "similar",
        ),
        (
            "Grain Procurement and Provincial Reporting during Great Leap Forward, 1958–1960",
            HENSLEY,
            None,
            "similar",
        ),
        (
            "Hydraulic Campaigns and Labor Mobilization in Henan, 1957–1959",
            "Hydraulic Campaigns and Labour Mobilisation in Henan, 1957–1959",
            None,
            "similar",
        ),
        // Diacritics and case.
        (
            "CAFÉ SOCIETY IN MÜNCHEN",
            "Cafe society in Munchen",
            None,
            "same",
        ),
        // Subtitle only in the registry, only in the entry, or appended.
        (
            "Granaries of the State",
            "Granaries of the State",
            Some("Procurement, Famine, and Local Power in Rural China, 1955–1962"),
            "subtitle",
        ),
        (
            "Granaries of the State: Procurement, Famine, and Local Power in Rural China, 1955–1962",
            "Granaries of the State",
            Some("Procurement, Famine, and Local Power in Rural China, 1955–1962"),
            "same",
        ),
        (
            "Granaries of the State: Procurement, Famine, and Local Power in Rural China, 1955–1962",
            "Granaries of the State",
            None,
            "subtitle",
        ),
        (
            "Tombstone",
            "Tombstone: The Great Chinese Famine, 1958–1962",
            None,
            "subtitle",
        ),
        (
            "Tombstone. The Great Chinese Famine, 1958–1962",
            "Tombstone",
            None,
            "subtitle",
        ),
        (
            "Mao's Great Famine: The History of China's Most Devastating Catastrophe",
            "Mao’s Great Famin",
            None,
            "subtitle",
        ),
        // A retracted title's prefix.
        (
            "Mortality Estimates from County Gazetteers in Anhui, 1959–1961",
            "RETRACTED: Mortality Estimates from County Gazetteers in Anhui, 1959–1961",
            None,
            "same",
        ),
        // Different papers.
        (
            HENSLEY,
            "Provincial Grain Reports and the Politics of Procurement, 1959",
            None,
            "different",
        ),
        ("The Great Famine", "The Great Fire", None, "different"),
        ("The Great Famine", "The Great Family", None, "different"),
        ("The Great Famine", "The Graet Famine", None, "similar"),
        (
            "Statistical Yearbook 1958",
            "Statistical Yearbook 1959",
            None,
            "different",
        ),
        (
            "Introduction: Rural China",
            "Introduction: Urban Japan",
            None,
            "different",
        ),
        // Chinese, compared by characters.
        (
            "墓碑：中国六十年代大饥荒纪实",
            "墓碑：中国六十年代大饥荒纪实",
            None,
            "same",
        ),
        ("墓碑", "墓碑：中国六十年代大饥荒纪实", None, "subtitle"),
        (
            "大跃进时期的粮食征购问题研究",
            "大跃进时期的粮食征收问题研究",
            None,
            "similar",
        ),
        (
            "大跃进时期的粮食征购问题研究",
            "文化大革命中的知识青年上山下乡",
            None,
            "different",
        ),
    ];
    for (entry, reg, sub, want) in cases {
        let got = compare_titles(entry, reg, sub);
        let kind = match got {
            Same => "same",
            SubtitleDiffers => "subtitle",
            Similar(_) => "similar",
            Different(_) => "different",
        };
        assert_eq!(kind, want, "{entry:?} vs {reg:?}: {got:?}");
    }
}

#[test]
fn title_similarity_values() {
    // The numbers README.md quotes.
    let typo = compare_titles(
        "Grain Procurment and Provincial Reportng during the Great Leap Forward, 1958–1960",
        HENSLEY,
        None,
    );
    assert!((typo.score() - 0.9756).abs() < 0.001, "{typo:?}");
    let other = compare_titles(
        HENSLEY,
        "Provincial Grain Reports and the Politics of Procurement, 1959",
        None,
    );
    assert!(other.score() < 0.45, "{other:?}");
    let fire = compare_titles("The Great Famine", "The Great Fire", None);
    assert_eq!(fire, TitleMatch::Different(0.8125));
    // Similar enough by characters, but one word of three changed.
    let family = compare_titles("The Great Famine", "The Great Family", None);
    assert_eq!(family, TitleMatch::Different(0.875));
}

#[test]
fn authors() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // (entry, registry, expected)
    let cases: Vec<(Vec<String>, Vec<String>, Option<bool>)> = vec![
        (
            s(&["Hensley", "Zhang"]),
            s(&["Hensley", "Zhang"]),
            Some(true),
        ),
        (s(&["Hensley"]), s(&["Hensley", "Zhang"]), Some(true)), // et al. in the entry
        (
            s(&["Hensley, M. L.", "Zhang, W."]),
            s(&["Hensley", "Zhang"]),
            Some(true),
        ),
        (s(&["Dikotter"]), s(&["Dikötter"]), Some(true)),
        (s(&["van der Berg"]), s(&["Berg"]), Some(true)),
        (s(&["Vanderberg"]), s(&["van der Berg"]), Some(true)),
        (s(&["García Márquez"]), s(&["García"]), Some(true)),
        (s(&["de Gaulle"]), s(&["De Gaulle"]), Some(true)),
        (s(&["Zhang"]), s(&["Hensley", "Zhang"]), Some(false)), // first author left out
        (s(&["Hensley", "Zhang"]), s(&["Okafor"]), Some(false)),
        (
            s(&["Hensley", "Smith"]),
            s(&["Hensley", "Zhang"]),
            Some(false),
        ),
        (
            s(&["Hensley", "et al."]),
            s(&["Hensley", "Zhang", "Li"]),
            Some(true),
        ),
        // Not compared: a non-Latin name among the first three, or no names.
        (s(&["杨继绳"]), s(&["Yang"]), None),
        (s(&["Yang"]), s(&["杨继绳"]), None),
        (s(&["Ivanov"]), s(&["Иванов"]), None),
        (s(&[]), s(&["Hensley"]), None),
        (s(&["Hensley"]), s(&[]), None),
    ];
    for (e, r, want) in cases {
        assert_eq!(compare_authors(&e, &r), want, "{e:?} vs {r:?}");
    }
}

#[test]
fn containers() {
    let cases = [
        ("J. Asian Stud.", "Journal of Asian Studies", true),
        ("J Asian Stud", "The Journal of Asian Studies", true),
        (
            "Proc. Natl. Acad. Sci.",
            "Proceedings of the National Academy of Sciences",
            true,
        ),
        (
            "J. Mod. Chin. Rural Stud.",
            "Journal of Modern Chinese Rural Studies",
            true,
        ),
        ("China Quarterly", "The China Quarterly", true),
        ("Journal of Asian Studies", "Journal of Asian Studies", true),
        ("J. Afr. Stud.", "Journal of Asian Studies", false),
        (
            "Journal of African Studies",
            "Journal of Asian Studies",
            false,
        ),
        ("Modern China", "The China Journal", false),
        ("J. Asian Stud.", "Journal of Asian Studies Review", false),
    ];
    for (e, r, want) in cases {
        assert_eq!(compare_containers(e, r), want, "{e} vs {r}");
    }
}

#[test]
fn year_within_one_and_print_year() {
    let w = parse_csl(&fixture("csl-article.json")).unwrap();
    let mut e = hensley_entry();
    for (year, ok) in [
        (2018, true),
        (2019, true),
        (2020, true),
        (2021, false),
        (2015, false),
    ] {
        e.year = Some(year);
        let v = compare(&e, &w);
        assert_eq!(v.mismatch(Field::Year).is_none(), ok, "{year}");
    }
    e.year = Some(2021);
    assert_eq!(
        compare(&e, &w).mismatch(Field::Year),
        Some(&Mismatch {
            field: Field::Year,
            entry_value: "2021".into(),
            registry_value: "2019".into()
        })
    );
    // Online 2012, print 2013: an entry citing 2014 is within a year of print.
    let mut w2 = w.clone();
    w2.year = Some(2012);
    w2.other_years = vec![2013];
    e.year = Some(2014);
    assert!(compare(&e, &w2).mismatch(Field::Year).is_none());
}

#[test]
fn pages_volume_and_container_only_when_both_have_them() {
    let w = parse_csl(&fixture("csl-article.json")).unwrap();
    let e = EntryFacts {
        title: Some(HENSLEY.into()),
        pages: Some("pp. 211".into()),
        volume: Some("vol. 14".into()),
        container: Some("J. Mod. Chin. Rural Stud.".into()),
        ..EntryFacts::default()
    };
    let v = compare(&e, &w);
    assert_eq!(v.mismatches, vec![]);
    assert_eq!(
        v.compared,
        vec![Field::Title, Field::Container, Field::Pages, Field::Volume]
    );
    let e = EntryFacts {
        pages: Some("212-238".into()),
        volume: Some("15".into()),
        ..e
    };
    let fields: Vec<Field> = compare(&e, &w).mismatches.iter().map(|m| m.field).collect();
    assert_eq!(fields, vec![Field::Pages, Field::Volume]);
    let bare = EntryFacts {
        title: Some(HENSLEY.into()),
        ..EntryFacts::default()
    };
    assert_eq!(compare(&bare, &w).compared, vec![Field::Title]);
}

#[test]
fn a_book_by_isbn_with_subtitle_left_out() {
    let (_, w) = parse_openlibrary_books(&fixture("openlibrary-books-api.json"))
        .unwrap()
        .remove(0);
    let e = EntryFacts {
        title: Some("Granaries of the State".into()),
        family_names: vec!["Marsh".into()],
        year: Some(2014),
        isbn: Some("9781555501235".into()),
        kind: Some(WorkKind::Book),
        ..EntryFacts::default()
    };
    let v = compare(&e, &w);
    assert_eq!(v.mismatches, vec![]);
    assert_eq!(v.title, Some(TitleMatch::SubtitleDiffers));
    // The same ISBN cited as a journal article.
    let e = EntryFacts {
        kind: Some(WorkKind::Article),
        ..e
    };
    assert_eq!(
        compare(&e, &w).mismatch(Field::Kind),
        Some(&Mismatch {
            field: Field::Kind,
            entry_value: "article".into(),
            registry_value: "book".into()
        })
    );
}

#[test]
fn first_pages() {
    let cases = [
        ("211-238", Some("211")),
        ("211–38", Some("211")),
        ("pp. 45-72", Some("45")),
        ("e1234", Some("e1234")),
        ("S12--S20", Some("s12")),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(first_page(input).as_deref(), want, "{input}");
    }
}
