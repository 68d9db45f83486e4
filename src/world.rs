//! The Typst `World` of ibid: project files inside a sandboxed root, fonts,
//! `sys.inputs` and a clock that `SOURCE_DATE_EPOCH` can fix.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::datetime::Time;
use typst_kit::diagnostics::DiagnosticWorld;
use typst_kit::files::{FileLoader, FileStore};
use typst_kit::fonts::FontStore;

use crate::bibliography::Format;
use crate::sandbox::{MAX_FILE_BYTES, Sandbox, SandboxError};

/// Why a world could not be set up. Every variant names what was looked for.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("input file not found (searched at {})", .0.display())]
    InputNotFound(PathBuf),
    #[error("root directory not found (searched at {})", .0.display())]
    RootNotFound(PathBuf),
    #[error("the root {} is a file, not a directory", .0.display())]
    RootNotADirectory(PathBuf),
    #[error("input file {} is a directory, not a Typst file", .0.display())]
    InputNotAFile(PathBuf),
    #[error("input file {} is outside the project root {}", .input.display(), .root.display())]
    InputOutsideRoot { input: PathBuf, root: PathBuf },
    #[error("SOURCE_DATE_EPOCH is out of range ({0})")]
    InvalidTimestamp(i64),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Everything a world needs, already resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct WorldConfig {
    /// The project root; files outside it cannot be read.
    pub root: PathBuf,
    /// The main `.typ` file.
    pub input: PathBuf,
    /// `sys.inputs` for the document.
    pub inputs: Vec<(String, String)>,
    /// A fixed creation time (seconds since the epoch), for reproducible output.
    pub creation_timestamp: Option<i64>,
    /// Where Typst packages are found.
    pub packages: crate::packages::PackageConfig,
}

/// A world over a project directory.
pub struct IbidWorld {
    workdir: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    fonts: Arc<FontStore>,
    files: FileStore<ProjectFiles>,
    now: Time,
    spans: crate::spans::SpanTables,
}

impl IbidWorld {
    /// Creates a world for `config`, with fonts that were discovered once.
    pub fn new(config: &WorldConfig, fonts: Arc<FontStore>) -> Result<Self, WorldError> {
        let root = canonical(&config.root).map_err(|err| match err {
            CanonicalError::NotFound => WorldError::RootNotFound(config.root.clone()),
            CanonicalError::Io(source) => WorldError::Io {
                path: config.root.clone(),
                source,
            },
        })?;
        if !root.is_dir() {
            return Err(WorldError::RootNotADirectory(config.root.clone()));
        }
        let input = canonical(&config.input).map_err(|err| match err {
            CanonicalError::NotFound => WorldError::InputNotFound(config.input.clone()),
            CanonicalError::Io(source) => WorldError::Io {
                path: config.input.clone(),
                source,
            },
        })?;
        if input.is_dir() {
            return Err(WorldError::InputNotAFile(config.input.clone()));
        }
        let outside = || WorldError::InputOutsideRoot {
            input: config.input.clone(),
            root: config.root.clone(),
        };
        let vpath = VirtualPath::virtualize(&root, &input).map_err(|_| outside())?;

        let inputs: Dict = config
            .inputs
            .iter()
            .map(|(k, v)| (k.as_str().into(), v.as_str().into_value()))
            .collect();
        let library = Library::builder().with_inputs(inputs).build();

        let now = match config.creation_timestamp {
            Some(ts) => Time::fixed_timestamp(ts).map_err(|_| WorldError::InvalidTimestamp(ts))?,
            None => Time::system(),
        };

        Ok(Self {
            workdir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            main: RootedPath::new(VirtualRoot::Project, vpath).intern(),
            library: LazyHash::new(library),
            fonts,
            files: FileStore::new(ProjectFiles {
                project: Sandbox::at_canonical(root),
                packages: crate::packages::Packages::new(&config.packages),
                overlay: HashMap::new(),
                edits: HashMap::new(),
            }),
            now,
            spans: Default::default(),
        })
    }

    /// The canonical project root.
    pub fn root(&self) -> &Path {
        self.files.loader().project.root()
    }

    /// The text of a project file by its root-relative path, read through
    /// the sandboxed loader (and its cache) like every file of the document.
    /// A file edited in memory ([`IbidWorld::edit`]: an editor's unsaved
    /// buffer, a fix not yet written) is read as edited; the audit's
    /// placeholders ([`IbidWorld::overlay`]) are never seen here. A UTF-8
    /// byte-order mark is left out, as Typst leaves it out.
    pub fn read_text(&self, path: &str) -> Result<String, String> {
        let id = self
            .file_id(path)
            .ok_or_else(|| format!("{path} is not a valid path in the project"))?;
        let loader = self.files.loader();
        let bytes = if loader.overlay.contains_key(&id) {
            match loader.edits.get(&id) {
                Some(bytes) => Ok(bytes.clone()),
                None => loader.load_from_disk(id),
            }
        } else {
            self.file(id)
        }
        .map_err(|err| err.to_string())?;
        text_of(path, bytes.as_slice())
    }

