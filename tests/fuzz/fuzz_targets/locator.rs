//! The locator parser on any text: never a panic, and what parses renders
//! to text that parses again to the same pages.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(locator) = ibid::locator::parse(text) {
        let again = ibid::locator::parse(&locator.to_string());
        if locator.parts.iter().all(|p| p.kind.is_page()) {
            let pages: Vec<_> = locator.page_ranges().collect();
            if let Ok(again) = again {
                assert_eq!(pages, again.page_ranges().collect::<Vec<_>>(), "{text:?}");
            }
        }
    }
});
