//! `ibid fix`: the manuscript typed by hand turned into citations, a fixture
//! per kind of fix (`--diff` pinned by insta), idempotence, and what is
//! never written.

use std::path::Path;

use super::env::{TestEnv, fixture, stderr, stdout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `ibid fix --diff` (and extra arguments) on a copy of a fixture.
fn diff(name: &str, extra: &[&str]) -> (String, String) {
    let env = TestEnv::with_fixture(name);
    let before = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    let mut args = vec!["fix", "main.typ", "--diff"];
    args.extend(extra);
    let output = env.ibid(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let after = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    assert_eq!(before, after, "--diff changes nothing");
    (stdout(&output), stderr(&output))
}

fn pinned(name: &str, value: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn hand_typed_references_in_an_author_date_document_become_citations_in_their_notes() {
    let (diff, report) = diff("fix-author-date", &[]);
    pinned("fix_author_date_diff", &diff);
    assert!(report.contains("would fix 4 findings"), "{report}");
    // The words around a reference stay: "See also", "cf.".
    assert!(
        diff.contains("#footnote[See also @teiwes1999[40].]"),
        "{diff}"
    );
    assert!(diff.contains("; cf. @dikotter2010[333].]"), "{diff}");
}

#[test]
fn a_note_that_is_only_a_reference_becomes_the_citation_under_a_note_style() {
    let (diff, report) = diff("fix-note-style", &[]);
    pinned("fix_note_style_diff", &diff);
    // Never a note inside a note.
    assert!(
        !diff.contains("+The Leap began in 1958.#footnote[@"),
        "{diff}"
    );
    assert!(
        diff.contains("+Its toll was counted later.@teiwes1999[41]"),
        "Ibid. resolved: {diff}"
    );
    assert!(
        diff.contains("+Two works at once.@yang2012[124] @dikotter2010[333]"),
        "{diff}"
    );
    assert!(
        report.contains("footnote 4: hand-typed-citation: left to the author"),
        "the note that says more is reported: {report}"
    );
}

#[test]
fn locator_labels_agree_with_their_number_and_with_the_document() {
    let (diff, _) = diff("fix-locators", &[]);
    pinned("fix_locators_diff", &diff);
    assert!(diff.contains("@teiwes1999[p. 124]"), "{diff}");
    assert!(
        diff.contains("@yang2012[pp. 5--7]"),
        "dashes as written: {diff}"
    );
    assert!(diff.contains("@dikotter2010[p. 14]"), "{diff}");
}

#[test]
fn unsafe_fixes_wait_for_unsafe() {
    let env = TestEnv::with_fixture("fix-unsafe");
    let output = env.ibid(&["fix", "main.typ", "--diff"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("2 more fixes available with `--unsafe`"));

    let (diff, _) = self::diff("fix-unsafe", &["--unsafe"]);
    pinned("fix_unsafe_diff", &diff);
    assert!(diff.contains("+The Leap began in 1958.#footnote[@teiwes1999[p. 40] on its start.]"));
    assert!(diff.contains("+becker1996:"), "an entry appended: {diff}");
    assert!(
        diff.contains("+Its toll.#footnote[@becker1996[p. 81].]"),
        "{diff}"
    );
}

#[test]
fn unsafe_fixes_applied_leave_nothing_to_fix_and_a_clean_audit() {
    let env = TestEnv::with_fixture("fix-unsafe");
    let output = env.ibid(&["fix", "main.typ", "--unsafe"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let audit = env.ibid(&["audit", "main.typ", "--format", "json", "--offline"]);
    let report: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for fixed in ["unknown-key", "unknown-source", "hand-typed-citation"] {
        assert!(!rules.contains(&fixed), "{fixed} left: {rules:?}");
    }
    let again = env.ibid(&["fix", "main.typ", "--unsafe", "--diff"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), "");
}

#[test]
fn a_fix_is_idempotent() {
    let env = TestEnv::with_fixture("fix-author-date");
    let original = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    let first = env.ibid(&["fix", "main.typ"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let fixed = std::fs::read_to_string(env.path().join("main.typ")).unwrap();
    // The first run changed something (else "idempotent" says nothing).
    assert_ne!(fixed, original, "the first fix changed nothing");
    assert!(fixed.contains('@'), "{fixed}");
    let second = env.ibid(&["fix", "main.typ"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).starts_with("nothing to fix"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("main.typ")).unwrap(),
        fixed
    );
}

#[test]
fn a_document_that_does_not_compile_is_not_touched() {
    let env = TestEnv::new();
    let source = "#footnote[Yang, p. 5.] #let\n";
    env.write("main.typ", source);
    let output = env.ibid(&["fix", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("does not compile"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("main.typ")).unwrap(),
        source
    );
}

/// The copy of the manuscript typed by hand (tests/fixtures/audit-manuscript,
/// notes 1-56) and the thesis's bibliography, in a project of its own.
fn manuscript_project() -> TestEnv {
    let env = TestEnv::new();
    for file in ["thesis.yaml", "italian-notes.csl"] {
        let text = std::fs::read(repo().join("bibliography").join(file)).unwrap();
        env.write(&format!("bibliography/{file}"), text);
    }
    let main = std::fs::read(fixture("audit-manuscript").join("main.typ")).unwrap();
    env.write("ms/main.typ", main);
    env
}

/// Each footnote's citations in a snapshot: `[(key, locator pages)]`.
fn cited(env: &TestEnv, input: &str) -> Vec<Vec<(String, String)>> {
    let fonts = repo().join("fonts");
    let output = env.ibid(&[
        "snapshot",
        input,
        "--root",
        ".",
        "--format",
        "json",
        "--font-path",
        fonts.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let citations = model["citations"].as_array().unwrap();
    model["footnotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|note| {
            note["citations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let cite = &citations[i.as_u64().unwrap() as usize];
                    let locator = cite["locator"].as_str().unwrap_or("");
                    (cite["key"].as_str().unwrap().to_string(), pages(locator))
                })
                .collect()
        })
        .collect()
}

/// The numbers of a locator, labels aside (`pag. 326-328` and
/// `pp. 326–328` are both `326-328`).
fn pages(locator: &str) -> String {
    locator
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | ';' | ','))
        .map(|c| if c == '–' { '-' } else { c })
        .collect()
}

/// The transcription table's citations of footnotes 1-56.
fn transcribed() -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(fixture("transcription.txt")).unwrap();
    let cite = regex::Regex::new(r"([a-z0-9-]+)(?:\[([^\]]*)\])?").unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .take(56)
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let _number = parts.next();
            match parts.next() {
                Some("citing") => cite
                    .captures_iter(parts.next().unwrap_or(""))
                    .map(|c| (c[1].to_string(), pages(c.get(2).map_or("", |m| m.as_str()))))
                    .collect(),
                _ => Vec::new(),
            }
        })
        .collect()
}

#[test]
fn the_manuscript_typed_by_hand_is_fixed_to_cite_what_the_transcription_says() {
    let env = manuscript_project();
    let fonts = repo().join("fonts");
    let fonts = fonts.to_str().unwrap();
    let output = env.ibid(&["fix", "ms/main.typ", "--root", ".", "--font-path", fonts]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stderr(&output);

    // Notes 4 and 13 say more than their citation (a description of the
    // book; a paragraph of body text the PDF extraction put there): under
    // the manuscript's note style they are left to the author, and said so.
    let left: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("left to the author"))
        .collect();
    assert_eq!(left.len(), 2, "{report}");
    assert!(
        left[0].contains("footnote 4:") && left[1].contains("footnote 13:"),
        "{report}"
    );

    let fixed = cited(&env, "ms/main.typ");
    let expected = transcribed();
    assert_eq!(fixed.len(), 56, "still 56 footnotes");
    let mut structured = 0;
    for (n, (found, want)) in fixed.iter().zip(&expected).enumerate() {
        let number = n + 1;
        if number == 4 || number == 13 {
            assert!(
                found.is_empty(),
                "footnote {number} left as typed: {found:?}"
            );
            continue;
        }
        assert_eq!(found, want, "footnote {number}");
        structured += usize::from(!found.is_empty());
    }
    assert_eq!(
        structured, 49,
        "every other citing note cites from the bibliography"
    );

    // A second run changes nothing.
    let main = std::fs::read_to_string(env.path().join("ms/main.typ")).unwrap();
    let again = env.ibid(&[
        "fix",
        "ms/main.typ",
        "--root",
        ".",
        "--font-path",
        fonts,
        "--diff",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), "");
    assert_eq!(
        std::fs::read_to_string(env.path().join("ms/main.typ")).unwrap(),
        main
    );
}
