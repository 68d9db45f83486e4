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

fn parse_object(json: &str) -> Result<Map<String, Value>, ParseError> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParseError::NotAnObject),
        Err(e) => Err(ParseError::NotJson(e.to_string())),
    }
}

/// A string, a number, or the first non-empty string of an array; trimmed,
/// `None` when empty.
fn text_of(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => return items.iter().find_map(|i| text_of(Some(i))),
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn title_of(v: Option<&Value>) -> Option<String> {
    text_of(v)
        .map(|t| {
            strip_markup(&t)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
}

fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| text_of(Some(i))).collect(),
        Some(other) => text_of(Some(other)).into_iter().collect(),
        None => Vec::new(),
    }
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `{"date-parts": [[Y, M, D]]}`, or `{"raw"|"literal": "…"}`, or a
/// `YYYY-MM-DD` string.
fn date_of(v: Option<&Value>) -> Option<PartialDate> {
    let v = v?;
    if let Some(s) = v.as_str() {
        return date_from_text(s);
    }
    if let Some(parts) = v
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(Value::as_array)
    {
        let year = parts
            .first()
            .and_then(int_of)
            .and_then(|y| i32::try_from(y).ok());
        if let Some(year) = year {
            let small = |i: usize| {
                parts
                    .get(i)
                    .and_then(int_of)
                    .and_then(|n| u8::try_from(n).ok())
                    .filter(|n| *n > 0)
            };
            return Some(PartialDate {
                year,
                month: small(1),
                day: small(2),
            });
        }
    }
    ["raw", "literal", "date-time"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str).and_then(date_from_text))
}

fn date_from_text(s: &str) -> Option<PartialDate> {
    let mut parts = s.trim().splitn(3, '-');
    let first = parts.next()?;
    if first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit()) {
        let num = |p: Option<&str>| {
            p.and_then(|p| p.get(..2).or(Some(p)))
                .and_then(|p| p.parse::<u8>().ok())
                .filter(|n| *n > 0)
        };
        let year = first.parse().ok()?;
        return Some(PartialDate {
            year,
            month: num(parts.next()),
            day: num(parts.next()),
        });
    }
    first_year(s).map(|year| PartialDate {
        year,
        month: None,
        day: None,
    })
}

/// The family name of a CSL/Crossref name object: `family`, else
/// `literal`, else `name` (an organisation).
fn family_of(name: &Value) -> Option<String> {
    if let Some(s) = name.as_str() {
        return text_of(Some(&Value::String(s.to_string())));
    }
    ["family", "literal", "name"]
        .iter()
        .find_map(|k| text_of(name.get(*k)))
}

fn names_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(family_of).collect(),
        _ => Vec::new(),
    }
}

/// The family name in a display name: before a comma (`Hensley, Margaret`),
/// else the last word (`Margaret L. Hensley`), without `Jr.`-like suffixes.
/// A name with no space (`张伟`) is kept whole.
pub(crate) fn family_from_display(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some((family, _)) = name.split_once(',') {
        let family = family.trim();
        return (!family.is_empty()).then(|| family.to_string());
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let suffixes = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
    let last = words
        .iter()
        .rev()
        .find(|w| !suffixes.contains(&w.to_ascii_lowercase().as_str()))
        .or(words.last())?;
    Some(last.to_string())
}

fn updates_of(v: Option<&Value>) -> Vec<Update> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|i| i.is_object())
        .map(|i| Update {
            kind: UpdateKind::from_type(&text_of(i.get("type")).unwrap_or_default()),
            doi: text_of(i.get("DOI")).map(|d| doi_key(&d)),
            date: date_of(i.get("updated")),
            source: text_of(i.get("source")),
            label: text_of(i.get("label")),
            record_id: text_of(i.get("record-id")),
        })
        .collect()
}

/// A DOI as stored: checked and lower case when valid, else the text
/// lower-cased without its URL form.
fn doi_key(text: &str) -> String {
    match check_doi(text) {
        Ok(doi) => doi.key(),
        Err(_) => text
            .trim()
            .trim_start_matches("https://doi.org/")
            .to_ascii_lowercase(),
    }
}

fn valid_isbns(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if let Ok(isbn) = check_isbn(&v) {
            let i13 = isbn.to_isbn13();
            if !out.contains(&i13) {
                out.push(i13);
            }
        }
    }
    out
}

