//! The real binary on a pseudo-terminal, typed at key by key as a person would: a whole session
//! saved to the journal, Ctrl-C half-way, the terminal closing, a crisis answer, the check-in
//! question and the journal's marks afterwards, `reframe` alone, `--no-save`, the README's
//! transcript, what is left on the screen, a journal that cannot be written, the first and last
//! screens, the question asked again after a no to saving, going back to a rating, and going on
//! with an unfinished entry (`--resume`), some at 100 and 50 columns.
//!
//! The terminal reader decodes output byte by byte, so what these tests wait for is plain ASCII;
//! [`Terminal::screen_lines`] decodes the whole output properly.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use reframe::journal::{Answer, Entry, Journal, Pattern, Status};
use reframe::session::SMALL_STEPS;
use reframe::{Engine, RuleSet};
use rexpect::process::{Signal, WaitStatus};
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};
use tempfile::TempDir;

use crate::session::CONCERN_RULES;
use crate::util::{Reframe, arg, reframe, rule_dir};

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const SPACE: &str = " ";
const BACKSPACE: &str = "\x7f";
const CTRL_C: &str = "\x03";
const CTRL_A: &str = "\x01";
const CTRL_U: &str = "\x15";
const CTRL_E: &str = "\x05";
const CTRL_K: &str = "\x0b";
const CTRL_W: &str = "\x17";
const END: &str = "\x1b[F";
/// Home as a terminal in application cursor mode sends it: the "H" once typed into the line.
const HOME_APP: &str = "\x1bOH";
const DELETE: &str = "\x1b[3~";
const CTRL_LEFT: &str = "\x1b[1;5D";
const CTRL_RIGHT: &str = "\x1b[1;5C";
const ALT_B: &str = "\x1bb";
const ALT_F: &str = "\x1bf";

/// How long to wait for something to appear. Generous, because CI machines are shared; only a
/// failing test waits this long.
const TIMEOUT_MS: u64 = 30_000;

/// A `reframe` process on a pseudo-terminal of its own.
struct Terminal {
    pty: PtySession,
    home: TempDir,
    /// Everything written so far, one char per byte.
    output: String,
    /// The directory of a journal given with `--journal`, kept while the terminal lives.
    journal_dir: Option<TempDir>,
    /// The terminal's size: rows, columns.
    size: (u16, u16),
}

impl Terminal {
    /// Starts `reframe` with `args`, hermetic as every other test run, in an xterm.
    fn start(args: &[&str]) -> Terminal {
        Terminal::spawn(reframe(args))
    }

    /// Starts a prepared `reframe` run (its environment or config file set) in an xterm.
    fn spawn(run: Reframe) -> Terminal {
        let (command, home) = run.into_parts();
        Terminal::launch(command, home)
    }

    /// Starts a prepared `reframe` run as [`Terminal::spawn`] does, but with its standard output
    /// going to `stdout` instead of the terminal.
    fn spawn_with_stdout(run: Reframe, stdout: std::fs::File) -> Terminal {
        let (mut command, home) = run.into_parts();
        // Set up when the command is run, after the terminal is made its standard streams.
        command.stdout(stdout);
        Terminal::launch(command, home)
    }

    fn launch(mut command: std::process::Command, home: TempDir) -> Terminal {
        // An 80-column xterm, unless the run set COLUMNS: text is wrapped to COLUMNS, as on a
        // standard terminal.
        let sized = command
            .get_envs()
            .any(|(key, value)| key == "COLUMNS" && value.is_some());
        command.env("TERM", "xterm-256color");
        if !sized {
            command.env("COLUMNS", "80");
        }
        let options = Options::new().timeout_ms(Some(TIMEOUT_MS));
        let pty = spawn_with_options(command, options).expect("reframe starts on a pty");
        Terminal {
            pty,
            home,
            output: String::new(),
            journal_dir: None,
            size: (24, 80),
        }
    }

