//! What CI runs: inline suppressions, baselines, `--fail-on`, and the
//! GitHub and Markdown formats.

use std::path::Path;

use super::env::{TestEnv, ibid_with, stderr, stdout};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules_and_lines(output: &std::process::Output) -> Vec<(String, u64)> {
    let report: serde_json::Value = serde_json::from_str(&stdout(output))
        .unwrap_or_else(|err| panic!("{err}: {}", stderr(output)));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn each_suppression_form_silences_its_line_or_file_and_unused_ones_are_reported() {
    let env = TestEnv::with_fixture("audit-suppressions");
    let output = env.ibid(&["audit", "main.typ", "--format", "json"]);
    assert_eq!(
        rules_and_lines(&output),
        [
            // Line 5 names reversed-range for line 6, which has none.
            ("unused-suppression".to_string(), 5),
            ("locator-plural".to_string(), 7),
            ("unused-suppression".to_string(), 8),
            ("unused-suppression".to_string(), 10),
        ]
    );
    let human = env.ibid(&["audit", "main.typ"]);
    assert!(
        stdout(&human).contains("did you mean `locator-plural`?"),
        "{}",
        stdout(&human)
    );
    // Ignoring the rule itself leaves the suppressions alone.
    let ignored = env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--ignore",
        "unused-suppression",
    ]);
    assert_eq!(
        rules_and_lines(&ignored),
        [("locator-plural".to_string(), 7)]
    );
}

#[test]
fn github_and_markdown_reports() {
    let env = TestEnv::with_fixture("audit-locator-plural");
    let github = env.ibid(&["audit", "main.typ", "--format", "github"]);
    let markdown = env.ibid(&["audit", "main.typ", "--format", "markdown"]);
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("github", stdout(&github));
        insta::assert_snapshot!("markdown", stdout(&markdown));
    });
}

#[test]
fn fail_on_sets_the_exit_code_by_the_gravest_finding() {
    // Warnings only: locator-plural and mixed-locator-style.
    let env = TestEnv::with_fixture("audit-locator-plural");
    let code = |fail_on: &str| {
        env.ibid(&["audit", "main.typ", "--fail-on", fail_on])
            .status
            .code()
    };
    assert_eq!(code("error"), Some(0));
    assert_eq!(code("warning"), Some(1));
    assert_eq!(code("info"), Some(1));
    assert_eq!(code("never"), Some(0));
}

