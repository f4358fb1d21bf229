//! `reframe rules list | show ID | test [PATH...]`.

use std::io::{self, Write};

use reframe::Engine;
use reframe::output::Palette;
use reframe::rules::{
    Expect, Kind, Origin, Scope, WORDS_FILE, WordLists, run_examples, run_neutral,
};

use crate::config::Config;
use crate::exit_code::ExitCode;

fn origin(origin: &Origin) -> String {
    match origin {
        Origin::BuiltIn(_) => "built-in".to_string(),
        Origin::File(path) => path.display().to_string(),
    }
}

/// Lists every active distortion.
pub fn list(engine: &Engine) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    let distortions = engine.rules().distortions();
    let id_width = distortions
        .iter()
        .map(|d| d.id.len())
        .max()
        .unwrap_or(0)
        .max(2);
    let name_width = distortions
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    writeln!(
        out,
        "{:<id_width$}  {:<name_width$}  {:>8}  SOURCE",
        "ID", "NAME", "PATTERNS"
    )?;
    for d in distortions {
        writeln!(
            out,
            "{:<id_width$}  {:<name_width$}  {:>8}  {}",
            d.id,
            d.name,
            d.patterns.len(),
            origin(&d.origin)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// What `rules show words` asks for: every word list rather than one distortion. (No distortion
/// can have this id: a file named `words.toml` holds word lists.)
pub const SHOW_WORDS: &str = "words";

/// Shows everything about one distortion, or with [`SHOW_WORDS`] every word list.
pub fn show(config: &Config, engine: &Engine, id: &str) -> anyhow::Result<ExitCode> {
    let p = Palette::new(config.color_stdout);
    let words = engine.rules().words();
    if id == SHOW_WORDS {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "{}",
            p.dim.apply_to(format!(
                "Word lists: an expression names one as {{name}}, and the loader puts `(?:word|word|...)` in its place. They are defined in {WORDS_FILE} files."
            ))
        )?;
        for list in words.iter() {
            writeln!(out)?;
            write_list(&mut out, &p, list)?;
        }
        out.flush()?;
        return Ok(ExitCode::Success);
    }
    let Some(d) = engine.rules().get(id) else {
        anyhow::bail!(
            "no active distortion has the id {id:?}; `reframe rules list` shows the ids, and `reframe rules show {SHOW_WORDS}` the word lists"
        );
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} {}",
        p.name.apply_to(&d.name),
        p.dim.apply_to(format!("({})", d.id))
    )?;
    writeln!(out, "{}", p.dim.apply_to(format!("from {}", d.origin)))?;
    writeln!(out)?;
    writeln!(out, "{}", d.summary)?;
    writeln!(out)?;
    writeln!(out, "{}", d.explanation)?;
    writeln!(out)?;
    if d.kind == Kind::Safety {
        writeln!(
            out,
            "{}",
            p.heading
                .apply_to("Never reframed: a match is answered with crisis resources.")
        )?;
    } else {
        writeln!(out, "{}", p.heading.apply_to("Reframes"))?;
        for r in &d.reframes {
            writeln!(out, "  - {}", r.source())?;
        }
        writeln!(out, "{}", p.heading.apply_to("Questions"))?;
        for q in &d.questions {
            writeln!(out, "  - {}", q.source())?;
        }
    }
    if !d.unless_sources.is_empty() {
        writeln!(
            out,
            "{}",
            p.heading.apply_to("Exceptions for every pattern")
        )?;
        for source in &d.unless_sources {
            writeln!(out, "  unless  {}", source.written)?;
        }
    }
    for pattern in &d.patterns {
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            p.heading.apply_to(format!("Pattern {}", pattern.id)),
            p.dim.apply_to(match (pattern.category, pattern.scope) {
                (Some(category), _) => format!(
                    "(line {}, category {category}, level {})",
                    pattern.line,
                    pattern.level.unwrap_or_default()
                ),
                (None, Scope::Thought) => format!("(line {}, across sentences)", pattern.line),
                (None, Scope::Sentence) => format!("(line {})", pattern.line),
            })
        )?;
        for source in &pattern.sources {
            writeln!(out, "  match   {}", source.written)?;
        }
        for source in &pattern.unless_sources {
            writeln!(out, "  unless  {}", source.written)?;
        }
        for r in &pattern.reframes {
            writeln!(out, "  reframe  {}", r.source())?;
        }
        for q in &pattern.questions {
            writeln!(out, "  question {}", q.source())?;
        }
        for e in &pattern.examples {
            let tag = match e.expect {
                Expect::Flag => "flags ",
                Expect::Allow => "allows",
            };
            writeln!(out, "  {tag}  {}", e.text)?;
        }
    }
    if !d.examples.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.heading.apply_to("Examples for the whole distortion")
        )?;
        for e in &d.examples {
            let tag = match e.expect {
                Expect::Flag => "flags ",
                Expect::Allow => "allows",
            };
            writeln!(out, "  {tag}  {}", e.text)?;
        }
    }
    let mut used = Vec::new();
    for source in sources_of(d) {
        words.used_by(&source.written, &mut used);
    }
    if !used.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.heading.apply_to("Word lists used"))?;
        for name in used {
            if let Some(list) = words.get(name) {
                write_list(&mut out, &p, list)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// Every `match` and `unless` expression of a distortion.
fn sources_of(d: &reframe::rules::Distortion) -> impl Iterator<Item = &reframe::rules::Source> {
    d.unless_sources.iter().chain(
        d.patterns
            .iter()
            .flat_map(|p| p.sources.iter().chain(&p.unless_sources)),
    )
}

/// One word list: its name, where it is defined, what its words have in common, and the words.
fn write_list(out: &mut dyn Write, p: &Palette, list: &reframe::rules::WordList) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}",
        p.name.apply_to(format!("{{{}}}", list.name)),
        p.dim.apply_to(format!(
            "({}, line {}): {}",
            list.origin, list.line, list.means
        ))
    )?;
    writeln!(out, "    {}", list.words.join(" | "))
}

