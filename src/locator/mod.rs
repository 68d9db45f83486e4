//! Locators: what a citation's supplement (`pag. 387`, `pp.7-9`, `§ 59 Rn
//! 1`, `vol. 2, p. 45`, `ll. 10-90`, `4.4.2.2`, `第88页`) says, as a
//! structured value. Typst passes the supplement through as free text; the
//! locator rules read this instead, and the hand-typed citation reader finds
//! locators in prose with the same parser.
//!
//! A locator is one or more parts, each a label (from the one table in
//! [`labels`]) and what follows it; each part has the kind of its label, so
//! that chapter 3 is never read as page 3. Pages are read by Hayagriva's own
//! `PageRangesPart` (which keeps letters such as `e1` or `12a`); this module
//! adds what theses write around them: lists joined by `,`, `;` or `and`,
//! abbreviated ranges, roman numerals, `f.`/`ff.`, `passim`.

pub mod labels;
pub mod pages;
mod prose;
mod tokens;

use std::fmt;
use std::str::FromStr;

pub use labels::{Family, Kind, Label};
pub use pages::{Following, Page};
pub use prose::{ProseLocator, prose_locator};
use tokens::{Token, suffixed, tokens};

/// One element of a part's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A page, or a range with its end as written and as expanded
    /// (`211-12` ends at 212).
    Pages {
        start: Page,
        end: Option<Page>,
        expanded_end: Option<u32>,
        following: Option<Following>,
    },
    /// `passim`: throughout.
    Passim,
    /// A place that is not a page (`3`, `2.3.3`, `10-90`), as written.
    Text(String),
}

/// A label and the places after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The label as written (`pag.`, `Pp.`, `§`), if any.
    pub label: Option<String>,
    pub kind: Kind,
    /// Whether the label is a plural form (`pp.`, `pagg.`, `pages`).
    pub plural_label: bool,
    /// For pages, the family of the label (`p./pp.`).
    pub family: Option<&'static Family>,
    pub items: Vec<Item>,
    /// The dashes written between range ends (`-`, `--`, `–`, `—`).
    pub dashes: Vec<String>,
    /// Whether a space follows the label (`p. 5`) or not (`p.5`).
    pub spaced: Option<bool>,
}

/// A parsed locator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    pub parts: Vec<Part>,
}

/// Why a locator could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read `{found}` in locator `{text}`: expected {expected}")]
pub struct LocatorError {
    pub text: String,
    pub found: String,
    pub expected: &'static str,
}

