//! Findings printed the way Typst prints its diagnostics (codespan:
//! file:line:col, the source excerpt, hints), with the rule code, then a
//! summary line.

use std::collections::HashMap;
use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, DisplayStyle};

use super::excerpt::{self, Texts};
use super::groups;
use super::{Emitter, Report};
use crate::audit::{Finding, Severity, Summary};

/// Where the human renderer gets the text of the files findings point into.
pub trait SourceFiles {
    /// The name to print for a root-relative path, and the file's text.
    fn load(&self, path: &str) -> Option<(String, String)>;
}

/// Rich (`Human`) or one line per finding (`Short`), like `--diagnostic-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Human,
    Short,
}

pub struct Human<'a> {
    pub files: &'a dyn SourceFiles,
    pub style: Style,
    pub color: bool,
    /// The columns excerpts are trimmed to (see [`excerpt`]).
    pub width: usize,
    /// Each of many alike findings in full (by default they are one).
    pub verbose: bool,
}

impl Emitter for Human<'_> {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if self.style == Style::Human {
            by_rule(report.findings, out)?;
        }
        self.findings(report.findings, out)?;
        summary(report, out)
    }
}

/// The findings counted by rule, before the details; alike findings (the
/// same message of many entries) on one line with their places.
pub fn by_rule(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let groups = groups::group(findings);
    if groups.len() < 2 && groups.iter().all(|g| !g.collapsed()) {
        return Ok(());
    }
    writeln!(out, "by rule:")?;
    let mut rules: Vec<crate::audit::Rule> = Vec::new();
    for group in &groups {
        if !rules.contains(&group.rule) {
            rules.push(group.rule);
        }
    }
    for rule in rules {
        let of_rule: Vec<_> = groups.iter().filter(|g| g.rule == rule).collect();
        let n: usize = of_rule.iter().map(|g| g.members.len()).sum();
        writeln!(out, "  {:<26} {n}", rule.code())?;
        for group in of_rule.iter().filter(|g| g.collapsed()) {
            writeln!(
                out,
                "    {} × {}: {}",
                group.members.len(),
                group.pattern,
                groups::list(&group.places(), 8)
            )?;
        }
    }
    writeln!(out)
}

impl Human<'_> {
    /// The findings, without the summary line; many alike findings as their
    /// first, with the places of the others (each with `verbose`).
    pub fn findings(&self, findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
        let mut texts = Texts::counting_from_one();
        let mut ids: HashMap<String, Option<usize>> = HashMap::new();
        let mut hidden: HashMap<*const Finding, String> = HashMap::new();
        if !self.verbose && self.style == Style::Human {
            for group in groups::group(findings).iter().filter(|g| g.collapsed()) {
                let places = group.places();
                let more = format!(
                    "  = and {} more like it: {} (`--verbose` for each)\n\n",
                    group.members.len() - 1,
                    groups::list(&places[1..], 12)
                );
                let (first, rest) = group
                    .members
                    .split_first()
                    .expect("a collapsed group has members");
                hidden.insert(*first as *const Finding, more);
                for finding in rest {
                    hidden.insert(*finding as *const Finding, String::new());
                }
            }
        }
        for finding in findings {
            let more = hidden.get(&(finding as *const Finding));
            if more.is_some_and(String::is_empty) {
                continue;
            }
            let mut buffer = Vec::new();
            if self.color {
                self.render(finding, &mut texts, &mut ids, &mut Ansi::new(&mut buffer))?;
            } else {
                self.render(
                    finding,
                    &mut texts,
                    &mut ids,
                    &mut NoColor::new(&mut buffer),
                )?;
            }
            // codespan names the lowest severity "note"; ibid calls it
            // "info" everywhere else (the summary, JSON).
            if finding.severity == Severity::Info
                && let Some(at) = buffer.windows(5).position(|w| w == b"note[")
            {
                buffer[at..at + 4].copy_from_slice(b"info");
            }
            if let Some(more) = more {
                // Under the finding's own notes, before its blank line.
                if buffer.ends_with(b"\n\n") {
                    buffer.pop();
                }
                buffer.extend_from_slice(more.as_bytes());
            }
            out.write_all(&buffer)?;
        }
        Ok(())
    }

    fn render(
        &self,
        finding: &Finding,
        texts: &mut Texts,
        ids: &mut HashMap<String, Option<usize>>,
        out: &mut dyn WriteColor,
    ) -> io::Result<()> {
        let mut config = term::Config {
            tab_width: 2,
            ..Default::default()
        };
        if self.style == Style::Short {
            config.display_style = DisplayStyle::Short;
        }
        let label = finding.span.as_ref().and_then(|span| {
            let id = *ids.entry(span.file.clone()).or_insert_with(|| {
                self.files
                    .load(&span.file)
                    .map(|(name, text)| texts.add(name, text))
            });
            Some(Label::primary(id?, span.range.clone()))
        });
        let mut diagnostic = Diagnostic::new(severity(finding.severity))
            .with_code(finding.rule.code())
            .with_message(&finding.message)
            .with_labels(label.into_iter().collect());
        if let Some(hint) = &finding.hint {
            diagnostic = diagnostic.with_notes(vec![format!("hint: {hint}")]);
        }
        let located = finding.span.is_some() && diagnostic.labels.is_empty();
        if located && let Some(span) = &finding.span {
            // The file could not be read: still say where.
            writeln!(out, "{}:{}:{}:", span.file, span.line, span.column)?;
        }
        excerpt::emit(out, &config, texts, &diagnostic, self.width).map_err(io::Error::other)
    }
}

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// `audit: 9 errors, 3 warnings, 1 info`, then what the footnotes turned
/// out to be: `footnotes: 48 cite, 2 cite works the bibliography lacks, 6
/// cite nothing, 1 not read`.
pub fn summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "audit: {}", counts(&Summary::of(report.findings)))?;
    if report.notes.is_empty() {
        return Ok(());
    }
    writeln!(out, "footnotes: {}", outcomes(report.notes))
}

