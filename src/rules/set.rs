//! The rule set: every active distortion, gathered from the built-in files and user directories.
//!
//! Precedence is simple and documented in `rules/README.md`: built-in files first, then each
//! directory in the order given; a file whose stem matches an id already loaded replaces it, and a
//! file with `disabled = true` removes it. Everything goes through the one parser and validator in
//! `distortion.rs`, built-in files included.

use std::path::{Path, PathBuf};

use super::builtin;
use super::distortion::{self, Distortion, Kind, Parsed};
use super::error::{Origin, RuleError, RuleErrorKind, RuleErrors};
use super::word_lists::WordLists;
use super::words::WORDS_FILE;

/// Why a rule set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A rule directory or file could not be listed or opened. The message names the path; the
    /// cause is the error's `source`, left out of the message so that a report of the whole
    /// chain (`{:#}` of an `anyhow` error, as `main` prints) says it once.
    #[error("cannot read rules from {}", path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// One or more rule files are invalid.
    #[error(transparent)]
    Rules(#[from] RuleErrors),
}

/// Where rules come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSources {
    /// Whether to start from the built-in rule set.
    pub builtin: bool,
    /// Rule directories or single rule files, in order of increasing precedence.
    pub paths: Vec<PathBuf>,
}

impl Default for RuleSources {
    fn default() -> Self {
        RuleSources {
            builtin: true,
            paths: Vec::new(),
        }
    }
}

/// The active distortions, ordered by id.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    distortions: Vec<Distortion>,
    words: WordLists,
}

impl RuleSet {
    /// The built-in rule set alone.
    pub fn builtin() -> Result<RuleSet, LoadError> {
        RuleSet::load(&RuleSources::default())
    }

    /// The built-in safety rules alone: no thinking traps, no user files.
    ///
    /// This is the crisis check that must still answer when the rules a person asked for cannot
    /// be loaded (a broken user rule file, say): it depends on nothing outside the binary.
    pub fn builtin_safety() -> Result<RuleSet, LoadError> {
        // Without `builtin`, loading keeps only the built-in safety files (they are never left
        // out), and with no paths nothing else is read.
        RuleSet::load(&RuleSources {
            builtin: false,
            paths: Vec::new(),
        })
    }

    /// The crisis check to fall back on when the rules `sources` names cannot all be loaded: the
    /// built-in safety rules, and each of the user's safety files (`safety-NAME.toml`) among
    /// `sources` that loads without error on its own. Every other file is left out, and so are
    /// safety files and directories that cannot be read or fail to validate: a person's own
    /// crisis words still count when an unrelated file of theirs is broken.
    ///
    /// Fails only if the built-in safety rules themselves do not load.
    pub fn load_safety(sources: &RuleSources) -> Result<RuleSet, LoadError> {
        let mut set = RuleSet::builtin_safety()?;
        for path in &sources.paths {
            if let Some(file) = words_file(path) {
                // A broken word-list file adds nothing: a safety file that needs one of its lists
                // then fails on its own below, and the built-in check still stands.
                let mut with_these = set.words.clone();
                if add_words_file(&mut with_these, &file).is_ok() {
                    set.words = with_these;
                }
            }
        }
        let files = sources
            .paths
            .iter()
            .filter_map(|path| rule_files(path).ok())
            .flatten();
        for file in files {
            let id = stem(&file);
            if Kind::of(&id) != Kind::Safety || id == super::SAFETY_ID {
                continue;
            }
            let parsed = parse_file(&file, &id, &set.words);
            if parsed.is_ok() {
                // A file that parsed adds no error.
                set.apply(&id, parsed, &mut Vec::new());
            }
        }
        Ok(set)
    }

