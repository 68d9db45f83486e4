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
use std::path::PathBuf;
use std::time::Instant;

use typst_kit::watcher::Watcher;
use typst_layout::PagedDocument;

use crate::audit::{Finding, Selection, Severity, Summary, baseline};
use crate::report::excerpt;
use crate::report::human::{Human, counts_since};
use crate::timings::Timings;
use crate::typeset::{self, PdfConfig};
use crate::world::IbidWorld;

use super::args::{BuildArgs, DiagnosticFormatArg, WatchArgs};
use super::audit::style;
use super::{CliError, Exit, WorldFiles, config, print_diagnostics};
use crate::pipeline::{self, Request};

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
    let output = args.output_path();
    let absolute = std::path::absolute(&output).unwrap_or_else(|_| output.clone());
    let mut watcher =
        Watcher::new(Some(absolute)).map_err(|err| CliError::Watch(err.to_string()))?;
    let mut session = Session {
        args,
        format: args.diagnostics.diagnostic_format,
        pdf_config: args.pdf_config(),
        selection: config::selection(&args.rules),
        links: (!args.world.offline).then(|| {
            links::Links::new(config::links(world.root(), &watch_args.links, &args.world))
        }),
        output,
        last: None,
        err: std::io::stderr(),
    };
    loop {
        let read = session.round(&mut world)?;
        watcher
            .update(read)
            .map_err(|err| CliError::Watch(err.to_string()))?;
        writeln!(session.err, "watching for changes").map_err(CliError::Stdout)?;
        watcher
            .wait()
            .map_err(|err| CliError::Watch(err.to_string()))?;
    }
}

/// What stays from one round of the session to the next.
struct Session<'a> {
    args: &'a BuildArgs,
    format: DiagnosticFormatArg,
    output: PathBuf,
    pdf_config: PdfConfig,
    selection: Selection,
    /// The link checks of the session (none offline).
    links: Option<links::Links>,
    last: Option<Audited>,
    err: std::io::Stderr,
}

impl Session<'_> {
    /// Compiles, audits, reports and writes the PDF; returns the files the
    /// compile read (what to watch).
    fn round(&mut self, world: &mut IbidWorld) -> Result<Vec<PathBuf>, CliError> {
        world.reset();
        // As typst watch does: Typst's caches are kept for ten compiles.
        comemo::evict(10);
        let args = self.args;
        let request = Request {
            config: config::audit(&args.rules, args.world.creation_timestamp),
            links: None,
            registries: None,
            started: None,
            sources: None,
            selection: &self.selection,
        };
        let mut timings = Timings::new(false);
        let mut run = pipeline::run(world, args.strict, request, |_| true, &mut timings)?;
        let compiled_in = run.compiled_in;
        // The files this compile read: the PDF may not overwrite one, and
        // they are what to watch.
        let read = world.read_paths();
        let compiled = &run.compiled.compiled;
        print_diagnostics(world, &compiled.errors, &compiled.warnings, self.format)?;
        let analysis = run.analysis.take();
        match (run.document(), analysis) {
            (Some(document), Some(mut analysis)) => {
                super::print_notices(&analysis.notices);
                if let Some(links) = &self.links {
                    let found = links.round(
                        &analysis.model,
                        &analysis.bibliography,
                        config::audit(&args.rules, args.world.creation_timestamp),
                        &self.selection,
                        || world.read_texts(),
                        style(self.format),
                    );
                    analysis.findings.extend(found);
                    crate::audit::sort(&mut analysis.findings);
                }
                self.report(world, analysis.findings, compiled_in)?;
                self.write_pdf(world, document, &run.compiled.unknown_keys, &read)?;
            }
            _ => {
                writeln!(
                    self.err,
                    "compile failed after {} ms; {} is the last good PDF",
                    compiled_in.as_millis(),
                    self.output.display()
                )
                .map_err(CliError::Stdout)?;
            }
        }
        Ok(read)
    }

    /// Prints what changed since the last round: new findings in full (all
    /// of them the first time), fixed ones in a line, and the counts.
    fn report(
        &mut self,
        world: &IbidWorld,
        findings: Vec<Finding>,
        compiled_in: std::time::Duration,
    ) -> Result<(), CliError> {
        let sources = WorldFiles(world);
        let now = Audited::of(findings, &sources);
        let (new, fixed): (Vec<Finding>, Vec<&Finding>) = match &self.last {
            None => (
                now.findings
                    .iter()
                    .map(|(_, f)| f)
                    .filter(|f| self.args.verbose || f.severity != Severity::Info)
                    .cloned()
                    .collect(),
                Vec::new(),
            ),
            Some(before) => (
                now.findings
                    .iter()
                    .filter(|(p, _)| !before.prints.contains(p))
                    .filter(|(_, f)| !self.links.as_ref().is_some_and(|l| l.announced(f)))
                    .map(|(_, f)| f.clone())
                    .collect(),
                before
                    .findings
                    .iter()
                    .filter(|(p, _)| !now.prints.contains(p))
                    .map(|(_, f)| f)
                    .collect(),
            ),
        };
        let human = Human {
            files: &sources,
            style: style(self.format),
            color: self.err.is_terminal(),
            width: excerpt::width_of(&self.err),
            verbose: self.args.verbose,
        };
        let mut out = self.err.lock();
        human.findings(&new, &mut out).map_err(CliError::Stdout)?;
        for finding in &fixed {
            writeln!(out, "fixed: {}: {}", finding.rule.code(), finding.message)
                .map_err(CliError::Stdout)?;
        }
        writeln!(
            out,
            "compiled in {} ms; audit: {}",
            compiled_in.as_millis(),
            counts_since(&now.summary, self.last.as_ref().map(|a| &a.summary))
        )
        .map_err(CliError::Stdout)?;
        drop(out);
        self.last = Some(now);
        Ok(())
    }

    /// Writes the PDF, unless the document cites keys the bibliography lacks
    /// (Typst would not compile it): then the last good PDF stays. A PDF that
    /// cannot be written is said, and written next time: the session goes
    /// on, as after a compile error.
    fn write_pdf(
        &mut self,
        world: &IbidWorld,
        document: &PagedDocument,
        unknown_keys: &[crate::audit::UnknownKey],
        read: &[PathBuf],
    ) -> Result<(), CliError> {
        if !unknown_keys.is_empty() {
            return writeln!(
                self.err,
                "{} not written: the document cites keys the bibliography lacks",
                self.output.display()
            )
            .map_err(CliError::Stdout);
        }
        if let Err(failed) = write_pdf(
            world,
            document,
            &self.pdf_config,
            &self.output,
            read,
            self.format,
            &mut self.err,
        ) {
            writeln!(self.err, "error: {failed}").map_err(CliError::Stdout)?;
        }
        Ok(())
    }
}

impl Audited {
    /// The findings of a round with their fingerprints.
    fn of(findings: Vec<Finding>, sources: &WorldFiles<'_>) -> Self {
        let prints = baseline::fingerprints(&findings, |path| {
            use crate::report::human::SourceFiles;
            sources.load(path).map(|(_, text)| text)
        });
        let summary = Summary::of(&findings);
        Audited {
            prints: prints.iter().cloned().collect(),
            findings: prints.into_iter().zip(findings).collect(),
            summary,
        }
    }
}

/// Exports and writes the PDF atomically, saying how long it took.
fn write_pdf(
    world: &IbidWorld,
    document: &PagedDocument,
    config: &PdfConfig,
    output: &std::path::Path,
    read: &[std::path::PathBuf],
    format: DiagnosticFormatArg,
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
