//! `ibid fix`: the rules' fixes applied to the sources. This module turns
//! the fixes the findings carry into byte edits of the source texts
//! ([`locate`]), applies those that do not overlap ([`apply`]), and says
//! what a document cites note by note ([`Meaning`]) so that the edge can
//! keep only the fixes after which the document says the same thing.
//! Nothing here reads or writes a file.

pub mod locate;
mod meaning;

use std::collections::BTreeMap;
use std::ops::Range;

pub use meaning::{Difference, Meaning, NoteMeaning};

use crate::audit::Finding;
use crate::audit::fix::{self, Applicability, Edit};

/// A change to one file: the bytes of `range` become `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub file: String,
    pub range: Range<usize>,
    pub with: String,
}

/// A finding's fix, located in the sources.
#[derive(Debug, Clone)]
pub struct Located {
    /// Index of the finding among those given to [`locate_all`].
    pub finding: usize,
    pub edits: Vec<TextEdit>,
}

/// Why a finding's fix was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// Unsafe, and `--unsafe` was not given.
    Unsafe,
    /// No tool can apply it, and why.
    Blocked(String),
    /// The text it changes was not found in the sources.
    NotFound(String),
    /// The note is not a plain `#footnote[…]` in markup, so it cannot become
    /// the citation itself.
    NotACall,
    /// Another fix changes the same text; left for the next round.
    Overlaps,
    /// After the fix, the document did not compile, or cited something else.
    Changes(String),
}

/// The text of each file a fix touches, and its parsed syntax.
pub struct Sources {
    files: BTreeMap<String, (String, typst::syntax::SyntaxNode)>,
}

impl Sources {
    /// The sources, each by its root-relative path with its current text.
    pub fn new(paths: impl IntoIterator<Item = (String, String)>) -> Self {
        let files = paths
            .into_iter()
            .map(|(path, text)| {
                let root = typst::syntax::parse(&text);
                (path, (text, root))
            })
            .collect();
        Self { files }
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|(t, _)| t.as_str())
    }
}

/// Each finding's fix as edits of the sources, or why it has none. Findings
/// without a fix are left out.
pub fn locate_all(
    findings: &[Finding],
    sources: &Sources,
    allow_unsafe: bool,
) -> Vec<(usize, Result<Located, Skipped>)> {
    findings
        .iter()
        .enumerate()
        .filter_map(|(i, finding)| {
            let fix = finding.fix.as_ref()?;
            if let Some(why) = &fix.blocked {
                return Some((i, Err(Skipped::Blocked(why.clone()))));
            }
            if fix.applicability == Applicability::Unsafe && !allow_unsafe {
                return Some((i, Err(Skipped::Unsafe)));
            }
            let edits: Result<Vec<TextEdit>, Skipped> = fix
                .edits
                .iter()
                .map(|edit| locate_one(edit, sources))
                .collect();
            Some((i, edits.map(|edits| Located { finding: i, edits })))
        })
        .collect()
}

