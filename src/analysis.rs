//! What the engine says about one thought: the findings, their matches, and what to offer.
//!
//! These types borrow from the engine (`'e`, the rules) and from the thought (`'t`), so analysing
//! a line in a batch allocates little. Turning them into text or JSON is `crate::output`'s job.

use std::borrow::Cow;
use std::ops::Range;

use crate::rules::{Category, Distortion, Level, Pattern};

/// Where a match lies in the thought, both as byte offsets (for Rust and most byte-oriented tools)
/// and as character offsets (Unicode scalar values, for people and most languages' strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte offsets, end exclusive.
    pub bytes: Range<usize>,
    /// Character offsets, end exclusive.
    pub chars: Range<usize>,
}

/// One place where one pattern matched.
#[derive(Debug, Clone)]
pub struct Match<'e, 't> {
    /// The pattern that matched.
    pub pattern: &'e Pattern,
    /// The words that matched.
    pub text: &'t str,
    /// Where they are in the thought.
    pub span: Span,
}

/// One distortion recognised in a thought, with every match that shows it.
#[derive(Debug, Clone)]
pub struct Finding<'e, 't> {
    /// The distortion.
    pub distortion: &'e Distortion,
    /// The matches, in order of position.
    pub matches: Vec<Match<'e, 't>>,
    /// Reframes to offer, most specific first: pattern-level ones filled with the person's own
    /// words, then the distortion's own.
    pub reframes: Vec<Cow<'e, str>>,
    /// Questions to ask, in the same order of specificity.
    pub questions: Vec<Cow<'e, str>>,
}

/// Crisis language recognised in a thought: it is answered with crisis resources, and nothing in
/// it is reframed.
#[derive(Debug, Clone)]
pub struct SafetyFinding<'e, 't> {
    /// How plainly the words speak of danger: the highest level of any match.
    pub level: Level,
    /// The kind of crisis, from the earliest match of that level.
    pub category: Category,
    /// The safety rule file that matched.
    pub rules: &'e Distortion,
    /// The matches, in order of position.
    pub matches: Vec<Match<'e, 't>>,
}

/// Everything recognised in one thought.
#[derive(Debug, Clone)]
pub struct Analysis<'e, 't> {
    /// The thought as given.
    pub text: &'t str,
    /// Crisis language, if any. When present, `findings` is empty: such a thought is never
    /// reframed.
    pub safety: Option<SafetyFinding<'e, 't>>,
    /// The findings, ordered by where their first match starts, then by distortion id.
    pub findings: Vec<Finding<'e, 't>>,
    /// Whether the thought names suicide or self-harm in words the safety check did not take as
    /// the writer's own danger (someone else's death, the news, a figure of speech). Such a
    /// thought is not reframed either, so `findings` is then empty.
    pub mentions_suicide: bool,
}

impl Analysis<'_, '_> {
    /// Whether nothing was recognised: no distortion, no crisis language, and no mention of
    /// suicide or self-harm.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.safety.is_none() && !self.mentions_suicide
    }
}
