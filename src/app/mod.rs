//! The commands, each in its own file, dispatched from the resolved [`Config`].
//!
//! Commands return an [`ExitCode`] or an error; they never exit or print errors themselves
//! (warnings about single bad lines, which must not stop a batch, are the exception: see
//! [`warn`]).

mod analyse;
mod eval;
mod journal;
mod rules;
mod session;

use anyhow::Context;
use reframe::resources::{Region, Resources};
use reframe::{Engine, RuleSet, RuleSources};

use crate::config::{Config, RegionChoice, Task};
use crate::exit_code::ExitCode;

/// Runs the task `config` describes.
pub fn run(config: &Config) -> anyhow::Result<ExitCode> {
    if let Some(error) = &config.config_error {
        anyhow::bail!("cannot read the config file {error}");
    }
    match &config.task {
        Task::OneShot { thought } => {
            let region = region(config, &Resources::builtin())?;
            analyse::one_shot(config, &engine(&config.sources)?, &region, thought)
        }
        Task::Batch { inputs, summary } => {
            let region = region(config, &Resources::builtin())?;
            analyse::batch(config, &engine(&config.sources)?, &region, inputs, *summary)
        }
        Task::NoInput => anyhow::bail!(
            "no thought given. Try `reframe \"I'll never be good enough\"`, or pipe thoughts in one per line, \
             or read them from a file with `reframe -f FILE`"
        ),
        Task::Session {
            thought,
            save,
            terminal,
        } => {
            let region = region(config, &Resources::builtin())?;
            session::run(
                config,
                &engine(&config.sources)?,
                &region,
                thought.as_deref(),
                *save,
                *terminal,
                &journal_path(config)?,
            )
        }
        Task::JournalList { last } => journal::list(config, &journal_path(config)?, *last),
        Task::JournalShow(n) => journal::show(config, &journal_path(config)?, *n),
        Task::JournalExport { format, output } => {
            journal::export(&journal_path(config)?, *format, output.as_ref())
        }
        Task::JournalStats => journal::stats(config, &journal_path(config)?),
        Task::RulesList => rules::list(&engine(&config.sources)?),
        Task::RulesShow(id) => rules::show(config, &engine(&config.sources)?, id),
        Task::RulesTest(paths) => {
            let sources = if paths.is_empty() {
                config.sources.clone()
            } else {
                RuleSources {
                    builtin: false,
                    paths: paths.clone(),
                }
            };
            rules::test(&engine(&sources)?, !paths.is_empty())
        }
        Task::Eval {
            file,
            json,
            explain,
        } => eval::run(&engine(&config.sources)?, file, *json, explain.as_deref()),
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

/// The journal file: `--journal`, or the default in the user's data directory.
fn journal_path(config: &Config) -> anyhow::Result<std::path::PathBuf> {
    config
        .journal
        .clone()
        .or_else(reframe::journal::Journal::default_path)
        .context("no data directory is known for the journal here; give one with --journal PATH")
}

/// Loads and compiles the rules.
fn engine(sources: &RuleSources) -> anyhow::Result<Engine> {
    let rules = RuleSet::load(sources)?;
    Engine::new(rules).context("cannot compile the rules")
}

/// Reports a problem that does not stop the command, such as one unreadable line in a batch.
pub fn warn(message: std::fmt::Arguments) {
    eprintln!("reframe: {message}");
}
