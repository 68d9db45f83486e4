//! `compile-error`: the document does not compile. Not a check over the
//! model (there is none): the edge reports Typst's errors under this code,
//! so that a JSON or SARIF report always says why the audit could not run.

use super::{Definition, Family, RuleDoc};
use crate::audit::Severity;

pub const COMPILE_ERROR: Definition = Definition {
    code: "compile-error",
    severity: Severity::Error,
    family: Family::Compile,
    doc: RuleDoc {
        summary: "the document does not compile",
        what: "Reports each error Typst gives when compiling the document (a syntax error, an \
               unknown function, a file that cannot be read, a malformed bibliography), at its place. \
               No other rule runs until the document compiles.",
        why: "A report that is empty because nothing could be checked must not read as a clean \
              audit: CI reading the JSON or SARIF sees the errors instead.",
        example: "#let x = (   // error: unclosed delimiter",
    },
};
