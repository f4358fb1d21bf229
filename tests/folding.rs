//! Folded text: characters that a reader does not see, or sees as a plain letter, hide no word
//! from the rules, and whatever was matched is reported as the person typed it.

use crate::util::{arg, minimal_rule, only_user_rules_json, reframe, rule_dir};

/// "I want to kill myself", each time with the words disguised another way, and the disguised
/// word as typed.
const DISGUISED: &[(&str, &str, &str)] = &[
    (
        "zero-width space",
        "I want to k\u{200B}ill myself",
        "k\u{200B}ill",
    ),
    (
        "zero-width spaces between words",
        "i want\u{200B}to\u{200B}kill\u{200B}myself",
        "kill\u{200B}myself",
    ),
    ("soft hyphen", "I want to kill my\u{AD}self", "my\u{AD}self"),
    (
        "word joiner",
        "I want to ki\u{2060}ll myself",
        "ki\u{2060}ll",
    ),
    (
        "fullwidth letters",
        "Ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",
        "ｋｉｌｌ ｍｙｓｅｌｆ",
    ),
    ("Cyrillic i", "I want to k\u{456}ll myself", "k\u{456}ll"),
    ("small capitals", "ɪ ᴡᴀɴᴛ ᴛᴏ ᴋɪʟʟ ᴍʏꜱᴇʟꜰ", "ᴋɪʟʟ ᴍʏꜱᴇʟꜰ"),
    ("Greek iota", "I want to k\u{3B9}ll myself", "k\u{3B9}ll"),
    (
        "Cyrillic o, e, s",
        "I want to kill my\u{455}\u{435}lf",
        "my\u{455}\u{435}lf",
    ),
    (
        "mathematical bold",
        "I want to \u{1D424}\u{1D422}\u{1D425}\u{1D425} myself",
        "\u{1D424}\u{1D422}\u{1D425}\u{1D425}",
    ),
    (
        "precomposed diacritic",
        "I want to k\u{EF}ll myself",
        "k\u{EF}ll",
    ),
    (
        "combining diacritic",
        "I want to ki\u{308}ll myself",
        "ki\u{308}ll",
    ),
    (
        "vertical tab",
        "I want to kill\u{B}myself",
        "kill\u{B}myself",
    ),
    (
        "Unicode hyphen",
        "I started self\u{2010}harming again",
        "self\u{2010}harm",
    ),
    (
        "non-breaking hyphen",
        "I keep self\u{2011}harming",
        "self\u{2011}harm",
    ),
];

#[test]
fn every_disguise_is_answered_by_a_single_thought_too() {
    // The first thought of a run takes another route through the engine than a batch's.
    for (trick, thought, _) in DISGUISED {
        let out = reframe(&["--format", "json", thought]).run().code(0).json();
        assert_eq!(
            out["thoughts"][0]["safety"]["level"], "crisis",
            "{trick}: {out}"
        );
    }
}

#[test]
fn every_disguise_of_the_words_is_answered_with_crisis_resources() {
    let input: Vec<&str> = DISGUISED.iter().map(|(_, thought, _)| *thought).collect();
    let out = reframe(&["--format", "jsonl"])
        .stdin(input.join("\n"))
        .run()
        .code(0)
        .jsonl();
    assert_eq!(out.len(), DISGUISED.len());
    for ((trick, thought, word), result) in DISGUISED.iter().zip(&out) {
        assert_eq!(result["text"], *thought, "{trick}");
        let safety = &result["safety"];
        assert_eq!(safety["level"], "crisis", "{trick}: {result}");
        assert!(
            result["findings"].as_array().unwrap().is_empty(),
            "{trick}: reframed"
        );
        // The match is a piece of what was typed, hidden characters and all.
        let found = &safety["matches"][0];
        let text = found["text"].as_str().unwrap();
        assert!(text.contains(word), "{trick}: the match is {text:?}");
        let (start, end) = (
            found["bytes"]["start"].as_u64().unwrap() as usize,
            found["bytes"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&thought[start..end], text, "{trick}");
    }
}

#[test]
fn one_shot_answers_fullwidth_crisis_words_with_help() {
    let out = reframe(&["--region", "uk", "Ｉ ｗａｎｔ ｔｏ ｄｉｅ"])
        .run()
        .success()
        .stdout();
    assert!(
        out.starts_with("What you wrote sounds serious, and you deserve support right now."),
        "{out}"
    );
    assert!(out.contains("Samaritans"), "{out}");
}

#[test]
fn a_thinking_trap_is_found_through_a_hidden_character_and_quoted_without_it() {
    let doc = reframe(&["--format", "json", "I'm a l\u{200B}oser"])
        .run()
        .success()
        .json();
    let thought = &doc["thoughts"][0];
    assert!(thought.get("safety").is_none(), "{thought}");
    let finding = &thought["findings"][0];
    assert_eq!(finding["distortion"], "labeling");
    assert_eq!(finding["matches"][0]["text"], "I'm a l\u{200B}oser");
    let reframes: Vec<&str> = finding["reframes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reframes.iter().any(|r| r.contains("\"loser\"")),
        "{reframes:?}"
    );
    assert!(
        reframes.iter().all(|r| !r.contains('\u{200B}')),
        "{reframes:?}"
    );
}

#[test]
fn a_user_pattern_with_an_accent_matches_the_word_with_or_without_it() {
    let dir = rule_dir(&[("naive.toml", &minimal_rule("Naive", "naïve"))]);
    for thought in ["I was so naïve", "I was so NAIVE", "I was so nai\u{308}ve"] {
        let doc = only_user_rules_json(dir.path(), thought);
        assert_eq!(
            doc["thoughts"][0]["findings"][0]["distortion"], "naive",
            "{thought}: {doc}"
        );
    }
    let doc = only_user_rules_json(dir.path(), "I was so native");
    assert!(
        doc["thoughts"][0]["findings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let out = reframe(&["rules", "test", arg(dir.path())])
        .run()
        .success()
        .stdout();
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
}
