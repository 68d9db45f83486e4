//! `ibid lsp`: the audit inside the author's editor, as a second language
//! server beside tinymist. This layer only translates (rust-analyzer's
//! split): the project is opened and audited by the library's pipeline
//! ([`project`]); findings become diagnostics ([`diagnostics`]), their
//! fixes code actions ([`actions`]), citations lead to their entries
//! ([`navigate`]). The main loop is synchronous, on lsp-server's
//! connection: edits are coalesced and audited after a pause in typing,
//! open and save audit at once and start the link checks, which run on a
//! thread of their own ([`links`]) and are merged in when they come back.
//!
//! Positions are UTF-16 ([`position`]); only `.typ`, `.yml`/`.yaml`,
//! `.bib` and `ibid.toml` documents are looked at, and no file outside
//! the project root is ever read.

mod actions;
mod diagnostics;
mod links;
mod navigate;
pub mod position;
mod project;
mod registries;
mod server;
mod transport;

use crate::cli::args::LspArgs;
use crate::cli::{CliError, Exit};

/// Runs the server over standard input and output until the client says
/// `exit` (exit code 0 after `shutdown`, 1 without) or closes its end.
pub fn run(args: &LspArgs) -> Result<Exit, CliError> {
    let (connection, threads) = transport::stdio();
    let exit = server::serve(&connection, args);
    drop(connection);
    threads.join();
    Ok(exit)
}
