//! Link checking against servers on 127.0.0.1 (never the internet): every
//! class of answer, retries, timeouts, the cache, private addresses, offline
//! mode, archived copies, and the audit end to end.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use ibid::links::check::check_all;
use ibid::links::resolve::{Resolution, Resolver, StaticResolver};
use ibid::links::{Holder, LinkConfig, LinkReport, Network, Outcome, Site, Target};

use super::env::{TestEnv, ibid_with, stderr, stdout};
use crate::support::server::{Reply, Server};

fn config() -> LinkConfig {
    LinkConfig {
        timeout: Duration::from_secs(2),
        max_retries: 1,
        allow_private: true,
        archive_url: None,
        now: 1_780_000_000,
        ..LinkConfig::default()
    }
}

fn target(url: &str) -> Target {
    Target {
        written: url.to_string(),
        sites: vec![Site {
            holder: Holder::Entry { key: "k".into() },
            span: None,
        }],
    }
}

fn check(urls: &[String], config: &LinkConfig) -> LinkReport {
    check_with(urls, config, StaticResolver::default())
}

fn check_with(
    urls: &[String],
    config: &LinkConfig,
    resolver: impl Resolver + 'static,
) -> LinkReport {
    check_all(
        urls.iter().map(|u| target(u)).collect(),
        config,
        Arc::new(resolver),
    )
}

fn outcome_of<'a>(report: &'a LinkReport, url: &str) -> &'a Outcome {
    &report
        .results
        .iter()
        .find(|r| r.target.written == url)
        .unwrap_or_else(|| panic!("{url} checked"))
        .outcome
}

/// Asserts an outcome's class (as serialised: `dead`, `unreachable`, …) and
/// that its reason says `why`.
#[track_caller]
fn assert_class(outcome: &Outcome, class: &str, why: &str) {
    let value = serde_json::to_value(outcome).unwrap();
    assert_eq!(value["class"], class, "{outcome:?}");
    let reason = value["reason"].as_str().unwrap_or_default();
    assert!(reason.contains(why), "{outcome:?} does not say `{why}`");
}

/// A server with one route per case of the issue.
fn server() -> Server {
    Server::start(
        "127.0.0.1",
        vec![
            ("/live", Reply::ok()),
            ("/moved-301", Reply::Redirect(301, "/live".into())),
            ("/moved-308", Reply::Redirect(308, "/live".into())),
            ("/found-302", Reply::Redirect(302, "/live".into())),
            ("/gone-410", Reply::status(410)),
            ("/forbidden", Reply::status(403)),
            (
                "/busy",
                Reply::Status(
                    429,
                    vec![("Retry-After".into(), "1".into())],
                    "slow down".into(),
                ),
            ),
            (
                "/flaky",
                Reply::Sequence(1, Box::new(Reply::status(500)), Box::new(Reply::ok())),
            ),
            ("/broken", Reply::status(500)),
            ("/hang", Reply::Hang),
            ("/loop-a", Reply::Redirect(302, "/loop-b".into())),
            ("/loop-b", Reply::Redirect(302, "/loop-a".into())),
            ("/huge", Reply::Huge),
            ("/墓碑：中国", Reply::ok()),
        ],
    )
}

