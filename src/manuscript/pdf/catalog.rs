//! Document-level data: fonts (italic/bold), page labels (§12.4.2), link
//! annotations, and the structure tree (§14.7, §14.8) of tagged PDFs.

use std::collections::{HashMap, HashSet};

use hayro_interpret::CacheKey;
use hayro_syntax::object::{Array, Dict, Name, Object, ObjectIdentifier};
use hayro_syntax::page::Page;
use hayro_syntax::xref::XRef;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FontInfo {
    pub italic: bool,
    pub bold: bool,
}

fn name_str(n: &Name<'_>) -> String {
    String::from_utf8_lossy(n.as_ref()).into_owned()
}

/// Font facts per hayro font cache key (hayro keys fonts by the hash of
/// their dictionary, which we can compute from the resources too).
pub(crate) fn scan_fonts(page: &Page<'_>, out: &mut HashMap<u128, FontInfo>) {
    let mut res = page.raw().get::<Dict<'_>>("Resources");
    let mut parent = page.raw().get::<Dict<'_>>("Parent");
    let mut depth = 0;
    // Resources may be inherited from the page tree.
    while res.is_none() && depth < 32 {
        let Some(p) = parent else { break };
        res = p.get::<Dict<'_>>("Resources");
        parent = p.get::<Dict<'_>>("Parent");
        depth += 1;
    }
    if let Some(res) = res {
        scan_resources(&res, out, 0);
    }
}

fn scan_resources(res: &Dict<'_>, out: &mut HashMap<u128, FontInfo>, depth: u32) {
    if depth > 3 || out.len() > 10_000 {
        return;
    }
    if let Some(fonts) = res.get::<Dict<'_>>("Font") {
        for key in fonts.keys().take(1000) {
            let Some(font) = fonts.get::<Dict<'_>>(key.as_ref()) else {
                continue;
            };
            let ck = font.cache_key();
            if out.contains_key(&ck) {
                continue;
            }
            out.insert(ck, font_info(&font));
        }
    }
    if let Some(xobjects) = res.get::<Dict<'_>>("XObject") {
        for key in xobjects.keys().take(200) {
            let Some(s) = xobjects.get::<hayro_syntax::object::Stream<'_>>(key.as_ref()) else {
                continue;
            };
            if let Some(r) = s.dict().get::<Dict<'_>>("Resources") {
                scan_resources(&r, out, depth + 1);
            }
        }
    }
}

fn font_info(font: &Dict<'_>) -> FontInfo {
    let base = font
        .get::<Name<'_>>("BaseFont")
        .map(|n| name_str(&n))
        .unwrap_or_default();
    let descriptor = font.get::<Dict<'_>>("FontDescriptor").or_else(|| {
        font.get::<Array<'_>>("DescendantFonts")
            .and_then(|a| a.iter::<Dict<'_>>().next())
            .and_then(|d| d.get::<Dict<'_>>("FontDescriptor"))
    });
    let lower = base.to_ascii_lowercase();
    let mut italic = lower.contains("italic") || lower.contains("oblique");
    let mut bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
    if let Some(d) = descriptor {
        let angle = d.get::<f32>("ItalicAngle").unwrap_or(0.0);
        if angle.is_finite() && angle.abs() > 0.5 {
            italic = true;
        }
        let flags = d.get::<i64>("Flags").unwrap_or(0);
        if flags & 64 != 0 {
            italic = true;
        }
        if flags & (1 << 18) != 0 || d.get::<f32>("FontWeight").is_some_and(|w| w >= 600.0) {
            bold = true;
        }
    }
    // LaTeX Computer Modern / Latin Modern italics: cmti10, lmroman10-italic.
    let stem = lower.split('+').next_back().unwrap_or("");
    if stem.starts_with("cmti") || stem.starts_with("cmsl") || stem.starts_with("cmmi") {
        italic = true;
    }
    if stem.starts_with("cmbx") {
        bold = true;
    }
    FontInfo { italic, bold }
}

/// Decode a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else
/// PDFDocEncoding approximated by Latin-1).
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if bytes.len() >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if bytes.len() >= 3 && bytes[..3] == [0xEF, 0xBB, 0xBF] {
        return String::from_utf8_lossy(&bytes[3..]).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// The catalog (document root).
pub(crate) fn catalog(xref: &XRef) -> Option<Dict<'_>> {
    xref.get::<Dict<'_>>(xref.root_id())
}

// ---------------------------------------------------------------- labels

