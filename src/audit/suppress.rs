//! Inline suppressions, written in Typst comments next to what they
//! silence, as linters write them (ruff's `# noqa`, eslint's
//! `// eslint-disable-next-line`):
//!
//! - `// ibid-ignore: locator-plural reason` alone on a line silences the
//!   rules named for the next line; at the end of a line, for that line;
//! - `// ibid-ignore-file: mixed-locator-style reason` silences them for the
//!   whole file.
//!
//! Several codes are separated by commas; the reason follows them. A
//! suppression that silences nothing, or names no rule, is itself reported
//! (`unused-suppression`), as ruff reports RUF100.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::closest_code;
use super::{Finding, Rule};
use crate::document::SourceSpan;

/// One `ibid-ignore` comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// The codes as written.
    pub codes: Vec<String>,
    /// The 1-based line it silences; `None` for the whole file.
    pub line: Option<usize>,
    /// Where the comment is.
    pub span: SourceSpan,
}

/// The comment, then its codes: a colon (which authors sometimes leave out)
/// and a comma-separated list, read leniently (any case), so that a
/// suppression written wrong is reported rather than silently ignored.
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"//\s*ibid-ignore(-file)?\b:?[ \t]*([A-Za-z][A-Za-z0-9-]*(?:[ \t]*,[ \t]*[A-Za-z][A-Za-z0-9-]*)*)?",
    )
    .expect("valid regex")
});

