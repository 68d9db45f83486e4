//! Legal authorities (cases, statutes, official papers) in a document whose
//! bibliography lists such works: each one it lacks is an unknown source,
//! with a draft entry of the authority's own type. Legal writing that lists
//! no authorities in its bibliography (the common way) gets no finding.

use hayagriva::types::EntryType;

use crate::audit::matcher::legal::Authority;
use crate::audit::{AuditInput, Finding, Rule};

/// The `unknown-source` findings for legal authorities the bibliography
/// lacks, when it lists authorities at all.
pub fn unknown(input: &AuditInput) -> Vec<Finding> {
    let listed: Vec<String> = input
        .bibliography
        .entries
        .iter()
        .filter(|b| {
            matches!(
                b.entry.entry_type(),
                EntryType::Case | EntryType::Legislation
            )
        })
        .filter_map(|b| b.entry.title().map(|t| normal(&t.value.to_string())))
        .collect();
    if listed.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for reading in input.hand_typed() {
        let note = &input.document.footnotes[reading.footnote];
        for (excerpt, authority) in &reading.legal {
            let cited = normal(excerpt);
            if listed.iter().any(|title| {
                !title.is_empty() && (cited.contains(title.as_str()) || title.contains(&cited))
            }) {
                continue;
            }
            findings.push(
                Finding::new(
                    Rule::UnknownSource,
                    format!(
                        "footnote {} cites {} the bibliography lacks: “{excerpt}”",
                        note.number,
                        what(*authority)
                    ),
                )
                .at(note.span.as_ref())
                .footnote(&note.number)
                .hint(format!(
                    "the bibliography lists legal authorities: add this one, completing what the \
                     note does not say:\n{}",
                    draft(excerpt, *authority)
                )),
            );
        }
    }
    findings
}

fn what(authority: Authority) -> &'static str {
    match authority {
        Authority::Case => "a court decision",
        Authority::Legislation => "legislation",
        Authority::Official => "an official paper",
    }
}

/// A Hayagriva entry of the authority's type, its title the citation as
/// written (a case's name and report, a statute's provision).
pub fn draft(excerpt: &str, authority: Authority) -> String {
    let key: String = excerpt
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(16)
        .collect::<String>()
        .to_lowercase();
    let title = excerpt.trim().trim_end_matches('.');
    let mut yaml = format!(
        "{key}:\n  type: {}\n  title: \"{}\"\n",
        authority.entry_type(),
        title.replace('\\', "\\\\").replace('"', "\\\"")
    );
    if let Some(year) = year_in(title) {
        yaml.push_str(&format!("  date: {year}\n"));
    }
    yaml
}

fn year_in(text: &str) -> Option<&str> {
    text.char_indices()
        .filter_map(|(i, _)| text.get(i..i + 4))
        .find(|w| {
            w.chars().all(|c| c.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20"))
        })
}

fn normal(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::{Doc, of};

    const CASES: &str =
        "donoghue:\n  type: case\n  title: Donoghue v Stevenson [1932] AC 562\n  date: 1932\n";

    #[test]
    fn a_listed_case_is_known_and_a_missing_one_is_reported() {
        let findings = Doc::new(CASES)
            .note("Donoghue v Stevenson [1932] AC 562, 580.")
            .note("Caparo Industries plc v Dickman [1990] 2 AC 605.")
            .audit();
        assert_eq!(
            of(&findings, Rule::UnknownSource),
            [
                "2: footnote 2 cites a court decision the bibliography lacks: “Caparo Industries plc v Dickman [1990] 2 AC 605”"
            ]
        );
    }

    #[test]
    fn a_bibliography_of_books_takes_no_authorities() {
        let books = "a:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n";
        let findings = Doc::new(books)
            .note("BGH, Urteil vom 25.02.2014, VI ZR 299/13, Rn 8.")
            .audit();
        assert!(of(&findings, Rule::UnknownSource).is_empty());
    }

    #[test]
    fn drafts_have_the_authority_s_type() {
        assert_eq!(
            draft("BGH, Urteil vom 25.02.2014, VI ZR 299/13.", Authority::Case),
            "bghurteilvom2502:\n  type: case\n  title: \"BGH, Urteil vom 25.02.2014, VI ZR 299/13\"\n  date: 2014\n"
        );
        assert!(draft("§ 823 Abs. 1 BGB", Authority::Legislation).contains("type: legislation"));
    }
}
