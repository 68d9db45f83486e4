//! Field instructions: what a field is (hyperlink, reference-manager
//! citation, bibliography, anything else) and the cited works it carries.

use serde_json::{Map, Value, json};

use super::Limits;
use super::model::{CitedItem, Manager};
use super::xml::{Ev, Xml, attr_local};

/// What a field's instruction says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldKind {
    Hyperlink(String),
    Citation(Manager, Vec<CitedItem>),
    /// A reference manager's field whose data could not be read.
    BrokenCitation(Manager, String),
    /// `ADDIN EN.CITE.DATA`: its `w:fldData` holds the EndNote XML of the
    /// enclosing `EN.CITE` field.
    EndNoteData,
    Other,
}

/// Classifies a field instruction. `data` is the EndNote XML carried by a
/// nested `EN.CITE.DATA` field or by this field's own `w:fldData`, if any.
pub(crate) fn classify(instr: &str, data: Option<&str>, limits: &Limits) -> FieldKind {
    let t = instr.trim();
    let mut words = t.split_whitespace();
    let first = words.next().unwrap_or("").to_ascii_uppercase();
    match first.as_str() {
        "HYPERLINK" => match hyperlink_target(t) {
            Some(url) => FieldKind::Hyperlink(url),
            None => FieldKind::Other,
        },
        "ADDIN" => {
            let second = words.next().unwrap_or("");
            let rest_upper = t.to_ascii_uppercase();
            if second.eq_ignore_ascii_case("EN.CITE.DATA") {
                return FieldKind::EndNoteData;
            }
            if second.eq_ignore_ascii_case("EN.CITE") {
                let inline = t.find('<').map(|i| unescape_html(&t[i..]));
                let xml = inline
                    .as_deref()
                    .filter(|s| s.contains("<EndNote"))
                    .or(data);
                return match xml {
                    Some(x) => match endnote_items(x, limits) {
                        Ok(items) if !items.is_empty() => {
                            FieldKind::Citation(Manager::EndNote, items)
                        }
                        Ok(_) => FieldKind::BrokenCitation(
                            Manager::EndNote,
                            "no <Cite> in the field".into(),
                        ),
                        Err(e) => FieldKind::BrokenCitation(Manager::EndNote, e),
                    },
                    None => FieldKind::BrokenCitation(
                        Manager::EndNote,
                        "the EndNote field carries no citation data".into(),
                    ),
                };
            }
            if rest_upper.contains("BIBL") || rest_upper.contains("EN.REFLIST") {
                return FieldKind::Other;
            }
            let manager = if second.to_ascii_uppercase().starts_with("ZOTERO") {
                if second.eq_ignore_ascii_case("ZOTERO_ITEM") {
                    Manager::Zotero
                } else {
                    return FieldKind::Other;
                }
            } else if second.eq_ignore_ascii_case("CSL_CITATION") {
                Manager::Mendeley
            } else {
                return FieldKind::Other;
            };
            match csl_items(t) {
                Ok(items) => FieldKind::Citation(manager, items),
                Err(e) => FieldKind::BrokenCitation(manager, e),
            }
        }
        _ => FieldKind::Other,
    }
}

/// `HYPERLINK "url" \l "anchor" \o "tip"` → the URL (internal `\l`-only
/// links are not web links and give `None`).
fn hyperlink_target(t: &str) -> Option<String> {
    let args = t.get("HYPERLINK".len()..)?;
    let mut tokens = Vec::new();
    let mut chars = args.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                s.push(c);
            }
            tokens.push((s, true));
        } else {
            let mut s = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                s.push(c);
                chars.next();
            }
            tokens.push((s, false));
        }
    }
    let mut i = 0;
    while let Some((tok, quoted)) = tokens.get(i) {
        if !quoted && tok.starts_with('\\') {
            // switches with an argument: skip it too
            if matches!(tok.as_str(), "\\l" | "\\o" | "\\t") {
                i += 1;
            }
            i += 1;
            continue;
        }
        let url = tok.replace("\\\\", "\\");
        return (!url.is_empty()).then_some(url);
    }
    None
}

