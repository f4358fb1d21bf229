//! A checked pattern: the expressions that recognise one way of voicing a distortion.
//!
//! A pattern holds its expressions as text; compiling them is the engine's job, done once for the
//! whole set and lazily for each expression (`crate::engine`). Exceptions are short and are
//! checked in full when the rules load; `match` expressions are checked when the engine compiles
//! them together, which is where most of the start-up time would otherwise go twice.

use regex_automata::meta;
use regex_automata::util::syntax as regex_syntax_config;

use super::category::Category;
use super::example::Example;
use super::level::Level;
use super::syntax;
use super::template::Template;

/// The most memory one compiled expression may take.
pub(crate) const REGEX_SIZE_LIMIT: usize = 64 * 1024 * 1024;

/// How much an expression's compile may spend to make its later searches fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Only what a search with captures needs (a Thompson NFA run by the bounded backtracker or
    /// the PikeVM): the cheapest to build, right for the one thought of a one-shot run, where
    /// the expression is already known to match.
    Lean,
    /// Adds the lazy DFA and the reverse NFA it needs, which costs about as much again to build
    /// and pays for itself in a batch, where an expression runs on many thoughts, most of which
    /// it does not match.
    Fast,
}

/// Compiles one expression as rules are matched: in the rule dialect, against normalized text
/// (`crate::normalize`).
///
/// The regex is built without the literal prefilter and one-pass DFA the `regex` crate adds:
/// the engine's own filter has already picked the thoughts it runs on, so those would cost
/// start-up time (measured: 0.8 ms against 0.3 ms for a long pattern) and buy little. `build`
/// says whether to add the lazy DFA too (see [`Build`]). The lazy DFA may grow to 16 MB: with
/// the default 2 MB, long patterns filled it on a batch of new lines and fell back to the slow
/// NFA search (120,000 lines: 5.2 s against 3.5 s). It takes memory only as it fills.
pub fn compile(source: &str, build: Build) -> Result<meta::Regex, String> {
    let fast = build == Build::Fast;
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .auto_prefilter(false)
                .onepass(false)
                .hybrid(fast)
                .hybrid_cache_capacity(16 * 1024 * 1024)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .syntax(regex_syntax_config::Config::new().multi_line(true))
        .build(&syntax::prepare(source))
        .map_err(|error| error.to_string())
}

/// How much of a thought one match of a pattern may span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// One sentence: the pattern's matches and its exceptions are sentence by sentence. The
    /// default, and right for nearly every pattern.
    #[default]
    Sentence,
    /// The whole thought: for patterns that need the sentence before ("I failed the test. I'll
    /// never pass."); exceptions then apply to the whole thought too.
    Thought,
}

impl Scope {
    /// Reads a scope as written in a rule file.
    pub fn parse(name: &str) -> Option<Scope> {
        match name {
            "sentence" => Some(Scope::Sentence),
            "thought" => Some(Scope::Thought),
            _ => None,
        }
    }
}

/// An expression, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The expression the engine compiles: as written, with each word list it names (`{self}`)
    /// expanded.
    pub text: String,
    /// The expression as written in the rule file.
    pub written: String,
    /// Its 1-based line.
    pub line: usize,
}

/// One `[[pattern]]` of a distortion, validated.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The pattern's id, unique within its distortion.
    pub id: String,
    /// The 1-based line of the `[[pattern]]` table in its file.
    pub line: usize,
    /// The `match` expressions.
    pub sources: Vec<Source>,
    /// The pattern's own `unless` expressions (the distortion's apply too).
    pub unless_sources: Vec<Source>,
    /// Pattern-level reframes, which may use the pattern's named captures.
    pub reframes: Vec<Template>,
    /// Pattern-level questions, which may use the pattern's named captures.
    pub questions: Vec<Template>,
    /// Examples that must be flagged by this pattern, or must not be.
    pub examples: Vec<Example>,
    /// For a safety pattern, the kind of crisis it recognises; `None` in a distortion file.
    pub category: Option<Category>,
    /// For a safety pattern, how plainly it speaks of danger (`crisis` unless the file says
    /// `concern`); `None` in a distortion file.
    pub level: Option<Level>,
    /// How much of the thought one match may span.
    pub scope: Scope,
}
