//! Reading thoughts one line at a time, in bounded memory, without losing good lines to bad ones.
//!
//! Lines are read as bytes into one reused buffer, so a 1 GB input costs no more memory than its
//! longest line, and a line longer than a limit costs no more than the limit: it is handed over
//! in pieces, for the crisis check alone, and never held whole (an input with no line break at
//! all, such as `/dev/zero`, is one endless line). A line that is not valid UTF-8 is handed to
//! the caller with its number and its bytes, which [`decode_lossy`] turns into text good enough
//! for the crisis check; blank lines are skipped silently but still counted, so line numbers
//! match the file.

use std::io::{self, BufRead};

/// The longest line, in bytes (its line break not counted), that a [`LineReader`] hands over
/// whole unless told otherwise: 1 MiB.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// How much of each piece of a long line is read again at the start of the next piece (or half
/// the limit, when that is less), so that words cut apart where one piece ends are whole in the
/// next. It is much longer than any crisis phrase; a sentence longer than this may lose an
/// exception written far from its words, and then errs toward answering with crisis resources.
const OVERLAP: usize = 4096;

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
    /// A piece of a line longer than the reader's limit. One piece follows another until the
    /// line ends or [`LineReader::skip_line`] is called. Each holds at most the limit, ends
    /// after white space where it can so that no word is cut in two, and begins with the end of
    /// the piece before it (4 KB, or half the limit if that is less, starting where a word
    /// begins), so every phrase shorter than that overlap is whole in some piece.
    TooLong {
        /// The 1-based line number.
        number: usize,
        /// The piece's bytes, which may not be valid UTF-8.
        bytes: &'a [u8],
        /// Whether this is the line's first piece.
        first: bool,
        /// Whether this is the line's last piece.
        last: bool,
    },
}

/// Where a [`LineReader`] stands in a line longer than its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Long {
    /// In none: the next call reads a new line.
    No,
    /// The next piece starts at `buffer[from..]`; `ended` when the line's last byte is already
    /// in the buffer.
    Next { from: usize, ended: bool },
    /// The rest of the line is to be read and thrown away.
    Skip,
}

/// How a read into the buffer stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At a `\n`, which was read and left out.
    Newline,
    /// At the end of the input.
    End,
    /// With the buffer at the limit plus one byte (room for a `\r` before a `\n`), and more of
    /// the line to come.
    Full,
}

