//! The bibliography as the audit sees it: every entry Hayagriva parsed from
//! the document's YAML or BibLaTeX files, each with its place in its file, so
//! that a finding about an entry points at its line.

use std::ops::Range;
use std::path::Path;

use hayagriva::Entry;

use crate::document::SourceSpan;

/// Why a bibliography could not be read. Every variant names the file, and a
/// parse error its line and column.
#[derive(Debug, thiserror::Error)]
pub enum BibliographyError {
    #[error("failed to read bibliography {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{}:{}: malformed bibliography: {message}", .span.file, .span.line, .span.column)]
    Malformed { span: SourceSpan, message: String },
    #[error("{path}: unsupported bibliography format (expected .yaml, .yml or .bib)")]
    Format { path: String },
}

impl BibliographyError {
    /// What to do about it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Self::Malformed { .. } => Some(
                "fix the entry at this place; `ibid audit` reads the file as Typst does, with Hayagriva",
            ),
            Self::Format { .. } => {
                Some("Typst reads Hayagriva YAML (.yaml, .yml) and BibLaTeX (.bib) bibliographies")
            }
            Self::Io { .. } => None,
        }
    }
}

/// One bibliography entry and where it is written.
#[derive(Debug, Clone)]
pub struct BibEntry {
    pub key: String,
    pub entry: Entry,
    /// The entry's key in its file.
    pub span: SourceSpan,
    /// The URL as written in the file (Hayagriva percent-encodes it).
    pub url_as_written: Option<String>,
}

/// All entries of the document's bibliography files, in file order.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    /// Root-relative paths of the files read.
    pub files: Vec<String>,
    pub entries: Vec<BibEntry>,
}

impl Bibliography {
    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&BibEntry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Reads and parses the files at these root-relative paths.
    pub fn load(root: &Path, paths: &[String]) -> Result<Self, BibliographyError> {
        let mut bibliography = Self::default();
        for path in paths {
            let text = std::fs::read_to_string(root.join(path)).map_err(|source| {
                BibliographyError::Io {
                    path: path.clone(),
                    source,
                }
            })?;
            bibliography.entries.extend(parse(path, &text)?);
            bibliography.files.push(path.clone());
        }
        Ok(bibliography)
    }
}

/// The bibliography formats Typst reads, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Hayagriva YAML (`.yaml`, `.yml`).
    Yaml,
    /// BibLaTeX (`.bib`).
    Biblatex,
}

impl Format {
    pub fn of(path: &str) -> Option<Self> {
        match Path::new(path)
            .extension()?
            .to_str()?
            .to_ascii_lowercase()
            .as_str()
        {
            "yaml" | "yml" => Some(Self::Yaml),
            "bib" => Some(Self::Biblatex),
            _ => None,
        }
    }
}

/// Finds an entry's key in its file's text.
type KeyLocator = fn(&str, &str) -> Option<Range<usize>>;

/// Parses one bibliography file, YAML or BibLaTeX by its extension.
pub fn parse(path: &str, text: &str) -> Result<Vec<BibEntry>, BibliographyError> {
    let (library, locate): (hayagriva::Library, KeyLocator) = match Format::of(path) {
        Some(Format::Yaml) => (parse_yaml(path, text)?, yaml_key),
        Some(Format::Biblatex) => (parse_biblatex(path, text)?, biblatex_key),
        None => {
            return Err(BibliographyError::Format {
                path: path.to_string(),
            });
        }
    };
    Ok(library
        .iter()
        .map(|entry| {
            let key = entry.key().to_string();
            let range = locate(text, &key).unwrap_or(0..0);
            let url_as_written = entry
                .url()
                .map(|url| written_url(text, range.start, url.value.as_str()));
            BibEntry {
                span: SourceSpan::in_text(path, text, range),
                url_as_written,
                entry: entry.clone(),
                key,
            }
        })
        .collect())
}

fn parse_yaml(path: &str, text: &str) -> Result<hayagriva::Library, BibliographyError> {
    hayagriva::io::from_yaml_str(text).map_err(|err| {
        let index = err.location().map_or(0, |l| l.index());
        // serde_yaml appends "at line L column C"; the span says it already.
        let message = err.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        BibliographyError::Malformed {
            span: SourceSpan::in_text(path, text, index..index),
            message,
        }
    })
}

