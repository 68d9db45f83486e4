//! EPUB sources: the package (`META-INF/container.xml` → the OPF), its
//! spine in reading order, and the printed pages from the page list (EPUB
//! 3's `nav` `page-list`, EPUB 2's NCX `pageList`) or the page-break markers
//! in the chapters. Bounded: entries, sizes and the total unpacked.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::markup;
use super::pages::SourceText;

/// An entry larger than this unpacked is refused.
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
/// Unpacked in all.
const MAX_TOTAL: u64 = 512 * 1024 * 1024;
const MAX_ENTRIES: usize = 20_000;

/// Reads an EPUB into pages; why not, in words.
pub fn read(bytes: &[u8]) -> Result<SourceText, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|err| format!("not a readable EPUB (zip): {err}"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!("more than {MAX_ENTRIES} files in the EPUB"));
    }
    let mut total = 0u64;
    let mut entry = |zip: &mut zip::ZipArchive<_>, name: &str| -> Result<Vec<u8>, String> {
        let file = zip
            .by_name(name)
            .map_err(|_| format!("the EPUB has no {name}"))?;
        if file.encrypted() {
            return Err("the EPUB is encrypted (DRM)".into());
        }
        let mut out = Vec::new();
        file.take(MAX_ENTRY + 1)
            .read_to_end(&mut out)
            .map_err(|err| format!("{name} cannot be unpacked: {err}"))?;
        total += out.len() as u64;
        if out.len() as u64 > MAX_ENTRY || total > MAX_TOTAL {
            return Err(format!("{name} unpacks to more than the EPUB limit"));
        }
        Ok(out)
    };
    let container = entry(&mut zip, "META-INF/container.xml")?;
    let opf_path = first_attribute(&container, b"rootfile", b"full-path")
        .ok_or("META-INF/container.xml names no package (rootfile)")?;
    let opf = entry(&mut zip, &opf_path)?;
    let base = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let package = package(&opf);
    // The page list: (chapter path, anchor id) → printed number.
    let mut anchors: HashMap<String, HashMap<String, String>> = HashMap::new();
    let nav = package
        .items
        .values()
        .find(|item| item.properties.split_whitespace().any(|p| p == "nav"))
        .or_else(|| package.toc.as_ref().and_then(|id| package.items.get(id)));
    if let Some(nav) = nav {
        let path = join(base, &nav.href);
        if let Ok(bytes) = entry(&mut zip, &path) {
            let nav_base = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
            for (href, label) in page_list(&bytes) {
                let (file, id) = href.split_once('#').unwrap_or((&href, ""));
                anchors
                    .entry(join(&nav_base, file))
                    .or_default()
                    .insert(id.to_string(), label);
            }
        }
    }
    let mut pages: Vec<(Option<String>, String)> = Vec::new();
    let empty = HashMap::new();
    for idref in &package.spine {
        let Some(item) = package.items.get(idref) else {
            continue;
        };
        let path = join(base, &item.href);
        let bytes = entry(&mut zip, &path)?;
        let marked = markup::read(&bytes, anchors.get(&path).unwrap_or(&empty));
        for (i, (label, text)) in marked.pages.into_iter().enumerate() {
            // A chapter's text before its first marker continues the page
            // before.
            match (i, label, pages.last_mut()) {
                (0, None, Some((_, last))) => {
                    last.push('\n');
                    last.push_str(&text);
                }
                (_, label, _) => pages.push((label, text)),
            }
        }
    }
    if pages.iter().all(|(_, text)| text.trim().is_empty()) {
        return Err("the EPUB has no text in its spine".into());
    }
    Ok(super::pages::from_marked(pages))
}

struct Item {
    href: String,
    properties: String,
}

struct Package {
    items: HashMap<String, Item>,
    spine: Vec<String>,
    /// The NCX's id (EPUB 2's table of contents, with its page list).
    toc: Option<String>,
}

fn package(opf: &[u8]) -> Package {
    let mut package = Package {
        items: HashMap::new(),
        spine: Vec::new(),
        toc: None,
    };
    let mut reader = Reader::from_reader(opf);
    reader.config_mut().check_end_names = false;
    for _ in 0..1_000_000 {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attrs: HashMap<Vec<u8>, String> = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        (
                            a.key.local_name().as_ref().to_vec(),
                            String::from_utf8_lossy(&a.value).into_owned(),
                        )
                    })
                    .collect();
                let get = |k: &[u8]| attrs.get(k).cloned().unwrap_or_default();
                match e.local_name().as_ref() {
                    b"item" => {
                        package.items.insert(
                            get(b"id"),
                            Item {
                                href: percent_decode(&get(b"href")),
                                properties: get(b"properties"),
                            },
                        );
                    }
                    b"itemref" => package.spine.push(get(b"idref")),
                    b"spine" => package.toc = attrs.get(&b"toc"[..]).cloned(),
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    package
}

