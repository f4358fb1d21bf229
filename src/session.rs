//! The guided thought record: the questions a session asks, in order, and what it keeps.
//!
//! The flow is written against [`Prompter`], a small trait for asking one thing at a time. The
//! command line's prompter draws on a terminal with `dialoguer`; [`Scripted`] answers from a list,
//! for tests, and records what was asked.
//!
//! Safety comes first. A thought given on the command line is checked before the first question,
//! and every free-text answer as it is given. On crisis language the exercise stops, crisis lines
//! are shown, and the person chooses whether to keep what they typed. A warning sign that does not
//! say it outright (a `concern`-level finding), or "hopeless" rated 70 or more, leads to one
//! direct question, [`CHECK_IN`], asked once per session: yes goes to the crisis lines, no goes on.
//!
//! Nothing typed is lost to a journal that cannot be written: before the first step (after the
//! thought given is checked for safety), the session checks that its journal can be written. If it
//! cannot, it says why and lets the person give another file, go on without saving, or stop.
//! Saving itself is left to the caller, with the [`Draft`] this keeps. Nothing typed is lost to a
//! step either: going back keeps every answer and rating, and a step visited again starts from
//! them. A no to saving is asked about once more.
//!
//! A session begins with a first screen ([`welcome`]) and ends with closing words ([`closing`]).
//! [`resume`] goes on with an unfinished entry where it stopped, as a new entry that names it.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use jiff::Timestamp;

use crate::Engine;
use crate::journal::{
    Answer, CheckIn, CheckInAnswer, CheckInReason, Entry, Feeling, Journal, Pattern, Status,
};
use crate::output::Palette;
use crate::output::safety::{message, session_lines};
use crate::output::text::{GENERAL_QUESTIONS, highlight};
use crate::resources::Region;
use crate::rules::{Category, Level};

/// Why a prompt did not return an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The person asked to go back a step (Esc, where the prompt allows it).
    Back,
    /// The session was interrupted (Ctrl-C, or the terminal went away).
    Interrupted,
}

/// What a prompt returns: the answer, or why there is none.
pub type Asked<T> = Result<T, Stop>;

/// Asks one thing at a time. "Skipped" means the person pressed Enter without answering.
///
/// Prompts carry no key names; a prompter adds the keys its own medium uses.
pub trait Prompter {
    /// Starts a step: shows its title, under the thought being examined (once there is one).
    fn step(&mut self, title: &str, thought: Option<&str>) -> Asked<()>;
    /// Shows text that needs no answer.
    fn show(&mut self, text: &str) -> Asked<()>;
    /// Waits until the person has read what was shown and is ready to go on.
    fn pause(&mut self, prompt: &str) -> Asked<()>;
    /// Asks for one line of text, starting from `initial`. `None` when skipped; a required
    /// question is asked again until it gets an answer.
    fn text(&mut self, prompt: &str, initial: &str, required: bool) -> Asked<Option<String>>;
    /// Asks for a rating from 0 to 100, starting from `initial` (a rating given before, when a
    /// step is visited again). `None` when skipped.
    fn rating(&mut self, prompt: &str, initial: Option<u8>) -> Asked<Option<u8>>;
    /// Asks to choose one item, starting on `initial` (`None`: on skipping the question);
    /// `None` when skipped.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        initial: Option<usize>,
    ) -> Asked<Option<usize>>;
    /// Asks to choose one item, with no way to skip the question.
    fn choose(&mut self, prompt: &str, items: &[String]) -> Asked<usize>;
    /// Asks to choose any number of items, with those in `chosen` chosen to start with.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[usize],
    ) -> Asked<Vec<usize>>;
    /// Asks a yes-or-no question; Enter alone gives `default`, and with no default a yes or a no
    /// is needed.
    fn confirm(&mut self, prompt: &str, default: Option<bool>) -> Asked<bool>;
}

/// Feelings offered in step 2; the person can add their own.
pub const FEELINGS: [&str; 12] = [
    "hurt",
    "rejected",
    "dismissed",
    "unwanted",
    "ashamed",
    "lonely",
    "sad",
    "angry",
    "anxious",
    "embarrassed",
    "jealous",
    "hopeless",
];

/// Small steps offered in step 8; the person can write their own.
pub const SMALL_STEPS: [&str; 5] = [
    "Go for a short walk outside",
    "Message a friend, about anything",
    "Write down three things that went all right today",
    "Eat something and drink some water",
    "Do one small task I have been putting off",
];

/// The check-in question: asked once per session, plainly, when an answer has a warning sign or
/// "hopeless" is rated [`HOPELESS_CHECK_IN`] or more.
pub const CHECK_IN: &str = "Are you having thoughts of ending your life?";

/// A rating of "hopeless" from which the session asks [`CHECK_IN`].
pub const HOPELESS_CHECK_IN: u8 = 70;

/// What the session needs besides the engine.
#[derive(Debug, Clone)]
pub struct Options {
    /// The thought to start with, from `reframe session "..."`.
    pub thought: Option<String>,
    /// The region whose crisis lines to show when an answer speaks of suicide, self-harm or danger.
    pub region: Region,
    /// Shown under the crisis lines: which place they are for, where that choice came from, and
    /// how to change it later. Inside a session this never names a command-line flag.
    pub region_note: String,
    /// Styles for highlighted words and bars.
    pub palette: Palette,
    /// Whether to begin with the first screen, [`welcome`]: what the exercise is, and where help
    /// is. Shown once, after a thought given is checked for safety and the journal is checked,
    /// before step 1.
    pub welcome: bool,
}

/// What a session leaves to keep if it is interrupted: everything typed so far, and where to keep
/// it. The session brings it up to date before each prompt, so a signal handler can save it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Everything typed so far.
    pub entry: Entry,
    /// Where the entry is to be saved; `None` when nothing is (saving is off, or the person chose
    /// to go on without saving). Checked before the first step, and changed there if it cannot be
    /// written and the person gives another file.
    pub journal: Option<Journal>,
}

impl Draft {
    /// A draft with nothing typed yet, for a session started at `started` that saves to `journal`.
    pub fn new(started: Timestamp, journal: Option<Journal>) -> Draft {
        Draft {
            entry: Entry::new(started),
            journal,
        }
    }
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Everything typed, as it would be saved.
    pub entry: Entry,
    /// Whether the person wants it kept (a finished session they chose to save, or an
    /// unfinished one they chose to keep).
    pub save: bool,
    /// Whether the session was interrupted (Ctrl-C, or the terminal went away) rather than
    /// ended by the person.
    pub interrupted: bool,
}

/// What the safety check heard in an answer.
#[derive(Debug, Clone, Copy)]
enum Heard {
    /// Crisis language or a warning sign, with its level and kind.
    Finding(Level, Category),
    /// Suicide or self-harm named without either (see `Analysis::mentions_suicide`).
    Mention,
}

