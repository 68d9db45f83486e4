//! `ibid audit thesis.docx` / `thesis.pdf` and `ibid snapshot` of them: the
//! manuscript front ends, then the same pipeline and reports as a Typst
//! document. Hand-typed citations are the normal case in a manuscript, so
//! `hand-typed-citation` is off; what they cite is still matched (unknown
//! sources, back-references, locators).

use std::io::Write;
use std::path::Path;

use crate::audit::Rule;
use crate::bibliography::{BibEntry, Bibliography};
use crate::manuscript::{self, convert};
use crate::pipeline::{ModelRequest, audit_model};
use crate::report::human::SourceFiles;
use crate::timings::Timings;

use super::args::{AuditArgs, SnapshotArgs, SnapshotFormat};
use super::{CliError, Exit, config};
use crate::pipeline::works;

/// Whether the input is a manuscript rather than a Typst source.
pub fn is_manuscript(input: Option<&Path>) -> bool {
    input.is_some_and(|p| manuscript::Kind::of(p).is_some())
}

/// A manuscript has no source text for excerpts: places are printed alone.
struct NoSources;

impl SourceFiles for NoSources {
    fn load(&self, _: &str) -> Option<(String, String)> {
        None
    }
}

/// A manuscript read, with what it is audited against.
struct Opened {
    model: crate::document::Document,
    bibliography: Bibliography,
    warnings: Vec<String>,
    /// The works read from the manuscript itself (no bibliography given, no
    /// reference-manager fields): where from, and as YAML.
    inferred: Option<(works::Origin, usize, String)>,
}