fn parse_biblatex(path: &str, text: &str) -> Result<hayagriva::Library, BibliographyError> {
    hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        let first = errors.into_iter().next();
        let (range, message) = match &first {
            Some(hayagriva::io::BibLaTeXError::Parse(e)) => (e.span.clone(), e.kind.to_string()),
            Some(hayagriva::io::BibLaTeXError::Type(e)) => (e.span.clone(), e.kind.to_string()),
            None => (0..0, "unreadable BibLaTeX".to_string()),
        };
        BibliographyError::Malformed {
            span: SourceSpan::in_text(path, text, range),
            message,
        }
    })
}

/// A top-level YAML key: the entry's key at the start of a line.
fn yaml_key(text: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let unquoted = line.strip_prefix(['"', '\'']).unwrap_or(line);
        let skipped = line.len() - unquoted.len();
        if let Some(rest) = unquoted.strip_prefix(key)
            && rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        {
            let start = offset + skipped;
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

/// A BibLaTeX entry's key: `@type{key,`.
fn biblatex_key(text: &str, key: &str) -> Option<Range<usize>> {
    let pattern = format!(r"@\w+\s*\{{\s*({})\s*,", regex::escape(key));
    let re = regex::Regex::new(&pattern).ok()?;
    re.captures(text)?.get(1).map(|m| m.range())
}

/// The URL as the file writes it: Hayagriva percent-encodes non-ASCII
/// characters, the author wrote them as they are. Looks for a URL after the
/// entry's key that decodes to the same address.
fn written_url(text: &str, entry_start: usize, parsed: &str) -> String {
    let url = regex::Regex::new(r#"https?://[^\s"'}]+"#).expect("valid regex");
    url.find_iter(&text[entry_start.min(text.len())..])
        .map(|m| m.as_str().trim_end_matches([',', '.']))
        .find(|candidate| same_url(candidate, parsed))
        .map_or_else(|| parsed.to_string(), str::to_string)
}

fn same_url(written: &str, parsed: &str) -> bool {
    written == parsed || percent_decode(parsed) == written
}

/// Decodes `%XX` escapes (as UTF-8, lossily), to compare a URL as written
/// with the same URL as parsed.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "# sources\nyang2007:\n  type: book\n  title: Mubei\n  author: Yang, Jisheng\n  url:\n    value: http://www.scribd.com/doc/6404050/墓碑\n    date: 2009-09-20\n\"quoted-key\":\n  type: web\n  url: http://example.org/a\n";

    #[test]
    fn entries_point_at_their_keys() {
        let entries = parse("refs.yaml", YAML).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (
                entries[0].key.as_str(),
                entries[0].span.line,
                entries[0].span.column
            ),
            ("yang2007", 2, 1)
        );
        assert_eq!(
            (
                entries[1].key.as_str(),
                entries[1].span.line,
                entries[1].span.column
            ),
            ("quoted-key", 9, 2)
        );
    }

    #[test]
    fn urls_are_kept_as_written() {
        let entries = parse("refs.yaml", YAML).unwrap();
        assert_eq!(
            entries[0].url_as_written.as_deref(),
            Some("http://www.scribd.com/doc/6404050/墓碑")
        );
        let parsed = entries[0].entry.url().unwrap().value.as_str().to_string();
        assert!(parsed.contains("%E5%A2%93"), "Hayagriva encodes: {parsed}");
    }

    #[test]
    fn malformed_yaml_is_located() {
        let err = parse("refs.yaml", "a:\n  type: book\n  title: [unclosed\n").unwrap_err();
        let BibliographyError::Malformed { span, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(span.file, "refs.yaml");
        assert!(span.line >= 3, "{err}");
        assert!(err.to_string().starts_with("refs.yaml:"), "{err}");
    }

    #[test]
    fn a_wrong_field_type_is_located() {
        let err = parse("refs.yaml", "a:\n  type: book\n  date: not a date at all\n").unwrap_err();
        assert!(matches!(err, BibliographyError::Malformed { .. }), "{err}");
    }

    #[test]
    fn biblatex_entries_and_errors_are_located() {
        let bib = "% refs\n@book{mac1983,\n  title = {The Origins},\n  author = {MacFarquhar, Roderick},\n  year = {1983},\n  publisher = {Columbia University Press},\n}\n";
        let entries = parse("refs.bib", bib).unwrap();
        assert_eq!(
            (
                entries[0].key.as_str(),
                entries[0].span.line,
                entries[0].span.column
            ),
            ("mac1983", 2, 7)
        );
        let err = parse("refs.bib", "@book{x,\n  title = {unclosed\n").unwrap_err();
        assert!(err.to_string().starts_with("refs.bib:"), "{err}");
    }

    #[test]
    fn other_formats_are_refused() {
        assert!(matches!(
            parse("refs.json", "{}"),
            Err(BibliographyError::Format { .. })
        ));
    }
}
