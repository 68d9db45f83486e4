//! The walker's writing side: text read into runs with their format and
//! emitted into the paragraph, and a run, a paragraph, a field ended (where
//! footnote calls, field citations and quotation styles are settled).

use super::*;

impl Walker<'_, '_> {
    pub(super) fn text(&mut self, t: &str, xml: &Xml<'_>) -> Result<(), DocxError> {
        if self.skip_from.is_some() {
            return Ok(());
        }
        self.text_bytes = self.text_bytes.saturating_add(t.len());
        if self.text_bytes as u64 > self.ctx.limits.max_part_bytes {
            return Err(DocxError::PartTooLarge {
                part: xml.part().to_string(),
                limit: self.ctx.limits.max_part_bytes,
            });
        }
        match self.parent() {
            b"w:t" | b"m:t" => self.emit(t),
            b"w:instrText" => {
                if let Some(f) = self.fields.last_mut()
                    && f.result.is_none()
                {
                    f.instr.push_str(t);
                }
            }
            b"w:fldData" => {
                if let Some(f) = self.fields.last_mut() {
                    f.fld_data.push_str(t);
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn run_mut(&mut self) -> Option<&mut RunState> {
        self.paras.last_mut().and_then(|p| p.run.as_mut())
    }

    /// (paragraph serial, byte offset) of the current end of text.
    pub(super) fn cursor(&self) -> (usize, usize) {
        self.paras
            .last()
            .map(|p| (p.raw.serial, p.raw.text.len()))
            .unwrap_or((0, 0))
    }

    /// Effective italic, superscript and size of the current run.
    pub(super) fn run_format(&self) -> (bool, bool, u32) {
        let styles = self.ctx.styles;
        let Some(p) = self.paras.last() else {
            return (false, false, styles.body_size());
        };
        let pstyle = p.style.as_deref();
        let run = p.run.as_ref();
        let cstyle = run.and_then(|r| r.style.as_deref());
        let italic = run
            .and_then(|r| r.italic)
            .or_else(|| cstyle.and_then(|s| styles.chain(s, |st| st.italic)))
            .or_else(|| pstyle.and_then(|s| styles.chain(s, |st| st.italic)))
            .unwrap_or(styles.default_italic);
        let sup = run
            .and_then(|r| r.superscript)
            .or_else(|| cstyle.and_then(|s| styles.chain(s, |st| st.superscript)))
            .or_else(|| {
                cstyle.map(|s| {
                    styles
                        .names(s)
                        .iter()
                        .any(|n| n.contains("note reference") || n.contains("notereference"))
                })
            })
            .unwrap_or(false);
        let size = run
            .and_then(|r| r.size)
            .or_else(|| cstyle.and_then(|s| styles.chain(s, |st| st.size)))
            .or_else(|| pstyle.and_then(|s| styles.chain(s, |st| st.size)))
            .unwrap_or_else(|| styles.body_size());
        (italic, sup, size)
    }

    pub(super) fn emit(&mut self, s: &str) {
        if !self.visible() {
            return;
        }
        let (italic, sup, size) = self.run_format();
        let in_field = !self.fields.is_empty();
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        if let Some(r) = p.run.as_mut() {
            if let Some(i) = r.custom.or(p.pending_custom) {
                if let Some(m) = p.raw.markers.get_mut(i) {
                    m.number.push_str(s);
                }
                r.custom = Some(i);
                p.pending_custom = None;
                return;
            }
            r.has_text = true;
            if sup && !in_field {
                r.sup_buf.push_str(s);
                return;
            }
        } else if let Some(i) = p.pending_custom {
            if let Some(m) = p.raw.markers.get_mut(i) {
                m.number.push_str(s);
            }
            p.pending_custom = None;
            return;
        }
        p.max_size = Some(p.max_size.map_or(size, |m| m.max(size)));
        p.raw.push(s, italic);
    }

    pub(super) fn end_run(&mut self) {
        let (italic, _, size) = self.run_format();
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        let Some(run) = p.run.take() else {
            return;
        };
        if let Some(i) = run.custom {
            let empty = p.raw.markers.get(i).is_none_or(|m| m.number.is_empty());
            if empty {
                p.pending_custom = Some(i);
            }
        }
        if run.sup_buf.is_empty() {
            return;
        }
        let buf = run.sup_buf;
        let digits = buf.len() <= 3 && buf.bytes().all(|b| b.is_ascii_digit());
        let after_digit = p
            .raw
            .text
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_digit());
        let at = p.raw.text.len();
        if digits && !after_digit {
            // Split superscript runs ("1" "2") make one marker.
            if let Some(m) = p.raw.markers.last_mut()
                && m.kind == RefKind::Plain
                && m.at == at
            {
                m.number.push_str(&buf);
                return;
            }
            p.raw.markers.push(RawMarker {
                kind: RefKind::Plain,
                id: None,
                custom: false,
                number: buf,
                at,
            });
        } else {
            p.max_size = Some(p.max_size.map_or(size, |m| m.max(size)));
            p.raw.push(&buf, italic);
        }
    }

    pub(super) fn end_para(&mut self) -> Result<(), DocxError> {
        if self.paras.last().is_some_and(|p| p.run.is_some()) {
            self.end_run();
        }
        let Some(mut p) = self.paras.pop() else {
            return Ok(());
        };
        let styles = self.ctx.styles;
        let names = p
            .style
            .as_deref()
            .map(|s| styles.names(s))
            .unwrap_or_default();
        let outline = p.outline.or_else(|| {
            p.style
                .as_deref()
                .and_then(|s| styles.chain(s, |st| st.outline))
        });
        let by_name = names.iter().find_map(|n| heading_level(n));
        let heading = by_name.or(outline.filter(|l| *l < 9).map(|l| l + 1));
        p.raw.heading = heading;
        let quote_name = names.iter().any(|n| is_quote_style(n));
        let left = p
            .ind_left
            .or_else(|| {
                p.style
                    .as_deref()
                    .and_then(|s| styles.chain(s, |st| st.ind_left))
            })
            .unwrap_or(0);
        let right = p
            .ind_right
            .or_else(|| {
                p.style
                    .as_deref()
                    .and_then(|s| styles.chain(s, |st| st.ind_right))
            })
            .unwrap_or(0);
        let smaller = p.max_size.is_some_and(|s| s < styles.body_size());
        let indented = left >= QUOTE_INDENT
            && (right >= QUOTE_INDENT || smaller)
            && !p.numbered
            && !p.hanging
            && !p.raw.text.trim().is_empty();
        p.raw.block_quote = heading.is_none() && (quote_name || indented);
        self.out.push(p.raw);
        if self.out.len() > self.ctx.limits.max_paragraphs {
            return Err(DocxError::TooMany {
                what: if self.note.is_some() {
                    "note paragraphs"
                } else {
                    "paragraphs"
                },
                limit: self.ctx.limits.max_paragraphs,
            });
        }
        Ok(())
    }

    pub(super) fn end_field(&mut self) {
        let Some(frame) = self.fields.pop() else {
            return;
        };
        let data = frame.en_data.clone().or_else(|| {
            (!frame.fld_data.trim().is_empty())
                .then(|| endnote_data_xml(&frame.fld_data))
                .flatten()
        });
        let kind = classify(&frame.instr, data.as_deref(), self.ctx.limits);
        let range_of = |w: &mut Self| -> Option<(usize, Range<usize>)> {
            let (serial, start) = frame.result?;
            let (cur_serial, cur) = w.cursor();
            if serial == cur_serial {
                return Some((serial, start..cur.max(start)));
            }
            let len = w.para_by_serial(serial)?.text.len();
            Some((serial, start..len.max(start)))
        };
        match kind {
            FieldKind::EndNoteData => {
                if let Some(parent) = self.fields.last_mut() {
                    parent.en_data = endnote_data_xml(&frame.fld_data);
                }
            }
            FieldKind::Hyperlink(url) => {
                if let Some((serial, range)) = range_of(self)
                    && let Some(p) = self.para_by_serial(serial)
                    && !range.is_empty()
                {
                    p.links.push(Hyperlink { url, range });
                }
            }
            FieldKind::Citation(manager, items) => {
                let (serial, range) = range_of(self).unwrap_or_else(|| {
                    let (s, at) = self.cursor();
                    (s, at..at)
                });
                if let Some(p) = self.para_by_serial(serial) {
                    p.fields.push(FieldCitation {
                        manager,
                        range,
                        items,
                    });
                }
            }
            FieldKind::BrokenCitation(manager, why) => {
                self.warnings.push(format!(
                    "a {manager:?} citation field could not be read: {why}"
                ));
            }
            FieldKind::Other => {}
        }
    }

    pub(super) fn para_by_serial(&mut self, serial: usize) -> Option<&mut RawPara> {
        if let Some(i) = self.paras.iter().rposition(|p| p.raw.serial == serial) {
            return self.paras.get_mut(i).map(|p| &mut p.raw);
        }
        self.out.iter_mut().rev().find(|p| p.serial == serial)
    }
}
