//! For a thought whose label a distortion's rules missed, how near those rules came: the note
//! `reframe eval --explain` prints under each miss, so that a rule writer sees which shape is
//! missing rather than only that something is.
//!
//! Only the rules of the missed distortion are looked at, and the answer is the first of these
//! that holds:
//!
//! 1. A pattern matched and no exception cancelled it ([`Nearest::Unreported`]). The
//!    distortion was still not reported because the thought was not reframed at all: it spoke
//!    of crisis, or named suicide or self-harm.
//! 2. A pattern matched, but an `unless` exception (the distortion's or the pattern's own)
//!    cancelled every match ([`Nearest::Cancelled`]), with the words of the exception that
//!    fired: the case a rule writer can most often do something about. When several patterns
//!    were cancelled, the first in the file is named.
//! 3. No pattern matched. Each `match` expression has clauses of fixed phrases it cannot match
//!    without (see `crate::literals`; the literal filter uses the same ones); the expression
//!    that meets the most of its clauses is named, with the phrases it has and one clause it
//!    lacks ([`Nearest::Partial`]). At least one clause must be met; ties go to the expression
//!    with fewer clauses, then to the first in the file. Phrases are looked for as the filter
//!    looks for them, as plain text, so a short one ("all") may be found inside a longer word
//!    ("fall"): a note of one short phrase says little.
//! 4. Otherwise, nothing comes near ([`Nearest::NoneNear`]).
//!
//! This runs only for misses, and only when explanations are asked for: it compiles the
//! distortion's expressions again, one by one, which an ordinary analysis never needs.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex_automata::meta::Regex;
use serde::Serialize;

use crate::engine::Engine;
use crate::literals::{self, Clause, collapse_spaces};
use crate::normalize::Normalized;
use crate::rules::{Build, Distortion, Kind, Pattern, Scope, Source, compile, prepare};
use crate::sentence;

/// At most this many of a missing clause's phrases are named; the rest are counted.
const SHOWN: usize = 4;

/// How near a distortion's rules came to a thought they did not report it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Nearest {
    /// A pattern matched and no exception cancelled it; the distortion went unreported because
    /// the thought was not reframed at all (it spoke of crisis, or named suicide or self-harm).
    Unreported {
        /// The pattern's id.
        pattern: String,
        /// The words it matched.
        matched: String,
    },
    /// A pattern matched, but an exception cancelled each of its matches.
    Cancelled {
        /// The pattern's id.
        pattern: String,
        /// The words it matched (its first match).
        matched: String,
        /// The exception that cancelled that match.
        exception: ExceptionHit,
    },
    /// No pattern matched; this expression's fixed phrases came closest.
    Partial {
        /// The id of the pattern the expression belongs to.
        pattern: String,
        /// How many clauses the expression has; `found` has one phrase for each clause met.
        clauses: usize,
        /// For each clause the thought meets, the phrase of it found (as normalized: lowercase).
        found: Vec<String>,
        /// Some phrases of the first clause the thought does not meet, any one of which it
        /// would need; empty when it meets every clause and the expression still does not
        /// match (the phrases are there, but not in the order or form it asks for).
        missing: Vec<String>,
        /// How many more phrases that clause has than `missing` names.
        missing_others: usize,
    },
    /// No expression of the distortion has a single clause met in the thought.
    NoneNear,
}

/// An `unless` exception that cancelled a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionHit {
    /// Whose list it is in: the distortion's (shared by all its patterns) or the pattern's own.
    pub list: ExceptionList,
    /// The exception as written.
    pub expression: String,
    /// Its line in the rule file.
    pub line: usize,
    /// The words it matched.
    pub matched: String,
}

/// Which `unless` list an exception is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionList {
    /// The distortion's own list, which applies to every pattern.
    Distortion,
    /// The pattern's own list.
    Pattern,
}

