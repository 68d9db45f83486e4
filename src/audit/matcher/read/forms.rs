//! The forms read before the Latin-script reader: a pasted URL, a
//! back-reference, CJK notes with their bracketed titles, GOST R 7.0.5 and
//! GB/T 7714.

use super::*;

/// Reads one reference.
pub(super) fn read_one(
    prose: &str,
    segment: Range<usize>,
    italic: &[Range<usize>],
) -> Option<Reading> {
    let text = &prose[segment.clone()];
    let skip = prefix_len(text);
    let mut start = segment.start + skip;
    // `(Teiwes 1999, 40)`: a reference in parentheses.
    let mut end = segment.end;
    let inner = &prose[start..end];
    if inner.starts_with('(') && inner.trim_end_matches('.').ends_with(')') {
        start += 1;
        end = start + inner[1..].trim_end_matches('.').trim_end_matches(')').len();
    }
    let body = start..end;
    if body.is_empty() {
        return None;
    }
    if let Some(reading) = url(prose, body.clone()) {
        return Some(reading);
    }
    if let Some(reading) = back_reference(prose, body.clone(), italic) {
        return Some(reading);
    }
    if prose[body.clone()].contains(['《', '『', '「'])
        && let Some(reading) = cjk(prose, body.clone())
    {
        return Some(reading);
    }
    if let Some(reading) = gost(prose, body.clone()) {
        return Some(reading);
    }
    if let Some(reading) = gbt(prose, body.clone()) {
        return Some(reading);
    }
    latin(prose, body, italic)
}

/// A URL pasted into the note: the URL is the reference; a locator written
/// with it is kept.
pub(super) fn url(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let (at, url) = urls_in(text).next()?;
    let start = body.start + at;
    let after = start + url.len();
    let locator = labelled_locator(prose, after..body.end);
    // The URL, and what locates in it when it is written with it.
    let end = locator.as_ref().map_or(after, |(range, _)| range.end);
    let mut reading = Reading::new(start..end, Shape::Strong);
    reading.url = Some(url.to_string());
    reading.locator = locator.map(|(_, l)| l);
    Some(reading)
}

/// `Ibid., 90.`, `Ebd., S. 12`, `同上，第90页`, `Id. at 45`, and `Teiwes,
/// op. cit., 45`, `Weber, a.a.O., S. 20`.
pub(super) fn back_reference(
    prose: &str,
    body: Range<usize>,
    italic: &[Range<usize>],
) -> Option<Reading> {
    let text = &prose[body.clone()];
    if let Some((term, len)) = backref::at_start(text) {
        let mut reading = Reading::new(body.clone(), Shape::Strong);
        reading.back = Some(term);
        let rest = body.start + len..body.end;
        // `Id., La Distinction, p. 5`: the same author, another title.
        // `Idem, 1962, p. 40`: the same author, the work of that year.
        if term.points == Points::PreviousAuthor
            && let Some(caps) = LEADING_YEAR.captures(&prose[rest.clone()])
        {
            let year = caps.get(1).expect("group");
            reading.year = Some(year.as_str().to_string());
            reading.locate(locator_in(prose, rest.start + year.end()..body.end));
            return Some(reading);
        }
        if term.points == Points::PreviousAuthor
            && let Some((title, after)) = title_after(prose, rest.clone(), italic)
        {
            reading.title = Some(title);
            reading.locate(locator_in(prose, after..body.end));
            return Some(reading);
        }
        reading.locate(locator_in(prose, rest));
        return Some(reading);
    }
    // A named back-reference after the author: `Teiwes, op. cit., 45`,
    // or to the note that cited the work: `Looschelders (Fn. 3), § 23`.
    static TO_NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\((?:wie |siehe |s\. )?(?:Fn\.|Anm\.|n\.?|note|supra note|nt\.|nota|przyp\.|pozn\.)\s*(?P<n>\d+)\)|,?\s*supra(?: note (?P<s>\d+))?|,?\s*above n (?P<a>\d+)|[、・]?前掲注\((?P<j>\d+)\)",
        )
        .expect("valid regex")
    });
    // A reference to a note by its number first (`前掲注(3)` holds `前掲`),
    // then a term.
    let mut note_ref = None;
    let named = TO_NOTE
        .captures(text)
        .and_then(|caps| {
            note_ref = ["n", "s", "a", "j"]
                .iter()
                .find_map(|g| caps.name(g))
                .map(|m| m.as_str().to_string());
            let term = backref::TERMS.iter().find(|t| t.text == "op. cit.")?;
            Some((term, caps.get(0)?.range()))
        })
        .or_else(|| {
            backref::find_all(text)
                .into_iter()
                .find(|(t, _)| t.points == Points::Named)
        });
    let (term, at) = named?;
    let names = names_at(&text[..at.start], &title_starts(italic, body.start))?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.back = Some(term);
    reading.names = names.families;
    reading.people = names.people;
    reading.note_ref = note_ref;
    // A title between the names and the term (`SAMARANI, “La Cina…”, cit.`).
    let between = body.start + names.len..body.start + at.start;
    if let Some((title, _)) = title_after(prose, between, italic) {
        reading.title = Some(title);
    }
    reading.locate(locator_in(prose, body.start + at.end..body.end));
    Some(reading)
}