/// Page labels from the /PageLabels number tree, or None when the PDF has
/// none. Index = page - 1.
pub(crate) fn page_labels(xref: &XRef, pages: usize) -> Option<Vec<String>> {
    let tree = catalog(xref)?.get::<Dict<'_>>("PageLabels")?;
    let mut ranges: Vec<(usize, Option<Dict<'_>>)> = Vec::new();
    collect_nums(&tree, &mut ranges, 0);
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_by_key(|r| r.0);
    let mut labels = Vec::with_capacity(pages);
    for page in 0..pages {
        let idx = ranges.partition_point(|r| r.0 <= page);
        if idx == 0 {
            labels.push((page + 1).to_string());
            continue;
        }
        let Some((start, dict)) = ranges.get(idx - 1) else {
            labels.push((page + 1).to_string());
            continue;
        };
        labels.push(label_for(dict.as_ref(), page - start));
    }
    Some(labels)
}

fn collect_nums<'a>(node: &Dict<'a>, out: &mut Vec<(usize, Option<Dict<'a>>)>, depth: u32) {
    if depth > 32 || out.len() > 100_000 {
        return;
    }
    if let Some(nums) = node.get::<Array<'_>>("Nums") {
        let mut iter = nums.iter::<Object<'_>>();
        while let (Some(k), Some(v)) = (iter.next(), iter.next()) {
            let Some(k) = k.into_i32() else { continue };
            if k < 0 {
                continue;
            }
            out.push((k as usize, v.into_dict()));
        }
    }
    if let Some(kids) = node.get::<Array<'_>>("Kids") {
        for kid in kids.iter::<Dict<'_>>().take(10_000) {
            collect_nums(&kid, out, depth + 1);
        }
    }
}

fn label_for(dict: Option<&Dict<'_>>, offset: usize) -> String {
    let Some(d) = dict else {
        return String::new();
    };
    let prefix = d
        .get::<hayro_syntax::object::String<'_>>("P")
        .map(|s| text_string(s.as_bytes()))
        .unwrap_or_default();
    let start = d.get::<i64>("St").unwrap_or(1).clamp(1, 1_000_000_000) as usize;
    let n = start.saturating_add(offset);
    let style = d.get::<Name<'_>>("S").map(|n| name_str(&n));
    let num = match style.as_deref() {
        Some("D") => n.to_string(),
        Some("R") => roman(n).to_uppercase(),
        Some("r") => roman(n),
        Some("A") => letters(n).to_uppercase(),
        Some("a") => letters(n),
        _ => String::new(),
    };
    format!("{prefix}{num}")
}

/// A page number in a roman page-label style (§12.4.2), lower case; the
/// digits when it is too large to write so.
pub(crate) fn roman(n: usize) -> String {
    match u32::try_from(n) {
        Ok(n) if (1..=100_000).contains(&n) => crate::locator::pages::to_roman(n),
        _ => n.to_string(),
    }
}

/// §12.4.2: a..z, then aa..zz, then aaa..
fn letters(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = (b'a' + ((n - 1) % 26) as u8) as char;
    let count = ((n - 1) / 26 + 1).min(1000);
    std::iter::repeat_n(letter, count).collect()
}

/// Parse a roman numeral ("xiv"), for folios read in footers.
pub(crate) fn parse_roman(s: &str) -> Option<usize> {
    crate::locator::pages::roman(s).map(|n| n as usize)
}

// ----------------------------------------------------------------- links

/// URI link annotations of a page: (rect in PDF user space, url).
pub(crate) fn uri_links(page: &Page<'_>) -> Vec<([f64; 4], String)> {
    let mut out = Vec::new();
    let Some(annots) = page.raw().get::<Array<'_>>("Annots") else {
        return out;
    };
    for annot in annots.iter::<Dict<'_>>().take(500) {
        if annot
            .get::<Name<'_>>("Subtype")
            .map(|n| name_str(&n))
            .as_deref()
            != Some("Link")
        {
            continue;
        }
        let Some(action) = annot.get::<Dict<'_>>("A") else {
            continue;
        };
        let Some(uri) = action.get::<hayro_syntax::object::String<'_>>("URI") else {
            continue;
        };
        let Some(rect) = annot.get::<hayro_syntax::object::Rect>("Rect") else {
            continue;
        };
        let url = text_string(uri.as_bytes());
        out.push(([rect.x0, rect.y0, rect.x1, rect.y1], url));
    }
    out
}

// ------------------------------------------------------------- structure

/// What a marked-content sequence is, according to the structure tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Text of the note with this index (order of Note elements).
    NoteText(usize),
    /// The label (number) at the start of a note.
    NoteLabel(usize),
    /// A note reference (marker) in the body.
    BodyMarker,
}

#[derive(Default)]
pub(crate) struct StructInfo {
    pub roles: HashMap<(ObjectIdentifier, i32), Role>,
    pub notes: usize,
}

/// Read the structure tree: which marked content belongs to notes.
/// None when the PDF is not tagged or has no Note elements.
pub(crate) fn structure(xref: &XRef, max_elements: usize) -> Option<StructInfo> {
    let root = catalog(xref)?.get::<Dict<'_>>("StructTreeRoot")?;
    let role_map = root.get::<Dict<'_>>("RoleMap");
    let mut walker = Walker {
        info: StructInfo::default(),
        role_map,
        visited: HashSet::new(),
        budget: max_elements,
    };
    let k = root.get::<Object<'_>>("K")?;
    walker.kids(k, None, Ctx::Body, 0, "");
    (walker.info.notes > 0).then_some(walker.info)
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Body,
    Marker,
    Note(usize),
    NoteLabel(usize),
}