/// Reads lines from any buffered reader.
#[derive(Debug)]
pub struct LineReader<R> {
    reader: R,
    buffer: Vec<u8>,
    number: usize,
    limit: usize,
    long: Long,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps `reader`, with lines of up to [`MAX_LINE_BYTES`].
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, MAX_LINE_BYTES)
    }

    /// Wraps `reader`; a line longer than `limit` bytes (at least 1), its line break not
    /// counted, comes in pieces as [`Line::TooLong`].
    pub fn with_limit(reader: R, limit: usize) -> Self {
        LineReader {
            reader,
            buffer: Vec::with_capacity(256),
            number: 0,
            limit: limit.max(1),
            long: Long::No,
        }
    }

    /// The reader, to ask how much it holds.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// Skips what is left of the long line whose piece was just read: the next call reads the
    /// line after it. Does nothing at other times.
    pub fn skip_line(&mut self) {
        if let Long::Next { ended, .. } = self.long {
            self.long = if ended { Long::No } else { Long::Skip };
        }
    }

    /// The next non-blank or invalid line, or piece of a long one, or `None` at the end of the
    /// input.
    #[allow(clippy::should_implement_trait)] // It lends from its buffer, which `Iterator` cannot.
    pub fn next(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            match self.long {
                Long::No => {}
                Long::Skip => {
                    self.long = Long::No;
                    self.discard_line()?;
                }
                Long::Next { from, mut ended } => {
                    self.buffer.drain(..from);
                    if !ended {
                        ended = self.fill()? != Stop::Full;
                    }
                    return Ok(Some(self.piece(false, ended)));
                }
            }
            self.buffer.clear();
            let stop = self.fill()?;
            if stop == Stop::End && self.buffer.is_empty() {
                return Ok(None);
            }
            self.number += 1;
            if stop == Stop::Full || self.buffer.len() > self.limit {
                return Ok(Some(self.piece(true, stop != Stop::Full)));
            }
            let number = self.number;
            match std::str::from_utf8(&self.buffer) {
                Ok(text) if text.trim().is_empty() => continue,
                // Borrow again outside the loop's reuse of the buffer.
                Ok(_) => {
                    let text = std::str::from_utf8(&self.buffer).expect("checked above");
                    return Ok(Some(Line::Text { number, text }));
                }
                Err(_) => {
                    return Ok(Some(Line::Invalid {
                        number,
                        bytes: &self.buffer,
                    }));
                }
            }
        }
    }

    /// Reads the line on into the buffer: up to and without its `\n`, or to the end of the
    /// input, or until the buffer holds the limit and one byte more. A line's final `\r` is
    /// dropped when it ends. The buffer grows only as far as that, never by doubling past it.
    fn fill(&mut self) -> io::Result<Stop> {
        let most = self.limit.saturating_add(1);
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            let room = most - self.buffer.len();
            // One byte past the room may be a `\n` after a `\r`, which is not counted.
            let near = &available[..available.len().min(room.saturating_add(1))];
            let (take, stop) = match memchr::memchr(b'\n', near) {
                Some(at) => (at, Some(Stop::Newline)),
                None if available.is_empty() => (0, Some(Stop::End)),
                None if room == 0 => (0, Some(Stop::Full)),
                None => (near.len().min(room), None),
            };
            grow(&mut self.buffer, take, most);
            self.buffer.extend_from_slice(&available[..take]);
            self.reader
                .consume(take + usize::from(stop == Some(Stop::Newline)));
            if let Some(stop) = stop {
                if stop != Stop::Full && self.buffer.last() == Some(&b'\r') {
                    self.buffer.pop();
                }
                return Ok(stop);
            }
        }
    }

    /// Reads and throws away the rest of the current line, through its `\n`.
    fn discard_line(&mut self) -> io::Result<()> {
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                return Ok(());
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(());
                }
                None => {
                    let len = available.len();
                    self.reader.consume(len);
                }
            }
        }
    }

    /// Hands over the next piece of the long line in the buffer (`ended` when the buffer holds
    /// all that is left of it), and notes where the piece after it starts.
    fn piece(&mut self, first: bool, ended: bool) -> Line<'_> {
        let number = self.number;
        if ended && self.buffer.len() <= self.limit {
            self.long = Long::No;
            return Line::TooLong {
                number,
                bytes: &self.buffer,
                first,
                last: true,
            };
        }
        let overlap = OVERLAP.min(self.limit / 2);
        let end = cut(&self.buffer, self.limit, overlap);
        // The next piece starts where a word begins in the last `overlap` bytes: after any byte
        // that is not part of an ASCII word (white space, but also the "." of ".kill myself"
        // glued to a URL), so that a phrase cut at `end` is whole in it and no `\b` appears
        // where there is none. Failing that (one word longer than the overlap), at the first
        // character there.
        let start = end.saturating_sub(overlap);
        let is_char_start = |at: usize| self.buffer[at] & 0b1100_0000 != 0b1000_0000;
        let from = (start..end)
            .find(|&at| {
                at > 0
                    && is_char_start(at)
                    && !(self.buffer[at - 1].is_ascii_alphanumeric() || self.buffer[at - 1] == b'_')
            })
            .or_else(|| (start..end).find(|&at| is_char_start(at)))
            .unwrap_or(end);
        self.long = Long::Next { from, ended };
        Line::TooLong {
            number,
            bytes: &self.buffer[..end],
            first,
            last: false,
        }
    }
}

/// Where a piece of `buffer`, which holds more than `limit` bytes, ends: after the last white
/// space in its final `overlap` bytes up to the limit, or else at the limit, moved back to the
/// start of a UTF-8 character if it falls inside one. Never 0.
fn cut(buffer: &[u8], limit: usize, overlap: usize) -> usize {
    if let Some(at) = (limit - overlap..limit)
        .rev()
        .find(|&at| is_space(buffer[at]))
    {
        return at + 1;
    }
    let mut end = limit;
    while end > 1 && buffer[end] & 0b1100_0000 == 0b1000_0000 {
        end -= 1;
    }
    end
}

