//! Findings as JSON, schema `ibid-audit/1` (documented in the README):
//! `{schema, summary: {errors, warnings, infos}, findings: [{rule, severity,
//! message, hint, file, line, column, footnote, key}], notes: [{footnote,
//! outcome, cites, unknown, signs, file, line, column}]}`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Emitter, Report};
use crate::audit::{NoteOutcome, Summary};

pub const SCHEMA: &str = "ibid-audit/1";

pub struct Json;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    summary: Summary,
    findings: Vec<Row<'a>>,
    /// Every footnote's outcome (absent when the document did not compile).
    #[serde(skip_serializing_if = "<[NoteOutcome]>::is_empty")]
    notes: &'a [NoteOutcome],
}

#[derive(Serialize)]
struct Row<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    footnote: Option<&'a str>,
    key: Option<&'a str>,
}

impl Emitter for Json {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let findings = report.findings;
        let report = JsonReport {
            schema: SCHEMA,
            notes: report.notes,
            summary: Summary::of(findings),
            findings: findings
                .iter()
                .map(|f| Row {
                    rule: f.rule.code(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    hint: f.hint.as_deref(),
                    file: f.span.as_ref().map(|s| s.file.as_str()),
                    line: f.span.as_ref().map(|s| s.line),
                    column: f.span.as_ref().map(|s| s.column),
                    footnote: f.footnote.as_deref(),
                    key: f.key.as_deref(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)
    }
}
