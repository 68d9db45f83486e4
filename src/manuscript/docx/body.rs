//! The WordprocessingML walker: one pass over a story part (the document
//! body, or the footnotes / endnotes part) that yields raw paragraphs with
//! their text, italic runs, links, note references and field citations.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::BytesStart;

use super::fields::{FieldKind, classify, endnote_data_xml};
use super::model::{FieldCitation, Hyperlink};
use super::package::Rel;
use super::styles::{NoteSettings, Styles, indents};
use super::xml::{Ev, Xml, attr, attr_local, on_off};
use super::{DocxError, Limits};

/// Twips: 567 twips = 1 cm. Left indent from which a paragraph may be a
/// block quotation.
mod emit;

const QUOTE_INDENT: i64 = 567;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RefKind {
    Footnote,
    Endnote,
    /// A superscript number run with no note reference behind it.
    Plain,
}

#[derive(Debug, Clone)]
pub(crate) struct RawMarker {
    pub(crate) kind: RefKind,
    pub(crate) id: Option<i64>,
    pub(crate) custom: bool,
    pub(crate) number: String,
    pub(crate) at: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawPara {
    pub(crate) serial: usize,
    /// The note (`w:id`) this paragraph belongs to, in a notes part.
    pub(crate) note: Option<i64>,
    pub(crate) text: String,
    pub(crate) italic: Vec<Range<usize>>,
    pub(crate) links: Vec<Hyperlink>,
    pub(crate) fields: Vec<FieldCitation>,
    pub(crate) markers: Vec<RawMarker>,
    pub(crate) heading: Option<u8>,
    pub(crate) block_quote: bool,
}

impl RawPara {
    fn push(&mut self, s: &str, italic: bool) {
        let start = self.text.len();
        self.text.push_str(s);
        let end = self.text.len();
        if italic && end > start {
            push_range(&mut self.italic, start..end);
        }
    }
}

/// Appends a range, merging it with the previous one when they touch.
pub(crate) fn push_range(v: &mut Vec<Range<usize>>, r: Range<usize>) {
    if let Some(last) = v.last_mut()
        && last.end == r.start
    {
        last.end = r.end;
        return;
    }
    v.push(r);
}

#[derive(Default)]
struct RunState {
    italic: Option<bool>,
    style: Option<String>,
    superscript: Option<bool>,
    size: Option<u32>,
    /// Text of a superscript run, held back: a bare number is a marker.
    sup_buf: String,
    /// Index of a marker whose custom mark (`w:customMarkFollows`) is the
    /// text of this run.
    custom: Option<usize>,
    has_text: bool,
}

#[derive(Default)]
struct ParaState {
    raw: RawPara,
    style: Option<String>,
    outline: Option<u8>,
    ind_left: Option<i64>,
    ind_right: Option<i64>,
    hanging: bool,
    numbered: bool,
    max_size: Option<u32>,
    links_open: Vec<(Option<String>, usize)>,
    run: Option<RunState>,
    /// A custom-mark marker still waiting for its text (from an earlier run).
    pending_custom: Option<usize>,
}

#[derive(Default)]
struct Frame {
    instr: String,
    /// In the result part (after `separate`), with where the result starts.
    result: Option<(usize, usize)>,
    fld_data: String,
    en_data: Option<String>,
}

pub(crate) struct Ctx<'a> {
    pub(crate) styles: &'a Styles,
    pub(crate) rels: &'a HashMap<String, Rel>,
    pub(crate) limits: &'a Limits,
}

pub(crate) struct Story {
    pub(crate) paragraphs: Vec<RawPara>,
    pub(crate) settings: NoteSettings,
    pub(crate) warnings: Vec<String>,
}

pub(crate) fn read_story(
    bytes: &[u8],
    part: &str,
    ctx: &Ctx<'_>,
    settings: NoteSettings,
) -> Result<Story, DocxError> {
    let mut xml = Xml::new(bytes, part, ctx.limits.max_depth);
    let mut w = Walker {
        ctx,
        stack: Vec::new(),
        skip_from: None,
        paras: Vec::new(),
        out: Vec::new(),
        serial: 0,
        fields: Vec::new(),
        note: None,
        settings,
        warnings: Vec::new(),
        text_bytes: 0,
    };
    loop {
        match xml.next()? {
            Ev::Start(e) => w.start(&e, false, &xml)?,
            Ev::Empty(e) => w.start(&e, true, &xml)?,
            Ev::End => w.end()?,
            Ev::Text(t) => w.text(&t, &xml)?,
            Ev::Eof => break,
        }
    }
    Ok(Story {
        paragraphs: w.out,
        settings: w.settings,
        warnings: w.warnings,
    })
}

struct Walker<'c, 'a> {
    ctx: &'c Ctx<'a>,
    stack: Vec<Vec<u8>>,
    /// Stack depth at which a skipped subtree (deleted text, ...) began.
    skip_from: Option<usize>,
    paras: Vec<ParaState>,
    out: Vec<RawPara>,
    pub(crate) serial: usize,
    fields: Vec<Frame>,
    note: Option<i64>,
    settings: NoteSettings,
    warnings: Vec<String>,
    text_bytes: usize,
}

