//! From what the user typed to what the core needs: default input and root,
//! fonts, the world. Only resolved values leave this module.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fonts::{self, FontConfig};
use crate::world::{IbidWorld, WorldConfig, WorldError};

use super::args::WorldArgs;

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
