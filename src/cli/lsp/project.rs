//! The project an editor session keeps open: the world (its caches kept
//! between runs), the editor's unsaved buffers served from memory in place
//! of the files on disk, and the last run's findings with the texts their
//! byte ranges refer to. A run is the library's pipeline, as `ibid audit`
//! calls it, without the network: the link rules report what is known.

use crate::cli::config;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use typst::foundations::Bytes;

use crate::audit::suppress::{self, Suppression};
use crate::audit::{AuditConfig, Finding, Rule, Selection};
use crate::bibliography::Bibliography;
use crate::cli::args::LspArgs;
use crate::document::Document;
use crate::pipeline::{self, Request, Run, world_text};
use crate::timings::Timings;
use crate::world::{IbidWorld, WorldError};

use super::links::Links;
use super::registries::Registries;

/// The last run.
#[derive(Default)]
pub struct Snapshot {
    /// The findings of the rules that need no network, then the link rules'.
    pub findings: Vec<Finding>,
    offline: Vec<Finding>,
    pub model: Document,
    pub bibliography: Bibliography,
    pub suppressions: Vec<Suppression>,
    /// The text each finding's byte range refers to, by root-relative path.
    pub texts: HashMap<String, String>,
    /// How long the run took.
    pub took: Duration,
}

pub struct Project {
    world: IbidWorld,
    root: PathBuf,
    main: String,
    config: AuditConfig,
    selection: Selection,
    /// The editor's open documents, by root-relative path.
    buffers: BTreeMap<String, String>,
    links: Option<Links>,
    /// The registry checks, when a rule reads them.
    registries: Option<Registries>,
    /// Where the cited works' files are (read once, then from memory while
    /// they are unchanged).
    sources: Option<crate::sources::SourceConfig>,
    pub last: Snapshot,
}

impl Project {
    /// Opens the project as the command line does (root, `ibid.toml`,
    /// inputs, fonts, packages).
    /// `input`, when given, in place of the arguments' input.
    pub fn open(
        args: &LspArgs,
        input: Option<&Path>,
        links_done: std::sync::mpsc::Sender<()>,
    ) -> Result<Self, WorldError> {
        let world = config::world(input.or(args.input.as_deref()), &args.world)?;
        let root = world.root().to_path_buf();
        let main = world.relative_name(typst::World::main(&world));
        let selection = config::selection(&args.rules);
        let checks_links = Rule::ALL
            .iter()
            .any(|&rule| rule.about_links() && selection.enabled(rule));
        let asks_registries = Rule::ALL
            .iter()
            .any(|&rule| rule.asks_registries() && selection.enabled(rule));
        let registries = config::registries(&root, &args.registries, &args.world)
            .filter(|_| asks_registries)
            .map(|c| Registries::new(c, links_done.clone()));
        let links = checks_links
            .then(|| Links::new(config::links(&root, &args.links, &args.world), links_done));
        let sources = config::sources(&root, &args.sources, args.links.no_cache);
        Ok(Self {
            world,
            root,
            main,
            config: config::audit(&args.rules, args.world.creation_timestamp),
            selection,
            buffers: BTreeMap::new(),
            links,
            registries,
            sources,
            last: Snapshot::default(),
        })
    }

    /// The main file, root-relative.
    pub fn main(&self) -> &str {
        &self.main
    }

    pub fn set_buffer(&mut self, path: String, text: String) {
        self.buffers.insert(path, text);
    }

    pub fn buffer_mut(&mut self, path: &str) -> Option<&mut String> {
        self.buffers.get_mut(path)
    }

    pub fn close_buffer(&mut self, path: &str) {
        self.buffers.remove(path);
    }

    /// The text of a project file as the editor has it: its buffer, else
    /// as the world reads it.
    pub fn text(&self, path: &str) -> Option<String> {
        self.buffers
            .get(path)
            .cloned()
            .or_else(|| world_text(&self.world, path))
    }

    /// Whether link or registry checks are running.
    pub fn checking_links(&self) -> bool {
        self.links.as_ref().is_some_and(Links::busy)
            || self.registries.as_ref().is_some_and(Registries::busy)
    }

