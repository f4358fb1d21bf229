//! The form of a thought that patterns are matched against.
//!
//! Patterns are simpler and much cheaper to compile when they need not spell out every variant
//! people type, so the engine matches a normalized copy: ASCII letters lowercased, every kind of
//! apostrophe (`‘ ’ ʼ ′ ´ \``) turned into `'`, the Unicode hyphens into `-`, and every kind of
//! white space (the vertical tab too) into a plain space.
//!
//! The copy is also *folded*, so that characters a reader does not see, or sees as a plain
//! letter, cannot hide a word from the rules (the crisis check above all): "k\u{200B}ill",
//! "ｋｉｌｌ", "𝐤𝐢𝐥𝐥" and "kіll" (with a Cyrillic `і`) all read as "kill". Per character:
//!
//! - Invisible format characters are removed (listed at `is_invisible`).
//! - Compatibility forms are replaced by their compatibility decomposition (NFKD, from the
//!   `unicode-normalization` crate): fullwidth and mathematical letters, ligatures, circled and
//!   superscript letters and digits; letters with accents come apart into letter and accent.
//! - Accents and other combining diacritics are then dropped, so "suïcide" reads as "suicide".
//! - A few Cyrillic, Greek and Latin letters that look like a Latin letter in common fonts are
//!   replaced by it (listed at `look_alike`).
//!
//! Spans found in the copy are mapped back to the original through a byte-offset table, built
//! only for text that is not plain ASCII (for ASCII text the offsets are the same), so a highlight
//! still shows exactly what the person typed, hidden characters included.
//!
//! The rule dialect (`crate::rules::syntax`) folds the literal letters of a pattern with the same
//! [`fold`], so a rule written with an accent still matches.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::decompose_compatible;

/// Characters treated as an apostrophe.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’' | 'ʼ' | '′' | '´' | '`')
}

/// Invisible characters that are removed: the format characters Unicode lists as default
/// ignorable, which a renderer shows as nothing and which carry no letter of their own. They are:
/// the soft hyphen (U+00AD), the combining grapheme joiner (U+034F), the Arabic letter mark
/// (U+061C), the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Khmer inherent vowels
/// (U+17B4, U+17B5), the Mongolian variation selectors and vowel separator (U+180B–U+180F), the
/// zero-width space, non-joiner and joiner and the direction marks (U+200B–U+200F), the direction
/// embeddings and overrides (U+202A–U+202E), the word joiner, invisible operators, direction
/// isolates and deprecated format characters (U+2060–U+206F), the variation selectors
/// (U+FE00–U+FE0F and U+E0100–U+E01EF), the zero-width no-break space or byte order mark
/// (U+FEFF), the shorthand format controls (U+1BCA0–U+1BCA3), the musical format controls
/// (U+1D173–U+1D17A) and the tag characters (U+E0000–U+E007F).
///
/// Left alone: default-ignorable code points not yet assigned (their meaning is unknown), and
/// characters that show as a space (U+00A0, U+3000 and the like), which are white space and so
/// become a plain space: removing them would join two words into one.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}'
        | '\u{34F}'
        | '\u{61C}'
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}'
    ) || is_variation_selector(c)
}