/// Whether `byte` is ASCII white space, as the rules' `\s` sees it.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Makes room in `buffer` for `more` bytes, growing it as a `Vec` does but never past `most`
/// bytes in all, so that a line at the limit costs the limit and not up to twice as much.
fn grow(buffer: &mut Vec<u8>, more: usize, most: usize) {
    let needed = buffer.len() + more;
    if needed > buffer.capacity() {
        let capacity = (buffer.capacity() * 2).clamp(needed, most.max(needed));
        buffer.reserve_exact(capacity - buffer.len());
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
    use std::io::{BufReader, Read};

    use super::{Line, LineReader, decode_lossy};

    /// Every item of `input` read with `limit`, as (number, bytes, first, last); whole lines are
    /// one piece, first and last.
    fn pieces(input: &[u8], limit: usize) -> Vec<(usize, Vec<u8>, bool, bool)> {
        let mut reader = LineReader::with_limit(input, limit);
        let mut out = Vec::new();
        while let Some(line) = reader.next().unwrap() {
            out.push(match line {
                Line::Text { number, text } => (number, text.as_bytes().to_vec(), true, true),
                Line::Invalid { number, bytes } => (number, bytes.to_vec(), true, true),
                Line::TooLong {
                    number,
                    bytes,
                    first,
                    last,
                } => (number, bytes.to_vec(), first, last),
            });
        }
        out
    }

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
    fn a_line_at_the_limit_is_whole_and_a_longer_one_comes_in_pieces() {
        let input = b"0123456789\n0123456789\r\n0123456789a\r\nnext";
        let mut reader = LineReader::with_limit(&input[..], 10);
        for number in [1, 2] {
            assert_eq!(
                reader.next().unwrap(),
                Some(Line::Text {
                    number,
                    text: "0123456789"
                })
            );
        }
        let piece = |bytes, first, last| {
            Some(Line::TooLong {
                number: 3,
                bytes,
                first,
                last,
            })
        };
        assert_eq!(reader.next().unwrap(), piece(b"0123456789", true, false));
        // One word longer than the overlap: the next piece starts at the overlap's first byte.
        assert_eq!(reader.next().unwrap(), piece(b"56789a", false, true));
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Text {
                number: 4,
                text: "next"
            })
        );
        assert_eq!(reader.next().unwrap(), None);
    }

    #[test]
    fn the_pieces_of_a_long_line_cover_it_and_cut_no_word() {
        let words: Vec<String> = (0..300).map(|n| format!("w{n}")).collect();
        let line = words.join(" ");
        let input = format!("{line}\nnext\n");
        let read = pieces(input.as_bytes(), 64);
        let (next, long) = read.split_last().unwrap();
        assert_eq!(next, &(2, b"next".to_vec(), true, true));
        assert!(long.len() > 1_000 / 64, "{} pieces", long.len());
        let mut covered = 0;
        for (i, (number, bytes, first, last)) in long.iter().enumerate() {
            let piece = std::str::from_utf8(bytes).unwrap();
            assert_eq!((*number, *first, *last), (1, i == 0, i == long.len() - 1));
            assert!(bytes.len() <= 64, "{piece:?}");
            // Each piece starts at a word within the line read so far and goes on past it.
            let start = line.find(piece.trim_end()).unwrap();
            assert!(start <= covered, "a gap before {piece:?}");
            assert!(
                start == 0 || line.as_bytes()[start - 1] == b' ',
                "{piece:?}"
            );
            assert!(start + piece.len() > covered, "{piece:?}");
            covered = start + piece.len();
            if !*last {
                assert!(piece.ends_with(' '), "{piece:?}");
            }
        }
        assert_eq!(covered, line.len());
        // And so every word is whole in some piece.
        for word in &words {
            assert!(
                long.iter().any(|(_, bytes, ..)| {
                    std::str::from_utf8(bytes)
                        .unwrap()
                        .split(' ')
                        .any(|w| w == word)
                }),
                "{word}"
            );
        }
    }

    #[test]
    fn a_piece_without_white_space_ends_between_characters() {
        let line = "é".repeat(100);
        for limit in [2, 7, 11, 64] {
            let read = pieces(line.as_bytes(), limit);
            assert!(read.len() > 1, "{limit}");
            for (_, bytes, ..) in &read {
                assert!(std::str::from_utf8(bytes).is_ok(), "{limit}: {bytes:?}");
            }
            // Without a place where a word begins, a piece starts inside the one before (at a
            // whole character): together they cover the line, and more than once in places.
            let total: usize = read.iter().map(|(_, b, ..)| b.len()).sum();
            assert!(total >= line.len(), "{limit}");
            assert!(line.as_bytes().starts_with(&read[0].1), "{limit}");
            assert!(
                line.as_bytes().ends_with(&read.last().unwrap().1),
                "{limit}"
            );
        }
    }

    #[test]
    fn a_long_line_is_skipped_in_bounded_memory() {
        let limit = 1 << 20;
        let input = std::io::repeat(b'x')
            .take(20_000_000)
            .chain(&b"\nnext\n"[..]);
        let mut reader = LineReader::with_limit(BufReader::new(input), limit);
        match reader.next().unwrap() {
            Some(Line::TooLong {
                number: 1,
                bytes,
                first: true,
                last: false,
            }) => assert_eq!(bytes.len(), limit),
            other => panic!("{other:?}"),
        }
        reader.skip_line();
        assert_eq!(
            reader.next().unwrap(),
            Some(Line::Text {
                number: 2,
                text: "next"
            })
        );
        assert!(
            reader.buffer.capacity() <= limit + 1,
            "{}",
            reader.buffer.capacity()
        );
    }

    #[test]
    fn an_endless_line_comes_in_pieces_in_bounded_memory() {
        let limit = 10_000;
        let mut reader = LineReader::with_limit(BufReader::new(std::io::repeat(0)), limit);
        for n in 0..1_000 {
            match reader.next().unwrap() {
                Some(Line::TooLong {
                    number: 1,
                    bytes,
                    first,
                    last: false,
                }) => assert_eq!((bytes.len(), first), (limit, n == 0)),
                other => panic!("{other:?}"),
            }
        }
        assert!(
            reader.buffer.capacity() <= limit + 1,
            "{}",
            reader.buffer.capacity()
        );
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
