//! `reframe journal review`: looking back at old entries on the terminal, one at a time, and
//! rating how much each old thought is believed now.
//!
//! Which entries come up is the library's choice (`reframe::journal::review`); each rating is
//! appended to the journal as soon as it is given (`Journal::append_rerating`), so stopping or an
//! interruption loses nothing. Only a number is ever typed, never free text, so there is nothing
//! for the crisis check to read; a note added here later would have to go through the engine as
//! a session's answers do. Entries that stopped for safety never come up.
//!
//! Prompts and screens go to standard error, as a session's do; only "nothing to look back on"
//! goes to standard output.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use console::{Key, Term};
use jiff::Timestamp;
use reframe::journal::review::{self, AGAIN_AFTER_DAYS, FROM_DAYS, Queue, TO_DAYS, Window};
use reframe::journal::{self, Entry, Journal, Rerating, rerating};
use reframe::output::Palette;
use reframe::output::wrap::wrap;
use reframe::session::bar;

use super::journal::{Read, first_words, no_entries, read};
use crate::config::{Config, ReviewWindow};
use crate::exit_code::ExitCode;

/// Runs the review of the journal at `path`, when standard input and standard error are a
/// `terminal`.
pub(super) fn run(
    config: &Config,
    path: &Path,
    window: ReviewWindow,
    terminal: bool,
) -> anyhow::Result<ExitCode> {
    if !terminal {
        anyhow::bail!(
            "`journal review` needs a terminal to ask how much you believe each old thought now, \
             and standard input or standard error is not one. To read an entry and its \
             re-ratings without questions, run `reframe journal show N`"
        );
    }
    let read = read(path)?;
    if read.entries.is_empty() {
        return no_entries(path, &read);
    }
    let now = Timestamp::now();
    let library_window = match window {
        ReviewWindow::Default => Window::Default,
        ReviewWindow::All => Window::All,
        ReviewWindow::Since(date) => Window::Since(
            date.to_zoned(jiff::tz::TimeZone::system())
                .with_context(|| format!("cannot tell when {date} starts here"))?
                .timestamp(),
        ),
    };
    let queue = review::queue(&read.entries, &read.reratings, library_window, now);
    if queue.due.is_empty() {
        let mut out = std::io::stdout().lock();
        super::write_prose(&mut out, &nothing_due(&queue, window), config.width)?;
        out.flush()?;
        return Ok(ExitCode::Success);
    }
    let journal = Journal::at(path);
    journal.check_writable().with_context(|| {
        format!(
            "cannot save ratings to the journal {}, so the review did not start",
            path.display()
        )
    })?;
    Review {
        term: Term::stderr(),
        palette: Palette::new(config.color_stderr),
        journal,
        read: &read,
    }
    .run(&queue.due)
}