/// The variation selectors, which choose a drawing of the character before them: the Mongolian
/// free variation selectors (U+180B–U+180D, U+180F; U+180E between them is the vowel separator,
/// which stands on its own) and the general ones (U+FE00–U+FE0F, U+E0100–U+E01EF).
fn is_variation_selector(c: char) -> bool {
    matches!(c,
        '\u{180B}'..='\u{180D}'
        | '\u{180F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Combining diacritics, dropped after decomposition: the blocks of marks made to sit on Latin,
/// Greek and Cyrillic letters (Combining Diacritical Marks, their Extended and Supplement blocks,
/// the marks for symbols, such as an enclosing circle, and the half marks). Marks of other
/// scripts (Devanagari vowel signs, Hebrew points, the kana voicing marks...) are part of their
/// letters and are kept.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether `c` belongs to the character before it and folds to nothing: a combining diacritic or
/// a variation selector.
fn clings(c: char) -> bool {
    is_diacritic(c) || is_variation_selector(c)
}

/// The lowercase Latin letter that `c` looks like in common fonts, if it is one of a few
/// letters of other scripts used in its place; `c` otherwise.
///
/// Only letters a reader takes for the Latin one without a second look are listed: those drawn
/// the same (Cyrillic `а е о р с у х і ј ѕ һ ԁ ԛ ԝ ү`, Greek `ο ι` and the capitals that share
/// their shape with a Latin capital), those drawn as its small capital (Cyrillic `в к м н т`),
/// Greek `α ε κ ν ρ τ υ χ`, which read as `a e k v p t u x`, the Latin small capitals
/// (`ᴀ ʙ ᴄ ... ᴢ`, which have no compatibility decomposition), and the dotless Latin `ı ȷ` and the
/// Latin alpha and script g (`ɑ ɡ`). Cyrillic `Ӏ` (palochka) stands for a capital I and its
/// lowercase `ӏ` for an l. Letters that only resemble one in some fonts (Cyrillic `п и г`, Greek
/// `γ ω σ`) are left alone: mapping them would alter real Russian or Greek words for no gain.
fn look_alike(c: char) -> char {
    match c {
        // Cyrillic.
        'а' | 'А' => 'a',
        'в' | 'В' => 'b',
        'е' | 'Е' => 'e',
        'һ' | 'Һ' => 'h',
        'н' | 'Н' => 'h',
        'і' | 'І' | 'Ӏ' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' => 'k',
        'ӏ' => 'l',
        'м' | 'М' => 'm',
        'о' | 'О' => 'o',
        'р' | 'Р' => 'p',
        'ԁ' => 'd',
        'ԛ' | 'Ԛ' => 'q',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' => 't',
        'ԝ' | 'Ԝ' => 'w',
        'с' | 'С' => 'c',
        'х' | 'Х' => 'x',
        'у' | 'У' | 'ү' | 'Ү' => 'y',
        // Greek.
        'α' | 'Α' => 'a',
        'Β' => 'b',
        'ε' | 'Ε' => 'e',
        'Η' => 'h',
        'ι' | 'Ι' => 'i',
        'κ' | 'Κ' => 'k',
        'Μ' => 'm',
        'Ν' => 'n',
        'ο' | 'Ο' => 'o',
        'ρ' | 'Ρ' => 'p',
        'τ' | 'Τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'χ' | 'Χ' => 'x',
        'Υ' => 'y',
        'Ζ' => 'z',
        // Latin small capitals, as "fancy text" generators write whole sentences in them.
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ꜰ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        // Latin letters outside ASCII without a decomposition.
        'ı' => 'i',
        'ȷ' => 'j',
        'ɑ' => 'a',
        'ɡ' => 'g',
        c => c,
    }
}

/// Hangul syllables (U+AC00–U+D7A3) have a canonical decomposition into their jamo; it hides no
/// letter and would only make Korean text longer, so they are kept whole.
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Whether `c` is ASCII white space the way the rules' `\s` sees it: `is_ascii_whitespace` plus
/// the vertical tab, which it leaves out and which would otherwise stand between words unseen by
/// the required-string scan (`crate::literals`) while the rules' own `\s` matched it.
fn is_ascii_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{B}'
}

/// Hyphens that are not the ASCII one: the hyphen and non-breaking hyphen (U+2010, U+2011), the
/// figure dash and en dash (U+2012, U+2013) and the minus sign (U+2212). "self‐harm" typed with
/// one of them is the same word.
fn is_hyphen(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2013}' | '\u{2212}')
}

/// The normalized form of an ASCII character.
fn fold_ascii(c: char) -> char {
    match c {
        '`' => '\'',
        c if is_ascii_space(c) => ' ',
        c => c.to_ascii_lowercase(),
    }
}

