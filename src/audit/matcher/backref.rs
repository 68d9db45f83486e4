//! Back-references: the words with which a note points at a work cited
//! before instead of naming it, in the languages theses are written in. One
//! table, read by the hand-typed citation reader and by `ambiguous-ibid`.

/// What a back-reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    /// The work of the note just before (Ibid., Ivi, Ebd., 同上).
    Previous,
    /// The same author as the note just before, and — unless a title
    /// follows — the same work (Id., Idem).
    PreviousAuthor,
    /// The work of the author named with it, cited earlier (op. cit.,
    /// a.a.O., cit., 前揭).
    Named,
}

/// One back-reference term.
#[derive(Debug, PartialEq, Eq)]
pub struct Term {
    /// As written, with its capital and its period.
    pub text: &'static str,
    pub points: Points,
}

const fn term(text: &'static str, points: Points) -> Term {
    Term { text, points }
}

/// Every term, longest first where one begins another. Compared with the
/// first letter in either case.
pub const TERMS: &[Term] = &[
    term("Ibidem", Points::Previous),
    term("Ibídem", Points::Previous),
    term("Ibid.", Points::Previous),
    term("Ibíd.", Points::Previous),
    term("Ibid", Points::Previous),
    term("Ib.", Points::Previous),
    term("Ivi", Points::Previous),
    term("Ebenda", Points::Previous),
    term("Ebd.", Points::Previous),
    term("Ebda.", Points::Previous),
    term("同上", Points::Previous),
    term("同前", Points::Previous),
    term("Idem", Points::PreviousAuthor),
    term("Ídem", Points::PreviousAuthor),
    term("Eadem", Points::PreviousAuthor),
    term("Id.", Points::PreviousAuthor),
    term("Íd.", Points::PreviousAuthor),
    term("Ead.", Points::PreviousAuthor),
    term("op. cit.", Points::Named),
    term("Op. cit.", Points::Named),
    term("loc. cit.", Points::Named),
    term("Loc. cit.", Points::Named),
    term("art. cit.", Points::Named),
    term("ouvr. cit.", Points::Named),
    term("a.a.O.", Points::Named),
    term("a. a. O.", Points::Named),
    term("前揭", Points::Named),
    term("前引", Points::Named),
    term("cit.", Points::Named),
];

/// The back-reference term at the start of `text`, and its length.
pub fn at_start(text: &str) -> Option<(&'static Term, usize)> {
    TERMS.iter().find_map(|term| {
        let len = matches_at(text, term.text)?;
        Some((term, len))
    })
}

/// Every back-reference term in `text`, with its byte range.
pub fn find_all(text: &str) -> Vec<(&'static Term, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let before = text[..at].chars().next_back();
        let starts_word = before.is_none_or(|c| !c.is_alphanumeric());
        if starts_word && let Some((term, len)) = at_start(&text[at..]) {
            found.push((term, at..at + len));
            at += len;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// Whether a footnote's text begins with "Ibid." or a word like it: the
/// note claims the work of the note before it.
pub fn is_ibid(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{202e}');
    at_start(text).is_some_and(|(term, _)| term.points != Points::Named)
}

/// The byte length of `term` at the start of `text`: the first letter in
/// either case, the rest as written; a term that ends in a letter must end
/// a word (`Ivi`, not `Ivitz`; `Ibid` alone, not `Ibidem`'s start).
fn matches_at(text: &str, term: &str) -> Option<usize> {
    let mut chars = text.chars();
    let mut len = 0;
    for (i, expected) in term.chars().enumerate() {
        let c = chars.next()?;
        let same = if i == 0 {
            c.to_lowercase().eq(expected.to_lowercase())
        } else {
            c == expected
        };
        if !same {
            return None;
        }
        len += c.len_utf8();
    }
    let next = text[len..].chars().next();
    let ends_in_letter = term.ends_with(|c: char| c.is_alphabetic() && !crate::frames::is_cjk(c));
    if ends_in_letter && next.is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_references_in_every_language() {
        for (text, points) in [
            ("Ibid., 90.", Points::Previous),
            ("ibid. p. 4", Points::Previous),
            ("Ibidem.", Points::Previous),
            ("Ivi, p. 33.", Points::Previous),
            ("Ebd., S. 12.", Points::Previous),
            ("Ebenda, S. 3", Points::Previous),
            ("Ibíd., p. 12.", Points::Previous),
            ("同上，第90页。", Points::Previous),
            ("同前，第3页", Points::Previous),
            ("Id. at 45.", Points::PreviousAuthor),
            ("Íd., p. 50.", Points::PreviousAuthor),
            ("a.a.O., S. 5", Points::Named),
            ("op. cit., p. 60", Points::Named),
        ] {
            let (term, _) = at_start(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(term.points, points, "{text}");
        }
        assert!(at_start("Ivitz").is_none());
        assert!(at_start("Identity").is_none());
        assert!(at_start("Ibidemque").is_none());
    }

    #[test]
    fn terms_are_found_inside_a_note() {
        let found = find_all("Weber, a.a.O., S. 20; Teiwes, op. cit., 45.");
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.text).collect();
        assert_eq!(texts, ["a.a.O.", "op. cit."]);
        assert!(find_all("recit. in").is_empty(), "not inside a word");
    }

    #[test]
    fn one_is_ibid() {
        assert!(is_ibid("Ibid."));
        assert!(is_ibid("  Ebd., S. 4"));
        assert!(is_ibid("同上。"));
        assert!(!is_ibid("Teiwes, op. cit."));
        assert!(!is_ibid("Ibidemque"));
    }
}
