//! The people at the start of a reference and their family names.

use super::*;

/// Names at the start of a reference, and where they end.
pub(super) struct Names {
    pub(super) families: Vec<String>,
    pub(super) people: Vec<String>,
    pub(super) len: usize,
    pub(super) slashed: bool,
}

/// Reads the people at the start of `text`: `Frederick C. Teiwes`,
/// `MacFARQUHAR`, `Roderick MacFarquhar and Michael Schoenhals`, `Teiwes and
/// Sun`, `Wang et al.`, `U. Eco`, `Weber:`; each person's family name is
/// the last capitalised word (or an all-capital word).
pub(super) fn names_at(text: &str, title_starts: &[usize]) -> Option<Names> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{Lu}[[\p{L}\p{M}&&\P{Han}]'’\-]*\.?|\p{Lu}\.|\p{Han}{1,4}(?:ほか)?[編编]?|\p{Hangul}{2,5}|\p{Katakana}[\p{Katakana}ー・]*|(?:de|da|di|del|della|van|von|der|den|le|la|du|dos|das|ten|ter|bin|ibn|al|zu|vom)\b)")
            .expect("valid regex")
    });
    let mut people: Vec<Vec<&str>> = vec![Vec::new()];
    let mut at = 0;
    let mut end = 0;
    // The people read before a serial comma (`Teiwes, Frederick C., and
    // Warren Sun.`): what is read when the names after it do not end well.
    let mut before_serial_comma: Option<(Vec<Vec<&str>>, usize)> = None;
    // Whether the names ended with a full stop (ABNT's `SURNAME, Given.`).
    let mut sentence_ended = false;
    let mut slashed = false;
    loop {
        let rest = &text[at..];
        let spaces = rest.len() - rest.trim_start().len();
        let word_at = at + spaces;
        let rest = &text[word_at..];
        if backref::at_start(rest).is_some() {
            break;
        }
        if let Some(m) = WORD.find(rest) {
            let word = m.as_str();
            // `et al.`
            people.last_mut().expect("a person").push(word);
            at = word_at + m.end();
            end = at;
            continue;
        }
        // `Medicus/Petersen`, as German legal writing joins authors.
        if rest.starts_with('/') && people.last().is_some_and(|p| !p.is_empty()) {
            slashed = true;
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        let lower = rest.to_lowercase();
        if let Some(joined) = JOINERS
            .iter()
            .find(|j| lower.starts_with(*j))
            .filter(|_| people.last().is_some_and(|p| !p.is_empty()))
        {
            if lower.starts_with("et al") {
                at = word_at + "et al".len() + usize::from(rest[5..].starts_with('.'));
                end = at;
                break;
            }
            people.push(Vec::new());
            at = word_at + joined.len();
            continue;
        }
        // `A, B, and C`: the comma before the last "and" (the serial
        // comma) joins like the "and" after it.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| !p.is_empty())
        {
            let lower = after.trim_start().to_lowercase();
            let joiner = ["and ", "& ", "und ", "y ", "e ", "et "]
                .iter()
                .any(|j| lower.starts_with(j))
                && !lower.starts_with("et al");
            if joiner {
                before_serial_comma = Some((people.clone(), end));
                at = word_at + 1;
                continue;
            }
        }
        // `FREYRE, Gilberto.`, `HOLANDA, Sérgio Buarque de.`: after a family
        // name in capitals (ABNT), the given names up to a full stop.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| p.len() == 1 && is_capitals(p[0]))
            && let Some(given) = GIVEN_NAMES.find(after)
            && given.as_str().trim_end().ends_with('.')
            // `TEIWES, F. C. and SUN, W.`: initials alone are Harvard's.
            && given
                .as_str()
                .split_whitespace()
                .any(|w| !is_initial(w) && w.chars().count() > 2)
        {
            end = word_at + 1 + given.end();
            sentence_ended = true;
            break;
        }
        // `Анисимов Е. В., Каменский А. Б.`: after a person written with
        // initials, a comma and the next such person.
        if let Some(after) = rest.strip_prefix(',')
            && people
                .last()
                .is_some_and(|p| p.last().is_some_and(|w| is_initial(w)))
            && SURNAME_INITIALS.is_match(after.trim_start())
        {
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        // `TEIWES, F. C. and SUN, W.`, `Teiwes, F. C., & Sun, W.`: initials
        // after a comma are the given names of the person before.
        if let Some(after) = rest.strip_prefix(',')
            && people.last().is_some_and(|p| !p.is_empty())
        {
            let initials = after
                .split_whitespace()
                .take_while(|w| is_initial(w.trim_end_matches(',')))
                .count();
            if initials > 0 {
                at = word_at + 1;
                continue;
            }
        }
        // `A, B, and C`: a comma between people, only before another
        // "and" joins them.
        let title_next = rest.starts_with(',') && {
            let after = &text[word_at + 1..];
            let skipped = after.len() - after.trim_start().len();
            title_starts.contains(&(word_at + 1 + skipped))
        };
        // `A, B and C`, `A, B, och C`: the people of a list, each one to
        // three capitalised words, the last ending at a separator — not a
        // title that holds the word (`Weber, Wirtschaft und Gesellschaft`,
        // `Castro, España en su historia`, `Thomas, Religion and the
        // Decline`).
        let title_next_or_list = rest.starts_with(',') && !title_next;
        if title_next_or_list && PEOPLE_LIST.is_match(&text[word_at + 1..]) {
            people.push(Vec::new());
            at = word_at + 1;
            continue;
        }
        break;
    }
    let ends_well = |end: usize| {
        let after = text[end..].trim_start();
        sentence_ended
            || after.is_empty()
            || after.starts_with([',', ':', '(', '，', '：', '、', '・', '“', '«', '„'])
            || after.starts_with(char::is_numeric)
            || backref::at_start(after).is_some()
    };
    if !ends_well(end)
        && let Some((people_before, end_before)) = before_serial_comma
    {
        people = people_before;
        end = end_before;
    }
    // A separator with no name before it (`, and ,`) names nobody.
    people.retain(|words| !words.is_empty());
    let families: Vec<String> = people.iter().filter_map(|words| family_of(words)).collect();
    if families.is_empty() || people.iter().map(Vec::len).sum::<usize>() > 10 {
        return None;
    }
    // The first word that is not an initial (`A. D. Smith`: "A." is no
    // article).
    let words = people.first()?;
    let first = words
        .iter()
        .find(|w| !is_initial(w))
        .or(words.first())
        .map(|w| fold(w.trim_end_matches('.')))?;
    if NOT_NAMES.contains(&first.as_str()) && !(words.len() > 1 && is_initial(words[0])) {
        return None;
    }
    // A name is followed by a separator, a parenthesis or a year.
    let ends_well = ends_well(end);
    let people = people.iter().map(|words| words.join(" ")).collect();
    ends_well.then_some(Names {
        families,
        people,
        len: end,
        slashed,
    })
}

/// Words that join co-authors, in the languages of the conventions
/// (`Mark Selden with Elizabeth J. Perry`, `Frijhoff en Spies`, `Berend –
/// Ránki`); each followed by a space.
pub(super) const JOINERS: &[&str] = &[
    "and ", "& ", "und ", "e ", "y ", "et ", "an ", "en ", "och ", "og ", "i ", "a ", "és ", "ve ",
    "with ", "mit ", "con ", "avec ", "и ", "– ", "— ",
];

/// Given names after an ABNT surname, up to their full stop: ` Gilberto.`,
/// ` Sérgio Buarque de.`, ` José Murilo de.`, ` Fernando A.`
pub(super) static GIVEN_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s(?:\p{Lu}[\p{Ll}'’\-]+|\p{Lu}\.|de|da|do|dos|das|e|del|van|von)(?:\s(?:\p{Lu}[\p{Ll}'’\-]+|\p{Lu}\.|de|da|do|dos|das|e|del|van|von)){0,4}\.?(?:\s|$)",
    )
    .expect("valid regex")
});

