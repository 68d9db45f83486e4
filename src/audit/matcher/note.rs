//! One note read: its sentences matched against the bibliography, each
//! reading shaped and resolved, back-references followed.

use super::*;

/// What one note's prose cites.
#[derive(Debug, Default)]
pub(super) struct NoteFound {
    pub(super) found: Vec<HandTyped>,
    pub(super) legal: Vec<(String, legal::Authority)>,
}

/// The hand-typed citations of one note's prose, and its legal
/// authorities.
pub(super) fn read_note(
    prose: &str,
    italic: &[std::ops::Range<usize>],
    antecedent: &Antecedent,
    index: &SourceIndex,
    cited: &Cited,
) -> NoteFound {
    let mut note = NoteFound::default();
    let (readings, authorities) = read::references_and_authorities(prose, italic);
    for (range, kind) in authorities {
        note.legal.push((excerpt(&prose[range]), kind));
    }
    let was_cited: HashSet<String> = cited.last_locator.keys().cloned().collect();
    for reading in readings {
        let excerpt = excerpt(&prose[reading.range.clone()]);
        let hand = |key: Option<String>, problem: Option<Problem>| HandTyped {
            key,
            locator: reading.locator.clone(),
            excerpt: excerpt.clone(),
            ibid: reading.back.is_some(),
            problem,
            read: Read {
                names: reading.names.clone(),
                title: reading.title.clone(),
                year: reading.year.clone(),
                url: reading.url.clone(),
                extent: None,
                names_differ: false,
            },
        };
        let by_url = |url: &str| {
            let normal = index::normalise_url(url);
            index
                .entries
                .iter()
                .find(|e| e.urls.contains(&normal))
                .map(|e| e.key.clone())
        };
        // A URL alone: the entry that has it.
        if let Some(url) = &reading.url
            && reading.names.is_empty()
            && reading.title.is_none()
        {
            let key = by_url(url);
            let problem = key.is_none().then_some(Problem::Unknown);
            note.found.push(hand(key, problem));
            continue;
        }
        // `(n 4)`, `supra note 9`: the work of that note, when it is one
        // (or the one its names fit).
        if let Some(number) = &reading.note_ref
            && let Some(works) = cited.by_note.get(number)
        {
            let mut found = referred(&reading, works, index);
            if let Some(work) = found.take() {
                match work {
                    Work::Known(key) => note.found.push(hand(Some(key), None)),
                    Work::Unknown(excerpt) => note.found.push(hand(
                        None,
                        Some(Problem::UnknownAntecedent(format!(
                            "footnote {number}: “{excerpt}”"
                        ))),
                    )),
                    Work::Legal(excerpt) => note.legal.push((excerpt, legal::Authority::Case)),
                }
                continue;
            }
        }
        let mut results: Vec<HandTyped> = Vec::new();
        match reading.back.map(|t| t.points) {
            Some(Points::Previous) => {
                results.extend(back(&reading, antecedent, &hand, &mut note.legal))
            }
            Some(Points::PreviousAuthor) if reading.title.is_none() && reading.year.is_none() => {
                results.extend(back(&reading, antecedent, &hand, &mut note.legal))
            }
            Some(Points::Named) if reading.names.is_empty() => {
                results.extend(back(&reading, antecedent, &hand, &mut note.legal))
            }
            _ => {
                let mut reading = reading.clone();
                // `Id., La Distinction`, `Idem, 1962, p. 40`: the author of
                // the note before, another work.
                if reading
                    .back
                    .is_some_and(|t| t.points == Points::PreviousAuthor)
                    && let Antecedent::Works(_, works) = antecedent
                {
                    reading.names = authors_of(works, index);
                    if reading.title.is_none() {
                        reading.shape = read::Shape::AuthorDate;
                    }
                }
                let mut names_differ = false;
                let resolution = match resolve::resolve(&reading, index, &was_cited) {
                    // A title set apart that one entry has, whatever the
                    // names around it (co-authors joined by `with`, a
                    // particle, an institution): the title decides.
                    Resolution::Unknown
                        if reading.shape == Shape::Strong
                            && !reading.names.is_empty()
                            && reading
                                .title
                                .as_ref()
                                .is_some_and(|t| t.chars().count() >= 12) =>
                    {
                        let mut by_title = reading.clone();
                        by_title.names.clear();
                        by_title.people.clear();
                        // Only the whole title (or its short form): one
                        // that begins another's is not enough against the
                        // names.
                        let whole = text::squash(reading.title.as_deref().unwrap_or(""));
                        match resolve::resolve(&by_title, index, &was_cited) {
                            Resolution::Key(key)
                                if index
                                    .entries
                                    .iter()
                                    .any(|e| e.key == key && e.titles.contains(&whole)) =>
                            {
                                names_differ = true;
                                Resolution::Key(key)
                            }
                            _ => Resolution::Unknown,
                        }
                    }
                    // `MüKoBGB/Wagner`: a commentary cited by its short
                    // title where a name stands.
                    Resolution::Unknown if !reading.names.is_empty() => {
                        let titled: Vec<&index::Marks> = index
                            .entries
                            .iter()
                            .filter(|e| {
                                reading.names.iter().any(|n| {
                                    let n = text::squash(n);
                                    n.chars().count() >= 3 && e.titles.contains(&n)
                                })
                            })
                            .collect();
                        match titled.as_slice() {
                            [one] => Resolution::Key(one.key.clone()),
                            _ => Resolution::Unknown,
                        }
                    }
                    other => other,
                };
                let resolution = match resolution {
                    // Read in an order the reader did not expect: look for an
                    // entry's author and title anywhere in the reference, or
                    // for its URL.
                    Resolution::Unknown if reading.shape != Shape::Weak => {
                        match resolve::anchored(&prose[reading.range.clone()], &reading, index) {
                            Resolution::Unknown => match reading.url.as_deref().and_then(by_url) {
                                Some(key) => Resolution::Key(key),
                                None => Resolution::Unknown,
                            },
                            other => other,
                        }
                    }
                    other => other,
                };
                match resolution {
                    Resolution::Key(key) => {
                        let mut found = hand(Some(key), None);
                        found.read.names_differ = names_differ;
                        extent(&mut found, index);
                        volume(&mut found, index);
                        results.push(found);
                    }
                    Resolution::Ambiguous(keys) => {
                        results.push(hand(None, Some(Problem::Ambiguous(keys))))
                    }
                    // A name and a number that fit no entry: not a citation.
                    Resolution::Unknown if reading.shape == Shape::Weak => {}
                    Resolution::Unknown => results.push(hand(None, Some(Problem::Unknown))),
                }
            }
        }
        // `loc. cit.`, `t.a.p.`: the same place as the work's last citation.
        if reading.back.is_some_and(|t| t.same_place) {
            for found in &mut results {
                if found.locator.is_none()
                    && let Some(key) = &found.key
                    && let Some(Some(locator)) = cited.last_locator.get(key)
                {
                    found.locator = Some(locator.clone());
                }
            }
        }
        note.found.extend(results);
    }
    note
}
