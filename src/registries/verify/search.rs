//! An entry without an identifier, by a bibliographic search: Crossref's,
//! then OpenAlex's; a book without an ISBN by Open Library's.

use super::{RegistryConfig, Verification, escape_query};
use crate::registries::client::{Answer, Client};
use crate::registries::compare::EntryFacts;
use crate::registries::csl::{RegistryWork, parse_crossref_search};
use crate::registries::identifiers::IdentifierKind;
use crate::registries::pace::Pool;
use crate::registries::search_match::{Confidence, best_match, bibliographic_query};

/// A work with no identifier, by a bibliographic search: Crossref's, then
/// (when Crossref finds no match) OpenAlex's. Found with confidence and a
/// DOI, the DOI is suggested; found, it is verified; found by neither, it
/// is not found by those that answered. A search that fails says nothing:
/// OpenAlex's failing (its daily allowance spent, say) leaves Crossref's
/// word; Crossref's failing, with no OpenAlex match, leaves it unverified.
pub(super) fn by_search(
    facts: &EntryFacts,
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
    let openalex = searched(
        "OpenAlex",
        facts,
        answer,
        super::super::csl::parse_openalex_search,
    );
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
    facts: &EntryFacts,
    (answer, checked): (Answer, i64),
    parse: impl Fn(&str) -> Result<Vec<RegistryWork>, super::super::csl::ParseError>,
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
pub(super) fn by_book_search(
    facts: &EntryFacts,
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
    let candidates = super::super::csl::parse_openlibrary_search(&body).unwrap_or_default();
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
