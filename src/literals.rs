//! The words an expression cannot match without: a cheap first test of which patterns might match
//! a thought, before any of their automata run.
//!
//! For each prepared expression, [`requirement`] works out clauses of strings such that every
//! match of the expression contains, for every clause, at least one of that clause's strings.
//! `\bI(?:'m| am)\s+(?:sure|certain)\b[^.]*\bhates? me` gives `[i'm sure, i'm certain, i am sure,
//! i am certain]` and `[hate me, hates me]`: a thought that contains none of the first four cannot
//! match it. Short runs of fixed text are spelled out in full, so that the strings are phrases
//! rather than single common words.
//!
//! The test is only ever too generous, never too strict. A clause is left out whenever the
//! expression could match without it (an optional group, a wide class, a repetition that may be
//! empty, an alternative with no clause of its own), and strings with fewer than [`MIN_LEN`]
//! letters are not worth looking for, because they occur in almost every thought. The strings are
//! meant to be looked for in the normalized thought with every run of spaces made one (see
//! [`collapse_spaces`]): there, `\s+` is exactly one space.
//!
//! `crate::filter` puts the clauses of many expressions together. `build.rs` works out the
//! built-in expressions' clauses when the binary is built, so this file is included there too and
//! depends on nothing but `regex-syntax`.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The fewest letters (bytes other than spaces) a string needs to be worth a clause: shorter ones
/// (`i`, `me`, a space) are in nearly every thought, and would only make the search slower.
pub const MIN_LEN: usize = 3;

/// At most this many strings in one clause; a larger alternation is left out as too broad to be
/// worth the search.
const MAX_CLAUSE: usize = 512;

/// At most this many strings are spelled out for a run of fixed text; past that, the run is cut.
const MAX_EXACT: usize = 64;

/// At most this many characters in a class that is spelled out (after white space is folded).
const MAX_CLASS: usize = 4;

/// One clause: a match contains at least one of these strings.
pub type Clause = Vec<String>;

/// `text` with every run of spaces made one space, as the strings of a clause are written.
pub fn collapse_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("  ") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The clauses that every match of `prepared` (an expression after `rules::prepare`, in the
/// syntax the engine compiles) satisfies. An empty list means no string is required: the
/// expression must then run on every thought.
pub fn requirement(prepared: &str) -> Result<Vec<Clause>, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .multi_line(true)
        .build()
        .parse(prepared)
        .map_err(|error| error.to_string())?;
    let info = info(&hir);
    Ok(match info.exact {
        Some(exact) => strong(exact).into_iter().collect(),
        None => info.clauses,
    })
}

/// What one part of an expression says about the text it matches.
struct Info {
    /// Every string the part can match (spaces collapsed), when there are few.
    exact: Option<Vec<String>>,
    /// Clauses every match of the part satisfies, when `exact` is `None`.
    clauses: Vec<Clause>,
}

impl Info {
    fn exact(strings: Vec<String>) -> Info {
        Info {
            exact: Some(strings),
            clauses: Vec::new(),
        }
    }

    fn clauses(clauses: Vec<Clause>) -> Info {
        Info {
            exact: None,
            clauses,
        }
    }

    /// The most selective clause this part offers, if any.
    fn best(self) -> Option<Clause> {
        let mut options = self.clauses;
        options.extend(self.exact.and_then(strong));
        options.into_iter().max_by_key(strength)
    }
}

fn info(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::exact(vec![String::new()]),
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => Info::exact(vec![collapse_spaces(text).into_owned()]),
            Err(_) => Info::clauses(Vec::new()),
        },
        HirKind::Class(class) => match class_strings(class) {
            Some(strings) => Info::exact(strings),
            None => Info::clauses(Vec::new()),
        },
        HirKind::Capture(capture) => info(&capture.sub),
        HirKind::Repetition(repetition) => {
            let sub = info(&repetition.sub);
            let space = sub.exact.as_deref() == Some(&[" ".to_string()][..]);
            match (repetition.min, repetition.max) {
                // In the collapsed text, one or more spaces are one space.
                (1.., _) if space => sub,
                (0, _) if space => Info::exact(vec![String::new(), " ".to_string()]),
                (0, Some(1)) => match sub.exact {
                    Some(mut exact) if exact.len() < MAX_EXACT => {
                        exact.push(String::new());
                        Info::exact(dedup(exact))
                    }
                    _ => Info::clauses(Vec::new()),
                },
                (1, Some(1)) => sub,
                (1.., _) => Info::clauses(sub.best().into_iter().collect()),
                (0, _) => Info::clauses(Vec::new()),
            }
        }
        HirKind::Concat(parts) => {
            let mut clauses = Vec::new();
            let mut run = vec![String::new()];
            let mut whole = true;
            for part in parts {
                let part = info(part);
                match part.exact {
                    Some(exact) if run.len() * exact.len() <= MAX_EXACT => {
                        run = product(&run, &exact);
                    }
                    Some(exact) => {
                        whole = false;
                        clauses.extend(strong(std::mem::replace(&mut run, exact)));
                    }
                    None => {
                        whole = false;
                        clauses.extend(strong(std::mem::replace(&mut run, vec![String::new()])));
                        clauses.extend(part.clauses);
                    }
                }
            }
            if whole {
                Info::exact(run)
            } else {
                clauses.extend(strong(run));
                Info::clauses(clauses)
            }
        }
        HirKind::Alternation(alternatives) => {
            let infos: Vec<Info> = alternatives.iter().map(info).collect();
            if infos.iter().all(|i| i.exact.is_some()) {
                let union: Vec<String> = infos
                    .iter()
                    .flat_map(|i| i.exact.clone().unwrap_or_default())
                    .collect();
                if union.len() <= MAX_EXACT {
                    return Info::exact(dedup(union));
                }
            }
            // Every alternative must bring a clause; the strongest clause of each, together,
            // is one clause of the whole.
            let mut union: Clause = Vec::new();
            for alternative in infos {
                let Some(best) = alternative.best() else {
                    return Info::clauses(Vec::new());
                };
                union.extend(best);
            }
            let union = dedup(union);
            if union.len() > MAX_CLAUSE {
                return Info::clauses(Vec::new());
            }
            Info::clauses(vec![union])
        }
    }
}

