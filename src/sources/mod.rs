//! The cited works themselves: files the author has for the entries (a PDF,
//! an EPUB, an HTML page, plain text), read into pages as printed, so that
//! each quotation can be looked for on the page it cites, as a supervisor
//! would with the book open.
//!
//! Which file is an entry's: `--source KEY=PATH` (`[sources]` in
//! `ibid.toml`), the entry's own `file` field (Zotero's and JabRef's
//! `Description:path:type` included), or a file named by the key in the
//! sources folder. Files are read inside the project root only, bounded in
//! size, and read once: their pages are cached under `.ibid/sources/` by a
//! hash of their content. This module does the I/O; [`find`] and
//! [`pages`] are pure.

mod epub;
pub mod find;
mod markup;
pub mod pages;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::bibliography::{BibEntry, Bibliography};
pub use find::{Found, Tokens};
pub use pages::{Numbering, Page, SourceText};

/// A source larger than this is not read (a scan of a whole archive).
const MAX_SOURCE: u64 = 256 * 1024 * 1024;
/// Pages read at most from one source.
const MAX_PAGES: usize = 5_000;
/// The extensions a file named by its key may have, in this order.
const EXTENSIONS: &[&str] = &["pdf", "epub", "html", "htm", "xhtml", "txt"];

/// Where the sources are, resolved from the options.
#[derive(Debug, Clone, Default)]
pub struct SourceConfig {
    /// The project root: no source is read outside it.
    pub root: PathBuf,
    /// Files named for keys (`--source KEY=PATH`).
    pub files: Vec<(String, PathBuf)>,
    /// A folder of files named by key (`teiwes1999.pdf`).
    pub folder: Option<PathBuf>,
    /// Where read sources are cached; none with `--no-cache`.
    pub cache: Option<PathBuf>,
}

/// What became of one entry's source.
#[derive(Debug)]
pub enum Source {
    Read {
        /// As the user named it.
        path: String,
        text: Arc<SourceText>,
        tokens: Arc<Tokens>,
    },
    /// Named, but not there.
    Missing { path: String },
    /// There, but no text could be read from it (and why).
    Unreadable { path: String, reason: String },
}

impl Source {
    pub fn path(&self) -> &str {
        match self {
            Source::Read { path, .. }
            | Source::Missing { path }
            | Source::Unreadable { path, .. } => path,
        }
    }
}

/// Every attached source, by entry key.
#[derive(Debug, Default)]
pub struct SourceReport {
    pub sources: HashMap<String, Source>,
    /// What the user should know (page numbers inferred, a cache not
    /// written).
    pub notices: Vec<String>,
}

impl SourceReport {
    pub fn get(&self, key: &str) -> Option<&Source> {
        self.sources.get(key)
    }
}

