//! The word lists rules may use (`{self}`, `{other}`, ...): read from `words.toml` files, checked,
//! and expanded into the expressions that name them (see `super::words` for the syntax).
//!
//! The built-in `rules/words.toml` is always loaded, even with `--no-builtin`, since a user's rule
//! file may use its lists. A `words.toml` in a user rule directory adds lists of its own; it may
//! not redefine one already defined, so a built-in rule always means what its file says.

use serde::Deserialize;
use toml::Spanned;

use super::distortion::is_valid_id;
use super::error::{Origin, RuleError, RuleErrorKind};
use super::words;

/// One named list of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordList {
    /// Its name, used as `{name}` in an expression.
    pub name: String,
    /// What the words have in common, in plain words.
    pub means: String,
    /// The words as written: each a piece of expression in the rules' dialect, often a plain word.
    pub words: Vec<String>,
    /// The alternation `{name}` expands to, with any list its words name already expanded.
    pub expanded: String,
    /// The file that defines it.
    pub origin: Origin,
    /// The 1-based line of its `[[list]]` table.
    pub line: usize,
}

/// Every word list loaded, in the order defined.
#[derive(Debug, Clone, Default)]
pub struct WordLists {
    lists: Vec<WordList>,
}

/// A `words.toml` file exactly as TOML spells it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, rename = "list")]
    lists: Vec<Spanned<RawList>>,
}

/// One `[[list]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    name: Option<Spanned<String>>,
    means: Option<String>,
    #[serde(default)]
    words: Vec<Spanned<String>>,
}

/// The id word-list errors carry in place of a distortion's (see [`RuleError`]'s `Display`).
pub const WORDS_ID: &str = "words";

impl WordLists {
    /// The list with this name.
    pub fn get(&self, name: &str) -> Option<&WordList> {
        self.lists.iter().find(|list| list.name == name)
    }

    /// Every list, in the order defined.
    pub fn iter(&self) -> impl Iterator<Item = &WordList> {
        self.lists.iter()
    }

