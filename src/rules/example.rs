//! Examples: the sentences a rule carries as its own tests.
//!
//! A `flag` example must be recognised; an `allow` example must stay silent. In a `flag` example a
//! pair of square brackets may mark the words that must be highlighted:
//! `"I'll [never be good enough]"`. The brackets are removed before the text is analysed.

use std::ops::Range;

/// Whether an example must be recognised or must stay silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The rule must recognise the example.
    Flag,
    /// The rule must not recognise the example.
    Allow,
}

/// One example, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The text to analyse, without span markers.
    pub text: String,
    /// The byte range in `text` that must be highlighted, if the example marks one.
    pub span: Option<Range<usize>>,
    /// Whether the example must be flagged or allowed.
    pub expect: Expect,
    /// The 1-based line of the example in its file.
    pub line: usize,
}

impl Example {
    /// Parses an example as written, taking out its span markers.
    pub fn parse(written: &str, expect: Expect, line: usize) -> Result<Example, String> {
        let opens = written.matches('[').count();
        let closes = written.matches(']').count();
        let (text, span) = match (opens, closes) {
            (0, 0) => (written.to_string(), None),
            (1, 1) => {
                let start = written.find('[').expect("counted");
                let close = written.find(']').expect("counted");
                // The marked words run from after `[` to before `]`, which moves one byte left
                // once `[` is taken out; a `]` first (even at the very start) is refused here.
                if close <= start + 1 {
                    return Err("`]` must come after `[` with words between them".to_string());
                }
                let end = close - 1;
                (
                    written.replacen('[', "", 1).replacen(']', "", 1),
                    Some(start..end),
                )
            }
            _ => {
                return Err("an example may mark one span, with one `[` and one `]`".to_string());
            }
        };
        if span.is_some() && expect == Expect::Allow {
            return Err("an `allow` example cannot mark a span".to_string());
        }
        if text.trim().is_empty() {
            return Err("an example must not be empty".to_string());
        }
        Ok(Example {
            text,
            span,
            expect,
            line,
        })
    }

    /// The marked words, if any.
    pub fn marked(&self) -> Option<&str> {
        self.span.clone().map(|span| &self.text[span])
    }
}

#[cfg(test)]
mod tests {
    use super::{Example, Expect};

    #[test]
    fn takes_out_span_markers() {
        let e = Example::parse("I'll [never be good enough]", Expect::Flag, 3).unwrap();
        assert_eq!(e.text, "I'll never be good enough");
        assert_eq!(e.marked(), Some("never be good enough"));
    }

    #[test]
    fn rejects_bad_markers() {
        for bad in [
            "a [b",
            "a ]b[ c",
            "]I hate tuesdays[",
            "][",
            "[a] [b]",
            "[]",
            "   ",
        ] {
            assert!(Example::parse(bad, Expect::Flag, 1).is_err(), "{bad}");
        }
        assert!(Example::parse("[a]", Expect::Allow, 1).is_err());
    }
}
