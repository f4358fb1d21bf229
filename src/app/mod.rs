//! The commands, each in its own file, dispatched from the resolved [`Config`].
//!
//! Commands return an [`ExitCode`] or an error; they never exit or print errors themselves
//! (warnings about single bad lines, which must not stop a batch, are the exception: see
//! [`warn`]).

mod analyse;
mod eval;
mod rules;

use anyhow::Context;
use reframe::{Engine, RuleSet, RuleSources};

use crate::config::{Config, Task};
use crate::exit_code::ExitCode;

/// Runs the task `config` describes.
pub fn run(config: &Config) -> anyhow::Result<ExitCode> {
    match &config.task {
        Task::OneShot { thought } => analyse::one_shot(config, &engine(&config.sources)?, thought),
        Task::Batch { inputs, summary } => {
            analyse::batch(config, &engine(&config.sources)?, inputs, *summary)
        }
        Task::NoInput => anyhow::bail!(
            "no thought given. Try `reframe \"I'll never be good enough\"`, or pipe thoughts in one per line, \
             or read them from a file with `reframe -f FILE`"
        ),
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
            rules::test(&engine(&sources)?)
        }
        Task::Eval { file, json } => eval::run(&engine(&config.sources)?, file, *json),
    }
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
