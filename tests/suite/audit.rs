//! `ibid audit`: a fixture per rule with snapshots of the human and JSON
//! reports, the manuscript's hand-typed footnotes, the real thesis.

use std::path::Path;
use std::sync::Arc;

use super::env::{TestEnv, fixture, ibid_in, stderr, stdout};

/// Runs `ibid audit` on a copy of a fixture, in the given format.
fn audit(name: &str, format: &str) -> (Option<i32>, String) {
    let env = TestEnv::with_fixture(name);
    let output = env.ibid(&["audit", "main.typ", "--format", format]);
    assert!(
        stderr(&output).is_empty() || output.status.code() == Some(2),
        "{}",
        stderr(&output)
    );
    (output.status.code(), stdout(&output))
}

macro_rules! rule_fixture {
    ($test:ident, $fixture:literal, $code:expr) => {
        #[test]
        fn $test() {
            let (code, human) = audit($fixture, "human");
            assert_eq!(code, Some($code), "{human}");
            let (_, json) = audit($fixture, "json");
            serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
            insta::with_settings!({ snapshot_path => "../snapshots", snapshot_suffix => "human" }, {
                insta::assert_snapshot!(human);
            });
            insta::with_settings!({ snapshot_path => "../snapshots", snapshot_suffix => "json" }, {
                insta::assert_snapshot!(json);
            });
        }
    };
}

rule_fixture!(unknown_key_with_other_findings, "audit-unknown-key", 1);
rule_fixture!(unused_entry, "audit-unused-entry", 0);
rule_fixture!(missing_source, "audit-missing-source", 1);
rule_fixture!(
    hand_typed_citation_and_unknown_source,
    "audit-hand-typed",
    0
);
rule_fixture!(ambiguous_ibid, "audit-ambiguous-ibid", 1);
rule_fixture!(entry_incomplete, "audit-entry-incomplete", 0);
rule_fixture!(duplicate_entry, "audit-duplicate-entry", 0);
rule_fixture!(biblatex_entries, "audit-biblatex", 0);
rule_fixture!(malformed_locator, "audit-malformed-locator", 0);
rule_fixture!(reversed_range, "audit-reversed-range", 1);
rule_fixture!(locator_plural, "audit-locator-plural", 0);
rule_fixture!(page_out_of_range, "audit-page-out-of-range", 1);
rule_fixture!(mixed_locator_style, "audit-mixed-locator-style", 0);
rule_fixture!(implausible_range, "audit-implausible-range", 0);
rule_fixture!(quotation_pages_differ, "audit-quotation-pages-differ", 0);
rule_fixture!(
    issue11_an_entry_in_two_bibliographies_is_unused_in_the_one_typst_does_not_give_citations_to,
    "audit-two-bibliographies",
    0
);
rule_fixture!(
    issue11_a_glossary_read_with_yaml_beside_the_bib_is_not_a_bibliography,
    "audit-glossary",
    0
);
rule_fixture!(
    issue11_a_chicago_notes_essay_with_a_zotero_bib_audits,
    "audit-chicago-notes",
    0
);
rule_fixture!(
    issue11_links_to_local_files_are_reported_and_data_file_urls_located_where_written,
    "audit-local-file-link",
    0
);
rule_fixture!(
    footnote_in_footnote_and_in_heading,
    "audit-footnote-placement",
    0
);