/// Works out [`Nearest`] notes against an engine's rules, preparing each distortion's
/// expressions the first time one of its misses is looked at.
#[derive(Debug)]
pub struct NearestFinder<'e> {
    engine: &'e Engine,
    /// By distortion id; `None` for an id with no rules loaded (or a safety file's).
    prepared: HashMap<String, Option<Prepared<'e>>>,
}

/// One distortion's expressions, ready to be tried on a thought.
#[derive(Debug)]
struct Prepared<'e> {
    /// Every `match` expression, in file order.
    expressions: Vec<Expression<'e>>,
    /// Every phrase of every clause of those expressions, once.
    phrases: Vec<String>,
    /// One search for all of `phrases`; `None` if it could not be built (no clause is then met).
    search: Option<AhoCorasick>,
    /// The distortion's own exceptions.
    shared: Vec<Lazy<'e>>,
    /// Each pattern's own exceptions, by pattern index.
    own: Vec<Vec<Lazy<'e>>>,
}

/// One `match` expression.
#[derive(Debug)]
struct Expression<'e> {
    pattern_index: usize,
    pattern: &'e Pattern,
    /// The clauses it cannot match without, each as numbers in [`Prepared::phrases`]; `None` if
    /// it does not parse.
    clauses: Option<Vec<Vec<usize>>>,
    regex: Lazy<'e>,
}

/// An expression as written, compiled the first time it runs.
#[derive(Debug)]
struct Lazy<'e> {
    source: &'e Source,
    regex: OnceLock<Option<Regex>>,
}

impl<'e> Lazy<'e> {
    fn new(source: &'e Source) -> Lazy<'e> {
        Lazy {
            source,
            regex: OnceLock::new(),
        }
    }

    /// The compiled expression; `None` if it does not compile (the engine never runs it either).
    fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile(&self.source.text, Build::Lean).ok())
            .as_ref()
    }
}

