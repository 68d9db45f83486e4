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

/// The manuscript's model and the bibliography it is audited against: the
/// files the user names with `--bibliography`, and the works its
/// reference-manager citations carry.
fn open(
    path: &Path,
    bibliographies: &[std::path::PathBuf],
) -> Result<(crate::document::Document, Bibliography, Vec<String>), CliError> {
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
    Ok((model, Bibliography::new(files, entries), read.warnings))
}

pub fn audit(args: &AuditArgs, path: &Path) -> Result<Exit, CliError> {
    let mut timings = Timings::new(args.diagnostics.timings);
    let (model, bibliography, warnings) =
        timings.time("read", || open(path, &args.bibliography))?;
    for warning in &warnings {
        eprintln!("warning: {}: {warning}", path.display());
    }
    let selection = config::selection(&args.rules);
    // The caches live in the project: the folder given with --root, else
    // the manuscript's own.
    let root = args.world.root.clone().unwrap_or_else(|| {
        std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    });
    let links = config::links(&root, &args.links, &args.world);
    let registries = config::registries(&root, &args.registries, &args.world);
    let sources = config::sources(&root, &args.sources, args.links.no_cache);
    let checks_links = Rule::ALL
        .iter()
        .any(|&rule| rule.about_links() && selection.enabled(rule));
    let request = ModelRequest {
        unknown_keys: &[],
        config: crate::audit::AuditConfig {
            manuscript: true,
            ..config::audit(&args.rules, args.world.creation_timestamp)
        },
        links: checks_links.then_some((&links, None)),
        registries: registries.as_ref(),
        sources: sources.as_ref(),
        selection: &selection,
    };
    let analysis = audit_model(
        model,
        bibliography,
        &[],
        &|_| None,
        request,
        |rule| rule != Rule::HandTypedCitation,
        &mut timings,
    );
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
    let (model, bibliography, warnings) = open(path, &[])?;
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
