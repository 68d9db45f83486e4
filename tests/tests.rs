//! ibid's integration tests. Where each kind of test goes:
//!
//! - `suite/build.rs`: `ibid build` end to end (the binary): exit codes,
//!   atomic output, reproducible bytes, missing glyphs, the PDF/A path.
//! - `suite/sandbox.rs`: the project root sandbox (`..`, absolute paths,
//!   symbolic links leading out of the root).
//! - `suite/snapshot.rs`: the document model of the fixtures, as insta
//!   snapshots of `ibid snapshot` (text and JSON).
//! - `suite/thesis.rs`: the real thesis, its transcription pinned footnote by
//!   footnote against the manuscript, and its snapshot.
//! - `suite/audit.rs`: `ibid audit`, a fixture per rule with human and JSON
//!   report snapshots, the manuscript's hand-typed footnotes, SARIF.
//! - `suite/links.rs`: link checking against `support/server.rs`, a server on
//!   127.0.0.1 (tests never touch the internet).
//! - `suite/options.rs`: options README documents, given on the command line
//!   or in the environment and seen to take effect.
//! - `suite/projects.rs`: real projects in miniature (a technical thesis, a
//!   law paper, an essay on a shared library), whole reports snapshotted.
//! - `suite/manuscripts.rs` (+ `manuscripts/`): the DOCX and PDF front ends
//!   on their fixtures, and the thesis audited as a Word document and a PDF.
//! - `suite/registries.rs`: the bibliography against loopback registries.
//! - `suite/sources.rs`: quotations against the cited works' files (books
//!   typeset by ibid, an EPUB, HTML, plain text, hostile sources, the review's
//!   evidence, paraphrases).
//! - `suite/lsp.rs`: `ibid lsp` spoken to over JSON-RPC.
//! - `suite/editors.rs`: the pre-commit hook run as pre-commit runs it, the
//!   editor configurations read by their formats' parsers, the VS Code
//!   extension under Node.
//! - `suite/readme.rs`: README's tables and examples against the binary.
//! - `suite/library.rs`: the run API as a library: one world audited, a file
//!   changed, audited again (compiles counted).
//! - `suite/bad_inputs.rs`: the bad-input corpus (`tests/bad-inputs/`), each
//!   case with its own expectation.
//! - `suite/ci.rs`: suppressions, baselines, `--fail-on`, GitHub and Markdown.
//! - `suite/conventions.rs`: the conventions corpus (`tests/conventions/`).
//! - `suite/fix.rs`: `ibid fix`, a fixture per kind of fix, idempotence.
//! - `suite/fuzzing.rs`: the fuzz targets' properties on a seeded corpus.
//! - `suite/packages.rs`: Typst packages from the cache, the local folder and
//!   a loopback registry.
//! - `suite/review.rs`: the annotated PDF and the HTML report in Chromium.
//! - `suite/watch.rs`: `ibid watch` answering edits.
//! - `suite/env.rs`, `support/`: the test environment, loopback servers,
//!   archive bombs.
//!
//! Fixtures live in `tests/fixtures/<case>/`, snapshots in `tests/snapshots/`.
//! Unit tests sit beside the code they test, in `src/`.

mod suite;
mod support;
