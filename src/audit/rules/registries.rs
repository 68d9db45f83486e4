//! The bibliography against the world: identifiers that cannot be right
//! (offline, from their check digits and syntax), and what the scholarly
//! registries say of each entry (a DOI that does not exist or names another
//! paper, a retracted work, a work nobody knows).

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::fix::{Edit, Fix};
use crate::audit::{AuditInput, Finding, Rule};
use crate::bibliography::{BibEntry, Format};
use crate::registries::csl::{Update, UpdateKind};
use crate::registries::entry::identifiers;
use crate::registries::identifiers::{IdentifierKind, check_doi, check_isbn, check_issn};
use crate::registries::verify::Verification;

const fn bibliography(code: &'static str, severity: Severity, doc: RuleDoc) -> Definition {
    Definition {
        code,
        severity,
        family: Family::Bibliography,
        doc,
    }
}

pub const INVALID_IDENTIFIER: Definition = bibliography(
    "invalid-identifier",
    Severity::Error,
    RuleDoc {
        summary: "an ISBN, ISSN or DOI that cannot be right",
        what: "Checks the identifiers an entry writes (its `doi`, `isbn`, `issn`, its periodical's \
               ISSN, and any written in its note) offline: ISBN-10 and ISBN-13 and ISSN check \
               digits, and DOI syntax (`10.NNNN/…`, also as a `https://doi.org/` URL). When the \
               check digit is off, the hint gives the identifier with the right one.",
        why: "A mistyped identifier sends the reader (and every reference manager) to nothing or \
              to another work.",
        example: "isbn: 978-0-306-40615-6   # the check digit is 7",
    },
);

pub const DOI_NOT_FOUND: Definition = bibliography(
    "doi-not-found",
    Severity::Error,
    RuleDoc {
        summary: "the DOI does not exist",
        what: "Asks the DOI resolver (doi.org, by content negotiation, for every registration \
               agency) for the entry's DOI; reports it when the resolver answers that the DOI is \
               not registered. Only that definitive answer counts: a timeout or a server error \
               leaves the entry unverified.",
        why: "A DOI that resolves to nothing is a mistyped, misremembered or invented reference.",
        example: "serial-number: { doi: 10.5555/not-registered }",
    },
);

pub const METADATA_MISMATCH: Definition = bibliography(
    "metadata-mismatch",
    Severity::Warning,
    RuleDoc {
        summary: "the work an identifier names is not the one the entry describes",
        what: "Compares the entry with the registry's record of its DOI or ISBN: the title \
               (normalised, tolerant of subtitles and small typos), the family names of the first \
               authors, the year (±1 for online-first), and the periodical and first page when \
               both have them. Each field that differs is named, with the registry's value.",
        why: "The common case is a DOI copied from another paper: the citation points the reader \
              elsewhere.",
        example: "title: A Study of Famine\nserial-number: { doi: 10.1234/another-paper }",
    },
);

pub const RETRACTED_WORK: Definition = bibliography(
    "retracted-work",
    Severity::Error,
    RuleDoc {
        summary: "a cited work was retracted or withdrawn",
        what: "Reads Crossref's record of the entry's DOI for notices that update it (Crossmark's \
               and Retraction Watch's `updated-by`): a retraction, a withdrawal or a partial \
               retraction is reported with the notice's DOI and date.",
        why: "Citing a retracted work as sound is the error examiners look for first.",
        example: "serial-number: { doi: 10.5555/retracted }   # retracted 2021",
    },
);

pub const WORK_UPDATED: Definition = bibliography(
    "work-updated",
    Severity::Info,
    RuleDoc {
        summary: "a cited work has a correction or an expression of concern",
        what: "Reports the corrections, errata and expressions of concern that Crossref's record \
               of the entry's DOI lists, with the notice's DOI and date.",
        why: "The corrected version may differ from what the thesis quotes.",
        example: "serial-number: { doi: 10.5555/corrected }",
    },
);

