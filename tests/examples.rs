//! The files under `examples/` load and work as the README says.

use crate::util::reframe;

#[test]
fn the_sample_thoughts_run_as_a_batch() {
    let run = reframe(&["-f", "examples/thoughts.txt", "--format", "jsonl"])
        .run()
        .success();
    let lines = run.jsonl();
    let text = std::fs::read_to_string(crate::util::root().join("examples/thoughts.txt")).unwrap();
    assert_eq!(
        lines.len(),
        text.lines().filter(|l| !l.trim().is_empty()).count()
    );
    let flagged = lines
        .iter()
        .filter(|l| !l["findings"].as_array().unwrap().is_empty())
        .count();
    assert!(
        flagged * 2 > lines.len(),
        "most sample thoughts show a pattern: {flagged} of {}",
        lines.len()
    );
}

#[test]
fn the_sample_rule_directory_passes_its_own_tests_and_adds_a_distortion() {
    let out = reframe(&["rules", "test", "examples/rules"])
        .run()
        .success()
        .stdout();
    assert!(out.ends_with(" 0 failed\n"), "{out}");
    let doc = reframe(&[
        "--rules",
        "examples/rules",
        "--format",
        "json",
        "I keep replaying what I said to her",
    ])
    .run()
    .success()
    .json();
    let ids = crate::util::finding_ids(&doc["thoughts"][0]);
    assert!(ids.iter().any(|id| id == "replaying"), "{ids:?}");
}
