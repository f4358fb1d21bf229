//! `reframe session`: the guided thought record on a terminal, saved to the journal.
//!
//! The flow is the library's (`reframe::session`); this file supplies the terminal prompter,
//! drawn on standard error with [`Editor`] and dialoguer's lists, the signal handler that keeps a draft, and the
//! saving. The note under the crisis lines saying which place they are for is
//! `super::region_note`.

use std::cell::Cell;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use console::Style;
use console::{Key, Term};
use dialoguer::theme::Theme;
use dialoguer::{MultiSelect, Select};
use reframe::journal::{Entry, Journal, Status};
use reframe::output::Palette;
use reframe::output::safety::{concern_message, message, session_lines};
use reframe::output::wrap::{shorten, wrap};
use reframe::rules::{Category, Level};
use reframe::session::{self, Asked, Draft, Options, Prompter, Stop};

use super::Setup;
use super::line_editor::{BRACKETED_PASTE_OFF, Editor, Ended};
use crate::config::Config;
use crate::exit_code::ExitCode;

/// Runs a session on the terminal with the engine and region of `setup`, then saves it to
/// `journal` (or to the file the person gave instead, if `journal` cannot be written) unless the
/// person declined or `save` is off. With `resume`, the session goes on with an unfinished entry
/// of `journal` (see [`earlier_entry`]).
pub(super) fn run(
    config: &Config,
    setup: &Setup,
    thought: Option<&str>,
    save: bool,
    resume: Option<Option<usize>>,
    journal: &Path,
) -> anyhow::Result<ExitCode> {
    let earlier = resume
        .map(|number| earlier_entry(journal, number))
        .transpose()?;
    let (engine, region) = (&setup.engine, &setup.region);
    let palette = Palette::new(config.color_stderr);
    let options = Options {
        thought: thought.map(str::to_string),
        region: region.clone(),
        region_note: setup.region_note(config),
        palette,
        welcome: true,
    };
    // Shown again if the session is interrupted at the check-in question, before it was answered.
    let lines = session_lines(
        Category::Suicide,
        region,
        &options.region_note,
        &options.palette,
    );
    let started = jiff::Timestamp::now();
    // The session checks this journal before its first question, and may change it.
    let draft = Arc::new(Mutex::new(Draft::new(
        started,
        save.then(|| Journal::at(journal)),
    )));
    // Whoever ends the session first, this thread or the signal handler, saves it; never both.
    let ended = Arc::new(AtomicBool::new(false));
    install_draft_keeper(Arc::clone(&draft), Arc::clone(&ended), lines.clone())?;

    let mut prompter = Terminal::new(options.palette.clone());
    let outcome = match &earlier {
        Some(earlier) => session::resume(&mut prompter, engine, &options, started, &draft, earlier),
        None => session::run(&mut prompter, engine, &options, started, &draft),
    };
    if ended.swap(true, Ordering::SeqCst) {
        // The signal handler is saving the draft, and exits when it is done.
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
    let _ = Term::stderr().show_cursor();
    // Where to save, as the session left it: the person may have given another file, or chosen
    // to go on without saving.
    let journal = draft
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .journal
        .clone();
    if outcome.interrupted {
        // The prompt saw Ctrl-C before the signal handler did: the same ending as the handler's.
        let keep = journal.as_ref().filter(|_| outcome.save);
        keep_draft(keep, outcome.entry, &lines);
        return Ok(ExitCode::Interrupted);
    }
    match journal {
        None if !save => note!("Nothing was saved (--no-save)."),
        // The journal is only added to: the entry gone on with stays as it was.
        _ if !outcome.save && outcome.entry.continues.is_some() => note!(
            "{}",
            wrap(
                "Nothing new was saved. The unfinished entry you went on with is still in your \
                 journal, as it was before this session.",
                screen_width(&Term::stderr())
            )
        ),
        _ if !outcome.save => note!("Nothing was saved."),
        None => note!("Nothing was saved."),
        Some(journal) => {
            if let Err(why) = journal.append(&outcome.entry) {
                // Exit code 2 says it failed, once the entry is safe on standard output.
                let kept = print_unsaved(&journal, &outcome.entry);
                anyhow::bail!(
                    "cannot save to the journal {}: {why}. {kept}",
                    journal.path().display()
                );
            }
            let what = match outcome.entry.status {
                Status::Complete => "Saved",
                Status::Unfinished => "Saved as unfinished",
            };
            note!("{what} to {}.", journal.path().display());
        }
    }
    Ok(ExitCode::Success)
}

/// The unfinished entry of `journal` to go on with: entry `number` (from 1, as `journal list`
/// numbers them), or without it the most recent one not continued already. An error says why
/// there is none, and what to do instead.
fn earlier_entry(journal: &Path, number: Option<usize>) -> anyhow::Result<Entry> {
    let (entries, warnings) = Journal::at(journal)
        .read()
        .with_context(|| format!("cannot read the journal {}", journal.display()))?;
    for w in warnings {
        super::warn(format_args!(
            "{}:{}: this line {}; it was skipped, and the file is left as it is",
            journal.display(),
            w.line,
            w.message
        ));
    }
    match reframe::journal::to_resume(&entries, number) {
        Ok(index) => Ok(entries[index].clone()),
        Err(why) => anyhow::bail!(
            "{why} in the journal {}. `reframe journal list` marks the unfinished entries, and \
             `reframe session` starts a new one",
            journal.display()
        ),
    }
}

/// Writes `entry`, which could not be saved to `journal`, to standard output as one journal line,
/// so that it is not lost; returns what to tell the person about it: where it is, and how to keep
/// it.
///
/// The line is written as it is, never wrapped, so it can be copied whole from a terminal.
fn print_unsaved(journal: &Journal, entry: &Entry) -> String {
    let printed = entry.to_line().and_then(|line| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()
    });
    match printed {
        Ok(()) => format!(
            "It is written to standard output instead, as one line of JSON. To keep it, add that \
             line to the end of {} once the file can be written (or to another journal file): \
             `reframe journal` reads it there",
            journal.path().display()
        ),
        Err(e) => format!("It could not be written to standard output either ({e}), and is lost"),
    }
}

