//! The commands, each in its own file, dispatched from the resolved [`Config`].
//!
//! Commands return an [`ExitCode`] or an error; they never exit or print errors themselves
//! (warnings about single bad lines, which must not stop a batch, are the exception: see
//! [`warn`]). A command that analyses thoughts answers crisis language even when the rules or
//! settings it was asked for cannot be loaded, and only then fails: its [`Failure`] carries the
//! exit code that answer calls for.

mod analyse;
mod eval;
mod journal;
mod line_editor;
mod output_file;
mod review;
mod rules;
mod session;
mod trends;

use anyhow::Context;
use reframe::resources::{INTERNATIONAL, Region, Resources};
use reframe::{Engine, RuleSet, RuleSources};

use crate::config::{Config, RegionChoice, Task};
use crate::exit_code::ExitCode;
use analyse::Answer;

/// Why a command failed, and the code to exit with; `main` prints the error.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: anyhow::Error,
    /// [`ExitCode::Error`], or [`ExitCode::Crisis`] when crisis language was answered before the
    /// failure and `--exit-code` asks for it.
    pub code: ExitCode,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure {
            error,
            code: ExitCode::Error,
        }
    }
}

/// What is said of a thought given on the command line that is not valid UTF-8.
const NOT_UTF8: &str =
    "the thought given is not valid UTF-8; bytes that are not were read as Windows-1252";

/// Runs the task `config` describes.
pub fn run(config: &Config) -> Result<ExitCode, Failure> {
    match &config.task {
        Task::OneShot { thought, lossy } => {
            let setup = Setup::new(config)?;
            let mut code = analyse::one_shot(
                config,
                &setup.engine,
                &setup.region,
                thought,
                setup.answer(),
            )?;
            if *lossy {
                // As for a batch line that is not UTF-8: said after the answer, and exit code 2
                // unless crisis language calls for 3. Unlike such a line, the thought is answered
                // in full: it is the only one, and the person sees how it was read.
                warn(format_args!("{NOT_UTF8}, and answered as read"));
                if code != ExitCode::Crisis {
                    code = ExitCode::Error;
                }
            }
            setup.finish(code)
        }
        Task::Batch { inputs, summary } => {
            let setup = Setup::new(config)?;
            let code = analyse::batch(
                config,
                &setup.engine,
                &setup.region,
                inputs,
                *summary,
                setup.answer(),
            )?;
            setup.finish(code)
        }
        Task::Session {
            thought,
            lossy,
            save,
            resume,
            terminal,
            piped,
        } => {
            if *lossy {
                // Said first: the session then works with the thought as read, and shows it.
                warn(format_args!("{NOT_UTF8}; the session shows it as read"));
            }
            let mut setup = Setup::new(config)?;
            // A session also needs a terminal to ask on and a journal to save to.
            let journal = match (&setup.problem, terminal) {
                (Some(_), _) => None,
                (None, false) => Some(Err(session::needs_a_terminal())),
                (None, true) => Some(journal_path(config)),
            };
            match journal {
                Some(Ok(journal)) => Ok(session::run(
                    config,
                    &setup,
                    thought.as_deref(),
                    *save,
                    *resume,
                    &journal,
                )?),
                cannot => {
                    // No session, then; a thought given with it still gets its crisis answer
                    // first, worded as the session would word it.
                    if let Some(Err(problem)) = cannot {
                        setup.problem = Some(problem);
                    }
                    let code = match thought {
                        Some(thought) => session::answer_crisis_only(config, &setup, thought)?,
                        // Text piped into a session that cannot run may be a thought too.
                        None if *piped => session::answer_piped_crisis(config, &setup)?,
                        None => ExitCode::Success,
                    };
                    setup.finish(code)
                }
            }
        }
        Task::NoInput => plain(config, || {
            anyhow::bail!(
                "no thought given. Try `reframe \"I'll never be good enough\"`, or pipe thoughts in one per line, \
                 or read them from a file with `reframe -f FILE`"
            )
        }),
        Task::JournalList { last } => plain(config, || {
            journal::list(config, &journal_path(config)?, *last)
        }),
        // An entry stopped for safety shows its crisis lines: they come before a config error.
        Task::JournalShow(n) => {
            let code = journal::show(config, &journal_path(config)?, *n)?;
            config_file_read(config)?;
            Ok(code)
        }
        Task::JournalExport {
            format,
            output,
            force,
        } => plain(config, || {
            journal::export(&journal_path(config)?, *format, output.as_deref(), *force)
        }),
        Task::JournalStats => plain(config, || journal::stats(config, &journal_path(config)?)),
        Task::JournalReview { window, terminal } => plain(config, || {
            review::run(config, &journal_path(config)?, *window, *terminal)
        }),
        Task::RulesList => plain(config, || rules::list(&engine(&config.sources)?)),
        Task::RulesShow(id) => plain(config, || {
            rules::show(config, &engine(&config.sources)?, id)
        }),
        Task::RulesTest(paths) => plain(config, || {
            let sources = if paths.is_empty() {
                config.sources.clone()
            } else {
                RuleSources {
                    builtin: false,
                    paths: paths.clone(),
                }
            };
            rules::test(&engine(&sources)?, !paths.is_empty())
        }),
        // Made from the command line alone: a config file that cannot be read does not matter.
        Task::Completions(text) | Task::Man(text) => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(text)
                .and_then(|()| out.flush())
                .context("cannot write to standard output")?;
            Ok(ExitCode::Success)
        }
        Task::Eval {
            files,
            json,
            explain,
        } => plain(config, || {
            // Words that name no file may be a thought that starts with "eval" ("eval my work
            // too harshly"): they are answered as a command line refused for them would be.
            if files.len() > 1 && files.iter().all(|f| !f.exists()) {
                let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
                answer_refused_words(&args, &crate::config::Environment::read());
                let tip = crate::cli::as_a_thought(&args).map_or(String::new(), |words| {
                    format!(
                        "; to examine these words as a thought, put '--' before them: '{words}'"
                    )
                });
                anyhow::bail!("cannot read {}: no such file{tip}", files[0].display());
            }
            eval::run(
                &engine(&config.sources)?,
                files,
                config.max_line_bytes,
                *json,
                explain.as_deref(),
            )
        }),
    }
}