impl Heard {
    fn of(analysis: &crate::analysis::Analysis) -> Option<Heard> {
        match &analysis.safety {
            Some(found) => Some(Heard::Finding(found.level, found.category)),
            None if analysis.mentions_suicide => Some(Heard::Mention),
            None => None,
        }
    }
}

/// Said before [`CHECK_IN`], by what led to it.
const CHECK_IN_LEAD_CONCERN: &str = "What you wrote sounds like a heavy thing to carry, and I want \
    to check in with you before we go on. I'd rather ask plainly, and any answer is all right.";
const CHECK_IN_LEAD_MENTION: &str = "You wrote about suicide or self-harm, and I want to check in \
    with you before we go on. I'd rather ask plainly, and any answer is all right.";
const CHECK_IN_LEAD_HOPELESS: &str = "Feeling this hopeless is a heavy thing to carry, and I want \
    to check in with you before we go on. I'd rather ask plainly, and any answer is all right.";
/// Said above the crisis lines after a yes.
const CHECK_IN_YES: &str = "Thank you for telling me. That took courage, and you deserve support \
    right now. You don't have to carry this alone.";
/// Said after a no, above the crisis lines, before the exercise goes on.
const CHECK_IN_NO: &str = "Thank you for answering. If that changes at any point, please reach \
    out straight away to someone you trust, or to one of these lines. For now, let's go on gently.";
/// Said, above the crisis lines, when a later answer has a warning sign after the check-in.
const REMINDER: &str = "What you just wrote sounds heavy too. I won't ask again, but these lines \
    are here for you at any moment, and you can stop the exercise whenever you like.";
/// Step 5's questions for a thought with a warning sign: none asks for evidence that the thought
/// is true (such as evidence of being a burden); they turn toward support and care instead.
const WARNING_SIGN_QUESTIONS: [&str; 3] = [
    "What would you say to a friend who told you this about themselves?",
    "Who is one person you could tell how heavy things feel right now?",
    "What is one small, kind thing you could do for yourself today?",
];
/// Step 4 for a thought with a warning sign, after the check-in was answered no: no reframe, and
/// nothing that sounds as if the thought were fine.
const NO_REFRAME_FOR_WARNING_SIGN: &str = "reframe doesn't offer reframes for words like these: \
    they deserve more care than a rewording. The questions that come next may still help you look \
    at what is weighing on you, at your own pace, and you can stop at any time.";
/// Said before the crisis lines at a safety stop.
const STOPPING: &str = "Let's stop the exercise here. Reaching out to one of the lines below, or to \
    someone you trust, matters more right now.";

/// The choices offered when the journal cannot be written, in order: [`JournalChoice`].
const JOURNAL_CHOICES: [&str; 3] = ["Save to another file", "Go on without saving", "Stop here"];

/// What the person chose when the journal cannot be written.
enum JournalChoice {
    Elsewhere,
    WithoutSaving,
    Stop,
}

const OWN_FEELING: &str = "something else (type it)";
const OWN_THOUGHT: &str = "Write my own";
const OWN_STEP: &str = "Something else (type it)";

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Situation,
    Feelings,
    Thought,
    Recognised,
    Questions,
    Balanced,
    Rerate,
    Small,
    Summary,
}

const STEPS: [Step; 9] = [
    Step::Situation,
    Step::Feelings,
    Step::Thought,
    Step::Recognised,
    Step::Questions,
    Step::Balanced,
    Step::Rerate,
    Step::Small,
    Step::Summary,
];

impl Step {
    /// The step's title; [`Flow::begin`] numbers it.
    fn title(self) -> &'static str {
        match self {
            Step::Situation => "What happened",
            Step::Feelings => "Feelings",
            Step::Thought => "The thought",
            Step::Recognised => "What reframe recognised",
            Step::Questions => "Questions",
            Step::Balanced => "A balanced thought",
            Step::Rerate => "Now",
            Step::Small => "One small step",
            Step::Summary => "Summary",
        }
    }
}

/// Why a step did not just go on to the next one.
enum Halt {
    /// A prompt stopped: back a step, or interrupted.
    Stop(Stop),
    /// The session ends here: at the summary, or at the safety stop.
    End(Box<Outcome>),
}

impl From<Stop> for Halt {
    fn from(stop: Stop) -> Halt {
        Halt::Stop(stop)
    }
}

struct Flow<'a, P: Prompter> {
    prompter: &'a mut P,
    /// A copy of `entry`, and where to save it, that a signal handler can use.
    draft: &'a Mutex<Draft>,
    engine: &'a Engine,
    options: &'a Options,
    entry: Entry,
    /// The reframes offered in step 6, from the findings.
    reframes: Vec<String>,
    /// The questions for step 5.
    questions: Vec<String>,
    /// The person chose to go on without saving: nothing asks to save any more.
    unsaved: bool,
    /// Answers the safety check has already answered, so that one kept unchanged (the thought
    /// given on the command line, accepted at step 3) is not answered twice.
    heard: Vec<String>,
}

/// Runs a session to its end. `draft` is kept up to date with everything typed, before each
/// prompt, so a signal handler can save it if the process is interrupted; its journal is checked
/// before the first step, and holds where to save the entry when the session ends.
pub fn run<P: Prompter>(
    prompter: &mut P,
    engine: &Engine,
    options: &Options,
    started: Timestamp,
    draft: &Mutex<Draft>,
) -> Outcome {
    let mut entry = Entry::new(started);
    if let Some(thought) = &options.thought {
        entry.thought = thought.trim().to_string();
    }
    drive(prompter, engine, options, draft, entry, None)
}

/// Goes on with `earlier`, an unfinished entry, in a session started at `started`, at the step
/// where it stopped ([`resume_step`]), with everything it holds filled in; otherwise as [`run`]
/// does. The entry that results is a new one that names `earlier` in
/// [`Entry::continues`]: the journal is only ever added to.
///
/// Everything `earlier` holds is checked for safety before anything else, as a thought given to
/// [`run`] is, and a "hopeless" rated [`HOPELESS_CHECK_IN`] or more leads to [`CHECK_IN`]: the
/// check-in is asked afresh, whatever was answered then. There is no first screen; a short one
/// says where the session goes on instead.
pub fn resume<P: Prompter>(
    prompter: &mut P,
    engine: &Engine,
    options: &Options,
    started: Timestamp,
    draft: &Mutex<Draft>,
    earlier: &Entry,
) -> Outcome {
    let entry = continuation(earlier, started);
    let at = resume_step(&entry);
    drive(prompter, engine, options, draft, entry, Some(at))
}

