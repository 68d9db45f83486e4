//! `duplicate-entry`: two keys for one work.

use std::collections::HashMap;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::bibliography::BibEntry;

pub const DUPLICATE_ENTRY: Definition = Definition {
    code: "duplicate-entry",
    severity: Severity::Warning,
    family: Family::Bibliography,
    doc: RuleDoc {
        summary: "two bibliography entries describe the same work",
        what: "Reports entries that have the same authors, title and date once normalised \
               (case, accents, punctuation and spacing ignored), or the same URL, type and title. \
               A shared URL alone is not one work: a web page and a video shown on it, or two \
               chapters of one online book, are cited apart.",
        why: "Citing one work under two keys splits its citations: \"Ibid.\" and short forms \
              go wrong, and the bibliography lists the work twice.",
        example: "mac1983: { type: book, title: The Origins…, author: MacFarquhar, Roderick, date: 1983 }\nmacfarquhar1983: { …the same… }",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: HashMap<String, &BibEntry> = HashMap::new();
    for bib in &input.bibliography.entries {
        for (kind, identity) in identities(bib) {
            if let Some(first) = seen.get(&identity) {
                if first.key != bib.key {
                    findings.push(
                        Finding::new(
                            Rule::DuplicateEntry,
                            format!("entry `{}` has the same {kind} as `{}`", bib.key, first.key),
                        )
                        .at(Some(&bib.span))
                        .key(&bib.key)
                        .hint(format!(
                            "keep one entry and cite `@{}` everywhere ({}:{})",
                            first.key, first.span.file, first.span.line
                        )),
                    );
                }
                break;
            }
            seen.insert(identity, bib);
        }
    }
    findings
}

/// What makes two entries the same work.
fn identities(bib: &BibEntry) -> Vec<(&'static str, String)> {
    let entry = &bib.entry;
    let mut out = Vec::new();
    if let Some(title) = entry.title() {
        let authors: Vec<String> = entry
            .authors()
            .unwrap_or_default()
            .iter()
            .map(|p| normalise(&p.name))
            .collect();
        let date = entry.date().map(|d| d.year.to_string()).unwrap_or_default();
        out.push((
            "authors, title and date",
            format!(
                "work|{}|{}|{date}",
                authors.join(","),
                normalise(&title.value.to_string())
            ),
        ));
    }
    if let Some(url) = &bib.url_as_written {
        let title = entry
            .title()
            .map(|t| normalise(&t.value.to_string()))
            .unwrap_or_default();
        out.push((
            "URL, type and title",
            format!(
                "url|{}|{:?}|{title}",
                url.trim_end_matches('/').to_lowercase(),
                entry.entry_type()
            ),
        ));
    }
    out
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};

    const PAGE_AND_VIDEO: &str = "
page:
  type: web
  title: The Commune Archive
  url: https://example.org/archive/
video:
  type: video
  title: A Walk Through the Archive
  url: https://example.org/archive
";

    #[test]
    fn a_page_and_a_video_on_it_are_two_works() {
        let findings = Doc::new(PAGE_AND_VIDEO).audit();
        assert_eq!(of(&findings, Rule::DuplicateEntry), Vec::<String>::new());
    }

    #[test]
    fn the_same_work_under_two_keys_is_reported_once() {
        let yaml = "
mac1983:
  type: book
  title: The Origins of the Cultural Revolution
  author: MacFarquhar, Roderick
  date: 1983
macfarquhar1983:
  type: book
  title: The origins of the Cultural Revolution.
  author: MacFarquhar, Roderick
  date: 1983
page:
  type: web
  title: Archive
  date: 2020
  url: https://example.org/a
page2:
  type: web
  title: Archive
  date: 2021
  url: https://example.org/a/
";
        let findings = Doc::new(yaml).audit();
        assert_eq!(
            of(&findings, Rule::DuplicateEntry),
            [
                "-: entry `macfarquhar1983` has the same authors, title and date as `mac1983`",
                "-: entry `page2` has the same URL, type and title as `page`",
            ]
        );
    }
}
