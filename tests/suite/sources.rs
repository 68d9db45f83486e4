//! Quotations checked against the cited works' own files
//! (`tests/fixtures/sources-project/`): "books" typeset with ibid itself
//! (printed page numbers from 1 after roman front matter; a book whose only
//! numbers are its folios), a Chinese plain-text source, an EPUB with a page
//! list, an HTML page, a missing file and a scan. Every finding and every
//! non-finding of the thesis is asserted.

use std::io::Write;
use std::path::Path;

use super::env::{TestEnv, stderr, stdout};

/// An EPUB of two chapters whose page list puts page 11 and 12 in them.
fn epub() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, text: &str| {
        zip.start_file(name, options).expect("an entry");
        zip.write_all(text.as_bytes()).expect("written");
    };
    add("mimetype", "application/epub+zip");
    add(
        "META-INF/container.xml",
        r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#,
    );
    add(
        "OEBPS/content.opf",
        r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>"#,
    );
    add(
        "OEBPS/nav.xhtml",
        r##"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol><li><a href="text/one.xhtml">One</a></li></ol></nav><nav epub:type="page-list"><ol><li><a href="text/one.xhtml#page11">11</a></li><li><a href="text/two.xhtml#page12">12</a></li></ol></nav></body></html>"##,
    );
    add(
        "OEBPS/text/one.xhtml",
        r#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Chapter one</h1><p><span id="page11"/>The villages were told to deliver more than they had.</p></body></html>"#,
    );
    add(
        "OEBPS/text/two.xhtml",
        r#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Chapter two</h1><p><span id="page12"/>In many places the grain was taken from the villages at night, by teams from the county.</p></body></html>"#,
    );
    zip.finish().expect("an EPUB").into_inner()
}

/// The project with its sources made: the books typeset, the EPUB written,
/// the scan copied.
fn project() -> TestEnv {
    let env = TestEnv::with_fixture("sources-project");
    for book in ["teiwes", "folios"] {
        let output = env.ibid(&[
            "build",
            &format!("books/{book}.typ"),
            "-o",
            &format!("books/{book}.pdf"),
            "--no-audit",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    std::fs::write(env.path().join("books/dikotter.epub"), epub()).expect("the EPUB");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manuscripts/pdf/image_only.pdf"),
        env.path().join("books/scan.pdf"),
    )
    .expect("the scan");
    env
}

/// `rule footnote` of the findings about sources and pages, in order.
fn findings(report: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(report).expect("a JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            matches!(
                f["rule"].as_str(),
                Some(
                    "quotation-not-found"
                        | "quotation-page-differs"
                        | "quotation-altered"
                        | "unverifiable"
                        | "source-missing"
                        | "source-unreadable"
                        | "page-out-of-range"
                )
            )
        })
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["footnote"].as_str().or(f["key"].as_str()).unwrap_or("-")
            )
        })
        .collect()
}

fn message<'a>(report: &'a serde_json::Value, rule: &str, footnote: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule && f["footnote"] == footnote)
        .unwrap_or_else(|| panic!("no {rule} on note {footnote}"))
}

#[test]
fn every_quotation_is_checked_against_its_source() {
    let env = project();
    let output = env.ibid(&["audit", "main.typ", "--format", "json"]);
    let (report, err) = (stdout(&output), stderr(&output));
    let mut found = findings(&report);
    found.sort();
    let mut expected = vec![
        "quotation-altered 4",
        "quotation-page-differs 5",
        "page-out-of-range 6",
        "quotation-not-found 7",
        "unverifiable 8",
        "quotation-page-differs 12",
        "quotation-not-found 14",
        "quotation-page-differs 17",
        "quotation-page-differs 19",
        "quotation-page-differs 20",
        "source-missing ghost",
        "source-unreadable scan",
    ];
    expected.sort();
    assert_eq!(found, expected, "{report}\n{err}");

    let json: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    // The page where the quotation is, as printed.
    let differs = message(&json, "quotation-page-differs", "5");
    assert!(
        differs["message"].as_str().unwrap().contains("on p. 5"),
        "{differs}"
    );
    let epub_page = message(&json, "quotation-page-differs", "12");
    assert!(
        epub_page["message"].as_str().unwrap().contains("on p. 12"),
        "{epub_page}"
    );
    // The word changed, quoted → source.
    let altered = message(&json, "quotation-altered", "4");
    assert!(
        altered["message"]
            .as_str()
            .unwrap()
            .contains("“exaggerated” for “inflated”"),
        "{altered}"
    );
    // The real extent: the book's last printed page.
    let extent = message(&json, "page-out-of-range", "6");
    assert!(
        extent["message"]
            .as_str()
            .unwrap()
            .contains("last printed page (6)"),
        "{extent}"
    );
    // The closest passage, its page and its differences.
    let missing = message(&json, "quotation-not-found", "7");
    let hint = missing["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("p. 6"), "{missing}");
    // The offset of the book without labels is said.
    assert!(
        err.contains("folios.pdf") && err.contains("printed page = PDF page + 40"),
        "{err}"
    );

    // Read once: the pages are cached by content; a second run finds the
    // same.
    let cached = std::fs::read_dir(env.path().join(".ibid/sources"))
        .expect("the source cache")
        .count();
    assert_eq!(cached, 5, "teiwes, folios, yang, dikotter, report");
    let again = env.ibid(&["audit", "main.typ", "--format", "json"]);
    let mut again = findings(&stdout(&again));
    again.sort();
    assert_eq!(again, expected);
}

#[test]
fn without_sources_nothing_is_read_and_nothing_is_said() {
    let env = project();
    let output = env.ibid(&["audit", "main.typ", "--format", "json", "--no-sources"]);
    assert!(findings(&stdout(&output)).is_empty(), "{}", stdout(&output));
    assert!(!env.path().join(".ibid/sources").exists());
}

#[test]
fn a_source_outside_the_project_is_not_read() {
    let env = project();
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::copy(
        env.path().join("books/teiwes.pdf"),
        outside.path().join("teiwes.pdf"),
    )
    .expect("a copy");
    let path = outside.path().join("teiwes.pdf");
    let output = env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--source",
        &format!("teiwes={}", path.display()),
    ]);
    let found = findings(&stdout(&output));
    assert!(
        found.contains(&"source-unreadable teiwes".to_string()),
        "{found:?}"
    );
    // Its quotations are not checked.
    assert!(
        !found.contains(&"quotation-altered 4".to_string()),
        "{found:?}"
    );
}