fn valid_issns(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if let Ok(issn) = check_issn(&v) {
            let s = issn.to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

fn push_year(work: &mut RegistryWork, year: Option<i32>) {
    let Some(year) = year else { return };
    if work.year.is_none() {
        work.year = Some(year);
    } else if work.year != Some(year) && !work.other_years.contains(&year) {
        work.other_years.push(year);
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

/// Reads OpenAlex's single work (`/works/doi:…`).
pub fn parse_openalex_work(json: &str) -> Result<RegistryWork, ParseError> {
    let m = parse_object(json)?;
    let mut w = RegistryWork::empty(Source::OpenAlex);
    w.title = title_of(m.get("title")).or_else(|| title_of(m.get("display_name")));
    if let Some(Value::Array(authorships)) = m.get("authorships") {
        for a in authorships {
            let display = text_of(a.get("author").and_then(|x| x.get("display_name")))
                .or_else(|| text_of(a.get("raw_author_name")));
            if let Some(family) = display.as_deref().and_then(family_from_display) {
                w.family_names.push(family);
            }
        }
    }
    push_year(
        &mut w,
        m.get("publication_year")
            .and_then(int_of)
            .and_then(|y| i32::try_from(y).ok()),
    );
    push_year(&mut w, date_of(m.get("publication_date")).map(|d| d.year));
    let location = m.get("primary_location");
    let source = location.and_then(|l| l.get("source"));
    w.container = title_of(source.and_then(|s| s.get("display_name")))
        .or_else(|| title_of(location.and_then(|l| l.get("raw_source_name"))));
    w.issns = valid_issns(strings_of(source.and_then(|s| s.get("issn"))));
    w.publisher = text_of(source.and_then(|s| s.get("host_organization_name")));
    if let Some(biblio) = m.get("biblio") {
        w.volume = text_of(biblio.get("volume"));
        w.issue = text_of(biblio.get("issue"));
        w.pages = match (
            text_of(biblio.get("first_page")),
            text_of(biblio.get("last_page")),
        ) {
            (Some(f), Some(l)) if f != l => Some(format!("{f}-{l}")),
            (Some(f), _) => Some(f),
            (None, _) => None,
        };
    }
    w.doi = text_of(m.get("doi")).map(|d| doi_key(&d));
    // Crossref's type where OpenAlex kept it: OpenAlex's `article` covers
    // proceedings and posted content too.
    w.raw_type =
        text_of(location.and_then(|l| l.get("raw_type"))).or_else(|| text_of(m.get("type")));
    w.kind = w
        .raw_type
        .as_deref()
        .map_or(WorkKind::Other, WorkKind::from_type);
    w.is_retracted = m.get("is_retracted").and_then(Value::as_bool);
    Ok(w)
}

fn openlibrary_common(m: &Map<String, Value>, w: &mut RegistryWork) {
    w.title = title_of(m.get("title"));
    w.subtitle = title_of(m.get("subtitle"));
    push_year(
        w,
        text_of(m.get("publish_date"))
            .as_deref()
            .and_then(first_year),
    );
    w.kind = WorkKind::Book;
    w.raw_type = Some("book".to_string());
}

/// Reads Open Library's books API (`/api/books?bibkeys=ISBN:…&format=json&jscmd=data`):
/// each bibkey with its work, in the answer's order. `{}` (no such ISBN)
/// gives an empty list.
pub fn parse_openlibrary_books(json: &str) -> Result<Vec<(String, RegistryWork)>, ParseError> {
    let map = parse_object(json)?;
    let mut out = Vec::new();
    for (key, value) in &map {
        let Some(m) = value.as_object() else { continue };
        let mut w = RegistryWork::empty(Source::OpenLibrary);
        openlibrary_common(m, &mut w);
        if let Some(Value::Array(authors)) = m.get("authors") {
            w.family_names = authors
                .iter()
                .filter_map(|a| text_of(a.get("name")))
                .filter_map(|n| family_from_display(&n))
                .collect();
        }
        w.publisher = m.get("publishers").and_then(Value::as_array).and_then(|p| {
            p.iter()
                .find_map(|x| text_of(x.get("name")).or_else(|| text_of(Some(x))))
        });
        let ids = m.get("identifiers");
        let mut isbns = strings_of(ids.and_then(|i| i.get("isbn_13")));
        isbns.extend(strings_of(ids.and_then(|i| i.get("isbn_10"))));
        w.isbns = valid_isbns(isbns);
        out.push((key.clone(), w));
    }
    Ok(out)
}

/// The work for one ISBN in a books API answer: the entry whose bibkey or
/// listed ISBNs name the same book (ISBN-10 and -13 alike); `None` for `{}`.
pub fn openlibrary_book_for(
    json: &str,
    isbn: &crate::registries::identifiers::Isbn,
) -> Result<Option<RegistryWork>, ParseError> {
    let wanted = isbn.to_isbn13();
    Ok(parse_openlibrary_books(json)?
        .into_iter()
        .find_map(|(key, w)| {
            let key_isbn = key
                .strip_prefix("ISBN:")
                .or_else(|| key.strip_prefix("isbn:"))
                .and_then(|k| check_isbn(k).ok())
                .map(|i| i.to_isbn13());
            (key_isbn.as_deref() == Some(wanted.as_str()) || w.isbns.contains(&wanted)).then_some(w)
        }))
}

/// Reads Open Library's search (`/search.json?title=…&author=…`): one work
/// per document, with its first year and its ISBNs.
pub fn parse_openlibrary_search(json: &str) -> Result<Vec<RegistryWork>, ParseError> {
    let map = parse_object(json)?;
    let docs = map
        .get("docs")
        .and_then(Value::as_array)
        .ok_or(ParseError::Missing("docs"))?;
    Ok(docs
        .iter()
        .filter_map(Value::as_object)
        .map(|doc| {
            let mut w = RegistryWork::empty(Source::OpenLibrary);
            w.kind = WorkKind::Book;
            w.raw_type = Some("book".to_string());
            w.title = text_of(doc.get("title"));
            w.subtitle = text_of(doc.get("subtitle"));
            w.family_names = strings_of(doc.get("author_name"))
                .iter()
                .filter_map(|n| family_from_display(n))
                .collect();
            w.year = doc
                .get("first_publish_year")
                .and_then(Value::as_i64)
                .and_then(|y| i32::try_from(y).ok());
            w.isbns = valid_isbns(strings_of(doc.get("isbn")));
            w
        })
        .collect())
}

/// Reads an Open Library edition record (`/isbn/{isbn}.json` after its
/// redirect). Its `authors` are only keys, so `family_names` stays empty.
pub fn parse_openlibrary_edition(json: &str) -> Result<RegistryWork, ParseError> {
    let m = parse_object(json)?;
    let mut w = RegistryWork::empty(Source::OpenLibrary);
    openlibrary_common(&m, &mut w);
    w.publisher = text_of(m.get("publishers"));
    let mut isbns = strings_of(m.get("isbn_13"));
    isbns.extend(strings_of(m.get("isbn_10")));
    w.isbns = valid_isbns(isbns);
    Ok(w)
}

#[cfg(test)]
mod tests;
