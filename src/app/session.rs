//! `reframe session`: the guided thought record on a terminal, saved to the journal.
//!
//! The flow is the library's (`reframe::session`); this file supplies the terminal prompter,
//! built on dialoguer and drawn on standard error, the signal handler that keeps a draft, and the
//! saving. The note under the crisis lines saying which place they are for is
//! `super::region_note`.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};
use reframe::journal::{Entry, Journal, Status};
use reframe::output::Palette;
use reframe::output::safety::{concern_message, message, session_lines};
use reframe::output::wrap::wrap;
use reframe::rules::{Category, Level};
use reframe::session::{self, Asked, Draft, Options, Prompter, Stop};

use super::Setup;
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
    let Some(journal) = journal.filter(|_| entry.has_content()) else {
        note!("\nInterrupted. Nothing was saved.");
        return;
    };
    match journal.append(&entry) {
        Ok(()) => note!(
            "\nInterrupted. What you typed is saved as unfinished in {}.",
            journal.path().display()
        ),
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

/// The terminal prompter: dialoguer prompts on standard error.
struct Terminal {
    term: Term,
    theme: Box<dyn Theme>,
    palette: Palette,
}

impl Terminal {
    fn new(palette: Palette) -> Terminal {
        // Without colour, the plain theme: the colourful one styles regardless of NO_COLOR.
        let theme: Box<dyn Theme> = if palette.enabled {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Terminal {
            term: Term::stderr(),
            theme,
            palette,
        }
    }

    /// The width to write to: `COLUMNS` when set, as POSIX asks, else the terminal's, else 80;
    /// at most a comfortable reading width.
    fn width(&self) -> usize {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok());
        columns
            .or_else(|| self.term.size_checked().map(|(_, cols)| usize::from(cols)))
            .unwrap_or(80)
            .clamp(20, 100)
    }

    /// Asks for a line of text, and leaves the prompt and answer on screen once.
    ///
    /// On Enter, dialoguer clears only the screen row the cursor is on and writes the answer again
    /// below what is left (console-rs/dialoguer#295), so an answer that wrapped showed up twice.
    /// Instead: mark where the prompt starts, let dialoguer ask without reporting, then clear from
    /// the mark down and write the final line.
    /// (If the screen scrolled while typing, the mark is off by that much.)
    fn input(&self, prompt: &str, input: Input<'_, String>) -> Asked<String> {
        const SAVE_CURSOR: &str = "\x1b7";
        const BACK_TO_SAVED_AND_CLEAR_BELOW: &str = "\x1b8\x1b[J";
        let _ = self.term.write_str(SAVE_CURSOR);
        let answer = input
            .report(false)
            .interact_text_on(&self.term)
            .map_err(stopped)?;
        let mut line = String::new();
        let _ = self
            .theme
            .format_input_prompt_selection(&mut line, prompt, &answer);
        let _ = self.term.write_str(BACK_TO_SAVED_AND_CLEAR_BELOW);
        let _ = self.term.write_line(&line);
        Ok(answer)
    }

    /// Shows which keys a list answers to, on a line of its own above it (a prompt that wrapped
    /// would be redrawn badly).
    fn hint(&self, keys: &str) {
        note!("{}", self.palette.dim.apply_to(keys));
    }

    /// Items cut to one screen line each. Dialoguer redraws a list by counting lines, so an item
    /// that wrapped would leave pieces of the old list behind.
    fn fit(&self, items: &[String]) -> Vec<String> {
        let room = self.width().saturating_sub(6);
        items
            .iter()
            .map(|i| console::truncate_str(i, room, "…").into_owned())
            .collect()
    }
}

/// A dialoguer error means the terminal went away or input ended.
fn stopped(_: dialoguer::Error) -> Stop {
    Stop::Interrupted
}

/// `Esc` (no answer) goes back a step.
fn or_back<T>(answer: Option<T>) -> Asked<T> {
    answer.ok_or(Stop::Back)
}

impl Prompter for Terminal {
    fn step(&mut self, title: &str, thought: Option<&str>) -> Asked<()> {
        let _ = self.term.clear_screen();
        if let Some(thought) = thought {
            note!(
                "{} {thought}\n",
                self.palette.heading.apply_to("Your thought:")
            );
        }
        note!("{}\n", self.palette.heading.apply_to(title));
        Ok(())
    }

    fn show(&mut self, text: &str) -> Asked<()> {
        note!("{}\n", wrap(text, self.width()));
        Ok(())
    }

    fn pause(&mut self, prompt: &str) -> Asked<()> {
        let line = format!("{prompt}. Press Enter to go on, or Esc to go back.");
        note!("{}", self.palette.dim.apply_to(wrap(&line, self.width())));
        let _ = self.term.hide_cursor();
        let key = loop {
            match self.term.read_key() {
                Ok(Key::Enter) => break Ok(()),
                Ok(Key::Escape) => break Err(Stop::Back),
                Ok(_) => continue,
                Err(_) => break Err(Stop::Interrupted),
            }
        };
        let _ = self.term.show_cursor();
        key
    }

    fn text(&mut self, prompt: &str, initial: &str, required: bool) -> Asked<Option<String>> {
        // Enter on an empty optional field skips it; with text in it, Enter keeps the text.
        let prompt = if !required && initial.is_empty() {
            format!("{prompt} (Enter to skip)")
        } else {
            prompt.to_string()
        };
        let input = Input::with_theme(&*self.theme)
            .with_prompt(&prompt)
            .with_initial_text(initial)
            .allow_empty(!required);
        let answer = self.input(&prompt, input)?;
        Ok(Some(answer.trim().to_string()).filter(|a| !a.is_empty()))
    }

    fn rating(&mut self, prompt: &str, initial: Option<u8>) -> Asked<Option<u8>> {
        let prompt = format!("{prompt} (Enter to skip)");
        // A rating given before is in the field, to keep with Enter or to change.
        let initial = initial.map(|r| r.to_string()).unwrap_or_default();
        let input = Input::with_theme(&*self.theme)
            .with_prompt(&prompt)
            .with_initial_text(initial)
            .allow_empty(true)
            .validate_with(|s: &String| -> Result<(), &str> {
                let s = s.trim();
                if s.is_empty() || s.parse::<u8>().is_ok_and(|n| n <= 100) {
                    Ok(())
                } else {
                    Err("a whole number from 0 to 100, or Enter to skip")
                }
            });
        let answer = self.input(&prompt, input)?;
        Ok(answer.trim().parse().ok())
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        initial: Option<usize>,
    ) -> Asked<Option<usize>> {
        // The first row skips the step; the cursor starts there unless an item is given.
        let mut shown = vec!["Skip this step".to_string()];
        shown.extend(self.fit(items));
        self.hint("Arrow keys to move, Enter to choose, Esc to go back");
        let chosen = Select::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(&shown)
            .default(initial.map_or(0, |i| (i + 1).min(items.len())))
            .interact_on_opt(&self.term)
            .map_err(stopped)?;
        or_back(chosen).map(|i| i.checked_sub(1))
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Asked<usize> {
        self.hint("Arrow keys to move, Enter to choose");
        let chosen = Select::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(self.fit(items))
            .default(0)
            .interact_on_opt(&self.term)
            .map_err(stopped)?;
        or_back(chosen)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[usize],
    ) -> Asked<Vec<usize>> {
        self.hint("Space to choose or unchoose, Enter to go on, Esc to go back");
        let checked: Vec<bool> = (0..items.len()).map(|i| chosen.contains(&i)).collect();
        let chosen = MultiSelect::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(self.fit(items))
            .defaults(&checked)
            .interact_on_opt(&self.term)
            .map_err(stopped)?;
        or_back(chosen)
    }

    fn confirm(&mut self, prompt: &str, default: Option<bool>) -> Asked<bool> {
        // Enter confirms, so "yes" or "no" typed as a word, then Enter, answers this question
        // alone; without it the first letter answered and the Enter went on to the next prompt.
        let mut confirm = Confirm::with_theme(&*self.theme)
            .with_prompt(prompt)
            .wait_for_newline(true);
        if let Some(default) = default {
            confirm = confirm.default(default);
        }
        let answer = confirm.interact_on_opt(&self.term).map_err(stopped)?;
        or_back(answer)
    }
}
