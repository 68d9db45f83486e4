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

    /// `--font-path` folders are searched in the order given, after the
    /// shipped fonts and before Typst's embedded ones.
    #[test]
    fn font_paths_come_in_order_between_the_shipped_and_the_embedded_fonts() {
        use typst_kit::fonts::FontPath;
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let regular = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSerifCJKsc-Regular-subset.otf"
        );
        for dir in &dirs {
            std::fs::copy(regular, dir.path().join("font.otf")).unwrap();
        }
        let store = discover(&FontConfig {
            font_paths: dirs.iter().map(|d| d.path().to_path_buf()).collect(),
            ignore_system_fonts: true,
        });
        let origin = |index: usize| -> Option<std::path::PathBuf> {
            let source: &dyn std::any::Any = store.source(index)?;
            source.downcast_ref::<FontPath>().map(|p| p.path.clone())
        };
        let count = store
            .book()
            .families()
            .map(|(_, infos)| infos.count())
            .sum::<usize>();
        let order: Vec<Option<std::path::PathBuf>> = (0..count).map(origin).collect();
        // Two shipped (in memory), then one file from each folder in order,
        // then the embedded fonts (in memory).
        assert_eq!(order[0], None);
        assert_eq!(order[1], None);
        assert_eq!(order[2], Some(dirs[0].path().join("font.otf")));
        assert_eq!(order[3], Some(dirs[1].path().join("font.otf")));
        assert!(order[4..].iter().all(Option::is_none), "{order:?}");
        assert!(count > 4, "the embedded fonts follow");
    }
}
