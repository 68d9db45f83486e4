use super::*;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/registries/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const HENSLEY: &str =
    "Grain Procurement and Provincial Reporting during the Great Leap Forward, 1958–1960";

fn assert_hensley(w: &RegistryWork) {
    assert_eq!(w.title.as_deref(), Some(HENSLEY));
    assert_eq!(w.subtitle, None);
    assert_eq!(w.family_names, vec!["Hensley", "Zhang"]);
    assert_eq!(w.year, Some(2019));
    assert_eq!(
        w.container.as_deref(),
        Some("Journal of Modern Chinese Rural Studies")
    );
    assert_eq!(w.volume.as_deref(), Some("14"));
    assert_eq!(w.issue.as_deref(), Some("3"));
    assert_eq!(w.pages.as_deref(), Some("211-238"));
    assert_eq!(w.doi.as_deref(), Some("10.5555/jmcrs.2019.0412"));
    assert_eq!(w.kind, WorkKind::Article);
    assert_eq!(w.issns, vec!["2049-7318", "2049-7326"]);
    assert!(w.updated_by.is_empty());
    assert!(!w.is_retracted());
}

#[test]
fn csl_from_doi_org() {
    let w = parse_csl(&fixture("csl-article.json")).unwrap();
    assert_hensley(&w);
    assert_eq!(w.source, Source::Csl);
    assert_eq!(
        w.container_short.as_deref(),
        Some("J. Mod. Chin. Rural Stud.")
    );
    assert_eq!(w.publisher.as_deref(), Some("Meridian University Press"));
    assert_eq!(w.raw_type.as_deref(), Some("journal-article"));
}

#[test]
fn crossref_work() {
    let w = parse_crossref_work(&fixture("crossref-article.json")).unwrap();
    assert_hensley(&w);
    assert_eq!(w.source, Source::Crossref);
    assert_eq!(
        w.container_short.as_deref(),
        Some("J. Mod. Chin. Rural Stud.")
    );
}

#[test]
fn crossref_retracted_work_lists_both_sources() {
    let w = parse_crossref_work(&fixture("crossref-retracted.json")).unwrap();
    assert_eq!(w.family_names, vec!["Whitcombe", "Li"]);
    assert_eq!(w.year, Some(2016));
    assert_eq!(
        w.updated_by,
        vec![
            Update {
                kind: UpdateKind::Retraction,
                doi: Some("10.5555/jmcrs.2018.0231".into()),
                date: Some(PartialDate {
                    year: 2018,
                    month: Some(3),
                    day: Some(9)
                }),
                source: Some("publisher".into()),
                label: Some("Retraction".into()),
                record_id: None,
            },
            Update {
                kind: UpdateKind::Retraction,
                doi: Some("10.5555/jmcrs.2018.0231".into()),
                date: Some(PartialDate {
                    year: 2018,
                    month: Some(3),
                    day: Some(9)
                }),
                source: Some("retraction-watch".into()),
                label: Some("Retraction".into()),
                record_id: Some("61207".into()),
            },
        ]
    );
    assert!(w.is_retracted());
    assert_eq!(
        w.gravest_update().and_then(|u| u.source.as_deref()),
        Some("publisher")
    );
}

#[test]
fn crossref_notice_points_back() {
    let w = parse_crossref_work(&fixture("crossref-retraction-notice.json")).unwrap();
    assert!(w.family_names.is_empty());
    assert!(w.updated_by.is_empty());
    assert_eq!(w.update_to.len(), 2);
    assert_eq!(
        w.update_to[0].doi.as_deref(),
        Some("10.5555/jmcrs.2016.0107")
    );
    assert_eq!(w.update_to[1].record_id.as_deref(), Some("61207"));
    assert_eq!(w.pages.as_deref(), Some("88"));
    assert!(!w.is_retracted());
}

#[test]
fn crossref_correction_is_not_a_retraction() {
    let w = parse_crossref_work(&fixture("crossref-corrected.json")).unwrap();
    assert_eq!(w.updated_by.len(), 1);
    assert_eq!(w.updated_by[0].kind, UpdateKind::Correction);
    assert_eq!(
        w.updated_by[0].doi.as_deref(),
        Some("10.5555/jmcrs.2020.0388")
    );
    assert_eq!(
        w.updated_by[0].date,
        Some(PartialDate {
            year: 2020,
            month: Some(11),
            day: Some(2)
        })
    );
    assert!(!w.is_retracted());
}

#[test]
fn a_retraction_after_a_correction_is_the_gravest() {
    let json = r#"{"status":"ok","message":{"title":["The Lancet paper"],
      "updated-by":[
        {"DOI":"10.5555/corr","type":"correction","source":"retraction-watch","updated":{"date-parts":[[2004,3,6]]}},
        {"DOI":"10.5555/retr","type":"retraction","source":"retraction-watch","updated":{"date-parts":[[2010,2,6]]},"record-id":"1234"},
        {"DOI":"10.5555/eoc","type":"expression_of_concern","source":"publisher"},
        {"DOI":"10.5555/x","type":"addendum","source":"publisher"}
      ]}}"#;
    let w = parse_crossref_work(json).unwrap();
    let kinds: Vec<UpdateKind> = w.updated_by.iter().map(|u| u.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            UpdateKind::Correction,
            UpdateKind::Retraction,
            UpdateKind::ExpressionOfConcern,
            UpdateKind::Other("addendum".into())
        ]
    );
    assert_eq!(
        w.gravest_update().and_then(|u| u.doi.as_deref()),
        Some("10.5555/retr")
    );
    assert!(w.is_retracted());
}