/// The strings a class can match in normalized text, when there are few: white space is a
/// space there, and ASCII capitals never occur.
fn class_strings(class: &Class) -> Option<Vec<String>> {
    let mut chars: Vec<char> = Vec::new();
    let mut add = |c: char| {
        if c.is_ascii_uppercase() {
            return true;
        }
        let c = if c.is_whitespace() { ' ' } else { c };
        if !chars.contains(&c) {
            chars.push(c);
        }
        chars.len() <= MAX_CLASS
    };
    match class {
        Class::Unicode(class) => {
            for range in class.iter() {
                if range.end() as u32 - range.start() as u32 > 64 {
                    return None;
                }
                for c in range.start()..=range.end() {
                    if !add(c) {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.iter() {
                if range.end() >= 0x80 || range.end() - range.start() > 64 {
                    return None;
                }
                for b in range.start()..=range.end() {
                    if !add(char::from(b)) {
                        return None;
                    }
                }
            }
        }
    }
    Some(chars.into_iter().map(String::from).collect())
}

/// Every string of `left` followed by every string of `right`, spaces collapsed.
fn product(left: &[String], right: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in left {
        for r in right {
            out.push(collapse_spaces(&format!("{l}{r}")).into_owned());
        }
    }
    dedup(out)
}

fn dedup(mut strings: Vec<String>) -> Vec<String> {
    strings.sort();
    strings.dedup();
    strings
}

/// `strings` as a clause, if every one of them is long enough to be worth looking for.
fn strong(strings: Vec<String>) -> Option<Clause> {
    let letters = |s: &String| s.bytes().filter(|&b| b != b' ').count();
    (!strings.is_empty() && strings.iter().all(|s| letters(s) >= MIN_LEN)).then_some(strings)
}

/// How selective a clause is likely to be: its shortest string first (longer strings occur
/// less often), then fewer strings.
fn strength(clause: &Clause) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = clause.iter().map(String::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(clause.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(expression: &str) -> Vec<Clause> {
        requirement(expression).expect("the expression parses")
    }

    fn clause(strings: &[&str]) -> Clause {
        strings.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn short_fixed_text_is_spelled_out_in_full() {
        assert_eq!(
            of(r"\bi (?:never|always) (?:fail|lose)\b"),
            vec![clause(&[
                "i always fail",
                "i always lose",
                "i never fail",
                "i never lose"
            ])]
        );
        assert_eq!(
            of(r"\bi(?:'m| am) (?:really )?sad\b"),
            vec![clause(&[
                "i am really sad",
                "i am sad",
                "i'm really sad",
                "i'm sad"
            ])]
        );
    }

    #[test]
    fn spaces_are_one_space_and_classes_are_spelled_out() {
        assert_eq!(
            of(r"(?-u:\b)i(?-u:\s)+bet\s*that"),
            vec![clause(&["i bet that", "i betthat"])]
        );
        assert_eq!(of(r"\bs[iu]ck\b"), vec![clause(&["sick", "suck"])]);
    }

    #[test]
    fn the_example_in_the_rules_readme_holds() {
        assert_eq!(
            of(r"\bi'm(?-u:\s)+(?:sure|certain)\b[^.!?;]*\bhates?(?-u:\s)+me\b"),
            vec![
                clause(&["i'm certain", "i'm sure"]),
                clause(&["hate me", "hates me"])
            ]
        );
    }

    #[test]
    fn a_gap_splits_the_text_into_clauses() {
        assert_eq!(
            of(r"\bnobody\b[^.!?]*\b(?:likes|loves)\s+me\b"),
            vec![clause(&["nobody"]), clause(&["likes me", "loves me"])]
        );
    }

    #[test]
    fn a_long_word_list_is_one_clause_of_its_words() {
        let words: Vec<String> = (0..100).map(|i| format!("word{i}")).collect();
        let expression = format!(r"\bi'm\s+\w+\s+(?:{})\b", words.join("|"));
        let clauses = of(&expression);
        assert_eq!(clauses.len(), 2);
        assert_eq!(clauses[0], clause(&["i'm "]));
        assert_eq!(clauses[1].len(), 100);
        assert!(clauses[1].contains(&"word42".to_string()));
    }

    #[test]
    fn optional_parts_and_short_strings_require_nothing() {
        assert!(of(r"\b(?:me|i)\b").is_empty());
        assert!(of(r"\w+").is_empty());
        assert!(of(r"(?:really\s+)?\w+").is_empty());
        assert!(of(r"(?:very\s+)*(?:so|an)").is_empty());
        assert_eq!(
            of(r"(?:very\s+)*(?:sad|mad)"),
            vec![clause(&["mad", "sad"])]
        );
    }

    #[test]
    fn an_alternative_without_a_clause_frees_the_whole_alternation() {
        assert!(of(r"(?:never|\w+ly)").is_empty());
    }

    #[test]
    fn runs_of_spaces_collapse() {
        assert_eq!(collapse_spaces("i  bet   so"), "i bet so");
        assert!(matches!(
            collapse_spaces("i bet"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_bad_expression_is_an_error() {
        assert!(requirement("(unclosed").is_err());
    }
}
