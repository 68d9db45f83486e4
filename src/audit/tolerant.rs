//! Compiling for the audit, which must not stop at the first unknown
//! citation key as Typst does: every unknown key is collected, and the
//! document is compiled again against the bibliography plus a placeholder
//! entry for each, served from memory by the world (the files on disk are
//! never touched), until it compiles or fails for another reason.
//!
//! This is the audit's edge with Typst; the rules themselves are pure.

use std::sync::LazyLock;

use regex::Regex;
use typst::foundations::{Bytes, NativeElement};
use typst::introspection::Introspector;
use typst::loading::DataSource;
use typst::model::BibliographyElem;
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use super::UnknownKey;
use crate::bibliography::Format;
use crate::document::extract::source_span;
use crate::typeset::{self, Compiled};
use crate::world::IbidWorld;

/// Rounds of recompiling before giving up (each round adds every unknown key
/// Typst reported, so one or two rounds are the norm).
const MAX_ROUNDS: usize = 8;

/// Typst's two ways of saying a key is unknown: `#cite(<key>)` names the
/// bibliography, `@key` (a reference until a bibliography claims the key)
/// names the document's labels.
static UNKNOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:key `(.+)` does not exist in the bibliography|label `<(.+)>` does not exist in the document)$")
        .expect("valid regex")
});

/// A compile that tolerated unknown keys.
pub struct Tolerant {
    pub compiled: Compiled,
    pub unknown_keys: Vec<UnknownKey>,
}

/// Compiles, replacing unknown citation keys by placeholders.
pub fn compile(world: &mut IbidWorld, strict: bool) -> Tolerant {
    let mut unknown_keys: Vec<UnknownKey> = Vec::new();
    let mut original: Option<(FileId, Bytes)> = None;
    for _ in 0..MAX_ROUNDS {
        let compiled = typeset::compile(world, strict);
        let new: Vec<UnknownKey> = compiled
            .errors
            .iter()
            .filter_map(|error| {
                let captures = UNKNOWN.captures(&error.message)?;
                let key = captures.get(1).or(captures.get(2))?.as_str().to_string();
                let span = source_span(world, error.span);
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
            };
        }
        unknown_keys.extend(new);
        if !add_placeholders(world, &unknown_keys, &mut original) {
            return Tolerant {
                compiled,
                unknown_keys,
            };
        }
    }
    Tolerant {
        compiled: typeset::compile(world, strict),
        unknown_keys,
    }
}

/// Serves the first bibliography file the compile read, with a placeholder
/// entry appended for each unknown key. Returns false when no bibliography
/// file was read.
fn add_placeholders(
    world: &mut IbidWorld,
    unknown: &[UnknownKey],
    original: &mut Option<(FileId, Bytes)>,
) -> bool {
    if original.is_none() {
        let Some(id) = bibliography_dependencies(world)
            .first()
            .and_then(|p| world.file_id(p))
        else {
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
        let escaped = key.replace('\\', "\\\\").replace('"', "\\\"");
        text.push_str(&match format {
            Format::Yaml => {
                format!("\n\"{escaped}\":\n  type: misc\n  title: \"[unknown key: {escaped}]\"\n")
            }
            Format::Biblatex => format!("\n@misc{{{key}, title = {{[unknown key: {key}]}}}}\n"),
        });
    }
    world.overlay(*id, Bytes::from_string(text));
    true
}

/// The root-relative paths of the bibliography files (by extension) the last
/// compile read, whether or not it succeeded.
pub fn bibliography_dependencies(world: &mut IbidWorld) -> Vec<String> {
    world
        .dependencies()
        .into_iter()
        .map(|id| id.vpath().get_without_slash().to_string())
        .filter(|path| Format::of(path).is_some())
        .collect()
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
        let Some(within) = content.span().id() else {
            continue;
        };
        for source in &elem.sources.source.0 {
            if let DataSource::Path(path) = source
                && let Ok(rooted) = path.resolve(within)
            {
                let path = rooted.vpath().get_without_slash().to_string();
                if !files.contains(&path) {
                    files.push(path);
                }
            }
        }
    }
    files
}
