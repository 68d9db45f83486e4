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

/// One server for the registries (OpenAlex under `/openalex`).
pub(super) fn registries() -> Server {
    Server::start(
        "127.0.0.1",
        vec![
            (
                "/10.5555/jmcrs.2019.0412",
                json(fixture("csl-article.json")),
            ),
            // Another agency's DOI: doi.org alone knows it.
            ("/10.5281/zenodo.7101234", json(fixture("csl-article.json"))),
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
                "/openalex/works/doi:10.5555/jmcrs.2017.0201",
                json(fixture("openalex-retracted.json")),
            ),
            (
                "/openalex/works/doi:10.5555/jmcrs.2019.0412",
                json(fixture("openalex-article.json")),
            ),
            ("/works", json(fixture("crossref-search.json"))),
            ("/openalex/works", json(fixture("openalex-search.json"))),
            ("/api/books", json(fixture("openlibrary-books-api.json"))),
            ("/search.json", json(fixture("openlibrary-search.json"))),
        ],
    )
}

fn audit(env: &TestEnv, server: &Server, extra: &[&str]) -> (String, String) {
    let output = run(
        env,
        server,
        &["audit", "main.typ", "--format", "json"],
        extra,
    );
    (stdout(&output), stderr(&output))
}

/// Runs `ibid COMMAND` with every registry on `server`, online (the tests'
/// environment is offline; these ask 127.0.0.1).
fn run(env: &TestEnv, server: &Server, command: &[&str], extra: &[&str]) -> std::process::Output {
    let endpoints = endpoints(server);
    let mut args = command.to_vec();
    args.extend(endpoints.iter().map(String::as_str));
    args.extend_from_slice(extra);
    ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")])
}

