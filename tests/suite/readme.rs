//! What README.md claims, checked against the tool: the rule table against
//! the rule registry, the locator kinds it lists against the parser, the
//! link-check defaults against the command line's, and its examples (the
//! summary lines, the JSON report, the snapshot) against the binary's output.

use std::collections::BTreeMap;
use std::path::Path;

use ibid::audit::Rule;
use ibid::locator::{self, Kind};
use regex::Regex;

use super::env::{TestEnv, ibid_with, stderr, stdout};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

#[test]
fn the_readme_lists_every_rule_with_its_default_severity_and_no_other() {
    let row = Regex::new(r"(?m)^\| `([a-z-]+)` \| (error|warning|info) \|").unwrap();
    let listed: BTreeMap<String, String> = row
        .captures_iter(&readme())
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    let registry: BTreeMap<String, String> = Rule::ALL
        .iter()
        .map(|rule| {
            let definition = rule.definition();
            (
                definition.code.to_string(),
                definition.severity.as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(listed, registry);
}

#[test]
fn every_locator_label_the_readme_names_is_read_as_the_kind_it_says() {
    let text = readme();
    let start = text
        .find("Locators (a citation's supplement")
        .expect("the paragraph");
    let paragraph = &text[start..start + text[start..].find("\n\n").unwrap()];
    let paragraph = paragraph.replace('\n', " ");
    let group = Regex::new(r"([a-z ]+?) \(((?:`[^`]+`,? ?)+)\)").unwrap();
    let kinds = [
        ("pages", Kind::Page),
        ("sections", Kind::Section),
        ("paragraphs", Kind::Paragraph),
        ("margin numbers", Kind::MarginNumber),
        ("articles", Kind::Article),
        ("notes", Kind::Note),
        ("folios", Kind::Folio),
    ];
    let mut checked = 0;
    for captures in group.captures_iter(&paragraph) {
        let name = captures[1].trim().trim_start_matches("and ");
        let Some(&(_, kind)) = kinds.iter().find(|(k, _)| *k == name) else {
            continue;
        };
        for example in captures[2]
            .split('`')
            .filter(|s| !s.trim_matches([',', ' ']).is_empty())
        {
            // A label alone is tried before a number, and is the only kind;
            // a whole locator (`87n12`: page 87, note 12) holds the kind.
            let whole = example.chars().any(|c| c.is_ascii_digit());
            let locator = if whole {
                example.to_string()
            } else {
                format!("{example} 12")
            };
            let parsed = locator::parse(&locator)
                .unwrap_or_else(|err| panic!("{locator:?} is not read: {err:?}"));
            if whole {
                assert!(
                    parsed.kinds().contains(&kind),
                    "{locator:?}: {:?}",
                    parsed.kinds()
                );
            } else {
                assert_eq!(parsed.kinds(), [kind], "{locator:?}");
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} labels found in the paragraph"
    );
}

#[test]
fn the_link_check_defaults_the_readme_gives_are_the_command_lines() {
    let help = stdout(&TestEnv::new().ibid(&["audit", "--help"]));
    let claim = Regex::new(r"`--([a-z-]+) [A-Z]+` \((\d+)\)").unwrap();
    let text = readme();
    let claims: Vec<_> = claim.captures_iter(&text).collect();
    assert!(claims.len() >= 4, "the README gives the defaults");
    for captures in claims {
        let (option, value) = (&captures[1], &captures[2]);
        let at = help
            .find(&format!("--{option} "))
            .unwrap_or_else(|| panic!("--{option} is an option"));
        let rest = &help[at..];
        let entry = &rest[..rest[2..].find("\n      --").map_or(rest.len(), |i| i + 2)];
        assert!(
            entry.contains(&format!("[default: {value}]")),
            "README says --{option} defaults to {value}; the help says:\n{entry}"
        );
    }
}

/// The README's fenced block that contains `needle`.
fn block_with(needle: &str) -> String {
    let text = readme();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("README shows {needle}"));
    let start = text[..at].rfind("```").unwrap();
    let start = start + text[start..].find('\n').unwrap() + 1;
    let end = at + text[at..].find("```").unwrap();
    text[start..end].to_string()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README's audit summary, JSON report and `ibid build` line are what
/// the thesis gives, with `IBID_OFFLINE=1` written as the README writes it.
#[test]
fn the_readme_examples_of_the_audit_and_the_build_are_the_thesis_s() {
    let text = readme();
    let summary = Regex::new(r"`(audit: [^`]+)` and\s+`(footnotes: [^`]+)` on the thesis").unwrap();
    let caps = summary.captures(&text).expect("the summary example");
    let (summary, outcomes) = (&caps[1], &caps[2]);
    assert!(text.contains("`IBID_OFFLINE=1`"));
    let offline = [("IBID_OFFLINE", "1")];

    let human = ibid_with(repo(), &["audit"], &offline);
    assert_eq!(human.status.code(), Some(1), "{}", stderr(&human));
    let printed = stdout(&human);
    let last: Vec<&str> = printed.lines().rev().take(2).collect();
    assert_eq!(last, [outcomes, summary]);

    let json = ibid_with(repo(), &["audit", "--format", "json"], &offline);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let example: serde_json::Value =
        serde_json::from_str(&block_with(r#""schema": "ibid-audit/1""#)).unwrap();
    assert_eq!(report["schema"], example["schema"]);
    assert_eq!(report["summary"], example["summary"]);
    let shown = &example["findings"][0];
    let actual = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == shown["rule"] && f["footnote"] == shown["footnote"])
        .expect("the finding the README shows");
    for (field, value) in shown.as_object().unwrap() {
        if value != "…" {
            assert_eq!(&actual[field], value, "{field}");
        }
    }
    let note = &example["notes"][0];
    let actual = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["footnote"] == note["footnote"])
        .expect("the note the README shows");
    assert_eq!(actual, note);

    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("main.pdf");
    let build = ibid_with(repo(), &["build", "-o", pdf.to_str().unwrap()], &offline);
    assert!(build.status.success(), "{}", stderr(&build));
    let line = block_with("wrote thesis/main.pdf");
    let printed = stderr(&build).replace(pdf.to_str().unwrap(), "thesis/main.pdf");
    assert_eq!(printed.lines().last(), line.lines().next());
}

/// Every line of the README's snapshot excerpt is in `ibid snapshot`'s
/// output of `tests/fixtures/basic`, in the same order; `…` stands for what
/// the excerpt leaves out.
#[test]
fn the_readme_snapshot_excerpt_is_the_basic_fixture_s() {
    let env = TestEnv::with_fixture("basic");
    let output = env.ibid(&["snapshot", "main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let actual = stdout(&output);
    let mut lines = actual.lines();
    for shown in block_with("\nfootnotes: 5\n").lines() {
        if shown.trim() == "…" {
            continue;
        }
        let parts: Vec<&str> = shown.split('…').collect();
        let fits = |line: &str| {
            let mut rest = line;
            parts.iter().enumerate().all(|(i, part)| {
                let found = if i == 0 {
                    rest.starts_with(part).then_some(0)
                } else {
                    rest.find(part)
                };
                found.is_some_and(|at| {
                    rest = &rest[at + part.len()..];
                    true
                })
            }) && (parts.len() > 1 || rest.is_empty())
        };
        assert!(
            lines.any(fits),
            "README's line is not in the snapshot (in this order): {shown}\n{actual}"
        );
    }
}

/// README's `ibid.toml` example is a configuration ibid accepts, and each
/// of its keys takes effect (`ibid config` says where each value came from).
#[test]
fn the_readme_ibid_toml_example_is_read_and_takes_effect() {
    let text = readme();
    let start = text.find("```toml\n").expect("the example") + "```toml\n".len();
    let example = &text[start..start + text[start..].find("```").expect("its end")];
    let env = TestEnv::with_fixture("basic");
    std::fs::create_dir_all(env.path().join("thesis")).expect("a folder");
    std::fs::create_dir_all(env.path().join("fonts")).expect("a folder");
    env.write("ibid.toml", example);
    let output = env.ibid(&["config", "thesis/main.typ"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let config = stdout(&output);
    for (key, value) in [
        ("max-range-pages", "80"),
        ("ignore", "mixed-locator-style"),
        ("severity", "locator-plural=info"),
        ("links.max-cache-age", "7d"),
        ("registries.email", "student@example.edu"),
    ] {
        let line = config
            .lines()
            .find(|l| l.starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("{key} in\n{config}"));
        assert!(
            line.contains(value) && line.contains("ibid.toml:"),
            "{line}"
        );
    }
}
