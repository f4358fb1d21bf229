//! Crisis language: recognised in every mode, answered with crisis resources for the right
//! region, never reframed, and protected from being switched off.

use reframe::{Engine, RuleSet};

use crate::util::{
    Run, arg, data_lines, finding_ids, minimal_rule, only_user_rules_json, reframe, rule_dir,
    temp_file,
};

#[test]
fn every_crisis_phrasing_is_answered_with_resources_through_the_binary() {
    let lines = data_lines("crisis.txt");
    assert!(lines.len() >= 150, "the corpus has {} lines", lines.len());
    let out = reframe(&["--format", "jsonl"])
        .stdin(lines.join("\n"))
        .run()
        .code(0)
        .jsonl();
    assert_eq!(out.len(), lines.len());
    let missed: Vec<&str> = out
        .iter()
        .filter(|t| t.get("safety").is_none())
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(
        missed.is_empty(),
        "not recognised as crisis language:\n{}",
        missed.join("\n")
    );
    assert!(
        out.iter()
            .all(|t| t["findings"].as_array().unwrap().is_empty()),
        "a crisis thought was reframed"
    );
}

#[test]
fn no_figurative_sentence_is_answered_as_a_crisis_through_the_binary() {
    let lines = data_lines("not-crisis.txt");
    assert!(lines.len() >= 150, "the corpus has {} lines", lines.len());
    let run = reframe(&["--format", "jsonl"])
        .stdin(lines.join("\n"))
        .run()
        .success();
    let flagged: Vec<String> = run
        .jsonl()
        .iter()
        .filter(|t| t.get("safety").is_some())
        .map(|t| format!("{} ({})", t["text"], t["safety"]["matches"][0]["pattern"]))
        .collect();
    assert!(flagged.is_empty(), "false alarms:\n{}", flagged.join("\n"));
}

#[test]
fn the_library_agrees_on_both_corpora() {
    let engine = Engine::new(RuleSet::builtin().unwrap()).unwrap();
    for line in data_lines("crisis.txt") {
        let analysis = engine.analyse(&line);
        assert!(
            analysis.safety.is_some() && analysis.findings.is_empty(),
            "{line}"
        );
    }
    for line in data_lines("not-crisis.txt") {
        assert!(engine.analyse(&line).safety.is_none(), "{line}");
    }
}

#[test]
fn one_shot_answers_calmly_with_help_and_no_reframe() {
    let out = reframe(&["--region", "uk", "I don't want to wake up tomorrow"])
        .run()
        .success()
        .stdout();
    assert!(
        out.starts_with("What you wrote sounds serious, and you deserve support right now."),
        "{out}"
    );
    assert!(
        out.contains("Samaritans: Call 116 123") && out.contains("Call 999"),
        "{out}"
    );
    assert!(
        out.contains("(United Kingdom; choose another place with --region)"),
        "{out}"
    );
    for reframing in ["balanced thought", "Questions to ask", "thinking trap"] {
        assert!(!out.contains(reframing), "{reframing} in {out}");
    }
    reframe(&["--exit-code", "I want to kill myself"])
        .run()
        .code(3);
}

#[test]
fn danger_from_someone_else_is_answered_too() {
    let out = reframe(&["--region", "us", "my boyfriend hits me"])
        .run()
        .success()
        .stdout();
    assert!(
        out.starts_with("What you wrote sounds like you may not be safe"),
        "{out}"
    );
    assert!(out.contains("Call 911"), "{out}");
}

#[test]
fn json_carries_a_safety_object_and_no_findings() {
    let doc = reframe(&[
        "--format",
        "json",
        "--region",
        "au",
        "Honestly I’m suicidal",
    ])
    .run()
    .success()
    .json();
    let thought = &doc["thoughts"][0];
    assert_eq!(thought["findings"], serde_json::json!([]));
    let safety = &thought["safety"];
    assert_eq!(safety["category"], "suicide");
    assert!(
        safety["message"]
            .as_str()
            .unwrap()
            .contains("deserve support")
    );
    let m = &safety["matches"][0];
    assert_eq!(
        (m["pattern"].as_str(), m["text"].as_str()),
        (Some("suicide-word"), Some("suicidal"))
    );
    // The curly apostrophe before the match is 3 bytes and 1 character.
    assert_eq!(
        (m["bytes"]["start"].as_u64(), m["chars"]["start"].as_u64()),
        (Some(15), Some(13))
    );
    assert_eq!(safety["resources"]["region"], "au");
    let contacts: Vec<&str> = safety["resources"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["contact"].as_str().unwrap())
        .collect();
    assert!(
        contacts.iter().any(|c| c.contains("13 11 14"))
            && contacts.iter().any(|c| c.contains("000")),
        "{contacts:?}"
    );
}

