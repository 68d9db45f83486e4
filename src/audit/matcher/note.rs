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
    let reader = NoteReader {
        prose,
        index,
        cited,
        was_cited: cited.last_locator.keys().cloned().collect(),
    };
    for reading in readings {
        let excerpt = excerpt(&prose[reading.range.clone()]);
        let hand = |key, problem| hand_typed(&reading, &excerpt, key, problem);
        // A URL alone: the entry that has it.
        if let Some(url) = &reading.url
            && reading.names.is_empty()
            && reading.title.is_none()
        {
            let key = reader.by_url(url);
            let problem = key.is_none().then_some(Problem::Unknown);
            note.found.push(hand(key, problem));
            continue;
        }
        if reader.by_note_number(&reading, &hand, &mut note) {
            continue;
        }
        let mut results = match reading.back.map(|t| t.points) {
            Some(Points::Previous) => back(&reading, antecedent, &hand, &mut note.legal),
            Some(Points::PreviousAuthor) if reading.title.is_none() && reading.year.is_none() => {
                back(&reading, antecedent, &hand, &mut note.legal)
            }
            Some(Points::Named) if reading.names.is_empty() => {
                back(&reading, antecedent, &hand, &mut note.legal)
            }
            _ => reader
                .by_reading(&reading, antecedent, &hand)
                .into_iter()
                .collect(),
        };
        // `loc. cit.`, `t.a.p.`: the same place as the work's last citation.
        if reading.back.is_some_and(|t| t.same_place) {
            cited.same_place(&mut results);
        }
        note.found.extend(results);
    }
    note
}

/// A hand-typed citation of `reading`, found to be `key` (or not, and why).
fn hand_typed(
    reading: &Reading,
    excerpt: &str,
    key: Option<String>,
    problem: Option<Problem>,
) -> HandTyped {
    HandTyped {
        key,
        locator: reading.locator.clone(),
        excerpt: excerpt.to_string(),
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
    }
}

/// A title set apart, long enough to tell one entry (twelve characters),
/// decides whatever the names around it (co-authors joined by `with`, a
/// particle, an institution).
fn title_decides(reading: &Reading) -> bool {
    reading.shape == Shape::Strong
        && !reading.names.is_empty()
        && reading
            .title
            .as_ref()
            .is_some_and(|t| t.chars().count() >= 12)
}

/// What reading one note's references consults: its prose, the
/// bibliography, and what the notes before it cited.
struct NoteReader<'a> {
    prose: &'a str,
    index: &'a SourceIndex,
    cited: &'a Cited,
    was_cited: HashSet<String>,
}

impl NoteReader<'_> {
    /// The entry whose URLs include `url`.
    fn by_url(&self, url: &str) -> Option<String> {
        let normal = index::normalise_url(url);
        self.index
            .entries
            .iter()
            .find(|e| e.urls.contains(&normal))
            .map(|e| e.key.clone())
    }

    /// `(n 4)`, `supra note 9`: the work of that note, when it is one (or
    /// the one its names fit). Whether the reading was such a reference.
    fn by_note_number(
        &self,
        reading: &Reading,
        hand: &dyn Fn(Option<String>, Option<Problem>) -> HandTyped,
        note: &mut NoteFound,
    ) -> bool {
        let Some(number) = &reading.note_ref else {
            return false;
        };
        let Some(works) = self.cited.by_note.get(number) else {
            return false;
        };
        match referred(reading, works, self.index) {
            Some(Work::Known(key)) => note.found.push(hand(Some(key), None)),
            Some(Work::Unknown(excerpt)) => note.found.push(hand(
                None,
                Some(Problem::UnknownAntecedent(format!(
                    "footnote {number}: “{excerpt}”"
                ))),
            )),
            Some(Work::Legal(excerpt)) => note.legal.push((excerpt, legal::Authority::Case)),
            None => return false,
        }
        true
    }

    /// A reference that names its work (or `Id.`, another work of the
    /// author before): the entry it fits, or why none does.
    fn by_reading(
        &self,
        reading: &Reading,
        antecedent: &Antecedent,
        hand: &dyn Fn(Option<String>, Option<Problem>) -> HandTyped,
    ) -> Option<HandTyped> {
        let mut reading = reading.clone();
        // `Id., La Distinction`, `Idem, 1962, p. 40`: the author of the note
        // before, another work.
        if reading
            .back
            .is_some_and(|t| t.points == Points::PreviousAuthor)
            && let Antecedent::Works(_, works) = antecedent
        {
            reading.names = authors_of(works, self.index);
            if reading.title.is_none() {
                reading.shape = read::Shape::AuthorDate;
            }
        }
        let (resolution, names_differ) = self.resolve(&reading);
        match resolution {
            Resolution::Key(key) => {
                let mut found = hand(Some(key), None);
                found.read.names_differ = names_differ;
                extent(&mut found, self.index);
                volume(&mut found, self.index);
                Some(found)
            }
            Resolution::Ambiguous(keys) => Some(hand(None, Some(Problem::Ambiguous(keys)))),
            // A name and a number that fit no entry: not a citation.
            Resolution::Unknown if reading.shape == Shape::Weak => None,
            Resolution::Unknown => Some(hand(None, Some(Problem::Unknown))),
        }
    }

    /// The entry `reading` names, and whether it was found by its title
    /// against the names written.
    fn resolve(&self, reading: &Reading) -> (Resolution, bool) {
        let (resolution, names_differ) =
            match resolve::resolve(reading, self.index, &self.was_cited) {
                Resolution::Unknown if title_decides(reading) => match self.by_title(reading) {
                    Some(key) => (Resolution::Key(key), true),
                    None => (Resolution::Unknown, false),
                },
                Resolution::Unknown => (self.by_short_title(reading), false),
                other => (other, false),
            };
        match resolution {
            // Read in an order the reader did not expect: look for an
            // entry's author and title anywhere in the reference, or for its
            // URL.
            Resolution::Unknown if reading.shape != Shape::Weak => {
                let written = &self.prose[reading.range.clone()];
                match resolve::anchored(written, reading, self.index) {
                    Resolution::Unknown => {
                        match reading.url.as_deref().and_then(|u| self.by_url(u)) {
                            Some(key) => (Resolution::Key(key), false),
                            None => (Resolution::Unknown, false),
                        }
                    }
                    other => (other, false),
                }
            }
            other => (other, names_differ),
        }
    }

    /// The one entry whose whole title (or its short form) `reading`'s is:
    /// one that begins another's is not enough against the names.
    fn by_title(&self, reading: &Reading) -> Option<String> {
        let title = reading.title.as_deref()?;
        let mut by_title = reading.clone();
        by_title.names.clear();
        by_title.people.clear();
        let whole = text::squash(title);
        match resolve::resolve(&by_title, self.index, &self.was_cited) {
            Resolution::Key(key)
                if self
                    .index
                    .entries
                    .iter()
                    .any(|e| e.key == key && e.titles.contains(&whole)) =>
            {
                Some(key)
            }
            _ => None,
        }
    }

    /// `MüKoBGB/Wagner`: a commentary cited by its short title where a
    /// name stands.
    fn by_short_title(&self, reading: &Reading) -> Resolution {
        let titled: Vec<&index::Marks> = self
            .index
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
}
