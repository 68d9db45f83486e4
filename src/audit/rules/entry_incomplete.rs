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

pub fn check(input: &AuditInput) -> Vec<Finding> {
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
                        list(&missing)
                    ),
                )
                .at(Some(&bib.span))
                .key(&bib.key)
                .hint(format!(
                    "add {} to the entry",
                    missing
                        .iter()
                        .map(|f| format!("`{f}`"))
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

fn list(fields: &[&str]) -> String {
    let named: Vec<&str> = fields
        .iter()
        .map(|f| match *f {
            "url.date" => "access date (url.date)",
            "parent" => "periodical (parent)",
            other => other,
        })
        .collect();
    match named.as_slice() {
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => String::new(),
    }
}