struct Walker<'a> {
    info: StructInfo,
    role_map: Option<Dict<'a>>,
    visited: HashSet<(ObjectIdentifier, usize)>,
    budget: usize,
}

impl<'a> Walker<'a> {
    fn standard_type(&self, s: String) -> String {
        let mut s = s;
        for _ in 0..8 {
            let Some(next) = self
                .role_map
                .as_ref()
                .and_then(|m| m.get::<Name<'_>>(s.as_bytes()))
                .map(|n| name_str(&n))
            else {
                break;
            };
            if next == s {
                break;
            }
            s = next;
        }
        s
    }

    fn kids(
        &mut self,
        k: Object<'a>,
        pg: Option<ObjectIdentifier>,
        ctx: Ctx,
        depth: u32,
        parent: &str,
    ) {
        if depth > 200 || self.budget == 0 {
            return;
        }
        self.budget -= 1;
        match k {
            Object::Number(n) => self.mcid(pg, n.as_i64(), ctx),
            Object::Array(a) => {
                for item in a.iter::<Object<'_>>() {
                    if self.budget == 0 {
                        break;
                    }
                    self.kids(item, pg, ctx, depth + 1, parent);
                }
            }
            Object::Dict(d) => self.element(&d, pg, ctx, depth, parent),
            _ => {}
        }
    }

    fn mcid(&mut self, pg: Option<ObjectIdentifier>, mcid: i64, ctx: Ctx) {
        let (Some(pg), Ok(mcid)) = (pg, i32::try_from(mcid)) else {
            return;
        };
        let role = match ctx {
            Ctx::Body => return,
            Ctx::Marker => Role::BodyMarker,
            Ctx::Note(i) => Role::NoteText(i),
            Ctx::NoteLabel(i) => Role::NoteLabel(i),
        };
        self.info.roles.insert((pg, mcid), role);
    }

    fn element(
        &mut self,
        d: &Dict<'a>,
        pg: Option<ObjectIdentifier>,
        ctx: Ctx,
        depth: u32,
        parent: &str,
    ) {
        let pg = d.get_ref("Pg").map(ObjectIdentifier::from).or(pg);
        let ty = d.get::<Name<'_>>("Type").map(|n| name_str(&n));
        if ty.as_deref() == Some("MCR") {
            if let Some(m) = d.get::<i64>("MCID") {
                self.mcid(pg, m, ctx);
            }
            return;
        }
        if ty.as_deref() == Some("OBJR") {
            return;
        }
        // Cycle guard. Inline dictionaries report the id of the object that
        // holds them, so the length of their data is part of the key.
        if let Some(id) = d.obj_id()
            && !self.visited.insert((id, d.data().len()))
        {
            return;
        }
        let Some(s) = d.get::<Name<'_>>("S").map(|n| name_str(&n)) else {
            return;
        };
        let s = self.standard_type(s);
        let ctx = match (s.as_str(), ctx) {
            ("Note" | "FENote", Ctx::Body | Ctx::Marker) => {
                let i = self.info.notes;
                self.info.notes += 1;
                Ctx::Note(i)
            }
            ("Lbl", Ctx::Note(i)) => Ctx::NoteLabel(i),
            // A label in running text is a note reference; labels of list
            // items, headings and TOC entries are not.
            ("Lbl" | "Reference", Ctx::Body)
                if !matches!(parent, "LI" | "L" | "TOCI" | "TOC") && !parent.starts_with('H') =>
            {
                Ctx::Marker
            }
            (_, c) => c,
        };
        if let Some(k) = d.get::<Object<'_>>("K") {
            self.kids(k, pg, ctx, depth + 1, &s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_styles() {
        assert_eq!(roman(1994), "mcmxciv");
        assert_eq!(roman(4), "iv");
        assert_eq!(letters(1), "a");
        assert_eq!(letters(26), "z");
        assert_eq!(letters(27), "aa");
        assert_eq!(letters(53), "aaa");
        assert_eq!(parse_roman("xiv"), Some(14));
        assert_eq!(parse_roman("IX"), Some(9));
        assert_eq!(parse_roman("iiii"), None);
        assert_eq!(parse_roman("mix"), Some(1009));
        assert_eq!(parse_roman("abc"), None);
        assert_eq!(label_for(None, 3), "");
    }

    #[test]
    fn text_strings() {
        assert_eq!(text_string(b"\xFE\xFF\x00A\x4E\x2D"), "A中");
        assert_eq!(text_string(b"\xEF\xBB\xBFcaf\xC3\xA9"), "café");
        assert_eq!(text_string(b"abc"), "abc");
        assert_eq!(text_string(b"\xFE\xFF\x00"), "");
    }
}
