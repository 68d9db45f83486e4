//! Compiling for the audit, which must not stop at the first unknown
//! citation key as Typst does: every unknown key is collected, and the
//! document is compiled again against the bibliography plus a placeholder
//! entry for each, served from memory by the world (the files on disk are
//! never touched), until it compiles or fails for another reason.
//!
//! Which files are bibliographies is read from the document itself — its
//! `bibliography` elements, or, before it compiles, the `bibliography(…)`
//! calls in its sources — never guessed from file extensions: a glossary
//! YAML file next to a `.bib` is not a bibliography.

use std::sync::LazyLock;

use regex::Regex;
use typst::World;
use typst::foundations::{Bytes, NativeElement};
use typst::introspection::Introspector;
use typst::model::BibliographyElem;
use typst::syntax::{FileId, RootedPath, SyntaxKind, SyntaxNode, VirtualPath, ast};
use typst_layout::PagedDocument;

use super::Compiled;
use crate::audit::UnknownKey;
use crate::bibliography::Format;
use crate::typeset::model::diagnostic_span;
use crate::world::IbidWorld;

/// Rounds of recompiling before giving up (each round adds every unknown key
/// Typst reported, so one or two rounds are the norm).
const MAX_ROUNDS: usize = 8;

/// Typst's ways of saying a key is unknown: `#cite(<key>)` or `@key` that
/// no bibliography covers, a key missing from the bibliography a citation
/// targets, and `@key` (a reference until a bibliography claims the key)
/// naming no label of the document. A key may hold any character, a line
/// break included.
static UNKNOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?s)^(?:citation key `(.+)` is not present in (?:the|any) bibliography|key `(.+)` does not exist in the bibliography|label `<(.+)>` does not exist in the document)$",
    )
    .expect("valid regex")
});

/// A compile that tolerated unknown keys.
pub struct Tolerant {
    pub compiled: Compiled,
    pub unknown_keys: Vec<UnknownKey>,
    /// How many times the document was compiled: one, and one more per
    /// round of placeholders.
    pub compiles: usize,
}

/// Compiles, replacing unknown citation keys by placeholders.
pub fn compile(world: &mut IbidWorld, strict: bool) -> Tolerant {
    // A compile before this one may have left its placeholders.
    world.drop_placeholders();
    let mut unknown_keys: Vec<UnknownKey> = Vec::new();
    let mut original: Option<(FileId, Bytes)> = None;
    for round in 1..=MAX_ROUNDS {
        let compiled = super::compile(world, strict);
        let new: Vec<UnknownKey> = compiled
            .errors
            .iter()
            .filter_map(|error| {
                let captures = UNKNOWN.captures(&error.message)?;
                let key = (1..=3).find_map(|i| captures.get(i))?.as_str().to_string();
                let span = diagnostic_span(world, error.span);
                Some(UnknownKey { key, span })
            })
            .filter(|new| {
                !unknown_keys
                    .iter()
                    .any(|k| k.key == new.key && k.span == new.span)
            })
            .collect();
        let only_unknown_keys = compiled.errors.iter().all(|e| UNKNOWN.is_match(&e.message));
        if new.is_empty() || !only_unknown_keys {
            return Tolerant {
                compiled,
                unknown_keys,
                compiles: round,
            };
        }
        unknown_keys.extend(new);
        if !add_placeholders(world, &unknown_keys, &mut original) {
            return Tolerant {
                compiled,
                unknown_keys,
                compiles: round,
            };
        }
    }
    Tolerant {
        compiled: super::compile(world, strict),
        unknown_keys,
        compiles: MAX_ROUNDS + 1,
    }
}

