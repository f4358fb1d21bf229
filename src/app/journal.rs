//! `reframe journal`: list, show, export and stats over the journal file.
//!
//! An entry whose session stopped for safety is marked wherever it appears, and `show` gives the
//! crisis lines again, for the region resolved as for any other command (an unknown one is
//! reported after the lines for any country, as the commands that analyse thoughts do).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use reframe::journal::{self, Entry, ExportFormat, Journal, Rerating, Status};
use reframe::output::Palette;
use reframe::output::safety::session_lines;
use reframe::resources::Resources;
use reframe::rules::Category;
use reframe::session::{bar, summary_card};

use super::output_file::OutputFile;
use crate::config::Config;
use crate::exit_code::ExitCode;

/// What could be read of the journal, and how many lines could not.
pub(super) struct Read {
    pub(super) entries: Vec<Entry>,
    /// The re-ratings made when looking back (`journal review`).
    pub(super) reratings: Vec<Rerating>,
    /// Entries skipped because a newer version of reframe wrote them.
    newer: usize,
    /// Lines skipped because they are damaged.
    damaged: usize,
}

/// Reads the journal, warning about each line that cannot be read.
pub(super) fn read(path: &Path) -> anyhow::Result<Read> {
    let journal::Contents {
        entries,
        reratings,
        warnings,
    } = Journal::at(path)
        .read_all()
        .with_context(|| format!("cannot read the journal {}", path.display()))?;
    let newer = warnings.iter().filter(|w| w.newer).count();
    let damaged = warnings.len() - newer;
    for w in warnings {
        crate::app::warn(format_args!(
            "{}:{}: this line {}; it was skipped, and the file is left as it is",
            path.display(),
            w.line,
            w.message
        ));
    }
    Ok(Read {
        entries,
        reratings,
        newer,
        damaged,
    })
}

/// Says that there is nothing to list: that the journal is empty, or, when it has lines this
/// version could not read, how many and why, so that a journal of newer entries is not taken for
/// an empty one.
pub(super) fn no_entries(path: &Path, read: &Read) -> anyhow::Result<ExitCode> {
    let path = path.display();
    let lines = |n: usize| match n {
        1 => "1 line is".to_string(),
        n => format!("{n} lines are"),
    };
    let message = match (read.newer, read.damaged) {
        (0, 0) => format!("No entries yet in {path}. Start one with `reframe session`."),
        (1, 0) => format!(
            "1 entry in {path} could not be read: it was written by a newer version of reframe. \
             Update reframe to see it; the file is left as it is."
        ),
        (newer, 0) => format!(
            "{newer} entries in {path} could not be read: they were written by a newer version of \
             reframe. Update reframe to see them; the file is left as it is."
        ),
        (0, damaged) => format!(
            "No entry in {path} could be read: {} damaged (see the warnings above). The file is \
             left as it is.",
            lines(damaged)
        ),
        (newer, damaged) => format!(
            "No entry in {path} could be read: {newer} {} written by a newer version of reframe, \
             and {} damaged (see the warnings above). Update reframe to see the newer entries; \
             the file is left as it is.",
            if newer == 1 { "was" } else { "were" },
            lines(damaged)
        ),
    };
    println!("{message}");
    Ok(ExitCode::Success)
}

/// The first `n` words of `text`, with an ellipsis when there were more.
pub(super) fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > n {
        format!("{}…", words[..n].join(" "))
    } else {
        words.join(" ")
    }
}

