//! Navigation from a citation to its entry: the key under the cursor
//! (`@key`, `<key>`, `label("key")`, or a hand-typed citation the audit
//! read as one) and the entry in the bibliography file, for go to
//! definition and for hover.

use lsp_types::{Hover, HoverContents, Location, MarkupContent, MarkupKind, Url};
use typst::syntax::{LinkedNode, Side, SyntaxKind};

use super::position::LineIndex;
use super::project::Project;
use crate::audit::Rule;
use crate::bibliography::BibEntry;

/// The citation key written at `offset` of a Typst text, with its byte
/// range.
pub fn key_at(text: &str, offset: usize) -> Option<(String, std::ops::Range<usize>)> {
    let root = typst::syntax::parse(text);
    let root = LinkedNode::new(&root);
    for side in [Side::After, Side::Before] {
        let Some(leaf) = root.leaf_at(offset.min(text.len()), side) else {
            continue;
        };
        let written = leaf.leaf_text().as_str();
        let key = match leaf.kind() {
            SyntaxKind::RefMarker => written.strip_prefix('@'),
            SyntaxKind::Label => written.strip_prefix('<').and_then(|k| k.strip_suffix('>')),
            SyntaxKind::Str if in_label_call(&leaf) => {
                written.strip_prefix('"').and_then(|k| k.strip_suffix('"'))
            }
            _ => None,
        };
        if let Some(key) = key.filter(|k| !k.is_empty()) {
            return Some((key.to_string(), leaf.range()));
        }
    }
    None
}

/// Whether a string is the argument of `label(…)`.
fn in_label_call(node: &LinkedNode) -> bool {
    let Some(call) = node.parent().and_then(|args| args.parent()) else {
        return false;
    };
    call.kind() == SyntaxKind::FuncCall
        && call
            .children()
            .next()
            .is_some_and(|callee| callee.leaf_text().as_str() == "label")
}

/// The entry cited at `offset` of `file`: a key written there, else a
/// hand-typed citation the last run matched to an entry.
fn entry_at<'a>(project: &'a Project, file: &str, offset: usize) -> Option<&'a BibEntry> {
    let last = &project.last;
    if let Some(text) = project.text(file)
        && let Some((key, _)) = key_at(&text, offset)
        && let Some(entry) = last.bibliography.get(&key)
    {
        return Some(entry);
    }
    last.findings
        .iter()
        .filter(|f| f.rule == Rule::HandTypedCitation)
        .find(|f| {
            f.span
                .as_ref()
                .is_some_and(|s| s.file == file && s.range.start <= offset && offset <= s.range.end)
        })
        .and_then(|f| last.bibliography.get(f.key.as_deref()?))
}

/// Where the entry cited at `offset` is written.
pub fn definition(project: &Project, file: &str, offset: usize) -> Option<Location> {
    let entry = entry_at(project, file, offset)?;
    let text = project.last.texts.get(&entry.span.file)?;
    let uri = Url::from_file_path(project.absolute(&entry.span.file)).ok()?;
    Some(Location::new(
        uri,
        LineIndex::new(text).range(&entry.span.range),
    ))
}

/// Every place that cites the entry at `offset` (in a bibliography file:
/// the entry there; in a Typst file: the entry cited there): `@key`
/// citations and the citations typed by hand that the last run read as
/// that entry; with `declaration`, the entry itself first.
pub fn references(
    project: &Project,
    file: &str,
    offset: usize,
    declaration: bool,
) -> Vec<Location> {
    let last = &project.last;
    let in_bibliography = last
        .bibliography
        .entries
        .iter()
        .filter(|e| e.span.file == file && e.span.range.start <= offset)
        .max_by_key(|e| e.span.range.start);
    let Some(entry) = in_bibliography.or_else(|| entry_at(project, file, offset)) else {
        return Vec::new();
    };
    let location = |span: &crate::document::SourceSpan| {
        let text = last.texts.get(&span.file)?;
        let uri = Url::from_file_path(project.absolute(&span.file)).ok()?;
        Some(Location::new(uri, LineIndex::new(text).range(&span.range)))
    };
    let cited = last
        .model
        .citations
        .iter()
        .filter(|c| c.key == entry.key)
        .filter_map(|c| c.span.as_ref());
    let typed = last
        .findings
        .iter()
        .filter(|f| f.rule == Rule::HandTypedCitation && f.key.as_deref() == Some(&entry.key))
        .filter_map(|f| f.span.as_ref());
    declaration
        .then_some(&entry.span)
        .into_iter()
        .chain(cited)
        .chain(typed)
        .filter_map(location)
        .collect()
}

/// The entry cited at `offset`, as markdown.
pub fn hover(project: &Project, file: &str, offset: usize) -> Option<Hover> {
    let entry = entry_at(project, file, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: describe(entry),
        }),
        range: None,
    })
}

/// An entry in a few lines: title, type, authors, date, publisher, where
/// it is written.
pub fn describe(bib: &BibEntry) -> String {
    let entry = &bib.entry;
    let mut lines = Vec::new();
    let title = entry
        .title()
        .map_or_else(|| "(no title)".to_string(), |t| t.to_string());
    lines.push(format!("**{}**", escape(&title)));
    let mut facts = vec![format!("{:?}", entry.entry_type()).to_lowercase()];
    if let Some(authors) = entry.authors().filter(|a| !a.is_empty()) {
        let names: Vec<String> = authors.iter().map(|p| p.name_first(false, false)).collect();
        facts.push(escape(&names.join("; ")));
    }
    if let Some(date) = entry.date() {
        facts.push(date.to_string());
    }
    if let Some(name) = entry.publisher().and_then(|p| p.name()) {
        facts.push(escape(&name.to_string()));
    }
    lines.push(facts.join(" · "));
    lines.push(format!(
        "`{}` — {}:{}",
        bib.key, bib.span.file, bib.span.line
    ));
    lines.join("\n\n")
}

/// Markdown's special characters, escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]<>()#+-.!|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_from_references_labels_and_label_calls() {
        let text = "See @yang2007[p. 3] and #cite(<mac1983>) or #cite(label(\"a b\")).";
        let at = |needle: &str| text.find(needle).unwrap() + 1;
        assert_eq!(key_at(text, at("@yang")).unwrap().0, "yang2007");
        assert_eq!(key_at(text, at("<mac")).unwrap().0, "mac1983");
        assert_eq!(key_at(text, at("\"a b")).unwrap().0, "a b");
        assert_eq!(key_at(text, 1), None);
    }

    #[test]
    fn the_cursor_at_the_end_of_a_key_still_finds_it() {
        let text = "大跃进 @yang2007.";
        let end = text.find('.').unwrap();
        let (key, range) = key_at(text, end).unwrap();
        assert_eq!(key, "yang2007");
        assert_eq!(&text[range], "@yang2007");
    }
}