pub const WORK_NOT_FOUND: Definition = bibliography(
    "work-not-found",
    Severity::Warning,
    RuleDoc {
        summary: "no registry knows a work that registries should know",
        what: "For a journal article with a title in Latin script and no identifier, searches \
               Crossref's bibliographic index (title, first author, year); for a book with an \
               ISBN, asks Open Library (a book without one is not looked for: many are in no \
               index a search reaches). Reports the entry when no \
               record matches closely, naming the registries asked. Never for web pages, \
               newspapers, archival sources or works in scripts these indexes cover poorly.",
        why: "A reference nobody can find is mistyped, misremembered, or made up.",
        example: "a: { type: article, title: A Paper Nobody Wrote, author: Doe, Jane, parent: … }",
    },
);

pub const MISSING_IDENTIFIER: Definition = bibliography(
    "missing-identifier",
    Severity::Info,
    RuleDoc {
        summary: "a registry knows the work's DOI or ISBN, which the entry lacks",
        what: "When a search finds the entry's work with high confidence (title, authors and year \
               agree) and the record has an identifier the entry does not write — a DOI from \
               Crossref's bibliographic search for an article, an ISBN from Open Library's search \
               for a book published from 1970 on — the hint gives the identifier to add.",
        why: "An identifier lets every reader and every tool find the work.",
        example: "a: { type: article, title: …, author: … }   # add serial-number: { doi: 10.… }",
    },
);

pub const WORK_UNVERIFIED: Definition = bibliography(
    "work-unverified",
    Severity::Info,
    RuleDoc {
        summary: "a registry could not be asked about an entry",
        what: "Reports entries whose check got no answer that says either way (a timeout, a \
               server error, an unreadable answer), with the reason. Offline, nothing is asked \
               and nothing is reported per entry.",
        why: "An unverified entry is not a verified one: the report says which were not checked.",
        example: "(the registry timed out)",
    },
);

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = invalid(input);
    let Some(report) = input.registries else {
        return findings;
    };
    if report.results.is_empty() {
        return findings;
    }
    let online = report.online && !report.unreachable();
    let citing = super::unused_entry::notes_citing(input);
    for (key, verifications) in &report.results {
        let Some(bib) = input.bibliography.get(key) else {
            continue;
        };
        let notes = citing.get(key.as_str()).map_or(&[][..], Vec::as_slice);
        for verification in verifications {
            if let Some(mut finding) = finding(bib, verification, online) {
                // Where the thesis relies on the work.
                match notes {
                    [] => {}
                    [one] => finding.message.push_str(&format!(" (cited in note {one})")),
                    many => finding
                        .message
                        .push_str(&format!(" (cited in notes {})", many.join(", "))),
                }
                findings.push(finding.at(Some(&bib.span)).key(&bib.key));
            }
        }
    }
    findings
}

fn invalid(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for bib in &input.bibliography.entries {
        for written in identifiers(&bib.entry) {
            let checked = match written.kind {
                IdentifierKind::Isbn => check_isbn(&written.text).map(|_| ()),
                IdentifierKind::Issn => check_issn(&written.text).map(|_| ()),
                IdentifierKind::Doi => check_doi(&written.text).map(|_| ()),
            };
            if let Err(err) = checked {
                let hint = match err.corrected() {
                    Some(corrected) => format!(
                        "write `{corrected}`, or check the {} at its source",
                        written.kind
                    ),
                    None => format!("check the {} at its source", written.kind),
                };
                findings.push(
                    Finding::new(
                        Rule::InvalidIdentifier,
                        format!(
                            "entry `{}` has an invalid {} in `{}`: `{}` ({err})",
                            bib.key,
                            written.kind,
                            bib.field(field_name(written.field)),
                            written.text
                        ),
                    )
                    .at(Some(&bib.span))
                    .key(&bib.key)
                    .hint(hint),
                );
            }
        }
    }
    findings
}

fn field_name(field: &str) -> &'static str {
    match field {
        "doi" => "serial-number.doi",
        "isbn" => "serial-number.isbn",
        "issn" => "serial-number.issn",
        _ => "note",
    }
}

