//! `ibid audit`: compile tolerating unknown keys, read the bibliography, run
//! every rule, report.

use std::io::{IsTerminal, Write};

use crate::audit::baseline;
use crate::audit::suppress::{self, Suppression};
use crate::audit::{self, AuditConfig, AuditInput, Finding, Rule, Selection, Severity};
use crate::bibliography::Bibliography;
use crate::document::{self, extract::source_span};
use crate::links::early::Early;
use crate::links::{self, LinkConfig, LinkReport, Network};
use crate::report::github::Github;
use crate::report::human::SourceFiles;
use crate::report::human::{Human, Style};
use crate::report::json::Json;
use crate::report::markdown::Markdown;
use crate::report::sarif::Sarif;
use crate::report::{Emitter, excerpt};
use crate::timings::Timings;
use crate::typeset::tolerant;
use crate::world::IbidWorld;

use super::args::{AuditArgs, AuditFormat, DiagnosticFormatArg, FailOn};
use super::{CliError, Exit, WorldFiles, config, print_diagnostics};

pub fn audit(args: &AuditArgs) -> Result<Exit, CliError> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let mut timings = Timings::new(args.diagnostics.timings);
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    let links = link_config(&world, &args.links, &args.world);
    let selection = args.rules.selection();
    let checks_links = Rule::ALL
        .iter()
        .any(|&rule| rule.about_links() && selection.enabled(rule));
    let started = std::time::Instant::now();
    let early = checks_links.then(|| start_links(&world, &links)).flatten();
    if early.is_some() {
        timings.record("links started (bibliography)", started.elapsed());
    }
    let tolerant = timings.time("compile", || tolerant::compile(&mut world, false));
    let compiled = &tolerant.compiled;
    let (findings, notes, compiles) = match (&compiled.document, compiled.has_errors()) {
        (Some(document), false) => {
            print_diagnostics(&world, &[], &compiled.warnings, format)?;
            let config = args.rules.config(args.world.creation_timestamp);
            let links_only = args.links.links_only;
            let request = Request {
                unknown_keys: &tolerant.unknown_keys,
                config,
                links: Some((&links, early)),
                selection: &selection,
            };
            let analysis = analyse(
                &mut world,
                document,
                request,
                |rule| !links_only || rule.about_links(),
                &mut timings,
            )?;
            (analysis.findings, analysis.notes, true)
        }
        _ => {
            // The document does not compile: Typst's own diagnostics on
            // standard error, and the errors as findings in the report, so
            // that a report in any format always says what happened.
            print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
            (compile_errors(&world, &compiled.errors), Vec::new(), false)
        }
    };
    // The files the document read: a baseline may not be written over one.
    let read = world.read_paths();
    let sources = WorldFiles(&world);
    let text_of = |path: &str| sources.load(path).map(|(_, text)| text);
    let findings = if let Some(path) = args.write_baseline.as_ref().filter(|_| compiles) {
        let prints = baseline::fingerprints(&findings, text_of);
        let mut bytes = Vec::new();
        baseline::write(&findings, &prints, &mut bytes).map_err(CliError::Stdout)?;
        let target = crate::output::target(path, world.root(), &read)?;
        crate::output::write_atomically(&target, &bytes).map_err(|source| CliError::Write {
            path: path.clone(),
            source,
        })?;
        eprintln!(
            "wrote {} finding{} to {}",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            path.display()
        );
        return Ok(Exit::Success);
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
        new
    } else {
        findings
    };
    let emitter: Box<dyn Emitter> = match args.format {
        // Typst has printed the compile errors; the summary says it.
        AuditFormat::Human if !compiles => Box::new(SummaryOnly),
        AuditFormat::Human => Box::new(Human {
            files: &sources,
            style: style(format),
            color: std::io::stdout().is_terminal(),
            width: excerpt::width_of(&std::io::stdout()),
            verbose: args.verbose,
        }),
        AuditFormat::Json => Box::new(Json),
        AuditFormat::Sarif => Box::new(Sarif),
        AuditFormat::Github => Box::new(Github),
        AuditFormat::Markdown => Box::new(Markdown),
    };
    let mut out = std::io::stdout().lock();
    timings
        .time("report", || {
            emitter.emit(
                &crate::report::Report {
                    findings: &findings,
                    notes: &notes,
                },
                &mut out,
            )
        })
        .and_then(|()| out.flush())
        .map_err(CliError::Stdout)?;
    timings
        .print(&mut std::io::stderr().lock())
        .map_err(CliError::Stdout)?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let fails = |f: &Finding| threshold.is_some_and(|t| f.severity.at_least(t));
    Ok(if !compiles || findings.iter().any(fails) {
        Exit::Failure
    } else {
        Exit::Success
    })
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

