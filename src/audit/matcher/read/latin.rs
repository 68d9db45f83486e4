//! Notes in Latin script: full and short notes and author–date
//! references; the title after the names.

use super::*;

/// Notes in Latin script: full and short notes, author–date references.
pub(super) fn latin(prose: &str, body: Range<usize>, italic: &[Range<usize>]) -> Option<Reading> {
    let text = &prose[body.clone()];
    // A reference that starts with a locator is a cross-reference
    // ("chapter 2", "p. 45 above"), not a work; an initial that looks like
    // a label (`P. Bourdieu`, `N. Bobbio`) is no locator.
    let first = text
        .split([',', ';'])
        .next()
        .unwrap_or(text)
        .trim_end_matches('.');
    if locator::labels::at_start(text).is_some()
        && locator::parse(first).is_ok_and(|l| numbered(&l))
    {
        return None;
    }
    // A title that opens the note, without an author (`_China's Road_, 85`);
    // `_supra_`, `_infra_` point within the thesis.
    if let Some((title, after)) = set_apart_title(prose, body.start, italic)
        .filter(|(title, _)| !CROSS_REFERENCES.contains(&fold(title).as_str()))
    {
        let mut reading = Reading::new(body.clone(), Shape::Strong);
        reading.title = Some(title);
        reading.year = year_in(&prose[after..body.end]);
        reading.locate(locator_in(prose, after..body.end));
        return (reading.year.is_some() || reading.locator.is_some()).then_some(reading);
    }
    let Some(names) = names_at(text, &title_starts(italic, body.start)) else {
        return unusual_names(prose, body, italic);
    };
    let mut reading = Reading::new(body.clone(), Shape::Inferred);
    reading.names = names.families.clone();
    reading.people = names.people.clone();
    reading.slashed = names.slashed;
    let after_names = body.start + names.len;
    let rest = &prose[after_names..body.end];

    // Author–date: `Teiwes 1999`, `Teiwes (1999)`, `Teiwes, 1999`.
    static AUTHOR_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:,\s*|\s+|\s*\(\s*)(1[4-9]\d\d|20\d\d)([a-z])?\)?(?:$|[,:;.)]|\s+(?:\d|p\.|pp\.|S\.|s\.|and\s|&\s|apud\b|\())")
            .expect("valid regex")
    });
    // `Frijhoff en Spies, _1650_, p. 220`: a year in italics is a title.
    let italic_year = AUTHOR_DATE.captures(rest).is_some_and(|caps| {
        let at = after_names + caps.get(1).expect("group").start();
        italic.iter().any(|r| r.start == at)
    });
    if let Some(caps) = AUTHOR_DATE.captures(rest).filter(|_| !italic_year) {
        reading.shape = Shape::AuthorDate;
        reading.year = Some(format!(
            "{}{}",
            &caps[1],
            caps.get(2).map_or("", |m| m.as_str())
        ));
        // The match reads on past the year to what follows it; the
        // reference ends with the year (and its parenthesis).
        let year_end = caps.get(2).or(caps.get(1)).expect("group").end();
        let year_end = year_end + usize::from(rest[year_end..].starts_with(')'));
        let after_year = (after_names + year_end).min(body.end);
        // Without a locator, the reference ends with its year.
        reading.range.end = after_year;
        // `Smith (1986, 9) dates …`: in parentheses, the locator ends with
        // them.
        let mut until = body.end;
        if caps
            .get(0)
            .expect("match")
            .as_str()
            .trim_start()
            .starts_with('(')
            && let Some(close) = prose[after_year..body.end].find(')')
        {
            until = after_year + close;
        }
        let found = locator_in(prose, after_year..until);
        if let Some((range, _)) = &found {
            reading.range.end = range.end;
        }
        reading.locate(found);
        return Some(reading);
    }
    // `Teiwes 42` and `Teiwes, 86`: a name and a number, nothing else.
    let number_at = skip_separators(prose, after_names);
    if let Some(found) = bare_locator(prose, after_names..body.end)
        && prose[number_at..body.end].starts_with(char::is_numeric)
        && found.0.start == number_at
        && prose[found.0.end..body.end]
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ')'))
            .is_empty()
    {
        reading.shape = Shape::Weak;
        reading.locate(Some(found));
        return Some(reading);
    }
    // `Asser/Sieburgh 6-III 2018/45`: a Dutch handbook's volume, year and
    // marginal number.
    if let Some(caps) = YEAR_NUMBER.captures(rest) {
        let number = caps.get(2).expect("group");
        reading.year = Some(caps[1].to_string());
        let at = after_names + number.start();
        reading.locate(Some((at..at + number.len(), number.as_str().to_string())));
        return Some(reading);
    }
    let (title, after_title, set_apart) = match title_after(prose, after_names..body.end, italic) {
        Some((title, after)) => {
            let set_apart =
                set_apart_title(prose, skip_separators(prose, after_names), italic).is_some();
            (title, after, set_apart)
        }
        // `MüKoBGB/Wagner, 8. Aufl. 2020, § 823 Rn. 12`: a commentary by its
        // short title and commentator, an edition, a year and a place in
        // it, but no title.
        None => {
            let tail = after_names..body.end;
            let edition = EDITION.is_match(&prose[tail.clone()]);
            reading.year = year_in(&prose[tail.clone()]);
            reading.locate(labelled_locator(prose, tail).map(|f| abbreviation_dot(prose, f)));
            return (edition && reading.locator.is_some()).then_some(reading);
        }
    };
    let tail = after_title..body.end;
    reading.year = year_in(&prose[tail.clone()]);
    reading.locate(locator_in(prose, tail.clone()));
    // `LAW'S EMPIRE 45 (1986)`: the Bluebook's page after the title, before
    // the year in parentheses.
    static PAGE_AFTER_TITLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<title>.*\S)\s(?P<page>\d+(?:[-–]\d+)?)$").expect("valid regex")
    });
    let mut title = title;
    if reading.locator.is_none()
        && prose[tail.clone()].trim_start().starts_with('(')
        && let Some(caps) = PAGE_AFTER_TITLE.captures(&title.clone())
        && caps["title"].split_whitespace().count() >= 2
    {
        let page = caps.name("page").expect("group");
        if let Some(at) = prose[body.clone()].rfind(page.as_str()) {
            let start = body.start + at;
            reading.locate(Some((start..start + page.len(), page.as_str().to_string())));
        }
        title = caps["title"].to_string();
    }
    reading.title = Some(title);
    let publication = prose[tail].contains('(') || reading.year.is_some();
    if set_apart {
        reading.shape = Shape::Strong;
    } else if reading.locator.is_none() && !publication {
        // Names and words, nothing that says "citation".
        return None;
    }
    Some(reading)
}

