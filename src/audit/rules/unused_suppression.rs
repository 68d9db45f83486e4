//! `unused-suppression`: an `ibid-ignore` comment that silences nothing.
//! Not a check over the model: the edge reads the comments in the sources
//! and applies them (`audit::suppress`), and reports those that silenced
//! no finding, as ruff reports RUF100.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;

pub const UNUSED_SUPPRESSION: Definition = Definition {
    code: "unused-suppression",
    severity: Severity::Warning,
    family: Family::Suppressions,
    doc: RuleDoc {
        summary: "an `ibid-ignore` comment silences nothing",
        what: "Reports an `// ibid-ignore: rule` or `// ibid-ignore-file: rule` comment when no \
               finding of that rule is where it points (the next line, its own line, or the \
               file), and a code in it that names no rule.",
        why: "A suppression left behind after the note was fixed would silence the next, \
              different problem written there; a misspelt code silences nothing at all.",
        example: "// ibid-ignore: locator-plurl   // no such rule: did you mean `locator-plural`?",
    },
};