/// The manuscript's model and the bibliography it is audited against: the
/// files the user names with `--bibliography`, and the works its
/// reference-manager citations carry; with neither, the works of its own
/// reference list, else those its notes cite in full.
fn open(path: &Path, bibliographies: &[std::path::PathBuf]) -> Result<Opened, CliError> {
    let read = manuscript::read(path).map_err(|err| CliError::Manuscript(err.to_string()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (model, fields) = convert::to_document(&read, &name);
    let mut files = Vec::new();
    let mut entries: Vec<BibEntry> = Vec::new();
    for file in bibliographies {
        let shown = file.display().to_string();
        let bytes = crate::sandbox::read_regular(file, 64 * 1024 * 1024).map_err(|err| {
            CliError::Manuscript(format!("cannot read the bibliography {shown}: {err}"))
        })?;
        let text = String::from_utf8_lossy(&bytes);
        entries.extend(crate::bibliography::parse(&shown, &text)?);
        files.push(shown);
    }
    if !fields.is_empty() {
        let reference_manager = format!("{name} (reference manager)");
        for entry in crate::bibliography::parse("fields.yaml", &fields)? {
            if !entries.iter().any(|e| e.key == entry.key) {
                entries.push(BibEntry {
                    span: crate::document::SourceSpan {
                        file: reference_manager.clone(),
                        ..entry.span.clone()
                    },
                    ..entry
                });
            }
        }
        files.push(reference_manager);
    }
    let mut inferred = None;
    if entries.is_empty()
        && let Some((origin, found)) = works::infer(&read)
    {
        let yaml = works::yaml(&found);
        let shown = match origin {
            works::Origin::ReferenceList => format!("{name} (reference list)"),
            works::Origin::Notes => format!("{name} (works cited in the notes)"),
        };
        // Read as the YAML it is; its places named after the manuscript.
        entries.extend(
            crate::bibliography::parse("inferred.yaml", &yaml)?
                .into_iter()
                .map(|entry| BibEntry {
                    span: crate::document::SourceSpan {
                        file: shown.clone(),
                        ..entry.span.clone()
                    },
                    ..entry
                }),
        );
        files.push(shown);
        inferred = Some((origin, found.len(), yaml));
    }
    Ok(Opened {
        model,
        bibliography: Bibliography::new(files, entries),
        warnings: read.warnings,
        inferred,
    })
}

/// Says where the works came from, and writes them when asked
/// (`--write-bibliography`), atomically and never over a file the run
/// reads.
fn inferred_works(
    opened: &Opened,
    manuscript: &Path,
    write: Option<&Path>,
    root: &Path,
) -> Result<(), CliError> {
    let Some((origin, count, yaml)) = &opened.inferred else {
        if let Some(path) = write {
            eprintln!(
                "note: nothing written to {}: the works come from the bibliography given or the reference manager",
                path.display()
            );
        }
        return Ok(());
    };
    let from = match origin {
        works::Origin::ReferenceList => "its reference list",
        works::Origin::Notes => "the first full citation of each in its notes",
    };
    let Some(path) = write else {
        eprintln!(
            "note: no bibliography given: {count} works read from {from} (keep them with --write-bibliography FILE)"
        );
        return Ok(());
    };
    let target = crate::output::target(path, root, &[manuscript.to_path_buf()])?;
    crate::output::write_atomically(&target, yaml.as_bytes()).map_err(|source| {
        CliError::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    eprintln!("wrote {} ({count} works read from {from})", path.display());
    Ok(())
}

/// The options a manuscript's audit takes, from `ibid audit` or `ibid
/// review`.
struct Options<'a> {
    bibliography: &'a [std::path::PathBuf],
    write_bibliography: Option<&'a Path>,
    rules: &'a super::args::RuleArgs,
    links: &'a super::args::LinkArgs,
    sources: &'a super::args::SourceArgs,
    registries: Option<&'a super::args::RegistryArgs>,
    world: &'a super::args::WorldArgs,
}

/// Reads the manuscript and audits it (hand-typed citations are the
/// normal case in a manuscript: that rule is off).
fn analyse(
    path: &Path,
    options: &Options,
    timings: &mut Timings,
) -> Result<crate::pipeline::Analysis, CliError> {
    let opened = timings.time("read", || open(path, options.bibliography))?;
    for warning in &opened.warnings {
        eprintln!("warning: {}: {warning}", path.display());
    }
    let selection = config::selection(options.rules);
    // The caches live in the project: the folder given with --root, else
    // the manuscript's own.
    let root = project_root(path, options.world);
    inferred_works(&opened, path, options.write_bibliography, &root)?;
    let Opened {
        model,
        bibliography,
        ..
    } = opened;
    let links = config::links(&root, options.links, options.world);
    let registries = options
        .registries
        .and_then(|args| config::registries(&root, args, options.world));
    let sources = config::sources(&root, options.sources, options.links.no_cache);
    let checks_links = Rule::ALL
        .iter()
        .any(|&rule| rule.about_links() && selection.enabled(rule));
    let request = ModelRequest {
        unknown_keys: &[],
        config: crate::audit::AuditConfig {
            manuscript: true,
            ..config::audit(options.rules, options.world.creation_timestamp)
        },
        links: checks_links.then_some((&links, None)),
        registries: registries.as_ref(),
        registries_started: None,
        sources: sources.as_ref(),
        selection: &selection,
    };
    Ok(audit_model(
        model,
        bibliography,
        &[],
        &|_| None,
        request,
        |rule| rule != Rule::HandTypedCitation,
        timings,
    ))
}

/// The folder given with `--root`, else the manuscript's own.
fn project_root(path: &Path, world: &super::args::WorldArgs) -> std::path::PathBuf {
    world.root.clone().unwrap_or_else(|| {
        std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    })
}

pub fn audit(args: &AuditArgs, path: &Path) -> Result<Exit, CliError> {
    let mut timings = Timings::new(args.diagnostics.timings);
    let options = Options {
        bibliography: &args.bibliography,
        write_bibliography: args.write_bibliography.as_deref(),
        rules: &args.rules,
        links: &args.links,
        sources: &args.sources,
        registries: Some(&args.registries),
        world: &args.world,
    };
    let analysis = analyse(path, &options, &mut timings)?;
    super::print_notices(&analysis.notices);
    let emitter = super::audit::emitter(args, &NoSources);
    let mut out = std::io::stdout().lock();
    emitter
        .emit(
            &crate::report::Report {
                findings: &analysis.findings,
                notes: &analysis.notes,
            },
            &mut out,
        )
        .and_then(|()| out.flush())
        .map_err(CliError::Stdout)?;
    timings
        .print(&mut std::io::stderr().lock())
        .map_err(CliError::Stdout)?;
    Ok(if super::audit::fails(&analysis.findings, args.fail_on) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// `ibid snapshot thesis.docx`: the model read from the manuscript.
pub fn snapshot(args: &SnapshotArgs, path: &Path) -> Result<Exit, CliError> {
    let Opened {
        model,
        bibliography,
        warnings,
        ..
    } = open(path, &[])?;
    for warning in &warnings {
        eprintln!("warning: {}: {warning}", path.display());
    }
    let outcomes = crate::audit::AuditInput::new(&model, &bibliography, &[]).note_outcomes();
    let mut out = std::io::stdout().lock();
    match args.format {
        SnapshotFormat::Text => crate::report::snapshot::text(&model, &outcomes, &mut out),
        SnapshotFormat::Json => crate::report::snapshot::json(&model, &outcomes, &mut out),
    }
    .and_then(|()| out.flush())
    .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}

/// `ibid review thesis.docx|pdf`: the HTML report of the manuscript's
/// audit, next to it (or in `-o DIR`); for a PDF, each note links to its
/// page in the PDF itself.
pub fn review(args: &super::args::ReviewArgs, path: &Path) -> Result<Exit, CliError> {
    let mut timings = Timings::new(args.diagnostics.timings);
    let options = Options {
        bibliography: &args.bibliography,
        write_bibliography: None,
        rules: &args.rules,
        links: &args.links,
        sources: &args.sources,
        registries: Some(&args.registries),
        world: &args.world,
    };
    let analysis = analyse(path, &options, &mut timings)?;
    super::print_notices(&analysis.notices);
    let placed = crate::review::place(&analysis.findings, &analysis.model);
    let dir = args.output.clone().unwrap_or_else(|| {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| std::path::PathBuf::from("."), Path::to_path_buf)
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The PDF's pages are linked to where the report sits beside it.
    let beside = std::path::absolute(&dir).ok()
        == std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
    let pdf = (manuscript::Kind::of(path) == Some(manuscript::Kind::Pdf) && beside)
        .then_some(name.as_str());
    let links = super::review::HtmlLinks {
        pdf,
        pages_before: 0,
    };
    let page = super::review::html_page(&path.display().to_string(), &analysis, &placed, &links)?;
    let root = project_root(path, &args.world);
    super::review::write_outputs(
        &dir,
        &root,
        &[path.to_path_buf()],
        &[(super::review::HTML_NAME, &page)],
        &mut timings,
    )?;
    let html = dir.join(super::review::HTML_NAME);
    let summary = crate::audit::Summary::of(&analysis.findings);
    eprintln!(
        "wrote {} · audit: {}",
        html.display(),
        crate::report::human::counts(&summary)
    );
    timings
        .print(&mut std::io::stderr().lock())
        .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}
