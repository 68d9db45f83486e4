//! Fixes: what a rule proposes to change in the sources, declared beside its
//! finding (as ruff's rules do). A fix is stated in the terms of the model —
//! "in this footnote, the words `…` become `@key[p. 5]`" — and the edge
//! (the `fix` module) finds those words in the Typst source, applies the edit,
//! compiles the result and keeps the fix only if the document still says
//! the same thing.

use crate::document::SourceSpan;

/// Whether a fix may be applied without asking (`ibid fix`) or only with
/// `--unsafe` (it adds something the author must check: a bibliography entry
/// built from a note, a key guessed from a misspelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// What a fix does to the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What it does, in a few words (`cite @yang2007[pag. 387]`).
    pub title: String,
    pub edits: Vec<Edit>,
    /// What the fix is meant to change in what the notes cite: a citation of
    /// `from` (a key, or `None` for a work the bibliography lacked) reads as
    /// a citation of `to` afterwards. Anything else must stay the same.
    pub renames: Vec<(Option<String>, String)>,
    /// Why the remedy cannot be applied by a tool, when it cannot: the
    /// finding is reported by `ibid fix` as left to the author.
    pub blocked: Option<String>,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Inside the source text of `within`, the text that renders as `find`
    /// (markup, quotes and spacing aside) becomes `with`. With `find` empty,
    /// the whole of `within` is replaced.
    Replace {
        within: SourceSpan,
        find: String,
        with: String,
    },
    /// The footnote call at `call` (`#footnote[…]`) is replaced by `with`,
    /// written where the call stood: a note that held only a citation becomes
    /// that citation, which a note style sets as a footnote of its own.
    ReplaceCall { call: SourceSpan, with: String },
    /// `text` is added at the end of the file `file` (an entry appended to
    /// a bibliography).
    Append { file: String, text: String },
    /// `lines` are inserted after the line that holds `after` (an entry's
    /// key line: `smith2001:`, `@book{smith2001,`), each indented as the
    /// entry's fields are, keeping their own indentation under it. Only
    /// where nothing but `:` or `,` follows `after` on its line (else the
    /// entry is written on one line, and a line after it is outside it).
    InsertLines { after: SourceSpan, lines: String },
}

impl Edit {
    /// The file the edit changes.
    pub fn file(&self) -> &str {
        match self {
            Edit::Replace { within, .. } => &within.file,
            Edit::ReplaceCall { call, .. } => &call.file,
            Edit::Append { file, .. } => file,
            Edit::InsertLines { after, .. } => &after.file,
        }
    }
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Safe,
            title: title.into(),
            edits,
            renames: Vec::new(),
            blocked: None,
        }
    }

    /// A remedy no tool can apply, and why.
    pub fn blocked(title: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            blocked: Some(why.into()),
            ..Self::safe(title, Vec::new())
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            applicability: Applicability::Unsafe,
            ..Self::safe(title, edits)
        }
    }

    pub fn renaming(mut self, from: Option<&str>, to: &str) -> Self {
        self.renames
            .push((from.map(str::to_string), to.to_string()));
        self
    }
}

/// The structured citation of `key` at `locator`, as Typst markup:
/// `@key[p. 5]`, or `#cite(<key>, supplement: […])` for a key `@` cannot
/// name (one ending in `.` or `:`, or with characters a label literal does
/// not take), or `#cite(label("…"))` for one no `<…>` can hold.
pub fn citation(key: &str, locator: Option<&str>) -> String {
    let supplement = locator.map(escape_markup);
    let literal = key
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    let at = literal && !key.ends_with(['.', ':']) && !key.starts_with(['-', '.', ':']);
    match (at, literal, supplement) {
        (true, _, Some(s)) => format!("@{key}[{s}]"),
        (true, _, None) => format!("@{key}"),
        (false, true, Some(s)) => format!("#cite(<{key}>, supplement: [{s}])"),
        (false, true, None) => format!("#cite(<{key}>)"),
        (false, false, s) => {
            let name = key.replace('\\', "\\\\").replace('"', "\\\"");
            match s {
                Some(s) => format!("#cite(label(\"{name}\"), supplement: [{s}])"),
                None => format!("#cite(label(\"{name}\"))"),
            }
        }
    }
}

