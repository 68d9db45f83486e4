//! The text of an HTML or XHTML document (a web page kept as a source, an
//! EPUB's chapter), read leniently: no DOCTYPE or entity is ever expanded
//! beyond HTML's common named ones and character references; scripts,
//! styles and the head left out; block elements end lines; page-break
//! markers (`epub:type="pagebreak"`, `role="doc-pagebreak"`, or an anchor
//! a page list points to) start a new page with their number.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Text read until the first marker, then each marker's page.
#[derive(Debug, Default, PartialEq)]
pub struct Marked {
    /// `(label, text)`: the first has no label (text before any marker).
    pub pages: Vec<(Option<String>, String)>,
}

/// Elements whose content is no text of the work.
const SKIPPED: &[&[u8]] = &[b"script", b"style", b"head", b"title", b"svg", b"math"];

/// Elements that end a line.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"br",
    b"li",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"blockquote",
    b"tr",
    b"section",
    b"article",
    b"pre",
    b"dd",
    b"dt",
    b"td",
    b"th",
    b"hr",
    b"figcaption",
];

/// Events read at most (a document larger is read in part).
const MAX_EVENTS: usize = 20_000_000;

/// The text of `bytes`; `anchors` are the ids a page list points to, with
/// their page numbers.
pub fn read(bytes: &[u8], anchors: &HashMap<String, String>) -> Marked {
    let mut reader = Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.expand_empty_elements = false;
    let mut marked = Marked {
        pages: vec![(None, String::new())],
    };
    let mut skipping: Option<Vec<u8>> = None;
    // A marker whose number is its text: the element's name and the text.
    let mut marker: Option<(Vec<u8>, String)> = None;
    for _ in 0..MAX_EVENTS {
        let event = match reader.read_event() {
            Ok(event) => event,
            // A broken document: what was read stands.
            Err(_) => break,
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            Event::Start(e)
                if skipping.is_none() && SKIPPED.contains(&local(e.name().as_ref())) =>
            {
                skipping = Some(local(e.name().as_ref()).to_vec());
            }
            Event::Empty(e) if SKIPPED.contains(&local(e.name().as_ref())) => {}
            Event::End(e) => {
                let name = local(e.name().as_ref()).to_vec();
                if skipping.as_deref() == Some(name.as_slice()) {
                    skipping = None;
                    continue;
                }
                if let Some((marker_name, text)) = &marker
                    && *marker_name == name
                {
                    let label = text.trim().to_string();
                    marker = None;
                    start_page(&mut marked, (!label.is_empty()).then_some(label));
                    continue;
                }
                if BLOCKS.contains(&name.as_slice()) {
                    push(&mut marked, "\n");
                }
            }
            Event::Start(e) | Event::Empty(e) if skipping.is_none() => {
                let name = local(e.name().as_ref()).to_vec();
                if BLOCKS.contains(&name.as_slice()) {
                    push(&mut marked, "\n");
                }
                match page_marker(&e, anchors) {
                    Some(Some(label)) => start_page(&mut marked, Some(label)),
                    Some(None) if !empty => marker = Some((name, String::new())),
                    _ => {}
                }
            }
            Event::Text(t) if skipping.is_none() => {
                let text = t.decode().unwrap_or_default();
                match &mut marker {
                    Some((_, label)) => label.push_str(&text),
                    None => push(&mut marked, &text),
                }
            }
            Event::CData(c) if skipping.is_none() => {
                push(&mut marked, &String::from_utf8_lossy(&c.into_inner()));
            }
            Event::GeneralRef(r) if skipping.is_none() => {
                let name = String::from_utf8_lossy(&r.into_inner()).into_owned();
                let text = entity(&name).unwrap_or_default();
                match &mut marker {
                    Some((_, label)) => label.push_str(&text),
                    None => push(&mut marked, &text),
                }
            }
            _ => {}
        }
    }
    marked
}

/// Whether `e` marks a page: `Some(Some(label))` with its number in an
/// attribute or the page list, `Some(None)` with its number as its text.
fn page_marker(e: &BytesStart<'_>, anchors: &HashMap<String, String>) -> Option<Option<String>> {
    let mut is_marker = false;
    let mut label = None;
    let mut id = None;
    for attr in e.attributes().flatten() {
        let key = local(attr.key.as_ref()).to_vec();
        let value = String::from_utf8_lossy(&attr.value).into_owned();
        match key.as_slice() {
            b"type" if value.split_whitespace().any(|v| v == "pagebreak") => is_marker = true,
            b"role" if value == "doc-pagebreak" => is_marker = true,
            b"title" | b"aria-label" => label = Some(value.trim().to_string()),
            b"id" => id = Some(value),
            _ => {}
        }
    }
    if let Some(number) = id.as_ref().and_then(|id| anchors.get(id)) {
        return Some(Some(number.clone()));
    }
    is_marker.then(|| {
        label.map(|l| {
            // "Page 45" as an aria-label.
            l.rsplit(' ').next().unwrap_or(&l).to_string()
        })
    })
}

fn start_page(marked: &mut Marked, label: Option<String>) {
    marked.pages.push((label, String::new()));
}

fn push(marked: &mut Marked, text: &str) {
    if let Some((_, page)) = marked.pages.last_mut() {
        page.push_str(text);
    }
}

/// The name without its prefix (`epub:type` → `type`).
fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// The character an entity stands for: character references, XML's five
/// and HTML's common ones; others are left out.
fn entity(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    Some(
        match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
            "shy" => "\u{ad}",
            "mdash" => "—",
            "ndash" => "–",
            "hellip" => "…",
            "lsquo" => "‘",
            "rsquo" => "’",
            "ldquo" => "“",
            "rdquo" => "”",
            "laquo" => "«",
            "raquo" => "»",
            "sect" => "§",
            "copy" => "©",
            _ => return None,
        }
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_blocks_entities_and_skipped_elements() {
        let html = b"<!DOCTYPE html><html><head><title>Zq</title><style>p{}</style></head>\
            <body><p>The grain&nbsp;was &ldquo;taken&rdquo;<br>at night.</p><script>x()</script></body></html>";
        let marked = read(html, &HashMap::new());
        assert_eq!(marked.pages.len(), 1);
        let text = &marked.pages[0].1;
        assert!(
            text.contains("The grain was “taken”\nat night."),
            "{text:?}"
        );
        assert!(!text.contains("x()") && !text.contains("Zq"), "{text:?}");
    }

    #[test]
    fn page_breaks_start_pages() {
        let html =
            br#"<body><p>before</p><span epub:type="pagebreak" id="p45" title="45"/><p>on 45</p>
            <span role="doc-pagebreak">46</span><p>on 46</p><a id="x"/>on 47</body>"#;
        let anchors = HashMap::from([("x".to_string(), "47".to_string())]);
        let marked = read(html, &anchors);
        let labels: Vec<Option<&str>> = marked.pages.iter().map(|(l, _)| l.as_deref()).collect();
        assert_eq!(labels, [None, Some("45"), Some("46"), Some("47")]);
        assert!(marked.pages[2].1.contains("on 46") && !marked.pages[2].1.contains("46\n46"));
    }
}