/// The options that put every registry on `server`. OpenAlex's paths
/// (`/works`) are Crossref's too: it is served under a folder of its own.
pub(super) fn endpoints(server: &Server) -> Vec<String> {
    let base = server.url("");
    let base = base.trim_end_matches('/');
    [
        "--doi-url",
        base,
        "--crossref-url",
        base,
        "--openlibrary-url",
        base,
        "--openalex-url",
        &format!("{base}/openalex"),
    ]
    .map(String::from)
    .to_vec()
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
    let (report, err) = audit(
        &env,
        &server,
        &["--openalex-api-key", "sekrit-key-1234", "--timings"],
    );
    // The checks started before the compile, on the declared bibliography.
    assert!(
        err.contains("network checks started (bibliography)"),
        "{err}"
    );
    assert_eq!(
        findings(&report),
        [
            "doi-not-found ghost2019",
            "invalid-identifier badisbn",
            "metadata-mismatch typo2019",
            "missing-identifier hensley-nodoi",
            "missing-identifier marsh-noisbn",
            "missing-identifier tanaka2018",
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
    // A work only OpenAlex's search finds, with its DOI; the made-up one
    // was looked for in both.
    assert!(report.contains("10.5555/jmcrs.2018.0777"), "{report}");
    assert!(
        report.contains("no record found in Crossref, OpenAlex"),
        "{report}"
    );
    assert_eq!(server.hits("/search.json"), 1);
    // A second run is answered from the cache: no request reaches the server,
    // and the cache, unchanged, is not written again.
    let before = server.requests();
    let cache_path = env.path().join(".ibid/registries.json");
    let written = std::fs::metadata(&cache_path)
        .and_then(|m| m.modified())
        .expect("the cache");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (again, _) = audit(&env, &server, &[]);
    assert_eq!(
        std::fs::metadata(&cache_path)
            .and_then(|m| m.modified())
            .expect("the cache"),
        written,
        "a run answered from the cache rewrote it"
    );
    assert_eq!(findings(&again), findings(&report));
    assert_eq!(
        server.requests(),
        before,
        "the cache answers the second run"
    );
    let cache = std::fs::read_to_string(env.path().join(".ibid/registries.json")).expect("cache");
    // The API key went with the requests, never into the cache.
    assert!(cache.contains("search="), "{cache}");
    assert!(!cache.contains("sekrit"), "{cache}");
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
            // A redirect loop: no answer, not a 404.
            (
                "/10.5281/zenodo.7101234",
                Reply::Redirect(302, "/10.5281/zenodo.7101234".into()),
            ),
            (
                "/works",
                json("{\"status\":\"ok\",\"message\":{\"items\":\"drifted\"}}".into()),
            ),
            ("/api/books", Reply::Drip),
            // One registry that answers: else every entry is unverified,
            // which is reported once as the registries being unreachable.
            ("/openalex/works", json(fixture("openalex-search.json"))),
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
        "hensley-zenodo",
        // Crossref's search answered JSON of another shape: no word on it.
        "madeup2020",
        "hensley-nodoi",
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
        &format!("{base}/openalex"),
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
            "[registries]\ndoi-url = \"{base}\"\ncrossref-url = \"{base}\"\nopenlibrary-url = \"{base}\"\nopenalex-url = \"{base}/openalex\"\nemail = \"student@example.edu\"\n"
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

/// The pages a registry records feed `page-out-of-range` where the entry
/// gives none (a book's count from Open Library, an article's range from
/// its DOI), and the review lists each entry with the registry that
/// verified it, the identifier and the date.
#[test]
fn the_registries_pages_and_the_reviews_verified_works() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    // The article's range is left to the registry.
    let refs = std::fs::read_to_string(env.path().join("refs.yaml")).expect("refs");
    env.write("refs.yaml", refs.replacen("  page-range: 211-238\n", "", 1));
    env.write(
        "main.typ",
        "= Grain\n\nText.#footnote[@marsh2014[p. 512].] More.#footnote[@marsh2014[p. 401].] \
         Again.#footnote[@hensley2019[p. 250].] Last.#footnote[@hensley2019[p. 215].]\n\n\
         #bibliography(\"refs.yaml\", full: true)\n",
    );
    let (report, err) = audit(&env, &server, &[]);
    let json: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let pages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "page-out-of-range")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:#?}\n{err}");
    assert!(
        pages[0].contains("beyond the 412 pages Open Library records for 9781555501235"),
        "{pages:#?}"
    );
    assert!(
        pages[1].contains("outside the pages 211-238 Crossref records for 10.5555/jmcrs.2019.0412"),
        "{pages:#?}"
    );
    // Offline and without a cache, nothing is said of the pages.
    std::fs::remove_dir_all(env.path().join(".ibid")).expect("the cache");
    let (offline, _) = audit(&env, &server, &["--offline"]);
    assert!(!offline.contains("page-out-of-range"), "{offline}");

    let output = run(&env, &server, &["review", "main.typ"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = std::fs::read_to_string(env.path().join("review.html")).expect("review.html");
    assert!(
        html.contains("Works checked against the registries"),
        "{html}"
    );
    // SOURCE_DATE_EPOCH=1780000000 is the run's date.
    assert!(
        html.contains("<td><code>marsh2014</code></td><td>verified, pages 1–412</td><td>Open Library</td><td>9781555501235</td><td>2026-05-28</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td><code>whitcombe2016</code></td><td>retracted</td>"),
        "{html}"
    );
}

/// `ibid fix` writes the identifiers an audit's search found into the
/// entries (from the registry cache: fix itself asks no one), and the next
/// audit verifies the entries by them.
#[test]
fn fix_adds_the_identifiers_a_search_found() {
    let server = registries();
    let env = TestEnv::with_fixture("registries-project");
    let (report, err) = audit(&env, &server, &[]);
    assert!(
        findings(&report).contains(&"missing-identifier hensley-nodoi".to_string()),
        "{report}\n{err}"
    );
    let before = server.requests();
    // Online on purpose: fix must still ask no one.
    let fix = |extra: &[&str]| run(&env, &server, &["fix", "main.typ"], extra);
    let output = fix(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.requests(), before, "fix asked a registry");
    let refs = std::fs::read_to_string(env.path().join("refs.yaml")).expect("refs");
    assert!(
        refs.contains(
            "hensley-nodoi:\n  serial-number:\n    doi: \"10.5555/jmcrs.2019.0412\"\n  type: article\n"
        ),
        "{refs}"
    );
    assert!(
        refs.contains(
            "marsh-noisbn:\n  serial-number:\n    isbn: \"9781555508715\"\n  type: book\n"
        ),
        "{refs}"
    );
    // The next audit knows them by their identifiers.
    let (again, err) = audit(&env, &server, &[]);
    let found = findings(&again);
    assert!(
        !found.iter().any(|f| f.starts_with("missing-identifier")),
        "{found:#?}\n{err}"
    );
    // Nothing left to add: a second fix changes nothing.
    let unchanged = std::fs::read_to_string(env.path().join("refs.yaml")).expect("refs");
    let output = fix(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(env.path().join("refs.yaml")).expect("refs"),
        unchanged
    );
}
