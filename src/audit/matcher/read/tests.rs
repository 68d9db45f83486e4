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

#[test]
fn a_volume_named_apart_from_the_page() {
    for (note, volume) in [
        (
            "E.H. Kossmann, _De Lage Landen 1780-1980_, dl. I (Amsterdam en Brussel 1986) 120.",
            Some("dl. I"),
        ),
        (
            "Kossmann, _De Lage Landen_, dl. II, blz. 12.",
            Some("dl. II"),
        ),
        ("Карамзин Н. М. Указ. соч. Т. 3. С. 112.", Some("Т. 3")),
        (
            "钱穆：《国史大纲》上册，上海：商务印书馆，1940年，第45页。",
            Some("上册"),
        ),
        ("錢穆：《國史大綱》下冊，第512頁。", Some("下冊")),
        // Counts of volumes name none.
        (
            "Henry Adams, _History_, 2 vols. (New York: Scribner, 1889), 245.",
            None,
        ),
        (
            "Карамзин Н. М. История государства Российского: в 12 т. М.: Наука, 1989. С. 45.",
            None,
        ),
        ("Kossmann, _De Lage Landen_, blz. 12.", None),
        (
            "Norbert Elias: _Über den Prozeß der Zivilisation_. Bd. 2, 20. Aufl., Frankfurt a. M. 1997, S. 312.",
            Some("Bd. 2"),
        ),
        (
            "Карамзин Н. М. История государства Российского: в 12 т. Т. 1. М.: Наука, 1989. С. 45.",
            Some("Т. 1"),
        ),
    ] {
        assert_eq!(volume_in(note).as_deref(), volume, "{note}");
    }
}
#[test]
fn a_bare_year_at_the_end_is_the_date_not_a_page() {
    // Its only year: the date.
    for note in [
        "Teiwes and Sun, 1999.",
        "Robert L. Worden and Ronald E. Dolan, “China: A Country Study”. Washington: GPO, 1987.",
    ] {
        assert!(
            readings(note).iter().all(|r| r.ends_with("| -")),
            "{note}: {:?}",
            readings(note)
        );
    }
    // The year given, then a page that reads like one.
    assert_eq!(
        readings("Teiwes, _China's Road_ (Armonk: Sharpe, 1999), 1999."),
        ["Strong Teiwes | China's Road | 1999 | 1999"]
    );
}
#[test]
fn an_author_date_reference_before_apud_is_read() {
    // Whether or not the work it was read in follows as text.
    for note in [
        "Smith, 1959 apud Doe, _A Book_, p. 10.",
        "Smith, 1959 apud .",
    ] {
        assert_eq!(
            readings(note)[0],
            "AuthorDate Smith | - | 1959 | -",
            "{note}"
        );
    }
}

/// A note citing 200 works (and a page-long explanatory one) is read whole:
/// each work with its own locator, nothing read out of the prose. How the
/// time grows with such notes is measured in `benches/scale.sh`.
#[test]
fn two_hundred_sources_in_one_note_are_each_read() {
    let name = |i: u8| format!("{}{}son", (b'A' + i / 26) as char, (b'a' + i % 26) as char);
    let note: String = (0..200u8)
        .map(|i| {
            let (year, page) = (1800 + u32::from(i), u32::from(i) + 3);
            format!(
                "Anne {}, _Title number {i}_ (London: Press, {year}), {page}; ",
                name(i)
            )
        })
        .collect();
    assert!(note.len() > 10_000);
    let read = readings(&note);
    assert_eq!(read.len(), 200);
    assert_eq!(
        read[199],
        format!("Strong {} | Title number 199 | 1999 | 202", name(199))
    );
    let prose =
        "A long explanatory sentence about the communes of 1958 and the famine that followed. "
            .repeat(120);
    assert!(prose.len() > 10_000);
    assert_eq!(readings(&prose), Vec::<String>::new());
}
