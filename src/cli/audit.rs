//! `ibid audit`: compile tolerating unknown keys, read the bibliography, run
//! every rule, report.

use std::io::{IsTerminal, Write};

use crate::audit::baseline;
use crate::audit::{self, Finding, Rule, Selection, Severity};
use crate::links::LinkConfig;
use crate::pipeline::{self, Request, analyse, early};
use crate::registries::verify::RegistryConfig;
use crate::report::github::Github;
use crate::report::human::SourceFiles;
use crate::report::human::{Human, Style};
use crate::report::json::Json;
use crate::report::markdown::Markdown;
use crate::report::sarif::Sarif;
use crate::report::{Emitter, excerpt};
use crate::timings::Timings;
use crate::world::IbidWorld;

use super::args::{AuditArgs, AuditFormat, DiagnosticFormatArg, FailOn};
use super::{CliError, Exit, WorldFiles, config, print_diagnostics};

pub fn audit(args: &AuditArgs) -> Result<Exit, CliError> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    if let Some(path) = args
        .input
        .as_deref()
        .filter(|p| super::manuscript::is_manuscript(Some(p)))
    {
        return super::manuscript::audit(args, path);
    }
    let mut timings = Timings::new(args.diagnostics.timings);
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    let links = config::links(world.root(), &args.links, &args.world);
    let registries = config::registries(world.root(), &args.registries, &args.world);
    let sources = config::sources(world.root(), &args.sources, args.links.no_cache);
    let selection = config::selection(&args.rules);
    let early = start_early(
        &world,
        args,
        &selection,
        &links,
        registries.as_ref(),
        &mut timings,
    );
    let request = Request {
        config: config::audit(&args.rules, args.world.creation_timestamp),
        links: Some(&links),
        registries: registries.as_ref(),
        started: early,
        sources: sources.as_ref(),
        selection: &selection,
    };
    let links_only = args.links.links_only;
    let run = pipeline::run(
        &mut world,
        false,
        request,
        |rule| !links_only || rule.about_links(),
        &mut timings,
    )?;
    let compiled = &run.compiled.compiled;
    // On failure, Typst's own diagnostics on standard error, and the errors
    // as findings in the report, so that a report in any format always says
    // what happened.
    print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
    let compiles = run.analysis.is_some();
    let (findings, notes) = match run.analysis {
        Some(analysis) => {
            super::print_notices(&analysis.notices);
            (analysis.findings, analysis.notes)
        }
        None => (run.compile_errors(&world), Vec::new()),
    };
    // The files the document read: a baseline may not be written over one.
    let read = world.read_paths();
    let Some(findings) = apply_baseline(args, &world, &read, findings, compiles)? else {
        return Ok(Exit::Success);
    };
    report(args, &world, &findings, &notes, compiles, &mut timings)?;
    timings
        .print(&mut std::io::stderr().lock())
        .map_err(CliError::Stdout)?;
    Ok(if !compiles || fails(&findings, args.fail_on) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The report, in the format asked for, on standard output.
fn report(
    args: &AuditArgs,
    world: &IbidWorld,
    findings: &[Finding],
    notes: &[audit::NoteOutcome],
    compiles: bool,
    timings: &mut Timings,
) -> Result<(), CliError> {
    let sources = WorldFiles(world);
    let emitter = if args.format == AuditFormat::Human && !compiles {
        // Typst has printed the compile errors; the summary says it.
        Box::new(SummaryOnly)
    } else {
        emitter(args, &sources)
    };
    let mut out = std::io::stdout().lock();
    timings
        .time("report", || {
            emitter.emit(&crate::report::Report { findings, notes }, &mut out)
        })
        .and_then(|()| out.flush())
        .map_err(CliError::Stdout)
}

/// Starts the network checks the selected rules need (URLs; the registries,
/// unless `--links-only`) on the bibliography the sources declare, before
/// the compile.
fn start_early(
    world: &IbidWorld,
    args: &AuditArgs,
    selection: &Selection,
    links: &LinkConfig,
    registries: Option<&RegistryConfig>,
    timings: &mut Timings,
) -> Option<early::Started> {
    let checks_links = Rule::ALL
        .iter()
        .any(|&rule| rule.about_links() && selection.enabled(rule));
    // Nobody asks the registries for a rule that does not run.
    let asks_registries = !args.links.links_only
        && Rule::ALL
            .iter()
            .any(|&rule| rule.asks_registries() && selection.enabled(rule));
    let started = std::time::Instant::now();
    let early = early::start(
        world,
        checks_links.then_some(links),
        registries.filter(|_| asks_registries),
    );
    if early.is_some() {
        timings.record("network checks started (bibliography)", started.elapsed());
    }
    early
}

/// `--write-baseline`: the findings written as the accepted ones (and
/// `None`: the run ends there); `--baseline`: the findings the baseline
/// does not accept. Neither applies to a document that did not compile.
fn apply_baseline(
    args: &AuditArgs,
    world: &IbidWorld,
    read: &[std::path::PathBuf],
    findings: Vec<Finding>,
    compiles: bool,
) -> Result<Option<Vec<Finding>>, CliError> {
    let sources = WorldFiles(world);
    let text_of = |path: &str| sources.load(path).map(|(_, text)| text);
    if let Some(path) = args.write_baseline.as_ref().filter(|_| compiles) {
        let prints = baseline::fingerprints(&findings, text_of);
        let mut bytes = Vec::new();
        baseline::write(&findings, &prints, &mut bytes).map_err(CliError::Stdout)?;
        let target = crate::output::target(path, world.root(), read)?;
        crate::output::write_atomically(&target, &bytes).map_err(|source| CliError::Write {
            path: path.clone(),
            source,
        })?;
        eprintln!(
            "wrote {} to {}",
            crate::report::count(findings.len(), "finding"),
            path.display()
        );
        Ok(None)
    } else if let Some(path) = args.baseline.as_ref().filter(|_| compiles) {
        let accepted = read_baseline(path)?;
        let prints = baseline::fingerprints(&findings, text_of);
        let total = findings.len();
        let (new, fixed) = baseline::apply(findings, &prints, &accepted);
        eprintln!(
            "baseline {}: {} of {} findings accepted; {} fixed since it was written",
            path.display(),
            total - new.len(),
            total,
            fixed
        );
        Ok(Some(new))
    } else {
        Ok(Some(findings))
    }
}

/// The renderer of the report `args` ask for, on standard output; the human
/// one takes excerpts from `files`.
pub(super) fn emitter<'a>(args: &AuditArgs, files: &'a dyn SourceFiles) -> Box<dyn Emitter + 'a> {
    match args.format {
        AuditFormat::Human => Box::new(Human {
            files,
            style: style(args.diagnostics.diagnostic_format),
            color: std::io::stdout().is_terminal(),
            width: excerpt::width_of(&std::io::stdout()),
            verbose: args.verbose,
        }),
        AuditFormat::Json => Box::new(Json),
        AuditFormat::Sarif => Box::new(Sarif),
        AuditFormat::Github => Box::new(Github),
        AuditFormat::Markdown => Box::new(Markdown),
    }
}

