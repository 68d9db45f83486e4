//! The document snapshot: the model as deterministic text (for humans and
//! insta) or JSON (schema `ibid-snapshot/1`, described in the README).
//! Paths are relative to the project root and nothing depends on the time or
//! the machine, so CI can diff two snapshots.

use std::io::{self, Write};

use serde::Serialize;

use crate::audit::NoteOutcome;
use crate::document::{Document, SourceSpan};

/// The version of the JSON layout; bumped on any incompatible change.
pub const JSON_SCHEMA: &str = "ibid-snapshot/1";

/// Writes the snapshot as text, each footnote with its outcome (`cites`,
/// `no-citation`, …; `notes` gives them, in the footnotes' order).
pub fn text(doc: &Document, notes: &[NoteOutcome], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "pages: {}", doc.pages)?;
    writeln!(out, "outline: {} headings", doc.headings.len())?;
    for heading in &doc.headings {
        let indent = "  ".repeat(heading.level);
        let number = heading
            .number
            .as_deref()
            .map(|n| format!("{n} "))
            .unwrap_or_default();
        writeln!(
            out,
            "{indent}{number}{} (p. {})",
            heading.title, heading.page
        )?;
    }
    writeln!(out, "footnotes: {}", doc.footnotes.len())?;
    for (i, note) in doc.footnotes.iter().enumerate() {
        let outcome = notes
            .get(i)
            .map_or(note.kind.as_str(), |n| n.outcome.as_str());
        writeln!(
            out,
            "  [{}] p. {} {outcome} at {}",
            note.number,
            note.page,
            at(&note.span)
        )?;
        // A note of several paragraphs stays indented under its number.
        writeln!(out, "      {}", note.text.replace('\n', "\n      "))?;
        for cite in doc.citations_of(note) {
            let locator = bracketed(cite.locator.as_deref());
            writeln!(
                out,
                "      cites {}{} (group {}) at {}",
                cite.key,
                locator,
                cite.group,
                at(&cite.span)
            )?;
        }
    }
    let outside: Vec<_> = doc
        .citations
        .iter()
        .filter(|c| c.footnote.is_none())
        .collect();
    if !outside.is_empty() {
        writeln!(out, "citations outside footnotes: {}", outside.len())?;
        for cite in outside {
            let locator = bracketed(cite.locator.as_deref());
            writeln!(
                out,
                "  {}{} p. {} at {}",
                cite.key,
                locator,
                cite.page,
                at(&cite.span)
            )?;
        }
    }
    writeln!(out, "links: {}", doc.links.len())?;
    for link in &doc.links {
        let place = match link.footnote.and_then(|i| doc.footnotes.get(i)) {
            Some(note) => format!("footnote {}", note.number),
            None => format!("p. {}", link.page),
        };
        writeln!(out, "  {} ({place}) at {}", link.url, at(&link.span))?;
    }
    Ok(())
}

/// ` [p. 5]`, or nothing without a locator.
fn bracketed(locator: Option<&str>) -> String {
    locator.map(|l| format!(" [{l}]")).unwrap_or_default()
}

fn at(span: &Option<SourceSpan>) -> String {
    match span {
        Some(s) => format!("{}:{}:{}", s.file, s.line, s.column),
        None => "<generated>".into(),
    }
}

#[derive(Serialize)]
struct JsonSnapshot<'a> {
    schema: &'static str,
    #[serde(flatten)]
    document: &'a Document,
}

/// Writes the snapshot as pretty-printed JSON, each footnote with its
/// `outcome`.
pub fn json(doc: &Document, notes: &[NoteOutcome], out: &mut dyn Write) -> io::Result<()> {
    let mut value = serde_json::to_value(JsonSnapshot {
        schema: JSON_SCHEMA,
        document: doc,
    })?;
    if let Some(footnotes) = value["footnotes"].as_array_mut() {
        for (footnote, note) in footnotes.iter_mut().zip(notes) {
            footnote["outcome"] = note.outcome.as_str().into();
        }
    }
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