    /// Starts a prepared `reframe` run on a terminal of `rows` and `columns`: the size is set
    /// on the pseudo-terminal (by `stty`, just before `reframe` takes its place) and in
    /// `COLUMNS` and `LINES`, as a terminal window of that size would have them.
    fn sized(run: Reframe, rows: u16, columns: u16) -> Terminal {
        let (command, home) = run.into_parts();
        let mut sized = std::process::Command::new("sh");
        sized
            .arg("-c")
            .arg(format!(
                "stty rows {rows} cols {columns} && exec \"$0\" \"$@\""
            ))
            .arg(command.get_program())
            .args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => sized.env(key, value),
                None => sized.env_remove(key),
            };
        }
        if let Some(dir) = command.get_current_dir() {
            sized.current_dir(dir);
        }
        sized
            .env("TERM", "xterm-256color")
            .env("COLUMNS", columns.to_string())
            .env("LINES", rows.to_string());
        let options = Options::new().timeout_ms(Some(TIMEOUT_MS));
        let pty = spawn_with_options(sized, options).expect("reframe starts on a pty");
        Terminal {
            pty,
            home,
            output: String::new(),
            journal_dir: None,
            size: (rows, columns),
        }
    }

    /// Starts `reframe session --color never --journal J` and `extra` on a terminal of `rows`
    /// and `columns`, J being in a directory of its own; returns the terminal and J.
    fn sized_session(rows: u16, columns: u16, extra: &[&str]) -> (Terminal, PathBuf) {
        let dir = TempDir::new().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let mut args = vec!["session", "--color", "never", "--journal", arg(&journal)];
        args.extend(extra);
        let mut t = Terminal::sized(reframe(&args), rows, columns);
        t.journal_dir = Some(dir);
        // Past the first screen, to step 1.
        t.begin();
        (t, journal)
    }

    /// Starts `reframe` with `args` on a terminal `columns` wide and `rows` high.
    fn sized_args(args: &[&str], columns: u16, rows: u16) -> Terminal {
        Terminal::sized(reframe(args), rows, columns)
    }

    /// The screen as a terminal `columns` wide and `rows` high would show it now.
    fn screen_of(&self, columns: u16, rows: u16) -> String {
        let bytes: Vec<u8> = self.output.chars().map(|c| c as u8).collect();
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(size(rows), size(columns), 0);
        parser.process(&bytes);
        parser.screen().contents()
    }

    /// Starts `reframe session --color never --journal J` and `extra`, J being in a directory
    /// the session must create; returns the terminal and J.
    fn session(extra: &[&str]) -> (Terminal, PathBuf) {
        let dir = TempDir::new().unwrap();
        let journal = dir.path().join("private/journal.jsonl");
        let mut args = vec!["session", "--color", "never", "--journal", arg(&journal)];
        args.extend(extra);
        let mut t = Terminal::start(&args);
        t.journal_dir = Some(dir);
        (t, journal)
    }

    /// Waits until `text` is written; returns everything written before it since the last wait.
    #[track_caller]
    fn expect(&mut self, text: &str) -> String {
        match self.pty.exp_string(text) {
            Ok(before) => {
                self.output.push_str(&before);
                self.output.push_str(text);
                before
            }
            Err(e) => panic!("waiting for {text:?}: {e}"),
        }
    }

    /// Types `keys`.
    fn keys(&mut self, keys: &str) {
        self.pty.send(keys).expect("type");
        self.pty.flush().expect("type");
    }

    /// Types `keys` one at a time, a moment apart.
    fn type_slowly(&mut self, keys: &str) {
        for c in keys.chars() {
            self.keys(c.encode_utf8(&mut [0; 4]));
            std::thread::sleep(std::time::Duration::from_millis(15));
        }
    }

    /// Waits for `prompt`, then types `keys`; returns what was written before the prompt.
    #[track_caller]
    fn answer(&mut self, prompt: &str, keys: &str) -> String {
        let before = self.expect(prompt);
        self.keys(keys);
        before
    }

    /// Answers `prompt` with `keys` as [`Terminal::answer`] does, reading on through any pages
    /// that come first on a short screen.
    #[track_caller]
    fn answer_paged(&mut self, prompt: &str, keys: &str) -> String {
        let before = self.past_pages(prompt);
        self.keys(keys);
        before
    }

    /// Waits for `text`, pressing Enter on the way wherever a short screen shows text a page at
    /// a time, or clears itself for a list; returns what came before `text` on its page.
    #[track_caller]
    fn past_pages(&mut self, text: &str) -> String {
        let pattern = format!(
            "More below\\. Press|Next, a list to choose from\\. Press|{}",
            regex::escape(text)
        );
        loop {
            match self.pty.exp_regex(&pattern) {
                Ok((before, found)) => {
                    self.output.push_str(&before);
                    self.output.push_str(&found);
                    if found == text {
                        return before;
                    }
                    self.keys(ENTER);
                }
                Err(e) => panic!("waiting for {text:?}: {e}"),
            }
        }
    }

    /// Goes on from a session's first screen, once it is shown.
    #[track_caller]
    fn begin(&mut self) {
        // On a short screen the first screen comes a page at a time.
        self.answer_paged("we'll begin", ENTER);
    }

    /// Waits for the program to end and returns its exit code.
    #[track_caller]
    fn exit_code(&mut self) -> i32 {
        let rest = self.pty.exp_eof().expect("the program ends");
        self.output.push_str(&rest);
        match self.pty.process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("the program did not exit normally: {other:?}"),
        }
    }

    /// The screen as the terminal shows it now.
    fn screen(&self) -> String {
        self.screen_rows().join("\n")
    }

    /// The rows of the screen as the terminal shows them now, blanks at their ends removed.
    fn screen_rows(&self) -> Vec<String> {
        let bytes: Vec<u8> = self.output.chars().map(|c| c as u8).collect();
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(size(self.size.0), size(self.size.1), 0);
        parser.process(&bytes);
        parser
            .screen()
            .rows(0, self.size.1)
            .map(|r| r.trim_end().to_string())
            .collect()
    }

    /// Waits until `text` is written, then for the screen to settle (the rest of a redraw);
    /// returns the screen.
    #[track_caller]
    fn settled(&mut self, text: &str) -> String {
        self.expect(text);
        // Whatever comes within a moment belongs to the same redraw.
        loop {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let mut any = false;
            while let Some(c) = self.pty.try_read() {
                self.output.push(c);
                any = true;
            }
            if !any {
                return self.screen();
            }
        }
    }

    /// Every line the program has written, as it was left on the screen: UTF-8 decoded, escape
    /// sequences removed, and a line written over (after a carriage return) in its last form.
    fn screen_lines(&self) -> Vec<String> {
        let bytes: Vec<u8> = self.output.chars().map(|c| c as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        let escapes = regex::Regex::new(r"\x1b(?:\[[0-9;?]*[A-Za-z]|[78])").unwrap();
        let text = escapes.replace_all(&text, "");
        text.split('\n')
            .map(|line| {
                let line = line.trim_end_matches('\r');
                line.rsplit('\r')
                    .next()
                    .unwrap_or(line)
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    /// The journal's default place in this run's home (`$XDG_DATA_HOME/reframe/journal.jsonl`).
    fn default_journal(&self) -> PathBuf {
        self.home.path().join("data/reframe/journal.jsonl")
    }
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(RuleSet::builtin().unwrap()).unwrap())
}

/// The journal's entries, after checking the file holds nothing else.
#[track_caller]
fn entries(path: &Path) -> Vec<Entry> {
    let (entries, warnings) = Journal::at(path).read().expect("the journal reads");
    assert!(warnings.is_empty(), "{warnings:?}");
    entries
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_whole_session_typed_at_a_terminal_is_saved_to_the_journal() {
    let thought = "Nobody ever calls me back";
    let analysis = engine().analyse(thought);
    assert_eq!(analysis.findings.len(), 1, "this test expects one pattern");
    let found = &analysis.findings[0];
    let name = found.distortion.name.clone();
    let questions: Vec<String> = found
        .questions
        .iter()
        .take(3)
        .map(|q| q.to_string())
        .collect();
    assert_eq!(questions.len(), 3);
    assert!(!found.reframes.is_empty());
    let own = reframe::session::own_words_reframe(thought, "She answered me yesterday").unwrap();

    let (mut t, journal) = Terminal::session(&[]);

    t.begin();
    t.answer(
        "What happened? One line is enough (Enter to skip): ",
        "My friend didn't answer my message\r",
    );
    // Esc on the feelings goes back to the situation, which keeps what was typed.
    t.answer("What are you feeling? Choose any", ESC);
    t.answer(
        "One line is enough: My friend didn't answer my message",
        ENTER,
    );
    // Space chooses "hurt", Down then Space "rejected", Enter goes on.
    t.answer(
        "What are you feeling? Choose any",
        &format!("{SPACE}{DOWN}{SPACE}{ENTER}"),
    );
    // A rating that is not a number is refused, and can be corrected.
    t.answer("How strong is \"hurt\" right now", "x\r");
    t.answer(
        "a whole number from 0 to 100",
        &format!("{BACKSPACE}80{ENTER}"),
    );
    t.answer("How strong is \"rejected\" right now", "70\r");
    t.answer(
        "What is the thought that upsets you most?",
        &format!("{thought}\r"),
    );
    t.answer("How much do you believe it, 0 to 100?", "90\r");

    // What was recognised is shown under the thought, with the words marked, above the choice
    // of traps; Enter keeps what was recognised. The thought is shown once, marked.
    let shown = t.answer("Which traps fit? Keep, drop or add", ENTER);
    assert!(
        shown.contains("Your thought: [Nobody ever calls] me back"),
        "{shown}"
    );
    assert_eq!(shown.matches("Your thought:").count(), 1, "{shown}");
    assert!(shown.contains(&name), "{shown}");

    t.answer(
        "What is the evidence for this thought?",
        "She was busy today\r",
    );
    t.answer(
        "What is the evidence against it?",
        "She answered me yesterday\r",
    );
    // A long question wraps; its first words are on its first line.
    t.answer(
        &first_words(&questions[0]),
        "We had a good dinner last month\r",
    );
    t.answer(&first_words(&questions[1]), ENTER);
    t.answer(&first_words(&questions[2]), ENTER);

    // Enter alone takes the first suggestion, built from the evidence against; edited by
    // typing after it.
    t.answer("Which could you believe", ENTER);
    t.answer("Your balanced thought, in your own words", " Today too.\r");
    t.answer("How much do you believe the balanced thought", "60\r");
    t.answer("How much do you believe the original thought now", "40\r");
    t.answer("And how strong is \"hurt\" now", "50\r");
    t.answer("And how strong is \"rejected\" now", ENTER);
    t.answer(
        "One small thing you could do today",
        &format!("{DOWN}{DOWN}{ENTER}"),
    );

    let card = t.answer("Save this to your journal?", "y\r");
    assert!(card.contains("Belief in the thought"), "{card}");
    assert!(card.contains(SMALL_STEPS[1]), "{card}");
    t.expect("Saved to");
    assert_eq!(t.exit_code(), 0);

    let raw = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(raw.lines().count(), 1, "{raw}");
    let json: serde_json::Value = serde_json::from_str(raw.trim_end()).unwrap();
    assert_eq!(json["version"], 1);
    let e = &entries(&journal)[0];
    assert_eq!(e.status, Status::Complete);
    assert_eq!(
        e.situation.as_deref(),
        Some("My friend didn't answer my message")
    );
    assert_eq!(e.thought, thought);
    let feelings: Vec<_> = e
        .feelings
        .iter()
        .map(|f| (f.name.as_str(), f.before, f.after))
        .collect();
    assert_eq!(
        feelings,
        [("hurt", Some(80), Some(50)), ("rejected", Some(70), None)]
    );
    assert_eq!((e.belief_before, e.belief_after), (Some(90), Some(40)));
    assert_eq!(e.patterns.len(), 1);
    assert_eq!(e.patterns[0].name, name);
    let answers: Vec<_> = e.answers.iter().map(|a| a.answer.as_str()).collect();
    assert_eq!(
        answers,
        [
            "She was busy today",
            "She answered me yesterday",
            "We had a good dinner last month",
            "",
            ""
        ]
    );
    assert_eq!(e.answers[2].question, questions[0]);
    assert_eq!(
        e.balanced_thought.as_deref(),
        Some(format!("{own} Today too.").as_str())
    );
    assert_eq!(e.balanced_belief, Some(60));
    assert_eq!(e.step.as_deref(), Some(SMALL_STEPS[1]));
    assert!(!e.safety_stop);
    // Owner only: the directory the session created, and the file.
    assert_eq!(mode(journal.parent().unwrap()), 0o700);
    assert_eq!(mode(&journal), 0o600);
}

#[test]
fn ctrl_c_half_way_keeps_what_was_typed_as_unfinished() {
    let (mut t, journal) = Terminal::session(&[]);
    t.begin();
    t.answer("What happened?", "The landlord raised the rent again\r");
    t.answer("What are you feeling?", ENTER);
    t.answer("upsets you most?", "Nothing ever works out for me\r");
    t.answer("How much do you believe it", CTRL_C);
    t.expect("Interrupted. What you typed is saved as unfinished");
    assert_eq!(t.exit_code(), 130);

    let entries = entries(&journal);
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(
        e.situation.as_deref(),
        Some("The landlord raised the rent again")
    );
    assert_eq!(e.thought, "Nothing ever works out for me");
    assert_eq!(e.belief_before, None);
}

#[test]
fn a_closed_terminal_keeps_what_was_typed_as_unfinished() {
    let (mut t, journal) = Terminal::session(&[]);
    t.begin();
    t.answer("What happened?", "My date left before dessert\r");
    t.expect("What are you feeling?");
    // What the kernel sends the session when its terminal window closes.
    t.pty.process_mut().signal(Signal::SIGHUP).unwrap();
    assert_eq!(t.exit_code(), 130);
    let entries = entries(&journal);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].status, Status::Unfinished);
    assert_eq!(
        entries[0].situation.as_deref(),
        Some("My date left before dessert")
    );
}

#[test]
fn a_crisis_answer_stops_the_session_and_keeps_nothing_unless_asked() {
    let (mut t, journal) = Terminal::session(&["--region", "us", "I'm worthless"]);
    t.begin();
    t.answer("What happened?", "I want to kill myself\r");
    let shown = t.answer("Keep what you have written so far", "n\r");
    assert!(shown.contains("988"), "{shown}");
    assert!(shown.contains("Let's stop the exercise here"), "{shown}");
    assert!(!shown.contains("2 of 9"), "{shown}");
    t.expect("Nothing was saved.");
    assert_eq!(t.exit_code(), 0);
    assert!(!journal.exists());
}

#[test]
fn reframe_alone_at_a_terminal_starts_a_session_saved_in_the_data_directory() {
    let mut t = Terminal::start(&["--color", "never"]);
    t.begin();
    t.answer("What happened?", "My sister forgot my birthday\r");
    // Ctrl-C while a list is waiting for keys.
    t.answer("What are you feeling?", CTRL_C);
    t.expect("Interrupted");
    let journal = t.default_journal();
    assert_eq!(t.exit_code(), 130);
    let entries = entries(&journal);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].situation.as_deref(),
        Some("My sister forgot my birthday")
    );
}

#[test]
fn no_save_keeps_nothing_even_when_interrupted() {
    let mut t = Terminal::start(&["session", "--no-save", "--color", "never", "I'm a failure"]);
    t.begin();
    t.answer("What happened?", "I failed my driving test\r");
    t.answer("What are you feeling?", CTRL_C);
    t.expect("Interrupted. Nothing was saved.");
    let journal = t.default_journal();
    assert_eq!(t.exit_code(), 130);
    assert!(!journal.exists());
    assert!(!journal.parent().unwrap().exists());
}

