//! From what the user typed to what the core needs, resolved once per run:
//! the input and root, fonts and the world; the rules' thresholds and
//! selection; how links and registries are asked. The values themselves were
//! layered by clap (built-in default < `ibid.toml` < environment < flag, see
//! [`super::settings`]); only resolved values leave this module.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fonts::{self, FontConfig};
use crate::world::{IbidWorld, WorldConfig, WorldError};

use crate::audit::{AuditConfig, Selection};
use crate::links::LinkConfig;
use crate::registries::verify::RegistryConfig;

use crate::sources::SourceConfig;

use super::args::{LinkArgs, RegistryArgs, RuleArgs, SourceArgs, WorldArgs};

/// The input when none is given, relative to the working directory.
pub const DEFAULT_INPUT: &str = "thesis/main.typ";

/// Resolves the input, root, inputs and time; discovers fonts; builds the world.
pub fn world(input: Option<&Path>, args: &WorldArgs) -> Result<IbidWorld, WorldError> {
    let config = world_config(input, args);
    for path in args.font_paths.iter().filter(|p| !p.is_dir()) {
        // As typst-cli, a missing font folder does not stop the build; but
        // the author should know the fonts in it are not used.
        eprintln!(
            "warning: font folder {} does not exist; its fonts are not used",
            path.display()
        );
    }
    let fonts = fonts::discover(&FontConfig {
        font_paths: args.font_paths.clone(),
        ignore_system_fonts: args.ignore_system_fonts,
    });
    IbidWorld::new(&config, Arc::new(fonts))
}

/// The resolved world configuration (no file system access beyond looking
/// for the project folder).
pub fn world_config(input: Option<&Path>, args: &WorldArgs) -> WorldConfig {
    let input = input.map_or_else(|| PathBuf::from(DEFAULT_INPUT), Path::to_path_buf);
    let root = args.root.clone().unwrap_or_else(|| project_root(&input));
    WorldConfig {
        root,
        input,
        inputs: args.inputs.clone(),
        creation_timestamp: args.creation_timestamp,
        packages: crate::packages::PackageConfig {
            data: args.package_path.clone(),
            cache: args.package_cache_path.clone(),
            offline: args.offline,
            registry: args.package_registry.clone(),
            deadline: args.network.budget(),
        },
    }
}

/// The rules' thresholds, and today (`SOURCE_DATE_EPOCH` or the clock) for
/// the access-date rules.
pub fn audit(rules: &RuleArgs, creation_timestamp: Option<i64>) -> AuditConfig {
    AuditConfig {
        max_range_pages: rules.max_range_pages,
        stale_after_years: rules.stale_after_years,
        today: Some(today(creation_timestamp)),
        manuscript: false,
    }
}

/// The rules selected, ignored and re-levelled.
pub fn selection(rules: &RuleArgs) -> Selection {
    Selection {
        select: (!rules.select.is_empty()).then(|| rules.select.clone()),
        ignore: rules.ignore.clone(),
        severity: rules.severity.iter().copied().collect(),
    }
}

/// How to check URLs, resolved from the link options: the cache lives under
/// the project root.
pub fn links(root: &std::path::Path, options: &LinkArgs, world_args: &WorldArgs) -> LinkConfig {
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
        cache_path: (!options.no_cache).then(|| root.join(".ibid").join("links.json")),
        max_cache_age: options.max_cache_age,
        archive_url: (!options.no_archive).then(|| options.archive_url.clone()),
        now: world_args
            .creation_timestamp
            .unwrap_or_else(|| chrono::Utc::now().timestamp()),
        progress: !options.quiet,
    }
}

/// How to ask the registries, resolved from their options: none with
/// `--no-registries`; the cache lives under the project root.
pub fn registries(
    root: &Path,
    options: &RegistryArgs,
    world_args: &WorldArgs,
) -> Option<RegistryConfig> {
    (!options.no_registries).then(|| RegistryConfig {
        offline: world_args.offline,
        doi_url: options.doi_url.clone(),
        crossref_url: options.crossref_url.clone(),
        openlibrary_url: options.openlibrary_url.clone(),
        openalex_url: options.openalex_url.clone(),
        openalex_api_key: options.openalex_api_key.clone(),
        email: options.email.clone(),
        timeout: std::time::Duration::from_secs(world_args.network.timeout),
        max_retries: world_args.network.max_retries,
        concurrency: 4,
        cache_path: Some(root.join(".ibid").join("registries.json")),
        now: world_args
            .creation_timestamp
            .unwrap_or_else(|| chrono::Utc::now().timestamp()),
    })
}

/// Where the cited works' files are: none with `--no-sources`; the folder
/// named, else `sources/` in the project root when there is one; the cache
/// under `.ibid/` unless the link cache is off too (`--no-cache`).
pub fn sources(root: &Path, options: &SourceArgs, no_cache: bool) -> Option<SourceConfig> {
    (!options.no_sources).then(|| SourceConfig {
        root: root.to_path_buf(),
        files: options
            .source
            .iter()
            .map(|(key, path)| (key.clone(), PathBuf::from(path)))
            .collect(),
        folder: options
            .sources_folder
            .clone()
            .or_else(|| Some(root.join("sources")).filter(|dir| dir.is_dir())),
        cache: (!no_cache).then(|| root.join(".ibid").join("sources")),
    })
}

/// Today's date: the date of SOURCE_DATE_EPOCH when set (reproducible
/// reports), else the system's.
fn today(fixed: Option<i64>) -> (i32, u8, u8) {
    use chrono::Datelike;
    let now = fixed
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now);
    (now.year(), now.month() as u8, now.day() as u8)
}

/// The nearest folder at or above the input's folder that holds both
/// `thesis/` and `bibliography/`; else the input's own folder, as typst-cli
/// does.
fn project_root(input: &Path) -> PathBuf {
    let absolute = std::path::absolute(input).unwrap_or_else(|_| input.to_path_buf());
    let start = absolute.parent().unwrap_or(Path::new("."));
    start
        .ancestors()
        .find(|dir| dir.join("thesis").is_dir() && dir.join("bibliography").is_dir())
        .unwrap_or(start)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_the_folder_holding_thesis_and_bibliography() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("thesis/chapters")).unwrap();
        std::fs::create_dir_all(dir.path().join("bibliography")).unwrap();
        let input = dir.path().join("thesis/chapters/one.typ");
        assert_eq!(project_root(&input), dir.path());
    }

    #[test]
    fn root_falls_back_to_the_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("doc.typ");
        assert_eq!(project_root(&input), dir.path());
    }
}
