//! Reading thoughts one line at a time, in constant memory, without losing good lines to bad ones.
//!
//! Lines are read as bytes into one reused buffer, so a 1 GB input costs no more memory than its
//! longest line. A line that is not valid UTF-8 is reported to the caller with its number and
//! skipped; blank lines are skipped silently but still counted, so line numbers match the file.

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
                Err(_) => return Ok(Some(Line::Invalid { number })),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Line, LineReader};

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
        assert_eq!(reader.next().unwrap(), Some(Line::Invalid { number: 4 }));
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Text {
                number: 5,
                text: "last"
            })
        );
        assert_eq!(reader.next().unwrap(), None);
    }
}
