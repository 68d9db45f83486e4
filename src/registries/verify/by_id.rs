//! An entry by its identifier: a DOI through Crossref's record (else
//! doi.org's content negotiation, any agency) with its updates and
//! OpenAlex's `is_retracted`; an ISBN through Open Library's books API.

use super::{RegistryConfig, Verification, escape_path, judged};
use crate::registries::client::{Answer, Client};
use crate::registries::compare::EntryFacts;
use crate::registries::csl::{
    RegistryWork, Update, UpdateKind, openlibrary_book_for, parse_crossref_work, parse_csl,
};
use crate::registries::pace::Pool;

/// An entry by its DOI.
pub(super) fn by_doi(
    doi: &str,
    facts: &EntryFacts,
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
fn openalex_retraction(doi: &str, client: &Client, config: &RegistryConfig) -> Option<Update> {
    let url = format!(
        "{}/works/doi:{}",
        config.openalex_url.trim_end_matches('/'),
        escape_path(doi)
    );
    let Answer::Found(body) = client.get(Pool::OpenAlex, &url, "application/json") else {
        return None;
    };
    let work = super::super::csl::parse_openalex_work(&body).ok()?;
    work.is_retracted().then(|| Update {
        kind: UpdateKind::Retraction,
        doi: None,
        date: None,
        source: Some("openalex".to_string()),
        label: Some("Retraction (OpenAlex is_retracted)".to_string()),
        record_id: None,
    })
}

pub(super) fn by_isbn(
    isbn: &super::super::identifiers::Isbn,
    facts: &EntryFacts,
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
