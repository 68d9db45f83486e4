//! `ibid snapshot`: the document model as deterministic text or JSON.

use std::io::Write;

use crate::report;
use crate::typeset;

use super::args::{SnapshotArgs, SnapshotFormat};
use super::{CliError, Exit, config, print_diagnostics};

pub fn snapshot(args: &SnapshotArgs) -> Result<Exit, CliError> {
    if let Some(path) = args
        .input
        .as_deref()
        .filter(|p| super::manuscript::is_manuscript(Some(p)))
    {
        return super::manuscript::snapshot(args, path);
    }
    let world = config::world(args.input.as_deref(), &args.world)?;
    let compiled = typeset::compile(&world, false);
    print_diagnostics(
        &world,
        &compiled.errors,
        &compiled.warnings,
        args.diagnostics.diagnostic_format,
    )?;
    let Some(doc) = compiled
        .document
        .as_ref()
        .filter(|_| !compiled.has_errors())
    else {
        return Ok(Exit::Failure);
    };
    let model = crate::typeset::extract(&world, doc)?;
    // What each note turned out to be, read against the bibliography.
    let files = crate::typeset::tolerant::bibliography_files(doc);
    let bibliography = crate::bibliography::Bibliography::load(&|p| world.read_text(p), &files)?;
    let outcomes = crate::audit::AuditInput::new(&model, &bibliography, &[]).note_outcomes();
    let mut out = std::io::stdout().lock();
    match args.format {
        SnapshotFormat::Text => report::snapshot::text(&model, &outcomes, &mut out),
        SnapshotFormat::Json => report::snapshot::json(&model, &outcomes, &mut out),
    }
    .and_then(|()| out.flush())
    .map_err(CliError::Stdout)?;
    Ok(Exit::Success)
}
