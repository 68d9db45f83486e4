//! Manuscripts that are not Typst: the front ends on their fixtures
//! (`docx`, `docx_thesis`, `pdf`), and `ibid audit` / `ibid snapshot` of the
//! thesis as a Word document and as a PDF, which must find what the Typst
//! thesis's audit finds on the same notes.

mod docx;
mod docx_thesis;
mod pdf;

use super::env::{TestEnv, stderr, stdout};

/// `rule footnote` of each finding of the JSON report, and the exit code.
fn audit(manuscript: &str) -> (Vec<String>, Option<i32>) {
    let env = TestEnv::with_fixture("manuscripts");
    std::fs::create_dir_all(env.path().join("bibliography")).expect("a folder");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bibliography/thesis.yaml"),
        env.path().join("bibliography/thesis.yaml"),
    )
    .expect("the thesis bibliography");
    let output = env.ibid(&[
        "audit",
        manuscript,
        "--bibliography",
        "bibliography/thesis.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|err| panic!("{err}: {}", stderr(&output)));
    let findings = report["findings"]
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
    (findings, output.status.code())
}

fn count(findings: &[String], rule: &str) -> usize {
    findings
        .iter()
        .filter(|f| f.starts_with(&format!("{rule} ")))
        .count()
}

/// What the Typst thesis's audit finds on the same notes: the nine markers
/// with no note (57–65), `pp.` for one page in note 45, `pag.` beside
/// `p./pp.`, and "Ibidem." after the notes citing two sources.
fn finds_what_the_typst_thesis_finds(manuscript: &str) {
    let (findings, code) = audit(manuscript);
    assert_eq!(code, Some(1), "{findings:#?}");
    for note in 57..=65 {
        assert!(
            findings.contains(&format!("missing-source {note}")),
            "{note}: {findings:#?}"
        );
    }
    assert_eq!(count(&findings, "missing-source"), 9, "{findings:#?}");
    for note in ["17", "18", "23", "24"] {
        assert!(
            findings.contains(&format!("ambiguous-ibid {note}")),
            "{note}: {findings:#?}"
        );
    }
    assert_eq!(count(&findings, "ambiguous-ibid"), 4, "{findings:#?}");
    assert!(
        findings.contains(&"locator-plural 45".to_string()),
        "{findings:#?}"
    );
    assert_eq!(count(&findings, "mixed-locator-style"), 1, "{findings:#?}");
    // Hand-typed citations are the manuscript's normal case: not reported,
    // and a work cited by hand is a use of its entry.
    assert_eq!(count(&findings, "hand-typed-citation"), 0, "{findings:#?}");
    assert_eq!(count(&findings, "unused-entry"), 0, "{findings:#?}");
}

#[test]
fn the_thesis_as_a_word_document_is_audited_as_its_typst_source_is() {
    finds_what_the_typst_thesis_finds("docx/thesis-footnotes.docx");
}

#[test]
fn the_thesis_as_a_pdf_is_audited_as_its_typst_source_is() {
    finds_what_the_typst_thesis_finds("pdf/thesis.pdf");
}

#[test]
fn zotero_citations_are_citations_of_the_works_they_carry() {
    let (findings, _) = audit("docx/thesis-zotero.docx");
    assert_eq!(count(&findings, "missing-source"), 9, "{findings:#?}");
    assert_eq!(count(&findings, "unknown-key"), 0, "{findings:#?}");
    assert_eq!(count(&findings, "hand-typed-citation"), 0, "{findings:#?}");
}

#[test]
fn the_snapshot_shows_what_was_read_from_a_manuscript() {
    let env = TestEnv::with_fixture("manuscripts");
    let output = env.ibid(&["snapshot", "docx/footnotes.docx"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    // Each note with its number as printed, its place (paragraph:column)
    // and its outcome; a note of two paragraphs stays under its number; a
    // custom mark (`*`) takes no number.
    assert!(text.starts_with("pages: 1\n"), "{text}");
    assert!(text.contains("footnotes: 4\n"), "{text}");
    assert!(
        text.contains("  [1] p. 1 cites-unknown at footnotes.docx:1:13\n      Ibid., p. 3.\n"),
        "{text}"
    );
    assert!(
        text.contains("      See Mubei, p. 387.\n      A second paragraph.\n"),
        "{text}"
    );
    assert!(
        text.contains("  [*] p. 1 no-citation at footnotes.docx:2:8\n"),
        "{text}"
    );
    assert!(
        text.contains("  [3] p. 1 no-citation at footnotes.docx:2:19\n"),
        "{text}"
    );
}

#[test]
fn unreadable_manuscripts_are_clear_errors() {
    let env = TestEnv::with_fixture("manuscripts");
    for (file, says) in [
        ("docx/encrypted.docx", "encrypted"),
        ("docx/legacy.doc.docx", ".doc"),
        ("docx/not-a-zip.docx", "not a .docx"),
        ("docx/bomb.docx", "limit"),
        ("docx/doctype.docx", "DOCTYPE"),
        ("pdf/encrypted.pdf", "encrypted"),
        ("pdf/image_only.pdf", "text"),
        ("pdf/truncated.pdf", ""),
    ] {
        let output = env.ibid(&["audit", file]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(says), "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
    }
}

/// A Word thesis with no bibliography and no reference manager (the
/// thesis as it came to us): its works are read from the first full
/// citation of each in the notes, short forms and back-references resolve to
/// them, and `--write-bibliography` keeps them.
#[test]
fn a_manuscript_without_a_bibliography_is_audited_against_the_works_its_notes_cite() {
    let env = TestEnv::with_fixture("manuscripts");
    let output = env.ibid(&[
        "audit",
        "docx/thesis-footnotes.docx",
        "--format",
        "json",
        "--write-bibliography",
        "works.yaml",
    ]);
    let err = stderr(&output);
    assert!(err.contains("wrote works.yaml"), "{err}");
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let unknown: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unknown-source")
        .filter_map(|f| f["footnote"].as_str())
        .collect();
    // Only the note whose work is never cited in full (`XIE 谢, “Dayuejin…”`).
    assert_eq!(unknown, ["27"], "{}", stdout(&output));
    let written = std::fs::read_to_string(env.path().join("works.yaml")).expect("works.yaml");
    for key in ["yang2007:", "macfarquhar1983:", "samarani2004:", "xie1990:"] {
        assert!(written.contains(key), "{key} in\n{written}");
    }
    // The Ibid. after a note citing two works is still ambiguous.
    let ambiguous = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "ambiguous-ibid")
        .count();
    assert_eq!(ambiguous, 4);
    // The file kept is a bibliography: audited against it, the same.
    let again = env.ibid(&[
        "audit",
        "docx/thesis-footnotes.docx",
        "--format",
        "json",
        "--bibliography",
        "works.yaml",
    ]);
    let again: serde_json::Value = serde_json::from_str(&stdout(&again)).expect("JSON");
    let unknown_again = again["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "unknown-source")
        .count();
    assert_eq!(unknown_again, 1);
    // Never written over a file the run reads.
    let refused = env.ibid(&[
        "audit",
        "docx/thesis-footnotes.docx",
        "--write-bibliography",
        "docx/thesis-footnotes.docx",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}

/// A Word manuscript whose reference list is its bibliography: each item
/// read into an entry (Chicago books with an italic title and their
/// publisher, an article with a quoted title and its periodical: complete
/// entries), the notes matched against them, the uncited item and the work
/// no item lists reported.
#[test]
fn a_manuscript_s_reference_list_is_its_bibliography() {
    let env = TestEnv::with_fixture("manuscripts");
    let output = env.ibid(&["audit", "docx/reference-list.docx", "--format", "json"]);
    let err = stderr(&output);
    assert!(
        err.contains("3 works read from its reference list"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let mut found: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["footnote"].as_str().or(f["key"].as_str()).unwrap_or("-")
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        ["unknown-source 3", "unused-entry bernstein1984"],
        "{}",
        stdout(&output)
    );
}

/// `ibid review` of a manuscript: the HTML report beside it; for a PDF,
/// each note links to its page in the PDF itself; for a Word file, no PDF
/// link at all.
#[test]
fn a_manuscript_is_reviewed_in_html() {
    let env = TestEnv::with_fixture("manuscripts");
    std::fs::create_dir_all(env.path().join("bibliography")).expect("a folder");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bibliography/thesis.yaml"),
        env.path().join("bibliography/thesis.yaml"),
    )
    .expect("the thesis bibliography");
    let pdf = env.ibid(&[
        "review",
        "pdf/thesis.pdf",
        "--bibliography",
        "bibliography/thesis.yaml",
    ]);
    assert_eq!(pdf.status.code(), Some(0), "{}", stderr(&pdf));
    let html = std::fs::read_to_string(env.path().join("pdf/review.html")).expect("review.html");
    assert!(
        html.contains("href=\"thesis.pdf#page="),
        "the notes link to the PDF's pages"
    );
    assert!(html.contains("missing-source"), "the findings are there");
    let docx = env.ibid(&["review", "docx/reference-list.docx"]);
    assert_eq!(docx.status.code(), Some(0), "{}", stderr(&docx));
    let html = std::fs::read_to_string(env.path().join("docx/review.html")).expect("review.html");
    assert!(!html.contains("#page="), "no PDF to link to");
    assert!(html.contains("unknown-source"), "{html}");
}
