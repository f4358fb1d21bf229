//! Resolving the command line and the environment into the settings the program runs on.
//!
//! This is the one place that reads the environment (NO_COLOR, the config directory, whether
//! streams are terminals); everything it learns is passed on as plain values.

use std::ffi::OsString;
use std::path::PathBuf;

use reframe::RuleSources;
use reframe::output::Format;

use crate::cli::{
    Cli, ColorArg, Command, ExportFormatArg, FormatArg, JournalCommand, ReportFormatArg,
    RulesCommand,
};

/// Where a batch reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// The name used in messages and output.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Analyse one thought given on the command line.
    OneShot {
        /// The thought.
        thought: String,
        /// Some of it was not valid UTF-8, and was read as Windows-1252 (see [`thought`]).
        lossy: bool,
    },
    /// Analyse every line of the inputs.
    Batch {
        /// The inputs, in order.
        inputs: Vec<Input>,
        /// Whether to print the summary table.
        summary: bool,
    },
    /// No thought and nothing to read: explain how to give one.
    NoInput,
    /// The guided session.
    Session {
        /// The thought to start with.
        thought: Option<String>,
        /// Some of it was not valid UTF-8, and was read as Windows-1252 (see [`thought`]).
        lossy: bool,
        /// Whether to save to the journal.
        save: bool,
        /// `--resume`: `Some(None)` to go on with the most recent unfinished entry,
        /// `Some(Some(n))` with entry n.
        resume: Option<Option<usize>>,
        /// Standard input and standard error are terminals, so the session can run.
        terminal: bool,
        /// Standard input is not a terminal: when the session cannot run and no thought was
        /// given, what was piped in is checked for crisis language before the error.
        piped: bool,
    },
    /// `journal list`.
    JournalList {
        /// How many of the most recent entries; 0 for all.
        last: usize,
    },
    /// `journal show N`.
    JournalShow(usize),
    /// `journal export`.
    JournalExport {
        /// The format.
        format: reframe::journal::ExportFormat,
        /// The file to write; standard output when `None`.
        output: Option<PathBuf>,
        /// Whether an existing `output` may be replaced.
        force: bool,
    },
    /// `journal stats`.
    JournalStats,
    /// `journal review`.
    JournalReview {
        /// Which entries to look back on.
        window: ReviewWindow,
        /// Standard input and standard error are terminals, so the review can ask.
        terminal: bool,
    },
    /// `rules list`.
    RulesList,
    /// `rules show ID`.
    RulesShow(String),
    /// `rules test [PATH...]`; empty means the active set.
    RulesTest(Vec<PathBuf>),
    /// `completions SHELL`: the script, made from the command line's definition.
    Completions(Vec<u8>),
    /// `man`: the manual page, made from the command line's definition.
    Man(Vec<u8>),
    /// `eval FILE`.
    Eval {
        /// The labelled files.
        files: Vec<PathBuf>,
        /// JSON rather than a table.
        json: bool,
        /// `--explain`: `Some("")` for every distortion and the crisis check, `Some(id)` for one
        /// distortion, `Some("safety")` for the crisis check.
        explain: Option<String>,
    },
}

/// Which entries `journal review` looks back on, as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewWindow {
    /// From 5 to 14 days ago.
    Default,
    /// `--since DATE`: from that local date on.
    Since(jiff::civil::Date),
    /// `--all`.
    All,
}

/// Where the region for crisis resources comes from, most specific first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionChoice {
    /// `--region`.
    Flag(String),
    /// `region` in the config file.
    ConfigFile(String),
    /// The locale (`LC_ALL`, then `LANG`), such as `en_GB.UTF-8`.
    Locale(String),
    /// Nothing known: show the international resources.
    Unknown,
}

/// Everything the program needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to do.
    pub task: Task,
    /// Where the rules come from.
    pub sources: RuleSources,
    /// The output format for analysed thoughts.
    pub format: Format,
    /// Exit 1 when something was recognised.
    pub exit_code: bool,
    /// The longest line a batch (or `eval`) reads whole; longer ones are checked for crisis
    /// language and skipped.
    pub max_line_bytes: usize,
    /// Colour on standard output.
    pub color_stdout: bool,
    /// Colour on standard error.
    pub color_stderr: bool,
    /// The width to wrap text on standard output to, when it is a terminal; `None` otherwise,
    /// so that a file or another program gets the lines whole.
    pub width: Option<usize>,
    /// The whole width of the terminal on standard output, for a table that may use all of it
    /// (`journal list`), where [`Config::width`] stops at a reading width; `None` when standard
    /// output is not a terminal.
    pub columns: Option<usize>,
    /// Where the region for crisis resources comes from.
    pub region: RegionChoice,
    /// A config file that could not be read, reported when the program runs.
    pub config_error: Option<String>,
    /// Where the config file is read from (it may not exist), when a config directory is known.
    pub config_file: Option<PathBuf>,
    /// `--journal`, when given.
    pub journal: Option<PathBuf>,
}