/// Whether a word is written in capitals (`FREYRE`, `PRADO`), as ABNT and
/// others write a family name.
pub(super) fn is_capitals(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// A surname and its initials, as GOST writes a person: `Каменский А. Б.`
pub(super) static SURNAME_INITIALS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{Ll}\-]+\s(?:\p{Lu}\.\s?){1,3}").expect("valid regex"));

/// The rest of a list of people after a comma: `B and C,`, `B, och C:`,
/// each person one to three capitalised words or initials.
pub(super) static PEOPLE_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3}",
        r"(?:,\s*(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3})*",
        r",?\s(?:and|och|og|en|és|ve|i|&)\s",
        r"(?:\p{Lu}\.\s?|\p{Lu}[\p{L}'’\-]+\s?){1,3}",
        r#"(?:[,.:;(“"«„_]|(?:1[4-9]|20)\d\d\b|$)"#,
    ))
    .expect("valid regex")
});

/// `F.`, `W.`, `F.C.`, `J.-P.`: initials.
pub(super) fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), Some('.')) if c.is_uppercase() => {
            let rest = chars.as_str();
            rest.is_empty() || is_initial(rest.strip_prefix('-').unwrap_or(rest))
        }
        _ => false,
    }
}

/// The family name among a person's words: an all-capital word (`YANG`,
/// `MacFARQUHAR`), else the last word that is not an initial.
pub(super) fn family_of(words: &[&str]) -> Option<String> {
    // `石井ほか編`: the name, without "et al." and "ed.".
    let clean = |w: &str| {
        w.trim_end_matches('.')
            .trim_end_matches(['編', '编'])
            .trim_end_matches("ほか")
            .to_string()
    };
    let capital = words.iter().find(|w| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2
            && letters.iter().filter(|c| c.is_uppercase()).count() >= letters.len() - 2
            && letters.iter().filter(|c| c.is_uppercase()).count() >= 3
    });
    if let Some(word) = capital {
        return Some(clean(word));
    }
    words
        .iter()
        .rev()
        .find(|w| w.trim_end_matches('.').chars().count() >= 2)
        .map(|w| clean(w))
}
