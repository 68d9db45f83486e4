//! Where one reference ends and the next begins: the words that introduce
//! a reference or join it to the one before, and the cuts at `;`, at a
//! sentence end and at connectors.

use super::*;

/// Words that introduce a reference, longest first; each is left out of
/// the reference it introduces.
pub(super) const PREFIXES: &[&str] = &[
    "see also",
    "see, e.g.,",
    "see e.g.",
    "see",
    "cf. also",
    "cf.",
    "compare",
    "also",
    "e.g.,",
    "for example,",
    "quoted in",
    "cited in",
    "vgl. auch",
    "vgl. dazu",
    "vgl.",
    "siehe auch",
    "siehe",
    "dazu",
    "zit. nach",
    "voir aussi",
    "voir",
    "cfr. anche",
    "cfr.",
    "cf. anche",
    "v. anche",
    "si veda anche",
    "si veda",
    "véase también",
    "véase",
    "vease",
    "ver también",
    "ver",
    "参见",
    "参看",
    "见",
    // Dutch, Scandinavian, Polish, Czech, Hungarian, Turkish, Russian,
    // Portuguese.
    "zie ook",
    "zie",
    "se även",
    "se også",
    "se",
    "jfr.",
    "jfr",
    "jf.",
    "zob. też",
    "zob.",
    "por. też",
    "por.",
    "srv.",
    "viz též",
    "viz",
    "lásd még",
    "lásd",
    "vö.",
    "bkz.",
    "krş.",
    "подробнее см.:",
    "см. также:",
    "см.:",
    "см.",
    "ср.:",
    "ср.",
    "цит. по:",
    "veja",
    "vide",
    "cf",
    "but see",
    "contra",
    "compare",
    "anders",
    "dagegen",
    "so auch",
    "ähnlich",
];

/// Words that point elsewhere in the thesis, not to a work.
pub(super) const CROSS_REFERENCES: &[&str] = &[
    "supra",
    "infra",
    "above",
    "below",
    "oben",
    "unten",
    "ci-dessus",
    "ci-dessous",
    "sopra",
    "sotto",
    "arriba",
    "abajo",
    "acima",
    "abaixo",
    "hierboven",
    "hieronder",
    "powyżej",
    "poniżej",
];

/// Words that join a reference to the one before, at the start of its
/// segment (`…; and Anderson, …`, `…; valamint KSH, …`): left out of the
/// reference, but no sign that a new one begins after a full stop (`trans.
/// and ed.`, `19. og 20. århundre`).
pub(super) const JOINING: &[&str] = &[
    "and",
    "as well as",
    "sowie",
    "valamint",
    "továbbá",
    "og",
    "och",
    "ve",
    "und",
];

/// Splits a note into the stretches that may each hold one reference: at
/// `;` outside brackets and quotes, and at a sentence end followed by a
/// prefix, a back-reference or a URL.
pub fn segments(prose: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut start = 0;
    let chars: Vec<(usize, char)> = prose.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' | '《' | '（' => depth += 1,
            ')' | ']' | '》' | '）' => depth = (depth - 1).max(0),
            '“' | '«' | '„' => quote = true,
            '”' | '»' => quote = false,
            '"' => quote = !quote,
            _ => {}
        }
        let cut = match c {
            // `In: CARVALHO, José Murilo de; NEVES, Lúcia (org.)`: ABNT's
            // editors are joined by `;` inside one reference.
            ';' | '；'
                if depth == 0
                    && !quote
                    && !(prose[start..i].contains("In:")
                        && ABNT_NAME.is_match(&prose[i + c.len_utf8()..])) =>
            {
                Some(i + c.len_utf8())
            }
            '.' | '。' if depth == 0 && !quote => {
                let rest = prose[i + c.len_utf8()..].trim_start();
                let next_starts = rest.len() < prose.len() - i - c.len_utf8() || c == '。';
                let opens = next_starts
                    && (signal_len(rest) > 0
                        || backref::at_start(rest).is_some_and(|(t, _)| t.points != Points::Named)
                        || rest.starts_with("http"));
                // Not after an initial or an abbreviation ("C.", "cit.").
                let word_before = prose[..i]
                    .rsplit(|ch: char| !ch.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                let abbreviation = word_before.chars().count() <= 1
                    || backref::TERMS.iter().any(|t| {
                        t.text
                            .trim_end_matches('.')
                            .eq_ignore_ascii_case(word_before)
                    });
                (opens && !abbreviation).then_some(i + c.len_utf8())
            }
            _ => None,
        };
        if let Some(end) = cut {
            out.push(start..end);
            start = end;
        }
        let _ = n;
    }
    out.push(start..prose.len());
    out.into_iter()
        .flat_map(|r| at_connectors(prose, r))
        .map(|r| trim(prose, r))
        .filter(|r| !r.is_empty())
        .collect()
}