impl<'e> Prepared<'e> {
    fn new(distortion: &'e Distortion) -> Prepared<'e> {
        let lazies = |sources: &'e [Source]| sources.iter().map(Lazy::new).collect::<Vec<_>>();
        let mut phrases: Vec<String> = Vec::new();
        let mut numbers: HashMap<String, usize> = HashMap::new();
        let mut number = |phrase: String| {
            *numbers.entry(phrase).or_insert_with_key(|phrase| {
                phrases.push(phrase.clone());
                phrases.len() - 1
            })
        };
        let mut expressions = Vec::new();
        for (pattern_index, pattern) in distortion.patterns.iter().enumerate() {
            for source in &pattern.sources {
                let clauses = literals::requirement(&prepare(&source.text)).ok();
                expressions.push(Expression {
                    pattern_index,
                    pattern,
                    clauses: clauses.map(|clauses| {
                        (clauses.into_iter())
                            .map(|clause: Clause| clause.into_iter().map(&mut number).collect())
                            .collect()
                    }),
                    regex: Lazy::new(source),
                });
            }
        }
        Prepared {
            expressions,
            search: AhoCorasick::new(&phrases).ok(),
            phrases,
            shared: lazies(&distortion.unless_sources),
            own: (distortion.patterns.iter())
                .map(|p| lazies(&p.unless_sources))
                .collect(),
        }
    }

    /// The exception that cancels a match of the pattern at `pattern_index` in `scope` (a
    /// sentence, or the whole thought, of `normalized`), with the original words it matched.
    fn exception(
        &self,
        pattern_index: usize,
        text: &str,
        normalized: &Normalized,
        scope: &Range<usize>,
    ) -> Option<ExceptionHit> {
        let sentence = &normalized.as_str()[scope.clone()];
        let lists = [
            (ExceptionList::Distortion, &self.shared),
            (ExceptionList::Pattern, &self.own[pattern_index]),
        ];
        lists.into_iter().find_map(|(list, lazies)| {
            lazies.iter().find_map(|lazy| {
                let found = lazy.get()?.find(sentence)?;
                Some(ExceptionHit {
                    list,
                    expression: lazy.source.text.clone(),
                    line: lazy.source.line,
                    matched: words(text, normalized, scope.start, found.range()),
                })
            })
        })
    }
}

/// The words of `text` behind `found`, a range of its normalized form counted from `offset`.
fn words(text: &str, normalized: &Normalized, offset: usize, found: Range<usize>) -> String {
    text[normalized.original(offset + found.start..offset + found.end)].to_string()
}

impl<'e> NearestFinder<'e> {
    /// A finder over the rules `engine` runs.
    pub fn new(engine: &'e Engine) -> NearestFinder<'e> {
        NearestFinder {
            engine,
            prepared: HashMap::new(),
        }
    }

    /// How near the rules of the distortion `id` came to `text`, a thought they did not report
    /// it in; `None` when no rules of that id are loaded.
    pub fn nearest(&mut self, id: &str, text: &str) -> Option<Nearest> {
        let engine = self.engine;
        let prepared = self
            .prepared
            .entry(id.to_string())
            .or_insert_with(|| {
                engine
                    .rules()
                    .get(id)
                    .filter(|d| d.kind == Kind::Distortion)
                    .map(Prepared::new)
            })
            .as_ref()?;
        Some(nearest_in(prepared, text))
    }
}

/// [`NearestFinder::nearest`] for one distortion's prepared rules.
fn nearest_in(prepared: &Prepared, text: &str) -> Nearest {
    let normalized = Normalized::new(text);
    let haystack = normalized.as_str();
    let sentences = sentence::split(haystack);
    let whole = 0..haystack.len();
    // Which phrases the thought has, looked for as the literal filter looks: in the normalized
    // text with runs of spaces made one.
    let mut present = vec![false; prepared.phrases.len()];
    if let Some(search) = &prepared.search {
        for found in search.find_overlapping_iter(collapse_spaces(haystack).as_ref()) {
            present[found.pattern().as_usize()] = true;
        }
    }
    let is_met = |clause: &Vec<usize>| clause.iter().any(|&phrase| present[phrase]);
    let mut cancelled = None;
    // The nearest expression so far: (clauses met, clauses, its index).
    let mut best: Option<(usize, usize, usize)> = None;
    for (index, expression) in prepared.expressions.iter().enumerate() {
        let clauses = expression.clauses.as_deref().unwrap_or_default();
        let met = clauses.iter().filter(|clause| is_met(clause)).count();
        let total = clauses.len();
        // An expression with a clause unmet cannot match; one that does not parse has no
        // clauses to go by, and is tried.
        if met == total {
            let Some(regex) = expression.regex.get() else {
                continue;
            };
            let scopes: &[Range<usize>] = match expression.pattern.scope {
                Scope::Sentence => &sentences,
                Scope::Thought => std::slice::from_ref(&whole),
            };
            for scope in scopes {
                let found = regex
                    .find_iter(&haystack[scope.clone()])
                    .find(|m| !m.is_empty());
                let Some(found) = found else { continue };
                let matched = words(text, &normalized, scope.start, found.range());
                let pattern = expression.pattern.id.clone();
                match prepared.exception(expression.pattern_index, text, &normalized, scope) {
                    None => return Nearest::Unreported { pattern, matched },
                    Some(exception) => {
                        cancelled.get_or_insert(Nearest::Cancelled {
                            pattern,
                            matched,
                            exception,
                        });
                    }
                }
            }
        }
        // More clauses met is nearer, then fewer clauses in all; on a tie the first stays.
        let nearer = best.is_none_or(|(best_met, best_total, _)| {
            (met, Reverse(total)) > (best_met, Reverse(best_total))
        });
        if met > 0 && nearer {
            best = Some((met, total, index));
        }
    }
    if let Some(cancelled) = cancelled {
        return cancelled;
    }
    let Some((_, _, index)) = best else {
        return Nearest::NoneNear;
    };
    let expression = &prepared.expressions[index];
    let clauses = expression.clauses.as_deref().unwrap_or_default();
    // Phrases are shown without the spaces at their ends, which matter to the search but not to
    // a reader.
    let shown = |phrase: usize| prepared.phrases[phrase].trim().to_string();
    // For each clause met, its longest phrase found: the one that says most.
    let found = clauses
        .iter()
        .filter_map(|clause| {
            (clause.iter().copied())
                .filter(|&phrase| present[phrase])
                .max_by_key(|&phrase| prepared.phrases[phrase].len())
        })
        .map(shown)
        .collect();
    let mut lacking: Vec<String> = Vec::new();
    let unmet = clauses.iter().find(|clause| !is_met(clause));
    for &phrase in unmet.into_iter().flatten() {
        let phrase = shown(phrase);
        if !lacking.contains(&phrase) {
            lacking.push(phrase);
        }
    }
    let missing_others = lacking.len().saturating_sub(SHOWN);
    lacking.truncate(SHOWN);
    Nearest::Partial {
        pattern: expression.pattern.id.clone(),
        clauses: clauses.len(),
        found,
        missing: lacking,
        missing_others,
    }
}

#[cfg(test)]
mod tests {
    use super::{ExceptionHit, ExceptionList, Nearest, NearestFinder};
    use crate::eval::{Evaluator, Row};
    use crate::{Engine, RuleSet, RuleSources};

