//! The command line as clap sees it. Nothing below `config.rs` sees these types: they are
//! resolved once into a [`crate::config::Config`].

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// The examples `--help` ends with, before the exit codes.
macro_rules! examples {
    () => {
        "Examples:
  reframe \"I'll never be good enough\"
  reframe -f thoughts.txt --format jsonl
  reframe rules list"
    };
}

/// The examples, for `-h` and the manual page.
pub const EXAMPLES: &str = examples!();

/// The exit codes each command's `--help` ends with, worded as the README's table says them at
/// more length (a test compares the two). A macro, so that they can be joined to the examples
/// with `concat!`.
macro_rules! exit_codes {
    (analyse) => {
        "Exit codes:
  0    success, whether or not anything was recognised
  1    with --exit-code: a thinking trap was recognised; for `rules test`: an example
       failed
  2    a usage error, unreadable input, invalid rules, an unknown region or an
       unreadable config file (crisis language is still answered first)
  3    with --exit-code: a thought had crisis language or a warning sign of it (this
       wins over 1 and 2)
  130  a session was interrupted (Ctrl-C, or the terminal closed)"
    };
    (session) => {
        "Exit codes:
  0    the session ended, saved or not
  2    a usage error, no terminal, invalid rules, an unknown region, an unreadable
       config file (crisis language in the thought given is still answered first), or
       no unfinished entry for --resume
  3    with --exit-code: the session could not start and the thought given had crisis
       language or a warning sign of it
  130  the session was interrupted (Ctrl-C, or the terminal closed); what was typed is
       kept unless --no-save"
    };
    (journal_review) => {
        "Exit codes:
  0    the review ended, with or without ratings
  2    a usage error, no terminal, a journal or config file that cannot be read, or a
       rating that could not be saved (those given before it are kept)
  130  the review was interrupted (Ctrl-C); the ratings given are kept"
    };
    (journal) => {
        "Exit codes:
  0    success (a line that cannot be read is skipped with a warning)
  2    a usage error, a journal or config file that cannot be read, no such entry, or
       an unknown region where `journal show` repeats crisis lines (it shows those for
       any country first)"
    };
    (rules) => {
        "Exit codes:
  0    success
  1    for `rules test`: an example failed
  2    a usage error, invalid rules, an unreadable config file, or no such distortion"
    };
    (rules_read) => {
        "Exit codes:
  0    success
  2    a usage error, invalid rules, an unreadable config file, or no such distortion"
    };
    (print) => {
        "Exit codes:
  0    success
  2    a usage error"
    };
    (eval) => {
        "Exit codes:
  0    success
  2    a usage error, a file that cannot be read, invalid rules, an unreadable config
       file, or an invalid row (reported and skipped; the others are still scored)"
    };
}

/// The exit codes of every command, for the manual page.
pub const EXIT_CODES: &str = exit_codes!(analyse);

/// Examine an upsetting thought the way cognitive behavioural therapy teaches: reframe names the
/// thinking trap in it, shows the words that set it off, and offers balanced thoughts and
/// questions to test it with.
///
/// It is not therapy and not a crisis service. If you are thinking about suicide or harming
/// yourself, call your local emergency number, or in the US call or text 988.
#[derive(Debug, Parser)]
#[command(
    name = "reframe",
    version,
    after_help = EXAMPLES,
    after_long_help = concat!(examples!(), "\n\n", exit_codes!(analyse)),
)]
pub struct Cli {
    /// The thought to examine; several words form one thought, so quotes are optional. Put `--`
    /// first if the thought starts with a word that is also a command, such as "rules".
    // Not `String`: a thought in another encoding must still reach the crisis check (see
    // `config::thought`), not stop at clap's "invalid UTF-8" error.
    #[arg(value_name = "THOUGHT", conflicts_with = "files")]
    pub thought: Vec<OsString>,

    /// Read thoughts from FILE, one per line ("-" is standard input). Repeatable. Without a
    /// thought or a file, thoughts are read from standard input when it is not a terminal.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// How to print the results.
    #[arg(long, value_enum, default_value_t = FormatArg::Text, value_name = "FORMAT")]
    pub format: FormatArg,

    /// After a batch, print how often each thinking trap appeared (on standard error when the
    /// format is json or jsonl, so standard output stays machine-readable).
    #[arg(long)]
    pub summary: bool,

