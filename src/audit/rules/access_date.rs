//! `stale-access-date` and `access-date-invalid`: when a web source was read.

use hayagriva::types::Date;

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::{AuditInput, Finding, Rule};

pub const STALE_ACCESS_DATE: Definition = Definition {
    code: "stale-access-date",
    severity: Severity::Info,
    family: Family::Links,
    doc: RuleDoc {
        summary: "a web source was last accessed long ago",
        what: "Reports entries whose URL access date (`url.date`) is more than N years before today \
               (5 by default; `--stale-after-years`).",
        why: "Web pages change and vanish; a thesis citing what a page said years ago should say the \
              page was checked again, or cite an archived copy of that date.",
        example: "url: { value: http://zh.wikipedia.org/wiki/…, date: 2009-11-20 }",
    },
};
pub const ACCESS_DATE_INVALID: Definition = Definition {
    code: "access-date-invalid",
    severity: Severity::Warning,
    family: Family::Links,
    doc: RuleDoc {
        summary: "an access date is in the future, or before the work itself",
        what: "Reports entries whose URL access date lies after today, or before the work's own date.",
        why: "Such a date is a typo (a swapped day and month, a wrong year) and makes the reference \
              look careless.",
        example: "date: 2010-05\nurl: { value: http://…, date: 2009-11-20 }   // read before it was written?",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let Some(today) = input.config.today else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for bib in &input.bibliography.entries {
        let Some(visited) = bib.entry.url().and_then(|u| u.visit_date.as_ref()) else {
            continue;
        };
        let visited_tuple = tuple(visited);
        let shown = show(visited);
        if visited_tuple > today {
            findings.push(
                Finding::new(
                    Rule::AccessDateInvalid,
                    format!("entry `{}` was accessed on {shown}, after today", bib.key),
                )
                .at(Some(&bib.span))
                .key(&bib.key)
                .hint(format!(
                    "check the date in `{}` (YYYY-MM-DD)",
                    bib.field("url.date")
                )),
            );
            continue;
        }
        if let Some(published) = bib.entry.date()
            && before_work(visited, published)
        {
            findings.push(
                Finding::new(
                    Rule::AccessDateInvalid,
                    format!(
                        "entry `{}` was accessed on {shown}, before the work's own date {}",
                        bib.key,
                        show(published)
                    ),
                )
                .at(Some(&bib.span))
                .key(&bib.key)
                .hint(format!(
                    "check `{}` and `date`: one of them is wrong",
                    bib.field("url.date")
                )),
            );
            continue;
        }
        let years = years_between(visited_tuple, today);
        if years > i64::from(input.config.stale_after_years) {
            findings.push(
                Finding::new(
                    Rule::StaleAccessDate,
                    format!(
                        "entry `{}` was last accessed on {shown}, {years} years ago",
                        bib.key
                    ),
                )
                .at(Some(&bib.span))
                .key(&bib.key)
                .hint(format!(
                    "check the page again and update `{}`, or cite an archived copy of that date",
                    bib.field("url.date")
                )),
            );
        }
    }
    findings
}

/// (year, month 1-12, day 1-31); Hayagriva counts months and days from 0.
fn tuple(date: &Date) -> (i32, u8, u8) {
    (
        date.year,
        date.month.map_or(1, |m| m + 1),
        date.day.map_or(1, |d| d + 1),
    )
}

fn show(date: &Date) -> String {
    match (date.month, date.day) {
        (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", date.year, m + 1, d + 1),
        (Some(m), None) => format!("{:04}-{:02}", date.year, m + 1),
        _ => format!("{:04}", date.year),
    }
}

/// Whether the visit comes before the work, at the precision the work's date has.
fn before_work(visited: &Date, work: &Date) -> bool {
    let v = tuple(visited);
    match (work.month, work.day) {
        (None, _) => v.0 < work.year,
        (Some(m), None) => (v.0, v.1) < (work.year, m + 1),
        _ => v < tuple(work),
    }
}

fn years_between(from: (i32, u8, u8), to: (i32, u8, u8)) -> i64 {
    let mut years = i64::from(to.0 - from.0);
    if (to.1, to.2) < (from.1, from.2) {
        years -= 1;
    }
    years
}
