//! Each entry of the bibliography against the registries, a few at once:
//! by its DOI or ISBN (`by_id`), else, when registries should know it, by
//! a bibliographic search (`search`); what they said (`report`).

use std::time::Duration;

use super::client::Client;
use super::compare::compare;
use super::csl::RegistryWork;
use super::entry::{covered, facts, identifiers};
use super::identifiers::{IdentifierKind, check_doi, check_isbn};
use crate::bibliography::Bibliography;

mod by_id;
mod report;
mod search;

use by_id::{by_doi, by_isbn};
pub use report::{Extent, RegistryReport, Verification};
use search::{by_book_search, by_search};

/// Where the registries are and how to ask them.
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    pub offline: bool,
    /// doi.org (content negotiation).
    pub doi_url: String,
    pub crossref_url: String,
    pub openlibrary_url: String,
    /// OpenAlex (its `is_retracted`, where Crossref records no retraction;
    /// its search, where Crossref's finds nothing).
    pub openalex_url: String,
    /// OpenAlex's API key (`api_key`), sent but never cached or shown.
    pub openalex_api_key: Option<String>,
    /// A contact address for the polite pools (`ibid.toml`'s `email`).
    pub email: Option<String>,
    pub timeout: Duration,
    pub max_retries: u64,
    /// Requests at once.
    pub concurrency: usize,
    pub cache_path: Option<std::path::PathBuf>,
    /// The time of the run, seconds since the epoch.
    pub now: i64,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        Self {
            offline: false,
            doi_url: "https://doi.org".into(),
            crossref_url: "https://api.crossref.org".into(),
            openlibrary_url: "https://openlibrary.org".into(),
            openalex_url: "https://api.openalex.org".into(),
            openalex_api_key: None,
            email: None,
            timeout: Duration::from_secs(20),
            max_retries: 2,
            concurrency: 4,
            cache_path: None,
            now: 0,
        }
    }
}

/// Checks every entry that has something to check, a few at once.
pub fn verify_all(bibliography: &Bibliography, config: &RegistryConfig) -> RegistryReport {
    let user_agent = match &config.email {
        Some(email) => format!("ibid/{} (mailto:{email})", env!("CARGO_PKG_VERSION")),
        None => format!("ibid/{}", env!("CARGO_PKG_VERSION")),
    };
    let client = Client::new(
        config.offline,
        config.email.is_some(),
        &user_agent,
        config.timeout,
        config.max_retries,
        config.cache_path.clone(),
        config.now,
    );
    let entries: Vec<_> = bibliography.entries.iter().collect();
    // No registry's name resolves: the network is missing; nothing is
    // asked (each request would wait for its deadline).
    if client.online() && !resolves(config) {
        let results = entries
            .iter()
            .filter(|bib| lookup(&bib.entry).is_some())
            .map(|bib| {
                (
                    bib.key.clone(),
                    vec![Verification::Unverified {
                        why: "network unavailable: no registry's host name could be resolved"
                            .into(),
                    }],
                )
            })
            .collect();
        return RegistryReport {
            results,
            online: true,
            warnings: Vec::new(),
        };
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..config.concurrency.clamp(1, 16) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(bib) = entries.get(i) else { break };
                    let found = verify(&bib.entry, &client, config);
                    if !found.is_empty() {
                        results.lock().unwrap_or_else(|e| e.into_inner()).push((
                            i,
                            bib.key.clone(),
                            found,
                        ));
                    }
                }
            });
        }
    });
    client.save();
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _, _)| *i);
    RegistryReport {
        results: results.into_iter().map(|(_, k, v)| (k, v)).collect(),
        online: client.online(),
        warnings: client
            .warnings
            .into_inner()
            .unwrap_or_else(|e| e.into_inner()),
    }
}

/// Whether any registry's host resolves (a literal address always does),
/// within the run's timeout: the system resolver has no deadline of its own,
/// so it asks on a thread that is left behind if it hangs.
fn resolves(config: &RegistryConfig) -> bool {
    use std::net::ToSocketAddrs;
    let hosts: Vec<(String, u16)> = [
        &config.doi_url,
        &config.crossref_url,
        &config.openlibrary_url,
    ]
    .iter()
    .filter_map(|url| url::Url::parse(url).ok())
    .filter_map(|url| {
        Some((
            url.host_str()?.to_string(),
            url.port_or_known_default().unwrap_or(443),
        ))
    })
    .collect();
    let (sender, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let any = hosts.iter().any(|(host, port)| {
            (host.as_str(), *port)
                .to_socket_addrs()
                .is_ok_and(|mut addrs| addrs.next().is_some())
        });
        let _ = sender.send(any);
    });
    answer.recv_timeout(config.timeout).unwrap_or(false)
}

/// One entry against the registries.
/// How an entry is looked up, if at all.
enum Lookup {
    Doi(super::identifiers::Doi),
    Isbn(super::identifiers::Isbn),
    Search,
    /// A book without an ISBN, in the ISBN era: Open Library's search.
    BookSearch,
}

