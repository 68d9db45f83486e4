//! A guarded streaming XML reader over untrusted parts: refuses DOCTYPE
//! (no entity expansion is ever attempted), caps element nesting depth,
//! resolves only the predefined entities and character references, and turns
//! every parse failure into a `DocxError` naming the part and byte position.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::DocxError;

/// One simplified XML event. Names are qualified names as written (`w:p`).
pub(crate) enum Ev<'a> {
    Start(BytesStart<'a>),
    /// An empty element: `Start` and `End` at once.
    Empty(BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
    Eof,
}

pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    depth: usize,
    max_depth: usize,
}

impl<'a> Xml<'a> {
    pub(crate) fn new(bytes: &'a [u8], part: &'a str, max_depth: usize) -> Self {
        // A UTF-8 byte-order mark is allowed; quick-xml skips it.
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Xml {
            reader,
            part,
            depth: 0,
            max_depth,
        }
    }

    pub(crate) fn part(&self) -> &'a str {
        self.part
    }

    fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    pub(crate) fn malformed(&self, detail: impl Into<String>) -> DocxError {
        DocxError::Malformed {
            part: self.part.to_string(),
            position: self.position(),
            detail: detail.into(),
        }
    }

    pub(crate) fn next(&mut self) -> Result<Ev<'a>, DocxError> {
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    return Err(DocxError::Malformed {
                        part: self.part.to_string(),
                        position: self.reader.error_position(),
                        detail: e.to_string(),
                    });
                }
            };
            match event {
                Event::Start(s) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(DocxError::TooDeep {
                            part: self.part.to_string(),
                            limit: self.max_depth,
                            position: self.position(),
                        });
                    }
                    return Ok(Ev::Start(s));
                }
                Event::Empty(s) => return Ok(Ev::Empty(s)),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Ev::End);
                }
                Event::Text(t) => {
                    let s = t.decode().map_err(|e| self.malformed(e.to_string()))?;
                    if s.is_empty() {
                        continue;
                    }
                    return Ok(Ev::Text(s));
                }
                Event::CData(c) => {
                    let s = c.decode().map_err(|e| self.malformed(e.to_string()))?;
                    return Ok(Ev::Text(Cow::Owned(s.into_owned())));
                }
                Event::GeneralRef(r) => {
                    if let Some(ch) = r
                        .resolve_char_ref()
                        .map_err(|e| self.malformed(e.to_string()))?
                    {
                        return Ok(Ev::Text(Cow::Owned(ch.to_string())));
                    }
                    let name = r.decode().map_err(|e| self.malformed(e.to_string()))?;
                    match quick_xml::escape::resolve_xml_entity(&name) {
                        Some(s) => return Ok(Ev::Text(Cow::Borrowed(s))),
                        None => {
                            return Err(self.malformed(format!("undefined entity &{name};")));
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(DocxError::DocType {
                        part: self.part.to_string(),
                    });
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
                Event::Eof => {
                    if self.depth != 0 {
                        return Err(self.malformed("unexpected end of part"));
                    }
                    return Ok(Ev::Eof);
                }
            }
        }
    }
}

/// The value of attribute `name` (qualified, e.g. `w:val`), unescaped.
/// Attributes that fail to parse are treated as absent.
pub(crate) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == name {
            return a.unescape_value().ok().map(|v| v.into_owned());
        }
    }
    None
}

/// The value of attribute whose local name (after any prefix) is `local`.
pub(crate) fn attr_local(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return a.unescape_value().ok().map(|v| v.into_owned());
        }
    }
    None
}

/// A WordprocessingML on/off property (`<w:i/>`, `<w:i w:val="0"/>`).
pub(crate) fn on_off(e: &BytesStart<'_>) -> bool {
    match attr_local(e, b"val") {
        None => true,
        Some(v) => !matches!(v.trim(), "0" | "false" | "off" | "none"),
    }
}