/// Runs a command that analyses no thoughts: it stops at an unreadable config file.
fn plain(
    config: &Config,
    command: impl FnOnce() -> anyhow::Result<ExitCode>,
) -> Result<ExitCode, Failure> {
    config_file_read(config)?;
    Ok(command()?)
}

/// Fails if the config file could not be read.
fn config_file_read(config: &Config) -> anyhow::Result<()> {
    match &config.config_error {
        Some(error) => anyhow::bail!("cannot read the config file {error}"),
        None => Ok(()),
    }
}

/// The region whose crisis resources to show.
fn region(config: &Config, resources: &Resources) -> anyhow::Result<Region> {
    let named = |id: &str, from: &str| {
        resources.region(id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = resources.regions().iter().map(|r| r.id.as_str()).collect();
            anyhow::anyhow!(
                "unknown region {id:?} {from}; use one of: {}",
                ids.join(", ")
            )
        })
    };
    Ok(match &config.region {
        RegionChoice::Flag(id) => named(id, "given with --region")?,
        RegionChoice::ConfigFile(id) => named(id, "in the config file")?,
        RegionChoice::Locale(locale) => resources
            .region_for_locale(locale)
            .unwrap_or_else(|| resources.international())
            .clone(),
        RegionChoice::Unknown => resources.international().clone(),
    })
}

/// The region whose crisis lines to show even when the one asked for is unknown: then the
/// international one, and the reason, which the command reports once the lines are shown.
fn region_or_international(
    config: &Config,
    resources: &Resources,
) -> (Region, Option<anyhow::Error>) {
    match region(config, resources) {
        Ok(region) => (region, None),
        Err(problem) => (resources.international().clone(), Some(problem)),
    }
}

/// Which place the crisis lines are for, where that choice came from, and how to change it later.
///
/// A person in a session may be at their lowest, so this names no command-line flag: the way to
/// change the place is the config file, at its real path. A place given on the command line is
/// said to be for this run only, since it comes before the config file.
fn region_note(config: &Config, region: &Region, resources: &Resources) -> String {
    let why = match &config.region {
        RegionChoice::Flag(_) => "chosen for this run only, when reframe was started".to_string(),
        RegionChoice::ConfigFile(_) => "set in your config file".to_string(),
        RegionChoice::Locale(locale) if region.id != INTERNATIONAL => {
            format!("from this computer's language setting ({locale})")
        }
        RegionChoice::Locale(locale) => format!(
            "since this computer's language setting ({locale}) names no place reframe has lines for"
        ),
        RegionChoice::Unknown => "since no place is known here".to_string(),
    };
    format!(
        "Place: {}, {why}. {}",
        region.name,
        how_to_change(config, region, resources)
    )
}