/// The suppressions written in a Typst source.
pub fn parse(file: &str, text: &str) -> Vec<Suppression> {
    let mut found = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(captures) = COMMENT.captures(line) {
            let whole = captures.get(0).expect("the match");
            let file_wide = captures.get(1).is_some();
            let alone = line[..whole.start()].trim().is_empty();
            let codes = captures
                .get(2)
                .map(|codes| {
                    codes
                        .as_str()
                        .split(',')
                        .map(|code| code.trim().to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default();
            let at = offset + whole.start();
            found.push(Suppression {
                codes,
                line: match (file_wide, alone) {
                    (true, _) => None,
                    (false, true) => Some(index + 2),
                    (false, false) => Some(index + 1),
                },
                span: SourceSpan::in_text(file, text, at..offset + whole.end()),
            });
        }
        offset += line.len();
    }
    found
}

/// Removes the findings the suppressions silence, and reports each
/// suppression (or code in it) that silenced nothing among the rules that
/// ran (`ran`: a suppression of a rule left out of this run is not unused).
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    ran: impl Fn(Rule) -> bool,
) -> Vec<Finding> {
    let mut used = vec![vec![false; 0]; suppressions.len()];
    for (i, s) in suppressions.iter().enumerate() {
        used[i] = vec![false; s.codes.len()];
    }
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        let mut silenced = false;
        if let Some(span) = &finding.span {
            for (i, s) in suppressions.iter().enumerate() {
                if s.span.file != span.file || s.line.is_some_and(|line| line != span.line) {
                    continue;
                }
                if let Some(j) = s.codes.iter().position(|c| c == finding.rule.code()) {
                    used[i][j] = true;
                    silenced = true;
                }
            }
        }
        if !silenced {
            kept.push(finding);
        }
    }
    let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    for s in suppressions.iter().filter(|s| s.codes.is_empty()) {
        kept.push(
            Finding::new(
                Rule::UnusedSuppression,
                "`ibid-ignore` names no rule, so it silences nothing",
            )
            .at(Some(&s.span))
            .hint("name the rules it silences: `// ibid-ignore: RULE[, RULE…] reason`"),
        );
    }
    for (s, used) in suppressions.iter().zip(&used) {
        for (code, &used) in s.codes.iter().zip(used) {
            if used {
                continue;
            }
            let (message, hint) = match Rule::from_code(code) {
                Some(rule) if !ran(rule) => continue,
                Some(_) => (
                    format!("`ibid-ignore: {code}` silences nothing: no `{code}` finding here"),
                    "remove it, or move it to the line before the finding".to_string(),
                ),
                None => (
                    format!("`ibid-ignore: {code}` names no rule"),
                    match closest_code(code, &codes) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "`ibid audit --explain RULE` lists the rules".to_string(),
                    },
                ),
            };
            kept.push(
                Finding::new(Rule::UnusedSuppression, message)
                    .at(Some(&s.span))
                    .hint(hint),
            );
        }
    }
    super::sort(&mut kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::finding_at;

    const TEXT: &str = "= Sources\n\
        A.#footnote[Ibid., pag. 3-4.] // ibid-ignore: locator-plural as the edition prints it\n\
        // ibid-ignore: ambiguous-ibid, locator-plural\n\
        B.#footnote[Ibid.]\n\
        // ibid-ignore-file: mixed-locator-style the Italian edition's style\n\
        // ibid-ignore: locator-plurl\n\
        C.#footnote[Ibid.] // ibid-ignore:\n\
        D.#footnote[Ibid.] // ibid-ignore Ambiguous-Ibid\n";

    #[test]
    fn the_three_forms_are_read_with_the_lines_they_silence() {
        let found = parse("main.typ", TEXT);
        let lines: Vec<(Vec<&str>, Option<usize>, usize)> = found
            .iter()
            .map(|s| {
                (
                    s.codes.iter().map(String::as_str).collect(),
                    s.line,
                    s.span.line,
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (vec!["locator-plural"], Some(2), 2),
                (vec!["ambiguous-ibid", "locator-plural"], Some(4), 3),
                (vec!["mixed-locator-style"], None, 5),
                (vec!["locator-plurl"], Some(7), 6),
                (vec![], Some(7), 7),
                (vec!["ambiguous-ibid"], Some(8), 8),
            ]
        );
    }

    #[test]
    fn a_suppression_naming_no_rule_is_reported() {
        let kept = apply(
            Vec::new(),
            &parse("main.typ", "A. // ibid-ignore:\n"),
            |_| true,
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].rule, Rule::UnusedSuppression);
        assert!(
            kept[0].message.contains("names no rule"),
            "{}",
            kept[0].message
        );
        assert_eq!(kept[0].span.as_ref().unwrap().line, 1);
    }

    #[test]
    fn findings_are_silenced_where_the_comments_say_and_unused_codes_reported() {
        let findings = vec![
            finding_at(Rule::LocatorPlural, "main.typ", TEXT, "pag. 3-4"),
            finding_at(Rule::AmbiguousIbid, "main.typ", TEXT, "#footnote[Ibid.]\n"),
            finding_at(Rule::MixedLocatorStyle, "main.typ", TEXT, "pag. 3-4"),
            finding_at(Rule::AmbiguousIbid, "main.typ", TEXT, "#footnote[Ibid.,"),
            finding_at(Rule::LocatorPlural, "other.typ", TEXT, "pag. 3-4"),
        ];
        let kept = apply(findings, &parse("main.typ", TEXT), |_| true);
        let summary: Vec<(String, String, usize)> = kept
            .iter()
            .map(|f| {
                let span = f.span.as_ref().unwrap();
                (f.rule.code().to_string(), span.file.clone(), span.line)
            })
            .collect();
        assert_eq!(
            summary,
            [
                // Line 2's note is an "Ibid." too: only locator-plural is
                // silenced there.
                ("ambiguous-ibid".into(), "main.typ".into(), 2),
                // Line 3 names locator-plural for line 4, which has none.
                ("unused-suppression".into(), "main.typ".into(), 3),
                ("unused-suppression".into(), "main.typ".into(), 6),
                // Line 7 names no rule; line 8 (any case, no colon) names
                // a rule that has no finding there.
                ("unused-suppression".into(), "main.typ".into(), 7),
                ("unused-suppression".into(), "main.typ".into(), 8),
                ("locator-plural".into(), "other.typ".into(), 2),
            ]
        );
        assert!(
            kept[2]
                .hint
                .as_deref()
                .unwrap()
                .contains("`locator-plural`")
        );
    }
}