/// The word lists that no expression of the active rules uses, directly or through another list,
/// among those `include` selects; each is a failure of `rules test`.
fn unused_lists<'a>(
    words: &'a WordLists,
    distortions: &'a [reframe::rules::Distortion],
    include: impl Fn(&reframe::rules::WordList) -> bool,
) -> Vec<&'a reframe::rules::WordList> {
    let mut used = Vec::new();
    for source in distortions.iter().flat_map(sources_of) {
        words.used_by(&source.written, &mut used);
    }
    words
        .iter()
        .filter(|list| include(list) && !used.contains(&list.name.as_str()))
        .collect()
}

/// Runs the rules' examples; exit 1 if any fails.
/// With `only_files`, only rule files read from disk are tested (the built-in safety rules are
/// always loaded, but `rules test PATH` is about the files given).
pub fn test(engine: &Engine, only_files: bool) -> anyhow::Result<ExitCode> {
    // Compile every expression up front, so one that only fails when compiled on its own (past
    // the size limit) is reported here rather than silently skipped while matching.
    engine.compile_all()?;
    let include =
        |d: &reframe::rules::Distortion| !only_files || matches!(d.origin, Origin::File(_));
    let (failures, count) = run_examples(engine, include);
    let tested: Vec<_> = engine
        .rules()
        .distortions()
        .iter()
        .filter(|d| include(d))
        .collect();
    // Neutral sentences a rule flags are reported but do not fail the run: they are a precision
    // warning for the author to read, not a broken promise like a failing example.
    let neutral = run_neutral(engine, include);
    // A list nobody uses is a mistake in the rules (a misspelt name in the file that meant it, or
    // a list left behind). The built-in lists count only when the built-in rules are tested.
    let builtin_tested = tested
        .iter()
        .any(|d| matches!(d.origin, Origin::BuiltIn(_)) && d.kind == Kind::Distortion);
    let unused = unused_lists(
        engine.rules().words(),
        engine.rules().distortions(),
        |list| builtin_tested || matches!(list.origin, Origin::File(_)),
    );
    let mut out = io::stdout().lock();
    for failure in &failures {
        writeln!(out, "FAIL {failure}")?;
    }
    for list in &unused {
        writeln!(
            out,
            "FAIL {}:{}: word list {{{}}} is not used by any rule; use it or remove it",
            list.origin, list.line, list.name
        )?;
    }
    for hit in &neutral {
        writeln!(
            out,
            "NEUTRAL distortion '{}', pattern '{}' flags a neutral sentence: {:?} (matched {:?})",
            hit.distortion, hit.pattern, hit.text, hit.matched
        )?;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "rules test: {}, {}, {}",
        plural(tested.len(), "rule file"),
        plural(tested.iter().map(|d| d.patterns.len()).sum(), "pattern"),
        plural(count, "example")
    )?;
    writeln!(
        out,
        "neutral corpus: {} flagged by these rules (sentences that should stay silent)",
        plural(neutral.len(), "finding")
    )?;
    writeln!(
        out,
        "{} passed, {} failed",
        count - failures.len(),
        failures.len()
    )?;
    out.flush()?;
    if !unused.is_empty() {
        writeln!(out, "{} not used", plural(unused.len(), "word list"))?;
    }
    out.flush()?;
    Ok(if failures.is_empty() && unused.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Found
    })
}