/// The session shown in the README: these answers, typed at the real binary, produce every line
/// the README shows, so the transcript stays true.
#[test]
fn the_readme_session_transcript_is_what_the_terminal_shows() {
    let readme = std::fs::read_to_string(crate::util::root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- tests/pty.rs types these answers")
        .expect("the transcript's marker in the README");
    let block = readme[start..]
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the transcript block");
    let shown: Vec<&str> = block
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && *l != "⋮" && !l.starts_with("$ "))
        // Where it was saved names the default place, not this test's journal.
        .map(|l| match l.strip_prefix("Saved to ") {
            Some(_) => "Saved to ",
            None => l,
        })
        .collect();
    assert!(shown.len() > 40, "{block}");

    let (mut t, journal) = Terminal::session(&[]);
    t.begin();
    t.answer(
        "What happened?",
        "I didn't get the job after the final interview\r",
    );
    // "rejected" and "ashamed".
    t.answer(
        "What are you feeling?",
        &format!("{DOWN}{SPACE}{DOWN}{DOWN}{DOWN}{SPACE}{ENTER}"),
    );
    t.answer("How strong is \"rejected\"", "85\r");
    t.answer("How strong is \"ashamed\"", "70\r");
    t.answer("upsets you most?", "I'll never be good enough\r");
    t.answer("How much do you believe it", "90\r");
    t.answer("Which traps fit?", ENTER);
    t.answer(
        "evidence for this thought?",
        "They said it was close between me and one other person\r",
    );
    t.answer(
        "evidence against it?",
        "I got to the final round out of sixty applicants\r",
    );
    for question in [
        "good enough someday",
        "without the label",
        "rather than the worst one?",
    ] {
        t.answer(question, ENTER);
    }
    // The first suggestion, built from the evidence against, kept as it is.
    t.answer("Which could you believe", ENTER);
    t.answer("Your balanced thought", ENTER);
    t.answer("believe the balanced thought", "50\r");
    t.answer("believe the original thought now", "45\r");
    t.answer("\"rejected\" now", "60\r");
    t.answer("\"ashamed\" now", "40\r");
    t.answer("One small thing", &format!("{DOWN}{DOWN}{DOWN}{ENTER}"));
    t.answer("Save this to your journal?", "y\r");
    assert_eq!(t.exit_code(), 0);
    assert_eq!(entries(&journal).len(), 1);

    let screen = t.screen_lines();
    let missing: Vec<&&str> = shown
        .iter()
        .filter(|l| {
            !screen
                .iter()
                .any(|s| s == **l || (**l == "Saved to " && s.starts_with(**l)))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "README lines the session did not show: {missing:#?}\n--- the session showed\n{}",
        screen.join("\n")
    );
}

#[test]
fn an_answer_longer_than_a_line_and_a_corrected_rating_are_on_the_screen_once() {
    let (mut t, _) = Terminal::session(&["I'll never be good enough"]);
    t.begin();
    t.answer("What happened?", ENTER);
    t.answer(
        "What are you feeling?",
        &format!("{SPACE}{DOWN}{SPACE}{ENTER}"),
    );
    t.answer("How strong is \"hurt\"", "x\r");
    t.answer(
        "a whole number from 0 to 100",
        &format!("{BACKSPACE}80{ENTER}"),
    );
    t.expect("How strong is \"rejected\"");
    let screen = t.screen();
    assert_eq!(
        screen.matches("How strong is \"hurt\"").count(),
        1,
        "{screen}"
    );
    assert!(!screen.contains("a whole number"), "{screen}");

    t.keys(ENTER);
    t.answer("upsets you most?", ENTER);
    t.answer("How much do you believe it", "90\r");
    t.answer("Which traps fit?", ENTER);
    let answer = "They told me it was close, but they chose someone with more experience in \
                  leading a team, and I have never led one";
    t.answer("evidence for this thought?", &format!("{answer}\r"));
    t.expect("evidence against it?");
    let screen = flat(&t.screen());
    assert_eq!(
        screen.matches("They told me it was close").count(),
        1,
        "{screen}"
    );
    assert_eq!(screen.matches(answer).count(), 1, "{screen}");
    t.keys(CTRL_C);
    assert_eq!(t.exit_code(), 130);
}

/// The question a session asks about a warning sign, or "hopeless" rated 70 or more.
const CHECK_IN: &str = "Are you having thoughts of ending your life?";

/// The first five words of `text`: on the first line of a prompt that wraps.
fn first_words(text: &str) -> String {
    text.split_whitespace()
        .take(5)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with every run of whitespace (line breaks from wrapping included) made one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn yes_to_the_check_in_shows_the_crisis_lines_and_names_the_place_without_a_flag() {
    let rules = rule_dir(&[("safety-mine.toml", CONCERN_RULES)]);
    let dir = TempDir::new().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let run = reframe(&[
        "session",
        "--color",
        "never",
        "--journal",
        arg(&journal),
        "--rules",
        arg(rules.path()),
    ]);
    let config_file = run.config_dir().join("reframe/config.toml");
    std::fs::create_dir_all(config_file.parent().unwrap()).unwrap();
    std::fs::write(&config_file, "region = \"uk\"\n").unwrap();
    let mut t = Terminal::spawn(run);

    // A warning sign in an answer: the question comes at once, plainly.
    t.begin();
    t.answer("What happened?", "The bluebird sang all night\r");
    // A whole word and Enter, as people type it: the Enter must not answer the next question.
    t.answer(CHECK_IN, "yes\r");
    let shown = flat(&t.answer("Keep what you have written so far", "y\r"));
    assert!(shown.contains("Thank you for telling me"), "{shown}");
    assert!(
        shown.contains("Help is available now (United Kingdom):") && shown.contains("116 123"),
        "{shown}"
    );
    assert!(
        shown.contains("Place: United Kingdom, set in your config file."),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("region = \"us\" in {}", config_file.display())),
        "{shown}"
    );
    assert!(
        !shown.contains("--region"),
        "no flag inside a session: {shown}"
    );
    assert!(!shown.contains("2 of 9"), "{shown}");
    t.expect("Saved as unfinished");
    assert_eq!(t.exit_code(), 0);

    let e = &entries(&journal)[0];
    assert!(e.safety_stop);
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(e.situation.as_deref(), Some("The bluebird sang all night"));
    let check_in = e.check_in.expect("the check-in is kept");
    assert_eq!(
        (
            check_in.reason.as_str(),
            check_in.answer.map(|a| a.as_str())
        ),
        ("concern", Some("yes"))
    );

    // The journal marks it, on a terminal too, and `show` gives the lines again.
    let mut list = Terminal::start(&["journal", "--color", "never", "--journal", arg(&journal)]);
    assert_eq!(list.exit_code(), 0);
    let rows = list.screen_lines();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1  ") && r.ends_with("stopped for safety")),
        "{rows:#?}"
    );
    let mut show = Terminal::start(&[
        "journal",
        "--color",
        "never",
        "--journal",
        arg(&journal),
        "--region",
        "ie",
        "show",
        "1",
    ]);
    assert_eq!(show.exit_code(), 0);
    let screen = flat(&show.screen_lines().join("\n"));
    assert!(screen.contains("Stopped for safety: "), "{screen}");
    assert!(
        screen.contains("Check-in: asked about thoughts of ending your life")
            && screen.contains("answered yes"),
        "{screen}"
    );
    assert!(
        screen.contains("Help is available now (Ireland):") && screen.contains("116 123"),
        "{screen}"
    );
    assert!(
        screen.contains("Situation: The bluebird sang all night") && !screen.contains("Thought:"),
        "no empty thought line: {screen}"
    );
}

#[test]
fn no_to_the_check_in_goes_on_with_the_exercise_and_offers_no_reframe() {
    let rules = rule_dir(&[("safety-mine.toml", CONCERN_RULES)]);
    let (mut t, journal) =
        Terminal::session(&["--rules", arg(rules.path()), "the bluebird is back"]);
    // The thought given is checked before the first question.
    let before = t.answer(CHECK_IN, "no\r");
    assert!(!before.contains("1 of 9"), "{before}");
    let thanks = flat(&t.answer("The exercise goes on next", ENTER));
    assert!(
        thanks.contains("Thank you for answering") && thanks.contains("Help is available now"),
        "no still shows the lines: {thanks}"
    );
    t.begin();
    t.answer("What happened?", ENTER);
    t.answer("What are you feeling?", ENTER);
    t.answer("upsets you most?", ENTER);
    t.answer("How much do you believe it", "80\r");
    let shown = flat(&t.answer("The questions come next", ENTER));
    assert!(
        shown.contains("reframe doesn't offer reframes for words like these"),
        "{shown}"
    );
    assert!(!shown.contains("didn't recognise"), "{shown}");
    t.answer("What would you say to a friend who told you this", CTRL_C);
    t.expect("Interrupted. What you typed is saved as unfinished");
    assert_eq!(t.exit_code(), 130);
    assert!(
        !flat(&t.output).contains("evidence for this thought"),
        "a warning sign is not argued for"
    );

    let e = &entries(&journal)[0];
    assert!(!e.safety_stop && e.patterns.is_empty());
    assert_eq!(e.thought, "the bluebird is back");
    let check_in = e.check_in.expect("the check-in is kept");
    assert_eq!(
        (
            check_in.reason.as_str(),
            check_in.answer.map(|a| a.as_str())
        ),
        ("concern", Some("no"))
    );
}

#[test]
fn ctrl_c_at_the_check_in_after_hopeless_shows_the_lines_and_keeps_the_draft() {
    let run = reframe(&["session", "--color", "never", "I'm a failure"]).env("LANG", "en_US.UTF-8");
    let mut t = Terminal::spawn(run);
    t.begin();
    t.answer("What happened?", ENTER);
    // "hopeless" is the last feeling listed.
    let hopeless = reframe::session::FEELINGS.len() - 1;
    assert_eq!(reframe::session::FEELINGS[hopeless], "hopeless");
    t.answer(
        "What are you feeling?",
        &format!("{}{SPACE}{ENTER}", DOWN.repeat(hopeless)),
    );
    t.answer("How strong is \"hopeless\" right now", "85\r");
    t.answer(CHECK_IN, CTRL_C);
    t.expect("Interrupted. What you typed is saved as unfinished");
    let journal = t.default_journal();
    assert_eq!(t.exit_code(), 130);
    let out = flat(&t.output);
    assert!(
        out.contains("Help is available now (United States):") && out.contains("988"),
        "{out}"
    );
    assert!(
        out.contains("Place: United States, from this computer's language setting (en_US.UTF-8)."),
        "{out}"
    );
    let e = &entries(&journal)[0];
    assert_eq!(
        (e.feelings[0].name.as_str(), e.feelings[0].before),
        ("hopeless", Some(85))
    );
    let check_in = e.check_in.expect("the check-in is kept");
    assert_eq!(
        (check_in.reason.as_str(), check_in.answer),
        ("hopeless", None)
    );
}

#[test]
fn a_one_shot_answer_on_a_terminal_wraps_between_words() {
    let mut t = Terminal::start(&["--color", "never", "nobody would miss me if I was gone"]);
    assert_eq!(t.exit_code(), 0);
    let lines: Vec<&str> = t.output.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert!(
        lines.iter().all(|l| l.chars().count() <= 80),
        "every line fits the 80 columns: {lines:#?}"
    );
    let text = lines.join(" ");
    assert!(
        text.contains("carrying something very heavy") && text.contains("Help is available now"),
        "no word is split: {lines:#?}"
    );
}

/// A thought given to a session that has no thinking trap in it, so the steps are few and known.
const NO_TRAP: &str = "The bus was late again";

/// Presses Enter at every step of a session started with [`NO_TRAP`], up to the summary.
fn enter_to_the_summary(t: &mut Terminal) {
    t.begin();
    let general = reframe::output::text::GENERAL_QUESTIONS;
    for prompt in [
        "What happened?",
        "What are you feeling?",
        "upsets you most?",
        "How much do you believe it",
        "Does any trap fit?",
        "If this thought were true",
        &first_words(general[0]),
        &first_words(general[1]),
        // Enter takes the first suggestion, keeps it as it is, and leaves it unrated.
        "Which could you believe",
        "Your balanced thought",
        "believe the balanced thought",
        "believe the original thought now",
        "One small thing",
    ] {
        t.answer(prompt, ENTER);
    }
}

/// A directory holding `notes`, a file, and the journal path `notes/journal.jsonl`, which cannot
/// be written whoever runs the tests (root included): a file stands where its directory should.
fn a_file_where_the_journal_directory_should_be() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let notes = dir.path().join("notes");
    std::fs::write(&notes, "my notes\n").unwrap();
    let journal = notes.join("journal.jsonl");
    (dir, notes, journal)
}

#[test]
fn an_unwritable_journal_is_said_before_the_first_question_and_another_file_can_be_given() {
    let (_dir, notes, unwritable) = a_file_where_the_journal_directory_should_be();
    let mut t = Terminal::start(&[
        "session",
        "--color",
        "never",
        "--journal",
        arg(&unwritable),
        NO_TRAP,
    ]);
    // Saving to another file is the first choice.
    let said = flat(&t.answer("What would you like to do?", ENTER));
    assert!(
        said.contains(&format!(
            "can't be saved to {}: {} is a file, not a directory",
            unwritable.display(),
            notes.display()
        )),
        "{said}"
    );
    assert!(
        !said.contains("1 of 9"),
        "before the first question: {said}"
    );
    // Typed at a prompt, not a shell: the session itself reads "~/" as the home directory.
    t.answer("Another file to save to", "~/elsewhere/journal.jsonl\r");
    let elsewhere = t.home.path().join("elsewhere/journal.jsonl");
    enter_to_the_summary(&mut t);
    t.answer("Save this to your journal?", "y\r");
    t.expect(&format!("Saved to {}.", elsewhere.display()));
    assert_eq!(t.exit_code(), 0);
    assert_eq!(entries(&elsewhere)[0].thought, NO_TRAP);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
}