#[test]
fn a_batch_notes_each_crisis_line_on_stderr_counts_it_and_can_exit_3() {
    let input = "I'm such a loser\nI want to die\nI had soup\nmy dad beats me\n";
    let run = reframe(&["--summary"]).stdin(input).run().code(0);
    let stderr = run.stderr();
    assert!(
        stderr.contains("reframe: -:2: this thought speaks of suicide or not wanting to live"),
        "{stderr}"
    );
    assert!(
        stderr.contains("reframe: -:4: this thought speaks of being hurt or in danger"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    let out = run.stdout();
    assert!(
        out.contains("2: I want to die\n    Crisis language (suicide): this sounds serious"),
        "{out}"
    );
    assert!(
        out.contains(
            "Summary: 4 thoughts, 1 with a thinking trap recognised, 2 with crisis language"
        ),
        "{out}"
    );
    reframe(&["--exit-code"]).stdin(input).run().code(3);
    reframe(&["--exit-code"])
        .stdin("I want to die\nbad \u{fffd}\n")
        .run()
        .code(3);
    let both = reframe(&["--exit-code", "--format", "jsonl"])
        .stdin(&b"I want to die\n\xff\n"[..])
        .run()
        .code(3);
    assert!(
        both.stderr().contains("not valid UTF-8"),
        "{}",
        both.stderr()
    );
}

/// A thought whose apostrophe is the Windows-1252 byte 0x92, as an old editor saves it.
#[cfg(unix)]
fn windows_1252(text: &[u8]) -> &std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(text)
}

#[cfg(unix)]
#[test]
fn a_thought_argument_that_is_not_utf8_is_checked_answered_and_then_reported() {
    let crisis = windows_1252(b"I don\x92t want to wake up tomorrow");
    let run = reframe(&["--region", "uk"]).raw_arg(crisis).run().code(2);
    let out = run.stdout();
    assert!(
        out.starts_with("What you wrote sounds serious") && out.contains("116 123"),
        "{out}"
    );
    assert_eq!(
        run.stderr(),
        "reframe: the thought given is not valid UTF-8; bytes that are not were read as Windows-1252, and answered as read\n"
    );
    reframe(&["--exit-code"]).raw_arg(crisis).run().code(3);
    let doc = reframe(&["--format", "json"])
        .raw_arg(crisis)
        .run()
        .code(2)
        .json();
    let thought = &doc["thoughts"][0];
    assert_eq!(thought["text"], "I don\u{2019}t want to wake up tomorrow");
    assert_eq!(thought["safety"]["category"], "suicide");
    // Without crisis language the thought is answered in full, as read, and exits 2 as a batch
    // line that is not UTF-8 does.
    let calm = reframe(&["--exit-code"])
        .raw_arg(windows_1252(b"I\x92m such a loser"))
        .run()
        .code(2);
    assert!(calm.stdout().contains("Labeling"), "{}", calm.stdout());
    assert!(
        calm.stderr().contains("not valid UTF-8"),
        "{}",
        calm.stderr()
    );
}

#[cfg(unix)]
#[test]
fn a_session_thought_that_is_not_utf8_is_checked_too() {
    let crisis = windows_1252(b"I don\x92t want to wake up tomorrow");
    let run = reframe(&["session"]).raw_arg(crisis).run().code(2);
    let out = run.stdout();
    assert!(out.starts_with("What you wrote sounds serious"), "{out}");
    let stderr = run.stderr();
    assert!(
        stderr.starts_with("reframe: the thought given is not valid UTF-8")
            && stderr.contains("needs a terminal"),
        "{stderr}"
    );
    reframe(&["--exit-code", "session"])
        .raw_arg(crisis)
        .run()
        .code(3);
}

#[test]
fn the_region_comes_from_the_flag_the_config_file_then_the_locale() {
    let contacts = |run: crate::util::Reframe| run.run().success().stdout();
    let thought = "I want to die";
    assert!(
        contacts(reframe(&["--region", "ca", thought]).env("LANG", "en_GB.UTF-8"))
            .contains("9-8-8")
    );
    assert!(contacts(reframe(&[thought]).env("LANG", "en_AU.UTF-8")).contains("13 11 14"));
    assert!(
        contacts(
            reframe(&[thought])
                .env("LANG", "en_AU.UTF-8")
                .env("LC_ALL", "en_IE.UTF-8")
        )
        .contains("(Ireland;")
    );
    assert!(contacts(reframe(&[thought]).env("LANG", "de_DE.UTF-8")).contains("Call 112"));
    let fallback = contacts(reframe(&[thought]).env("LANG", "C.UTF-8"));
    assert!(
        fallback.contains("findahelpline.com") && fallback.contains("(any country;"),
        "{fallback}"
    );
    let with_config = reframe(&[thought]).env("LANG", "en_AU.UTF-8");
    let dir = with_config.config_dir().join("reframe");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "region = \"uk\"\n").unwrap();
    assert!(contacts(with_config).contains("116 123"));
}

