use super::*;

/// Reads a note whose italic text is marked `_like this_` (as Typst writes
/// it); returns one line per reference: shape, names, title, year, locator.
fn readings(note: &str) -> Vec<String> {
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
    references(&prose, &italic)
        .iter()
        .map(|r| {
            let back = r.back.map(|t| format!("{} ", t.text)).unwrap_or_default();
            format!(
                "{back}{:?} {} | {} | {} | {}",
                r.shape,
                r.names.join(", "),
                r.title.as_deref().unwrap_or("-"),
                r.year.as_deref().unwrap_or("-"),
                r.locator.as_deref().unwrap_or("-"),
            )
        })
        .collect()
}

#[test]
fn chicago_full_and_short_notes_with_bare_pages() {
    assert_eq!(
        readings(
            "Frederick C. Teiwes, _China's Road to Disaster_ (Armonk: M. E. Sharpe, 1999), 85."
        ),
        ["Strong Teiwes | China's Road to Disaster | 1999 | 85"]
    );
    assert_eq!(
        readings("Teiwes, _China's Road to Disaster_, 86–88."),
        ["Strong Teiwes | China's Road to Disaster | - | 86–88"]
    );
    assert_eq!(
        readings("Teiwes, China's Road to Disaster, 86–88."),
        ["Inferred Teiwes | China's Road to Disaster | - | 86–88"]
    );
    assert_eq!(
        readings("Zadie Smith, _Swing Time_ (New York: Penguin Press, 2016), 315–16."),
        ["Strong Smith | Swing Time | 2016 | 315–16"]
    );
    assert_eq!(
        readings(
            "Roderick MacFarquhar and Michael Schoenhals, _Mao's Last Revolution_ (Cambridge, MA: Belknap Press, 2006), xiv."
        ),
        ["Strong MacFarquhar, Schoenhals | Mao's Last Revolution | 2006 | xiv"]
    );
}

#[test]
fn back_references_in_every_language() {
    assert_eq!(readings("Ibid., 90."), ["Ibid. Strong  | - | - | 90"]);
    assert_eq!(readings("Ebd., S. 12."), ["Ebd. Strong  | - | - | S. 12"]);
    assert_eq!(readings("Ivi, p. 33."), ["Ivi Strong  | - | - | p. 33"]);
    assert_eq!(readings("Ibíd., p. 12."), ["Ibíd. Strong  | - | - | p. 12"]);
    assert_eq!(
        readings("同上，第90页。"),
        ["同上 Strong  | - | - | 第90页"]
    );
    assert_eq!(
        readings("Weber, a.a.O., S. 20."),
        ["a.a.O. Strong Weber | - | - | S. 20"]
    );
    assert_eq!(
        readings("MacFARQUHAR, “The Origins…”, cit., pp.7-9."),
        ["cit. Strong MacFARQUHAR | The Origins… | - | pp. 7-9"]
    );
}

#[test]
fn author_date_in_its_shapes() {
    for note in [
        "Teiwes 1999, p. 5.",
        "Cf. Teiwes 1999: 40.",
        "Teiwes (1999), p. 41.",
        "(Teiwes 1999, 40)",
        "Vgl. Teiwes 1999, S. 12 f.",
    ] {
        let read = readings(note);
        assert_eq!(read.len(), 1, "{note}: {read:?}");
        assert!(
            read[0].starts_with("AuthorDate Teiwes | - | 1999 |"),
            "{note}: {read:?}"
        );
        assert!(!read[0].ends_with("| -"), "{note} has a locator: {read:?}");
    }
    assert_eq!(readings("Teiwes 42."), ["Weak Teiwes | - | - | 42"]);
}

#[test]
fn several_references_in_one_note() {
    let read = readings("Teiwes, _China's Road_, 85; see also MacFarquhar, _Origins_, 2:45.");
    assert_eq!(
        read,
        [
            "Strong Teiwes | China's Road | - | 85",
            "Strong MacFarquhar | Origins | - | 2:45"
        ]
    );
}

#[test]
fn chinese_notes() {
    assert_eq!(
        readings("杨继绳：《墓碑》，香港：天地图书，2008年，第88页。"),
        ["Strong 杨继绳 | 墓碑 | 2008 | 第88页"]
    );
    assert_eq!(
        readings("杨继绳. 墓碑: 中国六十年代大饥荒纪实[M]. 香港: 天地图书, 2008: 88."),
        ["Strong 杨继绳 | 墓碑: 中国六十年代大饥荒纪实 | 2008 | 88"]
    );
}

#[test]
fn unknown_works_are_still_read() {
    assert_eq!(
        readings("Bo Yibo, _Ruogan zhongda juece yu shijian de huigu_ (Beijing, 1993), p. 7."),
        ["Strong Yibo | Ruogan zhongda juece yu shijian de huigu | 1993 | p. 7"]
    );
}

#[test]
fn explanatory_notes_are_no_citations() {
    for note in [
        "Liu Shaoqi was the Chairman of the Standing Committee of the National People’s Congress between 1954 and 1959.",
        "See chapter two.",
        "This chapter draws on interviews conducted in 2004.",
        "On the Lushan plenum, see below.",
        "The figures are rounded.",
        "In 1958, the harvest fell by 15.",
    ] {
        assert_eq!(readings(note), Vec::<String>::new(), "{note}");
    }
}