    /// Skip a line of thoughts longer than N bytes (its line break not counted), after checking
    /// all of it for crisis language, and say so on standard error; the exit status is then 2.
    /// Also skips a row of an `eval` file that long. The default is 1 MiB.
    #[arg(
        long,
        value_name = "N",
        default_value_t = reframe::batch::MAX_LINE_BYTES,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
    )]
    pub max_line_bytes: usize,

    /// Exit with status 1 when a thinking trap was recognised, and 3 when any thought speaks of
    /// suicide, self-harm or danger, or shows a warning sign of them.
    #[arg(long)]
    pub exit_code: bool,

    /// Where the rules come from.
    #[command(flatten)]
    pub rules: RuleArgs,

    /// Where you are.
    #[command(flatten)]
    pub region: RegionArg,

    /// When to use colour.
    // The one option every command takes, so it is global.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN", global = true)]
    pub color: ColorArg,

    /// The journal file for `session` and `journal`.
    // Hidden, as it is not for analysing thoughts; still accepted before any command, as when it
    // was global, so `reframe --journal PATH journal` (say, from a shell alias) keeps working.
    #[arg(long, value_name = "PATH", hide = true)]
    pub journal: Option<PathBuf>,

    /// A command other than analysing thoughts.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the rules come from: for analysing thoughts, `session`, `rules` and `eval`.
#[derive(Debug, Default, Args)]
pub struct RuleArgs {
    /// Add a directory (or a single file) of rule files; a file whose name matches a loaded
    /// distortion's id replaces it. Repeatable; later ones win. Read after the user's config
    /// directory ($XDG_CONFIG_HOME/reframe/rules).
    #[arg(id = "rules", long = "rules", value_name = "DIR")]
    pub paths: Vec<PathBuf>,

    /// Leave the built-in rules out, using only user rules.
    #[arg(long)]
    pub no_builtin: bool,
}

/// Where you are: for every command that may show crisis lines.
#[derive(Debug, Default, Args)]
pub struct RegionArg {
    /// Where you are, for the crisis lines shown when a thought speaks of suicide, self-harm or
    /// danger: us, uk, ie, ca, au, eu or international. Without it: `region` in
    /// $XDG_CONFIG_HOME/reframe/config.toml, then the locale (LC_ALL, LANG), then international.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// The journal: for `session` and `journal`.
#[derive(Debug, Default, Args)]
pub struct JournalArg {
    /// The journal file. Without it: reframe/journal.jsonl in the user's data directory
    /// ($XDG_DATA_HOME, or ~/.local/share).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
}

/// Output formats for analysed thoughts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Readable text for a person.
    Text,
    /// One JSON document: {"version": 1, "thoughts": [...]}.
    Json,
    /// One JSON object per thought, one per line.
    Jsonl,
}

/// Output formats for an evaluation report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// An aligned table.
    Text,
    /// One JSON document.
    Json,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When writing to a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

