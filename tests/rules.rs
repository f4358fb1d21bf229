//! User rules, rule errors, and the `rules` and `eval` commands.

use crate::util::{
    arg, finding_ids, minimal_rule, only_user_rules_json, reframe, rule_dir, temp_file,
};

fn ids(doc: &serde_json::Value) -> Vec<String> {
    finding_ids(&doc["thoughts"][0])
}

#[test]
fn a_user_file_with_a_builtin_id_replaces_it() {
    let dir = rule_dir(&[("labeling.toml", &minimal_rule("My labeling", "zebra"))]);
    let run = reframe(&[
        "--rules",
        arg(dir.path()),
        "--format",
        "json",
        "I'm a loser, a zebra",
    ])
    .run()
    .success();
    let doc = run.json();
    assert_eq!(ids(&doc), ["labeling"]);
    assert_eq!(doc["thoughts"][0]["findings"][0]["name"], "My labeling");
    assert_eq!(
        doc["thoughts"][0]["findings"][0]["matches"][0]["text"],
        "zebra"
    );
}

#[test]
fn disabled_switches_a_builtin_off() {
    let dir = rule_dir(&[("labeling.toml", "disabled = true\n")]);
    let doc = reframe(&[
        "--rules",
        arg(dir.path()),
        "--format",
        "json",
        "I'm a loser",
    ])
    .run()
    .success()
    .json();
    assert!(ids(&doc).is_empty());
    let list = reframe(&["--rules", arg(dir.path()), "rules", "list"])
        .run()
        .success()
        .stdout();
    assert!(!list.contains("labeling"), "{list}");
}

#[test]
fn new_ids_add_to_the_builtins_and_the_config_directory_is_read() {
    let run = reframe(&["--format", "json", "I'm a loser, a zebra"]);
    let config_rules = run.config_dir().join("reframe").join("rules");
    std::fs::create_dir_all(&config_rules).unwrap();
    std::fs::write(
        config_rules.join("zebra-thinking.toml"),
        minimal_rule("Zebra thinking", "zebra"),
    )
    .unwrap();
    let doc = run.run().success().json();
    assert_eq!(ids(&doc), ["labeling", "zebra-thinking"]);
}

#[test]
fn no_builtin_leaves_only_user_rules() {
    let dir = rule_dir(&[(
        "zebra-thinking.toml",
        &minimal_rule("Zebra thinking", "zebra"),
    )]);
    let doc = only_user_rules_json(dir.path(), "I'm a loser, a zebra");
    assert_eq!(ids(&doc), ["zebra-thinking"]);
}

#[test]
fn rules_list_shows_id_name_patterns_and_source() {
    let dir = rule_dir(&[(
        "zebra-thinking.toml",
        &minimal_rule("Zebra thinking", "zebra"),
    )]);
    let out = reframe(&["--rules", arg(dir.path()), "rules", "list"])
        .run()
        .success()
        .stdout();
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("ID")
            && header.contains("NAME")
            && header.contains("PATTERNS")
            && header.ends_with("SOURCE")
    );
    assert_eq!(out.lines().count(), 1 + 16 + 1, "{out}");
    let labeling = out.lines().find(|l| l.starts_with("labeling ")).unwrap();
    assert!(
        labeling.contains("Labeling") && labeling.ends_with("built-in"),
        "{labeling}"
    );
    let zebra = out
        .lines()
        .find(|l| l.starts_with("zebra-thinking"))
        .unwrap();
    assert!(
        zebra.ends_with("zebra-thinking.toml") && zebra.contains(" 1  "),
        "{zebra}"
    );
}

#[test]
fn rules_show_prints_everything_about_one_distortion() {
    let out = reframe(&["rules", "show", "fortune-telling"])
        .run()
        .success()
        .stdout();
    for part in [
        "Fortune telling (fortune-telling)",
        "from <built-in>/fortune-telling.toml",
        "Reframes",
        "Questions",
        "Pattern never-will",
        "match ",
        "unless",
        "flags ",
        "allows",
    ] {
        assert!(out.contains(part), "{part} missing:\n{out}");
    }
    let run = reframe(&["rules", "show", "no-such-id"]).run().code(2);
    assert!(
        run.stderr().contains("no-such-id") && run.stderr().contains("rules list"),
        "{}",
        run.stderr()
    );
}

#[test]
fn rules_test_passes_on_the_builtin_set() {
    let out = reframe(&["rules", "test"]).run().success().stdout();
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{out}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(
        passed >= 13 * 3 * 2,
        "at least three patterns with examples both ways per distortion: {passed}"
    );
}

