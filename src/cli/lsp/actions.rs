//! Code actions, from the same remedies as `ibid fix`: each finding's fix
//! located in the sources by `fix::locate_all` (safe ones preferred, the
//! others titled as unsafe), a suppression comment for the line, and a
//! source action that applies every safe fix of the file at once.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, Url, WorkspaceEdit,
};

use super::diagnostics::diagnostic;
use super::position::LineIndex;
use super::project::Project;
use crate::audit::fix::Applicability;
use crate::audit::{Finding, Rule, suppress};
use crate::fix::{self, Sources};

/// The kind of "fix all safe findings in this file".
pub const FIX_ALL: &str = "source.fixAll.ibid";

pub fn code_actions(
    project: &Project,
    file: &str,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let last = &project.last;
    let Some(text) = last.texts.get(file) else {
        return Vec::new();
    };
    let wanted = LineIndex::new(text).byte_range(params.range);
    let only = params.context.only.as_deref();
    let wants = |kind: &str| {
        only.is_none_or(|only| {
            only.iter()
                .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
        })
    };
    let mut actions = Vec::new();
    let here: Vec<&Finding> = last
        .findings
        .iter()
        .filter(|f| {
            f.span.as_ref().is_some_and(|s| {
                s.file == file && s.range.start <= wanted.end && wanted.start <= s.range.end
            })
        })
        .collect();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        for finding in &here {
            let diagnostics = Some(vec![diagnostic(project, last, finding)]);
            if let Some(edit) = fix_edit(project, finding) {
                let unsafe_ = finding
                    .fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Unsafe);
                let title = finding
                    .fix
                    .as_ref()
                    .map_or(String::new(), |f| f.title.clone());
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if unsafe_ {
                        format!("(unsafe) {title}")
                    } else {
                        title
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(edit),
                    is_preferred: Some(!unsafe_),
                    ..CodeAction::default()
                }));
            }
            if let Some(edit) = suppression(project, text, file, finding) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("suppress `{}` on this line", finding.rule.code()),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics,
                    edit: Some(edit),
                    ..CodeAction::default()
                }));
            }
        }
    }
    if wants(FIX_ALL)
        && let Some(edit) = fix_all(project, file)
    {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "ibid: fix all safe findings in this file".into(),
            kind: Some(CodeActionKind::new(FIX_ALL)),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The sources the fixes of `findings` change, as the last run read them.
fn sources<'a>(project: &Project, findings: impl Iterator<Item = &'a Finding>) -> Sources {
    let mut paths: Vec<String> = Vec::new();
    for finding in findings {
        for edit in finding.fix.iter().flat_map(|f| &f.edits) {
            let file = edit.file();
            if !paths.iter().any(|p| p == file) {
                paths.push(file.to_string());
            }
        }
    }
    let last = &project.last;
    Sources::new(paths.into_iter().filter_map(|path| {
        let text = last
            .texts
            .get(&path)
            .cloned()
            .or_else(|| project.text(&path))?;
        Some((path, text))
    }))
}

/// One finding's fix as a workspace edit, when it can be applied.
fn fix_edit(project: &Project, finding: &Finding) -> Option<WorkspaceEdit> {
    let fix = finding.fix.as_ref()?;
    if fix.blocked.is_some() || fix.edits.is_empty() {
        return None;
    }
    let sources = sources(project, std::iter::once(finding));
    let located = fix::locate_all(std::slice::from_ref(finding), &sources, true);
    let (_, Ok(located)) = located.into_iter().next()? else {
        return None;
    };
    workspace_edit(project, &sources, located.edits)
}

/// Every safe fix of the file's findings that does not overlap another.
fn fix_all(project: &Project, file: &str) -> Option<WorkspaceEdit> {
    let findings: Vec<Finding> = project
        .last
        .findings
        .iter()
        .filter(|f| f.span.as_ref().is_some_and(|s| s.file == file) && f.fix.is_some())
        .cloned()
        .collect();
    let sources = sources(project, findings.iter());
    let ready: Vec<fix::Located> = fix::locate_all(&findings, &sources, false)
        .into_iter()
        .filter_map(|(_, located)| located.ok())
        .collect();
    let (taken, _) = fix::choose(ready);
    let mut edits: Vec<fix::TextEdit> = Vec::new();
    for edit in taken.into_iter().flat_map(|f| f.edits) {
        if !edits.contains(&edit) {
            edits.push(edit);
        }
    }
    workspace_edit(project, &sources, edits)
}

fn workspace_edit(
    project: &Project,
    sources: &Sources,
    edits: Vec<fix::TextEdit>,
) -> Option<WorkspaceEdit> {
    if edits.is_empty() {
        return None;
    }
    let mut by_file: BTreeMap<String, Vec<(Range<usize>, String)>> = BTreeMap::new();
    for edit in edits {
        by_file
            .entry(edit.file)
            .or_default()
            .push((edit.range, edit.with));
    }
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for (file, edits) in by_file {
        let text = sources.text(&file)?;
        let index = LineIndex::new(text);
        let uri = Url::from_file_path(project.absolute(&file)).ok()?;
        changes.insert(
            uri,
            edits
                .into_iter()
                .map(|(range, with)| TextEdit::new(index.range(&range), with))
                .collect(),
        );
    }
    Some(WorkspaceEdit::new(changes))
}

/// `// ibid-ignore: rule` on a line of its own above the finding's line
/// (or the rule added to such a comment already there), as
/// `audit::suppress` reads it. Only in Typst sources, where suppressions
/// are read.
fn suppression(
    project: &Project,
    text: &str,
    file: &str,
    finding: &Finding,
) -> Option<WorkspaceEdit> {
    if !file.ends_with(".typ") || finding.rule == Rule::UnusedSuppression {
        return None;
    }
    let span = finding.span.as_ref()?;
    let start = span.range.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let code = finding.rule.code();
    let index = LineIndex::new(text);
    let uri = Url::from_file_path(project.absolute(file)).ok()?;
    // The line above, when it is a suppression alone on its line.
    if line_start > 0 {
        let above_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let above = &text[above_start..line_start];
        if let [found] = suppress::parse(file, above).as_slice()
            && found.line == Some(2)
            && !found.codes.is_empty()
        {
            if found.codes.iter().any(|c| c == code) {
                return None;
            }
            let at = above_start + found.span.range.end;
            let edit = TextEdit::new(index.range(&(at..at)), format!(", {code}"));
            return Some(WorkspaceEdit::new(HashMap::from([(uri, vec![edit])])));
        }
    }
    let line = &text[line_start..];
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let edit = TextEdit::new(
        index.range(&(line_start..line_start)),
        format!("{indent}// ibid-ignore: {code}{newline}"),
    );
    Some(WorkspaceEdit::new(HashMap::from([(uri, vec![edit])])))
}
