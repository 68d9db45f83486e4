//! Where each entry is written in its file: the span of its key, and the
//! stretch of text that holds its fields. One pass over the file for all
//! entries, so that locating is linear in the file's size.

use std::collections::HashMap;
use std::ops::Range;

use biblatex::RawBibliography;

/// An entry's place in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The key as written.
    pub key: Range<usize>,
    /// The entry's whole text: from its key to the next entry.
    pub body: Range<usize>,
}

/// The places of the top-level keys of a Hayagriva YAML file: a key at the
/// start of a line (quoted or not) followed by `:`.
pub fn yaml(text: &str) -> HashMap<String, Place> {
    let mut starts: Vec<(String, Range<usize>, usize)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((key, range)) = yaml_key(line) {
            starts.push((key, offset + range.start..offset + range.end, offset));
        }
        offset += line.len();
    }
    let mut places = HashMap::with_capacity(starts.len());
    for (i, (key, range, line)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |(_, _, next)| *next);
        // The first definition of a key is the one a duplicate is compared to.
        places.entry(key.clone()).or_insert(Place {
            key: range.clone(),
            body: *line..end,
        });
    }
    places
}

/// A top-level key on this line, with its range in the line.
fn yaml_key(line: &str) -> Option<(String, Range<usize>)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '%') || line.starts_with("---") {
        return None;
    }
    if let Some(quote) = ['"', '\''].into_iter().find(|&q| first == q) {
        let end = 1 + line[1..].find(quote)?;
        line[end + 1..]
            .trim_start()
            .starts_with(':')
            .then_some(())?;
        return Some((line[1..end].to_string(), 1..end));
    }
    let colon = line.find(':')?;
    let key = line[..colon].trim_end();
    (!key.is_empty()).then(|| (key.to_string(), 0..key.len()))
}

/// The places of the entries of a BibLaTeX file, read with the same raw
/// parser as the reader (empty when it cannot read the file).
pub fn biblatex(text: &str) -> HashMap<String, Place> {
    let Ok(raw) = RawBibliography::parse(text) else {
        return HashMap::new();
    };
    raw.entries
        .iter()
        .map(|entry| {
            (
                entry.v.key.v.to_string(),
                Place {
                    key: entry.v.key.span.clone(),
                    body: entry.span.clone(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_quoted_or_not_with_their_bodies() {
        let text = "# sources\nyang2007:\n  type: book\n\"quoted-key\":\n  type: web\n";
        let places = yaml(text);
        assert_eq!(&text[places["yang2007"].key.clone()], "yang2007");
        assert_eq!(&text[places["quoted-key"].key.clone()], "quoted-key");
        assert_eq!(
            &text[places["yang2007"].body.clone()],
            "yang2007:\n  type: book\n"
        );
    }

    #[test]
    fn biblatex_keys_with_their_bodies() {
        let text = "% refs\n@book{mac1983,\n  title = {The Origins},\n}\n@misc{x, title = {Y}}";
        let places = biblatex(text);
        assert_eq!(&text[places["mac1983"].key.clone()], "mac1983");
        assert!(text[places["mac1983"].body.clone()].contains("The Origins"));
        assert!(!text[places["mac1983"].body.clone()].contains("@misc"));
        assert_eq!(&text[places["x"].key.clone()], "x");
    }
}