/// Reads the source of every entry that has one.
pub fn read_all(bibliography: &Bibliography, config: &SourceConfig) -> SourceReport {
    let attached: Vec<(String, PathBuf, String)> = bibliography
        .entries
        .iter()
        .filter_map(|entry| {
            let (path, shown) = attachment(entry, config)?;
            Some((entry.key.clone(), path, shown))
        })
        .collect();
    let mut report = SourceReport::default();
    if attached.is_empty() {
        return report;
    }
    let sandbox = match crate::sandbox::Sandbox::new(&config.root) {
        Ok(sandbox) => sandbox,
        Err(err) => {
            report
                .notices
                .push(format!("warning: the sources cannot be read: {err}"));
            return report;
        }
    };
    // A few at a time: a cold read of a long PDF takes seconds.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let chunk = attached.len().div_ceil(threads);
    let results: Vec<(String, Source, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = attached
            .chunks(chunk)
            .map(|part| {
                let sandbox = &sandbox;
                scope.spawn(move || {
                    part.iter()
                        .map(|(key, path, shown)| {
                            let mut notices = Vec::new();
                            let source = read_one(path, shown, sandbox, config, &mut notices);
                            (key.clone(), source, notices)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (key, source, notices) in results {
        report.notices.extend(notices);
        report.sources.insert(key, source);
    }
    report.notices.sort();
    report.notices.dedup();
    report
}

/// The file of an entry's work, and how to name it: the one named for its
/// key, its `file` field (relative to its bibliography's folder), or one
/// named by its key in the sources folder.
fn attachment(entry: &BibEntry, config: &SourceConfig) -> Option<(PathBuf, String)> {
    if let Some((_, path)) = config.files.iter().find(|(key, _)| *key == entry.key) {
        return Some((path.clone(), shown(path, &config.root)));
    }
    if let Some(field) = &entry.file
        && let Some(file) = file_field(field).into_iter().next()
    {
        let folder = Path::new(&entry.span.file)
            .parent()
            .unwrap_or(Path::new(""));
        let path = config.root.join(folder).join(&file);
        let shown = folder.join(&file).display().to_string();
        return Some((path, shown));
    }
    let folder = config.folder.as_ref()?;
    EXTENSIONS.iter().find_map(|ext| {
        let path = folder.join(format!("{}.{ext}", entry.key));
        path.exists().then(|| {
            let shown = shown(&path, &config.root);
            (path, shown)
        })
    })
}

/// A path as the user knows it: relative to the project root when inside.
fn shown(path: &Path, root: &Path) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let real = canonical(path);
    real.strip_prefix(canonical(root))
        .or_else(|_| path.strip_prefix(root))
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

/// The paths of a `file` field: `path`, or Zotero's and JabRef's
/// `Description:path:type` entries separated by `;` (with `\:` and `\;`
/// for the characters themselves); PDFs first.
pub fn file_field(field: &str) -> Vec<String> {
    // Escaped characters stand aside while the field is split.
    let (colon, semicolon) = ('\u{1}', '\u{2}');
    let mut plain = String::new();
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some(':') => plain.push(colon),
                Some(';') => plain.push(semicolon),
                Some(other) => plain.push(other),
                None => {}
            },
            (c, false) => plain.push(c),
        }
    }
    let restore = |s: &str| s.replace(colon, ":").replace(semicolon, ";");
    let mut files: Vec<(bool, String)> = plain
        .split(';')
        .filter(|f| !f.trim().is_empty())
        .filter_map(|file| {
            let parts: Vec<&str> = file.split(':').collect();
            let (path, kind) = match parts.as_slice() {
                [path] => (*path, ""),
                [_, path, kind] => (*path, *kind),
                // More parts (an unescaped drive letter): the longest is
                // the path.
                _ => (*parts.iter().max_by_key(|p| p.len())?, *parts.last()?),
            };
            let path = restore(path.trim());
            let pdf = kind.to_lowercase().contains("pdf") || path.to_lowercase().ends_with(".pdf");
            (!path.is_empty()).then_some((!pdf, path))
        })
        .collect();
    files.sort_by_key(|(not_pdf, _)| *not_pdf);
    files.into_iter().map(|(_, p)| p).collect()
}

/// Sources read in this process, by real path, with the size and time of
/// the file they were read from: a long-running process (`ibid lsp`)
/// audits again at every pause in typing, and reads an unchanged source
/// from memory, not from the disk and the cache.
struct Memo {
    len: u64,
    modified: Option<SystemTime>,
    text: Arc<SourceText>,
    tokens: Arc<Tokens>,
}

static READ: LazyLock<Mutex<HashMap<PathBuf, Memo>>> = LazyLock::new(Mutex::default);

/// Sources kept in memory at most (each may be a book of hundreds of pages).
const MAX_MEMO: usize = 64;

/// Reads one source through the sandbox and the cache.
fn read_one(
    path: &Path,
    shown: &str,
    sandbox: &crate::sandbox::Sandbox,
    config: &SourceConfig,
    notices: &mut Vec<String>,
) -> Source {
    let path_shown = shown.to_string();
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return Source::Missing { path: path_shown };
    };
    let file = File {
        path,
        shown,
        len: metadata.len(),
    };
    match file.read(sandbox, config, notices) {
        Ok((text, tokens)) => Source::Read {
            path: path_shown,
            text,
            tokens,
        },
        Err(reason) => Source::Unreadable {
            path: path_shown,
            reason,
        },
    }
}

/// A source file that exists: where, as the user named it, and its size.
struct File<'a> {
    path: &'a Path,
    shown: &'a str,
    len: u64,
}

impl File<'_> {
    /// Its text and words: from this run's memory when the file has not
    /// changed, else from the cache (by the content's hash), else parsed
    /// (and cached); why not, when it cannot be read.
    fn read(
        &self,
        sandbox: &crate::sandbox::Sandbox,
        config: &SourceConfig,
        notices: &mut Vec<String>,
    ) -> Result<(Arc<SourceText>, Arc<Tokens>), String> {
        if self.len > MAX_SOURCE {
            return Err(format!(
                "it is {} MB, more than the {} MB read from one source",
                self.len / (1024 * 1024),
                MAX_SOURCE / (1024 * 1024)
            ));
        }
        let real = sandbox.resolve(self.path).map_err(|err| err.to_string())?;
        let modified = std::fs::metadata(&real).and_then(|m| m.modified()).ok();
        let remembered = READ.lock().ok().and_then(|memo| {
            let known = memo.get(&real)?;
            (known.len == self.len && known.modified == modified)
                .then(|| (known.text.clone(), known.tokens.clone()))
        });
        if let Some((text, tokens)) = remembered {
            folio_notice(&text, self.shown, notices);
            return Ok((text, tokens));
        }
        let bytes = sandbox
            .read(self.path, MAX_SOURCE)
            .map_err(|err| err.to_string())?;
        let text = self.parse_cached(&bytes, sandbox, config, notices)?;
        folio_notice(&text, self.shown, notices);
        let pages: Vec<&str> = text.pages.iter().map(|p| p.text.as_str()).collect();
        let tokens = Tokens::new(&pages);
        if tokens.is_empty() {
            return Err("no text could be read from it".into());
        }
        let (text, tokens) = (Arc::new(text), Arc::new(tokens));
        if let Ok(mut memo) = READ.lock() {
            if memo.len() >= MAX_MEMO {
                memo.clear();
            }
            memo.insert(
                real,
                Memo {
                    len: self.len,
                    modified,
                    text: text.clone(),
                    tokens: tokens.clone(),
                },
            );
        }
        Ok((text, tokens))
    }

    /// The text of `bytes`: from the cache by their hash, else parsed and
    /// cached.
    fn parse_cached(
        &self,
        bytes: &[u8],
        sandbox: &crate::sandbox::Sandbox,
        config: &SourceConfig,
        notices: &mut Vec<String>,
    ) -> Result<SourceText, String> {
        let hash = hex(&Sha256::digest(bytes));
        let cached = config
            .cache
            .as_ref()
            .map(|dir| dir.join(format!("{hash}.json")));
        let from_cache = cached.as_ref().and_then(|file| {
            let bytes = sandbox.read(file, MAX_SOURCE).ok()?;
            serde_json::from_slice::<SourceText>(&bytes).ok()
        });
        if let Some(text) = from_cache {
            return Ok(text);
        }
        let text = parse(self.path, bytes)?;
        if let Some(file) = &cached {
            save(file, &text, sandbox, notices);
        }
        Ok(text)
    }
}

/// Says how the printed page numbers of a source without labels were
/// found.
fn folio_notice(text: &SourceText, shown: &str, notices: &mut Vec<String>) {
    if let Numbering::Folios { offset } = text.numbering {
        let sign = if offset < 0 { "−" } else { "+" };
        notices.push(format!(
            "note: {shown} has no page labels; its printed page numbers were read from the \
             folios (printed page = PDF page {sign} {})",
            offset.abs()
        ));
    }
}

/// The pages of a source, by what its bytes are.
fn parse(path: &Path, bytes: &[u8]) -> Result<SourceText, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        let limits = crate::manuscript::pdf::Limits {
            max_bytes: MAX_SOURCE as usize,
            max_pages: MAX_PAGES,
            force_layout: true,
            ..Default::default()
        };
        let read = crate::manuscript::pdf::page_lines(bytes, &limits).map_err(|err| {
            // Without the manuscript reader's hint: the rule gives one
            // for sources.
            let text = err.to_string();
            text.split(" (hint:").next().unwrap_or(&text).to_string()
        })?;
        return Ok(pages::from_lines(read.lines, read.labels));
    }
    if bytes.starts_with(b"PK") {
        return epub::read(bytes);
    }
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes));
    // The head, cut at a character's boundary (the text may be Chinese).
    let head_end = (0..=text.len().min(2048))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let lower = text[..head_end].to_lowercase();
    if matches!(ext.as_str(), "html" | "htm" | "xhtml") || lower.contains("<html") {
        return Ok(pages::from_marked(
            markup::read(text.as_bytes(), &HashMap::new()).pages,
        ));
    }
    // Plain text: pages at form feeds (as `pdftotext` writes them).
    let split: Vec<&str> = text.split('\u{c}').collect();
    let paged = split.len() > 1;
    Ok(SourceText {
        pages: split
            .iter()
            .enumerate()
            .map(|(i, t)| Page {
                label: paged.then(|| (i + 1).to_string()),
                text: t.to_string(),
            })
            .collect(),
        numbering: if paged {
            Numbering::Counted
        } else {
            Numbering::Unpaged
        },
    })
}

