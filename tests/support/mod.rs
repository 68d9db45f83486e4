//! Support shared by the tests and the benchmarks.

pub mod bomb;
pub mod server;
