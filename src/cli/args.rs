//! The command line as the user typed it (clap types and nothing else). The
//! doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod groups;

pub use groups::*;

/// ibid: typeset a Typst thesis to PDF and audit every citation against its
/// Hayagriva bibliography.
///
/// Run in a project (a folder holding `thesis/` and `bibliography/`), `ibid
/// build` with no arguments typesets `thesis/main.typ` into `thesis/main.pdf`.
#[derive(Debug, Parser)]
#[command(name = "ibid", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Typeset the document to PDF (default input: thesis/main.typ).
    Build(BuildArgs),
    /// Audit every footnote citation against the bibliography (default
    /// input: thesis/main.typ). Exit code 1 if any finding is an error.
    Audit(AuditArgs),
    /// Print the document model (pages, outline, footnotes and their
    /// citations) as deterministic text or JSON, for snapshot tests in CI.
    Snapshot(SnapshotArgs),
    /// Apply the audit's remedies to the sources: hand-typed citations and
    /// "Ibid." become `@key[locator]`, locator labels agree (default input:
    /// thesis/main.typ). A fix is kept only if the fixed document compiles
    /// and its notes cite the same entries and pages.
    Fix(FixArgs),
    /// Write the audit for a supervisor: review.pdf (the thesis with every
    /// finding as a PDF comment where it sits, and a summary page) and
    /// review.html (charts, filters, each footnote with its findings)
    Review(ReviewArgs),
    /// Compile, audit and write the PDF, then again whenever a file the
    /// document reads changes, printing what changed in the audit (the
    /// options of build, and the link options of audit)
    Watch(WatchArgs),
    /// Print the effective configuration: each option's value for `ibid
    /// audit ARGS…` and where it came from (command line, environment,
    /// ibid.toml and its line, default).
    Config(ConfigArgs),
    /// Run the audit inside an editor: a Language Server Protocol server
    /// over standard input and output, beside tinymist (diagnostics, code
    /// actions, go to definition and hover on citations)
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// The Typst file of the project [default: thesis/main.typ]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub links: LinkArgs,

    #[command(flatten)]
    pub registries: RegistryArgs,

    #[command(flatten)]
    pub world: WorldArgs,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The Typst file (or a Word or PDF manuscript) to review [default:
    /// thesis/main.typ]
    pub input: Option<PathBuf>,

    /// For a Word or PDF manuscript: a bibliography to audit it against,
    /// YAML or BibLaTeX (repeatable)
    #[arg(long, value_name = "FILE")]
    pub bibliography: Vec<PathBuf>,

    /// The folder to write review.pdf and review.html to [default: the
    /// input's folder]
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub links: LinkArgs,

    #[command(flatten)]
    pub registries: RegistryArgs,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub world: WorldArgs,

    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,

    #[command(flatten)]
    pub links: LinkArgs,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The arguments of an `ibid audit` run to explain (input and options)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    pub args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// The Typst file whose sources to fix [default: thesis/main.typ]
    pub input: Option<PathBuf>,

    /// Print the changes as a unified diff and change nothing (exit code 1
    /// when there are changes)
    #[arg(long)]
    pub diff: bool,

    /// Also apply unsafe fixes: entries added to the bibliography from what
    /// a note says of a work, a misspelt key replaced by the closest one
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Where the registries are: `ibid fix` asks none of them, but adds the
    /// identifiers their cached answers (from `ibid audit`) give
    #[command(flatten)]
    pub registries: RegistryArgs,

    #[command(flatten)]
    pub world: WorldArgs,

    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The Typst file to audit, or a Word (.docx) or PDF manuscript
    /// [default: thesis/main.typ]
    pub input: Option<PathBuf>,

    /// For a Word or PDF manuscript: a bibliography (YAML or BibLaTeX) to
    /// audit it against; repeatable. The works of Zotero, Mendeley and
    /// EndNote citations in a .docx are read from it too
    #[arg(long, value_name = "FILE")]
    pub bibliography: Vec<PathBuf>,

    /// Report format
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,

    /// Explain a rule (what it checks, why, an example) and exit
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Report only findings not in this baseline, and count those fixed
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings as the baseline in FILE and exit
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// The lowest severity that makes the audit exit with 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Print each of many alike findings in full (by default, five or more
    /// findings that say the same of different entries are printed once,
    /// with the list of the others)
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// For a Word or PDF manuscript without a bibliography: write the works
    /// read from its reference list (or its notes) to this YAML file
    #[arg(long, value_name = "FILE")]
    pub write_bibliography: Option<PathBuf>,

    #[command(flatten)]
    pub registries: RegistryArgs,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub links: LinkArgs,

    #[command(flatten)]
    pub world: WorldArgs,

    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Like Typst's diagnostics, with a summary line
    Human,
    /// JSON, schema `ibid-audit/1`
    Json,
    /// SARIF 2.1.0, for code-scanning services
    Sarif,
    /// GitHub Actions workflow commands (annotations on the lines)
    Github,
    /// Markdown, for a CI job summary or a pull-request comment
    Markdown,
}

/// `--fail-on`: which findings make the audit fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found (1 still when the document does not compile)
    Never,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The Typst file to typeset [default: thesis/main.typ]
    pub input: Option<PathBuf>,

    /// Where to write the PDF [default: the input with a .pdf extension]
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: Option<PathBuf>,

    /// PDF standards to conform to, comma-separated (e.g. `a-2b`)
    #[arg(long = "pdf-standard", value_delimiter = ',', value_name = "STANDARD")]
    pub pdf_standards: Vec<PdfStandardArg>,

    /// Treat missing glyphs as errors
    #[arg(long)]
    pub strict: bool,

    /// Skip the citation audit that runs after a successful build
    #[arg(long)]
    pub no_audit: bool,

    /// Print the audit's infos in full too (by default they are counted), and
    /// each of many alike findings (by default printed once with the others listed)
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub world: WorldArgs,

    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The Typst file to read [default: thesis/main.typ]
    pub input: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = SnapshotFormat::Text)]
    pub format: SnapshotFormat,

    #[command(flatten)]
    pub world: WorldArgs,

    #[command(flatten)]
    pub diagnostics: DiagnosticArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    Text,
    Json,
}

/// The PDF standards Typst can conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    #[value(name = "1.4")]
    V1_4,
    #[value(name = "1.5")]
    V1_5,
    #[value(name = "1.6")]
    V1_6,
    #[value(name = "1.7")]
    V1_7,
    #[value(name = "2.0")]
    V2_0,
    #[value(name = "a-1b")]
    A1b,
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "a-2u")]
    A2u,
    #[value(name = "a-3b")]
    A3b,
    #[value(name = "a-3u")]
    A3u,
    #[value(name = "a-4")]
    A4,
    #[value(name = "ua-1")]
    Ua1,
}