fn finding(bib: &BibEntry, verification: &Verification, online: bool) -> Option<Finding> {
    let key = &bib.key;
    Some(match verification {
        Verification::Verified { .. } => return None,
        Verification::DoiNotFound { doi } => Finding::new(
            Rule::DoiNotFound,
            format!("entry `{key}`: the DOI {doi} is not registered (the resolver answers 404)"),
        )
        .hint("check the DOI at the work's own page; a DOI copied with a typo or from a citation list is the usual cause"),
        Verification::Mismatch {
            registry,
            id,
            verdict,
        } => {
            let fields: Vec<&str> = verdict.mismatches.iter().map(|m| m.field.name()).collect();
            let values: Vec<String> = verdict
                .mismatches
                .iter()
                .map(|m| format!("{}: “{}” (entry) vs “{}” ({registry})", m.field.name(), m.entry_value, m.registry_value))
                .collect();
            Finding::new(
                Rule::MetadataMismatch,
                format!(
                    "entry `{key}`: {id} names a work whose {} differ{} from the entry's",
                    fields.join(", "),
                    if fields.len() == 1 { "s" } else { "" }
                ),
            )
            .hint(format!(
                "{}{}",
                values.join("; "),
                if verdict.is_other_work() {
                    " — the identifier is probably another work's"
                } else {
                    ""
                }
            ))
        }
        Verification::Retracted { id, notice } => Finding::new(
            Rule::RetractedWork,
            format!("entry `{key}`: {id} was {}{}", updated(&notice.kind), notice_text(notice)),
        )
        .hint("cite the retraction notice beside the work, or do not rely on it"),
        Verification::Updated { id, notice } => Finding::new(
            Rule::WorkUpdated,
            format!("entry `{key}`: {id} has {}{}", updated(&notice.kind), notice_text(notice)),
        )
        .hint("check that what the thesis cites holds in the updated version"),
        Verification::NotFound { asked } => Finding::new(
            Rule::WorkNotFound,
            format!("entry `{key}`: no record found in {}", asked.join(", ")),
        )
        .hint("check the title, authors and year against the work itself; a reference nobody can find may be mistyped or made up"),
        Verification::MissingIdentifier { kind, id } => Finding::new(
            Rule::MissingIdentifier,
            format!("entry `{key}` has no {kind}; the registry's record of the work has {id}"),
        )
        .hint(format!("add `{}: {id}` to the entry", bib.field(if *kind == IdentifierKind::Doi { "serial-number.doi" } else { "serial-number.isbn" })))
        .fix(Some(add_identifier(bib, *kind, id))),
        Verification::Unverified { why } if online => Finding::new(
            Rule::WorkUnverified,
            format!("entry `{key}` was not checked against the registries: {why}"),
        ),
        Verification::Unverified { .. } => return None,
    })
}

/// The fix that writes a found identifier into the entry: a field line
/// under the key (`doi = {…},` in BibLaTeX; a `serial-number` map in YAML,
/// unless the entry has one already, where the author adds it).
fn add_identifier(bib: &BibEntry, kind: IdentifierKind, id: &str) -> Fix {
    let title = format!("add the {kind} {id} to `{}`", bib.key);
    let name = if kind == IdentifierKind::Doi {
        "doi"
    } else {
        "isbn"
    };
    let lines = match bib.format() {
        Format::Biblatex => format!("{name} = {{{id}}},"),
        Format::Yaml if bib.entry.serial_number().is_some() => {
            return Fix::blocked(
                title,
                format!("the entry has a `serial-number` map already: add `{name}: {id}` to it"),
            );
        }
        Format::Yaml => {
            let quoted = id.replace('\\', "\\\\").replace('"', "\\\"");
            format!("serial-number:\n  {name}: \"{quoted}\"")
        }
    };
    Fix::safe(
        title,
        vec![Edit::InsertLines {
            after: bib.span.clone(),
            lines,
        }],
    )
}

fn updated(kind: &UpdateKind) -> String {
    match kind {
        UpdateKind::Retraction => "retracted".into(),
        UpdateKind::Withdrawal => "withdrawn".into(),
        UpdateKind::PartialRetraction => "partly retracted".into(),
        UpdateKind::ExpressionOfConcern => "an expression of concern".into(),
        UpdateKind::Correction => "a correction".into(),
        UpdateKind::Erratum => "an erratum".into(),
        UpdateKind::Other(name) => format!("an update ({name})"),
    }
}

