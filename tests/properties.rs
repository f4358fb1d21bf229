//! Properties that must hold for any input, checked on generated cases (a bounded number, so
//! `cargo test` stays quick): the analysis never panics and its spans point into the text, a
//! fresh engine and one deep in a batch agree, a journal entry comes back as it was written, and
//! the rule loader turns any bytes into rules or an error, never a panic.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;
use reframe::analysis::{Analysis, Match};
use reframe::journal::{Answer, CheckIn, CheckInAnswer, CheckInReason, Entry, Feeling, Journal};
use reframe::{Engine, RuleSet, RuleSources};

use crate::util::minimal_rule;

/// Words the rules care about, disguises the text folding undoes, and characters that stress
/// byte and character offsets: mixed with arbitrary text, they make thoughts that match.
const PIECES: &[&str] = &[
    "I",
    "i",
    "always",
    "never",
    "fail",
    "everyone",
    "nobody",
    "hates",
    "me",
    "I'm",
    "Im",
    "loser",
    "should",
    "must",
    "kill",
    "myself",
    "want",
    "to",
    "die",
    "suicide",
    "burden",
    "worthless",
    "will",
    "be",
    "alone",
    "forever",
    "they",
    "think",
    "stupid",
    "ruin",
    "everything",
    ".",
    "!",
    "?",
    ",",
    "…",
    "’",
    "\u{200B}",
    "\u{AD}",
    "\u{B}",
    "\t",
    "ｋｉｌｌ",
    "k\u{456}ll",
    "é",
    "e\u{301}",
    "ß",
    "İ",
    "ﬁ",
    "😢",
    "\u{1F3FD}",
    "日本語",
    "\u{202E}",
    "\u{0}",
];

/// A thought: pieces and arbitrary strings, joined by arbitrary separators.
fn thought() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    let separator =
        proptest::sample::select(&[" ", " ", " ", " ", " ", "", "  ", "\u{A0}", "-"][..]);
    proptest::collection::vec((piece, separator), 0..24).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(piece, separator)| [piece, separator.to_string()])
            .collect()
    })
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // A failure is turned into a named test by hand; no files are written.
        failure_persistence: None,
        ..Config::default()
    }
}

/// One engine for the whole run, to stand in for a batch: most thoughts it sees come after
/// others, so they take the batch's route.
fn shared() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let engine = Engine::new(RuleSet::builtin().unwrap()).unwrap();
        engine.analyse("a first thought, so the next take the batch route");
        engine
    })
}

/// Asserts that a match's offsets lie on character boundaries of `text` and agree with its words.
fn check_match(text: &str, m: &Match) {
    let bytes = m.span.bytes.clone();
    assert!(
        bytes.start < bytes.end && bytes.end <= text.len(),
        "{bytes:?} in {text:?}"
    );
    assert!(
        text.is_char_boundary(bytes.start) && text.is_char_boundary(bytes.end),
        "{bytes:?} in {text:?}"
    );
    assert_eq!(&text[bytes.clone()], m.text);
    let chars = m.span.chars.clone();
    assert_eq!(chars.start, text[..bytes.start].chars().count(), "{text:?}");
    assert_eq!(chars.end - chars.start, m.text.chars().count(), "{text:?}");
}

/// What an analysis found, as plain values: its safety answer, whether it names suicide, and each
/// distortion with its matched words.
type Found = (Option<String>, bool, Vec<(String, Vec<String>)>);

