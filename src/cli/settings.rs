//! `ibid.toml`: the project's options, found like ruff finds its
//! configuration (the nearest `ibid.toml` in the input's folder or above
//! it). Each key is an option of the command line, and becomes that
//! option's default: the environment and the command line still win
//! (file < environment < flag). Paths are relative to the file's folder.
//!
//! ```toml
//! input = "thesis/main.typ"
//! font-paths = ["fonts"]
//! ignore = ["mixed-locator-style"]
//! max-range-pages = 80
//!
//! [severity]
//! locator-plural = "info"
//!
//! [links]
//! exclude = ["^https://example\\.org/"]
//! max-cache-age = "7d"
//!
//! [registries]
//! email = "student@example.edu"
//!
//! [sources]
//! folder = "sources"
//! teiwes1999 = "sources/china-road-to-disaster.pdf"
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use toml_edit::{ImDocument, Item, Value};

use super::args::Cli;

mod layers;

pub use layers::{ParseError, command, explain, first_line, parse_args, reason};

pub const FILE_NAME: &str = "ibid.toml";

/// A configuration larger than this is no configuration.
const MAX_SIZE: u64 = 1024 * 1024;

/// What a key means: the argument it sets, and how its value is read.
struct Key {
    name: &'static str,
    /// The clap id of the argument (the field's name).
    id: &'static str,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Path,
    Paths,
    Texts,
    Bool,
    Integer,
    /// `{ key = "value" }` as `key=value` (`inputs`, `severity`).
    Pairs,
}

const KEYS: &[Key] = &[
    key("input", "input", Kind::Path),
    key("root", "root", Kind::Path),
    key("inputs", "inputs", Kind::Pairs),
    key("font-paths", "font_paths", Kind::Paths),
    key("ignore-system-fonts", "ignore_system_fonts", Kind::Bool),
    key("creation-timestamp", "creation_timestamp", Kind::Integer),
    key("offline", "offline", Kind::Bool),
    key("package-path", "package_path", Kind::Path),
    key("package-cache-path", "package_cache_path", Kind::Path),
    key("pdf-standard", "pdf_standards", Kind::Texts),
    key("strict", "strict", Kind::Bool),
    key("select", "select", Kind::Texts),
    key("ignore", "ignore", Kind::Texts),
    key("severity", "severity", Kind::Pairs),
    key("max-range-pages", "max_range_pages", Kind::Integer),
    key("stale-after-years", "stale_after_years", Kind::Integer),
    key("fail-on", "fail_on", Kind::Text),
    key("baseline", "baseline", Kind::Path),
    key("diagnostic-format", "diagnostic_format", Kind::Text),
    // The network's waits, for package downloads too (also under [links]).
    key("timeout", "timeout", Kind::Integer),
    key("max-retries", "max_retries", Kind::Integer),
];

/// The keys of the `[links]` table.
const LINK_KEYS: &[Key] = &[
    key("timeout", "timeout", Kind::Integer),
    key("max-retries", "max_retries", Kind::Integer),
    key("max-concurrency", "max_concurrency", Kind::Integer),
    key(
        "max-concurrency-per-host",
        "max_concurrency_per_host",
        Kind::Integer,
    ),
    key("accept", "accept", Kind::Text),
    key("exclude", "exclude", Kind::Texts),
    key("user-agent", "user_agent", Kind::Text),
    key("allow-private", "allow_private", Kind::Bool),
    key("max-cache-age", "max_cache_age", Kind::Text),
    key("no-cache", "no_cache", Kind::Bool),
    key("archive-url", "archive_url", Kind::Text),
    key("no-archive", "no_archive", Kind::Bool),
];

/// The keys of the `[registries]` table.
const REGISTRY_KEYS: &[Key] = &[
    key("no-registries", "no_registries", Kind::Bool),
    key("doi-url", "doi_url", Kind::Text),
    key("crossref-url", "crossref_url", Kind::Text),
    key("openlibrary-url", "openlibrary_url", Kind::Text),
    key("openalex-url", "openalex_url", Kind::Text),
    key("email", "email", Kind::Text),
];

const fn key(name: &'static str, id: &'static str, kind: Kind) -> Key {
    Key { name, id, kind }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct SettingsError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A read configuration: each argument's default, as strings clap parses.
#[derive(Debug, Default)]
pub struct Settings {
    pub path: Option<PathBuf>,
    pub defaults: Vec<(&'static str, Vec<String>)>,
    /// The line of each key in the file, by argument id.
    pub lines: Vec<(&'static str, usize)>,
}

/// The nearest `ibid.toml` in `start` or a folder above it (whatever it is:
/// one that is no regular file is refused when read, not passed over).
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|file| file.symlink_metadata().is_ok())
}

/// Reads a configuration file's text; `dir` is its folder.
pub fn parse(path: &str, dir: &Path, text: &str) -> Result<Settings, SettingsError> {
    let doc = ImDocument::parse(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        SettingsError {
            path: path.to_string(),
            line,
            column,
            message: format!("not valid TOML: {}", err.message()),
        }
    })?;
    let mut settings = Settings {
        path: Some(PathBuf::from(path)),
        defaults: Vec::new(),
        lines: Vec::new(),
    };
    read_table(path, dir, text, doc.as_table(), KEYS, true, &mut settings)?;
    Ok(settings)
}

