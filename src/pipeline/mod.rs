//! One audit run, the library's pipeline: a compiled Typst document (or a
//! model from another front end) becomes its model, its bibliography, the
//! network checks, the rules' findings with suppressions applied. Every
//! command (`audit`, `build`, `fix`, `review`, `watch`) and the editor server
//! call it; none calls another command.

pub mod early;
mod run;
pub mod works;

pub use run::{Run, run};

use crate::audit::suppress::{self, Suppression};
use crate::audit::{self, AuditConfig, AuditInput, Finding, Rule, Selection};
use crate::bibliography::{Bibliography, BibliographyError};
use crate::document;
use crate::links::early::Early;
use crate::links::{self, LinkConfig, LinkReport, Network};
use crate::registries::verify::{RegistryConfig, RegistryReport};
use crate::timings::Timings;
use crate::typeset::ExtractError;
use crate::typeset::tolerant;
use crate::world::IbidWorld;

/// Why a run could not audit the document.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error(transparent)]
    Bibliography(#[from] BibliographyError),
}

/// What the audit of a compiled document is asked for.
pub struct Request<'a> {
    pub config: AuditConfig,
    /// How to check URLs; none for `build`.
    pub links: Option<&'a LinkConfig>,
    /// How to ask the scholarly registries; none for `build`.
    pub registries: Option<&'a RegistryConfig>,
    /// The checks started before the compile ([`early::start`]).
    pub started: Option<early::Started>,
    /// Where the cited works' own files are; none for `build`.
    pub sources: Option<&'a crate::sources::SourceConfig>,
    pub selection: &'a Selection,
}

/// The audit of a compiled document, with the model and bibliography it
/// read.
pub struct Analysis {
    pub findings: Vec<Finding>,
    /// Every footnote's outcome.
    pub notes: Vec<audit::NoteOutcome>,
    pub model: document::Document,
    pub bibliography: Bibliography,
    /// What the user should know of the run (printed on standard error by
    /// the command line, shown by an editor).
    pub notices: Vec<String>,
    /// The quotations looked up in the cited works' files (none when no
    /// source is attached), for the review's evidence.
    pub quotations: Vec<audit::rules::QuotationCheck>,
    /// What the registries said of the entries (none when not asked), for
    /// the review's table of verified works.
    pub registries: Option<RegistryReport>,
}

/// The findings on a compiled Typst document, located as precisely as the
/// sources allow, with the model and the bibliography they were found in.
/// URLs are checked only when the request has link options (`ibid audit`);
/// `ibid build` never touches the network.
pub fn analyse(
    world: &mut IbidWorld,
    document: &typst_layout::PagedDocument,
    unknown_keys: &[audit::UnknownKey],
    request: Request,
    selected: impl Fn(Rule) -> bool,
    timings: &mut Timings,
) -> Result<Analysis, PipelineError> {
    let data = world.read_texts();
    let world = &*world;
    let mut model = timings.time("model", || crate::typeset::extract(world, document))?;
    model.locate_links_in_data(&data);
    // The files the document loads; read once: before the compile when the
    // sources named the same ones.
    let files = tolerant::bibliography_files(document);
    let (early_links, early_registries, read_early) = match request.started {
        Some(started) => (
            started.links,
            started.registries,
            Some((started.files, started.bibliography)),
        ),
        None => (None, None, None),
    };
    let same = read_early
        .as_ref()
        .is_some_and(|(early, _)| *early == files);
    let bibliography = timings.time("bibliography", || match read_early {
        Some((_, bibliography)) if same => Ok(bibliography),
        _ => Bibliography::load(&|p| world.read_text(p), &files),
    })?;
    let request = ModelRequest {
        unknown_keys,
        config: request.config,
        links: request.links.map(|config| (config, early_links)),
        registries: request.registries,
        registries_started: early::Started::registries_for(early_registries, same),
        sources: request.sources,
        selection: request.selection,
    };
    let sources = |path: &str| world_text(world, path);
    Ok(audit_model(
        model,
        bibliography,
        &data,
        &sources,
        request,
        selected,
        timings,
    ))
}

