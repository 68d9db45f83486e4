//! An entry's facts against a registry's work: which fields disagree.
//!
//! Each field is compared only when both sides have it; what could not be
//! compared is neither a match nor a mismatch (see [`Verdict::compared`]).

use serde::{Deserialize, Serialize};

use crate::registries::csl::{RegistryWork, WorkKind};
use crate::registries::text::{
    fold, is_cjk, is_latin, key_similarity, levenshtein, title_key, words,
};

mod names;
mod titles;

use names::*;
pub use titles::compare_titles;

/// Titles whose comparable forms are at least this similar (1 − edit
/// distance / longer length) are the same title. README.md gives the
/// reasons for the value.
pub const TITLE_THRESHOLD: f64 = 0.85;

/// How many of the entry's authors are checked.
pub const AUTHORS_COMPARED: usize = 3;

/// What a bibliography entry says, in plain fields (the caller fills it
/// from its own entry type).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryFacts {
    pub title: Option<String>,
    /// Family names in order (`"Hensley"`; `"Hensley, M. L."` is read too).
    pub family_names: Vec<String>,
    pub year: Option<i32>,
    pub container: Option<String>,
    pub pages: Option<String>,
    pub volume: Option<String>,
    pub doi: Option<String>,
    pub isbn: Option<String>,
    pub kind: Option<WorkKind>,
}

/// A field of a work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Title,
    Authors,
    Year,
    Container,
    Pages,
    Volume,
    Kind,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Authors => "authors",
            Field::Year => "year",
            Field::Container => "container",
            Field::Pages => "pages",
            Field::Volume => "volume",
            Field::Kind => "kind",
        }
    }
}

/// One field on which the entry and the registry disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    pub field: Field,
    pub entry_value: String,
    pub registry_value: String,
}

/// How two titles compare.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum TitleMatch {
    /// The same once case, diacritics and punctuation are set aside.
    Same,
    /// One is the other with a subtitle (after `:`, `.`, `?`, `!`, a dash).
    SubtitleDiffers,
    /// Similar enough (small typos, spelling variants): the similarity.
    Similar(f64),
    /// Not the same title: the similarity.
    Different(f64),
}

impl TitleMatch {
    pub fn is_match(self) -> bool {
        !matches!(self, TitleMatch::Different(_))
    }

    /// 1.0 for the same title or a subtitle difference, else the similarity.
    pub fn score(self) -> f64 {
        match self {
            TitleMatch::Same | TitleMatch::SubtitleDiffers => 1.0,
            TitleMatch::Similar(s) | TitleMatch::Different(s) => s,
        }
    }
}

/// What comparing an entry with a registry's work found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub mismatches: Vec<Mismatch>,
    /// The fields both sides had and that were compared (matching or not).
    pub compared: Vec<Field>,
    /// How the titles compared, when both had one.
    pub title: Option<TitleMatch>,
}

impl Verdict {
    /// No compared field disagrees.
    pub fn is_match(&self) -> bool {
        self.mismatches.is_empty()
    }

    pub fn mismatch(&self, field: Field) -> Option<&Mismatch> {
        self.mismatches.iter().find(|m| m.field == field)
    }

    /// Title and authors both disagree: the identifier names another work
    /// (a DOI typed for another paper).
    pub fn is_other_work(&self) -> bool {
        self.mismatch(Field::Title).is_some() && self.mismatch(Field::Authors).is_some()
    }
}

const CONTAINER_STOPWORDS: [&str; 24] = [
    "of", "the", "and", "for", "in", "on", "a", "an", "und", "der", "die", "das", "des", "de",
    "la", "le", "les", "du", "di", "della", "et", "y", "zur", "fur",
];

/// `abbr` is an abbreviation of `word`: same first letter and its letters
/// in order within the word (`stud` ← `studies`, `natl` ← `national`).
fn abbreviates(abbr: &str, word: &str) -> bool {
    if abbr == word {
        return true;
    }
    let mut a = abbr.chars();
    let mut w = word.chars();
    match (a.next(), w.next()) {
        (Some(x), Some(y)) if x == y => {}
        _ => return false,
    }
    a.all(|c| w.by_ref().any(|d| d == c))
}

