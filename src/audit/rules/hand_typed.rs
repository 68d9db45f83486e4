//! `hand-typed-citation` and `unknown-source`: citations typed as prose
//! instead of cited from the bibliography.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;
use crate::audit::fix::{self, Edit, Fix};
use crate::audit::matcher::{HandTyped, NoteReading, Problem};
use crate::audit::{AuditInput, Finding, Rule};
use crate::document::{Footnote, FootnoteKind};

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
            // An "Ibid." that opens a note with nothing to refer to is
            // `ambiguous-ibid`'s; one finding, not two.
            if matches!(citation.problem, Some(Problem::NoAntecedent(_)))
                && crate::audit::matcher::is_ibid(&note.text)
            {
                continue;
            }
            let fix = remedy(input, note, reading, citation);
            // One back-reference standing for several works ("Ibidem."
            // after a note citing two) is a finding per work, all with the
            // same advice: cite them all.
            let together = standing_for(reading, citation);
            findings.push(finding(note, citation, &together).fix(fix));
        }
    }
    findings.extend(super::legal_sources::unknown(input));
    findings
}

fn finding(note: &Footnote, citation: &HandTyped, together: &[&HandTyped]) -> Finding {
    let number = &note.number;
    let excerpt = &citation.excerpt;
    let finding = match (&citation.key, citation.suggestion(), &citation.problem) {
        (Some(key), Some(_), _) if citation.ibid && together.len() > 1 => {
            let all: Vec<String> = together.iter().filter_map(|c| c.suggestion()).collect();
            Finding::new(
                Rule::HandTypedCitation,
                format!("footnote {number} cites `{key}` by hand: “{excerpt}”"),
            )
            .key(key)
            .hint(format!(
                "cite them from the bibliography instead: `{}` (the “{excerpt}” stands for all {} \
                 works of the note before; if one was meant, cite that one)",
                all.join(" "),
                all.len()
            ))
        }
        (Some(key), Some(suggestion), _) => Finding::new(
            Rule::HandTypedCitation,
            format!("footnote {number} cites `{key}` by hand: “{excerpt}”"),
        )
        .key(key)
        .hint(if citation.read.names_differ {
            format!(
                "cite it from the bibliography instead: `{suggestion}` (known by its title: the \
                 names read, {}, are not the entry's; check which is right)",
                citation.read.names.join(", ")
            )
        } else {
            format!("cite it from the bibliography instead: `{suggestion}`")
        }),
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

/// The works the words of `citation` were read as: itself, and, for a
/// back-reference after a note citing several works, each of those.
fn standing_for<'a>(reading: &'a NoteReading, citation: &HandTyped) -> Vec<&'a HandTyped> {
    reading
        .found
        .iter()
        .filter(|c| c.excerpt == citation.excerpt)
        .collect()
}

