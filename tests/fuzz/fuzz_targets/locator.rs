//! The locator parser on any text: never a panic, and what parses renders
//! to text that parses again to the same pages.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(locator) = ibid::locator::parse(text) {
        let rendered = locator.to_string();
        let again = ibid::locator::parse(&rendered);
        if locator.parts.iter().all(|p| p.kind.is_page()) {
            // The property fails loudly: a rendering that no longer parses
            // is a failure, not a case to skip.
            let again = again.unwrap_or_else(|err| panic!("{text:?} → {rendered:?}: {err}"));
            let pages: Vec<_> = locator.page_ranges().collect();
            assert_eq!(pages, again.page_ranges().collect::<Vec<_>>(), "{text:?}");
        }
    }
});