/// Typst's errors as findings of `compile-error`, each at its place.
fn compile_errors(world: &IbidWorld, errors: &[typst::diag::SourceDiagnostic]) -> Vec<Finding> {
    errors
        .iter()
        .map(|error| {
            let mut finding = Finding::new(Rule::CompileError, error.message.to_string())
                .at(source_span(world, error.span).as_ref());
            if !error.hints.is_empty() {
                let hints: Vec<&str> = error.hints.iter().map(|h| h.v.as_str()).collect();
                finding = finding.hint(hints.join("; "));
            }
            finding
        })
        .collect()
}

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
    let selection = rules.selection();
    let request = Request {
        unknown_keys: &[],
        config: rules.config(creation_timestamp),
        links: None,
        selection: &selection,
    };
    let findings = analyse(world, document, request, |_| true, timings)?.findings;
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

/// What the audit of a compiled document is asked for.
pub(super) struct Request<'a> {
    pub unknown_keys: &'a [audit::UnknownKey],
    pub config: AuditConfig,
    /// How to check URLs, and the checks already started; none for `build`.
    pub links: Option<(&'a LinkConfig, Option<Started>)>,
    pub selection: &'a Selection,
}

/// The audit of a compiled document, with the model and bibliography it
/// read.
pub(super) struct Analysis {
    pub findings: Vec<Finding>,
    /// Every footnote's outcome.
    pub notes: Vec<audit::NoteOutcome>,
    pub model: document::Document,
    pub bibliography: Bibliography,
}

/// The findings on a compiled document, located as precisely as the sources
/// allow, with the model and the bibliography they were found in. URLs are
/// checked only for `ibid audit` (`links`); `ibid build` never touches the
/// network.
pub(super) fn analyse(
    world: &mut IbidWorld,
    document: &typst_layout::PagedDocument,
    request: Request,
    selected: impl Fn(Rule) -> bool,
    timings: &mut Timings,
) -> Result<Analysis, CliError> {
    let Request {
        unknown_keys,
        config,
        links,
        selection,
    } = request;
    let data = world.read_texts();
    let world = &*world;
    let mut model = timings.time("model", || document::extract(world, document))?;
    model.locate_links_in_data(&data);
    // The files the document loads; read once: before the compile when the
    // sources named the same ones.
    let files = tolerant::bibliography_files(document);
    let (links, read_early) = match links {
        Some((config, Some(started))) => (
            Some((config, Some(started.early))),
            Some((started.files, started.bibliography)),
        ),
        Some((config, None)) => (Some((config, None)), None),
        None => (None, None),
    };
    let bibliography = timings.time("bibliography", || match read_early {
        Some((early_files, bibliography)) if early_files == files => Ok(bibliography),
        _ => Bibliography::load(world, &files),
    })?;
    let link_report = timings
        .time("links", || {
            links.map(|(config, early)| check_links(&model, &bibliography, config, early))
        })
        .transpose()?;
    let mut input = AuditInput::new(&model, &bibliography, unknown_keys).with_config(config);
    if let Some(report) = &link_report {
        input = input.with_links(report);
    }
    let mut findings = audit::run_rules_timed(
        &input,
        |rule| selection.enabled(rule) && selected(rule),
        &mut |code, took| timings.record(&format!("rule {code}"), took),
    );
    let notes = input.note_outcomes();
    let sources = WorldFiles(world);
    timings.time("excerpts", || {
        audit::narrow_to_excerpts(&mut findings, |path| {
            sources.load(path).map(|(_, text)| text)
        })
    });
    let suppressions: Vec<Suppression> = data
        .iter()
        .filter(|(path, _)| path.ends_with(".typ"))
        .flat_map(|(path, text)| suppress::parse(path, text))
        .collect();
    let mut findings = suppress::apply(findings, &suppressions, |rule| {
        selection.enabled(rule) && selected(rule)
    });
    findings.retain(|f| selection.enabled(f.rule));
    selection.apply(&mut findings);
    Ok(Analysis {
        findings,
        notes,
        model,
        bibliography,
    })
}

