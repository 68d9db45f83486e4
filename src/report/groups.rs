//! Findings that say the same thing of different entries ("entry `a` has no
//! access date", "entry `b` has no access date", …), grouped so that a
//! report can say it once with the list of places. Pure: the renderers
//! decide what to show.

use std::collections::HashMap;

use crate::audit::{Finding, Rule};

/// At this many alike findings, a report collapses them into one.
pub const COLLAPSE_AT: usize = 5;

/// Findings of one rule whose messages differ only in the names quoted in
/// backticks (keys, fields).
#[derive(Debug)]
pub struct Group<'a> {
    pub rule: Rule,
    /// The message with each quoted name as `…`.
    pub pattern: String,
    pub members: Vec<&'a Finding>,
}

impl Group<'_> {
    /// Whether a report shows the group as one line (unless asked for each).
    pub fn collapsed(&self) -> bool {
        self.members.len() >= COLLAPSE_AT
    }

    /// Where each member is, as a reader names it: an entry by its key, a
    /// place in the document as file:line.
    pub fn places(&self) -> Vec<String> {
        self.members.iter().map(|f| place(f)).collect()
    }
}

/// The findings grouped, groups in the order of their first member.
pub fn group<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_pattern: HashMap<(Rule, String), usize> = HashMap::new();
    for finding in findings {
        let pattern = pattern(&finding.message);
        let at = *by_pattern
            .entry((finding.rule, pattern.clone()))
            .or_insert_with(|| {
                groups.push(Group {
                    rule: finding.rule,
                    pattern,
                    members: Vec::new(),
                });
                groups.len() - 1
            });
        groups[at].members.push(finding);
    }
    groups
}

/// The message with each backtick-quoted name replaced by `…`.
fn pattern(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        if i % 2 == 0 {
            out.push_str("`…");
        } else {
            out.push('`');
            out.push_str(part);
        }
    }
    out
}

/// An entry by its key; a place in the document as file:line.
fn place(finding: &Finding) -> String {
    let in_bibliography = finding
        .span
        .as_ref()
        .is_some_and(|s| crate::bibliography::Format::of(&s.file).is_some());
    match (&finding.key, &finding.span) {
        (Some(key), _) if in_bibliography => key.clone(),
        (_, Some(span)) => format!("{}:{}", span.file, span.line),
        (Some(key), None) => key.clone(),
        (None, None) => finding
            .footnote
            .as_ref()
            .map_or_else(|| "?".to_string(), |n| format!("footnote {n}")),
    }
}

/// `a, b, c, … and 12 more`: at most `shown` places.
pub fn list(places: &[String], shown: usize) -> String {
    if places.len() <= shown {
        return places.join(", ");
    }
    format!(
        "{}, … and {} more",
        places[..shown].join(", "),
        places.len() - shown
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: Rule, key: &str, message: &str) -> Finding {
        Finding::new(rule, message.to_string()).key(key)
    }

    #[test]
    fn messages_alike_but_for_their_names_are_one_group() {
        let findings: Vec<Finding> = (0..6)
            .map(|i| {
                finding(
                    Rule::EntryIncomplete,
                    &format!("k{i}"),
                    &format!("entry `k{i}` (web) lacks its access date (`url.date`)"),
                )
            })
            .chain([finding(Rule::UnusedEntry, "x", "entry `x` is never cited")])
            .collect();
        let groups = group(&findings);
        assert_eq!(groups.len(), 2);
        assert_eq!(
            groups[0].pattern,
            "entry `…` (web) lacks its access date (`…`)"
        );
        assert!(groups[0].collapsed());
        assert!(!groups[1].collapsed());
        assert_eq!(list(&groups[0].places(), 3), "k0, k1, k2, … and 3 more");
    }

    #[test]
    fn different_words_are_different_groups() {
        let findings = [
            finding(Rule::UnusedEntry, "a", "entry `a` is never cited"),
            finding(Rule::UnusedEntry, "b", "entry `b` of x.bib is never cited"),
        ];
        assert_eq!(group(&findings).len(), 2);
    }
}
