//! The Typst edge: compile the document (`compile`, or `tolerant::compile`,
//! which does not stop at unknown citation keys), export it to PDF (`pdf`),
//! and print Typst's diagnostics (`diagnostics`). Writing the PDF is
//! `crate::output`'s.

pub mod declared;
pub mod diagnostics;
pub mod model;
mod numbers;
pub mod pdf;
pub mod tolerant;

use typst::diag::{SourceDiagnostic, Warned};
use typst::syntax::Span;
use typst_layout::PagedDocument;

use crate::glyphs;
use crate::world::IbidWorld;

pub use model::{ExtractError, extract};
pub use pdf::{PdfConfig, pdf};

/// The outcome of a compile: the document if there were no errors, and
/// every diagnostic Typst and ibid produced, errors first.
pub struct Compiled {
    pub document: Option<PagedDocument>,
    pub errors: Vec<SourceDiagnostic>,
    pub warnings: Vec<SourceDiagnostic>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Compiles the world's main file and checks the layout for missing glyphs,
/// which become warnings, or errors when `strict`.
pub fn compile(world: &IbidWorld, strict: bool) -> Compiled {
    // Typst reports a main file it cannot read without saying which file it
    // is; say it here.
    if let Err(err) = typst::World::source(world, typst::World::main(world)) {
        let name = world.relative_name(typst::World::main(world));
        return Compiled {
            document: None,
            errors: vec![
                SourceDiagnostic::error(Span::detached(), format!("{name}: {err}"))
                    .with_hint(format!("{name} must be a Typst source file saved as UTF-8")),
            ],
            warnings: Vec::new(),
        };
    }
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let mut compiled = Compiled {
        document: None,
        errors: Vec::new(),
        warnings: warnings.to_vec(),
    };
    match output {
        Ok(document) => {
            for missing in glyphs::find(&document) {
                let diagnostic = missing.to_diagnostic(world, strict);
                if strict {
                    compiled.errors.push(diagnostic);
                } else {
                    compiled.warnings.push(diagnostic);
                }
            }
            compiled.document = Some(document);
        }
        Err(errors) => compiled.errors = errors.to_vec(),
    }
    compiled
}
