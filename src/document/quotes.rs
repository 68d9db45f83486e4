//! Quotations in the body text, and whether each is sourced: a footnote
//! marker or a citation at its end or in the sentence that holds it.
//! Pure: the extraction hands over the body text as the reader sees it, the
//! places of markers and citations in it, the ranges the citation style
//! generated, and the ranges of block quotations.

use std::ops::Range;

/// Opening and closing marks of a quotation, in the conventions theses use:
/// English and Italian “…”, British ‘…’, German „…“ and »…«, French and
/// Italian «…», Chinese 「…」 and 『…』, and straight "…" where smart
/// quotes are off. A single closing mark is also an apostrophe: see
/// [`closing`].
const PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('„', '“'),
    ('«', '»'),
    ('»', '«'),
    ('「', '」'),
    ('『', '』'),
    ('‘', '’'),
    ('"', '"'),
];

/// Where the quotation opened at `start` by `open` closes. A single quote
/// opens only at the start of a word and closes only where no letter
/// follows (`don’t`, `People’s` are apostrophes).
fn closing(text: &str, start: usize, open: char, close: char) -> Option<usize> {
    if open != '‘' {
        return text[start..].find(close).map(|i| start + i);
    }
    let opens_word = text[..start - open.len_utf8()]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '“' | '«' | '—' | '–'));
    if !opens_word {
        return None;
    }
    text[start..]
        .match_indices(close)
        .map(|(i, _)| start + i)
        .find(|&at| {
            text[at + close.len_utf8()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// A quotation found in the body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the quoted words (marks excluded) in the body text.
    pub range: Range<usize>,
    /// Where its opening mark stands (a block: where it starts).
    pub open: usize,
    pub block: bool,
    /// Whether a footnote or citation stands at its end or in its sentence.
    pub sourced: bool,
    /// Whether the text names its source right after it (`"…" (_Title_,
    /// Author)`): attributed, if not cited.
    pub attributed: bool,
}

/// What the body text holds besides its words: the places of footnote
/// markers and citations (`anchors`), the ranges a citation style wrote
/// (`generated`: a bibliography's titles are not quotations), the ranges
/// set as code (`code`: never prose, whatever quotes it holds) and the
/// block quotations (`blocks`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks<'a> {
    pub anchors: &'a [usize],
    pub generated: &'a [Range<usize>],
    pub code: &'a [Range<usize>],
    pub blocks: &'a [Range<usize>],
}

/// The most words a quotation in marks can have: beyond it, the marks were
/// paired wrongly (an opening mark whose close is pages away).
pub const MAX_WORDS: usize = 500;

/// The quotations of `text`: those set in quotation marks, and the block
/// quotations (inline ones inside a block are part of it). Not quotations:
/// marks in code or generated text, marks whose pairing would cross code,
/// a footnote marker (straight quotes) or too many words, and a gloss — a
/// title, term or slogan followed by its original in parentheses
/// (`“The resolution …” (中共中央关于…)`).
pub fn find(text: &str, marks: &Marks) -> Vec<Found> {
    let inside = |at: usize, ranges: &[Range<usize>]| ranges.iter().any(|r| r.contains(&at));
    let crosses = |range: &Range<usize>, ranges: &[Range<usize>]| {
        ranges
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
    };
    let sentences = Sentences {
        text,
        anchors: marks.anchors,
        generated: marks.generated,
    };
    let mut found: Vec<Found> = Vec::new();
    for block in marks.blocks {
        // A marker inside the block, or right after it.
        let after = block.end + (text[block.end..].len() - text[block.end..].trim_start().len());
        let sourced = marks
            .anchors
            .iter()
            .any(|&a| a >= block.start && a <= after);
        found.push(Found {
            range: block.clone(),
            open: block.start,
            block: true,
            sourced,
            attributed: false,
        });
    }
    let mut at = 0;
    while let Some((open_at, open)) = text[at..]
        .char_indices()
        .map(|(i, c)| (at + i, c))
        .find(|(_, c)| PAIRS.iter().any(|(o, _)| o == c))
    {
        let start = open_at + open.len_utf8();
        if inside(open_at, marks.code) {
            at = start;
            continue;
        }
        let close = PAIRS
            .iter()
            .filter(|(o, _)| *o == open)
            .find_map(|(_, close)| closing(text, start, open, *close).map(|i| (i, *close)));
        let Some((end, close)) = close else {
            at = start;
            continue;
        };
        let quoted = start..end;
        // A pairing across code, or a straight quote across a footnote
        // marker, pairs marks of two different quotations.
        let across_marker = open == '"' && marks.anchors.iter().any(|&a| a > start && a < end);
        if crosses(&quoted, marks.code) || across_marker || words(&text[quoted.clone()]) > MAX_WORDS
        {
            at = start;
            continue;
        }
        at = end + close.len_utf8();
        if inside(open_at, marks.generated) || inside(open_at, marks.blocks) {
            continue;
        }
        if gloss(&text[quoted.clone()], &text[at..]) {
            continue;
        }
        let sentence = sentences.start(open_at)..sentences.end(at);
        // A marker where the sentence starts closes the sentence before.
        let sourced = marks
            .anchors
            .iter()
            .any(|&a| (a > sentence.start || a == 0) && a <= sentence.end);
        found.push(Found {
            range: quoted,
            open: open_at,
            block: false,
            sourced,
            attributed: attributed(&text[at..]),
        });
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// Whether the words `quoted` are a title, term or slogan followed by its
/// original in another script, in parentheses: `“egalitarianism,
/// indiscriminate transfer” (一平，二调)`, `“The resolution …” (中共中央…)`,
/// `「大躍進」(the Great Leap)`.
fn gloss(quoted: &str, after: &str) -> bool {
    let Some(inside) = after
        .trim_start_matches(['.', ',', ';', ':'])
        .trim_start()
        .strip_prefix(['(', '（'])
    else {
        return false;
    };
    let script = |c: char| {
        if crate::script::is_cjk(c) {
            0
        } else if c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c) {
            1
        } else if c.is_alphabetic() {
            2 + (c as u32 / 0x80)
        } else {
            u32::MAX
        }
    };
    let first_letter = |text: &str| text.chars().map(script).find(|s| *s != u32::MAX);
    match (first_letter(quoted), first_letter(inside)) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    }
}

/// Whether the text right after a quotation names its source: a
/// parenthesis holding a name or title (`(Smith, The Road)`, `(Mao,
/// 1958)`), not a page alone.
fn attributed(after: &str) -> bool {
    let Some(inside) = after
        .trim_start_matches(['.', ',', ';', ':', '”', '’'])
        .trim_start()
        .strip_prefix('(')
    else {
        return false;
    };
    let inside = &inside[..inside.find(')').unwrap_or(inside.len().min(200))];
    let words: Vec<&str> = inside.split_whitespace().collect();
    (1..=15).contains(&words.len())
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1)
}

