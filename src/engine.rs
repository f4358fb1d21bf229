//! The engine: a compiled rule set that analyses thoughts.
//!
//! All `match` expressions of all patterns are compiled once into one [`RegexSet`], so a thought
//! costs one pass over the set. Only the expressions the set reports run again, sentence by
//! sentence, to find exact spans and captures and to apply `unless` exceptions. A thought that
//! matches nothing (most neutral lines) is never split into sentences at all.
//!
//! The engine knows nothing of files, terminals or the environment: rules come in as a
//! [`RuleSet`], results go out as an [`Analysis`].

use std::borrow::Cow;
use std::ops::Range;

use regex::{RegexSet, RegexSetBuilder};

use crate::analysis::{Analysis, Finding, Match, Span};
use crate::rules::{Distortion, Pattern, RuleSet, Template, prepare};
use crate::sentence;

/// The lazy DFA's cache for the whole set. The default (about 2 MB) thrashes once a set holds a
/// hundred or so case-insensitive patterns, which measured several times slower on batch input;
/// the cache is allocated as it fills, so a one-shot run never pays for the size.
const SET_DFA_CACHE: usize = 64 * 1024 * 1024;

/// The compiled set's size limit, well above what the built-in rules need.
const SET_SIZE_LIMIT: usize = 64 * 1024 * 1024;

/// The position of one `match` expression in the rule set.
#[derive(Debug, Clone, Copy)]
struct Slot {
    distortion: usize,
    pattern: usize,
    alternative: usize,
}

/// A rule set compiled for matching.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: RuleSet,
    set: RegexSet,
    slots: Vec<Slot>,
}