    /// Compiles (the buffers in place of the files) and audits; with
    /// `check_links`, URLs not yet known start being checked.
    pub fn run(&mut self, check_links: bool) {
        let started = Instant::now();
        self.world.reset();
        // As `ibid watch` (and typst watch): Typst's caches are kept for
        // ten compiles, so an edit recompiles only what it touches.
        comemo::evict(10);
        for (path, text) in &self.buffers {
            if let Some(id) = self.world.file_id(path) {
                self.world.edit(id, Bytes::from_string(text.clone()));
            }
        }
        let offline_only = self.links.is_none();
        let request = Request {
            config: self.config,
            links: None,
            registries: None,
            started: None,
            sources: self.sources.as_ref(),
            selection: &self.selection,
        };
        let mut timings = Timings::new(false);
        let run = pipeline::run(
            &mut self.world,
            false,
            request,
            |rule| offline_only || !rule.about_links(),
            &mut timings,
        );
        let mut snapshot = Snapshot::default();
        match run {
            Ok(Run {
                analysis: Some(analysis),
                ..
            }) => {
                for notice in &analysis.notices {
                    eprintln!("ibid lsp: {notice}");
                }
                snapshot.offline = analysis.findings;
                snapshot.model = analysis.model;
                snapshot.bibliography = analysis.bibliography;
            }
            Ok(run) => snapshot.offline = run.compile_errors(&self.world),
            Err(err) => {
                snapshot.offline = vec![Finding::new(Rule::CompileError, err.to_string())];
            }
        }
        snapshot.suppressions = self
            .world
            .read_texts()
            .iter()
            .filter(|(path, _)| path.ends_with(".typ"))
            .flat_map(|(path, text)| suppress::parse(path, text))
            .collect();
        self.last = snapshot;
        self.merge_links(check_links);
        self.last.took = started.elapsed();
    }

    /// The link findings from the results known now, merged into the last
    /// run's findings.
    pub fn merge_links(&mut self, check: bool) {
        let last = &mut self.last;
        let mut findings = last.offline.clone();
        if let Some(links) = &self.links {
            findings.extend(links.findings(last, self.config, &self.selection, check));
        }
        if let Some(registries) = &self.registries {
            findings.extend(registries.findings(last, self.config, &self.selection, check));
        }
        crate::audit::sort(&mut findings);
        last.findings = findings;
        self.read_texts();
    }

    /// The texts the findings' ranges refer to: a bibliography as the
    /// bibliography reader read it (from disk), a Typst source as it was
    /// compiled (the buffer, when open).
    fn read_texts(&mut self) {
        let mut paths: Vec<String> = self
            .last
            .findings
            .iter()
            .filter_map(|f| f.span.as_ref().map(|s| s.file.clone()))
            .collect();
        paths.extend(self.last.bibliography.files.iter().cloned());
        paths.push(self.main.clone());
        let mut texts = HashMap::new();
        for path in paths {
            if texts.contains_key(&path) {
                continue;
            }
            let text = if self.last.bibliography.files.contains(&path) {
                self.world.read_text(&path).ok()
            } else {
                world_text(&self.world, &path)
            };
            if let Some(text) = text {
                texts.insert(path, text);
            }
        }
        self.last.texts = texts;
    }

    /// The root-relative path of a file, if it lies inside the root.
    pub fn relative(&self, path: &Path) -> Option<String> {
        // The editor may name the file by another path to it (a symbolic
        // link above the project): its folder's real path then tells.
        let real = path
            .parent()
            .and_then(|dir| dir.canonicalize().ok())
            .zip(path.file_name())
            .map(|(dir, name)| dir.join(name));
        let relative = path
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| Some(real?.strip_prefix(&self.root).ok()?.to_path_buf()))?;
        let name = relative.to_str()?.replace('\\', "/");
        (!name.is_empty()).then_some(name)
    }

    /// The absolute path of a root-relative one.
    pub fn absolute(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

/// The documents the server looks at (beside tinymist, which has the rest).
pub fn handled(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".typ", ".yml", ".yaml", ".bib"]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || lower.ends_with("ibid.toml")
}
