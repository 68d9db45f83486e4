//! `ibid watch`: the author's loop. Compile, audit offline, print what
//! changed in the audit (new findings in full, fixed ones in a line, a
//! status line with the counts and their change), then write the PDF;
//! wait for a change to any file the compile read (typst-kit's watcher,
//! which also sees an editor's write-and-rename) and do it again in the
//! same process, where Typst's caches make the next compile cheaper.
//! A compile error prints as Typst prints it, and the last good PDF stays.

mod links;

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use typst_kit::watcher::Watcher;

use crate::audit::{Finding, Summary, baseline};
use crate::report::excerpt;
use crate::report::human::{Human, counts_since};
use crate::timings::Timings;
use crate::typeset::{self, PdfConfig, tolerant};

use super::args::WatchArgs;
use super::audit::style;
use super::{CliError, Exit, WorldFiles, config, print_diagnostics};
use crate::pipeline::{Request, analyse};

/// The last audit of the session: each finding with its fingerprint, and
/// the counts.
struct Audited {
    prints: HashSet<String>,
    findings: Vec<(String, Finding)>,
    summary: Summary,
}

pub fn watch(watch_args: &WatchArgs) -> Result<Exit, CliError> {
    let args = &watch_args.build;
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    let output = args.output_path();
    let absolute = std::path::absolute(&output).unwrap_or_else(|_| output.clone());
    let mut watcher =
        Watcher::new(Some(absolute)).map_err(|err| CliError::Watch(err.to_string()))?;
    let pdf_config = args.pdf_config();
    let selection = config::selection(&args.rules);
    let links = (!args.world.offline)
        .then(|| links::Links::new(config::links(world.root(), &watch_args.links, &args.world)));
    let mut last: Option<Audited> = None;
    let mut err = std::io::stderr();
    loop {
        let started = Instant::now();
        world.reset();
        // As typst watch does: Typst's caches are kept for ten compiles.
        comemo::evict(10);
        let tolerant = tolerant::compile(&mut world, args.strict);
        let compiled_in = started.elapsed();
        // The files this compile read: the PDF may not overwrite one, and
        // they are what to watch.
        let read = world.read_paths();
        let compiled = &tolerant.compiled;
        match (&compiled.document, compiled.has_errors()) {
            (Some(document), false) => {
                print_diagnostics(&world, &[], &compiled.warnings, format)?;
                let request = Request {
                    unknown_keys: &tolerant.unknown_keys,
                    config: config::audit(&args.rules, args.world.creation_timestamp),
                    links: None,
                    registries: None,
                    started: None,
                    sources: None,
                    selection: &selection,
                };
                let mut timings = Timings::new(false);
                let mut analysis = analyse(&mut world, document, request, |_| true, &mut timings)?;
                super::print_notices(&analysis.notices);
                if let Some(links) = &links {
                    let found = links.round(
                        &analysis.model,
                        &analysis.bibliography,
                        config::audit(&args.rules, args.world.creation_timestamp),
                        &selection,
                        || world.read_texts(),
                        style(format),
                    );
                    analysis.findings.extend(found);
                    crate::audit::sort(&mut analysis.findings);
                }
                let sources = WorldFiles(&world);
                let prints = baseline::fingerprints(&analysis.findings, |path| {
                    use crate::report::human::SourceFiles;
                    sources.load(path).map(|(_, text)| text)
                });
                let now: Vec<(String, Finding)> = prints
                    .into_iter()
                    .zip(analysis.findings.iter().cloned())
                    .collect();
                let keys: HashSet<String> = now.iter().map(|(p, _)| p.clone()).collect();
                let summary = Summary::of(&analysis.findings);
                let (new, fixed): (Vec<Finding>, Vec<&Finding>) = match &last {
                    None => (
                        analysis
                            .findings
                            .iter()
                            .filter(|f| args.verbose || f.severity != crate::audit::Severity::Info)
                            .cloned()
                            .collect(),
                        Vec::new(),
                    ),
                    Some(before) => (
                        now.iter()
                            .filter(|(p, _)| !before.prints.contains(p))
                            .filter(|(_, f)| !links.as_ref().is_some_and(|l| l.announced(f)))
                            .map(|(_, f)| f.clone())
                            .collect(),
                        before
                            .findings
                            .iter()
                            .filter(|(p, _)| !keys.contains(p))
                            .map(|(_, f)| f)
                            .collect(),
                    ),
                };
                let human = Human {
                    files: &sources,
                    style: style(format),
                    color: std::io::stderr().is_terminal(),
                    width: excerpt::width_of(&std::io::stderr()),
                    verbose: args.verbose,
                };
                let mut out = err.lock();
                human.findings(&new, &mut out).map_err(CliError::Stdout)?;
                for finding in &fixed {
                    writeln!(out, "fixed: {}: {}", finding.rule.code(), finding.message)
                        .map_err(CliError::Stdout)?;
                }
                writeln!(
                    out,
                    "compiled in {} ms; audit: {}",
                    compiled_in.as_millis(),
                    counts_since(&summary, last.as_ref().map(|a| &a.summary))
                )
                .map_err(CliError::Stdout)?;
                drop(out);
                // The findings are out; now the PDF, unless the document
                // cites keys the bibliography lacks (Typst would not
                // compile it): then the last good PDF stays.
                if tolerant.unknown_keys.is_empty() {
                    // A PDF that cannot be written is said, and written next
                    // time: the session goes on, as after a compile error.
                    if let Err(failed) = write_pdf(
                        &world,
                        document,
                        &pdf_config,
                        &output,
                        &read,
                        format,
                        &mut err,
                    ) {
                        writeln!(err, "error: {failed}").map_err(CliError::Stdout)?;
                    }
                } else {
                    writeln!(
                        err,
                        "{} not written: the document cites keys the bibliography lacks",
                        output.display()
                    )
                    .map_err(CliError::Stdout)?;
                }
                last = Some(Audited {
                    prints: keys,
                    findings: now,
                    summary,
                });
            }
            _ => {
                print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
                writeln!(
                    err,
                    "compile failed after {} ms; {} is the last good PDF",
                    compiled_in.as_millis(),
                    output.display()
                )
                .map_err(CliError::Stdout)?;
            }
        }
        watcher
            .update(read)
            .map_err(|err| CliError::Watch(err.to_string()))?;
        writeln!(err, "watching for changes").map_err(CliError::Stdout)?;
        watcher
            .wait()
            .map_err(|err| CliError::Watch(err.to_string()))?;
    }
}

/// Exports and writes the PDF atomically, saying how long it took.
fn write_pdf(
    world: &crate::world::IbidWorld,
    document: &typst_layout::PagedDocument,
    config: &PdfConfig,
    output: &std::path::Path,
    read: &[std::path::PathBuf],
    format: super::args::DiagnosticFormatArg,
    err: &mut std::io::Stderr,
) -> Result<(), CliError> {
    let started = Instant::now();
    let bytes = match typeset::pdf(document, config) {
        Ok(bytes) => bytes,
        Err(errors) => {
            print_diagnostics(world, &errors, &[], format)?;
            return Ok(());
        }
    };
    let target = crate::output::target(output, world.root(), read)?;
    crate::output::write_atomically(&target, &bytes).map_err(|source| CliError::Write {
        path: output.to_path_buf(),
        source,
    })?;
    writeln!(
        err,
        "wrote {} ({}) in {} ms",
        output.display(),
        crate::report::count(document.pages().len(), "page"),
        started.elapsed().as_millis()
    )
    .map_err(CliError::Stdout)
}
