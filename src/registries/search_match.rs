//! For an entry without identifiers: which candidate of a bibliographic
//! search (Crossref `query.bibliographic`, `message.items[]`) is the work
//! the entry cites, or none.
//!
//! Crossref's `score` is not used: it has no threshold, grows with the
//! query's length, and there is always a top hit, even for works Crossref
//! does not hold. A candidate is judged on its title, authors and year.

use serde::{Deserialize, Serialize};

use crate::registries::compare::{EntryFacts, Field, TitleMatch, Verdict, compare};
use crate::registries::csl::RegistryWork;
use crate::registries::text::words;

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// Title matches and at least one of authors and year was compared and
    /// agrees; nothing compared disagrees on authors or year. Enough to say
    /// the work exists, not to write its DOI into the entry.
    Medium,
    /// Title matching (see [`crate::registries::compare::compare_titles`]), authors and
    /// year both compared and agreeing: good enough to suggest the
    /// candidate's DOI.
    High,
}

/// A title matched on its own (no authors or year to compare) is a
/// [`Confidence::Medium`] match only when it is the same, differs by a
/// subtitle, or is at least this similar…
pub const TITLE_ONLY_SIMILARITY: f64 = 0.95;

/// …and has at least this many words (characters for CJK).
pub const MIN_WORDS_TITLE_ONLY: usize = 4;

/// The candidate that matches an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchMatch {
    /// Its position among the candidates.
    pub index: usize,
    /// Its DOI, to suggest when the confidence is high.
    pub doi: Option<String>,
    pub confidence: Confidence,
    pub title_similarity: f64,
    /// The full comparison (container or pages may still disagree).
    pub verdict: Verdict,
}

/// The confidence of one candidate, or `None` when it is not the work.
fn judge(entry: &EntryFacts, verdict: &Verdict) -> Option<Confidence> {
    let title = verdict.title?;
    if !title.is_match() {
        return None;
    }
    if verdict.mismatch(Field::Authors).is_some() || verdict.mismatch(Field::Year).is_some() {
        return None;
    }
    let authors = verdict.compared.contains(&Field::Authors);
    let year = verdict.compared.contains(&Field::Year);
    if authors && year {
        return Some(Confidence::High);
    }
    if authors || year {
        return Some(Confidence::Medium);
    }
    let long_title = entry
        .title
        .as_deref()
        .is_some_and(|t| words(t).len() >= MIN_WORDS_TITLE_ONLY);
    let strong_title = matches!(title, TitleMatch::Same | TitleMatch::SubtitleDiffers)
        || title.score() >= TITLE_ONLY_SIMILARITY;
    (long_title && strong_title).then_some(Confidence::Medium)
}

/// Picks the candidate that is the entry's work: the highest confidence,
/// then the most similar title, then the fewest other mismatches, then the
/// search's own order. `None` when no candidate matches (report the work as
/// unverified).
pub fn best_match(entry: &EntryFacts, candidates: &[RegistryWork]) -> Option<SearchMatch> {
    let mut best: Option<SearchMatch> = None;
    for (index, work) in candidates.iter().enumerate() {
        let verdict = compare(entry, work);
        let Some(confidence) = judge(entry, &verdict) else {
            continue;
        };
        let candidate = SearchMatch {
            index,
            doi: work.doi.clone(),
            confidence,
            title_similarity: verdict.title.map_or(0.0, TitleMatch::score),
            verdict,
        };
        let better = match &best {
            None => true,
            Some(b) => {
                (candidate.confidence, candidate.title_similarity)
                    > (b.confidence, b.title_similarity)
                    || (candidate.confidence == b.confidence
                        && candidate.title_similarity == b.title_similarity
                        && candidate.verdict.mismatches.len() < b.verdict.mismatches.len())
            }
        };
        if better {
            best = Some(candidate);
        }
    }
    best
}

/// The text to send as Crossref's `query.bibliographic` for an entry: the
/// first three family names, the title, the container and the year, as
/// plain words (the caller percent-encodes it).
pub fn bibliographic_query(entry: &EntryFacts) -> String {
    let mut parts: Vec<String> = entry
        .family_names
        .iter()
        .take(3)
        .map(|n| n.split(',').next().unwrap_or(n).trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    parts.extend(entry.title.iter().map(|t| t.trim().to_string()));
    parts.extend(entry.container.iter().map(|c| c.trim().to_string()));
    parts.extend(entry.year.map(|y| y.to_string()));
    parts
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
