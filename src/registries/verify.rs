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
use super::pace::Pool;
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

/// The pages a registry records for a work: an article's page range, a
/// book's 1 to its number of pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub first: u32,
    pub last: u32,
}

impl Extent {
    /// A registry work's extent: its number of pages, else a page range of
    /// two numbers in order (a first page alone or an article number is
    /// none).
    pub fn of(work: &RegistryWork) -> Option<Extent> {
        if let Some(last) = work.page_count {
            return Some(Extent { first: 1, last });
        }
        let pages = work.pages.as_deref()?;
        let (first, last) = pages.split_once(['-', '–'])?;
        let number = |s: &str| s.trim().parse::<u32>().ok();
        let (first, last) = (number(first)?, number(last)?);
        (0 < first && first <= last).then_some(Extent { first, last })
    }
}

/// What the registries said of one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Verification {
    /// The registry knows the work as the entry describes it (`id` is the
    /// identifier it was asked by, empty for a search), as of `checked`
    /// (seconds since the epoch), with the pages it records.
    Verified {
        registry: &'static str,
        id: String,
        checked: i64,
        extent: Option<Extent>,
    },
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
    /// The verifications of the entry `key`.
    pub fn of(&self, key: &str) -> &[Verification] {
        self.results
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The pages a registry records for the entry `key`, when it verified
    /// the entry by an identifier: the registry, the identifier, the pages.
    pub fn extent(&self, key: &str) -> Option<(&'static str, &str, Extent)> {
        self.of(key).iter().find_map(|v| match v {
            Verification::Verified {
                registry,
                id,
                extent: Some(extent),
                ..
            } if !id.is_empty() => Some((*registry, id.as_str(), *extent)),
            _ => None,
        })
    }

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

fn by_doi(
    doi: &str,
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    // Crossref's record first: it has the metadata and the updates, in one
    // request of Crossref's budget. A DOI Crossref does not hold (DataCite,
    // mEDRA…) is asked of doi.org by content negotiation, whose 404 alone
    // says the DOI does not exist.
    let url = format!(
        "{}/works/{}",
        config.crossref_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let (answer, checked) = client.get_dated(Pool::Crossref, &url, "application/json");
    let crossref = match answer {
        Answer::Found(body) => parse_crossref_work(&body).ok().map(|work| (work, checked)),
        _ => None,
    };
    let negotiated;
    let (registry, work, checked) = match &crossref {
        Some((work, checked)) => ("Crossref", work, *checked),
        None => {
            negotiated = match negotiate(doi, client, config) {
                Ok(negotiated) => negotiated,
                Err(verification) => return vec![*verification],
            };
            ("doi.org", &negotiated.0, negotiated.1)
        }
    };
    let mut out = vec![judged(registry, doi, facts, work, checked)];
    let crossref = crossref.map(|(work, _)| work);
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

/// The DOI's metadata by content negotiation at doi.org (CSL-JSON, any
/// agency), or what to report instead: a definitive 404 is `doi-not-found`,
/// anything else unverified.
fn negotiate(
    doi: &str,
    client: &Client,
    config: &RegistryConfig,
) -> Result<(RegistryWork, i64), Box<Verification>> {
    let url = format!(
        "{}/{}",
        config.doi_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let (answer, checked) = client.get_dated(
        Pool::Crossref,
        &url,
        "application/vnd.citationstyles.csl+json",
    );
    let said = match answer {
        Answer::NotFound => Verification::DoiNotFound {
            doi: doi.to_string(),
        },
        Answer::Unverified(why) => Verification::Unverified { why },
        Answer::Found(body) => match parse_csl(&body) {
            Ok(work) => return Ok((work, checked)),
            Err(err) => Verification::Unverified {
                why: format!("doi.org's answer could not be read ({err})"),
            },
        },
    };
    Err(Box::new(said))
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
    let Answer::Found(body) = client.get(Pool::OpenAlex, &url, "application/json") else {
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
    let (answer, checked) = client.get_dated(Pool::OpenLibrary, &url, "application/json");
    match answer {
        Answer::Unverified(why) => vec![Verification::Unverified { why }],
        Answer::NotFound => vec![Verification::NotFound {
            asked: vec!["Open Library"],
        }],
        Answer::Found(body) => match openlibrary_book_for(&body, isbn) {
            Ok(Some(work)) => vec![judged("Open Library", isbn.as_str(), facts, &work, checked)],
            Ok(None) => vec![Verification::NotFound {
                asked: vec!["Open Library"],
            }],
            Err(err) => vec![Verification::Unverified {
                why: format!("Open Library's answer could not be read ({err})"),
            }],
        },
    }
}

/// A work with no identifier, by a bibliographic search: Crossref's, then
/// (when Crossref finds no match) OpenAlex's. Found with confidence and a
/// DOI, the DOI is suggested; found, it is verified; found by neither, it
/// is not found by those that answered. A search that fails says nothing:
/// OpenAlex's failing (its daily allowance spent, say) leaves Crossref's
/// word; Crossref's failing, with no OpenAlex match, leaves it unverified.
fn by_search(
    facts: &super::compare::EntryFacts,
    client: &Client,
    config: &RegistryConfig,
) -> Vec<Verification> {
    let query = escape_query(&bibliographic_query(facts));
    let crossref = format!(
        "{}/works?rows=5&query.bibliographic={query}",
        config.crossref_url.trim_end_matches('/'),
    );
    let crossref = searched(
        "Crossref",
        facts,
        client.get_dated(Pool::CrossrefSearch, &crossref, "application/json"),
        parse_crossref_search,
    );
    if let Searched::Found(found) = crossref {
        return vec![found];
    }
    let mut openalex = format!(
        "{}/works?per_page=5&search={query}",
        config.openalex_url.trim_end_matches('/'),
    );
    if let Some(email) = &config.email {
        openalex.push_str(&format!("&mailto={}", escape_query(email)));
    }
    let secret = config
        .openalex_api_key
        .as_ref()
        .map(|key| format!("api_key={}", escape_query(key)));
    let answer = client.get_keyed(
        Pool::OpenAlex,
        &openalex,
        "application/json",
        secret.as_deref(),
    );
    let openalex = searched("OpenAlex", facts, answer, super::csl::parse_openalex_search);
    match (crossref, openalex) {
        (Searched::Found(found), _) | (_, Searched::Found(found)) => vec![found],
        (Searched::NoMatch, Searched::NoMatch) => vec![Verification::NotFound {
            asked: vec!["Crossref", "OpenAlex"],
        }],
        (Searched::NoMatch, Searched::Failed(_)) => vec![Verification::NotFound {
            asked: vec!["Crossref"],
        }],
        (Searched::Failed(why), _) => vec![Verification::Unverified { why }],
    }
}

/// What one registry's search said of a work.
enum Searched {
    Found(Verification),
    /// The registry answered, and nothing it gave is the work.
    NoMatch,
    /// No answer that says (a timeout, a 5xx, a 429, a body not its own).
    Failed(String),
}

/// A search's answer judged against the entry's facts.
fn searched(
    registry: &'static str,
    facts: &super::compare::EntryFacts,
    (answer, checked): (Answer, i64),
    parse: impl Fn(&str) -> Result<Vec<RegistryWork>, super::csl::ParseError>,
) -> Searched {
    let body = match answer {
        Answer::Found(body) => body,
        // A search endpoint that is not there is no word on the work.
        Answer::NotFound => {
            return Searched::Failed(format!("{registry}'s search is not there (404)"));
        }
        Answer::Unverified(why) => return Searched::Failed(why),
    };
    let candidates = match parse(&body) {
        Ok(candidates) => candidates,
        Err(err) => {
            return Searched::Failed(format!("{registry}'s answer could not be read ({err})"));
        }
    };
    match best_match(facts, &candidates) {
        Some(found) => Searched::Found(match (found.confidence, found.doi) {
            (Confidence::High, Some(doi)) => Verification::MissingIdentifier {
                kind: IdentifierKind::Doi,
                id: doi,
            },
            _ => Verification::Verified {
                registry,
                id: String::new(),
                checked,
                extent: None,
            },
        }),
        None => Searched::NoMatch,
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
    let (Answer::Found(body), checked) =
        client.get_dated(Pool::OpenLibrary, &url, "application/json")
    else {
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
                    checked,
                    extent: None,
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

    use crate::registries::csl::Source;

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
