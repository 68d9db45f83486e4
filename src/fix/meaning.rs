//! What a document says, note by note, as `ibid fix` compares it before
//! and after: which works each note cites and where in them, and the words
//! it says besides. A citation style renders a work its own way, so the
//! comparison is on entries and locators, not characters; punctuation is
//! left to the style.

use crate::audit::fix;
use crate::audit::matcher::NoteReading;
use crate::document::Document;
use crate::locator;

/// A citation: the entry (`None` for a work the bibliography lacks) and
/// where in it, as a canonical string (`p./pp. 7-9` and `pag. 7-9` alike).
pub type Cite = (Option<String>, String);

/// What each footnote cites and says, and what the text outside notes cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meaning {
    pub notes: Vec<NoteMeaning>,
    /// Citations outside any footnote (an author–date style).
    pub body: Vec<Cite>,
}

/// One footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteMeaning {
    pub number: String,
    /// Sorted.
    pub cites: Vec<Cite>,
    /// Its words besides the citations, in order.
    pub words: Vec<String>,
}

/// Where two documents differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The footnote (index in the original), or `None` for the text outside
    /// notes or the number of notes.
    pub note: Option<usize>,
    pub what: String,
}

impl Meaning {
    /// The meaning of a compiled document, read with its hand-typed
    /// citations (`readings`, one per footnote that has any).
    pub fn of(document: &Document, readings: &[NoteReading]) -> Self {
        let mut notes: Vec<NoteMeaning> = document
            .footnotes
            .iter()
            .map(|note| NoteMeaning {
                number: note.number.clone(),
                cites: document
                    .citations_of(note)
                    .map(|c| (Some(c.key.clone()), canonical(c.locator.as_deref())))
                    .collect(),
                words: fix::residue(&note.prose, &[]),
            })
            .collect();
        for reading in readings {
            let Some(meaning) = notes.get_mut(reading.footnote) else {
                continue;
            };
            let prose = &document.footnotes[reading.footnote].prose;
            let removals: Vec<String> = reading
                .found
                .iter()
                .map(|c| fix::removal(prose, c))
                .collect();
            meaning.words = fix::residue(prose, &removals);
            meaning.cites.extend(
                reading
                    .found
                    .iter()
                    .map(|c| (c.key.clone(), canonical(c.locator.as_deref()))),
            );
        }
        for note in &mut notes {
            note.cites.sort();
        }
        let mut body: Vec<Cite> = document
            .citations
            .iter()
            .filter(|c| c.footnote.is_none())
            .map(|c| (Some(c.key.clone()), canonical(c.locator.as_deref())))
            .collect();
        body.sort();
        Self { notes, body }
    }

    /// Where `fixed` says something else than `self` once `renames` (key
    /// `from` cited as `to`; `None` for a work the bibliography lacked) are
    /// taken into account.
    pub fn differences(
        &self,
        fixed: &Meaning,
        renames: &[(Option<String>, String)],
    ) -> Vec<Difference> {
        let mut out = Vec::new();
        if self.notes.len() != fixed.notes.len() {
            out.push(Difference {
                note: None,
                what: format!(
                    "the document had {} footnotes and would have {}",
                    self.notes.len(),
                    fixed.notes.len()
                ),
            });
            return out;
        }
        let renamed = |cites: &[Cite]| -> Vec<Cite> {
            let mut cites: Vec<Cite> = cites
                .iter()
                .map(|(key, at)| {
                    let to = renames
                        .iter()
                        .find(|(from, _)| from.is_some() && from == key)
                        .map(|(_, to)| Some(to.clone()));
                    (to.unwrap_or_else(|| key.clone()), at.clone())
                })
                .collect();
            cites.sort();
            cites
        };
        let added: Vec<&String> = renames
            .iter()
            .filter(|(from, _)| from.is_none())
            .map(|(_, to)| to)
            .collect();
        for (i, (before, after)) in self.notes.iter().zip(&fixed.notes).enumerate() {
            let expected = renamed(&before.cites);
            if !same_cites(&expected, &after.cites, &added) {
                out.push(Difference {
                    note: Some(i),
                    what: format!(
                        "footnote {} would cite {} instead of {}",
                        before.number,
                        list(&after.cites),
                        list(&expected)
                    ),
                });
            } else if before.words != after.words {
                out.push(Difference {
                    note: Some(i),
                    what: format!(
                        "footnote {} would say “{}” instead of “{}”",
                        before.number,
                        after.words.join(" "),
                        before.words.join(" ")
                    ),
                });
            }
        }
        if !same_cites(&renamed(&self.body), &fixed.body, &added) {
            out.push(Difference {
                note: None,
                what: format!(
                    "the text would cite {} instead of {}",
                    list(&fixed.body),
                    list(&self.body)
                ),
            });
        }
        out
    }
}

