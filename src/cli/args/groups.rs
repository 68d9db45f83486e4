//! The option groups several commands share (`#[command(flatten)]`): rules,
//! registries, sources, links, the world (root, fonts, packages, network)
//! and diagnostics; their value parsers.

use std::path::PathBuf;

use clap::builder::BoolishValueParser;
use clap::{Args, ValueEnum};

/// Which rules run and how severe their findings are, as ruff's options,
/// and the rules' thresholds.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// `implausible-range` reports ranges wider than this many pages
    #[arg(long, value_name = "PAGES", default_value_t = 50,
          value_parser = clap::builder::RangedI64ValueParser::<u32>::new().range(1..=1_000_000))]
    pub max_range_pages: u32,

    /// `stale-access-date` reports web sources accessed more than this many years ago
    #[arg(long, value_name = "YEARS", default_value_t = 5,
          value_parser = clap::builder::RangedI64ValueParser::<u32>::new().range(1..=1000))]
    pub stale_after_years: u32,

    /// Run only these rules (comma-separated codes; repeatable)
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = crate::audit::select::parse_rule)]
    pub select: Vec<crate::audit::Rule>,

    /// Do not run these rules (comma-separated codes; repeatable)
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = crate::audit::select::parse_rule)]
    pub ignore: Vec<crate::audit::Rule>,

    /// Give a rule another severity, e.g. `--severity locator-plural=info`
    /// (repeatable)
    #[arg(long, value_name = "RULE=LEVEL", value_parser = crate::audit::select::parse_severity)]
    pub severity: Vec<(crate::audit::Rule, crate::audit::Severity)>,
}

/// How the bibliography is checked against the scholarly registries.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// Do not check the bibliography against the scholarly registries (DOI
    /// resolver, Crossref, Open Library); identifiers are still checked
    /// offline
    #[arg(long, env = "IBID_NO_REGISTRIES")]
    pub no_registries: bool,

    /// The DOI resolver, for content negotiation
    #[arg(
        long,
        value_name = "URL",
        env = "IBID_DOI_URL",
        default_value = "https://doi.org"
    )]
    pub doi_url: String,

    /// Crossref's REST API (updates, retractions, bibliographic search)
    #[arg(
        long,
        value_name = "URL",
        env = "IBID_CROSSREF_URL",
        default_value = "https://api.crossref.org"
    )]
    pub crossref_url: String,

    /// Open Library (books by ISBN)
    #[arg(
        long,
        value_name = "URL",
        env = "IBID_OPENLIBRARY_URL",
        default_value = "https://openlibrary.org"
    )]
    pub openlibrary_url: String,

    /// OpenAlex (retractions Crossref does not record; the search for works
    /// Crossref's does not find)
    #[arg(
        long,
        value_name = "URL",
        env = "IBID_OPENALEX_URL",
        default_value = "https://api.openalex.org"
    )]
    pub openalex_url: String,

    /// An OpenAlex API key (searches beyond the keyless daily allowance);
    /// sent with each OpenAlex request, never cached or printed
    #[arg(
        long,
        value_name = "KEY",
        env = "IBID_OPENALEX_API_KEY",
        hide_env_values = true
    )]
    pub openalex_api_key: Option<String>,

    /// A contact address sent to the registries (Crossref's polite pool)
    #[arg(long, value_name = "ADDRESS", env = "IBID_EMAIL")]
    pub email: Option<String>,
}

/// Where the cited works' own files are, for the quotation checks.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The file of an entry's work, `KEY=PATH` (repeatable; `[sources]` in
    /// ibid.toml); besides the entries' own `file` fields
    #[arg(long = "source", value_name = "KEY=PATH", value_parser = parse_input)]
    pub source: Vec<(String, String)>,

    /// A folder of files named by entry key (`teiwes1999.pdf`)
    /// [default: `sources/` in the project root, if there is one]
    #[arg(long, value_name = "DIR")]
    pub sources_folder: Option<PathBuf>,

    /// Do not read the cited works' files
    #[arg(long)]
    pub no_sources: bool,
}

/// How URLs are checked, as in lychee.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Run only the URL and access-date rules
    #[arg(long)]
    pub links_only: bool,

    /// Requests at once (lychee's default)
    #[arg(long, value_name = "N", default_value_t = 128,
          value_parser = clap::builder::RangedI64ValueParser::<usize>::new().range(1..=4096))]
    pub max_concurrency: usize,

    /// Requests at once to one host (lychee's default)
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::builder::RangedI64ValueParser::<usize>::new().range(1..=1024))]
    pub max_concurrency_per_host: usize,

    /// Status codes that count as success, as lychee reads them, e.g.
    /// `200..=299,403`
    #[arg(long, value_name = "CODES", default_value = "100..=103,200..=299")]
    pub accept: crate::links::accept::Accept,

    /// Do not check URLs matching this regular expression (repeatable)
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<regex::Regex>,

    /// The User-Agent header to send
    #[arg(long, value_name = "AGENT")]
    pub user_agent: Option<String>,

    /// Check loopback, private and link-local addresses too (not probed by default)
    #[arg(long)]
    pub allow_private: bool,

    /// How long a cached result stays valid, e.g. `1d`, `12h`, `30m`
    #[arg(long, value_name = "AGE", default_value = "1d", value_parser = parse_age)]
    pub max_cache_age: std::time::Duration,

    /// Do not read or write the caches of links and sources (.ibid/links.json,
    /// .ibid/sources/)
    #[arg(long)]
    pub no_cache: bool,

    /// Base URL of the Wayback Machine availability API, for dead links
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://archive.org",
        env = "IBID_ARCHIVE_URL"
    )]
    pub archive_url: String,

    /// Do not look up archived copies of dead links
    #[arg(long)]
    pub no_archive: bool,

    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// What the document sees: files, fonts, inputs, time. As in typst-cli.