/// The facts about the environment that resolution depends on, gathered by [`Environment::read`]
/// and written by hand in tests.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// NO_COLOR is set to a non-empty value.
    pub no_color: bool,
    /// Standard input is a terminal.
    pub stdin_is_terminal: bool,
    /// Standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// Standard error is a terminal.
    pub stderr_is_terminal: bool,
    /// `COLUMNS` when set, else the width of the terminal on standard output, if known.
    pub columns: Option<usize>,
    /// The user's rule directory, if it exists.
    pub user_rules: Option<PathBuf>,
    /// `region` from the user's config file.
    pub config_region: Option<String>,
    /// Why the config file could not be read, if it exists and could not.
    pub config_error: Option<String>,
    /// Where the config file is read from, when a config directory is known.
    pub config_file: Option<PathBuf>,
    /// `LC_ALL`, or else `LANG`, when set and not empty.
    pub locale: Option<String>,
}

/// The user's config file (`$XDG_CONFIG_HOME/reframe/config.toml`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    region: Option<String>,
}

/// Reads the config file at `path`: `Ok(None)` when there is none.
fn read_config_file(path: &std::path::Path) -> Result<Option<ConfigFile>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {}", path.display(), e.message())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

impl Environment {
    /// Reads the real environment.
    pub fn read() -> Environment {
        use std::io::IsTerminal;
        let config_dir = dirs::config_dir().map(|dir| dir.join("reframe"));
        let config_file = config_dir.as_ref().map(|dir| dir.join("config.toml"));
        let config = config_file.as_deref().map(read_config_file);
        let non_empty = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Environment {
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            columns: non_empty("COLUMNS")
                .and_then(|c| c.parse().ok())
                .or_else(|| {
                    console::Term::stdout()
                        .size_checked()
                        .map(|(_, c)| usize::from(c))
                }),
            user_rules: config_dir
                .as_ref()
                .map(|dir| dir.join("rules"))
                .filter(|dir| dir.is_dir()),
            config_region: config
                .as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.as_ref())
                .and_then(|c| c.region.clone()),
            config_error: config.and_then(|c| c.err()),
            config_file,
            locale: non_empty("LC_ALL").or_else(|| non_empty("LANG")),
        }
    }
}

/// The words of a thought given on the command line as one thought, and whether any of them was
/// not valid UTF-8.
///
/// Such a word is decoded as a batch line is ([`reframe::batch::decode_lossy`]): its valid UTF-8
/// as it is and every other byte as Windows-1252, so a thought saved by an old editor (a curly
/// apostrophe as the byte 0x92) still reaches the crisis check with its words intact.
pub fn thought(words: Vec<OsString>) -> (String, bool) {
    let mut lossy = false;
    let words: Vec<String> = words
        .into_iter()
        .map(|word| {
            word.into_string().unwrap_or_else(|word| {
                lossy = true;
                decode(&word)
            })
        })
        .collect();
    (words.join(" "), lossy)
}

/// A command-line word that is not valid UTF-8, as text.
#[cfg(unix)]
fn decode(word: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    reframe::batch::decode_lossy(word.as_bytes())
}

/// A command-line word that is not valid UTF-16, as text: the bytes are not at hand, so the
/// unpaired surrogates become U+FFFD.
#[cfg(not(unix))]
fn decode(word: &std::ffi::OsStr) -> String {
    word.to_string_lossy().into_owned()
}

/// The options that may be given both before a command and after it, put together: rule
/// directories before the command are read first, and a region or journal after it wins.
struct Shared {
    sources: RuleSources,
    region: Option<String>,
    journal: Option<PathBuf>,
    exit_code: bool,
}

