//! The bibliography guards, then the readers they protect: whatever a file
//! holds, the guard either refuses it or the reader returns (no stack
//! overflow, no runaway memory).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = ibid::bibliography::parse("refs.bib", text);
    let _ = ibid::bibliography::parse("refs.yaml", text);
});