/// What to say when there is nothing to look back on in `window`: why, and what there is
/// instead, with the command that reaches it.
fn nothing_due(queue: &Queue, window: ReviewWindow) -> String {
    let entries = |n: usize| match n {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    let days = |n: i64| rerating::days_in_words(n, "").trim_end().to_string();
    if queue.reviewable == 0 {
        return "There is nothing to look back on yet: a review goes over finished entries, and \
                none of yours is finished. When one is, it comes up here after a few days."
            .to_string();
    }
    let mut said = vec![match window {
        ReviewWindow::Default => {
            format!(
                "No entries from {FROM_DAYS} to {TO_DAYS} days ago are waiting to be looked back on."
            )
        }
        ReviewWindow::Since(date) => {
            format!("No finished entries since {date} are waiting to be looked back on.")
        }
        ReviewWindow::All => "No entries are waiting to be looked back on.".to_string(),
    }];
    if queue.rerated_recently > 0 {
        said.push(format!(
            "You looked back at {} in the last {AGAIN_AFTER_DAYS} days; each comes round again a \
             week after you rated it.",
            entries(queue.rerated_recently)
        ));
    }
    if let (n @ 1.., Some(wait)) = (queue.too_recent, queue.next_in_days) {
        said.push(format!(
            "You have {} from the last {FROM_DAYS} days. A thought is easier to look at once it \
             has had a few days to settle; {} will be ready in {}.",
            entries(n),
            if n == 1 { "it" } else { "the first" },
            days(wait)
        ));
    }
    if queue.older > 0 && window == ReviewWindow::Default {
        said.push(format!(
            "{} older than {TO_DAYS} days can be looked back on now with \
             `reframe journal review --all`, or from a date on with `--since YYYY-MM-DD`.",
            entries(queue.older)
        ));
    } else if queue.too_recent > 0 || queue.rerated_recently > 0 || queue.older > 0 {
        said.push(
            "To look back at every finished entry now anyway: `reframe journal review --all`."
                .to_string(),
        );
    }
    said.join(" ")
}

/// The question each screen asks.
const QUESTION: &str = "How much do you believe that thought now?";

/// The keys that answer it, under it.
const KEYS: &str = "Type 0 to 100 and press Enter. Enter alone skips; Esc or q stops.";

/// How much `entry`'s thought was believed when it was written: "90 at first, 40 after the
/// work"; `None` when it was not rated.
fn then_in_words(entry: &Entry) -> Option<String> {
    match (entry.belief_before, entry.belief_after) {
        (Some(b), Some(a)) => Some(format!("{b} at first, {a} after the work")),
        (Some(b), None) => Some(format!("{b} at first")),
        (None, Some(a)) => Some(format!("{a} after the work")),
        (None, None) => None,
    }
}

/// The first `n` lines of `text`, already wrapped to `width`, the last of them ending in "…"
/// when any were left out; empty when `n` is 0.
fn cut_to_lines(text: &str, n: usize, width: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= n {
        return text.to_string();
    }
    let mut kept: Vec<String> = lines[..n].iter().map(|l| l.to_string()).collect();
    if let Some(last) = kept.last_mut() {
        let room = width.saturating_sub(1);
        *last = format!("{}…", console::truncate_str(last.trim_end(), room, ""));
    }
    kept.join("\n")
}

/// How one question was answered.
enum Answer {
    /// A rating from 0 to 100.
    Rating(u8),
    /// Enter alone.
    Skip,
    /// Esc or q.
    Stop,
    /// Ctrl-C, or the terminal went away.
    Interrupted,
}

/// A review under way.
struct Review<'a> {
    term: Term,
    palette: Palette,
    journal: Journal,
    read: &'a Read,
}