/// A segment cut where one reference ends with its locator and a word that
/// joins works begins the next: `Compare X, 10, with Y, 16, and Z, 5`, `X,
/// s. 95, og Y, s. 250`, `Weber, S. 242, sowie Bourdieu, p. 9`, `三谷、前掲論文、
/// 75頁、および丸山…`, `강만길, …, 45-46쪽과 김용섭, …`.
pub(super) fn at_connectors(prose: &str, segment: Range<usize>) -> Vec<Range<usize>> {
    static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?i:,?\s+(?:and|with|against|as well as|along with|et|e|y|i|a|og|och|en|met|und|sowie|és|valamint|ve|ile|и|а также|apud|quoted in|cited in|zit\. nach|cit\. in|citado por)\s+)",
            r"|、?(?:および|及び|並びに)",
            r"|(?:과|와|및)\s",
            // `60頁、ベネディクト、…`: a page, then the next author.
            r"|(?:頁|页)、",
        ))
        .expect("valid regex")
    });
    let text = &prose[segment.clone()];
    let mut pieces = Vec::new();
    let mut from = segment.start;
    for m in CONNECTOR.find_iter(text) {
        // After a page, the comma alone cuts; the page stays.
        let start = if m.as_str().starts_with(['頁', '页']) {
            m.start() + m.as_str().chars().next().map_or(0, char::len_utf8)
        } else {
            m.start()
        };
        let before = text[..start].trim_end().trim_end_matches([',', ')', '、']);
        let after = text[m.end()..].trim_start();
        let ends_a_reference = before.ends_with(|c: char| c.is_ascii_digit())
            || before.ends_with(['頁', '页', '쪽', '면'])
            || ["f.", "ff.", "sqq.", "seq.", "passim", "sq."]
                .iter()
                .any(|e| before.ends_with(e));
        let begins_one = after.starts_with(|c: char| {
            c.is_uppercase()
                || matches!(c, '_' | '“' | '«' | '"' | '„' | '‘' | '『' | '《' | '「')
                || is_hanzi(c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{30a0}'..='\u{30ff}').contains(&c)
        });
        if ends_a_reference && begins_one && segment.start + start > from {
            pieces.push(from..segment.start + start);
            from = segment.start + m.end();
        }
    }
    pieces.push(from..segment.end);
    pieces
}

/// Invisible formatting characters (direction marks, zero-width spaces),
/// which never start a word.
pub fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `range` without surrounding spaces (and invisible marks) and the
/// separators that end it.
pub(super) fn trim(prose: &str, range: Range<usize>) -> Range<usize> {
    let text = &prose[range.clone()];
    let lead = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || is_format(c))
            .len();
    let trimmed = text.trim_end().trim_end_matches([';', '；']).trim_end();
    range.start + lead..range.start + trimmed.len().max(lead)
}

/// Words that may follow a prefix before the reference it introduces
/// ("See, for example, …", "Vgl. hierzu …", "Cf. à ce sujet …").
pub(super) const FILLERS: &[&str] = &[
    "for example,",
    "for example",
    "e.g.,",
    "e.g.",
    "generally",
    "especially",
    "in particular",
    "the discussion in",
    "the discussion by",
    "the account in",
    "on this",
    "on this point",
    "hierzu",
    "dazu",
    "etwa",
    "insbesondere",
    "ausführlich",
    "auch",
    "z. b.",
    "z.b.",
    "à ce sujet",
    "sur ce point",
    "notamment",
    "par exemple,",
    "par exemple",
    "in proposito",
    "al riguardo",
    "ad esempio,",
    "ad esempio",
    "por ejemplo,",
    "por ejemplo",
    "al respecto",
    "también",
];

/// The length of the prefixes ("See also", "Cf.") at the start of `text`,
/// with the fillers after them ("for example").
pub(super) fn prefix_len(text: &str) -> usize {
    let len = prefixes_only(text);
    if len == 0 {
        return 0;
    }
    let mut len = len;
    loop {
        let rest = &text[len..];
        let rest_trim = rest.trim_start_matches([',', ':', '：', ' ']);
        let skipped = rest.len() - rest_trim.len();
        let found = FILLERS.iter().find(|f| {
            rest_trim
                .get(..f.len())
                .is_some_and(|s| s.to_lowercase() == **f)
                && !rest_trim[f.len()..].starts_with(char::is_alphanumeric)
        });
        match found {
            Some(f) => len += skipped + f.len(),
            None => return len + skipped,
        }
    }
}

/// The length of the signal words (`See also`, `Cf.`) alone at the start
/// of `text`: what opens a new reference after a full stop.
pub(super) fn signal_len(text: &str) -> usize {
    words_len(text, PREFIXES)
}

/// The length of the prefixes alone.
pub(super) fn prefixes_only(text: &str) -> usize {
    // `a.A. Flume`: "of another opinion", as German legal writing signals a
    // reference (not Scandinavian `a.a.`, which follows a name).
    if text.starts_with("a.A. ") {
        return "a.A. ".len();
    }
    let len = words_len(text, PREFIXES);
    len + words_len(&text[len..], JOINING)
}

/// The length of the words of `list` at the start of `text`, one after
/// another.
pub(super) fn words_len(text: &str, list: &[&str]) -> usize {
    let mut len = 0;
    loop {
        let rest = &text[len..];
        // A prefix in Latin script ends a word; 见 and 参见 need no space.
        let found = list.iter().find(|p| {
            rest.get(..p.len()).is_some_and(|s| s.to_lowercase() == **p)
                && (!p.ends_with(|c: char| c.is_ascii_alphabetic())
                    || !rest[p.len()..].starts_with(char::is_alphanumeric))
        });
        match found {
            Some(p) => {
                let after = &rest[p.len()..];
                len += p.len() + (after.len() - after.trim_start().len());
            }
            None => return len,
        }
    }
}

/// Where `needle` (lower case) last occurs in `text`, compared without
/// case, as a byte offset of `text` itself (lowering the whole text would
/// move the offsets: `İ` lowers to two characters).
pub(super) fn rfind_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    text.char_indices().rev().map(|(i, _)| i).find(|&i| {
        let mut chars = text[i..].chars();
        needle.chars().all(|n| {
            chars
                .next()
                .is_some_and(|c| c.to_lowercase().eq(n.to_lowercase()))
        })
    })
}
