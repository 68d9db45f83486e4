//! Font discovery: the CJK subset shipped in `fonts/`, `--font-path`
//! directories, Typst's embedded fonts and the system's fonts, in that order.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::{self, FontStore};

/// The Noto Serif CJK SC subsets shipped in `fonts/` (OFL-1.1), compiled into
/// the binary so that Chinese renders on a machine without any CJK font.
/// `fonts/subset.py` regenerates them from the characters the project uses.
const SHIPPED: &[&[u8]] = &[
    include_bytes!("../fonts/NotoSerifCJKsc-Regular-subset.otf"),
    include_bytes!("../fonts/NotoSerifCJKsc-Bold-subset.otf"),
];

/// Where to look for fonts.
#[derive(Debug, Clone, Default)]
pub struct FontConfig {
    /// Extra directories, searched recursively (`--font-path`, `TYPST_FONT_PATHS`).
    pub font_paths: Vec<PathBuf>,
    /// Leave out the fonts installed on the system.
    pub ignore_system_fonts: bool,
}

/// Discovers fonts as configured. The shipped fonts come first, so the
/// document looks the same on every machine; the system's come last and only
/// fill in characters nothing else covers.
pub fn discover(config: &FontConfig) -> FontStore {
    let mut store = FontStore::new();
    store.extend(shipped());
    for path in &config.font_paths {
        store.extend(fonts::scan(path));
    }
    store.extend(fonts::embedded());
    if !config.ignore_system_fonts {
        store.extend(fonts::system());
    }
    store
}

fn shipped() -> impl Iterator<Item = (Font, typst::text::FontInfo)> {
    SHIPPED.iter().flat_map(|data| {
        Font::iter(Bytes::new(*data)).map(|font| {
            let info = font.info().clone();
            (font, info)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fonts_cover_the_thesis_title_characters() {
        let store = discover(&FontConfig {
            ignore_system_fonts: true,
            ..Default::default()
        });
        let book = store.book();
        let family: Vec<_> = book.select_family("noto serif cjk sc").collect();
        assert_eq!(family.len(), 2, "regular and bold are shipped");
        for c in "大跃进墓碑提要".chars() {
            let index = family[0];
            let info = book.info(index).unwrap();
            assert!(info.coverage.contains(c as u32), "{c} is not covered");
        }
    }
}