impl FromStr for Locator {
    type Err = LocatorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

/// Parses a locator.
pub fn parse(text: &str) -> Result<Locator, LocatorError> {
    let error = |found: &str, expected| LocatorError {
        text: text.to_string(),
        found: found.to_string(),
        expected,
    };
    let whole = text.trim().trim_end_matches([',', ';', ':']).trim();
    if whole.trim_end_matches('.').trim().is_empty() {
        return Err(error(text, "a page, a range or a label such as `p.`"));
    }
    if let Some(prefixed) = suffixed(whole) {
        return parse(&prefixed).map_err(|_| error(whole, "pages before the label"));
    }
    let mut parts: Vec<Part> = Vec::new();
    // The words of the item being read (a range: start, dash, end).
    let mut pending: Vec<Token> = Vec::new();
    let tokens = tokens(whole);
    // An item just ended by `ff.` or `passim`: a separator after it
    // (`12 ff., 14`, `passim, 12`) is no hole in the list.
    let mut closed = false;
    let mut i = 0;
    while i < tokens.len() {
        let (token, _) = &tokens[i];
        let was_closed = std::mem::take(&mut closed);
        match token {
            // `45 s.` and `45 et s.`: French for "and the next", not German
            // `S.` (page) — a label with nothing after it.
            Token::Label(label, _, _)
                if (label.text == "s." || label.text == "ss.")
                    && (!pending.is_empty()
                        || parts
                            .last()
                            .is_some_and(|p| p.kind.is_page() && !p.items.is_empty()))
                    && tokens[i + 1..]
                        .iter()
                        .all(|(t, _)| matches!(t, Token::And | Token::Semicolon)) =>
            {
                finish_item(&mut parts, &mut pending, &error)?;
                if let Some(Item::Pages { following, .. }) =
                    parts.last_mut().and_then(|p| p.items.last_mut())
                {
                    *following = Some(if label.text == "ss." {
                        Following::Many
                    } else {
                        Following::One
                    });
                }
                break;
            }
            Token::Label(label, written, spaced) => {
                finish_item(&mut parts, &mut pending, &error)?;
                parts.push(Part::labelled(label, written, *spaced));
            }
            Token::Chinese(inner, kind) => {
                finish_item(&mut parts, &mut pending, &error)?;
                let mut part = Part::bare(*kind);
                part.label = Some("第…".into());
                parts.push(part);
                let inner = parse(inner).map_err(|_| error(inner, "a number after 第"))?;
                let last = parts.last_mut().expect("just pushed");
                for item in inner.parts.into_iter().flat_map(|p| p.items) {
                    last.items.push(if *kind == Kind::Page {
                        item
                    } else {
                        Item::Text(render_item(&item))
                    });
                }
            }
            Token::And | Token::Semicolon => {
                if pending.is_empty() && !was_closed {
                    let last_empty = parts.last().is_none_or(|p| p.items.is_empty());
                    let next_is_label = tokens
                        .get(i + 1)
                        .is_some_and(|(t, _)| matches!(t, Token::Label(..)));
                    // `p. 5, ch. 3` and `p. 5; ch. 3`: the separator ends the
                    // part. Two separators in a row, or one after a label,
                    // are a hole in the list.
                    if last_empty || !(next_is_label || matches!(token, Token::Semicolon)) {
                        let after_label = parts
                            .last()
                            .and_then(|p| p.label.as_deref())
                            .and_then(|l| whole.find(l).map(|at| &whole[at + l.len()..]))
                            .unwrap_or(whole);
                        return Err(error(
                            after_label.trim(),
                            "a page or range between separators",
                        ));
                    }
                }
                finish_item(&mut parts, &mut pending, &error)?;
            }
            Token::Following(following) => {
                if pending.is_empty() {
                    return Err(error(whole, "a page before `f.` or `ff.`"));
                }
                finish_item(&mut parts, &mut pending, &error)?;
                if let Some(Item::Pages { following: f, .. }) =
                    parts.last_mut().and_then(|p| p.items.last_mut())
                {
                    *f = Some(*following);
                }
                closed = true;
            }
            Token::Passim => {
                finish_item(&mut parts, &mut pending, &error)?;
                current(&mut parts, Kind::Page).items.push(Item::Passim);
                closed = true;
            }
            Token::Word(_) | Token::Dash(_) => pending.push(token.clone()),
        }
        i += 1;
    }
    finish_item(&mut parts, &mut pending, &error)?;
    for part in &parts {
        if part.items.is_empty() {
            let found = part.label.as_deref().unwrap_or(whole);
            let expected = if part.kind.is_page() {
                "a page or range after the label"
            } else {
                "a number after the label"
            };
            return Err(error(found, expected));
        }
    }
    if parts.is_empty() {
        return Err(error(text, "a page or range"));
    }
    Ok(Locator { parts })
}

/// The part the next item belongs to: the last one, or a new unlabelled
/// one of the kind the item suggests.
fn current(parts: &mut Vec<Part>, kind: Kind) -> &mut Part {
    let reuse = parts
        .last()
        .is_some_and(|p| p.label.is_some() || p.kind == kind);
    if !reuse {
        parts.push(Part::bare(kind));
    }
    parts.last_mut().expect("a part")
}

/// Turns the pending words (`387`, `211 - 12`) into an item of the current
/// part.
fn finish_item<'a>(
    parts: &mut Vec<Part>,
    pending: &mut Vec<Token<'a>>,
    error: &impl Fn(&str, &'static str) -> LocatorError,
) -> Result<(), LocatorError> {
    if pending.is_empty() {
        return Ok(());
    }
    let words: Vec<Token<'a>> = std::mem::take(pending);
    let written: Vec<&str> = words
        .iter()
        .map(|t| match t {
            Token::Word(w) | Token::Dash(w) => *w,
            _ => "",
        })
        .collect();
    let shown = written.join(" ");
    let (start, dash, end) = match words.as_slice() {
        [Token::Word(start)] => (*start, None, None),
        [Token::Word(start), Token::Dash(dash), Token::Word(end)] => {
            (*start, Some(*dash), Some(*end))
        }
        [Token::Dash(_), ..] | [.., Token::Dash(_)] => {
            return Err(error(&written.concat(), "a page on both sides of the dash"));
        }
        _ => {
            // Several words: free text (`the preface`) unless a label asks
            // for pages.
            let part = parts.last();
            if part.is_some_and(|p| p.label.is_some() && p.kind.is_page()) {
                return Err(error(
                    &shown,
                    "a page number (arabic, roman or with letters, e.g. 12a)",
                ));
            }
            let kind = part
                .filter(|p| p.label.is_some())
                .map_or(Kind::Other, |p| p.kind);
            current(parts, kind).items.push(Item::Text(shown));
            return Ok(());
        }
    };
    let labelled_kind = parts.last().filter(|p| p.label.is_some()).map(|p| p.kind);
    // `87n12`, `87nn12-13`: page 87, note 12 (notes 12 to 13), as Chicago
    // writes a note.
    if labelled_kind.is_none_or(Kind::is_page)
        && let Some((page, note)) = page_and_note(start)
        && end.is_none_or(|end| !end.is_empty() && end.chars().all(|c| c.is_ascii_digit()))
    {
        let note = match (dash, end) {
            (Some(dash), Some(end)) => format!("{note}{dash}{end}"),
            _ => note.to_string(),
        };
        if labelled_kind.is_none() {
            parts.push(Part::bare(Kind::Page));
        }
        let item = pages::item(page, None).map_err(|expected| error(&shown, expected))?;
        parts.last_mut().expect("a part").items.push(item);
        let mut part = Part::bare(Kind::Note);
        part.items.push(Item::Text(note));
        parts.push(part);
        return Ok(());
    }
    // `2:45` (volume 2, page 45), as Chicago writes a multivolume work.
    if labelled_kind.is_none()
        && let Some((volume, page)) = start.split_once(':')
        && !volume.is_empty()
        && volume.chars().all(|c| c.is_ascii_digit())
        && pages::looks_like_page(page)
    {
        let mut part = Part::bare(Kind::Volume);
        part.items.push(Item::Text(volume.to_string()));
        parts.push(part);
        parts.push(Part::bare(Kind::Page));
        let part = parts.last_mut().expect("just pushed");
        if let Some(dash) = dash {
            part.dashes.push(dash.to_string());
        }
        let item = pages::item(page, end).map_err(|expected| error(&shown, expected))?;
        part.items.push(item);
        return Ok(());
    }
    let kind = labelled_kind.unwrap_or_else(|| unlabelled_kind(start));
    let part = current(parts, kind);
    if let Some(dash) = dash {
        part.dashes.push(dash.to_string());
    }
    if !part.kind.is_page() {
        let text = match (dash, end) {
            (Some(dash), Some(end)) => format!("{start}{dash}{end}"),
            _ => start.to_string(),
        };
        part.items.push(Item::Text(text));
        return Ok(());
    }
    let item = pages::item(start, end).map_err(|expected| error(&shown, expected))?;
    part.items.push(item);
    Ok(())
}

/// `87n12` and `87nn.12-13`: a page and a note on it.
fn page_and_note(word: &str) -> Option<(&str, &str)> {
    let digits = word.find(|c: char| !c.is_ascii_digit())?;
    let (page, rest) = word.split_at(digits);
    let note = rest
        .strip_prefix("nn.")
        .or_else(|| rest.strip_prefix("nn"))
        .or_else(|| rest.strip_prefix("n."))
        .or_else(|| rest.strip_prefix('n'))?;
    (!page.is_empty() && !note.is_empty() && note.chars().all(|c| c.is_ascii_digit()))
        .then_some((page, note))
}

/// What an item without a label is: a page (`12`, `xiv`, `12a`), a section
/// (`2.3.3`, `4.4.2.2`), or free text. Roman numerals in capitals number
/// volumes, parts and chapters; pages of front matter are in lower case.
fn unlabelled_kind(word: &str) -> Kind {
    if pages::roman(word).is_some() && word.chars().any(|c| c.is_ascii_uppercase()) {
        return Kind::Other;
    }
    let dotted = word.split('.').filter(|s| !s.is_empty()).count() >= 2
        && word
            .split('.')
            .all(|s| s.is_empty() || s.chars().all(|c| c.is_ascii_digit()));
    if dotted {
        Kind::Section
    } else if pages::looks_like_page(word) {
        Kind::Page
    } else {
        Kind::Other
    }
}

impl Part {
    fn labelled(label: &'static Label, written: &str, spaced: bool) -> Self {
        Part {
            label: Some(written.to_string()),
            kind: label.kind,
            plural_label: label.plural,
            family: label.family,
            items: Vec::new(),
            dashes: Vec::new(),
            spaced: Some(spaced),
        }
    }

