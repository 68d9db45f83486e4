use super::*;

#[test]
fn fold_removes_case_and_diacritics() {
    let cases = [
        ("Müller", "muller"),
        ("MÜLLER", "muller"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("ﬁnance", "finance"), // NFKC: the ligature is two letters
        ("Ｆｕｌｌ", "full"),  // NFKC: fullwidth Latin
        ("大跃进", "大跃进"),
    ];
    for (input, want) in cases {
        assert_eq!(fold(input), want, "{input}");
    }
}

#[test]
fn title_key_drops_punctuation_and_spaces_around_cjk() {
    let cases = [
        (
            "Grain Procurement & Provincial Reporting",
            "grain procurement and provincial reporting",
        ),
        (
            "China’s Road: to <i>Disaster</i>!",
            "chinas road to disaster",
        ),
        (
            "墓碑：中国六十年代 大饥荒纪实",
            "墓碑中国六十年代大饥荒纪实",
        ),
        (
            "The Great Leap Forward, 1958–1960",
            "the great leap forward 1958 1960",
        ),
        ("a &amp; b", "a and b"),
    ];
    for (input, want) in cases {
        assert_eq!(title_key(input), want, "{input}");
    }
}

#[test]
fn words_split_cjk_into_characters() {
    assert_eq!(
        words("毛泽东 and Mao"),
        vec!["毛", "泽", "东", "and", "mao"]
    );
    assert_eq!(
        words("Journal of Asian Studies"),
        vec!["journal", "of", "asian", "studies"]
    );
}

#[test]
fn levenshtein_counts_edits() {
    let c = |s: &str| s.chars().collect::<Vec<_>>();
    assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
    assert_eq!(levenshtein(&c(""), &c("abc")), 3);
    assert_eq!(levenshtein(&c("征购"), &c("征收")), 1);
    assert_eq!(levenshtein(&c("graet"), &c("great")), 1);
    assert_eq!(levenshtein(&c("abcd"), &c("badc")), 2);
    assert!((key_similarity("abcd", "abce") - 0.75).abs() < 1e-9);
    assert!((key_similarity("", "") - 1.0).abs() < 1e-9);
}

#[test]
fn latin_script_detection() {
    assert!(is_latin("Hensley"));
    assert!(is_latin("Dikötter"));
    assert!(is_latin("Nguyễn"));
    assert!(is_latin("van der Berg"));
    assert!(!is_latin("张"));
    assert!(!is_latin("Иванов"));
    assert!(!is_latin("Παπαδόπουλος"));
    assert!(!is_latin("1984"));
}

#[test]
fn first_year_reads_free_text_dates() {
    assert_eq!(first_year("March 2014"), Some(2014));
    assert_eq!(first_year("December 31, 1994"), Some(1994));
    assert_eq!(first_year("c1997."), Some(1997));
    assert_eq!(first_year("12345 then 2001"), Some(2001));
    assert_eq!(first_year("n.d."), None);
}

#[test]
fn strip_markup_keeps_lone_angle_brackets() {
    assert_eq!(strip_markup("a < b and <sub>2</sub>"), "a < b and 2");
    assert_eq!(strip_markup("<unclosed"), "<unclosed");
    assert_eq!(strip_markup("x <"), "x <");
}