/// Subtrees whose content is not in the final text.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"w:del"
            | b"w:moveFrom"
            | b"w:delText"
            | b"w:delInstrText"
            | b"mc:Fallback"
            | b"w:pPrChange"
            | b"w:rPrChange"
            | b"w:sectPrChange"
            | b"w:tblPrChange"
            | b"w:tblPrExChange"
            | b"w:trPrChange"
            | b"w:tcPrChange"
            | b"w:numberingChange"
            | b"w:comments"
    )
}

impl Walker<'_, '_> {
    fn parent(&self) -> &[u8] {
        self.stack.last().map(|v| v.as_slice()).unwrap_or(b"")
    }

    fn grandparent(&self) -> &[u8] {
        let n = self.stack.len();
        if n < 2 {
            return b"";
        }
        self.stack.get(n - 2).map(|v| v.as_slice()).unwrap_or(b"")
    }

    /// Text is visible unless some enclosing field is still in its
    /// instruction part.
    fn visible(&self) -> bool {
        self.fields.iter().all(|f| f.result.is_some())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, xml: &Xml<'_>) -> Result<(), DocxError> {
        let name = e.name().as_ref().to_vec();
        if self.skip_from.is_some() {
            if !empty {
                self.stack.push(name);
            }
            return Ok(());
        }
        let in_ppr = self.parent() == b"w:pPr";
        let skip = skipped(&name)
            || (name == b"w:rPr" && in_ppr)
            || ((name == b"w:footnote" || name == b"w:endnote")
                && attr_local(e, b"type").is_some_and(|t| t != "normal"));
        if skip {
            if !empty {
                self.skip_from = Some(self.stack.len());
                self.stack.push(name);
            }
            return Ok(());
        }
        let in_rpr = self.parent() == b"w:rPr" && self.grandparent() == b"w:r";
        let in_run = self.parent() == b"w:r";
        match name.as_slice() {
            b"w:p" => {
                self.serial += 1;
                let raw = RawPara {
                    serial: self.serial,
                    note: self.note,
                    ..RawPara::default()
                };
                self.paras.push(ParaState {
                    raw,
                    ..ParaState::default()
                });
            }
            b"w:pStyle" if in_ppr => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr_local(e, b"val");
                }
            }
            b"w:outlineLvl" if in_ppr => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = attr_local(e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            b"w:ind" if in_ppr => {
                if let Some(p) = self.paras.last_mut() {
                    let (l, r) = indents(e);
                    p.ind_left = l;
                    p.ind_right = r;
                    p.hanging = attr_local(e, b"hanging")
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .is_some_and(|h| h > 0);
                }
            }
            b"w:numPr" if in_ppr => {
                if let Some(p) = self.paras.last_mut() {
                    p.numbered = true;
                }
            }
            b"w:numFmt" | b"w:numStart" => {
                let parent = self.parent().to_vec();
                self.settings.apply(&parent, &name, attr_local(e, b"val"));
            }
            b"w:r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.run = Some(RunState::default());
                }
            }
            b"w:rStyle" if in_rpr => {
                if let Some(r) = self.run_mut() {
                    r.style = attr_local(e, b"val");
                }
            }
            b"w:i" if in_rpr => {
                if let Some(r) = self.run_mut() {
                    r.italic = Some(on_off(e));
                }
            }
            b"w:vertAlign" if in_rpr => {
                if let Some(r) = self.run_mut() {
                    r.superscript = Some(attr_local(e, b"val").as_deref() == Some("superscript"));
                }
            }
            b"w:sz" if in_rpr => {
                if let Some(r) = self.run_mut() {
                    r.size = attr_local(e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            b"w:tab" | b"w:ptab" if in_run => self.emit("\t"),
            b"w:br" | b"w:cr" if in_run => self.emit("\n"),
            // A plain hyphen, so that page ranges typed with a non-breaking
            // hyphen still read as ranges.
            b"w:noBreakHyphen" if in_run => self.emit("-"),
            b"w:sym" if in_run => {
                if let Some(c) = sym_char(e) {
                    self.emit(c.encode_utf8(&mut [0u8; 4]));
                }
            }
            b"w:fldChar" => match attr_local(e, b"fldCharType").as_deref() {
                Some("begin") => {
                    if self.fields.len() >= self.ctx.limits.max_depth {
                        return Err(DocxError::TooDeep {
                            part: xml.part().to_string(),
                            limit: self.ctx.limits.max_depth,
                            position: 0,
                        });
                    }
                    self.fields.push(Frame::default());
                }
                Some("separate") => {
                    let at = self.cursor();
                    if let Some(f) = self.fields.last_mut()
                        && f.result.is_none()
                    {
                        f.result = Some(at);
                    }
                }
                Some("end") => self.end_field(),
                _ => {}
            },
            b"w:fldSimple" if !empty => {
                if self.fields.len() >= self.ctx.limits.max_depth {
                    return Err(DocxError::TooDeep {
                        part: xml.part().to_string(),
                        limit: self.ctx.limits.max_depth,
                        position: 0,
                    });
                }
                let at = self.cursor();
                self.fields.push(Frame {
                    instr: attr_local(e, b"instr").unwrap_or_default(),
                    result: Some(at),
                    ..Frame::default()
                });
            }
            b"w:hyperlink" => {
                let url = attr(e, b"r:id")
                    .or_else(|| attr_local(e, b"id"))
                    .and_then(|id| self.ctx.rels.get(&id))
                    .filter(|r| r.external)
                    .map(|r| match attr_local(e, b"anchor") {
                        Some(a) if !r.target.contains('#') => format!("{}#{a}", r.target),
                        _ => r.target.clone(),
                    });
                if let Some(p) = self.paras.last_mut() {
                    let at = p.raw.text.len();
                    p.links_open.push((url, at));
                }
            }
            b"w:footnoteReference" | b"w:endnoteReference" if in_run && self.visible() => {
                let kind = if name == b"w:footnoteReference" {
                    RefKind::Footnote
                } else {
                    RefKind::Endnote
                };
                let id = attr_local(e, b"id").and_then(|v| v.trim().parse().ok());
                let custom = attr_local(e, b"customMarkFollows").is_some_and(|v| on(&v));
                if let Some(p) = self.paras.last_mut() {
                    let at = p.raw.text.len();
                    p.raw.markers.push(RawMarker {
                        kind,
                        id,
                        custom,
                        number: String::new(),
                        at,
                    });
                    if custom {
                        let idx = p.raw.markers.len() - 1;
                        if let Some(r) = p.run.as_mut() {
                            r.custom = Some(idx);
                        }
                    }
                }
            }
            b"w:footnote" | b"w:endnote" => {
                self.note = attr_local(e, b"id").and_then(|v| v.trim().parse().ok());
            }
            _ => {}
        }
        if empty {
            self.finish(&name)
        } else {
            self.stack.push(name);
            Ok(())
        }
    }

    fn end(&mut self) -> Result<(), DocxError> {
        let Some(name) = self.stack.pop() else {
            return Ok(());
        };
        if let Some(from) = self.skip_from {
            if self.stack.len() == from {
                self.skip_from = None;
            }
            return Ok(());
        }
        self.finish(&name)
    }

    /// What happens when an element closes.
    fn finish(&mut self, name: &[u8]) -> Result<(), DocxError> {
        match name {
            b"w:p" => self.end_para()?,
            b"w:r" => self.end_run(),
            b"w:hyperlink" => {
                if let Some(p) = self.paras.last_mut()
                    && let Some((url, start)) = p.links_open.pop()
                {
                    let end = p.raw.text.len();
                    if let Some(url) = url
                        && end > start
                    {
                        p.raw.links.push(Hyperlink {
                            url,
                            range: start..end,
                        });
                    }
                }
            }
            b"w:fldSimple" => self.end_field(),
            b"w:footnote" | b"w:endnote" => self.note = None,
            _ => {}
        }
        Ok(())
    }
}

