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
    // Each listed authority as the words of its title and short title.
    let listed: Vec<Vec<String>> = input
        .bibliography
        .entries
        .iter()
        .filter(|b| {
            matches!(
                b.entry.entry_type(),
                EntryType::Case | EntryType::Legislation
            )
        })
        .filter_map(|b| {
            let title = b.entry.title()?;
            let short = title
                .short
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default();
            Some(words(&format!("{} {short}", title.value)))
        })
        .collect();
    if listed.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for reading in input.hand_typed() {
        let note = &input.document.footnotes[reading.footnote];
        for (excerpt, authority) in &reading.legal {
            if listed.iter().any(|title| names(excerpt, *authority, title)) {
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

/// The words of a text, folded.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::script::fold)
        .collect()
}

/// Whether a cited authority is the listed one whose title has these words:
/// a statute by its abbreviation or name (`§ 823 Abs. 1 BGB` is the entry
/// "Bürgerliches Gesetzbuch (BGB)"), a case by two of its parties' or
/// reporter's words (`Donoghue v Stevenson [1932] AC 562, 580`), an official
/// paper by three.
fn names(excerpt: &str, authority: Authority, title: &[String]) -> bool {
    let labels = [
        "abs", "art", "nr", "rn", "rdnr", "satz", "s", "ss", "sec", "para", "v", "vs",
    ];
    let cited: Vec<String> = words(excerpt)
        .into_iter()
        .filter(|w| w.chars().any(char::is_alphabetic) && !labels.contains(&w.as_str()))
        .collect();
    // The whole citation within the title, or the other way round (a case
    // named by its court and docket: `BGH, Urteil vom 25.02.2014, VI ZR
    // 299/13`).
    let (joined, whole) = (title.concat(), words(excerpt).concat());
    if !joined.is_empty() && (joined.contains(&whole) || whole.contains(&joined)) {
        return true;
    }
    // Words that name no particular case.
    let generic = [
        "urteil",
        "beschluss",
        "court",
        "judgment",
        "appeal",
        "decision",
        "entscheidung",
        "arrêt",
        "sentenza",
        "vom",
        "the",
        "and",
    ];
    let telling = |w: &&String| match authority {
        Authority::Legislation => true,
        _ => w.chars().count() >= 4 && !generic.contains(&w.as_str()),
    };
    let shared = cited
        .iter()
        .filter(telling)
        .filter(|w| title.contains(w))
        .count();
    let needed = match authority {
        Authority::Legislation => 1,
        Authority::Case => 2,
        Authority::Official => 3,
    };
    shared >= needed
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
    fn a_statute_is_known_by_its_abbreviation_or_its_name() {
        let statutes = "bgb:\n  type: legislation\n  title: Bürgerliches Gesetzbuch (BGB)\ngg:\n  type: legislation\n  title:\n    value: Grundgesetz\n    short: GG\n";
        let findings = Doc::new(statutes)
            .note("Vgl. § 823 Abs. 1 BGB.")
            .note("Art. 2 Abs. 1 GG.")
            .note("§ 1 Abs. 1 StGB.")
            .audit();
        assert_eq!(
            of(&findings, Rule::UnknownSource),
            ["3: footnote 3 cites legislation the bibliography lacks: “§ 1 Abs. 1 StGB.”"]
        );
    }

    #[test]
    fn a_case_is_known_by_its_parties_or_its_docket_not_by_its_court() {
        let cases = "bgh2014:\n  type: case\n  title: BGH, Urteil vom 25.02.2014, VI ZR 299/13\n";
        let findings = Doc::new(cases)
            .note("BGH, Urteil vom 25.02.2014, VI ZR 299/13, Rn 8.")
            .note("BGH, Urteil vom 01.03.2016, VI ZR 34/15, Rn 12.")
            .audit();
        assert_eq!(
            of(&findings, Rule::UnknownSource),
            [
                "2: footnote 2 cites a court decision the bibliography lacks: “BGH, Urteil vom 01.03.2016, VI ZR 34/15, Rn 12”"
            ]
        );
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
