//! The one table of locator labels: every label theses write, in the
//! languages they are written in, with the kind of place it points into
//! (CSL's locator types, plus the marginal numbers of legal commentaries),
//! whether it is the plural form, and its family — the singular and plural
//! forms that belong together (`p.`/`pp.`, `pag.`/`pagg.`, `S.`). The
//! locator parser, the hand-typed citation reader and the locator rules all
//! read this table.

use serde::Serialize;

/// What a locator points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Page,
    Chapter,
    Section,
    Paragraph,
    Line,
    Note,
    Verse,
    Folio,
    Column,
    Volume,
    Figure,
    Equation,
    Table,
    Book,
    Part,
    Issue,
    /// An article of a statute or treaty (`Art. 5`).
    Article,
    /// A marginal number of a legal commentary (`Rn. 12`, `Randnummer`).
    MarginNumber,
    /// `s.v.`: under the word, in a dictionary.
    SubVerbo,
    /// Free text (`preface`, `Introduction`): a place, but not a number.
    Other,
}

impl Kind {
    pub fn is_page(self) -> bool {
        self == Kind::Page
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Chapter => "chapter",
            Kind::Section => "section",
            Kind::Paragraph => "paragraph",
            Kind::Line => "line",
            Kind::Note => "note",
            Kind::Verse => "verse",
            Kind::Folio => "folio",
            Kind::Column => "column",
            Kind::Volume => "volume",
            Kind::Figure => "figure",
            Kind::Equation => "equation",
            Kind::Table => "table",
            Kind::Book => "book",
            Kind::Part => "part",
            Kind::Issue => "issue",
            Kind::Article => "article",
            Kind::MarginNumber => "margin number",
            Kind::SubVerbo => "sub verbo",
            Kind::Other => "other",
        }
    }
}

/// Labels that are the singular and plural of one another.
#[derive(Debug, PartialEq, Eq)]
pub struct Family {
    /// How the family is named in reports (`p./pp.`).
    pub name: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    /// The languages whose conventions write it (ISO 639-1): a locator is
    /// restyled only into a family of one of its own languages.
    pub languages: &'static [&'static str],
}

impl Family {
    /// Whether one language writes both families (`pag.` and `p.` in
    /// Italian; never `S.` and `p.`).
    pub fn shares_language(&self, other: &Family) -> bool {
        self.languages.iter().any(|l| other.languages.contains(l))
    }
}

pub const P: Family = Family {
    name: "p./pp.",
    singular: "p.",
    plural: "pp.",
    languages: &["en", "it", "fr", "pt", "es", "nl", "la"],
};
pub const PAG: Family = Family {
    name: "pag./pagg.",
    singular: "pag.",
    plural: "pagg.",
    languages: &["it"],
};
pub const PAGE: Family = Family {
    name: "page/pages",
    singular: "page",
    plural: "pages",
    languages: &["en", "fr"],
};
pub const S: Family = Family {
    name: "S.",
    singular: "S.",
    plural: "S.",
    // German `S.`, and `s.` of the Slavic, Scandinavian and Turkish
    // conventions (strona, strana, side, sayfa): one label, singular and
    // plural alike.
    languages: &["de", "pl", "cs", "sk", "sv", "no", "da", "tr"],
};
pub const BLZ: Family = Family {
    name: "blz.",
    singular: "blz.",
    plural: "blz.",
    languages: &["nl"],
};
pub const SID: Family = Family {
    name: "sid.",
    singular: "sid.",
    plural: "sid.",
    languages: &["sv", "no", "da"],
};
pub const OLD: Family = Family {
    name: "old.",
    singular: "old.",
    plural: "old.",
    languages: &["hu"],
};
pub const STR: Family = Family {
    name: "str.",
    singular: "str.",
    plural: "str.",
    languages: &["cs", "sk", "pl", "hr", "sl", "sr", "ru", "uk", "bg"],
};
pub const S_RU: Family = Family {
    name: "С.",
    singular: "С.",
    plural: "С.",
    languages: &["ru", "uk", "bg"],
};
pub const JA: Family = Family {
    name: "頁",
    singular: "頁",
    plural: "頁",
    languages: &["ja", "zh"],
};
pub const KO: Family = Family {
    name: "쪽",
    singular: "쪽",
    plural: "쪽",
    languages: &["ko"],
};
pub const PG: Family = Family {
    name: "pg./pgs.",
    singular: "pg.",
    plural: "pgs.",
    languages: &["en", "es"],
};
pub const PAG_ES: Family = Family {
    name: "pág./págs.",
    singular: "pág.",
    plural: "págs.",
    languages: &["es", "pt"],
};

