//! Named word lists in expressions: `{self}` in a `match` or `unless` expression stands for the
//! words of the list named `self`, as `(?:I|I'm|...)`.
//!
//! Lists are defined once, in a file named `words.toml` (the built-in one is
//! `rules/words.toml`), and expanded when rules load, before the dialect's rewrites
//! (`super::syntax::prepare`), so a list's words are written in the same dialect as the
//! expressions that use them. A reference is `{` then a name that starts with a letter, then `}`;
//! `{2}` and `{0,5}` stay repetitions, and `\{` and braces inside a character class are left
//! alone.
//!
//! This file is shared with `build.rs`, which expands the built-in rules the same way before
//! compiling them ahead of time, so it uses nothing but the standard library.

use std::borrow::Cow;
use std::ops::Range;

/// The name of the file that holds word lists, in the built-in rules and in a rule directory.
pub const WORDS_FILE: &str = "words.toml";

/// Each reference to a word list in `source`: the span of `{name}` and the name.
pub fn references(source: &str) -> Vec<(Range<usize>, &str)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    // Depth of character-class nesting, and whether a class just opened (where `]` is literal),
    // as `syntax::prepare` tracks them.
    let mut class_depth = 0usize;
    let mut class_just_opened = false;
    let mut i = 0;
    while i < bytes.len() {
        let opened = class_just_opened;
        class_just_opened = false;
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => {
                class_depth += 1;
                class_just_opened = true;
                if bytes.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
            }
            b']' if class_depth > 0 && !opened => class_depth -= 1,
            b'{' if class_depth == 0 => {
                let name_len = name_at(&bytes[i + 1..]);
                if name_len > 0 && bytes.get(i + 1 + name_len) == Some(&b'}') {
                    let end = i + 2 + name_len;
                    found.push((i..end, &source[i + 1..end - 1]));
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The length of the list name `bytes` starts with: a lower-case letter, then lower-case
/// letters, digits and hyphens; 0 if it does not start with one.
fn name_at(bytes: &[u8]) -> usize {
    if !bytes.first().is_some_and(u8::is_ascii_lowercase) {
        return 0;
    }
    bytes
        .iter()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-')
        .count()
}

/// `source` with every reference replaced by what `lookup` gives for its name (the list's
/// expanded alternation), or the first name `lookup` does not know.
pub fn expand<'s, 'l>(
    source: &'s str,
    lookup: impl Fn(&str) -> Option<&'l str>,
) -> Result<Cow<'s, str>, String> {
    let found = references(source);
    if found.is_empty() {
        return Ok(Cow::Borrowed(source));
    }
    let mut out = String::with_capacity(source.len() + 64);
    let mut from = 0;
    for (span, name) in found {
        let words = lookup(name).ok_or_else(|| name.to_string())?;
        out.push_str(&source[from..span.start]);
        out.push_str(words);
        from = span.end;
    }
    out.push_str(&source[from..]);
    Ok(Cow::Owned(out))
}

/// The alternation a list's (already expanded) words stand for: `(?:a|b|c)`.
pub fn alternation<S: AsRef<str>>(words: &[S]) -> String {
    let mut out = String::from("(?:");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(word.as_ref());
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: &str) -> Vec<&str> {
        references(source).into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn finds_names_but_not_repetitions_escapes_or_classes() {
        assert_eq!(
            names(r"\b{self}\s+(?:\w+\s+){0,3}{negative-outcome}{2}"),
            ["self", "negative-outcome"]
        );
        assert!(names(r"\{self}").is_empty());
        assert!(names(r"[{self}]").is_empty());
        assert!(names(r"[]{]x").is_empty());
        assert_eq!(names(r"[^]]{other}"), ["other"]);
        assert!(names("{Self} {1a} {-a} {a b}").is_empty());
    }

    #[test]
    fn expands_each_reference_and_reports_an_unknown_name() {
        let lookup = |name: &str| match name {
            "self" => Some("(?:I|me)"),
            _ => None,
        };
        assert_eq!(
            expand(r"\b{self}\b and {self}", lookup).unwrap(),
            r"\b(?:I|me)\b and (?:I|me)"
        );
        assert!(matches!(expand("no lists", lookup), Ok(Cow::Borrowed(_))));
        assert_eq!(expand("{slef}", lookup).unwrap_err(), "slef");
        assert_eq!(alternation(&["a", "b c"]), "(?:a|b c)");
    }
}