/// How many words a quotation has: words between spaces, and for Chinese
/// and Japanese, one word for every two characters.
pub fn words(quote: &str) -> usize {
    let cjk = quote.chars().filter(|c| crate::script::is_cjk(*c)).count();
    let latin = quote
        .split(|c: char| c.is_whitespace() || crate::script::is_cjk(c))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    latin + cjk.div_ceil(2)
}

/// Words after which a period does not end a sentence, besides the
/// locator labels (`p.`, `pp.`, `ch.`, `n.`: the locator table's).
const ABBREVIATIONS: &[&str] = &[
    "cf", "vol", "vols", "no", "nos", "ed", "eds", "trans", "fig", "e.g", "i.e", "ibid", "op",
    "cit", "vs", "ca", "c", "mr", "mrs", "dr", "st",
];

/// Whether a period after `word` abbreviates it: an initial, a locator
/// label, or a common abbreviation.
fn abbreviates(word: &str) -> bool {
    let initial = word.chars().count() == 1 && word.starts_with(char::is_uppercase);
    let with_stop = format!("{word}.");
    let label = crate::locator::labels::at_start(&with_stop)
        .is_some_and(|(label, len)| len == with_stop.len() && label.text.ends_with('.'));
    initial || label || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// The sentences of the body text: where one ends is a question of
/// punctuation, abbreviations, and the footnote markers that follow a full
/// stop (`rising.¹ Next`).
struct Sentences<'a> {
    text: &'a str,
    anchors: &'a [usize],
    generated: &'a [Range<usize>],
}

