//! The part of `reframe journal stats` that looks at time and context: the thinking traps week by
//! week, each with a bar, and the situations each trap came with.
//!
//! The numbers are the library's (`reframe::journal::trends`); this file lays them out to fit the
//! width given, down to 40 columns. Without a terminal the layout is for 80 columns, so that a
//! file gets the same text whatever terminal it was made from.

use std::io::{self, Write};

use reframe::journal::rerating::{self, Rerating};
use reframe::journal::trends::{situations, weeks};
use reframe::journal::{self, Entry};
use reframe::output::Palette;
use reframe::session::bar;

/// How many of the most recent weeks with entries are shown.
const WEEKS_SHOWN: usize = 8;

/// How many situations are listed under each trap, the most recent.
const SITUATIONS_SHOWN: usize = 3;

/// The cells of a week's bars.
const BAR_WIDTH: usize = 10;

/// Writes both sections, each after a blank line; nothing when no entry has a thinking trap.
pub(super) fn write(
    out: &mut impl Write,
    entries: &[Entry],
    palette: &Palette,
    width: Option<usize>,
) -> io::Result<()> {
    let width = width.unwrap_or(80).max(40);
    if journal::counted(entries)
        .iter()
        .all(|e| e.traps().is_empty())
    {
        return Ok(());
    }
    by_week(out, entries, palette, width)?;
    by_situation(out, entries, palette, width)
}

/// "Looking back": for the entries re-rated with `journal review`, the mean belief in their
/// thoughts at first, after the work, and at the latest look back, as bars the way the summary
/// card draws belief; nothing when no entry was re-rated. The title is wrapped, and the bars
/// shortened, to fit `width` when given.
pub(super) fn look_back(
    out: &mut impl Write,
    entries: &[Entry],
    reratings: &[Rerating],
    palette: &Palette,
    width: Option<usize>,
) -> io::Result<()> {
    let Some(back) = rerating::look_back(entries, reratings) else {
        return Ok(());
    };
    let noun = if back.entries == 1 {
        "thought"
    } else {
        "thoughts"
    };
    let title = format!(
        "Belief, on average, in {} {noun} looked back at",
        back.entries
    );
    let title = match width {
        Some(width) => reframe::output::wrap::wrap(&title, width),
        None => title,
    };
    writeln!(out)?;
    for line in title.lines() {
        writeln!(out, "{}", palette.heading.apply_to(line))?;
    }
    // "  LABEL           BAR 100", with the bar of 20 cells when it fits.
    let cells = if width.is_none_or(|w| w >= 2 + 14 + 2 + 20 + 4) {
        20
    } else {
        10
    };
    for (label, mean) in [
        ("at first", back.before),
        ("after the work", back.after),
        ("looking back", Some(back.latest)),
    ] {
        let Some(mean) = mean else { continue };
        let rounded = mean.round().clamp(0.0, 100.0) as u8;
        writeln!(
            out,
            "  {label:<14}  {} {rounded:>3}",
            palette.bar.apply_to(bar(rounded, cells))
        )?;
    }
    Ok(())
}

/// "Thinking traps by week": each week's traps with a bar, all bars on one scale (the most
/// entries any trap had in any week shown), so weeks can be compared.
fn by_week(
    out: &mut impl Write,
    entries: &[Entry],
    palette: &Palette,
    width: usize,
) -> io::Result<()> {
    let weeks = weeks(entries, &jiff::tz::TimeZone::system());
    let shown = &weeks[weeks.len().saturating_sub(WEEKS_SHOWN)..];
    let most = shown
        .iter()
        .flat_map(|w| w.traps.iter().map(|(_, n)| *n))
        .max()
        .unwrap_or(1)
        .max(1);
    let digits = most.to_string().len();
    // "    NAME  BAR N": what is left of the width after the indent, the bar and the count.
    let room = width.saturating_sub(4 + 2 + BAR_WIDTH + 1 + digits);
    let name_width = shown
        .iter()
        .flat_map(|w| {
            w.traps
                .iter()
                .map(|(name, _)| console::measure_text_width(name))
        })
        .max()
        .unwrap_or(0)
        .min(room);
    writeln!(
        out,
        "\n{}",
        palette.heading.apply_to("Thinking traps by week")
    )?;
    for week in shown {
        let noun = if week.entries == 1 {
            "entry"
        } else {
            "entries"
        };
        writeln!(out, "  Week of {}, {} {noun}", week.start, week.entries)?;
        if week.traps.is_empty() {
            writeln!(out, "    {}", palette.dim.apply_to("no thinking trap"))?;
        }
        for (name, count) in &week.traps {
            let name = console::truncate_str(name, name_width, "…");
            let name = console::pad_str(&name, name_width, console::Alignment::Left, None);
            let share = (count * 100 / most).min(100) as u8;
            writeln!(
                out,
                "    {}  {} {count}",
                palette.name.apply_to(name),
                palette.bar.apply_to(bar(share, BAR_WIDTH))
            )?;
        }
    }
    if weeks.len() > shown.len() {
        let note = format!(
            "The last {} of {} weeks with entries.",
            shown.len(),
            weeks.len()
        );
        writeln!(out, "  {}", palette.dim.apply_to(note))?;
    }
    Ok(())
}

/// "Situations each trap came with": under each trap, the situations written with it, most recent
/// first, each cut to one line.
fn by_situation(
    out: &mut impl Write,
    entries: &[Entry],
    palette: &Palette,
    width: usize,
) -> io::Result<()> {
    let traps: Vec<_> = situations(entries)
        .into_iter()
        .filter(|t| !t.situations.is_empty())
        .collect();
    if traps.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n{}",
        palette.heading.apply_to("Situations each trap came with")
    )?;
    for trap in traps {
        let name = console::truncate_str(&trap.name, width - 2, "…");
        writeln!(out, "  {}", palette.name.apply_to(name))?;
        for situation in trap.situations.iter().take(SITUATIONS_SHOWN) {
            // A situation is one line as typed; a line break in it would break the layout.
            let situation = situation.split_whitespace().collect::<Vec<_>>().join(" ");
            writeln!(
                out,
                "    {}",
                console::truncate_str(&situation, width - 4, "…")
            )?;
        }
        let more = trap.situations.len().saturating_sub(SITUATIONS_SHOWN);
        if more > 0 {
            let note = format!("and {more} more");
            writeln!(out, "    {}", palette.dim.apply_to(note))?;
        }
    }
    Ok(())
}