/// Every family of page labels.
pub const FAMILIES: [&Family; 13] = [
    &P, &PAG, &PAGE, &S, &PG, &PAG_ES, &BLZ, &SID, &OLD, &STR, &S_RU, &JA, &KO,
];

/// The family by its name in reports (`p./pp.`), in lower case.
pub fn family_named(name: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.name.to_lowercase() == name)
}

/// A label as the table knows it.
#[derive(Debug)]
pub struct Label {
    /// Lower case, as written (with its period, if it has one).
    pub text: &'static str,
    pub kind: Kind,
    pub plural: bool,
    /// For page labels, the family of forms it belongs to.
    pub family: Option<&'static Family>,
}

const fn label(text: &'static str, kind: Kind, plural: bool) -> Label {
    Label {
        text,
        kind,
        plural,
        family: None,
    }
}

const fn page(text: &'static str, plural: bool, family: &'static Family) -> Label {
    Label {
        text,
        kind: Kind::Page,
        plural,
        family: Some(family),
    }
}

/// Every label, compared without case. Longer labels come first where one
/// begins another, so that `pagg.` wins over `pag.` over `p.`.
pub const LABELS: &[Label] = &[
    // Pages.
    page("pages", true, &PAGE),
    page("page", false, &PAGE),
    page("pagine", true, &PAGE),
    page("pagina", false, &PAGE),
    page("páginas", true, &PAG_ES),
    page("página", false, &PAG_ES),
    page("págs.", true, &PAG_ES),
    page("pág.", false, &PAG_ES),
    page("pagg.", true, &PAG),
    page("pag.", false, &PAG),
    page("pgs.", true, &PG),
    page("pg.", false, &PG),
    page("pp.", true, &P),
    page("pp", true, &P),
    page("p.", false, &P),
    label("s.v.", Kind::SubVerbo, false),
    page("seiten", true, &S),
    page("seite", false, &S),
    page("ss.", true, &S),
    page("s.", false, &S),
    page("blz.", false, &BLZ),
    page("sid.", false, &SID),
    page("old.", false, &OLD),
    page("str.", false, &STR),
    page("стр.", false, &S_RU),
    page("с.", false, &S_RU),
    // Written after the number (`45頁`, `45쪽`, `12. o.`): see
    // `crate::locator::suffixed`.
    page("頁", false, &JA),
    page("页", false, &JA),
    page("쪽", false, &KO),
    page("면", false, &KO),
    page("o.", false, &OLD),
    // Chapters.
    label("chapters", Kind::Chapter, true),
    label("chapter", Kind::Chapter, false),
    label("chapitre", Kind::Chapter, false),
    label("capitolo", Kind::Chapter, false),
    label("capítulo", Kind::Chapter, false),
    label("kapitel", Kind::Chapter, false),
    label("chaps.", Kind::Chapter, true),
    label("chap.", Kind::Chapter, false),
    label("chs.", Kind::Chapter, true),
    label("ch.", Kind::Chapter, false),
    label("capp.", Kind::Chapter, true),
    label("cap.", Kind::Chapter, false),
    label("kap.", Kind::Chapter, false),
    // Sections and paragraphs.
    label("sections", Kind::Section, true),
    label("section", Kind::Section, false),
    label("secs.", Kind::Section, true),
    label("sects.", Kind::Section, true),
    label("sect.", Kind::Section, false),
    label("sec.", Kind::Section, false),
    label("sec", Kind::Section, false),
    label("abschnitt", Kind::Section, false),
    label("abschn.", Kind::Section, false),
    label("§§", Kind::Section, true),
    label("§", Kind::Section, false),
    label("paragraphs", Kind::Paragraph, true),
    label("paragraph", Kind::Paragraph, false),
    label("paras.", Kind::Paragraph, true),
    label("para.", Kind::Paragraph, false),
    label("par.", Kind::Paragraph, false),
    label("abs.", Kind::Paragraph, false),
    label("¶¶", Kind::Paragraph, true),
    label("¶", Kind::Paragraph, false),
    // Lines, notes, verses.
    label("lines", Kind::Line, true),
    label("line", Kind::Line, false),
    label("ll.", Kind::Line, true),
    label("l.", Kind::Line, false),
    label("z.", Kind::Line, false),
    label("notes", Kind::Note, true),
    label("note", Kind::Note, false),
    label("nn.", Kind::Note, true),
    label("n.", Kind::Note, false),
    label("anm.", Kind::Note, false),
    label("fn.", Kind::Note, false),
    label("verses", Kind::Verse, true),
    label("verse", Kind::Verse, false),
    label("vv.", Kind::Verse, true),
    label("v.", Kind::Verse, false),
    // Folios and columns.
    label("fols.", Kind::Folio, true),
    label("fol.", Kind::Folio, false),
    label("bl.", Kind::Folio, false),
    label("columns", Kind::Column, true),
    label("column", Kind::Column, false),
    label("cols.", Kind::Column, true),
    label("col.", Kind::Column, false),
    label("sp.", Kind::Column, false),
    // Volumes, books, parts, issues.
    label("volumes", Kind::Volume, true),
    label("volume", Kind::Volume, false),
    label("vols.", Kind::Volume, true),
    label("vol.", Kind::Volume, false),
    label("bd.", Kind::Volume, false),
    label("tome", Kind::Volume, false),
    label("t.", Kind::Volume, false),
    label("т.", Kind::Volume, false),
    label("dl.", Kind::Volume, false),
    label("årg.", Kind::Volume, false),
    label("évf.", Kind::Volume, false),
    label("roč.", Kind::Volume, false),
    label("jg.", Kind::Volume, false),
    label("cilt", Kind::Volume, false),
    label("권", Kind::Volume, false),
    label("巻", Kind::Volume, false),
    label("books", Kind::Book, true),
    label("book", Kind::Book, false),
    label("bk.", Kind::Book, false),
    label("parts", Kind::Part, true),
    label("part", Kind::Part, false),
    label("pt.", Kind::Part, false),
    label("no.", Kind::Issue, false),
    label("nos.", Kind::Issue, true),
    label("nr.", Kind::Issue, false),
    label("nr", Kind::Issue, false),
    label("№", Kind::Issue, false),
    label("вып.", Kind::Issue, false),
    label("sz.", Kind::Issue, false),
    label("sy.", Kind::Issue, false),
    label("č.", Kind::Issue, false),
    label("hft.", Kind::Issue, false),
    label("호", Kind::Issue, false),
    label("号", Kind::Issue, false),
    label("ч.", Kind::Part, false),
    label("cz.", Kind::Part, false),
    label("rozdz.", Kind::Chapter, false),
    label("гл.", Kind::Chapter, false),
    label("kap", Kind::Chapter, false),
    label("poz.", Kind::Other, false),
    // Figures, equations, tables.
    label("figures", Kind::Figure, true),
    label("figure", Kind::Figure, false),
    label("figs.", Kind::Figure, true),
    label("fig.", Kind::Figure, false),
    label("abb.", Kind::Figure, false),
    label("equations", Kind::Equation, true),
    label("equation", Kind::Equation, false),
    label("eqns.", Kind::Equation, true),
    label("eqn.", Kind::Equation, false),
    label("eqn", Kind::Equation, false),
    label("eqs.", Kind::Equation, true),
    label("eq.", Kind::Equation, false),
    label("tables", Kind::Table, true),
    label("table", Kind::Table, false),
    label("tab.", Kind::Table, false),
    // The law: articles and marginal numbers.
    label("arts.", Kind::Article, true),
    label("art.", Kind::Article, false),
    label("art", Kind::Article, false),
    label("randnummern", Kind::MarginNumber, true),
    label("randnummer", Kind::MarginNumber, false),
    label("randnr.", Kind::MarginNumber, false),
    label("rdnr.", Kind::MarginNumber, false),
    label("rdn.", Kind::MarginNumber, false),
    label("rn.", Kind::MarginNumber, false),
    label("rn", Kind::MarginNumber, false),
    label("rz.", Kind::MarginNumber, false),
];

