//! Each entry of the bibliography against the registries: a DOI through
//! content negotiation (CSL-JSON, any agency) and Crossref's record for its
//! updates (retractions, corrections; Retraction Watch's among them); an
//! ISBN through Open Library; a work with neither, when registries should
//! know it, through Crossref's bibliographic search.

use std::time::Duration;

use super::client::{Answer, Client};
use super::compare::{Verdict, compare};
use super::csl::{
    RegistryWork, Update, UpdateKind, openlibrary_book_for, parse_crossref_search,
    parse_crossref_work, parse_csl,
};
use super::entry::{covered, facts, identifiers};
use super::identifiers::{IdentifierKind, check_doi, check_isbn};
use super::search_match::{Confidence, best_match, bibliographic_query};
use crate::bibliography::Bibliography;

/// Where the registries are and how to ask them.
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    pub offline: bool,
    /// doi.org (content negotiation).
    pub doi_url: String,
    pub crossref_url: String,
    pub openlibrary_url: String,
    /// OpenAlex (its `is_retracted`, where Crossref records no retraction).
    pub openalex_url: String,
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
            email: None,
            timeout: Duration::from_secs(20),
            max_retries: 2,
            concurrency: 4,
            cache_path: None,
            now: 0,
        }
    }
}

/// What the registries said of one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Verification {
    /// The registry knows the work as the entry describes it.
    Verified { registry: &'static str, id: String },
    /// The resolver says the DOI does not exist (a definitive 404).
    DoiNotFound { doi: String },
    /// The identifier names a work that differs from the entry.
    Mismatch {
        registry: &'static str,
        id: String,
        verdict: Verdict,
    },
    /// A later notice retracts (or withdraws) the work.
    Retracted { id: String, notice: Update },
    /// A correction or an expression of concern.
    Updated { id: String, notice: Update },
    /// No registry asked knows the work.
    NotFound { asked: Vec<&'static str> },
    /// A search found the work, with an identifier the entry lacks.
    MissingIdentifier { kind: IdentifierKind, id: String },
    /// No answer that says (offline, a timeout, a 5xx…).
    Unverified { why: String },
}

/// Every checked entry's verifications, by key.
#[derive(Debug, Default)]
pub struct RegistryReport {
    pub results: Vec<(String, Vec<Verification>)>,
    /// Whether the network was asked at all.
    pub online: bool,
    pub warnings: Vec<String>,
}

impl RegistryReport {
    /// Whether no entry got any answer (the network down, every registry
    /// unreachable): then nothing is reported per entry.
    pub fn unreachable(&self) -> bool {
        !self.results.is_empty()
            && self
                .results
                .iter()
                .flat_map(|(_, v)| v)
                .all(|v| matches!(v, Verification::Unverified { .. }))
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

fn by_doi(
    doi: &str,
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let url = format!(
        "{}/{}",
        config.doi_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let work = match client.get(&url, "application/vnd.citationstyles.csl+json") {
        Answer::NotFound => {
            return vec![Verification::DoiNotFound {
                doi: doi.to_string(),
            }];
        }
        Answer::Unverified(why) => return vec![Verification::Unverified { why }],
        Answer::Found(body) => match parse_csl(&body) {
            Ok(work) => work,
            Err(err) => {
                return vec![Verification::Unverified {
                    why: format!("doi.org's answer could not be read ({err})"),
                }];
            }
        },
    };
    let mut out = vec![judged("doi.org", doi, facts, &work)];
    // Updates come from Crossref's record (a DOI of another agency has
    // none there: nothing is said).
    let url = format!(
        "{}/works/{}",
        config.crossref_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let crossref = match client.get(&url, "application/json") {
        Answer::Found(body) => parse_crossref_work(&body).ok(),
        _ => None,
    };
    if let Some(notice) = crossref.as_ref().and_then(|r| r.gravest_update()) {
        let retracted = matches!(
            notice.kind,
            UpdateKind::Retraction | UpdateKind::Withdrawal | UpdateKind::PartialRetraction
        );
        let notice = notice.clone();
        out.push(if retracted {
            Verification::Retracted {
                id: doi.to_string(),
                notice,
            }
        } else {
            Verification::Updated {
                id: doi.to_string(),
                notice,
            }
        });
    }
    // OpenAlex marks retractions Crossref's record may lack (Retraction
    // Watch's data reaches it through other routes): asked only when
    // Crossref told of none.
    let retracted = out
        .iter()
        .any(|v| matches!(v, Verification::Retracted { .. }));
    if !retracted && let Some(notice) = openalex_retraction(doi, client, config) {
        out.push(Verification::Retracted {
            id: doi.to_string(),
            notice,
        });
    }
    out
}

/// OpenAlex's `is_retracted` for a DOI, as a notice of retraction (OpenAlex
/// names neither the notice nor its date).
fn openalex_retraction(
    doi: &str,
    client: &Client,
    config: &RegistryConfig,
) -> Option<super::csl::Update> {
    let url = format!(
        "{}/works/doi:{}",
        config.openalex_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let Answer::Found(body) = client.get(&url, "application/json") else {
        return None;
    };
    let work = super::csl::parse_openalex_work(&body).ok()?;
    work.is_retracted().then(|| super::csl::Update {
        kind: UpdateKind::Retraction,
        doi: None,
        date: None,
        source: Some("openalex".to_string()),
        label: Some("Retraction (OpenAlex is_retracted)".to_string()),
        record_id: None,
    })
}

fn by_isbn(
    isbn: &super::identifiers::Isbn,
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let url = format!(
        "{}/api/books?bibkeys=ISBN:{}&format=json&jscmd=data",
        config.openlibrary_url.trim_end_matches('/'),
        isbn.to_isbn13()
    );
    match client.get(&url, "application/json") {
        Answer::Unverified(why) => vec![Verification::Unverified { why }],
        Answer::NotFound => vec![Verification::NotFound {
            asked: vec!["Open Library"],
        }],
        Answer::Found(body) => match openlibrary_book_for(&body, isbn) {
            Ok(Some(work)) => vec![judged("Open Library", isbn.as_str(), facts, &work)],
            Ok(None) => vec![Verification::NotFound {
                asked: vec!["Open Library"],
            }],
            Err(err) => vec![Verification::Unverified {
                why: format!("Open Library's answer could not be read ({err})"),
            }],
        },
    }
}

fn by_search(
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let url = format!(
        "{}/works?rows=5&query.bibliographic={}",
        config.crossref_url.trim_end_matches('/'),
        escape_query(&bibliographic_query(facts))
    );
    match client.get(&url, "application/json") {
        Answer::Unverified(why) => vec![Verification::Unverified { why }],
        Answer::NotFound => vec![Verification::NotFound {
            asked: vec!["Crossref"],
        }],
        Answer::Found(body) => {
            let candidates = parse_crossref_search(&body).unwrap_or_default();
            match best_match(facts, &candidates) {
                Some(found) if found.confidence == Confidence::High => match found.doi {
                    Some(doi) => vec![Verification::MissingIdentifier {
                        kind: IdentifierKind::Doi,
                        id: doi,
                    }],
                    None => vec![Verification::Verified {
                        registry: "Crossref",
                        id: String::new(),
                    }],
                },
                Some(_) => vec![Verification::Verified {
                    registry: "Crossref",
                    id: String::new(),
                }],
                None => vec![Verification::NotFound {
                    asked: vec!["Crossref"],
                }],
            }
        }
    }
}

/// A book without an ISBN through Open Library's search: found with
/// confidence, its ISBN is suggested (`missing-identifier`); found less
/// surely, it is verified; not found, nothing is said (many books have no
/// ISBN, and Open Library does not know every one).
fn by_book_search(
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let title = facts.title.as_deref().unwrap_or_default();
    let author = facts
        .family_names
        .first()
        .map(|n| n.split(',').next().unwrap_or(n).trim().to_string())
        .unwrap_or_default();
    let url = format!(
        "{}/search.json?limit=5&fields=title,subtitle,author_name,first_publish_year,isbn&title={}&author={}",
        config.openlibrary_url.trim_end_matches('/'),
        escape_query(title),
        escape_query(&author)
    );
    let Answer::Found(body) = client.get(&url, "application/json") else {
        return Vec::new();
    };
    let candidates = super::csl::parse_openlibrary_search(&body).unwrap_or_default();
    match best_match(facts, &candidates) {
        Some(found) => {
            let isbn = candidates[found.index].isbns.first().cloned();
            match (found.confidence, isbn) {
                (Confidence::High, Some(isbn)) => vec![Verification::MissingIdentifier {
                    kind: IdentifierKind::Isbn,
                    id: isbn,
                }],
                _ => vec![Verification::Verified {
                    registry: "Open Library",
                    id: String::new(),
                }],
            }
        }
        None => Vec::new(),
    }
}

/// The comparison's outcome for a work an identifier named.
fn judged(
    registry: &'static str,
    id: &str,
    facts: &super::compare::EntryFacts,
    work: &RegistryWork,
) -> Verification {
    let verdict = compare(facts, work);
    if verdict.is_match() {
        Verification::Verified {
            registry,
            id: id.to_string(),
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
fn escape_path(doi: &str) -> String {
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

fn escape_query(text: &str) -> String {
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
}
