//! Splitting a thought into sentences, the scope in which an `unless` exception cancels a match.
//!
//! A sentence ends at `.`, `!`, `?`, `;` or `…` (runs of them count once, and closing quotes or
//! brackets stay with the sentence) when followed by white space or the end, and at every line
//! break. This is deliberately simple: thoughts are short, and a missed split only widens the scope
//! of an exception, which errs toward staying silent.

use std::ops::Range;

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | ')' | ']')
}

/// The byte ranges of the sentences in `text`, trimmed of surrounding white space; empty
/// sentences are left out.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = if c == '\n' || c == '\r' {
            Some((i, i + c.len_utf8()))
        } else if is_terminator(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                if is_terminator(next) || is_closer(next) {
                    end = j + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            match chars.peek() {
                None => Some((end, end)),
                Some(&(_, next)) if next.is_whitespace() => Some((end, end)),
                _ => None,
            }
        } else {
            None
        };
        if let Some((sentence_end, next_start)) = end {
            push_trimmed(text, start..sentence_end, &mut sentences);
            start = next_start;
        }
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if leading < slice.len() {
        out.push(range.start + leading..range.end - trailing);
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_terminators_followed_by_space() {
        assert_eq!(
            sentences("She left. I always ruin it!! Why?  Fine"),
            ["She left.", "I always ruin it!!", "Why?", "Fine"]
        );
    }

    #[test]
    fn keeps_decimals_closers_and_lines() {
        assert_eq!(sentences("It was 3.5 hours."), ["It was 3.5 hours."]);
        assert_eq!(
            sentences("He said \"never.\" Then"),
            ["He said \"never.\"", "Then"]
        );
        assert_eq!(sentences("one\ntwo\r\n"), ["one", "two"]);
        assert!(sentences("  ").is_empty());
    }

    #[test]
    fn handles_multibyte_text() {
        assert_eq!(sentences("Ça va… Non."), ["Ça va…", "Non."]);
    }
}