#[test]
fn going_on_without_saving_finishes_the_session_and_saves_nothing() {
    let (dir, notes, unwritable) = a_file_where_the_journal_directory_should_be();
    let mut t = Terminal::start(&[
        "session",
        "--color",
        "never",
        "--journal",
        arg(&unwritable),
        NO_TRAP,
    ]);
    t.answer("What would you like to do?", &format!("{DOWN}{ENTER}"));
    enter_to_the_summary(&mut t);
    let end = t.expect("Nothing was saved.");
    assert!(end.contains("Belief in the thought"), "the summary: {end}");
    assert!(
        !end.contains("Save this to your journal?"),
        "no question whose answer is already given: {end}"
    );
    assert_eq!(t.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes\n");
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|f| f.unwrap().file_name())
        .collect();
    assert_eq!(files, ["notes"]);
}

/// A session saving to `dir/private/journal.jsonl`, with standard output going to `dir/stdout`;
/// returns the terminal, the journal and the standard output file.
fn session_with_stdout_apart(dir: &TempDir, extra: &[&str]) -> (Terminal, PathBuf, PathBuf) {
    let journal = dir.path().join("private/journal.jsonl");
    let stdout = dir.path().join("stdout");
    let mut args = vec!["session", "--color", "never", "--journal", arg(&journal)];
    args.extend(extra);
    let file = std::fs::File::create(&stdout).unwrap();
    (
        Terminal::spawn_with_stdout(reframe(&args), file),
        journal,
        stdout,
    )
}

/// Makes the journal's directory, empty since the session checked it, a file: from now on the
/// journal cannot be written, whoever runs the tests.
fn break_the_journal(journal: &Path) -> PathBuf {
    let dir = journal.parent().unwrap().to_path_buf();
    std::fs::remove_dir(&dir).expect("the checked directory is there, empty");
    std::fs::write(&dir, "").unwrap();
    dir
}

/// The one line on standard output, and the entry it holds, after checking it is read back by
/// `reframe journal show` once appended to a journal.
#[track_caller]
fn the_printed_entry(stdout: &Path) -> Entry {
    let printed = std::fs::read_to_string(stdout).unwrap();
    assert_eq!(printed.lines().count(), 1, "one line: {printed:?}");
    // Appended to a journal, it reads back as an entry.
    let dir = TempDir::new().unwrap();
    let journal = dir.path().join("journal.jsonl");
    std::fs::write(&journal, &printed).unwrap();
    let shown = reframe(&["journal", "--journal", arg(&journal), "show", "1"])
        .run()
        .success()
        .stdout();
    let e = entries(&journal).remove(0);
    assert!(shown.contains(&e.thought), "{shown}");
    e
}

#[test]
fn a_save_that_fails_at_the_end_writes_the_entry_to_standard_output() {
    let dir = TempDir::new().unwrap();
    let (mut t, journal, stdout) = session_with_stdout_apart(&dir, &[NO_TRAP]);
    enter_to_the_summary(&mut t);
    t.expect("Save this to your journal?");
    let private = break_the_journal(&journal);
    t.keys("y\r");
    assert_eq!(t.exit_code(), 2, "the failure is signalled");
    let said = flat(&t.output);
    assert!(
        said.contains(&format!(
            "reframe: cannot save to the journal {}: {} is a file, not a directory.",
            journal.display(),
            private.display()
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "add that line to the end of {}",
            journal.display()
        )),
        "{said}"
    );
    let e = the_printed_entry(&stdout);
    assert_eq!((e.thought.as_str(), e.status), (NO_TRAP, Status::Complete));
}

#[test]
fn an_interrupted_session_whose_draft_cannot_be_saved_writes_it_to_standard_output() {
    let dir = TempDir::new().unwrap();
    let (mut t, journal, stdout) = session_with_stdout_apart(&dir, &[NO_TRAP]);
    t.begin();
    t.answer("What happened?", "I missed the interview\r");
    t.expect("What are you feeling?");
    break_the_journal(&journal);
    t.keys(CTRL_C);
    assert_eq!(t.exit_code(), 130);
    let said = flat(&t.output);
    assert!(
        said.contains(&format!(
            "Interrupted. What you typed cannot be saved to the journal {}:",
            journal.display()
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "add that line to the end of {}",
            journal.display()
        )),
        "{said}"
    );
    let e = the_printed_entry(&stdout);
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(e.situation.as_deref(), Some("I missed the interview"));
}

/// The widths every terminal test of layout runs at: narrow and wide.
const WIDTHS: [u16; 2] = [50, 100];

#[test]
fn the_line_editor_knows_the_keys_people_use() {
    for columns in WIDTHS {
        let (mut t, journal) = Terminal::sized_session(24, columns, &[]);
        t.settled("What happened?");
        let keys = [
            "quick fox",
            CTRL_A,
            "The ",
            END,
            " jumps",
            // Back over "jumps" and "fox", and typing in the middle of the line.
            CTRL_LEFT,
            CTRL_LEFT,
            "brown ",
            HOME_APP,
            &DELETE.repeat(4),
            ALT_F,
            ",",
            CTRL_RIGHT,
            "ish",
            CTRL_E,
            CTRL_W,
            "sleeps",
            ALT_B,
            CTRL_K,
            "naps",
        ]
        .concat();
        t.keys(&keys);
        let expected = "quick, brownish fox naps";
        let screen = flat(&t.settled("naps"));
        assert!(
            screen.contains(&format!("(Enter to skip): {expected}")),
            "{columns} columns: {screen}"
        );
        t.keys(ENTER);
        t.settled("What are you feeling?");
        t.keys(CTRL_C);
        assert_eq!(t.exit_code(), 130);
        assert_eq!(entries(&journal)[0].situation.as_deref(), Some(expected));
    }
}

#[test]
fn esc_at_a_typed_answer_or_a_rating_goes_back_a_prompt() {
    for columns in WIDTHS {
        let (mut t, journal) = Terminal::sized_session(24, columns, &[]);
        t.answer("What happened?", "It rained on the picnic\r");
        t.answer("What are you feeling?", &format!("{SPACE}{ENTER}"));
        t.settled("How strong is");
        t.keys("45");
        t.settled("45");
        t.keys(ESC);
        // Back to the prompt before, in the same step, drawn afresh.
        let screen = flat(&t.settled("What are you feeling?"));
        assert!(screen.contains("2 of 9"), "{columns} columns: {screen}");
        assert!(!screen.contains("How strong is"), "{screen}");
        t.keys(ESC);
        // Back at the first step, which keeps what was typed.
        let screen = flat(&t.settled("1 of 9"));
        assert!(
            screen.contains("One line is enough: It rained on the picnic"),
            "{columns} columns: {screen}"
        );
        t.keys(ENTER);
        // "hurt" is still chosen, as going back keeps it; Space unchooses it.
        t.answer("What are you feeling?", &format!("{SPACE}{ENTER}"));
        t.settled("upsets you most?");
        t.keys("Nobody ever");
        t.settled("ever");
        t.keys(ESC);
        let screen = flat(&t.settled("2 of 9"));
        assert!(screen.contains("What are you feeling?"), "{screen}");
        // The thought typed is kept, and shown above the step it went back to.
        assert!(screen.contains("Your thought: Nobody ever"), "{screen}");
        t.keys(CTRL_C);
        assert_eq!(t.exit_code(), 130);
        let e = &entries(&journal)[0];
        assert_eq!(e.situation.as_deref(), Some("It rained on the picnic"));
        // What was typed, though not entered, is kept: the rating and the thought.
        assert_eq!(e.feelings.len(), 0);
        assert_eq!(e.thought, "Nobody ever");
    }
}

#[test]
fn ctrl_c_at_a_typed_answer_keeps_the_line_half_typed() {
    for columns in WIDTHS {
        let (mut t, journal) = Terminal::sized_session(24, columns, &[]);
        t.answer("What happened?", "My boss shouted at me\r");
        t.answer("What are you feeling?", ENTER);
        t.settled("upsets you most?");
        t.keys("Nobody at work would");
        t.settled("would");
        t.keys(CTRL_C);
        t.expect("Interrupted. What you typed is saved as unfinished");
        // And how to go on with it, naming the journal, which is not the default one.
        t.expect("reframe session --resume --journal ");
        t.expect(&journal.display().to_string());
        assert_eq!(t.exit_code(), 130);
        // Wrapped between words: no row of what it said starts with a space but the command.
        let rows = t.screen_rows();
        let said: Vec<&String> = rows
            .iter()
            .skip_while(|r| !r.starts_with("Interrupted."))
            .take_while(|r| !r.contains("reframe session --resume"))
            .collect();
        assert!(
            said.iter().all(|r| !r.starts_with(' ')),
            "{columns}: {rows:#?}"
        );
        let screen = flat(&t.screen());
        assert!(
            screen.contains("upsets you most? Nobody at work would"),
            "the line stays on screen: {screen}"
        );
        let e = &entries(&journal)[0];
        assert_eq!(e.status, Status::Unfinished);
        assert_eq!(e.situation.as_deref(), Some("My boss shouted at me"));
        assert_eq!(e.thought, "Nobody at work would");
    }
}

/// Asserts that `text` is on `screen` once, with its words in order (a line may break between
/// two of them, never inside one).
#[track_caller]
fn once_whole(screen: &str, text: &str) {
    let flat = flat(screen);
    assert_eq!(flat.matches(text).count(), 1, "{text:?} once in:\n{screen}");
}

#[test]
fn prompts_wrap_between_words_and_leave_nothing_behind_at_40_and_50_columns() {
    let general = reframe::output::text::GENERAL_QUESTIONS;
    for columns in [40, 50] {
        let (mut t, _) = Terminal::sized_session(24, columns, &[NO_TRAP]);
        t.answer("What happened?", ENTER);
        t.answer("What are you feeling?", &format!("{SPACE}{ENTER}"));
        // A refused rating, corrected: the complaint goes, and the prompt is there once.
        t.answer("How strong is", "x\r");
        t.settled("a whole number");
        t.keys(&format!("{BACKSPACE}80"));
        let screen = t.settled("80");
        once_whole(
            &screen,
            "How strong is \"hurt\" right now, 0 to 100? (Enter to skip): 80",
        );
        assert!(!screen.contains("a whole number"), "{screen}");
        t.keys(ENTER);
        // At 40 columns the thought's prompt breaks before "most?".
        t.settled("3 of 9");
        t.keys(ENTER);
        t.answer("How much do you believe", ENTER);
        // Nothing recognised: no trap chosen, and the downward arrow instead of the evidence.
        t.answer("Does any trap fit?", ENTER);
        t.answer("If this thought were true", ENTER);
        t.answer(&first_words(general[0]), ENTER);
        t.answer(&first_words(general[1]), ENTER);
        // The list's prompt wraps, and once chosen only the answer is left of the list. The
        // cursor starts on the first suggestion; "Write my own" is after the last.
        let own = DOWN.repeat(reframe::session::GENERAL_BALANCED.len());
        // The suggestions come a page at a time first.
        t.answer_paged("Which could you", &format!("{own}{ENTER}"));
        let screen = t.settled("Your balanced thought");
        once_whole(
            &screen,
            "Which could you believe, at least a little? You can edit it next: Write my own",
        );
        assert!(!screen.contains("Skip this step"), "{screen}");
        // One pair of parentheses holds both hints.
        once_whole(
            &screen,
            "Your balanced thought, in your own words (edit freely, or Enter to skip):",
        );
        t.keys("I can ask the driver about the timetable tomorrow\r");
        t.answer("How much do you believe the", "x\r");
        t.settled("a whole number");
        t.keys(&format!("{BACKSPACE}60"));
        let screen = t.settled("60");
        once_whole(
            &screen,
            "Your balanced thought, in your own words (edit freely, or Enter to skip): I can \
             ask the driver about the timetable tomorrow",
        );
        once_whole(
            &screen,
            "How much do you believe the balanced thought, 0 to 100? (Enter to skip): 60",
        );
        assert!(!screen.contains("a whole number"), "{screen}");
        t.keys(ENTER);
        t.settled("7 of 9");
        t.keys(CTRL_C);
        assert_eq!(t.exit_code(), 130);
    }
}

