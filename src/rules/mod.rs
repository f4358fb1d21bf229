//! Rule files: their format, loading, validation, and the examples they carry as tests.
//!
//! The format is documented for rule authors in `rules/README.md`. This module turns files into a
//! checked [`RuleSet`]; matching text against it is the engine's job (`crate::engine`).

mod builtin;
mod category;
mod distortion;
mod error;
mod example;
mod file;
mod level;
mod pattern;
mod selftest;
mod set;
mod syntax;
mod template;
mod word_lists;
mod words;

pub use category::Category;
pub use distortion::{Distortion, Kind, check_syntax};
pub use error::{Origin, RuleError, RuleErrorKind, RuleErrors};
pub use example::{Example, Expect};
pub use level::Level;
pub use pattern::{Build, Pattern, Scope, Source, compile};
pub use selftest::{ExampleFailure, NEUTRAL_CORPUS, NeutralHit, run_examples, run_neutral};
pub use set::{LoadError, RuleSet, RuleSources};
pub use syntax::prepare;
pub use template::Template;
pub use word_lists::{WordList, WordLists};
pub use words::WORDS_FILE;

/// The id of the built-in safety rule file (`safety.toml`), which users cannot replace; their own
/// safety files are named `safety-NAME.toml`. `reframe eval --explain` takes it too.
pub const SAFETY_ID: &str = "safety";

/// The ids of the built-in rule files, the safety file's included.
pub(crate) fn builtin_ids() -> impl Iterator<Item = &'static str> {
    builtin::FILES
        .iter()
        .filter_map(|(name, _)| name.strip_suffix(".toml"))
}
