//! Findings as Markdown, for a CI job summary (`$GITHUB_STEP_SUMMARY`) or a
//! pull-request comment: the counts, a table by rule, then every finding
//! with its place, grouped by severity.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::human::counts;
use super::{Emitter, Report};
use crate::audit::{Finding, Severity, Summary};

pub struct Markdown;

impl Emitter for Markdown {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let findings = report.findings;
        let summary = Summary::of(findings);
        writeln!(out, "## ibid audit\n")?;
        writeln!(out, "**{}**\n", counts(&summary))?;
        if findings.is_empty() {
            return writeln!(out, "No findings.");
        }
        let mut by_rule: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
        for finding in findings {
            by_rule
                .entry(finding.rule.code())
                .or_insert((finding.severity, 0))
                .1 += 1;
        }
        writeln!(out, "| rule | severity | findings |")?;
        writeln!(out, "| --- | --- | ---: |")?;
        for (rule, (severity, n)) in &by_rule {
            writeln!(out, "| `{rule}` | {} | {n} |", severity.as_str())?;
        }
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            let these: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
            if these.is_empty() {
                continue;
            }
            let title = match severity {
                Severity::Error => "Errors",
                Severity::Warning => "Warnings",
                Severity::Info => "Infos",
            };
            writeln!(out, "\n### {title}\n")?;
            for finding in these {
                let place = finding.span.as_ref().map_or(String::new(), |s| {
                    format!("`{}:{}:{}` ", s.file, s.line, s.column)
                });
                writeln!(
                    out,
                    "- {place}**{}**: {}",
                    finding.rule.code(),
                    inline(&finding.message)
                )?;
                if let Some(hint) = &finding.hint {
                    writeln!(out, "  - hint: {}", inline(hint))?;
                }
            }
        }
        Ok(())
    }
}

/// Text on one Markdown line, with what Markdown would read as markup
/// escaped (backticks are kept: the messages quote code in them).
fn inline(text: &str) -> String {
    let text = text.replace(":\n", ": ");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("; "),
            '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
