//! What the text utilities of every layer need to know of writing
//! systems: which characters join without spaces.

/// Whether `c` is a CJK ideograph or CJK punctuation, which join without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::is_cjk;

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