/// Folds one character as thoughts are normalized, passing what it becomes to `emit`: nothing
/// for an invisible character, one character mostly, several for a ligature or the like.
pub fn fold(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        return emit(fold_ascii(c));
    }
    if is_invisible(c) {
        return;
    }
    if is_apostrophe(c) {
        return emit('\'');
    }
    if is_hyphen(c) {
        return emit('-');
    }
    if c.is_whitespace() {
        return emit(' ');
    }
    if is_hangul_syllable(c) {
        return emit(c);
    }
    // `´` decomposes into a space and an accent, so apostrophes were settled first.
    decompose_compatible(c, |d| {
        if d.is_ascii() {
            emit(fold_ascii(d));
        } else if is_apostrophe(d) {
            emit('\'');
        } else if d.is_whitespace() {
            emit(' ');
        } else if !is_diacritic(d) {
            emit(look_alike(d));
        }
    });
}

/// A normalized thought and the way back to the original's offsets.
#[derive(Debug, Clone)]
pub struct Normalized<'t> {
    original: &'t str,
    text: Cow<'t, str>,
    /// For each byte of `text` (and one past the end), the original offset of the character it
    /// came from; `None` when the offsets are the same.
    map: Option<Vec<usize>>,
}

impl<'t> Normalized<'t> {
    /// Normalizes `original`.
    pub fn new(original: &'t str) -> Normalized<'t> {
        if original.is_ascii() {
            let needs_change = original.bytes().any(|b| {
                b.is_ascii_uppercase() || b == b'`' || (is_ascii_space(b as char) && b != b' ')
            });
            if !needs_change {
                return Normalized {
                    original,
                    text: Cow::Borrowed(original),
                    map: None,
                };
            }
            // Same length, byte for byte: no map needed.
            let text = original.bytes().map(|b| fold_ascii(b as char)).collect();
            return Normalized {
                original,
                text: Cow::Owned(text),
                map: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            let before = text.len();
            fold(c, |f| text.push(f));
            map.extend(std::iter::repeat_n(at, text.len() - before));
        }
        map.push(original.len());
        Normalized {
            original,
            text: Cow::Owned(text),
            map: Some(map),
        }
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte range of a range of the normalized text: from the start of the
    /// character that gave its first byte to the end of the one that gave its last, with the
    /// accents and variation selectors that follow that one. Characters removed inside the range
    /// are part of it; other characters removed just before or after it are not.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        let Some(map) = &self.map else {
            return range;
        };
        let start = map[range.start];
        if range.is_empty() {
            return start..start;
        }
        let last = map[range.end - 1];
        let after = &self.original[last..];
        // The accents and variation selectors after the last character belong to it: leaving
        // them out would cut a letter from its accent in a highlight.
        let end = after
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !clings(c))
            .map_or(after.len(), |(at, _)| at);
        start..last + end
    }
}

#[cfg(test)]
mod tests {
    use super::Normalized;
    use std::borrow::Cow;

    fn folded(text: &str) -> String {
        Normalized::new(text).as_str().to_owned()
    }