/// Commands other than analysing thoughts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work through a thought step by step on the terminal: a guided thought record, saved to
    /// your private journal. `reframe` alone on a terminal does the same.
    #[command(after_long_help = exit_codes!(session))]
    Session {
        /// The thought to start with; several words form one thought.
        #[arg(value_name = "THOUGHT")]
        thought: Vec<OsString>,
        /// Keep nothing: no journal entry, not even a draft.
        #[arg(long)]
        no_save: bool,
        /// Go on with an unfinished journal entry, at the step where it stopped: entry N as
        /// `reframe journal list` numbers them, or without N the most recent unfinished entry
        /// that was not continued already. What you finish is added as a new entry that names
        /// the one it continues; the journal is only ever added to.
        #[arg(long, value_name = "N", num_args = 0..=1, conflicts_with = "thought")]
        resume: Option<Option<usize>>,
        /// Exit with status 3 when the session cannot start (no terminal, or the rules or
        /// settings did not load) and the thought given to it, or piped into it, speaks of
        /// suicide, self-harm or danger, or shows a warning sign of them.
        #[arg(long)]
        exit_code: bool,
        /// Where the rules come from.
        #[command(flatten)]
        rules: RuleArgs,
        /// Where you are.
        #[command(flatten)]
        region: RegionArg,
        /// The journal.
        #[command(flatten)]
        journal: JournalArg,
    },
    /// Look back at the journal: list, show, export, stats, and review (re-rate old thoughts).
    // Global within `journal`, so that they may also follow its own command:
    // `reframe journal show 1 --region uk`.
    #[command(
        mut_arg("journal", |a| a.global(true)),
        mut_arg("region", |a| a.global(true)),
        after_long_help = exit_codes!(journal)
    )]
    Journal {
        /// The journal.
        #[command(flatten)]
        journal: JournalArg,
        /// Where you are, for the crisis lines `journal show` gives again with an entry that
        /// stopped for safety.
        #[command(flatten)]
        region: RegionArg,
        /// What to do; `list` when left out.
        #[command(subcommand)]
        command: Option<JournalCommand>,
        /// Without a command: how many of the most recent entries to list (as `journal list -n
        /// N`); 0 lists them all.
        // Checked by hand against a command (`Cli::misplaced_count`): clap's
        // `args_conflicts_with_subcommands` also counts the global options, such as `--journal`
        // given before the command, as conflicts.
        #[arg(short = 'n', long, value_name = "N")]
        last: Option<usize>,
    },
    /// List, show and test the rules.
    // Global within `rules`, as in `journal`: `reframe rules list --rules DIR`.
    #[command(
        mut_arg("rules", |a| a.global(true)),
        mut_arg("no_builtin", |a| a.global(true)),
        after_long_help = exit_codes!(rules)
    )]
    Rules {
        /// Where the rules come from.
        #[command(flatten)]
        rules: RuleArgs,
        /// What to do with the rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Measure detection against a JSON Lines file of labelled thoughts.
    ///
    /// Each line is {"text": "...", "labels": ["distortion-id", ...]} to score distortions (an
    /// empty list means the thought shows none; scoring is strict multi-label), or
    /// {"text": "...", "crisis": true|false, "subtype": "..."} to score the crisis check (recall
    /// and false alarms per subtype), or both in one row.
    #[command(after_long_help = exit_codes!(eval))]
    Eval {
        /// The labelled files. With more than one, each is scored on its own, then all their
        /// rows together.
        #[arg(value_name = "FILE.jsonl", required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
        format: ReportFormatArg,
        /// Also list, per distortion (or only for ID), the false positives with the pattern and
        /// words that fired, and the missed rows with what was reported instead and how near the
        /// distortion's rules came; `--explain safety` lists only the crisis check's false alarms
        /// and misses.
        #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
        explain: Option<String>,
        /// Skip a row longer than N bytes, with a note on standard error; the exit status is
        /// then 2. The default is 1 MiB, or the value given before `eval`.
        #[arg(
            long,
            value_name = "N",
            value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
        )]
        max_line_bytes: Option<usize>,
        /// Where the rules come from.
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print a completion script for a shell, made from this command line.
    ///
    /// For bash: reframe completions bash > ~/.local/share/bash-completion/completions/reframe
    #[command(after_long_help = exit_codes!(print))]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum, value_name = "SHELL")]
        shell: ShellArg,
    },
    /// Print the manual page, in roff, as man reads it.
    ///
    /// To install it: reframe man > ~/.local/share/man/man1/reframe.1
    #[command(after_long_help = exit_codes!(print))]
    Man,
}

/// Shells a completion script can be made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// What to do with the journal.
#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// List recent entries: date, the thought's first words, patterns, change in belief.
    #[command(after_long_help = exit_codes!(journal))]
    List {
        /// How many of the most recent entries to list; 0 lists them all.
        #[arg(short = 'n', long, default_value_t = 20, value_name = "N")]
        last: usize,
    },
    /// Show one entry in full, by its number in `journal list`.
    #[command(after_long_help = exit_codes!(journal))]
    Show {
        /// The entry's number.
        number: usize,
    },
    /// Write every entry in another format.
    #[command(after_long_help = exit_codes!(journal))]
    Export {
        /// The format.
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Markdown, value_name = "FORMAT")]
        format: ExportFormatArg,
        /// Write to FILE instead of standard output. The file is created readable by you only,
        /// and is never the journal itself.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it already exists (without this, an existing file is left alone and
        /// the export refused).
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// How often each thinking trap appeared, week by week and with the situations it came
    /// with, and the average change in belief and feelings.
    #[command(after_long_help = exit_codes!(journal))]
    Stats,
    /// Look back at entries from a week or two ago, one at a time, and rate how much you believe
    /// each old thought now. Each rating is added to the journal as a line of its own.
    ///
    /// By default: finished entries from 5 to 14 days ago, oldest first, leaving out those you
    /// re-rated in the last 7 days. Needs a terminal.
    #[command(after_long_help = exit_codes!(journal_review))]
    Review {
        /// Every finished entry, whatever its age, even one re-rated in the last 7 days.
        #[arg(long, conflicts_with = "since")]
        all: bool,
        /// Finished entries started on DATE (YYYY-MM-DD, your local date) or later, however
        /// recent.
        #[arg(long, value_name = "DATE")]
        since: Option<jiff::civil::Date>,
    },
}

/// Export formats for the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// A readable document.
    Markdown,
    /// One row per entry.
    Csv,
    /// One JSON document.
    Json,
}

