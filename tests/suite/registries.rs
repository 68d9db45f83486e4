//! The bibliography against the scholarly registries: loopback servers that
//! answer as doi.org (CSL-JSON by content negotiation), Crossref (`/works`),
//! and Open Library (`/api/books`) do, with the fixtures of
//! `tests/fixtures/registries/` (their shapes and sources in its README).

use super::env::{TestEnv, ibid_with, stderr, stdout};
use crate::support::server::{Reply, Server};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/registries")
            .join(name),
    )
    .expect("a registry fixture")
}

/// A Crossref record's `message`, as content negotiation gives it (CSL-JSON
/// is the same record, titles as Crossref writes them).
fn message(name: &str) -> String {
    let record: serde_json::Value = serde_json::from_str(&fixture(name)).expect("JSON");
    record["message"].to_string()
}

fn json(body: String) -> Reply {
    Reply::Status(
        200,
        vec![("content-type".into(), "application/json".into())],
        body,
    )
}

/// One server for the three registries.
fn registries() -> Server {
    Server::start(
        "127.0.0.1",
        vec![
            (
                "/10.5555/jmcrs.2019.0412",
                json(fixture("csl-article.json")),
            ),
            (
                "/10.5555/jmcrs.2019.0413",
                json(message("crossref-other-paper.json")),
            ),
            (
                "/10.5555/jmcrs.2016.0107",
                json(message("crossref-retracted.json")),
            ),
            (
                "/10.5555/jmcrs.2020.0305",
                json(message("crossref-corrected.json")),
            ),
            (
                "/works/10.5555/jmcrs.2019.0412",
                json(fixture("crossref-article.json")),
            ),
            (
                "/works/10.5555/jmcrs.2019.0413",
                json(fixture("crossref-other-paper.json")),
            ),
            (
                "/works/10.5555/jmcrs.2016.0107",
                json(fixture("crossref-retracted.json")),
            ),
            (
                "/works/10.5555/jmcrs.2020.0305",
                json(fixture("crossref-corrected.json")),
            ),
            (
                "/10.5555/jmcrs.2017.0201",
                json(fixture("csl-article.json")),
            ),
            (
                "/works/10.5555/jmcrs.2017.0201",
                json(fixture("crossref-article.json")),
            ),
            (
                "/works/doi:10.5555/jmcrs.2017.0201",
                json(fixture("openalex-retracted.json")),
            ),
            (
                "/works/doi:10.5555/jmcrs.2019.0412",
                json(fixture("openalex-article.json")),
            ),
            ("/works", json(fixture("crossref-search.json"))),
            ("/api/books", json(fixture("openlibrary-books-api.json"))),
            ("/search.json", json(fixture("openlibrary-search.json"))),
        ],
    )
}

fn audit(env: &TestEnv, server: &Server, extra: &[&str]) -> (String, String) {
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let mut args = vec![
        "audit",
        "main.typ",
        "--format",
        "json",
        "--doi-url",
        base,
        "--crossref-url",
        base,
        "--openlibrary-url",
        base,
        "--openalex-url",
        base,
    ];
    args.extend_from_slice(extra);
    // The tests' environment is offline; these ask 127.0.0.1.
    let output = ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")]);
    (stdout(&output), stderr(&output))
}

/// `rule key` for each registry finding.
fn findings(report: &str) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(report).expect("a JSON report");
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            matches!(
                f["rule"].as_str(),
                Some(
                    "invalid-identifier"
                        | "doi-not-found"
                        | "metadata-mismatch"
                        | "retracted-work"
                        | "work-updated"
                        | "work-not-found"
                        | "missing-identifier"
                        | "work-unverified"
                )
            )
        })
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["key"].as_str().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_entry_is_what_the_registries_say_it_is() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    let (report, err) = audit(&env, &server, &[]);
    assert_eq!(
        findings(&report),
        [
            "doi-not-found ghost2019",
            "invalid-identifier badisbn",
            "metadata-mismatch typo2019",
            "missing-identifier hensley-nodoi",
            "missing-identifier marsh-noisbn",
            "retracted-work hensley-openalex",
            "retracted-work whitcombe2016",
            "work-not-found madeup2020",
            "work-updated lindqvist2020",
        ],
        "{report}\n{err}"
    );
    // The mismatch names the fields and gives the registry's values.
    assert!(report.contains("Hydraulic Campaigns"), "{report}");
    assert!(report.contains("10.5555/jmcrs.2018.0231"), "{report}");
    // The book without an ISBN: Open Library's search gives it one; the
    // book from before ISBNs is not looked for.
    assert!(report.contains("9781555508715"), "{report}");
    // A retraction only OpenAlex records.
    assert!(report.contains("per OpenAlex"), "{report}");
    assert_eq!(server.hits("/search.json"), 1);
    // A second run is answered from the cache: no request reaches the server.
    let before = server.requests();
    let (again, _) = audit(&env, &server, &[]);
    assert_eq!(findings(&again), findings(&report));
    assert_eq!(
        server.requests(),
        before,
        "the cache answers the second run"
    );
    assert!(env.path().join(".ibid/registries.json").is_file());
}

