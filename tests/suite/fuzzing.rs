//! The fuzz targets' properties (`tests/fuzz/`, run with cargo-fuzz on a
//! nightly toolchain) on a seeded corpus in every `cargo test`: locator-like
//! text built from the label table's words, numbers, dashes and separators,
//! and byte noise. What parses as pages renders to text that parses again to
//! the same pages; nothing panics.
//!
//! `IBID_FUZZ_SECONDS=N` goes on past the seeded corpus with fresh seeds
//! (printed, so a failure reproduces) for about N seconds per target: the
//! short fuzz run `.ci/run` makes on the stable toolchain.

/// The extra time each target is fuzzed for, and the seed it starts from.
fn extended() -> Option<(std::time::Instant, u64)> {
    let seconds: u64 = std::env::var("IBID_FUZZ_SECONDS").ok()?.parse().ok()?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("fuzzing for {seconds} s from seed {seed:#x}");
    Some((
        std::time::Instant::now() + std::time::Duration::from_secs(seconds),
        seed,
    ))
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const LABELS: &[&str] = &[
    "p.", "pp.", "pag.", "pagg.", "S.", "s.", "§", "§§", "Rn.", "chap.", "vol.", "fol.", "n.",
    "ll.", "para.", "Abs.", "Art.", "",
];
const NUMBERS: &[&str] = &[
    "5", "12", "123", "211", "1958", "xii", "iv", "XL", "99999", "12a", "3.2",
];
// `passim` and `f.`/`ff.`/`et seq.` followed by more items were once left
// out: `1958 passim, XL` and `12 ff., iv ff.` rendered as text that did not
// parse again (a separator after them read as a hole in the list).
const JOINS: &[&str] = &[
    "-",
    "–",
    "—",
    "--",
    ", ",
    "; ",
    " and ",
    " ",
    "",
    " ff., ",
    " f. ",
    " et seq. ",
    " passim, ",
    " passim",
    "ff.",
];

fn locator_like(random: &mut Seeded) -> String {
    let mut text = String::new();
    for _ in 0..=(random.next() % 4) {
        text.push_str(random.pick(LABELS));
        if random.next().is_multiple_of(2) {
            text.push(' ');
        }
        text.push_str(random.pick(NUMBERS));
        text.push_str(random.pick(JOINS));
        if random.next().is_multiple_of(3) {
            text.push_str(random.pick(NUMBERS));
        }
    }
    text
}

/// Whether `text` is a page locator that renders to text parsing to the
/// same pages (panics, naming both, when it does not).
fn round_trips(text: &str) -> bool {
    let Ok(locator) = ibid::locator::parse(text) else {
        return false;
    };
    if !locator.parts.iter().all(|p| p.kind.is_page()) {
        return false;
    }
    let rendered = locator.to_string();
    let again = ibid::locator::parse(&rendered)
        .unwrap_or_else(|err| panic!("{text:?} renders as {rendered:?}, which fails: {err}"));
    assert_eq!(
        locator.page_ranges().collect::<Vec<_>>(),
        again.page_ranges().collect::<Vec<_>>(),
        "{text:?} → {rendered:?}"
    );
    true
}

#[test]
fn parsed_page_locators_render_to_text_that_parses_to_the_same_pages() {
    let mut random = Seeded(0x9E37_79B9_7F4A_7C15);
    let pages_checked = (0..20_000)
        .filter(|_| round_trips(&locator_like(&mut random)))
        .count();
    // The corpus is worth something: over a thousand read as pages.
    assert!(pages_checked > 1_000, "{pages_checked}");
    if let Some((until, seed)) = extended() {
        let mut random = Seeded(seed);
        while std::time::Instant::now() < until {
            round_trips(&locator_like(&mut random));
        }
    }
}

/// Noise through the parsers of untrusted text: nothing may panic.
fn noise(random: &mut Seeded) {
    let len = (random.next() % 64) as usize;
    let bytes: Vec<u8> = (0..len).map(|_| (random.next() % 256) as u8).collect();
    let text = String::from_utf8_lossy(&bytes);
    let _ = ibid::locator::parse(&text);
    let _ = ibid::bibliography::parse("noise.yaml", &text);
    let _ = ibid::bibliography::parse("noise.bib", &text);
    let _ = ibid::sources::find::words(&text);
    let _ = ibid::sources::file_field(&text);
    // A quotation of noise, with the editorial marks the search reads
    // (`[`, `]`, `…`), looked up in a source of noise.
    let marks = ["[", "]", "…", "...", "[…]", "[sic]", " ", "ﬁ", "-\n", "大"];
    let quotation: String = (0..(random.next() % 12))
        .map(|_| {
            let word = marks[(random.next() % marks.len() as u64) as usize];
            format!("{word}{}", (b'a' + (random.next() % 7) as u8) as char)
        })
        .collect();
    let pages = [text.as_ref(), quotation.as_str()];
    let tokens = ibid::sources::Tokens::new(&pages);
    let _ = tokens.search(&quotation, &[0], &pages);
    let _ = tokens.search(&text, &[1], &pages);
}

#[test]
fn byte_noise_never_panics_the_locator_parser_or_the_bibliography_guard() {
    let mut random = Seeded(0xD1B5_4A32_D192_ED03);
    for _ in 0..5_000 {
        noise(&mut random);
    }
    if let Some((until, seed)) = extended() {
        let mut random = Seeded(seed ^ 0xD1B5_4A32_D192_ED03);
        while std::time::Instant::now() < until {
            noise(&mut random);
        }
    }
}