/// What to do with the rules.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every active distortion: id, name, number of patterns, and where it came from.
    #[command(after_long_help = exit_codes!(rules_read))]
    List,
    /// Show everything about one distortion, or `rules show words` for the word lists rules use.
    #[command(after_long_help = exit_codes!(rules_read))]
    Show {
        /// The distortion id, as `rules list` prints it; or `words`.
        id: String,
    },
    /// Run the examples rules carry as tests; exit 1 if any fails.
    #[command(after_long_help = exit_codes!(rules))]
    Test {
        /// Rule files or directories to test on their own; without any, the active rule set.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

impl Cli {
    /// The usage error clap cannot find by itself: `journal -n N` together with a command, where
    /// `-n` would mean nothing (or, with `list`, compete with its own `-n`).
    pub fn misplaced_count(&self) -> Option<clap::Error> {
        let Some(Command::Journal {
            command: Some(_),
            last: Some(_),
            ..
        }) = &self.command
        else {
            return None;
        };
        let mut command = Cli::command();
        // Built first, so the usage line names the program, `reframe journal`.
        command.build();
        let journal = command
            .find_subcommand_mut("journal")
            .expect("the journal command is defined");
        Some(journal.error(
            clap::error::ErrorKind::ArgumentConflict,
            "`-n` goes with `journal` alone, or after `journal list`",
        ))
    }
}

/// Adds a tip to `error`, clap's error for the command line `args`, when its words may be a
/// thought that starts with a command word: `reframe rules are stupid` is read as the `rules`
/// command, which has no `are`. The tip is the command line again with `--` before that word,
/// offered only when that reads as a thought. (Words after `session` are its thought, so they
/// never fail and never get here.)
pub fn with_thought_tip(mut error: clap::Error, args: &[OsString]) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use std::fmt::Write as _;

    let a_word_was_refused = match error.kind() {
        ErrorKind::InvalidSubcommand => true,
        // A stray option (`rules list --bogus`) is a slip with the command, not a thought.
        ErrorKind::UnknownArgument => matches!(
            error.get(ContextKind::InvalidArg),
            Some(ContextValue::String(arg)) if !arg.starts_with('-')
        ),
        _ => false,
    };
    let Some(suggested) = a_word_was_refused.then(|| as_a_thought(args)).flatten() else {
        return error;
    };
    // After clap's own tips (such as a similar command's name), not instead of them.
    let mut tips = match error.get(ContextKind::Suggested) {
        Some(ContextValue::StyledStrs(tips)) => tips.clone(),
        _ => Vec::new(),
    };
    let valid = Cli::command().get_styles().get_valid().to_owned();
    let mut tip = clap::builder::StyledStr::new();
    let _ = write!(
        tip,
        "to examine these words as a thought, put '--' before them: '{valid}{suggested}{valid:#}'"
    );
    tips.push(tip);
    error.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
    error
}

/// `args` as a command line with `--` before its first command word, when that makes it a
/// thought to analyse; `None` when it has no command word, or is not a thought even then.
pub fn as_a_thought(args: &[OsString]) -> Option<String> {
    let mut command = Cli::command();
    // Built, so that the `help` command clap adds is found too: "help me" is a thought.
    command.build();
    let is_command = |word: &OsString| {
        word.to_str()
            .is_some_and(|w| command.find_subcommand(w).is_some())
    };
    let at = 1 + args
        .iter()
        .skip(1)
        .take_while(|arg| arg.as_os_str() != "--")
        .position(is_command)?;
    let mut fixed = args.to_vec();
    fixed.insert(at, "--".into());
    let cli = Cli::try_parse_from(&fixed).ok()?;
    if cli.command.is_some() || cli.thought.is_empty() {
        return None;
    }
    let thought: Vec<_> = args[at..].iter().map(|w| w.to_string_lossy()).collect();
    let mut words = vec!["reframe".to_string()];
    words.extend(args[1..at].iter().map(|w| shell_word(&w.to_string_lossy())));
    words.push("--".into());
    words.push(double_quoted(&thought.join(" ")));
    Some(words.join(" "))
}

/// `word` as a shell reads it back: as it is when that is safe, else in double quotes.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        double_quoted(word)
    }
}

/// `text` in double quotes, with the characters a shell treats specially there escaped.
fn double_quoted(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::{Cli, double_quoted, shell_word};
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_suggested_command_line_quotes_what_a_shell_would_change() {
        assert_eq!(shell_word("--color"), "--color");
        assert_eq!(shell_word("my rules"), "\"my rules\"");
        assert_eq!(shell_word(""), "\"\"");
        assert_eq!(
            double_quoted(r#"I "should" pay $5 `now` \ ok"#),
            r#""I \"should\" pay \$5 \`now\` \\ ok""#
        );
    }
}