/// Zotero / Mendeley: the JSON object after the field's keyword.
fn csl_items(t: &str) -> Result<Vec<CitedItem>, String> {
    let start = t.find('{').ok_or("no JSON in the field")?;
    let end = t.rfind('}').ok_or("no JSON in the field")?;
    let json = t.get(start..=end).ok_or("no JSON in the field")?;
    let v: Value = serde_json::from_str(json).map_err(|e| format!("bad JSON: {e}"))?;
    let items = v
        .get("citationItems")
        .and_then(Value::as_array)
        .ok_or("no citationItems")?;
    let mut out = Vec::new();
    for it in items {
        let csl = it.get("itemData").cloned().unwrap_or(Value::Null);
        let first_str = |k: &str| -> Option<String> {
            match it.get(k) {
                Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            }
        };
        let id = first_str("uris")
            .or_else(|| first_str("uri"))
            .or_else(|| it.get("id").map(value_to_string))
            .or_else(|| csl.get("id").map(value_to_string))
            .unwrap_or_default();
        let opt = |k: &str| it.get(k).map(value_to_string).filter(|s| !s.is_empty());
        out.push(CitedItem {
            id,
            csl,
            locator: opt("locator"),
            label: opt("label"),
            prefix: opt("prefix"),
            suffix: opt("suffix"),
        });
    }
    Ok(out)
}