/// Why a session cannot run where standard input or standard error is not a terminal, and what
/// to do instead.
pub(super) fn needs_a_terminal() -> anyhow::Error {
    anyhow::anyhow!(
        "a session needs a terminal to ask its questions, and standard input or standard error \
         is not one. To examine a thought without questions, run `reframe \"your thought\"`; \
         for many thoughts, pipe them in one per line or use `reframe -f FILE`"
    )
}

/// Answers `thought`, given to a session that cannot start (the rules or settings asked for did
/// not load, there is no terminal, or no journal), if it has crisis language; says nothing otherwise (the caller reports the
/// problem). The words are the session's: its crisis lines name no command-line flag, and the
/// note under them says which place they are for. Written to standard output, as the one-shot
/// answer it stands in for would be.
pub(super) fn answer_crisis_only(
    config: &Config,
    setup: &Setup,
    thought: &str,
) -> anyhow::Result<ExitCode> {
    let Some(safety) = setup.engine.analyse(thought).safety else {
        return Ok(ExitCode::Success);
    };
    let palette = Palette::new(config.color_stdout);
    let note = setup.region_note(config);
    let answer = match safety.level {
        Level::Crisis => {
            let lines = session_lines(safety.category, &setup.region, &note, &palette);
            let heading = palette.heading.apply_to(message(safety.category));
            format!("{heading}\n\n{lines}")
        }
        // As in one-shot: the lines first, then why they are shown; the note last.
        Level::Concern => {
            let lines = session_lines(safety.category, &setup.region, "", &palette);
            let why = concern_message(safety.category);
            format!("{lines}\n\n{why}\n\n{}", palette.dim.apply_to(note))
        }
    };
    let mut out = std::io::stdout().lock();
    super::write_prose(&mut out, &answer, config.width)?;
    out.flush()?;
    Ok(if config.exit_code {
        ExitCode::Crisis
    } else {
        ExitCode::Success
    })
}