    /// The text of a project file as it is on disk, whatever the world
    /// serves from memory in its place.
    pub fn read_disk_text(&self, path: &str) -> Result<String, String> {
        let id = self
            .file_id(path)
            .ok_or_else(|| format!("{path} is not a valid path in the project"))?;
        let bytes = self
            .files
            .loader()
            .load_from_disk(id)
            .map_err(|err| err.to_string())?;
        text_of(path, bytes.as_slice())
    }

    /// The text of every project file the last compile read, by
    /// root-relative path (files that are not UTF-8 left out).
    pub fn read_texts(&mut self) -> Vec<(String, String)> {
        self.dependencies()
            .into_iter()
            .filter(|id| *id.root() == VirtualRoot::Project)
            .filter_map(|id| {
                let bytes = self.file(id).ok()?;
                let bytes = bytes.as_slice();
                let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
                let text = std::str::from_utf8(bytes).ok()?.to_string();
                Some((self.relative_name(id), text))
            })
            .collect()
    }

    /// The real paths of the project files the last compile read (the
    /// outputs must never overwrite one).
    pub fn read_paths(&mut self) -> Vec<PathBuf> {
        let root = self.root().to_path_buf();
        let mut paths: Vec<PathBuf> = self
            .dependencies()
            .into_iter()
            .filter(|id| *id.root() == VirtualRoot::Project)
            .filter_map(|id| id.vpath().realize(&root).ok()?.canonicalize().ok())
            .collect();
        // The main file always, as it stands or (deleted meanwhile) as it
        // is named: `ibid watch` watches it to see it come back.
        if let Ok(main) = self.main.vpath().realize(&root) {
            paths.push(main.canonicalize().unwrap_or(main));
        }
        paths
    }

    /// Makes the next compile read every file again (a file unchanged
    /// keeps Typst's caches), and drops the files served from memory (the
    /// audit's placeholders and the edits): what `ibid watch` does between
    /// compiles, and an editor before it serves its buffers again.
    pub fn reset(&mut self) {
        let loader = self.files.loader_mut();
        loader.overlay.clear();
        loader.edits.clear();
        self.files.reset();
    }

    /// Drops the audit's placeholders (they belong to one tolerant
    /// compile), keeping the edits.
    pub fn drop_placeholders(&mut self) {
        if !self.files.loader().overlay.is_empty() {
            self.files.loader_mut().overlay.clear();
            self.files.reset();
        }
    }

    /// Serves `bytes` for the file `id` as its text, edited in memory (an
    /// editor's unsaved buffer, fixes not yet written): the compile and
    /// every reader of the project's texts see it; the disk is not touched.
    pub fn edit(&mut self, id: FileId, bytes: Bytes) {
        self.files.loader_mut().edits.insert(id, bytes);
        self.files.reset();
    }

    /// Serves `bytes` for the file `id` from memory instead of the disk (the
    /// audit's placeholder entries); the file on disk is never touched.
    pub fn overlay(&mut self, id: FileId, bytes: Bytes) {
        self.files.loader_mut().overlay.insert(id, bytes);
        self.files.reset();
    }

    /// The files the last compile read, in a stable order.
    pub fn dependencies(&mut self) -> Vec<FileId> {
        let (_, ids) = self.files.dependencies();
        let mut ids: Vec<FileId> = ids.collect();
        ids.sort_by_key(|id| id.vpath().get_with_slash().to_string());
        ids
    }

    /// The project file id for a root-relative path.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        let vpath = VirtualPath::new(path).ok()?;
        Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
    }

    /// The path of a file relative to the project root, as used in findings
    /// and snapshots (stable across machines, unlike absolute paths).
    pub fn relative_name(&self, id: FileId) -> String {
        match id.root() {
            VirtualRoot::Project => id.vpath().get_without_slash().to_string(),
            VirtualRoot::Package(spec) => format!("{spec}{}", id.vpath().get_with_slash()),
        }
    }

    /// The byte range of a span in its source file, each file's spans
    /// indexed once (Typst's `WorldExt::range` walks the tree per span).
    pub fn span_range(&self, span: typst::syntax::Span) -> Option<std::ops::Range<usize>> {
        let source = self.source(span.id()?).ok()?;
        self.spans.range(span, &source)
    }

    /// 1-based line and column of a byte offset in a source file.
    pub fn line_column(&self, id: FileId, offset: usize) -> Option<(usize, usize)> {
        let source = self.source(id).ok()?;
        let (line, column) = source.lines().byte_to_line_column(offset)?;
        Some((line + 1, column + 1))
    }
}

