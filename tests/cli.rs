//! The conventions of the command line itself: what each command's `--help` offers, and where
//! its options may go.

use crate::util::{arg, reframe, rule_dir};

/// The long options `reframe ARGS --help` lists, in order: the first `--name` of every line that
/// starts with an option, so a description that mentions another option does not count.
#[track_caller]
fn options_in_help(args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.push("--help");
    let help = reframe(&args).run().success().stdout();
    help.lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| {
            let start = line.find("--")?;
            let name: String = line[start + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Some(format!("--{name}"))
        })
        .collect()
}

/// Asserts that `reframe ARGS --help` lists exactly `expected` (and `--help`, `--version`).
#[track_caller]
fn help_lists(args: &[&str], expected: &[&str]) {
    let mut shown = options_in_help(args);
    shown.retain(|o| o != "--help" && o != "--version");
    shown.sort();
    let mut expected: Vec<String> = expected.iter().map(|o| o.to_string()).collect();
    expected.sort();
    assert_eq!(
        shown,
        expected,
        "options in `reframe {} --help`",
        args.join(" ")
    );
}

#[test]
fn analysing_thoughts_lists_the_options_for_analysing() {
    help_lists(
        &[],
        &[
            "--file",
            "--format",
            "--summary",
            "--exit-code",
            "--max-line-bytes",
            "--rules",
            "--no-builtin",
            "--region",
            "--color",
        ],
    );
}

#[test]
fn session_lists_its_own_options_and_none_for_batches() {
    help_lists(
        &["session"],
        &[
            "--no-save",
            "--resume",
            "--exit-code",
            "--rules",
            "--no-builtin",
            "--region",
            "--journal",
            "--color",
        ],
    );
}

#[test]
fn journal_lists_the_journal_and_region_but_no_rules_or_batch_options() {
    let journal = ["--journal", "--region", "--color"];
    // `journal` alone lists, so it takes `-n` as `journal list` does.
    help_lists(
        &["journal"],
        &["--last", "--journal", "--region", "--color"],
    );
    help_lists(&["journal", "show"], &journal);
    help_lists(
        &["journal", "list"],
        &["--last", "--journal", "--region", "--color"],
    );
    help_lists(
        &["journal", "export"],
        &[
            "--format",
            "--output",
            "--force",
            "--journal",
            "--region",
            "--color",
        ],
    );
}

#[test]
fn rules_lists_the_rule_options_but_no_journal_region_or_batch_options() {
    let rules = ["--rules", "--no-builtin", "--color"];
    help_lists(&["rules"], &rules);
    help_lists(&["rules", "list"], &rules);
    help_lists(&["rules", "show"], &rules);
    help_lists(&["rules", "test"], &rules);
}

#[test]
fn eval_lists_its_report_and_rule_options_only() {
    help_lists(
        &["eval"],
        &[
            "--format",
            "--explain",
            "--max-line-bytes",
            "--rules",
            "--no-builtin",
            "--color",
        ],
    );
}

#[test]
fn options_shared_with_analysing_may_come_before_the_command_or_after_it() {
    let dir = rule_dir(&[("zebra.toml", &crate::util::minimal_rule("Zebra", "zebra"))]);
    for args in [
        vec!["--rules", arg(dir.path()), "rules", "list"],
        vec!["rules", "--rules", arg(dir.path()), "list"],
        vec!["rules", "list", "--rules", arg(dir.path())],
    ] {
        let out = reframe(&args).run().success().stdout();
        assert!(out.contains("zebra "), "{args:?}: {out}");
    }
    let labelled = "{\"text\": \"a zebra\", \"labels\": [\"zebra\"]}\n";
    let (_keep, file) = crate::util::temp_file("labelled.jsonl", labelled);
    let out = reframe(&[
        "eval",
        arg(&file),
        "--no-builtin",
        "--rules",
        arg(dir.path()),
    ])
    .run()
    .success()
    .stdout();
    assert!(out.contains("zebra "), "{out}");
    // `--exit-code` after `session`: a session that cannot start still answers crisis language,
    // with the code for it.
    reframe(&["session", "--exit-code", "I want to kill myself"])
        .run()
        .code(3);
}