/// How the registries are asked about an entry: by its DOI, else its ISBN,
/// else (an article registries should know) by a search; not at all when it
/// writes an identifier that cannot be right (`invalid-identifier`'s) and
/// no valid one.
fn lookup(entry: &hayagriva::Entry) -> Option<Lookup> {
    let written = identifiers(entry);
    let valid = |kind| written.iter().filter(move |w| w.kind == kind);
    if let Some(doi) = valid(IdentifierKind::Doi).find_map(|w| check_doi(&w.text).ok()) {
        return Some(Lookup::Doi(doi));
    }
    if let Some(isbn) = valid(IdentifierKind::Isbn).find_map(|w| check_isbn(&w.text).ok()) {
        return Some(Lookup::Isbn(isbn));
    }
    let invalid = written
        .iter()
        .any(|w| matches!(w.kind, IdentifierKind::Doi | IdentifierKind::Isbn));
    if invalid {
        return None;
    }
    if covered(entry) {
        return Some(Lookup::Search);
    }
    super::entry::book_covered(entry).then_some(Lookup::BookSearch)
}

/// One entry against the registries (nothing when it is not looked up).
pub fn verify(
    entry: &hayagriva::Entry,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let facts = facts(entry);
    match lookup(entry) {
        Some(Lookup::Doi(doi)) => by_doi(doi.as_str(), &facts, client, config),
        Some(Lookup::Isbn(isbn)) => by_isbn(&isbn, &facts, client, config),
        Some(Lookup::Search) => by_search(&facts, client, config),
        Some(Lookup::BookSearch) => by_book_search(&facts, client, config),
        None => Vec::new(),
    }
}

/// The comparison's outcome for a work an identifier named.
pub(super) fn judged(
    registry: &'static str,
    id: &str,
    facts: &super::compare::EntryFacts,
    work: &RegistryWork,
    checked: i64,
) -> Verification {
    let verdict = compare(facts, work);
    if verdict.is_match() {
        Verification::Verified {
            registry,
            id: id.to_string(),
            checked,
            extent: Extent::of(work),
        }
    } else {
        Verification::Mismatch {
            registry,
            id: id.to_string(),
            verdict,
        }
    }
}

/// A DOI as a URL path: its suffix may hold `#`, `?`, `;`, `<`, spaces and
/// any Unicode, which must not end the path.
pub(super) fn escape_path(doi: &str) -> String {
    let mut out = String::new();
    for byte in doi.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'('
            | b')'
            | b':' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

pub(super) fn escape_query(text: &str) -> String {
    escape_path(text).replace('/', "%2F")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The thesis cites books without ISBNs, web pages and Chinese works:
    /// nothing a registry should be asked about, so nothing is asked (the
    /// registries here listen nowhere) and nothing can be reported.
    #[test]
    fn the_thesis_bibliography_asks_no_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bibliography/thesis.yaml");
        let text = std::fs::read_to_string(path).expect("the thesis bibliography");
        let entries = crate::bibliography::parse("thesis.yaml", &text).expect("it parses");
        let bibliography = Bibliography::new(vec!["thesis.yaml".into()], entries);
        let config = RegistryConfig {
            doi_url: "http://127.0.0.1:9".into(),
            crossref_url: "http://127.0.0.1:9".into(),
            openlibrary_url: "http://127.0.0.1:9".into(),
            openalex_url: "http://127.0.0.1:9".into(),
            timeout: Duration::from_millis(200),
            max_retries: 0,
            ..RegistryConfig::default()
        };
        let report = verify_all(&bibliography, &config);
        assert!(report.results.is_empty(), "{:#?}", report.results);
    }

    #[test]
    fn dois_with_reserved_characters_stay_one_path() {
        assert_eq!(
            escape_path("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"),
            "10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO%3B2-0"
        );
        assert_eq!(escape_path("10.5555/a#b c"), "10.5555/a%23b%20c");
        assert_eq!(escape_path("10.5555/墓"), "10.5555/%E5%A2%93");
    }

    use crate::registries::csl::{Source, parse_csl};

    fn work(pages: Option<&str>, count: Option<u32>) -> RegistryWork {
        let mut w = parse_csl(r#"{"type": "article-journal", "title": "T"}"#).unwrap();
        w.source = Source::Csl;
        w.pages = pages.map(str::to_string);
        w.page_count = count;
        w
    }

    #[test]
    fn a_works_extent_is_its_count_or_a_range_of_two_numbers() {
        let extent = |first, last| Some(Extent { first, last });
        assert_eq!(Extent::of(&work(None, Some(412))), extent(1, 412));
        assert_eq!(Extent::of(&work(Some("211-238"), None)), extent(211, 238));
        assert_eq!(Extent::of(&work(Some("211–238"), None)), extent(211, 238));
        // A first page alone, an article number, a range backwards or of
        // letters: no extent.
        for pages in ["88", "e1234", "238-211", "S1-S12", "0-12"] {
            assert_eq!(Extent::of(&work(Some(pages), None)), None, "{pages}");
        }
    }
}
