//! What the engine says about one thought: the findings, their matches, and what to offer.
//!
//! These types borrow from the engine (`'e`, the rules) and from the thought (`'t`), so analysing
//! a line in a batch allocates little. Turning them into text or JSON is `crate::output`'s job.

use std::borrow::Cow;
use std::ops::Range;

use crate::rules::{Distortion, Pattern};

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

/// Everything recognised in one thought.
#[derive(Debug, Clone)]
pub struct Analysis<'e, 't> {
    /// The thought as given.
    pub text: &'t str,
    /// The findings, ordered by where their first match starts, then by distortion id.
    pub findings: Vec<Finding<'e, 't>>,
}

impl Analysis<'_, '_> {
    /// Whether any distortion was recognised.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}