/// The most of standard input read for [`answer_piped_crisis`]: a thought is a line or a few, and
/// a session that cannot run should not wait on a large file.
const PIPED_LIMIT: u64 = 64 * 1024;

/// Answers the first line piped into a session that cannot run that has crisis language, as
/// [`answer_crisis_only`] does; says nothing if none has (the caller reports the problem).
pub(super) fn answer_piped_crisis(config: &Config, setup: &Setup) -> anyhow::Result<ExitCode> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(PIPED_LIMIT)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    let text = reframe::batch::decode_lossy(&bytes);
    match text
        .lines()
        .find(|line| setup.engine.analyse(line).safety.is_some())
    {
        Some(line) => answer_crisis_only(config, setup, line),
        None => Ok(ExitCode::Success),
    }
}

/// On Ctrl-C, or the terminal closing (SIGINT, SIGTERM, SIGHUP), saves what was typed as an
/// unfinished entry to the draft's journal, if it has one, and exits with status 130.
fn install_draft_keeper(
    draft: Arc<Mutex<Draft>>,
    ended: Arc<AtomicBool>,
    lines: String,
) -> anyhow::Result<()> {
    ctrlc::set_handler(move || {
        if ended.swap(true, Ordering::SeqCst) {
            // The session has ended and is being saved; let that finish.
            return;
        }
        let _ = Term::stderr().show_cursor();
        // The line editor may have asked the terminal to mark pasted text.
        let _ = Term::stderr().write_str(BRACKETED_PASTE_OFF);
        if let Ok(draft) = draft.lock() {
            keep_draft(draft.journal.as_ref(), draft.entry.clone(), &lines);
        }
        std::process::exit(ExitCode::Interrupted as i32);
    })
    .context("cannot install the handler that keeps a draft when interrupted")
}

/// Saves an interrupted session as unfinished to `journal`, unless there is none (nothing is to
/// be saved) or nothing was typed, and says what happened to it. Interrupted at the check-in
/// question, before answering it, the person is shown the crisis `lines` on the way out.
fn keep_draft(journal: Option<&Journal>, mut entry: Entry, lines: &str) {
    entry.status = Status::Unfinished;
    if entry.check_in.is_some_and(|c| c.answer.is_none()) && !entry.safety_stop {
        note!("\n{lines}");
    }
    let width = screen_width(&Term::stderr());
    let Some(journal) = journal.filter(|_| entry.has_content()) else {
        note!("\nInterrupted. Nothing was saved.");
        return;
    };
    match journal.append(&entry) {
        Ok(()) => {
            let mut said = format!(
                "Interrupted. What you typed is saved as unfinished in {}.",
                journal.path().display()
            );
            // After a safety stop, the crisis lines matter more than the exercise.
            if !entry.safety_stop {
                said.push_str("\nTo go on with it later, where you stopped:");
            }
            note!("\n{}", wrap(&said, width));
            // The command is never wrapped, so that it can be copied whole.
            if !entry.safety_stop {
                note!("  {}", super::resume_command(journal.path(), ""));
            }
        }
        Err(why) => {
            // The printed line starts on a line of its own, not after an unanswered prompt.
            note!();
            let kept = print_unsaved(journal, &entry);
            note!(
                "Interrupted. What you typed cannot be saved to the journal {}: {why}. {kept}.",
                journal.path().display()
            );
        }
    }
}

/// The width to write to on `term`: `COLUMNS` when set, as POSIX asks, else the terminal's, else
/// 80; at most a comfortable reading width.
fn screen_width(term: &Term) -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok());
    columns
        .or_else(|| term.size_checked().map(|(_, cols)| usize::from(cols)))
        .unwrap_or(80)
        .clamp(20, 100)
}

