//! The bibliography as the audit sees it: every entry Hayagriva parsed from
//! the document's YAML or BibLaTeX files, each with its place in its file, so
//! that a finding about an entry points at its line.
//!
//! Files are read through the world (the sandboxed loader, like every read
//! of the tool) and parsed only after [`guard`] has passed them. Locating
//! the entries ([`locate`]) is one pass over each file.

pub mod guard;
pub mod locate;

use std::collections::HashMap;
use std::path::Path;

use hayagriva::Entry;

use crate::document::SourceSpan;

/// Why a bibliography could not be read. Every variant names the file, and a
/// parse error its line and column.
#[derive(Debug, thiserror::Error)]
pub enum BibliographyError {
    #[error("failed to read bibliography {path}: {message}")]
    Read { path: String, message: String },
    #[error("{}:{}:{}: malformed bibliography: {message}", .span.file, .span.line, .span.column)]
    Malformed { span: SourceSpan, message: String },
    #[error("{}:{}:{}: bibliography refused: {message}", .span.file, .span.line, .span.column)]
    Refused { span: SourceSpan, message: String },
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
            Self::Refused { .. } => Some(
                "the readers Typst uses would overflow or run out of memory on this; \
                 define it without the circle or the repetition",
            ),
            Self::Format { .. } => {
                Some("Typst reads Hayagriva YAML (.yaml, .yml) and BibLaTeX (.bib) bibliographies")
            }
            Self::Read { .. } => None,
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
    /// Where the URL is written, when it could be found in the entry's text
    /// (else the key's span serves).
    pub url_span: Option<SourceSpan>,
    /// Fields written under a name the format does not read, which users
    /// write for a standard one (`accessed` for `urldate`).
    pub nonstandard: Vec<Nonstandard>,
    /// The file the entry names for the work itself (BibLaTeX's `file`, as
    /// Zotero and JabRef export it; `file:` in YAML), as written.
    pub file: Option<String>,
}

/// A field written under a common but non-standard name.
#[derive(Debug, Clone, PartialEq)]
pub struct Nonstandard {
    /// The name as written.
    pub written: String,
    /// The format's name for it.
    pub standard: &'static str,
    pub span: SourceSpan,
}

impl BibEntry {
    /// The format of the file the entry is written in.
    pub fn format(&self) -> Format {
        Format::of(&self.span.file).unwrap_or(Format::Yaml)
    }

    /// A field's name in the entry's own format, from its Hayagriva name.
    pub fn field(&self, hayagriva: &'static str) -> &'static str {
        self.format().field(hayagriva)
    }

    /// Where a finding about the entry's URL points: the URL, else the key.
    pub fn url_place(&self) -> &SourceSpan {
        self.url_span.as_ref().unwrap_or(&self.span)
    }
}

/// All entries of the document's bibliography files, in file order.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    /// Root-relative paths of the files read.
    pub files: Vec<String>,
    pub entries: Vec<BibEntry>,
    /// Key → index into `entries` (the first entry with that key).
    index: HashMap<String, usize>,
}

impl Bibliography {
    /// A bibliography of these entries, read from these files.
    pub fn new(files: Vec<String>, entries: Vec<BibEntry>) -> Self {
        let mut index = HashMap::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            index.entry(entry.key.clone()).or_insert(i);
        }
        Self {
            files,
            entries,
            index,
        }
    }

    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&BibEntry> {
        self.index.get(key).map(|&i| &self.entries[i])
    }

    /// Reads and parses the files at these root-relative paths, each read
    /// by `read` (the front end's sandboxed loader: its text, or why not).
    pub fn load(
        read: &dyn Fn(&str) -> Result<String, String>,
        paths: &[String],
    ) -> Result<Self, BibliographyError> {
        let mut files = Vec::new();
        let mut entries = Vec::new();
        for path in paths {
            let text = read(path).map_err(|message| BibliographyError::Read {
                path: path.clone(),
                message,
            })?;
            entries.extend(parse(path, &text)?);
            files.push(path.clone());
        }
        Ok(Self::new(files, entries))
    }
}

