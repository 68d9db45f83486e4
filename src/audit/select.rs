//! Which rules run and how severe their findings are: ruff's `select`,
//! `ignore` and per-rule severities, resolved once from the command line
//! (and, later, a configuration file) and applied to every audit.

use std::collections::HashMap;

use super::{Finding, Rule, Severity};

/// A rule selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only these rules run; every rule when `None`.
    pub select: Option<Vec<Rule>>,
    /// These rules do not run.
    pub ignore: Vec<Rule>,
    /// Severities that replace a rule's own.
    pub severity: HashMap<Rule, Severity>,
}

impl Selection {
    /// Whether `rule` runs.
    pub fn enabled(&self, rule: Rule) -> bool {
        // The edge's own errors are never switched off: a document that does
        // not compile is reported whatever is selected.
        if rule == Rule::CompileError {
            return true;
        }
        self.select
            .as_ref()
            .map_or(rule.on_by_default(), |s| s.contains(&rule))
            && !self.ignore.contains(&rule)
    }

    /// Gives each finding the severity chosen for its rule.
    pub fn apply(&self, findings: &mut [Finding]) {
        for finding in findings {
            if let Some(&severity) = self.severity.get(&finding.rule) {
                finding.severity = severity;
            }
        }
    }
}

/// A rule by its code, or a message that names the closest code.
pub fn parse_rule(code: &str) -> Result<Rule, String> {
    let code = code.trim();
    Rule::from_code(code).ok_or_else(|| {
        let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        match super::rules::closest_code(code, &codes) {
            Some(close) => format!("no rule `{code}`; did you mean `{close}`?"),
            None => format!("no rule `{code}` (see `ibid audit --explain` for the rules)"),
        }
    })
}

/// `RULE=error|warning|info`.
pub fn parse_severity(text: &str) -> Result<(Rule, Severity), String> {
    let (code, level) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not of the form RULE=error|warning|info"))?;
    let rule = parse_rule(code)?;
    let severity = match level.trim() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => return Err(format!("`{other}` is no severity (error, warning or info)")),
    };
    Ok((rule, severity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_ignore_and_severity() {
        let selection = Selection {
            select: Some(vec![Rule::UnknownKey, Rule::LocatorPlural]),
            ignore: vec![Rule::LocatorPlural],
            severity: HashMap::from([(Rule::UnknownKey, Severity::Warning)]),
        };
        assert!(selection.enabled(Rule::UnknownKey));
        assert!(!selection.enabled(Rule::LocatorPlural));
        assert!(!selection.enabled(Rule::UnusedEntry));
        assert!(selection.enabled(Rule::CompileError));
        let mut findings = vec![Finding::new(Rule::UnknownKey, "x")];
        selection.apply(&mut findings);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn codes_are_checked_with_a_suggestion() {
        assert_eq!(parse_rule("locator-plural"), Ok(Rule::LocatorPlural));
        assert!(
            parse_rule("locator-plurals")
                .unwrap_err()
                .contains("did you mean `locator-plural`")
        );
        assert_eq!(
            parse_severity("unused-entry=info"),
            Ok((Rule::UnusedEntry, Severity::Info))
        );
        assert!(parse_severity("unused-entry=fatal").is_err());
    }
}