/// `48 cite, 2 cite works the bibliography lacks, 6 cite nothing, 1 not
/// read`: every outcome that occurs, in a fixed order.
pub fn outcomes(notes: &[crate::audit::NoteOutcome]) -> String {
    use crate::audit::matcher::Outcome;
    let count = |o: Outcome| notes.iter().filter(|n| n.outcome == o).count();
    let parts: Vec<String> = [
        (Outcome::Cites, "cite"),
        (Outcome::CitesUnknown, "cite works the bibliography lacks"),
        (Outcome::Legal, "cite legal authorities"),
        (Outcome::Link, "point to a site"),
        (Outcome::NoCitation, "cite nothing"),
        (Outcome::Unread, "not read"),
        (Outcome::MissingSource, "missing their source"),
    ]
    .into_iter()
    .filter_map(|(o, words)| Some(format!("{} {words}", count(o))).filter(|_| count(o) > 0))
    .collect();
    parts.join(", ")
}

/// `9 errors, 3 warnings, 1 info`.
pub fn counts(summary: &Summary) -> String {
    counts_since(summary, None)
}

/// `10 errors (−1), 5 warnings, 8 infos (+2)`: the counts, and how they
/// changed since `before` (`ibid watch`).
pub fn counts_since(now: &Summary, before: Option<&Summary>) -> String {
    let part = |n: usize, was: Option<usize>, word: &str| {
        let plural = if n == 1 { "" } else { "s" };
        match was.map(|w| n as i64 - w as i64) {
            Some(d) if d > 0 => format!("{n} {word}{plural} (+{d})"),
            Some(d) if d < 0 => format!("{n} {word}{plural} (−{})", -d),
            _ => format!("{n} {word}{plural}"),
        }
    };
    format!(
        "{}, {}, {}",
        part(now.errors, before.map(|b| b.errors), "error"),
        part(now.warnings, before.map(|b| b.warnings), "warning"),
        part(now.infos, before.map(|b| b.infos), "info")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_status_says_how_the_counts_changed() {
        let before = Summary {
            errors: 11,
            warnings: 5,
            infos: 6,
        };
        let now = Summary {
            errors: 10,
            warnings: 5,
            infos: 8,
        };
        assert_eq!(
            counts_since(&now, Some(&before)),
            "10 errors (−1), 5 warnings, 8 infos (+2)"
        );
        assert_eq!(counts(&now), "10 errors, 5 warnings, 8 infos");
        let one = Summary {
            errors: 1,
            warnings: 0,
            infos: 0,
        };
        assert_eq!(counts(&one), "1 error, 0 warnings, 0 infos");
    }
}