/// Hostile sources: an encrypted PDF, a broken EPUB, a file of 300 MB (a
/// sparse one: it is refused by its size before a byte is read). Each is
/// said once, with why; the audit goes on.
#[test]
fn hostile_sources_are_said_once_and_the_audit_goes_on() {
    let env = project();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manuscripts/pdf/encrypted.pdf"),
        env.path().join("books/locked.pdf"),
    )
    .expect("the encrypted PDF");
    std::fs::write(
        env.path().join("books/broken.epub"),
        b"PK\x03\x04 not really a zip",
    )
    .expect("the EPUB");
    let huge = std::fs::File::create(env.path().join("books/huge.pdf")).expect("a file");
    huge.set_len(300 * 1024 * 1024).expect("a sparse file");
    let output = env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--source",
        "teiwes=books/locked.pdf",
        "--source",
        "dikotter=books/broken.epub",
        "--source",
        "folios=books/huge.pdf",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    let unreadable: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "source-unreadable")
        .map(|f| {
            (
                f["key"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let reason = |key: &str| {
        unreadable
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, m)| m.to_lowercase())
            .unwrap_or_else(|| panic!("no source-unreadable for {key}: {unreadable:?}"))
    };
    assert!(reason("teiwes").contains("encrypt"), "{unreadable:?}");
    assert!(reason("dikotter").contains("epub"), "{unreadable:?}");
    assert!(reason("folios").contains("300 mb"), "{unreadable:?}");
    assert_eq!(
        unreadable.len(),
        4,
        "the three and the scan, once each: {unreadable:?}"
    );
    // Their quotations are not checked; the others still are.
    let found = findings(&stdout(&output));
    assert!(
        !found.iter().any(|f| f.starts_with("quotation-altered")),
        "{found:?}"
    );
    assert!(
        found.contains(&"quotation-not-found 14".to_string()),
        "{found:?}"
    );
}

/// `ibid review` shows each quotation beside its source's passage, the
/// differences marked, so that a supervisor sees the evidence.
#[test]
fn the_review_shows_each_quotation_beside_its_source() {
    let env = project();
    let output = env.ibid(&["review", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = std::fs::read_to_string(env.path().join("review.html")).expect("review.html");
    assert!(
        html.contains("Quotations checked against their sources"),
        "{html}"
    );
    // Twenty quotations: seventeen looked up (not the missing source's, not
    // the scan's, not the one citing a page the book does not have).
    assert!(
        html.contains("17 quotations looked up in the cited works' files: 8 found as cited, 5 on another page, 1 altered, 2 not found, 1 not compared"),
        "{html}"
    );
    // The altered word, struck through beside the source's.
    assert!(
        html.contains("<del>exaggerated</del> <ins>inflated</ins>"),
        "{html}"
    );
    // A quotation found as cited, with the passage as printed.
    assert!(
        html.contains(
            "The communes were ordered to report the grain that the state would then procure"
        ),
        "{html}"
    );
}

/// A paraphrase whose page says nothing of it is said only when the rule is
/// selected (a hint, not a verdict); one whose page shares its terms is not.
#[test]
fn a_paraphrase_is_compared_with_its_page_when_asked() {
    let env = project();
    let by_default = env.ibid(&["audit", "main.typ", "--format", "json"]);
    assert!(!stdout(&by_default).contains("paraphrase-not-on-page"));
    let output = env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--select",
        "paraphrase-not-on-page",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let found: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["footnote"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(found, ["paraphrase-not-on-page 21"], "{}", stdout(&output));
}
