//! PDF front end of ibid: reads a thesis PDF (text with positions, page
//! labels, footnotes, markers, links) into the manuscript model.

mod catalog;
mod device;
mod error;
mod layout;
mod lines;
mod read;
mod text;

pub use error::{Limits, PdfError};
pub use read::{PageLines, page_lines, read_pdf};