fn locate_one(edit: &Edit, sources: &Sources) -> Result<TextEdit, Skipped> {
    let missing =
        |file: &str| Skipped::NotFound(format!("{file} is not a source the document read"));
    match edit {
        Edit::Replace { within, find, with } => {
            let (text, root) = sources
                .files
                .get(&within.file)
                .ok_or_else(|| missing(&within.file))?;
            let range = if find.is_empty() {
                Some(within.range.clone())
            } else {
                locate::find(root, text, within.range.clone(), find)
            }
            .ok_or_else(|| {
                Skipped::NotFound(format!(
                    "“{find}” is not written as such in {}",
                    within.file
                ))
            })?;
            let mut with = fix::guard_following(with, &text[range.end..]);
            // Dashes keep the way the source wrote them (`5--7`, not `5–7`).
            if text[range.clone()].contains("--") {
                with = with.replace('—', "---").replace('–', "--");
            }
            Ok(TextEdit {
                file: within.file.clone(),
                range,
                with,
            })
        }
        Edit::ReplaceCall { call, with } => {
            let (text, root) = sources
                .files
                .get(&call.file)
                .ok_or_else(|| missing(&call.file))?;
            let range = locate::footnote_call(root, call.range.clone()).ok_or(Skipped::NotACall)?;
            let with = fix::guard_following(with, &text[range.end..]);
            Ok(TextEdit {
                file: call.file.clone(),
                range,
                with,
            })
        }
        Edit::InsertLines { after, lines } => {
            let text = sources
                .text(&after.file)
                .ok_or_else(|| missing(&after.file))?;
            insert_lines(text, after.range.clone(), lines).map(|(at, with)| TextEdit {
                file: after.file.clone(),
                range: at..at,
                with,
            })
        }
        Edit::Append { file, text: added } => {
            let text = sources.text(file).ok_or_else(|| missing(file))?;
            let mut added = added.clone();
            if !text.is_empty() && !text.ends_with('\n') {
                added.insert(0, '\n');
            }
            if text.contains("\r\n") {
                added = added.replace('\n', "\r\n");
            }
            Ok(TextEdit {
                file: file.clone(),
                range: text.len()..text.len(),
                with: added,
            })
        }
    }
}