#[test]
fn a_bad_region_or_config_file_is_a_clear_error() {
    let run = reframe(&["--region", "mars", "I want to die"])
        .run()
        .code(2);
    assert!(
        run.stderr().contains(
            "unknown region \"mars\" given with --region; use one of: international, us, uk"
        ),
        "{}",
        run.stderr()
    );
    let bad = reframe(&["I had soup"]);
    let dir = bad.config_dir().join("reframe");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "regoin = \"uk\"\n").unwrap();
    let stderr = bad.run().code(2).stderr();
    assert!(
        stderr.contains("config.toml") && stderr.contains("regoin"),
        "{stderr}"
    );
}

#[test]
fn built_in_safety_rules_cannot_be_replaced_disabled_or_left_out() {
    let replace = rule_dir(&[("safety.toml", "disabled = true\n")]);
    let stderr = reframe(&["--rules", arg(replace.path()), "x"])
        .run()
        .code(2)
        .stderr();
    assert!(
        stderr.contains("the built-in safety rules cannot be replaced"),
        "{stderr}"
    );
    let stderr = refused("disabled = true\n", "x");
    assert!(
        stderr.contains("safety rules cannot be disabled"),
        "{stderr}"
    );
    let only_user = rule_dir(&[("zebra.toml", &minimal_rule("Zebra", "zebra"))]);
    let doc = only_user_rules_json(only_user.path(), "I want to kill myself");
    assert_eq!(doc["thoughts"][0]["safety"]["category"], "suicide");
}

/// What a run refuses on standard error, exit 2, when `--rules` gives it a `safety-mine.toml`
/// holding `text`, and `thought`.
#[track_caller]
fn refused(text: &str, thought: &str) -> String {
    let dir = rule_dir(&[("safety-mine.toml", text)]);
    reframe(&["--rules", arg(dir.path()), thought])
        .run()
        .code(2)
        .stderr()
}

#[test]
fn users_can_add_safety_patterns_of_their_own() {
    let mine = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"self-harm\"\nmatch = ['\\bbluebird\\b']\nflag = [\"the [bluebird] is back\"]\nallow = [\"a robin\"]\n";
    let dir = rule_dir(&[("safety-mine.toml", mine)]);
    let doc = reframe(&[
        "--rules",
        arg(dir.path()),
        "--format",
        "json",
        "the bluebird came back today",
    ])
    .run()
    .success()
    .json();
    assert_eq!(doc["thoughts"][0]["safety"]["category"], "self-harm");
    let out = reframe(&["rules", "test", arg(dir.path())])
        .run()
        .success()
        .stdout();
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
    let with_reframes = mine.replace("[[pattern]]", "reframes = [\"no\"]\n[[pattern]]");
    let stderr = refused(&with_reframes, "x");
    assert!(
        stderr.contains("safety rules are never reframed"),
        "{stderr}"
    );
}

#[test]
fn a_safety_pattern_sets_its_level_and_an_unknown_level_is_refused_with_its_line() {
    let mine = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nlevel = \"concern\"\nmatch = ['\\bbluebird\\b']\n";
    let dir = rule_dir(&[("safety-mine.toml", mine)]);
    let json = |dir: &std::path::Path, thought: &str| {
        reframe(&["--rules", arg(dir), "--format", "json", thought])
            .run()
            .success()
            .json()
    };
    let doc = json(dir.path(), "the bluebird came back today");
    assert_eq!(doc["thoughts"][0]["safety"]["level"], "concern");
    let doc = json(dir.path(), "the bluebird is back and I want to kill myself");
    assert_eq!(
        doc["thoughts"][0]["safety"]["level"], "crisis",
        "the highest level of the matches wins"
    );
    let stderr = refused(&mine.replace("concern", "medium"), "x");
    assert!(
        stderr.contains("safety-mine.toml:7: distortion 'safety-mine', pattern 'code-word': unknown level \"medium\""),
        "{stderr}"
    );
}

