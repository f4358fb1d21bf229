//! `reframe journal`: list, show, export and stats over the journal file.
//!
//! An entry whose session stopped for safety is marked wherever it appears, and `show` gives the
//! crisis lines again, for the region resolved as for any other command (an unknown one is
//! reported after the lines for any country, as the commands that analyse thoughts do).

use std::fmt::Write as _;
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

/// How many words of a thought `journal list` shows when it is not written to a terminal; on one,
/// the thought is cut to the room the terminal's width leaves it instead.
const THOUGHT_WORDS: usize = 8;

/// `journal list`: one line for each of the `last` most recent entries (all when 0), numbered
/// as `journal show` takes them. On a terminal the table takes up to its whole width, beyond the
/// reading width prose is wrapped to, so that a wide terminal shows more of each thought.
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
    let continued_by = journal::continued_by(&entries);
    let words = match config.columns {
        Some(_) => usize::MAX,
        None => THOUGHT_WORDS,
    };
    let rows: Vec<[String; 5]> = entries
        .iter()
        .enumerate()
        .skip(skipped)
        .map(|(i, e)| {
            let patterns = e.trap_names();
            let belief = match (e.status, e.belief_before, e.belief_after) {
                _ if e.safety_stop => "stopped for safety".to_string(),
                // An unfinished entry gone on with later points to where it went on.
                (Status::Unfinished, _, _) if continued_by[i].is_some() => {
                    format!("continued in {}", continued_by[i].unwrap_or(i) + 1)
                }
                (Status::Unfinished, _, _) => "unfinished".to_string(),
                (_, Some(b), Some(a)) => format!("{b} → {a}"),
                _ => String::new(),
            };
            [
                (i + 1).to_string(),
                journal::local_time(e.started),
                first_words(&e.thought, words),
                patterns.join(", "),
                belief,
            ]
        })
        .collect();
    let header = ["#", "started", "thought", "thinking traps", "belief"].map(str::to_string);
    let width = |col: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let table = Table::fit(
        [width(0), width(1), width(2), width(3), width(4)],
        config.columns,
    );
    let plain = console::Style::new();
    let dim = &palette.dim;
    let mut out = BufWriter::new(io::stdout().lock());
    for line in table.lines(&header, [dim; 5]) {
        writeln!(out, "{line}")?;
    }
    for r in &rows {
        for line in table.lines(r, [dim, dim, &plain, &palette.name, dim]) {
            writeln!(out, "{line}")?;
        }
    }
    if skipped > 0 {
        let note = format!(
            "The last {} of {} entries; `reframe journal list -n 0` lists them all.",
            rows.len(),
            entries.len()
        );
        writeln!(out, "{}", dim.apply_to(fit_note(config, &note)))?;
    }
    if rows.iter().any(|r| r[4] == "unfinished") {
        let note = format!(
            "To go on with an unfinished entry where it stopped: `{}`.",
            super::resume_command(path, "N")
        );
        writeln!(out, "{}", dim.apply_to(fit_note(config, &note)))?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// The narrowest the thought column of `journal list` is cut to before the thinking traps and the
/// belief move to a line of their own under it.
const MIN_THOUGHT: usize = 16;

/// The columns of `journal list` (number, started, thought, thinking traps, belief), fitted to a
/// width.
struct Table {
    /// The width of each column; the thought and the traps are cut to theirs, with an ellipsis.
    widths: [usize; 5],
    /// Whether the traps and the belief go on a line of their own under each row, as the width
    /// is too narrow for five columns.
    stacked: bool,
}

impl Table {
    /// Columns as wide as `widths` (the widest cell of each), made to fit `fit` columns when
    /// given: first by shortening the thought, then by moving the traps and the belief under it,
    /// where the traps are cut to the room the belief leaves ("continued in 12" and "stopped for
    /// safety" would leave the thought almost none beside it).
    fn fit(mut widths: [usize; 5], fit: Option<usize>) -> Table {
        let total = |widths: &[usize]| widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        let mut stacked = false;
        if let Some(fit) = fit
            && total(&widths) > fit
        {
            let others = total(&widths) - widths[2];
            if others + MIN_THOUGHT <= fit {
                widths[2] = fit - others;
            } else {
                stacked = true;
                let [n, started, thought, traps, belief] = widths;
                let indent = n + 2;
                widths[2] = thought.min(fit.saturating_sub(indent + started + 2)).max(6);
                widths[4] = belief.min(fit.saturating_sub(indent));
                widths[3] = traps.min(fit.saturating_sub(indent + widths[4] + 2));
            }
        }
        Table { widths, stacked }
    }

    /// The screen lines for one row of cells, each styled after it is padded (colour codes take
    /// no room on the screen).
    fn lines(&self, r: &[String; 5], styles: [&console::Style; 5]) -> Vec<String> {
        let cut = |col: usize| console::truncate_str(&r[col], self.widths[col], "…").into_owned();
        let cell = |col: usize| {
            let text = cut(col);
            let padded = match col {
                0 => format!("{text:>w$}", w = self.widths[col]),
                4 => text,
                _ => format!("{text:w$}", w = self.widths[col]),
            };
            styles[col].apply_to(padded).to_string()
        };
        let join = |columns: &[usize]| {
            let cells: Vec<String> = columns.iter().map(|&c| cell(c)).collect();
            cells.join("  ").trim_end().to_string()
        };
        if !self.stacked {
            return vec![join(&[0, 1, 2, 3, 4])];
        }
        let mut lines = vec![join(&[0, 1, 2])];
        if !r[3].is_empty() || !r[4].is_empty() {
            let indent = " ".repeat(self.widths[0] + 2);
            lines.push(format!("{indent}{}", join(&[3, 4])));
        }
        lines
    }
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
    // Built whole, then wrapped between words to the terminal's width.
    let mut out = String::new();
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
    for (label, line) in resume_lines(path, &read.entries, number - 1) {
        writeln!(out, "{} {line}", palette.heading.apply_to(label))?;
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
    // So are they for an entry left at the check-in question without an answer.
    let unanswered = entry.check_in.is_some_and(|c| c.answer.is_none());
    let problem = if entry.safety_stop || unanswered {
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
    // Every answer is on the card. Into a file or a pipe, the card is laid out for 80 columns.
    let columns = config.width.unwrap_or(80);
    writeln!(out, "{}", summary_card(entry, &palette, columns))?;
    show_reratings(&mut out, entry, &read.reratings, &palette);
    let mut stdout = io::stdout().lock();
    super::write_prose(&mut stdout, out.trim_end(), config.width)?;
    stdout.flush()?;
    match problem {
        Some(problem) => Err(problem),
        None => Ok(ExitCode::Success),
    }
}

/// What `journal show` says of entry `index` of `entries` and the entries it is linked to: the
/// one it goes on with, whether it is unfinished and how to go on with it, or the later entry
/// that did.
fn resume_lines(path: &Path, entries: &[Entry], index: usize) -> Vec<(&'static str, String)> {
    let entry = &entries[index];
    let mut lines = Vec::new();
    if let Some(started) = entry.continues {
        let earlier = entries[..index]
            .iter()
            .rposition(|e| e.started == started)
            .map_or(String::new(), |i| format!("entry {}, ", i + 1));
        lines.push((
            "Continues:",
            format!("{earlier}started {}.", journal::local_time(started)),
        ));
    }
    // After a safety stop, the crisis lines shown with it come before the exercise.
    if entry.status == Status::Unfinished && !entry.safety_stop {
        match journal::continued_by(entries)[index] {
            Some(later) => {
                lines.push(("Unfinished:", format!("continued in entry {}.", later + 1)))
            }
            None => lines.push((
                "Unfinished:",
                format!(
                    "to go on with it where it stopped, run `{}`.",
                    super::resume_command(path, &(index + 1).to_string())
                ),
            )),
        }
    }
    lines
}

/// The re-ratings of `entry` under it in `journal show`: when, how long after, and a bar as the
/// card draws belief, so that the look back lines up with "before" and "after" above it.
fn show_reratings(out: &mut String, entry: &Entry, reratings: &[Rerating], palette: &Palette) {
    let looks = journal::rerating::of(entry, reratings);
    if looks.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        palette
            .heading
            .apply_to("Belief in the thought, looking back")
    );
    for r in looks {
        let _ = writeln!(
            out,
            "  {}  {:<14}  {} {:>3}",
            journal::local_date(r.at),
            journal::rerating::later(entry, r),
            palette.bar.apply_to(bar(r.belief, 10)),
            r.belief
        );
    }
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

/// `journal stats`. On a terminal every line fits its width, down to 40 columns: prose and
/// headings are wrapped between words, bars are shortened and names cut, and a row that still
/// does not fit is split over two lines. Into a file or a pipe the layout is as for a wide
/// terminal.
pub fn stats(config: &Config, path: &Path) -> anyhow::Result<ExitCode> {
    let read = read(path)?;
    if read.entries.is_empty() {
        return no_entries(path, &read);
    }
    let s = journal::stats(&read.entries);
    let palette = Palette::new(config.color_stdout);
    let mut out = io::stdout().lock();
    let noun = if s.entries == 1 { "entry" } else { "entries" };
    let mut counts = format!("{} {noun} ({} complete", s.entries, s.complete);
    if s.safety_stops > 0 {
        // Said apart from the other unfinished entries, so the three counts add up.
        let unfinished = s.unfinished;
        if unfinished > 0 {
            counts.push_str(&format!(", {unfinished} unfinished"));
        }
        counts.push_str(&format!(", {} stopped for safety", s.safety_stops));
    }
    counts.push(')');
    writeln!(out, "{}", fit_note(config, &counts))?;
    if s.continued > 0 {
        let note = match s.continued {
            1 => "1 unfinished entry that you went on with later is counted as part of that \
                  later entry."
                .to_string(),
            n => format!(
                "{n} unfinished entries that you went on with later are counted as part of \
                 those later entries."
            ),
        };
        writeln!(out, "{}", palette.dim.apply_to(fit_note(config, &note)))?;
    }
    let asked = s.check_ins.total();
    if asked > 0 {
        let mut answers = vec![
            format!("{} yes", s.check_ins.yes),
            format!("{} no", s.check_ins.no),
        ];
        if s.check_ins.unanswered > 0 {
            answers.push(format!("{} not answered", s.check_ins.unanswered));
        }
        let line = format!(
            "Asked about thoughts of ending your life in {asked} {}: {}",
            if asked == 1 { "entry" } else { "entries" },
            answers.join(", ")
        );
        writeln!(out, "{}", fit_note(config, &line))?;
    }
    writeln!(out)?;
    if !s.patterns.is_empty() {
        let title = "Thinking traps, by the entries they appeared in";
        writeln!(out, "{}", heading(config, &palette, title))?;
        let mut rows: Vec<(&String, &(String, usize))> = s.patterns.iter().collect();
        rows.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(b.0)));
        let names = rows
            .iter()
            .map(|(_, (name, _))| console::measure_text_width(name))
            .max()
            .unwrap_or(0);
        let digits = rows
            .iter()
            .map(|(_, (_, count))| count.to_string().len())
            .max()
            .unwrap_or(1);
        // "  NAME  BAR N": a shorter bar when the row would not fit, then a name cut to the rest.
        let room = |cells: usize| {
            config
                .width
                .map_or(usize::MAX, |w| w.saturating_sub(2 + 2 + cells + 1 + digits))
        };
        let cells = if names <= room(20) { 20 } else { 10 };
        let width = names.min(room(cells));
        for (_, (name, count)) in rows {
            let share = (count * 100 / s.entries.max(1)).min(100) as u8;
            writeln!(
                out,
                "  {}  {} {count}",
                cut_to(name, width),
                palette.bar.apply_to(bar(share, cells))
            )?;
        }
        writeln!(out)?;
    }
    write_choices(&mut out, &s, &palette, config)?;
    let change = |c: Option<f64>| match c {
        // A change that rounds to nothing has no sign: "{:+.1}" wrote -0.04 as "-0.0".
        Some(c) if c.abs() < 0.05 => "0.0 points".to_string(),
        Some(c) => format!("{c:+.1} points"),
        None => "not enough ratings yet".to_string(),
    };
    for (label, value) in [
        (
            "Average change in belief in the thought:",
            change(s.belief_change),
        ),
        (
            "Average change in feeling intensity:",
            change(s.feeling_change),
        ),
    ] {
        // The values line up after the longer label; where that does not fit, each goes under
        // its label.
        let line = format!("{label:<42}{value}");
        if config.width.is_none_or(|w| line.chars().count() <= w) {
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{}\n  {value}", fit_note(config, label))?;
        }
    }
    super::trends::look_back(
        &mut out,
        &read.entries,
        &read.reratings,
        &palette,
        config.width,
    )?;
    super::trends::write(&mut out, &read.entries, &palette, config.width)?;
    Ok(ExitCode::Success)
}

/// `title` as a heading, wrapped between words to the terminal's width when there is one.
fn heading(config: &Config, palette: &Palette, title: &str) -> String {
    let lines: Vec<String> = fit_note(config, title)
        .lines()
        .map(|l| palette.heading.apply_to(l).to_string())
        .collect();
    lines.join("\n")
}

/// `name` cut to `width` columns with an ellipsis, and padded to them.
fn cut_to(name: &str, width: usize) -> String {
    let name = console::truncate_str(name, width, "…");
    console::pad_str(&name, width, console::Alignment::Left, None).into_owned()
}

/// The part of `journal stats` that says, per thinking trap, how often the person agreed with
/// what was recognised, dropped it, or added a trap that was not: where the rules are wrong for
/// this person. Nothing when no entry asked (entries written before sessions asked). A row too
/// wide for the terminal puts the trap's name on a line of its own, the counts under it.
fn write_choices(
    out: &mut dyn Write,
    s: &journal::Stats,
    palette: &Palette,
    config: &Config,
) -> io::Result<()> {
    if s.choices.is_empty() {
        return Ok(());
    }
    let title = "Your say in the thinking traps: kept, dropped, added";
    writeln!(out, "{}", heading(config, palette, title))?;
    let mut rows: Vec<&journal::TrapChoices> = s.choices.values().collect();
    let total = |c: &journal::TrapChoices| c.agreed + c.dropped + c.added;
    rows.sort_by(|a, b| total(b).cmp(&total(a)).then(a.name.cmp(&b.name)));
    let width = rows
        .iter()
        .map(|c| console::measure_text_width(&c.name))
        .max()
        .unwrap_or(0);
    let counts = |c: &journal::TrapChoices| {
        format!(
            "kept {:>2}  dropped {:>2}  added {:>2}",
            c.agreed, c.dropped, c.added
        )
    };
    let widest = rows
        .iter()
        .map(|c| counts(c).chars().count())
        .max()
        .unwrap_or(0);
    let stacked = config.width.is_some_and(|w| 2 + width + 2 + widest > w);
    for c in rows {
        if stacked {
            let room = config.width.unwrap_or(usize::MAX).saturating_sub(2);
            let name = console::truncate_str(&c.name, room, "…");
            writeln!(out, "  {name}\n    {}", counts(c))?;
        } else {
            writeln!(out, "  {:width$}  {}", c.name, counts(c))?;
        }
    }
    writeln!(out)
}

/// A note under a table, wrapped between words to the terminal's width when there is one.
fn fit_note(config: &Config, note: &str) -> String {
    match config.width {
        Some(width) => reframe::output::wrap::wrap(note, width),
        None => note.to_string(),
    }
}
