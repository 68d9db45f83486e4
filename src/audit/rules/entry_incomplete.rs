//! `entry-incomplete`: an entry that lacks what its type needs.

use hayagriva::types::EntryType;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};
use crate::bibliography::BibEntry;

pub const ENTRY_INCOMPLETE: Definition = Definition {
    code: "entry-incomplete",
    severity: Severity::Warning,
    family: Family::Bibliography,
    doc: RuleDoc {
        summary: "a bibliography entry lacks what a reader needs to find the work",
        what: "Checks each entry for the fields its type needs: a book its title, author or \
               editor, date and publisher; a web page its URL and the date it was accessed; an article \
               its periodical (a parent entry); any other type its title.",
        why: "A reference that cannot be found again is no reference: the reader needs the publisher \
              and year to find a book, and the access date to find the page that was read.",
        example: "yang2007:\n  type: book\n  title: Mubei\n  author: Yang, Jisheng\n  date: 2007\n  # no publisher",
    },
};

pub const NONSTANDARD_FIELD: Definition = Definition {
    code: "nonstandard-field",
    severity: Severity::Warning,
    family: Family::Bibliography,
    doc: RuleDoc {
        summary: "a bibliography field is written under a name the format does not read",
        what: "Reports fields written under a common but non-standard name, which the reader of \
               the format (Hayagriva for YAML, BibLaTeX's for `.bib`) ignores without a word: \
               `accessed`, `access-date`, `urlaccessdate`, `lastchecked` for BibLaTeX's `urldate` \
               (Hayagriva's `url: { value: …, date: … }`), and in YAML `pages`, `year`, `doi`, \
               `isbn` for `page-range`, `date` and `serial-number`. The hint names the field in \
               the file's own format.",
        why: "The value is in the file but not in the document: the access date the author typed \
              never reaches the bibliography, and the entry reads as incomplete.",
        example: "@online{site, url = {https://…}, accessed = {2024-05-01}}   % BibLaTeX reads urldate",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = incomplete(input);
    for bib in &input.bibliography.entries {
        for field in &bib.nonstandard {
            findings.push(
                Finding::new(
                    Rule::NonstandardField,
                    format!(
                        "entry `{}` writes `{}`, which {} does not read: its name is `{}`",
                        bib.key,
                        field.written,
                        match bib.format() {
                            crate::bibliography::Format::Yaml => "Hayagriva",
                            crate::bibliography::Format::Biblatex => "BibLaTeX",
                        },
                        field.standard
                    ),
                )
                .at(Some(&field.span))
                .key(&bib.key)
                .hint(format!(
                    "rename `{}` to `{}`",
                    field.written, field.standard
                )),
            );
        }
    }
    findings
}

fn incomplete(input: &AuditInput) -> Vec<Finding> {
    input
        .bibliography
        .entries
        .iter()
        .filter_map(|bib| {
            let missing = missing_fields(bib);
            (!missing.is_empty()).then(|| {
                Finding::new(
                    Rule::EntryIncomplete,
                    format!(
                        "entry `{}` ({}) has no {}",
                        bib.key,
                        format!("{:?}", bib.entry.entry_type()).to_lowercase(),
                        list(bib, &missing)
                    ),
                )
                .at(Some(&bib.span))
                .key(&bib.key)
                .hint(format!(
                    "add {} to the entry",
                    missing
                        .iter()
                        .map(|f| format!("`{}`", bib.field(f)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
        })
        .collect()
}

/// The fields an entry of its type needs and lacks.
fn missing_fields(bib: &BibEntry) -> Vec<&'static str> {
    let entry = &bib.entry;
    let mut missing = Vec::new();
    match entry.entry_type() {
        EntryType::Book | EntryType::Anthology | EntryType::Thesis | EntryType::Report => {
            if entry.title().is_none() {
                missing.push("title");
            }
            if entry.authors().is_none() && entry.editors().is_none() {
                missing.push("author");
            }
            if entry.date().is_none() {
                missing.push("date");
            }
            if entry.publisher().is_none() && entry.organization().is_none() {
                missing.push("publisher");
            }
        }
        EntryType::Web => match entry.url() {
            None => missing.push("url"),
            Some(url) if url.visit_date.is_none() => missing.push("url.date"),
            Some(_) => {}
        },
        EntryType::Article => {
            if entry.title().is_none() {
                missing.push("title");
            }
            if entry.parents().is_empty() {
                missing.push("parent");
            }
        }
        _ => {
            if entry.title().is_none() && entry.url().is_none() {
                missing.push("title");
            }
        }
    }
    missing
}

fn list(bib: &BibEntry, fields: &[&'static str]) -> String {
    let named: Vec<String> = fields
        .iter()
        .map(|f| match *f {
            "url.date" => format!("access date ({})", bib.field("url.date")),
            "parent" => format!("periodical ({})", bib.field("parent")),
            other => other.to_string(),
        })
        .collect();
    match named.as_slice() {
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};

    #[test]
    fn a_web_entry_without_its_access_date_is_told_the_field() {
        let yaml = "site:\n  type: web\n  title: Site\n  url: https://example.org\n";
        assert_eq!(
            of(&Doc::new(yaml).audit(), Rule::EntryIncomplete),
            ["-: entry `site` (web) has no access date (url.date)"]
        );
    }

    #[test]
    fn a_nonstandard_field_is_named_with_the_standard_one() {
        let yaml = "site:\n  type: web\n  title: Site\n  url: https://example.org\n  accessed: 2024-05-01\n";
        assert_eq!(
            of(&Doc::new(yaml).audit(), Rule::NonstandardField),
            [
                "-: entry `site` writes `accessed`, which Hayagriva does not read: its name is `url.date`"
            ]
        );
    }
}
