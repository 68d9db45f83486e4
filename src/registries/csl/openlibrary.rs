//! Open Library: the books API, the search, edition records.

use super::*;

pub(super) fn openlibrary_common(m: &Map<String, Value>, w: &mut RegistryWork) {
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
    // A count of zero, a string or a float is no count.
    w.page_count = m
        .get("number_of_pages")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n > 0);
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