/// A new entry, started at `started`, that goes on with `earlier`: what was written and rated is
/// kept, and what the earlier session's ending decided (its status, a safety stop, the check-in)
/// is not.
fn continuation(earlier: &Entry, started: Timestamp) -> Entry {
    let mut entry = earlier.clone();
    entry.version = crate::journal::VERSION;
    entry.started = started;
    entry.continues = Some(earlier.started);
    entry.status = Status::Unfinished;
    entry.safety_stop = false;
    entry.safety_category = None;
    entry.check_in = None;
    entry
}

/// The step, numbered from 1, at which a session going on with `entry` starts: the last step
/// that holds something the person gave, so that what was given there can be finished, or the
/// one after it when that step is plainly done. Steps 5 and 6 are built on what step 4
/// recognises, so answers to step 5's questions start again at step 4 (with every answer filled
/// in); a balanced thought written in step 6 needs nothing from step 4.
pub fn resume_step(entry: &Entry) -> usize {
    let step = if entry.step.is_some() {
        Step::Summary
    } else if entry.belief_after.is_some() || entry.feelings.iter().any(|f| f.after.is_some()) {
        Step::Rerate
    } else if entry.balanced_thought.is_some() {
        match entry.balanced_belief {
            Some(_) => Step::Rerate,
            None => Step::Balanced,
        }
    } else if !entry.answers.is_empty() {
        Step::Recognised
    } else if !entry.thought.trim().is_empty() {
        match entry.belief_before {
            Some(_) => Step::Recognised,
            None => Step::Thought,
        }
    } else if entry.situation.is_some() || !entry.feelings.is_empty() {
        Step::Feelings
    } else {
        Step::Situation
    };
    STEPS.iter().position(|&s| s == step).unwrap_or(0) + 1
}

/// Runs a session with `entry` from its start, or, going on with an earlier one, from step
/// `resumed_at`.
fn drive<P: Prompter>(
    prompter: &mut P,
    engine: &Engine,
    options: &Options,
    draft: &Mutex<Draft>,
    entry: Entry,
    resumed_at: Option<usize>,
) -> Outcome {
    let mut flow = Flow {
        prompter,
        draft,
        engine,
        options,
        entry,
        reframes: Vec::new(),
        questions: Vec::new(),
        // A session that saves nowhere from the start (`--no-save`) never asks to save.
        unsaved: draft.lock().map_or(true, |d| d.journal.is_none()),
        heard: Vec::new(),
    };
    // The thought given on the command line, or everything an earlier entry holds, is checked
    // before the first question.
    if let Err(halt) = flow.check_given(resumed_at.is_some()) {
        match halt {
            Halt::End(outcome) => return *outcome,
            Halt::Stop(Stop::Interrupted) => return flow.interrupted(),
            // Esc before the first step has nowhere to go back to.
            Halt::Stop(Stop::Back) => {}
        }
    }
    // Then the journal, before anything else is typed that could be lost to it.
    if let Err(halt) = flow.check_journal() {
        match halt {
            Halt::End(outcome) => return *outcome,
            Halt::Stop(Stop::Interrupted) => return flow.interrupted(),
            Halt::Stop(Stop::Back) => {}
        }
    }
    // Then what this is, once, before anything is asked: after the journal's check, so that it
    // says truly whether what is written will be kept. Going on, where it goes on.
    let shown = match resumed_at {
        Some(at) => flow.going_on(at),
        None if flow.options.welcome => flow.welcome(),
        None => Ok(()),
    };
    if shown == Err(Stop::Interrupted) {
        return flow.interrupted();
    }
    let mut at = resumed_at.map_or(0, |at| at.saturating_sub(1));
    while at < STEPS.len() {
        match flow.run_step(STEPS[at]) {
            Ok(()) => at += 1,
            Err(Halt::End(outcome)) => return *outcome,
            Err(Halt::Stop(Stop::Back)) => at = at.saturating_sub(1),
            Err(Halt::Stop(Stop::Interrupted)) => return flow.interrupted(),
        }
    }
    unreachable!("the summary step always ends the session")
}