/// What the audit of a model (from any front end) is asked for.
pub struct ModelRequest<'a> {
    pub unknown_keys: &'a [audit::UnknownKey],
    pub config: AuditConfig,
    /// How to check URLs, and the checks already started.
    pub links: Option<(&'a LinkConfig, Option<Early>)>,
    /// How to ask the scholarly registries.
    pub registries: Option<&'a RegistryConfig>,
    /// The registries' report on this bibliography, when its check was
    /// started before the compile.
    pub registries_started: Option<RegistryReport>,
    /// Where the cited works' own files are.
    pub sources: Option<&'a crate::sources::SourceConfig>,
    pub selection: &'a Selection,
}

/// The audit of a document model and its bibliography, whatever front end
/// read them: links checked (when asked), the rules run, findings narrowed
/// to excerpts of `sources`, the suppressions written in `data` (the
/// project's text files) applied.
pub fn audit_model(
    model: document::Document,
    bibliography: Bibliography,
    data: &[(String, String)],
    sources: &dyn Fn(&str) -> Option<String>,
    request: ModelRequest,
    selected: impl Fn(Rule) -> bool,
    timings: &mut Timings,
) -> Analysis {
    let ModelRequest {
        unknown_keys,
        config,
        links,
        registries,
        registries_started,
        sources: source_config,
        selection,
    } = request;
    let runs = |rule: Rule| selection.enabled(rule) && selected(rule);
    let asked = Asked {
        links,
        registries,
        registries_started,
        sources: source_config,
    };
    let Gathered {
        links: link_report,
        registries: registry_report,
        sources: source_report,
        notices,
    } = gather(&model, &bibliography, asked, &runs, timings);
    let mut input = AuditInput::new(&model, &bibliography, unknown_keys).with_config(config);
    if let Some(report) = &source_report {
        input = input.with_sources(report);
    }
    if let Some(report) = &link_report {
        input = input.with_links(report);
    }
    if let Some(report) = &registry_report {
        input = input.with_registries(report);
    }
    // The notes read once for every rule that needs them, timed as their
    // own step (else the first rule to ask pays for all, and which rule is
    // first depends on the document).
    timings.time("matcher", || {
        input.hand_typed();
        input.locator_sites();
    });
    let mut findings = audit::run_rules_timed(&input, runs, &mut |code, took| {
        timings.record(&format!("rule {code}"), took)
    });
    let notes = input.note_outcomes();
    let quotations = if source_report.is_some() {
        input.quotation_checks().to_vec()
    } else {
        Vec::new()
    };
    timings.time("excerpts", || {
        audit::narrow_to_excerpts(&mut findings, sources)
    });
    let suppressions: Vec<Suppression> = data
        .iter()
        .filter(|(path, _)| path.ends_with(".typ"))
        .flat_map(|(path, text)| suppress::parse(path, text))
        .collect();
    let mut findings = suppress::apply(findings, &suppressions, runs);
    findings.retain(|f| selection.enabled(f.rule));
    selection.apply(&mut findings);
    Analysis {
        findings,
        notes,
        model,
        bibliography,
        notices,
        quotations,
        registries: registry_report,
    }
}

/// The network checks and files a request asks for.
struct Asked<'a> {
    links: Option<(&'a LinkConfig, Option<Early>)>,
    registries: Option<&'a RegistryConfig>,
    registries_started: Option<RegistryReport>,
    sources: Option<&'a crate::sources::SourceConfig>,
}

/// What the rules read besides the model and the bibliography, each
/// gathered only when a rule that runs reads it, and what the user should
/// know of it.
struct Gathered {
    links: Option<LinkReport>,
    registries: Option<RegistryReport>,
    sources: Option<crate::sources::SourceReport>,
    notices: Vec<String>,
}

