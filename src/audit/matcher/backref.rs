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
    /// Whether it means the same place too, not only the same work (`loc.
    /// cit.`, `t.a.p.`): the earlier citation's locator carries over.
    pub same_place: bool,
    /// The kind of work it names, when the term says (`前掲書` a book,
    /// `前掲論文` an article).
    pub of: Of,
}

/// What kind of work a back-reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    Any,
    /// A book (`ouvr. cit.`, `前掲書`, `앞의 책`, `a.g.e.`).
    Book,
    /// An article or a chapter (`art. cit.`, `前掲論文`, `앞의 글`, `a.g.m.`).
    Article,
}

const fn term(text: &'static str, points: Points) -> Term {
    Term {
        text,
        points,
        same_place: false,
        of: Of::Any,
    }
}

/// A term that means the same work at the same place.
const fn place(text: &'static str, points: Points) -> Term {
    Term {
        same_place: true,
        ..term(text, points)
    }
}

/// A term that names a book.
const fn book(text: &'static str, points: Points) -> Term {
    Term {
        of: Of::Book,
        ..term(text, points)
    }
}

/// A term that names an article or a chapter.
const fn article(text: &'static str, points: Points) -> Term {
    Term {
        of: Of::Article,
        ..term(text, points)
    }
}

/// Every term, longest first where one begins another. Compared with the
/// first letter in either case. Each language's from its own manuals:
/// Latin usage, Italian, German, French, Spanish, Portuguese (ABNT), Dutch,
/// Polish, Czech and Slovak, Russian (GOST R 7.0.5), Hungarian, Turkish,
/// Scandinavian, Chinese, Japanese, Korean.
pub const TERMS: &[Term] = &[
    term("Ibidem", Points::Previous),
    term("Ibídem", Points::Previous),
    term("Ibid.", Points::Previous),
    term("Ibíd.", Points::Previous),
    term("Ibid", Points::Previous),
    term("Ibd.", Points::Previous),
    term("Ib.", Points::Previous),
    term("Ivi", Points::Previous),
    term("Ebenda", Points::Previous),
    term("Ebd.", Points::Previous),
    term("Ebda.", Points::Previous),
    term("Aldaar", Points::Previous),
    term("Tamże", Points::Previous),
    term("Tamtéž", Points::Previous),
    term("Tamže", Points::Previous),
    term("Там же", Points::Previous),
    term("Ugyanott", Points::Previous),
    term("Samme sted", Points::Previous),
    term("Samma ställe", Points::Previous),
    term("Smst.", Points::Previous),
    term("Sst.", Points::Previous),
    term("Uo.", Points::Previous),
    term("A.y.", Points::Previous),
    term("Aynı yer", Points::Previous),
    term("同上書", Points::Previous),
    term("同上", Points::Previous),
    term("同前", Points::Previous),
    term("위의 책", Points::Previous),
    term("위의 글", Points::Previous),
    term("위의 논문", Points::Previous),
    term("같은 책", Points::Previous),
    term("같은 글", Points::Previous),
    term("Idem", Points::PreviousAuthor),
    term("Ídem", Points::PreviousAuthor),
    term("Eadem", Points::PreviousAuthor),
    term("Id.", Points::PreviousAuthor),
    term("Íd.", Points::PreviousAuthor),
    term("Ead.", Points::PreviousAuthor),
    term("Ders.", Points::PreviousAuthor),
    term("Dies.", Points::PreviousAuthor),
    term("Tenże", Points::PreviousAuthor),
    term("Taż", Points::PreviousAuthor),
    term("Tentýž", Points::PreviousAuthor),
    term("Tatáž", Points::PreviousAuthor),
    term("Ugyanő", Points::PreviousAuthor),
    term("Uő", Points::PreviousAuthor),
    term("Ua.", Points::PreviousAuthor),
    place("loc. cit.", Points::Named),
    place("Loc. cit.", Points::Named),
    place("t.a.p.", Points::Named),
    place("T.a.p.", Points::Named),
    term("op. cit.", Points::Named),
    term("Op. cit.", Points::Named),
    article("art. cit.", Points::Named),
    book("ouvr. cit.", Points::Named),
    term("a.a.O.", Points::Named),
    term("a. a. O.", Points::Named),
    term("dz. cyt.", Points::Named),
    term("Указ. соч.", Points::Named),
    term("указ. соч.", Points::Named),
    term("Цит. соч.", Points::Named),
    term("c. d.", Points::Named),
    term("cit. d.", Points::Named),
    term("i. m.", Points::Named),
    term("i.m.", Points::Named),
    book("a.g.e.", Points::Named),
    article("a.g.m.", Points::Named),
    term("age", Points::Named),
    term("anf. arb.", Points::Named),
    term("a.a.", Points::Named),
    term("a.w.", Points::Named),
    book("前掲書", Points::Named),
    article("前掲論文", Points::Named),
    term("前掲", Points::Named),
    term("前揭", Points::Named),
    term("前引", Points::Named),
    book("앞의 책", Points::Named),
    article("앞의 글", Points::Named),
    article("앞의 논문", Points::Named),
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
    let cjk = |c: char| crate::script::is_cjk(c) || ('\u{ac00}'..='\u{d7a3}').contains(&c);
    let ends_in_letter = term.ends_with(|c: char| c.is_alphabetic() && !cjk(c));
    if ends_in_letter && next.is_some_and(char::is_alphanumeric) {
        return None;
    }
    // A term that is also a word (`age`, `aldaar`, `Tamże`) is one only
    // before punctuation: `Kuran, age, s. 45`, not `the age of`.
    if ends_in_letter
        && !next.is_some_and(|c| matches!(c, ',' | '.' | ';' | ':' | ')'))
        && next.is_some()
        && term.len() <= 6
        && term.chars().all(|c| c.is_alphabetic())
        && term.chars().next().is_some_and(char::is_lowercase)
    {
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
            ("Tamże, s. 47.", Points::Previous),
            ("tamże, s. 47.", Points::Previous),
            ("Там же. С. 14.", Points::Previous),
            ("Uo. 12. o.", Points::Previous),
            ("同上、47頁。", Points::Previous),
            ("위의 책, 50쪽.", Points::Previous),
            ("Tenże, _Teoria_", Points::PreviousAuthor),
            ("Указ. соч. С. 60.", Points::Named),
            ("dz. cyt., s. 60", Points::Named),
            ("i. m. 45. o.", Points::Named),
            ("前掲書、50頁。", Points::Named),
            ("앞의 책, 45쪽.", Points::Named),
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
        assert!(
            find_all("in the age of reform").is_empty(),
            "a word, not a term"
        );
        let found = find_all("Kuran, age, s. 45; Smith, loc. cit.");
        let texts: Vec<(&str, bool)> = found.iter().map(|(t, _)| (t.text, t.same_place)).collect();
        assert_eq!(texts, [("age", false), ("loc. cit.", true)]);
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
