//! Running the examples that rules carry as tests.
//!
//! The same function serves `reframe rules test` and the crate's own test suite, so a broken
//! built-in example fails `cargo test` with the same message a user would see.

use std::fmt;

use super::distortion::Distortion;
use super::error::Origin;
use super::example::{Example, Expect};
use crate::analysis::Analysis;
use crate::engine::Engine;

/// One example that did not behave as its rule says it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The file the example is in.
    pub origin: Origin,
    /// The example's line.
    pub line: usize,
    /// The distortion id.
    pub distortion: String,
    /// The pattern id, for a pattern-level example.
    pub pattern: Option<String>,
    /// The example text, without span markers.
    pub text: String,
    /// What went wrong.
    pub problem: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: distortion '{}'",
            self.origin, self.line, self.distortion
        )?;
        if let Some(pattern) = &self.pattern {
            write!(f, ", pattern '{pattern}'")?;
        }
        write!(f, ": {:?}: {}", self.text, self.problem)
    }
}

/// Runs every example of every rule file in the engine's rule set that `include` accepts; returns
/// the failures and the number of examples run.
pub fn run_examples(
    engine: &Engine,
    include: impl Fn(&Distortion) -> bool,
) -> (Vec<ExampleFailure>, usize) {
    let mut failures = Vec::new();
    let mut count = 0;
    for distortion in engine.rules().distortions().iter().filter(|d| include(d)) {
        for example in &distortion.examples {
            count += 1;
            let analysis = engine.analyse(&example.text);
            if let Some(problem) = check(&analysis, distortion, None, example) {
                failures.push(failure(distortion, None, example, problem));
            }
        }
        for pattern in &distortion.patterns {
            for example in &pattern.examples {
                count += 1;
                let analysis = engine.analyse(&example.text);
                if let Some(problem) = check(&analysis, distortion, Some(&pattern.id), example) {
                    failures.push(failure(distortion, Some(&pattern.id), example, problem));
                }
            }
        }
    }
    (failures, count)
}

fn failure(
    distortion: &Distortion,
    pattern: Option<&str>,
    example: &Example,
    problem: String,
) -> ExampleFailure {
    ExampleFailure {
        origin: distortion.origin.clone(),
        line: example.line,
        distortion: distortion.id.clone(),
        pattern: pattern.map(str::to_string),
        text: example.text.clone(),
        problem,
    }
}

/// Says what is wrong, or `None` when the example behaves.
fn check(
    analysis: &Analysis,
    distortion: &Distortion,
    pattern: Option<&str>,
    example: &Example,
) -> Option<String> {
    // A distortion's matches are in its finding; a safety file's are in the safety finding, which
    // may mix several safety files, so they are told apart by the pattern they came from.
    let own = |m: &&crate::analysis::Match| {
        distortion
            .patterns
            .iter()
            .any(|p| std::ptr::eq(p, m.pattern))
    };
    let spans: Vec<(&str, std::ops::Range<usize>)> = analysis
        .findings
        .iter()
        .filter(|f| f.distortion.id == distortion.id)
        .flat_map(|f| f.matches.iter())
        .chain(
            analysis
                .safety
                .iter()
                .flat_map(|s| s.matches.iter())
                .filter(own),
        )
        .filter(|m| pattern.is_none_or(|p| m.pattern.id == p))
        .map(|m| (m.text, m.span.bytes.clone()))
        .collect();
    let what = if pattern.is_some() {
        "the pattern"
    } else {
        "the distortion"
    };
    match example.expect {
        Expect::Flag if spans.is_empty() => {
            let others: Vec<String> = analysis
                .findings
                .iter()
                .flat_map(|f| {
                    f.matches
                        .iter()
                        .map(move |m| format!("{}/{}", f.distortion.id, m.pattern.id))
                })
                .collect();
            Some(if others.is_empty() {
                format!("must be flagged by {what}, but nothing matched")
            } else {
                format!(
                    "must be flagged by {what}, but only {} matched",
                    others.join(", ")
                )
            })
        }
        Expect::Flag => match (example.marked(), &example.span) {
            (Some(marked), Some(span)) if !spans.iter().any(|(_, s)| s == span) => {
                let found: Vec<String> = spans.iter().map(|(t, _)| format!("{t:?}")).collect();
                Some(format!(
                    "must highlight {marked:?}, but {what} matched {}",
                    found.join(", ")
                ))
            }
            _ => None,
        },
        Expect::Allow if !spans.is_empty() => {
            let found: Vec<String> = spans.iter().map(|(t, _)| format!("{t:?}")).collect();
            Some(format!(
                "must stay silent, but {what} matched {}",
                found.join(", ")
            ))
        }
        Expect::Allow => None,
    }
}

/// The project's neutral corpus (`tests/data/neutral.txt`): sentences no rule should flag.
pub const NEUTRAL_CORPUS: &str = include_str!("../../tests/data/neutral.txt");

/// A neutral sentence that a rule flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeutralHit {
    /// The distortion id.
    pub distortion: String,
    /// The pattern id.
    pub pattern: String,
    /// The neutral sentence.
    pub text: String,
    /// The words that matched.
    pub matched: String,
}

/// Runs the neutral corpus through the engine and returns every finding made by a rule file that
/// `include` accepts (a neutral sentence should produce none).
pub fn run_neutral(engine: &Engine, include: impl Fn(&Distortion) -> bool) -> Vec<NeutralHit> {
    let mut hits = Vec::new();
    for line in NEUTRAL_CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let analysis = engine.analyse(line);
        for finding in analysis.findings.iter().filter(|f| include(f.distortion)) {
            for m in &finding.matches {
                hits.push(NeutralHit {
                    distortion: finding.distortion.id.clone(),
                    pattern: m.pattern.id.clone(),
                    text: line.to_string(),
                    matched: m.text.to_string(),
                });
            }
        }
    }
    hits
}
