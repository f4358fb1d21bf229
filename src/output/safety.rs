//! How `reframe` answers crisis language: calmly, briefly, with help that can be reached now.
//!
//! The words are kept here, in one place, and used by every output format; the crisis lines come
//! from `crate::resources`. Words that say it plainly ([`Level::Crisis`]) get a message first and
//! the lines after it; a warning sign ([`Level::Concern`]) gets the lines first and then a gentle
//! word on why they are there.

use std::io::{self, Write};

use super::Palette;
use crate::analysis::SafetyFinding;
use crate::resources::{Line, Region};
use crate::rules::{Category, Level};

/// The first thing said to crisis language, by category.
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

/// What is said under the crisis lines for a warning sign, by category: why they are shown, that
/// nothing will be reframed, and that the lines are there if it is worse than it sounds.
pub fn concern_message(category: Category) -> &'static str {
    match category {
        Category::Suicide => {
            "These lines are here because some of your words sound like you may be carrying something very heavy; I won't try to reframe them. If you are having thoughts of ending your life or of hurting yourself, the people on these lines are there to help, right now."
        }
        Category::SelfHarm => {
            "These lines are here because some of your words sound like you may be carrying something very heavy; I won't try to reframe them. If you are having thoughts of hurting yourself or of ending your life, the people on these lines are there to help, right now."
        }
        Category::HarmFromOthers => {
            "These lines are here because some of your words sound like you may be going through something very hard with someone; I won't try to reframe them. If someone is hurting or frightening you, or you don't feel safe, the people on these lines are there to help, right now."
        }
    }
}

/// The message for a safety finding of `level` and `category`: [`message`] for crisis language,
/// [`concern_message`] for a warning sign.
pub fn message_for(level: Level, category: Category) -> &'static str {
    match level {
        Level::Crisis => message(category),
        Level::Concern => concern_message(category),
    }
}

/// What is said to a thought that names suicide or self-harm without speaking of the writer's
/// own danger (someone else's death, the news, a figure of speech): no reframe, and the lines in
/// case it is closer than it sounds.
pub const MENTION: &str = "This speaks of suicide or self-harm, which deserves more care than a reframe, so I won't name a thinking trap in it. If it is about someone you have lost, I'm sorry; that is a heavy thing to carry, and talking with someone you trust can help. If any of it is about you, you don't have to carry it alone: these lines are there to help, right now.";

/// Writes the one-shot answer to a thought that names suicide or self-harm (see [`MENTION`]).
pub fn write_mention(out: &mut dyn Write, region: &Region, palette: &Palette) -> io::Result<()> {
    writeln!(out, "{MENTION}")?;
    writeln!(out)?;
    write_lines(out, Category::Suicide, region, REGION_FLAG_HINT, palette)
}

/// Writes a batch row's answer to a thought that names suicide or self-harm (see [`MENTION`]).
pub fn write_mention_row(out: &mut dyn Write, palette: &Palette) -> io::Result<()> {
    writeln!(
        out,
        "    {}",
        palette
            .dim
            .apply_to("not reframed: it speaks of suicide or self-harm")
    )
}

/// The last thing said to crisis language.
pub const URGENT: &str =
    "If you might act on these thoughts, or you are in danger, call the emergency number now.";

fn line_text(line: &Line) -> String {
    match &line.note {
        Some(note) => format!("{}: {} ({note})", line.name, line.contact),
        None => format!("{}: {}", line.name, line.contact),
    }
}

/// What follows the place's name above the crisis lines outside a session: how to choose another.
const REGION_FLAG_HINT: &str = "; choose another place with --region";

/// Writes the one-shot answer to crisis language or a warning sign.
pub fn write_answer(
    out: &mut dyn Write,
    safety: &SafetyFinding,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    match safety.level {
        Level::Crisis => {
            writeln!(
                out,
                "{}",
                palette.heading.apply_to(message(safety.category))
            )?;
            writeln!(out)?;
            write_help(out, safety.category, region, REGION_FLAG_HINT, palette)
        }
        Level::Concern => {
            write_lines(out, safety.category, region, REGION_FLAG_HINT, palette)?;
            writeln!(out)?;
            writeln!(out, "{}", concern_message(safety.category))
        }
    }
}

