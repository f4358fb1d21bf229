//! A checked pattern: the expressions that recognise one way of voicing a distortion.

use regex::{Regex, RegexBuilder};

use super::example::Example;
use super::syntax;
use super::template::Template;

/// The most memory one compiled expression may take; a pattern over it is a rule error, not a
/// slow start-up.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// Compiles one expression as rules are matched: in the rule dialect, case-insensitively.
pub(crate) fn compile(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&syntax::prepare(source))
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// One `[[pattern]]` of a distortion, validated and compiled.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern's id, unique within its distortion.
    pub id: String,
    /// The 1-based line of the `[[pattern]]` table in its file.
    pub line: usize,
    /// The `match` expressions as written.
    pub sources: Vec<String>,
    /// The pattern's own `unless` expressions as written (the distortion's apply too).
    pub unless_sources: Vec<String>,
    /// Pattern-level reframes, which may use the pattern's named captures.
    pub reframes: Vec<Template>,
    /// Pattern-level questions, which may use the pattern's named captures.
    pub questions: Vec<Template>,
    /// Examples that must be flagged by this pattern, or must not be.
    pub examples: Vec<Example>,
    pub(crate) regexes: Vec<Regex>,
    pub(crate) unless: Vec<Regex>,
}

impl Pattern {
    /// Whether an `unless` expression occurs in `sentence`, cancelling this pattern there.
    pub fn is_excepted(&self, sentence: &str) -> bool {
        self.unless.iter().any(|re| re.is_match(sentence))
    }
}
