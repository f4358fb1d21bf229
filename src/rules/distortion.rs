//! A checked distortion: one rule file turned into what the engine runs on.
//!
//! Parsing and validation happen together here so that every error can point at the line it comes
//! from. All problems in a file are collected rather than stopping at the first.

use std::ops::Range;

use toml::Spanned;

use super::category::Category;
use super::error::{Origin, RuleError, RuleErrorKind};
use super::example::{Example, Expect};
use super::file::{RawDistortion, RawPattern};
use super::level::Level;
use super::pattern::{Pattern, Scope, Source};
use super::template::Template;
use super::word_lists::WordLists;

/// Which kind of rule file a file is, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A thinking trap: recognised, then reframed.
    Distortion,
    /// Crisis language (`safety.toml`, `safety-*.toml`): answered with crisis resources, never
    /// reframed; cannot be disabled or replaced.
    Safety,
}

impl Kind {
    /// The kind of the rule file with this id.
    pub fn of(id: &str) -> Kind {
        if id == super::SAFETY_ID
            || id
                .strip_prefix(super::SAFETY_ID)
                .is_some_and(|rest| rest.starts_with('-'))
        {
            Kind::Safety
        } else {
            Kind::Distortion
        }
    }
}

/// One thinking trap, with the patterns that recognise it and what to offer when they do; or,
/// for [`Kind::Safety`], crisis language.
#[derive(Debug, Clone)]
pub struct Distortion {
    /// Which kind of rule file this is.
    pub kind: Kind,
    /// The stable id: the rule file's stem, such as `all-or-nothing`.
    pub id: String,
    /// The name in plain words, such as "All-or-nothing thinking".
    pub name: String,
    /// One line saying what the pattern is.
    pub summary: String,
    /// A short explanation of the pattern and why it hurts.
    pub explanation: String,
    /// Balanced thoughts the person could adopt, in the first person.
    pub reframes: Vec<Template>,
    /// Questions that help the person test the thought, in the second person.
    pub questions: Vec<Template>,
    /// Exceptions that apply to every pattern of the distortion.
    pub unless_sources: Vec<Source>,
    /// The patterns, in file order.
    pub patterns: Vec<Pattern>,
    /// Examples for the distortion as a whole (any of its patterns may flag them).
    pub examples: Vec<Example>,
    /// Where the file came from.
    pub origin: Origin,
}

/// What a rule file says, once checked.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A distortion to use.
    Active(Box<Distortion>),
    /// `disabled = true`: switch off the distortion with this id.
    Disabled,
}

/// Whether `id` is lower-case words joined by single hyphens.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Collects errors for one file, knowing how to turn byte offsets into line numbers.
struct Checker<'a> {
    /// Byte offsets of every `\n` in `text`.
    newlines: Vec<usize>,
    origin: &'a Origin,
    id: &'a str,
    words: &'a WordLists,
    errors: Vec<RuleError>,
}

