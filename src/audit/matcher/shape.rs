//! Whether a footnote looks like a citation, from its own shape and never
//! from whether it matched an entry: a title set apart, a place and a
//! publisher, a year where a publication's stands, a page locator at the
//! end, a back-reference, a volume or issue, an `In:` before a collection.
//! A note that looks like one but of which nothing was read is `unread`,
//! and said: silence is the one outcome that may never be wrong.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::backref;
use crate::locator;

/// One sign that a note cites something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sign {
    /// An italic run, or words in quotation marks or in 《》『』「」 followed
    /// by more of a citation.
    TitleSetApart,
    /// `(London: Verso, 1999)`, `М.: Наука, 2001`, `Warszawa 1968`.
    Publisher,
    /// A year where a publication's year stands: `, 1999,`, `(1999)`,
    /// `1999.` at the end, `2005年`.
    Year,
    /// A page locator ending the note or a reference in it (`p. 45`, `S. 12`,
    /// `, 45.`, `45頁`).
    Page,
    /// `Ibid.`, `op. cit.`, `Там же`, `同上` and the like.
    BackReference,
    /// `vol. 3`, `v. 40, n. 2`, `№ 10`, `Bd. 2`, `t. 1`.
    Volume,
    /// `In:`, `[w:]`, `//` before a collection or periodical; editors
    /// (`ed.`, `Hrsg.`, `red.`, `(org.)`, `a cura di`, `под ред.`, `編`).
    Collection,
    /// A name where a citation begins: `Surname,`, `SURNAME,`, `A. Surname,`,
    /// `Surname I. I.`
    Author,
}

impl Sign {
    /// In words, for the finding that says why a note looked like a
    /// citation.
    pub fn describe(self) -> &'static str {
        match self {
            Sign::TitleSetApart => "a title set apart",
            Sign::Publisher => "a place and publisher",
            Sign::Year => "a year of publication",
            Sign::Page => "a page",
            Sign::BackReference => "a back-reference",
            Sign::Volume => "a volume or issue",
            Sign::Collection => "an edited collection or periodical",
            Sign::Author => "an author's name",
        }
    }

    fn weight(self) -> u32 {
        match self {
            // `Ibid.` alone is a citation.
            Sign::BackReference => 4,
            Sign::Publisher => 3,
            Sign::TitleSetApart | Sign::Page => 2,
            Sign::Year | Sign::Volume | Sign::Collection | Sign::Author => 1,
        }
    }
}

/// The score from which a note is citation-shaped.
const THRESHOLD: u32 = 4;

/// The signs of a citation in a note's prose (`italic`: its italic byte
/// ranges), each once, in order; empty when the note does not look like a
/// citation.
pub fn citation_signs(prose: &str, italic: &[Range<usize>]) -> Vec<Sign> {
    if prose.chars().any(is_rtl) {
        return rtl_signs(prose);
    }
    let mut signs = Vec::new();
    let mut add = |sign: Sign, present: bool| {
        if present && !signs.contains(&sign) {
            signs.push(sign);
        }
    };
    add(Sign::BackReference, back_reference(prose));
    add(Sign::TitleSetApart, title_set_apart(prose, italic));
    add(Sign::Publisher, publisher(prose));
    add(Sign::Year, YEAR.is_match(prose));
    add(Sign::Page, page_at_end(prose));
    add(Sign::Volume, VOLUME.is_match(prose));
    add(Sign::Collection, COLLECTION.is_match(prose));
    add(Sign::Author, AUTHOR.is_match(prose));
    let score: u32 = signs.iter().map(|s| s.weight()).sum();
    // A year and a page alone (`In 1958, … see p. 45 above`) say less than
    // their weights: a cross-reference within the thesis.
    let only_numbers = signs.iter().all(|s| matches!(s, Sign::Year | Sign::Page));
    if score >= THRESHOLD && !only_numbers {
        signs
    } else {
        Vec::new()
    }
}

/// Whether `c` is a letter of a right-to-left script (Hebrew, Arabic,
/// Syriac, Thaana).
fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF) && c.is_alphabetic()
}