/// The terminal prompter on standard error: typed answers, ratings and yes-or-no questions with
/// [`Editor`], lists with dialoguer.
struct Terminal {
    term: Term,
    theme: Marked,
    palette: Palette,
    /// The line being typed when a prompt was last left without an answer (Esc or Ctrl-C),
    /// until the flow takes it.
    typed: Option<String>,
    /// The rows written since the screen was last cleared, to know when the next thing would
    /// push the top of the screen out of sight.
    used: Cell<usize>,
}

impl Terminal {
    fn new(palette: Palette) -> Terminal {
        Terminal {
            term: Term::stderr(),
            theme: Marked {
                active: Style::new().cyan().force_styling(palette.enabled),
                colour: palette.enabled,
            },
            palette,
            typed: None,
            used: Cell::new(0),
        }
    }

    /// The height of the screen, when it is known.
    fn rows(&self) -> Option<usize> {
        self.term.size_checked().map(|(rows, _)| usize::from(rows))
    }

    /// Writes `text` as rows of their own, and counts them.
    fn write_rows(&self, text: &str) {
        note!("{text}");
        // A newline at the end is a blank row of its own.
        self.used.set(self.used.get() + text.split('\n').count());
    }

    /// Clears the screen, and starts counting rows again.
    fn clear(&self) {
        let _ = self.term.clear_screen();
        self.used.set(0);
    }

    /// Waits for Enter after `prompt`, in a dim row of its own; Esc goes back when `back` says
    /// there is somewhere to go, and does nothing otherwise.
    fn wait(&self, prompt: &str, back: bool) -> Asked<()> {
        self.write_rows(
            &self
                .palette
                .dim
                .apply_to(wrap(prompt, self.width()))
                .to_string(),
        );
        let _ = self.term.hide_cursor();
        let key = loop {
            match self.term.read_key() {
                Ok(Key::Enter) => break Ok(()),
                Ok(Key::Escape) if back => break Err(Stop::Back),
                Ok(_) => continue,
                Err(_) => break Err(Stop::Interrupted),
            }
        };
        let _ = self.term.show_cursor();
        key
    }

