use super::*;

fn ranges(text: &str) -> Vec<(u32, u32)> {
    parse(text).unwrap().page_ranges().collect()
}

fn kinds(text: &str) -> Vec<Kind> {
    parse(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .parts
        .iter()
        .map(|p| p.kind)
        .collect()
}

#[test]
fn labels_as_real_theses_write_them() {
    for (text, label, plural) in [
        ("p. 5", "p.", false),
        ("pp.7-9", "pp.", true),
        ("pag. 387", "pag.", false),
        ("Pag.192", "Pag.", false),
        ("pagg. 12-14", "pagg.", true),
        ("page 3", "page", false),
        ("pages 3-4", "pages", true),
        ("S. 12", "S.", false),
        ("págs. 4-5", "págs.", true),
    ] {
        let locator = parse(text).unwrap();
        let part = &locator.parts[0];
        assert_eq!(part.label.as_deref(), Some(label), "{text}");
        assert_eq!(part.plural_label, plural, "{text}");
        assert_eq!(part.kind, Kind::Page);
    }
    assert_eq!(parse("12").unwrap().parts[0].label, None);
    assert_eq!(parse("p.5").unwrap().parts[0].spaced, Some(false));
    assert_eq!(parse("p. 5").unwrap().parts[0].spaced, Some(true));
}

#[test]
fn ranges_lists_and_dashes() {
    assert_eq!(ranges("pp. 7-9"), [(7, 9)]);
    assert_eq!(ranges("pp. 7--9"), [(7, 9)]);
    assert_eq!(ranges("pp. 7–9"), [(7, 9)]);
    assert_eq!(ranges("pp. 7—9"), [(7, 9)]);
    assert_eq!(ranges("pp. 7 - 9"), [(7, 9)]);
    assert_eq!(ranges("pp. 289-290; pp. 115-121"), [(289, 290), (115, 121)]);
    assert_eq!(ranges("pp. 3, 5 & 7"), [(3, 3), (5, 5), (7, 7)]);
    assert_eq!(ranges("pp. 3 and 5-6"), [(3, 3), (5, 6)]);
    assert_eq!(ranges("86–88"), [(86, 88)]);
    assert_eq!(parse("pp. 7–9").unwrap().parts[0].dashes, ["–"]);
}

#[test]
fn abbreviated_ranges_are_expanded() {
    assert_eq!(ranges("pp. 211-12"), [(211, 212)]);
    assert_eq!(ranges("pp. 1534-6"), [(1534, 1536)]);
    assert_eq!(ranges("315–16"), [(315, 316)]);
    assert_eq!(
        ranges("pp. 30-29"),
        [(30, 29)],
        "same length: reversed, not abbreviated"
    );
}

#[test]
fn roman_letters_following_and_passim() {
    let locator = parse("p. xii").unwrap();
    let Item::Pages { start, .. } = &locator.parts[0].items[0] else {
        panic!()
    };
    assert_eq!(start.roman, Some(12));
    let locator = parse("p. 12a").unwrap();
    let Item::Pages { start, .. } = &locator.parts[0].items[0] else {
        panic!()
    };
    assert_eq!(
        (start.text.as_str(), start.number),
        ("12a", None),
        "kept as text"
    );
    assert!(parse("p. e1").is_ok());
    assert!(parse("pp. 5 ff.").unwrap().parts[0].is_plural());
    assert!(parse("p. 5 f.").unwrap().parts[0].is_plural());
    assert!(parse("112 ff.").unwrap().parts[0].is_plural());
    assert!(parse("S. 17 f.").unwrap().parts[0].is_plural());
    assert!(parse("p. 45 et s.").unwrap().parts[0].is_plural());
    assert_eq!(parse("passim").unwrap().parts[0].items, [Item::Passim]);
    assert_eq!(kinds("xiv"), [Kind::Page]);
}

#[test]
fn what_cannot_be_read_says_what_was_expected() {
    let err = parse("pp. seven").unwrap_err();
    assert!(err.expected.contains("page number"), "{err}");
    assert_eq!(
        parse("p.").unwrap_err().expected,
        "a page or range after the label"
    );
    assert!(parse("").is_err());
    assert!(parse("———").is_err());
    assert!(parse("pp. 5-").is_err());
    assert!(parse("pp. 3,,4").is_err());
    assert_eq!(
        parse("ch.").unwrap_err().expected,
        "a number after the label"
    );
}

#[test]
fn non_page_locators_have_their_own_kind() {
    assert_eq!(kinds("n. 450"), [Kind::Note]);
    assert_eq!(kinds("ll. 10-90"), [Kind::Line]);
    assert_eq!(kinds("§ 59 Rn 1"), [Kind::Section, Kind::MarginNumber]);
    assert_eq!(kinds("§ 59 Rn. 1"), [Kind::Section, Kind::MarginNumber]);
    assert_eq!(kinds("Sec 2.3.3"), [Kind::Section]);
    assert_eq!(kinds("4.4.2.2"), [Kind::Section]);
    assert_eq!(kinds("Eqn. 10.65"), [Kind::Equation]);
    assert_eq!(kinds("Art. 5 Abs. 2"), [Kind::Article, Kind::Paragraph]);
    assert_eq!(kinds("fig. 3"), [Kind::Figure]);
    assert_eq!(kinds("col. 12"), [Kind::Column]);
    assert_eq!(kinds("fol. 3r"), [Kind::Folio]);
    assert_eq!(kinds("v. 12"), [Kind::Verse]);
    assert_eq!(kinds("s.v. Dao"), [Kind::SubVerbo]);
    assert_eq!(kinds("the preface"), [Kind::Other]);
    for text in [
        "n. 450",
        "ll. 10-90",
        "§ 59 Rn 1",
        "Sec 2.3.3",
        "4.4.2.2",
        "Eqn. 10.65",
    ] {
        assert_eq!(ranges(text), [], "{text} names no page");
    }
}

#[test]
fn a_page_beside_a_chapter_is_only_the_page() {
    assert_eq!(kinds("p. 5; ch. 3"), [Kind::Page, Kind::Chapter]);
    assert_eq!(ranges("p. 5; ch. 3"), [(5, 5)]);
    assert_eq!(kinds("ch. 3, p. 5"), [Kind::Chapter, Kind::Page]);
    assert_eq!(ranges("ch. 3, p. 5"), [(5, 5)]);
    assert_eq!(kinds("vol. 2, p. 45"), [Kind::Volume, Kind::Page]);
    assert_eq!(ranges("vol. 2, p. 45"), [(45, 45)]);
}

#[test]
fn a_page_and_a_note_on_it() {
    assert_eq!(kinds("87n12"), [Kind::Page, Kind::Note]);
    assert_eq!(ranges("87n12"), [(87, 87)]);
    assert_eq!(kinds("p. 87n12"), [Kind::Page, Kind::Note]);
}

#[test]
fn capital_roman_numerals_alone_are_no_pages() {
    assert_eq!(kinds("XIV"), [Kind::Other]);
    assert_eq!(kinds("xiv"), [Kind::Page]);
    assert_eq!(kinds("p. XIV"), [Kind::Page]);
}

#[test]
fn volume_and_page_with_a_colon() {
    assert_eq!(kinds("2:45"), [Kind::Volume, Kind::Page]);
    assert_eq!(ranges("2:45"), [(45, 45)]);
    assert_eq!(ranges("2:45-47"), [(45, 47)]);
}

#[test]
fn chinese_locators() {
    assert_eq!(kinds("第88页"), [Kind::Page]);
    assert_eq!(ranges("第88页"), [(88, 88)]);
    assert_eq!(ranges("第88-90页"), [(88, 90)]);
    assert_eq!(kinds("第3章"), [Kind::Chapter]);
}

proptest::proptest! {
    /// No input makes the parser panic.
    #[test]
    fn never_panics(text in "\\PC{0,40}") {
        let _ = parse(&text);
    }

    /// Locator-like noise: labels, digits, dashes, separators.
    #[test]
    fn never_panics_on_near_misses(text in "(pp?\\.|pag\\.|S\\.|ch\\.|§|Rn|第)? ?[0-9xivXIV .:,;&–—-]{0,20}(ff?\\.|页|s\\.)?") {
        let _ = parse(&text);
    }

    /// Rendering a locator and parsing it back gives the same pages.
    #[test]
    fn render_then_parse(
        label in proptest::sample::select(vec!["p.", "pp.", "pag.", "pagg.", "S.", "page"]),
        items in proptest::collection::vec((1u32..5000, proptest::option::of(0u32..300)), 1..4),
    ) {
        let text = format!("{label} {}", items.iter().map(|(s, len)| match len {
            Some(len) => format!("{s}-{}", s + len),
            None => s.to_string(),
        }).collect::<Vec<_>>().join(", "));
        let parsed = parse(&text).unwrap();
        let again = parse(&parsed.to_string()).unwrap();
        let expected: Vec<(u32, u32)> = items.iter().map(|(s, len)| (*s, s + len.unwrap_or(0))).collect();
        proptest::prop_assert_eq!(parsed.page_ranges().collect::<Vec<_>>(), expected.clone());
        proptest::prop_assert_eq!(again.page_ranges().collect::<Vec<_>>(), expected);
        proptest::prop_assert_eq!(again.parts[0].label.as_deref(), Some(label));
    }
}

#[test]
fn labels_of_more_languages_and_labels_after_the_pages() {
    for (text, pages) in [
        ("blz. 30-31", vec![(30, 31)]),
        ("s. 12", vec![(12, 12)]),
        ("sid. 45", vec![(45, 45)]),
        ("old. 7", vec![(7, 7)]),
        ("str. 21", vec![(21, 21)]),
        ("С. 14", vec![(14, 14)]),
        ("с. 390", vec![(390, 390)]),
        ("стр. 5-7", vec![(5, 7)]),
        ("45頁", vec![(45, 45)]),
        ("30–32頁", vec![(30, 32)]),
        ("45쪽", vec![(45, 45)]),
        ("45~47쪽", vec![(45, 47)]),
        ("12. o.", vec![(12, 12)]),
        ("12–15. o.", vec![(12, 15)]),
        ("第88页", vec![(88, 88)]),
    ] {
        assert_eq!(ranges(text), pages, "{text}");
    }
    assert_eq!(kinds("Т. 1. С. 380"), [Kind::Volume, Kind::Page]);
    assert_eq!(kinds("t. 1, s. 45"), [Kind::Volume, Kind::Page]);
    assert_eq!(kinds("№ 10"), [Kind::Issue]);
    assert_eq!(kinds("第5号"), [Kind::Issue]);
    assert_eq!(kinds("第2巻"), [Kind::Volume]);
}

#[test]
fn a_separator_after_ff_or_passim_is_no_hole_in_the_list() {
    for (text, pages) in [
        ("12 ff., 14", vec![(12, 12), (14, 14)]),
        ("passim, 12", vec![(12, 12)]),
        ("1958, passim, 40", vec![(1958, 1958), (40, 40)]),
        ("12 ff., iv ff.", vec![(12, 12)]),
    ] {
        let locator = crate::locator::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(locator.page_ranges().collect::<Vec<_>>(), pages, "{text}");
    }
    // Two separators in a row are still a hole.
    assert!(crate::locator::parse("12, , 14").is_err());
}

/// `f.` and `ff.` written against the page (`45f.`, `12ff.`, `12ff`), as
/// German and English notes often do: the page and its following pages,
/// as when spaced; a letter after the page is still part of it (`12a`).
#[test]
fn f_and_ff_written_against_the_page() {
    for (text, spaced) in [
        ("S. 45f., 67", "S. 45 f., 67"),
        ("pp. 12ff., 30", "pp. 12 ff., 30"),
        ("pp. 12ff, 30", "pp. 12 ff, 30"),
        ("S. 9ff. und 14", "S. 9 ff. und 14"),
    ] {
        let joined = crate::locator::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let apart = crate::locator::parse(spaced).unwrap_or_else(|e| panic!("{spaced}: {e}"));
        assert_eq!(joined.parts, apart.parts, "{text}");
        assert!(joined.parts[0].is_plural(), "{text}");
    }
    assert!(!crate::locator::parse("p. 12a").unwrap().parts[0].is_plural());
}

/// The last item's `following` (`ff.`, `f.`, French `s.`/`ss.`).
fn following(text: &str) -> Option<Following> {
    let locator = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match locator.parts.last().and_then(|p| p.items.last()) {
        Some(Item::Pages { following, .. }) => *following,
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn french_s_and_ss_after_a_page_are_the_next_pages() {
    // Right after the page (pending) and after `et` (the page already an
    // item of the part before).
    assert_eq!(following("45 s."), Some(Following::One));
    assert_eq!(following("45 ss."), Some(Following::Many));
    assert_eq!(following("p. 45 et s."), Some(Following::One));
    assert_eq!(following("p. 45 et ss."), Some(Following::Many));
    assert_eq!(ranges("45 ss."), [(45, 45)]);
    // German `S.` before its page is a label, not "and the next".
    let german = parse("S. 45").unwrap();
    assert_eq!(german.parts[0].label.as_deref(), Some("S."));
    assert_eq!(following("S. 45"), None);
    // `s.` with a page after it labels that page.
    assert_eq!(following("45; s. 67"), None);
    assert_eq!(ranges("45; s. 67"), [(45, 45), (67, 67)]);
}

#[test]
fn unlabelled_items_of_one_kind_share_a_part() {
    let locator = parse("12, 14").unwrap();
    assert_eq!(locator.parts.len(), 1, "{locator:?}");
    assert_eq!(locator.parts[0].items.len(), 2);
    assert!(locator.parts[0].is_plural(), "two pages are plural");
    assert!(parse("pp. 3, 5").unwrap().parts[0].is_plural());
    assert!(!parse("p. 5").unwrap().parts[0].is_plural());
    assert!(parse("pp. 3-5").unwrap().parts[0].is_plural());
    assert!(!parse("the preface").unwrap().parts[0].is_plural());
}

#[test]
fn free_text_keeps_its_words() {
    let locator = parse("the preface").unwrap();
    assert_eq!(
        locator.parts[0].items,
        [Item::Text("the preface".to_string())]
    );
    assert_eq!(locator.parts[0].kind, Kind::Other);
    let err = parse("pp. 12 and the preface").unwrap_err();
    assert_eq!(err.found, "the preface", "{err}");
}

#[test]
fn kinds_lists_each_kind_once_in_order() {
    let locator = parse("ch. 3, p. 5; p. 7").unwrap();
    assert_eq!(locator.kinds(), [Kind::Chapter, Kind::Page]);
    assert_eq!(parse("p. 5; p. 7").unwrap().kinds(), [Kind::Page]);
}

#[test]
fn a_page_and_a_note_need_digits_on_both_sides() {
    assert_eq!(kinds("87n12"), [Kind::Page, Kind::Note]);
    assert_eq!(kinds("87nn.12-13"), [Kind::Page, Kind::Note]);
    let notes = parse("87nn12–13").unwrap();
    assert_eq!(notes.parts[1].items, [Item::Text("12–13".to_string())]);
    assert_eq!(ranges("87nn12–13"), [(87, 87)]);
    assert_eq!(kinds("87nx"), [Kind::Page], "a page with letters");
    assert!(!kinds("n12").contains(&Kind::Note));
}