/// The signs of a note in a right-to-left script, read without regard to
/// order (a PDF's or a layout's text of such a line may come in the order
/// it is seen, not read): a page label beside a number, a year, a place
/// and a publisher around a colon, a back-reference word, names before a
/// comma.
fn rtl_signs(prose: &str) -> Vec<Sign> {
    static PAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:ص\.?|صص\.?|עמ['׳]|עמודים)\s*[,،]?\s*\p{Nd}|\p{Nd}\s*[,،]?\s*(?:ص|עמ['׳])")
            .expect("valid regex")
    });
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|\D)(?:1[4-9]\d\d|20\d\d|[١۱][٤-٩۴-۹][٠-٩۰-۹]{2}|[٢۲][٠۰][٠-٩۰-۹]{2})(?:\D|$)",
        )
        .expect("valid regex")
    });
    static BACK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"المرجع نفسه|المصدر نفسه|(?:^|\s)נפסה(?:\s|$)|(?:^|[\s.,])שם(?:[\s,.]|$)|المرجع السابق|מקור שם")
            .expect("valid regex")
    });
    let mut signs = Vec::new();
    if BACK.is_match(prose) {
        signs.push(Sign::BackReference);
    }
    if prose.contains(':') {
        signs.push(Sign::Publisher);
    }
    if YEAR.is_match(prose) {
        signs.push(Sign::Year);
    }
    if PAGE.is_match(prose) {
        signs.push(Sign::Page);
    }
    if prose.contains([',', '،']) {
        signs.push(Sign::Author);
    }
    let score: u32 = signs.iter().map(|s| s.weight()).sum();
    if score >= THRESHOLD {
        signs
    } else {
        Vec::new()
    }
}

/// A back-reference term at the start of the note or of a reference in it
/// (after `;`, a signal word or a name and a comma).
fn back_reference(prose: &str) -> bool {
    let starts = std::iter::once(0).chain(prose.match_indices(['.', ';', ',']).map(|(i, _)| i + 1));
    starts.into_iter().any(|at| {
        let rest = prose[at..].trim_start();
        backref::at_start(rest).is_some_and(|(term, len)| {
            // `cit.` alone is common in prose abbreviations; it counts
            // after a name or a title only.
            term.text != "cit." || at > 0 && rest[len..].trim_start().starts_with([',', '.'])
        })
    }) || prose.contains("(n ")
        || prose.contains("supra note")
        || prose.contains("above n ")
        || FOREIGN_BACK.is_match(prose)
}

/// Back-references in scripts whose citations ibid does not read (Arabic,
/// Hebrew, Greek, Devanagari, Georgian, Armenian), so that a note that is
/// only one of them is still seen to cite.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>\]]+").expect("valid regex"));

/// What may stand around a link in a note that only points to a site: a
/// signal, "available at", an access date.
static AROUND_A_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:see|siehe|vgl|cf|voir|ver|vedi|zie|available|verfügbar|disponible|disponibile|online|unter|at|on|url|homepage|website|webseite|site|accessed|retrieved|abgerufen|consulté|consultato|am|le|il|the|project|projekt)\b|\d{1,4}[-./]\d{1,2}[-./]\d{1,4}",
    )
    .expect("valid regex")
});

/// Whether a note only points to a site: a link, and around it a name of at
/// most a few words (`Zotero, https://www.zotero.org.`), with no title set
/// apart, no year and no page: a link, checked as one, not a work.
pub fn only_a_link(prose: &str, italic: &[Range<usize>]) -> bool {
    if !URL.is_match(prose) || !italic.is_empty() || QUOTED_TITLE.is_match(prose) {
        return false;
    }
    let rest = URL.replace_all(prose, " ");
    let rest = AROUND_A_LINK.replace_all(&rest, " ");
    if YEAR.is_match(&rest) || rest.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    rest.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .count()
        <= 4
}

static FOREIGN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:المرجع نفسه|المصدر نفسه|نفسه|שם|Ό\.π\.|Αυτόθι|वही|उपरोक्त|იქვე|Նույն տեղում)[،,.\s]")
        .expect("valid regex")
});

/// Page labels in those scripts, before a number in any digits (`ص ٤٥`,
/// `עמ׳ 45`, `σ. 45`, `पृ. 45`, `გვ. 45`, `էջ 45`).
static FOREIGN_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s,،(])(?:ص\.?|صص\.?|עמ['׳]|עמודים|σσ?\.|पृ\.?|पृष्ठ|გვ\.|էջ)\s?\p{Nd}+(?:\s?[-–]\s?\p{Nd}+)?\s*[.。]?\s*$")
        .expect("valid regex")
});