/// Writes a source's pages to the cache, atomically, through the output
/// guard (`.ibid` may be a link out of the project).
fn save(
    file: &Path,
    text: &SourceText,
    sandbox: &crate::sandbox::Sandbox,
    notices: &mut Vec<String>,
) {
    let written = (|| -> Result<(), String> {
        if let Some(folder) = file.parent() {
            crate::output::folder(folder, sandbox.root()).map_err(|e| e.to_string())?;
        }
        let target = crate::output::target(file, sandbox.root(), &[]).map_err(|e| e.to_string())?;
        let bytes = serde_json::to_vec(text).map_err(|e| e.to_string())?;
        crate::output::write_atomically(&target, &bytes).map_err(|e| e.to_string())
    })();
    if let Err(err) = written {
        notices.push(format!(
            "warning: the source cache {} was not written: {err}",
            file.display()
        ));
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_fields_as_zotero_and_jabref_write_them() {
        assert_eq!(file_field("sources/teiwes.pdf"), ["sources/teiwes.pdf"]);
        assert_eq!(
            file_field("Full Text PDF:sources/teiwes.pdf:application/pdf"),
            ["sources/teiwes.pdf"]
        );
        assert_eq!(
            file_field("Snapshot:snap.html:text/html;:book.pdf:PDF"),
            ["book.pdf", "snap.html"]
        );
        assert_eq!(file_field(r"a\:b.txt"), ["a:b.txt"]);
    }

    #[test]
    fn a_long_chinese_text_is_no_panic() {
        let text = "大跃进".repeat(1000);
        let read = parse(Path::new("yang.txt"), text.as_bytes()).expect("text");
        assert_eq!(read.pages.len(), 1);
    }

    #[test]
    fn plain_text_pages_at_form_feeds() {
        let text = parse(Path::new("a.txt"), b"one\x0ctwo").expect("text");
        assert_eq!(text.numbering, Numbering::Counted);
        assert_eq!(text.page_index("2"), Some(1));
        let text = parse(Path::new("a.txt"), b"no pages").expect("text");
        assert_eq!(text.numbering, Numbering::Unpaged);
        assert_eq!(text.page_index("1"), None);
    }
}
