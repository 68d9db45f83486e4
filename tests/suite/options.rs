//! Options README documents, each given on the command line (or in the
//! environment, as README writes it) and seen to take effect.

use super::env::{TestEnv, ibid_with, stderr, stdout};
use crate::support::server::{Reply, Server};

fn report(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|err| {
        panic!("{err}: {}{}", stdout(output), stderr(output));
    })
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A document linking to `paths` of `server`, one footnote each.
fn linking(env: &TestEnv, server: &Server, paths: &[&str]) {
    let notes: String = paths
        .iter()
        .map(|p| format!("Text.#footnote[#link(\"{}\")]\n", server.url(p)))
        .collect();
    env.write("main.typ", format!("#set page(height: auto)\n{notes}"));
}

/// The network on (the tests' default is `IBID_OFFLINE=true`), written as
/// README writes booleans.
const ONLINE: [(&str, &str); 1] = [("IBID_OFFLINE", "0")];

#[test]
fn accept_exclude_user_agent_and_no_archive_reach_the_link_checks() {
    let server = Server::start(
        "127.0.0.1",
        vec![
            ("/live", Reply::ok()),
            ("/forbidden", Reply::status(403)),
            ("/skipped", Reply::ok()),
        ],
    );
    let archive = Server::start("127.0.0.1", vec![]);
    let env = TestEnv::new();
    linking(
        &env,
        &server,
        &["/live", "/forbidden", "/missing", "/skipped"],
    );
    let archive_url = archive.url("");
    let args = [
        "audit",
        "main.typ",
        "--links-only",
        "--allow-private",
        "--format",
        "json",
        "--user-agent",
        "thesis-checker/2.0",
        "--accept",
        "200..=299,403",
        "--exclude",
        "/skip+ed$",
        "--no-archive",
        "--archive-url",
        archive_url.trim_end_matches('/'),
    ];
    let output = ibid_with(env.path(), &args, &ONLINE);
    let report = report(&output);
    assert_eq!(rules(&report), ["dead-link", "unverified-link"], "{report}");
    let message = |i: usize| {
        report["findings"][i]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message(0).contains("/missing"), "{report}");
    assert!(message(1).contains("/skipped"), "{report}");
    assert!(message(1).contains("excluded by --exclude"), "{report}");
    assert_eq!(server.hits("/skipped"), 0, "--exclude");
    assert_eq!(
        server.hits("/forbidden"),
        1,
        "--accept 403: alive, no retry"
    );
    assert_eq!(archive.requests(), 0, "--no-archive");
    let agents = server.user_agents();
    assert!(!agents.is_empty());
    assert!(
        agents.iter().all(|a| a == "thesis-checker/2.0"),
        "{agents:?}"
    );
}

#[test]
fn the_link_cache_is_used_within_its_age_and_bypassed_with_no_cache() {
    let server = Server::start("127.0.0.1", vec![("/live", Reply::ok())]);
    let env = TestEnv::new();
    linking(&env, &server, &["/live"]);
    let run = |extra: &[&str]| {
        let mut args = vec!["audit", "main.typ", "--links-only", "--allow-private"];
        args.extend_from_slice(extra);
        let output = ibid_with(env.path(), &args, &ONLINE);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        server.hits("/live")
    };
    assert_eq!(run(&[]), 1, "checked and cached");
    assert!(env.path().join(".ibid/links.json").is_file());
    assert_eq!(run(&[]), 1, "from the cache");
    assert_eq!(run(&["--no-cache"]), 2, "--no-cache asks again");
    assert_eq!(
        run(&["--max-cache-age", "0s"]),
        3,
        "an entry older than 0 s"
    );
    assert_eq!(run(&["--max-cache-age", "30min"]), 3, "a fresh entry");
}

#[test]
fn build_never_touches_the_network() {
    let server = Server::start("127.0.0.1", vec![("/live", Reply::ok())]);
    let env = TestEnv::new();
    env.write(
        "refs.yaml",
        format!(
            "page:\n  type: web\n  title: A page\n  url: {{ value: {}, date: 2024-01-10 }}\n",
            server.url("/page")
        ),
    );
    env.write(
        "main.typ",
        format!(
            "#set page(height: auto)\nA @page. B #link(\"{}\").\n\n#bibliography(\"refs.yaml\")\n",
            server.url("/live")
        ),
    );
    let output = ibid_with(env.path(), &["build", "main.typ"], &ONLINE);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.requests(), 0);
    // The control: the audit, allowed to probe this address, does reach the
    // server, so a build that checked a link would have been seen.
    let audit = ibid_with(
        env.path(),
        &["audit", "main.typ", "--allow-private", "--no-cache"],
        &ONLINE,
    );
    assert_ne!(audit.status.code(), Some(2), "{}", stderr(&audit));
    assert!(server.requests() > 0, "the audit never reached the server");
}

