//! `hand-typed-citation` and `unknown-source`: citations typed as prose
//! instead of cited from the bibliography.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::matcher::{HandTyped, Problem};
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::Footnote;

pub const HAND_TYPED_CITATION: Definition = Definition {
    code: "hand-typed-citation",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote cites a source by hand instead of through the bibliography",
        what: "Reads the prose of every footnote (its text minus what citations generated) for \
               citations typed by hand, in the conventions theses use: full and short notes \
               (Chicago, MLA, Italian, German, French, Spanish), author–date references (`Teiwes \
               1999: 40`, `Teiwes (1999), p. 41`), back-references (Ibid., Id., op. cit., Ivi, Ebd., \
               a.a.O., Ibíd., 同上), Chinese notes (`作者：《书名》，第N页` and GB/T 7714) and pasted \
               URLs; several in one note, after `;`, \"See also\" or \"Cf.\". Each is matched to an entry \
               by family name (in any script, diacritics folded, hanzi to pinyin), title (full, \
               short or truncated) and year; it names the entry, the locator, and the structured \
               citation to write instead. When two entries fit, it names both instead of guessing.",
        why: "A hand-typed citation is invisible to the bibliography: the style cannot format it, \
              \"Ibid.\" breaks silently when notes move, and nothing checks that the source exists.",
        example: "#footnote[MacFARQUHAR, “The Origins…”, cit., pp.7-9.]\n// write instead:\n@macfarquhar1983[pp. 7-9]",
    },
};

pub const UNKNOWN_SOURCE: Definition = Definition {
    code: "unknown-source",
    severity: Severity::Warning,
    family: Family::Citations,
    doc: RuleDoc {
        summary: "a footnote cites by hand a source the bibliography does not have",
        what: "A hand-typed citation (see `hand-typed-citation`) that matches no bibliography \
               entry — a work by an author the bibliography lacks, another work by an author it has, \
               a pasted URL — or a back-reference with nothing to refer to (\"Ibid.\" after a note \
               that cites nothing). The message says what was read (author, title, year), the hint \
               gives a Hayagriva entry built from it.",
        why: "The source is missing from the bibliography altogether, so the reader finds it only \
              in this note, and no check covers it.",
        example: "#footnote[See http://example.org/report.pdf, 13/10/2009.]   // add an entry, then @report",
    },
};

pub fn check(input: &AuditInput) -> Vec<Finding> {
    let mut findings = Vec::new();
    for reading in input.hand_typed() {
        let note = &input.document.footnotes[reading.footnote];
        for citation in &reading.found {
            findings.push(finding(note, citation));
        }
    }
    findings
}

fn finding(note: &Footnote, citation: &HandTyped) -> Finding {
    let number = &note.number;
    let excerpt = &citation.excerpt;
    let finding = match (&citation.key, citation.suggestion(), &citation.problem) {
        (Some(key), Some(suggestion), _) => Finding::new(
            Rule::HandTypedCitation,
            format!("footnote {number} cites `{key}` by hand: “{excerpt}”"),
        )
        .key(key)
        .hint(format!(
            "cite it from the bibliography instead: `{suggestion}`"
        )),
        (_, _, Some(Problem::Ambiguous(keys))) => Finding::new(
            Rule::HandTypedCitation,
            format!(
                "footnote {number} cites by hand one of {}, and nothing tells which: “{excerpt}”",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .hint("cite the one meant from the bibliography, `@key[page]` (the title or the year would tell them apart)"),
        (_, _, Some(Problem::NoAntecedent(why))) => Finding::new(
            Rule::UnknownSource,
            format!("footnote {number} says “{excerpt}” but {why}"),
        )
        .hint("cite the source itself, `@key[page]`"),
        (_, _, Some(Problem::UnknownAntecedent(what))) => Finding::new(
            Rule::UnknownSource,
            format!(
                "footnote {number} says “{excerpt}”, which refers to a work the bibliography does not have ({what})"
            ),
        )
        .hint("add an entry for that work to the bibliography and cite it with `@key` in both notes"),
        _ => {
            let read = described(citation);
            Finding::new(
                Rule::UnknownSource,
                format!(
                    "footnote {number} cites a work the bibliography does not have: “{excerpt}”{read}"
                ),
            )
            .hint(entry_hint(citation))
        }
    };
    finding
        .at(note.span.as_ref())
        .footnote(number)
        .excerpt(excerpt)
}

/// ` (read: author Teiwes, title “…”, 1999)`, or nothing.
fn described(citation: &HandTyped) -> String {
    let read = &citation.read;
    let mut parts = Vec::new();
    if !read.names.is_empty() {
        parts.push(format!("author {}", read.names.join(" and ")));
    }
    if let Some(title) = &read.title {
        parts.push(format!("title “{title}”"));
    }
    if let Some(year) = &read.year {
        parts.push(format!("year {year}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" (read: {})", parts.join(", "))
    }
}

/// A Hayagriva entry built from what was read, to add to the bibliography.
fn entry_hint(citation: &HandTyped) -> String {
    let read = &citation.read;
    let key = suggested_key(citation);
    let mut yaml = format!(
        "{key}:\n  type: {}\n",
        if read.url.is_some() { "web" } else { "book" }
    );
    if let Some(title) = &read.title {
        yaml.push_str(&format!("  title: {}\n", yaml_string(title)));
    }
    match read.names.as_slice() {
        [] => {}
        [one] => yaml.push_str(&format!("  author: {}\n", yaml_string(one))),
        many => yaml.push_str(&format!(
            "  author: [{}]\n",
            many.iter()
                .map(|n| yaml_string(n))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    if let Some(year) = read.year.as_deref().and_then(|y| y.get(..4)) {
        yaml.push_str(&format!("  date: {year}\n"));
    }
    if let Some(url) = &read.url {
        yaml.push_str(&format!("  url: {}\n", yaml_string(url)));
    }
    let cite = match &citation.locator {
        Some(locator) => format!("@{key}[{locator}]"),
        None => format!("@{key}"),
    };
    format!(
        "add the work to the bibliography, completing what the note does not say:\n{yaml}then cite it: `{cite}`"
    )
}

/// A key from the first author's name and the year: `teiwes1999`.
fn suggested_key(citation: &HandTyped) -> String {
    let read = &citation.read;
    let name = read
        .names
        .first()
        .map(|n| {
            crate::audit::matcher::text::pinyin(n)
                .unwrap_or_else(|| crate::audit::matcher::text::squash(n))
        })
        .filter(|n| !n.is_empty())
        .or_else(|| {
            read.url.as_deref().and_then(|u| {
                url::Url::parse(u).ok()?.host_str().map(|h| {
                    h.trim_start_matches("www.")
                        .split('.')
                        .next()
                        .unwrap_or(h)
                        .to_string()
                })
            })
        })
        .unwrap_or_else(|| "source".to_string());
    let year = read.year.as_deref().and_then(|y| y.get(..4)).unwrap_or("");
    format!("{name}{year}")
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