    /// The original text under the first match of `word` in the normalized copy.
    #[track_caller]
    fn typed<'t>(n: &Normalized<'t>, original: &'t str, word: &str) -> &'t str {
        let start = n
            .as_str()
            .find(word)
            .expect("the word is in the normalized text");
        &original[n.original(start..start + word.len())]
    }

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
        assert_eq!(n.as_str(), "ca, i'll never");
        let start = n.as_str().find("i'll").unwrap();
        let span = n.original(start..n.as_str().len());
        assert_eq!(&original[span], "I’ll\u{a0}NEVER");
    }

    #[test]
    fn plain_lowercase_ascii_is_borrowed() {
        assert!(matches!(Normalized::new("i am ok").text, Cow::Borrowed(_)));
        assert!(Normalized::new("i am ok").map.is_none());
        assert!(Normalized::new("I Am OK").map.is_none());
    }

    #[test]
    fn invisible_characters_are_removed() {
        for hidden in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{2063}',
            '\u{FEFF}',
            '\u{AD}',
            '\u{34F}',
            '\u{180E}',
            '\u{FE0F}',
            '\u{200E}',
            '\u{202E}',
            '\u{2066}',
            '\u{E0041}',
        ] {
            let text = format!("k{hidden}ill my{hidden}self");
            assert_eq!(folded(&text), "kill myself", "U+{:04X}", hidden as u32);
        }
    }

    #[test]
    fn variation_selectors_are_removed_and_cling_and_the_vowel_separator_only_is_removed() {
        use super::{clings, is_invisible};
        for selector in [
            '\u{180B}',
            '\u{180D}',
            '\u{180F}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{E0100}',
            '\u{E01EF}',
        ] {
            let code = selector as u32;
            assert!(is_invisible(selector) && clings(selector), "U+{code:04X}");
        }
        assert!(is_invisible('\u{180E}') && !clings('\u{180E}'));
    }

    #[test]
    fn compatibility_forms_become_plain_letters() {
        assert_eq!(folded("ＩＷＡＮＴ ＴＯ ＤＩＥ"), "iwant to die");
        assert_eq!(folded("𝐤𝐢𝐥𝐥 𝓂𝓎𝓈ℯ𝓁𝒻"), "kill myself");
        assert_eq!(folded("ⓚⓘⓛⓛ"), "kill");
        assert_eq!(folded("ﬁnished, ﬂoor"), "finished, floor");
        assert_eq!(folded("ｉ＇ｍ"), "i'm");
    }

    #[test]
    fn diacritics_are_dropped_whether_precomposed_or_combining() {
        assert_eq!(folded("suïcide"), "suicide");
        assert_eq!(folded("sui\u{308}cide"), "suicide");
        assert_eq!(folded("k\u{336}i\u{336}l\u{336}l\u{336}"), "kill");
        assert_eq!(folded("CAFÉ naïve"), "cafe naive");
    }

    #[test]
    fn look_alike_letters_become_latin() {
        // Cyrillic і, о, а, е, р; Greek Ι, ο, κ.
        assert_eq!(folded("kіll"), "kill");
        assert_eq!(folded("hоpеlеss"), "hopeless");
        assert_eq!(folded("wаnt tо dіе"), "want to die");
        assert_eq!(folded("Рain"), "pain");
        assert_eq!(folded("ΙΟ κill"), "io kill");
        assert_eq!(folded("kıll"), "kill");
    }

    #[test]
    fn other_scripts_are_left_as_they_are() {
        assert_eq!(folded("Люблю"), "Люблю");
        assert_eq!(folded("한국어"), "한국어");
        assert_eq!(folded("नमस्ते"), "नमस्ते");
    }

    #[test]
    fn spans_map_back_to_what_was_typed_including_hidden_characters() {
        let original = "I want to k\u{200B}ill my\u{AD}self\u{200B}.";
        let n = Normalized::new(original);
        assert_eq!(n.as_str(), "i want to kill myself.");
        assert_eq!(typed(&n, original, "kill"), "k\u{200B}ill");
        assert_eq!(
            typed(&n, original, "kill myself"),
            "k\u{200B}ill my\u{AD}self"
        );
        // A hidden character just outside the span is not part of it.
        assert_eq!(typed(&n, original, "myself"), "my\u{AD}self");

        let original = "ＩＷＡＮＴ ＴＯ ＤＩＥ";
        let n = Normalized::new(original);
        assert_eq!(typed(&n, original, "die"), "ＤＩＥ");
        assert_eq!(typed(&n, original, "to"), "ＴＯ");

        // Part of a ligature maps to the whole ligature.
        let original = "ﬁne";
        let n = Normalized::new(original);
        assert_eq!(typed(&n, original, "f"), "ﬁ");
        assert_eq!(typed(&n, original, "ine"), "ﬁne");

        let original = "sui\u{308}cide";
        let n = Normalized::new(original);
        assert_eq!(typed(&n, original, "suicide"), original);
        assert_eq!(n.original(2..2), 2..2);

        // An accent after the last letter stays with it; a hidden character does not.
        let original = "a cafe\u{301}\u{200B} k\u{336}i\u{336}l\u{336}l\u{336} me";
        let n = Normalized::new(original);
        assert_eq!(typed(&n, original, "cafe"), "cafe\u{301}");
        assert_eq!(
            typed(&n, original, "kill"),
            "k\u{336}i\u{336}l\u{336}l\u{336}"
        );
        assert_eq!(typed(&n, original, "me"), "me");
    }
}