#[test]
fn a_users_safety_pattern_is_checked_when_loaded_and_its_exceptions_apply() {
    // Safety expressions are in no automaton (see `Engine::candidates`), so a broken one must
    // still be reported when the rules load, and their exceptions still answered.
    let broken = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nmatch = ['\\bbluebird(']\n";
    let stderr = refused(broken, "the bluebird sang");
    assert!(
        stderr.contains("safety-mine.toml:7: distortion 'safety-mine', pattern 'code-word'"),
        "{stderr}"
    );
    let excepted = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nmatch = ['\\bbluebird\\b']\nunless = ['\\bbluebird\\s+song\\b']\n";
    let dir = rule_dir(&[("safety-mine.toml", excepted)]);
    let json = |thought: &str| {
        reframe(&["--rules", arg(dir.path()), "--format", "json", thought])
            .run()
            .success()
            .json()
    };
    assert_eq!(
        json("the bluebird is back")["thoughts"][0]["safety"]["category"],
        "suicide"
    );
    assert!(
        json("I hummed a bluebird song")["thoughts"][0]["safety"].is_null(),
        "the exception cancels the match"
    );
}

#[test]
fn a_safety_pattern_needs_a_category_it_knows() {
    let pattern = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\nmatch = ['\\bbluebird\\b']\n";
    for (category, error) in [
        (
            "",
            "safety-mine.toml:4: distortion 'safety-mine', pattern 'code-word': `category` is required",
        ),
        (
            "category = \"sadness\"\n",
            "safety-mine.toml:6: distortion 'safety-mine', pattern 'code-word': unknown category \"sadness\"; use one of suicide, self-harm, harm-from-others",
        ),
    ] {
        let text = pattern.replace("match", &format!("{category}match"));
        let stderr = refused(&text, "x");
        assert!(stderr.contains(error), "{stderr}");
    }
}

#[test]
fn rules_list_show_and_test_cover_the_safety_rules() {
    let list = reframe(&["rules", "list"]).run().success().stdout();
    assert!(
        list.lines().any(|l| l.starts_with("safety ")
            && l.contains("Crisis language")
            && l.ends_with("built-in")),
        "{list}"
    );
    let show = reframe(&["rules", "show", "safety"])
        .run()
        .success()
        .stdout();
    assert!(
        show.contains("Never reframed") && show.contains("category harm-from-others"),
        "{show}"
    );
    let test = reframe(&["rules", "test"]).run().success().stdout();
    assert!(test.contains("16 rule files"), "{test}");
}

