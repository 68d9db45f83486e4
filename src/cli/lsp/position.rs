//! Byte offsets into a text and the protocol's positions: a line and a
//! character counted in UTF-16 code units (the encoding every client
//! supports). Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol
//! says.

use std::ops::Range;

use lsp_types::Position;

/// Where each line of a text starts.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends {
                starts.push(i + 1);
            }
        }
        Self { text, starts }
    }

    /// The position of a byte offset; an offset inside a character counts
    /// from that character's start, one past the text is its end.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position; a character past the line's end is
    /// the line's end, a line past the text is the text's end.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let content = line.trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in content.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + content.len()
    }

    pub fn range(&self, range: &Range<usize>) -> lsp_types::Range {
        lsp_types::Range::new(self.position(range.start), self.position(range.end))
    }

    pub fn byte_range(&self, range: lsp_types::Range) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_offsets_are_characters() {
        let index = LineIndex::new("ab\ncd");
        assert_eq!(index.position(0), Position::new(0, 0));
        assert_eq!(index.position(2), Position::new(0, 2));
        assert_eq!(index.position(3), Position::new(1, 0));
        assert_eq!(index.position(5), Position::new(1, 2));
        assert_eq!(index.offset(Position::new(1, 1)), 4);
    }

    #[test]
    fn chinese_counts_one_unit_and_an_emoji_two() {
        // 大 and 跃 are 3 bytes and one UTF-16 unit each; 🎉 is 4 bytes and
        // a surrogate pair.
        let text = "x\n大跃🎉 @key";
        let index = LineIndex::new(text);
        let at = text.find('@').unwrap();
        assert_eq!(at, 2 + 3 + 3 + 4 + 1);
        assert_eq!(index.position(at), Position::new(1, 5));
        assert_eq!(index.offset(Position::new(1, 5)), at);
        // After the emoji's pair.
        assert_eq!(index.position(2 + 6 + 4), Position::new(1, 4));
        assert_eq!(index.offset(Position::new(1, 4)), 2 + 6 + 4);
    }

    #[test]
    fn an_offset_inside_a_character_is_its_start() {
        let text = "é🎉";
        let index = LineIndex::new(text);
        assert_eq!(index.position(1), Position::new(0, 0));
        assert_eq!(index.position(3), Position::new(0, 1));
        assert_eq!(index.position(100), Position::new(0, 3));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(3), Position::new(1, 0));
        assert_eq!(index.position(5), Position::new(2, 0));
        // A character past the end of a line stops before its line break.
        assert_eq!(index.offset(Position::new(0, 9)), 1);
        assert_eq!(index.offset(Position::new(7, 0)), text.len());
    }

    #[test]
    fn a_range_round_trips() {
        let text = "杨继绳：《墓碑》\n第387页 😀 end";
        let index = LineIndex::new(text);
        let start = text.find('第').unwrap();
        let end = text.find(" end").unwrap();
        let range = index.range(&(start..end));
        assert_eq!(range.start, Position::new(1, 0));
        assert_eq!(range.end, Position::new(1, 8));
        assert_eq!(index.byte_range(range), start..end);
    }
}
