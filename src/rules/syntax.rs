//! The small dialect rule authors write their regular expressions in.
//!
//! Rules are written as plain `regex` crate syntax, with two rewrites applied before compiling:
//!
//! - An apostrophe outside a character class becomes optional and matches any of the apostrophes
//!   people type (`'`, `‘`, `’`, `ʼ`), so `I'll` also matches `I’ll` and `Ill`, and `can't` also
//!   matches `cant`. Inside a class, an apostrophe stands for all four.
//! - `\b`, `\B`, `\w`, `\W`, `\d` and `\D` outside a class mean their ASCII forms. The Unicode forms
//!   make the lazy DFA behind `RegexSet` give up on non-ASCII text or thrash its cache (measured: a
//!   set of `\w`-heavy patterns ran fifty times slower); the rules are written for English, where
//!   the ASCII forms lose nothing.
//!
//! Case-insensitivity is switched on by the compiler, not here. The rewrite is textual but aware
//! of escapes and (nested) character classes, so `\'` and `[']` keep their meaning.

/// The apostrophes treated as one.
const APOSTROPHES: &str = "'‘’ʼ";

/// Rewrites a pattern as written in a rule file into the expression that is compiled.
pub fn prepare(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars().peekable();
    // Depth of character-class nesting; 0 outside any class.
    let mut class_depth = 0usize;
    // True right after a class opened (after `[` or `[^`), where `]` is a literal.
    let mut class_just_opened = false;
    while let Some(c) = chars.next() {
        let opened = class_just_opened;
        class_just_opened = false;
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if class_depth == 0 && matches!(next, 'b' | 'B' | 'w' | 'W' | 'd' | 'D') {
                    out.push_str("(?-u:\\");
                    out.push(next);
                    out.push(')');
                } else {
                    out.push('\\');
                    out.push(next);
                }
            }
            '[' => {
                out.push('[');
                class_depth += 1;
                class_just_opened = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if class_depth > 0 && !opened => {
                class_depth -= 1;
                out.push(']');
            }
            c if APOSTROPHES.contains(c) => {
                if class_depth == 0 {
                    out.push('[');
                    out.push_str(APOSTROPHES);
                    out.push_str("]?");
                } else {
                    out.push_str(APOSTROPHES);
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prepare;
    use regex::RegexBuilder;

    fn matches(pattern: &str, text: &str) -> bool {
        RegexBuilder::new(&prepare(pattern))
            .case_insensitive(true)
            .build()
            .unwrap()
            .is_match(text)
    }

    #[test]
    fn apostrophes_are_optional_and_interchangeable() {
        for text in ["I'll never", "I’ll never", "Ill never", "ill NEVER"] {
            assert!(matches(r"\bI'll never\b", text), "{text}");
        }
        assert!(matches(r"\bcan't\b", "I cant"));
        assert!(!matches(r"\bcan't\b", "I can"));
    }

    #[test]
    fn classes_and_escapes_are_left_alone() {
        assert_eq!(prepare(r"[a']"), "[a'‘’ʼ]");
        assert_eq!(prepare(r"[]']"), "[]'‘’ʼ]");
        assert_eq!(prepare(r"[^\w]x"), r"[^\w]x");
        assert_eq!(prepare(r"\\b"), r"\\b");
        assert_eq!(prepare(r"[[:alpha:]']\b"), "[[:alpha:]'‘’ʼ](?-u:\\b)");
    }

    #[test]
    fn word_classes_become_ascii() {
        assert_eq!(prepare(r"\bno\w+\b"), r"(?-u:\b)no(?-u:\w)+(?-u:\b)");
        assert!(matches(r"\bnever\b", "je ne serai never, café"));
    }
}