    /// Makes room for `rows` more rows under what is on the screen: if they would push its top
    /// out of sight, waits until what is there has been read, then clears it.
    fn room_for(&self, rows: usize) -> Asked<()> {
        match self.rows() {
            Some(height) if self.used.get() > 0 && self.used.get() + rows > height => {
                // Reading on is all there is to do here.
                self.wait("Next, a list to choose from. Press Enter to go on.", false)?;
                self.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The width to write to: [`screen_width`].
    fn width(&self) -> usize {
        screen_width(&self.term)
    }

    /// Lets the person type a line after `lead`, starting from `initial`, until Enter gives one
    /// that `check` takes. Esc goes back and Ctrl-C stops; either way the line is kept for
    /// [`Prompter::typed_when_left`]. The prompt is erased once answered.
    fn edit(
        &mut self,
        lead: &str,
        initial: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Asked<String> {
        self.typed = None;
        let note = Style::new().red().force_styling(self.palette.enabled);
        let mut editor = Editor::new(&self.term, self.width(), self.palette.heading.clone(), note);
        match editor.read(lead, initial, check) {
            Ok(Ended::Done(text)) => Ok(text),
            Ok(Ended::Back(text)) => {
                self.typed = Some(text);
                Err(Stop::Back)
            }
            Ok(Ended::Interrupted(text)) => {
                self.typed = Some(text);
                Err(Stop::Interrupted)
            }
            Err(_) => Err(Stop::Interrupted),
        }
    }

    /// Leaves `lead` and the `answer` given to it on screen, wrapped between words.
    fn answered(&self, lead: &str, answer: &str) {
        let line = format!("{} {answer}", self.palette.heading.apply_to(lead));
        self.write_rows(&wrap(line.trim_end(), self.width()));
    }

    /// Shows which keys a list answers to, then its prompt, wrapped between words, on lines of
    /// their own above it: dialoguer redraws a list by counting lines, and a prompt that wrapped
    /// was counted as one.
    ///
    /// A list of more `items` than fit under them on the screen is shown a page at a time, a
    /// page being what fits, so that the hint and the prompt stay in sight; the hint then says
    /// there is more, as dialoguer shows its page numbers only in a prompt of its own.
    ///
    /// A list that would not show at least a few items under what is on the screen gets a
    /// screen of its own, once what is there has been read.
    fn list_prompt(&self, keys: &str, prompt: &str, items: usize) -> Asked<ListTop> {
        let width = self.width();
        let lead = wrap(&with_colon(prompt), width);
        let more = wrap(
            &format!("{keys}. The list goes on past the screen: keep going down for more."),
            width,
        );
        let top = lead.lines().count() + more.lines().count();
        self.room_for(top + items.min(MIN_LIST_ROWS) + 1)?;
        // Room under what is on the screen, with one row free for the cursor below the list.
        let page = self.rows().and_then(|rows| {
            let length = rows.saturating_sub(self.used.get() + top + 1);
            (items > length).then_some(length.max(MIN_LIST_ROWS))
        });
        let keys = match page {
            Some(_) => more,
            None => wrap(keys, width),
        };
        let keys = self.palette.dim.apply_to(keys).to_string();
        let lead: Vec<String> = lead
            .lines()
            .map(|row| self.palette.heading.apply_to(row).to_string())
            .collect();
        for row in keys.lines().chain(lead.iter().map(String::as_str)) {
            note!("{row}");
        }
        Ok(ListTop {
            rows: keys.lines().count() + lead.len(),
            page,
        })
    }

    /// Replaces the `rows` of a list's keys and prompt, above the cursor, with the prompt and
    /// what was `chosen` (nothing when the person went back): the keys, and whether the list
    /// goes on, no longer apply once it is gone.
    fn list_answered(&self, rows: usize, prompt: &str, chosen: Option<&str>) {
        let _ = self.term.write_str(&format!("\x1b[{rows}A\r\x1b[J"));
        if let Some(chosen) = chosen {
            self.answered(&with_colon(prompt), chosen);
        }
    }

    /// Asks to choose one of `items`, under a first row "Skip this step", with the cursor on row
    /// `start` of the list shown (0 being the skip row); `None` when skipped.
    fn skippable(&self, prompt: &str, items: &[String], start: usize) -> Asked<Option<usize>> {
        let mut shown = vec!["Skip this step".to_string()];
        shown.extend(self.fit(items));
        let top = self.list_prompt(
            "Arrow keys to move, Enter to choose, Esc to go back",
            prompt,
            shown.len(),
        )?;
        let mut list = Select::with_theme(&self.theme)
            .items(&shown)
            .default(start.min(items.len()));
        if let Some(page) = top.page {
            list = list.max_length(page);
        }
        let chosen = list.interact_on_opt(&self.term).map_err(stopped)?;
        let answer = chosen.map(|i| match i {
            0 => "skipped",
            i => items[i - 1].as_str(),
        });
        self.list_answered(top.rows, prompt, answer);
        chosen.ok_or(Stop::Back).map(|i| i.checked_sub(1))
    }

    /// Items cut to one screen line each. Dialoguer redraws a list by counting lines, so an item
    /// that wrapped would leave pieces of the old list behind.
    fn fit(&self, items: &[String]) -> Vec<String> {
        let room = self.width().saturating_sub(6);
        items.iter().map(|i| shorten(i, room)).collect()
    }
}

/// What [`Terminal::list_prompt`] drew above a list.
struct ListTop {
    /// The rows the prompt took.
    rows: usize,
    /// The length to give dialoguer when the list is shown a page at a time.
    page: Option<usize>,
}

/// `prompt` as it stands before an answer: with a colon, unless it ends in a question mark or
/// other stop of its own ("most?: Nobody" reads as a slip).
fn with_colon(prompt: &str) -> String {
    match prompt.ends_with(['?', '.', '!']) {
        true => prompt.to_string(),
        false => format!("{prompt}:"),
    }
}

/// `prompt` with `hint` added: inside the parentheses it ends with, if it has some, so that two
/// never stand side by side.
fn hinted(prompt: &str, hint: &str) -> String {
    match prompt.strip_suffix(')') {
        Some(open) if open.contains('(') => format!("{open}, or {hint})"),
        _ => format!("{prompt} ({hint})"),
    }
}

/// The theme of the lists: the current row is marked by a sign, with colour or without it, never
/// by colour alone.
struct Marked {
    /// The style of the current row.
    active: Style,
    /// Whether colour is on, and with it the heavier marker.
    colour: bool,
}

impl Marked {
    fn marker(&self, active: bool) -> String {
        match (active, self.colour) {
            (false, _) => " ".to_string(),
            (true, false) => ">".to_string(),
            (true, true) => self.active.apply_to("❯").to_string(),
        }
    }

    fn text(&self, text: &str, active: bool) -> String {
        if active {
            self.active.apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }
}

impl Theme for Marked {
    fn format_select_prompt_item(
        &self,
        f: &mut dyn std::fmt::Write,
        text: &str,
        active: bool,
    ) -> std::fmt::Result {
        write!(f, "{} {}", self.marker(active), self.text(text, active))
    }

    fn format_multi_select_prompt_item(
        &self,
        f: &mut dyn std::fmt::Write,
        text: &str,
        checked: bool,
        active: bool,
    ) -> std::fmt::Result {
        let check = if checked { "[x]" } else { "[ ]" };
        write!(
            f,
            "{} {check} {}",
            self.marker(active),
            self.text(text, active)
        )
    }
}

/// A dialoguer error means the terminal went away or input ended.
fn stopped(_: dialoguer::Error) -> Stop {
    Stop::Interrupted
}

/// The fewest rows a screen needs for text to come a page at a time on it.
const MIN_PAGE_ROWS: usize = 8;

/// The fewest items a list shows at once: a list that would show fewer under what is on the
/// screen gets a screen of its own.
const MIN_LIST_ROWS: usize = 5;

/// What the rating prompt says to an answer it cannot take.
const NOT_A_RATING: &str = "Please type a whole number from 0 to 100, or press Enter to skip.";

impl Prompter for Terminal {
    fn step(&mut self, title: &str, thought: Option<&str>) -> Asked<()> {
        self.clear();
        if let Some(thought) = thought {
            let line = format!(
                "{} {thought}",
                self.palette.heading.apply_to("Your thought:")
            );
            self.write_rows(&format!("{}\n", wrap(&line, self.width())));
        }
        self.write_rows(&format!("{}\n", self.palette.heading.apply_to(title)));
        Ok(())
    }

    /// Shows `text`, a screen at a time when it is taller than what is left of the screen, so
    /// that nothing scrolls out of sight before it is read.
    fn show(&mut self, text: &str) -> Asked<()> {
        let wrapped = wrap(text, self.width());
        let mut rest: Vec<&str> = wrapped.lines().collect();
        // Each page leaves two rows: one for "more", one for the cursor. A screen too short for
        // a page and its prompt is written to as it is, scrolling.
        let pages = self.rows().filter(|&h| h >= MIN_PAGE_ROWS);
        while let Some(height) = pages.filter(|&h| self.used.get() + rest.len() + 3 > h) {
            let room = height.saturating_sub(self.used.get() + 3).min(rest.len());
            // A page ends between paragraphs where one ends in its lower half, else before a
            // row that starts an item or a paragraph, never inside an item's rows.
            let lower = (room / 2).max(1)..room;
            let end = lower
                .clone()
                .rev()
                .find(|&i| rest[i].trim().is_empty())
                .or_else(|| lower.rev().find(|&i| !rest[i].starts_with(' ')))
                .unwrap_or(room);
            let (page, after) = rest.split_at(end);
            if !page.is_empty() {
                self.write_rows(&page.join("\n"));
            }
            // Esc does nothing here: the rest of the text, the crisis lines of the first screen
            // among them, is never skipped.
            self.wait("More below. Press Enter to read on.", false)?;
            self.clear();
            // The next page starts with words, not with the space between paragraphs.
            rest = after
                .iter()
                .skip_while(|l| l.trim().is_empty())
                .copied()
                .collect();
        }
        self.write_rows(&format!("{}\n", rest.join("\n")));
        Ok(())
    }

    fn columns(&self) -> Option<usize> {
        Some(self.width())
    }

    fn rows(&self) -> Option<usize> {
        Terminal::rows(self)
    }

    /// Never paged: the screen is cleared first when the text would not fit under what is on
    /// it, and a text taller than the screen scrolls, keeping its end (the lines) in view.
    fn show_whole(&mut self, text: &str) -> Asked<()> {
        let wrapped = wrap(text, self.width());
        let rows = wrapped.lines().count() + 1;
        if self
            .rows()
            .is_some_and(|height| self.used.get() > 0 && self.used.get() + rows + 2 > height)
        {
            self.clear();
        }
        self.write_rows(&format!("{wrapped}\n"));
        Ok(())
    }

    fn pause(&mut self, prompt: &str, back: bool) -> Asked<()> {
        let line = match back {
            true => format!("{prompt}. Press Enter to go on, or Esc to go back."),
            false => format!("{prompt}. Press Enter to go on."),
        };
        self.wait(&line, back)
    }

    fn text(&mut self, prompt: &str, initial: &str, required: bool) -> Asked<Option<String>> {
        // Enter on an empty optional field skips it; with text in it, Enter keeps the text.
        let prompt = if !required && initial.is_empty() {
            hinted(prompt, "Enter to skip")
        } else {
            prompt.to_string()
        };
        let lead = with_colon(&prompt);
        let answer = self.edit(&lead, initial, |typed| {
            if required && typed.trim().is_empty() {
                Err("Please write a few words here, or press Esc to go back.".to_string())
            } else {
                Ok(())
            }
        })?;
        let answer = answer.trim().to_string();
        self.answered(&lead, &answer);
        Ok(Some(answer).filter(|a| !a.is_empty()))
    }

    fn rating(&mut self, prompt: &str, initial: Option<u8>) -> Asked<Option<u8>> {
        let lead = format!("{}:", hinted(prompt, "Enter to skip"));
        // A rating given before is in the field, to keep with Enter or to change.
        let initial = initial.map(|r| r.to_string()).unwrap_or_default();
        let answer = self.edit(&lead, &initial, |typed| {
            let typed = typed.trim();
            if typed.is_empty() || typed.parse::<u8>().is_ok_and(|n| n <= 100) {
                Ok(())
            } else {
                Err(NOT_A_RATING.to_string())
            }
        })?;
        let rating = answer.trim().parse().ok();
        self.answered(&lead, answer.trim());
        Ok(rating)
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        initial: Option<usize>,
    ) -> Asked<Option<usize>> {
        // The first row skips the step; the cursor starts there unless an item is given.
        self.skippable(prompt, items, initial.map_or(0, |i| i + 1))
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Asked<usize> {
        let top = self.list_prompt("Arrow keys to move, Enter to choose", prompt, items.len())?;
        let mut list = Select::with_theme(&self.theme)
            .items(self.fit(items))
            .default(0);
        if let Some(page) = top.page {
            list = list.max_length(page);
        }
        let chosen = list.interact_on_opt(&self.term).map_err(stopped)?;
        self.list_answered(top.rows, prompt, chosen.map(|i| items[i].as_str()));
        chosen.ok_or(Stop::Back)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Asked<Vec<usize>> {
        let top = self.list_prompt(
            "Space to choose or unchoose, Enter to go on, Esc to go back",
            prompt,
            items.len(),
        )?;
        let mut list = MultiSelect::with_theme(&self.theme)
            .items(self.fit(items))
            .defaults(checked);
        if let Some(page) = top.page {
            list = list.max_length(page);
        }
        let chosen = list.interact_on_opt(&self.term).map_err(stopped)?;
        // What was chosen is left on screen by name: an item "name: what it is" is reported as
        // its name alone, so the line stays short.
        let names = chosen.as_ref().map(|chosen| {
            chosen
                .iter()
                .map(|&i| {
                    let name = items[i]
                        .split_once(": ")
                        .map_or(items[i].as_str(), |(name, _)| name);
                    // "something else (type it)" is reported as "something else".
                    match name.split_once(" (") {
                        Some((name, rest)) if rest.ends_with(')') => name,
                        _ => name,
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        });
        self.list_answered(top.rows, prompt, names.as_deref());
        chosen.ok_or(Stop::Back)
    }

    fn confirm(&mut self, prompt: &str, default: Option<bool>) -> Asked<bool> {
        // A word and Enter answers, so that the Enter never goes on to the next prompt.
        let choices = match default {
            Some(true) => "[Y/n]",
            Some(false) => "[y/N]",
            None => "[y/n]",
        };
        let lead = format!("{prompt} {choices}");
        let yes_or_no = |typed: &str| match typed.trim().to_lowercase().as_str() {
            "y" | "yes" => Some(true),
            "n" | "no" => Some(false),
            "" => default,
            _ => None,
        };
        let answer = self.edit(&lead, "", |typed| match yes_or_no(typed) {
            Some(_) => Ok(()),
            None => Err("Please type yes or no, then Enter.".to_string()),
        })?;
        let yes = yes_or_no(&answer).unwrap_or_default();
        self.answered(prompt, if yes { "yes" } else { "no" });
        Ok(yes)
    }

    fn typed_when_left(&mut self) -> Option<String> {
        self.typed.take()
    }
}

#[cfg(test)]
mod tests {
    use super::hinted;
    use crate::app::resume_command;

    #[test]
    fn the_resume_command_names_a_journal_that_is_not_the_default_quoted_for_a_shell() {
        let path = std::path::Path::new("/home/sam/notes/j.jsonl");
        assert_eq!(
            resume_command(path, "3"),
            "reframe session --resume 3 --journal /home/sam/notes/j.jsonl"
        );
        let path = std::path::Path::new("/home/sam/Sam's notes/j.jsonl");
        assert_eq!(
            resume_command(path, ""),
            r"reframe session --resume --journal '/home/sam/Sam'\''s notes/j.jsonl'"
        );
        if let Some(default) = reframe::journal::Journal::default_path() {
            assert_eq!(resume_command(&default, ""), "reframe session --resume");
        }
    }

    #[test]
    fn a_prompt_gets_a_colon_unless_it_ends_in_a_stop_of_its_own() {
        assert_eq!(
            super::with_colon("What is the thought?"),
            "What is the thought?"
        );
        assert_eq!(super::with_colon("Your small step"), "Your small step:");
        assert_eq!(
            super::with_colon("How strong is it? (Enter to skip)"),
            "How strong is it? (Enter to skip):"
        );
    }

    #[test]
    fn a_hint_joins_the_parentheses_a_prompt_ends_with() {
        assert_eq!(
            hinted("In your own words (edit freely)", "Enter to skip"),
            "In your own words (edit freely, or Enter to skip)"
        );
        assert_eq!(
            hinted("How strong is it, 0 to 100?", "Enter to skip"),
            "How strong is it, 0 to 100? (Enter to skip)"
        );
    }
}