/// Chinese, Japanese and Korean notes, whose titles stand in brackets:
/// `杨继绳：《墓碑》，香港：天地图书，2008年，第88页。`,
/// `丸山眞男『日本政治思想史研究』東京大学出版会、1952年、45頁。`,
/// `강만길, 『고쳐 쓴 한국현대사』, 창작과비평사, 1994, 45쪽.` An article or a
/// chapter in 「」 before the 『』 of its journal or book is the work cited.
pub(super) fn cjk(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let bracket = |open: char, close: char| -> Option<(usize, usize)> {
        let at = text.find(open)?;
        let end = at + text[at..].find(close)?;
        Some((at, end))
    };
    // The work's own title: an article's 「」 when it comes first.
    let book = bracket('《', '》').or_else(|| bracket('『', '』'));
    let article = bracket('「', '」');
    let (open, close) = match (article, book) {
        (Some(a), Some(b)) if a.0 < b.0 => a,
        (_, Some(b)) => b,
        (Some(a), None) => a,
        (None, None) => return None,
    };
    let open_len = text[open..].chars().next().map_or(3, char::len_utf8);
    let title = text[open + open_len..close].trim();
    let before = text[..open]
        .trim_end()
        .trim_end_matches(['：', ':', '，', ',', '、'])
        .trim();
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.title = Some(title.to_string());
    if !before.is_empty() && before.chars().count() <= 40 {
        // Several authors: 杨继绳、谢春涛; 石井寛治・原朗; 강만길·성대경;
        // editors (编, 編, 엮음), `ほか` and `等` (et al.).
        // `ルース・ベネディクト（長谷川松治訳）`: the translator in
        // parentheses is no author.
        let before: String = {
            let mut out = String::new();
            let mut depth = 0;
            for c in before.chars() {
                match c {
                    '（' | '(' => depth += 1,
                    '）' | ')' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        };
        reading.names = before
            .split(['、', '，', ',', '和', '与', '・', '·'])
            .map(|n| {
                n.trim()
                    .trim_end_matches("엮음")
                    .trim_end_matches("편")
                    .trim()
                    .trim_end_matches("ほか")
                    .trim_end_matches(['等', '编', '編', '主', '著', '訳', '译'])
                    .trim_end_matches("ほか")
                    .trim()
                    .to_string()
            })
            .filter(|n| !n.is_empty())
            .collect();
    }
    let close_len = text[close..].chars().next().map_or(3, char::len_utf8);
    let rest = body.start + close + close_len..body.end;
    reading.year = year_in(&prose[rest.clone()]);
    reading.locate(locator_in(prose, rest));
    Some(reading)
}

/// Russian notes after GOST R 7.0.5: the surname before the initials, the
/// title without marks, `//` before a periodical or collection, `М.:`,
/// `СПб.:` before the publisher, `С.` for the page cited: `Ключевский В. О.
/// Сочинения. М.: Мысль, 1987. С. 45.`; and co-authors by comma
/// (`Анисимов Е. В., Каменский А. Б.`). A page count (`288 с.`) is no
/// locator.
pub(super) fn gost(prose: &str, body: Range<usize>) -> Option<Reading> {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?P<names>\p{Lu}[\p{Ll}\-]+(?:-\p{Lu}[\p{Ll}]+)?\s(?:\p{Lu}\.\s?){1,3}(?:,\s\p{Lu}[\p{Ll}\-]+\s(?:\p{Lu}\.\s?){1,3})*)\s*(?P<rest>\p{Lu}.*)$",
        )
        .expect("valid regex")
    });
    static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\s//\s|…\s|\.\s(?:\p{Lu}[\p{L}\-]{0,12}\.?\s?:|(?:1[4-9]\d\d|20\d\d)\.|[ТтСсЧч]\.\s?\d|№)",
        )
        .expect("valid regex")
    });
    let text = &prose[body.clone()];
    let caps = HEAD.captures(text)?;
    let names = caps.name("names")?;
    let rest = caps.name("rest")?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    for person in names.as_str().split(", ") {
        let family = person.split_whitespace().next().unwrap_or("");
        reading.names.push(family.to_string());
        reading.people.push(person.trim().to_string());
    }
    // A back-reference after the names: `Ключевский В. О. Указ. соч. С. 60.`
    if backref::at_start(rest.as_str()).is_some() {
        return None;
    }
    // `Frederick C. Teiwes, …`: a given name and an initial, then the
    // family name — not GOST's surname and initials, then the title.
    let first_word = rest.as_str().split_whitespace().next().unwrap_or("");
    let latin = names.as_str().chars().any(|c| c.is_ascii_alphabetic());
    if latin && first_word.ends_with(',') {
        return None;
    }
    // The title ends where the publication begins; a reference without
    // one is not GOST's.
    let title_end = TITLE_END.find(rest.as_str())?.start();
    let title = rest.as_str()[..title_end].trim().trim_end_matches('.');
    if title.chars().count() < 3 {
        return None;
    }
    reading.title = Some(title.to_string());
    let after = body.start + rest.start() + title_end..body.end;
    reading.year = year_in(&prose[after.clone()]);
    let tail = prose[after.clone()].trim_end().trim_end_matches('.');
    let page_count = tail.ends_with(" с") || tail.ends_with(" c");
    if !page_count {
        reading.locate(locator_in(prose, after));
    }
    Some(reading)
}