/// Writes the region's crisis lines for `category` and then what to do in danger.
fn write_help(
    out: &mut dyn Write,
    category: Category,
    region: &Region,
    after_name: &str,
    palette: &Palette,
) -> io::Result<()> {
    write_lines(out, category, region, after_name, palette)?;
    writeln!(out)?;
    writeln!(out, "{URGENT}")
}

/// Writes the region's crisis lines for `category`, under a line naming the region followed by
/// `after_name` (such as [`REGION_FLAG_HINT`], or nothing).
fn write_lines(
    out: &mut dyn Write,
    category: Category,
    region: &Region,
    after_name: &str,
    palette: &Palette,
) -> io::Result<()> {
    writeln!(
        out,
        "Help is available now {}:",
        palette
            .dim
            .apply_to(format!("({}{after_name})", region.name))
    )?;
    for line in region.lines_for(category) {
        writeln!(out, "  - {}", line_text(line))?;
    }
    Ok(())
}

/// Writes the lines under a batch row for a thought with crisis language or a warning sign.
pub fn write_row(
    out: &mut dyn Write,
    safety: &SafetyFinding,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    let (label, said) = match safety.level {
        Level::Crisis => ("Crisis language", "this sounds serious"),
        Level::Concern => ("Warning sign", "some words sound very heavy"),
    };
    writeln!(
        out,
        "    {} {}",
        palette.name.apply_to(label),
        palette.dim.apply_to(format!(
            "({}): {said}; help is available now.",
            safety.category
        ))
    )?;
    let lines: Vec<String> = region.lines_for(safety.category).map(line_text).collect();
    writeln!(out, "    {}", lines.join(" | "))
}

/// The crisis lines as a session shows them, under its own first sentence: `note` (where the
/// region came from and how to change it), dimmed, then the region named without telling the
/// person to use a command-line flag, the lines for `category`, and what to do in danger. The
/// lines come last so that on a short screen, where the top scrolls away, they stay in sight
/// above the prompt that follows. No newline at the end.
pub fn session_lines(category: Category, region: &Region, note: &str, palette: &Palette) -> String {
    let mut written = Vec::new();
    write_help(&mut written, category, region, "", palette).expect("writing to memory succeeds");
    let lines = String::from_utf8(written).expect("the lines are UTF-8");
    let lines = lines.trim_end_matches('\n');
    if note.is_empty() {
        lines.to_string()
    } else {
        format!("{}\n\n{lines}", palette.dim.apply_to(note))
    }
}

#[cfg(test)]
mod tests {
    use super::{Category, Level, message, message_for};

    #[test]
    fn a_session_shows_the_same_lines_without_the_flag_and_with_its_note_first() {
        use super::{Palette, REGION_FLAG_HINT, URGENT, session_lines, write_help};
        let region = crate::resources::Resources::builtin()
            .region("uk")
            .unwrap()
            .clone();
        let plain = Palette::new(false);
        let mut elsewhere = Vec::new();
        write_help(
            &mut elsewhere,
            Category::Suicide,
            &region,
            REGION_FLAG_HINT,
            &plain,
        )
        .unwrap();
        let elsewhere = String::from_utf8(elsewhere).unwrap();
        assert!(
            elsewhere.starts_with(
                "Help is available now (United Kingdom; choose another place with --region):\n  - "
            ),
            "{elsewhere}"
        );
        let session = session_lines(Category::Suicide, &region, "", &plain);
        assert_eq!(
            format!("{session}\n"),
            elsewhere.replace(REGION_FLAG_HINT, "")
        );
        let noted = session_lines(Category::Suicide, &region, "Place: here.", &plain);
        assert_eq!(noted, format!("Place: here.\n\n{session}"));
        assert!(session.ends_with(URGENT), "{session}");
    }

    #[test]
    fn a_warning_sign_is_worded_apart_from_crisis_language_in_every_category() {
        for category in Category::ALL {
            let concern = message_for(Level::Concern, category);
            assert_ne!(concern, message(category));
            assert!(
                concern.contains("I won't try to reframe") && concern.contains("these lines"),
                "{category}: {concern}"
            );
        }
    }
}