impl Checker<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        // Lines are looked up for every value in the file, so they come from an index of line
        // starts rather than a count from the start of the file each time (which made loading
        // quadratic in the file's size).
        self.newlines.partition_point(|&at| at < span.start) + 1
    }

    fn error(&mut self, line: Option<usize>, pattern: Option<&str>, kind: RuleErrorKind) {
        self.errors.push(RuleError {
            origin: self.origin.clone(),
            line,
            distortion: self.id.to_string(),
            pattern: pattern.map(str::to_string),
            kind,
        });
    }

    fn required(
        &mut self,
        value: Option<Spanned<String>>,
        field: &'static str,
        whole: Range<usize>,
    ) -> String {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => v.into_inner().trim().to_string(),
            Some(v) => {
                let line = self.line(v.span());
                self.error(Some(line), None, RuleErrorKind::Missing(field));
                String::new()
            }
            None => {
                let line = self.line(whole);
                self.error(Some(line), None, RuleErrorKind::Missing(field));
                String::new()
            }
        }
    }

    /// Parses templates; `captures` lists the names they may use (none at distortion level).
    fn templates(
        &mut self,
        items: Vec<Spanned<String>>,
        pattern: Option<&str>,
        captures: &[Vec<String>],
    ) -> Vec<Template> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let line = self.line(item.span());
            let text = item.into_inner();
            match Template::parse(&text) {
                Ok(template) => {
                    let unknown = template
                        .captures()
                        .find(|name| {
                            captures.is_empty()
                                || !captures.iter().all(|set| set.iter().any(|c| c == name))
                        })
                        .map(str::to_string);
                    match (unknown, pattern) {
                        (None, _) => out.push(template),
                        (Some(name), Some(_)) => {
                            self.error(Some(line), pattern, RuleErrorKind::UnknownCapture { text, name })
                        }
                        (Some(name), None) => self.error(
                            Some(line),
                            None,
                            RuleErrorKind::BadTemplate {
                                text,
                                problem: format!(
                                    "uses {{{name}}}, but only pattern-level reframes and questions can use captures"
                                ),
                            },
                        ),
                    }
                }
                Err(problem) => self.error(
                    Some(line),
                    pattern,
                    RuleErrorKind::BadTemplate { text, problem },
                ),
            }
        }
        out
    }

    /// Parses templates whose captures were verified when the binary was built.
    fn templates_unchecked(&mut self, items: Vec<Spanned<String>>, pattern: &str) -> Vec<Template> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let line = self.line(item.span());
            let text = item.into_inner();
            match Template::parse(&text) {
                Ok(template) => out.push(template),
                Err(problem) => self.error(
                    Some(line),
                    Some(pattern),
                    RuleErrorKind::BadTemplate { text, problem },
                ),
            }
        }
        out
    }

    fn examples(
        &mut self,
        flag: Vec<Spanned<String>>,
        allow: Vec<Spanned<String>>,
        pattern: Option<&str>,
    ) -> Vec<Example> {
        let mut out = Vec::with_capacity(flag.len() + allow.len());
        let tagged = flag
            .into_iter()
            .map(|e| (e, Expect::Flag))
            .chain(allow.into_iter().map(|e| (e, Expect::Allow)));
        for (item, expect) in tagged {
            let line = self.line(item.span());
            match Example::parse(item.get_ref(), expect, line) {
                Ok(example) => out.push(example),
                Err(problem) => self.error(
                    Some(line),
                    pattern,
                    RuleErrorKind::BadExample {
                        text: item.into_inner(),
                        problem,
                    },
                ),
            }
        }
        out
    }

    /// Checks `unless` expressions in full: they are short, and an error must not wait until a
    /// sentence happens to need one.
    fn exceptions(&mut self, items: Vec<Spanned<String>>, pattern: Option<&str>) -> Vec<Source> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let line = self.line(item.span());
            let Some(source) = self.source(line, item.into_inner(), pattern) else {
                continue;
            };
            // Built-in exceptions were verified by build.rs; re-parsing them was a sixth of a
            // one-shot run's instructions.
            let verified =
                matches!(self.origin, Origin::BuiltIn(_)) && crate::prebuilt::EXCEPTIONS_CHECKED;
            match if verified {
                Ok(())
            } else {
                check_syntax(&source.text)
            } {
                Ok(()) => out.push(source),
                Err(message) => self.error(
                    Some(source.line),
                    pattern,
                    RuleErrorKind::BadRegex {
                        source_text: source.written,
                        message,
                    },
                ),
            }
        }
        out
    }

    /// An expression written on `line`, with its word lists expanded; `None` (and an error) if it
    /// names a list that does not exist.
    fn source(&mut self, line: usize, written: String, pattern: Option<&str>) -> Option<Source> {
        match self.words.expand(&written) {
            Ok(text) => Some(Source {
                text: text.into_owned(),
                written,
                line,
            }),
            Err(kind) => {
                self.error(Some(line), pattern, kind);
                None
            }
        }
    }

    /// Reads a pattern field that only safety rule files may set (`category`, `level`).
    ///
    /// In a safety file the value is read with `parse`, whose error says which values to use;
    /// left out, the field is `absent`, and when there is no such default, missing. In any other
    /// file, setting it is an error. `None` after an error, and for a distortion that rightly
    /// leaves the field out. `pattern` and `line` say which pattern, for the errors.
    fn safety_only<T>(
        &mut self,
        field: &'static str,
        value: Option<Spanned<String>>,
        (pattern, line): (&str, usize),
        parse: impl FnOnce(&str) -> Result<T, String>,
        absent: Option<T>,
    ) -> Option<T> {
        let safety = Kind::of(self.id) == Kind::Safety;
        let Some(value) = value else {
            if safety && absent.is_none() {
                self.error(Some(line), Some(pattern), RuleErrorKind::Missing(field));
            }
            return absent.filter(|_| safety);
        };
        let at = self.line(value.span());
        let problem = if safety {
            match parse(value.get_ref()) {
                Ok(parsed) => return Some(parsed),
                Err(known) => format!("unknown {field} {:?}; {known}", value.get_ref()),
            }
        } else {
            format!("`{field}` belongs only in safety rule files (safety.toml, safety-*.toml)")
        };
        self.error(Some(at), Some(pattern), RuleErrorKind::WrongKind(problem));
        None
    }

    fn pattern(&mut self, raw: Spanned<RawPattern>) -> Option<Pattern> {
        let line = self.line(raw.span());
        let raw = raw.into_inner();
        let id = match raw.id {
            Some(id) if is_valid_id(id.get_ref()) => id.into_inner(),
            Some(id) => {
                let at = self.line(id.span());
                self.error(
                    Some(at),
                    Some(id.get_ref()),
                    RuleErrorKind::BadPatternId(id.get_ref().clone()),
                );
                return None;
            }
            None => {
                self.error(Some(line), None, RuleErrorKind::Missing("pattern.id"));
                return None;
            }
        };
        let before = self.errors.len();
        let kind = Kind::of(self.id);
        let category = self.safety_only(
            "category",
            raw.category,
            (&id, line),
            |name| {
                Category::parse(name).ok_or_else(|| {
                    let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                    format!("use one of {}", known.join(", "))
                })
            },
            None,
        );
        let level = self.safety_only(
            "level",
            raw.level,
            (&id, line),
            |name| {
                Level::parse(name)
                    .ok_or_else(|| "use \"crisis\" (the default) or \"concern\"".to_string())
            },
            Some(Level::Crisis),
        );
        if kind == Kind::Safety && (!raw.reframes.is_empty() || !raw.questions.is_empty()) {
            self.error(
                Some(line),
                Some(&id),
                RuleErrorKind::WrongKind(
                    "safety patterns are never reframed: remove `reframes` and `questions`".into(),
                ),
            );
        }
        let scope = match raw.scope {
            None => Scope::Sentence,
            Some(name) => Scope::parse(name.get_ref()).unwrap_or_else(|| {
                let at = self.line(name.span());
                self.error(
                    Some(at),
                    Some(&id),
                    RuleErrorKind::Syntax(format!(
                        "unknown scope {:?}; use \"sentence\" (the default) or \"thought\"",
                        name.get_ref()
                    )),
                );
                Scope::Sentence
            }),
        };
        if raw.regexes.is_empty() {
            self.error(Some(line), Some(&id), RuleErrorKind::Missing("match"));
        }
        let mut sources: Vec<Source> = Vec::with_capacity(raw.regexes.len());
        for item in raw.regexes {
            let line = self.line(item.span());
            sources.extend(self.source(line, item.into_inner(), Some(&id)));
        }
        let unless_sources = self.exceptions(raw.unless, Some(&id));
        let templated = !raw.reframes.is_empty() || !raw.questions.is_empty();
        // build.rs verified the built-in templates' captures; parsing every expression's syntax
        // tree again was a tenth of a one-shot run.
        let verified =
            matches!(self.origin, Origin::BuiltIn(_)) && crate::prebuilt::TEMPLATES_CHECKED;
        let (reframes, questions) = if templated && verified {
            (
                self.templates_unchecked(raw.reframes, &id),
                self.templates_unchecked(raw.questions, &id),
            )
        } else if templated {
            // Capture names come from each expression's syntax tree, read only for patterns that
            // have templates; a syntax error found here is reported like any other.
            let mut captures = Vec::with_capacity(sources.len());
            for source in &sources {
                match capture_names(source) {
                    Ok(names) => captures.push(names),
                    Err(kind) => self.error(Some(source.line), Some(&id), kind),
                }
            }
            if captures.len() == sources.len() && !captures.is_empty() {
                (
                    self.templates(raw.reframes, Some(&id), &captures),
                    self.templates(raw.questions, Some(&id), &captures),
                )
            } else {
                (Vec::new(), Vec::new())
            }
        } else {
            (Vec::new(), Vec::new())
        };
        let examples = self.examples(raw.flag, raw.allow, Some(&id));
        if self.errors.len() != before {
            for source in &sources {
                if let Err(message) = check_syntax(&source.text)
                    && !self.errors.iter().any(|e| e.line == Some(source.line))
                {
                    self.error(
                        Some(source.line),
                        Some(&id),
                        RuleErrorKind::BadRegex {
                            source_text: source.written.clone(),
                            message,
                        },
                    );
                }
            }
            return None;
        }
        Some(Pattern {
            id,
            line,
            sources,
            unless_sources,
            reframes,
            questions,
            examples,
            category,
            level,
            scope,
        })
    }
}