/// Serves the first bibliography file the sources load, with a placeholder
/// entry appended for each unknown key. Returns false when the sources load
/// no bibliography file.
fn add_placeholders(
    world: &mut IbidWorld,
    unknown: &[UnknownKey],
    original: &mut Option<(FileId, Bytes)>,
) -> bool {
    if original.is_none() {
        let Some(&id) = bibliography_calls(world).first() else {
            return false;
        };
        let Ok(bytes) = typst::World::file(world, id) else {
            return false;
        };
        *original = Some((id, bytes));
    }
    let Some((id, bytes)) = original else {
        return false;
    };
    let Some(format) = Format::of(id.vpath().get_without_slash()) else {
        return false;
    };
    let mut text = String::from_utf8_lossy(bytes.as_slice()).into_owned();
    let mut keys: Vec<&str> = unknown.iter().map(|k| k.key.as_str()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        match format {
            Format::Yaml => {
                let quoted = yaml_quoted(key);
                text.push_str(&format!(
                    "\n{quoted}:\n  type: misc\n  title: {}\n",
                    yaml_quoted(&format!("[unknown key: {key}]"))
                ));
            }
            // BibLaTeX cannot write a key with braces, commas, quotes or
            // spaces: such a key gets no placeholder, and the compile error
            // is reported as it is.
            Format::Biblatex
                if key.chars().all(|c| {
                    !matches!(c, ',' | '{' | '}' | '"') && !c.is_control() && !c.is_whitespace()
                }) =>
            {
                text.push_str(&format!(
                    "\n@misc{{{key}, title = {{[unknown key: {key}]}}}}\n"
                ));
            }
            Format::Biblatex => {}
        }
    }
    world.overlay(*id, Bytes::from_string(text));
    true
}

/// The files the `bibliography(…)` calls in the sources the last compile
/// read name, in order: how the document says which files are its
/// bibliographies before it has compiled.
pub fn bibliography_calls(world: &mut IbidWorld) -> Vec<FileId> {
    let mut files = Vec::new();
    for id in world.dependencies() {
        if id.vpath().extension() != Some("typ") {
            continue;
        }
        let Ok(source) = world.source(id) else {
            continue;
        };
        let mut paths = Vec::new();
        calls_in(source.root(), &mut paths);
        for path in paths {
            if let Some(file) = resolve(id, &path)
                && !files.contains(&file)
            {
                files.push(file);
            }
        }
    }
    files
}

/// The string arguments of every `bibliography(…)` call below `node`.
fn calls_in(node: &SyntaxNode, paths: &mut Vec<String>) {
    if node.kind() == SyntaxKind::FuncCall
        && let Some(call) = node.cast::<ast::FuncCall>()
        && matches!(call.callee(), ast::Expr::Ident(name) if name.get() == "bibliography")
    {
        for arg in call.args().items() {
            match arg {
                ast::Arg::Pos(ast::Expr::Str(path)) => paths.push(path.get().to_string()),
                ast::Arg::Pos(ast::Expr::Array(array)) => {
                    for item in array.items() {
                        if let ast::ArrayItem::Pos(ast::Expr::Str(path)) = item {
                            paths.push(path.get().to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for child in node.children() {
        calls_in(child, paths);
    }
}

/// A path written in the file `within`, as Typst resolves it: from the
/// root when it starts with `/`, else from the file's folder.
fn resolve(within: FileId, path: &str) -> Option<FileId> {
    let vpath = match path.strip_prefix('/') {
        Some(absolute) => VirtualPath::new(absolute).ok()?,
        None => within.vpath().parent()?.join(path).ok()?,
    };
    Some(RootedPath::new(within.root().clone(), vpath).intern())
}

/// A YAML double-quoted scalar holding exactly `text`.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The root-relative paths of the bibliography files the document's
/// `#bibliography` elements load, in order.
pub fn bibliography_files(doc: &PagedDocument) -> Vec<String> {
    let introspector: &dyn Introspector = doc.introspector().as_ref();
    let mut files = Vec::new();
    for content in introspector.query(&BibliographyElem::ELEM.select()) {
        let Some(elem) = content.to_packed::<BibliographyElem>() else {
            continue;
        };
        for path in crate::typeset::model::bibliography_paths(elem, content.span()) {
            if !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}