    /// A distortion of the tests' own, `gloom`: a shared exception, a pattern with one of its
    /// own, and patterns of one, two and three clauses (the three-clause one first in the file).
    const GLOOM: &str = r#"name = "Gloom"
summary = "Expecting the day to go wrong."
explanation = "Used by the tests."
reframes = ["I do not know yet how the day goes."]
questions = ["What else could happen?"]
unless = ['\bmaybe\b']

[[pattern]]
id = "rain-all-week"
match = ['\brain\b[^.!?]*\ball\s+week\b[^.!?]*\bagain\b']
flag = ["[Rain, all week, and again] tomorrow"]
allow = ["Rain today"]

[[pattern]]
id = "bound-to-rain"
match = ['''\bit(?:\s+is|'s)\s+bound\s+to\s+(?:rain|pour)\b''']
unless = ['\bumbrella\b']
flag = ["[It's bound to rain] on us"]
allow = ["It's bound to be sunny"]

[[pattern]]
id = "picnic-ruined"
match = ['\bthe\s+picnic\b[^.!?]*\b(?:ruined|spoiled|wrecked)\b']
flag = ["[The picnic is ruined]"]
allow = ["The picnic was lovely"]
"#;

    /// An engine of `gloom` written as `rule`, and the built-in safety file (always loaded).
    fn engine_of(rule: &str) -> Engine {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gloom.toml"), rule).unwrap();
        let sources = RuleSources {
            builtin: false,
            paths: vec![dir.path().to_path_buf()],
        };
        Engine::new(RuleSet::load(&sources).unwrap()).unwrap()
    }

    fn engine() -> Engine {
        engine_of(GLOOM)
    }

    /// The line of `GLOOM` that starts with `start`.
    fn line_of(start: &str) -> usize {
        1 + GLOOM
            .lines()
            .position(|line| line.starts_with(start))
            .expect("the line is there")
    }

    fn partial(pattern: &str, clauses: usize, found: &[&str], missing: &[&str]) -> Nearest {
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        Nearest::Partial {
            pattern: pattern.to_string(),
            clauses,
            found: strings(found),
            missing: strings(missing),
            missing_others: 0,
        }
    }