#[test]
fn issue10_a_citation_inside_a_footnote_belongs_to_the_note_the_reader_sees_it_in() {
    let env = TestEnv::with_fixture("audit-footnote-placement");
    let output = env.ibid(&["snapshot", "main.typ", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let notes = doc["footnotes"].as_array().unwrap();
    let kinds: Vec<(&str, &str, &str)> = notes
        .iter()
        .map(|n| {
            (
                n["number"].as_str().unwrap(),
                n["kind"].as_str().unwrap(),
                n["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds[2], ("3", "explanatory", "4"), "{kinds:?}");
    assert_eq!(kinds[3].1, "citing", "{kinds:?}");
    assert_eq!(
        doc["headings"][0]["title"], "Intro",
        "the note's text is not the title's"
    );
}

#[test]
fn unknown_keys_are_all_reported_in_one_run_with_the_other_rules() {
    let (code, json) = audit("audit-unknown-key", "json");
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules.iter().filter(|r| **r == "unknown-key").count(),
        2,
        "{rules:?}"
    );
    assert!(
        rules.contains(&"unused-entry"),
        "the other rules ran: {rules:?}"
    );
    assert!(json.contains("did you mean `yang2007`?"), "{json}");
}

#[test]
fn the_bibliography_files_are_never_modified() {
    let env = TestEnv::with_fixture("audit-unknown-key");
    let before = std::fs::read(env.path().join("refs.yaml")).unwrap();
    let output = env.ibid(&["audit", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(env.path().join("refs.yaml")).unwrap(), before);
}

#[test]
fn issue11_a_failed_compile_beside_a_glossary_reports_the_compile_error_not_a_malformed_bibliography()
 {
    let env = TestEnv::with_fixture("audit-glossary");
    for format in ["json", "sarif"] {
        let output = env.ibid(&["audit", "broken.typ", "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let report: serde_json::Value =
            serde_json::from_str(&stdout(&output)).expect("a valid report");
        let rules: Vec<String> = if format == "json" {
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].to_string())
                .collect()
        } else {
            report["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["ruleId"].to_string())
                .collect()
        };
        assert_eq!(rules, ["\"compile-error\""], "{format}: {report}");
        assert!(
            stdout(&output).contains("unknown variable: undefined-function"),
            "{}",
            stdout(&output)
        );
        assert!(!stderr(&output).contains("glossary"), "{}", stderr(&output));
    }
}

#[test]
fn a_malformed_yaml_bibliography_is_a_located_compile_error_in_every_format() {
    let env = TestEnv::with_fixture("audit-malformed-yaml");
    let output = env.ibid(&["audit", "main.typ"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the document does not compile"
    );
    let err = stderr(&output);
    assert!(
        err.starts_with("error: failed to parse YAML (yang2007.date: invalid type: sequence"),
        "{err}"
    );
    assert!(
        err.contains("┌─ refs.yaml:5:8"),
        "located in the file, as Typst does: {err}"
    );
    assert_eq!(stdout(&output), "audit: 1 error, 0 warnings, 0 infos\n");

    let json = env.ibid(&["audit", "main.typ", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "compile-error");
    assert_eq!(
        (&finding["file"], &finding["line"], &finding["column"]),
        (&"refs.yaml".into(), &5.into(), &9.into())
    );

    let sarif = env.ibid(&["audit", "main.typ", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&sarif)).expect("valid SARIF");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "compile-error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
}

#[test]
fn sarif_is_2_1_0_with_rule_codes() {
    let (_, sarif) = audit("audit-ambiguous-ibid", "sarif");
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "ibid");
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for result in run["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        assert!(rule_ids.contains(&id), "{id} is described");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(sarif);
    });
}

#[test]
fn every_rule_is_explained() {
    use ibid::audit::Rule;
    let mut summaries = std::collections::HashSet::new();
    for &rule in Rule::ALL {
        let doc = rule.doc();
        for (part, text) in [
            ("summary", doc.summary),
            ("what", doc.what),
            ("why", doc.why),
            ("example", doc.example),
        ] {
            assert!(text.trim().len() > 10, "{rule}: the {part} says nothing");
        }
        assert!(
            summaries.insert(doc.summary),
            "{rule} shares its summary with another rule"
        );
        let output = TestEnv::new().ibid(&["audit", "--explain", rule.code()]);
        assert!(output.status.success(), "{rule}");
        let text = stdout(&output);
        assert!(
            text.starts_with(&format!("{} ({})", rule.code(), rule.severity().as_str())),
            "{text}"
        );
        for part in [doc.summary, doc.what, doc.why] {
            assert!(text.contains(part), "{rule}: `{part}` is not printed");
        }
    }
    let output = TestEnv::new().ibid(&["audit", "--explain", "no-such-rule"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown-key"),
        "the rules are listed"
    );
}

#[test]
fn build_prints_the_audit_and_still_succeeds() {
    let env = TestEnv::with_fixture("audit-missing-source");
    let output = env.ibid(&["build", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("error[missing-source]: footnote 1 has no source"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "wrote main.pdf (1 page) · audit: 2 errors, 0 warnings, 0 infos — ibid audit for details\n"
        ),
        "{err}"
    );

    let quiet = env.ibid(&["build", "main.typ", "--no-audit"]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "wrote main.pdf (1 page)\n");
}

/// The repository root, where the thesis and the manuscript fixture live.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_thesis_audit() {
    let output = ibid_in(repo(), &["audit", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let missing: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing-source")
        .map(|f| f["footnote"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        ["57", "58", "59", "60", "61", "62", "63", "64", "65"]
    );
    let human = stdout(&ibid_in(repo(), &["audit", "--diagnostic-format", "short"]));
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(human);
    });
}

/// What the matcher concludes for each of the manuscript's hand-typed
/// footnotes 1-56, as `N key[locator] ...`.
fn manuscript_conclusions() -> Vec<String> {
    use ibid::audit::matcher::{SourceIndex, in_document};
    use ibid::bibliography::Bibliography;
    use ibid::typeset::tolerant;
    use ibid::world::{IbidWorld, WorldConfig};

    let config = WorldConfig {
        root: repo().to_path_buf(),
        input: fixture("audit-manuscript").join("main.typ"),
        ..Default::default()
    };
    let fonts = ibid::fonts::discover(&ibid::fonts::FontConfig {
        ignore_system_fonts: true,
        ..Default::default()
    });
    let mut world = IbidWorld::new(&config, Arc::new(fonts)).unwrap();
    let compiled = tolerant::compile(&mut world, false).compiled;
    assert!(compiled.errors.is_empty(), "{:?}", compiled.errors);
    let doc = compiled.document.unwrap();
    let model = ibid::typeset::extract(&world, &doc).unwrap();
    let bibliography =
        Bibliography::load(&|p| world.read_text(p), &tolerant::bibliography_files(&doc)).unwrap();
    in_document(&model, &SourceIndex::new(&bibliography))
        .into_iter()
        .filter(|reading| {
            model.footnotes[reading.footnote].kind != ibid::document::FootnoteKind::MissingSource
        })
        .map(|reading| {
            let note = &model.footnotes[reading.footnote];
            let cites: Vec<String> = reading
                .found
                .iter()
                .map(|h| {
                    let key = h.key.as_deref().unwrap_or("?");
                    h.locator
                        .as_ref()
                        .map_or(key.to_string(), |l| format!("{key}[{l}]"))
                })
                .collect();
            format!("{} {}", note.number, cites.join(" "))
        })
        .collect()
}

#[test]
fn every_manuscript_footnote_is_matched_to_the_right_entry_and_locator() {
    let conclusions = manuscript_conclusions();
    let table = std::fs::read_to_string(fixture("transcription.txt")).unwrap();
    let expected: Vec<String> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|l| {
            l.split(' ').nth(1) == Some("citing") || l.split(' ').nth(1) == Some("explanatory")
        })
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let number = parts.next().unwrap();
            let kind = parts.next().unwrap();
            let cites = if kind == "citing" {
                parts.next().unwrap_or("")
            } else {
                ""
            };
            format!("{number} {cites}")
        })
        .collect();
    assert_eq!(conclusions.len(), 56);
    let wrong: Vec<String> = conclusions
        .iter()
        .zip(&expected)
        .filter(|(got, want)| got.trim() != want.trim())
        .map(|(got, want)| format!("got  {got}\nwant {want}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of 56 footnotes mismatched:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(conclusions.join("\n"));
    });
}

#[test]
fn the_manuscript_audit_report() {
    let output = ibid_in(
        repo(),
        &[
            "audit",
            "tests/fixtures/audit-manuscript/main.typ",
            "--diagnostic-format",
            "short",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "the Ibidem after two-source notes are errors"
    );
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(stdout(&output));
    });
}

#[test]
fn a_quotation_moved_to_another_page_is_caught_in_a_copy_of_the_thesis() {
    let env = TestEnv::new();
    for dir in ["thesis", "bibliography"] {
        copy_tree(&repo().join(dir), &env.path().join(dir));
    }
    let chapter = env.path().join("thesis/chapters/chapter3.typ");
    let text = std::fs::read_to_string(&chapter).unwrap();
    assert_eq!(text.matches("@yang2007[pag. 387]").count(), 1);
    std::fs::write(
        &chapter,
        text.replace("@yang2007[pag. 387]", "@yang2007[pag. 388]"),
    )
    .unwrap();
    let output = env.ibid(&["audit", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "quotation-pages-differ")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["footnote"], "48");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("`pag. 387` in footnote 1"),
        "{found:?}"
    );
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How the parser reads every locator of the thesis, as a table.
#[test]
fn every_thesis_locator_parsed() {
    let output = ibid_in(repo(), &["snapshot", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let mut rows = vec![
        "| locator | label | kind | plural label | names | pages |".to_string(),
        "| --- | --- | --- | --- | --- | --- |".to_string(),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for cite in doc["citations"].as_array().unwrap() {
        let Some(text) = cite["locator"].as_str() else {
            continue;
        };
        if !seen.insert(text.to_string()) {
            continue;
        }
        let locator = ibid::locator::parse(text).unwrap();
        let part = &locator.parts[0];
        let pages: Vec<String> = locator
            .page_ranges()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect();
        rows.push(format!(
            "| `{text}` | `{}` | {:?} | {} | {} | {} |",
            part.label.as_deref().unwrap_or(""),
            part.kind,
            part.plural_label,
            if part.is_plural() {
                "several pages"
            } else {
                "one page"
            },
            pages.join(", ")
        ));
    }
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(rows.join("\n"));
    });
}
rule_fixture!(unsourced_quotation, "audit-unsourced-quotation", 0);
