//! Renderers: each format in its own file, each writing to any `Write`.

pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod snapshot;

use std::io::{self, Write};

use crate::audit::Finding;

/// `1 page`, `2 pages`: a count with its noun (English plurals in -s).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// An output format for audit findings.
pub trait Emitter {
    fn emit(&self, findings: &[Finding], out: &mut dyn Write) -> io::Result<()>;
}