impl<P: Prompter> Flow<'_, P> {
    /// The prompter, after copying everything typed so far to the draft: however the next
    /// prompt ends, an interruption keeps every earlier answer.
    fn ask(&mut self) -> &mut P {
        if let Ok(mut shared) = self.draft.lock() {
            shared.entry.clone_from(&self.entry);
        }
        self.prompter
    }

    /// Asks for a rating, starting from `initial`: [`Prompter::rating`], by way of [`Flow::ask`].
    fn rate(&mut self, prompt: &str, initial: Option<u8>) -> Asked<Option<u8>> {
        self.ask().rating(prompt, initial)
    }

    /// Checks that the draft's journal can be written. If it cannot, says why and asks what to
    /// do: give another file (checked in turn), go on without saving, or stop here.
    fn check_journal(&mut self) -> Result<(), Halt> {
        let Some(mut journal) = self.draft.lock().ok().and_then(|d| d.journal.clone()) else {
            return Ok(());
        };
        while let Err(why) = journal.check_writable() {
            self.ask().show(&format!(
                "Your journal can't be saved to {}: {why}.\n\nSo that nothing you write here is \
                 lost, please choose what to do before we start.",
                journal.path().display()
            ))?;
            match self.journal_choice()? {
                JournalChoice::Elsewhere => {
                    match self.ask().text("Another file to save to", "", true) {
                        Ok(Some(path)) => journal = Journal::at(typed_path(&path)),
                        // Back to the choice, with the same reason.
                        Ok(None) | Err(Stop::Back) => {}
                        Err(Stop::Interrupted) => return Err(Stop::Interrupted.into()),
                    }
                }
                JournalChoice::WithoutSaving => {
                    self.unsaved = true;
                    self.set_journal(None);
                    return Ok(());
                }
                JournalChoice::Stop => {
                    return Err(Halt::End(Box::new(Outcome {
                        entry: self.entry.clone(),
                        save: false,
                        interrupted: false,
                    })));
                }
            }
        }
        self.set_journal(Some(journal));
        Ok(())
    }

    /// Asks what to do about a journal that cannot be written; Esc asks again.
    fn journal_choice(&mut self) -> Asked<JournalChoice> {
        let items: Vec<String> = JOURNAL_CHOICES.iter().map(|c| c.to_string()).collect();
        loop {
            match self.ask().choose("What would you like to do?", &items) {
                Ok(0) => return Ok(JournalChoice::Elsewhere),
                Ok(1) => return Ok(JournalChoice::WithoutSaving),
                Ok(_) => return Ok(JournalChoice::Stop),
                Err(Stop::Back) => continue,
                Err(Stop::Interrupted) => return Err(Stop::Interrupted),
            }
        }
    }

    /// Where the entry is to be saved from now on, for the signal handler and the caller.
    fn set_journal(&mut self, journal: Option<Journal>) {
        if let Ok(mut shared) = self.draft.lock() {
            shared.journal = journal;
        }
    }

    /// Starts a step, numbered, under the thought once there is one.
    fn begin(&mut self, step: Step) -> Asked<()> {
        let number = STEPS.iter().position(|&s| s == step).unwrap_or(0) + 1;
        let title = format!("{number} of {} · {}", STEPS.len(), step.title());
        let thought = Some(self.entry.thought.clone()).filter(|t| !t.is_empty());
        self.ask().step(&title, thought.as_deref())
    }

    fn run_step(&mut self, step: Step) -> Result<(), Halt> {
        match step {
            Step::Situation => self.situation(),
            Step::Feelings => self.feelings(),
            Step::Thought => self.the_thought(),
            Step::Recognised => self.recognised(),
            Step::Questions => self.questions(),
            Step::Balanced => self.balanced(),
            Step::Rerate => self.rerate(),
            Step::Small => self.small_step(),
            Step::Summary => self.summary(),
        }
    }

    /// How the session ends when interrupted: with everything typed, kept if there is any.
    fn interrupted(self) -> Outcome {
        let save = self.entry.has_content();
        Outcome {
            entry: self.entry,
            save,
            interrupted: true,
        }
    }

    /// The safety check on `text`: crisis language or a warning sign in it, or a mention of
    /// suicide or self-harm, if any.
    fn safety_of(&self, text: &str) -> Option<Heard> {
        Heard::of(&self.engine.analyse(text))
    }

    /// Answers what the safety check heard: crisis language ends the session; a warning sign or
    /// a mention of suicide leads to the check-in question, once per session.
    fn respond(&mut self, heard: Heard) -> Result<(), Halt> {
        match heard {
            Heard::Finding(Level::Crisis, category) => {
                Err(self.safety_stop(message(category), category))
            }
            Heard::Finding(Level::Concern, _) => self.check_in(CheckInReason::Concern),
            Heard::Mention => self.check_in(CheckInReason::Mention),
        }
    }

    /// Asks for free text, keeps the answer in the entry with `keep` (before anything else is
    /// asked, so an interruption keeps it too), and runs the safety check on it.
    fn free_text(
        &mut self,
        prompt: &str,
        initial: &str,
        required: bool,
        keep: impl FnOnce(&mut Entry, Option<String>),
    ) -> Result<Option<String>, Halt> {
        let answer = self.ask().text(prompt, initial, required)?;
        let answer = answer
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        let finding = answer.as_deref().and_then(|a| self.safety_of(a));
        if let (Some(text), Some(_)) = (&answer, finding)
            && self.entry.check_in.is_none()
        {
            self.heard.push(text.clone());
        }
        match (&answer, finding) {
            // Crisis language before any thought was typed stands as the entry's thought.
            (Some(text), Some(Heard::Finding(Level::Crisis, _)))
                if self.entry.thought.is_empty() =>
            {
                self.entry.thought = text.clone();
            }
            _ => keep(&mut self.entry, answer.clone()),
        }
        match finding {
            // Asked already: a later warning sign is not asked about again, but it is not
            // passed over in silence either.
            Some(Heard::Finding(Level::Concern, _) | Heard::Mention)
                if self.entry.check_in.is_some() =>
            {
                // An answer heard already (the thought given, kept at step 3) needs no second
                // word.
                let text = answer.clone().unwrap_or_default();
                if !self.heard.contains(&text) {
                    self.heard.push(text);
                    self.remind()?;
                }
            }
            Some(finding) => self.respond(finding)?,
            None => {}
        }
        Ok(answer)
    }

    /// After the check-in was answered no, a later answer with a warning sign gets a short word
    /// and the crisis lines again, without the question.
    fn remind(&mut self) -> Result<(), Halt> {
        let options = self.options;
        let lines = session_lines(
            Category::Suicide,
            &options.region,
            &options.region_note,
            &options.palette,
        );
        self.ask().show(&format!("{REMINDER}\n\n{lines}"))?;
        self.ask().pause("The exercise goes on next")?;
        Ok(())
    }

    /// Asks [`CHECK_IN`], unless it was asked already in this session. Yes stops the session at
    /// the crisis lines; no goes on.
    fn check_in(&mut self, reason: CheckInReason) -> Result<(), Halt> {
        if self.entry.check_in.is_some() {
            return Ok(());
        }
        // Kept before the question: an interruption here keeps that it was asked.
        self.entry.check_in = Some(CheckIn {
            reason,
            answer: None,
        });
        let lead = match reason {
            CheckInReason::Concern => CHECK_IN_LEAD_CONCERN,
            CheckInReason::Hopeless => CHECK_IN_LEAD_HOPELESS,
            CheckInReason::Mention => CHECK_IN_LEAD_MENTION,
            // Never asked for by a session; only read from a newer journal.
            CheckInReason::Unknown => CHECK_IN_LEAD_CONCERN,
        };
        self.ask().show(lead)?;
        // No default, so a stray Enter answers nothing; Esc asks again: this cannot be skipped.
        let yes = loop {
            match self.ask().confirm(CHECK_IN, None) {
                Ok(yes) => break yes,
                Err(Stop::Back) => continue,
                Err(Stop::Interrupted) => return Err(Stop::Interrupted.into()),
            }
        };
        let answer = if yes {
            CheckInAnswer::Yes
        } else {
            CheckInAnswer::No
        };
        self.entry.check_in = Some(CheckIn {
            reason,
            answer: Some(answer),
        });
        if yes {
            return Err(self.safety_stop(CHECK_IN_YES, Category::Suicide));
        }
        let options = self.options;
        let lines = session_lines(
            Category::Suicide,
            &options.region,
            &options.region_note,
            &options.palette,
        );
        self.ask().show(&format!("{CHECK_IN_NO}\n\n{lines}"))?;
        // Whatever comes next may clear the screen: wait until this has been read.
        self.ask().pause("The exercise goes on next")?;
        Ok(())
    }

    /// Stops the exercise: shows `message` and the crisis lines for `category`, and asks whether
    /// to keep what was written.
    fn safety_stop(&mut self, message: &str, category: Category) -> Halt {
        match self.stop_for_safety(message, category) {
            Ok(outcome) => Halt::End(Box::new(outcome)),
            Err(stop) => Halt::Stop(stop),
        }
    }

    fn stop_for_safety(&mut self, message: &str, category: Category) -> Asked<Outcome> {
        self.entry.safety_stop = true;
        self.entry.safety_category = Some(category);
        self.entry.status = Status::Unfinished;
        let options = self.options;
        let lines = session_lines(
            category,
            &options.region,
            &options.region_note,
            &options.palette,
        );
        // The lines come last, nearest the question below, so that they stay in sight on a
        // short screen.
        let text = format!(
            "{}\n\n{STOPPING}\n\n{lines}",
            options.palette.heading.apply_to(message)
        );
        self.ask().show(&text)?;
        if self.unsaved {
            return Ok(Outcome {
                entry: self.entry.clone(),
                save: false,
                interrupted: false,
            });
        }
        // Esc asks again: going back a step would carry on with the exercise.
        let save = loop {
            match self.ask().confirm(
                "Keep what you have written so far in your journal, to come back to later?",
                Some(false),
            ) {
                Ok(save) => break save,
                Err(Stop::Back) => continue,
                Err(Stop::Interrupted) => return Err(Stop::Interrupted),
            }
        };
        Ok(Outcome {
            entry: self.entry.clone(),
            save,
            interrupted: false,
        })
    }

    fn situation(&mut self) -> Result<(), Halt> {
        self.begin(Step::Situation)?;
        let initial = self.entry.situation.clone().unwrap_or_default();
        self.free_text(
            "What happened? One line is enough",
            &initial,
            false,
            |e, a| {
                e.situation = a;
            },
        )?;
        Ok(())
    }

    fn feelings(&mut self) -> Result<(), Halt> {
        self.begin(Step::Feelings)?;
        let mut items: Vec<String> = FEELINGS.iter().map(|f| f.to_string()).collect();
        items.push(OWN_FEELING.to_string());
        // Visited again, the feelings named before start chosen, and their own words typed.
        let earlier = self.entry.feelings.clone();
        let listed = |f: &Feeling| FEELINGS.iter().position(|&l| l == f.name);
        let own: Vec<&str> = earlier
            .iter()
            .filter(|f| listed(f).is_none())
            .map(|f| f.name.as_str())
            .collect();
        let mut before: Vec<usize> = earlier.iter().filter_map(listed).collect();
        if !own.is_empty() {
            before.push(FEELINGS.len());
        }
        let own = own.join(", ");
        let chosen =
            self.ask()
                .multi_select("What are you feeling? Choose any", &items, &before)?;
        // A feeling still chosen keeps the ratings it was given.
        let feeling = |name: &str| {
            earlier
                .iter()
                .find(|f| f.name == name)
                .cloned()
                .unwrap_or(Feeling {
                    name: name.to_string(),
                    before: None,
                    after: None,
                })
        };
        self.entry.feelings = chosen
            .iter()
            .filter(|&&i| i < FEELINGS.len())
            .map(|&i| feeling(FEELINGS[i]))
            .collect();
        if chosen.contains(&FEELINGS.len()) {
            self.free_text(
                "Which feelings? Separate them with commas",
                &own,
                false,
                |e, own| {
                    let own = own.unwrap_or_default();
                    let names = own.split(',').map(str::trim).filter(|s| !s.is_empty());
                    e.feelings.extend(names.map(feeling));
                },
            )?;
        }
        for i in 0..self.entry.feelings.len() {
            let name = self.entry.feelings[i].name.clone();
            let rating = self.rate(
                &format!("How strong is \"{name}\" right now, 0 to 100?"),
                self.entry.feelings[i].before,
            )?;
            self.entry.feelings[i].before = rating;
            self.check_hopeless(&name, rating)?;
        }
        Ok(())
    }

    fn the_thought(&mut self) -> Result<(), Halt> {
        self.begin(Step::Thought)?;
        let initial = self.entry.thought.clone();
        let thought = self.free_text(
            "What is the thought that upsets you most?",
            &initial,
            true,
            |e, thought| {
                if let Some(thought) = thought {
                    e.thought = thought;
                }
            },
        )?;
        if thought.is_none() {
            return Err(Stop::Back.into());
        }
        self.entry.belief_before = self.rate(
            "How much do you believe it, 0 to 100?",
            self.entry.belief_before,
        )?;
        Ok(())
    }

    fn recognised(&mut self) -> Result<(), Halt> {
        self.begin(Step::Recognised)?;
        let thought = self.entry.thought.clone();
        let analysis = self.engine.analyse(&thought);
        if let Some(heard) = Heard::of(&analysis) {
            // Checked when it was typed, so crisis language stopped there and a warning sign or a
            // mention was asked about; asked here only if that was somehow missed.
            self.respond(heard)?;
            // A warning sign answered "no": no reframe of it, and nothing cheerful either.
            self.entry.patterns.clear();
            self.reframes.clear();
            self.questions = Vec::new();
            self.ask().show(NO_REFRAME_FOR_WARNING_SIGN)?;
            self.ask().pause("The questions come next")?;
            return Ok(());
        }
        self.entry.patterns = analysis
            .findings
            .iter()
            .map(|f| Pattern {
                id: f.distortion.id.clone(),
                name: f.distortion.name.clone(),
                words: f.matches.iter().map(|m| m.text.to_string()).collect(),
            })
            .collect();
        self.reframes.clear();
        self.questions.clear();
        let mut text = String::new();
        if analysis.findings.is_empty() {
            text.push_str(
                "I didn't recognise a familiar thinking trap in this thought. It may be a fair \
                 reading of a hard moment, or one I can't see. Questions can still help you look \
                 at it from another side.",
            );
            self.questions
                .extend(GENERAL_QUESTIONS.iter().take(2).map(|q| q.to_string()));
        } else {
            let _ = writeln!(text, "{}\n", highlight(&analysis, &self.options.palette));
            for f in &analysis.findings {
                let _ = writeln!(
                    text,
                    "{}: {}",
                    self.options.palette.name.apply_to(&f.distortion.name),
                    f.distortion.summary
                );
                let _ = writeln!(text, "{}\n", f.distortion.explanation.replace('\n', " "));
            }
            // One question from each distortion first, then more from the first, up to three.
            let per: Vec<Vec<String>> = analysis
                .findings
                .iter()
                .map(|f| f.questions.iter().map(|q| q.to_string()).collect())
                .collect();
            for round in 0.. {
                let before = self.questions.len();
                for qs in &per {
                    if let Some(q) = qs.get(round)
                        && self.questions.len() < 3
                        && !self.questions.contains(q)
                    {
                        self.questions.push(q.clone());
                    }
                }
                if self.questions.len() >= 3 || self.questions.len() == before {
                    break;
                }
            }
            for f in &analysis.findings {
                for r in &f.reframes {
                    if self.reframes.len() < 4 && !self.reframes.iter().any(|x| x == r) {
                        self.reframes.push(r.to_string());
                    }
                }
            }
        }
        self.ask().show(text.trim_end())?;
        // The next step clears the screen: wait until this has been read.
        self.ask().pause("The questions come next")?;
        Ok(())
    }

    fn questions(&mut self) -> Result<(), Halt> {
        self.begin(Step::Questions)?;
        // A warning sign, or a mention of suicide, is not argued with.
        let warning_sign = Heard::of(&self.engine.analyse(&self.entry.thought)).is_some();
        let mut asked: Vec<String> = if warning_sign {
            WARNING_SIGN_QUESTIONS
                .iter()
                .map(|q| q.to_string())
                .collect()
        } else {
            vec![
                "What is the evidence for this thought?".to_string(),
                "What is the evidence against it?".to_string(),
            ]
        };
        asked.extend(self.questions.iter().cloned());
        // Answers given before going back to an earlier step start the field again, and stay
        // in the entry until they are given again: Esc or Ctrl-C part-way loses none of them.
        let previous = std::mem::take(&mut self.entry.answers);
        let earlier = |question: &str| previous.iter().find(|a| a.question == question).cloned();
        self.entry.answers = asked.iter().filter_map(|q| earlier(q)).collect();
        for (k, question) in asked.iter().enumerate() {
            let initial = earlier(question).map(|a| a.answer).unwrap_or_default();
            let later: Vec<Answer> = asked[k + 1..].iter().filter_map(|q| earlier(q)).collect();
            let question = question.clone();
            self.free_text(&question.clone(), &initial, false, |e, answer| {
                // The first `k` are this visit's answers to the questions before this one.
                e.answers.truncate(k);
                e.answers.push(Answer {
                    question,
                    answer: answer.unwrap_or_default(),
                });
                e.answers.extend(later);
            })?;
        }
        Ok(())
    }

    fn balanced(&mut self) -> Result<(), Halt> {
        self.begin(Step::Balanced)?;
        // The list below may be cut to the screen's width; the full sentences come first.
        if !self.reframes.is_empty() {
            let mut text = String::from("Some more balanced ways to put it:\n");
            for (n, r) in self.reframes.iter().enumerate() {
                let _ = write!(text, "\n{}. {r}", n + 1);
            }
            self.ask().show(&text)?;
        }
        let mut items: Vec<String> = self
            .reframes
            .iter()
            .enumerate()
            .map(|(n, r)| format!("{}. {r}", n + 1))
            .collect();
        items.push(OWN_THOUGHT.to_string());
        // The cursor starts on the first suggestion, so Enter alone does not skip this step; on a
        // visit back, on "Write my own", which starts from the balanced thought written before.
        let from = match self.entry.balanced_thought {
            Some(_) => self.reframes.len(),
            None => 0,
        };
        let chosen = self.ask().select(
            "Which could you believe, at least a little? You can edit it next",
            &items,
            Some(from),
        )?;
        let initial = match chosen {
            Some(i) if i < self.reframes.len() => self.reframes[i].clone(),
            Some(_) => self.entry.balanced_thought.clone().unwrap_or_default(),
            None => return Ok(()),
        };
        self.free_text(
            "Your balanced thought, in your own words (edit freely)",
            &initial,
            false,
            |e, balanced| e.balanced_thought = balanced,
        )?;
        if self.entry.balanced_thought.is_some() {
            self.entry.balanced_belief = self.rate(
                "How much do you believe the balanced thought, 0 to 100?",
                self.entry.balanced_belief,
            )?;
        }
        Ok(())
    }

    fn rerate(&mut self) -> Result<(), Halt> {
        self.begin(Step::Rerate)?;
        self.entry.belief_after = self.rate(
            "How much do you believe the original thought now, 0 to 100?",
            self.entry.belief_after,
        )?;
        for i in 0..self.entry.feelings.len() {
            let name = self.entry.feelings[i].name.clone();
            let rating = self.rate(
                &format!("And how strong is \"{name}\" now, 0 to 100?"),
                self.entry.feelings[i].after,
            )?;
            self.entry.feelings[i].after = rating;
            self.check_hopeless(&name, rating)?;
        }
        Ok(())
    }

    /// Asks [`CHECK_IN`] when the feeling "hopeless" is rated [`HOPELESS_CHECK_IN`] or more.
    fn check_hopeless(&mut self, feeling: &str, rating: Option<u8>) -> Result<(), Halt> {
        if feeling.trim().eq_ignore_ascii_case("hopeless")
            && rating.is_some_and(|r| r >= HOPELESS_CHECK_IN)
        {
            self.check_in(CheckInReason::Hopeless)?;
        }
        Ok(())
    }

    fn small_step(&mut self) -> Result<(), Halt> {
        self.begin(Step::Small)?;
        let mut items: Vec<String> = SMALL_STEPS.iter().map(|s| s.to_string()).collect();
        items.push(OWN_STEP.to_string());
        // Visited again, the list starts on the step chosen before, and one's own step is typed.
        let earlier = self.entry.step.clone();
        let initial = earlier.as_deref().map(|step| {
            SMALL_STEPS
                .iter()
                .position(|&s| s == step)
                .unwrap_or(SMALL_STEPS.len())
        });
        match self
            .ask()
            .select("One small thing you could do today", &items, initial)?
        {
            Some(i) if i < SMALL_STEPS.len() => self.entry.step = Some(SMALL_STEPS[i].to_string()),
            Some(_) => {
                let own = earlier.filter(|s| !SMALL_STEPS.contains(&s.as_str()));
                self.free_text(
                    "Your small step",
                    own.as_deref().unwrap_or_default(),
                    false,
                    |e, step| e.step = step,
                )?;
            }
            None => self.entry.step = None,
        }
        Ok(())
    }

    /// Ends the session: the summary card, then whether to save it.
    fn summary(&mut self) -> Result<(), Halt> {
        self.begin(Step::Summary)?;
        self.entry.status = Status::Complete;
        let card = summary_card(&self.entry, &self.options.palette);
        self.ask().show(&card)?;
        // Going on without saving, or saving nothing at all, was the answer already.
        let save = !self.unsaved && self.save_question()?;
        let closing = closing(&self.entry);
        self.ask().show(&closing)?;
        Err(Halt::End(Box::new(Outcome {
            entry: self.entry.clone(),
            save,
            interrupted: false,
        })))
    }
}