    /// `source` with every `{name}` replaced by its list's alternation; the error names an unknown
    /// list, with the closest known name when one is close.
    pub fn expand<'s>(&self, source: &'s str) -> Result<std::borrow::Cow<'s, str>, RuleErrorKind> {
        words::expand(source, |name| self.get(name).map(|l| l.expanded.as_str()))
            .map_err(|name| self.unknown(&name))
    }

    fn unknown(&self, name: &str) -> RuleErrorKind {
        let closest = self
            .lists
            .iter()
            .map(|l| (strsim::osa_distance(name, &l.name), l.name.as_str()))
            .filter(|&(distance, _)| distance <= (name.len() / 3).max(1))
            .min();
        let hint = match closest {
            Some((_, known)) => format!(" (did you mean {{{known}}}?)"),
            None if self.lists.is_empty() => String::new(),
            None => format!(
                "; the lists are {}",
                self.lists
                    .iter()
                    .map(|l| format!("{{{}}}", l.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        RuleErrorKind::UnknownWordList {
            name: name.to_string(),
            hint,
        }
    }

    /// Reads the lists of one `words.toml` and adds them, after checking each: a valid name not
    /// defined before, a `means` line, at least one word, only lists defined above it named in
    /// its words, and an alternation that parses. Every problem is reported.
    pub fn add_file(&mut self, origin: &Origin, text: &str) -> Result<(), Vec<RuleError>> {
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let line_of = |offset: usize| newlines.partition_point(|&n| n < offset) + 1;
        let mut errors = Vec::new();
        let mut error = |line: Option<usize>, list: Option<&str>, kind| {
            errors.push(RuleError {
                origin: origin.clone(),
                line,
                distortion: WORDS_ID.to_string(),
                pattern: list.map(|name| format!("{{{name}}}")),
                kind,
            })
        };
        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|span| line_of(span.start));
                error(line, None, RuleErrorKind::Syntax(e.message().trim().into()));
                return Err(errors);
            }
        };
        for raw in raw.lists {
            let line = line_of(raw.span().start);
            let raw = raw.into_inner();
            let Some(name) = raw.name else {
                error(Some(line), None, RuleErrorKind::Missing("list.name"));
                continue;
            };
            let name = name.into_inner();
            if !is_valid_id(&name) || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                error(
                    Some(line),
                    None,
                    RuleErrorKind::Syntax(format!(
                        "list name {name:?} is not valid: use lower-case letters, digits and single hyphens, starting with a letter"
                    )),
                );
                continue;
            }
            if let Some(first) = self.get(&name) {
                let kind = RuleErrorKind::Syntax(format!(
                    "a list named {{{name}}} is already defined ({}:{}); give this one another name",
                    first.origin, first.line
                ));
                error(Some(line), Some(&name), kind);
                continue;
            }
            let means = raw.means.unwrap_or_default();
            if means.trim().is_empty() {
                error(
                    Some(line),
                    Some(&name),
                    RuleErrorKind::Missing("list.means"),
                );
            }
            if raw.words.is_empty() {
                error(
                    Some(line),
                    Some(&name),
                    RuleErrorKind::Missing("list.words"),
                );
                continue;
            }
            let mut expanded_words = Vec::with_capacity(raw.words.len());
            let mut written = Vec::with_capacity(raw.words.len());
            let mut bad = false;
            for word in raw.words {
                let at = line_of(word.span().start);
                let word = word.into_inner();
                if word.trim().is_empty() {
                    let kind = RuleErrorKind::Syntax("a word may not be empty".into());
                    error(Some(at), Some(&name), kind);
                    bad = true;
                    continue;
                }
                match self.expand(&word) {
                    Ok(expanded) => expanded_words.push(expanded.into_owned()),
                    Err(kind) => {
                        error(Some(at), Some(&name), kind);
                        bad = true;
                    }
                }
                written.push(word);
            }
            if bad {
                continue;
            }
            let expanded = words::alternation(&expanded_words);
            if let Err(message) = super::check_syntax(&expanded) {
                let kind = RuleErrorKind::BadRegex {
                    source_text: words::alternation(&written),
                    message,
                };
                error(Some(line), Some(&name), kind);
                continue;
            }
            self.lists.push(WordList {
                name,
                means,
                words: written,
                expanded,
                origin: origin.clone(),
                line,
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The names of the lists `source` uses, directly or through the words of another list, in
    /// the order first met.
    pub fn used_by<'a>(&'a self, source: &'a str, into: &mut Vec<&'a str>) {
        for (_, name) in words::references(source) {
            let Some(list) = self.get(name) else { continue };
            if into.contains(&list.name.as_str()) {
                continue;
            }
            into.push(&list.name);
            for word in &list.words {
                self.used_by(word, into);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<WordLists, Vec<RuleError>> {
        let mut lists = WordLists::default();
        lists.add_file(&Origin::BuiltIn("words.toml"), text)?;
        Ok(lists)
    }

    #[test]
    fn lists_expand_and_may_name_lists_defined_above_them() {
        let lists = load(
            r#"
[[list]]
name = "partner"
means = "someone one dates"
words = ["boyfriend", "girlfriend"]

[[list]]
name = "other"
means = "another person"
words = ['my\s+{partner}', "she"]
"#,
        )
        .unwrap();
        assert_eq!(
            lists.get("other").unwrap().expanded,
            r"(?:my\s+(?:boyfriend|girlfriend)|she)"
        );
        assert_eq!(lists.get("other").unwrap().line, 7);
        assert_eq!(
            lists.expand(r"\b{other}\b").unwrap(),
            r"\b(?:my\s+(?:boyfriend|girlfriend)|she)\b"
        );
        let mut used = Vec::new();
        lists.used_by("{other} and {other}", &mut used);
        assert_eq!(used, ["other", "partner"]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_list() {
        let errors = load(
            r#"
[[list]]
name = "self"
means = "me"
words = ["I", "me"]

[[list]]
name = "self"
means = "again"
words = ["myself"]

[[list]]
name = "later"
means = "uses a list below it"
words = ["{after}"]

[[list]]
name = "Bad Name"
means = "x"
words = ["x"]

[[list]]
name = "broken"
means = "an unclosed group"
words = ["(a"]

[[list]]
name = "empty"
means = "no words"
"#,
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(shown[0].contains(":7: word lists, list '{self}': a list named {self} is already defined (<built-in>/words.toml:2)"), "{}", shown[0]);
        assert!(
            shown[1].contains(":15: word lists, list '{later}': {after} names no word list"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].contains(":17: word lists: list name \"Bad Name\""),
            "{}",
            shown[2]
        );
        assert!(
            shown[3].contains(":22: word lists, list '{broken}': invalid regex"),
            "{}",
            shown[3]
        );
        assert!(
            shown[4].contains(":27: word lists, list '{empty}': `list.words` is required"),
            "{}",
            shown[4]
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let lists = load("[[list]]\nname = \"self\"\nmeans = \"me\"\nwords = [\"I\"]\n").unwrap();
        let message = lists.expand("{slef} x").unwrap_err().to_string();
        assert!(
            message.contains("{slef} names no word list (did you mean {self}?)"),
            "{message}"
        );
        let message = lists.expand("{zzzzzz}").unwrap_err().to_string();
        assert!(message.contains("the lists are {self}"), "{message}");
    }
}