    /// Loads the rules named by `sources`, applying overrides and `disabled` files.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, LoadError> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        // Word lists first: every rule file may use any of them. The built-in lists are loaded
        // even with `--no-builtin`, for the user's files.
        if let Err(mut found) = set
            .words
            .add_file(&Origin::BuiltIn(WORDS_FILE), builtin::WORDS)
        {
            errors.append(&mut found);
        }
        for path in &sources.paths {
            if let Some(file) = words_file(path)
                && let Err(mut found) = add_words_file(&mut set.words, &file)
            {
                errors.append(&mut found);
            }
        }
        {
            let words = &set.words;
            // Built-in safety rules are always loaded, even with `--no-builtin`.
            let files: Vec<(&'static str, &'static str)> = builtin::FILES
                .iter()
                .copied()
                .filter(|(name, _)| {
                    sources.builtin || Kind::of(name.trim_end_matches(".toml")) == Kind::Safety
                })
                .collect();
            // Parsing is a fifth of one-shot start-up; the two halves of the files are parsed on
            // two threads, then applied in order, so the result is the same as one by one.
            let parse = |files: &[(&'static str, &'static str)]| -> Vec<_> {
                files
                    .iter()
                    .map(|(name, text)| {
                        let id = name.trim_end_matches(".toml");
                        (
                            id,
                            distortion::parse(id, &Origin::BuiltIn(name), text, words),
                        )
                    })
                    .collect()
            };
            let (first, second) = files.split_at(files.len() / 2);
            let parsed = std::thread::scope(|scope| {
                // The pre-compiled automaton is decoded meanwhile (see `crate::prebuilt::part`).
                if sources.builtin {
                    scope.spawn(|| crate::prebuilt::part(0));
                    scope.spawn(|| crate::prebuilt::part(1));
                    scope.spawn(crate::prebuilt::exceptions);
                }
                let other = scope.spawn(|| parse(second));
                let mut parsed = parse(first);
                parsed.extend(other.join().expect("parsing built-in rules does not panic"));
                parsed
            });
            for (id, result) in parsed {
                set.apply(id, result, &mut errors);
            }
        }
        for path in &sources.paths {
            for file in rule_files(path)? {
                let id = stem(&file);
                if id == super::SAFETY_ID {
                    errors.push(RuleError {
                        origin: Origin::File(file),
                        line: None,
                        distortion: id,
                        pattern: None,
                        kind: RuleErrorKind::WrongKind(
                            "the built-in safety rules cannot be replaced; add patterns in a file named safety-NAME.toml".into(),
                        ),
                    });
                    continue;
                }
                let parsed = parse_file(&file, &id, &set.words);
                set.apply(&id, parsed, &mut errors);
            }
        }
        // A word-list file that did not load leaves every list it defines unknown; the rules
        // that name them add nothing to its own errors but noise.
        let words_broken = errors
            .iter()
            .any(|e| e.distortion == super::word_lists::WORDS_ID);
        if words_broken {
            errors.retain(|e| !matches!(e.kind, RuleErrorKind::UnknownWordList { .. }));
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(RuleErrors(errors).into())
        }
    }

    fn apply(
        &mut self,
        id: &str,
        parsed: Result<Parsed, Vec<RuleError>>,
        errors: &mut Vec<RuleError>,
    ) {
        let at = self.distortions.binary_search_by(|d| d.id.as_str().cmp(id));
        match (parsed, at) {
            (Err(mut found), _) => errors.append(&mut found),
            (Ok(Parsed::Active(d)), Ok(i)) => self.distortions[i] = *d,
            (Ok(Parsed::Active(d)), Err(i)) => self.distortions.insert(i, *d),
            (Ok(Parsed::Disabled), Ok(i)) => {
                self.distortions.remove(i);
            }
            (Ok(Parsed::Disabled), Err(_)) => {}
        }
    }

    /// The active distortions, ordered by id.
    pub fn distortions(&self) -> &[Distortion] {
        &self.distortions
    }

    /// The distortion with this id, if it is active.
    pub fn get(&self, id: &str) -> Option<&Distortion> {
        self.distortions
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.distortions[i])
    }

    /// The word lists the rules may name, built-in and the user's.
    pub fn words(&self) -> &WordLists {
        &self.words
    }

    /// The total number of patterns.
    pub fn pattern_count(&self) -> usize {
        self.distortions.iter().map(|d| d.patterns.len()).sum()
    }
}

/// The id of a user rule file: its name without `.toml`.
fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads and parses the user rule file `file`, whose id is `id`.
fn parse_file(file: &Path, id: &str, words: &WordLists) -> Result<Parsed, Vec<RuleError>> {
    let origin = Origin::File(file.to_path_buf());
    match std::fs::read_to_string(file) {
        Ok(text) => distortion::parse(id, &origin, &text, words),
        Err(error) => Err(vec![RuleError {
            origin,
            line: None,
            distortion: id.to_string(),
            pattern: None,
            kind: RuleErrorKind::Io(error.to_string()),
        }]),
    }
}

/// The word-list file `path` holds: `path` itself if it is named `words.toml`, or a directory's
/// `words.toml`.
fn words_file(path: &Path) -> Option<PathBuf> {
    if path.file_name().is_some_and(|name| name == WORDS_FILE) {
        return path.is_file().then(|| path.to_path_buf());
    }
    let inside = path.join(WORDS_FILE);
    inside.is_file().then_some(inside)
}

/// Reads the word-list file `file` and adds its lists to `words`.
fn add_words_file(words: &mut WordLists, file: &Path) -> Result<(), Vec<RuleError>> {
    let origin = Origin::File(file.to_path_buf());
    match std::fs::read_to_string(file) {
        Ok(text) => words.add_file(&origin, &text),
        Err(error) => Err(vec![RuleError {
            origin,
            line: None,
            distortion: super::word_lists::WORDS_ID.to_string(),
            pattern: None,
            kind: RuleErrorKind::Io(error.to_string()),
        }]),
    }
}

/// The `.toml` files in a directory, sorted by name; or the path itself if it is a file.
fn rule_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.metadata().map_err(io)?.is_file() {
        if path.file_name().is_some_and(|name| name == WORDS_FILE) {
            return Ok(Vec::new());
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry_path = entry.map_err(io)?.path();
        // `resources.toml` holds crisis lines (see `crate::resources`) and `words.toml` word
        // lists; neither is a rule.
        let is_resources = entry_path
            .file_name()
            .is_some_and(|name| name == "resources.toml" || name == WORDS_FILE);
        if entry_path.extension().is_some_and(|ext| ext == "toml")
            && entry_path.is_file()
            && !is_resources
        {
            files.push(entry_path);
        }
    }
    files.sort();
    Ok(files)
}
