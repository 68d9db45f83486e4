//! The registries' answers read into one [`RegistryWork`]: CSL-JSON from
//! doi.org content negotiation, Crossref's `/works/{doi}` and search
//! envelopes (with `updated-by`/`update-to`), OpenAlex's `/works/doi:…`,
//! and Open Library's books API and edition records.
//!
//! Reading is tolerant: every field may be missing or of an unexpected
//! JSON type, and is then left empty rather than failing the whole work.
//! Only an answer that is not JSON, or not the expected envelope, fails.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::registries::identifiers::{check_doi, check_isbn, check_issn};
use crate::registries::text::{first_year, strip_markup};

mod json;
mod openalex;
mod openlibrary;

use json::*;
pub use openalex::*;
pub use openlibrary::*;

/// Why an answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("expected a JSON object")]
    NotAnObject,
    /// Crossref's envelope with a status other than `ok`.
    #[error("the registry answered status {0:?}")]
    Status(String),
    /// The envelope lacks the part that holds the work(s).
    #[error("no {0} in the answer")]
    Missing(&'static str),
}

/// The broad kind of a work, from CSL, Crossref, OpenAlex or an entry's
/// type name (see [`WorkKind::from_type`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkKind {
    Article,
    Book,
    Chapter,
    Proceedings,
    Thesis,
    Report,
    Dataset,
    Preprint,
    Other,
}

impl WorkKind {
    /// Reads a type name: CSL (`article-journal`, `chapter`), Crossref
    /// (`journal-article`, `book-chapter`, `posted-content`), OpenAlex
    /// (`article`, `book`) and common entry type names (`thesis`,
    /// `anthology`, `periodical`). Unknown names are [`WorkKind::Other`].
    pub fn from_type(name: &str) -> WorkKind {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "journal-article" | "article-journal" | "article" | "article-magazine"
            | "article-newspaper" | "review" | "review-book" | "periodical" | "letter"
            | "editorial" => WorkKind::Article,
            "book" | "monograph" | "edited-book" | "reference-book" | "book-set"
            | "book-series" | "anthology" | "books" => WorkKind::Book,
            "book-chapter" | "chapter" | "book-section" | "book-part" | "entry"
            | "entry-encyclopedia" | "entry-dictionary" | "reference-entry" => WorkKind::Chapter,
            "proceedings-article" | "paper-conference" | "proceedings" => WorkKind::Proceedings,
            "dissertation" | "thesis" => WorkKind::Thesis,
            "report" | "report-component" => WorkKind::Report,
            "dataset" => WorkKind::Dataset,
            "posted-content" | "preprint" => WorkKind::Preprint,
            _ => WorkKind::Other,
        }
    }
}

/// A date of which only the year is sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// What a later notice does to a work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UpdateKind {
    Retraction,
    /// `partial_retraction`: a part of the work is retracted.
    PartialRetraction,
    ExpressionOfConcern,
    /// `correction` and `corrigendum`.
    Correction,
    Erratum,
    Withdrawal,
    /// Any other type, as the registry spells it (`addendum`, …).
    Other(String),
}

impl UpdateKind {
    fn from_type(name: &str) -> UpdateKind {
        match name
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "retraction" | "retracted" => UpdateKind::Retraction,
            "partial_retraction" => UpdateKind::PartialRetraction,
            "expression_of_concern" | "concern" => UpdateKind::ExpressionOfConcern,
            "correction" | "corrigendum" => UpdateKind::Correction,
            "erratum" => UpdateKind::Erratum,
            "withdrawal" | "withdrawn" | "removal" => UpdateKind::Withdrawal,
            other => UpdateKind::Other(other.to_string()),
        }
    }

    /// Higher is graver: retraction 5, withdrawal 4, partial retraction 3,
    /// expression of concern 2, correction and erratum 1, other 0.
    pub fn severity(&self) -> u8 {
        match self {
            UpdateKind::Retraction => 5,
            UpdateKind::Withdrawal => 4,
            UpdateKind::PartialRetraction => 3,
            UpdateKind::ExpressionOfConcern => 2,
            UpdateKind::Correction | UpdateKind::Erratum => 1,
            UpdateKind::Other(_) => 0,
        }
    }
}