/// The structured citation that replaces a hand-typed one: in place, or,
/// when the note held nothing but hand-typed citations and the style sets
/// citations as notes, instead of the whole footnote (which the citation
/// then makes itself; `#footnote[@key]` would be a note in a note).
fn remedy(
    input: &AuditInput,
    note: &Footnote,
    reading: &NoteReading,
    citation: &HandTyped,
) -> Option<Fix> {
    // One back-reference may stand for several works ("Ibidem." after a
    // note citing two): it becomes all of them.
    let standing_for = standing_for(reading, citation);
    let cite = |c: &HandTyped| Some(fix::citation(c.key.as_ref()?, c.locator.as_deref()));
    let (with, fix) = match (&citation.key, &citation.problem) {
        (Some(key), _) => {
            let cites: Option<Vec<String>> = standing_for.iter().map(|c| cite(c)).collect();
            let with = cites?.join(" ");
            // Nothing the note says may be lost: a fix is made only when
            // the reading accounts for every part of the citation.
            if let Some(why) = not_all_read(input, key, citation) {
                return Some(Fix::blocked(format!("cite `{with}`"), why));
            }
            (
                with.clone(),
                Fix::safe(format!("cite `{with}`"), Vec::new()),
            )
        }
        (None, Some(Problem::Unknown)) if standing_for.len() == 1 => {
            let (key, edit) = new_entry(input, citation)?;
            let with = fix::citation(&key, citation.locator.as_deref());
            let fix = Fix::unsafe_(
                format!("add `{key}` to {} and cite `{with}`", edit.file()),
                vec![edit],
            )
            .renaming(None, &key);
            (with, fix)
        }
        _ => return None,
    };
    let within = note.span.clone()?;
    let removals: Vec<String> = reading
        .found
        .iter()
        .map(|c| fix::removal(&note.prose, c))
        .collect();
    let says_more = !fix::residue(&note.prose, &removals).is_empty();
    let note_style = input.document.note_style();
    let edit = if note_style && (says_more || !note.citations.is_empty()) {
        return Some(Fix::blocked(
            format!("cite `{with}`"),
            "the note says more than its citations, and under a note style Typst sets a citation \
             inside a footnote as a footnote of its own (typst/typst#8147): rewrite the note by hand",
        ));
    } else if note_style {
        if note.kind == FootnoteKind::MissingSource || reading.found.iter().any(|c| c.key.is_none())
        {
            return None;
        }
        // The note becomes its citations, side by side: one group, which a
        // note style sets as one footnote. Every hand-typed citation of the
        // note proposes this same edit; the edge applies it once.
        let mut cites: Vec<String> = reading.found.iter().filter_map(cite).collect();
        cites.dedup();
        Edit::ReplaceCall {
            call: within,
            with: cites.join(" "),
        }
    } else {
        Edit::Replace {
            within,
            find: fix::removal(&note.prose, citation),
            with,
        }
    };
    let mut fix = fix;
    fix.edits.insert(0, edit);
    Some(fix)
}

/// Why replacing the citation by `@key[…]` would lose what the note says,
/// if it would: a number ibid did not read (a locator in a form it does not
/// know, a volume the entry lacks), a second work cited through the first
/// (`apud`).
fn not_all_read(input: &AuditInput, key: &str, citation: &HandTyped) -> Option<String> {
    let bib = input.bibliography.get(key);
    // `512–38, at 520` for an entry without pages: the range would be lost.
    if let Some((first, last)) = citation.read.extent
        && bib.is_some_and(|b| b.entry.page_range().is_none())
    {
        return Some(format!(
            "the note gives the pages of the work ({first}–{last}), which the entry `{key}` lacks: \
             add `page-range: {first}-{last}` to it, and `ibid fix` will cite the page"
        ));
    }
    let entry = bib
        .and_then(|e| serde_json::to_string(&e.entry).ok())
        .unwrap_or_default();
    let unread = fix::unaccounted(citation, &entry);
    if !unread.is_empty() {
        let list: Vec<String> = unread.iter().map(|u| format!("`{u}`")).collect();
        return Some(format!(
            "ibid did not read all of this citation ({} would be lost): write `@{key}[…]` by hand, \
             with the locator in the brackets",
            list.join(", ")
        ));
    }
    None
}

/// The entry for a work the bibliography lacks, appended to its first file,
/// under a key no entry has.
fn new_entry(input: &AuditInput, citation: &HandTyped) -> Option<(String, Edit)> {
    let file = input
        .document
        .bibliographies
        .iter()
        .flat_map(|b| &b.files)
        .next()?
        .clone();
    let base = suggested_key(citation)?;
    let key = std::iter::once(base.clone())
        .chain(('a'..='z').map(|c| format!("{base}{c}")))
        .find(|k| input.bibliography.get(k).is_none())?;
    let text = if file.ends_with(".bib") {
        biblatex_entry(&key, citation)
    } else {
        format!("\n{}", yaml_entry(&key, citation))
    };
    Some((key, Edit::Append { file, text }))
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
    let key = suggested_key(citation).unwrap_or_else(|| "source".to_string());
    let yaml = yaml_entry(&key, citation);
    let cite = match &citation.locator {
        Some(locator) => format!("@{key}[{locator}]"),
        None => format!("@{key}"),
    };
    format!(
        "add the work to the bibliography, completing what the note does not say:\n{yaml}then cite it: `{cite}`"
    )
}

