//! The library API: the built-in rule set's own tests and invariants, and engine behaviour.

use std::collections::HashMap;

use reframe::rules::{Category, Expect, Kind, RuleErrorKind, run_examples};
use reframe::{Engine, LoadError, RuleSet, RuleSources};

use crate::util::{minimal_rule, rule_dir};

fn builtin() -> Engine {
    Engine::new(RuleSet::builtin().expect("built-in rules load")).expect("built-in rules compile")
}

#[test]
fn every_builtin_example_passes() {
    let (failures, count) = run_examples(&builtin(), |_| true);
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} of {count} examples failed:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn the_builtin_set_is_the_classic_catalogue_with_enough_of_everything() {
    let engine = builtin();
    let distortions = || {
        engine
            .rules()
            .distortions()
            .iter()
            .filter(|d| d.kind == Kind::Distortion)
    };
    let ids: Vec<&str> = distortions().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "all-or-nothing",
            "blaming",
            "catastrophizing",
            "comparing",
            "control-fallacy",
            "discounting-the-positive",
            "emotional-reasoning",
            "fallacy-of-change",
            "fortune-telling",
            "labeling",
            "mental-filter",
            "mind-reading",
            "overgeneralization",
            "personalization",
            "should-statements",
        ]
    );
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for d in distortions() {
        assert!(
            d.patterns.len() >= 3,
            "{}: {} patterns",
            d.id,
            d.patterns.len()
        );
        assert!(d.reframes.len() >= 5 && d.questions.len() >= 5, "{}", d.id);
        let examples = || {
            d.examples
                .iter()
                .chain(d.patterns.iter().flat_map(|p| p.examples.iter()))
        };
        assert!(
            examples().any(|e| e.expect == Expect::Flag),
            "{}: no flag example",
            d.id
        );
        assert!(
            examples().any(|e| e.expect == Expect::Allow),
            "{}: no allow example",
            d.id
        );
        for p in &d.patterns {
            assert!(
                p.examples.iter().any(|e| e.expect == Expect::Flag),
                "{}/{}: no flag example",
                d.id,
                p.id
            );
        }
        for r in d
            .reframes
            .iter()
            .chain(d.patterns.iter().flat_map(|p| p.reframes.iter()))
        {
            if let Some(other) = owner.insert(r.source(), &d.id) {
                panic!("{} and {} share the reframe {:?}", other, d.id, r.source());
            }
        }
    }
}

#[test]
fn the_builtin_safety_rules_cover_every_category_with_examples_both_ways() {
    let engine = builtin();
    let safety = engine.rules().get("safety").expect("built-in safety rules");
    assert_eq!(safety.kind, Kind::Safety);
    assert!(safety.reframes.is_empty() && safety.questions.is_empty());
    for category in Category::ALL {
        let patterns: Vec<_> = safety
            .patterns
            .iter()
            .filter(|p| p.category == Some(category))
            .collect();
        assert!(!patterns.is_empty(), "{category}");
        assert!(
            patterns
                .iter()
                .any(|p| p.examples.iter().any(|e| e.expect == Expect::Flag)),
            "{category}"
        );
        assert!(
            patterns
                .iter()
                .any(|p| p.examples.iter().any(|e| e.expect == Expect::Allow)),
            "{category}"
        );
    }
}

#[test]
fn crisis_language_is_never_reframed_even_alongside_a_thinking_trap() {
    let engine = builtin();
    let analysis = engine.analyse("I'm such a loser and I want to kill myself");
    let safety = analysis.safety.as_ref().expect("crisis language");
    assert_eq!(safety.category, Category::Suicide);
    assert_eq!(safety.matches[0].text, "kill myself");
    assert!(analysis.findings.is_empty());
}

