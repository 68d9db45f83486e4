//! `word/styles.xml` (what a style makes italic, superscript, a heading, a
//! quotation) and `word/settings.xml` (note numbering formats).

use std::collections::HashMap;

use super::xml::{Ev, Xml, attr_local, on_off};
use super::{DocxError, Limits};

/// How far a `basedOn` chain is followed (Word itself stops at about 10).
const MAX_CHAIN: usize = 16;

#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    pub(crate) name: String,
    pub(crate) based_on: Option<String>,
    pub(crate) italic: Option<bool>,
    pub(crate) superscript: Option<bool>,
    /// Font size in half-points.
    pub(crate) size: Option<u32>,
    pub(crate) outline: Option<u8>,
    pub(crate) ind_left: Option<i64>,
    pub(crate) ind_right: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Styles {
    pub(crate) by_id: HashMap<String, Style>,
    pub(crate) default_italic: bool,
    pub(crate) default_size: Option<u32>,
    pub(crate) default_para: Option<String>,
}

impl Styles {
    /// Walks the `basedOn` chain of `id` (bounded, cycle-safe) until `f`
    /// answers.
    pub(crate) fn chain<T>(&self, id: &str, f: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut cur = Some(id.to_string());
        for _ in 0..MAX_CHAIN {
            let style = self.by_id.get(cur.as_deref()?)?;
            if let Some(v) = f(style) {
                return Some(v);
            }
            cur = style.based_on.clone();
        }
        None
    }

    pub(crate) fn names(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_ascii_lowercase()];
        let mut cur = Some(id.to_string());
        for _ in 0..MAX_CHAIN {
            let Some(style) = cur.as_deref().and_then(|c| self.by_id.get(c)) else {
                break;
            };
            out.push(style.name.to_lowercase());
            cur = style.based_on.clone();
            if let Some(b) = &cur {
                out.push(b.to_ascii_lowercase());
            }
        }
        out
    }

    /// Body text size: the default paragraph style's, else the document
    /// default, else Word's 10 pt.
    pub(crate) fn body_size(&self) -> u32 {
        self.default_para
            .as_deref()
            .and_then(|id| self.chain(id, |s| s.size))
            .or(self.default_size)
            .unwrap_or(20)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    None,
    Style,
    StyleRpr,
    StylePpr,
    DefaultRpr,
}

pub(crate) fn parse_styles(bytes: &[u8], part: &str, limits: &Limits) -> Result<Styles, DocxError> {
    let mut xml = Xml::new(bytes, part, limits.max_depth);
    let mut styles = Styles::default();
    let mut cur: Option<(String, Style)> = None;
    let mut stack: Vec<Vec<u8>> = Vec::new();
    loop {
        let (e, empty) = match xml.next()? {
            Ev::Start(e) => (e, false),
            Ev::Empty(e) => (e, true),
            Ev::End => {
                if let Some(name) = stack.pop()
                    && name == b"w:style"
                    && let Some((id, s)) = cur.take()
                {
                    styles.by_id.insert(id, s);
                    if styles.by_id.len() > super::MAX_DEFS {
                        return Err(DocxError::TooMany {
                            what: "styles",
                            limit: super::MAX_DEFS,
                        });
                    }
                }
                continue;
            }
            Ev::Text(_) => continue,
            Ev::Eof => return Ok(styles),
        };
        let name = e.name().as_ref().to_vec();
        let ctx = context(&stack);
        match (ctx, name.as_slice()) {
            (_, b"w:style") => {
                let id = attr_local(&e, b"styleId").unwrap_or_default();
                let is_default_para = attr_local(&e, b"type").as_deref() == Some("paragraph")
                    && attr_local(&e, b"default").is_some_and(|v| v == "1" || v == "true");
                if is_default_para {
                    styles.default_para = Some(id.clone());
                }
                cur = Some((id, Style::default()));
            }
            (Ctx::Style, b"w:name") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.name = attr_local(&e, b"val").unwrap_or_default();
                }
            }
            (Ctx::Style, b"w:basedOn") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.based_on = attr_local(&e, b"val");
                }
            }
            (Ctx::StyleRpr, b"w:i") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.italic = Some(on_off(&e));
                }
            }
            (Ctx::StyleRpr, b"w:vertAlign") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.superscript = Some(attr_local(&e, b"val").as_deref() == Some("superscript"));
                }
            }
            (Ctx::StyleRpr, b"w:sz") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.size = attr_local(&e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            (Ctx::StylePpr, b"w:outlineLvl") => {
                if let Some((_, s)) = cur.as_mut() {
                    s.outline = attr_local(&e, b"val").and_then(|v| v.trim().parse().ok());
                }
            }
            (Ctx::StylePpr, b"w:ind") => {
                if let Some((_, s)) = cur.as_mut() {
                    let (l, r) = indents(&e);
                    s.ind_left = l.or(s.ind_left);
                    s.ind_right = r.or(s.ind_right);
                }
            }
            (Ctx::DefaultRpr, b"w:i") => styles.default_italic = on_off(&e),
            (Ctx::DefaultRpr, b"w:sz") => {
                styles.default_size = attr_local(&e, b"val").and_then(|v| v.trim().parse().ok())
            }
            _ => {}
        }
        if !empty {
            stack.push(name);
        } else if name == b"w:style"
            && let Some((id, s)) = cur.take()
        {
            styles.by_id.insert(id, s);
        }
    }
}