#[test]
fn update_kinds() {
    let cases = [
        ("retraction", UpdateKind::Retraction),
        ("partial_retraction", UpdateKind::PartialRetraction),
        ("expression_of_concern", UpdateKind::ExpressionOfConcern),
        ("expression-of-concern", UpdateKind::ExpressionOfConcern),
        ("corrigendum", UpdateKind::Correction),
        ("erratum", UpdateKind::Erratum),
        ("withdrawal", UpdateKind::Withdrawal),
        ("new_version", UpdateKind::Other("new_version".into())),
    ];
    for (name, want) in cases {
        assert_eq!(UpdateKind::from_type(name), want, "{name}");
    }
}

#[test]
fn crossref_errors() {
    assert_eq!(
        parse_crossref_work("Resource not found."),
        Err(ParseError::NotJson(
            "expected value at line 1 column 1".into()
        ))
    );
    assert_eq!(
        parse_crossref_work(r#"{"status":"failed","message":[]}"#),
        Err(ParseError::Status("failed".into()))
    );
    assert_eq!(
        parse_crossref_work(r#"{"status":"ok"}"#),
        Err(ParseError::Missing("message"))
    );
    assert_eq!(parse_crossref_work("[1]"), Err(ParseError::NotAnObject));
    assert_eq!(
        parse_crossref_search(r#"{"status":"ok","message":{}}"#),
        Err(ParseError::Missing("items"))
    );
}

#[test]
fn csl_variants_of_other_agencies() {
    // DataCite-like: title array with subtitle appended, `literal`
    // author, no `issued` but `published-online`, string date parts.
    let json = r#"{
        "type": "article-journal",
        "title": ["Tombstone: The Great Chinese Famine"],
        "subtitle": "The Great Chinese Famine",
        "author": [{"literal": "Yang Jisheng"}, {"family": "van der Berg", "given": "J."}, {"name": "Famine Research Group"}, "odd"],
        "published-online": {"date-parts": [["2012", "10"]]},
        "published-print": {"date-parts": [[2013]]},
        "container-title": ["Modern China"],
        "page": 45,
        "DOI": "10.5555/ABC.1"
    }"#;
    let w = parse_csl(json).unwrap();
    assert_eq!(
        w.title.as_deref(),
        Some("Tombstone: The Great Chinese Famine")
    );
    assert_eq!(w.subtitle, None);
    assert_eq!(
        w.family_names,
        vec![
            "Yang Jisheng",
            "van der Berg",
            "Famine Research Group",
            "odd"
        ]
    );
    assert_eq!(w.year, Some(2013));
    assert_eq!(w.other_years, vec![2012]);
    assert_eq!(w.pages.as_deref(), Some("45"));
    assert_eq!(w.doi.as_deref(), Some("10.5555/abc.1"));
    assert_eq!(w.kind, WorkKind::Article);
}

#[test]
fn csl_with_nothing_but_odd_types() {
    let w = parse_csl(r#"{"title": 5, "author": {"family": "x"}, "issued": {"date-parts": [[null]]}, "ISSN": "1050-124X", "ISBN": ["978-0-306-40615-7", "bad"]}"#).unwrap();
    assert_eq!(w.title.as_deref(), Some("5"));
    assert!(w.family_names.is_empty());
    assert_eq!(w.year, None);
    assert_eq!(w.issns, vec!["1050-124X"]);
    assert_eq!(w.isbns, vec!["9780306406157"]);
    let w = parse_csl(
        r#"[{"title": "<i>Drosophila</i> &amp; flies", "issued": {"raw": "Spring 1998"}}]"#,
    )
    .unwrap();
    assert_eq!(w.title.as_deref(), Some("Drosophila & flies"));
    assert_eq!(w.year, Some(1998));
    assert_eq!(parse_csl("\"x\""), Err(ParseError::NotAnObject));
    assert_eq!(parse_csl("[]"), Err(ParseError::NotAnObject));
}

#[test]
fn crossref_search_items() {
    let items = parse_crossref_search(&fixture("crossref-search.json")).unwrap();
    let dois: Vec<&str> = items.iter().filter_map(|w| w.doi.as_deref()).collect();
    assert_eq!(
        dois,
        vec![
            "10.5555/jmcrs.2019.0412",
            "10.5555/tccr.2017.0058",
            "10.5555/9781555502461.ch4"
        ]
    );
    assert_eq!(items[2].kind, WorkKind::Chapter);
    assert_eq!(items[2].editor_family_names, vec!["Castellan"]);
    assert_eq!(items[2].isbns, vec!["9781555502461"]);
}

#[test]
fn openalex_work() {
    let w = parse_openalex_work(&fixture("openalex-article.json")).unwrap();
    assert_hensley(&w);
    assert_eq!(w.source, Source::OpenAlex);
    assert_eq!(w.is_retracted, Some(false));
    assert_eq!(w.publisher.as_deref(), Some("Meridian University Press"));
    let r = parse_openalex_work(&fixture("openalex-retracted.json")).unwrap();
    assert_eq!(r.is_retracted, Some(true));
    assert!(r.is_retracted());
    assert_eq!(r.doi.as_deref(), Some("10.5555/jmcrs.2016.0107"));
}

#[test]
fn openlibrary_books_api() {
    let json = fixture("openlibrary-books-api.json");
    let books = parse_openlibrary_books(&json).unwrap();
    assert_eq!(books.len(), 1);
    let (key, w) = &books[0];
    assert_eq!(key, "ISBN:9781555501235");
    assert_eq!(w.title.as_deref(), Some("Granaries of the State"));
    assert_eq!(
        w.subtitle.as_deref(),
        Some("Procurement, Famine, and Local Power in Rural China, 1955–1962")
    );
    assert_eq!(w.family_names, vec!["Marsh"]);
    assert_eq!(w.year, Some(2014));
    assert_eq!(w.publisher.as_deref(), Some("Meridian University Press"));
    assert_eq!(w.isbns, vec!["9781555501235"]);
    assert_eq!(w.kind, WorkKind::Book);
    assert_eq!(w.page_count, Some(412));
    // A count that is no count is none.
    let odd = json.replace("\"number_of_pages\": 412", "\"number_of_pages\": \"412\"");
    assert_eq!(parse_openlibrary_books(&odd).unwrap()[0].1.page_count, None);
    let zero = json.replace("\"number_of_pages\": 412", "\"number_of_pages\": 0");
    assert_eq!(
        parse_openlibrary_books(&zero).unwrap()[0].1.page_count,
        None
    );
    // Looked up by the ISBN-10 of the same book.
    let isbn10 = check_isbn("1-55550-123-0").unwrap();
    let found = openlibrary_book_for(&json, &isbn10).unwrap();
    assert_eq!(
        found.and_then(|w| w.title),
        Some("Granaries of the State".into())
    );
    let other = check_isbn("978-0-306-40615-7").unwrap();
    assert_eq!(openlibrary_book_for(&json, &other).unwrap(), None);
    // A missing ISBN: 200 and `{}`.
    assert_eq!(parse_openlibrary_books("{}").unwrap(), vec![]);
    assert_eq!(openlibrary_book_for("{}", &isbn10).unwrap(), None);
}

#[test]
fn openlibrary_edition_record() {
    let w = parse_openlibrary_edition(&fixture("openlibrary-isbn.json")).unwrap();
    assert_eq!(w.title.as_deref(), Some("Granaries of the State"));
    assert_eq!(w.year, Some(2014));
    assert!(w.family_names.is_empty());
    assert_eq!(w.publisher.as_deref(), Some("Meridian University Press"));
    assert_eq!(w.isbns, vec!["9781555501235"]);
}

#[test]
fn display_names_to_family_names() {
    let cases = [
        ("Margaret L. Hensley", Some("Hensley")),
        ("Hensley, Margaret", Some("Hensley")),
        ("Martin Luther King Jr.", Some("King")),
        ("张伟", Some("张伟")),
        ("  ", None),
    ];
    for (input, want) in cases {
        assert_eq!(family_from_display(input).as_deref(), want, "{input}");
    }
}

#[test]
fn work_kinds() {
    let cases = [
        ("journal-article", WorkKind::Article),
        ("article-journal", WorkKind::Article),
        ("book-chapter", WorkKind::Chapter),
        ("edited-book", WorkKind::Book),
        ("anthology", WorkKind::Book),
        ("dissertation", WorkKind::Thesis),
        ("posted-content", WorkKind::Preprint),
        ("paper-conference", WorkKind::Proceedings),
        ("peer-review", WorkKind::Other),
    ];
    for (name, want) in cases {
        assert_eq!(WorkKind::from_type(name), want, "{name}");
    }
}

#[test]
fn openalex_search() {
    let works = parse_openalex_search(&fixture("openalex-search.json")).unwrap();
    assert_eq!(works.len(), 2);
    assert_eq!(
        works[0].title.as_deref(),
        Some("Ration Coupons and County Granaries in Henan, 1959–1961")
    );
    assert_eq!(works[0].family_names, vec!["Tanaka"]);
    assert_eq!(works[0].doi.as_deref(), Some("10.5555/jmcrs.2018.0777"));
    assert_eq!(works[0].year, Some(2018));
    assert_eq!(works[1].doi, None);
    // Another shape is an error, not an empty list (no false "not found").
    assert!(parse_openalex_search(r#"{"meta": {}}"#).is_err());
    assert!(parse_openalex_search(r#"{"results": "x"}"#).is_err());
    assert_eq!(parse_openalex_search(r#"{"results": []}"#).unwrap(), vec![]);
}