/// Checks the URLs, saying on standard error when the network is missing or
/// the cache was unusable.
fn check_links(
    model: &document::Document,
    bibliography: &Bibliography,
    config: &LinkConfig,
    early: Option<Early>,
) -> Result<LinkReport, CliError> {
    let targets = links::collect::targets(model, bibliography);
    let report = links::early::finish(
        early,
        targets,
        config,
        std::sync::Arc::new(links::resolve::SystemResolver),
    );
    let mut err = std::io::stderr().lock();
    for warning in &report.cache_warnings {
        writeln!(err, "warning: {warning}").map_err(CliError::Stdout)?;
    }
    if let Network::Unavailable(why) = &report.network {
        // Only those left unchecked: the cache's results still stand.
        let n = report
            .results
            .iter()
            .filter(|r| matches!(r.outcome, links::Outcome::Unverified { .. }))
            .count();
        writeln!(
            err,
            "note: the network is unavailable ({why}): {} reported as unverified, not dead",
            crate::report::count(n, "URL")
        )
        .map_err(CliError::Stdout)?;
    }
    Ok(report)
}

/// The bibliography the sources declare, read before the compile, and the
/// checks of its URLs already running.
pub(super) struct Started {
    files: Vec<String>,
    bibliography: Bibliography,
    early: Early,
}

/// Starts checking the URLs of the bibliography files the sources declare,
/// so that the checks run while the document compiles. Nothing is started
/// offline, or when the files cannot be read as they are named (the audit
/// then checks every URL after the compile).
fn start_links(world: &IbidWorld, config: &LinkConfig) -> Option<Started> {
    if config.offline {
        return None;
    }
    let main = world.relative_name(typst::World::main(world));
    let files = crate::bibliography::declared::declared(world, &main);
    let bibliography = Bibliography::load(world, &files).ok()?;
    let targets = links::collect::targets(&document::Document::default(), &bibliography);
    if targets.is_empty() {
        return None;
    }
    let early = Early::start(
        targets,
        config,
        std::sync::Arc::new(links::resolve::SystemResolver),
    );
    Some(Started {
        files,
        bibliography,
        early,
    })
}

/// How to check URLs, resolved from the link options: the cache lives under
/// the project root.
pub(super) fn link_config(
    world: &IbidWorld,
    options: &super::args::LinkArgs,
    world_args: &super::args::WorldArgs,
) -> LinkConfig {
    let offline = world_args.offline;
    LinkConfig {
        offline,
        timeout: std::time::Duration::from_secs(world_args.network.timeout),
        max_retries: world_args.network.max_retries,
        max_concurrency: options.max_concurrency.max(1),
        max_per_host: options.max_concurrency_per_host.max(1),
        accept: options.accept.clone(),
        exclude: options.exclude.clone(),
        user_agent: options
            .user_agent
            .clone()
            .unwrap_or_else(|| LinkConfig::default().user_agent),
        allow_private: options.allow_private,
        cache_path: (!options.no_cache).then(|| world.root().join(".ibid").join("links.json")),
        max_cache_age: options.max_cache_age,
        archive_url: (!options.no_archive).then(|| options.archive_url.clone()),
        now: world_args
            .creation_timestamp
            .unwrap_or_else(|| chrono::Utc::now().timestamp()),
        progress: !options.quiet,
    }
}

/// Today's date: the date of SOURCE_DATE_EPOCH when set (reproducible
/// reports), else the system's.
pub(super) fn today(fixed: Option<i64>) -> (i32, u8, u8) {
    use chrono::Datelike;
    let now = fixed
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now);
    (now.year(), now.month() as u8, now.day() as u8)
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
