//! Regression tests for the defects of the issue "The audit on anyone's
//! thesis" (issue 10), each named after the defect it pins.

use super::Rule;
use super::testing::{Doc, of};

const TWO: &str = "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick C.\n  date: 1999\n  publisher: Sharpe\n  page-range: 1-300\nsmith2020a:\n  type: article\n  title: Early memory\n  author: Smith, Laura\n  date: 2020\nsmith2020b:\n  type: article\n  title: Late memory\n  author: Smith, Laura\n  date: 2020\n";

#[test]
fn issue10_ibid_after_a_missed_note_is_not_attributed_two_notes_back() {
    let findings = Doc::new(TWO)
        .note("Teiwes, _China's Road to Disaster_, 85.")
        .note("An interview in Anhui, whose transcript the author keeps.")
        .note("Ibid., 90.")
        .audit();
    let hand = of(&findings, Rule::HandTypedCitation);
    assert_eq!(hand.len(), 1, "only note 1 is attributed: {hand:?}");
    assert!(hand[0].starts_with("1: "));
    // Said once, by the rule about an Ibid. that opens a note (it used to
    // be said twice, by that rule and as an unknown source).
    assert_eq!(
        of(&findings, Rule::AmbiguousIbid),
        ["3: footnote 3 begins with “Ibid.” but footnote 2 before it cites no source"]
    );
    assert!(of(&findings, Rule::UnknownSource).is_empty());
}

#[test]
fn issue10_ibid_after_an_unknown_work_refers_to_it_not_to_the_work_before() {
    let findings = Doc::new(TWO)
        .note("Teiwes, _China's Road to Disaster_, 85.")
        .note("Bo Yibo, _Ruogan zhongda juece yu shijian de huigu_ (Beijing, 1993), p. 7.")
        .note("Ibid., p. 8.")
        .audit();
    let unknown = of(&findings, Rule::UnknownSource);
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(
        unknown[1].contains("refers to a work the bibliography does not have"),
        "{unknown:?}"
    );
}

#[test]
fn issue10_ibid_after_a_missing_source_note_is_flagged() {
    let findings = Doc::new(TWO)
        .cite("teiwes1999", Some("p. 5"))
        .missing()
        .note("Ibid.")
        .audit();
    assert_eq!(
        of(&findings, Rule::AmbiguousIbid),
        ["3: footnote 3 begins with “Ibid.” but footnote 2 before it has no source"]
    );
    assert!(of(&findings, Rule::HandTypedCitation).is_empty());
}

#[test]
fn issue10_excerpts_are_cut_in_the_text_not_in_its_lower_case() {
    for text in [
        "İİİ Teiwes, _China's Road to Disaster_, 85.",
        "\u{212a}\u{212a} see Teiwes, _China's Road_, 86.",
        "Straße İ, Teiwes 1999: 40.",
    ] {
        let findings = Doc::new(TWO).note(text).audit();
        let read: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == Rule::HandTypedCitation)
            .collect();
        // Each note cites Teiwes: a test with no finding would check nothing.
        assert!(!read.is_empty(), "{text}: no hand-typed citation read");
        for finding in read {
            let excerpt = finding.excerpt.as_deref().unwrap();
            assert!(text.replace('_', "").contains(excerpt), "{text}: {excerpt}");
        }
    }
}

#[test]
fn issue10_a_non_page_locator_is_never_a_page_finding() {
    let mut doc = Doc::new(TWO);
    for locator in [
        "n. 450",
        "ll. 10-90",
        "§ 59 Rn 1",
        "Sec 2.3.3",
        "4.4.2.2",
        "Eqn. 10.65",
        "Art. 5 Abs. 2",
        "fig. 3",
        "col. 900",
    ] {
        doc = doc.cite("teiwes1999", Some(locator));
    }
    let findings = doc.audit();
    for rule in [
        Rule::PageOutOfRange,
        Rule::ImplausibleRange,
        Rule::MalformedLocator,
        Rule::ReversedRange,
        Rule::LocatorPlural,
    ] {
        assert!(
            of(&findings, rule).is_empty(),
            "{rule}: {:?}",
            of(&findings, rule)
        );
    }
}

#[test]
fn issue10_a_chapter_beside_a_page_is_not_read_as_a_page() {
    let findings = Doc::new(TWO)
        .cite("teiwes1999", Some("p. 5; ch. 3"))
        .cite("teiwes1999", Some("ch. 400, p. 12"))
        .audit();
    assert!(of(&findings, Rule::PageOutOfRange).is_empty());
}

#[test]
fn issue10_mixed_locator_style_on_a_tie_keeps_the_conventional_style() {
    let findings = Doc::new(TWO)
        .cite("teiwes1999", Some("p. 5"))
        .cite("teiwes1999", Some("p.6"))
        .cite("teiwes1999", Some("p. 7"))
        .cite("teiwes1999", Some("p.8"))
        .audit();
    let mixed: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == Rule::MixedLocatorStyle)
        .filter_map(|f| f.hint.as_deref())
        .collect();
    assert_eq!(mixed.len(), 1);
    assert!(
        mixed[0].contains("`p.6` (no space after the label instead of space after the label)"),
        "{}",
        mixed[0]
    );
    assert!(!mixed[0].contains("`p. 5`"), "{}", mixed[0]);
}