impl World for IbidWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        self.now.today(offset)
    }
}

impl DiagnosticWorld for IbidWorld {
    /// Paths relative to the working directory, as typst-cli prints them.
    fn name(&self, id: FileId) -> String {
        match id.root() {
            VirtualRoot::Project => id
                .vpath()
                .realize(self.root())
                .ok()
                .map(|path| relative_to(&path, &self.workdir))
                .unwrap_or_else(|| self.relative_name(id)),
            VirtualRoot::Package(_) => self.relative_name(id),
        }
    }
}

/// A file's bytes as text, without its byte-order mark, as Typst reads a
/// source: spans are offsets into the text after the mark.
fn text_of(path: &str, bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("{path} is not valid UTF-8"))
}

/// Loads project files through the sandbox: inside the root, regular files
/// only, bounded in size; bibliography files pass their guard first.
struct ProjectFiles {
    project: Sandbox,
    packages: crate::packages::Packages,
    /// The audit's placeholders, served over everything.
    overlay: HashMap<FileId, Bytes>,
    /// Texts edited in memory (an editor's buffers, fixes), served over
    /// the disk.
    edits: HashMap<FileId, Bytes>,
}

impl FileLoader for ProjectFiles {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        match self.overlay.get(&id).or_else(|| self.edits.get(&id)) {
            Some(bytes) => Ok(bytes.clone()),
            None => self.load_from_disk(id),
        }
    }
}

impl ProjectFiles {
    fn load_from_disk(&self, id: FileId) -> FileResult<Bytes> {
        // A package's files are read inside the package's own folder, as the
        // project's are inside the project root.
        let sandbox = match id.root() {
            VirtualRoot::Project => self.project.clone(),
            VirtualRoot::Package(spec) => {
                let root = self.packages.root(spec).map_err(FileError::Package)?;
                Sandbox::new(root.path())
                    .map_err(|err| file_error(err, id))?
                    .named("package folder")
            }
        };
        let path = id.vpath().realize(sandbox.root())?;
        let bytes = sandbox
            .read(&path, MAX_FILE_BYTES)
            .map_err(|err| file_error(err, id))?;
        guard(id, &bytes)?;
        Ok(Bytes::new(bytes))
    }
}

/// A sandbox refusal as Typst's file error, naming the file as the document
/// does.
fn file_error(err: SandboxError, id: FileId) -> FileError {
    match err {
        SandboxError::NotFound(path) => FileError::NotFound(path),
        SandboxError::Directory(_) => FileError::IsDirectory,
        SandboxError::Io { path, source } => FileError::from_io(source, &path),
        other => FileError::Other(Some(
            format!("{}: {other}", id.vpath().get_without_slash()).into(),
        )),
    }
}

/// Refuses a bibliography file its readers would choke on, with the place
/// in the file. Typst chooses the reader by the extension; a file loaded as
/// bytes is read as BibLaTeX when YAML fails, so other data files that look
/// like BibLaTeX are checked too.
fn guard(id: FileId, bytes: &[u8]) -> FileResult<()> {
    let name = id.vpath().get_without_slash();
    if id.vpath().extension() == Some("typ") {
        return Ok(());
    }
    // Neither reader takes what is not UTF-8 (images, fonts).
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let format = match Format::of(name) {
        Some(format) => format,
        None if looks_like_biblatex(text) => Format::Biblatex,
        None => return Ok(()),
    };
    format.guard(text).map_err(|refusal| {
        let span = crate::document::SourceSpan::in_text(name, text, refusal.range);
        FileError::Other(Some(
            format!(
                "{}:{}:{}: {} (ibid refuses the file: the reader would overflow or \
                 run out of memory)",
                span.file, span.line, span.column, refusal.message
            )
            .into(),
        ))
    })
}

/// Whether a text file of another format holds what the BibLaTeX guard
/// checks.
fn looks_like_biblatex(text: &str) -> bool {
    let bytes = text.as_bytes();
    let has = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    bytes.contains(&b'@') && (has(b"@string") || has(b"crossref") || has(b"xdata"))
}

enum CanonicalError {
    NotFound,
    Io(std::io::Error),
}

fn canonical(path: &Path) -> Result<PathBuf, CanonicalError> {
    path.canonicalize().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => CanonicalError::NotFound,
        _ => CanonicalError::Io(err),
    })
}

/// `path` relative to `base` when it lies below it, else `path` itself.
fn relative_to(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