/// `@key` written right before `following` would take the following
/// characters into the key (`@worden1987a`, `@key.Next`): such a citation
/// is written `#cite(<key>)` instead.
pub fn guard_following(with: &str, following: &str) -> String {
    let Some(key) = with.strip_prefix('@') else {
        return with.to_string();
    };
    if key.ends_with(']') || key.contains(char::is_whitespace) {
        return with.to_string();
    }
    let mut next = following.chars();
    let takes = match next.next() {
        Some(c) if c.is_alphanumeric() || c == '_' || c == '-' => true,
        Some('.' | ':') => next.next().is_some_and(|c| c.is_alphanumeric() || c == '_'),
        _ => false,
    };
    if takes {
        format!("#cite(<{key}>)")
    } else {
        with.to_string()
    }
}

/// Text set as content in a supplement, escaped so that markup reads it as
/// written.
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '['
                | ']'
                | '#'
                | '*'
                | '_'
                | '$'
                | '<'
                | '>'
                | '@'
                | '`'
                | '~'
                | '/'
                | '"'
                | '\''
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An access date written after a pasted URL (`, 13/10/2009`,
/// ` 2009-10-13`, `, consultato il 13/10/2009`): part of the hand-typed
/// citation, which the entry's `url.date` replaces.
static ACCESS_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:[,:;]?\s*)(?:\(?\s*(?i:accessed(?: on)?|retrieved|consultato(?: il)?|abgerufen am|consulté le|visited|last visited)\s+)?(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2})\)?",
    )
    .expect("valid regex")
});

/// The words of the note that a hand-typed citation's fix removes: its
/// excerpt, and after a URL the access date that follows it.
pub fn removal(prose: &str, citation: &super::matcher::HandTyped) -> String {
    let excerpt = citation.excerpt.as_str();
    let (Some(at), Some(_)) = (prose.find(excerpt), citation.read.url.as_ref()) else {
        return excerpt.to_string();
    };
    let after = &prose[at + excerpt.len()..];
    match ACCESS_DATE.find(after) {
        Some(date) => format!("{excerpt}{}", date.as_str()),
        None => excerpt.to_string(),
    }
}

/// Words that cite a work through another (`Smith 1959 apud Jones 2012`):
/// the note names two works, and `@key` for one would lose the other.
static SECONDARY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?:^|[^\p{L}])(apud|quoted in|cited in|cit\. in|citato in|cit\. da|zit\. nach|zitiert nach|zit\. bei|citado por|citado en|cité par|cité dans|cytowany za|cyt\. za|цит\. по|idézi|aktaran)(?:$|[^\p{L}])",
    )
    .expect("valid regex")
});

/// What a hand-typed citation's excerpt says that its reading did not
/// account for, and that replacing it by `@key[locator]` would lose: a
/// number that is neither the year, nor in the locator, the URL, the title,
/// nor anywhere in the entry (`300 sqq.` with no locator read, `12. o.`, a
/// volume the entry lacks), and the words of a secondary citation (`apud`).
/// `entry_text` is what the entry holds, serialised; empty when none.
pub fn unaccounted(citation: &super::matcher::HandTyped, entry_text: &str) -> Vec<String> {
    let excerpt = citation.excerpt.as_str();
    let mut out: Vec<String> = SECONDARY
        .captures_iter(excerpt)
        .map(|c| c[1].to_string())
        .collect();
    let read = &citation.read;
    let known: Vec<&str> = [
        citation.locator.as_deref(),
        read.year.as_deref(),
        read.title.as_deref(),
        read.url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let numbers_in = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.trim_start_matches('0').to_string())
            .collect()
    };
    let accounted: std::collections::HashSet<String> = known
        .iter()
        .flat_map(|t| numbers_in(t))
        .chain(numbers_in(entry_text))
        .collect();
    for number in numbers_in(excerpt) {
        if !number.is_empty() && !accounted.contains(&number) && !out.contains(&number) {
            out.push(number);
        }
    }
    out
}

/// Words that only join citations (`A and B`): a group of citations is
/// joined by the style's own delimiter instead.
const CONNECTORS: &[&str] = &[
    "and", "e", "ed", "und", "et", "y", "i", "和", "及", "以及", "与",
];

/// The words of `prose` once `removals` are taken out (each once, in
/// order): what a note says besides its citations. Punctuation is left
/// out, and words that only join citations; a citation style sets its own.
pub fn residue(prose: &str, removals: &[String]) -> Vec<String> {
    let mut rest = String::with_capacity(prose.len());
    let mut from = 0;
    for removal in removals.iter().filter(|r| !r.is_empty()) {
        if let Some(at) = prose[from..].find(removal.as_str()) {
            rest.push_str(&prose[from..from + at]);
            rest.push(' ');
            from += at + removal.len();
        }
    }
    rest.push_str(&prose[from..]);
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !CONNECTORS.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}