#[test]
fn creation_timestamp_and_source_date_epoch_fix_the_date_and_the_bytes() {
    let env = TestEnv::new();
    env.write(
        "main.typ",
        "#assert.eq(datetime.today().display(), \"2001-09-09\")\nDated.\n",
    );
    let flag = env.ibid(&[
        "build",
        "main.typ",
        "-o",
        "a.pdf",
        "--creation-timestamp",
        "1000000000",
    ]);
    assert!(flag.status.success(), "{}", stderr(&flag));
    let epoch = ibid_with(
        env.path(),
        &["build", "main.typ", "-o", "b.pdf"],
        &[("SOURCE_DATE_EPOCH", "1000000000")],
    );
    assert!(epoch.status.success(), "{}", stderr(&epoch));
    let a = std::fs::read(env.path().join("a.pdf")).unwrap();
    let b = std::fs::read(env.path().join("b.pdf")).unwrap();
    assert_eq!(a, b, "the same sources and date give the same bytes");
    assert!(String::from_utf8_lossy(&a).contains("D:20010909"));
}

#[test]
fn typst_root_widens_what_the_document_may_read() {
    let env = TestEnv::new();
    env.write("project/data.txt", "shared");
    env.write(
        "project/chapters/main.typ",
        "#assert.eq(read(\"/data.txt\"), \"shared\")\n",
    );
    let input = "project/chapters/main.typ";
    let alone = env.ibid(&["build", input, "--no-audit"]);
    assert_eq!(
        alone.status.code(),
        Some(1),
        "the root is the input's folder"
    );
    assert!(
        stderr(&alone).contains("file not found"),
        "{}",
        stderr(&alone)
    );
    let rooted = ibid_with(
        env.path(),
        &["build", input, "--no-audit"],
        &[("TYPST_ROOT", "project")],
    );
    assert!(rooted.status.success(), "{}", stderr(&rooted));
}

#[test]
fn stale_after_years_and_max_range_pages_move_their_rules_thresholds() {
    let env = TestEnv::new();
    env.write(
        "refs.yaml",
        "book:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 1999\n  publisher: Press\n  page-total: 900\n\
         page:\n  type: web\n  title: A page\n  url: { value: http://example.org/a, date: 2019-06-01 }\n",
    );
    env.write(
        "main.typ",
        "#set page(height: auto)\nA @book[pp. 10-70]. B @page.\n\n#bibliography(\"refs.yaml\", style: \"chicago-notes\")\n",
    );
    let audit = |extra: &[&str]| {
        let mut args = vec![
            "audit",
            "main.typ",
            "--format",
            "json",
            "--creation-timestamp",
            "1780000000",
        ];
        args.extend_from_slice(extra);
        let mut found = rules(&report(&env.ibid(&args)));
        found.retain(|r| r == "implausible-range" || r == "stale-access-date");
        found
    };
    // May 2026: accessed 6 full years ago; a range of 61 pages.
    assert_eq!(audit(&[]), ["implausible-range", "stale-access-date"]);
    assert_eq!(
        audit(&["--max-range-pages", "100", "--stale-after-years", "10"]),
        Vec::<String>::new()
    );
    assert_eq!(
        audit(&["--max-range-pages", "60", "--stale-after-years", "5"]),
        ["implausible-range", "stale-access-date"]
    );
}

/// `TYPST_FONT_PATHS` is read as `--font-path` is: a folder that does not
/// exist is named in a warning (its fonts are not used).
#[test]
fn typst_font_paths_is_read_from_the_environment() {
    let env = TestEnv::with_fixture("basic");
    let output = ibid_with(
        env.path(),
        &["build", "main.typ", "--no-audit"],
        &[("TYPST_FONT_PATHS", "no-such-fonts")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("font folder no-such-fonts does not exist"),
        "{}",
        stderr(&output)
    );
    let quiet = env.ibid(&["build", "main.typ", "--no-audit"]);
    assert!(
        !stderr(&quiet).contains("font folder"),
        "{}",
        stderr(&quiet)
    );
}

/// `--select` keeps only the rules named; `--severity` changes a rule's
/// level in the report (and with it the exit code).
#[test]
fn select_and_severity_reach_the_report() {
    let env = TestEnv::with_fixture("audit-locator-plural");
    let all = report(&env.ibid(&["audit", "main.typ", "--format", "json"]));
    assert!(rules(&all).iter().any(|r| r != "locator-plural"), "{all}");
    let selected = report(&env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--select",
        "locator-plural",
    ]));
    let only = rules(&selected);
    assert!(
        !only.is_empty() && only.iter().all(|r| r == "locator-plural"),
        "{only:?}"
    );
    let output = env.ibid(&[
        "audit",
        "main.typ",
        "--format",
        "json",
        "--select",
        "locator-plural",
        "--severity",
        "locator-plural=error",
    ]);
    let raised = report(&output);
    assert!(
        raised["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["severity"] == "error"),
        "{raised}"
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "an error finding fails the run"
    );
}