/// `journal list`: one line for each of the `last` most recent entries (all when 0), numbered
/// as `journal show` takes them.
pub fn list(config: &Config, path: &Path, last: usize) -> anyhow::Result<ExitCode> {
    let read = read(path)?;
    if read.entries.is_empty() {
        return no_entries(path, &read);
    }
    let entries = read.entries;
    let skipped = match last {
        0 => 0,
        n => entries.len().saturating_sub(n),
    };
    let palette = Palette::new(config.color_stdout);
    let rows: Vec<[String; 5]> = entries
        .iter()
        .enumerate()
        .skip(skipped)
        .map(|(i, e)| {
            let patterns: Vec<&str> = e.patterns.iter().map(|p| p.name.as_str()).collect();
            let belief = match (e.status, e.belief_before, e.belief_after) {
                _ if e.safety_stop => "stopped for safety".to_string(),
                (Status::Unfinished, _, _) => "unfinished".to_string(),
                (_, Some(b), Some(a)) => format!("{b} → {a}"),
                _ => String::new(),
            };
            [
                (i + 1).to_string(),
                journal::local_time(e.started),
                first_words(&e.thought, 8),
                patterns.join(", "),
                belief,
            ]
        })
        .collect();
    let header = ["#", "started", "thought", "thinking traps", "belief"].map(str::to_string);
    // Columns are padded before they are styled: colour codes take no room on the screen.
    let width = |col: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let line = |r: &[String; 5], styles: [&console::Style; 5]| {
        let cell = |col: usize| {
            let padded = match col {
                0 => format!("{:>w$}", r[col], w = widths[col]),
                4 => r[col].clone(),
                _ => format!("{:w$}", r[col], w = widths[col]),
            };
            styles[col].apply_to(padded).to_string()
        };
        let row = (0..5).map(cell).collect::<Vec<_>>().join("  ");
        row.trim_end().to_string()
    };
    let plain = console::Style::new();
    let dim = &palette.dim;
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "{}", line(&header, [dim; 5]))?;
    for r in &rows {
        writeln!(out, "{}", line(r, [dim, dim, &plain, &palette.name, dim]))?;
    }
    if skipped > 0 {
        let note = format!(
            "The last {} of {} entries; `reframe journal list -n 0` lists them all.",
            rows.len(),
            entries.len()
        );
        writeln!(out, "{}", dim.apply_to(note))?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// `journal show N`.
pub fn show(config: &Config, path: &Path, number: usize) -> anyhow::Result<ExitCode> {
    let read = read(path)?;
    let Some(entry) = number.checked_sub(1).and_then(|i| read.entries.get(i)) else {
        if read.newer > 0 {
            anyhow::bail!(
                "there is no entry {number} in {} that this version can read; {} {} written by a \
                 newer version of reframe",
                path.display(),
                read.newer,
                if read.newer == 1 { "was" } else { "were" }
            );
        }
        anyhow::bail!(
            "there is no entry {number} in {}; it has {} (see `reframe journal list`)",
            path.display(),
            read.entries.len()
        );
    };
    let palette = Palette::new(config.color_stdout);
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}",
        palette.dim.apply_to(journal::local_time(entry.started))
    )?;
    if entry.safety_stop {
        writeln!(
            out,
            "{} {}",
            palette.heading.apply_to("Stopped for safety:"),
            journal::safety_stop_reason(entry)
        )?;
    }
    if let Some(check_in) = &entry.check_in {
        writeln!(
            out,
            "{} {}",
            palette.heading.apply_to("Check-in:"),
            check_in.describe()
        )?;
    }
    // The lines for where the person is now, which may not be where they were then. A region
    // that cannot be resolved must not hide them: the lines for any country instead, and the
    // reason is reported after the entry.
    let problem = if entry.safety_stop {
        let resources = Resources::builtin();
        let (region, unknown) = super::region_or_international(config, &resources);
        let note = match unknown {
            None => super::region_note(config, &region, &resources),
            Some(_) => super::fallback_note(config, &region, &resources),
        };
        // An entry written before the category was kept is taken to be about suicide.
        let category = entry.safety_category.unwrap_or(Category::Suicide);
        writeln!(
            out,
            "\n{}\n",
            session_lines(category, &region, &note, &palette)
        )?;
        unknown
    } else {
        None
    };
    writeln!(out, "{}", summary_card(entry, &palette))?;
    for a in entry.answers.iter().filter(|a| !a.answer.is_empty()) {
        writeln!(
            out,
            "\n{}\n  {}",
            palette.heading.apply_to(&a.question),
            a.answer
        )?;
    }
    show_reratings(&mut out, entry, &read.reratings, &palette)?;
    out.flush()?;
    match problem {
        Some(problem) => Err(problem),
        None => Ok(ExitCode::Success),
    }
}

