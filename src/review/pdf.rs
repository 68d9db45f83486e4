//! The annotated PDF: the thesis as Typst exported it, with a summary page
//! in front and each placed finding as a highlight annotation (with its
//! pop-up note: rule, message, hint) coloured by severity — what every PDF
//! reader lists in its comment panel. Typst 0.15 writes no annotations but
//! links, so the exported PDF is post-processed with lopdf.

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat, dictionary};

use super::{Placed, Tally};
use crate::audit::Severity;

/// Why the PDF could not be annotated.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("cannot read the PDF Typst exported: {0}")]
    Read(lopdf::Error),
    #[error("the PDF Typst exported has no page tree: {0}")]
    Structure(lopdf::Error),
    #[error("cannot write the annotated PDF: {0}")]
    Write(std::io::Error),
}

/// What the summary page says.
pub struct Summary<'a> {
    pub title: &'a str,
    pub total: Tally,
    pub chapters: &'a [(String, Tally)],
    pub rules: &'a [(&'a str, Tally)],
}

/// Annotates `pdf` (pages as in the document model: page sizes from
/// `page_sizes`) and puts the summary page first. Returns the new PDF.
pub fn annotate(
    pdf: &[u8],
    placed: &[Placed],
    page_sizes: &[(f64, f64)],
    summary: &Summary,
) -> Result<Vec<u8>, AnnotateError> {
    let mut doc = Pdf::load_mem(pdf).map_err(AnnotateError::Read)?;
    let pages = doc.get_pages();
    for (n, item) in placed.iter().enumerate() {
        let Some(at) = item.at else { continue };
        let (Some(&page_id), Some(&(_, height))) =
            (pages.get(&(at.page as u32)), page_sizes.get(at.page - 1))
        else {
            continue;
        };
        let finding = item.finding;
        // Around the place: the marker (or the first letters of a line),
        // from a little above the baseline to a little below.
        let (x, y) = (at.x, height - at.y);
        let rect = [x - 2.0, y - 4.0, x + 14.0, y + 10.0];
        let mut contents = format!("{}: {}", finding.rule.code(), finding.message);
        if let Some(hint) = &finding.hint {
            contents.push_str("\nhint: ");
            contents.push_str(hint);
        }
        let color = color(finding.severity);
        let highlight_id = doc.new_object_id();
        let popup_id = doc.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Popup",
            "Rect" => rect_object([rect[2] + 4.0, rect[1] - 80.0, rect[2] + 204.0, rect[3]]),
            "Parent" => Object::Reference(highlight_id),
            "Open" => false,
        });
        let highlight = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Highlight",
            "Rect" => rect_object(rect),
            "QuadPoints" => rect_object([rect[0], rect[3], rect[2], rect[3], rect[0], rect[1], rect[2], rect[1]]),
            "C" => color.iter().map(|&c| Object::Real(c)).collect::<Vec<_>>(),
            "CA" => Object::Real(0.5),
            "T" => text(&format!("ibid · {}", finding.severity.as_str())),
            "Subj" => text(finding.rule.code()),
            "Contents" => text(&contents),
            "NM" => text(&format!("ibid-{n}-{}", finding.rule.code())),
            "F" => 4,
            "P" => Object::Reference(page_id),
            "Popup" => Object::Reference(popup_id),
        };
        doc.objects
            .insert(highlight_id, Object::Dictionary(highlight));
        add_to_page(&mut doc, page_id, &[highlight_id, popup_id])?;
    }
    let first_size = page_sizes.first().copied().unwrap_or((595.0, 842.0));
    insert_summary_page(&mut doc, summary, first_size)?;
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(AnnotateError::Write)?;
    Ok(out)
}

/// An annotation's colour: red for errors, orange for warnings, blue for
/// infos.
fn color(severity: Severity) -> [f32; 3] {
    match severity {
        Severity::Error => [0.93, 0.2, 0.2],
        Severity::Warning => [1.0, 0.65, 0.0],
        Severity::Info => [0.3, 0.6, 1.0],
    }
}

fn rect_object<const N: usize>(values: [f64; N]) -> Vec<Object> {
    values.iter().map(|&v| Object::Real(v as f32)).collect()
}