/// The GitHub format writes an info finding as a `::notice`.
#[test]
fn the_github_format_writes_infos_as_notices() {
    let env = TestEnv::with_fixture("audit-implausible-range");
    let output = env.ibid(&["audit", "main.typ", "--format", "github"]);
    let out = stdout(&output);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::notice ") && l.contains("implausible-range")),
        "{out}"
    );
}

/// `--ignore-system-fonts`: a font only the system has is unknown with the
/// flag and found without it (fonts-dejavu-core, which .ci/run installs).
#[test]
fn ignore_system_fonts_leaves_the_systems_fonts_out() {
    let system = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    assert!(
        system.is_file(),
        "this test needs a system font: apt-get install fonts-dejavu-core (.ci/run does)"
    );
    let env = TestEnv::new();
    env.write("main.typ", "#set text(font: \"DejaVu Sans\")\nHello.\n");
    let vars = [("TYPST_IGNORE_SYSTEM_FONTS", "false")];
    let with_system = ibid_with(env.path(), &["build", "main.typ"], &vars);
    assert!(with_system.status.success(), "{}", stderr(&with_system));
    assert!(
        !stderr(&with_system).contains("unknown font family"),
        "{}",
        stderr(&with_system)
    );
    let without = ibid_with(
        env.path(),
        &["build", "main.typ", "--ignore-system-fonts"],
        &vars,
    );
    assert!(
        stderr(&without).contains("unknown font family: dejavu sans"),
        "{}",
        stderr(&without)
    );
}

/// `--quiet`: the link check's progress bar, drawn when standard error is a
/// terminal (here a pseudo-terminal from `script`), is not drawn.
#[test]
fn quiet_hides_the_progress_bar_on_a_terminal() {
    let slow = || Reply::Delayed(std::time::Duration::from_millis(400), Box::new(Reply::ok()));
    let server = Server::start("127.0.0.1", vec![("/a", slow()), ("/b", slow())]);
    let env = TestEnv::new();
    linking(&env, &server, &["/a", "/b"]);
    let on_a_terminal = |extra: &str| {
        let command = format!(
            "{} audit main.typ --links-only --allow-private --no-cache --no-archive --max-concurrency 1 {extra}",
            env!("CARGO_BIN_EXE_ibid")
        );
        let output = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(env.path())
            .env("TYPST_IGNORE_SYSTEM_FONTS", "true")
            .env("IBID_OFFLINE", "false")
            .env("HOME", env.path())
            .output()
            .expect("script (util-linux) runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let drawn = on_a_terminal("");
    assert!(drawn.contains("checking links"), "{drawn}");
    let quiet = on_a_terminal("--quiet");
    assert!(!quiet.contains("checking links"), "{quiet}");
    assert!(
        quiet.contains("audit:"),
        "the report is still there: {quiet}"
    );
}

/// Every file is read through the sandbox, at most 512 MiB: a larger one
/// (sparse here: it takes no disk) is refused with its place in the source,
/// before a byte of it is read.
#[test]
fn a_file_over_512_mib_is_refused_where_it_is_read() {
    let env = TestEnv::new();
    env.write("main.typ", "#read(\"big.txt\").len()\n");
    std::fs::File::create(env.path().join("big.txt"))
        .and_then(|f| f.set_len(600 * 1024 * 1024))
        .unwrap();
    let output = ibid_with(env.path(), &["build", "main.typ"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let err = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        err.contains("is 629145600 bytes, more than the 536870912 bytes"),
        "{err}"
    );
    assert!(err.contains("main.typ:1:6"), "{err}");
    assert!(!env.path().join("main.pdf").exists());
}

/// `ibid build --timings`: each step's time, the total last.
#[test]
fn build_timings_say_where_the_time_went() {
    let env = TestEnv::with_fixture("basic");
    let output = ibid_with(env.path(), &["build", "main.typ", "--timings"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let steps: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_end().ends_with(" ms"))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    for step in ["compile", "model", "pdf", "total"] {
        assert!(steps.contains(&step), "{step} in {err}");
    }
    assert_eq!(steps.last(), Some(&"total"), "{err}");
}