/// GB/T 7714: `杨继绳. 墓碑: 中国六十年代大饥荒纪实[M]. 香港: 天地图书,
/// 2008: 88.` and `TEIWES F C. China's road to disaster[M]. …: 85.`
pub(super) fn gbt(prose: &str, body: Range<usize>) -> Option<Reading> {
    let text = &prose[body.clone()];
    let mark = GBT_MARK.find(text)?;
    let head = &text[..mark.start()];
    let dot = head.find(". ").or_else(|| head.find('.'))?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    let names = &head[..dot];
    reading.names = names
        .split([',', '，', '、'])
        .map(|n| {
            // `TEIWES F C`: the family name comes first.
            let n = n.trim();
            if n.chars().any(is_hanzi) {
                n.to_string()
            } else {
                n.split_whitespace().next().unwrap_or("").to_string()
            }
        })
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("et al"))
        .collect();
    reading.title = Some(head[dot + 1..].trim().to_string());
    let rest = &text[mark.end()..];
    reading.year = year_in(rest);
    // The pages follow the year after a colon: `2008: 88.`
    if let Some(year) = YEAR.captures(rest).and_then(|c| c.get(2).or(c.get(1)))
        && let Some(colon) = rest[year.end()..].find([':', '：'])
    {
        let colon_len = rest[year.end() + colon..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        let from = body.start + mark.end() + year.end() + colon + colon_len;
        reading.locate(bare_locator(prose, from..body.end));
    }
    Some(reading)
}
