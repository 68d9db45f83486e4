//! Finding, in a Typst source, the text a fix names by what it renders:
//! `“The Origins…”` is written `"The Origins..."`, `_Mubei_` or
//! `#emph[Mubei]`, and a line break in the source is a space on the page.
//! The source is parsed with Typst's own parser; each character it renders
//! keeps the source range it comes from.

use std::ops::Range;

use typst::syntax::{LinkedNode, SyntaxKind, SyntaxNode};

/// The source range, inside `within`, of the text that renders as `find`:
/// the text written as it is, else the rendered text (markup, quote marks
/// and spacing aside). `None` when neither is there.
pub fn find(
    root: &SyntaxNode,
    text: &str,
    within: Range<usize>,
    find: &str,
) -> Option<Range<usize>> {
    let inside = text.get(within.clone())?;
    if let Some(at) = inside.find(find) {
        let start = within.start + at;
        return Some(start..start + find.len());
    }
    let rendered = rendered(root, within);
    let wanted: Vec<char> = find.chars().filter_map(normal).collect();
    if wanted.is_empty() {
        return None;
    }
    let seen: Vec<(char, Range<usize>)> = rendered
        .into_iter()
        .filter_map(|(c, range)| Some((normal(c)?, range)))
        .collect();
    let at = seen
        .windows(wanted.len())
        .position(|window| window.iter().map(|(c, _)| *c).eq(wanted.iter().copied()))?;
    let start = seen[at].1.start;
    let end = seen[at + wanted.len() - 1].1.end;
    Some(start..end)
}

/// The range of the footnote call whose span is `call` (`footnote[…]`),
/// with the `#` that puts it in markup: what a citation written in markup
/// may replace. `None` when the call is not `#footnote` in markup (a
/// template's own function, a call inside code).
pub fn footnote_call(root: &SyntaxNode, call: Range<usize>) -> Option<Range<usize>> {
    let node = node_at(LinkedNode::new(root), &call)?;
    if node.kind() != SyntaxKind::FuncCall {
        return None;
    }
    let callee = node.children().next()?;
    if callee.kind() != SyntaxKind::Ident || callee.leaf_text() != "footnote" {
        return None;
    }
    let hash = node.prev_sibling_kind()?;
    let parent = node.parent()?;
    if hash != SyntaxKind::Hash || parent.kind() != SyntaxKind::Markup {
        return None;
    }
    Some(call.start - 1..call.end)
}

/// The node spanning exactly `range`, the outermost if several do.
fn node_at<'a>(node: LinkedNode<'a>, range: &Range<usize>) -> Option<LinkedNode<'a>> {
    if node.range() == *range {
        return Some(node);
    }
    node.children()
        .filter(|child| child.range().start <= range.start && child.range().end >= range.end)
        .find_map(|child| node_at(child, range))
}

/// The characters the markup inside `within` renders, each with the source
/// range it comes from.
fn rendered(root: &SyntaxNode, within: Range<usize>) -> Vec<(char, Range<usize>)> {
    let mut out = Vec::new();
    walk(LinkedNode::new(root), &within, &mut out);
    out
}

fn walk(node: LinkedNode, within: &Range<usize>, out: &mut Vec<(char, Range<usize>)>) {
    let range = node.range();
    if range.end <= within.start || range.start >= within.end {
        return;
    }
    match node.kind() {
        // A citation renders what its style makes of it; only its
        // supplement (the locator) is the author's, when the fix is about
        // that citation.
        SyntaxKind::Ref if range.start <= within.start && within.end <= range.end => {
            for child in node
                .children()
                .filter(|c| c.kind() == SyntaxKind::ContentBlock)
            {
                walk(child, within, out);
            }
            return;
        }
        // Not rendered as the author's words: citations, labels, raw code.
        SyntaxKind::Ref | SyntaxKind::Label | SyntaxKind::Raw | SyntaxKind::Equation => return,
        SyntaxKind::Str if in_link_call(&node) => {
            let text = node.leaf_text();
            let inner = text.trim_matches('"');
            for (i, c) in inner.char_indices() {
                let start = range.start + 1 + i;
                out.push((c, start..start + c.len_utf8()));
            }
            return;
        }
        _ => {}
    }
    if node.children().len() > 0 {
        for child in node.children() {
            walk(child, within, out);
        }
        return;
    }
    let text = node.leaf_text().as_str();
    let whole = |c: char, out: &mut Vec<(char, Range<usize>)>| out.push((c, range.clone()));
    match node.kind() {
        SyntaxKind::Text | SyntaxKind::Link => {
            for (i, c) in text.char_indices() {
                let start = range.start + i;
                out.push((c, start..start + c.len_utf8()));
            }
        }
        SyntaxKind::Space | SyntaxKind::Linebreak | SyntaxKind::Parbreak => whole(' ', out),
        SyntaxKind::SmartQuote => whole(if text == "'" { '’' } else { '"' }, out),
        SyntaxKind::Escape => {
            let c = text
                .strip_prefix("\\u{")
                .and_then(|hex| u32::from_str_radix(hex.trim_end_matches('}'), 16).ok())
                .and_then(char::from_u32)
                .or_else(|| text.chars().nth(1));
            if let Some(c) = c {
                whole(c, out);
            }
        }
        SyntaxKind::Shorthand => {
            let c = match text {
                "--" => Some('–'),
                "---" => Some('—'),
                "..." => Some('…'),
                "~" => Some('\u{a0}'),
                "-?" => None,
                _ => text.chars().next(),
            };
            if let Some(c) = c {
                whole(c, out);
            }
        }
        _ => {}
    }
}