fn on(v: &str) -> bool {
    !matches!(v.trim(), "0" | "false" | "off")
}

/// "heading 3" / "heading3" / "Heading3" → 3.
fn heading_level(name: &str) -> Option<u8> {
    let rest = name.strip_prefix("heading")?.trim();
    let n: u8 = rest.parse().ok()?;
    (1..=9).contains(&n).then_some(n)
}

fn is_quote_style(name: &str) -> bool {
    let n = name.replace(' ', "");
    n.contains("quote")
        || n.contains("quotation")
        || n == "blocktext"
        || n.starts_with("zitat")
        || n == "citation"
        || n == "citazione"
        || n == "cita"
        || n == "cytat"
}

/// `w:sym`: the character, mapping the Symbol font's Greek letters; other
/// symbol-font codes (private use area F0xx) are kept as they are.
fn sym_char(e: &BytesStart<'_>) -> Option<char> {
    let code = u32::from_str_radix(attr_local(e, b"char")?.trim(), 16).ok()?;
    let font = attr_local(e, b"font")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let low = code & 0xFF;
    if font == "symbol" && !(0x100..0xF000).contains(&code) {
        const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
        const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
        let mapped = match low {
            0x41..=0x5A => UPPER.chars().nth((low - 0x41) as usize),
            0x61..=0x7A => LOWER.chars().nth((low - 0x61) as usize),
            0x20..=0x40 => char::from_u32(low),
            0xB7 => Some('•'),
            0xAE => Some('→'),
            0xB4 => Some('×'),
            _ => None,
        };
        if mapped.is_some() {
            return mapped;
        }
    }
    char::from_u32(code)
}
