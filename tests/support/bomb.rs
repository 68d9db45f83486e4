//! Decompression bombs for the package tests: a `.tar.gz` whose files are
//! megabytes of zeros, written straight as DEFLATE (fixed Huffman codes,
//! each match copying 258 zeros) so that building one costs little even in
//! a debug build, whatever the size it unpacks to. Readers that stop at a
//! size cap never reach the trailer, whose checksum is left zero.

#![allow(dead_code)]

/// Bits packed as DEFLATE packs them: least significant bit first.
struct Bits {
    bytes: Vec<u8>,
    filled: u8,
}

impl Bits {
    fn bit(&mut self, bit: u32) {
        if self.filled == 0 {
            self.bytes.push(0);
        }
        if bit & 1 == 1 {
            *self.bytes.last_mut().expect("a byte") |= 1 << self.filled;
        }
        self.filled = (self.filled + 1) % 8;
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.bit(code >> i);
        }
    }

    fn literal(&mut self, byte: u8) {
        match byte {
            0..=143 => self.code(0x30 + u32::from(byte), 8),
            _ => self.code(0x190 + u32::from(byte) - 144, 9),
        }
    }

    /// `n` zeros, after a zero byte: matches of 258 at distance 1, then
    /// literals.
    fn zeros(&mut self, mut n: u64) {
        while n >= 258 {
            self.code(0xC0 + 5, 8); // length code 285: 258 bytes
            self.code(0, 5); // distance code 0: 1 byte back
            n -= 258;
        }
        for _ in 0..n {
            self.literal(0);
        }
    }
}

/// A gzipped tar holding `files` (name, size), each all zeros.
pub fn tar_gz_of_zeros(files: &[(&str, u64)]) -> Vec<u8> {
    let mut bits = Bits {
        bytes: Vec::new(),
        filled: 0,
    };
    bits.bit(1); // the final block
    bits.bit(1); // fixed Huffman codes (BTYPE 01, least significant bit first)
    bits.bit(0);
    for (name, size) in files {
        let mut header = tar::Header::new_gnu();
        header.set_path(name).expect("a short name");
        header.set_size(*size);
        header.set_mode(0o644);
        header.set_cksum();
        for &byte in header.as_bytes() {
            bits.literal(byte);
        }
        // The header ends in zeros, so the copies have one to start from.
        let padded = size.div_ceil(512) * 512;
        bits.zeros(padded);
    }
    bits.literal(0);
    bits.zeros(1023);
    bits.code(0, 7); // end of block
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(bits.bytes);
    out.extend([0; 8]);
    out
}