fn read_table(
    path: &str,
    dir: &Path,
    text: &str,
    table: &toml_edit::Table,
    keys: &[Key],
    top: bool,
    settings: &mut Settings,
) -> Result<(), SettingsError> {
    for (name, item) in table.iter() {
        let at = table
            .key(name)
            .and_then(|k| k.span())
            .map_or(0, |span| span.start);
        let error = |message: String| {
            let (line, column) = line_column(text, at);
            SettingsError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        if top && name == "sources" {
            let Some(sources) = item.as_table_like() else {
                return Err(error(
                    "`sources` is a table: `[sources]` with `folder = \"…\"` and `KEY = \"PATH\"`"
                        .into(),
                ));
            };
            let mut files = Vec::new();
            for (key, value) in sources.iter() {
                let Some(value) = value.as_str() else {
                    return Err(error(format!("`sources.{key}` expects a path (a string)")));
                };
                let path = dir.join(value).to_string_lossy().into_owned();
                if key == "folder" {
                    settings.defaults.push(("sources_folder", vec![path]));
                    settings
                        .lines
                        .push(("sources_folder", line_column(text, at).0));
                } else {
                    files.push(format!("{key}={path}"));
                }
            }
            if !files.is_empty() {
                settings.defaults.push(("source", files));
                settings.lines.push(("source", line_column(text, at).0));
            }
            continue;
        }
        if top && name == "links" {
            let Some(links) = item.as_table() else {
                return Err(error("`links` is a table: `[links]`".into()));
            };
            read_table(path, dir, text, links, LINK_KEYS, false, settings)?;
            continue;
        }
        if top && name == "registries" {
            let Some(registries) = item.as_table() else {
                return Err(error("`registries` is a table: `[registries]`".into()));
            };
            read_table(path, dir, text, registries, REGISTRY_KEYS, false, settings)?;
            continue;
        }
        let Some(key) = keys.iter().find(|k| k.name == name) else {
            let mut names: Vec<&str> = keys.iter().map(|k| k.name).collect();
            if top {
                names.extend(["links", "registries", "sources"]);
            }
            let hint = names
                .iter()
                .map(|n| (strsim::jaro_winkler(n, name), n))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map_or(String::new(), |(_, n)| format!("; did you mean `{n}`?"));
            let within = match (top, keys.first().map(|k| k.id)) {
                (true, _) => "",
                (false, Some("no_registries")) => " in [registries]",
                (false, _) => " in [links]",
            };
            return Err(error(format!("unknown key `{name}`{within}{hint}")));
        };
        let values = values(key.kind, item, dir)
            .map_err(|expected| error(format!("`{name}` expects {expected}")))?;
        // The value is checked here, as the option would check it, so that
        // a bad one is reported at its place in this file (not as a flag
        // the user never typed): a table's at the key inside it.
        for (i, value) in values.iter().enumerate() {
            let Err(reason) = validate(key.id, value) else {
                continue;
            };
            let place = match item.as_table_like() {
                Some(table) => table
                    .iter()
                    .nth(i)
                    .and_then(|(k, _)| table.key(k))
                    .and_then(|k| k.span()),
                None => item.as_value().and_then(|v| v.span()),
            };
            let (line, column) = line_column(text, place.map_or(at, |span| span.start));
            return Err(SettingsError {
                path: path.to_string(),
                line,
                column,
                message: format!("invalid value for `{name}`: {reason}"),
            });
        }
        settings.defaults.push((key.id, values));
        settings.lines.push((key.id, line_column(text, at).0));
    }
    Ok(())
}

/// The key's value as the strings clap would be given.
fn values(kind: Kind, item: &Item, dir: &Path) -> Result<Vec<String>, &'static str> {
    let path = |s: &str| dir.join(s).to_string_lossy().into_owned();
    let strings = |item: &Item| -> Option<Vec<String>> {
        match item.as_value()? {
            Value::Array(array) => array
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
            Value::String(s) => Some(vec![s.value().clone()]),
            _ => None,
        }
    };
    Ok(match kind {
        Kind::Text => vec![item.as_str().ok_or("a string")?.to_string()],
        Kind::Path => vec![path(item.as_str().ok_or("a path (a string)")?)],
        Kind::Paths => strings(item)
            .ok_or("a list of paths")?
            .iter()
            .map(|s| path(s))
            .collect(),
        Kind::Texts => strings(item).ok_or("a list of strings")?,
        Kind::Bool => vec![item.as_bool().ok_or("true or false")?.to_string()],
        Kind::Integer => vec![item.as_integer().ok_or("a whole number")?.to_string()],
        Kind::Pairs => {
            let table = item.as_table_like().ok_or("a table of keys and strings")?;
            table
                .iter()
                .map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
                .collect::<Option<Vec<_>>>()
                .ok_or("a table of keys and strings")?
        }
    })
}