/// A PDF text string: UTF-16BE with its byte-order mark, for any script.
fn text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Adds annotations to a page's `/Annots` (an array on the page, or one it
/// refers to).
fn add_to_page(doc: &mut Pdf, page_id: ObjectId, ids: &[ObjectId]) -> Result<(), AnnotateError> {
    let refs = ids.iter().map(|&id| Object::Reference(id));
    let annots = doc
        .get_dictionary(page_id)
        .map_err(AnnotateError::Structure)?
        .get(b"Annots")
        .ok()
        .cloned();
    match annots {
        Some(Object::Reference(array_id)) => {
            if let Ok(Object::Array(array)) = doc.get_object_mut(array_id) {
                array.extend(refs);
            }
        }
        Some(Object::Array(mut array)) => {
            array.extend(refs);
            doc.get_dictionary_mut(page_id)
                .map_err(AnnotateError::Structure)?
                .set("Annots", array);
        }
        _ => {
            doc.get_dictionary_mut(page_id)
                .map_err(AnnotateError::Structure)?
                .set("Annots", refs.collect::<Vec<_>>());
        }
    }
    Ok(())
}

/// Puts a page with the audit's summary before the first page.
fn insert_summary_page(
    doc: &mut Pdf,
    summary: &Summary,
    (width, height): (f64, f64),
) -> Result<(), AnnotateError> {
    let pages_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(AnnotateError::Structure)?;
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let bold = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let mono = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Courier",
        "Encoding" => "WinAnsiEncoding",
    });
    let content = summary_content(summary, height);
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => Object::Reference(pages_id),
        "MediaBox" => rect_object([0.0, 0.0, width, height]),
        "Resources" => dictionary! {
            "Font" => dictionary! {
                "F1" => Object::Reference(font),
                "F2" => Object::Reference(bold),
                "F3" => Object::Reference(mono),
            },
        },
        "Contents" => Object::Reference(content_id),
    });
    let pages = doc
        .get_dictionary_mut(pages_id)
        .map_err(AnnotateError::Structure)?;
    let count = pages.get(b"Count").and_then(Object::as_i64).unwrap_or(0);
    pages.set("Count", count + 1);
    if let Ok(Object::Array(kids)) = pages.get_mut(b"Kids") {
        kids.insert(0, Object::Reference(page_id));
    }
    Ok(())
}

/// The summary page's content stream: a title, the totals, a table by
/// chapter and one by rule.
fn summary_content(summary: &Summary, height: f64) -> String {
    let margin = 56.0;
    let mut lines: Vec<(&str, f64, String)> = vec![
        ("F2", 16.0, format!("Citation audit: {}", summary.title)),
        ("F1", 10.0, String::new()),
        (
            "F1",
            11.0,
            format!(
                "{} findings: {} errors, {} warnings, {} infos. Each is a comment on its page.",
                summary.total.total(),
                summary.total.errors,
                summary.total.warnings,
                summary.total.infos
            ),
        ),
        ("F1", 10.0, String::new()),
        ("F2", 12.0, "By chapter".into()),
    ];
    let row = |name: &str, t: &Tally| {
        format!(
            "{:<48} {:>4} {:>4} {:>4}",
            truncate(name, 48),
            t.errors,
            t.warnings,
            t.infos
        )
    };
    let header = format!("{:<48} {:>4} {:>4} {:>4}", "", "err", "warn", "info");
    lines.push(("F3", 8.0, header.clone()));
    for (chapter, tally) in summary.chapters {
        lines.push(("F3", 8.0, row(chapter, tally)));
    }
    lines.push(("F1", 10.0, String::new()));
    lines.push(("F2", 12.0, "By rule".into()));
    lines.push(("F3", 8.0, header));
    for (rule, tally) in summary.rules {
        lines.push(("F3", 8.0, row(rule, tally)));
    }
    let mut out = String::from("BT\n");
    let mut y = height - margin;
    for (font, size, text) in lines {
        y -= size * 1.5;
        if y < margin {
            break;
        }
        out.push_str(&format!(
            "/{font} {size} Tf 1 0 0 1 {margin} {y:.1} Tm ({}) Tj\n",
            pdf_literal(&text)
        ));
    }
    out.push_str("ET\n");
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(width - 3).collect::<String>())
    }
}

/// A string for a WinAnsi-encoded literal: characters outside Latin-1
/// become `?` (the standard fonts have no Chinese), parentheses and
/// backslashes escaped.
fn pdf_literal(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            '–' | '—' => "-".into(),
            '“' | '”' => "\"".into(),
            '‘' | '’' => "'".into(),
            c if (c as u32) < 0x80 => c.to_string(),
            c if (c as u32) < 0x100 => format!("\\{:03o}", c as u32),
            _ => "?".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pdf_literal;

    #[test]
    fn summary_text_is_escaped_for_a_pdf_literal() {
        assert_eq!(pdf_literal("a (b) \\ c"), "a \\(b\\) \\\\ c");
        assert_eq!(pdf_literal("Dikötter 大"), "Dik\\366tter ?");
    }
}