/// The byte offsets of the line breaks in `text`.
fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// Checks that an expression parses and translates, without compiling it.
pub fn check_syntax(source: &str) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(&super::syntax::prepare(source))
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// The names of an expression's capture groups, read from its syntax tree.
fn capture_names(source: &Source) -> Result<Vec<String>, RuleErrorKind> {
    crate::group_names::group_names(&super::syntax::prepare(&source.text)).map_err(|message| {
        RuleErrorKind::BadRegex {
            source_text: source.written.clone(),
            message,
        }
    })
}

/// Parses and checks one rule file. `id` is the file stem; `words` are the word lists its
/// expressions may name.
pub fn parse(
    id: &str,
    origin: &Origin,
    text: &str,
    words: &WordLists,
) -> Result<Parsed, Vec<RuleError>> {
    let mut checker = Checker {
        newlines: newline_offsets(text),
        origin,
        id,
        words,
        errors: Vec::new(),
    };
    if !is_valid_id(id) {
        checker.error(None, None, RuleErrorKind::BadFileId(id.to_string()));
        return Err(checker.errors);
    }
    let raw: RawDistortion = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let line = error.span().map(|span| checker.line(span));
            checker.error(
                line,
                None,
                RuleErrorKind::Syntax(error.message().trim().to_string()),
            );
            return Err(checker.errors);
        }
    };
    let kind = Kind::of(id);
    if raw.disabled {
        if kind == Kind::Safety {
            checker.error(
                None,
                None,
                RuleErrorKind::WrongKind("safety rules cannot be disabled".into()),
            );
            return Err(checker.errors);
        }
        return Ok(Parsed::Disabled);
    }
    let whole = 0..0;
    let name = checker.required(raw.name, "name", whole.clone());
    let summary = checker.required(raw.summary, "summary", whole.clone());
    let explanation = checker.required(raw.explanation, "explanation", whole.clone());
    match kind {
        Kind::Distortion => {
            if raw.reframes.is_empty() {
                checker.error(Some(1), None, RuleErrorKind::Missing("reframes"));
            }
            if raw.questions.is_empty() {
                checker.error(Some(1), None, RuleErrorKind::Missing("questions"));
            }
        }
        Kind::Safety => {
            if !raw.reframes.is_empty() || !raw.questions.is_empty() {
                checker.error(
                    Some(1),
                    None,
                    RuleErrorKind::WrongKind(
                        "safety rules are never reframed: remove `reframes` and `questions`".into(),
                    ),
                );
            }
        }
    }
    if raw.patterns.is_empty() {
        checker.error(Some(1), None, RuleErrorKind::Missing("pattern"));
    }
    let reframes = checker.templates(raw.reframes, None, &[]);
    let questions = checker.templates(raw.questions, None, &[]);
    let examples = checker.examples(raw.flag, raw.allow, None);
    let unless_sources = checker.exceptions(raw.unless, None);
    let mut patterns: Vec<Pattern> = Vec::with_capacity(raw.patterns.len());
    // Ids seen so far with their lines, including those of patterns that failed other checks, so
    // a repeated id is reported whatever else is wrong with the first one.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for raw_pattern in raw.patterns {
        if let Some(id) = &raw_pattern.get_ref().id {
            let line = checker.line(id.span());
            let pattern_id = id.get_ref().clone();
            if let Some((_, first_line)) = seen.iter().find(|(seen_id, _)| *seen_id == pattern_id) {
                let first_line = *first_line;
                checker.error(
                    Some(line),
                    Some(&pattern_id),
                    RuleErrorKind::DuplicatePatternId {
                        id: pattern_id.clone(),
                        first_line,
                    },
                );
                continue;
            }
            seen.push((pattern_id, line));
        }
        if let Some(pattern) = checker.pattern(raw_pattern) {
            patterns.push(pattern);
        }
    }
    if !checker.errors.is_empty() {
        // `match` expressions are otherwise checked when the engine compiles them all at once;
        // a file that already has problems is not compiled, so check them here to report every
        // problem in one run.
        for pattern in &patterns {
            for source in &pattern.sources {
                if let Err(message) = check_syntax(&source.text) {
                    checker.error(
                        Some(source.line),
                        Some(&pattern.id),
                        RuleErrorKind::BadRegex {
                            source_text: source.written.clone(),
                            message,
                        },
                    );
                }
            }
        }
        checker.errors.sort_by_key(|e| e.line);
        return Err(checker.errors);
    }
    Ok(Parsed::Active(Box::new(Distortion {
        kind,
        id: id.to_string(),
        name,
        summary,
        explanation,
        reframes,
        questions,
        unless_sources,
        patterns,
        examples,
        origin: origin.clone(),
    })))
}