/// Whether a finding reaches `--fail-on`'s severity (exit code 1).
pub(super) fn fails(findings: &[Finding], fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return false,
    };
    findings.iter().any(|f| f.severity.at_least(threshold))
}

/// Reads the baseline the user named (anywhere: they said where).
fn read_baseline(path: &std::path::Path) -> Result<Vec<baseline::Entry>, CliError> {
    let name = path.display().to_string();
    let bytes = crate::sandbox::read_regular(path, BASELINE_LIMIT)
        .map_err(|err| CliError::Baseline(format!("cannot read the baseline {name}: {err}")))?;
    let text = String::from_utf8_lossy(&bytes);
    baseline::read(&name, &text)
        .map_err(|err| CliError::Baseline(format!("{err}\n  = hint: {}", err.hint())))
}

/// A baseline larger than this is no baseline.
const BASELINE_LIMIT: u64 = 64 * 1024 * 1024;

struct SummaryOnly;

impl Emitter for SummaryOnly {
    fn emit(&self, report: &crate::report::Report, out: &mut dyn Write) -> std::io::Result<()> {
        crate::report::human::summary(report, out)
    }
}

/// The offline rules after a successful `ibid build`: errors and warnings
/// printed in full on standard error (infos too with `verbose`), so that
/// the author sees them while writing; the counts are returned for the
/// build's summary line. The build still succeeds.
pub fn audit_after_build(
    world: &mut IbidWorld,
    document: &typst_layout::PagedDocument,
    format: DiagnosticFormatArg,
    creation_timestamp: Option<i64>,
    rules: &super::args::RuleArgs,
    verbose: bool,
    timings: &mut Timings,
) -> Result<audit::Summary, CliError> {
    let selection = config::selection(rules);
    let request = Request {
        config: config::audit(rules, creation_timestamp),
        links: None,
        registries: None,
        started: None,
        sources: None,
        selection: &selection,
    };
    let findings = analyse(world, document, &[], request, |_| true, timings)?.findings;
    let shown: Vec<Finding> = findings
        .iter()
        .filter(|f| verbose || f.severity != Severity::Info)
        .cloned()
        .collect();
    let sources = WorldFiles(world);
    let human = Human {
        files: &sources,
        style: style(format),
        color: std::io::stderr().is_terminal(),
        width: excerpt::width_of(&std::io::stderr()),
        verbose,
    };
    let mut err = std::io::stderr().lock();
    human.findings(&shown, &mut err).map_err(CliError::Stdout)?;
    Ok(audit::Summary::of(&findings))
}

pub(super) fn style(format: DiagnosticFormatArg) -> Style {
    match format {
        DiagnosticFormatArg::Human => Style::Human,
        DiagnosticFormatArg::Short => Style::Short,
    }
}

fn explain(code: &str) -> Result<Exit, CliError> {
    let rule = match audit::select::parse_rule(code) {
        Ok(rule) => rule,
        Err(message) => {
            let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
            eprintln!("error: {message}\n  = the rules: {}", codes.join(", "));
            return Ok(Exit::ToolError);
        }
    };
    let doc = rule.doc();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} ({})\n\n{}\n\nWhat it does\n  {}\n\nWhy it matters\n  {}\n\nExample\n{}",
        rule.code(),
        rule.severity().as_str(),
        doc.summary,
        doc.what,
        doc.why,
        doc.example
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
    .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}
