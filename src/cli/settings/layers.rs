//! The layers of options: defaults < `ibid.toml` < environment < flags.
//! The settings become the command line's defaults (`command`), the
//! environment is checked as the flags are (`check_environment`), and
//! `ibid config` explains where each value came from (`explain`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Command, CommandFactory};

use super::{
    FILE_NAME, KEYS, LINK_KEYS, MAX_SIZE, REGISTRY_KEYS, Settings, SettingsError, check_value,
    find, parse,
};
use crate::cli::args::Cli;

/// Why clap refused a value, without clap's framing (`error: invalid value
/// … for '--flag'`), which names a flag the user may not have typed.
pub fn reason(err: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    if let Some(source) = std::error::Error::source(err) {
        return source.to_string();
    }
    let value = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(v)) => format!("`{v}`"),
        _ => "the value".to_string(),
    };
    match err.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(valid)) => {
            format!("{value} is not one of: {}", valid.join(", "))
        }
        _ => first_line(err),
    }
}

/// The first line of clap's message, without its `error: ` prefix.
pub fn first_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let line = rendered.lines().next().unwrap_or("invalid arguments");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Checks the environment variables that set options of `argv`'s
/// subcommand (and are not overridden on its command line) with the
/// options' own parsers, so that a bad one is reported as the variable.
fn check_environment(argv: &[OsString]) -> Result<(), ParseError> {
    let command = Cli::command();
    let Some(sub) = argv
        .iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .and_then(|name| command.find_subcommand(name))
    else {
        return Ok(());
    };
    for arg in sub.get_arguments() {
        let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        let Some(value) = std::env::var_os(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let flag = format!("--{long}");
        let typed = argv.iter().any(|a| {
            let a = a.to_string_lossy();
            a == flag || a.starts_with(&format!("{flag}="))
        });
        if typed {
            continue;
        }
        // A list variable (TYPST_FONT_PATHS) is split as the option splits it.
        let parts: Vec<std::ffi::OsString> = match arg.get_value_delimiter() {
            Some(delimiter) => value
                .to_string_lossy()
                .split(delimiter)
                .map(std::ffi::OsString::from)
                .collect(),
            None => vec![value.clone()],
        };
        for part in parts {
            if let Err(err) = check_value(arg, &part) {
                return Err(ParseError::Environment {
                    var: var.to_string_lossy().into_owned(),
                    value: value.to_string_lossy().into_owned(),
                    flag,
                    reason: reason(&err),
                });
            }
        }
    }
    Ok(())
}

/// The command line with the settings as its defaults.
pub fn command(settings: &Settings) -> Command {
    let mut command = Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for sub in names {
        command = command.mut_subcommand(sub, |mut sub| {
            for (id, values) in &settings.defaults {
                if sub.get_arguments().any(|a| a.get_id() == id) {
                    // clap keeps defaults as `'static` strings; a few per
                    // run, so leaking them costs nothing.
                    let values: Vec<clap::builder::OsStr> = values
                        .iter()
                        .map(|v| clap::builder::OsStr::from(&*v.clone().leak()))
                        .collect();
                    sub = sub.mut_arg(*id, |arg| arg.default_values(values));
                }
            }
            sub
        });
    }
    command
}

/// Parses the command line, with the `ibid.toml` found from its input as
/// defaults. The input is the positional argument after the subcommand, if
/// any, else the default input; the file is looked for from its folder.
pub fn parse_args(argv: Vec<OsString>) -> Result<(Cli, Settings), ParseError> {
    use clap::FromArgMatches;
    check_environment(&argv)?;
    let plain = Cli::command().try_get_matches_from(argv.clone())?;
    let input = plain
        .subcommand()
        .and_then(|(_, m)| m.try_get_one::<PathBuf>("input").ok().flatten().cloned())
        .unwrap_or_else(|| PathBuf::from("thesis/main.typ"));
    let folder = input.parent().filter(|p| !p.as_os_str().is_empty());
    let settings = match find(folder.unwrap_or(Path::new("."))) {
        Some(file) => {
            // Found by walking up, so read as bounded as any project file:
            // a regular file, not a FIFO or a device.
            let bytes =
                crate::sandbox::read_regular(&file, MAX_SIZE).map_err(|err| SettingsError {
                    path: file.display().to_string(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read: {err}"),
                })?;
            let text = String::from_utf8_lossy(&bytes);
            let dir = file.parent().unwrap_or(Path::new("."));
            parse(&file.display().to_string(), dir, &text)?
        }
        None => Settings::default(),
    };
    let matches = command(&settings).try_get_matches_from(argv)?;
    Ok((Cli::from_arg_matches(&matches)?, settings))
}

/// `ibid config [ARGS…]`: each option's effective value for `ibid audit
/// ARGS…` and where it came from — the command line, the environment,
/// `ibid.toml` (with its line), or the built-in default.
pub fn explain(args: &[OsString]) -> Result<String, ParseError> {
    use clap::parser::ValueSource;
    use std::fmt::Write;
    let argv: Vec<OsString> = ["ibid", "audit"]
        .into_iter()
        .map(OsString::from)
        .chain(args.iter().cloned())
        .collect();
    let (_, settings) = parse_args(argv.clone())?;
    let command = command(&settings);
    let matches = command.clone().try_get_matches_from(argv)?;
    let mut out = String::new();
    let (Some((_, matches)), Some(audit)) =
        (matches.subcommand(), command.find_subcommand("audit"))
    else {
        return Ok(out);
    };
    // The file as the user would name it: relative to the working folder
    // when it is inside it.
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    let file = settings.path.as_ref().map_or(FILE_NAME.to_string(), |p| {
        let real = p.canonicalize().unwrap_or_else(|_| p.clone());
        cwd.as_ref()
            .and_then(|cwd| real.strip_prefix(cwd).ok())
            .unwrap_or(&real)
            .display()
            .to_string()
    });
    let _ = match &settings.path {
        Some(_) => writeln!(out, "# configuration file: {file}"),
        None => writeln!(out, "# no ibid.toml in the input's folder or above it"),
    };
    // The network's keys, which the file also takes at the top, are listed
    // once, under [links].
    let keys = KEYS
        .iter()
        .filter(|k| !LINK_KEYS.iter().any(|l| l.id == k.id))
        .map(|k| (k.name.to_string(), k))
        .chain(LINK_KEYS.iter().map(|k| (format!("links.{}", k.name), k)))
        .chain(
            REGISTRY_KEYS
                .iter()
                .map(|k| (format!("registries.{}", k.name), k)),
        );
    for (name, key) in keys {
        let line = settings.lines.iter().find(|(id, _)| *id == key.id);
        let Some(arg) = audit.get_arguments().find(|a| a.get_id() == key.id) else {
            // An option of `ibid build` only (`pdf-standard`, `strict`).
            if let (Some((_, values)), Some((_, line))) =
                (settings.defaults.iter().find(|(id, _)| *id == key.id), line)
            {
                let value = values.join(", ");
                let _ = writeln!(out, "{name:<30} {value:<30} {file}:{line} (ibid build)");
            }
            continue;
        };
        let value = matches
            .get_raw(key.id)
            .map(|values| {
                values
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let source = match (matches.value_source(key.id), line) {
            (Some(ValueSource::CommandLine), _) => "command line".to_string(),
            (Some(ValueSource::EnvVariable), _) => format!(
                "environment ({})",
                arg.get_env()
                    .map_or(String::new(), |e| e.to_string_lossy().into_owned())
            ),
            (Some(ValueSource::DefaultValue), Some((_, line))) => format!("{file}:{line}"),
            (Some(_), _) => "default".to_string(),
            (None, _) if key.id == "input" => "default".to_string(),
            (None, _) => "not set".to_string(),
        };
        let value = match value.as_str() {
            "" if key.id == "input" => "thesis/main.typ".to_string(),
            "" => "-".to_string(),
            _ => value,
        };
        let _ = writeln!(out, "{name:<30} {value:<30} {source}");
    }
    Ok(out)
}

/// Why the command line could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The command line itself; clap's message names the flag.
    #[error("{}", first_line(.0))]
    Clap(#[from] clap::Error),
    /// A value in `ibid.toml`, at its line.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// An environment variable that sets an option.
    #[error("environment variable {var}={value:?}: {reason} (it sets {flag})")]
    Environment {
        var: String,
        value: String,
        flag: String,
        reason: String,
    },
}