#[test]
fn every_class_of_answer() {
    let server = server();
    let urls: Vec<String> = [
        "/live",
        "/moved-301",
        "/moved-308",
        "/found-302",
        "/missing",
        "/gone-410",
        "/forbidden",
        "/busy",
        "/flaky",
        "/broken",
        "/loop-a",
        "/huge",
    ]
    .iter()
    .map(|p| server.url(p))
    .collect();
    let report = check(&urls, &config());
    assert_eq!(report.network, Network::Available);
    let live = server.url("/live");
    assert_eq!(outcome_of(&report, &urls[0]), &Outcome::Alive);
    assert_eq!(
        outcome_of(&report, &urls[1]),
        &Outcome::Moved {
            to: live.clone(),
            code: 301
        }
    );
    assert_eq!(
        outcome_of(&report, &urls[2]),
        &Outcome::Moved {
            to: live,
            code: 308
        }
    );
    assert_eq!(
        outcome_of(&report, &urls[3]),
        &Outcome::Alive,
        "a temporary redirect is fine"
    );
    assert!(matches!(
        outcome_of(&report, &urls[4]),
        Outcome::Dead {
            code: Some(404),
            ..
        }
    ));
    assert!(matches!(
        outcome_of(&report, &urls[5]),
        Outcome::Dead {
            code: Some(410),
            ..
        }
    ));
    assert_eq!(
        outcome_of(&report, &urls[6]),
        &Outcome::Blocked {
            code: 403,
            retry_after: None
        }
    );
    assert_eq!(
        outcome_of(&report, &urls[7]),
        // Still 429 after the retries; the wait asked for was not what
        // stopped the check.
        &Outcome::Blocked {
            code: 429,
            retry_after: None
        }
    );
    assert!(server.hits("/busy") >= 2, "429 is retried");
    assert_eq!(
        outcome_of(&report, &urls[8]),
        &Outcome::Alive,
        "500 then 200: the retry succeeds"
    );
    assert_eq!(server.hits("/flaky"), 2);
    assert!(
        matches!(outcome_of(&report, &urls[9]), Outcome::Unreachable { .. }),
        "{:?}",
        outcome_of(&report, &urls[9])
    );
    assert_class(outcome_of(&report, &urls[10]), "unreachable", "loop");
    assert_eq!(outcome_of(&report, &urls[11]), &Outcome::Alive);
    assert!(
        server.huge_bytes_sent() < 64 * 1024 * 1024,
        "the huge body is not downloaded whole: {} bytes",
        server.huge_bytes_sent()
    );
}

#[test]
fn a_server_that_never_answers_is_unreachable_within_the_timeout() {
    let server = server();
    let mut config = config();
    config.timeout = Duration::from_secs(1);
    config.max_retries = 0;
    let url = server.url("/hang");
    let report = check(&[url.clone(), server.url("/live")], &config);
    // The timeout ended the request (the server would hold it for 15 s),
    // once: no retry.
    assert_class(
        outcome_of(&report, &url),
        "unreachable",
        "no answer within 1 s",
    );
    assert_eq!(server.hits("/hang"), 1);
    assert_eq!(outcome_of(&report, &server.url("/live")), &Outcome::Alive);
}

#[test]
fn a_host_that_does_not_resolve_is_dead_when_other_names_do() {
    let server = server();
    let named = server.url("/live").replace("127.0.0.1", "example.test");
    let resolver = StaticResolver(HashMap::from([(
        "example.test".to_string(),
        vec!["127.0.0.1".parse().unwrap()],
    )]));
    let report = check_with(
        &["http://no-such-host.invalid/page".into(), named.clone()],
        &config(),
        resolver,
    );
    assert_eq!(report.network, Network::Available);
    assert_class(
        outcome_of(&report, "http://no-such-host.invalid/page"),
        "dead",
        "does not exist",
    );
    assert_eq!(outcome_of(&report, &named), &Outcome::Alive);
}

#[test]
fn no_host_resolving_means_no_network_not_dead_links() {
    let urls = vec![
        "http://www.scribd.com/doc/1".to_string(),
        "http://zh.wikipedia.org/wiki/x".to_string(),
    ];
    let report = check(&urls, &config());
    assert!(
        matches!(report.network, Network::Unavailable(_)),
        "{:?}",
        report.network
    );
    for result in &report.results {
        assert!(
            matches!(result.outcome, Outcome::Unverified { .. }),
            "{:?}",
            result.outcome
        );
    }
}