/// An italic run or quoted words of two or more letters, with citation
/// material after them (a comma, a year, a page), or brackets that only
/// hold titles (《》『』「」 with text around).
fn title_set_apart(prose: &str, italic: &[Range<usize>]) -> bool {
    let followed = |end: usize| {
        let after = prose.get(end..).unwrap_or("").trim_start();
        after.is_empty()
            || after.starts_with([',', '.', ':', '(', ';', '，', '、', '。', ')'])
            || after.starts_with(|c: char| c.is_ascii_digit())
    };
    let italics = italic.iter().any(|run| {
        let text = prose.get(run.clone()).unwrap_or("");
        text.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && text.split_whitespace().count() >= 1
            && followed(run.end)
            && (run.start > 0 || run.end < prose.len())
    });
    italics
        || QUOTED_TITLE.find_iter(prose).any(|m| followed(m.end()))
        || prose.contains(['《', '『']) && prose.contains(['》', '』'])
        || prose.contains('「') && prose.contains('」') && prose.contains(['『', '《'])
}

/// A page at the end of the note or of a reference in it: labelled (`p.
/// 45`, `S. 12 f.`, `45頁`, `45쪽`, `12. o.`) or a bare number after a
/// comma (`, 45.`).
fn page_at_end(prose: &str) -> bool {
    prose
        .split([';', '；'])
        .any(|piece| FOREIGN_PAGE.is_match(piece))
        || prose.split([';', '；']).any(|piece| {
            let piece = piece.trim().trim_end_matches(['.', '。']).trim();
            // After the last comma, or from the last label on.
            let after_comma = piece
                .rfind([',', '，', '、'])
                .map(|at| piece[at..].trim_start_matches([',', '，', '、']).trim());
            let from_label = (0..piece.len())
                .rev()
                .filter(|&i| piece.is_char_boundary(i))
                .filter(|&i| i == 0 || piece[..i].ends_with([' ', '(', '.', '、', '，']))
                .find(|&i| locator::labels::at_start(&piece[i..]).is_some())
                .map(|i| &piece[i..]);
            let suffixed = piece
                .rsplit([' ', '、', '，', ','])
                .next()
                .filter(|t| t.ends_with(['頁', '页', '쪽']) || piece.ends_with(". o"));
            // `649 (650)`: the first page and the page cited, as German law
            // writes an article.
            let pinpoint = after_comma.and_then(|t| {
                let (first, rest) = t.split_once(" (")?;
                Some(first).filter(|_| {
                    rest.trim_end_matches(')')
                        .chars()
                        .all(|c| c.is_ascii_digit())
                })
            });
            [from_label, after_comma, suffixed, pinpoint]
                .into_iter()
                .flatten()
                .any(|candidate| {
                    let labelled = locator::labels::at_start(candidate).is_some()
                        || candidate.ends_with(['頁', '页', '쪽']);
                    locator::parse(candidate).is_ok_and(|l| {
                        // Pages, or places a label names (`§ 823 Rn. 12`).
                        let places = l.page_ranges().next().is_some()
                            || labelled && l.parts.iter().all(|p| p.label.is_some());
                        places
                            && (labelled || !YEAR_ALONE.is_match(candidate))
                            && l.parts
                                .iter()
                                .all(|p| p.label.is_some() || p.kind.is_page())
                    })
                })
        })
}

/// `Place: Publisher, 1999`, `(Place, 1999)`, `М.: Наука, 2001`,
/// `Warszawa 1968`, `東京大学出版会、1952年`.
static PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:\p{Lu}[\p{L}.\- ]{0,30}\s?:\s?\p{Lu}[^,;:()]{1,80}[,.]\s*(?:\d{1,2}\.?\s*)?(?:1[4-9]\d\d|20\d\d))",
        r"|(?:\(\p{Lu}[^()]{1,80},\s*(?:1[4-9]\d\d|20\d\d)\))",
        r"|(?:,\s(?P<place>\p{Lu}[\p{Ll}\-]{2,}(?:\s\p{Lu}[\p{Ll}]+)?),?\s(?:1[4-9]\d\d|20\d\d)(?:,|\.|$))",
        r"|(?:\p{Han}{2,}(?:出版社|出版会|書店|书店|書房|社|館|馆|局)[、，,]\s*(?:1[4-9]\d\d|20\d\d)年)",
        r"|(?:[\p{Hangul}]{2,}(?:출판부|출판사|사|원)?,\s*(?:1[4-9]\d\d|20\d\d))",
        r"|(?:[\p{Arabic}\p{Hebrew}\p{Greek}\p{Devanagari}\p{Georgian}\p{Armenian}][^,،:]{1,30}:\s?[^,،:]{2,60}[,،]\s*(?:1[4-9]\d\d|20\d\d|[١۱][٠-٩۰-۹]{3}))",
    ))
    .expect("valid regex")
});