#[derive(Debug, Args)]
pub struct WorldArgs {
    /// Project root: the document may read files only inside it [default: the
    /// nearest folder above the input holding `thesis/` and `bibliography/`,
    /// else the input's folder]
    #[arg(long, env = "TYPST_ROOT", value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// A `sys.inputs` entry for the document, as key=value (repeatable)
    #[arg(long = "input", value_name = "key=value", value_parser = parse_input)]
    pub inputs: Vec<(String, String)>,

    /// Extra folders to search for fonts (repeatable)
    #[arg(
        long = "font-path",
        env = "TYPST_FONT_PATHS",
        value_name = "DIR",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<PathBuf>,

    /// Do not use the fonts installed on the system
    #[arg(long, env = "TYPST_IGNORE_SYSTEM_FONTS", value_parser = BoolishValueParser::new())]
    pub ignore_system_fonts: bool,

    /// The document's creation time in seconds since the epoch, for
    /// reproducible output
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "UNIX_TIME", value_parser = parse_timestamp)]
    pub creation_timestamp: Option<i64>,

    /// Use no network: packages come from the package directories only, and
    /// URLs are not checked (they are reported as unverified)
    #[arg(long, env = "IBID_OFFLINE", value_parser = BoolishValueParser::new())]
    pub offline: bool,

    /// Local packages (`@namespace/name:version`) [default: the system's
    /// data directory, e.g. ~/.local/share/typst/packages]
    #[arg(long, env = "TYPST_PACKAGE_PATH", value_name = "DIR")]
    pub package_path: Option<PathBuf>,

    /// Downloaded packages [default: the system's cache directory, e.g.
    /// ~/.cache/typst/packages]
    #[arg(long, env = "TYPST_PACKAGE_CACHE_PATH", value_name = "DIR")]
    pub package_cache_path: Option<PathBuf>,

    /// The package registry (a mirror of packages.typst.org)
    #[arg(long, env = "IBID_PACKAGE_REGISTRY", value_name = "URL", hide = true)]
    pub package_registry: Option<String>,

    #[command(flatten)]
    pub network: NetworkArgs,
}

/// How long the network may keep ibid waiting: package downloads, link
/// checks. One URL (or one package) takes at most --timeout × (retries + 1).
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// Seconds to wait for a server before giving up
    #[arg(long, value_name = "SECS", default_value_t = 20,
          value_parser = clap::builder::RangedI64ValueParser::<u64>::new().range(1..=3600))]
    pub timeout: u64,

    /// Retries of a request that failed in a way that may pass (timeouts,
    /// 5xx, 429); one URL takes at most --timeout × (retries + 1)
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::builder::RangedI64ValueParser::<u64>::new().range(0..=20))]
    pub max_retries: u64,
}

impl NetworkArgs {
    /// The most one URL or one package download may take.
    pub fn budget(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout.saturating_mul(self.max_retries + 1))
    }
}

/// The longest cache age taken: a century.
const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);

/// `--max-cache-age`: a duration as humantime reads it (`1d`, `12h`), at
/// most a century.
fn parse_age(raw: &str) -> Result<std::time::Duration, String> {
    let age = humantime::parse_duration(raw).map_err(|e| e.to_string())?;
    if age > MAX_AGE {
        return Err(format!("`{raw}` is longer than a century"));
    }
    Ok(age)
}

/// `--creation-timestamp`, `SOURCE_DATE_EPOCH`: seconds since the epoch
/// that make a date in the years 1–9999.
fn parse_timestamp(raw: &str) -> Result<i64, String> {
    use chrono::Datelike;
    let seconds: i64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("`{raw}` is not a whole number of seconds since 1970"))?;
    chrono::DateTime::from_timestamp(seconds, 0)
        .filter(|date| (1..=9999).contains(&date.year()))
        .map(|_| seconds)
        .ok_or_else(|| format!("`{raw}` seconds since 1970 is not a date in the years 1 to 9999"))
}

#[derive(Debug, Args)]
pub struct DiagnosticArgs {
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = DiagnosticFormatArg::Human)]
    pub diagnostic_format: DiagnosticFormatArg,

    /// Print how long each step took (compile, PDF, model, each rule, …) on
    /// standard error
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormatArg {
    Human,
    Short,
}

pub(super) fn parse_input(raw: &str) -> Result<(String, String), String> {
    let (key, value) = raw
        .split_once('=')
        .ok_or_else(|| format!("`{raw}` is not of the form key=value"))?;
    if key.trim().is_empty() {
        return Err(format!("`{raw}` has an empty key"));
    }
    Ok((key.trim().to_string(), value.to_string()))
}