impl Shared {
    fn of(cli: &Cli, env: &Environment) -> Shared {
        let none = (None, None, None, false);
        let (rules, region, journal, exit_code) = match &cli.command {
            Some(Command::Session {
                rules,
                region,
                journal,
                exit_code,
                ..
            }) => (Some(rules), Some(region), Some(journal), *exit_code),
            Some(Command::Journal {
                region, journal, ..
            }) => (None, Some(region), Some(journal), false),
            Some(Command::Rules { rules, .. } | Command::Eval { rules, .. }) => {
                (Some(rules), None, None, false)
            }
            Some(Command::Completions { .. } | Command::Man) | None => none,
        };
        let mut paths: Vec<PathBuf> = env.user_rules.iter().cloned().collect();
        paths.extend(cli.rules.paths.iter().cloned());
        paths.extend(rules.iter().flat_map(|r| r.paths.iter().cloned()));
        // clap hands a global `--rules` to the command as well as to the top level, and a path
        // read twice would report each of its problems twice.
        let mut seen = std::collections::HashSet::new();
        paths.retain(|path| seen.insert(path.clone()));
        Shared {
            sources: RuleSources {
                builtin: !(cli.rules.no_builtin || rules.is_some_and(|r| r.no_builtin)),
                paths,
            },
            region: region
                .and_then(|r| r.region.clone())
                .or_else(|| cli.region.region.clone()),
            journal: journal
                .and_then(|j| j.journal.clone())
                .or_else(|| cli.journal.clone()),
            exit_code: cli.exit_code || exit_code,
        }
    }
}