/// The bibliography formats Typst reads, told by the file's extension as
/// Typst tells them.
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

    /// A field's name in this format, from its Hayagriva name (`url.date`
    /// is BibLaTeX's `urldate`).
    pub fn field(self, hayagriva: &'static str) -> &'static str {
        match (self, hayagriva) {
            (Self::Yaml, name) => name,
            (Self::Biblatex, "url.date") => "urldate",
            (Self::Biblatex, "page-range") => "pages",
            (Self::Biblatex, "page-total") => "pagetotal",
            (Self::Biblatex, "parent") => "journaltitle",
            (Self::Biblatex, "serial-number.doi") => "doi",
            (Self::Biblatex, "serial-number.isbn") => "isbn",
            (Self::Biblatex, name) => name,
        }
    }

    /// The non-standard names users write for this format's fields, with
    /// the standard name.
    fn nonstandard(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Yaml => &[
                ("accessed", "url.date"),
                ("access-date", "url.date"),
                ("access_date", "url.date"),
                ("urldate", "url.date"),
                ("urlaccessdate", "url.date"),
                ("pages", "page-range"),
                ("year", "date"),
                ("doi", "serial-number: { doi: … }"),
                ("isbn", "serial-number: { isbn: … }"),
            ],
            Self::Biblatex => &[
                ("accessed", "urldate"),
                ("access-date", "urldate"),
                ("access_date", "urldate"),
                ("accessdate", "urldate"),
                ("urlaccessdate", "urldate"),
                ("lastchecked", "urldate"),
                ("visited", "urldate"),
            ],
        }
    }

    /// Checks a file of this format before any reader sees it.
    pub fn guard(self, text: &str) -> Result<(), guard::Refusal> {
        match self {
            Self::Yaml => guard::yaml(text),
            Self::Biblatex => guard::biblatex(text),
        }
    }
}

/// Parses one bibliography file, YAML or BibLaTeX by its extension, after
/// the guard has passed it.
pub fn parse(path: &str, text: &str) -> Result<Vec<BibEntry>, BibliographyError> {
    let format = Format::of(path).ok_or_else(|| BibliographyError::Format {
        path: path.to_string(),
    })?;
    format
        .guard(text)
        .map_err(|refusal| BibliographyError::Refused {
            span: SourceSpan::in_text(path, text, refusal.range),
            message: refusal.message,
        })?;
    let (library, places) = match format {
        Format::Yaml => (parse_yaml(path, text)?, locate::yaml(text)),
        Format::Biblatex => (parse_biblatex(path, text)?, locate::biblatex(text)),
    };
    let lines = LineIndex::new(text);
    Ok(library
        .iter()
        .map(|entry| {
            let key = entry.key().to_string();
            let place = places.get(&key);
            let range = place.map_or(0..0, |p| p.key.clone());
            let body = place.map_or(0..0, |p| p.body.clone());
            let written = entry
                .url()
                .map(|url| written_url(&text[body.clone()], url.value.as_str()));
            let url_span = written.as_ref().and_then(|(url, at)| {
                let start = body.start + (*at)?;
                Some(lines.span(path, text, start..start + url.len()))
            });
            let nonstandard = nonstandard_fields(format, &text[body.clone()])
                .map(|(at, written, standard)| Nonstandard {
                    span: lines.span(path, text, body.start + at..body.start + at + written.len()),
                    written,
                    standard,
                })
                .collect();
            BibEntry {
                file: raw_field(format, &text[body.clone()], "file"),
                span: lines.span(path, text, range),
                url_as_written: written.map(|(url, _)| url),
                url_span,
                nonstandard,
                entry: entry.clone(),
                key,
            }
        })
        .collect())
}

/// The value of the field `name` as written in an entry's text (a field
/// Hayagriva does not keep): BibLaTeX's `name = {…}` or `name = "…"`
/// (braces balanced), YAML's `name: value` at the entry's own indent.
fn raw_field(format: Format, body: &str, name: &str) -> Option<String> {
    let mut offset = 0;
    let top = top_indent(format, body);
    for line in body.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let Some(after) = rest
            .get(..name.len())
            .filter(|n| n.eq_ignore_ascii_case(name))
            .map(|_| rest[name.len()..].trim_start())
        else {
            continue;
        };
        match format {
            Format::Yaml if indent == top => {
                let value = after.strip_prefix(':')?.trim();
                let value = value.trim_matches(|c| c == '"' || c == '\'');
                return (!value.is_empty()).then(|| value.to_string());
            }
            Format::Biblatex => {
                let Some(value) = after.strip_prefix('=') else {
                    continue;
                };
                let value = value.trim_start();
                let start = at + indent + (rest.len() - after.len()) + (after.len() - value.len());
                return delimited(&body[start + 1..], value.chars().next()?);
            }
            Format::Yaml => {}
        }
    }
    None
}