impl Review<'_> {
    /// Asks about each of `due` in turn, saving each rating as it is given, then says what was
    /// saved.
    fn run(&self, due: &[&Entry]) -> anyhow::Result<ExitCode> {
        let mut rated: Vec<(&Entry, u8)> = Vec::new();
        let mut ended = None;
        for (i, entry) in due.iter().enumerate() {
            let _ = self.term.clear_screen();
            note!("{}", self.screen(entry, i + 1, due.len()));
            match self.ask() {
                Answer::Rating(belief) => {
                    let r = Rerating::new(entry, Timestamp::now(), belief);
                    if let Err(why) = self.journal.append_rerating(&r) {
                        note!("\n");
                        self.closing(&rated, None);
                        anyhow::bail!(
                            "cannot save the rating to the journal {}: {why}",
                            self.journal.path().display()
                        );
                    }
                    rated.push((entry, belief));
                }
                Answer::Skip => {}
                Answer::Stop => {
                    ended = Some(ExitCode::Success);
                    break;
                }
                Answer::Interrupted => {
                    ended = Some(ExitCode::Interrupted);
                    break;
                }
            }
        }
        let _ = self.term.show_cursor();
        if ended.is_none() {
            let _ = self.term.clear_screen();
        } else {
            note!();
        }
        let how = match ended {
            Some(ExitCode::Interrupted) => Some("Interrupted."),
            Some(_) => Some("Stopped."),
            None => None,
        };
        self.closing(&rated, how);
        Ok(ended.unwrap_or(ExitCode::Success))
    }

    /// The width to write to: `COLUMNS` when set, else the terminal's, else 80; at most a
    /// comfortable reading width, as a session's.
    fn width(&self) -> usize {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .or_else(|| self.term.size_checked().map(|(_, cols)| usize::from(cols)))
            .unwrap_or(80)
            .clamp(20, 100)
    }

    /// The number of `entry` in the journal, as `journal list` and `journal show` give it.
    fn number(&self, entry: &Entry) -> usize {
        self.read
            .entries
            .iter()
            .position(|e| std::ptr::eq(e, entry))
            .map_or(0, |i| i + 1)
    }

    /// `label` and `text` wrapped to the width, the label styled as a heading.
    fn labelled(&self, label: &str, text: &str) -> String {
        let wrapped = wrap(&format!("{label} {text}"), self.width());
        match wrapped.strip_prefix(label) {
            Some(rest) => format!("{}{rest}", self.palette.heading.apply_to(label)),
            // The label itself was broken (a width narrower than it): left plain.
            None => wrapped,
        }
    }

    /// The screen for `entry`, number `n` of `total`: when it was, the situation, the thought,
    /// the balanced thought, and how much the thought was believed then. On a terminal too short
    /// for it and the prompt under it, the short form ([`Review::short_screen`]), so that the
    /// title would not scroll off before it is seen.
    fn screen(&self, entry: &Entry, n: usize, total: usize) -> String {
        let full = self.full_screen(entry, n, total);
        match self.term.size_checked() {
            // The prompt takes the line under the screen.
            Some((rows, _)) if full.lines().count() + 1 > usize::from(rows) => {
                self.short_screen(entry, n, total, usize::from(rows))
            }
            _ => full,
        }
    }

    /// The screen for `entry` in as few lines as it takes on a terminal `rows` high: the title
    /// and the entry on one line, no blank lines, belief then in words rather than bars. If that
    /// is still too tall, the thought has the room first, then the situation, then the balanced
    /// thought, each cut with "…" to the lines left it (and left out when none are).
    fn short_screen(&self, entry: &Entry, n: usize, total: usize, rows: usize) -> String {
        let width = self.width();
        let ago =
            rerating::days_in_words(rerating::whole_days(entry.started, Timestamp::now()), "ago");
        let title = wrap(
            &format!(
                "Looking back, {n} of {total}: entry {}, {ago}",
                self.number(entry)
            ),
            width,
        );
        let title: Vec<String> = title
            .lines()
            .map(|l| self.palette.heading.apply_to(l).to_string())
            .collect();
        let believed = then_in_words(entry).map(|then| self.labelled("Believed then:", &then));
        let question = wrap(QUESTION, width);
        let keys = self.palette.dim.apply_to(wrap(KEYS, width)).to_string();
        let lines = |text: &str| text.lines().count();
        let fixed = title.len()
            + believed.as_deref().map_or(0, lines)
            + lines(&question)
            + lines(&keys)
            + 1;
        let thought = self.labelled("Your thought:", &entry.thought);
        let situation = (entry.situation.as_deref()).map(|s| self.labelled("Situation:", s));
        let balanced =
            (entry.balanced_thought.as_deref()).map(|b| self.labelled("Balanced thought:", b));
        // The thought first, leaving a line for each of the others; then the situation, which
        // is short as a rule, leaving one for the balanced thought; then the balanced thought.
        let mut room = rows.saturating_sub(fixed);
        let mut fit = |text: &str, keep: usize| {
            let shown = lines(text).min(room.saturating_sub(keep));
            room -= shown;
            cut_to_lines(text, shown, width)
        };
        let others = usize::from(situation.is_some()) + usize::from(balanced.is_some());
        let thought = match fit(&thought, others) {
            // Never without the thought, whatever the height.
            cut if cut.is_empty() => cut_to_lines(&thought, 1, width),
            cut => cut,
        };
        let situation = situation.map(|s| fit(&s, usize::from(balanced.is_some())));
        let balanced = balanced.map(|b| fit(&b, 0));
        let mut parts = title;
        parts.extend(situation);
        parts.push(thought);
        parts.extend(balanced);
        parts.extend(believed);
        parts.push(question);
        parts.push(keys);
        parts.retain(|p| !p.is_empty());
        parts.join("\n")
    }

    /// The screen for `entry` in full, as [`Review::screen`] shows it when there is room.
    fn full_screen(&self, entry: &Entry, n: usize, total: usize) -> String {
        let mut s = String::new();
        let number = self.number(entry);
        let ago =
            rerating::days_in_words(rerating::whole_days(entry.started, Timestamp::now()), "ago");
        let title = format!("Looking back, {n} of {total}");
        s.push_str(&format!("{}\n\n", self.palette.heading.apply_to(title)));
        let when = format!(
            "Entry {number}, {} ({ago})",
            journal::local_time(entry.started)
        );
        s.push_str(&format!(
            "{}\n\n",
            self.palette.dim.apply_to(wrap(&when, self.width()))
        ));
        if let Some(situation) = &entry.situation {
            s.push_str(&format!("{}\n", self.labelled("Situation:", situation)));
        }
        s.push_str(&format!(
            "{}\n",
            self.labelled("Your thought:", &entry.thought)
        ));
        if let Some(balanced) = &entry.balanced_thought {
            s.push_str(&format!(
                "{}\n",
                self.labelled("Balanced thought:", balanced)
            ));
        }
        let cells = if self.width() >= 50 { 20 } else { 10 };
        let rows = [
            ("at first", entry.belief_before),
            ("after the work", entry.belief_after),
        ];
        if rows.iter().any(|(_, r)| r.is_some()) {
            s.push_str(&format!(
                "\n{}\n",
                self.palette.heading.apply_to("Belief in the thought then")
            ));
            for (label, rating) in rows {
                let shown = match rating {
                    Some(r) => format!("{} {r:>3}", self.palette.bar.apply_to(bar(r, cells))),
                    None => self.palette.dim.apply_to("not rated").to_string(),
                };
                s.push_str(&format!("  {label:<14}  {shown}\n"));
            }
        }
        s.push_str(&format!("\n{}\n", wrap(QUESTION, self.width())));
        s.push_str(&format!(
            "{}",
            self.palette.dim.apply_to(wrap(KEYS, self.width()))
        ));
        s
    }

    /// Reads a rating key by key on a short line of its own, so that it can be redrawn in place
    /// at any width. A digit that would take the number past 100 is refused with a reminder.
    fn ask(&self) -> Answer {
        const PROMPT: &str = "Belief now: ";
        let mut typed = String::new();
        let mut refused = false;
        loop {
            let _ = self.term.clear_line();
            let mut line = format!("{PROMPT}{typed}");
            if refused {
                line.push_str(&format!("  {}", self.palette.dim.apply_to("(0 to 100)")));
            }
            let _ = self.term.write_str(&line);
            let key = match self.term.read_key_raw() {
                Ok(key) => key,
                Err(_) => return Answer::Interrupted,
            };
            refused = false;
            match key {
                Key::Char(c @ '0'..='9') => {
                    let longer = format!("{typed}{c}");
                    if longer.len() <= 3 && longer.parse::<u8>().is_ok_and(|n| n <= 100) {
                        typed = longer;
                    } else {
                        refused = true;
                    }
                }
                Key::Backspace => {
                    typed.pop();
                }
                Key::Enter => {
                    let _ = self.term.write_line("");
                    return match typed.parse() {
                        Ok(n) => Answer::Rating(n),
                        Err(_) => Answer::Skip,
                    };
                }
                Key::Escape | Key::Char('q' | 'Q') => {
                    let _ = self.term.write_line("");
                    return Answer::Stop;
                }
                Key::CtrlC => {
                    let _ = self.term.write_line("");
                    return Answer::Interrupted;
                }
                Key::Char(_) => refused = true,
                _ => {}
            }
        }
    }

    /// What was saved: each thought rated, with its belief then and now, and where it is kept.
    /// `ended` says how the review ended early ("Stopped.", "Interrupted."), if it did.
    fn closing(&self, rated: &[(&Entry, u8)], ended: Option<&str>) {
        let width = self.width();
        let mut said: Vec<String> = ended.map(str::to_string).into_iter().collect();
        if rated.is_empty() {
            said.push("Nothing was saved.".to_string());
            note!("{}", wrap(&said.join(" "), width));
            return;
        }
        let noun = if rated.len() == 1 {
            "rating"
        } else {
            "ratings"
        };
        said.push(format!(
            "Saved {} {noun} to {}.",
            rated.len(),
            self.journal.path().display()
        ));
        note!("{}\n", wrap(&said.join(" "), width));
        for (entry, now) in rated {
            let then = then_in_words(entry).unwrap_or_else(|| "not rated then".to_string());
            let line = format!(
                "- Entry {}, {}: {then}, {now} now",
                self.number(entry),
                first_words(&entry.thought, 8)
            );
            note!("{}", wrap(&line, width));
        }
        note!(
            "\n{}",
            wrap(
                "`reframe journal show N` shows entry N with every rating you gave it.",
                width
            )
        );
    }
}
