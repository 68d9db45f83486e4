//! `ibid review`: compile, export the PDF, audit (as `ibid audit` does,
//! with the same options), then write review.pdf (the PDF annotated) and
//! review.html next to each other, atomically. The sources are only read.

use std::path::{Path, PathBuf};

use crate::audit::Summary;
use crate::review::{self, Tally, html, pdf};
use crate::timings::Timings;
use crate::typeset::{self, PdfConfig};
use crate::world::IbidWorld;
use typst_layout::PagedDocument;

use super::args::ReviewArgs;

use super::{CliError, Exit, config, print_diagnostics};
use crate::pipeline::{self, Request};

pub const PDF_NAME: &str = "review.pdf";
pub const HTML_NAME: &str = "review.html";

pub fn review(args: &ReviewArgs) -> Result<Exit, CliError> {
    if let Some(path) = args
        .input
        .as_deref()
        .filter(|p| super::manuscript::is_manuscript(Some(p)))
    {
        return super::manuscript::review(args, path);
    }
    let mut timings = Timings::new(args.diagnostics.timings);
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    let links = config::links(world.root(), &args.links, &args.world);
    let sources = config::sources(world.root(), &args.sources, args.links.no_cache);
    let registries = config::registries(world.root(), &args.registries, &args.world);
    let selection = config::selection(&args.rules);
    let request = Request {
        config: config::audit(&args.rules, args.world.creation_timestamp),
        links: Some(&links),
        registries: registries.as_ref(),
        started: None,
        sources: sources.as_ref(),
        selection: &selection,
    };
    let run = pipeline::run(&mut world, false, request, |_| true, &mut timings)?;
    let compiled = &run.compiled.compiled;
    print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
    let (Some(document), Some(analysis)) = (run.document(), run.analysis.as_ref()) else {
        return Ok(Exit::Failure);
    };
    super::print_notices(&analysis.notices);
    let Some(exported) = export(&world, document, args, &mut timings)? else {
        return Ok(Exit::Failure);
    };
    let model = &analysis.model;
    let placed = review::place(&analysis.findings, model);
    let input = config::world_config(args.input.as_deref(), &args.world).input;
    let title = input.display().to_string();
    let summary = Summary::of(&analysis.findings);
    let annotated = timings.time("annotate", || {
        annotate(&exported, &title, &summary, &placed, &model.page_sizes)
    })?;
    let page = html_page(
        &title,
        analysis,
        &placed,
        &HtmlLinks {
            pdf: Some(PDF_NAME),
            pages_before: 1,
        },
    )?;

    let dir = output_dir(args.output.as_deref(), &input);
    let read = world.read_paths();
    write_outputs(
        &dir,
        world.root(),
        &read,
        &[(PDF_NAME, &annotated), (HTML_NAME, &page)],
        &mut timings,
    )?;
    let located = placed.iter().filter(|p| p.at.is_some()).count();
    eprintln!(
        "wrote {} ({} pages, {located} of {} findings as comments on their pages) and {} · audit: {}",
        dir.join(PDF_NAME).display(),
        model.pages + 1,
        analysis.findings.len(),
        dir.join(HTML_NAME).display(),
        crate::report::human::counts(&summary)
    );
    timings
        .print(&mut std::io::stderr().lock())
        .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}

/// The document as a PDF (Typst's errors printed, and `None`, when it
/// cannot be exported).
fn export(
    world: &IbidWorld,
    document: &PagedDocument,
    args: &ReviewArgs,
    timings: &mut Timings,
) -> Result<Option<Vec<u8>>, CliError> {
    let pdf_config = PdfConfig {
        standards: Vec::new(),
        creation_timestamp: args.world.creation_timestamp,
    };
    match timings.time("pdf", || typeset::pdf(document, &pdf_config)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(errors) => {
            print_diagnostics(world, &errors, &[], args.diagnostics.diagnostic_format)?;
            Ok(None)
        }
    }
}

/// Where the review's files go: `--output`, else beside the input.
fn output_dir(output: Option<&Path>, input: &Path) -> PathBuf {
    output.map(Path::to_path_buf).unwrap_or_else(|| {
        input
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    })
}

/// The PDF with a comment per placed finding, after a summary page.
fn annotate(
    exported: &[u8],
    title: &str,
    summary: &Summary,
    placed: &[review::Placed],
    page_sizes: &[(f64, f64)],
) -> Result<Vec<u8>, pdf::AnnotateError> {
    let (chapters, rules) = review::tallies(placed);
    let rules: Vec<(&str, Tally)> = rules.into_iter().collect();
    pdf::annotate(
        exported,
        placed,
        page_sizes,
        &pdf::Summary {
            title,
            total: Tally {
                errors: summary.errors,
                warnings: summary.warnings,
                infos: summary.infos,
            },
            chapters: &chapters,
            rules: &rules,
        },
    )
}

/// Where the HTML report's notes link to: the PDF beside it, and the pages
/// that PDF puts before the document's first.
pub(super) struct HtmlLinks<'a> {
    pub pdf: Option<&'a str>,
    pub pages_before: usize,
}

/// The HTML report of an analysis, as bytes.
pub(super) fn html_page(
    title: &str,
    analysis: &crate::pipeline::Analysis,
    placed: &[review::Placed<'_>],
    links: &HtmlLinks<'_>,
) -> Result<Vec<u8>, CliError> {
    let (chapters, rules) = review::tallies(placed);
    let rules: Vec<(&str, Tally)> = rules.into_iter().collect();
    let mut page = Vec::new();
    html::write(
        &html::Report {
            title,
            document: &analysis.model,
            placed,
            chapters: &chapters,
            rules: &rules,
            pdf: links.pdf,
            pages_before: links.pages_before,
            quotations: &analysis.quotations,
            registries: analysis.registries.as_ref(),
        },
        &mut page,
    )
    .map_err(CliError::Stdout)?;
    Ok(page)
}

/// Writes the review's files into `dir` (checked before it is created:
/// never a folder made through a link out of `root`), every one checked
/// before any is written (a refused one leaves the others as they were),
/// each atomically; never over a file the run read (`read`).
pub(super) fn write_outputs(
    dir: &Path,
    root: &Path,
    read: &[PathBuf],
    outputs: &[(&str, &[u8])],
    timings: &mut Timings,
) -> Result<(), CliError> {
    crate::output::folder(dir, root)?;
    let mut writes = Vec::new();
    for (name, bytes) in outputs {
        let path = dir.join(name);
        writes.push((crate::output::target(&path, root, read)?, path, *bytes));
    }
    for (target, path, bytes) in writes {
        timings
            .time("write", || crate::output::write_atomically(&target, bytes))
            .map_err(|source| CliError::Write { path, source })?;
    }
    Ok(())
}