/// The first screen's title.
const WELCOME_TITLE: &str = "Before you begin";

/// The first screen: what the exercise is and how long it takes, where what is written is kept
/// (`saving`: in a journal on this machine; otherwise nowhere), that Esc goes back, and where to
/// find a crisis line in `region`. Its words fit a screen 40 columns wide once wrapped.
pub fn welcome(region: &Region, saving: bool) -> String {
    let mut s = String::from(
        "A thought record, from cognitive behavioural therapy: nine short steps to look at one \
         upsetting thought from more than one side. About ten minutes, and you can stop at any \
         time.\n\n",
    );
    s.push_str(if saving {
        "What you write stays in a journal on this computer. Nothing is sent anywhere.\n\n"
    } else {
        "Nothing you write here is kept: this session saves nothing.\n\n"
    });
    s.push_str("Esc goes back a step, and keeps what you wrote.\n\n");
    let _ = write!(
        s,
        "If it gets too heavy, you don't have to carry it alone. Help is there now ({}):",
        region.name
    );
    for line in region.lines_for(Category::Suicide) {
        let _ = write!(s, "\n  - {}: {}", line.name, line.contact);
    }
    s
}

/// The last words of a finished session, before it says where it was saved: the work done, the
/// balanced thought and the small step, when there are any.
pub fn closing(entry: &Entry) -> String {
    let mut s =
        String::from("You stayed with a painful thought and looked at it from more than one side");
    match &entry.balanced_thought {
        // On a line of its own: a balanced thought may start or end with quotes of its own.
        Some(balanced) => {
            let _ = write!(s, ", and came to a fairer way to put it:\n\n  {balanced}");
        }
        None => s.push_str(", step by step. That takes real effort."),
    }
    if let Some(step) = &entry.step {
        let stop = if step.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        let _ = write!(s, "\n\nAnd for today, one small step: {step}{stop}");
    }
    s
}