#[test]
fn a_question_is_on_the_screen_once_when_it_scrolls_at_14_rows() {
    let general = reframe::output::text::GENERAL_QUESTIONS;
    let (mut t, _) = Terminal::sized_session(14, 50, &[NO_TRAP]);
    for prompt in [
        "What happened?",
        "What are you feeling?",
        "upsets you most?",
        "How much do you believe it",
        "Does any trap fit?",
    ] {
        // The list of traps comes on a screen of its own, after Enter.
        t.answer_paged(prompt, ENTER);
    }
    let answer = "They said the bus broke down twice this week and the driver was new";
    t.answer("If this thought were true", &format!("{answer}\r"));
    // Typed key by key, as a person types, so that each key is drawn before the next comes.
    t.expect(&first_words(general[0]));
    t.type_slowly(&format!("{answer}\r"));
    t.expect(&first_words(general[1]));
    t.type_slowly(answer);
    // The screen has scrolled while the last two were typed: no piece of a question is left
    // above its answered line.
    let screen = t.settled("new");
    for question in [reframe::session::DOWNWARD_ARROW, general[0], general[1]] {
        let start = first_words(question);
        assert_eq!(
            flat(&screen).matches(&start).count(),
            1,
            "{start:?} once in:\n{screen}"
        );
    }
    for question in [reframe::session::DOWNWARD_ARROW, general[0]] {
        once_whole(&screen, &format!("{question} (Enter to skip): {answer}"));
    }
    t.keys(CTRL_C);
    assert_eq!(t.exit_code(), 130);
}

#[test]
fn a_list_taller_than_the_screen_leaves_its_prompt_once_at_14_rows() {
    let (mut t, journal) = Terminal::sized_session(14, 50, &[NO_TRAP]);
    t.answer("What happened?", "The bus was late\r");
    // The list is shown a page at a time, and the hint says there is more.
    let screen = t.settled("What are you feeling?");
    assert!(
        flat(&screen).contains("The list goes on past the screen"),
        "{screen}"
    );
    let hopeless = reframe::session::FEELINGS.len() - 1;
    t.keys(&format!("{SPACE}{}{SPACE}", DOWN.repeat(hopeless)));
    t.settled("hopeless");
    t.keys(ENTER);
    // Once chosen, the prompt is there once, with the answer, and nothing of the list.
    let screen = t.settled("How strong is");
    once_whole(&screen, "What are you feeling? Choose any: hurt, hopeless");
    assert!(!screen.contains("[ ]"), "{screen}");
    t.keys(CTRL_C);
    assert_eq!(t.exit_code(), 130);
    assert_eq!(entries(&journal)[0].feelings.len(), 2);
}

#[test]
fn the_current_row_of_a_list_is_marked_with_and_without_colour() {
    for colour in ["never", "always"] {
        let dir = TempDir::new().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let run = reframe(&["session", "--color", colour, "--journal", arg(&journal)]);
        let mut t = Terminal::sized(run, 24, 50);
        t.begin();
        t.answer("What happened?", ENTER);
        let screen = t.settled("hopeless");
        let marker = if colour == "never" { ">" } else { "❯" };
        let rows: Vec<&str> = screen.lines().collect();
        assert!(
            rows.contains(&format!("{marker} [ ] hurt").as_str()),
            "{colour}: {screen}"
        );
        assert!(rows.contains(&"  [ ] rejected"), "{colour}: {screen}");
        t.keys(CTRL_C);
        assert_eq!(t.exit_code(), 130);
    }
}

/// A journal of three entries, one with a long thought and several traps, one unfinished, in a
/// directory of its own.
fn a_journal_of_three() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    let trap = |id: &str, name: &str| Pattern {
        id: id.to_string(),
        name: name.to_string(),
        words: Vec::new(),
    };
    let mut first = Entry::new("2026-11-20T10:00:00Z".parse().unwrap());
    first.status = Status::Complete;
    first.thought = "I'll never be good enough for anyone at that company or anywhere".to_string();
    first.patterns = vec![
        trap("fortune-telling", "Fortune telling"),
        trap("labeling", "Labeling"),
    ];
    first.belief_before = Some(90);
    first.belief_after = Some(45);
    first.balanced_thought = Some(
        "\"Never be good enough\" is a forecast I'm making while I hurt; I can't actually see \
         that far ahead, and this time I was one of the last two out of sixty."
            .to_string(),
    );
    first.answers = vec![Answer {
        question: "What is the evidence against it?".to_string(),
        answer: "I got to the final round out of sixty applicants, and the manager asked me to \
                 apply again next spring when the new team starts."
            .to_string(),
    }];
    let mut second = Entry::new("2026-11-21T10:00:00Z".parse().unwrap());
    second.thought = "Everyone else gets ahead and I never will".to_string();
    second.patterns = vec![trap("comparing", "Comparing")];
    let mut third = Entry::new("2026-11-22T10:00:00Z".parse().unwrap());
    third.status = Status::Complete;
    third.thought = "The bus was late".to_string();
    for e in [first, second, third] {
        journal.append(&e).unwrap();
    }
    (dir, path)
}