/// Where the italic runs start, relative to `base`.
pub(super) fn title_starts(italic: &[Range<usize>], base: usize) -> Vec<usize> {
    italic
        .iter()
        .filter(|r| r.start >= base)
        .map(|r| r.start - base)
        .collect()
}

/// A name the name reader does not take (`bell hooks`, `Ngũgĩ wa
/// Thiong'o`) before a comma and a title set apart: the words before the
/// comma are the author.
pub(super) fn unusual_names(
    prose: &str,
    body: Range<usize>,
    italic: &[Range<usize>],
) -> Option<Reading> {
    let text = &prose[body.clone()];
    let comma = text.find(',')?;
    let name = text[..comma].trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 4
        || words.iter().any(|w| w.chars().any(|c| c.is_numeric()))
    {
        return None;
    }
    if NOT_NAMES.contains(&fold(words[0]).as_str()) {
        return None;
    }
    let (title, after) =
        set_apart_title(prose, skip_separators(prose, body.start + comma), italic)?;
    let mut reading = Reading::new(body.clone(), Shape::Strong);
    reading.names = vec![words[words.len() - 1].to_string()];
    reading.people = vec![name.to_string()];
    reading.title = Some(title);
    reading.year = year_in(&prose[after..body.end]);
    reading.locate(locator_in(prose, after..body.end));
    (reading.year.is_some() || reading.locator.is_some()).then_some(reading)
}