#[test]
fn issue10_unused_entry_says_when_it_is_cited_only_by_hand() {
    let findings = Doc::new(TWO)
        .note("Teiwes, _China's Road to Disaster_, 85.")
        .audit();
    let unused = of(&findings, Rule::UnusedEntry);
    assert!(
        unused.contains(
            &"-: entry `teiwes1999` is cited by hand in note 1, never with `@`".to_string()
        ),
        "{unused:?}"
    );
}

#[test]
fn issue10_two_works_of_one_author_and_year_are_named_both_not_guessed() {
    let findings = Doc::new(TWO).note("Smith, 2020, p. 3.").audit();
    let hand: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == Rule::HandTypedCitation)
        .collect();
    assert_eq!(hand.len(), 1);
    assert_eq!(hand[0].key, None, "no guess");
    assert!(
        hand[0].message.contains("`smith2020a`, `smith2020b`"),
        "{}",
        hand[0].message
    );
}

#[test]
fn issue10_a_known_author_with_another_title_is_an_unknown_source() {
    let findings = Doc::new(TWO)
        .note("Frederick C. Teiwes, _Politics at Mao's Court_ (Armonk: M. E. Sharpe, 1990), 12.")
        .audit();
    assert!(of(&findings, Rule::HandTypedCitation).is_empty());
    let unknown = of(&findings, Rule::UnknownSource);
    assert_eq!(unknown.len(), 1);
    assert!(
        unknown[0].contains("title “Politics at Mao's Court”"),
        "{unknown:?}"
    );
}

const TWO_AUTHORS: &str = "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: [Teiwes, Frederick C., Sun, Warren]\n  date: 1999\n  publisher: Sharpe\n";

#[test]
fn issue10_an_author_date_reference_with_a_serial_comma_is_read() {
    let findings = Doc::new(TWO_AUTHORS)
        .note("Teiwes, Sun, and Yang 1999, 40.")
        .audit();
    // Read (it gave no finding at all), and not taken for the two-author
    // entry: Yang is not one of its authors.
    assert_eq!(
        of(&findings, Rule::UnknownSource),
        [
            "1: footnote 1 cites a work the bibliography does not have: “Teiwes, Sun, and Yang 1999, 40” (read: author Teiwes and Sun and Yang, year 1999)"
        ]
    );
    assert!(of(&findings, Rule::HandTypedCitation).is_empty());
}

#[test]
fn issue10_an_author_date_reference_naming_an_author_the_entry_lacks_is_another_work() {
    let findings = Doc::new(TWO_AUTHORS)
        .note("Smith and Teiwes 1999, 43.")
        .note("Teiwes and Sun 1999, 41.")
        .audit();
    let unknown = of(&findings, Rule::UnknownSource);
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].starts_with("1: "), "{unknown:?}");
    let hand = of(&findings, Rule::HandTypedCitation);
    assert_eq!(hand.len(), 1, "{hand:?}");
    assert!(
        hand[0].starts_with("2: ") && hand[0].contains("`teiwes1999`"),
        "{hand:?}"
    );
}

#[test]
fn issue10_harvard_and_apa_references_with_initials_after_the_family_name_are_read() {
    let findings = Doc::new(TWO_AUTHORS)
        .note("TEIWES, F. C. and SUN, W. (1999). China's Road to Disaster. Armonk: Sharpe, p. 48.")
        .note("Teiwes, F. C., & Sun, W. (1999). _China's road to disaster_. M. E. Sharpe. p. 49")
        .audit();
    // Both gave no finding at all: the initials were taken for people.
    let hand = of(&findings, Rule::HandTypedCitation);
    assert_eq!(hand.len(), 2, "{hand:?}");
    assert!(hand.iter().all(|h| h.contains("`teiwes1999`")), "{hand:?}");
}

#[test]
fn issue10_mla_names_after_a_serial_comma_before_a_full_stop_are_read() {
    // Reading the serial comma as a joiner ran the names on to `Sun.`,
    // which no name may end with, and the note gave no finding.
    let findings = Doc::new(TWO_AUTHORS)
        .note("Teiwes, Frederick C., and Warren Sun. _China's Road to Disaster_. Armonk: Sharpe, 1999, 51.")
        .note("TEIWES, F.C. and SUN, W. (1999) _China's Road to Disaster_. Armonk: Sharpe, p. 50.")
        .audit();
    let hand = of(&findings, Rule::HandTypedCitation);
    assert_eq!(hand.len(), 2, "{hand:?}");
    assert!(hand.iter().all(|h| h.contains("`teiwes1999`")), "{hand:?}");
}
