//! The one way integration tests run the real `reframe` binary: hermetically, in a temporary
//! home, with every variable that could change its output removed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// Variables that change colour or locations, removed from every run.
const REMOVED: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "HOME",
    "LC_ALL",
    "LANG",
];

/// The repository root, where `rules/`, `examples/` and the README are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `reframe` invocation being built.
pub struct Reframe {
    command: Command,
    stdin: Option<Vec<u8>>,
    home: TempDir,
}

/// Starts an invocation with the given arguments.
pub fn reframe(args: &[&str]) -> Reframe {
    let home = TempDir::new().expect("temporary home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_reframe"));
    for var in REMOVED {
        command.env_remove(var);
    }
    command
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .current_dir(root())
        .args(args);
    Reframe {
        command,
        stdin: None,
        home,
    }
}

impl Reframe {
    /// Feeds `input` on standard input (otherwise standard input is empty, not a terminal).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Adds one argument after the others, such as one that is not valid UTF-8.
    pub fn raw_arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    /// Runs in `dir` instead of the repository root, for relative paths.
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// The temporary home's config directory (`$XDG_CONFIG_HOME`).
    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("config")
    }

    /// The command, set up as for `run`, and its temporary home (keep it alive while the command
    /// runs), for a test that runs it another way: on a pseudo-terminal.
    #[cfg(unix)]
    pub fn into_parts(self) -> (Command, TempDir) {
        (self.command, self.home)
    }

    /// Runs to completion.
    pub fn run(mut self) -> Run {
        self.command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("the reframe binary runs");
        let input = self.stdin.take().unwrap_or_default();
        let mut stdin = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || {
            // The program may stop reading early (and that is not this helper's business).
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().expect("reframe finishes");
        writer.join().expect("stdin writer");
        Run { output }
    }
}

/// The JSON report of one-shot `reframe` on `thought` with only the rule files in `dir` (the
/// built-in distortions off; the safety rules stay), after asserting a clean run.
#[track_caller]
pub fn only_user_rules_json(dir: &Path, thought: &str) -> serde_json::Value {
    reframe(&[
        "--no-builtin",
        "--rules",
        arg(dir),
        "--format",
        "json",
        thought,
    ])
    .run()
    .success()
    .json()
}

/// A finished run.
pub struct Run {
    /// The raw output.
    pub output: Output,
}

impl Run {
    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("stderr is UTF-8")
    }

    /// Asserts the exit code, showing both streams on failure.
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.output.status.code(),
            Some(expected),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts success (exit 0) with nothing on standard error.
    #[track_caller]
    pub fn success(self) -> Self {
        let run = self.code(0);
        assert_eq!(run.stderr(), "", "unexpected stderr");
        run
    }

    /// Parses standard output as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout).expect("stdout is one JSON document")
    }

    /// Parses standard output as JSON Lines.
    #[track_caller]
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout()
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect()
    }
}

/// Writes `files` (name, contents) into a fresh directory and returns it.
pub fn rule_dir(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().expect("temporary directory");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write rule file");
    }
    dir
}

/// Writes one file into a fresh directory; returns the directory (keep it alive) and the path.
pub fn temp_file(name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = rule_dir(&[(name, text)]);
    let path = dir.path().join(name);
    (dir, path)
}

/// A path as a `&str` argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A minimal valid rule file whose only pattern matches `word`.
pub fn minimal_rule(name: &str, word: &str) -> String {
    format!(
        r#"name = "{name}"
summary = "A test distortion."
explanation = "Used by the tests."
reframes = ["A reframe."]
questions = ["A question?"]

[[pattern]]
id = "the-word"
match = ['\b{word}\b']
flag = ["a [{word}] here"]
allow = ["nothing here"]
"#
    )
}

/// The non-comment, non-blank lines of a corpus file under `tests/data/`.
pub fn data_lines(name: &str) -> Vec<String> {
    std::fs::read_to_string(root().join("tests/data").join(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The distortion ids of one analysed thought in JSON output, in order.
pub fn finding_ids(thought: &serde_json::Value) -> Vec<String> {
    thought["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .map(|f| f["distortion"].as_str().expect("an id").to_string())
        .collect()
}