#[test]
fn rules_test_names_every_failing_example_by_file_distortion_and_pattern() {
    let broken = minimal_rule("Zebra thinking", "zebra").replace(
        "allow = [\"nothing here\"]",
        "allow = [\"nothing here\", \"a zebra\"]",
    );
    let dir = rule_dir(&[("zebra-thinking.toml", &broken)]);
    let run = reframe(&["rules", "test", arg(dir.path())]).run().code(1);
    let out = run.stdout();
    let file = dir.path().join("zebra-thinking.toml");
    assert!(
        out.contains(&format!("FAIL {}:11: distortion 'zebra-thinking', pattern 'the-word': \"a zebra\": must stay silent, but the pattern matched \"zebra\"", file.display())),
        "{out}"
    );
    assert!(out.ends_with("2 passed, 1 failed\n"), "{out}");
}

/// Each kind of bad rule file, with the message it must produce (after the file name).
const BAD_FILES: &[(&str, &str, &str)] = &[
    (
        "bad TOML",
        "name = \"x\nsummary = 1\n",
        ":1: distortion 'zebra-thinking': ",
    ),
    (
        "unknown field",
        "name = \"x\"\nsumary = \"y\"\n",
        ":2: distortion 'zebra-thinking': unknown field `sumary`",
    ),
    (
        "bad regex",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['(unclosed']\n",
        ":8: distortion 'zebra-thinking', pattern 'p': invalid regex \"(unclosed\"",
    ),
    (
        "duplicate pattern id",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['a']\n[[pattern]]\nid = \"p\"\nmatch = ['b']\n",
        ":10: distortion 'zebra-thinking', pattern 'p': pattern id \"p\" is used twice (first on line 7)",
    ),
    (
        "unknown capture",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['a (?P<goal>b)']\nreframes = [\"{gaol}\"]\n",
        ":9: distortion 'zebra-thinking', pattern 'p': \"{gaol}\" uses {gaol}",
    ),
    (
        "missing fields",
        "name = \"x\"\n",
        ":1: distortion 'zebra-thinking': `summary` is required",
    ),
    (
        "unknown scope",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nscope = \"paragraph\"\nmatch = ['b']\n",
        ":8: distortion 'zebra-thinking', pattern 'p': unknown scope \"paragraph\"",
    ),
    (
        "a safety level in a distortion file",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nlevel = \"concern\"\nmatch = ['b']\n",
        ":8: distortion 'zebra-thinking', pattern 'p': `level` belongs only in safety rule files",
    ),
    (
        "an example whose span markers are the wrong way round",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['tuesdays']\nflag = [\"]I hate tuesdays[\"]\n",
        ":9: distortion 'zebra-thinking', pattern 'p': example \"]I hate tuesdays[\": `]` must come after `[`",
    ),
    (
        "a safety category in a distortion file",
        "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\ncategory = \"suicide\"\nmatch = ['b']\n",
        ":8: distortion 'zebra-thinking', pattern 'p': `category` belongs only in safety rule files",
    ),
];

#[test]
fn each_kind_of_bad_rule_file_is_named_with_its_line_and_exits_2() {
    for (kind, text, expected) in BAD_FILES {
        let dir = rule_dir(&[("zebra-thinking.toml", text)]);
        let run = reframe(&["--rules", arg(dir.path()), "I'm a loser"])
            .run()
            .code(2);
        let stderr = run.stderr();
        let file = dir.path().join("zebra-thinking.toml");
        assert!(stderr.starts_with("reframe: "), "{kind}: {stderr}");
        assert!(
            stderr.contains(&format!("{}{expected}", file.display())),
            "{kind}: expected {expected:?} in\n{stderr}"
        );
        assert_eq!(
            run.stdout(),
            "",
            "{kind}: nothing is analysed with broken rules"
        );
    }
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let text = "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['(a']\n[[pattern]]\nid = \"Bad Id\"\nmatch = ['b']\n";
    let dir = rule_dir(&[("zebra-thinking.toml", text)]);
    let stderr = reframe(&["--rules", arg(dir.path()), "x"])
        .run()
        .code(2)
        .stderr();
    assert!(stderr.contains("2 problems in the rule files"), "{stderr}");
    assert!(
        stderr.contains(":8:") && stderr.contains(":10:"),
        "{stderr}"
    );
}

#[test]
fn a_regex_too_large_to_compile_is_reported_against_the_users_file_and_pattern() {
    // It parses, so only compiling finds it: the error must still point at the user's line, not
    // at whichever built-in file happens to come last.
    let text = "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"huge\"\nmatch = ['(x{0,1000}){0,1000}']\n";
    let dir = rule_dir(&[("zebra-thinking.toml", text)]);
    let file = dir.path().join("zebra-thinking.toml");
    let expected = format!(
        "{}:8: distortion 'zebra-thinking', pattern 'huge': invalid regex \"(x{{0,1000}}){{0,1000}}\"",
        file.display()
    );
    for args in [
        &["--rules", arg(dir.path()), "I'm a loser"][..],
        &["--rules", arg(dir.path()), "rules", "test"],
        &["rules", "test", arg(dir.path())],
    ] {
        let stderr = reframe(args).run().code(2).stderr();
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("<built-in>"), "{args:?}: {stderr}");
    }
    // Two that compile alone but not together: the larger is named, in the user's file.
    let text = "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"big\"\nmatch = ['(x{0,700}){0,700}']\n[[pattern]]\nid = \"bigger\"\nmatch = ['(y{0,800}){0,800}']\n";
    let dir = rule_dir(&[("zebra-thinking.toml", text)]);
    let stderr = reframe(&["--rules", arg(dir.path()), "I'm a loser"])
        .run()
        .code(2)
        .stderr();
    let expected = format!(
        "{}:11: distortion 'zebra-thinking', pattern 'bigger': the rule set is too large to compile as one automaton: ",
        dir.path().join("zebra-thinking.toml").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("the largest expression is \"(y{0,800}){0,800}\""),
        "{stderr}"
    );
    // The same for exceptions.
    let text = text.replace("match = ['(", "match = ['zebra']\nunless = ['(");
    let dir = rule_dir(&[("zebra-thinking.toml", &text)]);
    let stderr = reframe(&["--rules", arg(dir.path()), "a zebra"])
        .run()
        .code(2)
        .stderr();
    let expected = format!(
        "{}:13: distortion 'zebra-thinking', pattern 'bigger': the rule set is too large to compile as one automaton: the `unless` lists pass its size limit together, and the largest is the one starting \"(y{{0,800}}){{0,800}}\"",
        dir.path().join("zebra-thinking.toml").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_missing_rules_directory_is_one_error_naming_it_with_its_cause_once() {
    for args in [
        &["--rules", "no/such/dir", "x"][..],
        &["rules", "test", "no/such/dir"],
    ] {
        let stderr = reframe(args).run().code(2).stderr();
        assert!(
            stderr.starts_with("reframe: cannot read rules from no/such/dir: "),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert_eq!(
            stderr.matches("(os error").count(),
            1,
            "the cause is said once: {stderr}"
        );
    }
}

#[test]
fn eval_scores_strict_multi_label() {
    let (_dir, file) = temp_file(
        "labelled.jsonl",
        concat!(
            r#"{"id": "a", "text": "I'm a loser", "labels": ["labeling"]}"#,
            "\n",
            r#"{"text": "Nobody ever picks me", "labels": ["labeling"]}"#,
            "\n",
            r#"{"text": "I had soup", "labels": []}"#,
            "\n",
            r#"{"text": "I'm such an idiot", "labels": []}"#,
            "\n",
        ),
    );
    let doc = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["rows"], 4);
    let labeling = &doc["distortions"][0];
    assert_eq!(labeling["id"], "labeling");
    // tp: row 1; fn: row 2; fp: row 4.
    assert_eq!(
        (
            labeling["tp"].as_u64(),
            labeling["fp"].as_u64(),
            labeling["fn"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(labeling["precision"], 0.5);
    assert_eq!(labeling["support"], 2);
    assert_eq!(
        doc["unlabelled"]["overgeneralization"], 1,
        "reported but never labelled"
    );
    assert_eq!(doc["neutral_flagged"], 1);
    assert_eq!(doc["distorted_vs_none"]["recall"], 1.0);
    let table = reframe(&["eval", arg(&file)]).run().success().stdout();
    assert!(table.starts_with("distortion"), "{table}");
    assert!(
        table.contains("labeling")
            && table.contains("macro average")
            && table.contains("neutral rows flagged: 1 of 2"),
        "{table}"
    );
}

#[test]
fn eval_reports_a_bad_row_and_scores_the_rest() {
    let (_dir, file) = temp_file(
        "labelled.jsonl",
        "{\"text\": \"I'm a loser\", \"labels\": [\"labeling\"]}\nnot json\n",
    );
    let run = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .code(2);
    assert!(run.stderr().contains(":2: "), "{}", run.stderr());
    assert_eq!(run.json()["rows"], 1);
}

#[test]
fn eval_refuses_a_row_whose_label_is_no_distortion_id_and_says_which_was_meant() {
    // Scored, a typo would be a distortion of its own with recall 0, dragging the macro average
    // down, and the real distortion would lose its support.
    let (_dir, file) = temp_file(
        "labelled.jsonl",
        concat!(
            r#"{"text": "I'm a loser", "labels": ["labeling"]}"#,
            "\n",
            r#"{"text": "I'm such an idiot", "labels": ["labelling"]}"#,
            "\n",
            r#"{"text": "I'm a failure", "labels": ["LABELING", "zebra"]}"#,
            "\n",
            r#"{"text": "I want to die", "labels": ["safety"]}"#,
            "\n",
        ),
    );
    let run = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .code(2);
    let stderr = run.stderr();
    let name = file.display();
    for expected in [
        format!("{name}:2: unknown label \"labelling\" (did you mean \"labeling\"?); row skipped"),
        format!(
            "{name}:3: unknown label \"LABELING\" (did you mean \"labeling\"?), unknown label \"zebra\"; the distortion ids are all-or-nothing, blaming, "
        ),
        format!(
            "{name}:4: \"safety\" is the crisis check, not a distortion: mark the row \"crisis\": true instead; row skipped"
        ),
    ] {
        assert!(
            stderr.contains(&expected),
            "expected {expected:?} in\n{stderr}"
        );
    }
    let doc = run.json();
    assert_eq!(doc["rows"], 1, "only the good row is scored");
    let ids: Vec<&str> = doc["distortions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["labeling"]);
    assert_eq!(doc["macro_average"]["recall"], 1.0);
}

#[test]
fn eval_of_a_file_with_no_rows_says_so_and_prints_no_negative_zero() {
    let (_dir, file) = temp_file("empty.jsonl", "\n");
    let run = reframe(&["eval", arg(&file)]).run().code(2);
    assert_eq!(run.stdout(), "", "no table of zeros");
    assert_eq!(
        run.stderr(),
        format!("reframe: {}: no rows to score\n", file.display())
    );
    let run = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .code(2);
    assert!(!run.stdout().contains("-0"), "{}", run.stdout());
    assert_eq!(run.json()["rows"], 0);
    assert_eq!(run.json()["macro_average"]["f1"], 0.0);
}

#[test]
fn eval_reports_a_row_over_the_line_limit_and_scores_the_rest() {
    let long = format!(
        "{{\"text\": \"{}\", \"labels\": []}}",
        "I had soup. ".repeat(10)
    );
    let (_dir, file) = temp_file(
        "labelled.jsonl",
        &format!("{long}\n{{\"text\": \"I'm a loser\", \"labels\": [\"labeling\"]}}\n"),
    );
    let run = reframe(&[
        "eval",
        arg(&file),
        "--format",
        "json",
        "--max-line-bytes",
        "100",
    ])
    .run()
    .code(2);
    assert_eq!(
        run.stderr(),
        format!(
            "reframe: {}:1: longer than 100 bytes (see --max-line-bytes); row skipped\n",
            file.display()
        )
    );
    assert_eq!(run.json()["rows"], 1);
}

#[test]
fn eval_explain_lists_false_positives_and_misses_per_distortion() {
    let (_dir, file) = temp_file(
        "labelled.jsonl",
        "{\"text\": \"I'm such an idiot\", \"labels\": []}\n{\"text\": \"Nobody ever picks me\", \"labels\": [\"labeling\"]}\n",
    );
    let out = reframe(&["eval", arg(&file), "--explain", "labeling"])
        .run()
        .success()
        .stdout();
    assert!(
        out.contains("== labeling: 1 false positives, 1 misses\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  FP     1 [none] \"I'm such an idiot\" by i-am-a-label: I'm such an idiot\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("  FN     2 (got overgeneralization/nobody-ever): Nobody ever picks me\n"),
        "{out}"
    );
    assert!(
        !out.contains("== overgeneralization"),
        "only the distortion asked for: {out}"
    );
    let all = reframe(&["eval", arg(&file), "--explain"])
        .run()
        .success()
        .stdout();
    assert!(
        all.contains("== overgeneralization: 1 false positives, 0 misses"),
        "{all}"
    );
}

/// A rule file of the tests' own for `eval --explain`'s nearest notes: a shared exception, and
/// two patterns.
const GLOOM_RULE: &str = r#"name = "Gloom"
summary = "Expecting the day to go wrong."
explanation = "Used by the tests."
reframes = ["I do not know yet how the day goes."]
questions = ["What else could happen?"]
unless = ['\bperhaps\b']

[[pattern]]
id = "sure-to-be-late"
match = ['\b(?:bus|train)\s+is\s+sure\s+to\s+be\s+late\b']
flag = ["The [bus is sure to be late]"]
allow = ["The bus is on time"]

[[pattern]]
id = "whole-day-lost"
match = ['\bthe\s+whole\s+day\b[^.!?]*\b(?:lost|wasted|gone)\b']
flag = ["[The whole day is wasted]"]
allow = ["The whole day was sunny"]
"#;

#[test]
fn eval_explain_says_under_each_miss_how_near_the_rules_came() {
    let rules = rule_dir(&[("gloom.toml", GLOOM_RULE)]);
    let (_dir, file) = temp_file(
        "gloom.jsonl",
        concat!(
            r#"{"text": "Perhaps the train is sure to be late", "labels": ["gloom"]}"#,
            "\n",
            r#"{"text": "The whole day is ahead of me", "labels": ["gloom"]}"#,
            "\n",
            r#"{"text": "I watered the plants", "labels": ["gloom"]}"#,
            "\n",
            r#"{"text": "The bus is sure to be late", "labels": ["gloom"]}"#,
            "\n",
        ),
    );
    let explain = |format: &str| {
        reframe(&[
            "--no-builtin",
            "--rules",
            arg(rules.path()),
            "eval",
            arg(&file),
            "--explain",
            "gloom",
            "--format",
            format,
        ])
        .run()
        .success()
    };
    let out = explain("text").stdout();
    let listing = out.split_once("\n== gloom: ").map(|(_, rest)| rest);
    assert_eq!(
        listing,
        Some(concat!(
            "0 false positives, 3 misses\n",
            "  FN     1 (got nothing): Perhaps the train is sure to be late\n",
            "           nearest: gloom/sure-to-be-late matched \"train is sure to be late\", ",
            "cancelled by the distortion's unless on line 6, which matched \"Perhaps\"\n",
            "  FN     2 (got nothing): The whole day is ahead of me\n",
            "           nearest: gloom/whole-day-lost has \"the whole day\" ",
            "but not one of \"gone\", \"lost\", \"wasted\"\n",
            "  FN     3 (got nothing): I watered the plants\n",
            "           nearest: no pattern of gloom comes near\n",
        )),
        "{out}"
    );
    let doc = explain("json").json();
    let nearest: Vec<&serde_json::Value> = doc["explanations"]["gloom"]["misses"]
        .as_array()
        .expect("the misses")
        .iter()
        .map(|miss| &miss["nearest"])
        .collect();
    assert_eq!(
        nearest,
        [
            &serde_json::json!({
                "kind": "cancelled",
                "pattern": "sure-to-be-late",
                "matched": "train is sure to be late",
                "exception": {
                    "list": "distortion",
                    "expression": "\\bperhaps\\b",
                    "line": 6,
                    "matched": "Perhaps",
                },
            }),
            &serde_json::json!({
                "kind": "partial",
                "pattern": "whole-day-lost",
                "clauses": 2,
                "found": ["the whole day"],
                "missing": ["gone", "lost", "wasted"],
                "missing_others": 0,
            }),
            &serde_json::json!({"kind": "none-near"}),
        ]
    );
}

/// A safety file of the tests' own whose one pattern, at `concern` level, matches "kingfisher",
/// so a concern answer does not depend on the built-in wording.
const CONCERN_RULE: &str = "name = \"Test words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"kingfisher\"\ncategory = \"suicide\"\nlevel = \"concern\"\nmatch = ['\\bkingfisher\\b']\n";

/// Rows labelled for the crisis check (line 5 has no label at all, line 3 is a crisis row the
/// rules answer with a thinking trap).
const CRISIS_ROWS: &str = concat!(
    r#"{"id": "c1", "text": "I want to kill myself", "crisis": true, "subtype": "direct"}"#,
    "\n",
    r#"{"id": "c2", "text": "the kingfisher came back", "crisis": true, "subtype": "indirect"}"#,
    "\n",
    r#"{"id": "c3", "text": "I'm such an idiot", "crisis": true, "subtype": "indirect"}"#,
    "\n",
    r#"{"id": "c4", "text": "I baked bread", "crisis": true}"#,
    "\n",
    r#"{"id": "bad", "text": "I have no label", "subtype": "everyday"}"#,
    "\n",
    r#"{"id": "n1", "text": "A kingfisher sat on the fence", "crisis": false, "subtype": "everyday"}"#,
    "\n",
    r#"{"id": "n2", "text": "The shop closes at six", "crisis": false, "subtype": "everyday"}"#,
    "\n",
    r#"{"id": "n3", "text": "The film was about a war", "crisis": false, "subtype": "third-party"}"#,
    "\n",
);

#[test]
fn eval_scores_a_crisis_file_per_subtype_and_skips_a_row_with_no_label() {
    let rules = rule_dir(&[("safety-test.toml", CONCERN_RULE)]);
    let (_dir, file) = temp_file("crisis.jsonl", CRISIS_ROWS);
    let run = reframe(&["--rules", arg(rules.path()), "eval", arg(&file)])
        .run()
        .code(2);
    assert!(
        run.stderr()
            .contains(":5: the row has neither \"labels\" nor \"crisis\"; row skipped"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        run.stdout(),
        concat!(
            "distortions: not scored, no row has \"labels\"\n",
            "\n",
            "crisis check    answered   rate  crisis  concern  mention\n",
            "recall            2 of 4  0.500       1        1        0\n",
            "  direct          1 of 1  1.000       1        0        0\n",
            "  indirect        1 of 2  0.500       0        1        0\n",
            "  (no subtype)    0 of 1  0.000       0        0        0\n",
            "false alarms      1 of 3  0.333       0        1        0\n",
            "  everyday        1 of 2  0.500       0        1        0\n",
            "  third-party     0 of 1  0.000       0        0        0\n",
            "!! crisis rows given a reframe: 1 (must be 0; `--explain safety` lists them)\n",
        )
    );
    let doc = reframe(&[
        "--rules",
        arg(rules.path()),
        "eval",
        arg(&file),
        "--format",
        "json",
    ])
    .run()
    .code(2)
    .json();
    assert_eq!(doc["rows"], 7);
    assert_eq!(doc["distortions"], serde_json::json!([]));
    let crisis = &doc["crisis"];
    assert_eq!(
        crisis["recall"],
        serde_json::json!({"rows": 4, "answered": 2, "rate": 0.5, "by_level": {"crisis": 1, "concern": 1}, "mention": 0})
    );
    assert_eq!(
        crisis["recall_by_subtype"][2]["subtype"],
        serde_json::Value::Null
    );
    assert_eq!(crisis["false_alarms"]["answered"], 1);
    assert_eq!(crisis["false_alarms_by_subtype"][0]["subtype"], "everyday");
    assert_eq!(crisis["false_alarms_by_subtype"][0]["answered"], 1);
    assert_eq!(crisis["reframed"], 1);
    assert!(crisis.get("explanation").is_none(), "{crisis}");
}

#[test]
fn eval_says_so_quietly_when_no_crisis_row_was_given_a_reframe() {
    let (_dir, file) = temp_file(
        "crisis.jsonl",
        "{\"text\": \"I want to kill myself\", \"crisis\": true}\n{\"text\": \"I baked bread\", \"crisis\": false}\n",
    );
    let out = reframe(&["eval", arg(&file)]).run().success().stdout();
    assert!(out.ends_with("\ncrisis rows given a reframe: 0\n"), "{out}");
    assert!(!out.contains("!!"), "{out}");
}

#[test]
fn eval_scores_a_file_mixing_labelled_and_crisis_rows_both_ways() {
    let (_dir, file) = temp_file(
        "mixed.jsonl",
        concat!(
            r#"{"text": "I'm a loser", "labels": ["labeling"]}"#,
            "\n",
            r#"{"text": "I had soup", "labels": [], "crisis": false, "subtype": "everyday"}"#,
            "\n",
            r#"{"text": "I want to die", "crisis": true, "subtype": "direct"}"#,
            "\n",
            r#"{"text": "I'm such an idiot", "labels": []}"#,
            "\n",
        ),
    );
    let out = reframe(&["eval", arg(&file)]).run().success().stdout();
    assert!(out.starts_with("distortion "), "{out}");
    assert!(
        out.contains("(3 rows, 1 labelled distorted)\n"),
        "the distortion scores count only rows with labels: {out}"
    );
    assert!(
        out.contains("crisis language (answered with crisis resources, no findings): 0 rows\n"),
        "{out}"
    );
    assert!(
        out.contains("\nrecall          1 of 1  1.000       1        0        0\n"),
        "{out}"
    );
    let doc = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(
        (
            doc["rows"].as_u64(),
            doc["labelled_rows"].as_u64(),
            doc["neutral_rows"].as_u64()
        ),
        (Some(4), Some(3), Some(2))
    );
    assert_eq!(doc["crisis"]["false_alarms"]["rows"], 1);
    let explain = |what: &[&str]| {
        let mut args = vec!["eval", arg(&file), "--explain"];
        args.extend(what);
        reframe(&args).run().success().stdout()
    };
    let all = explain(&[]);
    assert!(
        all.contains("\n== labeling: 1 false positives")
            && all.contains("\n== safety: 0 false alarms"),
        "{all}"
    );
    let safety = explain(&["safety"]);
    assert!(
        !safety.contains("== labeling") && safety.contains("\n== safety: "),
        "only the crisis check: {safety}"
    );
}

#[test]
fn eval_explain_safety_lists_false_alarms_with_what_matched_and_misses_with_their_subtype() {
    let rules = rule_dir(&[("safety-test.toml", CONCERN_RULE)]);
    let (_dir, file) = temp_file("crisis.jsonl", CRISIS_ROWS);
    let explain = |what: &str| {
        reframe(&[
            "--rules",
            arg(rules.path()),
            "eval",
            arg(&file),
            "--explain",
            what,
        ])
        .run()
        .code(2)
        .stdout()
    };
    let out = explain("safety");
    let listing = out.split_once("\n== safety: ").map(|(_, rest)| rest);
    assert_eq!(
        listing,
        Some(concat!(
            "1 false alarms, 2 misses (1 given a reframe)\n",
            "  FP     6 [everyday] concern \"kingfisher\" by kingfisher: A kingfisher sat on the fence\n",
            "  FN     3 [indirect] (REFRAMED as labeling/i-am-a-label): I'm such an idiot\n",
            "  FN     4 [no subtype] (got nothing): I baked bread\n",
        )),
        "{out}"
    );
    assert!(!explain("labeling").contains("== safety"));
    let doc = reframe(&[
        "--rules",
        arg(rules.path()),
        "eval",
        arg(&file),
        "--explain",
        "--format",
        "json",
    ])
    .run()
    .code(2)
    .json();
    let explained = &doc["crisis"]["explanation"];
    assert_eq!(
        explained["false_alarms"][0]["matches"],
        serde_json::json!([{"pattern": "kingfisher", "matched": "kingfisher"}])
    );
    assert_eq!(
        explained["misses"][0]["reframed_as"],
        serde_json::json!(["labeling/i-am-a-label"])
    );
}

#[test]
fn rules_test_reports_neutral_sentences_a_rule_flags() {
    let dir = rule_dir(&[(
        "zebra-thinking.toml",
        &minimal_rule("Tired thinking", "tired"),
    )]);
    let out = reframe(&["rules", "test", arg(dir.path())])
        .run()
        .success()
        .stdout();
    assert!(
        out.contains("NEUTRAL distortion 'zebra-thinking', pattern 'the-word' flags a neutral sentence: \"I'm tired today.\" (matched \"tired\")"),
        "{out}"
    );
    let count = out.lines().filter(|l| l.starts_with("NEUTRAL ")).count();
    assert!(count >= 5, "{out}");
    assert!(
        out.contains(&format!("neutral corpus: {count} findings flagged")),
        "{out}"
    );
}

#[test]
fn a_thought_scoped_pattern_matches_across_sentences_and_a_sentence_one_does_not() {
    let rule = |scope: &str| {
        format!(
            "name = \"Zebra\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\nunless = ['\\bstripes\\b']\n[[pattern]]\nid = \"two-steps\"\n{scope}match = ['\\bzebra\\b.*\\bnever\\b']\n"
        )
    };
    let thought = "I saw a zebra. It will never come back.";
    let found = |text: &str, scope: &str| {
        let dir = rule_dir(&[("zebra-thinking.toml", &rule(scope))]);
        let doc = only_user_rules_json(dir.path(), text);
        doc["thoughts"][0]["findings"][0]["matches"][0]["text"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(found(thought, ""), None, "sentence scope is the default");
    assert_eq!(found(thought, "scope = \"sentence\"\n"), None);
    assert_eq!(
        found(thought, "scope = \"thought\"\n").as_deref(),
        Some("zebra. It will never")
    );
    let dir = rule_dir(&[("zebra-thinking.toml", &rule("scope = \"thought\"\n"))]);
    let shown = reframe(&[
        "--rules",
        arg(dir.path()),
        "rules",
        "show",
        "zebra-thinking",
    ])
    .run()
    .success()
    .stdout();
    assert!(
        shown.contains("Pattern two-steps (line 7, across sentences)"),
        "{shown}"
    );
    // An exception anywhere in the thought cancels a thought-scoped match.
    assert_eq!(
        found(
            "I saw a zebra. It will never come back. It had stripes.",
            "scope = \"thought\"\n"
        ),
        None
    );
}

#[test]
fn a_problem_in_a_rule_file_given_to_a_rules_command_is_reported_once() {
    let bad = "name = \"x\"\nsummary = \"s\"\nexplanation = \"e\"\nreframes = [\"r\"]\nquestions = [\"q\"]\n[[pattern]]\nid = \"p\"\nmatch = ['tuesdays']\nflag = [\"]I hate tuesdays[\"]\n";
    let dir = rule_dir(&[("zebra-thinking.toml", bad)]);
    for args in [
        vec!["rules", "test", "--rules", arg(dir.path())],
        vec!["--rules", arg(dir.path()), "rules", "list"],
    ] {
        let stderr = reframe(&args).run().code(2).stderr();
        assert_eq!(
            stderr.matches("I hate tuesdays").count(),
            1,
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn eval_scores_several_files_each_on_its_own_and_all_together() {
    let (_one, first) = temp_file(
        "first.jsonl",
        concat!(
            r#"{"text": "I'm a loser", "labels": ["labeling"]}"#,
            "\n",
            r#"{"text": "The bus was late", "labels": []}"#,
            "\n",
        ),
    );
    let (_two, second) = temp_file(
        "second.jsonl",
        concat!(
            r#"{"text": "I'll never be good enough", "labels": ["fortune-telling"]}"#,
            "\n",
            "not json\n",
            r#"{"text": "I had soup for lunch", "labels": []}"#,
            "\n",
        ),
    );
    // A bad row in the second file is reported with its file and line, and the rest is scored.
    let run = reframe(&["eval", arg(&first), arg(&second)]).run().code(2);
    assert!(
        run.stderr().contains(&format!("{}:2: ", second.display())),
        "{}",
        run.stderr()
    );
    let out = run.stdout();
    for heading in [
        format!("== {} ==", first.display()),
        format!("== {} ==", second.display()),
        "== all 2 files together ==".to_string(),
    ] {
        assert!(out.contains(&heading), "{heading}: {out}");
    }
    // A line per file and one for all: labeling alone in the first, fortune telling alone in the
    // second, both over all four rows.
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name) && l.ends_with(char::is_numeric))
            .unwrap_or_else(|| panic!("{name}: {out}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(line(&first.display().to_string()), "2");
    assert_eq!(line(&second.display().to_string()), "2");
    assert_eq!(line("all together"), "4");
    let doc = reframe(&["eval", arg(&first), arg(&second), "--format", "json"])
        .run()
        .code(2)
        .json();
    assert_eq!(doc["files"][0]["file"], first.display().to_string());
    assert_eq!(doc["files"][1]["rows"], 2);
    assert_eq!(doc["combined"]["rows"], 4);
    let ids: Vec<&str> = doc["combined"]["distortions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["fortune-telling", "labeling"]);
}

/// A rule whose pattern names the word list `{list}`.
fn rule_using(list: &str) -> String {
    minimal_rule("Zebra thinking", "zebra")
        .replace(
            r"match = ['\bzebra\b']",
            &format!(r"match = ['\b{{{list}}}\s+zebra\b']"),
        )
        .replace("a [zebra] here", "a [striped zebra] here")
}

const STRIPES: &str =
    "[[list]]\nname = \"striped\"\nmeans = \"words for stripes\"\nwords = ['striped', 'stripy']\n";

#[test]
fn a_user_word_list_is_expanded_shown_and_checked() {
    let dir = rule_dir(&[
        ("words.toml", STRIPES),
        ("zebra-thinking.toml", &rule_using("striped")),
    ]);
    let doc = only_user_rules_json(dir.path(), "a stripy zebra and a plain zebra");
    assert_eq!(ids(&doc), ["zebra-thinking"]);
    assert_eq!(
        doc["thoughts"][0]["findings"][0]["matches"][0]["text"],
        "stripy zebra"
    );
    // Built-in lists can be used by a user's rule too, even without the built-in rules.
    let dir_builtin = rule_dir(&[("zebra-thinking.toml", &rule_using("other"))]);
    let doc = only_user_rules_json(dir_builtin.path(), "my boyfriend zebra");
    assert_eq!(ids(&doc), ["zebra-thinking"]);

    let show = reframe(&[
        "--rules",
        arg(dir.path()),
        "rules",
        "show",
        "zebra-thinking",
    ])
    .run()
    .success()
    .stdout();
    assert!(show.contains(r"match   \b{striped}\s+zebra\b"), "{show}");
    assert!(show.contains("Word lists used"), "{show}");
    assert!(show.contains("striped | stripy"), "{show}");
    let words = reframe(&["--rules", arg(dir.path()), "rules", "show", "words"])
        .run()
        .success()
        .stdout();
    let file = dir.path().join("words.toml");
    assert!(
        words.contains(&format!(
            "{{striped}} ({}, line 1): words for stripes",
            file.display()
        )),
        "{words}"
    );
    assert!(words.contains("{other} (<built-in>/words.toml"), "{words}");
    reframe(&["rules", "test", arg(dir.path())]).run().success();
}

#[test]
fn a_word_list_no_rule_uses_fails_rules_test_and_an_unknown_one_is_an_error() {
    let dir = rule_dir(&[
        ("words.toml", STRIPES),
        (
            "zebra-thinking.toml",
            &minimal_rule("Zebra thinking", "zebra"),
        ),
    ]);
    let run = reframe(&["rules", "test", arg(dir.path())]).run().code(1);
    let file = dir.path().join("words.toml");
    assert!(
        run.stdout().contains(&format!(
            "FAIL {}:1: word list {{striped}} is not used by any rule",
            file.display()
        )),
        "{}",
        run.stdout()
    );
    // The built-in lists are not the user's to use up.
    assert!(!run.stdout().contains("{other}"), "{}", run.stdout());

    let dir = rule_dir(&[("zebra-thinking.toml", &rule_using("stripd"))]);
    let stderr = reframe(&["--rules", arg(dir.path()), "a zebra"])
        .run()
        .code(2)
        .stderr();
    let file = dir.path().join("zebra-thinking.toml");
    assert!(
        stderr.contains(&format!(
            "{}:9: distortion 'zebra-thinking', pattern 'the-word': {{stripd}} names no word list",
            file.display()
        )),
        "{stderr}"
    );
    let dir = rule_dir(&[(
        "words.toml",
        "[[list]]\nname = \"other\"\nmeans = \"again\"\nwords = ['x']\n",
    )]);
    let stderr = reframe(&["--rules", arg(dir.path()), "a zebra"])
        .run()
        .code(2)
        .stderr();
    assert!(
        stderr.contains(&format!("{}:1: word lists, list '{{other}}': a list named {{other}} is already defined (<built-in>/words.toml:", dir.path().join("words.toml").display())),
        "{stderr}"
    );
}

#[test]
fn a_broken_word_list_file_is_reported_once_not_by_every_rule_that_names_its_lists() {
    let dir = rule_dir(&[
        (
            "words.toml",
            "[[list]]\nname = \"striped\"\nwords = ['a' 'b']\n",
        ),
        ("zebra-thinking.toml", &rule_using("striped")),
    ]);
    let stderr = reframe(&["--rules", arg(dir.path()), "a zebra"])
        .run()
        .code(2)
        .stderr();
    let file = dir.path().join("words.toml");
    assert!(stderr.contains("1 problem in the rule files"), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3: word lists: ", file.display())),
        "{stderr}"
    );
}