/// Whether two sorted lists of citations are the same, a work the
/// bibliography lacked (`None`) standing for a key the fixes added.
fn same_cites(expected: &[Cite], found: &[Cite], added: &[&String]) -> bool {
    let mut found: Vec<&Cite> = found.iter().collect();
    let mut unknown: Vec<&Cite> = Vec::new();
    for cite in expected {
        if cite.0.is_none() {
            unknown.push(cite);
        } else if let Some(at) = found.iter().position(|f| *f == cite) {
            found.remove(at);
        } else {
            return false;
        }
    }
    for (_, at) in unknown {
        let stands_in = found.iter().position(|(key, there)| {
            there == at && key.as_ref().is_none_or(|k| added.contains(&k))
        });
        match stands_in {
            Some(i) => {
                found.remove(i);
            }
            None => return false,
        }
    }
    found.is_empty()
}

fn list(cites: &[Cite]) -> String {
    if cites.is_empty() {
        return "nothing".into();
    }
    cites
        .iter()
        .map(|(key, at)| {
            let key = key.as_deref().unwrap_or("(a work not in the bibliography)");
            if at.is_empty() {
                key.to_string()
            } else {
                format!("{key} at {at}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A locator as the comparison sees it: the kinds and the page ranges it
/// names when it reads as a locator (so `pp. 7-9`, `pag. 7–9` and
/// `pagg. 7-9` are one), else its characters without spacing.
fn canonical(locator: Option<&str>) -> String {
    let Some(text) = locator else {
        return String::new();
    };
    match locator::parse(text) {
        Ok(parsed) if parsed.page_ranges().next().is_some() => {
            let ranges: Vec<String> = parsed
                .page_ranges()
                .map(|(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}-{b}")
                    }
                })
                .collect();
            let kinds: Vec<&str> = parsed.kinds().iter().map(|k| k.as_str()).collect();
            format!("{} {}", kinds.join("+"), ranges.join(","))
        }
        _ => text
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(number: &str, cites: &[(Option<&str>, &str)], words: &str) -> NoteMeaning {
        let mut cites: Vec<Cite> = cites
            .iter()
            .map(|(k, at)| (k.map(str::to_string), canonical(Some(at)).to_string()))
            .collect();
        cites.sort();
        NoteMeaning {
            number: number.into(),
            cites,
            words: words.split_whitespace().map(str::to_string).collect(),
        }
    }

    fn meaning(notes: Vec<NoteMeaning>) -> Meaning {
        Meaning {
            notes,
            body: Vec::new(),
        }
    }

    #[test]
    fn a_locator_label_in_another_form_cites_the_same_pages() {
        assert_eq!(canonical(Some("pp. 7-9")), canonical(Some("pag. 7–9")));
        assert_eq!(canonical(Some("pp. 124")), canonical(Some("p. 124")));
        assert_ne!(canonical(Some("p. 124")), canonical(Some("p. 125")));
    }

    #[test]
    fn the_same_note_after_a_fix_has_no_difference() {
        let before = meaning(vec![note("1", &[(Some("a"), "pp. 7-9")], "See also")]);
        let after = meaning(vec![note("1", &[(Some("a"), "p. 7–9")], "See also")]);
        assert!(before.differences(&after, &[]).is_empty());
    }

    #[test]
    fn a_note_that_cites_another_page_is_a_difference() {
        let before = meaning(vec![note("1", &[(Some("a"), "p. 7")], "")]);
        let after = meaning(vec![note("1", &[(Some("a"), "p. 8")], "")]);
        let diffs = before.differences(&after, &[]);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].note, Some(0));
    }

    #[test]
    fn a_note_that_lost_words_is_a_difference() {
        let before = meaning(vec![note("1", &[(Some("a"), "")], "See also")]);
        let after = meaning(vec![note("1", &[(Some("a"), "")], "See")]);
        assert_eq!(before.differences(&after, &[]).len(), 1);
    }

    #[test]
    fn renamed_and_added_keys_are_what_the_fix_meant() {
        let before = meaning(vec![
            note("1", &[(Some("macfarquar1983"), "p. 5")], ""),
            note("2", &[(None, "p. 40")], ""),
        ]);
        let after = meaning(vec![
            note("1", &[(Some("macfarquhar1983"), "p. 5")], ""),
            note("2", &[(Some("teiwes1999"), "p. 40")], ""),
        ]);
        let renames = [
            (
                Some("macfarquar1983".to_string()),
                "macfarquhar1983".to_string(),
            ),
            (None, "teiwes1999".to_string()),
        ];
        assert!(before.differences(&after, &renames).is_empty());
        assert_eq!(before.differences(&after, &renames[..1]).len(), 1);
    }

    #[test]
    fn a_footnote_more_or_less_is_a_difference() {
        let before = meaning(vec![note("1", &[], "x")]);
        let after = meaning(vec![note("1", &[], "x"), note("2", &[], "y")]);
        assert_eq!(before.differences(&after, &[])[0].note, None);
    }
}