    fn bare(kind: Kind) -> Self {
        Part {
            label: None,
            kind,
            plural_label: false,
            family: None,
            items: Vec::new(),
            dashes: Vec::new(),
            spaced: None,
        }
    }

    /// Whether it names more than one place (a range, a list, `ff.`,
    /// `passim`).
    pub fn is_plural(&self) -> bool {
        self.items.len() > 1
            || self.items.iter().any(|item| match item {
                Item::Pages { end, following, .. } => end.is_some() || following.is_some(),
                Item::Passim => true,
                Item::Text(text) => text.contains(['-', '–', '—']),
            })
    }

    /// The arabic page ranges it names, expanded (`211-12` → 211..=212).
    pub fn page_ranges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Pages {
                start: Page {
                    number: Some(s), ..
                },
                end,
                expanded_end,
                ..
            } => match end {
                None => Some((*s, *s)),
                Some(_) => expanded_end.map(|e| (*s, e)),
            },
            _ => None,
        })
    }
}

impl Locator {
    /// The parts about pages.
    pub fn page_parts(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| p.kind.is_page())
    }

    /// The arabic page ranges of its page parts, expanded.
    pub fn page_ranges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.page_parts().flat_map(Part::page_ranges)
    }

    /// The kinds it points into, in order, each once.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut kinds: Vec<Kind> = Vec::new();
        for part in &self.parts {
            if !kinds.contains(&part.kind) {
                kinds.push(part.kind);
            }
        }
        kinds
    }
}

fn render_item(item: &Item) -> String {
    match item {
        Item::Passim => "passim".into(),
        Item::Text(text) => text.clone(),
        Item::Pages {
            start,
            end,
            following,
            ..
        } => {
            let mut out = start.text.clone();
            if let Some(end) = end {
                out.push('-');
                out.push_str(&end.text);
            }
            match following {
                Some(Following::One) => out.push_str(" f."),
                Some(Following::Many) => out.push_str(" ff."),
                None => {}
            }
            out
        }
    }
}

impl fmt::Display for Locator {
    /// The locator written in a normal form: each part's label, a space,
    /// its items joined by `, ` and ranges by `-`; parts joined by `, `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match part.label.as_deref() {
                Some("第…") => {}
                Some(label) => write!(f, "{label} ")?,
                None => {}
            }
            let items: Vec<String> = part.items.iter().map(render_item).collect();
            f.write_str(&items.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