#[test]
fn eval_counts_crisis_rows_instead_of_scoring_them() {
    let (_dir, file) = temp_file(
        "rows.jsonl",
        "{\"text\": \"I want to die\", \"labels\": [\"labeling\"]}\n{\"text\": \"I'm a loser\", \"labels\": [\"labeling\"]}\n",
    );
    let doc = reframe(&["eval", arg(&file), "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(doc["crisis_rows"], 1);
    assert_eq!(doc["distortions"][0]["fn"], 1);
}

/// One way the rules or settings a person asked for can fail to load.
struct Broken<'a> {
    /// What is broken, for failure messages.
    case: &'static str,
    /// Arguments that come before the test's own.
    args: Vec<&'a str>,
    /// A file to write under `$XDG_CONFIG_HOME/reframe/`: (path, contents).
    file: Option<(&'static str, &'static str)>,
    /// Words the error on standard error must contain.
    error: &'static str,
    /// A contact from the region the crisis answer must show: the one asked for, or the
    /// international one when the region itself is the problem.
    contact: &'static str,
}

/// Runs `reframe ARGS` with `input` on standard input under each failure to load, handing each
/// case and its run to `check`.
fn under_each_failure(args: &[&str], input: &[u8], check: impl Fn(&Broken, Run)) {
    const SYNTAX: &str = "name = \n";
    let (uk, anywhere) = ("116 123", "findahelpline.com");
    let broken_rules = rule_dir(&[("broken.toml", SYNTAX)]);
    let cases = [
        Broken {
            case: "bad config syntax",
            args: vec!["--region", "uk"],
            file: Some(("config.toml", "region = \n")),
            error: "cannot read the config file",
            contact: uk,
        },
        Broken {
            case: "unknown region in the config file",
            args: vec![],
            file: Some(("config.toml", "region = \"mars\"\n")),
            error: "unknown region \"mars\" in the config file",
            contact: anywhere,
        },
        Broken {
            case: "--region mars",
            args: vec!["--region", "mars"],
            file: None,
            error: "unknown region \"mars\" given with --region",
            contact: anywhere,
        },
        Broken {
            case: "a broken file in the user's rule directory",
            args: vec!["--region", "uk"],
            file: Some(("rules/broken.toml", SYNTAX)),
            error: "rules/broken.toml:1: distortion 'broken'",
            contact: uk,
        },
        Broken {
            case: "a broken file in --rules",
            args: vec!["--region", "uk", "--rules", arg(broken_rules.path())],
            file: None,
            error: "broken.toml:1: distortion 'broken'",
            contact: uk,
        },
    ];
    for broken in cases {
        let all: Vec<&str> = broken.args.iter().chain(args).copied().collect();
        let invocation = reframe(&all).stdin(input);
        if let Some((name, text)) = broken.file {
            let path = invocation.config_dir().join("reframe").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        check(&broken, invocation.run());
    }
}

impl Broken<'_> {
    /// Asserts that standard error has this failure's error once, after any note on a line.
    #[track_caller]
    fn reported_once(&self, run: &Run) {
        let stderr = run.stderr();
        assert_eq!(
            stderr.matches(self.error).count(),
            1,
            "{}: {stderr}",
            self.case
        );
        let error_at = stderr.find(self.error).unwrap();
        assert!(
            stderr
                .rfind("this thought")
                .is_none_or(|note_at| note_at < error_at),
            "{}: the error comes after the notes: {stderr}",
            self.case
        );
    }
}

#[test]
fn a_broken_setting_or_rule_file_never_stops_the_crisis_answer_in_one_shot() {
    let thought = "I want to kill myself";
    under_each_failure(&[thought], b"", |broken, run| {
        let run = run.code(2);
        let out = run.stdout();
        assert!(
            out.starts_with("What you wrote sounds serious") && out.contains(broken.contact),
            "{}: {out}",
            broken.case
        );
        broken.reported_once(&run);
    });
    under_each_failure(&["--exit-code", thought], b"", |broken, run| {
        let run = run.code(3);
        broken.reported_once(&run);
    });
    under_each_failure(&["--format", "json", thought], b"", |broken, run| {
        let run = run.code(2);
        let safety = &run.json()["thoughts"][0]["safety"];
        assert_eq!(safety["category"], "suicide", "{}", broken.case);
        let region = safety["resources"]["region"].as_str().unwrap();
        assert_eq!(
            region == "international",
            broken.contact.contains("findahelpline"),
            "{}: {region}",
            broken.case
        );
        broken.reported_once(&run);
    });
}

#[test]
fn a_thought_without_crisis_language_still_just_gets_the_error() {
    for args in [
        &["I'm such a loser"][..],
        &["--exit-code", "I'm such a loser"],
    ] {
        under_each_failure(args, b"", |broken, run| {
            let run = run.code(2);
            assert_eq!(run.stdout(), "", "{}", broken.case);
            broken.reported_once(&run);
        });
    }
}

#[test]
fn a_broken_setting_or_rule_file_leaves_a_batch_with_its_crisis_rows_only() {
    let input = b"I'm such a loser\nI want to die\nI had soup\n";
    under_each_failure(&["--summary"], input, |broken, run| {
        let run = run.code(2);
        let out = run.stdout();
        assert!(
            out.starts_with("2: I want to die\n    Crisis language (suicide): this sounds serious"),
            "{}: {out}",
            broken.case
        );
        assert!(out.contains(broken.contact), "{}: {out}", broken.case);
        assert!(
            !out.contains("loser") && !out.contains("soup") && !out.contains("Summary"),
            "{}: {out}",
            broken.case
        );
        let stderr = run.stderr();
        assert!(
            stderr.starts_with("reframe: -:2: this thought speaks of suicide"),
            "{}: {stderr}",
            broken.case
        );
        broken.reported_once(&run);
    });
    under_each_failure(
        &["--exit-code", "--format", "jsonl"],
        input,
        |broken, run| {
            let run = run.code(3);
            let rows = run.jsonl();
            assert_eq!(rows.len(), 1, "{}", broken.case);
            assert_eq!(rows[0]["line"], 2, "{}", broken.case);
            broken.reported_once(&run);
        },
    );
}

#[test]
fn a_session_under_a_broken_setting_answers_a_crisis_thought_before_the_error() {
    under_each_failure(&["session", "I want to kill myself"], b"", |broken, run| {
        let run = run.code(2);
        let out = run.stdout();
        assert!(
            out.starts_with("What you wrote sounds serious") && out.contains(broken.contact),
            "{}: {out}",
            broken.case
        );
        // Worded as inside a session: no flag to type, and the note on the place instead.
        assert!(!out.contains("--region"), "{}: {out}", broken.case);
        let note = if broken.contact.contains("findahelpline") {
            "Place: any country, since the place asked for is not one reframe knows."
        } else {
            "Place: United Kingdom, chosen for this run only"
        };
        assert!(out.contains(note), "{}: {out}", broken.case);
        broken.reported_once(&run);
    });
    under_each_failure(
        &["--exit-code", "session", "I want to kill myself"],
        b"",
        |broken, run| {
            let run = run.code(3);
            broken.reported_once(&run);
        },
    );
    under_each_failure(&["session", "I had soup"], b"", |broken, run| {
        let run = run.code(2);
        assert_eq!(run.stdout(), "", "{}", broken.case);
        broken.reported_once(&run);
    });
}

#[test]
fn a_broken_rule_file_keeps_the_users_own_safety_patterns_that_load() {
    let mine = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"self-harm\"\nmatch = ['\\bbluebird\\b']\n";
    let dir = rule_dir(&[
        ("safety-mine.toml", mine),
        // A safety file that is broken itself is left out; the others still count.
        ("safety-typo.toml", "name = \n"),
        ("zebra.toml", "name = \n"),
    ]);
    let thought = "the bluebird came back today";
    let run = reframe(&["--rules", arg(dir.path()), "--region", "uk", thought])
        .run()
        .code(2);
    let out = run.stdout();
    assert!(
        out.starts_with("What you wrote sounds serious, and you deserve care and support")
            && out.contains("116 123"),
        "the user's code word still gets the crisis answer: {out}"
    );
    let stderr = run.stderr();
    assert!(
        stderr.contains("zebra.toml:1: distortion 'zebra'")
            && stderr.contains("safety-typo.toml:1: distortion 'safety-typo'"),
        "then the error: {stderr}"
    );
    reframe(&["--rules", arg(dir.path()), "--exit-code", thought])
        .run()
        .code(3);
    // In a batch too, and a line without crisis language is still left out.
    let rows = reframe(&["--rules", arg(dir.path()), "--format", "jsonl"])
        .stdin(format!("I'm such a loser\n{thought}\n"))
        .run()
        .code(2)
        .jsonl();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["safety"]["category"], "self-harm");
}

