//! A baseline: the findings an author and supervisor have looked at and
//! accepted, recorded so that CI reports only new ones (as eslint's and
//! golangci-lint's baselines do). Each finding is recorded by a fingerprint
//! of what it is about — its rule, entry, file, the text of its line and of
//! its span — not by its line number or footnote number, so that it
//! survives a paragraph or a note inserted above it. Identical fingerprints
//! are told apart by their order.
//!
//! The file is JSON (`ibid-baseline/1`), sorted, one finding a line, so that
//! its git diff reads well.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::Finding;

pub const SCHEMA: &str = "ibid-baseline/1";

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub file: Option<String>,
    pub rule: String,
    pub fingerprint: String,
    /// For the reader of the file; not compared.
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    schema: String,
    findings: Vec<Entry>,
}

/// Why a baseline file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}:{line}:{column}: not an ibid baseline: {message}")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: schema `{found}`, expected `{SCHEMA}`")]
    Schema { path: String, found: String },
}

impl BaselineError {
    pub fn hint(&self) -> &'static str {
        "write it again with `ibid audit --write-baseline FILE`"
    }
}

/// The fingerprint of each finding, in order. `text_of` gives a file's text
/// by its root-relative path.
pub fn fingerprints(findings: &[Finding], text_of: impl Fn(&str) -> Option<String>) -> Vec<String> {
    // Each file read once (a bibliography may be megabytes, with a finding
    // on every entry).
    let mut texts: HashMap<&str, Option<String>> = HashMap::new();
    for span in findings.iter().filter_map(|f| f.span.as_ref()) {
        texts
            .entry(span.file.as_str())
            .or_insert_with(|| text_of(&span.file));
    }
    let mut seen: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            let mut parts = vec![finding.rule.code(), finding.key.as_deref().unwrap_or("")];
            match &finding.span {
                Some(span) => {
                    parts.push(&span.file);
                    if let Some(Some(text)) = texts.get(span.file.as_str()) {
                        let start = span.range.start.min(text.len());
                        let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
                        let line_end = text[start..].find('\n').map_or(text.len(), |at| start + at);
                        parts.push(text[line_start..line_end].trim());
                        parts.push(text.get(span.range.clone()).unwrap_or(""));
                    }
                }
                // No place: the message is all there is.
                None => parts.push(&finding.message),
            }
            let hash = fnv1a(&parts);
            let n = seen.entry(hash).or_default();
            *n += 1;
            format!("{hash:016x}-{n}")
        })
        .collect()
}

/// FNV-1a over the parts, each ended by a zero byte: stable across
/// machines and versions, unlike the standard library's hasher.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The baseline of `findings`, written sorted, one finding a line.
pub fn write(findings: &[Finding], fingerprints: &[String], out: &mut dyn Write) -> io::Result<()> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .zip(fingerprints)
        .map(|(finding, fingerprint)| Entry {
            file: finding.span.as_ref().map(|s| s.file.clone()),
            rule: finding.rule.code().to_string(),
            fingerprint: fingerprint.clone(),
            message: finding.message.clone(),
        })
        .collect();
    entries.sort();
    writeln!(out, "{{\n  \"schema\": \"{SCHEMA}\",\n  \"findings\": [")?;
    for (i, entry) in entries.iter().enumerate() {
        let comma = if i + 1 < entries.len() { "," } else { "" };
        writeln!(out, "    {}{comma}", serde_json::to_string(entry)?)?;
    }
    writeln!(out, "  ]\n}}")
}

/// Reads a baseline file's text.
pub fn read(path: &str, text: &str) -> Result<Vec<Entry>, BaselineError> {
    let file: File = serde_json::from_str(text).map_err(|err| BaselineError::Malformed {
        path: path.to_string(),
        line: err.line(),
        column: err.column(),
        message: err.to_string(),
    })?;
    if file.schema != SCHEMA {
        return Err(BaselineError::Schema {
            path: path.to_string(),
            found: file.schema,
        });
    }
    Ok(file.findings)
}

