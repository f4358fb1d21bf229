//! A small program that uses the `reframe` library: analyse the thought given as arguments and
//! print each distortion with the words that triggered it and the first reframe.
//!
//! Crisis language comes first, as in the `reframe` command. A thought that speaks of suicide,
//! self-harm or danger (`analysis.safety`), or that names suicide or self-harm in other words
//! (`analysis.mentions_suicide`), is never reframed: its `findings` are empty, and it is answered
//! with crisis lines instead. A program built from this one must keep that branch; without it,
//! such a thought gets no answer at all.
//!
//! Run it with `cargo run --example analyse -- "Nobody ever picks me"`. The crisis lines are for
//! the country of the locale (`LC_ALL`, then `LANG`, such as `en_GB.UTF-8`), else for anywhere.

use std::error::Error;
use std::io::{self, Write};

use reframe::analysis::SafetyFinding;
use reframe::output::safety;
use reframe::resources::{Region, Resources};
use reframe::rules::{Category, Level};
use reframe::{Engine, RuleSet};

fn main() -> Result<(), Box<dyn Error>> {
    let thought = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let locale = ["LC_ALL", "LANG"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty());
    answer(&thought, locale.as_deref(), &mut io::stdout().lock())
}

/// Writes what the library recognises in `thought` to `out`: crisis lines for the country of
/// `locale` when the thought must not be reframed, otherwise each distortion and a reframe.
pub fn answer(
    thought: &str,
    locale: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Box<dyn Error>> {
    let engine = Engine::new(RuleSet::builtin()?)?;
    let analysis = engine.analyse(thought);
    let resources = Resources::builtin();
    let region = locale
        .and_then(|locale| resources.region_for_locale(locale))
        .unwrap_or_else(|| resources.international());
    if let Some(found) = &analysis.safety {
        return Ok(answer_crisis(found, region, out)?);
    }
    if analysis.mentions_suicide {
        writeln!(out, "{}\n", safety::MENTION)?;
        return Ok(write_lines(Category::Suicide, region, out)?);
    }
    if analysis.is_empty() {
        writeln!(out, "no thinking trap recognised")?;
    }
    for finding in &analysis.findings {
        let words: Vec<&str> = finding.matches.iter().map(|m| m.text).collect();
        writeln!(
            out,
            "{} ({}): {:?}",
            finding.distortion.name, finding.distortion.id, words
        )?;
        if let Some(reframe) = finding.reframes.first() {
            writeln!(out, "  try: {reframe}")?;
        }
    }
    Ok(())
}

/// Answers crisis language as the `reframe` command does: said plainly, the message, the lines
/// and what to do in danger; a warning sign, the lines first and then why they are shown.
fn answer_crisis(found: &SafetyFinding, region: &Region, out: &mut dyn Write) -> io::Result<()> {
    let message = safety::message_for(found.level, found.category);
    match found.level {
        Level::Crisis => {
            writeln!(out, "{message}\n")?;
            write_lines(found.category, region, out)?;
            writeln!(out, "\n{}", safety::URGENT)
        }
        Level::Concern => {
            write_lines(found.category, region, out)?;
            writeln!(out, "\n{message}")
        }
    }
}

/// The region's crisis lines for `category`.
fn write_lines(category: Category, region: &Region, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "Help is available now ({}):", region.name)?;
    for line in region.lines_for(category) {
        match &line.note {
            Some(note) => writeln!(out, "  - {}: {} ({note})", line.name, line.contact)?,
            None => writeln!(out, "  - {}: {}", line.name, line.contact)?,
        }
    }
    Ok(())
}