/// Why a rule set could not be compiled into one set (each expression compiled on its own).
#[derive(Debug, thiserror::Error)]
#[error("the rule set is too large to compile as one: {0}")]
pub struct EngineError(#[from] regex::Error);

/// A match found before grouping into findings.
struct Hit<'e, 't> {
    distortion: usize,
    pattern_index: usize,
    pattern: &'e Pattern,
    range: Range<usize>,
    captures: Vec<(&'e str, &'t str)>,
}

impl Engine {
    /// Compiles `rules` into an engine.
    pub fn new(rules: RuleSet) -> Result<Engine, EngineError> {
        let mut slots = Vec::new();
        let mut sources = Vec::new();
        for (d, distortion) in rules.distortions().iter().enumerate() {
            for (p, pattern) in distortion.patterns.iter().enumerate() {
                for (a, source) in pattern.sources.iter().enumerate() {
                    slots.push(Slot {
                        distortion: d,
                        pattern: p,
                        alternative: a,
                    });
                    sources.push(prepare(source));
                }
            }
        }
        let set = RegexSetBuilder::new(sources)
            .case_insensitive(true)
            .size_limit(SET_SIZE_LIMIT)
            .dfa_size_limit(SET_DFA_CACHE)
            .build()?;
        Ok(Engine { rules, set, slots })
    }

    /// The rules the engine runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Finds every distortion in `text`.
    pub fn analyse<'e, 't>(&'e self, text: &'t str) -> Analysis<'e, 't> {
        let matched = self.set.matches(text);
        if !matched.matched_any() {
            return Analysis {
                text,
                findings: Vec::new(),
            };
        }
        let sentences = sentence::split(text);
        let mut hits = Vec::new();
        for slot in matched.iter().map(|i| self.slots[i]) {
            let distortion = &self.rules.distortions()[slot.distortion];
            let pattern = &distortion.patterns[slot.pattern];
            self.collect(text, &sentences, slot, pattern, &mut hits);
        }
        Analysis {
            text,
            findings: group(text, self.rules.distortions(), hits),
        }
    }

    fn collect<'e, 't>(
        &'e self,
        text: &'t str,
        sentences: &[Range<usize>],
        slot: Slot,
        pattern: &'e Pattern,
        hits: &mut Vec<Hit<'e, 't>>,
    ) {
        let regex = &pattern.regexes[slot.alternative];
        let wants_captures = !pattern.reframes.is_empty() || !pattern.questions.is_empty();
        for range in sentences {
            let sentence = &text[range.clone()];
            // Checked lazily: most sentences do not match, and the exceptions cost a search each.
            let mut excepted = None;
            for caps in regex.captures_iter(sentence) {
                let whole = caps.get(0).expect("group 0 always takes part");
                if whole.is_empty() {
                    continue;
                }
                if *excepted.get_or_insert_with(|| pattern.is_excepted(sentence)) {
                    break;
                }
                let captures = if wants_captures {
                    regex
                        .capture_names()
                        .flatten()
                        .filter_map(|name| Some((name, tidy(caps.name(name)?.as_str())?)))
                        .collect()
                } else {
                    Vec::new()
                };
                hits.push(Hit {
                    distortion: slot.distortion,
                    pattern_index: slot.pattern,
                    pattern,
                    range: range.start + whole.start()..range.start + whole.end(),
                    captures,
                });
            }
        }
    }
}

/// Trims a captured phrase for use inside a sentence; `None` if nothing is left.
fn tidy(capture: &str) -> Option<&str> {
    let trimmed = capture
        .trim()
        .trim_end_matches(['.', ',', '!', '?', ';', ':'])
        .trim_end();
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Groups hits by distortion and fills each finding's reframes and questions.
fn group<'e, 't>(
    text: &'t str,
    distortions: &'e [Distortion],
    mut hits: Vec<Hit<'e, 't>>,
) -> Vec<Finding<'e, 't>> {
    hits.sort_by_key(|h| (h.distortion, h.range.start, h.range.end, h.pattern_index));
    hits.dedup_by(|a, b| {
        a.distortion == b.distortion && a.pattern_index == b.pattern_index && a.range == b.range
    });
    let ascii = text.is_ascii();
    let chars = |bytes: &Range<usize>| {
        if ascii {
            bytes.clone()
        } else {
            let start = text[..bytes.start].chars().count();
            start..start + text[bytes.clone()].chars().count()
        }
    };
    let mut findings: Vec<Finding<'e, 't>> = Vec::new();
    for group in hits.chunk_by(|a, b| a.distortion == b.distortion) {
        let distortion = &distortions[group[0].distortion];
        let mut reframes: Vec<Cow<'e, str>> = Vec::new();
        let mut questions: Vec<Cow<'e, str>> = Vec::new();
        let mut ordered: Vec<&Hit<'e, 't>> = group.iter().collect();
        ordered.sort_by_key(|h| h.pattern_index);
        ordered.dedup_by_key(|h| h.pattern_index);
        for hit in ordered {
            let lookup = |name: &str| {
                hit.captures
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| *v)
            };
            fill_into(&mut reframes, &hit.pattern.reframes, &lookup);
            fill_into(&mut questions, &hit.pattern.questions, &lookup);
        }
        fill_into(&mut reframes, &distortion.reframes, &|_| None);
        fill_into(&mut questions, &distortion.questions, &|_| None);
        let matches = group
            .iter()
            .map(|hit| Match {
                pattern: hit.pattern,
                text: &text[hit.range.clone()],
                span: Span {
                    chars: chars(&hit.range),
                    bytes: hit.range.clone(),
                },
            })
            .collect();
        findings.push(Finding {
            distortion,
            matches,
            reframes,
            questions,
        });
    }
    findings.sort_by(|a, b| {
        (a.matches[0].span.bytes.start, &a.distortion.id)
            .cmp(&(b.matches[0].span.bytes.start, &b.distortion.id))
    });
    findings
}

/// Appends each template that can be filled and is not already present.
fn fill_into<'e, 't>(
    out: &mut Vec<Cow<'e, str>>,
    templates: &'e [Template],
    lookup: &dyn Fn(&str) -> Option<&'t str>,
) {
    for template in templates {
        if let Some(text) = template.fill(lookup)
            && !out.contains(&text)
        {
            out.push(text);
        }
    }
}