/// Said after a no to saving, before asking once more.
const UNSAVED_LOST: &str = "That's all right, if you'd rather not keep it. Just so you know: once \
    this session ends, what you wrote here is gone, and it can't be brought back.";

impl<P: Prompter> Flow<'_, P> {
    /// Checks what the session starts with for safety: the thought given, or, going on with an
    /// earlier entry (`resumed`), the thought first and then every other answer it holds, and
    /// its ratings of "hopeless".
    fn check_given(&mut self, resumed: bool) -> Result<(), Halt> {
        let e = &self.entry;
        let mut texts = vec![e.thought.clone()];
        if resumed {
            texts.extend(e.situation.clone());
            texts.extend(e.answers.iter().map(|a| a.answer.clone()));
            texts.extend(e.balanced_thought.clone());
            texts.extend(e.step.clone());
        }
        for text in texts {
            self.heard.push(text.clone());
            if let Some(finding) = self.safety_of(&text) {
                self.respond(finding)?;
            }
        }
        if resumed {
            let ratings: Vec<(String, Option<u8>)> = self
                .entry
                .feelings
                .iter()
                .flat_map(|f| [(f.name.clone(), f.before), (f.name.clone(), f.after)])
                .collect();
            for (name, rating) in ratings {
                self.check_hopeless(&name, rating)?;
            }
        }
        Ok(())
    }

    /// Says, going on with an earlier entry, when it was started and at which step it goes on;
    /// waits until the person is ready (Esc goes on too, as there is nothing before it).
    fn going_on(&mut self, at: usize) -> Asked<()> {
        self.ask().step("Going on where you stopped", None)?;
        let step = STEPS[at.clamp(1, STEPS.len()) - 1];
        let when = self
            .entry
            .continues
            .map(crate::journal::local_time)
            .unwrap_or_default();
        let text = format!(
            "This goes on with the thought record you started on {when}, at step {at} of {} \
             ({}). Everything you wrote then is filled in, and Esc goes back a step.",
            STEPS.len(),
            step.title()
        );
        self.ask().show(&text)?;
        match self.ask().pause("Ready when you are") {
            Err(Stop::Interrupted) => Err(Stop::Interrupted),
            Ok(()) | Err(Stop::Back) => Ok(()),
        }
    }

    /// Shows the first screen, [`welcome`], until the person is ready; Esc goes on too, as there
    /// is nothing before it.
    fn welcome(&mut self) -> Asked<()> {
        self.ask().step(WELCOME_TITLE, None)?;
        let text = welcome(&self.options.region, !self.unsaved);
        self.ask().show(&text)?;
        match self.ask().pause("When you are ready, we'll begin") {
            Err(Stop::Interrupted) => Err(Stop::Interrupted),
            Ok(()) | Err(Stop::Back) => Ok(()),
        }
    }

    /// Asks whether to save the finished entry. A no is asked about once more, as it loses
    /// everything written; that question needs a yes or a no.
    fn save_question(&mut self) -> Asked<bool> {
        if self
            .ask()
            .confirm("Save this to your journal?", Some(true))?
        {
            return Ok(true);
        }
        self.ask().show(UNSAVED_LOST)?;
        // No default, so a stray Enter answers nothing; Esc asks again, as a terminal reports a
        // bare Enter here as Esc. (Esc going back to the first question was tried: a stray
        // Enter then went back, and the yes typed next saved what was to be left unsaved.)
        loop {
            match self.ask().confirm("Leave it unsaved?", None) {
                Ok(leave) => return Ok(!leave),
                Err(Stop::Back) => continue,
                Err(Stop::Interrupted) => return Err(Stop::Interrupted),
            }
        }
    }
}