/// One `updated-by` or `update-to` entry of a Crossref record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Update {
    pub kind: UpdateKind,
    /// The other end: the notice (in `updated-by`) or the work it updates
    /// (in `update-to`), lower case.
    pub doi: Option<String>,
    pub date: Option<PartialDate>,
    /// `publisher` (Crossmark) or `retraction-watch`.
    pub source: Option<String>,
    /// `Retraction`, `Correction`, … as the registry labels it.
    pub label: Option<String>,
    /// The Retraction Watch database ID, for its entries.
    pub record_id: Option<String>,
}

/// Which registry's answer a work was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    Csl,
    Crossref,
    OpenAlex,
    OpenLibrary,
}

/// A work as a registry describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryWork {
    pub source: Source,
    /// Markup removed; a `RETRACTED:` prefix is kept as the registry has it.
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Family names of the authors in order; an organisation or a `literal`
    /// name whole.
    pub family_names: Vec<String>,
    /// Family names of the editors (for a book without authors).
    pub editor_family_names: Vec<String>,
    /// The year of `issued` (the earliest date, often online-first).
    pub year: Option<i32>,
    /// Other years the work carries (print, online), besides `year`.
    pub other_years: Vec<i32>,
    pub container: Option<String>,
    /// The abbreviated container title (`J. Mod. Chin. Rural Stud.`).
    pub container_short: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    /// `211-238`, or the first page alone.
    pub pages: Option<String>,
    /// Lower case, without `https://doi.org/`.
    pub doi: Option<String>,
    pub kind: WorkKind,
    /// The registry's own type name (`journal-article`).
    pub raw_type: Option<String>,
    pub publisher: Option<String>,
    /// ISBN-13s, valid ones only.
    pub isbns: Vec<String>,
    /// `NNNN-NNNC`, valid ones only.
    pub issns: Vec<String>,
    /// Later notices about this work (retractions, corrections).
    pub updated_by: Vec<Update>,
    /// For a notice: the works it updates.
    pub update_to: Vec<Update>,
    /// OpenAlex's `is_retracted`; `None` elsewhere.
    pub is_retracted: Option<bool>,
    /// A book's number of pages (Open Library's `number_of_pages`).
    #[serde(default)]
    pub page_count: Option<u32>,
}

impl RegistryWork {
    fn empty(source: Source) -> RegistryWork {
        RegistryWork {
            source,
            title: None,
            subtitle: None,
            family_names: Vec::new(),
            editor_family_names: Vec::new(),
            year: None,
            other_years: Vec::new(),
            container: None,
            container_short: None,
            volume: None,
            issue: None,
            pages: None,
            doi: None,
            kind: WorkKind::Other,
            raw_type: None,
            publisher: None,
            isbns: Vec::new(),
            issns: Vec::new(),
            updated_by: Vec::new(),
            update_to: Vec::new(),
            is_retracted: None,
            page_count: None,
        }
    }

    /// The gravest notice in `updated-by` (a retraction before a
    /// correction, wherever it stands in the array); among equals, the
    /// first, so the publisher's entry when it comes first.
    pub fn gravest_update(&self) -> Option<&Update> {
        let mut best: Option<&Update> = None;
        for u in &self.updated_by {
            if best.is_none_or(|b| u.kind.severity() > b.kind.severity()) {
                best = Some(u);
            }
        }
        best
    }

    /// Whether a registry says the work is retracted or withdrawn: a
    /// retraction or withdrawal in `updated-by`, or OpenAlex's
    /// `is_retracted`.
    pub fn is_retracted(&self) -> bool {
        self.is_retracted == Some(true)
            || self
                .updated_by
                .iter()
                .any(|u| matches!(u.kind, UpdateKind::Retraction | UpdateKind::Withdrawal))
    }

    /// `title: subtitle`, or the title alone.
    pub fn full_title(&self) -> Option<String> {
        match (&self.title, &self.subtitle) {
            (Some(t), Some(s)) => Some(format!("{t}: {s}")),
            (Some(t), None) => Some(t.clone()),
            (None, Some(s)) => Some(s.clone()),
            (None, None) => None,
        }
    }
}