/// Checks `value` with the value parser of the argument `id` (of any
/// subcommand that has it); the reason when it is refused.
fn validate(id: &str, value: &str) -> Result<(), String> {
    let command = Cli::command();
    let Some(arg) = command
        .get_subcommands()
        .find_map(|sub| sub.get_arguments().find(|a| a.get_id() == id))
    else {
        return Ok(());
    };
    check_value(arg, std::ffi::OsStr::new(value)).map_err(|err| reason(&err))
}

/// Parses `value` as the option `arg` would parse it on a command line.
fn check_value(arg: &clap::Arg, value: &std::ffi::OsStr) -> Result<(), clap::Error> {
    use clap::builder::Resettable;
    let Some(long) = arg.get_long() else {
        return Ok(());
    };
    if !arg.get_action().takes_values() {
        return Ok(());
    }
    let probe = clap::Command::new("ibid").no_binary_name(true).arg(
        arg.clone()
            .env(Resettable::Reset)
            .default_value(Resettable::Reset)
            .required(false),
    );
    let mut flag = OsString::from(format!("--{long}="));
    flag.push(value);
    probe.try_get_matches_from([flag]).map(|_| ())
}

fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(settings: &Settings, line: &[&str]) -> Cli {
        use clap::FromArgMatches;
        let matches = command(settings).try_get_matches_from(line).unwrap();
        Cli::from_arg_matches(&matches).unwrap()
    }

    fn audit(cli: Cli) -> super::super::args::AuditArgs {
        match cli.command {
            super::super::args::Command::Audit(a) => a,
            _ => panic!("not audit"),
        }
    }

    const TEXT: &str = "input = \"thesis/main.typ\"\nignore = [\"mixed-locator-style\"]\n\
        max-range-pages = 80\n\n[severity]\nlocator-plural = \"info\"\n\n\
        [links]\nexclude = [\"^https://example\\\\.org/\"]\ntimeout = 5\n";

    #[test]
    fn the_file_gives_the_defaults_and_flags_still_win() {
        let settings = parse("ibid.toml", Path::new("/project"), TEXT).unwrap();
        let a = audit(args(&settings, &["ibid", "audit"]));
        assert_eq!(a.input, Some(PathBuf::from("/project/thesis/main.typ")));
        assert_eq!(a.rules.max_range_pages, 80);
        assert_eq!(a.world.network.timeout, 5);
        assert_eq!(a.rules.ignore.len(), 1);
        assert_eq!(a.rules.severity.len(), 1);
        assert_eq!(a.links.exclude.len(), 1);
        let a = audit(args(
            &settings,
            &[
                "ibid",
                "audit",
                "other.typ",
                "--max-range-pages",
                "20",
                "--timeout",
                "9",
            ],
        ));
        assert_eq!(a.input, Some(PathBuf::from("other.typ")));
        assert_eq!(a.rules.max_range_pages, 20);
        assert_eq!(a.world.network.timeout, 9);
    }

    #[test]
    fn an_unknown_key_is_located_with_the_closest_name() {
        let err = parse(
            "ibid.toml",
            Path::new("."),
            "input = \"a.typ\"\nmax-range-page = 3\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ibid.toml:2:1: unknown key `max-range-page`; did you mean `max-range-pages`?"
        );
        let err = parse("ibid.toml", Path::new("."), "[links]\ntimout = 3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "ibid.toml:2:1: unknown key `timout` in [links]; did you mean `timeout`?"
        );
    }

    #[test]
    fn a_value_of_the_wrong_kind_and_broken_toml_are_located() {
        let err = parse("ibid.toml", Path::new("."), "\nstrict = \"yes\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "ibid.toml:2:1: `strict` expects true or false"
        );
        let err = parse("ibid.toml", Path::new("."), "a = [\n").unwrap_err();
        assert!(err.to_string().starts_with("ibid.toml:"), "{err}");
        assert!(err.to_string().contains("not valid TOML"), "{err}");
    }

    #[test]
    fn every_key_names_an_argument_of_some_command() {
        let command = Cli::command();
        for key in KEYS.iter().chain(LINK_KEYS) {
            let known = command
                .get_subcommands()
                .any(|sub| sub.get_arguments().any(|a| a.get_id() == key.id));
            assert!(known, "{} → {}", key.name, key.id);
        }
    }
}