/// On a copy of the thesis: a baseline of today's findings, then an audit
/// against it passes; an unknown key added later fails it, alone.
#[test]
fn the_thesis_baseline_accepts_today_s_findings_and_reports_a_new_one() {
    let env = TestEnv::new();
    for dir in ["thesis", "bibliography"] {
        super::audit::copy_tree(&repo().join(dir), &env.path().join(dir));
    }
    let write = env.ibid(&["audit", "--write-baseline", "ibid-baseline.json"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(stderr(&write).starts_with("wrote "), "{}", stderr(&write));
    let baseline = std::fs::read_to_string(env.path().join("ibid-baseline.json")).unwrap();
    assert!(baseline.contains("\"rule\":\"missing-source\""));

    let clean = env.ibid(&["audit", "--baseline", "ibid-baseline.json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stderr(&clean).contains("fixed since it was written"),
        "{}",
        stderr(&clean)
    );

    // A paragraph above everything, and one unknown key.
    let chapter = env.path().join("thesis/chapters/chapter1.typ");
    let text = std::fs::read_to_string(&chapter).unwrap();
    let at = text.find("\n\n").unwrap();
    let edited = format!(
        "{}\n\nA new paragraph, cited @no-such-key[p. 3].{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&chapter, edited).unwrap();
    let new = env.ibid(&[
        "audit",
        "--baseline",
        "ibid-baseline.json",
        "--format",
        "json",
    ]);
    assert_eq!(new.status.code(), Some(1), "{}", stderr(&new));
    let found: Vec<String> = rules_and_lines(&new).into_iter().map(|(r, _)| r).collect();
    assert_eq!(found, ["unknown-key"]);
}

/// README's workflow is valid YAML; every `ibid` command in it (but the
/// install) runs on a copy of this repository as CI would run it, and uses
/// only flags README documents elsewhere.
#[test]
fn the_readme_ci_workflow_is_yaml_and_its_ibid_commands_pass_on_this_repository() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("```yaml\nname: thesis").expect("the workflow") + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let (block, elsewhere) = (
        &readme[start..end],
        format!("{}{}", &readme[..start], &readme[end..]),
    );
    let workflow: serde_yaml::Value = serde_yaml::from_str(block).expect("valid YAML");
    let steps = workflow["jobs"]["thesis"]["steps"]
        .as_sequence()
        .expect("steps");
    let commands: Vec<&str> = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .filter(|run| run.starts_with("ibid "))
        .collect();
    assert_eq!(commands.len(), 4, "{commands:?}");

    let env = TestEnv::new();
    for dir in ["thesis", "bibliography"] {
        super::audit::copy_tree(&repo().join(dir), &env.path().join(dir));
    }
    for command in commands {
        let command = command.split(" >").next().unwrap();
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        for flag in args.iter().filter(|a| a.starts_with("--")) {
            assert!(
                elsewhere.contains(&format!("`{flag}")),
                "{flag} is not documented"
            );
        }
        let output = env.ibid(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}\n{}{}",
            stdout(&output),
            stderr(&output)
        );
    }
    assert!(env.path().join("thesis/main.pdf").is_file());
}

/// `ibid.toml` gives defaults; the environment beats it and a flag beats
/// both (file < environment < flag). Seen through the root: the document
/// reads `/data.txt`, which is in `project/` only.
#[test]
fn ibid_toml_is_read_from_above_the_input_and_the_environment_and_flags_win() {
    let env = TestEnv::new();
    env.write("ibid.toml", "root = \"project\"\n");
    env.write("project/data.txt", "shared");
    env.write(
        "project/chapters/main.typ",
        "#assert.eq(read(\"/data.txt\"), \"shared\")\n",
    );
    let build = |extra: &[&str], vars: &[(&str, &str)]| {
        let mut args = vec!["build", "project/chapters/main.typ", "--no-audit"];
        args.extend_from_slice(extra);
        super::env::ibid_with(env.path(), &args, vars).status.code()
    };
    assert_eq!(build(&[], &[]), Some(0), "the file's root");
    let narrow = [("TYPST_ROOT", "project/chapters")];
    assert_eq!(build(&[], &narrow), Some(1), "the environment's root");
    assert_eq!(
        build(&["--root", "project"], &narrow),
        Some(0),
        "the flag's root"
    );
}

#[test]
fn an_unknown_key_in_ibid_toml_stops_the_run_at_its_line() {
    let env = TestEnv::new();
    env.write("ibid.toml", "# the project\nmax-range-page = 80\n");
    env.write("main.typ", "Text.\n");
    let output = env.ibid(&["audit", "main.typ"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "ibid.toml:2:1: unknown key `max-range-page`; did you mean `max-range-pages`?"
        ),
        "{err}"
    );
}

/// An `ibid.toml` found by walking up is read as bounded as any project
/// file: a FIFO there is refused at once instead of blocking the run.
#[cfg(unix)]
#[test]
fn an_ibid_toml_that_is_no_regular_file_is_refused_without_blocking() {
    let env = TestEnv::new();
    env.write("main.typ", "Text.\n");
    let made = std::process::Command::new("mkfifo")
        .arg(env.path().join("ibid.toml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let output = env.ibid(&["audit", "main.typ"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("ibid.toml:1:1: cannot read"), "{err}");
}

#[test]
fn ibid_config_says_where_each_value_came_from() {
    let env = TestEnv::new();
    env.write("main.typ", "Text.\n");
    env.write(
        "ibid.toml",
        "input = \"main.typ\"\nmax-range-pages = 80\nstrict = true\n\n[links]\ntimeout = 5\n",
    );
    let output = ibid_with(
        env.path(),
        &["config", "--select", "locator-plural"],
        &[("IBID_OFFLINE", "true")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row {name}: {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(row("max-range-pages").ends_with("80 ibid.toml:2"), "{text}");
    assert!(row("links.timeout").ends_with("5 ibid.toml:6"), "{text}");
    assert_eq!(row("select"), "select locator-plural command line");
    assert_eq!(row("offline"), "offline true environment (IBID_OFFLINE)");
    assert_eq!(row("stale-after-years"), "stale-after-years 5 default");
    assert!(
        row("strict").ends_with("ibid.toml:3 (ibid build)"),
        "{text}"
    );
    assert!(row("input").ends_with("main.typ ibid.toml:1"), "{text}");
    assert!(
        text.starts_with("# configuration file: ibid.toml\n"),
        "{text}"
    );
}

/// One place prints one position in every format: the human report counts
/// columns from 1 as JSON, SARIF, GitHub and Markdown do (it once printed
/// `3:37` where the others said `3:38`).
#[test]
fn every_format_gives_a_finding_the_same_line_and_column() {
    let env = TestEnv::with_fixture("audit-locator-plural");
    let json = env.ibid(&["audit", "main.typ", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    let places: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| {
            Some(format!(
                "{}:{}:{}",
                f["file"].as_str()?,
                f["line"],
                f["column"]
            ))
        })
        .collect();
    assert!(places.len() >= 4, "{places:?}");
    let both = |output: std::process::Output| stdout(&output) + &stderr(&output);
    let human = both(env.ibid(&["audit", "main.typ", "--verbose"]));
    let short = both(env.ibid(&["audit", "main.typ", "--diagnostic-format", "short"]));
    let github = stdout(&env.ibid(&["audit", "main.typ", "--format", "github"]));
    for place in &places {
        assert!(
            human.contains(&format!("┌─ {place}")),
            "{place} in\n{human}"
        );
        assert!(short.contains(place.as_str()), "{place} in\n{short}");
        let (file, rest) = place.split_once(':').expect("file:line:column");
        let (line, column) = rest.split_once(':').expect("line:column");
        assert!(
            github.contains(&format!("file={file},line={line},col={column}")),
            "{place} in\n{github}"
        );
    }
}