/// A path as typed at a prompt, where no shell expands a leading `~` to the home directory.
fn typed_path(text: &str) -> std::path::PathBuf {
    let text = text.trim();
    match (text.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => text.into(),
    }
}

/// A bar of `width` cells for a rating out of 100.
pub fn bar(rating: u8, width: usize) -> String {
    let filled = (usize::from(rating.min(100)) * width + 50) / 100;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The card shown at the end of a session, and by `reframe journal show`.
pub fn summary_card(entry: &Entry, palette: &Palette) -> String {
    let mut s = String::new();
    let rating = |r: Option<u8>| match r {
        Some(r) => format!("{} {r:>3}", palette.bar.apply_to(bar(r, 20))),
        None => palette.dim.apply_to("not rated").to_string(),
    };
    // A session stopped for safety before a thought was typed has none to show.
    if !entry.thought.is_empty() {
        let _ = writeln!(
            s,
            "{} {}",
            palette.heading.apply_to("Thought:"),
            entry.thought
        );
    }
    if let Some(situation) = &entry.situation {
        let _ = writeln!(s, "{} {situation}", palette.heading.apply_to("Situation:"));
    }
    if !entry.patterns.is_empty() {
        let names: Vec<String> = entry
            .patterns
            .iter()
            .map(|p| palette.name.apply_to(&p.name).to_string())
            .collect();
        let _ = writeln!(
            s,
            "{} {}",
            palette.heading.apply_to("Thinking traps:"),
            names.join(", ")
        );
    }
    if let Some(balanced) = &entry.balanced_thought {
        let _ = writeln!(
            s,
            "{} {balanced}",
            palette.heading.apply_to("Balanced thought:")
        );
    }
    // Every bar starts in one column, whatever its label.
    let mut belief = vec![
        ("before".to_string(), entry.belief_before),
        ("after".to_string(), entry.belief_after),
    ];
    if entry.balanced_thought.is_some() {
        belief.push(("balanced thought".to_string(), entry.balanced_belief));
    }
    let name_width = entry
        .feelings
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0);
    let feelings: Vec<(String, Option<u8>)> = entry
        .feelings
        .iter()
        .flat_map(|f| {
            [
                (format!("{:name_width$}  before", f.name), f.before),
                (format!("{:name_width$}  after", ""), f.after),
            ]
        })
        .collect();
    let width = belief
        .iter()
        .chain(&feelings)
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let mut section = |title: &str, rows: &[(String, Option<u8>)]| {
        if !rows.is_empty() {
            let _ = writeln!(s, "\n{}", palette.heading.apply_to(title));
            for (label, r) in rows {
                let _ = writeln!(s, "  {label:width$}  {}", rating(*r));
            }
        }
    };
    section("Belief in the thought", &belief);
    section("Feelings", &feelings);
    if let Some(step) = &entry.step {
        let _ = writeln!(
            s,
            "\n{} {step}",
            palette.heading.apply_to("Small step for today:")
        );
    }
    s.trim_end().to_string()
}

