//! `reframe THOUGHT...`: the answer for a person, its formats, colour and exit codes.

use crate::util::reframe;

#[test]
fn names_the_pattern_highlights_the_words_and_offers_reframes_and_questions() {
    let out = reframe(&["I'll never be good enough"])
        .run()
        .success()
        .stdout();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("[I'll never be good enough]"));
    assert!(out.contains("Fortune telling (fortune-telling)"), "{out}");
    assert!(out.contains("Predicting the future"), "{out}");
    assert!(
        out.contains("A more balanced thought you could try:"),
        "{out}"
    );
    assert!(out.contains("Questions to ask yourself:"), "{out}");
    // The pattern-level reframe speaks in the person's own words.
    assert!(
        out.contains("\"Never be good enough\" is a forecast"),
        "{out}"
    );
}

#[test]
fn unquoted_words_form_one_thought() {
    let out = reframe(&["I", "feel", "like", "a", "failure"])
        .run()
        .success()
        .stdout();
    assert!(out.starts_with("[I feel like a failure]\n"), "{out}");
    assert!(out.contains("(emotional-reasoning)"), "{out}");
}

#[test]
fn a_single_finding_gets_two_reframes_and_three_questions() {
    let out = reframe(&["I feel like a failure"]).run().success().stdout();
    let bullets = |after: &str, before: &str| {
        let start = out.find(after).unwrap() + after.len();
        let end = out[start..].find(before).map_or(out.len(), |e| start + e);
        out[start..end]
            .lines()
            .filter(|l| l.trim_start().starts_with("- "))
            .count()
    };
    assert_eq!(bullets("could try:", "Questions"), 2, "{out}");
    assert_eq!(bullets("yourself:", "\u{0}"), 3, "{out}");
}

#[test]
fn nothing_recognised_is_said_gently_with_general_questions() {
    let out = reframe(&["I had soup for lunch"]).run().success().stdout();
    assert!(
        out.contains("I didn't recognise a common thinking trap"),
        "{out}"
    );
    assert!(out.matches("\n  - ").count() >= 2, "{out}");
    let lower = out.to_lowercase();
    assert!(
        !lower.contains("balanced thought") && !lower.contains(" fine"),
        "{out}"
    );
}

#[test]
fn curly_apostrophes_and_missing_ones_match_alike() {
    for thought in [
        "I’ll never be good enough",
        "Ill never be good enough",
        "ILL NEVER BE GOOD ENOUGH",
    ] {
        let doc = reframe(&["--format", "json", thought])
            .run()
            .success()
            .json();
        let ids = crate::util::finding_ids(&doc["thoughts"][0]);
        assert!(
            ids.iter().any(|id| id == "fortune-telling"),
            "{thought}: {ids:?}"
        );
    }
}

#[test]
fn json_carries_version_text_findings_offsets_reframes_and_questions() {
    let doc = reframe(&["--format", "json", "Honestly, I’m such a loser"])
        .run()
        .success()
        .json();
    assert_eq!(doc["version"], 1);
    let thoughts = doc["thoughts"].as_array().unwrap();
    assert_eq!(thoughts.len(), 1);
    let thought = &thoughts[0];
    assert_eq!(thought["text"], "Honestly, I’m such a loser");
    assert!(thought.get("line").is_none() && thought.get("source").is_none());
    let finding = &thought["findings"][0];
    assert_eq!(finding["distortion"], "labeling");
    assert_eq!(finding["name"], "Labeling");
    assert!(finding["summary"].as_str().unwrap().len() > 10);
    let m = &finding["matches"][0];
    assert_eq!(m["pattern"], "i-am-a-label");
    assert_eq!(m["text"], "I’m such a loser");
    // The curly apostrophe is three bytes but one character: the offsets differ after it.
    assert_eq!(
        (m["bytes"]["start"].as_u64(), m["bytes"]["end"].as_u64()),
        (Some(10), Some(28))
    );
    assert_eq!(
        (m["chars"]["start"].as_u64(), m["chars"]["end"].as_u64()),
        (Some(10), Some(26))
    );
    let reframes = finding["reframes"].as_array().unwrap();
    assert!(
        reframes[0].as_str().unwrap().contains("\"loser\""),
        "{reframes:?}"
    );
    assert!(reframes.len() >= 3);
    assert!(finding["questions"].as_array().unwrap().len() >= 3);
}

#[test]
fn jsonl_is_one_versioned_object() {
    let lines = reframe(&["--format", "jsonl", "Nobody ever picks me"])
        .run()
        .success()
        .jsonl();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["version"], 1);
    assert_eq!(lines[0]["findings"][0]["distortion"], "overgeneralization");
}

#[test]
fn colour_is_off_in_a_pipe_and_on_when_forced() {
    let plain = reframe(&["I'm a loser"]).run().success().stdout();
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    let forced = reframe(&["--color", "always", "I'm a loser"])
        .run()
        .success()
        .stdout();
    assert!(forced.contains("\u{1b}["), "{forced:?}");
    // Highlighting uses colour instead of brackets when colour is on.
    assert!(!forced.starts_with('['), "{forced:?}");
    let never = reframe(&["--color", "never", "I'm a loser"])
        .env("CLICOLOR_FORCE", "1")
        .run()
        .success()
        .stdout();
    assert!(!never.contains('\u{1b}'), "{never:?}");
}

#[test]
fn exit_codes_follow_the_readme() {
    reframe(&["I'm a loser"]).run().code(0);
    reframe(&["--exit-code", "I'm a loser"]).run().code(1);
    reframe(&["--exit-code", "I had soup"]).run().code(0);
    let usage = reframe(&["--format", "yaml", "x"]).run().code(2);
    assert!(usage.stderr().contains("yaml"), "{}", usage.stderr());
    let both = reframe(&["-f", "x.txt", "a thought"]).run().code(2);
    assert!(
        both.stderr().contains("cannot be used with"),
        "{}",
        both.stderr()
    );
}

#[test]
fn a_thought_starting_with_a_command_word_can_follow_a_double_dash() {
    let out = reframe(&["--", "rules", "never", "work", "for", "me"])
        .run()
        .success()
        .stdout();
    assert!(out.starts_with("rules never work for me"), "{out}");
}

#[test]
fn help_and_version_work() {
    let help = reframe(&["--help"]).run().success().stdout();
    for flag in [
        "--file",
        "--format",
        "--summary",
        "--exit-code",
        "--rules",
        "--no-builtin",
        "--color",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
    let version = reframe(&["--version"]).run().success().stdout();
    assert!(version.starts_with("reframe "), "{version}");
}
