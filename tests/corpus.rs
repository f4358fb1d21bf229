//! The detection corpora written for the project: neutral, balanced or merely sad sentences that
//! must produce no finding, and distorted thoughts that must produce the ids written beside them.
//! Both run through the real binary and through the library.

use reframe::{Engine, RuleSet};

use crate::util::{data_lines, finding_ids, reframe};

/// The distorted corpus as (required ids, thought).
fn distorted() -> Vec<(Vec<String>, String)> {
    data_lines("distorted.txt")
        .into_iter()
        .map(|line| {
            let (ids, text) = line
                .split_once(" | ")
                .unwrap_or_else(|| panic!("no ` | ` in {line:?}"));
            (
                ids.split(',').map(|id| id.trim().to_string()).collect(),
                text.to_string(),
            )
        })
        .collect()
}

#[test]
fn neutral_sentences_produce_no_finding_through_the_binary() {
    let neutral = data_lines("neutral.txt");
    assert!(neutral.len() >= 300, "{} neutral lines", neutral.len());
    let out = reframe(&["--format", "jsonl"])
        .stdin(neutral.join("\n"))
        .run()
        .success()
        .jsonl();
    assert_eq!(out.len(), neutral.len());
    let flagged: Vec<String> = out
        .iter()
        .filter(|t| !t["findings"].as_array().unwrap().is_empty() || t.get("safety").is_some())
        .map(|t| {
            format!(
                "{} -> {}",
                t["text"], t["findings"][0]["matches"][0]["pattern"]
            )
        })
        .collect();
    assert!(
        flagged.is_empty(),
        "flagged neutral lines:\n{}",
        flagged.join("\n")
    );
}

#[test]
fn distorted_thoughts_produce_their_ids_through_the_binary() {
    let rows = distorted();
    assert!(rows.len() >= 300, "{} distorted lines", rows.len());
    let input: Vec<&str> = rows.iter().map(|(_, text)| text.as_str()).collect();
    let out = reframe(&["--format", "jsonl"])
        .stdin(input.join("\n"))
        .run()
        .success()
        .jsonl();
    let mut missing = Vec::new();
    for ((ids, text), thought) in rows.iter().zip(&out) {
        let found = finding_ids(thought);
        for id in ids {
            if !found.contains(id) {
                missing.push(format!("{id}: {text} (found {found:?})"));
            }
        }
    }
    assert!(missing.is_empty(), "missed:\n{}", missing.join("\n"));
}

#[test]
fn the_library_agrees_on_both_corpora() {
    let engine = Engine::new(RuleSet::builtin().unwrap()).unwrap();
    for line in data_lines("neutral.txt") {
        assert!(engine.analyse(&line).is_empty(), "{line}");
    }
    for (ids, text) in distorted() {
        let analysis = engine.analyse(&text);
        for id in ids {
            assert!(
                analysis.findings.iter().any(|f| f.distortion.id == id),
                "{id}: {text}"
            );
        }
    }
}

#[test]
fn the_corpora_cover_every_distortion_and_the_three_families_of_rejection() {
    let engine = Engine::new(RuleSet::builtin().unwrap()).unwrap();
    let rows = distorted();
    for d in engine
        .rules()
        .distortions()
        .iter()
        .filter(|d| d.kind == reframe::rules::Kind::Distortion)
    {
        let count = rows.iter().filter(|(ids, _)| ids.contains(&d.id)).count();
        assert!(count >= 5, "{}: only {count} distorted lines", d.id);
    }
    let text: String = rows
        .iter()
        .map(|(_, t)| t.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    for (family, words) in [
        (
            "romantic",
            ["ex", "date", "girlfriend", "boyfriend", "breakup"],
        ),
        ("work", ["job", "boss", "interview", "promoted", "hired"]),
        (
            "inner circle",
            ["friends", "sister", "brother", "family", "parents"],
        ),
    ] {
        let hits = words.iter().filter(|w| text.contains(*w)).count();
        assert!(hits >= 3, "{family} rejection is barely represented");
    }
}