fn context(stack: &[Vec<u8>]) -> Ctx {
    let n = stack.len();
    let last = stack.last().map(|v| v.as_slice());
    let prev = if n >= 2 {
        stack.get(n - 2).map(|v| v.as_slice())
    } else {
        None
    };
    match (prev, last) {
        (_, Some(b"w:style")) => Ctx::Style,
        (Some(b"w:style"), Some(b"w:rPr")) => Ctx::StyleRpr,
        (Some(b"w:style"), Some(b"w:pPr")) => Ctx::StylePpr,
        (Some(b"w:rPrDefault"), Some(b"w:rPr")) => Ctx::DefaultRpr,
        _ => Ctx::None,
    }
}

/// Left and right indents in twips (`w:left`/`w:start`, `w:right`/`w:end`).
pub(crate) fn indents(e: &quick_xml::events::BytesStart<'_>) -> (Option<i64>, Option<i64>) {
    let num = |k: &[u8]| attr_local(e, k).and_then(|v| v.trim().parse::<i64>().ok());
    (
        num(b"left").or_else(|| num(b"start")),
        num(b"right").or_else(|| num(b"end")),
    )
}

/// Note numbering: format and start, for footnotes and endnotes.
#[derive(Debug, Clone)]
pub(crate) struct NotePr {
    pub(crate) fmt: String,
    pub(crate) start: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct NoteSettings {
    pub(crate) footnote: NotePr,
    pub(crate) endnote: NotePr,
}

impl Default for NoteSettings {
    fn default() -> Self {
        NoteSettings {
            footnote: NotePr {
                fmt: "decimal".into(),
                start: 1,
            },
            // ECMA-376 §17.11.17: endnotes default to lower-case Roman numerals.
            endnote: NotePr {
                fmt: "lowerRoman".into(),
                start: 1,
            },
        }
    }
}

impl NoteSettings {
    /// Applies a `w:numFmt`/`w:numStart` met inside `w:footnotePr`/`w:endnotePr`.
    pub(crate) fn apply(&mut self, parent: &[u8], child: &[u8], val: Option<String>) {
        let target = match parent {
            b"w:footnotePr" => &mut self.footnote,
            b"w:endnotePr" => &mut self.endnote,
            _ => return,
        };
        let Some(val) = val else { return };
        match child {
            b"w:numFmt" => target.fmt = val,
            b"w:numStart" => {
                if let Ok(n) = val.trim().parse::<u32>() {
                    target.start = n.clamp(1, 100_000);
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn parse_settings(
    bytes: &[u8],
    part: &str,
    limits: &Limits,
    into: &mut NoteSettings,
) -> Result<(), DocxError> {
    let mut xml = Xml::new(bytes, part, limits.max_depth);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    loop {
        match xml.next()? {
            Ev::Start(e) => {
                stack.push(e.name().as_ref().to_vec());
            }
            Ev::Empty(e) => {
                if let Some(parent) = stack.last() {
                    into.apply(parent, e.name().as_ref(), attr_local(&e, b"val"));
                }
            }
            Ev::End => {
                stack.pop();
            }
            Ev::Text(_) => {}
            Ev::Eof => return Ok(()),
        }
    }
}

/// Formats note number `n` in a `w:numFmt` format.
pub(crate) fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "chicago" => {
            let syms = ['*', '†', '‡', '§'];
            let i = (n.max(1) - 1) as usize;
            let sym = syms.get(i % 4).copied().unwrap_or('*');
            std::iter::repeat_n(sym, i / 4 + 1).collect()
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Word's letter numbering: A..Z, then AA..ZZ, AAA...
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".into();
    }
    let i = n - 1;
    let ch = (b'A' + (i % 26) as u8) as char;
    std::iter::repeat_n(ch, (i / 26 + 1).min(100) as usize).collect()
}