/// Resolves the parsed command line against the environment.
pub fn resolve(cli: Cli, env: &Environment) -> Config {
    let color = |terminal: bool| match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && !env.no_color,
    };
    let shared = Shared::of(&cli, env);
    // An `eval` file's rows are lines too: `eval --max-line-bytes N` over the limit given before
    // the command, if any.
    let eval_line_limit = match &cli.command {
        Some(Command::Eval { max_line_bytes, .. }) => *max_line_bytes,
        _ => None,
    };
    let task = match cli.command {
        Some(Command::Rules {
            command: RulesCommand::List,
            ..
        }) => Task::RulesList,
        Some(Command::Rules {
            command: RulesCommand::Show { id },
            ..
        }) => Task::RulesShow(id),
        Some(Command::Rules {
            command: RulesCommand::Test { paths },
            ..
        }) => Task::RulesTest(paths),
        Some(Command::Eval {
            files,
            format,
            explain,
            ..
        }) => Task::Eval {
            files,
            json: format == ReportFormatArg::Json,
            explain,
        },
        None if !cli.thought.is_empty() => {
            let (thought, lossy) = thought(cli.thought);
            Task::OneShot { thought, lossy }
        }
        None if !cli.files.is_empty() => Task::Batch {
            inputs: cli
                .files
                .iter()
                .map(|f| {
                    if f.as_os_str() == "-" {
                        Input::Stdin
                    } else {
                        Input::File(f.clone())
                    }
                })
                .collect(),
            summary: cli.summary,
        },
        None if !env.stdin_is_terminal => Task::Batch {
            inputs: vec![Input::Stdin],
            summary: cli.summary,
        },
        Some(Command::Session {
            thought: words,
            no_save,
            resume,
            ..
        }) => {
            let (thought, lossy) = thought(words);
            Task::Session {
                thought: (!thought.is_empty()).then_some(thought),
                lossy,
                save: !no_save,
                resume,
                terminal: env.stdin_is_terminal && env.stderr_is_terminal,
                piped: !env.stdin_is_terminal,
            }
        }
        Some(Command::Completions { shell }) => {
            Task::Completions(crate::generate::completions(shell))
        }
        Some(Command::Man) => Task::Man(crate::generate::man_page()),
        Some(Command::Journal { command, last, .. }) => match command {
            // `journal` alone is `journal list`, with its default.
            None => Task::JournalList {
                last: last.unwrap_or(20),
            },
            Some(JournalCommand::List { last }) => Task::JournalList { last },
            Some(JournalCommand::Show { number }) => Task::JournalShow(number),
            Some(JournalCommand::Export {
                format,
                output,
                force,
            }) => Task::JournalExport {
                format: match format {
                    ExportFormatArg::Markdown => reframe::journal::ExportFormat::Markdown,
                    ExportFormatArg::Csv => reframe::journal::ExportFormat::Csv,
                    ExportFormatArg::Json => reframe::journal::ExportFormat::Json,
                },
                output,
                force,
            },
            Some(JournalCommand::Stats) => Task::JournalStats,
            Some(JournalCommand::Review { all, since }) => Task::JournalReview {
                window: match (all, since) {
                    (true, _) => ReviewWindow::All,
                    (false, Some(date)) => ReviewWindow::Since(date),
                    (false, None) => ReviewWindow::Default,
                },
                terminal: env.stdin_is_terminal && env.stderr_is_terminal,
            },
        },
        // `reframe` alone on a terminal: a session.
        None if env.stderr_is_terminal => Task::Session {
            thought: None,
            lossy: false,
            save: true,
            resume: None,
            terminal: true,
            piped: false,
        },
        None => Task::NoInput,
    };
    Config {
        task,
        sources: shared.sources,
        format: match cli.format {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
        },
        exit_code: shared.exit_code,
        max_line_bytes: eval_line_limit.unwrap_or(cli.max_line_bytes),
        color_stdout: color(env.stdout_is_terminal),
        color_stderr: color(env.stderr_is_terminal),
        // At most a comfortable reading width, as the session's screens.
        width: env
            .stdout_is_terminal
            .then(|| env.columns.unwrap_or(80).clamp(20, 100)),
        columns: env
            .stdout_is_terminal
            .then(|| env.columns.unwrap_or(80).max(20)),
        region: match (shared.region, &env.config_region, &env.locale) {
            (Some(region), _, _) => RegionChoice::Flag(region),
            (None, Some(region), _) => RegionChoice::ConfigFile(region.clone()),
            (None, None, Some(locale)) => RegionChoice::Locale(locale.clone()),
            (None, None, None) => RegionChoice::Unknown,
        },
        config_error: env.config_error.clone(),
        config_file: env.config_file.clone(),
        journal: shared.journal,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Environment, Input, Task, resolve};
    use crate::cli::Cli;
    use clap::Parser;

    fn config(args: &[&str], env: &Environment) -> super::Config {
        resolve(
            Cli::parse_from(std::iter::once("reframe").chain(args.iter().copied())),
            env,
        )
    }

    #[test]
    fn words_form_one_thought() {
        let c = config(
            &["I", "feel", "like", "a", "failure"],
            &Environment::default(),
        );
        assert_eq!(
            c.task,
            Task::OneShot {
                thought: "I feel like a failure".into(),
                lossy: false
            }
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_thought_that_is_not_utf8_is_read_as_windows_1252_and_says_so() {
        use std::os::unix::ffi::OsStringExt;
        let words = |words: &[&[u8]]| -> Vec<std::ffi::OsString> {
            words
                .iter()
                .map(|w| std::ffi::OsString::from_vec(w.to_vec()))
                .collect()
        };
        assert_eq!(
            super::thought(words(&[b"I", b"don\x92t", b"know"])),
            ("I don\u{2019}t know".to_string(), true)
        );
        assert_eq!(
            super::thought(words(&[b"I", b"don\xe2\x80\x99t"])),
            ("I don\u{2019}t".to_string(), false)
        );
    }

    #[test]
    fn piped_input_is_a_batch_and_a_terminal_is_not() {
        let piped = config(&[], &Environment::default());
        assert_eq!(
            piped.task,
            Task::Batch {
                inputs: vec![Input::Stdin],
                summary: false
            }
        );
        let tty = Environment {
            stdin_is_terminal: true,
            ..Environment::default()
        };
        assert_eq!(config(&[], &tty).task, Task::NoInput);
    }

    #[test]
    fn the_line_limit_is_a_mebibyte_unless_given() {
        let env = Environment::default();
        assert_eq!(config(&[], &env).max_line_bytes, 1_048_576);
        assert_eq!(
            config(&["--max-line-bytes", "5000000"], &env).max_line_bytes,
            5_000_000
        );
        // Also after `eval`, whose rows are lines too.
        assert_eq!(
            config(&["eval", "f.jsonl", "--max-line-bytes", "10"], &env).max_line_bytes,
            10
        );
    }

    #[test]
    fn reframe_alone_on_a_terminal_starts_a_session() {
        let terminal = Environment {
            stdin_is_terminal: true,
            stderr_is_terminal: true,
            ..Environment::default()
        };
        let session = |thought: Option<&str>, save, terminal: bool| Task::Session {
            thought: thought.map(str::to_string),
            lossy: false,
            save,
            resume: None,
            terminal,
            piped: !terminal,
        };
        assert_eq!(config(&[], &terminal).task, session(None, true, true));
        assert_eq!(
            config(&["session", "I", "always", "fail", "--no-save"], &terminal).task,
            session(Some("I always fail"), false, true)
        );
        let resume = |args: &[&str]| match config(args, &terminal).task {
            Task::Session { resume, .. } => resume,
            other => panic!("{other:?}"),
        };
        assert_eq!(resume(&["session", "--resume"]), Some(None));
        assert_eq!(resume(&["session", "--resume", "3"]), Some(Some(3)));
        assert_eq!(resume(&["session"]), None);
        // Without a terminal the session is still chosen, and refuses to run.
        assert_eq!(
            config(&["session"], &Environment::default()).task,
            session(None, true, false)
        );
    }

    #[test]
    fn text_is_wrapped_only_for_a_terminal_and_to_a_reading_width() {
        let tty = |columns| Environment {
            stdout_is_terminal: true,
            columns,
            ..Environment::default()
        };
        assert_eq!(config(&["x"], &tty(Some(60))).width, Some(60));
        assert_eq!(config(&["x"], &tty(Some(200))).width, Some(100));
        assert_eq!(config(&["x"], &tty(None)).width, Some(80));
        // A table may use the whole terminal.
        assert_eq!(config(&["x"], &tty(Some(200))).columns, Some(200));
        assert_eq!(config(&["x"], &tty(None)).columns, Some(80));
        let file = Environment {
            columns: Some(60),
            ..Environment::default()
        };
        assert_eq!(config(&["x"], &file).width, None);
        assert_eq!(config(&["x"], &file).columns, None);
    }

    #[test]
    fn colour_follows_terminal_no_color_and_the_flag() {
        let tty = Environment {
            stdout_is_terminal: true,
            ..Environment::default()
        };
        assert!(config(&["x"], &tty).color_stdout);
        assert!(
            !config(
                &["x"],
                &Environment {
                    no_color: true,
                    ..tty.clone()
                }
            )
            .color_stdout
        );
        assert!(!config(&["x"], &Environment::default()).color_stdout);
        assert!(config(&["--color", "always", "x"], &Environment::default()).color_stdout);
        assert!(!config(&["--color", "never", "x"], &tty).color_stdout);
    }

    #[test]
    fn the_region_comes_from_the_flag_then_the_config_file_then_the_locale() {
        use super::RegionChoice;
        let env = Environment {
            config_region: Some("ie".into()),
            locale: Some("en_GB.UTF-8".into()),
            ..Environment::default()
        };
        assert_eq!(
            config(&["--region", "au", "x"], &env).region,
            RegionChoice::Flag("au".into())
        );
        assert_eq!(
            config(&["x"], &env).region,
            RegionChoice::ConfigFile("ie".into())
        );
        let env = Environment {
            config_region: None,
            ..env
        };
        assert_eq!(
            config(&["x"], &env).region,
            RegionChoice::Locale("en_GB.UTF-8".into())
        );
        assert_eq!(
            config(&["x"], &Environment::default()).region,
            RegionChoice::Unknown
        );
    }

    #[test]
    fn the_config_file_path_is_passed_on_for_messages() {
        let env = Environment {
            config_file: Some("/home/u/.config/reframe/config.toml".into()),
            ..Environment::default()
        };
        assert_eq!(
            config(&["x"], &env).config_file.as_deref(),
            Some(std::path::Path::new("/home/u/.config/reframe/config.toml"))
        );
    }

    #[test]
    fn options_before_a_command_and_after_it_are_put_together() {
        use super::RegionChoice;
        let env = Environment::default();
        let c = config(
            &[
                "--rules",
                "before",
                "--region",
                "uk",
                "session",
                "--rules",
                "after",
                "--no-builtin",
                "--region",
                "ie",
            ],
            &env,
        );
        assert_eq!(c.sources.paths, [PathBuf::from("before"), "after".into()]);
        assert!(!c.sources.builtin);
        assert_eq!(c.region, RegionChoice::Flag("ie".into()));
        assert!(config(&["--exit-code", "session"], &env).exit_code);
        assert!(config(&["session", "--exit-code"], &env).exit_code);
        let journal = |args: &[&str]| config(args, &env).journal;
        assert_eq!(journal(&["--journal", "j", "journal"]), Some("j".into()));
        assert_eq!(
            journal(&["--journal", "j", "journal", "show", "1", "--journal", "k"]),
            Some("k".into())
        );
        assert_eq!(
            config(&["--region", "au", "journal", "show", "1"], &env).region,
            RegionChoice::Flag("au".into())
        );
    }

    #[test]
    fn user_rules_come_before_rules_flags() {
        let env = Environment {
            user_rules: Some("/home/u/.config/reframe/rules".into()),
            ..Environment::default()
        };
        let c = config(&["--rules", "extra", "--no-builtin", "x"], &env);
        assert!(!c.sources.builtin);
        assert_eq!(
            c.sources.paths,
            [
                std::path::PathBuf::from("/home/u/.config/reframe/rules"),
                "extra".into()
            ]
        );
    }
}
