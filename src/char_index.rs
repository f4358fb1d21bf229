//! Character offsets for the byte offsets of one text, the `chars` half of every match's
//! [`Span`].
//!
//! Counting the characters before each match from the start of the thought costs the thought's
//! length for every match, so a line of a few megabytes with a match every few words took
//! minutes (6.4 MB: 29 s, most of it counting; issue 18). The index counts the text once, in
//! blocks, when the first offset is asked for, and each offset then costs at most one block.
//! Sorting the offsets and walking the text once would do as well, but every caller would have to
//! gather its offsets first.

use std::cell::OnceCell;
use std::ops::Range;

use crate::analysis::Span;

/// How many bytes each entry of the index covers: an offset counts at most this many bytes
/// after the index is built, and the index takes one `usize` for every this many bytes of text.
const BLOCK: usize = 256;

/// The character offsets of byte offsets in one text, counted once.
#[derive(Debug)]
pub(crate) struct CharIndex<'t> {
    text: &'t str,
    /// `None` for ASCII text, where the two offsets are the same; otherwise, for each block of
    /// [`BLOCK`] bytes, how many characters come before it. Built on the first lookup, so a
    /// thought without matches never pays for it.
    blocks: OnceCell<Option<Vec<usize>>>,
}

impl<'t> CharIndex<'t> {
    /// An index over `text`; nothing is counted yet.
    pub(crate) fn new(text: &'t str) -> CharIndex<'t> {
        CharIndex {
            text,
            blocks: OnceCell::new(),
        }
    }

    /// How many characters of the text come before byte `at`, a character boundary.
    pub(crate) fn chars_before(&self, at: usize) -> usize {
        let blocks = self.blocks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            (!bytes.is_ascii()).then(|| {
                let mut before = 0;
                let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
                blocks.push(0);
                for block in bytes.chunks_exact(BLOCK) {
                    before += count_chars(block);
                    blocks.push(before);
                }
                blocks
            })
        });
        match blocks {
            None => at,
            Some(blocks) => {
                let block = at / BLOCK;
                blocks[block] + count_chars(&self.text.as_bytes()[block * BLOCK..at])
            }
        }
    }

    /// The byte and character offsets of `bytes`, a range of the text.
    pub(crate) fn span(&self, bytes: &Range<usize>) -> Span {
        let start = self.chars_before(bytes.start);
        let end = if bytes.is_empty() {
            start
        } else {
            self.chars_before(bytes.end)
        };
        Span {
            bytes: bytes.clone(),
            chars: start..end,
        }
    }
}

/// How many characters start in `bytes`: every byte but UTF-8's continuation bytes
/// (`0b10xxxxxx`) starts one. A block boundary may fall inside a character; it is counted in the
/// block where it starts.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::{BLOCK, CharIndex};

    #[test]
    fn every_boundary_has_the_offset_counted_from_the_start() {
        // Characters of one to four bytes, so that block edges fall inside some of them.
        let text = "aé€😀 ".repeat(3 * BLOCK);
        let index = CharIndex::new(&text);
        for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(index.chars_before(at), text[..at].chars().count(), "{at}");
        }
    }

    #[test]
    fn ascii_offsets_are_the_byte_offsets() {
        let text = "I always fail. ".repeat(100);
        let index = CharIndex::new(&text);
        assert_eq!(index.chars_before(1000), 1000);
        assert!(index.blocks.get().is_some_and(Option::is_none));
        let span = index.span(&(15..29));
        assert_eq!((span.bytes, span.chars), (15..29, 15..29));
    }

    #[test]
    fn a_span_has_both_offsets() {
        let text = "Ça va… I always fail";
        let span = CharIndex::new(text).span(&(text.find("I").unwrap()..text.len()));
        assert_eq!(span.bytes, 10..23);
        assert_eq!(span.chars, 7..20);
    }
}