/// `(href, label)` of each page of a page list: EPUB 3's `<nav
/// epub:type="page-list">` links, EPUB 2's `<pageTarget>`s.
fn page_list(bytes: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut in_list = 0usize;
    let mut href: Option<String> = None;
    let mut label = String::new();
    let mut in_target = false;
    for _ in 0..5_000_000 {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_vec();
                let attr = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == k)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                match name.as_slice() {
                    b"nav" if attr(b"type").is_some_and(|t| t.contains("page-list")) => {
                        in_list += 1;
                    }
                    b"nav" if in_list > 0 => in_list += 1,
                    b"pageList" => in_list += 1,
                    b"a" if in_list > 0 => {
                        href = attr(b"href");
                        label.clear();
                    }
                    b"pageTarget" if in_list > 0 => {
                        in_target = true;
                        label.clear();
                        href = None;
                    }
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) if in_target && e.local_name().as_ref() == b"content" => {
                href = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"src")
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
            }
            Ok(Event::Text(t)) if in_list > 0 => label.push_str(&t.decode().unwrap_or_default()),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"nav" | b"pageList" if in_list > 0 => in_list -= 1,
                b"a" | b"pageTarget" if in_list > 0 => {
                    if let Some(href) = href.take() {
                        out.push((percent_decode(&href), label.trim().to_string()));
                    }
                    in_target = false;
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn first_attribute(bytes: &[u8], element: &[u8], name: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(bytes);
    for _ in 0..100_000 {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                return e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == name)
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned());
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
    None
}

/// `base/href` with `..` and `.` resolved (paths inside the EPUB).
fn join(base: &str, href: &str) -> String {
    let mut parts: Vec<&str> = if base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn percent_decode(href: &str) -> String {
    percent_encoding::percent_decode_str(href)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::Numbering;
    use std::io::Write;

    pub(crate) fn epub(chapters: &[(&str, &str)], nav: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut add = |name: &str, text: &str| {
            zip.start_file(name, stored).expect("entry");
            zip.write_all(text.as_bytes()).expect("write");
        };
        add("mimetype", "application/epub+zip");
        add(
            "META-INF/container.xml",
            r#"<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>"#,
        );
        let mut manifest = String::new();
        let mut spine = String::new();
        for (i, (name, body)) in chapters.iter().enumerate() {
            manifest.push_str(&format!(
                r#"<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>"#
            ));
            spine.push_str(&format!(r#"<itemref idref="c{i}"/>"#));
            add(
                &format!("OEBPS/{name}"),
                &format!("<html><body>{body}</body></html>"),
            );
        }
        if let Some(nav) = nav {
            manifest.push_str(r#"<item id="nav" href="nav.xhtml" properties="nav"/>"#);
            add("OEBPS/nav.xhtml", nav);
        }
        add(
            "OEBPS/content.opf",
            &format!("<package><manifest>{manifest}</manifest><spine>{spine}</spine></package>"),
        );
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn pages_from_the_page_list() {
        let nav = r##"<html><body><nav epub:type="page-list"><ol>
            <li><a href="one.xhtml#p1">1</a></li><li><a href="two.xhtml#p2">2</a></li></ol></nav></body></html>"##;
        let bytes = epub(
            &[
                ("one.xhtml", r#"<p id="p1">first page words</p>"#),
                (
                    "two.xhtml",
                    r#"<p>still one</p><p id="p2">second page words</p>"#,
                ),
            ],
            Some(nav),
        );
        let text = read(&bytes).expect("an EPUB");
        assert_eq!(text.numbering, Numbering::Labels);
        let one = text.page_index("1").expect("page 1");
        assert!(
            text.pages[one].text.contains("still one"),
            "{:?}",
            text.pages
        );
        let two = text.page_index("2").expect("page 2");
        assert!(text.pages[two].text.contains("second page words"));
    }

    #[test]
    fn broken_epubs_are_said_so() {
        assert!(read(b"not a zip").unwrap_err().contains("zip"));
        let bytes = epub(&[], None);
        assert!(read(&bytes).is_err());
    }
}
