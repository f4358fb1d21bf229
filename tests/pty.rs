//! The real binary on a pseudo-terminal, typed at key by key as a person would: a whole session
//! saved to the journal, Ctrl-C half-way, the terminal closing, a crisis answer, the check-in
//! question and the journal's marks afterwards, `reframe` alone, `--no-save`, the README's
//! transcript, what is left on the screen, and a journal that cannot be written.
//!
//! The terminal reader decodes output byte by byte, so what these tests wait for is plain ASCII;
//! [`Terminal::screen_lines`] decodes the whole output properly.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use reframe::journal::{Entry, Journal, Status};
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
const SPACE: &str = " ";
const BACKSPACE: &str = "\x7f";
const CTRL_C: &str = "\x03";

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
        // An 80-column xterm: text is wrapped to COLUMNS, as on a standard terminal.
        command.env("TERM", "xterm-256color").env("COLUMNS", "80");
        let options = Options::new().timeout_ms(Some(TIMEOUT_MS));
        let pty = spawn_with_options(command, options).expect("reframe starts on a pty");
        Terminal {
            pty,
            home,
            output: String::new(),
            journal_dir: None,
        }
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

    /// Waits for `prompt`, then types `keys`; returns what was written before the prompt.
    #[track_caller]
    fn answer(&mut self, prompt: &str, keys: &str) -> String {
        let before = self.expect(prompt);
        self.keys(keys);
        before
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

    /// The screen as an 80-column terminal would show it now.
    fn screen(&self) -> String {
        let bytes: Vec<u8> = self.output.chars().map(|c| c as u8).collect();
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let mut parser = vt100::Parser::new(size(24), size(80), 0);
        parser.process(&bytes);
        parser.screen().contents()
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
    let thought = "I always ruin everything";
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
    let reframe = found.reframes[0].to_string();

    let (mut t, journal) = Terminal::session(&[]);

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

    // What was recognised waits to be read, under the thought, with the words marked.
    let shown = t.answer("The questions come next", ENTER);
    assert!(
        shown.contains(&format!("Your thought: {thought}")),
        "{shown}"
    );
    assert!(shown.contains(&name), "{shown}");
    assert!(shown.contains("[I always ruin] everything"), "{shown}");

    t.answer(
        "What is the evidence for this thought?",
        "She was busy today\r",
    );
    t.answer(
        "What is the evidence against it?",
        "She answered me yesterday\r",
    );
    t.answer(&questions[0], "We had a good dinner last month\r");
    t.answer(&questions[1], ENTER);
    t.answer(&questions[2], ENTER);

    // The first reframe (the cursor starts on "Skip this step"), edited by typing after it.
    t.answer("Which could you believe", &format!("{DOWN}{ENTER}"));
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
        Some(format!("{reframe} Today too.").as_str())
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
    t.answer("1 of 9", "");
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
        .collect();
    assert!(shown.len() > 40, "{block}");

    let (mut t, journal) = Terminal::session(&[]);
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
    t.answer("The questions come next", ENTER);
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
        "this prediction",
    ] {
        t.answer(question, ENTER);
    }
    t.answer("Which could you believe", &format!("{DOWN}{ENTER}"));
    t.answer(
        "Your balanced thought",
        " This time I was one of the last two.\r",
    );
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
        .filter(|l| !screen.iter().any(|s| s == **l))
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
    t.answer("The questions come next", ENTER);
    let answer = "They told me it was close, but they chose someone with more experience in \
                  leading a team, and I have never led one";
    t.answer("evidence for this thought?", &format!("{answer}\r"));
    t.expect("evidence against it?");
    let screen = t.screen();
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
    let general = reframe::output::text::GENERAL_QUESTIONS;
    for prompt in [
        "What happened?",
        "What are you feeling?",
        "upsets you most?",
        "How much do you believe it",
        "The questions come next",
        "evidence for this thought?",
        "evidence against it?",
        general[0],
        general[1],
        "Which could you believe",
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

/// Starts `reframe` with `args` on a terminal `columns` wide, as the program measures it
/// (`COLUMNS`), hermetic as every other run.
fn start_at(args: &[&str], columns: usize) -> Terminal {
    let (mut command, home) = reframe(args).into_parts();
    command
        .env("TERM", "xterm-256color")
        .env("COLUMNS", columns.to_string());
    let options = Options::new().timeout_ms(Some(TIMEOUT_MS));
    let pty = spawn_with_options(command, options).expect("reframe starts on a pty");
    Terminal {
        pty,
        home,
        output: String::new(),
        journal_dir: None,
    }
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