/// Past `,`, `:` and spaces.
pub(super) fn skip_separators(prose: &str, at: usize) -> usize {
    let rest = &prose[at..];
    at + (rest.len() - rest.trim_start_matches([',', ':', ' ', '，', '：']).len())
}

/// A title set apart at `at` (after spaces): an italic run, or text in
/// quotation marks or 《》; with where it ends.
pub(super) fn set_apart_title(
    prose: &str,
    at: usize,
    italic: &[Range<usize>],
) -> Option<(String, usize)> {
    let at = at + (prose[at..].len() - prose[at..].trim_start().len());
    if let Some(run) = italic
        .iter()
        .find(|r| r.start == at || (r.start > at && prose[at..r.start].trim().is_empty()))
    {
        let title = prose[run.clone()].trim().trim_end_matches([',', '.']);
        if title.chars().count() >= 2 {
            return Some((title.to_string(), run.end));
        }
    }
    let rest = &prose[at..];
    for (open, close) in [
        ('“', '”'),
        ('"', '"'),
        ('«', '»'),
        ('„', '“'),
        ('„', '”'),
        ('‘', '’'),
        ('”', '”'),
        ('»', '«'),
        ('‚', '‘'),
        ('\'', '\''),
        ('《', '》'),
        ('『', '』'),
        ('「', '」'),
    ] {
        if let Some(inner) = rest.strip_prefix(open)
            && let Some(end) = inner.find(close)
        {
            let title = inner[..end].trim().trim_end_matches(',');
            if title.chars().count() >= 2 {
                return Some((
                    title.to_string(),
                    at + open.len_utf8() + end + close.len_utf8(),
                ));
            }
        }
    }
    None
}

/// The title after the names: set apart, or where the note form puts it —
/// up to a parenthesis, a comma before a place, year or locator, or a full
/// stop.
pub(super) fn title_after(
    prose: &str,
    range: Range<usize>,
    italic: &[Range<usize>],
) -> Option<(String, usize)> {
    let start = skip_separators(prose, range.start);
    if start >= range.end {
        return None;
    }
    if let Some((title, end)) = set_apart_title(prose, start, italic)
        && end <= range.end
    {
        return Some((title, end));
    }
    // `MacFarquhar, ed., _The Politics of China_`: words about the author
    // before a title set apart.
    if let Some(run) = italic
        .iter()
        .find(|r| r.start > start && r.end <= range.end)
        && prose[start..run.start].chars().count() <= 40
        && !prose[start..run.start].contains(|c: char| c.is_numeric())
    {
        let title = prose[run.clone()].trim().trim_end_matches([',', '.']);
        if title.chars().count() >= 2 {
            return Some((title.to_string(), run.end));
        }
    }
    let text = &prose[start..range.end];
    let first = text.chars().next()?;
    if !(first.is_uppercase() || first.is_numeric()) {
        return None;
    }
    // The title ends at `(`, at a full stop, or at the comma before what
    // follows a title.
    let mut end = text.len();
    if let Some(paren) = text.find(" (") {
        end = end.min(paren);
    }
    if let Some(stop) = text.find(". ") {
        end = end.min(stop);
    }
    for (i, _) in text.match_indices(',') {
        let after = text[i + 1..].trim_start();
        let ends_title = after.is_empty()
            || locator::parse(after.trim_end_matches('.'))
                .is_ok_and(|l| !l.kinds().contains(&locator::Kind::Other))
            || locator::labels::at_start(after).is_some()
            || backref::at_start(after).is_some()
            || YEAR.is_match(after.get(..40).unwrap_or(after))
            || after.starts_with(|c: char| c.is_numeric());
        if ends_title {
            end = end.min(i);
            break;
        }
    }
    let title = text[..end].trim().trim_end_matches([',', '.']);
    if title.chars().count() < 2 {
        return None;
    }
    Some((title.to_string(), start + end))
}
