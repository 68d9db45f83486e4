//! Locators written as prose after a citation (`@key, S. 12`).

use super::parse;

/// A locator read in the prose after a citation.
#[derive(Debug, PartialEq)]
pub struct ProseLocator {
    /// The locator, as written (`S.~12`, with Typst's `~`).
    pub locator: String,
    /// How many bytes of the text after the citation it takes, with the
    /// comma or parentheses around it (what the fix replaces).
    pub written: usize,
}

impl ProseLocator {
    /// The locator as it reads (`S. 12`): Typst's `~` is a space.
    pub fn text(&self) -> String {
        self.locator.replace(['~', '\u{a0}'], " ")
    }
}

/// The locator written as prose at the start of `after` (the text after a
/// `@key`), if one is: a comma, a space or a parenthesis, then a locator
/// whose first part has a label.
pub fn prose_locator(after: &str) -> Option<ProseLocator> {
    let lead = after.len() - after.trim_start_matches([' ', '~', '\u{a0}']).len();
    let rest = &after[lead..];
    let rest = match rest.chars().next()? {
        ',' => rest[1..].trim_start_matches([' ', '~', '\u{a0}']),
        '(' => rest[1..].trim_start(),
        _ if lead > 0 => rest,
        _ => return None,
    };
    // Bluebook's pinpoint after a citation: `, at 45` cites page 45.
    let (rest, pinpoint) = match rest.strip_prefix("at ") {
        Some(pages) if pages.starts_with(|c: char| c.is_ascii_digit()) => (pages, true),
        _ => (rest, false),
    };
    let skipped = after.len() - rest.len();
    let parenthesised = after[lead..].starts_with('(');
    // The candidate ends where the prose goes on: a bracket, a semicolon, a
    // markup character, or a full stop before a capital or the end.
    let mut end = rest
        .find([';', ')', ']', '[', '#', '@', '*', '_', '\\', '/'])
        .unwrap_or(rest.len());
    let mut candidate = rest[..end].trim_end();
    // The longest prefix that reads as a labelled locator, cut at spaces.
    loop {
        let trimmed = candidate.trim_end_matches(['.', ',', ':']).trim_end();
        let whole = if trimmed.ends_with(" f") || trimmed.ends_with(" ff") {
            &candidate[..trimmed.len() + 1]
        } else {
            trimmed
        };
        if labelled(whole) || (pinpoint && pages(whole)) {
            end = whole.len();
            candidate = whole;
            break;
        }
        let cut = candidate.trim_end().rfind(' ')?;
        candidate = &candidate[..cut];
    }
    let mut written = skipped + end;
    if parenthesised {
        let tail = &rest[end..];
        let close = tail.len() - tail.trim_start().len();
        if !tail.trim_start().starts_with(')') {
            return None;
        }
        written += close + 1;
    }
    Some(ProseLocator {
        locator: candidate.to_string(),
        written,
    })
}

/// Whether `text` is a locator of pages alone (`45`, `45-47`).
fn pages(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && parse(text).is_ok_and(|l| l.parts.iter().all(|p| p.kind.is_page()))
}

/// Whether `text` is a locator whose first part has a label, and not
/// something after it: `S. 12`, `§ 59 Rn 1`, `p. 5`.
fn labelled(text: &str) -> bool {
    if text.is_empty() || !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    parse(&text.replace(['~', '\u{a0}'], " "))
        .is_ok_and(|l| l.parts.first().is_some_and(|p| p.label.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(after: &str) -> Option<(String, usize)> {
        prose_locator(after).map(|p| (p.locator, p.written))
    }

    #[test]
    fn labelled_locators_after_the_key_are_read() {
        assert_eq!(read(", S. 12."), Some(("S. 12".into(), 7)));
        assert_eq!(read(", § 59 Rn 1."), Some(("§ 59 Rn 1".into(), 12)));
        assert_eq!(read(" p. 5"), Some(("p. 5".into(), 5)));
        assert_eq!(read(" (p. 5)."), Some(("p. 5".into(), 7)));
        assert_eq!(read(", S.~12 f.]"), Some(("S.~12 f.".into(), 10)));
        assert_eq!(
            read(", pp. 12–14; vgl. auch"),
            Some(("pp. 12–14".into(), 13))
        );
    }

    #[test]
    fn prose_that_is_no_locator_is_left_alone() {
        assert_eq!(read(", 1958."), None);
        assert_eq!(read(", 45."), None);
        assert_eq!(read(", 1959, p. 4"), None);
        assert_eq!(read(" 2. Aufl. 2020, S. 12"), None);
        assert_eq!(read(", at the meeting"), None);
        assert_eq!(read(" and the communes"), None);
        assert_eq!(read(" argues that p. 5 is wrong"), None);
        assert_eq!(read("[p. 5]"), None);
        assert_eq!(read(". See p. 5"), None);
        assert_eq!(read(" (p. 5"), None);
        assert_eq!(read(""), None);
    }
}
