//! Reading a whole PDF: pages → lines → header/footer, notes, paragraphs.

use std::collections::HashMap;

use hayro_interpret::hayro_syntax::content::TypedIter;
use hayro_interpret::util::TransformExt;
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, interpret};
use hayro_syntax::object::{Array, Stream};
use hayro_syntax::{LoadPdfError, Pdf};
use kurbo::{Point, Rect};

use super::catalog::{self, FontInfo, Role};
use super::device::{Collector, Rule};
use super::error::{Limits, PdfError};
use super::layout;
use super::lines::{Line, LinkRect, build_lines};
use crate::manuscript::model::Manuscript;

pub(crate) struct PageData {
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
    pub width: f32,
    pub height: f32,
}

/// Read a PDF into the manuscript model.
pub fn read_pdf(bytes: &[u8], limits: &Limits) -> Result<Manuscript, PdfError> {
    let pages = read_pages(bytes, limits)?;
    let mut m = layout::assemble(pages.data, pages.labels, pages.tagged);
    m.warnings.splice(0..0, pages.warnings);
    Ok(m)
}

/// A PDF's pages as lines of text, before any layout is read into them.
pub(crate) struct Pages {
    pub data: Vec<PageData>,
    /// The page labels of the catalog (the printed page numbers), if any.
    pub labels: Option<Vec<String>>,
    pub tagged: bool,
    pub warnings: Vec<String>,
}

/// A PDF's text as lines per page, with its page labels.
pub struct PageLines {
    /// Each page's lines, top to bottom.
    pub lines: Vec<Vec<String>>,
    /// The catalog's page labels (the printed numbers), if any.
    pub labels: Option<Vec<String>>,
    pub warnings: Vec<String>,
}

/// Each page's text as lines, top to bottom (a cited source, whose layout
/// matters only for its page numbers), and the page labels.
pub fn page_lines(bytes: &[u8], limits: &Limits) -> Result<PageLines, PdfError> {
    let pages = read_pages(bytes, limits)?;
    let lines = pages
        .data
        .into_iter()
        .map(|page| {
            let mut lines = page.lines;
            lines.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
            lines.into_iter().map(|l| l.text).collect()
        })
        .collect();
    Ok(PageLines {
        lines,
        labels: pages.labels,
        warnings: pages.warnings,
    })
}

