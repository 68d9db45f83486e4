//! Text as the matcher compares it: case and diacritics folded (Müller =
//! MÜLLER = Muller), German umlauts also as their two-letter spellings
//! (Mueller), hanzi as pinyin (杨继绳 = yang ji sheng), punctuation dropped.

use pinyin::ToPinyin;

use crate::script::is_cjk;

pub use crate::script::fold;

/// The German spelling of umlauts without them (`Müller` → `mueller`),
/// folded; `None` when the text has none.
pub fn umlauts_spelled(text: &str) -> Option<String> {
    if !text.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü']) {
        return None;
    }
    let spelled: String = text
        .chars()
        .map(|c| match c {
            'ä' | 'Ä' => "ae".to_string(),
            'ö' | 'Ö' => "oe".to_string(),
            'ü' | 'Ü' => "ue".to_string(),
            c => c.to_string(),
        })
        .collect();
    Some(fold(&spelled))
}

/// The words of a text, folded, without punctuation.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || is_cjk(c)) || c == '·')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Letters and digits only, folded: `China’s Road to Disaster` →
/// `chinasroadtodisaster`. Hanzi are kept as they are.
pub fn squash(text: &str) -> String {
    fold(text)
        .chars()
        .filter(|c| c.is_alphanumeric() || is_cjk(*c))
        .filter(|c| !is_cjk_punctuation(*c))
        .collect()
}

/// Hanzi as pinyin syllables without tones, other letters folded, all run
/// together: `墓碑：中国` → `mubeizhongguo`; `None` when there is no hanzi.
pub fn pinyin(text: &str) -> Option<String> {
    if !text.chars().any(is_hanzi) {
        return None;
    }
    let mut out = String::new();
    for c in text.chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None if c.is_alphanumeric() && !is_cjk(c) => out.push_str(&fold(&c.to_string())),
            None => {}
        }
    }
    Some(out)
}

/// Whether `c` is a Chinese character (not CJK punctuation).
pub fn is_hanzi(c: char) -> bool {
    is_cjk(c) && !is_cjk_punctuation(c) && c.to_pinyin().is_some()
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Words that open a sentence but never a name.
pub const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "of",
    "by",
    "with",
    "as",
    "but",
    "and",
    "or",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "our",
    "all",
    "after",
    "before",
    "during",
    "since",
    "when",
    "while",
    "where",
    "which",
    "who",
    "what",
    "there",
    "here",
    "see",
    "cf",
    "compare",
    "also",
    "note",
    "notes",
    "chapter",
    "section",
    "part",
    "volume",
    "table",
    "figure",
    "appendix",
    "introduction",
    "conclusion",
    "preface",
    "above",
    "below",
    "ibid",
    "ibidem",
    "id",
    "idem",
    "op",
    "loc",
    "vgl",
    "siehe",
    "voir",
    "cfr",
    "véase",
    "vease",
    "ebd",
    "ebenda",
    "ivi",
    "is",
    "was",
    "are",
    "were",
    "has",
    "had",
    "have",
    "not",
    "no",
    "yes",
    "most",
    "many",
    "some",
    "one",
    "two",
    "three",
    "first",
    "second",
    "third",
    "however",
    "thus",
    "therefore",
    "moreover",
    "although",
    "if",
    "quoted",
    "cited",
    "translated",
    "trans",
    "ed",
    "eds",
    "edited",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_one_form() {
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("MÜLLER"), "muller");
        assert_eq!(fold("Muller"), "muller");
        assert_eq!(umlauts_spelled("Müller").as_deref(), Some("mueller"));
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ibíd."), "ibid.");
        assert_eq!(fold("\u{212a}elvin"), "kelvin", "the Kelvin sign");
        assert_eq!(fold("İstanbul").chars().next(), Some('i'));
    }

    #[test]
    fn hanzi_become_pinyin() {
        assert_eq!(pinyin("杨继绳").as_deref(), Some("yangjisheng"));
        assert_eq!(pinyin("墓碑：中国").as_deref(), Some("mubeizhongguo"));
        assert_eq!(pinyin("Teiwes"), None);
        assert_eq!(squash("China’s Road to Disaster"), "chinasroadtodisaster");
        assert_eq!(squash("墓碑:中国六十年代"), "墓碑中国六十年代");
    }
}
