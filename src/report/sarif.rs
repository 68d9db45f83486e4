//! Findings as SARIF 2.1.0, for code-scanning services: one run, the rules
//! that fired described in the driver, one result per finding with
//! `ruleId` = the rule code.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Emitter, Report};
use crate::audit::{Finding, Rule, Severity};

pub struct Sarif;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(rule: Rule) -> Value {
    let doc = rule.doc();
    json!({
        "id": rule.code(),
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": doc.what },
        "help": { "text": format!("{}\n\nWhy: {}\n\nExample:\n{}", doc.what, doc.why, doc.example) },
        "defaultConfiguration": { "level": level(rule.severity()) },
    })
}

fn result(finding: &Finding) -> Value {
    let mut message = finding.message.clone();
    if let Some(hint) = &finding.hint {
        message.push_str(&format!(" (hint: {hint})"));
    }
    let locations: Vec<Value> = finding
        .span
        .iter()
        .map(|span| {
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": span.file, "uriBaseId": "%SRCROOT%" },
                    "region": { "startLine": span.line, "startColumn": span.column },
                }
            })
        })
        .collect();
    json!({
        "ruleId": finding.rule.code(),
        "level": level(finding.severity),
        "message": { "text": message },
        "locations": locations,
    })
}

impl Emitter for Sarif {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let findings = report.findings;
        let rules: BTreeSet<Rule> = findings.iter().map(|f| f.rule).collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "ibid",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.into_iter().map(rule).collect::<Vec<_>>(),
                }},
                "results": findings.iter().map(result).collect::<Vec<_>>(),
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}
