//! Reframes and questions that speak in the person's own words.
//!
//! A template is text with `{name}` holes filled from the pattern's named capture groups; `{{` and
//! `}}` stand for literal braces. Templates are parsed once, when rules load, so that a malformed
//! one is a rule error with a line number rather than a surprise in someone's output.

use std::borrow::Cow;

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Capture(String),
}

/// A reframe or question, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `source`, or says what is wrong with it.
    pub fn parse(source: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                            _ => {
                                return Err(
                                    "a `{` must open a capture name such as {goal}, closed by `}` (write `{{` for a brace)"
                                        .to_string(),
                                );
                            }
                        }
                    }
                    if name.is_empty() {
                        return Err("`{}` names no capture".to_string());
                    }
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Capture(name));
                }
                '}' => return Err("a lone `}` (write `}}` for a brace)".to_string()),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Template {
            source: source.to_string(),
            pieces,
        })
    }

    /// The template as written in the rule file.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The capture names the template uses, in order of appearance.
    pub fn captures(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Capture(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// Fills the holes using `lookup`; `None` when a capture it needs did not take part in the
    /// match (an optional group), so the caller can fall back to another template.
    pub fn fill<'v>(&self, lookup: impl Fn(&str) -> Option<&'v str>) -> Option<Cow<'_, str>> {
        match self.pieces.as_slice() {
            [] => Some(Cow::Borrowed("")),
            [Piece::Text(text)] => Some(Cow::Borrowed(text)),
            pieces => {
                let mut out = String::with_capacity(self.source.len() + 16);
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Capture(name) => out.push_str(lookup(name)?),
                    }
                }
                Some(Cow::Owned(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Template;

    #[test]
    fn fills_captures_and_keeps_escaped_braces() {
        let t = Template::parse("Not {goal} yet {{so far}}").unwrap();
        assert_eq!(t.captures().collect::<Vec<_>>(), ["goal"]);
        let filled = t.fill(|name| (name == "goal").then_some("good enough"));
        assert_eq!(filled.as_deref(), Some("Not good enough yet {so far}"));
    }

    #[test]
    fn a_missing_capture_gives_none() {
        let t = Template::parse("{who} left").unwrap();
        assert_eq!(t.fill(|_| None), None);
    }

    #[test]
    fn malformed_templates_are_rejected() {
        for bad in ["{", "{}", "a } b", "{two words}"] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
    }
}
