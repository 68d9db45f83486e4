//! What the text utilities of every layer need to know of writing
//! systems: which characters join without spaces.

/// Whether `c` is a CJK ideograph or CJK punctuation, which join without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Lower case, diacritics removed, and the letters that do not decompose
/// spelled out (`ß` → `ss`, `ø` → `o`, `æ` → `ae`, `ł` → `l`, `ı` → `i`);
/// other characters kept. How the matcher and the registries' comparison
/// see names and titles.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            // The Kelvin sign and the like fold to their letters.
            c => out.extend(c.to_lowercase()),
        }
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::{fold, is_cjk};

    #[test]
    fn folding_drops_case_and_diacritics_and_spells_out_letters() {
        assert_eq!(
            fold("MÜLLER Łódź Straße Işık Ærø"),
            "muller lodz strasse isik aero"
        );
    }

    #[test]
    fn ideographs_kana_and_cjk_punctuation_join_without_spaces() {
        for c in ['墓', '碑', 'の', 'カ', '。', '，', '《', '𠀋'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'é', 'Я', ' ', '-', '한'] {
            assert!(!is_cjk(c), "{c}");
        }
    }
}
