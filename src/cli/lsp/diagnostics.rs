//! Findings as the protocol's diagnostics, one list per file: code = the
//! rule's code, the hint under the message, the rule's `--explain` summary
//! in `data`, and the entry a finding is about as related information.

use std::collections::BTreeMap;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Url,
};

use super::position::LineIndex;
use super::project::{Project, Snapshot};
use crate::audit::{Finding, Severity};

/// Every file's diagnostics, by root-relative path. A finding with no
/// place is shown at the start of the main file.
pub fn by_file(project: &Project) -> BTreeMap<String, Vec<Diagnostic>> {
    let last = &project.last;
    let mut files: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for finding in &last.findings {
        let file = finding
            .span
            .as_ref()
            .map_or(project.main(), |s| s.file.as_str());
        // A finding in a package's file has no place in the project.
        if file.starts_with('@') {
            continue;
        }
        files
            .entry(file.to_string())
            .or_default()
            .push(diagnostic(project, last, finding));
    }
    files
}

pub fn diagnostic(project: &Project, last: &Snapshot, finding: &Finding) -> Diagnostic {
    let range = finding
        .span
        .as_ref()
        .and_then(|span| {
            let text = last.texts.get(&span.file)?;
            Some(LineIndex::new(text).range(&span.range))
        })
        .unwrap_or_default();
    let mut message = finding.message.clone();
    if let Some(hint) = &finding.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    let related = finding
        .key
        .as_deref()
        .and_then(|key| last.bibliography.get(key))
        .filter(|entry| {
            // Not the entry the diagnostic already stands on.
            finding
                .span
                .as_ref()
                .is_none_or(|s| s.file != entry.span.file)
        })
        .and_then(|entry| {
            let text = last.texts.get(&entry.span.file)?;
            let uri = Url::from_file_path(project.absolute(&entry.span.file)).ok()?;
            Some(vec![DiagnosticRelatedInformation {
                location: Location::new(uri, LineIndex::new(text).range(&entry.span.range)),
                message: format!("the entry `{}`", entry.key),
            }])
        });
    let doc = finding.rule.doc();
    Diagnostic {
        range,
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.code().to_string())),
        code_description: None,
        source: Some("ibid".into()),
        message,
        related_information: related,
        tags: None,
        data: Some(serde_json::json!({
            "rule": finding.rule.code(),
            "explain": doc.summary,
            "fixable": finding.fix.as_ref().is_some_and(|f| f.blocked.is_none()),
        })),
    }
}