#[test]
fn chinese_urls_are_checked_encoded_and_reported_as_written() {
    let server = server();
    let written = server.url("/墓碑：中国");
    let report = check(std::slice::from_ref(&written), &config());
    assert_eq!(report.results[0].target.written, written);
    assert_eq!(report.results[0].outcome, Outcome::Alive);
    assert_eq!(server.hits("/墓碑：中国"), 1);
}

#[test]
fn private_addresses_are_not_probed_by_default() {
    let server = server();
    let mut config = config();
    config.allow_private = false;
    let report = check(&[server.url("/live")], &config);
    assert_class(&report.results[0].outcome, "unverified", "private");
    assert_eq!(server.requests(), 0, "no request reached the server");
}

#[test]
fn a_host_name_that_resolves_to_a_private_address_is_not_probed() {
    let server = server();
    // A public-looking name whose address is on this machine (DNS rebinding,
    // an intranet name): the address decides, not the name.
    let named = server
        .url("/live")
        .replace("127.0.0.1", "intranet.example.com");
    let resolver = StaticResolver(HashMap::from([(
        "intranet.example.com".to_string(),
        vec!["127.0.0.1".parse().unwrap()],
    )]));
    let mut config = config();
    config.allow_private = false;
    let report = check_with(std::slice::from_ref(&named), &config, resolver);
    assert_class(outcome_of(&report, &named), "unverified", "private");
    assert_eq!(server.requests(), 0, "no request reached the server");
}