#[test]
fn the_builtin_safety_set_alone_answers_crisis_language_and_nothing_else() {
    let rules = RuleSet::builtin_safety().expect("built-in safety rules load");
    let kinds: Vec<Kind> = rules.distortions().iter().map(|d| d.kind).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == Kind::Safety));
    let engine = Engine::new(rules).expect("built-in safety rules compile");
    let crisis = engine.analyse("I'm such a loser and I want to kill myself");
    assert_eq!(
        crisis.safety.expect("crisis language").category,
        Category::Suicide
    );
    let trap = engine.analyse("I'm such a loser");
    assert!(trap.is_empty(), "no thinking trap is looked for");
}

#[test]
fn the_fallback_safety_set_keeps_the_users_safety_files_that_load_and_nothing_else() {
    let mine = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nmatch = ['\\bbluebird\\b']\n";
    let dir = rule_dir(&[
        ("safety-mine.toml", mine),
        ("safety-broken.toml", "name = \n"),
        ("zebra.toml", &minimal_rule("Zebra", "zebra")),
    ]);
    let sources = RuleSources {
        builtin: true,
        paths: vec![
            dir.path().to_path_buf(),
            dir.path().join("no-such-directory"),
        ],
    };
    assert!(RuleSet::load(&sources).is_err());
    let rules = RuleSet::load_safety(&sources).expect("the built-in safety rules load");
    let ids: Vec<&str> = rules.distortions().iter().map(|d| d.id.as_str()).collect();
    assert!(
        ids.contains(&"safety") && ids.contains(&"safety-mine"),
        "{ids:?}"
    );
    assert!(
        rules.distortions().iter().all(|d| d.kind == Kind::Safety)
            && !ids.contains(&"safety-broken"),
        "{ids:?}"
    );
}

fn engine_from(files: &[(&str, &str)]) -> Engine {
    let dir = rule_dir(files);
    let rules = RuleSet::load(&RuleSources {
        builtin: false,
        paths: vec![dir.path().to_path_buf()],
    })
    .unwrap();
    Engine::new(rules).unwrap()
}

#[test]
fn an_exception_cancels_a_match_only_in_its_own_sentence() {
    let rule = minimal_rule("Zebra", "zebra")
        .replace("[[pattern]]\nid", "unless = ['stripes']\n\n[[pattern]]\nid");
    let engine = engine_from(&[("zebra.toml", &rule)]);
    let analysis = engine.analyse("A zebra with stripes. Another zebra!");
    let spans: Vec<_> = analysis.findings[0]
        .matches
        .iter()
        .map(|m| m.span.bytes.clone())
        .collect();
    assert_eq!(spans, vec![std::ops::Range { start: 30, end: 35 }]);
    assert!(engine.analyse("A zebra with stripes").is_empty());
}

#[test]
fn built_in_and_added_exceptions_each_cancel_their_own_distortion() {
    // The built-in exception lists come from the pre-compiled automaton, an added file's from a
    // part compiled at start-up, numbered after them.
    let rule = minimal_rule("Zebra", "zebra")
        .replace("[[pattern]]\nid", "unless = ['stripes']\n\n[[pattern]]\nid")
        .replace("match = [", "unless = ['spots']\nmatch = [");
    let dir = rule_dir(&[("zebra.toml", &rule)]);
    let engine = Engine::new(
        RuleSet::load(&RuleSources {
            builtin: true,
            paths: vec![dir.path().to_path_buf()],
        })
        .unwrap(),
    )
    .unwrap();
    let ids = |text: &str| -> Vec<String> {
        engine
            .analyse(text)
            .findings
            .iter()
            .map(|f| f.distortion.id.clone())
            .collect()
    };
    assert_eq!(ids("I saw a zebra."), ["zebra"]);
    assert!(ids("I saw a zebra with stripes.").is_empty());
    assert!(ids("I saw a zebra with spots.").is_empty());
    assert!(ids("I'll never be good enough.").contains(&"fortune-telling".to_string()));
    assert!(ids("What if I'll never be good enough?").is_empty());
    // An exception of one distortion leaves the other's match in the same sentence alone.
    assert_eq!(ids("Is that a zebra?"), ["zebra"]);
}