/// The URLs' answers, the registries' word on the entries and the cited
/// works' files.
fn gather(
    model: &document::Document,
    bibliography: &Bibliography,
    asked: Asked,
    runs: &dyn Fn(Rule) -> bool,
    timings: &mut Timings,
) -> Gathered {
    let mut notices = Vec::new();
    let links = timings.time("links", || {
        asked
            .links
            .map(|(config, early)| check_links(model, bibliography, config, early, &mut notices))
    });
    // Nobody asks the registries for a rule that does not run.
    let asks = Rule::ALL
        .iter()
        .any(|&rule| rule.asks_registries() && runs(rule));
    let registries = timings.time("registries", || {
        asked.registries.filter(|_| asks).map(|config| {
            let report = asked
                .registries_started
                .unwrap_or_else(|| crate::registries::verify::verify_all(bibliography, config));
            registry_notices(&report, &mut notices);
            report
        })
    });
    // The cited works' files are read only for a rule that reads them.
    let reads = Rule::ALL
        .iter()
        .any(|&rule| rule.reads_sources() && runs(rule));
    let sources = timings.time("sources", || {
        asked.sources.filter(|_| reads).map(|config| {
            let report = crate::sources::read_all(bibliography, config);
            notices.extend(report.notices.iter().cloned());
            report
        })
    });
    Gathered {
        links,
        registries,
        sources,
        notices,
    }
}

/// What the user should know of the registries' check: the cache's
/// warnings, and a registry that could not be reached at all.
fn registry_notices(report: &RegistryReport, notices: &mut Vec<String>) {
    notices.extend(report.warnings.iter().map(|w| format!("warning: {w}")));
    let checked = report.results.len();
    let entries = if checked == 1 { "entry" } else { "entries" };
    // Offline, nothing is said: the user asked for it.
    if checked > 0 && report.online && report.unreachable() {
        notices.push(format!(
            "note: the registries could not be reached: {checked} {entries} not verified"
        ));
    }
}

/// The findings of the rules that read the registries' answers alone, on
/// `report` (the editor's, between full audits: the answers come in after
/// the offline audit, which has the invalid identifiers already).
pub fn registry_findings(
    model: &document::Document,
    bibliography: &Bibliography,
    report: &RegistryReport,
    config: AuditConfig,
    selection: &Selection,
) -> Vec<Finding> {
    let input = AuditInput::new(model, bibliography, &[])
        .with_config(config)
        .with_registries(report);
    rules_alone(&input, selection, Rule::asks_registries)
}

/// The findings of the link rules alone on `report` (a session's round of
/// `ibid watch` or the editor, between full audits).
pub fn link_findings(
    model: &document::Document,
    bibliography: &Bibliography,
    report: &LinkReport,
    config: AuditConfig,
    selection: &Selection,
) -> Vec<Finding> {
    let input = AuditInput::new(model, bibliography, &[])
        .with_config(config)
        .with_links(report);
    rules_alone(&input, selection, Rule::about_links)
}

/// The findings of the rules `which` alone, as selected.
fn rules_alone(input: &AuditInput, selection: &Selection, which: fn(Rule) -> bool) -> Vec<Finding> {
    let mut findings = audit::run_rules_timed(
        input,
        |rule| which(rule) && selection.enabled(rule),
        &mut |_, _| {},
    );
    findings.retain(|f| which(f.rule));
    selection.apply(&mut findings);
    findings
}

/// The text of a project file the world read, by root-relative path.
pub fn world_text(world: &IbidWorld, path: &str) -> Option<String> {
    use typst::World;
    let id = world.file_id(path)?;
    match world.source(id) {
        Ok(source) => Some(source.text().to_string()),
        Err(_) => Some(String::from_utf8_lossy(world.file(id).ok()?.as_slice()).into_owned()),
    }
}

/// Checks the URLs; what the user should know (an unusable cache, a
/// missing network) is added to `notices`.
fn check_links(
    model: &document::Document,
    bibliography: &Bibliography,
    config: &LinkConfig,
    early: Option<Early>,
    notices: &mut Vec<String>,
) -> LinkReport {
    let targets = links::collect::targets(model, bibliography);
    let report = links::early::finish(
        early,
        targets,
        config,
        std::sync::Arc::new(links::resolve::SystemResolver),
    );
    for warning in &report.cache_warnings {
        notices.push(format!("warning: {warning}"));
    }
    if let Network::Unavailable(why) = &report.network {
        // Only those left unchecked: the cache's results still stand.
        let n = report
            .results
            .iter()
            .filter(|r| matches!(r.outcome, links::Outcome::Unverified { .. }))
            .count();
        notices.push(format!(
            "note: the network is unavailable ({why}): {} reported as unverified, not dead",
            crate::report::count(n, "URL")
        ));
    }
    report
}