/// Where `lines` go after the line holding `after` in `text`, and the
/// text to insert there: each line indented as the line below (the entry's
/// first field), else two spaces deeper than the key's line; the file's
/// line ending kept.
fn insert_lines(
    text: &str,
    after: std::ops::Range<usize>,
    lines: &str,
) -> Result<(usize, String), Skipped> {
    let not_here = || Skipped::NotFound("the entry is not written one field a line".into());
    let rest_start = after.end.min(text.len());
    let end = text[rest_start..]
        .find('\n')
        .map_or(text.len(), |i| rest_start + i);
    let at = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    let rest = text.get(rest_start..at).ok_or_else(not_here)?;
    if !rest
        .chars()
        .all(|c| c == ':' || c == ',' || c.is_whitespace())
    {
        return Err(not_here());
    }
    let line_start = text[..after.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent_of = |line: &str| {
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..width].to_string()
    };
    let own = indent_of(&text[line_start..]);
    let next = text
        .get(end + 1..)
        .and_then(|t| t.lines().next())
        .unwrap_or("");
    let below = indent_of(next);
    let indent = if !next.trim().is_empty() && below.len() > own.len() {
        below
    } else {
        format!("{own}  ")
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let with: String = lines
        .lines()
        .map(|line| format!("{newline}{indent}{line}"))
        .collect();
    Ok((at, with))
}

/// The located fixes that can be applied together, in order: a fix whose
/// edits overlap one already taken waits for the next round (an edit equal
/// to one taken is taken once). Returns the taken and the waiting.
pub fn choose(located: Vec<Located>) -> (Vec<Located>, Vec<Located>) {
    let mut taken: Vec<Located> = Vec::new();
    let mut waiting = Vec::new();
    for fix in located {
        let clashes = fix.edits.iter().any(|edit| {
            taken.iter().flat_map(|t| &t.edits).any(|other| {
                other.file == edit.file && other != edit && overlaps(&other.range, &edit.range)
            })
        });
        if clashes {
            waiting.push(fix);
        } else {
            taken.push(fix);
        }
    }
    (taken, waiting)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        // Insertions clash only with a replacement around them.
        return a.start > b.start && a.start < b.end || b.start > a.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// The texts after applying `fixes` to `sources`: the changed files only.
pub fn apply(sources: &Sources, fixes: &[Located]) -> BTreeMap<String, String> {
    let mut by_file: BTreeMap<&str, Vec<&TextEdit>> = BTreeMap::new();
    for edit in fixes.iter().flat_map(|f| &f.edits) {
        let list = by_file.entry(edit.file.as_str()).or_default();
        if !list.contains(&edit) {
            list.push(edit);
        }
    }
    let mut out = BTreeMap::new();
    for (file, mut edits) in by_file {
        let Some(text) = sources.text(file) else {
            continue;
        };
        // From the end, so that earlier ranges stay valid; insertions at
        // one place keep their order.
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let mut text = text.to_string();
        for edit in edits.iter().rev() {
            text.replace_range(edit.range.clone(), &edit.with);
        }
        out.insert(file.to_string(), text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(file: &str, range: Range<usize>, with: &str) -> TextEdit {
        TextEdit {
            file: file.into(),
            range,
            with: with.into(),
        }
    }

    fn fix(finding: usize, edits: Vec<TextEdit>) -> Located {
        Located { finding, edits }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let (taken, waiting) = choose(vec![
            fix(0, vec![edit("a.typ", 0..10, "@a")]),
            fix(1, vec![edit("a.typ", 5..8, "p. 5")]),
            fix(2, vec![edit("a.typ", 10..12, "@b")]),
        ]);
        assert_eq!(taken.iter().map(|f| f.finding).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(waiting.iter().map(|f| f.finding).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn the_same_edit_proposed_twice_is_applied_once() {
        let sources = Sources::new([("a.typ".to_string(), "x #footnote[A; B] y".to_string())]);
        let same = edit("a.typ", 2..17, "@a @b");
        let (taken, waiting) = choose(vec![fix(0, vec![same.clone()]), fix(1, vec![same])]);
        assert!(waiting.is_empty());
        let out = apply(&sources, &taken);
        assert_eq!(out["a.typ"], "x @a @b y");
    }

    #[test]
    fn edits_apply_from_the_end_and_appends_keep_their_order() {
        let sources = Sources::new([("b.yml".to_string(), "a: 1\n".to_string())]);
        let out = apply(
            &sources,
            &[
                fix(0, vec![edit("b.yml", 5..5, "b: 2\n")]),
                fix(
                    1,
                    vec![edit("b.yml", 5..5, "c: 3\n"), edit("b.yml", 0..1, "z")],
                ),
            ],
        );
        assert_eq!(out["b.yml"], "z: 1\nb: 2\nc: 3\n");
    }
}

#[cfg(test)]
mod insert_tests {
    use super::insert_lines;

    fn insert(text: &str, key: &str, lines: &str) -> Option<String> {
        // The key where it is defined: followed by `:` or `,`.
        let start = text
            .find(&format!("{key}:"))
            .or_else(|| text.find(&format!("{key},")))?;
        let (at, with) = insert_lines(text, start..start + key.len(), lines).ok()?;
        let mut out = text.to_string();
        out.insert_str(at, &with);
        Some(out)
    }

    #[test]
    fn lines_go_under_the_key_indented_as_the_fields() {
        let yaml = "a:\n  type: book\nb:\n    type: book\n    title: T\n";
        assert_eq!(
            insert(yaml, "b", "serial-number:\n  isbn: \"1\"").as_deref(),
            Some(
                "a:\n  type: book\nb:\n    serial-number:\n      isbn: \"1\"\n    type: book\n    title: T\n"
            )
        );
        let bib = "@book{smith,\r\n\tauthor = {S},\r\n}\r\n";
        assert_eq!(
            insert(bib, "smith", "doi = {10.1/x},").as_deref(),
            Some("@book{smith,\r\n\tdoi = {10.1/x},\r\n\tauthor = {S},\r\n}\r\n")
        );
        // The last entry of a file without a final newline.
        assert_eq!(insert("z:", "z", "doi: x").as_deref(), Some("z:\n  doi: x"));
        // An entry on one line: a line after it would be outside it.
        assert_eq!(
            insert("@book{smith, title = {T}}\n", "smith", "doi = {x},"),
            None
        );
        assert_eq!(insert("a: {type: book}\n", "a", "doi: x"), None);
    }
}
