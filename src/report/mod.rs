//! Renderers: each format in its own file, each writing to any `Write`.

pub mod snapshot;
