//! The README's examples are real: every `$ reframe ...` command in a `console` block is run
//! (through `sh`, so pipes work), and the output shown under it must be what it prints. The test
//! command the README gives must be the one `.ci/run` calls.

use std::process::Command;

use crate::util::root;

/// (command, expected output) pairs from the README's console blocks.
fn console_examples(readme: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut in_block = false;
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            if in_block {
                examples.extend(current.take());
            }
            in_block = !in_block && line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            examples.extend(current.take());
            current = Some((command.to_string(), String::new()));
        } else if let Some((_, output)) = current.as_mut() {
            output.push_str(line);
            output.push('\n');
        }
    }
    examples
}

#[test]
fn readme_commands_run_and_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = console_examples(&readme);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_reframe"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for (command, expected) in &examples {
        // Cargo commands are how to build and test; running them here would recurse.
        if command.starts_with("cargo ") {
            continue;
        }
        let home = tempfile::tempdir().unwrap();
        let output = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(root())
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            // Journal times are shown in local time; the README shows them in UTC.
            .env("TZ", "UTC")
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let trim = |s: &str| {
            s.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .to_string()
        };
        assert_eq!(
            trim(&stdout),
            trim(expected),
            "README command `{command}` printed something else"
        );
        ran += 1;
    }
    assert!(
        ran >= 5,
        "the README shows at least five runnable examples, found {ran}"
    );
}

#[test]
fn the_readme_test_command_is_what_ci_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first_screen: String = readme.lines().take(30).collect::<Vec<_>>().join("\n");
    let examples = console_examples(&first_screen);
    let commands: Vec<&str> = examples.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cargo run") && c.contains('"')),
        "{commands:?}"
    );
    let test_command = commands
        .iter()
        .find(|c| c.starts_with("cargo test"))
        .expect("a test command on the first screen");
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == *test_command),
        ".ci/run must call `{test_command}`"
    );
}

#[test]
fn the_readme_json_example_is_what_the_command_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = "<!-- json-example: ";
    let start = readme.find(marker).expect("a marked JSON example");
    let rest = &readme[start + marker.len()..];
    let command = &rest[..rest.find(" -->").unwrap()];
    let body_start = rest.find("```json\n").unwrap() + "```json\n".len();
    let body = &rest[body_start..body_start + rest[body_start..].find("```").unwrap()];
    let shown: serde_json::Value = serde_json::from_str(body).expect("the README's JSON parses");
    let args: Vec<String> = shell_words(command.strip_prefix("reframe ").unwrap());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let printed = crate::util::reframe(&args).run().success().jsonl();
    assert_eq!(printed, [shown], "the README's JSON example is out of date");
}

/// Splits a command line on spaces, keeping double-quoted words together (enough for the
/// README's examples).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.extend((!word.is_empty()).then(|| std::mem::take(&mut word))),
            c => word.push(c),
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    words
}