/// What an analysis found, as plain values to compare across engines.
fn summary(analysis: &Analysis) -> Found {
    (
        analysis.safety.as_ref().map(|s| {
            let words: Vec<&str> = s.matches.iter().map(|m| m.text).collect();
            format!("{} {}", s.level.as_str(), words.join("|"))
        }),
        analysis.mentions_suicide,
        analysis
            .findings
            .iter()
            .map(|f| {
                let words = f.matches.iter().map(|m| m.text.to_string()).collect();
                (f.distortion.id.clone(), words)
            })
            .collect(),
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_thought_is_analysed_without_panic_and_its_spans_point_into_it(text in thought()) {
        let analysis = shared().analyse(&text);
        for m in analysis.findings.iter().flat_map(|f| &f.matches) {
            check_match(&text, m);
        }
        for m in analysis.safety.iter().flat_map(|s| &s.matches) {
            check_match(&text, m);
        }
        // A thought with crisis language, or one naming suicide, is never reframed.
        if analysis.safety.is_some() || analysis.mentions_suicide {
            prop_assert!(analysis.findings.is_empty());
        }
    }
}

proptest! {
    // Each case builds an engine of its own, which takes a while in a debug build.
    #![proptest_config(config(24))]

    #[test]
    fn a_fresh_engine_and_one_in_a_batch_find_the_same(text in thought()) {
        let fresh = Engine::new(RuleSet::builtin().unwrap()).unwrap();
        prop_assert_eq!(summary(&fresh.analyse(&text)), summary(&shared().analyse(&text)));
    }
}

/// An entry with every field set from generated values.
fn entry() -> impl Strategy<Value = Entry> {
    let text = || any::<String>();
    let rating = || proptest::option::of(0u8..=100);
    (
        (text(), proptest::option::of(text()), text()),
        proptest::collection::vec((text(), rating(), rating()), 0..4),
        proptest::collection::vec((text(), text()), 0..4),
        (rating(), rating(), rating()),
        (
            proptest::option::of(text()),
            any::<bool>(),
            0i64..4_000_000_000,
        ),
        proptest::option::of((0usize..4, any::<bool>())),
    )
        .prop_map(
            |((thought, situation, step), feelings, answers, ratings, rest, check_in)| {
                let (balanced, stop, seconds) = rest;
                let started = jiff::Timestamp::from_second(seconds).unwrap();
                let mut e = Entry::new(started);
                e.thought = thought;
                e.situation = situation;
                e.step = Some(step);
                e.feelings = feelings
                    .into_iter()
                    .map(|(name, before, after)| Feeling {
                        name,
                        before,
                        after,
                    })
                    .collect();
                e.answers = answers
                    .into_iter()
                    .map(|(question, answer)| Answer { question, answer })
                    .collect();
                (e.belief_before, e.belief_after, e.balanced_belief) = ratings;
                e.balanced_thought = balanced;
                e.safety_stop = stop;
                e.check_in = check_in.map(|(reason, yes)| CheckIn {
                    reason: [
                        CheckInReason::Concern,
                        CheckInReason::Hopeless,
                        CheckInReason::Mention,
                        CheckInReason::Concern,
                    ][reason],
                    answer: Some(if yes {
                        CheckInAnswer::Yes
                    } else {
                        CheckInAnswer::No
                    }),
                });
                e
            },
        )
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn a_journal_entry_comes_back_as_it_was_written(first in entry(), second in entry()) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        journal.append(&first).unwrap();
        journal.append(&second).unwrap();
        let (entries, warnings) = journal.read().unwrap();
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        prop_assert_eq!(entries, vec![first, second]);
    }
}

/// Rule file text: arbitrary bytes, or a valid rule file with a piece replaced by arbitrary text,
/// which gets further into the loader before something is wrong.
fn rule_file() -> impl Strategy<Value = Vec<u8>> {
    let valid = minimal_rule("Zebra thinking", "zebra");
    let length = valid.len();
    prop_oneof![
        any::<Vec<u8>>(),
        (0..length, 0..length, any::<String>()).prop_map(move |(a, b, piece)| {
            let (start, end) = (a.min(b), a.max(b));
            let mut text = valid.as_bytes()[..start].to_vec();
            text.extend_from_slice(piece.as_bytes());
            text.extend_from_slice(&valid.as_bytes()[end..]);
            text
        }),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_loader_turns_any_bytes_into_rules_or_an_error(bytes in rule_file(), safety in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let name = if safety { "safety-mine.toml" } else { "zebra-thinking.toml" };
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        let sources = RuleSources {
            builtin: false,
            paths: vec![dir.path().to_path_buf()],
        };
        // Either answer is fine; a panic fails the test.
        let _ = RuleSet::load(&sources);
    }
}

#[test]
fn the_generated_thoughts_reach_the_rules() {
    // The properties above say little if no generated thought matches anything.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut found, mut crisis) = (0, 0);
    for _ in 0..300 {
        let text = thought().new_tree(&mut runner).unwrap().current();
        let analysis = shared().analyse(&text);
        found += usize::from(!analysis.findings.is_empty());
        crisis += usize::from(analysis.safety.is_some());
    }
    assert!(
        found >= 15 && crisis >= 3,
        "{found} with findings, {crisis} with crisis language"
    );
}