impl Sentences<'_> {
    /// Whether the character `c` at `at` ends a sentence; if so, where the
    /// sentence ends (past a footnote marker right after it).
    fn ends(&self, at: usize, c: char) -> Option<usize> {
        if self.generated.iter().any(|r| r.contains(&at)) {
            return None;
        }
        let mut end = at + c.len_utf8();
        let text = self.text;
        let closing = |c: char| matches!(c, '”' | '’' | '»' | '“' | ')' | '」' | '』');
        while let Some(next) = text[end..].chars().next().filter(|c| closing(*c)) {
            end += next.len_utf8();
        }
        // A footnote marker right after the stop belongs to the sentence.
        if self.anchors.contains(&end) {
            end += text[end..]
                .find(|c: char| !c.is_alphanumeric() && c != '*')
                .unwrap_or(text.len() - end);
        }
        match c {
            '。' | '！' | '？' => Some(end),
            '?' | '!' => {
                let rest = &text[end..];
                (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(end)
            }
            '.' => {
                let rest = &text[end..];
                if rest.is_empty() {
                    return Some(end);
                }
                if !rest.starts_with(char::is_whitespace) {
                    return None;
                }
                let word: String = text[..at]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '.')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if abbreviates(&word) {
                    return None;
                }
                let next = rest.trim_start().chars().next();
                next.is_none_or(|n| {
                    n.is_uppercase()
                        || crate::script::is_cjk(n)
                        || matches!(n, '“' | '«' | '„' | '"' | '‘' | '(' | '[' | '「' | '『')
                })
                .then_some(end)
            }
            _ => None,
        }
    }

    /// Where the sentence holding `at` begins.
    fn start(&self, at: usize) -> usize {
        self.text[..at]
            .char_indices()
            .rev()
            .find_map(|(i, c)| self.ends(i, c).filter(|end| *end <= at))
            .unwrap_or(0)
    }

    /// Where the sentence that goes on at `at` ends (past its full stop and
    /// a marker after it).
    fn end(&self, at: usize) -> usize {
        self.text[at..]
            .char_indices()
            .find_map(|(i, c)| self.ends(at + i, c))
            .unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str, anchors: &[&str]) -> Vec<(String, bool)> {
        // An anchor is written as `^` in the text: a marker stands there.
        let mut clean = String::new();
        let mut places = Vec::new();
        for c in text.chars() {
            if c == '^' {
                places.push(clean.len());
            } else {
                clean.push(c);
            }
        }
        let _ = anchors;
        let marks = Marks {
            anchors: &places,
            ..Marks::default()
        };
        find(&clean, &marks)
            .into_iter()
            .map(|f| (clean[f.range].to_string(), f.sourced))
            .collect()
    }

    #[test]
    fn a_quotation_with_a_marker_at_its_end_is_sourced() {
        assert_eq!(
            quotes(
                "Mao wrote “a new high tide of production has risen”.^ Then",
                &[]
            ),
            [("a new high tide of production has risen".to_string(), true)]
        );
    }

    #[test]
    fn a_marker_in_the_same_sentence_sources_it() {
        let found = quotes(
            "As Mao wrote^, “a new high tide has risen and is still rising” in 1958. Next.",
            &[],
        );
        assert!(found[0].1);
        let later = quotes(
            "He wrote “a new high tide has risen and is still rising”. Next sentence.^",
            &[],
        );
        assert!(!later[0].1, "a marker in the next sentence does not");
    }

    #[test]
    fn nested_and_chinese_quotation_marks() {
        let found = quotes(
            "他说「我们要多快好省地建设社会主义」。^ 他又说“一天等于二十年”。",
            &[],
        );
        assert_eq!(found.len(), 2);
        assert!(found[0].1);
        assert!(!found[1].1);
        let nested = quotes(
            "“He said ‘no’ to the plan of the centre, twice, in 1959.”^",
            &[],
        );
        assert_eq!(nested.len(), 1);
        assert!(nested[0].1);
    }

    #[test]
    fn british_single_quotes_and_straight_quotes_are_quotations_and_apostrophes_are_not() {
        let found = quotes(
            "The People’s Daily wrote ‘the communes are the golden bridge to communism for the peasants’ that week. It said \"the whole people must make steel in every commune\" too.",
            &[],
        );
        assert_eq!(
            found,
            [
                (
                    "the communes are the golden bridge to communism for the peasants".to_string(),
                    false
                ),
                (
                    "the whole people must make steel in every commune".to_string(),
                    false
                ),
            ]
        );
        let with_apostrophe = quotes("‘We don’t need the experts’ he said.^", &[]);
        assert_eq!(
            with_apostrophe,
            [("We don’t need the experts".to_string(), true)]
        );
    }

    #[test]
    fn words_are_counted_in_latin_and_chinese_text() {
        assert_eq!(words("a new high tide"), 4);
        assert_eq!(words("我们要多快好省地建设社会主义"), 7);
        assert_eq!(words("“[…]” and so"), 2);
    }

    #[test]
    fn a_block_quotation_is_sourced_by_a_marker_at_its_end() {
        let text = "Intro. The long quoted passage of the article. More text.";
        let block = 7..46;
        let blocks = std::slice::from_ref(&block);
        let marks = Marks {
            anchors: &[46],
            blocks,
            ..Marks::default()
        };
        let sourced = find(text, &marks);
        assert!(sourced[0].block && sourced[0].sourced);
        let unsourced = find(
            text,
            &Marks {
                blocks,
                ..Marks::default()
            },
        );
        assert!(!unsourced[0].sourced);
    }

    #[test]
    fn a_full_stop_before_a_marker_ends_the_sentence() {
        // `rising”.¹ Quoted …`: the marker is the first sentence's.
        let text = "He said “a new high tide of production has risen and is still rising”.1 Then she said “the whole people must make steel, every commune its furnace” that autumn.";
        let marker = text.find(".1").unwrap() + 1;
        let found = find(
            text,
            &Marks {
                anchors: &[marker],
                ..Marks::default()
            },
        );
        assert!(found[0].sourced);
        assert!(!found[1].sourced);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_a_sentence() {
        let text = "As Yang, p. 124, and R. L. Worden put it, “the famine was made by policy and hidden by statistics” then.";
        let found = find(
            text,
            &Marks {
                anchors: &[3],
                ..Marks::default()
            },
        );
        assert!(
            found[0].sourced,
            "the marker at the start is in the same sentence"
        );
    }

    #[test]
    fn a_citation_the_style_wrote_does_not_end_a_sentence() {
        let text = "As (Yang 2012, p. 124) puts it, “the famine was made by policy and hidden by statistics” in every province.";
        let cite = text.find('(').unwrap();
        let generated = cite..text.find(')').unwrap() + 1;
        let found = find(
            text,
            &Marks {
                anchors: &[cite],
                generated: std::slice::from_ref(&generated),
                ..Marks::default()
            },
        );
        assert!(found[0].sourced);
    }

    #[test]
    fn a_block_quotation_ends_where_it_ends() {
        let text = "The first block quotation ends here. The second one has a source.2 Next.";
        let first = 0..36;
        let second = 37..text.find(".2").unwrap() + 2;
        let found = find(
            text,
            &Marks {
                anchors: &[second.end - 1],
                blocks: &[first, second],
                ..Marks::default()
            },
        );
        assert!(
            !found[0].sourced,
            "the next block's marker is not the first's"
        );
        assert!(found[1].sourced);
    }

    #[test]
    fn generated_text_holds_no_quotation() {
        let text = "Bibliography: MacFarquhar, “The Origins of the Cultural Revolution 2: The Great Leap”.";
        let generated = 14..text.len();
        assert!(
            find(
                text,
                &Marks {
                    generated: std::slice::from_ref(&generated),
                    ..Marks::default()
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn a_gloss_with_its_original_in_parentheses_is_no_quotation() {
        assert!(
            quotes(
                "the “communist wind”: “egalitarianism, indiscriminate transfer of resources, and collection of funds” (一平，二调，三收款) swept the land.",
                &[]
            )
            .iter()
            .all(|(q, _)| !q.starts_with("egalitarianism"))
        );
        assert!(
            quotes(
                "the Party drafted “The resolution by the CCP Central Committee on the question of the creation of communes” (中共中央关于在农村建立人民公社问题的决议) in August.",
                &[]
            )
            .is_empty()
        );
        // A quotation followed by a parenthesis in its own script is one.
        assert_eq!(
            quotes(
                "He wrote “a new high tide of production has risen and is rising” (in 1955) alone.",
                &[]
            )
            .len(),
            1
        );
    }

    #[test]
    fn code_is_never_prose_and_pairing_never_crosses_it() {
        let text = "Run it: print(\"hello world, this is a long string of code\") and then read \"the manual of the tool is eight words long\".";
        let code_start = text.find("print").unwrap();
        let code =
            code_start..code_start + "print(\"hello world, this is a long string of code\")".len();
        let found = find(
            text,
            &Marks {
                code: std::slice::from_ref(&code),
                ..Marks::default()
            },
        );
        let texts: Vec<&str> = found.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(texts, ["the manual of the tool is eight words long"]);
    }

    #[test]
    fn a_pairing_of_a_thousand_words_is_an_error_not_a_quotation() {
        let long = "word ".repeat(MAX_WORDS + 1);
        let text = format!("He said “{long}” then.");
        assert!(find(&text, &Marks::default()).is_empty());
    }

    #[test]
    fn a_quotation_attributed_in_the_text_says_so() {
        let text = "They sang “the east is red and the sun is rising over the land” (The East Is Red, Li Youyuan). Next.";
        let found = find(text, &Marks::default());
        assert_eq!(found.len(), 1);
        assert!(found[0].attributed && !found[0].sourced);
        let text = "They sang “the east is red and the sun is rising over the land” (p. 5). Next.";
        assert!(!find(text, &Marks::default())[0].attributed);
    }
}