/// The note under the lines for any country, shown because the place asked for is unknown.
fn fallback_note(config: &Config, region: &Region, resources: &Resources) -> String {
    format!(
        "Place: {}, since the place asked for is not one reframe knows. {}",
        region.name,
        how_to_change(config, region, resources)
    )
}

/// How to choose another place for next time: the config file's line, and the places in
/// `resources`. When the place was given on the command line, which comes before the config file,
/// the line is offered for a lasting choice instead, with the place given as its example.
fn how_to_change(config: &Config, region: &Region, resources: &Resources) -> String {
    let file = config.config_file.as_ref().map_or_else(
        || "reframe's config file".to_string(),
        |path| path.display().to_string(),
    );
    let other = if region.id == "uk" { "us" } else { "uk" };
    let (what, example) = match &config.region {
        RegionChoice::Flag(_) if region.id != INTERNATIONAL => {
            ("For a lasting choice", region.id.as_str())
        }
        RegionChoice::Flag(_) => ("For a lasting choice", other),
        _ => ("To use another place's lines next time", other),
    };
    let places: Vec<&str> = resources.regions().iter().map(|r| r.id.as_str()).collect();
    format!(
        "{what}, put the line region = \"{example}\" in {file} (places: {}).",
        places.join(", ")
    )
}

/// The command that goes on with unfinished entry `number` (`""`: the last one) of the journal
/// at `path`: it names the journal unless it is the default one (as it was given, quoted for a
/// shell where needed), so that it works as printed.
pub(crate) fn resume_command(path: &std::path::Path, number: &str) -> String {
    let mut command = "reframe session --resume".to_string();
    if !number.is_empty() {
        command = format!("{command} {number}");
    }
    if reframe::journal::Journal::default_path().as_deref() == Some(path) {
        return command;
    }
    let path = path.display().to_string();
    // Quoted when it has more than letters, digits and `/._-~+`.
    let plain = path
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-~+".contains(c));
    match plain {
        true => format!("{command} --journal {path}"),
        false => format!("{command} --journal '{}'", path.replace('\'', r"'\''")),
    }
}

/// The journal file: `--journal`, or the default in the user's data directory.
fn journal_path(config: &Config) -> anyhow::Result<std::path::PathBuf> {
    config
        .journal
        .clone()
        .or_else(reframe::journal::Journal::default_path)
        .context("no data directory is known for the journal here; give one with --journal PATH")
}

/// What a command that analyses thoughts runs with.
struct Setup {
    engine: Engine,
    region: Region,
    /// The crisis resources `region` was chosen from, for notes that name the other places.
    resources: Resources,
    /// The region asked for is unknown, so `region` is the international one.
    region_fell_back: bool,
    /// Why the rules or settings asked for cannot be used. Then `engine` is the crisis check
    /// alone, and only crisis language is answered before this is reported.
    problem: Option<anyhow::Error>,
}

impl Setup {
    /// Loads what `config` asks for; when any of it fails, the crisis check alone instead (the
    /// built-in safety rules and the user's safety files that load, see
    /// [`RuleSet::load_safety`]), with the region asked for if that is known, else the
    /// international one. Fails only if the built-in crisis check itself cannot be built.
    fn new(config: &Config) -> anyhow::Result<Setup> {
        let resources = Resources::builtin();
        let (region, region_problem) = region_or_international(config, &resources);
        let region_fell_back = region_problem.is_some();
        let problem = match config_file_read(config).err().or(region_problem) {
            Some(problem) => problem,
            None => match engine(&config.sources) {
                Ok(engine) => {
                    return Ok(Setup {
                        engine,
                        region,
                        resources,
                        region_fell_back,
                        problem: None,
                    });
                }
                Err(problem) => problem,
            },
        };
        // The user's own safety files that load still count; if even they do not compile, the
        // built-in crisis check alone.
        let safety_engine =
            |rules: Result<RuleSet, _>| rules.ok().and_then(|r| Engine::new(r).ok());
        let Some(engine) = safety_engine(RuleSet::load_safety(&config.sources))
            .or_else(|| safety_engine(RuleSet::builtin_safety()))
        else {
            return Err(problem);
        };
        Ok(Setup {
            engine,
            region,
            resources,
            region_fell_back,
            problem: Some(problem),
        })
    }

