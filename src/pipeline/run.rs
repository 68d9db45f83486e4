//! One run over a Typst project: the compile (unknown keys tolerated) and,
//! when the document compiled, its audit. `audit`, `review`, `fix`, `watch`
//! and the editor server each call [`run`] once per run and render what it
//! returns.

use std::time::{Duration, Instant};

use typst_layout::PagedDocument;

use super::{Analysis, PipelineError, Request, analyse};
use crate::audit::{Finding, Rule};
use crate::timings::Timings;
use crate::typeset::model::diagnostic_span;
use crate::typeset::tolerant::{self, Tolerant};
use crate::world::IbidWorld;

/// What one run made: the compile, and the audit when there was a document
/// to audit.
pub struct Run {
    pub compiled: Tolerant,
    /// How long the compile took.
    pub compiled_in: Duration,
    /// `None` when the document did not compile (Typst's errors are in
    /// `compiled`).
    pub analysis: Option<Analysis>,
}

/// Compiles `world`'s main file and audits what it made. With `strict`, an
/// unknown key is Typst's error (as `typst compile` has it) rather than a
/// placeholder and a finding.
pub fn run(
    world: &mut IbidWorld,
    strict: bool,
    request: Request,
    selected: impl Fn(Rule) -> bool,
    timings: &mut Timings,
) -> Result<Run, PipelineError> {
    let started = Instant::now();
    let compiled = tolerant::compile(world, strict);
    let compiled_in = started.elapsed();
    timings.record("compile", compiled_in);
    let analysis = match document_of(&compiled) {
        Some(document) => Some(analyse(
            world,
            document,
            &compiled.unknown_keys,
            request,
            selected,
            timings,
        )?),
        None => None,
    };
    Ok(Run {
        compiled,
        compiled_in,
        analysis,
    })
}

impl Run {
    /// The compiled document, when it compiled without error.
    pub fn document(&self) -> Option<&PagedDocument> {
        document_of(&self.compiled)
    }

    /// Typst's errors as findings of `compile-error`, each at its place, so
    /// that a report in any format says why there is nothing else.
    pub fn compile_errors(&self, world: &IbidWorld) -> Vec<Finding> {
        self.compiled
            .compiled
            .errors
            .iter()
            .map(|error| {
                let mut finding = Finding::new(Rule::CompileError, error.message.to_string())
                    .at(diagnostic_span(world, error.span).as_ref());
                if !error.hints.is_empty() {
                    let hints: Vec<&str> = error.hints.iter().map(|h| h.v.as_str()).collect();
                    finding = finding.hint(hints.join("; "));
                }
                finding
            })
            .collect()
    }
}

fn document_of(compiled: &Tolerant) -> Option<&PagedDocument> {
    let compiled = &compiled.compiled;
    compiled
        .document
        .as_ref()
        .filter(|_| !compiled.has_errors())
}