/// A Hayagriva entry from what a note says of a work.
fn yaml_entry(key: &str, citation: &HandTyped) -> String {
    let read = &citation.read;
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
    yaml
}

/// A BibLaTeX entry from what a note says of a work.
fn biblatex_entry(key: &str, citation: &HandTyped) -> String {
    let read = &citation.read;
    let braced = |s: &str| s.replace(['{', '}'], "");
    let mut fields = Vec::new();
    if let Some(title) = &read.title {
        fields.push(format!("  title = {{{}}}", braced(title)));
    }
    if !read.names.is_empty() {
        fields.push(format!(
            "  author = {{{}}}",
            braced(&read.names.join(" and "))
        ));
    }
    if let Some(year) = read.year.as_deref().and_then(|y| y.get(..4)) {
        fields.push(format!("  year = {{{year}}}"));
    }
    if let Some(url) = &read.url {
        fields.push(format!("  url = {{{}}}", braced(url)));
    }
    let kind = if read.url.is_some() { "online" } else { "book" };
    format!("\n@{kind}{{{key},\n{}\n}}\n", fields.join(",\n"))
}

/// A key from the first author's name and the year: `teiwes1999`; `None`
/// when the note gives neither a name nor a URL.
fn suggested_key(citation: &HandTyped) -> Option<String> {
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
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))?;
    let year = read.year.as_deref().and_then(|y| y.get(..4)).unwrap_or("");
    Some(format!("{name}{year}"))
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use crate::audit::fix::Applicability;
    use crate::audit::testing::Doc;
    use crate::audit::{Finding, Rule};

    const BOOK: &str = "doe2001:\n  type: book\n  title: A Book\n  author: Doe, Jane\n  date: 2001\n  publisher: Press\n  volume: 3\n";

    /// The fix proposed for each hand-typed citation: `Ok(applicability)`,
    /// or `Err(why)` when it is left to the author.
    fn fixes(notes: &[&str]) -> Vec<Result<Applicability, String>> {
        let mut doc = Doc::new(BOOK);
        for note in notes {
            doc = doc.note(note);
        }
        doc.audit()
            .into_iter()
            .filter(|f| f.rule == Rule::HandTypedCitation)
            .map(|f| {
                let fix = f.fix.expect("a remedy");
                match fix.blocked {
                    Some(why) => Err(why),
                    None => Ok(fix.applicability),
                }
            })
            .collect()
    }

    #[test]
    fn a_citation_read_whole_is_fixed() {
        assert_eq!(
            fixes(&["Doe, _A Book_ (London: Press, 2001), 12."]),
            [Ok(Applicability::Safe)]
        );
        // The entry's volume accounts for `vol. 3`.
        assert_eq!(
            fixes(&["Doe, _A Book_, vol. 3 (London: Press, 2001), 12."]),
            [Ok(Applicability::Safe)]
        );
    }

    #[test]
    fn a_number_ibid_did_not_read_blocks_the_fix() {
        // `Anhang 300`: a place in the book in a form ibid does not read.
        let found = fixes(&["Doe, _A Book_, Anhang 300."]);
        let [Err(why)] = found.as_slice() else {
            panic!("{found:?}")
        };
        assert!(why.contains("`300` would be lost"), "{why}");
        // `300 sqq.` is read, and kept whole.
        assert_eq!(
            fixes(&["Doe, _A Book_, 300 sqq."]),
            [Ok(Applicability::Safe)]
        );
        // A volume the entry lacks, read as part of the locator: kept.
        assert_eq!(
            fixes(&["Doe, _A Book_, vol. 7, 44."]),
            [Ok(Applicability::Safe)]
        );
    }

    #[test]
    fn the_locator_keeps_its_abbreviation_s_period_not_the_full_stop() {
        let doc = Doc::new(BOOK)
            .note("Doe, _A Book_, 83 ff.")
            .note("Doe, _A Book_, vol. 7, 44.");
        let hints: Vec<String> = doc
            .audit()
            .into_iter()
            .filter(|f| f.rule == Rule::HandTypedCitation)
            .filter_map(|f| f.hint)
            .collect();
        assert!(hints[0].contains("`@doe2001[83 ff.]`"), "{hints:?}");
        assert!(hints[1].contains("`@doe2001[vol. 7, 44]`"), "{hints:?}");
    }

    #[test]
    fn an_article_s_range_and_its_pinpoint() {
        const ARTICLE: &str = "smith1985:\n  type: article\n  title: Famine Politics\n  author: Smith, John\n  date: 1985\n  page-range: 512-538\n  parent: { type: periodical, title: Journal of Asian Studies, volume: 44 }\nbare:\n  type: article\n  title: Grain Politics\n  author: Roe, Jane\n  date: 1986\n  parent: { type: periodical, title: Journal of Asian Studies, volume: 45 }\n";
        let findings = Doc::new(ARTICLE)
            .note("Smith, “Famine Politics,” _Journal of Asian Studies_ 44 (1985): 512–38, at 520.")
            .note("Smith, “Famine Politics,” _Journal of Asian Studies_ 44 (1985): 512–38.")
            .note("Roe, “Grain Politics,” _Journal of Asian Studies_ 45 (1986): 100–20, 105.")
            .audit();
        let hand: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule == Rule::HandTypedCitation)
            .collect();
        assert_eq!(hand.len(), 3, "{hand:?}");
        // The page cited, not the article's range.
        assert!(
            hand[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`@smith1985[520]`"),
            "{hand:?}"
        );
        // The article's own range: the article, at no page.
        assert!(
            hand[1].hint.as_deref().unwrap().contains("`@smith1985`"),
            "{hand:?}"
        );
        // An entry without pages: the fix says to add them.
        let why = hand[2]
            .fix
            .as_ref()
            .and_then(|f| f.blocked.clone())
            .unwrap();
        assert!(why.contains("add `page-range: 100-120`"), "{why}");
    }

    #[test]
    fn a_work_cited_through_another_keeps_the_other() {
        // Read as two references: the one in the bibliography is replaced,
        // `Smith, 1959 apud` stays in the note.
        let findings = Doc::new(BOOK)
            .note("Smith, 1959 apud Doe, _A Book_, p. 10.")
            .audit();
        let fix = findings
            .iter()
            .find(|f| f.rule == Rule::HandTypedCitation)
            .and_then(|f| f.fix.clone())
            .expect("a fix");
        let Some(crate::audit::fix::Edit::Replace { find, .. }) = fix.edits.first() else {
            panic!("{fix:?}")
        };
        assert_eq!(find, "Doe, A Book, p. 10");
        // One reference that holds `apud` (not read as two) is left alone.
        let found = fixes(&["Doe apud _A Book_, p. 10."]);
        assert!(found.iter().all(|f| f.is_err()), "{found:?}");
    }

    /// "Ibidem." after a note citing two works by hand reads as both, one
    /// finding per work, and every one gives the same advice (cite both),
    /// not contrary ones.
    #[test]
    fn an_ibidem_standing_for_two_works_advises_alike() {
        let yaml = "yang2007:\n  type: book\n  title: Mubei\n  author: Yang, Jisheng\n  date: 2007\n  publisher: Tiandi\nmacfarquhar1983:\n  type: book\n  title: The Origins of the Cultural Revolution\n  author: MacFarquhar, Roderick\n  date: 1983\n  publisher: Columbia\n";
        let findings = Doc::new(yaml)
            .note("Yang Jisheng, _Mubei_, 2007, p. 1; Roderick MacFarquhar, _The Origins of the Cultural Revolution_, 1983, p. 2.")
            .note("Ibidem.")
            .audit();
        let ibidem: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule == Rule::HandTypedCitation && f.footnote.as_deref() == Some("2"))
            .collect();
        let keys: Vec<&str> = ibidem.iter().filter_map(|f| f.key.as_deref()).collect();
        assert_eq!(keys, ["yang2007", "macfarquhar1983"], "{findings:#?}");
        for finding in &ibidem {
            let hint = finding.hint.as_deref().unwrap_or_default();
            assert!(hint.contains("`@yang2007 @macfarquhar1983`"), "{hint}");
        }
    }
}