/// The last section of `reframe ARGS --help`, which must be the exit codes: each code with the
/// first words of its meaning (continuation lines are left out).
#[track_caller]
fn exit_codes_in_help(args: &[&str]) -> Vec<(String, String)> {
    let mut args = args.to_vec();
    args.push("--help");
    let help = reframe(&args).run().success().stdout();
    let start = help
        .rfind("\nExit codes:\n")
        .unwrap_or_else(|| panic!("`reframe {}` has no exit codes: {help}", args.join(" ")));
    help[start..]
        .lines()
        .skip(2)
        .filter_map(|line| {
            assert!(
                line.starts_with("  "),
                "the exit codes end `reframe {} --help`: {line:?}",
                args.join(" ")
            );
            let (code, meaning) = line.trim_start().split_once(' ')?;
            code.parse::<u8>().ok()?;
            Some((code.to_string(), first_words(meaning)))
        })
        .collect()
}

/// The first four words of `text`, without backticks, for comparing two wordings.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(4).collect();
    words.join(" ").replace('`', "")
}

#[test]
fn help_ends_with_the_exit_codes_of_each_command() {
    let codes = |args: &[&str]| -> Vec<String> {
        exit_codes_in_help(args)
            .into_iter()
            .map(|(code, _)| code)
            .collect()
    };
    assert_eq!(codes(&[]), ["0", "1", "2", "3", "130"]);
    assert_eq!(codes(&["session"]), ["0", "2", "3", "130"]);
    for journal in [&["journal"][..], &["journal", "list"], &["journal", "show"]] {
        assert_eq!(codes(journal), ["0", "2"], "{journal:?}");
    }
    for more in ["export", "stats"] {
        assert_eq!(codes(&["journal", more]), ["0", "2"], "{more}");
    }
    assert_eq!(codes(&["journal", "review"]), ["0", "2", "130"]);
    for rules in [&["rules"][..], &["rules", "test"]] {
        assert_eq!(codes(rules), ["0", "1", "2"], "{rules:?}");
    }
    for rules in ["list", "show"] {
        assert_eq!(codes(&["rules", rules]), ["0", "2"], "{rules}");
    }
    for command in ["eval", "completions", "man"] {
        assert_eq!(codes(&[command]), ["0", "2"], "{command}");
    }
}

#[test]
fn the_exit_codes_in_help_are_worded_as_the_readme_table() {
    let readme = std::fs::read_to_string(crate::util::root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("\n## Exit codes\n")
        .expect("an exit code section")..];
    let table: Vec<(String, String)> = section
        .lines()
        .skip_while(|line| !line.starts_with("| code"))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            (cells[1].to_string(), first_words(cells[2]))
        })
        .collect();
    assert_eq!(table.len(), 5, "{table:?}");
    assert_eq!(exit_codes_in_help(&[]), table);
}

/// The tip a thought that starts with a command word gets.
const AS_A_THOUGHT: &str = "to examine these words as a thought, put '--' before them";

#[test]
fn a_thought_that_starts_with_a_command_word_is_told_to_put_double_dash_first() {
    for (args, suggested) in [
        (
            &[
                "rules", "are", "stupid", "and", "I", "always", "break", "them",
            ][..],
            r#"reframe -- "rules are stupid and I always break them""#,
        ),
        (
            &["--color", "never", "help", "me", "I'm", "drowning"],
            r#"reframe --color never -- "help me I'm drowning""#,
        ),
        (
            &["eval", "my", "work", "too", "harshly"],
            r#"reframe -- "eval my work too harshly""#,
        ),
        (
            &["journal", "is", "pointless"],
            r#"reframe -- "journal is pointless""#,
        ),
        (
            &["rules", "list", "what", "I", "\"should\"", "do"],
            r#"reframe -- "rules list what I \"should\" do""#,
        ),
    ] {
        let stderr = reframe(args).run().code(2).stderr();
        assert!(
            stderr.contains(&format!("{AS_A_THOUGHT}: '{suggested}'")),
            "{args:?}: {stderr}"
        );
    }
    // The command suggested does what it says.
    let out = reframe(&[
        "--", "rules", "are", "stupid", "and", "I", "always", "break", "them",
    ])
    .run()
    .success()
    .stdout();
    assert!(out.starts_with("rules are stupid and ["), "{out}");
}

