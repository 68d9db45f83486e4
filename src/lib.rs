//! ibid: a citation-verified academic document compiler. Typst, embedded as a
//! library, typesets the thesis; the document model extracted from the
//! compiled document feeds snapshots and the citation audit.

pub mod audit;
pub mod bibliography;
pub mod cli;
pub mod document;
pub mod fix;
pub mod fonts;
pub mod frames;
pub mod glyphs;
pub mod links;
pub mod locator;
pub mod manuscript;
pub mod output;
pub mod packages;
pub mod pipeline;
pub mod registries;
pub mod report;
pub mod review;
pub mod sandbox;
pub mod script;
pub mod sources;
pub mod spans;
pub mod timings;
pub mod tls;
pub mod typeset;
pub mod world;