#[test]
fn findings_are_ordered_by_position_then_id_and_are_deterministic() {
    let engine = builtin();
    let text = "Nobody ever picks me. I'm a loser and I'll never be good enough.";
    let order = |a: &reframe::Analysis| {
        a.findings
            .iter()
            .map(|f| f.distortion.id.clone())
            .collect::<Vec<_>>()
    };
    let first = order(&engine.analyse(text));
    assert_eq!(first, ["overgeneralization", "labeling", "fortune-telling"]);
    for _ in 0..3 {
        assert_eq!(order(&engine.analyse(text)), first);
    }
}

#[test]
fn a_template_whose_capture_did_not_take_part_falls_back_to_the_distortion_reframes() {
    let engine = builtin();
    let analysis = engine.analyse("I'm not enough");
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.distortion.id == "labeling")
        .unwrap();
    assert!(
        finding.reframes.iter().all(|r| !r.contains('{')),
        "{:?}",
        finding.reframes
    );
    let with = engine.analyse("I'm not smart enough");
    let finding = with
        .findings
        .iter()
        .find(|f| f.distortion.id == "labeling")
        .unwrap();
    assert!(
        finding.reframes[0].contains("whether I'm smart enough;"),
        "{:?}",
        finding.reframes
    );
}

#[test]
fn rule_errors_are_typed_and_carry_file_line_distortion_and_pattern() {
    let bad = "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['(']\n";
    let dir = rule_dir(&[("zebra.toml", bad)]);
    // `match` expressions are checked when the engine compiles them together.
    let rules = RuleSet::load(&RuleSources {
        builtin: true,
        paths: vec![dir.path().to_path_buf()],
    })
    .unwrap();
    let errors = Engine::new(rules).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    let e = &errors.0[0];
    assert_eq!(
        (e.line, e.distortion.as_str(), e.pattern.as_deref()),
        (Some(8), "zebra", Some("p"))
    );
    assert!(matches!(e.kind, RuleErrorKind::BadRegex { .. }));
    // An exception is checked as soon as the file loads.
    let bad_unless = bad.replace("match = ['(']", "match = ['a']\nunless = ['[']");
    let dir = rule_dir(&[("zebra.toml", &bad_unless)]);
    let error = RuleSet::load(&RuleSources {
        builtin: false,
        paths: vec![dir.path().to_path_buf()],
    })
    .unwrap_err();
    let LoadError::Rules(errors) = error else {
        panic!("expected rule errors, got {error}")
    };
    assert_eq!(errors.0[0].line, Some(9));
}

#[test]
fn exceptions_too_large_to_compile_are_reported_with_their_file_and_line() {
    // Each expression parses, so the file loads; the automaton of exceptions is what fails.
    let text = "name = \"Zebra\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\n\
                questions = [\"q\"]\nunless = ['(?:\\w{1000}){1000}{100}']\n\n\
                [[pattern]]\nid = \"z\"\nmatch = ['zebra']\n";
    let dir = rule_dir(&[("zebra.toml", text)]);
    let rules = RuleSet::load(&RuleSources {
        builtin: false,
        paths: vec![dir.path().to_path_buf()],
    })
    .expect("every expression parses");
    let errors = Engine::new(rules).expect_err("the exceptions cannot compile");
    let error = &errors.0[0];
    assert_eq!(error.distortion, "zebra");
    assert_eq!(error.line, Some(6));
    assert!(
        matches!(&error.kind, RuleErrorKind::BadRegex { message, .. } if message.contains("limit")),
        "{error:?}"
    );
}

