//! The bibliography files a document declares, read from its sources before
//! it is compiled: `#bibliography("refs.yaml")` (or a list of files) in the
//! main file and the files it includes or imports. The audit uses them to
//! start checking the bibliography's URLs while Typst lays the document out;
//! what the compiled document loads stays the authority (a guess that is
//! wrong only means some URLs are checked after the compile instead).

use std::sync::LazyLock;

use regex::Regex;
use typst::syntax::VirtualPath;

use crate::world::IbidWorld;

/// At most this many source files are read for the guess.
const MAX_FILES: usize = 200;

static CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"bibliography\(\s*(\([^)]*\)|"[^"]*")"#).expect("valid regex"));
static STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""([^"\\]+)""#).expect("valid regex"));
static INCLUDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"#(?:include|import)\s+"([^"@][^"]*\.typ)""#).expect("valid regex")
});

/// The root-relative paths of the bibliography files the sources name, in
/// the order met.
pub fn declared(world: &IbidWorld, main: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut queue = vec![main.to_string()];
    let mut seen = Vec::new();
    while let Some(path) = queue.pop() {
        if seen.contains(&path) || seen.len() >= MAX_FILES {
            continue;
        }
        let Ok(text) = world.read_text(&path) else {
            continue;
        };
        seen.push(path.clone());
        let (bibliographies, sources) = named_in(&text);
        for file in bibliographies
            .iter()
            .filter_map(|name| resolve(&path, name))
        {
            if !files.contains(&file) {
                files.push(file);
            }
        }
        queue.extend(sources.iter().rev().filter_map(|name| resolve(&path, name)));
    }
    files
}

/// The bibliography files and the Typst files a source names.
fn named_in(text: &str) -> (Vec<String>, Vec<String>) {
    let bibliographies = CALL
        .captures_iter(text)
        .flat_map(|call| {
            STRING
                .captures_iter(call.get(1).map_or("", |m| m.as_str()))
                .map(|s| s[1].to_string())
                .collect::<Vec<_>>()
        })
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml") || name.ends_with(".bib"))
        .collect();
    let sources = INCLUDED
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect();
    (bibliographies, sources)
}

/// A path written in the file at `from`, joined as Typst joins it:
/// relative to the file's folder, or to the root when it starts with `/`;
/// `None` if it leaves the root.
fn resolve(from: &str, written: &str) -> Option<String> {
    let folder = VirtualPath::new(from).ok()?.parent()?;
    let path = folder.join(written).ok()?;
    Some(path.get_without_slash().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_a_list_of_files_and_named_arguments_are_read() {
        let (bibs, sources) = named_in(
            "#include \"chapters/one.typ\"\n#import \"@preview/x:0.1.0\": y\n\
             #bibliography(\"refs.yaml\", style: \"chicago-notes\")\n\
             #bibliography((\"a.bib\", \"../b.yml\"), title: \"Sources\")\n",
        );
        assert_eq!(bibs, ["refs.yaml", "a.bib", "../b.yml"]);
        assert_eq!(sources, ["chapters/one.typ"]);
    }

    #[test]
    fn paths_are_joined_as_typst_joins_them() {
        let resolved = |from, written| resolve(from, written).unwrap();
        assert_eq!(
            resolved("thesis/main.typ", "../bibliography/t.yaml"),
            "bibliography/t.yaml"
        );
        assert_eq!(resolved("main.typ", "refs.yaml"), "refs.yaml");
        assert_eq!(resolved("a/b/c.typ", "/refs.bib"), "refs.bib");
        assert_eq!(resolved("a/b/c.typ", "./d/../e.bib"), "a/b/e.bib");
        assert_eq!(
            resolve("main.typ", "../outside.bib"),
            None,
            "out of the root"
        );
    }
}