/// The lines `t` wrote, as they were written (before a terminal wrapped them).
fn written_lines(t: &Terminal) -> Vec<String> {
    let bytes: Vec<u8> = t.output.chars().map(|c| c as u8).collect();
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

#[test]
fn journal_list_fits_the_terminal_width() {
    let (_dir, journal) = a_journal_of_three();
    for columns in WIDTHS {
        let run = reframe(&["journal", "--color", "never", "--journal", arg(&journal)]);
        let mut t = Terminal::sized(run, 24, columns);
        assert_eq!(t.exit_code(), 0);
        let lines = written_lines(&t);
        for line in &lines {
            assert!(
                line.chars().count() <= usize::from(columns),
                "{columns} columns: {line:?} in {lines:#?}"
            );
        }
        let text = lines.join("\n");
        assert!(text.contains("Fortune telling"), "{text}");
        assert!(text.contains("unfinished"), "{text}");
        assert!(text.contains("The bus was late"), "{text}");
        if columns == 50 {
            // The long thought is shortened, with an ellipsis to say so.
            assert!(text.contains("I'll never be"), "{text}");
            assert!(text.contains('…'), "{text}");
        }
    }
}

#[test]
fn journal_show_wraps_between_words() {
    let (_dir, journal) = a_journal_of_three();
    for columns in WIDTHS {
        let run = reframe(&[
            "journal",
            "--color",
            "never",
            "--journal",
            arg(&journal),
            "show",
            "1",
        ]);
        let mut t = Terminal::sized(run, 40, columns);
        assert_eq!(t.exit_code(), 0);
        let lines = written_lines(&t);
        for line in &lines {
            assert!(
                line.chars().count() <= usize::from(columns),
                "{columns} columns: {line:?} in {lines:#?}"
            );
        }
        let text = flat(&lines.join("\n"));
        assert!(
            text.contains("this time I was one of the last two out of sixty."),
            "{columns} columns: {lines:#?}"
        );
        assert!(
            text.contains("apply again next spring when the new team starts."),
            "{columns} columns: {lines:#?}"
        );
    }
}

/// Step 4 at 50 and 100 columns: what was recognised, with the words that set it off, then the
/// whole catalogue to keep, drop or add from, recognised first and checked, each row one line.
/// A trap added there is kept in the entry beside what was recognised.
#[test]
fn step_4_lets_the_person_keep_drop_and_add_traps_at_50_and_100_columns() {
    let thought = "Everyone else gets ahead and I'm left behind";
    let catalogue: Vec<(String, String)> = engine()
        .rules()
        .distortions()
        .iter()
        .filter(|d| d.kind == reframe::rules::Kind::Distortion && d.id != "comparing")
        .map(|d| (d.id.clone(), d.name.clone()))
        .collect();
    let fortune = catalogue
        .iter()
        .position(|(id, _)| id == "fortune-telling")
        .unwrap();
    for columns in [50u16, 100] {
        // Tall enough for the list under what was recognised.
        let rows = 60;
        let dir = TempDir::new().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let args = [
            "session",
            "--color",
            "never",
            "--journal",
            arg(&journal),
            thought,
        ];
        let mut t = Terminal::sized_args(&args, columns, rows);
        t.begin();
        t.answer("What happened?", ENTER);
        t.answer("What are you feeling?", ENTER);
        t.answer("upsets you most?", ENTER);
        t.answer("How much do you believe it", "80\r");
        t.expect("Which traps fit? Keep, drop or add");
        t.expect("Should statements: Rigid");
        let screen = t.screen_of(columns, rows);
        let lines: Vec<&str> = screen.lines().collect();
        assert!(
            flat(&screen)
                .contains("In your words: \"Everyone else gets ahead and I'm left behind\""),
            "{screen}"
        );
        // Recognised first, and checked; every other trap after it, unchecked, one line each.
        let list: Vec<&&str> = lines
            .iter()
            .skip_while(|l| !l.contains("Which traps fit"))
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(list.len(), catalogue.len() + 1, "{screen}");
        // Each row fits the width, so nothing wraps and the list redraws cleanly.
        assert!(
            list.iter()
                .all(|l| l.chars().count() <= usize::from(columns)),
            "{screen}"
        );
        assert!(list[0].contains("[x] Comparing: "), "{screen}");
        for ((_, name), line) in catalogue.iter().zip(&list[1..]) {
            assert!(line.contains(&format!("[ ] {name}")), "{name}: {screen}");
        }
        // Add fortune telling, go on, and stop at the first question.
        let keys = format!("{}{SPACE}{ENTER}", DOWN.repeat(fortune + 1));
        t.keys(&keys);
        t.answer("What is the evidence for this thought?", CTRL_C);
        assert_eq!(t.exit_code(), 130);
        let e = &entries(&journal)[0];
        let ids = |traps: &[reframe::journal::Trap]| {
            traps.iter().map(|t| t.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(e.chosen.as_deref().unwrap()),
            ["comparing", "fortune-telling"],
            "at {columns} columns"
        );
        assert_eq!(e.patterns.len(), 1);
    }
}

/// Starts `reframe session --color never --region us --journal J` and `extra` with text wrapped
/// to `columns`, J being in a new directory; returns the terminal and J.
fn session_at(columns: usize, extra: &[&str]) -> (Terminal, PathBuf) {
    let dir = TempDir::new().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut args = vec![
        "session",
        "--color",
        "never",
        "--region",
        "us",
        "--journal",
        arg(&journal),
    ];
    args.extend(extra);
    let mut t = Terminal::spawn(reframe(&args).env("COLUMNS", columns.to_string()));
    t.journal_dir = Some(dir);
    (t, journal)
}

/// The lines of `text` (written since a wait, or a screen) wider than `columns`.
fn wider_than(text: &str, columns: usize) -> Vec<String> {
    let escapes = regex::Regex::new(r"\x1b(?:\[[0-9;?]*[A-Za-z]|[78])").unwrap();
    let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    escapes
        .replace_all(&text, "")
        .split(['\n', '\r'])
        .filter(|l| console::measure_text_width(l) > columns)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_first_screen_and_the_last_fit_the_terminal_at_100_and_50_columns() {
    for columns in [100, 50] {
        let (mut t, journal) = session_at(columns, &[NO_TRAP]);
        let first = t.expect("we'll begin");
        let said = flat(&first);
        for words in [
            "Before you begin",
            "About ten minutes, and you can stop at any time.",
            "What you write stays in a journal on this computer. Nothing is sent anywhere.",
            "Esc goes back to the question before",
            "Help is there now (United States):",
            "- 988 Suicide & Crisis Lifeline: Call or text 988",
        ] {
            assert!(said.contains(words), "{columns}: {words}: {said}");
        }
        assert!(!said.contains("1 of 9"), "{columns}: {said}");
        // There is nothing before the first screen to go back to, and it says none.
        assert!(!said.contains("Esc to go back"), "{columns}: {said}");
        assert_eq!(wider_than(&first, columns), Vec::<String>::new(), "{first}");
        t.keys(ENTER);
        t.expect("1 of 9");

        // Through to the end; a no to saving is asked about once more, and a no to that saves.
        for prompt in [
            "What happened?",
            "What are you feeling?",
            "upsets you most?",
            "How much do you believe it",
            "Does any trap fit?",
            "If this thought were true",
            &first_words(reframe::output::text::GENERAL_QUESTIONS[0]),
            &first_words(reframe::output::text::GENERAL_QUESTIONS[1]),
            "Which could you believe",
        ] {
            t.answer(prompt, ENTER);
        }
        // The first suggestion is in the field: Ctrl-U clears it for a thought of one's own.
        t.answer(
            "Your balanced thought",
            &format!("{CTRL_U}It was one late bus\r"),
        );
        t.answer("believe the balanced thought", "60\r");
        t.answer("believe the original thought now", ENTER);
        t.answer("One small thing", &format!("{DOWN}{ENTER}"));
        t.answer("Save this to your journal?", "n\r");
        let asked = t.answer("Leave it unsaved?", "no\r");
        assert!(
            flat(&asked).contains("once this session ends, what you wrote here is gone"),
            "{columns}: {asked}"
        );
        assert_eq!(wider_than(&asked, columns), Vec::<String>::new(), "{asked}");
        let end = t.expect(&format!("Saved to {}.", journal.display()));
        assert_eq!(wider_than(&end, columns), Vec::<String>::new(), "{end}");
        let end = flat(&end);
        assert!(
            end.contains("You gave a painful thought some of your time")
                && end.contains("a fairer way to put it: It was one late bus")
                && end.contains(&format!("one small step: {}.", SMALL_STEPS[0])),
            "{columns}: {end}"
        );
        assert_eq!(t.exit_code(), 0);
        assert_eq!(entries(&journal).len(), 1);
    }
}

#[test]
fn a_no_to_saving_and_a_yes_to_leaving_it_unsaved_keep_nothing_at_100_and_50_columns() {
    for columns in [100, 50] {
        let (mut t, journal) = session_at(columns, &[NO_TRAP]);
        enter_to_the_summary(&mut t);
        t.answer("Save this to your journal?", "n\r");
        // A stray Enter decides nothing: the question waits for a yes or a no.
        t.answer("Leave it unsaved?", ENTER);
        t.keys("yes\r");
        t.expect("Nothing was saved.");
        assert_eq!(t.exit_code(), 0);
        assert!(!journal.exists(), "{columns}");
    }
}

#[test]
fn no_save_never_asks_to_save() {
    let mut t = Terminal::start(&["session", "--no-save", "--color", "never", NO_TRAP]);
    let first = flat(&t.expect("we'll begin"));
    assert!(first.contains("Nothing you write here is kept"), "{first}");
    enter_to_the_summary_after_the_first_screen(&mut t);
    let end = t.expect("Nothing was saved (--no-save).");
    assert!(!end.contains("Save this"), "{end}");
    assert!(
        end.contains("You gave a painful thought some of your time"),
        "{end}"
    );
    assert_eq!(t.exit_code(), 0);
}

/// [`enter_to_the_summary`], for a terminal whose first screen was waited for already.
fn enter_to_the_summary_after_the_first_screen(t: &mut Terminal) {
    t.keys(ENTER);
    let general = reframe::output::text::GENERAL_QUESTIONS;
    for prompt in [
        "What happened?",
        "What are you feeling?",
        "upsets you most?",
        "How much do you believe it",
        "Does any trap fit?",
        "If this thought were true",
        general[0],
        general[1],
        "Which could you believe",
        "Your balanced thought",
        "believe the balanced thought",
        "believe the original thought now",
        "One small thing",
    ] {
        t.answer(prompt, ENTER);
    }
}

/// A journal in `dir` holding one unfinished entry, stopped at step 5 after two answers.
fn an_unfinished_entry(dir: &Path) -> (PathBuf, Entry) {
    let journal = dir.join("journal.jsonl");
    let mut e = Entry::new("2026-11-15T22:10:00Z".parse().unwrap());
    e.situation = Some("She hasn't replied for two days".into());
    e.thought = "She hasn't replied, so she must be done with me".into();
    e.belief_before = Some(80);
    for (question, answer) in [
        (
            "What is the evidence for this thought?",
            "She usually answers fast",
        ),
        (
            "What is the evidence against it?",
            "She said she had a busy week",
        ),
    ] {
        e.answers.push(reframe::journal::Answer {
            question: question.into(),
            answer: answer.into(),
        });
    }
    Journal::at(&journal).append(&e).unwrap();
    (journal, e)
}

#[test]
fn resume_goes_on_where_the_entry_stopped_at_100_and_50_columns() {
    for columns in [100, 50] {
        let dir = TempDir::new().unwrap();
        let (journal, earlier) = an_unfinished_entry(dir.path());
        let resume = |extra: &[&str]| {
            let mut args = vec!["session", "--color", "never", "--journal", arg(&journal)];
            args.extend(extra);
            Terminal::spawn(reframe(&args).env("COLUMNS", columns.to_string()))
        };
        let mut t = resume(&["--resume"]);
        let shown = t.answer("Ready when you are", ENTER);
        assert!(
            flat(&shown).contains("at step 4 of 9 (What reframe recognised)"),
            "{columns}: {shown}"
        );
        assert!(!shown.contains("Before you begin"), "{columns}: {shown}");
        assert_eq!(wider_than(&shown, columns), Vec::<String>::new(), "{shown}");
        t.answer("Which traps fit?", ENTER);
        // The answers given then are in the field: Enter keeps them.
        t.expect("evidence for this thought?");
        t.answer("She", ENTER);
        t.expect("evidence against it?");
        t.answer("a busy week", ENTER);
        // Then on as usual, up to the end.
        for _ in 0..3 {
            t.answer("(Enter to skip)", ENTER);
        }
        t.answer("Which could you believe", ESC);
        // Esc at step 6 goes back to the last question, and Esc there to the one before.
        t.answer("(Enter to skip)", ESC);
        t.answer("(Enter to skip)", ENTER);
        t.answer("(Enter to skip)", ENTER);
        from_step_6_to_saving(&mut t, "55\r", "50\r");
        t.answer("Save this to your journal?", "y\r");
        t.expect("Saved to");
        assert_eq!(t.exit_code(), 0, "{columns}");

        let all = entries(&journal);
        assert_eq!(all.len(), 2, "the journal is only added to");
        assert_eq!(all[0], earlier);
        assert_eq!(all[1].continues, Some(earlier.started));
        assert_eq!(all[1].status, Status::Complete);
        assert_eq!(all[1].answers[..2], earlier.answers[..]);
        assert_eq!(
            (all[1].belief_before, all[1].belief_after),
            (Some(80), Some(50))
        );

        // Nothing is left to go on with, and the session says so.
        let mut t = resume(&["--resume"]);
        let said = flat(&t.expect("reframe session"));
        assert!(
            said.contains("there is no unfinished entry to go on with"),
            "{said}"
        );
        assert_eq!(t.exit_code(), 2);
        let mut t = resume(&["--resume", "2"]);
        let said = flat(&t.expect("nothing to go on with"));
        assert!(said.contains("entry 2 is complete"), "{said}");
        assert_eq!(t.exit_code(), 2);
    }
}

#[test]
fn going_back_shows_the_rating_given_and_enter_keeps_it() {
    let (mut t, journal) = Terminal::session(&[]);
    t.begin();
    t.answer("What happened?", ENTER);
    t.answer("What are you feeling?", &format!("{SPACE}{ENTER}"));
    t.answer("How strong is \"hurt\"", "80\r");
    t.answer("upsets you most?", "I always fail\r");
    t.answer("How much do you believe it", "90\r");
    // Esc at step 4 goes back to the thought's last prompt, its rating, with the rating in the
    // field; Esc there goes back to the thought, which is kept too.
    t.answer("Which traps fit?", ESC);
    t.expect("How much do you believe it, 0 to 100? (Enter to skip)");
    t.answer("90", ESC);
    t.answer("upsets you most?", ENTER);
    t.expect("How much do you believe it, 0 to 100? (Enter to skip)");
    t.answer("90", ENTER);
    t.answer("Which traps fit?", CTRL_C);
    assert_eq!(t.exit_code(), 130);
    let e = &entries(&journal)[0];
    assert_eq!(e.thought, "I always fail");
    assert_eq!(e.belief_before, Some(90));
    assert_eq!(e.feelings[0].before, Some(80));
}

/// Starts `reframe` with `args` on a terminal `columns` wide, as the program measures it
/// (`COLUMNS`), hermetic as every other run.
fn start_at(args: &[&str], columns: usize) -> Terminal {
    let columns = u16::try_from(columns).expect("a terminal width");
    Terminal::sized(reframe(args), 24, columns)
}

/// Asserts that every line written fits `columns`.
#[track_caller]
fn fits(t: &Terminal, columns: usize) {
    let lines = t.screen_lines();
    assert!(
        lines.iter().all(|l| l.chars().count() <= columns),
        "every line fits {columns} columns: {lines:#?}"
    );
}

/// A finished entry started `days` ago, with a situation, a balanced thought and both ratings.
fn days_old(days: i64, thought: &str) -> Entry {
    let started = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    let mut e = Entry::new(started);
    e.status = Status::Complete;
    e.situation = Some(format!(
        "What happened {days} days ago, told at some length"
    ));
    e.thought = thought.to_string();
    e.belief_before = Some(90);
    e.belief_after = Some(40);
    e.balanced_thought = Some("One evening went badly; I have had many that went well".into());
    e
}

/// Looks back at a journal at `columns`: rates the first entry 40, skips the second, and stops
/// at the third with `stop`; checks what was on the screen and that one line was added.
fn review_at(columns: usize, stop: &str) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    let mut stopped = days_old(8, "words that stopped a session");
    stopped.safety_stop = true;
    let first = days_old(10, "I'll never find someone who stays with me for long");
    for e in [
        &first,
        &stopped,
        &days_old(7, "Everyone at work thinks I'm useless"),
        &days_old(6, "Nobody ever picks me for anything"),
        &days_old(2, "She hasn't replied, so she must be done with me"),
    ] {
        journal.append(e).unwrap();
    }
    let before = std::fs::read_to_string(&path).unwrap();
    let asked = jiff::Timestamp::now();
    let mut t = start_at(
        &[
            "journal",
            "--journal",
            arg(&path),
            "--color",
            "never",
            "review",
        ],
        columns,
    );

    t.expect("Looking back, 1 of 3");
    t.answer("Belief now: ", "4");
    t.expect("Belief now: 4");
    t.keys("0\r");
    let first_screen = flat(&t.screen_lines().join("\n"));
    assert!(
        first_screen.contains("Entry 1,")
            && first_screen.contains("(10 days ago)")
            && first_screen
                .contains("Your thought: I'll never find someone who stays with me for long")
            && first_screen.contains("Balanced thought: One evening went badly")
            && first_screen.contains("at first")
            && first_screen.contains("How much do you believe that thought now?")
            && first_screen.contains("Esc or q stops"),
        "{first_screen}"
    );
    t.expect("Looking back, 2 of 3");
    t.expect("Entry 3,");
    t.answer("Belief now: ", ENTER);
    t.expect("Looking back, 3 of 3");
    t.answer("Belief now: ", stop);
    t.expect("Stopped.");
    assert_eq!(t.exit_code(), 0);
    let text = flat(&t.screen_lines().join("\n"));
    assert!(
        text.contains("Saved 1 rating to")
            && text.contains(
                "- Entry 1, I'll never find someone who stays with me…: 90 at first, 40 after the work, 40 now"
            ),
        "{text}"
    );
    assert!(!text.contains("words that stopped"), "{text}");
    assert!(!text.contains("She hasn't replied"), "{text}");
    fits(&t, columns);

    // One line added, after what was there, naming the entry rated by its start.
    let after = std::fs::read_to_string(&path).unwrap();
    let added = after
        .strip_prefix(&before)
        .expect("the journal is only added to");
    let prefix = format!(
        r#"{{"version":1,"kind":"rerating","entry":"{}","at":""#,
        first.started
    );
    assert!(
        added.starts_with(&prefix) && added.ends_with(",\"belief\":40}\n"),
        "{added}"
    );
    assert_eq!(added.lines().count(), 1, "{added}");
    let contents = Journal::at(&path).read_all().unwrap();
    assert!(contents.warnings.is_empty(), "{:?}", contents.warnings);
    let rating = contents.reratings[0];
    assert!(rating.at >= asked - jiff::SignedDuration::from_secs(1));
    assert!(rating.at <= jiff::Timestamp::now());
}

#[test]
fn review_at_50_columns_rates_one_skips_one_and_stops_at_q() {
    review_at(50, "q");
}

#[test]
fn review_at_100_columns_rates_one_skips_one_and_stops_at_esc() {
    review_at(100, ESC);
}

#[test]
fn review_with_nothing_due_says_why_and_what_reaches_the_rest() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    journal
        .append(&days_old(2, "Nobody ever picks me"))
        .unwrap();
    journal
        .append(&days_old(30, "I'll never be good enough"))
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut t = start_at(&["journal", "--journal", arg(&path), "review"], 50);
    assert_eq!(t.exit_code(), 0);
    let text = flat(&t.screen_lines().join("\n"));
    assert!(
        text.contains("No entries from 5 to 14 days ago are waiting to be looked back on.")
            && text.contains("You have 1 entry from the last 5 days.")
            && text.contains("it will be ready in 3 days.")
            && text.contains("1 entry older than 14 days can be looked back on now with `reframe journal review --all`"),
        "{text}"
    );
    fits(&t, 50);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn ctrl_c_in_a_review_keeps_the_ratings_given_and_exits_130() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    journal.append(&days_old(9, "I ruin everything")).unwrap();
    journal
        .append(&days_old(8, "I always say the wrong thing"))
        .unwrap();
    let mut t = start_at(&["journal", "--journal", arg(&path), "review"], 80);
    t.answer("Belief now: ", "75\r");
    t.expect("Looking back, 2 of 2");
    t.answer("Belief now: ", CTRL_C);
    t.expect("Interrupted.");
    assert_eq!(t.exit_code(), 130);
    let contents = Journal::at(&path).read_all().unwrap();
    let beliefs: Vec<u8> = contents.reratings.iter().map(|r| r.belief).collect();
    assert_eq!(beliefs, [75]);
}

#[test]
fn stats_at_50_columns_fit_the_traps_by_week_and_the_situations() {
    use reframe::journal::Pattern;
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut e = days_old(3, "I'm not good enough for anyone");
    e.situation = Some(
        "After the interview they wrote to say they went with someone who had more experience"
            .into(),
    );
    e.patterns.push(Pattern {
        id: "discounting-the-positive".into(),
        name: "Discounting the positive".into(),
        words: Vec::new(),
    });
    Journal::at(&path).append(&e).unwrap();
    let mut t = start_at(&["journal", "--journal", arg(&path), "stats"], 50);
    assert_eq!(t.exit_code(), 0);
    let lines = t.screen_lines();
    let from = lines
        .iter()
        .position(|l| l == "Thinking traps by week")
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let trends = &lines[from..];
    assert!(
        trends.iter().all(|l| l.chars().count() <= 50),
        "{trends:#?}"
    );
    assert!(
        trends
            .iter()
            .any(|l| l.starts_with("    After the interview") && l.ends_with('…')),
        "{trends:#?}"
    );
    assert!(
        trends
            .iter()
            .any(|l| l.starts_with("    Discounting the positive  ██████████ 1")),
        "{trends:#?}"
    );
}

/// Goes from step 6 of a session whose thought has one feeling or none up to the question
/// whether to save: the first suggestion as it is, `balanced` typed at its rating and `after` at
/// the thought's rating now, and no small step.
fn from_step_6_to_saving(t: &mut Terminal, balanced: &str, after: &str) {
    t.answer("Which could you believe", ENTER);
    t.answer("Your balanced thought", ENTER);
    t.answer("believe the balanced thought", balanced);
    t.answer("believe the original thought now", after);
    t.answer("One small thing", ENTER);
}

#[test]
fn leaving_a_resumed_session_unsaved_says_the_earlier_entry_stays() {
    let dir = TempDir::new().unwrap();
    let (journal, earlier) = an_unfinished_entry(dir.path());
    let args = [
        "session",
        "--color",
        "never",
        "--journal",
        arg(&journal),
        "--resume",
    ];
    let mut t = Terminal::spawn(reframe(&args).env("COLUMNS", "58"));
    t.answer("Ready when you are", ENTER);
    t.answer("Which traps fit?", ENTER);
    t.answer("evidence for this thought?", ENTER);
    t.answer("evidence against it?", ENTER);
    for _ in 0..3 {
        t.answer("skip):", ENTER);
    }
    from_step_6_to_saving(&mut t, ENTER, ENTER);
    t.answer("Save this to your journal?", "n\r");
    // Only what this session added would be lost, and the warning says so.
    let warned = flat(&t.answer("Leave it unsaved?", "y\r"));
    assert!(warned.contains("what you added in it is gone"), "{warned}");
    let end = t.expect("session.");
    // Wrapped between words to the width.
    let said = &end[end.find("Nothing new").expect("the last words")..];
    assert!(
        said.lines().all(|l| l.trim_end().chars().count() <= 58),
        "{said:?}"
    );
    assert_eq!(t.exit_code(), 0);
    assert_eq!(entries(&journal), vec![earlier]);
}

#[test]
fn a_short_screen_shows_long_text_a_page_at_a_time_at_50x14() {
    let dir = TempDir::new().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let thought = "Everyone else gets ahead and I never will";
    let args = [
        "session",
        "--color",
        "never",
        "--journal",
        arg(&journal),
        thought,
    ];
    let mut t = Terminal::sized_args(&args, 50, 14);
    // The first screen opens at its heading, and the rest comes after Enter.
    let screen = t.settled("More below. Press Enter to read on.");
    assert!(screen.starts_with("Before you begin"), "{screen}");
    assert!(!screen.contains("we'll begin"), "{screen}");
    // Esc skips nothing: the crisis lines on the next page are still to come.
    t.keys(ESC);
    std::thread::sleep(std::time::Duration::from_millis(300));
    while let Some(c) = t.pty.try_read() {
        t.output.push(c);
    }
    assert_eq!(t.screen(), screen);
    t.keys(ENTER);
    let screen = t.settled("we'll begin");
    assert!(screen.contains("Help is there now"), "{screen}");
    t.keys(ENTER);
    t.answer("What happened?", ENTER);
    let list = t.answer_paged("What are you feeling?", &format!("{SPACE}{ENTER}"));
    assert!(flat(&list).contains("keep going down for more"), "{list}");
    // Once answered, the list and what it said of its keys are gone.
    let screen = t.settled("How strong is");
    assert!(!flat(&screen).contains("keep going down"), "{screen}");
    assert!(flat(&screen).contains("Choose any: hurt"), "{screen}");
    t.keys(ENTER);
    t.answer("upsets you most?", ENTER);
    t.answer("How much do you believe it", "80\r");
    // What was recognised starts at the top of the screen, the thought first.
    let screen = t.settled("More below. Press Enter to read on.");
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].starts_with("4 of 9"), "{screen}");
    assert!(
        flat(&screen).contains("Your thought: [Everyone else"),
        "{screen}"
    );
    // Read on to the list.
    t.keys(ENTER);
    t.answer_paged("Which traps fit?", ENTER);
    t.answer("evidence for this thought?", CTRL_C);
    assert_eq!(t.exit_code(), 130);
}