/// The re-ratings of `entry` under it in `journal show`: when, how long after, and a bar as the
/// card draws belief, so that the look back lines up with "before" and "after" above it.
fn show_reratings(
    out: &mut impl Write,
    entry: &Entry,
    reratings: &[Rerating],
    palette: &Palette,
) -> io::Result<()> {
    let looks = journal::rerating::of(entry, reratings);
    if looks.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n{}",
        palette
            .heading
            .apply_to("Belief in the thought, looking back")
    )?;
    for r in looks {
        writeln!(
            out,
            "  {}  {:<14}  {} {:>3}",
            journal::local_date(r.at),
            journal::rerating::later(entry, r),
            palette.bar.apply_to(bar(r.belief, 10)),
            r.belief
        )?;
    }
    Ok(())
}

/// `journal export`: to standard output, or to the file `output` (see [`OutputFile`]), which
/// replaces an existing file only with `force`.
pub fn export(
    path: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let Some(target) = output else {
        let read = read(path)?;
        let mut out = BufWriter::new(io::stdout().lock());
        journal::export_all(&mut out, &read.entries, &read.reratings, format)?;
        out.flush()?;
        return Ok(ExitCode::Success);
    };
    // Checked before the journal is read, so a refusal is not lost among warnings about its lines.
    let mut out = OutputFile::create(target, path, force)?;
    let read = read(path)?;
    journal::export_all(&mut out, &read.entries, &read.reratings, format)
        .with_context(|| format!("cannot write {}", target.display()))?;
    out.commit()?;
    Ok(ExitCode::Success)
}

/// `journal stats`.
pub fn stats(config: &Config, path: &Path) -> anyhow::Result<ExitCode> {
    let read = read(path)?;
    if read.entries.is_empty() {
        return no_entries(path, &read);
    }
    let s = journal::stats(&read.entries);
    let palette = Palette::new(config.color_stdout);
    let mut out = io::stdout().lock();
    let noun = if s.entries == 1 { "entry" } else { "entries" };
    write!(out, "{} {noun} ({} complete", s.entries, s.complete)?;
    if s.safety_stops > 0 {
        // Said apart from the other unfinished entries, so the three counts add up.
        let unfinished = s.entries - s.complete - s.safety_stops;
        if unfinished > 0 {
            write!(out, ", {unfinished} unfinished")?;
        }
        write!(out, ", {} stopped for safety", s.safety_stops)?;
    }
    writeln!(out, ")")?;
    let asked = s.check_ins.total();
    if asked > 0 {
        let mut answers = vec![
            format!("{} yes", s.check_ins.yes),
            format!("{} no", s.check_ins.no),
        ];
        if s.check_ins.unanswered > 0 {
            answers.push(format!("{} not answered", s.check_ins.unanswered));
        }
        writeln!(
            out,
            "Asked about thoughts of ending your life in {asked} {}: {}",
            if asked == 1 { "entry" } else { "entries" },
            answers.join(", ")
        )?;
    }
    writeln!(out)?;
    if !s.patterns.is_empty() {
        writeln!(
            out,
            "{}",
            palette
                .heading
                .apply_to("Thinking traps, by the entries they appeared in")
        )?;
        let mut rows: Vec<(&String, &(String, usize))> = s.patterns.iter().collect();
        rows.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
        let width = rows
            .iter()
            .map(|(_, (name, _))| name.chars().count())
            .max()
            .unwrap_or(0);
        for (_, (name, count)) in rows {
            let share = (count * 100 / s.entries.max(1)).min(100) as u8;
            writeln!(
                out,
                "  {name:width$}  {} {count}",
                palette.bar.apply_to(bar(share, 20))
            )?;
        }
        writeln!(out)?;
    }
    let change = |c: Option<f64>| match c {
        // A change that rounds to nothing has no sign: "{:+.1}" wrote -0.04 as "-0.0".
        Some(c) if c.abs() < 0.05 => "0.0 points".to_string(),
        Some(c) => format!("{c:+.1} points"),
        None => "not enough ratings yet".to_string(),
    };
    writeln!(
        out,
        "Average change in belief in the thought:  {}",
        change(s.belief_change)
    )?;
    writeln!(
        out,
        "Average change in feeling intensity:      {}",
        change(s.feeling_change)
    )?;
    super::trends::look_back(&mut out, &read.entries, &read.reratings, &palette)?;
    super::trends::write(&mut out, &read.entries, &palette, config.width)?;
    Ok(ExitCode::Success)
}