/// A place and publisher; a month before a year (`, March 1959,`) is a
/// date, not a place.
fn publisher(prose: &str) -> bool {
    PUBLISHER.captures_iter(prose).any(|caps| {
        caps.name("place").is_none_or(|place| {
            let word = super::text::fold(place.as_str().split_whitespace().next().unwrap_or(""));
            !super::text::NOT_NAMES.contains(&word.as_str()) && !MONTHS.contains(&word.as_str())
        })
    })
}

/// Month names, folded, in the languages of the conventions.
const MONTHS: &[&str] = &[
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "januar",
    "februar",
    "marz",
    "april",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "janeiro",
    "fevereiro",
    "marco",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

/// A year where a publication's stands: after a comma or colon, in
/// parentheses, before a full stop or a comma, with 年; not after words
/// that make it a date in prose (`in 1958`, `lata 1578`, `1861 г.`).
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[,:(]\s*|\b\p{Lu}\p{L}+\s)(?:1[4-9]\d\d|20\d\d)[a-z]?(?:\)|,|\.|:|;|$)|(?:1[4-9]\d\d|20\d\d)年[、，,]",
    )
    .expect("valid regex")
});

/// Words of a title in quotation marks: two or more words, starting with a
/// capital (a quoted word in prose is a term, not a title).
static QUOTED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[“"«„‘]\p{Lu}[^“”"«»„‘’]{3,}?\s[^“”"«»„‘’]{2,}?[,.]?[”"»“’]"#)
        .expect("valid regex")
});

/// A number that is a year and nothing more.
static YEAR_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:1[4-9]\d\d|20\d\d)[a-z]?$").expect("valid regex"));

/// `vol. 3`, `v. 40, n. 2`, `№ 10`, `Bd. 2`, `t. 1`, `Jg. 5`, `44 (1985):`.
static VOLUME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:\b(?:vol|vols|bd|jg|nr|no|t|v|n|dl|årg|évf|roč|sz|sy|č)\.\s?\d)|№\s?\d|\b\d{1,3}\s\((?:1[4-9]\d\d|20\d\d)\):",
    )
    .expect("valid regex")
});

/// `In:`, `[w:]`, `//`, editors in the languages' forms.
static COLLECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:^|[\s.,])(?:In|in|W|w|V|v|Em|em|Dans|dans):\s)|\[w:\]|\s//\s|\b(?:eds?\.|Hrsg\.|hrsg\.|red\.|\(org\.\)|\(orgs\.\)|\(coord\.\)|a cura di|éd\.|под ред\.|(?:ed|eds)\.\)|toim\.|szerk\.|ed\.\s)|編|엮음|편\b",
    )
    .expect("valid regex")
});