/// The label that `text` begins with, if any, and its length in `text`.
/// A label that ends in a letter must end a word there (`pages`, not
/// `pagesx`; `Sec 2`, not `Second`).
pub fn at_start(text: &str) -> Option<(&'static Label, usize)> {
    for label in LABELS {
        let Some(len) = prefix_len(text, label.text) else {
            continue;
        };
        let rest = &text[len..];
        if label.text.ends_with(char::is_alphabetic) && rest.starts_with(char::is_alphabetic) {
            continue;
        }
        return Some((label, len));
    }
    None
}

/// The byte length of `label` at the start of `text`, compared without case
/// (a few labels hold non-ASCII letters: `pág.`, `§`).
fn prefix_len(text: &str, label: &str) -> Option<usize> {
    let mut len = 0;
    let mut chars = text.chars();
    for expected in label.chars() {
        let c = chars.next()?;
        if !c.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
        len += c.len_utf8();
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_labels_win_and_words_end_where_they_should() {
        assert_eq!(at_start("pagg. 12").unwrap().0.text, "pagg.");
        assert_eq!(at_start("Pag.192").unwrap().0.text, "pag.");
        assert_eq!(at_start("pp.7-9").unwrap().0.text, "pp.");
        assert_eq!(at_start("S. 17 f.").unwrap().0.kind, Kind::Page);
        assert_eq!(at_start("Sec 2.3.3").unwrap().0.kind, Kind::Section);
        assert!(at_start("Second").is_none());
        assert!(at_start("pagesx").is_none());
        assert_eq!(at_start("§ 59").unwrap().0.kind, Kind::Section);
        assert_eq!(at_start("Rn 1").unwrap().0.kind, Kind::MarginNumber);
        assert_eq!(at_start("s.v. Dao").unwrap().0.kind, Kind::SubVerbo);
        assert_eq!(at_start("págs. 4-5").unwrap().0.text, "págs.");
    }

    #[test]
    fn every_page_label_has_a_family_and_no_other_label_has_one() {
        for label in LABELS {
            assert_eq!(
                label.kind == Kind::Page,
                label.family.is_some(),
                "{}",
                label.text
            );
            assert_eq!(
                label.text,
                label.text.to_lowercase(),
                "lower case: {}",
                label.text
            );
        }
    }

    #[test]
    fn no_label_hides_a_longer_one_after_it() {
        for (i, label) in LABELS.iter().enumerate() {
            for later in &LABELS[i + 1..] {
                let hidden = later.text.starts_with(label.text)
                    && !(label.text.ends_with(char::is_alphabetic)
                        && later.text[label.text.len()..].starts_with(char::is_alphabetic));
                assert!(!hidden, "`{}` comes before `{}`", label.text, later.text);
            }
        }
    }
}
