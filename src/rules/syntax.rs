//! The small dialect rule authors write their regular expressions in.
//!
//! Rules are written as plain `regex` crate syntax, with these rewrites applied before compiling:
//!
//! - ASCII letters are lowercased (outside escapes, group names and flag groups), because matching
//!   runs on a copy of the thought with its ASCII letters lowercased. This replaces the regex
//!   crate's case-insensitive mode: Unicode case folding of every literal in long alternations was
//!   most of the start-up cost (measured: the built-in set's automaton took 20 ms to build
//!   case-insensitively and 7 ms this way). Lowercasing ASCII keeps byte offsets unchanged, so
//!   spans point into the original text.
//! - An apostrophe outside a character class becomes optional, so `I'll` also matches `Ill` and
//!   `can't` also matches `cant`. (The text has every kind of apostrophe turned into `'` first, see
//!   `crate::normalize`, so `I'll` matches `I’ll` too.)
//! - Other letters are folded the way the thought is (`crate::normalize::fold`), so a pattern
//!   written with an accent or a fullwidth letter matches the folded text: `café` becomes `cafe`,
//!   `ﬁ` becomes `(?:fi)`. In a character class a character is folded only when it becomes exactly
//!   one character; a class cannot stand for two, so a ligature there is kept (and never matches).
//! - `\s` outside a class means ASCII white space: the text's other white space has been turned
//!   into plain spaces, and the Unicode class costs a third of the compile time.
//! - `\b`, `\B`, `\w`, `\W`, `\d` and `\D` outside a class mean their ASCII forms. The Unicode forms
//!   make the lazy DFA give up on non-ASCII text or thrash its cache (measured: a set of
//!   `\w`-heavy patterns ran fifty times slower); the rules are written for English, where the
//!   ASCII forms lose nothing.
//!
//! The rewrite is textual but aware of escapes and (nested) character classes, so `\'` and `[']`
//! keep their meaning.

/// The apostrophes a rule author may type; all mean `'`.
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
                if class_depth == 0 && matches!(next, 'b' | 'B' | 'w' | 'W' | 'd' | 'D' | 's') {
                    out.push_str("(?-u:\\");
                    out.push(next);
                    out.push(')');
                } else {
                    out.push('\\');
                    out.push(next);
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                // A group's flags or name are copied as written, up to `:`, `)` or `>`: `(?U)`
                // and `(?P<Name>` must not be lowercased.
                out.push('(');
                for c in chars.by_ref() {
                    out.push(c);
                    if matches!(c, ':' | ')' | '>') {
                        break;
                    }
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
                    out.push_str("'?");
                } else {
                    out.push('\'');
                }
            }
            c if !c.is_ascii() => push_folded(c, class_depth > 0, &mut out),
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Writes the literal character `c` (not ASCII) as the thought's text is folded, with any
/// resulting regex metacharacter escaped: fullwidth `（` folds to a literal `(`.
fn push_folded(c: char, in_class: bool, out: &mut String) {
    // A pattern seldom has a character outside ASCII, so this allocation is rare.
    let mut folded = String::new();
    crate::normalize::fold(c, |f| folded.push(f));
    let push_literal = |f: char, out: &mut String| {
        if regex_syntax::is_meta_character(f) {
            out.push('\\');
        }
        out.push(f);
    };
    let mut chars = folded.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), None) if !in_class => out.push_str("'?"),
        (Some(one), None) => push_literal(one, out),
        _ if in_class => out.push(c),
        // Grouped so that a repetition after it applies to all of it, or to nothing.
        _ => {
            out.push_str("(?:");
            folded.chars().for_each(|f| push_literal(f, out));
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prepare;
    use regex::RegexBuilder;

    fn matches(pattern: &str, text: &str) -> bool {
        RegexBuilder::new(&prepare(pattern))
            .build()
            .unwrap()
            .is_match(crate::normalize::Normalized::new(text).as_str())
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
        assert_eq!(prepare(r"[a’]"), "[a']");
        assert_eq!(prepare(r"[]']"), "[]']");
        assert_eq!(prepare(r"[^\w]x"), r"[^\w]x");
        assert_eq!(prepare(r"\\b"), r"\\b");
        assert_eq!(prepare(r"[[:alpha:]']\b"), "[[:alpha:]'](?-u:\\b)");
    }

    #[test]
    fn literals_are_lowercased_but_escapes_names_and_flags_are_not() {
        assert_eq!(prepare(r"I Am [A-Z]\S\P{Lu}"), r"i am [a-z]\S\P{lu}");
        assert_eq!(
            prepare(r"(?P<Goal>X)(?U)Y(?i:Z)"),
            r"(?P<Goal>x)(?U)y(?i:z)"
        );
        assert!(matches(r"\bI'M A LOSER\b", "i’m a Loser"));
    }

    #[test]
    fn word_classes_become_ascii() {
        assert_eq!(
            prepare(r"\bno\w+\s\b"),
            r"(?-u:\b)no(?-u:\w)+(?-u:\s)(?-u:\b)"
        );
        assert!(matches(r"\bnever\b", "je ne serai never, café"));
    }

    #[test]
    fn letters_outside_ascii_are_folded_like_the_text() {
        assert_eq!(prepare("Café NAÏVE"), "cafe naive");
        assert_eq!(prepare("ﬁne+"), "(?:fi)ne+");
        assert_eq!(prepare("ﬁ+"), "(?:fi)+");
        assert_eq!(prepare("a\u{200B}+"), "a(?:)+");
        assert_eq!(prepare("（ｘ）"), r"\(x\)");
        assert_eq!(prepare("ｉ＇ｍ"), "i'?m");
        assert_eq!(prepare("[éﬁ－]"), r"[eﬁ\-]");
        assert!(matches(r"\bcafé\b", "CAFE"));
        assert!(matches(r"\bcafé\b", "café"));
        assert!(matches(r"\bcafé\b", "cafe\u{301}"));
        assert!(matches(r"\bnaïve\b", "ＮＡÏＶＥ"));
        assert!(!matches(r"\bcafé\b", "cafes"));
    }
}