fn value_to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Undoes one level of HTML escaping (EndNote's inline XML is sometimes
/// escaped once more than XML requires).
fn unescape_html(s: &str) -> String {
    if !s.contains("&lt;") {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Decodes standard base64, ignoring whitespace; `None` on bad input.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The EndNote XML carried in an `EN.CITE.DATA` field's `w:fldData`.
pub(crate) fn endnote_data_xml(fld_data: &str) -> Option<String> {
    let bytes = base64_decode(fld_data)?;
    let text = if bytes.len() >= 2 && bytes.iter().skip(1).step_by(2).take(16).all(|b| *b == 0) {
        // UTF-16LE
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let start = text.find('<')?;
    let text = text.get(start..)?.trim_end_matches('\0').to_string();
    Some(unescape_html(&text))
}

/// Parses `<EndNote><Cite>…</Cite>…</EndNote>` into cited items.
fn endnote_items(xml_text: &str, limits: &Limits) -> Result<Vec<CitedItem>, String> {
    let mut xml = Xml::new(xml_text.as_bytes(), "EndNote field", limits.max_depth);
    let mut items = Vec::new();
    // Path of element names below <Cite>, with <style> elements left out.
    let mut path: Vec<String> = Vec::new();
    let mut cite: Option<Cite> = None;
    let mut ref_type = String::new();
    // What each open element was: 0 = ignored (<style>), 1 = on `path`, 2 = <Cite>.
    let mut opened: Vec<u8> = Vec::new();
    loop {
        let ev = xml.next().map_err(|e| e.to_string())?;
        match ev {
            Ev::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "Cite" {
                    cite = Some(Cite::default());
                    path.clear();
                    opened.push(2);
                } else if name == "style" {
                    opened.push(0);
                } else {
                    if name == "ref-type" {
                        ref_type = attr_local(&e, b"name").unwrap_or_default();
                    }
                    path.push(name);
                    opened.push(1);
                }
            }
            Ev::Empty(e) => {
                if e.name().as_ref() == b"ref-type" {
                    ref_type = attr_local(&e, b"name").unwrap_or_default();
                }
            }
            Ev::End => match opened.pop() {
                Some(2) => {
                    if let Some(c) = cite.take() {
                        items.push(c.into_item(&ref_type));
                        ref_type.clear();
                        if items.len() > limits.max_notes {
                            return Err("too many citations in one field".into());
                        }
                    }
                }
                Some(1) => {
                    let closed = path.pop().unwrap_or_default();
                    if let Some(c) = cite.as_mut() {
                        c.close(&path, &closed);
                    }
                }
                _ => {}
            },
            Ev::Text(t) => {
                if let Some(c) = cite.as_mut() {
                    c.text(&path, &t);
                }
            }
            Ev::Eof => break,
        }
    }
    Ok(items)
}

#[derive(Default)]
struct Cite {
    author: String,
    year: String,
    rec_num: String,
    cite_pages: String,
    prefix: String,
    suffix: String,
    buf: String,
    authors: Vec<String>,
    fields: Map<String, Value>,
    urls: Vec<String>,
}

impl Cite {
    fn text(&mut self, _path: &[String], t: &str) {
        self.buf.push_str(t);
    }

    fn close(&mut self, parent: &[String], closed: &str) {
        let text = std::mem::take(&mut self.buf).trim().to_string();
        let in_record = parent.iter().any(|p| p == "record");
        let parent_last = parent.last().map(String::as_str).unwrap_or("");
        if !in_record {
            match closed {
                "Author" => self.author = text,
                "Year" => self.year = text,
                "RecNum" => self.rec_num = text,
                "Pages" => self.cite_pages = text,
                "Prefix" => self.prefix = text,
                "Suffix" => self.suffix = text,
                _ => {}
            }
            return;
        }
        if text.is_empty() {
            return;
        }
        let mut set = |k: &str, v: Value| {
            self.fields.entry(k.to_string()).or_insert(v);
        };
        match (parent_last, closed) {
            ("authors", "author") => self.authors.push(text),
            ("titles", "title") => set("title", json!(text)),
            ("titles", "secondary-title") => set("container-title", json!(text)),
            ("periodical", "full-title") => set("container-title", json!(text)),
            ("dates", "year") => {
                if let Ok(y) = text
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .parse::<i64>()
                {
                    set("issued", json!({"date-parts": [[y]]}));
                }
            }
            ("record", "pages") => set("page", json!(text)),
            ("record", "volume") => set("volume", json!(text)),
            ("record", "number") => set("issue", json!(text)),
            ("record", "publisher") => set("publisher", json!(text)),
            ("record", "pub-location") => set("publisher-place", json!(text)),
            ("record", "isbn") => set("ISBN", json!(text)),
            ("record", "electronic-resource-num") => set("DOI", json!(text)),
            ("related-urls", "url") | ("web-urls", "url") => self.urls.push(text),
            ("record", "rec-number") if self.rec_num.is_empty() => self.rec_num = text,
            _ => {}
        }
    }

    fn into_item(mut self, ref_type: &str) -> CitedItem {
        let mut csl = Map::new();
        csl.insert("id".into(), json!(self.rec_num));
        csl.insert("type".into(), json!(csl_type(ref_type)));
        if !self.authors.is_empty() {
            let authors: Vec<Value> = self.authors.iter().map(|a| name_to_csl(a)).collect();
            csl.insert("author".into(), Value::Array(authors));
        } else if !self.author.is_empty() {
            csl.insert("author".into(), json!([name_to_csl(&self.author)]));
        }
        if !self.fields.contains_key("issued")
            && let Ok(y) = self.year.trim().parse::<i64>()
        {
            csl.insert("issued".into(), json!({"date-parts": [[y]]}));
        }
        if let Some(u) = self.urls.first() {
            csl.insert("URL".into(), json!(u));
        }
        for (k, v) in std::mem::take(&mut self.fields) {
            csl.insert(k, v);
        }
        let opt = |s: String| (!s.is_empty()).then_some(s);
        let has_pages = !self.cite_pages.is_empty();
        CitedItem {
            id: self.rec_num,
            csl: Value::Object(csl),
            locator: opt(self.cite_pages),
            label: has_pages.then(|| "page".to_string()),
            prefix: opt(self.prefix),
            suffix: opt(self.suffix),
        }
    }
}

/// "Family, Given" (EndNote's form) → CSL name; a name without a comma is a
/// literal (an institution) unless it has two or more words.
fn name_to_csl(name: &str) -> Value {
    let name = name.trim();
    if let Some((family, given)) = name.split_once(',') {
        json!({"family": family.trim(), "given": given.trim()})
    } else if let Some((given, family)) = name.rsplit_once(' ') {
        json!({"family": family.trim(), "given": given.trim()})
    } else {
        json!({"literal": name})
    }
}

/// EndNote reference type name → CSL type.
fn csl_type(ref_type: &str) -> &'static str {
    match ref_type.trim().to_ascii_lowercase().as_str() {
        "journal article" | "electronic article" => "article-journal",
        "book" | "edited book" | "electronic book" | "classical work" => "book",
        "book section" | "electronic book section" => "chapter",
        "thesis" => "thesis",
        "conference proceedings" | "conference paper" => "paper-conference",
        "web page" | "blog" => "webpage",
        "newspaper article" => "article-newspaper",
        "magazine article" => "article-magazine",
        "report" | "government document" => "report",
        "manuscript" | "unpublished work" => "manuscript",
        "film or broadcast" => "motion_picture",
        "dictionary" => "entry-dictionary",
        "encyclopedia" => "entry-encyclopedia",
        "map" => "map",
        "patent" => "patent",
        "statute" | "legal rule or regulation" | "bill" => "legislation",
        "case" => "legal_case",
        "personal communication" => "personal_communication",
        "dataset" => "dataset",
        "computer program" => "software",
        _ => "article",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlink_targets() {
        assert_eq!(
            hyperlink_target(r#"HYPERLINK "https://example.org/a b" \o "tip""#).as_deref(),
            Some("https://example.org/a b")
        );
        assert_eq!(hyperlink_target(r#"HYPERLINK \l "_Toc1""#), None);
        assert_eq!(
            hyperlink_target("HYPERLINK http://x.org").as_deref(),
            Some("http://x.org")
        );
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("!!"), None);
    }

    #[test]
    fn roman_numbers() {
        use super::super::styles::format_number;
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(27, "upperLetter"), "AA");
        assert_eq!(format_number(5, "chicago"), "**");
        assert_eq!(format_number(12, "decimal"), "12");
    }
}
