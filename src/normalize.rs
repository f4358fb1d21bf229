//! The form of a thought that patterns are matched against.
//!
//! Patterns are simpler and much cheaper to compile when they need not spell out every variant
//! people type, so the engine matches a normalized copy: ASCII letters lowercased, every kind of
//! apostrophe (`‘ ’ ʼ ′ ´ \``) turned into `'`, and every kind of white space into a plain space.
//! Spans found in the copy are mapped back to the original through a byte-offset table, which is
//! built only for text that is not plain ASCII; for ASCII text the offsets are the same.

use std::borrow::Cow;
use std::ops::Range;

/// Characters treated as an apostrophe.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’' | 'ʼ' | '′' | '´' | '`')
}

/// A normalized thought and the way back to the original's offsets.
#[derive(Debug, Clone)]
pub struct Normalized<'t> {
    text: Cow<'t, str>,
    /// For each byte of `text` (and one past the end), the original byte offset; `None` when the
    /// offsets are the same.
    map: Option<Vec<usize>>,
}

impl<'t> Normalized<'t> {
    /// Normalizes `original`.
    pub fn new(original: &'t str) -> Normalized<'t> {
        if original.is_ascii() {
            let needs_change = original.bytes().any(|b| {
                b.is_ascii_uppercase() || b == b'`' || (b.is_ascii_whitespace() && b != b' ')
            });
            if !needs_change {
                return Normalized {
                    text: Cow::Borrowed(original),
                    map: None,
                };
            }
            // Same length, byte for byte: no map needed.
            let text = original
                .bytes()
                .map(|b| match b {
                    b'`' => '\'',
                    b if b.is_ascii_whitespace() => ' ',
                    b => b.to_ascii_lowercase() as char,
                })
                .collect();
            return Normalized {
                text: Cow::Owned(text),
                map: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            let replacement = if is_apostrophe(c) {
                '\''
            } else if c.is_whitespace() {
                ' '
            } else {
                c.to_ascii_lowercase()
            };
            let before = text.len();
            text.push(replacement);
            map.extend(std::iter::repeat_n(at, text.len() - before));
        }
        map.push(original.len());
        Normalized {
            text: Cow::Owned(text),
            map: Some(map),
        }
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte range of a range of the normalized text.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        match &self.map {
            None => range,
            Some(map) => map[range.start]..map[range.end],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Normalized;

    #[test]
    fn ascii_keeps_its_offsets() {
        let n = Normalized::new("I'M\tFine");
        assert_eq!(n.as_str(), "i'm fine");
        assert_eq!(n.original(4..8), 4..8);
    }

    #[test]
    fn apostrophes_and_spaces_are_unified_and_spans_map_back() {
        let original = "Ça, I’ll\u{a0}NEVER";
        let n = Normalized::new(original);
        assert_eq!(n.as_str(), "Ça, i'll never");
        let start = n.as_str().find("i'll").unwrap();
        let span = n.original(start..n.as_str().len());
        assert_eq!(&original[span], "I’ll\u{a0}NEVER");
    }

    #[test]
    fn plain_lowercase_ascii_is_borrowed() {
        assert!(matches!(
            Normalized::new("i am ok").text,
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
