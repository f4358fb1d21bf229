//! Reading thoughts one line at a time, in constant memory, without losing good lines to bad ones.
//!
//! Lines are read as bytes into one reused buffer, so a 1 GB input costs no more memory than its
//! longest line. A line that is not valid UTF-8 is handed to the caller with its number and its
//! bytes, which [`decode_lossy`] turns into text good enough for the crisis check; blank lines are
//! skipped silently but still counted, so line numbers match the file.

use std::io::{self, BufRead};

/// One item from the input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A non-blank line (its line terminator removed) and its 1-based number.
    Text {
        /// The 1-based line number.
        number: usize,
        /// The line, without `\n` or `\r\n`.
        text: &'a str,
    },
    /// A line that is not valid UTF-8.
    Invalid {
        /// The 1-based line number.
        number: usize,
        /// The line's bytes, without `\n` or `\r\n`.
        bytes: &'a [u8],
    },
}

/// Reads lines from any buffered reader.
#[derive(Debug)]
pub struct LineReader<R> {
    reader: R,
    buffer: Vec<u8>,
    number: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps `reader`.
    pub fn new(reader: R) -> Self {
        LineReader {
            reader,
            buffer: Vec::with_capacity(256),
            number: 0,
        }
    }

    /// The reader, to ask how much it holds.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The next non-blank or invalid line, or `None` at the end of the input.
    #[allow(clippy::should_implement_trait)] // It lends from its buffer, which `Iterator` cannot.
    pub fn next(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            self.buffer.clear();
            if self.reader.read_until(b'\n', &mut self.buffer)? == 0 {
                return Ok(None);
            }
            self.number += 1;
            let mut end = self.buffer.len();
            if self.buffer[..end].ends_with(b"\n") {
                end -= 1;
            }
            if self.buffer[..end].ends_with(b"\r") {
                end -= 1;
            }
            let number = self.number;
            match std::str::from_utf8(&self.buffer[..end]) {
                Ok(text) if text.trim().is_empty() => continue,
                // Borrow again outside the loop's reuse of the buffer.
                Ok(_) => {
                    let text = std::str::from_utf8(&self.buffer[..end]).expect("checked above");
                    return Ok(Some(Line::Text { number, text }));
                }
                Err(_) => {
                    return Ok(Some(Line::Invalid {
                        number,
                        bytes: &self.buffer[..end],
                    }));
                }
            }
        }
    }
}

/// What Windows-1252 puts at 0x80 to 0x9F, where Latin-1 has control characters; its five
/// undefined bytes become U+FFFD. Every other byte above 0x7F is the Latin-1 character of the same
/// number.
const WINDOWS_1252_HIGH: [char; 32] = [
    '€', '\u{fffd}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{fffd}', 'Ž',
    '\u{fffd}', '\u{fffd}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{fffd}',
    'ž', 'Ÿ',
];

/// Text for a line that is not valid UTF-8, good enough to check for crisis language: every run
/// of valid UTF-8 as it is, every other byte as Windows-1252.
///
/// Windows-1252 is the commonest source of such lines (a curly apostrophe saved by an old editor
/// is the byte 0x92), and its curly quotes are the ones the matcher already folds. Decoding the
/// whole line as Windows-1252 instead would turn the UTF-8 parts of a mostly UTF-8 line (an
/// apostrophe as E2 80 99, say) into letters that hide the words around them.
pub fn decode_lossy(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).expect("valid up to here"));
                // An incomplete sequence at the end has no `error_len`: decode all of it.
                let bad = error.error_len().unwrap_or(after.len());
                text.extend(after[..bad].iter().map(|&byte| windows_1252(byte)));
                rest = &after[bad..];
            }
        }
    }
    text
}

/// One byte as Windows-1252.
fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9f => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::{Line, LineReader, decode_lossy};

    #[test]
    fn numbers_lines_skips_blanks_and_reports_bad_bytes() {
        let input: &[u8] = b"first\r\n\n  \nbad \xff line\nlast";
        let mut reader = LineReader::new(input);
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Text {
                number: 1,
                text: "first"
            })
        );
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Invalid {
                number: 4,
                bytes: b"bad \xff line"
            })
        );
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Text {
                number: 5,
                text: "last"
            })
        );
        assert_eq!(reader.next().unwrap(), None);
    }

    #[test]
    fn a_line_in_another_encoding_decodes_as_windows_1252_around_its_utf8() {
        assert_eq!(
            decode_lossy(b"I don\x92t want to wake up"),
            "I don\u{2019}t want to wake up"
        );
        assert_eq!(
            decode_lossy(b"caf\xe9 \x80 \x81"),
            "caf\u{e9} \u{20ac} \u{fffd}"
        );
        // The UTF-8 apostrophe stays one character beside a stray byte.
        assert_eq!(
            decode_lossy(b"can\xe2\x80\x99t \xff"),
            "can\u{2019}t \u{ff}"
        );
        // A sequence cut off at the end is decoded byte by byte.
        assert_eq!(decode_lossy(b"end \xe2\x80"), "end \u{e2}\u{20ac}");
    }
}