/// The indent of an entry's own fields (in YAML, the shallowest indent
/// below the key's line).
fn top_indent(format: Format, body: &str) -> usize {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .filter(|&indent| indent > 0 || format == Format::Biblatex)
        .min()
        .unwrap_or(0)
}

/// A BibLaTeX value after its opening `{` (braces balanced) or `"`.
fn delimited(text: &str, open: char) -> Option<String> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match (open, c) {
            ('{', '{') => depth += 1,
            ('{', '}') if depth == 0 => return Some(text[..i].trim().to_string()),
            ('{', '}') => depth -= 1,
            ('"', '"') => return Some(text[..i].trim().to_string()),
            _ => {}
        }
    }
    None
}

/// The fields of an entry's text written under a non-standard name: where,
/// as written, and the standard name.
fn nonstandard_fields(
    format: Format,
    body: &str,
) -> impl Iterator<Item = (usize, String, &'static str)> + '_ {
    // Only the entry's own fields: in YAML those at the shallowest indent
    // (a `doi` under `serial-number:` is where it belongs).
    let top = top_indent(format, body);
    let mut offset = 0;
    body.split_inclusive('\n').filter_map(move |line| {
        let at = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start().len();
        if format == Format::Yaml && indent != top {
            return None;
        }
        let name: String = line[indent..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let after = line[indent + name.len()..].trim_start();
        let assigned = match format {
            Format::Yaml => after.starts_with(':'),
            Format::Biblatex => after.starts_with('='),
        };
        if !assigned || name.is_empty() {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        format
            .nonstandard()
            .iter()
            .find(|(written, _)| *written == lower)
            .map(|(_, standard)| (at + indent, name, *standard))
    })
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

/// Line starts of a file, so that many spans cost a lookup each instead of
/// a scan from the start of the file.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        Self(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    fn span(&self, file: &str, text: &str, range: std::ops::Range<usize>) -> SourceSpan {
        let start = range.start.min(text.len());
        let line = self.0.partition_point(|&s| s <= start);
        let line_start = self.0[line - 1];
        SourceSpan {
            file: file.to_string(),
            line,
            column: text
                .get(line_start..start)
                .map_or(1, |s| s.chars().count() + 1),
            range,
        }
    }
}

/// The URL as the entry's text writes it, and where in `body`: Hayagriva
/// percent-encodes non-ASCII characters, the author wrote them as they are.
fn written_url(body: &str, parsed: &str) -> (String, Option<usize>) {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"[A-Za-z][A-Za-z0-9+.-]*:[^\s"'}]+"#).expect("valid regex")
    });
    URL.find_iter(body)
        .map(|m| (m.as_str().trim_end_matches([',', '.']), m.start()))
        .find(|(candidate, _)| same_url(candidate, parsed))
        .map_or_else(
            || (parsed.to_string(), None),
            |(url, at)| (url.to_string(), Some(at)),
        )
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
        assert_eq!(
            (span.file.as_str(), span.line, span.column),
            ("refs.yaml", 3, 10),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("refs.yaml:3:10: malformed bibliography"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_field_type_is_located_at_the_value() {
        let err = parse("refs.yaml", "a:\n  type: book\n  date: not a date at all\n").unwrap_err();
        let BibliographyError::Malformed { span, message } = &err else {
            panic!("{err}")
        };
        assert_eq!((span.line, span.column), (3, 9), "{err}");
        assert!(message.contains("a.date"), "{message}");
    }

    #[test]
    fn a_refused_file_is_located_and_never_parsed() {
        let err = parse("refs.bib", "% loop\n@string{a = a}\n@book{x, title = a}\n").unwrap_err();
        let BibliographyError::Refused { span, message } = &err else {
            panic!("{err}")
        };
        assert_eq!((span.line, span.column), (2, 9), "{err}");
        assert!(message.contains("defined in terms of itself"), "{message}");
    }

    #[test]
    fn twenty_thousand_entries_are_located_in_one_pass() {
        // 20,000 entries, each with a URL: the old locator searched the
        // whole file for every key (minutes); this reads it in one pass.
        let text: String = (0..20_000)
            .map(|i| format!("e{i}:\n  type: web\n  url: http://example.org/{i}\n"))
            .collect();
        let entries = parse("refs.yaml", &text).unwrap();
        assert_eq!(entries.len(), 20_000);
        assert_eq!(entries[19_999].span.line, 3 * 19_999 + 1);
        assert_eq!(
            entries[19_999].url_as_written.as_deref(),
            Some("http://example.org/19999")
        );
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