#[test]
fn pasted_lines_stay_in_the_field_they_were_pasted_into() {
    let (mut t, journal) = Terminal::sized_session(24, 80, &[]);
    t.expect("What happened?");
    // A terminal marks pasted text; the line breaks in it answer nothing.
    t.keys("\x1b[200~It rained\rall day\r\x1b[201~");
    let screen = flat(&t.settled("all day"));
    assert!(!screen.contains("2 of 9"), "{screen}");
    t.keys(&format!("long{ENTER}"));
    t.answer("What are you feeling?", CTRL_C);
    assert_eq!(t.exit_code(), 130);
    let e = &entries(&journal)[0];
    assert_eq!(e.situation.as_deref(), Some("It rained all day long"));
}

#[test]
fn a_safety_stop_shows_the_crisis_lines_at_once_on_a_small_screen() {
    for (rows, columns) in [(20, 40), (14, 50)] {
        let (mut t, journal) = Terminal::sized_session(rows, columns, &[]);
        t.answer("What happened?", "I want to kill myself\r");
        // No page stands between the person and the lines: they are in view with the question
        // (a page would hold the question back, and this wait would time out).
        let screen = t.settled("Keep what you have written");
        assert!(
            flat(&screen).contains("findahelpline.com"),
            "{rows}x{columns}: {screen}"
        );
        // The words over the question, cut short, are in view with the lines: that the
        // exercise stops, and why.
        let said = flat(&screen);
        assert!(
            said.contains("What you wrote sounds serious")
                && said.contains("Let's stop the exercise here."),
            "{rows}x{columns}: {screen}"
        );
        t.keys(CTRL_C);
        assert_eq!(t.exit_code(), 130);
        assert!(entries(&journal)[0].safety_stop);
    }
}

