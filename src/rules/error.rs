//! Errors in rule files.
//!
//! Every problem a rule author must fix is a [`RuleError`] that names the file, the line, the
//! distortion and, where there is one, the pattern. Loading collects all of them before giving up
//! ([`RuleErrors`]), so an author sees every mistake in one run instead of one per run.

use std::fmt;
use std::path::PathBuf;

/// Where a rule file came from: compiled into the binary, or read from disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// One of the files under `rules/` embedded in the binary at build time.
    BuiltIn(&'static str),
    /// A file read from a user rule directory, or named on the command line.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn(name) => write!(f, "<built-in>/{name}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// What is wrong with a rule file, without saying where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The TOML did not parse, or a field is unknown or of the wrong type.
    #[error("{0}")]
    Syntax(String),
    /// The file name does not make a valid distortion id.
    #[error(
        "the file name does not make a valid id ({0}): use lower-case letters, digits and single hyphens"
    )]
    BadFileId(String),
    /// A required field is missing or empty.
    #[error("`{0}` is required and must not be empty")]
    Missing(&'static str),
    /// A pattern id is not a valid id.
    #[error("pattern id {0:?} is not valid: use lower-case letters, digits and single hyphens")]
    BadPatternId(String),
    /// Two patterns in one file share an id.
    #[error("pattern id {id:?} is used twice (first on line {first_line})")]
    DuplicatePatternId {
        /// The repeated id.
        id: String,
        /// The line of the first use.
        first_line: usize,
    },
    /// A regular expression did not compile.
    #[error("invalid regex {source_text:?}: {message}")]
    BadRegex {
        /// The expression as written in the file.
        source_text: String,
        /// What the regex crate reported.
        message: String,
    },
    /// The expressions compile one by one but not together.
    #[error("the rule set is too large to compile as one automaton: {0}")]
    SetTooLarge(String),
    /// A field that belongs to the other kind of rule file.
    #[error("{0}")]
    WrongKind(String),
    /// A template names a capture group that does not exist.
    #[error(
        "{text:?} uses {{{name}}}, but not every `match` expression of the pattern has a group named {name:?}"
    )]
    UnknownCapture {
        /// The template.
        text: String,
        /// The capture name it uses.
        name: String,
    },
    /// A template is malformed, or uses a capture where there is none to use.
    #[error("{text:?}: {problem}")]
    BadTemplate {
        /// The template.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
    /// An expression names a word list that is not defined.
    #[error("{{{name}}} names no word list{hint}; lists are defined in words.toml")]
    UnknownWordList {
        /// The name used.
        name: String,
        /// The closest list's name, or every list's, as words to add to the message.
        hint: String,
    },
    /// An example's span markers are malformed.
    #[error("example {text:?}: {problem}")]
    BadExample {
        /// The example as written.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// One problem in one rule file, with everything needed to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file.
    pub origin: Origin,
    /// The 1-based line the problem is on, when it can be pinned to one.
    pub line: Option<usize>,
    /// The distortion id (the file stem); for a word-list file, `words`.
    pub distortion: String,
    /// The pattern id, when the problem lies inside a pattern.
    pub pattern: Option<String>,
    /// What is wrong.
    pub kind: RuleErrorKind,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        // A word-list file's errors name the list where a rule file's name the pattern.
        let (what, part) = if self.distortion == super::word_lists::WORDS_ID {
            ("word lists".to_string(), "list")
        } else {
            (format!("distortion '{}'", self.distortion), "pattern")
        };
        write!(f, ": {what}")?;
        if let Some(pattern) = &self.pattern {
            write!(f, ", {part} '{pattern}'")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for RuleError {}

/// Every problem found while loading a set of rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in the rule files",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.0 {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}
