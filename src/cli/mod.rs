//! The command line: arguments, their resolution, and one function per
//! subcommand. `main` only parses, calls [`run`] and maps the result to an
//! exit code.

pub mod args;
mod audit;
mod build;
pub mod config;
mod fix;
pub mod lsp;
mod manuscript;
mod review;
pub mod settings;
mod snapshot;
mod watch;

use std::io::IsTerminal;
use std::path::PathBuf;

use typst::diag::SourceDiagnostic;
use typst_kit::diagnostics::termcolor::{ColorChoice, StandardStream};

use crate::bibliography::BibliographyError;
use crate::report::human::SourceFiles;
use crate::typeset::ExtractError;
use crate::world::{IbidWorld, WorldError};
use args::{Cli, Command, DiagnosticFormatArg};

/// How a run ended. The audit's "found problems" (1) stays apart from "the
/// tool could not run" (2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done, no error in the document.
    Success = 0,
    /// The document has errors (or, for an audit, error findings).
    Failure = 1,
    /// The tool could not run: bad arguments, unreadable files.
    ToolError = 2,
}

/// Why the tool could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    World(#[from] WorldError),
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("{}", with_hint(.0))]
    Bibliography(#[from] BibliographyError),
    #[error("{}\n  = hint: {}", .0, .0.hint())]
    Output(#[from] crate::output::OutputError),
    #[error("failed to write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to print diagnostics: {0}")]
    Diagnostics(#[from] codespan_reporting::files::Error),
    #[error("{0}")]
    Baseline(String),
    #[error("{0}")]
    Fix(String),
    #[error(transparent)]
    Review(#[from] crate::review::pdf::AnnotateError),
    #[error("cannot watch the files: {0}")]
    Watch(String),
    #[error("failed to write to standard output: {0}")]
    Stdout(#[source] std::io::Error),
    #[error("{0}")]
    Manuscript(String),
}

impl From<crate::pipeline::PipelineError> for CliError {
    fn from(err: crate::pipeline::PipelineError) -> Self {
        match err {
            crate::pipeline::PipelineError::Extract(e) => Self::Extract(e),
            crate::pipeline::PipelineError::Bibliography(e) => Self::Bibliography(e),
        }
    }
}

/// Prints a run's notices (an unusable link cache, a missing network) on
/// standard error.
pub fn print_notices(notices: &[String]) {
    for notice in notices {
        eprintln!("{notice}");
    }
}

fn with_hint(err: &BibliographyError) -> String {
    match err.hint() {
        Some(hint) => format!("{err}\n  = hint: {hint}"),
        None => err.to_string(),
    }
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<Exit, CliError> {
    match cli.command {
        Command::Build(args) => build::build(&args),
        Command::Audit(args) => audit::audit(&args),
        Command::Snapshot(args) => snapshot::snapshot(&args),
        Command::Fix(args) => fix::fix(&args),
        Command::Review(args) => review::review(&args),
        Command::Watch(args) => watch::watch(&args),
        Command::Lsp(args) => crate::cli::lsp::run(&args),
        Command::Config(args) => match settings::explain(&args.args) {
            Ok(text) => {
                use std::io::Write;
                std::io::stdout()
                    .lock()
                    .write_all(text.as_bytes())
                    .map_err(CliError::Stdout)?;
                Ok(Exit::Success)
            }
            Err(err) => {
                eprintln!("error: {err}");
                Ok(Exit::ToolError)
            }
        },
    }
}

/// Prints diagnostics to standard error the way typst-cli does.
pub fn print_diagnostics(
    world: &IbidWorld,
    errors: &[SourceDiagnostic],
    warnings: &[SourceDiagnostic],
    format: DiagnosticFormatArg,
) -> Result<(), CliError> {
    let color = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut out = StandardStream::stderr(color);
    let short = format == DiagnosticFormatArg::Short;
    let width = crate::report::excerpt::width_of(&std::io::stderr());
    crate::typeset::diagnostics::emit(
        &mut out,
        world,
        errors.iter().chain(warnings),
        short,
        width,
    )?;
    Ok(())
}

/// The project's files, for renderers that quote sources.
pub struct WorldFiles<'a>(pub &'a IbidWorld);

impl SourceFiles for WorldFiles<'_> {
    fn load(&self, path: &str) -> Option<(String, String)> {
        use typst::World;
        use typst_kit::diagnostics::DiagnosticWorld;
        let id = self.0.file_id(path)?;
        let text = match self.0.source(id) {
            Ok(source) => source.text().to_string(),
            Err(_) => String::from_utf8_lossy(self.0.file(id).ok()?.as_slice()).into_owned(),
        };
        Some((self.0.name(id), text))
    }
}