#[test]
fn a_session_without_a_terminal_answers_a_crisis_thought_before_saying_so() {
    let run = reframe(&["--region", "uk", "session", "I want to kill myself"])
        .run()
        .code(2);
    let out = run.stdout();
    assert!(
        out.starts_with("What you wrote sounds serious")
            && out.contains("116 123")
            && out.contains("Place: United Kingdom"),
        "{out}"
    );
    assert!(!out.contains("--region"), "{out}");
    assert!(
        run.stderr().contains("needs a terminal"),
        "{}",
        run.stderr()
    );
    reframe(&["--exit-code", "session", "I want to kill myself"])
        .run()
        .code(3);
    let calm = reframe(&["session", "I'm such a loser"]).run().code(2);
    assert_eq!(calm.stdout(), "");
}

#[test]
fn a_thought_piped_into_a_session_is_checked_before_it_says_it_needs_a_terminal() {
    let run = reframe(&["--region", "uk", "session"])
        .stdin("I had a long day\ni dont want to wake up tomorrow\n")
        .run()
        .code(2);
    let out = run.stdout();
    assert!(
        out.starts_with("What you wrote sounds serious") && out.contains("116 123"),
        "{out}"
    );
    assert!(
        run.stderr().contains("needs a terminal"),
        "{}",
        run.stderr()
    );
    reframe(&["--exit-code", "session"])
        .stdin("I want to kill myself\n")
        .run()
        .code(3);
    let calm = reframe(&["session"])
        .stdin("I'm such a loser\n")
        .run()
        .code(2);
    assert_eq!(calm.stdout(), "");
}

#[test]
fn a_session_under_a_broken_rule_file_answers_a_warning_sign_with_the_lines_first() {
    let dir = concern_rules("suicide");
    std::fs::write(dir.path().join("zebra.toml"), "name = \n").unwrap();
    let run = reframe(&[
        "--rules",
        arg(dir.path()),
        "--region",
        "uk",
        "session",
        "the bluebird is back",
    ])
    .run()
    .code(2);
    let out = run.stdout();
    assert!(
        out.starts_with("Help is available now (United Kingdom):\n"),
        "{out}"
    );
    let why = out.find("I won't try to reframe").expect("the gentle line");
    let place = out.find("Place: United Kingdom").expect("the note");
    assert!(out.find("116 123").unwrap() < why && why < place, "{out}");
    assert!(run.stderr().contains("zebra.toml:1"), "{}", run.stderr());
}

/// A user safety file whose one pattern, `bluebird`, is a warning sign (`concern`) of `category`.
fn concern_rules(category: &str) -> tempfile::TempDir {
    let mine = format!(
        "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"{category}\"\nlevel = \"concern\"\nmatch = ['\\bbluebird\\b']\n"
    );
    rule_dir(&[("safety-mine.toml", &mine)])
}