#[test]
fn offline_nothing_is_asked_and_nothing_fails() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    let (report, err) = audit(&env, &server, &["--offline"]);
    assert_eq!(
        findings(&report),
        ["invalid-identifier badisbn"],
        "{report}\n{err}"
    );
    assert_eq!(server.requests(), 0);
    let (report, _) = audit(&env, &server, &["--no-registries"]);
    assert_eq!(findings(&report), ["invalid-identifier badisbn"]);
    assert_eq!(server.requests(), 0);
    // Online, but with every rule that reads the registries' answers off:
    // they are not asked.
    let (_, err) = audit(
        &env,
        &server,
        &[
            "--ignore",
            "doi-not-found,metadata-mismatch,retracted-work,work-updated,work-not-found,missing-identifier,work-unverified",
        ],
    );
    assert_eq!(server.requests(), 0, "{err}");
}

#[test]
fn registries_that_misbehave_leave_entries_unverified_never_not_found() {
    let html = Reply::Status(200, vec![], "<html>Service unavailable</html>".into());
    let server = Server::start(
        "127.0.0.1",
        vec![
            ("/10.5555/jmcrs.2019.0412", html.clone()),
            ("/10.5555/jmcrs.2019.0413", Reply::status(503)),
            (
                "/10.5555/jmcrs.2016.0107",
                Reply::Status(
                    429,
                    vec![("retry-after".into(), "3600".into())],
                    String::new(),
                ),
            ),
            ("/10.5555/jmcrs.2020.0305", Reply::Huge),
            ("/10.5555/jmcrs.2099.9999", Reply::Hang),
            ("/10.5555/jmcrs.2017.0201", Reply::status(503)),
            (
                "/works",
                json("{\"status\":\"ok\",\"message\":{\"items\":\"drifted\"}}".into()),
            ),
            ("/api/books", Reply::Drip),
        ],
    );
    let env = TestEnv::with_fixture("registries-project");
    let (report, err) = audit(&env, &server, &["--timeout", "2", "--max-retries", "1"]);
    let found = findings(&report);
    assert!(
        !found.iter().any(|f| f.starts_with("doi-not-found")
            || f.starts_with("metadata-mismatch")
            || f.starts_with("retracted-work")),
        "{found:#?}\n{err}"
    );
    for key in [
        "hensley2019",
        "typo2019",
        "whitcombe2016",
        "lindqvist2020",
        "ghost2019",
        "marsh2014",
        "hensley-openalex",
    ] {
        assert!(
            found.contains(&format!("work-unverified {key}")),
            "{key} unverified: {found:#?}"
        );
    }
    // The endless answer was cut off at the cap.
    assert!(server.huge_bytes_sent() < 64 * 1024 * 1024);
}

/// A Word manuscript audited against a bibliography is checked against the
/// registries as a Typst thesis is: the same entries, the same findings,
/// the cache under the manuscript's folder.
#[test]
fn a_manuscripts_bibliography_is_checked_as_a_typst_one() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    let docx = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/manuscripts/docx/footnotes.docx");
    std::fs::copy(docx, env.path().join("thesis.docx")).expect("the manuscript");
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let args = [
        "audit",
        "thesis.docx",
        "--bibliography",
        "refs.yaml",
        "--format",
        "json",
        "--doi-url",
        base,
        "--crossref-url",
        base,
        "--openlibrary-url",
        base,
        "--openalex-url",
        base,
    ];
    let output = ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")]);
    let (report, err) = (stdout(&output), stderr(&output));
    let (typst, _) = audit(&env, &server, &[]);
    assert_eq!(findings(&report), findings(&typst), "{report}\n{err}");
    assert!(findings(&report).contains(&"retracted-work whitcombe2016".to_string()));
    assert!(env.path().join(".ibid/registries.json").is_file());
}

/// `[registries]` in ibid.toml sets what the flags set: the endpoints, and
/// `no-registries`.
#[test]
fn the_registries_are_configured_in_ibid_toml() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    let base = server.url("");
    let base = base.trim_end_matches('/');
    env.write(
        "ibid.toml",
        format!(
            "[registries]\ndoi-url = \"{base}\"\ncrossref-url = \"{base}\"\nopenlibrary-url = \"{base}\"\nopenalex-url = \"{base}\"\nemail = \"student@example.edu\"\n"
        ),
    );
    let args = ["audit", "main.typ", "--format", "json"];
    let output = ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")]);
    let found = findings(&stdout(&output));
    assert!(
        found.contains(&"retracted-work whitcombe2016".to_string()),
        "{found:?}\n{}",
        stderr(&output)
    );
    let config = stdout(&env.ibid(&["config"]));
    assert!(
        config.contains("registries.email") && config.contains("student@example.edu"),
        "{config}"
    );
    env.write("ibid.toml", "[registries]\nno-registries = true\n");
    std::fs::remove_dir_all(env.path().join(".ibid")).expect("the cache");
    let before = server.requests();
    let output = ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")]);
    assert_eq!(findings(&stdout(&output)), ["invalid-identifier badisbn"]);
    assert_eq!(server.requests(), before, "nobody asked");
}
