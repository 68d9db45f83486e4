use super::*;

#[test]
fn valid_isbns() {
    // (input, compact, ISBN-13, ISBN-10)
    let cases = [
        (
            "978-0-306-40615-7",
            "9780306406157",
            "9780306406157",
            Some("0306406152"),
        ),
        (
            "0-306-40615-2",
            "0306406152",
            "9780306406157",
            Some("0306406152"),
        ),
        (
            "ISBN 978-0-8027-7768-3",
            "9780802777683",
            "9780802777683",
            Some("0802777686"),
        ),
        (
            "isbn-13: 978 0 374 27793 2",
            "9780374277932",
            "9780374277932",
            Some("0374277931"),
        ),
        (
            "0-8044-2957-x",
            "080442957X",
            "9780804429573",
            Some("080442957X"),
        ),
        ("979-10-90636-07-1", "9791090636071", "9791090636071", None),
        (
            "1555501230",
            "1555501230",
            "9781555501235",
            Some("1555501230"),
        ),
    ];
    for (input, compact, i13, i10) in cases {
        let isbn = check_isbn(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(isbn.as_str(), compact, "{input}");
        assert_eq!(isbn.to_isbn13(), i13, "{input}");
        assert_eq!(isbn.to_isbn10().as_deref(), i10, "{input}");
    }
    assert_eq!(
        check_isbn("0-306-40615-2").ok(),
        check_isbn("9780306406157").ok()
    );
}

#[test]
fn wrong_isbn_check_digit_gives_the_correction() {
    // (input, found, expected, corrected)
    let cases = [
        ("978-0-306-40615-6", '6', '7', "978-0-306-40615-7"),
        // One body digit mistyped (7768 → 7769): only the check digit can be fixed.
        ("978-0-8027-7769-3", '3', '0', "978-0-8027-7769-0"),
        ("ISBN 0-306-40615-3", '3', '2', "0-306-40615-2"),
        ("0-8044-2957-1", '1', 'X', "0-8044-2957-X"),
        ("1555501231", '1', '0', "1555501230"),
    ];
    for (input, found, expected, corrected) in cases {
        let err = check_isbn(input).unwrap_err();
        assert_eq!(
            err,
            IdentifierError::WrongCheckDigit {
                kind: IdentifierKind::Isbn,
                found,
                expected,
                corrected: corrected.to_string(),
            },
            "{input}"
        );
        assert_eq!(err.corrected(), Some(corrected));
    }
}

#[test]
fn malformed_isbns() {
    let k = IdentifierKind::Isbn;
    let cases = [
        ("", IdentifierError::Empty { kind: k }),
        (
            "978-0-306-4061",
            IdentifierError::WrongLength {
                kind: k,
                found: 11,
                expected: "10 or 13",
            },
        ),
        (
            "978-0-306-4O615-7",
            IdentifierError::InvalidCharacter {
                kind: k,
                found: 'O',
            },
        ),
        (
            "0-30X-40615-2",
            IdentifierError::InvalidCharacter {
                kind: k,
                found: 'X',
            },
        ),
        (
            "977-0-306-40615-7",
            IdentifierError::BadIsbnPrefix {
                found: "977".into(),
            },
        ),
        (
            "978030640615X",
            IdentifierError::InvalidCharacter {
                kind: k,
                found: 'X',
            },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(check_isbn(input).unwrap_err(), want, "{input}");
    }
}

#[test]
fn issns() {
    assert_eq!(check_issn("0021-9118").unwrap().to_string(), "0021-9118");
    assert_eq!(check_issn("1050-124X").unwrap().to_string(), "1050-124X");
    assert_eq!(check_issn("1050-124x").unwrap().compact(), "1050124X");
    assert_eq!(
        check_issn("ISSN 1759-443X").unwrap().to_string(),
        "1759-443X"
    );
    assert_eq!(
        check_issn("eISSN: 2049-7326").unwrap().to_string(),
        "2049-7326"
    );
    assert_eq!(check_issn("03178471").unwrap().to_string(), "0317-8471");
    assert_eq!(
        check_issn("1050-1241").unwrap_err(),
        IdentifierError::WrongCheckDigit {
            kind: IdentifierKind::Issn,
            found: '1',
            expected: 'X',
            corrected: "1050-124X".into()
        }
    );
    assert_eq!(
        check_issn("2049-7319").unwrap_err().corrected(),
        Some("2049-7318")
    );
    assert_eq!(
        check_issn("2049-731").unwrap_err(),
        IdentifierError::WrongLength {
            kind: IdentifierKind::Issn,
            found: 7,
            expected: "8"
        }
    );
    assert_eq!(
        check_issn("10X0-1241").unwrap_err(),
        IdentifierError::InvalidCharacter {
            kind: IdentifierKind::Issn,
            found: 'X'
        }
    );
}

#[test]
fn dois_in_every_form() {
    let cases = [
        ("10.5555/jmcrs.2019.0412", "10.5555/jmcrs.2019.0412"),
        ("doi:10.5555/jmcrs.2019.0412", "10.5555/jmcrs.2019.0412"),
        ("DOI: 10.5555/JMCRS.2019.0412", "10.5555/JMCRS.2019.0412"),
        (
            "https://doi.org/10.1017/S0305741000000965",
            "10.1017/S0305741000000965",
        ),
        (
            "http://dx.doi.org/10.1093/acprof:oso/9780199583683.001.0001",
            "10.1093/acprof:oso/9780199583683.001.0001",
        ),
        (
            "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        ),
        ("10.1000.10/123456", "10.1000.10/123456"),
        ("  10.2307/2053577 ", "10.2307/2053577"),
    ];
    for (input, want) in cases {
        let doi = check_doi(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(doi.as_str(), want, "{input}");
    }
    let a = check_doi("https://doi.org/10.5555/JMCRS.2019.0412").unwrap();
    let b = check_doi("doi:10.5555/jmcrs.2019.0412").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.key(), "10.5555/jmcrs.2019.0412");
    assert_eq!(a.prefix(), "10.5555");
    assert_eq!(a.suffix(), "JMCRS.2019.0412");
}

#[test]
fn malformed_dois() {
    let cases = [
        (
            "",
            IdentifierError::Empty {
                kind: IdentifierKind::Doi,
            },
        ),
        (
            "doi:",
            IdentifierError::Empty {
                kind: IdentifierKind::Doi,
            },
        ),
        ("10.5555/jmcrs 2019.0412", IdentifierError::DoiWhitespace),
        ("11.5555/abc", IdentifierError::DoiBadPrefix),
        ("10.55/abc", IdentifierError::DoiBadPrefix),
        ("10.5555abc", IdentifierError::DoiBadPrefix),
        ("10.5555", IdentifierError::DoiNoSuffix),
        ("10.5555/", IdentifierError::DoiNoSuffix),
        (
            "10.5555/jmcrs.2019…",
            IdentifierError::DoiTruncated {
                ending: "…".into()
            },
        ),
        (
            "10.5555/jmcrs.2019...",
            IdentifierError::DoiTruncated {
                ending: "...".into(),
            },
        ),
        (
            "10.1002/(SICI)1097-",
            IdentifierError::DoiTruncated { ending: "-".into() },
        ),
        (
            "10.5555/jmcrs.2019.0412.",
            IdentifierError::DoiTrailingPunctuation {
                corrected: "10.5555/jmcrs.2019.0412".into(),
            },
        ),
        ("jmcrs.2019.0412", IdentifierError::DoiBadPrefix),
    ];
    for (input, want) in cases {
        assert_eq!(check_doi(input).unwrap_err(), want, "{input:?}");
    }
}

fn summary(text: &str) -> Vec<(IdentifierKind, String, Result<String, String>)> {
    find_identifiers(text)
        .into_iter()
        .map(|f| {
            let parsed = match f.parsed {
                Ok(Identifier::Isbn(i)) => Ok(i.to_isbn13()),
                Ok(Identifier::Issn(i)) => Ok(i.to_string()),
                Ok(Identifier::Doi(d)) => Ok(d.key()),
                Err(e) => Err(e.corrected().unwrap_or("-").to_string()),
            };
            (f.kind, text[f.span].to_string(), parsed)
        })
        .collect()
}

#[test]
fn finds_identifiers_in_notes() {
    use IdentifierKind::*;
    type Want<'a> = Vec<(IdentifierKind, &'a str, Result<&'a str, &'a str>)>;
    let cases: Vec<(&str, Want)> = vec![
        (
            "Reprinted 2012, ISBN 978-0-8027-7768-3; see also doi:10.5555/jmcrs.2019.0412.",
            vec![
                (Isbn, "978-0-8027-7768-3", Ok("9780802777683")),
                (
                    Doi,
                    "10.5555/jmcrs.2019.0412",
                    Ok("10.5555/jmcrs.2019.0412"),
                ),
            ],
        ),
        (
            "(https://doi.org/10.1093/acprof:oso/9780199583683.001.0001)",
            vec![(
                Doi,
                "10.1093/acprof:oso/9780199583683.001.0001",
                Ok("10.1093/acprof:oso/9780199583683.001.0001"),
            )],
        ),
        (
            "ISBN-10: 0-306-40615-3 (pbk.)",
            vec![(Isbn, "0-306-40615-3", Err("0-306-40615-2"))],
        ),
        (
            "Journal of Modern Chinese Rural Studies, ISSN 2049-7318, eISSN 2049-7326",
            vec![
                (Issn, "2049-7318", Ok("2049-7318")),
                (Issn, "2049-7326", Ok("2049-7326")),
            ],
        ),
        ("ISSN 1759-443X", vec![(Issn, "1759-443X", Ok("1759-443X"))]),
        (
            "9781555501235",
            vec![(Isbn, "9781555501235", Ok("9781555501235"))],
        ),
        (
            "ISBN 0306406152 2010",
            vec![(Isbn, "0306406152", Ok("9780306406157"))],
        ),
        // A bare number with a wrong check digit is not taken for an ISBN.
        ("call 978-0-306-40615-6 now", vec![]),
        // Page ranges, doses and years are not identifiers.
        ("pp. 1234-5678, 10.5 mg, 1958–1960", vec![]),
        // A DOI whose suffix holds an ISBN is one DOI.
        (
            "10.5555/9781555502461.ch4",
            vec![(
                Doi,
                "10.5555/9781555502461.ch4",
                Ok("10.5555/9781555502461.ch4"),
            )],
        ),
        (
            "书号：ISBN 978-7-5402-7226-3。",
            vec![(Isbn, "978-7-5402-7226-3", Err("978-7-5402-7226-5"))],
        ),
    ];
    for (text, want) in cases {
        let want: Vec<(IdentifierKind, String, Result<String, String>)> = want
            .into_iter()
            .map(|(k, s, r)| (k, s.to_string(), r.map(String::from).map_err(String::from)))
            .collect();
        assert_eq!(summary(text), want, "{text}");
    }
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "",
        "10.",
        "ISBN",
        "ISBN:",
        "issn",
        "10.1234/",
        "%",
        "https://doi.org/%E2%",
        "ＩＳＢＮ９７８",
        "10.1234/(((",
        "ééé10.1234/x",
        "ISBN 978-",
        "\u{0}10.1234/x\u{0}",
    ] {
        let _ = find_identifiers(text);
        let _ = check_doi(text);
        let _ = check_isbn(text);
        let _ = check_issn(text);
    }
}