/// The built-in distortions loaded from copies of their files, so nothing is pre-compiled (the
/// built-in safety rules and word lists, which are always loaded and cannot be replaced, come
/// along by themselves).
fn compiled_at_run_time() -> (Engine, tempfile::TempDir) {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(crate::util::root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let always_loaded = ["safety.toml", "resources.toml", "words.toml"];
        if name.ends_with(".toml") && !always_loaded.contains(&name.as_str()) {
            std::fs::copy(&path, copy.path().join(name)).unwrap();
        }
    }
    let sources = RuleSources {
        builtin: false,
        paths: vec![copy.path().to_path_buf()],
    };
    (Engine::new(RuleSet::load(&sources).unwrap()).unwrap(), copy)
}

/// What an analysis found, as (distortion or "safety", pattern, byte span) triples.
fn summary(engine: &Engine, text: &str) -> Vec<(String, String, std::ops::Range<usize>)> {
    let analysis = engine.analyse(text);
    let triple =
        |id: &str, m: &reframe::Match| (id.to_string(), m.pattern.id.clone(), m.span.bytes.clone());
    let safety = analysis
        .safety
        .iter()
        .flat_map(|s| s.matches.iter().map(|m| triple("safety", m)));
    analysis
        .findings
        .iter()
        .flat_map(|f| f.matches.iter().map(|m| triple(&f.distortion.id, m)))
        .chain(safety)
        .collect()
}

