//! OpenAlex: a work object, and the search's list of them.

use super::*;

/// Reads OpenAlex's single work (`/works/doi:…`).
pub fn parse_openalex_work(json: &str) -> Result<RegistryWork, ParseError> {
    Ok(openalex_work(&parse_object(json)?))
}

/// Reads OpenAlex's search (`/works?search=…`): the works of `results`, in
/// the order of relevance it gives.
pub fn parse_openalex_search(json: &str) -> Result<Vec<RegistryWork>, ParseError> {
    let map = parse_object(json)?;
    let results = map
        .get("results")
        .and_then(Value::as_array)
        .ok_or(ParseError::Missing("results"))?;
    Ok(results
        .iter()
        .filter_map(Value::as_object)
        .map(openalex_work)
        .collect())
}

/// One OpenAlex work object.
fn openalex_work(m: &Map<String, Value>) -> RegistryWork {
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
    w
}