#[test]
fn a_warning_sign_shows_the_lines_first_then_a_gentle_word_and_no_reframe() {
    let dir = concern_rules("suicide");
    let thought = "I'm such a loser, the bluebird is back";
    let out = reframe(&["--rules", arg(dir.path()), "--region", "uk", thought])
        .run()
        .success()
        .stdout();
    assert!(
        out.starts_with("Help is available now (United Kingdom;") && out.contains("116 123"),
        "{out}"
    );
    let gentle = out.find("I won't try to reframe").expect("the gentle line");
    assert!(out.find("116 123").unwrap() < gentle, "{out}");
    assert!(out.contains("thoughts of ending your life"), "{out}");
    for not_here in [
        "Labeling",
        "balanced thought",
        "Questions to ask",
        "sounds serious",
    ] {
        assert!(!out.contains(not_here), "{not_here} in {out}");
    }
    reframe(&["--rules", arg(dir.path()), "--exit-code", thought])
        .run()
        .code(3);
}

#[test]
fn json_says_a_warning_sign_is_a_concern_in_its_level_and_message() {
    for (category, says) in [
        ("suicide", "ending your life"),
        ("self-harm", "hurting yourself"),
        ("harm-from-others", "don't feel safe"),
    ] {
        let dir = concern_rules(category);
        let doc = reframe(&[
            "--rules",
            arg(dir.path()),
            "--format",
            "json",
            "the bluebird is back",
        ])
        .run()
        .success()
        .json();
        let thought = &doc["thoughts"][0];
        assert_eq!(thought["findings"], serde_json::json!([]));
        assert_eq!(thought["safety"]["level"], "concern");
        assert_eq!(thought["safety"]["category"], category);
        let message = thought["safety"]["message"].as_str().unwrap();
        assert!(
            message.contains("I won't try to reframe") && message.contains(says),
            "{category}: {message}"
        );
    }
}