/// Container titles agree: as titles, or word by word as an abbreviation
/// (`J. Asian Stud.` = `Journal of Asian Studies`; articles and prepositions
/// set aside).
pub fn compare_containers(entry: &str, registry: &str) -> bool {
    if compare_titles(entry, registry, None).is_match() {
        return true;
    }
    let content = |s: &str| -> Vec<String> {
        words(s)
            .into_iter()
            .filter(|w| !CONTAINER_STOPWORDS.contains(&w.as_str()))
            .collect()
    };
    let (a, b) = (content(entry), content(registry));
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    a.iter()
        .zip(&b)
        .all(|(x, y)| abbreviates(x, y) || abbreviates(y, x))
}

/// The first page of a page field (`211–238` → `211`, `pp. e1234` →
/// `e1234`), lower case.
fn first_page(pages: &str) -> Option<String> {
    let p = pages.trim();
    let p = ["pp.", "pp", "p.", "S."]
        .iter()
        .find_map(|pre| p.strip_prefix(pre))
        .unwrap_or(p)
        .trim_start();
    let first: String = p
        .split(['-', '–', '—', '‐', ',', ' ', '+'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    (!first.is_empty()).then_some(first)
}

fn volume_key(volume: &str) -> String {
    let v = volume.trim().to_lowercase();
    let v = ["volume", "vol.", "vol", "v.", "bd."]
        .iter()
        .find_map(|pre| v.strip_prefix(pre))
        .unwrap_or(&v);
    v.trim().to_string()
}

fn kinds_conflict(a: WorkKind, b: WorkKind) -> bool {
    matches!(
        (a, b),
        (WorkKind::Article, WorkKind::Book) | (WorkKind::Book, WorkKind::Article)
    )
}

/// Compares an entry with the work a registry returned for it. See the
/// module and README.md for each field's rule.
pub fn compare(entry: &EntryFacts, work: &RegistryWork) -> Verdict {
    let mut v = Verdict {
        mismatches: Vec::new(),
        compared: Vec::new(),
        title: None,
    };
    let record = |v: &mut Verdict, field: Field, ok: bool, e: String, r: String| {
        v.compared.push(field);
        if !ok {
            v.mismatches.push(Mismatch {
                field,
                entry_value: e,
                registry_value: r,
            });
        }
    };

    if let (Some(et), Some(rt)) = (nonempty(&entry.title), nonempty(&work.title)) {
        let m = compare_titles(et, rt, work.subtitle.as_deref());
        v.title = Some(m);
        let shown = work.full_title().unwrap_or_else(|| rt.to_string());
        record(&mut v, Field::Title, m.is_match(), et.to_string(), shown);
    }

    let registry_names = if work.family_names.is_empty() {
        &work.editor_family_names
    } else {
        &work.family_names
    };
    if let Some(ok) = compare_authors(&entry.family_names, registry_names) {
        record(
            &mut v,
            Field::Authors,
            ok,
            names_for_display(&entry.family_names),
            names_for_display(registry_names),
        );
    }

    if let (Some(ey), Some(ry)) = (entry.year, work.year) {
        let ok = std::iter::once(ry)
            .chain(work.other_years.iter().copied())
            .any(|y| (i64::from(ey) - i64::from(y)).abs() <= 1);
        record(&mut v, Field::Year, ok, ey.to_string(), ry.to_string());
    }

    if let (Some(ec), Some(rc)) = (nonempty(&entry.container), nonempty(&work.container)) {
        let ok = compare_containers(ec, rc)
            || work
                .container_short
                .as_deref()
                .is_some_and(|s| compare_containers(ec, s));
        record(&mut v, Field::Container, ok, ec.to_string(), rc.to_string());
    }

    if let (Some(ep), Some(rp)) = (nonempty(&entry.pages), nonempty(&work.pages))
        && let (Some(a), Some(b)) = (first_page(ep), first_page(rp))
    {
        record(&mut v, Field::Pages, a == b, ep.to_string(), rp.to_string());
    }

    if let (Some(ev), Some(rv)) = (nonempty(&entry.volume), nonempty(&work.volume)) {
        record(
            &mut v,
            Field::Volume,
            volume_key(ev) == volume_key(rv),
            ev.to_string(),
            rv.to_string(),
        );
    }

    if let Some(ek) = entry.kind
        && !matches!(ek, WorkKind::Other)
        && !matches!(work.kind, WorkKind::Other)
    {
        let ok = !kinds_conflict(ek, work.kind);
        let shown = work
            .raw_type
            .clone()
            .unwrap_or_else(|| format!("{:?}", work.kind));
        record(
            &mut v,
            Field::Kind,
            ok,
            format!("{ek:?}").to_lowercase(),
            shown,
        );
    }
    v
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
