//! `ibid build`: typeset the document and write the PDF atomically.

use std::io::Write;

use crate::audit::Summary;
use crate::report::human::counts;
use crate::timings::Timings;
use crate::typeset::{self, PdfConfig};

use super::args::{BuildArgs, PdfStandardArg};
use super::{CliError, Exit, config, print_diagnostics};

pub fn build(args: &BuildArgs) -> Result<Exit, CliError> {
    let mut timings = Timings::new(args.diagnostics.timings);
    let mut world = config::world(args.input.as_deref(), &args.world)?;
    let format = args.diagnostics.diagnostic_format;
    let compiled = timings.time("compile", || typeset::compile(&world, args.strict));

    let document = match (&compiled.document, compiled.has_errors()) {
        (Some(document), false) => document,
        _ => {
            print_diagnostics(&world, &compiled.errors, &compiled.warnings, format)?;
            return Ok(Exit::Failure);
        }
    };

    let pdf_config = args.pdf_config();
    let bytes = match timings.time("pdf", || typeset::pdf(document, &pdf_config)) {
        Ok(bytes) => bytes,
        Err(errors) => {
            print_diagnostics(&world, &errors, &compiled.warnings, format)?;
            return Ok(Exit::Failure);
        }
    };
    print_diagnostics(&world, &[], &compiled.warnings, format)?;

    let output = args.output_path();
    let read = world.read_paths();
    let target = crate::output::target(&output, world.root(), &read)?;
    timings
        .time("write", || crate::output::write_atomically(&target, &bytes))
        .map_err(|source| CliError::Write {
            path: output.clone(),
            source,
        })?;
    let audit = if args.no_audit {
        None
    } else {
        Some(super::audit::audit_after_build(
            &mut world,
            document,
            format,
            args.world.creation_timestamp,
            &args.rules,
            args.verbose,
            &mut timings,
        )?)
    };
    let mut err = std::io::stderr().lock();
    summary_line(
        &output,
        document.pages().len(),
        audit.as_ref(),
        args.verbose,
        &mut err,
    )
    .and_then(|()| timings.print(&mut err))
    .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}

/// `wrote thesis/main.pdf (26 pages) · audit: 9 errors, 5 warnings, 16 infos
/// — ibid audit for details`.
fn summary_line(
    output: &std::path::Path,
    pages: usize,
    audit: Option<&Summary>,
    verbose: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pages = crate::report::count(pages, "page");
    write!(out, "wrote {} ({pages})", output.display())?;
    if let Some(summary) = audit {
        write!(out, " · audit: {}", counts(summary))?;
        let hidden = summary.infos > 0 && !verbose;
        if summary.errors + summary.warnings > 0 || hidden {
            write!(out, " — ibid audit for details")?;
        }
    }
    writeln!(out)
}

impl BuildArgs {
    /// The PDF's standards and date, as the options say.
    pub(super) fn pdf_config(&self) -> PdfConfig {
        PdfConfig {
            standards: self
                .pdf_standards
                .iter()
                .map(|&s| pdf_standard(s))
                .collect(),
            creation_timestamp: self.world.creation_timestamp,
        }
    }

    /// Where the PDF goes: `-o`, else next to the input.
    pub(super) fn output_path(&self) -> std::path::PathBuf {
        self.output.clone().unwrap_or_else(|| {
            let input = config::world_config(self.input.as_deref(), &self.world).input;
            input.with_extension("pdf")
        })
    }
}

fn pdf_standard(arg: PdfStandardArg) -> typst_pdf::PdfStandard {
    use typst_pdf::PdfStandard as S;
    match arg {
        PdfStandardArg::V1_4 => S::V_1_4,
        PdfStandardArg::V1_5 => S::V_1_5,
        PdfStandardArg::V1_6 => S::V_1_6,
        PdfStandardArg::V1_7 => S::V_1_7,
        PdfStandardArg::V2_0 => S::V_2_0,
        PdfStandardArg::A1b => S::A_1b,
        PdfStandardArg::A2b => S::A_2b,
        PdfStandardArg::A2u => S::A_2u,
        PdfStandardArg::A3b => S::A_3b,
        PdfStandardArg::A3u => S::A_3u,
        PdfStandardArg::A4 => S::A_4,
        PdfStandardArg::Ua1 => S::Ua_1,
    }
}