#[test]
fn a_batch_labels_a_warning_sign_apart_from_crisis_language_and_counts_both() {
    let dir = concern_rules("suicide");
    let input = "the bluebird is back\nI'm such a loser\n";
    let run = reframe(&["--rules", arg(dir.path()), "--summary"])
        .stdin(input)
        .run()
        .code(0);
    let out = run.stdout();
    assert!(
        out.starts_with(
            "1: the bluebird is back\n    Warning sign (suicide): some words sound very heavy; help is available now.\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("Summary: 2 thoughts, 1 with a thinking trap recognised, 0 with crisis language, 1 with a warning sign"),
        "{out}"
    );
    assert_eq!(
        run.stderr(),
        "reframe: -:1: this thought has a warning sign of suicide or not wanting to live; its output shows crisis resources, not a reframe\n"
    );
    reframe(&["--rules", arg(dir.path()), "--exit-code"])
        .stdin(input)
        .run()
        .code(3);
}

#[test]
fn a_thought_that_names_suicide_without_crisis_language_is_not_reframed() {
    // Someone else's suicide stays out of the crisis answer, but the thought still speaks of
    // suicide: no trap is named, and the lines are offered in case it is closer than it sounds.
    let thought = "my uncle killed himself and I always ruin everything";
    let out = reframe(&["--region", "uk", thought])
        .run()
        .success()
        .stdout();
    assert!(
        out.starts_with("This speaks of suicide or self-harm"),
        "{out}"
    );
    assert!(out.contains("116 123"), "{out}");
    for not_here in ["Overgeneralization", "sounds serious", "Questions to ask"] {
        assert!(!out.contains(not_here), "{not_here} in {out}");
    }
    // Without the first clause the same words are a thinking trap, so the test can tell.
    let plain = reframe(&["I always ruin everything"])
        .run()
        .success()
        .stdout();
    assert!(
        plain.contains("(overgeneralization)") || plain.contains("Overgeneralization"),
        "{plain}"
    );
    let doc = reframe(&["--format", "json", "--region", "uk", thought])
        .run()
        .success()
        .json();
    let row = &doc["thoughts"][0];
    assert!(
        row["mention"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("This speaks of suicide or self-harm")),
        "{row}"
    );
    assert_eq!(row["mention"]["resources"]["region"], "uk");
    assert_eq!(
        row["mention"]["resources"]["lines"][0]["contact"],
        "Call 116 123"
    );
    assert!(row["safety"].is_null(), "not a crisis answer: {row}");
    assert_eq!(row["findings"], serde_json::json!([]));
    let calm = reframe(&["--format", "json", "I always ruin everything"])
        .run()
        .success()
        .json();
    assert!(calm["thoughts"][0].get("mention").is_none(), "{calm}");
    // A figure of speech that borrows the word is reframed as usual.
    let figure = reframe(&[
        "--format",
        "json",
        "quitting would be career suicide, I always fail",
    ])
    .run()
    .success()
    .json();
    assert!(figure["thoughts"][0].get("mention").is_none(), "{figure}");
    assert!(!finding_ids(&figure["thoughts"][0]).is_empty(), "{figure}");
    // Not a crisis and not a trap: exit 0 with --exit-code.
    reframe(&["--exit-code", thought]).run().code(0);
    let rows = reframe(&["--color", "never", "--summary"])
        .stdin("the suicide rate rose again this year\nI always ruin everything\n")
        .run()
        .success()
        .stdout();
    assert!(
        rows.contains("1: the suicide rate rose again this year\n    not reframed: it speaks of suicide or self-harm"),
        "{rows}"
    );
    assert!(rows.contains("Overgeneralization"), "{rows}");
    assert!(
        rows.contains("0 with crisis language, 1 naming suicide or self-harm (not reframed)"),
        "{rows}"
    );
}

#[test]
fn a_users_safety_exceptions_answer_alike_in_one_shot_and_batch_and_are_checked_when_loaded() {
    // Two exceptions that each compile but name the same group cannot be joined into one regex:
    // a batch must still answer as a single thought does.
    let shared_name = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nmatch = ['\\bbluebird\\b']\nunless = ['\\bbluebird\\s+(?P<x>song)\\b', '\\bbluebird\\s+(?P<x>pie)\\b']\n";
    let dir = rule_dir(&[("safety-mine.toml", shared_name)]);
    for thought in ["the bluebird is back", "I baked a bluebird pie"] {
        let one = reframe(&["--rules", arg(dir.path()), "--format", "json", thought])
            .run()
            .success()
            .json();
        let batch = reframe(&["--rules", arg(dir.path()), "--format", "jsonl"])
            .stdin(format!("a first line\n{thought}\n"))
            .run()
            .code(0)
            .jsonl();
        assert_eq!(
            one["thoughts"][0]["safety"].is_null(),
            batch[1]["safety"].is_null(),
            "{thought}: {one} / {batch:?}"
        );
    }
    let one = reframe(&[
        "--rules",
        arg(dir.path()),
        "--format",
        "json",
        "the bluebird is back",
    ])
    .run()
    .success()
    .json();
    assert_eq!(one["thoughts"][0]["safety"]["category"], "suicide");
    // An exception too large to compile is reported with its file and line, not left to
    // silence the pattern.
    let too_large = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nmatch = ['\\bbluebird\\b']\nunless = ['\\bbluebird\\s+pie(?:\\pL{1000}){200}']\n";
    let stderr = refused(too_large, "the bluebird is back");
    assert!(
        stderr.contains("safety-mine.toml:8: distortion 'safety-mine', pattern 'code-word'"),
        "{stderr}"
    );
}

#[test]
fn a_command_line_refused_as_a_command_still_gets_the_crisis_answer_first() {
    // "help" and "rules" are command words, so these lines are refused as commands; the words
    // may still be a person's thought, and the crisis lines come before the error.
    for args in [
        &["help", "I", "want", "to", "die"][..],
        &["rules", "I want to kill myself"][..],
    ] {
        let run = reframe(args).env("LANG", "en_GB.UTF-8").run().code(2);
        let out = run.stdout();
        assert!(
            out.starts_with("What you wrote sounds serious"),
            "{args:?}: {out}"
        );
        assert!(
            out.contains("116 123"),
            "the place comes from the locale: {out}"
        );
        assert!(
            run.stderr().contains("put '--' before them"),
            "{}",
            run.stderr()
        );
    }
    // A place given on the same line is used, and with --exit-code, 3 wins over 2.
    let run = reframe(&[
        "--region",
        "us",
        "--exit-code",
        "help",
        "I",
        "want",
        "to",
        "die",
    ])
    .env("LANG", "en_GB.UTF-8")
    .run()
    .code(3);
    assert!(run.stdout().contains("988"), "{}", run.stdout());
    // Without the flag, the config file's place comes before the locale's.
    let run = reframe(&["help", "I", "want", "to", "die"]).env("LANG", "en_GB.UTF-8");
    let config = run.config_dir().join("reframe");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "region = \"au\"\n").unwrap();
    let run = run.run().code(2);
    assert!(run.stdout().contains("13 11 14"), "{}", run.stdout());
    let calm = reframe(&["rules", "are", "stupid"]).run().code(2);
    assert_eq!(
        calm.stdout(),
        "",
        "no crisis language, nothing but the error"
    );
}