/// The findings not in the baseline, and how many of the baseline's are no
/// longer found (fixed).
pub fn apply(
    findings: Vec<Finding>,
    fingerprints: &[String],
    baseline: &[Entry],
) -> (Vec<Finding>, usize) {
    let mut accepted: HashMap<(&str, &str), usize> = HashMap::new();
    for entry in baseline {
        *accepted
            .entry((entry.rule.as_str(), entry.fingerprint.as_str()))
            .or_default() += 1;
    }
    let mut new = Vec::new();
    for (finding, fingerprint) in findings.into_iter().zip(fingerprints) {
        match accepted.get_mut(&(finding.rule.code(), fingerprint.as_str())) {
            Some(n) if *n > 0 => *n -= 1,
            _ => new.push(finding),
        }
    }
    let fixed = accepted.values().sum();
    (new, fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Rule;
    use crate::audit::testing::finding_at;

    const TEXT: &str = "= One\n\nA.#footnote[Ibid.]\nB.#missing-source()\nC.#missing-source()\n";

    fn findings(text: &str) -> Vec<Finding> {
        vec![
            finding_at(Rule::AmbiguousIbid, "main.typ", text, "#footnote[Ibid.]"),
            finding_at(Rule::MissingSource, "main.typ", text, "B.#missing-source()"),
            finding_at(Rule::MissingSource, "main.typ", text, "C.#missing-source()"),
        ]
    }

    fn baseline_of(text: &str) -> Vec<Entry> {
        let found = findings(text);
        let prints = fingerprints(&found, |_| Some(text.to_string()));
        let mut out = Vec::new();
        write(&found, &prints, &mut out).unwrap();
        read("b.json", &String::from_utf8(out).unwrap()).unwrap()
    }

    #[test]
    fn a_paragraph_inserted_above_keeps_every_finding_in_the_baseline() {
        let baseline = baseline_of(TEXT);
        let edited = TEXT.replace("= One\n", "= One\n\nA new paragraph.\n\nAnd another.\n");
        let found = findings(&edited);
        assert_ne!(found[0].span.as_ref().unwrap().line, 3, "the lines moved");
        let prints = fingerprints(&found, |_| Some(edited.clone()));
        let (new, fixed) = apply(found, &prints, &baseline);
        assert!(new.is_empty(), "{new:?}");
        assert_eq!(fixed, 0);
    }

    #[test]
    fn a_fixed_finding_is_counted_and_a_new_one_reported() {
        let baseline = baseline_of(TEXT);
        let edited = TEXT.replace("B.#missing-source()", "B.@yang2007[p. 5]");
        let found = vec![
            finding_at(Rule::AmbiguousIbid, "main.typ", &edited, "#footnote[Ibid.]"),
            finding_at(Rule::UnknownKey, "main.typ", &edited, "@yang2007"),
            finding_at(
                Rule::MissingSource,
                "main.typ",
                &edited,
                "C.#missing-source()",
            ),
        ];
        let prints = fingerprints(&found, |_| Some(edited.clone()));
        let (new, fixed) = apply(found, &prints, &baseline);
        let rules: Vec<&str> = new.iter().map(|f| f.rule.code()).collect();
        assert_eq!(rules, ["unknown-key"]);
        assert_eq!(fixed, 1, "one missing source is fixed");
    }

    #[test]
    fn the_file_is_sorted_one_finding_a_line() {
        let found = findings(TEXT);
        let prints = fingerprints(&found, |_| Some(TEXT.to_string()));
        let mut out = Vec::new();
        write(&found, &prints, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3 + found.len() + 2, "{out}");
        assert!(lines[3].contains("\"rule\":\"ambiguous-ibid\""), "{out}");
        assert!(lines[4].contains("\"rule\":\"missing-source\""), "{out}");
        assert!(
            prints[1] != prints[2],
            "two identical-looking findings told apart"
        );
    }

    #[test]
    fn a_file_that_is_no_baseline_is_located() {
        let err = read("b.json", "{\n  \"schema\": 3\n}").unwrap_err();
        assert!(err.to_string().starts_with("b.json:2:"), "{err}");
        let err = read("b.json", "{\"schema\": \"other/1\", \"findings\": []}").unwrap_err();
        assert!(
            err.to_string().contains("expected `ibid-baseline/1`"),
            "{err}"
        );
    }
}
