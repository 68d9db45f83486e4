//! Reading values out of the registries' JSON: texts, titles, dates,
//! names, updates, identifiers.

use super::*;

pub(super) fn parse_object(json: &str) -> Result<Map<String, Value>, ParseError> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParseError::NotAnObject),
        Err(e) => Err(ParseError::NotJson(e.to_string())),
    }
}

/// A string, a number, or the first non-empty string of an array; trimmed,
/// `None` when empty.
pub(super) fn text_of(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => return items.iter().find_map(|i| text_of(Some(i))),
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub(super) fn title_of(v: Option<&Value>) -> Option<String> {
    text_of(v)
        .map(|t| {
            strip_markup(&t)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
}

pub(super) fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| text_of(Some(i))).collect(),
        Some(other) => text_of(Some(other)).into_iter().collect(),
        None => Vec::new(),
    }
}

pub(super) fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `{"date-parts": [[Y, M, D]]}`, or `{"raw"|"literal": "…"}`, or a
/// `YYYY-MM-DD` string.
pub(super) fn date_of(v: Option<&Value>) -> Option<PartialDate> {
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

pub(super) fn date_from_text(s: &str) -> Option<PartialDate> {
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
pub(super) fn family_of(name: &Value) -> Option<String> {
    if let Some(s) = name.as_str() {
        return text_of(Some(&Value::String(s.to_string())));
    }
    ["family", "literal", "name"]
        .iter()
        .find_map(|k| text_of(name.get(*k)))
}

pub(super) fn names_of(v: Option<&Value>) -> Vec<String> {
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

pub(super) fn updates_of(v: Option<&Value>) -> Vec<Update> {
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
pub(super) fn doi_key(text: &str) -> String {
    match check_doi(text) {
        Ok(doi) => doi.key(),
        Err(_) => text
            .trim()
            .trim_start_matches("https://doi.org/")
            .to_ascii_lowercase(),
    }
}

pub(super) fn valid_isbns(values: Vec<String>) -> Vec<String> {
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

pub(super) fn valid_issns(values: Vec<String>) -> Vec<String> {
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

pub(super) fn push_year(work: &mut RegistryWork, year: Option<i32>) {
    let Some(year) = year else { return };
    if work.year.is_none() {
        work.year = Some(year);
    } else if work.year != Some(year) && !work.other_years.contains(&year) {
        work.other_years.push(year);
    }
}
