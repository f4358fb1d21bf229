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

/// `examples/analyse.rs`, compiled into the tests as it is now, so they can call its `answer`
/// (running it with `cargo run --example` from a test would wait on cargo's own lock).
#[allow(dead_code)] // Its `main` runs only when it is the example.
#[path = "../examples/analyse.rs"]
mod analyse;

/// What the library example writes for `thought` with `locale`.
#[track_caller]
fn example(thought: &str, locale: Option<&str>) -> String {
    let mut out = Vec::new();
    analyse::answer(thought, locale, &mut out).expect("the example runs");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_library_example_answers_crisis_language_with_crisis_lines_and_no_reframe() {
    use reframe::output::safety;
    use reframe::rules::Category;
    // Said plainly: the message, the lines for where the person is, what to do in danger.
    let out = example("I want to kill myself", Some("en_GB.UTF-8"));
    assert!(out.starts_with(safety::message(Category::Suicide)), "{out}");
    assert!(
        out.contains("\n\nHelp is available now (United Kingdom):\n  - Samaritans: Call 116 123"),
        "{out}"
    );
    assert!(out.ends_with(&format!("{}\n", safety::URGENT)), "{out}");
    // A warning sign: the lines first, then why they are shown.
    let out = example("I'm a burden to everyone", None);
    assert!(
        out.starts_with("Help is available now (any country):\n"),
        "{out}"
    );
    assert!(
        out.ends_with(&format!("{}\n", safety::concern_message(Category::Suicide))),
        "{out}"
    );
    // Suicide named without crisis language: not reframed either.
    let out = example("my friend took her own life and I ruin everything", None);
    assert!(out.starts_with(safety::MENTION), "{out}");
    assert!(out.contains("Find A Helpline"), "{out}");
    for out in [
        example("I want to kill myself", None),
        example("my friend took her own life and I ruin everything", None),
    ] {
        assert!(!out.contains("try:"), "{out}");
    }
    // Any other thought is reframed.
    let out = example("Nobody ever picks me", None);
    assert!(
        out.starts_with(
            "Overgeneralization (overgeneralization): [\"Nobody ever picks\"]\n  try: "
        ),
        "{out}"
    );
}