#[test]
fn the_pre_compiled_and_run_time_compiled_rules_agree() {
    let pre = builtin();
    let (run, _copy) = compiled_at_run_time();
    let mut thoughts: Vec<String> =
        std::fs::read_to_string(crate::util::root().join("examples/thoughts.txt"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
    for d in pre.rules().distortions() {
        thoughts.extend(
            d.examples
                .iter()
                .chain(d.patterns.iter().flat_map(|p| p.examples.iter()))
                .map(|e| e.text.clone()),
        );
    }
    assert!(thoughts.len() > 200);
    let mut flagged = 0;
    for thought in &thoughts {
        let expected = summary(&run, thought);
        flagged += usize::from(!expected.is_empty());
        assert_eq!(summary(&pre, thought), expected, "{thought}");
    }
    assert!(
        flagged > 100,
        "the comparison covers real findings: {flagged}"
    );
}

#[test]
fn user_rules_on_top_of_the_builtins_still_match_both() {
    let dir = rule_dir(&[("zebra.toml", &minimal_rule("Zebra", "zebra"))]);
    let rules = RuleSet::load(&RuleSources {
        builtin: true,
        paths: vec![dir.path().to_path_buf()],
    })
    .unwrap();
    let engine = Engine::new(rules).unwrap();
    let ids: Vec<String> = engine
        .analyse("I'm a loser, a zebra")
        .findings
        .iter()
        .map(|f| f.distortion.id.clone())
        .collect();
    assert_eq!(ids, ["labeling", "zebra"]);
}

#[test]
fn reframes_speak_in_the_persons_own_words_lowercased_where_they_began_the_sentence() {
    let engine = builtin();
    let reframes = |text: &str, id: &str| -> Vec<String> {
        let analysis = engine.analyse(text);
        let finding = analysis
            .findings
            .iter()
            .find(|f| f.distortion.id == id)
            .unwrap_or_else(|| panic!("{id} in {text}"));
        finding.reframes.iter().map(|r| r.to_string()).collect()
    };
    let mind = reframes("My friends probably think I'm boring", "mind-reading");
    assert!(mind[0].contains("what my friends might think"), "{mind:?}");
    let label = reframes("I forgot her birthday. I'm a terrible friend", "labeling");
    assert!(
        label[0].contains("a bad friend; it makes me a friend who had a bad moment"),
        "{label:?}"
    );
    // Only the sentence-start word is lowercased; a name inside the capture keeps its capital.
    let named = reframes("My sister Anna probably thinks I'm boring", "mind-reading");
    assert!(
        named[0].contains("my sister Anna might be thinking"),
        "{named:?}"
    );
}

#[test]
fn the_rules_examples_cover_the_three_families_of_rejection() {
    let engine = builtin();
    let text: String = engine
        .rules()
        .distortions()
        .iter()
        .flat_map(|d| {
            d.examples
                .iter()
                .chain(d.patterns.iter().flat_map(|p| p.examples.iter()))
        })
        .map(|e| e.text.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    for (family, words) in [
        (
            "romantic",
            ["my ex", "date", "breakup", "boyfriend", "girlfriend"],
        ),
        ("work", ["job", "boss", "interview", "hired", "promotion"]),
        (
            "inner circle",
            ["friends", "sister", "brother", "family", "parents"],
        ),
    ] {
        let present: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| text.contains(*w))
            .collect();
        assert!(
            present.len() >= 3,
            "{family} rejection barely appears in the rules' examples: {present:?}"
        );
    }
}

#[test]
fn a_batch_finds_what_a_single_thought_finds() {
    // An engine's first thought goes through the pre-compiled automaton and lean regexes; later
    // ones through the literal filter and fast regexes. A fresh engine for each sampled thought
    // sees it first; the shared engine sees it in the middle of a batch.
    let batch = builtin();
    let thoughts: Vec<String> = batch
        .rules()
        .distortions()
        .iter()
        .flat_map(|d| d.patterns.iter().flat_map(|p| p.examples.iter()))
        .map(|e| e.text.clone())
        .collect();
    for thought in &thoughts {
        batch.analyse(thought);
    }
    let mut flagged = 0;
    for thought in thoughts.iter().step_by(16) {
        let first = summary(&builtin(), thought);
        flagged += usize::from(!first.is_empty());
        assert_eq!(summary(&batch, thought), first, "{thought}");
    }
    assert!(
        flagged > 20,
        "the comparison covers real findings: {flagged}"
    );
}

#[test]
fn a_batch_and_a_single_thought_agree_on_the_safety_rules_and_their_exceptions() {
    // The safety files' exception lists answer a single thought expression by expression and a
    // batch list by list; their own examples, allowed ones most of all, must come out the same.
    let batch = builtin();
    let examples: Vec<(String, bool)> = batch
        .rules()
        .distortions()
        .iter()
        .filter(|d| d.kind == reframe::rules::Kind::Safety)
        .flat_map(|d| d.patterns.iter().flat_map(|p| p.examples.iter()))
        .map(|e| (e.text.clone(), e.expect == reframe::rules::Expect::Flag))
        .collect();
    for (thought, _) in &examples {
        batch.analyse(thought);
    }
    let level = |engine: &Engine, thought: &str| engine.analyse(thought).safety.map(|s| s.level);
    let (mut flagged, mut allowed) = (0, 0);
    for (thought, flag) in examples.iter().step_by(3) {
        let first = level(&builtin(), thought);
        assert_eq!(level(&batch, thought), first, "{thought}");
        // An `allow` example is only its own pattern's to leave alone; another may answer it.
        flagged += usize::from(*flag && first.is_some());
        allowed += usize::from(!flag && first.is_none());
    }
    assert!(
        flagged > 30 && allowed > 15,
        "both kinds are covered: {flagged} flagged, {allowed} allowed"
    );
}

#[test]
fn a_thought_that_names_suicide_is_not_reframed_by_either_route() {
    let batch = builtin();
    batch.analyse("a first thought, so the next ones take the batch route");
    for engine in [&builtin(), &batch] {
        let named = engine.analyse("my friend took her own life and I ruin everything");
        assert!(named.mentions_suicide && named.safety.is_none() && named.findings.is_empty());
        assert!(!named.is_empty());
        let figure = engine.analyse("that trade was career suicide, I always get it wrong");
        assert!(!figure.mentions_suicide && !figure.findings.is_empty());
        let plain = engine.analyse("I always ruin everything");
        assert!(!plain.mentions_suicide && !plain.findings.is_empty());
        let crisis = engine.analyse("I want to kill myself");
        assert!(crisis.safety.is_some() && !crisis.mentions_suicide);
    }
}

/// A template's own words: what is inside quotes (the person's words, or words they might say) and
/// the holes filled with their words are left out, since those may speak in any voice.
fn own_voice(source: &str) -> String {
    let quoted = regex::Regex::new(r#""[^"]*"|“[^”]*”|\{\w+\}"#).unwrap();
    format!(" {} ", quoted.replace_all(source, " ").to_lowercase())
}

/// One voice: the built-in balanced thoughts speak as the person ("I"), and the questions speak
/// to them ("you"), at the distortion level and in every pattern.
#[test]
fn built_in_reframes_say_i_and_questions_say_you() {
    let second =
        regex::Regex::new(r"\b(?:you|your|yours|yourself|you're|you've|you'll)\b").unwrap();
    let first = regex::Regex::new(r"\b(?:i|me|my|mine|myself|i'm|i've|i'll|i'd)\b").unwrap();
    let rules = RuleSet::builtin().unwrap();
    let mut wrong = Vec::new();
    for d in rules
        .distortions()
        .iter()
        .filter(|d| d.kind == Kind::Distortion)
    {
        let patterns = d
            .patterns
            .iter()
            .map(|p| (p.id.as_str(), &p.reframes, &p.questions));
        for (place, reframes, questions) in
            std::iter::once(("(distortion)", &d.reframes, &d.questions)).chain(patterns)
        {
            for r in reframes.iter().map(|t| t.source()) {
                if second.is_match(&own_voice(r)) {
                    wrong.push(format!("{} {place}: reframe says \"you\": {r}", d.id));
                }
            }
            for q in questions.iter().map(|t| t.source()) {
                if first.is_match(&own_voice(q)) {
                    wrong.push(format!("{} {place}: question says \"I\": {q}", d.id));
                }
            }
        }
    }
    // The session's own balanced thoughts and questions too.
    for r in reframe::session::GENERAL_BALANCED {
        if second.is_match(&own_voice(r)) {
            wrong.push(format!("session: balanced thought says \"you\": {r}"));
        }
    }
    let session_questions = reframe::output::text::GENERAL_QUESTIONS.into_iter().chain([
        reframe::session::DOWNWARD_ARROW,
        reframe::session::EVIDENCE_FOR,
        reframe::session::EVIDENCE_AGAINST,
    ]);
    for q in session_questions {
        if first.is_match(&own_voice(q)) {
            wrong.push(format!("session: question says \"I\": {q}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The check itself catches both slips.
    assert!(second.is_match(&own_voice("Your worth is not one date.")));
    assert!(first.is_match(&own_voice("What would my best friend say?")));
    assert!(!first.is_match(&own_voice(r#"What if you said "I would prefer"?"#)));
}

/// Words a pattern captured come back in its reframes and questions, and a label is quoted as a
/// label: `not the label "burden"` rather than `not "burden"`.
#[test]
fn the_person_s_words_come_back_quoted_where_a_pattern_captured_them() {
    let engine = builtin();
    let analysis = engine.analyse("I'm too much for anyone to love");
    let labeling = &analysis.findings[0];
    assert_eq!(labeling.distortion.id, "labeling");
    assert!(
        labeling.reframes[0].contains("\"too much\""),
        "{:?}",
        labeling.reframes
    );
    assert!(
        labeling.questions[0].contains("\"too much\""),
        "{:?}",
        labeling.questions
    );
    let analysis = engine.analyse("I'm such an idiot");
    let texts: Vec<&str> = analysis.findings[0]
        .reframes
        .iter()
        .chain(&analysis.findings[0].questions)
        .map(|t| t.as_ref())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("the label \"idiot\"")),
        "{texts:#?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains(" \"idiot\"") && !t.contains("label \"idiot\""))
    );
}
