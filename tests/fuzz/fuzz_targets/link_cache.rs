//! The link cache reader on any bytes: no panic, and no overflow in the age
//! arithmetic whatever the times in the file.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&[u8], i64, u64)| {
    let (bytes, now, age) = input;
    let _ = ibid::links::cache::lookup(bytes, "http://a/", Duration::from_secs(age), now);
});
