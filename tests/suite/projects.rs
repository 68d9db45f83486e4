//! Real projects in miniature: a technical thesis (listings, inline code,
//! a data file shown as code), a German law paper (locators after the key,
//! cases and statutes, a BibLaTeX file with `accessed`) and a Chicago-notes
//! essay on a shared library (`full: true`, `p.~`, a template's wrapper).
//! Each whole report is snapshotted; the tests name what must and must not
//! be reported, so that a false alarm fails here before a user sees it.

use super::env::{TestEnv, stdout};

/// The human report of `ibid audit` on a copy of the project, offline.
fn report(project: &str, verbose: bool) -> String {
    let env = TestEnv::with_fixture(project);
    let mut args = vec!["audit", "main.typ", "--offline", "--format", "human"];
    if verbose {
        args.push("--verbose");
    }
    let output = env.ibid(&args);
    assert_ne!(output.status.code(), Some(2), "{}", stdout(&output));
    stdout(&output)
}

fn count(report: &str, rule: &str) -> usize {
    report.matches(&format!("[{rule}]:")).count()
}

#[test]
fn a_technical_thesis_has_no_quotation_in_its_code() {
    let report = report("project-technical", false);
    // Code in raw blocks, inline raw and a JSON file read into `raw` is
    // never prose; the quotation attributed in prose is an info of its own.
    assert_eq!(count(&report, "unsourced-quotation"), 1, "{report}");
    assert!(
        report.contains("attributed in the text but not cited"),
        "{report}"
    );
    // The tool's homepage is a link, not an unknown work.
    assert_eq!(count(&report, "unknown-source"), 0, "{report}");
    assert!(report.contains("1 point to a site"), "{report}");
    // A page and the video shown on it share a URL, not a work.
    assert_eq!(count(&report, "duplicate-entry"), 0, "{report}");
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(report);
    });
}

#[test]
fn a_law_paper_s_locators_after_the_key_are_read_and_its_authorities_are_legal() {
    let report = report("project-law", true);
    // `@key, § 823 Rn 12.`, `@key, S. 45`, `@key (S. 112)`, `@key S.~47`,
    // `@key, Rn. 30.`: each told to move into the citation.
    assert_eq!(count(&report, "locator-outside-citation"), 5, "{report}");
    assert!(
        report.contains("write `@grueneberg2024[§ 823 Rn 12]`"),
        "{report}"
    );
    // The fix keeps the author's `~`.
    assert!(report.contains("write `@wagner2020[S.~47]`"), "{report}");
    // Cases and statutes are legal authorities, not unknown works.
    assert_eq!(count(&report, "unknown-source"), 0, "{report}");
    assert!(report.contains("2 cite legal authorities"), "{report}");
    // BibLaTeX's names in the hints; `accessed` is not silently ignored.
    assert!(report.contains("has no access date (urldate)"), "{report}");
    assert!(!report.contains("url.date"), "{report}");
    assert!(
        report.contains("writes `accessed`, which BibLaTeX does not read"),
        "{report}"
    );
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(report);
    });
}

#[test]
fn an_essay_on_a_shared_library_is_summarised_and_follows_its_style() {
    let report = report("project-essay", false);
    // `full: true`: the uncited entries are listed on purpose.
    assert_eq!(count(&report, "unused-entry"), 0, "{report}");
    // Six web entries with no access date: one finding in the details, the
    // others listed, and the summary by rule first.
    assert!(report.starts_with("by rule:"), "{report}");
    assert_eq!(count(&report, "entry-incomplete"), 1, "{report}");
    assert!(
        report.contains("= and 5 more like it: county-records"),
        "{report}"
    );
    // Chicago notes print no `p.`; the citation made by the template's
    // wrapper is reported where the author called it.
    let verbose = self::report("project-essay", true);
    assert_eq!(count(&verbose, "locator-label-style"), 5, "{verbose}");
    assert!(!verbose.contains("template.typ"), "{verbose}");
    assert!(verbose.contains("main.typ:12:"), "{verbose}");
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(report);
    });
}

#[test]
fn fixes_keep_the_document_s_spacing_and_follow_the_style() {
    let env = TestEnv::with_fixture("project-essay");
    let output = env.ibid(&["fix", "main.typ", "--offline"]);
    assert_ne!(output.status.code(), Some(2), "{}", stdout(&output));
    let fixed = std::fs::read_to_string(env.path().join("main.typ")).expect("main.typ");
    // Chicago notes: the labels go, the `~`-less site is not given a
    // breakable space, and the wrapper's supplement is the author's.
    assert!(fixed.contains("@dikotter2010[45]"), "{fixed}");
    assert!(fixed.contains("@dikotter2010[167]"), "{fixed}");
    assert!(fixed.contains("#see(\"dikotter2010\", [210])"), "{fixed}");
    assert!(!fixed.contains("p. "), "{fixed}");
}