#[test]
fn the_closing_words_come_whole_after_saving_on_a_small_screen() {
    let (mut t, journal) = Terminal::sized_session(14, 50, &[NO_TRAP]);
    for prompt in [
        "What happened?",
        "What are you feeling?",
        "upsets you most?",
        "How much do you believe it",
        "Does any trap fit?",
        "If this thought were true",
        "(Enter to skip)",
        "(Enter to skip)",
        "Which could you believe",
        "Your balanced thought",
        "believe the balanced thought",
        "believe the original thought now",
        "One small thing",
    ] {
        t.answer_paged(prompt, ENTER);
    }
    t.answer_paged("Save this to your journal?", "y\r");
    // Saved, and said so, with no page to read on through in between.
    let end = t.expect("Saved to");
    assert!(
        end.contains("You gave a painful thought some of your time"),
        "{end}"
    );
    assert_eq!(t.exit_code(), 0);
    assert_eq!(entries(&journal)[0].status, Status::Complete);
}

#[test]
fn a_feeling_of_ones_own_and_a_refused_rating_read_as_sentences() {
    let (mut t, _) = Terminal::sized_session(24, 80, &[]);
    t.answer("What happened?", ENTER);
    // Up from the first row goes round to the last: "something else (type it)".
    t.answer("What are you feeling?", &format!("{UP}{SPACE}{ENTER}"));
    let screen = flat(&t.settled("Which feelings?"));
    assert!(
        screen.contains("Choose any: something else Which"),
        "{screen}"
    );
    t.keys("let down\r");
    t.answer("How strong is \"let down\"", "x\r");
    let screen = flat(&t.settled("Enter to skip."));
    assert!(
        screen.contains("Please type a whole number from 0 to 100, or press Enter to skip."),
        "{screen}"
    );
    t.keys(CTRL_C);
    assert_eq!(t.exit_code(), 130);
}

/// A journal of one finished entry with a thought of 22 words (128 characters), in a directory of
/// its own.
fn a_journal_with_a_long_thought() -> (TempDir, PathBuf, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut e = Entry::new("2026-11-20T10:00:00Z".parse().unwrap());
    e.status = Status::Complete;
    e.thought =
        "Everyone at the party saw me standing alone by the door and decided that I am the \
                 kind of person nobody ever wants to talk to"
            .to_string();
    e.belief_before = Some(85);
    e.belief_after = Some(40);
    e.patterns = vec![Pattern {
        id: "mind-reading".into(),
        name: "Mind reading".into(),
        words: Vec::new(),
    }];
    Journal::at(&path).append(&e).unwrap();
    let thought = e.thought;
    (dir, path, thought)
}

#[test]
fn journal_list_gives_the_thought_the_width_of_a_wide_terminal() {
    let (_dir, journal, thought) = a_journal_with_a_long_thought();
    let list = |columns: u16| {
        let run = reframe(&["journal", "--color", "never", "--journal", arg(&journal)]);
        let mut t = Terminal::sized(run, 24, columns);
        assert_eq!(t.exit_code(), 0);
        written_lines(&t)
    };
    // At 180 columns the whole thought fits, on a row wider than 100.
    let lines = list(180);
    let row = lines
        .iter()
        .find(|l| l.starts_with("1  "))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(row.contains(&thought), "{lines:#?}");
    assert!(row.chars().count() > 100, "{lines:#?}");
    assert!(row.ends_with("85 → 40"), "{lines:#?}");
    // At 120, as much of it as fits, which is more than its first eight words.
    let lines = list(120);
    assert!(lines.iter().all(|l| l.chars().count() <= 120), "{lines:#?}");
    let row = lines.iter().find(|l| l.starts_with("1  ")).unwrap();
    assert!(
        row.contains("Everyone at the party saw me standing alone by the door")
            && row.contains('…'),
        "{lines:#?}"
    );
}

#[test]
fn journal_list_fits_40_and_50_columns_with_every_mark_of_an_unfinished_entry() {
    let (_dir, journal) = a_journal_of_three();
    // Entry 2, unfinished, goes on in entry 4; entry 5 stopped for safety.
    let (entries, _) = Journal::at(&journal).read().unwrap();
    let mut later = entries[1].clone();
    later.started = "2026-11-23T10:00:00Z".parse().unwrap();
    later.continues = Some(entries[1].started);
    later.status = Status::Complete;
    let mut stopped = Entry::new("2026-11-24T10:00:00Z".parse().unwrap());
    stopped.thought = "A thought the session stopped at".to_string();
    stopped.safety_stop = true;
    Journal::at(&journal).append(&later).unwrap();
    Journal::at(&journal).append(&stopped).unwrap();
    for columns in [40, 50] {
        let run = reframe(&["journal", "--color", "never", "--journal", arg(&journal)]);
        let mut t = Terminal::sized(run, 24, columns);
        assert_eq!(t.exit_code(), 0);
        let lines = written_lines(&t);
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() <= usize::from(columns)),
            "{columns} columns: {lines:#?}"
        );
        let text = lines.join("\n");
        for mark in [
            "continued in 4",
            "stopped for safety",
            "90 → 45",
            "Comparing",
        ] {
            assert!(text.contains(mark), "{columns} columns: {mark}: {text}");
        }
        // The thought keeps room enough to be recognised.
        assert!(
            text.contains("I'll never be good"),
            "{columns} columns: {text}"
        );
        assert!(
            text.contains("The bus was late"),
            "{columns} columns: {text}"
        );
    }
}

#[test]
fn every_line_of_stats_fits_40_and_50_columns() {
    use reframe::journal::{CheckIn, CheckInAnswer, CheckInReason, Feeling, Rerating, Trap};
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    let mut first = days_old(12, "I'm not good enough for anyone");
    first.feelings.push(Feeling {
        name: "hurt".into(),
        before: Some(80),
        after: Some(40),
    });
    first.patterns.push(Pattern {
        id: "discounting-the-positive".into(),
        name: "Discounting the positive".into(),
        words: Vec::new(),
    });
    first.chosen = Some(vec![
        Trap {
            id: "discounting-the-positive".into(),
            name: "Discounting the positive".into(),
        },
        Trap {
            id: "personalization".into(),
            name: "Personalization and self-blame".into(),
        },
    ]);
    let mut stopped = days_old(11, "words that stopped a session");
    stopped.status = Status::Unfinished;
    stopped.safety_stop = true;
    stopped.check_in = Some(CheckIn {
        reason: CheckInReason::Hopeless,
        answer: Some(CheckInAnswer::Yes),
    });
    let mut unfinished = days_old(10, "Nobody ever picks me");
    unfinished.status = Status::Unfinished;
    let mut asked = days_old(9, "The bus was late");
    asked.check_in = Some(CheckIn {
        reason: CheckInReason::Hopeless,
        answer: Some(CheckInAnswer::No),
    });
    for e in [&first, &stopped, &unfinished, &asked] {
        journal.append(e).unwrap();
    }
    journal
        .append_rerating(&Rerating::new(&first, jiff::Timestamp::now(), 30))
        .unwrap();
    for columns in [40, 50] {
        let mut t = start_at(
            &[
                "journal",
                "--journal",
                arg(&path),
                "--color",
                "never",
                "stats",
            ],
            columns,
        );
        assert_eq!(t.exit_code(), 0);
        let lines = written_lines(&t);
        assert!(
            lines.iter().all(|l| l.chars().count() <= columns),
            "{columns} columns: {lines:#?}"
        );
        let text = flat(&lines.join("\n"));
        for said in [
            "4 entries (2 complete, 1 unfinished, 1 stopped for safety)",
            "Asked about thoughts of ending your life in 2 entries: 1 yes, 1 no",
            "Thinking traps, by the entries they appeared in",
            "Your say in the thinking traps: kept, dropped, added",
            "kept 0 dropped 0 added 1",
            "Average change in belief in the thought: -50.0 points",
            "Average change in feeling intensity: -40.0 points",
            "Belief, on average, in 1 thought looked back at",
            "looking back",
            "Personalization and s",
        ] {
            assert!(
                text.contains(said),
                "{columns} columns: {said:?} in {lines:#?}"
            );
        }
    }
}

#[test]
fn review_at_14_rows_keeps_the_title_the_entry_and_the_question_on_the_screen() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    let mut long = days_old(10, "I'll never find someone who stays with me for long");
    long.balanced_thought = Some(
        "One relationship ending tells me about that relationship, not about every one to come; \
         I have kept close friends for years, people have stayed, and the next person I meet \
         will be someone new, with their own reasons, not a repeat of this one."
            .into(),
    );
    journal.append(&long).unwrap();
    journal
        .append(&days_old(8, "Everyone at work thinks I'm useless"))
        .unwrap();
    let run = reframe(&[
        "journal",
        "--journal",
        arg(&path),
        "--color",
        "never",
        "review",
    ]);
    let mut t = Terminal::sized(run, 14, 50);
    let screen = t.settled("Belief now: ");
    let rows = t.screen_rows();
    assert!(
        rows[0].starts_with("Looking back, 1 of 2: entry 1, 10 days ago"),
        "{screen}"
    );
    let text = flat(&screen);
    for said in [
        "Situation: What happened 10 days ago",
        "Your thought: I'll never find someone who stays with me for long",
        "Balanced thought: One relationship ending",
        "Believed then: 90 at first, 40 after the work",
        "How much do you believe that thought now?",
        "Esc or q stops.",
    ] {
        assert!(text.contains(said), "{said:?} in\n{screen}");
    }
    // The balanced thought is cut to the room left, and says so.
    assert!(!text.contains("a repeat of this one"), "{screen}");
    assert!(text.contains('…'), "{screen}");
    assert!(rows.iter().all(|r| r.chars().count() <= 50), "{screen}");
    t.keys("60\r");
    let screen = t.settled("Looking back, 2 of 2");
    assert!(
        t.screen_rows()[0].starts_with("Looking back, 2 of 2: entry 2, 8 days ago"),
        "{screen}"
    );
    t.keys("q");
    assert_eq!(t.exit_code(), 0);
    let beliefs: Vec<u8> = Journal::at(&path)
        .read_all()
        .unwrap()
        .reratings
        .iter()
        .map(|r| r.belief)
        .collect();
    assert_eq!(beliefs, [60]);
}