/// One scripted reply, for [`Scripted`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Text typed (`None`: Enter alone, to skip).
    Text(Option<String>),
    /// A rating (`None`: Enter alone, which skips, or keeps a rating given before).
    Rating(Option<u8>),
    /// One item chosen, by index (`None`: skipped), from a list or a choice.
    Select(Option<usize>),
    /// Items chosen, by index.
    Multi(Vec<usize>),
    /// A yes or no.
    Confirm(bool),
    /// Enter, to go on after reading.
    Continue,
    /// Esc: back a step.
    Back,
    /// Ctrl-C, or the terminal closing.
    Interrupt,
}

impl Reply {
    /// Typed text.
    pub fn text(s: &str) -> Reply {
        Reply::Text(Some(s.to_string()))
    }
    /// Enter alone, to skip a text prompt.
    pub fn skip() -> Reply {
        Reply::Text(None)
    }
}

/// A prompter that answers from a script, for tests, and records everything asked and shown.
#[derive(Debug, Default)]
pub struct Scripted {
    replies: VecDeque<Reply>,
    /// Every prompt asked and every text shown, in order, as `"kind: text"`.
    pub log: Vec<String>,
}

impl Scripted {
    /// A prompter that will give these replies, in order. Asking more than the script holds, or
    /// a reply of the wrong kind for a prompt, panics with the prompt in the message.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Scripted {
        Scripted {
            replies: replies.into_iter().collect(),
            log: Vec::new(),
        }
    }

    /// The replies not yet used.
    pub fn remaining(&self) -> usize {
        self.replies.len()
    }

    /// Whether any prompt or shown text contains `needle`.
    pub fn saw(&self, needle: &str) -> bool {
        self.log.iter().any(|l| l.contains(needle))
    }

    fn next(&mut self, kind: &str, prompt: &str) -> Asked<Reply> {
        self.log.push(format!("{kind}: {prompt}"));
        match self.replies.pop_front() {
            Some(Reply::Back) => Err(Stop::Back),
            Some(Reply::Interrupt) => Err(Stop::Interrupted),
            Some(reply) => Ok(reply),
            None => panic!("the script ran out at {kind} prompt {prompt:?}"),
        }
    }
}

impl Prompter for Scripted {
    fn step(&mut self, title: &str, thought: Option<&str>) -> Asked<()> {
        self.log.push(format!(
            "step: {title} | thought: {}",
            thought.unwrap_or("-")
        ));
        Ok(())
    }

    fn show(&mut self, text: &str) -> Asked<()> {
        self.log.push(format!("show: {text}"));
        Ok(())
    }

    fn pause(&mut self, prompt: &str) -> Asked<()> {
        match self.next("pause", prompt)? {
            Reply::Continue => Ok(()),
            other => panic!("pause {prompt:?} got {other:?}"),
        }
    }

    fn text(&mut self, prompt: &str, initial: &str, required: bool) -> Asked<Option<String>> {
        loop {
            match self.next("text", prompt)? {
                // Enter alone accepts the text already in the field, as on a terminal.
                Reply::Text(None) if !initial.is_empty() => return Ok(Some(initial.to_string())),
                Reply::Text(None) if required => continue,
                Reply::Text(None) => return Ok(None),
                Reply::Text(Some(t)) => return Ok(Some(t)),
                other => panic!("text prompt {prompt:?} got {other:?}"),
            }
        }
    }

    fn rating(&mut self, prompt: &str, initial: Option<u8>) -> Asked<Option<u8>> {
        let logged = match initial {
            Some(r) => format!("{prompt} [{r}]"),
            None => prompt.to_string(),
        };
        match self.next("rating", &logged)? {
            // Enter alone keeps the rating already in the field, as on a terminal.
            Reply::Rating(None) => Ok(initial),
            Reply::Rating(r) => Ok(r),
            other => panic!("rating prompt {prompt:?} got {other:?}"),
        }
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        initial: Option<usize>,
    ) -> Asked<Option<usize>> {
        let prompt = match initial {
            Some(i) => format!("{prompt} {items:?} from {i}"),
            None => format!("{prompt} {items:?}"),
        };
        match self.next("select", &prompt)? {
            Reply::Select(i) => Ok(i.filter(|&i| i < items.len())),
            other => panic!("select prompt {prompt:?} got {other:?}"),
        }
    }

    fn choose(&mut self, prompt: &str, items: &[String]) -> Asked<usize> {
        let prompt = format!("{prompt} {items:?}");
        match self.next("choose", &prompt)? {
            Reply::Select(Some(i)) if i < items.len() => Ok(i),
            other => panic!("choose prompt {prompt:?} got {other:?}"),
        }
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[usize],
    ) -> Asked<Vec<usize>> {
        let prompt = if chosen.is_empty() {
            format!("{prompt} {items:?}")
        } else {
            format!("{prompt} {items:?} chosen {chosen:?}")
        };
        match self.next("multi", &prompt)? {
            Reply::Multi(chosen) => Ok(chosen.into_iter().filter(|&i| i < items.len()).collect()),
            other => panic!("multi-select prompt {prompt:?} got {other:?}"),
        }
    }

    fn confirm(&mut self, prompt: &str, _default: Option<bool>) -> Asked<bool> {
        match self.next("confirm", prompt)? {
            Reply::Confirm(yes) => Ok(yes),
            other => panic!("confirm prompt {prompt:?} got {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{closing, welcome};
    use crate::journal::Entry;
    use crate::output::wrap::wrap;
    use crate::resources::Resources;

    #[test]
    fn the_first_screen_fits_40_columns_for_every_region() {
        for region in Resources::builtin().regions() {
            for saving in [true, false] {
                let text = welcome(region, saving);
                let wrapped = wrap(&text, 40);
                let long: Vec<&str> = wrapped
                    .lines()
                    .filter(|l| console::measure_text_width(l) > 40)
                    .collect();
                assert!(long.is_empty(), "{}: {long:?}", region.id);
                assert!(text.contains(&region.name), "{text}");
                assert_eq!(text.contains("on this computer"), saving, "{text}");
            }
        }
    }

    #[test]
    fn the_closing_words_say_only_what_there_is() {
        let mut entry = Entry::new("2026-11-22T10:00:00Z".parse().unwrap());
        let plain = closing(&entry);
        assert!(
            !plain.contains("small step") && !plain.contains('"'),
            "{plain}"
        );
        entry.step = Some("Call my sister tonight!".into());
        assert!(closing(&entry).ends_with("one small step: Call my sister tonight!"));
    }
}
