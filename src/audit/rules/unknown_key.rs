//! `unknown-key`: a citation of a key the bibliography does not have.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::fix::{Edit, Fix};
use crate::audit::{AuditInput, Finding, Rule};

pub const UNKNOWN_KEY: Definition = Definition {
    code: "unknown-key",
    severity: Severity::Error,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a citation names a key that no bibliography entry has",
        what: "Reports every citation whose key is not in the document's bibliography files, \
               with the closest existing key. Typst stops at such a citation; the audit compiles \
               with a placeholder entry in its place (in memory, the files untouched) so that it can \
               report every unknown key in one run and still run every other rule.",
        why: "The citation prints nothing useful, and the source it meant is not in the \
              bibliography: a reader cannot find it.",
        example: "#footnote[@yang2070[p. 5]]   // the entry is `yang2007`",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let keys: Vec<&str> = input
        .bibliography
        .entries
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    input
        .unknown_keys
        .iter()
        .map(|unknown| {
            // The placeholder the audit compiled with stands where the key
            // was cited: its footnote is the key's.
            let footnote = input
                .document
                .citations
                .iter()
                .find(|c| c.key == unknown.key && c.span == unknown.span)
                .and_then(|c| c.footnote)
                .map(|i| input.document.footnotes[i].number.clone());
            let mut finding = Finding::new(
                Rule::UnknownKey,
                format!(
                    "key `{}` does not exist in the bibliography",
                    one_line(&unknown.key)
                ),
            )
            .at(unknown.span.as_ref())
            .key(&unknown.key);
            if let Some(number) = &footnote {
                finding = finding.footnote(number);
            }
            match closest(&unknown.key, &keys) {
                Some(key) => {
                    let fix = unknown
                        .span
                        .as_ref()
                        .filter(|_| unambiguous(&unknown.key, key, &keys))
                        .map(|span| {
                            Fix::unsafe_(
                                format!("cite `{key}` instead"),
                                vec![Edit::Replace {
                                    within: span.clone(),
                                    find: unknown.key.clone(),
                                    with: key.to_string(),
                                }],
                            )
                            .renaming(Some(&unknown.key), key)
                        });
                    finding.hint(format!("did you mean `{key}`?")).fix(fix)
                }
                None => finding.hint(format!(
                    "add an entry `{}` to {}",
                    one_line(&unknown.key),
                    input
                        .bibliography
                        .files
                        .first()
                        .map_or("the bibliography", String::as_str)
                )),
            }
        })
        .collect()
}

/// A key as it prints on one line: control characters (a line break in a
/// key) escaped.
fn one_line(key: &str) -> String {
    key.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// The existing key most like `key`, if any is close enough to be a typo.
pub fn closest<'a>(key: &str, keys: &[&'a str]) -> Option<&'a str> {
    keys.iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&key.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Whether `best` is the only key near `key`: no other comes within a
/// small margin of it (`smith2001` against `smith2000` and `smith2002`
/// names neither).
fn unambiguous(key: &str, best: &str, keys: &[&str]) -> bool {
    let score = |k: &str| strsim::jaro_winkler(&key.to_lowercase(), &k.to_lowercase());
    let top = score(best);
    keys.iter()
        .filter(|k| **k != best)
        .all(|k| score(k) < top - 0.03)
}

#[cfg(test)]
mod tests {
    use super::{closest, unambiguous};

    #[test]
    fn a_key_between_two_close_ones_is_not_fixed() {
        let keys = ["smith2000", "smith2002", "yang2007"];
        let best = closest("smith2001", &keys).unwrap();
        assert!(!unambiguous("smith2001", best, &keys));
        assert!(unambiguous("yang2070", "yang2007", &keys));
    }

    #[test]
    fn suggests_the_nearest_key() {
        let keys = ["yang2007", "macfarquhar1983", "xie1990"];
        assert_eq!(closest("yang2070", &keys), Some("yang2007"));
        assert_eq!(closest("macfarquar1983", &keys), Some("macfarquhar1983"));
        assert_eq!(closest("smith", &keys), None);
    }
}