    #[test]
    fn a_match_every_exception_cancelled_is_named_with_the_exception_and_its_words() {
        let engine = engine();
        assert!(
            engine.analyse("Maybe it’s bound to rain").is_empty(),
            "the exception cancels the match"
        );
        let mut finder = NearestFinder::new(&engine);
        assert_eq!(
            finder.nearest("gloom", "Maybe it’s bound to rain"),
            Some(Nearest::Cancelled {
                pattern: "bound-to-rain".to_string(),
                // The thought's own words, curly apostrophe and capital included.
                matched: "it’s bound to rain".to_string(),
                exception: ExceptionHit {
                    list: ExceptionList::Distortion,
                    expression: r"\bmaybe\b".to_string(),
                    line: line_of("unless = ['\\bmaybe"),
                    matched: "Maybe".to_string(),
                },
            })
        );
        let Some(Nearest::Cancelled { exception, .. }) =
            finder.nearest("gloom", "It is bound to pour, I forgot my Umbrella")
        else {
            panic!("the pattern's own exception cancels the match");
        };
        assert_eq!(
            (exception.list, exception.line, exception.matched.as_str()),
            (
                ExceptionList::Pattern,
                line_of("unless = ['\\bumbrella"),
                "Umbrella"
            )
        );
    }

    #[test]
    fn a_match_nothing_cancelled_is_named_as_unreported_on_a_thought_held_back() {
        let engine = engine();
        let mut evaluator = Evaluator::new(&engine).explaining();
        let row = |text: &str| Row {
            text: text.to_string(),
            labels: Some(vec!["gloom".to_string()]),
            crisis: None,
            subtype: None,
        };
        evaluator
            .add(1, &row("It's bound to rain and I want to kill myself"))
            .unwrap();
        evaluator.add(2, &row("It's bound to rain")).unwrap();
        evaluator.add(3, &row("I fed the cat")).unwrap();
        let report = evaluator.finish();
        let nearest: Vec<(usize, Option<Nearest>)> = report.explanations["gloom"]
            .misses
            .iter()
            .map(|miss| (miss.line, miss.nearest.clone()))
            .collect();
        assert_eq!(
            nearest,
            [
                (
                    1,
                    Some(Nearest::Unreported {
                        pattern: "bound-to-rain".to_string(),
                        matched: "It's bound to rain".to_string(),
                    })
                ),
                (3, Some(Nearest::NoneNear)),
            ]
        );
    }

    #[test]
    fn without_a_match_the_expression_with_most_clauses_met_is_nearest() {
        let engine = engine();
        let mut finder = NearestFinder::new(&engine);
        let mut nearest = |text| finder.nearest("gloom", text).expect("gloom is loaded");
        // One clause met of two (picnic-ruined) and one of three (rain-all-week, earlier in the
        // file): fewer clauses in all is nearer.
        assert_eq!(
            nearest("The picnic is on Sunday, if the rain stops"),
            partial(
                "picnic-ruined",
                2,
                &["the picnic"],
                &["ruined", "spoiled", "wrecked"]
            )
        );
        // Two clauses met of three beat one of two.
        assert_eq!(
            nearest("The picnic: rain all week"),
            partial("rain-all-week", 3, &["rain", "all week"], &["again"])
        );
        // Every clause met, and still no match: nothing is missing but the shape.
        assert_eq!(
            nearest("It was spoiled, the picnic"),
            partial("picnic-ruined", 2, &["the picnic", "spoiled"], &[])
        );
    }

    #[test]
    fn a_thought_with_no_clause_of_any_expression_is_not_near() {
        let engine = engine();
        let mut finder = NearestFinder::new(&engine);
        assert_eq!(
            finder.nearest("gloom", "I fed the cat"),
            Some(Nearest::NoneNear)
        );
        assert_eq!(finder.nearest("no-such-distortion", "I fed the cat"), None);
    }

    #[test]
    fn a_long_missing_clause_is_cut_to_a_few_phrases_and_a_count() {
        let engine = engine_of(&GLOOM.replace(
            "ruined|spoiled|wrecked",
            "ruined|spoiled|wrecked|over|lost|gone",
        ));
        let Some(Nearest::Partial {
            missing,
            missing_others,
            ..
        }) = NearestFinder::new(&engine).nearest("gloom", "The picnic is on")
        else {
            panic!("picnic-ruined is near");
        };
        assert_eq!(
            (missing, missing_others),
            (
                ["gone", "lost", "over", "ruined"]
                    .map(String::from)
                    .to_vec(),
                2
            )
        );
    }
}
