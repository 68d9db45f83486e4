//! What the registries said: each entry's verifications, and the pages a
//! registry records for a work.

use std::collections::HashMap;

use crate::registries::compare::Verdict;
use crate::registries::csl::{RegistryWork, Update};
use crate::registries::identifiers::IdentifierKind;

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
    /// The pages a registry records for each entry it verified by an
    /// identifier, by key: the registry, the identifier, the pages.
    pub fn extents(&self) -> HashMap<&str, (&'static str, &str, Extent)> {
        self.results
            .iter()
            .filter_map(|(key, verifications)| {
                verifications.iter().find_map(|v| match v {
                    Verification::Verified {
                        registry,
                        id,
                        extent: Some(extent),
                        ..
                    } if !id.is_empty() => Some((key.as_str(), (*registry, id.as_str(), *extent))),
                    _ => None,
                })
            })
            .collect()
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