    /// The note under a session's crisis lines: which place they are for, why, and how to
    /// choose another.
    fn region_note(&self, config: &Config) -> String {
        if self.region_fell_back {
            fallback_note(config, &self.region, &self.resources)
        } else {
            region_note(config, &self.region, &self.resources)
        }
    }

    /// Which thoughts to answer.
    fn answer(&self) -> Answer {
        match self.problem {
            None => Answer::All,
            Some(_) => Answer::CrisisOnly,
        }
    }

    /// The result of a command that ran with this setup and would exit with `code`: the problem,
    /// if there was one, now that crisis language has been answered; a crisis code (which only
    /// `--exit-code` gives) wins over the error's.
    fn finish(self, code: ExitCode) -> Result<ExitCode, Failure> {
        // The process ends next: freeing the compiled rules piece by piece only costs time (1.5%
        // of a one-shot run's instructions, measured with callgrind), so the memory is left to
        // the operating system.
        std::mem::forget(self.engine);
        match self.problem {
            None => Ok(code),
            Some(error) => Err(Failure {
                error,
                code: match code {
                    ExitCode::Crisis => ExitCode::Crisis,
                    _ => ExitCode::Error,
                },
            }),
        }
    }
}

/// Loads and compiles the rules.
fn engine(sources: &RuleSources) -> anyhow::Result<Engine> {
    let rules = RuleSet::load(sources)?;
    Engine::new(rules).context("cannot compile the rules")
}

/// Writes `text` and a line break for a person to read: on a terminal (`width` known), wrapped
/// between words, since the terminal's own wrapping splits them, even in the crisis lines; to a
/// file or a pipe, as it is.
fn write_prose(
    out: &mut impl std::io::Write,
    text: &str,
    width: Option<usize>,
) -> std::io::Result<()> {
    match width {
        Some(width) => writeln!(out, "{}", reframe::output::wrap::wrap(text, width)),
        None => writeln!(out, "{text}"),
    }
}

/// Answers crisis language, or a mention of suicide, in the words of a command line that could not
/// be parsed, on standard output and before the parse error: such words may be a thought that
/// begins with a command word ("help I want to die"), and no error may come before the crisis
/// lines. Only the built-in safety rules are used; the place is a `--region` on the line if it
/// names one reframe knows, else the locale's. Returns whether crisis language was answered.
pub fn answer_refused_words(
    args: &[std::ffi::OsString],
    environment: &crate::config::Environment,
) -> bool {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let text = words.join(" ");
    let Some(engine) = RuleSet::builtin_safety()
        .ok()
        .and_then(|rules| Engine::new(rules).ok())
    else {
        return false;
    };
    let analysis = engine.analyse(&text);
    if analysis.safety.is_none() && !analysis.mentions_suicide {
        return false;
    }
    let resources = Resources::builtin();
    // `--region X` or `--region=X` before any `--`.
    let flag = words
        .iter()
        .take_while(|w| *w != "--")
        .enumerate()
        .find_map(|(i, w)| match w.strip_prefix("--region") {
            Some("") => words.get(i + 1).cloned(),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        });
    // In the order every other answer takes: the flag, the config file, the locale.
    let region = flag
        .and_then(|id| resources.region(&id))
        .or_else(|| (environment.config_region.as_deref()).and_then(|id| resources.region(id)))
        .or_else(|| {
            (environment.locale.as_deref()).and_then(|locale| resources.region_for_locale(locale))
        })
        .unwrap_or_else(|| resources.international());
    let mut answer = Vec::new();
    let palette = reframe::output::Palette::new(false);
    if reframe::output::text::write_answer(&mut answer, &analysis, region, &palette).is_ok() {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&answer);
        let _ = writeln!(out);
        let _ = out.flush();
    }
    analysis.safety.is_some()
}

/// Reports a problem that does not stop the command, such as one unreadable line in a batch.
pub fn warn(message: std::fmt::Arguments) {
    note!("reframe: {message}");
}