#[test]
fn a_mistake_with_a_command_gets_no_tip_about_thoughts() {
    for args in [
        &["rules", "list", "--bogus"][..],
        &["journal", "show", "one"],
        &["rules"],
    ] {
        let stderr = reframe(args).run().code(2).stderr();
        assert!(!stderr.contains(AS_A_THOUGHT), "{args:?}: {stderr}");
    }
    // Words after `session` are its thought, as they should be.
    let stderr = reframe(&["session", "rules", "are", "stupid"])
        .run()
        .code(2)
        .stderr();
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!stderr.contains(AS_A_THOUGHT), "{stderr}");
}

#[test]
fn completions_are_made_for_every_shell_and_know_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = reframe(&["completions", shell]).run().success().stdout();
        for word in [
            "session",
            "journal",
            "rules",
            "eval",
            // Options without their dashes, as fish writes them.
            "no-save",
            "exit-code",
            "no-builtin",
        ] {
            assert!(script.contains(word), "the {shell} script lacks {word}");
        }
    }
    reframe(&["completions", "tcsh"]).run().code(2);
}

/// What bash offers after `words` (the last one being completed) with reframe's script loaded.
#[cfg(unix)]
#[track_caller]
fn bash_completes(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let program = format!(
        r#"source "$1"
COMP_WORDS=({words})
COMP_CWORD={last}
_reframe reframe "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
        last = words.len() - 1,
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &program, "bash"])
        .arg(script)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(unix)]
#[test]
fn bash_reads_the_bash_script_and_completes_commands_and_their_own_options() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("bash is not installed: the bash script is not run");
        return;
    }
    let script = reframe(&["completions", "bash"]).run().success().stdout();
    let (_keep, path) = crate::util::temp_file("reframe.bash", &script);
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );

    assert_eq!(bash_completes(&path, &["reframe", "jou"]), ["journal"]);
    let journal = bash_completes(&path, &["reframe", "journal", "--"]);
    assert!(journal.contains(&"--journal".to_string()), "{journal:?}");
    assert!(!journal.contains(&"--rules".to_string()), "{journal:?}");
    let rules = bash_completes(&path, &["reframe", "rules", "--"]);
    assert!(rules.contains(&"--no-builtin".to_string()), "{rules:?}");
    assert!(!rules.contains(&"--journal".to_string()), "{rules:?}");
    let shells = bash_completes(&path, &["reframe", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
}

#[test]
fn the_manual_page_holds_every_command_option_and_exit_code() {
    let page = reframe(&["man"]).run().success().stdout();
    assert!(page.contains("\n.TH reframe 1 "), "{page}");
    assert!(page.contains("\n.SH NAME\nreframe \\- Examine"), "{page}");
    // roff writes a hyphen as `\-`.
    for option in [
        "--file",
        "--summary",
        "--exit-code",
        "--rules",
        "--region",
        "--color",
        "--no-save",
        "--journal",
        "--last",
        "--output",
        "--explain",
    ] {
        let roff = option.replace('-', "\\-");
        assert!(page.contains(&roff), "the manual lacks {option}");
    }
    for command in [
        "reframe session",
        "reframe journal",
        "reframe journal show",
        "reframe rules test",
        "reframe eval",
        "reframe completions",
        "reframe man",
    ] {
        assert!(
            page.contains(&format!("\n.SS \"{command}\"\n")),
            "the manual lacks {command}"
        );
    }
    let status = &page[page.find("\n.SH \"EXIT STATUS\"\n").expect("exit codes")..];
    for code in ["0", "1", "2", "3", "130"] {
        assert!(
            status.contains(&format!("\n.TP\n\\fB{code}\\fR\n")),
            "exit code {code}: {status}"
        );
    }
    // Where groff is installed, it reads the page without a warning.
    let (_keep, path) = crate::util::temp_file("reframe.1", &page);
    if let Ok(groff) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&path)
        .output()
    {
        assert!(groff.status.success());
        assert_eq!(String::from_utf8_lossy(&groff.stderr), "");
    }
}

#[test]
fn eval_words_that_name_no_file_are_answered_as_a_thought_would_be() {
    // Crisis language comes first, on standard output, before the error and its tip.
    let run = reframe(&["eval", "I", "want", "to", "kill", "myself"])
        .run()
        .code(2);
    assert!(
        run.stdout().contains("Help is available now"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .contains(r#"put '--' before them: 'reframe -- "eval I want to kill myself"'"#),
        "{}",
        run.stderr()
    );
}