fn notice_text(notice: &Update) -> String {
    let mut parts = Vec::new();
    if let Some(date) = &notice.date {
        parts.push(format!("on {date}"));
    }
    if let Some(doi) = &notice.doi {
        parts.push(format!("notice {doi}"));
    }
    match notice.source.as_deref() {
        Some("retraction-watch") => parts.push("per Retraction Watch".into()),
        Some("openalex") => parts.push("per OpenAlex".into()),
        _ => {}
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::Rule;
    use crate::audit::testing::{Doc, of};

    #[test]
    fn identifiers_with_a_wrong_check_digit_or_syntax_are_errors() {
        let yaml = "book:\n  type: book\n  title: T\n  serial-number:\n    isbn: 978-0-306-40615-6\nart:\n  type: article\n  title: A\n  serial-number:\n    doi: 10.12/abc\n  parent:\n    type: periodical\n    title: J\n    serial-number:\n      issn: 1050-1240\ngood:\n  type: book\n  title: G\n  serial-number:\n    isbn: 978-0-306-40615-7\n";
        let findings = Doc::new(yaml).audit();
        let found = of(&findings, Rule::InvalidIdentifier);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("`978-0-306-40615-6`"), "{}", found[0]);
        let hint = findings
            .iter()
            .find(|f| f.rule == Rule::InvalidIdentifier)
            .and_then(|f| f.hint.clone())
            .unwrap_or_default();
        assert!(hint.contains("978-0-306-40615-7"), "{hint}");
    }

    /// What the registries said, as findings on the entry, each naming the
    /// notes that rely on the work; a verified work says nothing, and an
    /// unverified one only when the registries could be reached.
    #[test]
    fn registry_answers_as_findings_naming_the_notes() {
        use crate::registries::csl::{Update, UpdateKind};
        use crate::registries::verify::{RegistryReport, Verification};
        let yaml = "whit:\n  type: article\n  title: W\nok:\n  type: article\n  title: O\nnone:\n  type: article\n  title: N\n";
        let doc = Doc::new(yaml)
            .cite("whit", Some("p. 5"))
            .note("Other.")
            .cite("whit", Some("p. 9"))
            .cite("ok", None);
        let notice = Update {
            kind: UpdateKind::Retraction,
            doi: Some("10.5555/notice".into()),
            date: None,
            source: Some("retraction-watch".into()),
            label: None,
            record_id: None,
        };
        let report = |online| RegistryReport {
            results: vec![
                (
                    "whit".into(),
                    vec![Verification::Retracted {
                        id: "10.5555/w".into(),
                        notice: notice.clone(),
                    }],
                ),
                (
                    "ok".into(),
                    vec![Verification::Verified {
                        registry: "Crossref",
                        id: "10.5555/o".into(),
                        checked: 0,
                        extent: None,
                    }],
                ),
                (
                    "none".into(),
                    vec![Verification::Unverified {
                        why: "timed out".into(),
                    }],
                ),
            ],
            online,
            warnings: Vec::new(),
        };
        let findings = doc.audit_with_registries(&report(true));
        let retracted = of(&findings, Rule::RetractedWork);
        assert_eq!(
            retracted,
            [
                "-: entry `whit`: 10.5555/w was retracted (notice 10.5555/notice, per Retraction Watch) (cited in notes 1, 3)"
            ]
        );
        assert_eq!(of(&findings, Rule::WorkUnverified).len(), 1);
        assert!(
            findings
                .iter()
                .filter(|f| f.key.as_deref() == Some("ok"))
                .all(|f| !f.rule.code().starts_with("work") && f.rule != Rule::MetadataMismatch)
        );
        // Offline, an unverified entry is not reported.
        let offline = doc.audit_with_registries(&report(false));
        assert_eq!(of(&offline, Rule::WorkUnverified).len(), 0);
        assert_eq!(of(&offline, Rule::RetractedWork).len(), 1);
    }
}