#[test]
fn offline_checks_nothing() {
    let server = server();
    let mut config = config();
    config.offline = true;
    let report = check(&[server.url("/live")], &config);
    assert_eq!(report.network, Network::Offline);
    assert!(matches!(
        report.results[0].outcome,
        Outcome::Unverified { .. }
    ));
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_second_run_within_the_age_makes_no_request() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config();
    config.cache_path = Some(dir.path().join(".ibid/links.json"));
    let urls: Vec<String> = ["/live", "/missing", "/moved-301", "/forbidden"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let first = check(&urls, &config);
    assert!(first.results.iter().all(|r| !r.cached));
    let requests = server.requests();

    let second = check(&urls[..3], &config);
    assert_eq!(
        server.requests(),
        requests,
        "live, 404 and moved came from the cache"
    );
    assert!(second.results.iter().all(|r| r.cached));
    assert_eq!(second.results[0].outcome, Outcome::Alive);

    // 403 says nothing definitive: it is asked again.
    check(&urls[3..], &config);
    assert!(server.requests() > requests);

    // Past the maximum age, everything is asked again.
    config.now += 2 * 24 * 3600;
    let before = server.requests();
    check(&urls[..1], &config);
    assert_eq!(server.requests(), before + 1);
}

#[test]
fn a_corrupt_cache_is_ignored_with_a_warning_and_rebuilt() {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.json");
    std::fs::write(&path, "{ this is not json").unwrap();
    let mut config = config();
    config.cache_path = Some(path.clone());
    let report = check(&[server.url("/live")], &config);
    assert_eq!(report.results[0].outcome, Outcome::Alive);
    assert_eq!(
        report.cache_warnings.len(),
        1,
        "{:?}",
        report.cache_warnings
    );
    assert!(report.cache_warnings[0].contains("rebuilt"));
    let rebuilt: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(rebuilt["version"], 1);
}

#[test]
fn a_dead_link_gets_its_archived_copy() {
    let server = server();
    let archive = Server::start(
        "127.0.0.1",
        vec![(
            "/wayback/available",
            Reply::Status(
                200,
                vec![("Content-Type".into(), "application/json".into())],
                r#"{"archived_snapshots":{"closest":{"available":true,"status":"200","url":"http://web.archive.org/web/2009/http://example/","timestamp":"20091013"}}}"#.into(),
            ),
        )],
    );
    let mut config = config();
    config.archive_url = Some(archive.url(""));
    let report = check(&[server.url("/missing")], &config);
    match &report.results[0].outcome {
        Outcome::Dead { archived, .. } => {
            assert_eq!(
                archived.as_deref(),
                Some("http://web.archive.org/web/2009/http://example/")
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(archive.requests(), 1);
}

#[test]
fn options_accept_and_exclude() {
    let server = server();
    let mut config = config();
    config.accept = "200..=299,403".parse().unwrap();
    config.exclude = vec![regex::Regex::new("/gone").unwrap()];
    let urls: Vec<String> = ["/forbidden", "/gone-410"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let report = check(&urls, &config);
    assert_eq!(
        outcome_of(&report, &urls[0]),
        &Outcome::Alive,
        "403 accepted"
    );
    assert!(
        matches!(outcome_of(&report, &urls[1]), Outcome::Unverified { .. }),
        "excluded"
    );
    assert_eq!(server.hits("/gone-410"), 0);
}

/// The audit end to end: a bibliography whose URLs point at a local server.
#[test]
fn the_audit_reports_link_findings_tied_to_entries_and_footnotes() {
    let server = server();
    let archive = Server::start(
        "127.0.0.1",
        vec![(
            "/wayback/available",
            Reply::Status(200, vec![], r#"{"archived_snapshots":{}}"#.into()),
        )],
    );
    let env = TestEnv::new();
    env.write(
        "refs.yaml",
        format!(
            "live:\n  type: web\n  url: {{ value: {}, date: 2024-01-10 }}\ngone:\n  type: web\n  url: {{ value: {}, date: 2009-10-13 }}\nmoved:\n  type: web\n  url: {{ value: {}, date: 2030-01-01 }}\n",
            server.url("/live"),
            server.url("/missing"),
            server.url("/moved-301"),
        ),
    );
    env.write(
        "main.typ",
        format!(
            "#set page(height: auto)\nA @live. B @gone. C @moved.#footnote[See #link(\"{}\")[the page] and {}.]\n\n#bibliography(\"refs.yaml\", style: \"chicago-notes\")\n",
            server.url("/forbidden"),
            server.url("/gone-410"),
        ),
    );
    let archive_base = archive.url("");
    let output = ibid_with(
        env.path(),
        &[
            "audit",
            "main.typ",
            "--allow-private",
            "--format",
            "json",
            "--timeout",
            "5",
        ],
        &[
            ("IBID_OFFLINE", "false"),
            ("IBID_ARCHIVE_URL", archive_base.trim_end_matches('/')),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "dead links are errors: {}",
        stderr(&output)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let by_rule = |rule: &str| {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .collect::<Vec<_>>()
    };
    let dead = by_rule("dead-link");
    assert_eq!(dead.len(), 2, "{dead:?}");
    assert!(
        dead.iter()
            .any(|f| f["key"] == "gone" && f["file"] == "refs.yaml")
    );
    assert!(
        dead.iter().any(|f| f["footnote"] == "4"),
        "the URL typed in the footnote: {dead:?}"
    );
    let moved = by_rule("moved-link");
    assert_eq!(moved[0]["key"], "moved");
    assert!(moved[0]["hint"].as_str().unwrap().contains("/live"));
    assert_eq!(by_rule("blocked-link")[0]["footnote"], "4");
    assert_eq!(by_rule("stale-access-date")[0]["key"], "gone");
    assert_eq!(
        by_rule("access-date-invalid")[0]["key"],
        "moved",
        "accessed in the future"
    );
    assert!(
        env.path().join(".ibid/links.json").is_file(),
        "the cache is written under the project"
    );

    // Offline, the same URLs are unverified, and nothing is dead.
    let offline = env.ibid(&[
        "audit",
        "main.typ",
        "--offline",
        "--links-only",
        "--format",
        "json",
    ]);
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    let report: serde_json::Value = serde_json::from_str(&stdout(&offline)).unwrap();
    let rules: HashMap<String, usize> =
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .fold(HashMap::new(), |mut m, f| {
                *m.entry(f["rule"].as_str().unwrap().to_string())
                    .or_default() += 1;
                m
            });
    assert_eq!(rules.get("unverified-link"), Some(&5), "{rules:?}");
    assert_eq!(rules.get("dead-link"), None);
}

#[test]
fn a_refused_connection_and_a_failed_tls_handshake_are_unreachable() {
    let server = server();
    // A port nobody listens on: bind one, then free it.
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/page", listener.local_addr().unwrap())
    };
    // HTTPS against a plain HTTP server: the TLS handshake fails.
    let tls = server.url("/live").replace("http://", "https://");
    let report = check(
        &[refused.clone(), tls.clone(), server.url("/live")],
        &config(),
    );
    assert_eq!(report.network, Network::Available);
    assert_class(outcome_of(&report, &refused), "unreachable", "refused");
    assert_class(
        outcome_of(&report, &tls),
        "unreachable",
        "secure connection",
    );
}

/// A network where some loopback addresses stand in for public hosts:
/// names resolve by the table, and only the addresses in `internal` count
/// as private.
struct Network2 {
    names: HashMap<String, Vec<IpAddr>>,
    internal: Vec<IpAddr>,
}

impl Resolver for Network2 {
    fn resolve(&self, host: &str) -> Resolution {
        StaticResolver(self.names.clone()).resolve(host)
    }

    fn is_internal(&self, ip: IpAddr) -> bool {
        self.internal.contains(&ip)
    }
}

#[test]
fn a_redirect_from_a_public_host_to_a_private_address_is_not_followed() {
    let secret = Server::start("127.0.0.3", vec![("/secret", Reply::ok())]);
    let public = Server::start(
        "127.0.0.2",
        vec![
            ("/to-address", Reply::Redirect(302, secret.url("/secret"))),
            (
                "/to-name",
                Reply::Redirect(
                    302,
                    secret.url("/secret").replace("127.0.0.3", "intranet.test"),
                ),
            ),
        ],
    );
    let network = || Network2 {
        names: HashMap::from([(
            "intranet.test".to_string(),
            vec!["127.0.0.3".parse().unwrap()],
        )]),
        internal: vec!["127.0.0.3".parse().unwrap()],
    };
    let mut config = config();
    config.allow_private = false;
    let urls = [public.url("/to-address"), public.url("/to-name")];
    let report = check_with(&urls, &config, network());
    for url in &urls {
        assert_class(outcome_of(&report, url), "unverified", "a private address");
    }
    assert_eq!(
        secret.requests(),
        0,
        "no request reached the private server"
    );
    assert_eq!(public.requests(), 2);

    // With --allow-private the same redirects are followed.
    config.allow_private = true;
    let report = check_with(&urls, &config, network());
    assert_eq!(outcome_of(&report, &urls[0]), &Outcome::Alive);
    assert_eq!(outcome_of(&report, &urls[1]), &Outcome::Alive);
    assert_eq!(secret.requests(), 2);
}

#[test]
fn a_redirect_to_a_file_url_is_dead_not_a_loop() {
    let server = Server::start(
        "127.0.0.1",
        vec![(
            "/to-file",
            Reply::Redirect(302, "file:///etc/passwd".into()),
        )],
    );
    let report = check(&[server.url("/to-file")], &config());
    assert_class(
        &report.results[0].outcome,
        "dead",
        "file:///etc/passwd, which is not a web address",
    );
}

#[test]
fn status_999_is_unreachable_not_blocked() {
    let server = Server::start("127.0.0.1", vec![("/odd", Reply::status(999))]);
    let report = check(&[server.url("/odd")], &config());
    assert_class(
        &report.results[0].outcome,
        "unreachable",
        "not an HTTP status",
    );
}

#[test]
fn retry_after_beyond_the_deadline_is_reported_not_waited_for() {
    let server = Server::start(
        "127.0.0.1",
        vec![(
            "/later",
            Reply::Status(
                429,
                vec![("Retry-After".into(), "3600".into())],
                String::new(),
            ),
        )],
    );
    let mut config = config();
    config.timeout = Duration::from_secs(5);
    let report = check(&[server.url("/later")], &config);
    assert_eq!(
        report.results[0].outcome,
        Outcome::Blocked {
            code: 429,
            retry_after: Some(3600)
        }
    );
    assert_eq!(
        server.hits("/later"),
        1,
        "not retried: the wait is past the deadline"
    );
}

#[test]
fn retry_after_zero_is_waited_for_and_never_called_too_long() {
    let server = Server::start(
        "127.0.0.1",
        vec![(
            "/now",
            Reply::Status(429, vec![("Retry-After".into(), "0".into())], String::new()),
        )],
    );
    let report = check(&[server.url("/now")], &config());
    assert_eq!(
        report.results[0].outcome,
        Outcome::Blocked {
            code: 429,
            retry_after: None
        },
        "a wait of 0 s is no reason: the retries ran out"
    );
    assert_eq!(server.hits("/now"), 2, "asked again at once, then given up");
}

#[test]
fn many_hanging_urls_on_one_host_stay_within_rounds_of_the_deadline() {
    let routes: Vec<(String, Reply)> = (0..16)
        .map(|i| (format!("/hang{i}"), Reply::Hang))
        .collect();
    let server = Server::start(
        "127.0.0.1",
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let mut config = config();
    config.timeout = Duration::from_secs(1);
    config.max_retries = 0;
    config.max_per_host = 4;
    let urls: Vec<String> = (0..16).map(|i| server.url(&format!("/hang{i}"))).collect();
    let report = check(&urls, &config);
    assert_eq!(server.requests(), 16, "each asked once, no retry");
    for result in &report.results {
        assert_class(&result.outcome, "unreachable", "no answer within 1 s");
    }
}

#[test]
fn an_endless_archive_answer_is_cut_short() {
    let server = server();
    let archive = Server::start("127.0.0.1", vec![("/wayback/available", Reply::Huge)]);
    let mut config = config();
    config.archive_url = Some(archive.url(""));
    let report = check(&[server.url("/missing")], &config);
    assert!(matches!(
        report.results[0].outcome,
        Outcome::Dead { archived: None, .. }
    ));
    assert!(
        archive.huge_bytes_sent() < 64 * 1024 * 1024,
        "the archive's answer is not read whole: {} bytes",
        archive.huge_bytes_sent()
    );
}

#[test]
fn no_dns_with_a_loopback_url_reports_names_unverified_not_dead() {
    let server = server();
    let urls = vec![
        server.url("/live"),
        "http://www.scribd.com/doc/1".to_string(),
    ];
    let report = check(&urls, &config());
    assert!(
        matches!(report.network, Network::Unavailable(_)),
        "{:?}",
        report.network
    );
    assert_eq!(
        outcome_of(&report, &urls[0]),
        &Outcome::Alive,
        "the loopback URL is checked"
    );
    assert_class(
        outcome_of(&report, &urls[1]),
        "unverified",
        "network unavailable",
    );
}

#[test]
fn localhost_with_a_trailing_dot_is_private_not_dead() {
    let server = server();
    let url = server.url("/live").replace("127.0.0.1", "LOCALHOST.");
    let mut config = config();
    config.allow_private = false;
    let report = check(std::slice::from_ref(&url), &config);
    assert_class(&report.results[0].outcome, "unverified", "private address");
}

/// The bibliography's URLs are checked while the document compiles (the
/// sources name the file), the text's links after it: each URL once, both
/// reported.
#[test]
fn bibliography_urls_checked_during_the_compile_are_not_checked_again() {
    let server = Server::start(
        "127.0.0.1",
        vec![("/entry", Reply::ok()), ("/text", Reply::status(404))],
    );
    let env = TestEnv::new();
    env.write(
        "refs.yaml",
        format!(
            "page:\n  type: web\n  title: A page\n  url: {{ value: {}, date: 2024-01-10 }}\n",
            server.url("/entry")
        ),
    );
    env.write("chapter.typ", "A @page.\n\n#bibliography(\"refs.yaml\")\n");
    env.write(
        "main.typ",
        format!(
            "#set page(height: auto)\n#include \"chapter.typ\"\nB #link(\"{}\").\n",
            server.url("/text")
        ),
    );
    let output = ibid_with(
        env.path(),
        &[
            "audit",
            "main.typ",
            "--links-only",
            "--allow-private",
            "--format",
            "json",
            "--timings",
            "--no-cache",
        ],
        &[("IBID_OFFLINE", "false")],
    );
    let err = stderr(&output);
    assert!(
        err.contains("network checks started (bibliography)"),
        "the early check ran: {err}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "dead-link");
    assert!(findings[0]["message"].as_str().unwrap().contains("/text"));
    assert_eq!(server.hits("/entry"), 1, "checked once, early");
    assert_eq!(server.hits("/text"), 1, "checked once, after the compile");
}

/// A document whose notes link to `urls`.
fn linking(urls: &[String]) -> TestEnv {
    let env = TestEnv::new();
    let notes: String = urls
        .iter()
        .enumerate()
        .map(|(i, url)| format!("Claim {i}.#footnote[See #link(\"{url}\").]\n"))
        .collect();
    env.write("main.typ", format!("#set page(height: auto)\n{notes}"));
    env
}

fn audit_links(env: &TestEnv, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "audit",
        "main.typ",
        "--links-only",
        "--allow-private",
        "--no-cache",
        "--no-archive",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = ibid_with(env.path(), &args, &[("IBID_OFFLINE", "false")]);
    serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|_| panic!("a JSON report: {}", stderr(&output)))
}

/// `--max-concurrency-per-host` and `--max-concurrency`, measured at the
/// server: twelve slow URLs on one host are never asked more at once than
/// either allows; and without them, more are (so the measure can fail).
#[test]
fn the_concurrency_options_hold_at_the_server() {
    let paths: Vec<String> = (0..12).map(|i| format!("/slow{i}")).collect();
    let slow = || Reply::Delayed(Duration::from_millis(300), Box::new(Reply::ok()));
    let start = || {
        Server::start(
            "127.0.0.1",
            paths.iter().map(|p| (p.as_str(), slow())).collect(),
        )
    };
    let urls = |server: &Server| paths.iter().map(|p| server.url(p)).collect::<Vec<_>>();

    let server = start();
    let env = linking(&urls(&server));
    let report = audit_links(&env, &["--max-concurrency-per-host", "2"]);
    assert_eq!(server.requests(), 12, "{report}");
    assert_eq!(server.most_open(), 2, "per host");

    let server = start();
    let env = linking(&urls(&server));
    audit_links(&env, &["--max-concurrency", "3"]);
    assert_eq!(server.requests(), 12);
    assert_eq!(server.most_open(), 3, "in all");

    let server = start();
    let env = linking(&urls(&server));
    audit_links(&env, &[]);
    assert!(
        server.most_open() > 3,
        "{} at once by default",
        server.most_open()
    );
}

/// A host that refuses the connection: `unreachable-link`, with the reason.
#[test]
fn a_refused_connection_is_an_unreachable_link() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let env = linking(&[format!("http://127.0.0.1:{port}/gone")]);
    let report = audit_links(&env, &["--max-retries", "0", "--timeout", "5"]);
    let findings = report["findings"].as_array().unwrap();
    let unreachable: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["rule"] == "unreachable-link")
        .collect();
    assert_eq!(unreachable.len(), 1, "{report}");
    let message = unreachable[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("127.0.0.1:{port}/gone")),
        "{message}"
    );
    assert!(message.to_lowercase().contains("refused"), "{message}");
    assert!(
        !findings.iter().any(|f| f["rule"] == "dead-link"),
        "{report}"
    );
}