/// Whether a string is the URL of a `link("…")` call, which renders it
/// when the call has no body.
fn in_link_call(node: &LinkedNode) -> bool {
    let Some(args) = node.parent().filter(|p| p.kind() == SyntaxKind::Args) else {
        return false;
    };
    let Some(call) = args.parent().filter(|p| p.kind() == SyntaxKind::FuncCall) else {
        return false;
    };
    let named_link = call
        .children()
        .next()
        .is_some_and(|callee| callee.kind() == SyntaxKind::Ident && callee.leaf_text() == "link");
    let has_body = args
        .children()
        .any(|a| a.kind() == SyntaxKind::ContentBlock);
    named_link && !has_body
}

/// A character as the comparison sees it: spacing dropped, quotation marks
/// of each kind alike.
fn normal(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() => None,
        '\u{ad}' => None,
        '“' | '”' | '„' | '«' | '»' | '"' | '‟' => Some('"'),
        '‘' | '’' | '‚' | '\'' | '‛' => Some('’'),
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(source: &str, find_: &str) -> Option<String> {
        let root = typst::syntax::parse(source);
        let range = find(&root, source, 0..source.len(), find_)?;
        Some(source[range].to_string())
    }

    #[test]
    fn text_written_as_rendered_is_found_as_written() {
        assert_eq!(
            located("#footnote[Ibid., p. 5.]", "Ibid., p. 5").as_deref(),
            Some("Ibid., p. 5")
        );
    }

    #[test]
    fn smart_quotes_emphasis_and_shorthands_are_read_as_rendered() {
        let source = "#footnote[MacFarquhar, \"The Origins...\", _cit._, pp. 7--9.]";
        assert_eq!(
            located(source, "MacFarquhar, “The Origins…”, cit., pp. 7–9").as_deref(),
            Some("MacFarquhar, \"The Origins...\", _cit._, pp. 7--9")
        );
    }

    #[test]
    fn a_line_break_in_the_source_is_a_space() {
        let source = "#footnote[Yang, _Mubei_,\n  p. 5.]";
        assert_eq!(
            located(source, "Yang, Mubei, p. 5").as_deref(),
            Some("Yang, _Mubei_,\n  p. 5")
        );
    }

    #[test]
    fn escapes_and_link_urls_render_as_their_characters() {
        let source = "#footnote[See #link(\"http://a.org/x\"), 2009 \\#1.]";
        assert_eq!(
            located(source, "http://a.org/x, 2009 #1").as_deref(),
            Some("http://a.org/x\"), 2009 \\#1")
        );
    }

    #[test]
    fn citations_are_not_the_authors_words() {
        let source = "#footnote[@yang2007[p. 5]; Xie, p. 7.]";
        assert_eq!(located(source, "Xie, p. 7").as_deref(), Some("Xie, p. 7"));
        assert_eq!(located(source, "yang2007"), Some("yang2007".into()));
    }

    #[test]
    fn a_locator_is_found_in_the_supplement_of_its_citation() {
        let source = "A @yang2012[p. 5--7]. B";
        let root = typst::syntax::parse(source);
        let cite = 2..source.find(". B").unwrap();
        let range = find(&root, source, cite, "p. 5–7").unwrap();
        assert_eq!(&source[range], "p. 5--7");
    }

    #[test]
    fn the_footnote_call_is_found_with_its_hash() {
        let source = "Text.#footnote[Ibid.] More.";
        let root = typst::syntax::parse(source);
        let call = source.find("footnote").unwrap()..source.find(" More").unwrap();
        let range = footnote_call(&root, call).unwrap();
        assert_eq!(&source[range], "#footnote[Ibid.]");
    }

    #[test]
    fn a_call_inside_code_is_not_replaced_by_markup() {
        let source = "#{ footnote[Ibid.] }";
        let root = typst::syntax::parse(source);
        let call = source.find("footnote").unwrap()..source.find(" }").unwrap();
        assert_eq!(footnote_call(&root, call), None);
    }
}