fn read_pages(bytes: &[u8], limits: &Limits) -> Result<Pages, PdfError> {
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(&[]);
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let pdf = match Pdf::new(bytes.to_vec()) {
        Ok(p) => p,
        Err(LoadPdfError::Decryption(e)) => {
            return Err(match e {
                hayro_syntax::DecryptionError::PasswordProtected => PdfError::Encrypted,
                hayro_syntax::DecryptionError::UnsupportedAlgorithm => {
                    PdfError::UnsupportedEncryption
                }
                _ => PdfError::Encrypted,
            });
        }
        Err(LoadPdfError::Invalid) => return Err(PdfError::Damaged),
    };
    let pages = pdf.pages();
    let count = pages.len();
    if count > limits.max_pages {
        return Err(PdfError::TooManyPages {
            pages: count,
            max: limits.max_pages,
        });
    }
    if count == 0 {
        return Err(PdfError::Damaged);
    }
    let xref = pdf.xref();
    let structure = if limits.force_layout {
        None
    } else {
        catalog::structure(xref, limits.max_struct_elements)
    };
    let empty = HashMap::new();
    let roles = structure.as_ref().map(|s| &s.roles).unwrap_or(&empty);
    let tagged = structure.is_some();

    let mut warnings = Vec::new();
    let mut fonts: HashMap<u128, FontInfo> = HashMap::new();
    let mut cache = InterpreterCache::new();
    let settings = InterpreterSettings {
        font_resolver: std::sync::Arc::new(|_| None),
        cmap_resolver: std::sync::Arc::new(|_| None),
        warning_sink: std::sync::Arc::new(|_| {}),
        render_annotations: false,
    };
    let mut data: Vec<PageData> = Vec::with_capacity(count);
    let mut no_text_pages = Vec::new();
    let mut textless = 0usize;
    let mut unmapped_pages = Vec::new();
    let mut overflow_pages = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let number = i + 1;
        // Parsed fonts live in the cache; renew it now and then so that a
        // document with a new font on every page cannot grow memory without
        // bound.
        if i % 64 == 63 {
            cache = InterpreterCache::new();
        }
        catalog::scan_fonts(page, &mut fonts);
        let initial = page.initial_transform(true).to_kurbo();
        let (w, h) = page.render_dimensions();
        let mut ctx = Context::new(
            initial,
            Rect::new(0.0, 0.0, w as f64, h as f64),
            &cache,
            xref,
            settings.clone(),
        );
        let mut device = Collector::new(limits.max_glyphs_per_page);
        // Decode the content here rather than through `Page::page_stream`,
        // which keeps every page's decoded stream alive for the document's
        // lifetime.
        let content = page_content(page);
        interpret(
            TypedIter::new(&content),
            page.resources(),
            &mut ctx,
            &mut device,
        );
        drop(content);
        if device.unmapped > 0 {
            unmapped_pages.push(number);
        }
        if device.overflow {
            overflow_pages.push(number);
        }
        if device.glyphs.is_empty() {
            textless += 1;
            // Blank pages are normal; a page that only shows images is a scan.
            if device.images > 0 {
                no_text_pages.push(number);
            }
        }
        let links: Vec<LinkRect> = catalog::uri_links(page)
            .into_iter()
            .map(|(r, url)| {
                let a = initial * Point::new(r[0], r[1]);
                let b = initial * Point::new(r[2], r[3]);
                LinkRect {
                    x0: a.x.min(b.x) as f32,
                    y0: a.y.min(b.y) as f32,
                    x1: a.x.max(b.x) as f32,
                    y1: a.y.max(b.y) as f32,
                    url,
                }
            })
            .collect();
        let page_id = page.raw().obj_id();
        let role_of =
            |mcid: i32| -> Option<Role> { page_id.and_then(|id| roles.get(&(id, mcid)).copied()) };
        let lines = build_lines(
            number,
            std::mem::take(&mut device.glyphs),
            &fonts,
            &role_of,
            tagged,
            &links,
        );
        data.push(PageData {
            lines,
            rules: std::mem::take(&mut device.rules),
            width: w,
            height: h,
        });
    }
    if textless == count {
        return Err(PdfError::NoText { pages: count });
    }
    if !no_text_pages.is_empty() {
        warnings.push(format!(
            "{} no text layer (scanned?)",
            pages_phrase(&no_text_pages, "has", "have")
        ));
    }
    if !unmapped_pages.is_empty() {
        warnings.push(format!(
            "{}: text in a font with no Unicode mapping could not be read",
            pages_phrase(&unmapped_pages, "", "")
        ));
    }
    if !overflow_pages.is_empty() {
        warnings.push(format!(
            "{}: more than {} glyphs; the rest was skipped",
            pages_phrase(&overflow_pages, "", ""),
            limits.max_glyphs_per_page
        ));
    }
    Ok(Pages {
        labels: catalog::page_labels(xref, count),
        data,
        tagged,
        warnings,
    })
}

fn page_content(page: &hayro_syntax::page::Page<'_>) -> Vec<u8> {
    let raw = page.raw();
    if let Some(s) = raw.get::<Stream<'_>>("Contents") {
        return s.decoded().map(|c| c.into_owned()).unwrap_or_default();
    }
    let mut out = Vec::new();
    if let Some(arr) = raw.get::<Array<'_>>("Contents") {
        for s in arr.iter::<Stream<'_>>().take(10_000) {
            if let Ok(c) = s.decoded() {
                out.extend_from_slice(&c);
                out.push(b'\n');
            }
        }
    }
    out
}

/// "page 4", "pages 4–7", "pages 2, 5, 9–11".
pub(crate) fn pages_phrase(pages: &[usize], one: &str, many: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
        if parts.len() >= 20 {
            parts.push("…".into());
            break;
        }
    }
    let verb = if pages.len() == 1 { one } else { many };
    let noun = if pages.len() == 1 { "page" } else { "pages" };
    let s = format!("{noun} {}", parts.join(", "));
    if verb.is_empty() {
        s
    } else {
        format!("{s} {verb}")
    }
}