/// CSL-JSON and Crossref's `message` share their field names, apart from
/// string-or-array titles and `container-title-short` against
/// `short-container-title`; this reads both.
fn work_from_citeproc(m: &Map<String, Value>, source: Source) -> RegistryWork {
    let mut w = RegistryWork::empty(source);
    w.title = title_of(m.get("title"));
    w.subtitle = title_of(m.get("subtitle"));
    // Some agencies append the subtitle to the title; drop a duplicate.
    if let (Some(t), Some(s)) = (&w.title, &w.subtitle)
        && t.ends_with(s.as_str())
        && t.len() > s.len()
    {
        w.subtitle = None;
    }
    w.family_names = names_of(m.get("author"));
    w.editor_family_names = names_of(m.get("editor"));
    for key in [
        "issued",
        "published",
        "published-print",
        "published-online",
        "created",
    ] {
        if key == "created" && w.year.is_some() {
            break;
        }
        push_year(&mut w, date_of(m.get(key)).map(|d| d.year));
    }
    w.container = title_of(m.get("container-title"));
    w.container_short = title_of(m.get("container-title-short"))
        .or_else(|| title_of(m.get("short-container-title")))
        .or_else(|| title_of(m.get("journalAbbreviation")));
    w.volume = text_of(m.get("volume"));
    w.issue = text_of(m.get("issue"));
    w.pages = text_of(m.get("page")).or_else(|| text_of(m.get("article-number")));
    // CSL's `number-of-pages` (a book's), a number or digits.
    w.page_count = text_of(m.get("number-of-pages"))
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|&n| n > 0);
    w.doi = text_of(m.get("DOI"))
        .or_else(|| text_of(m.get("doi")))
        .map(|d| doi_key(&d));
    w.raw_type = text_of(m.get("type"));
    w.kind = w
        .raw_type
        .as_deref()
        .map_or(WorkKind::Other, WorkKind::from_type);
    w.publisher = text_of(m.get("publisher"));
    w.isbns = valid_isbns(strings_of(m.get("ISBN")));
    w.issns = valid_issns(strings_of(m.get("ISSN")));
    w.updated_by = updates_of(m.get("updated-by"));
    w.update_to = updates_of(m.get("update-to"));
    w
}

/// Reads CSL-JSON, as doi.org content negotiation answers with
/// `Accept: application/vnd.citationstyles.csl+json` (Crossref's extended
/// CSL, DataCite's and mEDRA's). An array (some agencies wrap the item) is
/// read for its first object.
pub fn parse_csl(json: &str) -> Result<RegistryWork, ParseError> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(work_from_citeproc(&map, Source::Csl)),
        Ok(Value::Array(items)) => items
            .iter()
            .find_map(Value::as_object)
            .map(|m| work_from_citeproc(m, Source::Csl))
            .ok_or(ParseError::NotAnObject),
        Ok(_) => Err(ParseError::NotAnObject),
        Err(e) => Err(ParseError::NotJson(e.to_string())),
    }
}

fn crossref_message(json: &str) -> Result<Value, ParseError> {
    let mut map = parse_object(json)?;
    if let Some(status) = map.get("status").and_then(Value::as_str)
        && status != "ok"
    {
        return Err(ParseError::Status(status.to_string()));
    }
    map.remove("message").ok_or(ParseError::Missing("message"))
}

/// Reads Crossref's `/works/{doi}` answer
/// (`{"status":"ok","message-type":"work","message":{…}}`), with the
/// work's `updated-by` and `update-to` notices.
pub fn parse_crossref_work(json: &str) -> Result<RegistryWork, ParseError> {
    match crossref_message(json)? {
        Value::Object(m) => Ok(work_from_citeproc(&m, Source::Crossref)),
        _ => Err(ParseError::Missing("work")),
    }
}

/// Reads Crossref's search answer (`message.items[]`), each item a work;
/// items that are not objects are skipped. The items' `score` is not kept:
/// it has no threshold (see [`crate::registries::search_match`]).
pub fn parse_crossref_search(json: &str) -> Result<Vec<RegistryWork>, ParseError> {
    let message = crossref_message(json)?;
    let items = message
        .get("items")
        .and_then(Value::as_array)
        .ok_or(ParseError::Missing("items"))?;
    Ok(items
        .iter()
        .filter_map(Value::as_object)
        .map(|m| work_from_citeproc(m, Source::Crossref))
        .collect())
}

#[cfg(test)]
mod tests;
