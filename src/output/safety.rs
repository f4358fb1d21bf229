//! How `reframe` answers crisis language: calmly, briefly, with help that can be reached now.
//!
//! The words are kept here, in one place, and used by every output format; the crisis lines come
//! from `crate::resources`.

use std::io::{self, Write};

use super::Palette;
use crate::analysis::SafetyFinding;
use crate::resources::{Line, Region};
use crate::rules::Category;

/// The first thing said, by category.
pub fn message(category: Category) -> &'static str {
    match category {
        Category::Suicide => {
            "What you wrote sounds serious, and you deserve support right now. You don't have to carry this alone."
        }
        Category::SelfHarm => {
            "What you wrote sounds serious, and you deserve care and support right now. You don't have to carry this alone."
        }
        Category::HarmFromOthers => {
            "What you wrote sounds like you may not be safe, and you deserve to be safe and supported right now."
        }
    }
}

/// The last thing said.
pub const URGENT: &str =
    "If you might act on these thoughts, or you are in danger, call the emergency number now.";

fn line_text(line: &Line) -> String {
    match &line.note {
        Some(note) => format!("{}: {} ({note})", line.name, line.contact),
        None => format!("{}: {}", line.name, line.contact),
    }
}

/// Writes the one-shot answer to crisis language.
pub fn write_answer(
    out: &mut dyn Write,
    safety: &SafetyFinding,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    write_crisis(out, safety.category, region, palette)
}

/// Writes the answer to crisis language of `category`: the message, the region's lines for it,
/// and what to do in danger.
fn write_crisis(
    out: &mut dyn Write,
    category: Category,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    writeln!(out, "{}", palette.heading.apply_to(message(category)))?;
    writeln!(out)?;
    writeln!(
        out,
        "Help is available now {}:",
        palette.dim.apply_to(format!(
            "({}; choose another place with --region)",
            region.name
        ))
    )?;
    for line in region.lines_for(category) {
        writeln!(out, "  - {}", line_text(line))?;
    }
    writeln!(out)?;
    writeln!(out, "{URGENT}")
}

/// Writes the lines under a batch row for a thought with crisis language.
pub fn write_row(
    out: &mut dyn Write,
    safety: &SafetyFinding,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    writeln!(
        out,
        "    {} {}",
        palette.name.apply_to("Crisis language"),
        palette.dim.apply_to(format!(
            "({}): this sounds serious; help is available now.",
            safety.category
        ))
    )?;
    let lines: Vec<String> = region.lines_for(safety.category).map(line_text).collect();
    writeln!(out, "    {}", lines.join(" | "))
}

/// The whole answer to crisis language of `category`, as one block of text: what the session
/// shows when an answer speaks of crisis.
pub fn crisis_text(category: Category, region: &Region, palette: &Palette) -> String {
    let mut out = Vec::new();
    write_crisis(&mut out, category, region, palette).expect("writing to memory cannot fail");
    String::from_utf8(out)
        .expect("the crisis text is UTF-8")
        .trim_end()
        .to_string()
}

/// The crisis lines as a session shows them, under its own first sentence: the region named
/// without telling the person to use a command-line flag, the lines for `category`, what to do in
/// danger, and `note` (where the region came from and how to change it), dimmed.
pub fn session_lines(category: Category, region: &Region, note: &str, palette: &Palette) -> String {
    let mut s = format!("Help is available now ({}):\n", region.name);
    for line in region.lines_for(category) {
        s.push_str(&format!("  - {}\n", line_text(line)));
    }
    s.push_str(&format!("\n{URGENT}"));
    if !note.is_empty() {
        s.push_str(&format!("\n\n{}", palette.dim.apply_to(note)));
    }
    s
}
