//! The hand-typed citation reader on any footnote text, against a small
//! bibliography: no panic, and every excerpt it reports is text of the note.
#![no_main]

use std::sync::LazyLock;

use ibid::audit::matcher::{SourceIndex, match_prose};
use ibid::bibliography::{Bibliography, parse};
use libfuzzer_sys::fuzz_target;

static INDEX: LazyLock<SourceIndex> = LazyLock::new(|| {
    let yaml = "teiwes1999:\n  type: book\n  title: China's Road to Disaster\n  author: Teiwes, Frederick C.\n  date: 1999\nyang2008:\n  type: book\n  title: Mubei\n  author: { name: Yang, given-name: Jisheng }\n  date: 2008\n  parent: { type: original, title: 墓碑, author: { name: 杨, given-name: 继绳 } }\n";
    SourceIndex::new(&Bibliography::new(vec![], parse("refs.yaml", yaml).unwrap()))
});

fuzz_target!(|text: &str| {
    for found in match_prose(text, &["teiwes1999".to_string()], &INDEX) {
        assert!(text.contains(found.excerpt.as_str()), "{text:?} {found:?}");
    }
});