/// A name where a citation begins: `Surname,` (a capital word before a
/// comma at the start), `SURNAME,`, `A. Surname,`, `Surname I. I.`,
/// `A. Surname and B. Other,`; a short CJK name before 『 or 「.
static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:see|cf\.|vgl\.|zob\.|por\.|srv\.|jf\.|jfr\.?|bkz\.|vö\.|см\.:?|ср\.:?|ver|voir|véase|cfr\.)\s+)?",
        r"(?i:(?:\p{Lu}\.\s?){0,3})",
        r"(?:\p{Lu}[\p{L}'’\-]+)(?:\s\p{Lu}[\p{L}'’\-]+){0,2}",
        r"(?:,|\s(?:\p{Lu}\.\s?){1,3}[\s,])",
        r"|^\p{Han}{2,6}[『「《]|^[\p{Hangul}]{2,5},\s*[『「《]",
        // Names in scripts ibid does not read: words before the first comma.
        r"|^[\p{Arabic}\p{Hebrew}\p{Greek}\p{Devanagari}\p{Georgian}\p{Armenian}][^,،]{2,40}[,،]",
    ))
    .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    fn signs(note: &str) -> Vec<Sign> {
        // `_italic_` as in the tests' documents.
        let mut prose = String::new();
        let mut italic = Vec::new();
        let mut open = None;
        for c in note.chars() {
            if c == '_' {
                match open.take() {
                    Some(start) => italic.push(start..prose.len()),
                    None => open = Some(prose.len()),
                }
            } else {
                prose.push(c);
            }
        }
        citation_signs(&prose, &italic)
    }

    #[test]
    fn citations_in_many_conventions_look_like_citations() {
        for note in [
            "Mark Selden with Elizabeth J. Perry, _Chinese Society_ (London: Routledge, 2010), 55.",
            "Smith, “Famine Politics,” _Journal of Asian Studies_ 44 (1985): 512–38, at 520.",
            "Ключевский В. О. Сочинения. М.: Мысль, 1987. С. 45.",
            "Там же. С. 47.",
            "丸山眞男『日本政治思想史研究』東京大学出版会、1952年、45頁。",
            "강만길, 『고쳐 쓴 한국현대사』, 창작과비평사, 1994, 45쪽.",
            "J. Topolski, _Metodologia historii_, Warszawa 1968, s. 45.",
            "Tamże, s. 47.",
            "FREYRE, Gilberto. _Casa-grande & senzala_. São Paulo: Global, 2003. p. 45.",
            "Hanák Péter: _Magyarország a Monarchiában_. Budapest, Gondolat, 1975, 45. o.",
            "Bourdieu (n 3) 45.",
            "García Márquez, _Cien años de soledad_, p. 20.",
            "Canaris, JZ 1993, 649 (650).",
            "This was recently confirmed in: Smith, _A Study of Things_, Oxford 1999, p. 4.",
            "Ἱστορίαι, ἐν Ἀθήναις 1999, σ. 45.",
            "عبد الرحمن بدوي، مناهج البحث العلمي، القاهرة: دار النهضة العربية، ١٩٦٣، ص ٤٥.",
            "שם, עמ׳ 47.",
            "Κωνσταντίνος Θ. Δημαράς, Νεοελληνικός Διαφωτισμός, Αθήνα: Ερμής, 1977, σ. 45.",
        ] {
            assert!(!signs(note).is_empty(), "{note}");
        }
    }

    #[test]
    fn explanations_do_not() {
        for note in [
            "In 1958 the campaign reached Sichuan; see p. 45 above.",
            "Dane za lata 1578–1580 zestawiono w tabeli 4; por. też wykres 2 na s. 77.",
            "К 1861 г. в России насчитывалось около 23 млн крепостных крестьян обоего пола.",
            "1890年の第1回総選挙の有権者は約45万人で、総人口の約1.1パーセントにすぎなかった。",
            "Ver capítulo 3, seção 3.2, p. 87.",
            "Tradução nossa.",
            "The term _hukou_ refers to household registration.",
            "So auch die herrschende Meinung.",
            "On the “Great Leap” as a slogan, see chapter 2.",
            "Mao spoke to the Politburo on 12 March 1959, as the minutes record.",
            "انظر الفصل الثاني من هذه الدراسة.",
            "תאסתה האוניברסיטה המצרית בשנת 1908.",
            "Βλ. παρακάτω, κεφάλαιο 3.",
        ] {
            assert!(signs(note).is_empty(), "{note}: {:?}", signs(note));
        }
    }

    #[test]
    fn a_note_that_only_points_to_a_site_is_a_link() {
        for note in [
            "Zotero, https://www.zotero.org.",
            "Siehe https://typst.app/docs.",
            "The Typst project: https://github.com/typst/typst (abgerufen am 12.05.2024).",
            "www.python.org",
            // Invented, in other languages.
            "Vgl. die Dokumentation unter https://docs.rs/regex.",
            "Voir le site du projet : https://example.org/projet.",
        ] {
            assert!(only_a_link(note, &[]), "{note}");
        }
        for note in [
            "Mao Zedong, “Talk at Lushan,” 1959, https://example.org/lushan.",
            "Dikötter, Mao's Great Famine, 45, https://example.org/book.",
            "Shapiro argues at length that the communes failed; see https://example.org.",
            "An explanation with no link at all.",
            "Jane Doe, The Commune Archive Online, 2019, https://example.org/archive.",
            "Smith, \"Grain Reports\", https://example.org/grain.",
        ] {
            assert!(!only_a_link(note, &[]), "{note}");
        }
    }
}
