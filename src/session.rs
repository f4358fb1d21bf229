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

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use jiff::Timestamp;

use crate::Engine;
use crate::journal::{
    Answer, CheckIn, CheckInAnswer, CheckInReason, Entry, Feeling, Journal, Pattern, Status, Trap,
};
use crate::output::Palette;
use crate::output::safety::{message, session_lines};
use crate::output::text::{GENERAL_QUESTIONS, highlight};
use crate::output::wrap::shorten;
use crate::resources::Region;
use crate::rules::{Category, Distortion, Kind, Level, Template};

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
    /// Shows text that must be seen whole and at once, never a page at a time: the crisis lines,
    /// whose end, nearest the prompt below, must be in view, and the closing words.
    fn show_whole(&mut self, text: &str) -> Asked<()> {
        self.show(text)
    }
    /// How many columns wide the text shown is laid out, when the prompter knows.
    fn columns(&self) -> Option<usize> {
        None
    }
    /// How many rows the screen has, when the prompter knows.
    fn rows(&self) -> Option<usize> {
        None
    }
    /// Waits until the person has read what was shown and is ready to go on; `back` says
    /// whether there is anything to go back to.
    fn pause(&mut self, prompt: &str, back: bool) -> Asked<()>;
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
    /// Asks to choose any number of items; those marked in `checked` start chosen (an item past
    /// its end starts unchosen). An item written "name: what it is" may be shown by its name
    /// alone once chosen.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Asked<Vec<usize>>;
    /// Asks a yes-or-no question; Enter alone gives `default`, and with no default a yes or a no
    /// is needed.
    fn confirm(&mut self, prompt: &str, default: Option<bool>) -> Asked<bool>;
    /// The line that was being typed when the last [`Prompter::text`] or [`Prompter::rating`]
    /// was left without an answer (Esc or Ctrl-C), taken once; `None` when nothing was typed or
    /// the prompter cannot tell.
    fn typed_when_left(&mut self) -> Option<String> {
        None
    }
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

/// [`STOPPING`] on a screen too short for it.
const STOPPING_SHORT: &str = "Let's stop the exercise here.";

/// The choices offered when the journal cannot be written, in order: [`JournalChoice`].
const JOURNAL_CHOICES: [&str; 3] = ["Save to another file", "Go on without saving", "Stop here"];

/// What the person chose when the journal cannot be written.
enum JournalChoice {
    Elsewhere,
    WithoutSaving,
    Stop,
}

/// Step 5's first question, about the evidence for the thought; the summary card shows its answer.
pub const EVIDENCE_FOR: &str = "What is the evidence for this thought?";
/// Step 5's second question, about the evidence against it; step 6 builds a suggestion from its
/// answer, and the summary card shows it.
pub const EVIDENCE_AGAINST: &str = "What is the evidence against it?";
/// Step 5's first question when no thinking trap was recognised or chosen: the thought may not be
/// a claim to weigh evidence for, so it follows the thought down to what it means to the person.
pub const DOWNWARD_ARROW: &str = "If this thought were true, what would it mean about you?";
/// Step 6's suggestions when no thinking trap was recognised or chosen: what a balanced thought
/// after a rejection says, in general.
pub const GENERAL_BALANCED: [&str; 5] = [
    "This was one event, not a ruling on who I am; timing, fit and the other person's own needs \
     were part of it too.",
    "A single no closes one door, not every door, and something not working out doesn't make me \
     a failure.",
    "My worth didn't arrive with anyone's approval, and it doesn't leave when someone doesn't \
     see it.",
    "It hurts this much because being close to people matters to me, not because something in \
     me is missing.",
    "Hearing no means I was putting myself forward, and that takes a kind of courage.",
];

/// The columns of a suggestion's first words in step 6's list.
const SUGGESTION_CUE: usize = 36;

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
    /// The questions for step 5, after the first ones.
    questions: Vec<String>,
    /// Step 4 offered no reframe (a warning sign): step 6 builds none from the answers either.
    no_reframes: bool,
    /// The person chose to go on without saving: nothing asks to save any more.
    unsaved: bool,
    /// The step now asked was come back to from the one after it: it starts at its last prompt.
    came_back: bool,
    /// No trap was chosen at step 4 (or, going on with an older entry, recognised): step 5 asks
    /// what the thought would mean rather than its evidence, and step 6 offers the general
    /// balanced thoughts.
    no_trap: bool,
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
        no_reframes: false,
        // A session that saves nowhere from the start (`--no-save`) never asks to save.
        unsaved: draft.lock().map_or(true, |d| d.journal.is_none()),
        came_back: false,
        no_trap: false,
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
    // Starting past step 4, its offers are made again from what the entry holds.
    if at
        > STEPS
            .iter()
            .position(|&s| s == Step::Recognised)
            .unwrap_or(0)
    {
        flow.offer_again();
    }
    while at < STEPS.len() {
        match flow.run_step(STEPS[at]) {
            Ok(()) => {
                at += 1;
                flow.came_back = false;
            }
            Err(Halt::End(outcome)) => return *outcome,
            Err(Halt::Stop(Stop::Back)) => {
                // The first step has nothing before it: it starts again.
                flow.came_back = at > 0;
                at = at.saturating_sub(1);
            }
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

    /// Asks for a rating into the entry's `slot`, starting from the rating there:
    /// [`Prompter::rating`], by way of [`Flow::ask`]. Left with Esc or Ctrl-C, a rating typed in
    /// the field is kept all the same.
    fn rate(
        &mut self,
        prompt: &str,
        slot: impl Fn(&mut Entry) -> &mut Option<u8>,
    ) -> Result<Option<u8>, Halt> {
        let initial = *slot(&mut self.entry);
        match self.ask().rating(prompt, initial) {
            Ok(rating) => {
                *slot(&mut self.entry) = rating;
                Ok(rating)
            }
            Err(stop) => {
                let typed = self.prompter.typed_when_left();
                if let Some(rating) = typed.as_deref().and_then(rating_in) {
                    *slot(&mut self.entry) = Some(rating);
                }
                Err(stop.into())
            }
        }
    }

    /// Asks a step's prompts in turn: `prompt` asks the one numbered from 0, of the `count` there
    /// are (which may change with the answers). It starts at the first, or at the last when the
    /// step was come back to from the one after it. Esc at a prompt goes back to the one before
    /// it, on the step's screen drawn afresh; at the first, out of the step.
    fn prompts(
        &mut self,
        step: Step,
        count: impl Fn(&Self) -> usize,
        mut prompt: impl FnMut(&mut Self, usize) -> Result<(), Halt>,
    ) -> Result<(), Halt> {
        let mut k = match self.came_back {
            true => count(self).saturating_sub(1),
            false => 0,
        };
        while k < count(self) {
            match prompt(self, k) {
                Ok(()) => k += 1,
                Err(Halt::Stop(Stop::Back)) if k > 0 => {
                    k -= 1;
                    self.begin(step)?;
                }
                Err(halt) => return Err(halt),
            }
        }
        Ok(())
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
        // Step 4 shows the thought with the words that set off a trap marked, and the summary
        // card shows it too, so the header does not repeat it there.
        // At step 3 the thought is in the field being edited, so it is not shown twice either.
        let own_thought = matches!(step, Step::Thought | Step::Recognised | Step::Summary);
        let thought = Some(self.entry.thought.clone()).filter(|t| !t.is_empty() && !own_thought);
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
    /// asked, so an interruption keeps it too), and runs the safety check on it. Left with Esc or
    /// Ctrl-C, what was typed in the field is kept as well, and checked.
    fn free_text(
        &mut self,
        prompt: &str,
        initial: &str,
        required: bool,
        keep: impl FnOnce(&mut Entry, Option<String>),
    ) -> Result<Option<String>, Halt> {
        let answer = match self.ask().text(prompt, initial, required) {
            Ok(answer) => answer,
            Err(Stop::Interrupted) => return Err(self.keep_typed(keep)),
            Err(Stop::Back) => {
                // Going back keeps a changed field as if it had been given; an emptied one keeps
                // what was there before.
                let typed = self.prompter.typed_when_left();
                if let Some(typed) = typed
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty() && t != initial.trim())
                {
                    self.take(Some(typed), keep)?;
                }
                return Err(Stop::Back.into());
            }
        };
        self.take(answer, keep)
    }

    /// Keeps an `answer` to a free-text prompt in the entry with `keep`, and answers what the
    /// safety check hears in it.
    fn take(
        &mut self,
        answer: Option<String>,
        keep: impl FnOnce(&mut Entry, Option<String>),
    ) -> Result<Option<String>, Halt> {
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

    /// The crisis lines for `category` in the session's region, with the note on where the
    /// region came from.
    fn crisis_lines(&self, category: Category) -> String {
        let options = self.options;
        session_lines(
            category,
            &options.region,
            &options.region_note,
            &options.palette,
        )
    }

    /// A screen of crisis lines for `category`: `lead`, then `more` when there is any, then the
    /// lines with the note on where the region came from. On a screen too short for all of it,
    /// with a few rows for the question under it, the lines come first, without the note, and
    /// then the lead with `short` in place of `more`: what scrolls away is the top of the lines'
    /// heading, never the words over the question or the lines themselves.
    fn lines_screen(&self, lead: &str, more: &str, short: &str, category: Category) -> String {
        let options = self.options;
        let full = |more: &str, note: &str| {
            let lines = session_lines(category, &options.region, note, &options.palette);
            match more.is_empty() {
                true => format!("{lead}\n\n{lines}"),
                false => format!("{lead}\n\n{more}\n\n{lines}"),
            }
        };
        let text = full(more, &options.region_note);
        let fits = match (self.prompter.rows(), self.prompter.columns()) {
            (Some(rows), Some(columns)) => {
                crate::output::wrap::wrap(&text, columns).lines().count() + 4 <= rows
            }
            _ => true,
        };
        if fits {
            return text;
        }
        let lines = session_lines(category, &options.region, "", &options.palette);
        match short.is_empty() {
            true => format!("{lines}\n\n{lead}"),
            false => format!("{lines}\n\n{lead} {short}"),
        }
    }

    /// After the check-in was answered no, a later answer with a warning sign gets a short word
    /// and the crisis lines again, without the question.
    fn remind(&mut self) -> Result<(), Halt> {
        self.lines_then_go_on(REMINDER)
    }

    /// Shows `lead` above the suicide crisis lines, and waits until they have been read before
    /// the exercise goes on (whatever comes next may clear the screen).
    fn lines_then_go_on(&mut self, lead: &str) -> Result<(), Halt> {
        let screen = self.lines_screen(lead, "", "", Category::Suicide);
        self.ask().show_whole(&screen)?;
        // Only Enter goes on from the crisis lines: Esc does nothing there.
        self.ask().pause("The exercise goes on next", false)?;
        Ok(())
    }

    /// Keeps, with `keep`, the line that was being typed when a text prompt was interrupted, so
    /// that the unfinished entry holds it; shows the crisis lines first if it has crisis
    /// language, a warning sign or a mention of suicide, as the person is leaving.
    fn keep_typed(&mut self, keep: impl FnOnce(&mut Entry, Option<String>)) -> Halt {
        let typed = self.prompter.typed_when_left();
        let Some(typed) = typed
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
        else {
            return Stop::Interrupted.into();
        };
        if let Some(heard) = self.safety_of(&typed) {
            let category = match heard {
                Heard::Finding(level, category) => {
                    // Crisis language is a safety stop, kept as one, as if it had been answered.
                    if level == Level::Crisis {
                        self.entry.safety_stop = true;
                        self.entry.safety_category = Some(category);
                    }
                    category
                }
                Heard::Mention => Category::Suicide,
            };
            let lines = self.crisis_lines(category);
            let _ = self.prompter.show_whole(&lines);
            // Crisis language before any thought was typed stands as the entry's thought, as
            // when it is entered.
            if self.entry.safety_stop && self.entry.thought.is_empty() {
                self.entry.thought = typed;
                return Stop::Interrupted.into();
            }
        }
        keep(&mut self.entry, Some(typed));
        Stop::Interrupted.into()
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
        self.ask().show_whole(lead)?;
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
        self.lines_then_go_on(CHECK_IN_NO)
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
        // The lines come last, nearest the question below, so that they stay in sight on a
        // short screen.
        let lead = options.palette.heading.apply_to(message).to_string();
        let text = self.lines_screen(&lead, STOPPING, STOPPING_SHORT, category);
        self.ask().show_whole(&text)?;
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
        // Whether "something else" is chosen, and so its own words asked for.
        let own = Cell::new(self.entry.feelings.iter().any(|f| !listed_feeling(&f.name)));
        // The list, then the feelings of their own when chosen, then a rating for each.
        let count = |flow: &Self| 1 + usize::from(own.get()) + flow.entry.feelings.len();
        self.prompts(Step::Feelings, count, |flow, k| match k {
            0 => flow.choose_feelings(&own),
            1 if own.get() => flow.own_feelings(),
            k => flow.rate_feeling(k - 1 - usize::from(own.get()), false),
        })
    }

    /// Step 2's list of feelings, with those named before chosen; `own` says whether
    /// "something else" is chosen.
    fn choose_feelings(&mut self, own: &Cell<bool>) -> Result<(), Halt> {
        let mut items: Vec<String> = FEELINGS.iter().map(|f| f.to_string()).collect();
        items.push(OWN_FEELING.to_string());
        let earlier = self.entry.feelings.clone();
        let checked: Vec<bool> = items
            .iter()
            .enumerate()
            .map(|(i, item)| match i < FEELINGS.len() {
                true => earlier.iter().any(|f| &f.name == item),
                false => own.get(),
            })
            .collect();
        let chosen =
            self.ask()
                .multi_select("What are you feeling? Choose any", &items, &checked)?;
        // A feeling still chosen keeps the ratings it was given; feelings of their own stay
        // while "something else" is chosen, to be changed next.
        own.set(chosen.contains(&FEELINGS.len()));
        let mut feelings: Vec<Feeling> = chosen
            .iter()
            .filter(|&&i| i < FEELINGS.len())
            .map(|&i| feeling_in(&earlier, FEELINGS[i]))
            .collect();
        if own.get() {
            feelings.extend(earlier.iter().filter(|f| !listed_feeling(&f.name)).cloned());
        }
        self.entry.feelings = feelings;
        Ok(())
    }

    /// Step 2's feelings in the person's own words, after "something else" is chosen.
    fn own_feelings(&mut self) -> Result<(), Halt> {
        let earlier = self.entry.feelings.clone();
        let own: Vec<&str> = earlier
            .iter()
            .filter(|f| !listed_feeling(&f.name))
            .map(|f| f.name.as_str())
            .collect();
        self.free_text(
            "Which feelings? Separate them with commas",
            &own.join(", "),
            false,
            |e, own| {
                let own = own.unwrap_or_default();
                let names = own.split(',').map(str::trim).filter(|s| !s.is_empty());
                e.feelings.retain(|f| listed_feeling(&f.name));
                e.feelings
                    .extend(names.map(|name| feeling_in(&earlier, name)));
            },
        )?;
        Ok(())
    }

    fn the_thought(&mut self) -> Result<(), Halt> {
        self.begin(Step::Thought)?;
        self.prompts(
            Step::Thought,
            |_| 2,
            |flow, k| {
                if k == 1 {
                    flow.rate("How much do you believe it, 0 to 100?", |e| {
                        &mut e.belief_before
                    })?;
                    return Ok(());
                }
                let initial = flow.entry.thought.clone();
                let thought = flow.free_text(
                    "What is the thought that upsets you most?",
                    &initial,
                    true,
                    |e, thought| {
                        if let Some(thought) = thought {
                            e.thought = thought;
                        }
                    },
                )?;
                match thought {
                    Some(_) => Ok(()),
                    None => Err(Stop::Back.into()),
                }
            },
        )
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
            self.entry.chosen = None;
            self.reframes.clear();
            self.questions = Vec::new();
            self.no_reframes = true;
            let heading = self.options.palette.heading.apply_to("Your thought:");
            self.ask().show(&format!(
                "{heading} {thought}\n\n{NO_REFRAME_FOR_WARNING_SIGN}"
            ))?;
            self.ask().pause("The questions come next", true)?;
            return Ok(());
        }
        self.no_reframes = false;
        let recognised: Vec<Pattern> = analysis
            .findings
            .iter()
            .map(|f| Pattern {
                id: f.distortion.id.clone(),
                name: f.distortion.name.clone(),
                words: f.matches.iter().map(|m| m.text.to_string()).collect(),
            })
            .collect();
        // Coming back to this step with the same traps recognised, the person's choice stands.
        let ids = |patterns: &[Pattern]| patterns.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        let earlier = self
            .entry
            .chosen
            .clone()
            .filter(|_| ids(&self.entry.patterns) == ids(&recognised));
        self.entry.patterns = recognised;

        let palette = &self.options.palette;
        let mut text = String::new();
        let _ = write!(text, "{} ", palette.heading.apply_to("Your thought:"));
        if analysis.findings.is_empty() {
            let _ = writeln!(text, "{thought}\n");
            text.push_str(
                "I didn't recognise a familiar thinking trap in this thought. It may be a fair \
                 reading of a hard moment, or one I can't see. If one of the traps below fits, \
                 you can choose it; if none does, questions can still help you look at the \
                 thought from another side.",
            );
        } else {
            let _ = writeln!(text, "{}\n", highlight(&analysis, palette));
            for f in &analysis.findings {
                let _ = writeln!(
                    text,
                    "{}: {}",
                    palette.name.apply_to(&f.distortion.name),
                    f.distortion.summary
                );
                let words = setting_off(f.matches.iter().map(|m| m.text));
                let _ = writeln!(text, "{} {words}", palette.dim.apply_to("In your words:"));
                let _ = writeln!(text, "{}\n", f.distortion.explanation.replace('\n', " "));
            }
        }
        self.ask().show(text.trim_end())?;

        // What was recognised first, then the rest of the catalogue; safety is never a choice.
        let mut traps: Vec<&Distortion> = analysis.findings.iter().map(|f| f.distortion).collect();
        let rest: Vec<&Distortion> = self
            .engine
            .rules()
            .distortions()
            .iter()
            .filter(|d| d.kind == Kind::Distortion && !traps.iter().any(|t| t.id == d.id))
            .collect();
        traps.extend(rest);
        let checked: Vec<bool> = traps
            .iter()
            .enumerate()
            .map(|(i, d)| match &earlier {
                Some(chosen) => chosen.iter().any(|t| t.id == d.id),
                None => i < analysis.findings.len(),
            })
            .collect();
        let items: Vec<String> = traps
            .iter()
            .map(|d| format!("{}: {}", d.name, d.summary))
            .collect();
        let prompt = if analysis.findings.is_empty() {
            "Does any trap fit? Choose any, or none"
        } else {
            "Which traps fit? Keep, drop or add"
        };
        let picked = self.ask().multi_select(prompt, &items, &checked)?;
        let chosen: Vec<&Distortion> = picked.iter().map(|&i| traps[i]).collect();
        self.entry.chosen = Some(
            chosen
                .iter()
                .map(|d| Trap {
                    id: d.id.clone(),
                    name: d.name.clone(),
                })
                .collect(),
        );

        self.offer(&analysis, &chosen);
        Ok(())
    }

    /// Fills the questions of step 5 and the suggestions of step 6 from the `chosen` traps: a
    /// recognised trap's are filled with the person's words from `analysis`; an added one's are
    /// its own that need none. With none chosen, the general ones.
    fn offer(&mut self, analysis: &crate::analysis::Analysis, chosen: &[&Distortion]) {
        let offers: Vec<(Vec<String>, Vec<String>)> = chosen
            .iter()
            .map(
                |d| match analysis.findings.iter().find(|f| f.distortion.id == d.id) {
                    Some(f) => (
                        f.questions.iter().map(|q| q.to_string()).collect(),
                        f.reframes.iter().map(|r| r.to_string()).collect(),
                    ),
                    None => (capture_free(&d.questions), capture_free(&d.reframes)),
                },
            )
            .collect();
        self.questions.clear();
        self.reframes.clear();
        self.no_trap = chosen.is_empty();
        if chosen.is_empty() {
            self.questions
                .extend(GENERAL_QUESTIONS.iter().take(2).map(|q| q.to_string()));
            self.reframes
                .extend(GENERAL_BALANCED.iter().map(|r| r.to_string()));
            return;
        }
        // One from each trap first, then more in the same order: up to three questions, and four
        // suggestions. With traps chosen, step 5 starts with the evidence for and against, so a
        // trap's own question about evidence would ask it again.
        let (mut questions, reframes): (Vec<Vec<String>>, Vec<Vec<String>>) =
            offers.into_iter().unzip();
        for own in &mut questions {
            own.retain(|q| !q.to_lowercase().contains("evidence"));
        }
        self.questions = take_in_turn(&questions, 3);
        self.reframes = take_in_turn(&reframes, 4);
    }

    /// Going on past step 4 with an earlier entry, what step 4 would have offered: from the
    /// traps chosen then (or, in an entry from before the choice, those recognised), and none
    /// after a warning sign.
    fn offer_again(&mut self) {
        let engine = self.engine;
        let thought = self.entry.thought.clone();
        let analysis = engine.analyse(&thought);
        if Heard::of(&analysis).is_some() {
            self.no_reframes = true;
            return;
        }
        let ids: Vec<String> = match &self.entry.chosen {
            Some(chosen) => chosen.iter().map(|t| t.id.clone()).collect(),
            None => self.entry.patterns.iter().map(|p| p.id.clone()).collect(),
        };
        let catalogue = engine.rules().distortions();
        let chosen: Vec<&Distortion> = ids
            .iter()
            .filter_map(|id| catalogue.iter().find(|d| &d.id == id))
            .collect();
        self.offer(&analysis, &chosen);
    }

    fn questions(&mut self) -> Result<(), Halt> {
        self.begin(Step::Questions)?;
        // A warning sign, or a mention of suicide, is not argued with.
        let warning_sign = Heard::of(&self.engine.analyse(&self.entry.thought)).is_some();
        // With no trap in it, the thought may not be a claim at all: rather than its evidence,
        // what it would mean if it were true (the downward arrow).
        let no_trap = self.no_trap;
        let mut asked: Vec<String> = if warning_sign {
            WARNING_SIGN_QUESTIONS
                .iter()
                .map(|q| q.to_string())
                .collect()
        } else if no_trap {
            vec![DOWNWARD_ARROW.to_string()]
        } else {
            vec![EVIDENCE_FOR.to_string(), EVIDENCE_AGAINST.to_string()]
        };
        asked.extend(self.questions.iter().cloned());
        // Answers given before (on an earlier visit, or in the entry gone on with) start the
        // field again. The entry keeps them all, in the order asked, and after them the answers
        // to questions not asked this time (a trap dropped, a thought reworded): going back, or
        // choosing again, loses none of them.
        let order = asked.clone();
        let in_order = move |answers: &mut Vec<Answer>| {
            answers.sort_by_key(|a| {
                order
                    .iter()
                    .position(|q| q == &a.question)
                    .unwrap_or(usize::MAX)
            });
        };
        in_order(&mut self.entry.answers);
        let count = asked.len();
        self.prompts(
            Step::Questions,
            |_| count,
            |flow, k| {
                let question = asked[k].clone();
                let initial = flow
                    .entry
                    .answers
                    .iter()
                    .find(|a| a.question == question)
                    .map(|a| a.answer.clone())
                    .unwrap_or_default();
                let in_order = in_order.clone();
                flow.free_text(&question.clone(), &initial, false, |e, answer| {
                    e.answers.retain(|a| a.question != question);
                    e.answers.push(Answer {
                        question,
                        answer: answer.unwrap_or_default(),
                    });
                    in_order(&mut e.answers);
                })?;
                Ok(())
            },
        )
    }

    fn balanced(&mut self) -> Result<(), Halt> {
        self.begin(Step::Balanced)?;
        // Their own evidence against the thought first, then the rules' suggestions.
        let mut suggestions: Vec<String> = Vec::new();
        if !self.no_reframes
            && let Some(own) = answer_to(&self.entry, EVIDENCE_AGAINST)
                .and_then(|evidence| own_words_reframe(&self.entry.thought, evidence))
        {
            suggestions.push(own);
        }
        suggestions.extend(self.reframes.iter().cloned());
        // The row chosen in the list (`Some(None)`: the step skipped). A balanced thought
        // written before counts as one's own, to edit again.
        let own = suggestions.len();
        let choice = Cell::new(self.entry.balanced_thought.as_ref().map(|_| Some(own)));
        // The list, then the balanced thought, then how much it is believed.
        let count = |flow: &Self| match choice.get() {
            None | Some(None) => 1,
            Some(Some(_)) if flow.entry.balanced_thought.is_none() => 2,
            Some(Some(_)) => 3,
        };
        self.prompts(Step::Balanced, count, |flow, k| match k {
            0 => {
                let chosen = flow.choose_balanced(&suggestions)?;
                // Skipped, even on a visit back, the step leaves no balanced thought behind.
                if chosen.is_none() {
                    flow.entry.balanced_thought = None;
                    flow.entry.balanced_belief = None;
                }
                choice.set(Some(chosen));
                Ok(())
            }
            1 => {
                let initial = match choice.get() {
                    Some(Some(i)) if i < own => suggestions[i].clone(),
                    _ => flow.entry.balanced_thought.clone().unwrap_or_default(),
                };
                flow.free_text(
                    "Your balanced thought, in your own words (edit freely)",
                    &initial,
                    false,
                    |e, balanced| e.balanced_thought = balanced,
                )?;
                // Come back to, it starts from what was written.
                choice.set(Some(Some(own)));
                Ok(())
            }
            _ => {
                flow.rate(
                    "How much do you believe the balanced thought, 0 to 100?",
                    |e| &mut e.balanced_belief,
                )?;
                Ok(())
            }
        })
    }

    /// Step 6's list: the `suggestions` in full, then by number to choose from, the cursor on the first
    /// (on a visit back with a balanced thought written, on "Write my own"). The row chosen,
    /// `None` when the step is skipped.
    fn choose_balanced(&mut self, suggestions: &[String]) -> Result<Option<usize>, Halt> {
        // The list below may be cut to the screen's width; the full sentences come first.
        if !suggestions.is_empty() {
            let mut text = String::from("Some more balanced ways to put it:\n");
            for (n, r) in suggestions.iter().enumerate() {
                let _ = write!(text, "\n{}. {r}", n + 1);
            }
            self.ask().show(&text)?;
        }
        // The list names them by number and their first words: shown in full above, they are
        // not said twice, and a list on a screen of its own still says which is which.
        let mut items: Vec<String> = suggestions
            .iter()
            .enumerate()
            .map(|(n, r)| format!("{}. {}", n + 1, shorten(r, SUGGESTION_CUE)))
            .collect();
        items.push(OWN_THOUGHT.to_string());
        let from = match self.entry.balanced_thought {
            Some(_) => suggestions.len(),
            None => 0,
        };
        Ok(self.ask().select(
            "Which could you believe, at least a little? You can edit it next",
            &items,
            Some(from),
        )?)
    }

    fn rerate(&mut self) -> Result<(), Halt> {
        self.begin(Step::Rerate)?;
        let count = |flow: &Self| 1 + flow.entry.feelings.len();
        self.prompts(Step::Rerate, count, |flow, k| {
            if k == 0 {
                flow.rate(
                    "How much do you believe the original thought now, 0 to 100?",
                    |e| &mut e.belief_after,
                )?;
                return Ok(());
            }
            flow.rate_feeling(k - 1, true)
        })
    }

    /// Asks how strong feeling `i` is: at step 2, or `after` the exercise at step 7. A rating of
    /// "hopeless" may lead to the check-in, and Esc after it (at its lines) comes back to this
    /// rating, the question before.
    fn rate_feeling(&mut self, i: usize, after: bool) -> Result<(), Halt> {
        let name = self.entry.feelings[i].name.clone();
        let prompt = match after {
            false => format!("How strong is \"{name}\" right now, 0 to 100?"),
            true => format!("And how strong is \"{name}\" now, 0 to 100?"),
        };
        let asked = self.rate(&prompt, |e| match after {
            false => &mut e.feelings[i].before,
            true => &mut e.feelings[i].after,
        });
        let rating = match asked {
            Ok(rating) => rating,
            Err(halt) => {
                // A rating kept at Esc or Ctrl-C is heard as one given: at Esc, the check-in;
                // leaving, the crisis lines on the way out.
                let f = &self.entry.feelings[i];
                let kept = if after { f.after } else { f.before };
                if is_hopeless(&name, kept) {
                    match halt {
                        Halt::Stop(Stop::Back) => self.check_hopeless(&name, kept)?,
                        _ => {
                            let lines = self.crisis_lines(Category::Suicide);
                            let _ = self.prompter.show_whole(&lines);
                        }
                    }
                }
                return Err(halt);
            }
        };
        self.check_hopeless(&name, rating)
    }

    /// Asks [`CHECK_IN`] when the feeling "hopeless" is rated [`HOPELESS_CHECK_IN`] or more.
    fn check_hopeless(&mut self, feeling: &str, rating: Option<u8>) -> Result<(), Halt> {
        if is_hopeless(feeling, rating) {
            self.check_in(CheckInReason::Hopeless)?;
        }
        Ok(())
    }

    fn small_step(&mut self) -> Result<(), Halt> {
        self.begin(Step::Small)?;
        // Whether a step of their own is chosen, and so typed next.
        let listed = |step: &str| SMALL_STEPS.contains(&step);
        let own = Cell::new(self.entry.step.as_deref().is_some_and(|s| !listed(s)));
        let count = |_: &Self| 1 + usize::from(own.get());
        self.prompts(Step::Small, count, |flow, k| {
            let earlier = flow.entry.step.clone();
            if k == 1 {
                let typed = earlier.filter(|s| !listed(s));
                flow.free_text(
                    "Your small step",
                    typed.as_deref().unwrap_or_default(),
                    false,
                    |e, step| e.step = step,
                )?;
                return Ok(());
            }
            let mut items: Vec<String> = SMALL_STEPS.iter().map(|s| s.to_string()).collect();
            items.push(OWN_STEP.to_string());
            // Visited again, the list starts on the step chosen before.
            let initial = earlier.as_deref().map(|step| {
                SMALL_STEPS
                    .iter()
                    .position(|&s| s == step)
                    .unwrap_or(SMALL_STEPS.len())
            });
            let chosen =
                flow.ask()
                    .select("One small thing you could do today", &items, initial)?;
            own.set(chosen == Some(SMALL_STEPS.len()));
            match chosen {
                Some(i) if i < SMALL_STEPS.len() => flow.entry.step = Some(SMALL_STEPS[i].into()),
                Some(_) => {}
                None => flow.entry.step = None,
            }
            Ok(())
        })
    }

    /// Ends the session: the summary card, then whether to save it.
    fn summary(&mut self) -> Result<(), Halt> {
        self.begin(Step::Summary)?;
        self.entry.status = Status::Complete;
        let columns = self.prompter.columns().unwrap_or(80);
        let card = summary_card(&self.entry, &self.options.palette, columns);
        self.ask().show(&card)?;
        // Going on without saving, or saving nothing at all, was the answer already.
        let save = !self.unsaved && self.save_question()?;
        let closing = closing(&self.entry);
        // What to save is decided: an interruption now changes nothing.
        let _ = self.ask().show_whole(&closing);
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
    s.push_str("Esc goes back to the question before, and keeps what you wrote.\n\n");
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
    // Only answers given earn the words about looking from more than one side.
    let answered = entry.answers.iter().any(|a| !a.answer.trim().is_empty());
    // A balanced thought goes on a line of its own: it may start or end with quotes of its own.
    let mut s = match (answered, &entry.balanced_thought) {
        (true, Some(balanced)) => format!(
            "You stayed with a painful thought and looked at it from more than one side, and \
             came to a fairer way to put it:\n\n  {balanced}"
        ),
        (true, None) => "You stayed with a painful thought and looked at it from more than one \
                         side, step by step. That takes real effort."
            .to_string(),
        (false, Some(balanced)) => format!(
            "You gave a painful thought some of your time, and chose a fairer way to put it:\n\n  \
             {balanced}"
        ),
        (false, None) => "You gave a painful thought some of your time. That counts.".to_string(),
    };
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

/// Said after a no to saving a session that went on with an unfinished entry, before asking
/// once more.
const UNSAVED_LOST_GOING_ON: &str = "That's all right, if you'd rather not keep it. Just so you \
    know: once this session ends, what you added in it is gone. The unfinished entry you went on \
    with stays in your journal as it was.";

impl<P: Prompter> Flow<'_, P> {
    /// Checks what the session starts with for safety: the thought given, or, going on with an
    /// earlier entry (`resumed`), the thought first and then every other answer it holds, and
    /// its ratings of "hopeless".
    fn check_given(&mut self, resumed: bool) -> Result<(), Halt> {
        let e = &self.entry;
        let mut texts = vec![e.thought.clone()];
        if resumed {
            texts.extend(e.situation.clone());
            // Feelings of the person's own are typed words too.
            texts.extend(
                e.feelings
                    .iter()
                    .filter(|f| !listed_feeling(&f.name))
                    .map(|f| f.name.clone()),
            );
            texts.extend(e.answers.iter().map(|a| a.answer.clone()));
            texts.extend(e.balanced_thought.clone());
            texts.extend(e.step.clone());
        }
        for text in texts {
            self.heard.push(text.clone());
            if let Some(finding) = self.safety_of(&text) {
                // Nothing comes before: Esc cannot end the check before every text is heard.
                match self.respond(finding) {
                    Err(Halt::Stop(Stop::Back)) => {}
                    answered => answered?,
                }
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
             ({}). Everything you wrote then is filled in, and Esc goes back to the questions before.",
            STEPS.len(),
            step.title()
        );
        self.ask().show(&text)?;
        match self.ask().pause("Ready when you are", false) {
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
        match self.ask().pause("When you are ready, we'll begin", false) {
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
        let lost = match self.entry.continues {
            Some(_) => UNSAVED_LOST_GOING_ON,
            None => UNSAVED_LOST,
        };
        self.ask().show(lost)?;
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

/// Whether `feeling` is "hopeless" and `rating` reaches [`HOPELESS_CHECK_IN`].
fn is_hopeless(feeling: &str, rating: Option<u8>) -> bool {
    feeling.trim().eq_ignore_ascii_case("hopeless")
        && rating.is_some_and(|r| r >= HOPELESS_CHECK_IN)
}

/// Whether `name` is one of [`FEELINGS`], rather than a feeling in the person's own words.
fn listed_feeling(name: &str) -> bool {
    FEELINGS.contains(&name)
}

/// The feeling `name` as it is in `earlier`, with its ratings, or new.
fn feeling_in(earlier: &[Feeling], name: &str) -> Feeling {
    earlier
        .iter()
        .find(|f| f.name == name)
        .cloned()
        .unwrap_or(Feeling {
            name: name.to_string(),
            before: None,
            after: None,
        })
}

/// The rating typed in a field, if it is one: a whole number from 0 to 100.
fn rating_in(typed: &str) -> Option<u8> {
    typed.trim().parse::<u8>().ok().filter(|&r| r <= 100)
}

/// A path as typed at a prompt, where no shell expands a leading `~` to the home directory.
fn typed_path(text: &str) -> std::path::PathBuf {
    let text = text.trim();
    match (text.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => text.into(),
    }
}

/// The words that set a trap off, quoted and joined: `"I'll never be good enough"`. A match
/// inside another (a shorter phrase within a longer one) is left out, and so is a repeat.
fn setting_off<'t>(matches: impl Iterator<Item = &'t str>) -> String {
    let matches: Vec<&str> = matches.map(str::trim).collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        let inside = matches
            .iter()
            .enumerate()
            .any(|(j, other)| j != i && other.len() > m.len() && other.contains(m));
        if !inside && !kept.contains(m) {
            kept.push(m);
        }
    }
    let quoted: Vec<String> = kept.iter().map(|m| format!("\"{m}\"")).collect();
    quoted.join(", ")
}

/// Up to `limit` texts from `lists`, taken in turns: the first of each list, then the second of
/// each, and so on; a text already taken is not taken again.
fn take_in_turn(lists: &[Vec<String>], limit: usize) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..longest {
        for text in lists.iter().filter_map(|list| list.get(round)) {
            if taken.len() < limit && !taken.contains(text) {
                taken.push(text.clone());
            }
        }
    }
    taken
}

/// A trap's templates that need none of the person's words, as text: what to offer for a trap
/// the person added, which matched nothing to fill them from.
fn capture_free(templates: &[Template]) -> Vec<String> {
    templates
        .iter()
        .filter_map(|t| t.fill(|_| None))
        .map(|t| t.into_owned())
        .collect()
}

/// The answer given to `question`, when it was answered.
fn answer_to<'e>(entry: &'e Entry, question: &str) -> Option<&'e str> {
    entry
        .answers
        .iter()
        .find(|a| a.question == question)
        .map(|a| a.answer.trim())
        .filter(|a| !a.is_empty())
}

/// Words that open a sentence and are not names, so they go lower-case inside one.
const SENTENCE_OPENERS: [&str; 44] = [
    "a",
    "after",
    "all",
    "an",
    "at",
    "before",
    "both",
    "every",
    "everybody",
    "everyone",
    "even",
    "friends",
    "he",
    "her",
    "his",
    "if",
    "in",
    "it",
    "it's",
    "its",
    "last",
    "many",
    "most",
    "my",
    "no",
    "nobody",
    "not",
    "nothing",
    "on",
    "one",
    "our",
    "people",
    "she",
    "so",
    "some",
    "someone",
    "that",
    "the",
    "their",
    "there",
    "these",
    "they",
    "this",
    "we",
];

/// Leading words that would read twice after "I also know that": "because she called", "that
/// I tried", "I know that I tried".
const EVIDENCE_LEADS: [&str; 8] = [
    "i know that ",
    "i know ",
    "well, ",
    "well ",
    "because ",
    "but ",
    "and ",
    "that ",
];

/// A thought or an answer as a clause to go inside a sentence: without surrounding quotes or
/// spaces, and without the punctuation that ended it.
fn clause(text: &str) -> &str {
    let quotes = |c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’');
    text.trim()
        .trim_matches(quotes)
        .trim_end_matches(|c: char| c.is_whitespace() || ".!…,;:".contains(c))
        .trim()
}

/// Whether `text` holds more than one sentence.
fn sentences(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| ".!?…;".contains(w[0]) && w[1].is_whitespace())
}

/// `text` with its first letter made lower-case when it opens with a word that is not a name
/// ("The", "She", "My"), so it reads inside a sentence; "I" and names stay as they are.
fn inside_sentence(text: &str) -> String {
    let first: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    let opener = SENTENCE_OPENERS.contains(&first.to_lowercase().replace('’', "'").as_str());
    let capital_only_first = first.chars().skip(1).all(|c| !c.is_uppercase());
    // "i got there" typed in a hurry is still "I got there".
    let lone_i = first == "i" || first.starts_with("i'") || first.starts_with("i’");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if opener && capital_only_first => c.to_lowercase().chain(chars).collect(),
        Some('i') if lone_i => std::iter::once('I').chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// A balanced thought built from the person's own evidence against their thought, in the first
/// person: it keeps the thought, and sets beside it what they know. `None` when the evidence
/// holds no words.
///
/// A thought too long to repeat, of more than one sentence, or asked as a question is named
/// rather than repeated; evidence of more than one sentence follows a colon as it was written.
pub fn own_words_reframe(thought: &str, evidence: &str) -> Option<String> {
    let mut evidence = clause(evidence);
    while let Some(lead) = EVIDENCE_LEADS.iter().find(|lead| {
        let lead = lead.trim_end();
        evidence
            .get(..lead.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(lead))
            && evidence[lead.len()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
    }) {
        evidence = evidence[lead.trim_end().len()..].trim_start();
    }
    let evidence = evidence.trim_end_matches('?').trim_end();
    if !evidence.chars().any(char::is_alphanumeric) {
        return None;
    }
    let asked = thought.trim_end().ends_with('?');
    let thought = clause(thought);
    let thought = thought
        .strip_prefix("that ")
        .or_else(|| thought.strip_prefix("That "))
        .unwrap_or(thought);
    let believes = if asked
        || thought.is_empty()
        || sentences(thought)
        || thought.split_whitespace().count() > 14
    {
        "Part of me still believes the thought I started with".to_string()
    } else {
        format!("Part of me believes {}", inside_sentence(thought))
    };
    Some(if sentences(evidence) {
        format!("{believes}, and I also know this: {evidence}.")
    } else {
        format!(
            "{believes}, and I also know that {}.",
            inside_sentence(evidence)
        )
    })
}

/// A bar of `width` cells for a rating out of 100.
pub fn bar(rating: u8, width: usize) -> String {
    let filled = (usize::from(rating.min(100)) * width + 50) / 100;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The card shown at the end of a session, and by `reframe journal show`, for a screen `columns`
/// wide: its bars are as long as fits, from 5 to 20 characters.
pub fn summary_card(entry: &Entry, palette: &Palette, columns: usize) -> String {
    let mut s = String::new();

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
    let traps = entry.trap_names();
    if !traps.is_empty() {
        let names: Vec<String> = traps
            .iter()
            .map(|name| palette.name.apply_to(name).to_string())
            .collect();
        let _ = writeln!(
            s,
            "{} {}",
            palette.heading.apply_to("Thinking traps:"),
            names.join(", ")
        );
    }
    for (label, question) in [
        ("Evidence for:", EVIDENCE_FOR),
        ("Evidence against:", EVIDENCE_AGAINST),
    ] {
        if let Some(answer) = answer_to(entry, question) {
            let _ = writeln!(s, "{} {answer}", palette.heading.apply_to(label));
        }
    }
    // The answers to the other questions, the traps' own among them, each after its question.
    let others: Vec<&Answer> = entry
        .answers
        .iter()
        .filter(|a| ![EVIDENCE_FOR, EVIDENCE_AGAINST].contains(&a.question.as_str()))
        .filter(|a| !a.answer.trim().is_empty())
        .collect();
    if !others.is_empty() {
        let _ = writeln!(s, "{}", palette.heading.apply_to("Your other answers:"));
        for a in others {
            let _ = writeln!(
                s,
                "  - {} {}",
                palette.dim.apply_to(&a.question),
                a.answer.trim()
            );
        }
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
    // Two spaces before the label and after it, and the number after the bar.
    let bar_width = columns.saturating_sub(width + 8).clamp(5, 20);
    let rating = |r: Option<u8>| match r {
        Some(r) => format!("{} {r:>3}", palette.bar.apply_to(bar(r, bar_width))),
        None => palette.dim.apply_to("not rated").to_string(),
    };
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
    /// Items chosen, by index. (At a list of items to choose, [`Reply::Continue`] keeps the
    /// ones that started chosen.)
    Multi(Vec<usize>),
    /// A yes or no.
    Confirm(bool),
    /// Enter, to go on after reading; at a list of items to choose, Enter with the items that
    /// started chosen left as they are.
    Continue,
    /// Esc: back a step.
    Back,
    /// Ctrl-C, or the terminal closing.
    Interrupt,
    /// Ctrl-C at a text or rating prompt with this line half typed.
    InterruptTyping(String),
    /// Esc at a text or rating prompt with this line in the field.
    BackTyping(String),
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
    /// The line of the last [`Reply::InterruptTyping`] or [`Reply::BackTyping`], until the
    /// flow takes it.
    typed: Option<String>,
}

impl Scripted {
    /// A prompter that will give these replies, in order. Asking more than the script holds, or
    /// a reply of the wrong kind for a prompt, panics with the prompt in the message.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Scripted {
        Scripted {
            replies: replies.into_iter().collect(),
            log: Vec::new(),
            typed: None,
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
        self.typed = None;
        match self.replies.pop_front() {
            Some(Reply::Back) => Err(Stop::Back),
            Some(Reply::Interrupt) => Err(Stop::Interrupted),
            Some(Reply::InterruptTyping(typed)) => {
                self.typed = Some(typed);
                Err(Stop::Interrupted)
            }
            Some(Reply::BackTyping(typed)) => {
                self.typed = Some(typed);
                Err(Stop::Back)
            }
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

    fn pause(&mut self, prompt: &str, back: bool) -> Asked<()> {
        let kind = match back {
            true => "pause",
            false => "pause (nothing to go back to)",
        };
        loop {
            match self.next(kind, prompt) {
                // Esc does nothing where there is nothing to go back to, as on a terminal.
                Err(Stop::Back) if !back => continue,
                Ok(Reply::Continue) => return Ok(()),
                Err(stop) => return Err(stop),
                Ok(other) => panic!("pause {prompt:?} got {other:?}"),
            }
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
        checked: &[bool],
    ) -> Asked<Vec<usize>> {
        let marked: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, item)| match checked.get(i) {
                Some(true) => format!("[x] {item}"),
                _ => format!("[ ] {item}"),
            })
            .collect();
        let prompt = format!("{prompt} {marked:?}");
        match self.next("multi", &prompt)? {
            Reply::Multi(chosen) => Ok(chosen.into_iter().filter(|&i| i < items.len()).collect()),
            // Enter alone keeps the items that started chosen, as on a terminal.
            Reply::Continue => Ok((0..items.len())
                .filter(|&i| checked.get(i) == Some(&true))
                .collect()),
            other => panic!("multi-select prompt {prompt:?} got {other:?}"),
        }
    }

    fn confirm(&mut self, prompt: &str, _default: Option<bool>) -> Asked<bool> {
        match self.next("confirm", prompt)? {
            Reply::Confirm(yes) => Ok(yes),
            other => panic!("confirm prompt {prompt:?} got {other:?}"),
        }
    }

    fn typed_when_left(&mut self) -> Option<String> {
        self.typed.take()
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
    fn the_summary_card_fits_40_columns() {
        let mut entry = Entry::new("2026-11-22T10:00:00Z".parse().unwrap());
        entry.thought = "I'll never be good enough".into();
        entry.belief_before = Some(90);
        entry.belief_after = Some(45);
        entry.balanced_thought = Some("Not yet is not never".into());
        entry.balanced_belief = Some(50);
        entry.feelings.push(crate::journal::Feeling {
            name: "embarrassed".into(),
            before: Some(70),
            after: Some(30),
        });
        let palette = crate::output::Palette::new(false);
        for columns in [40, 80] {
            let card = wrap(&super::summary_card(&entry, &palette, columns), columns);
            // Every bar and its number on one row.
            let bars: Vec<&str> = card.lines().filter(|l| l.contains('█')).collect();
            assert_eq!(bars.len(), 5, "{card}");
            assert!(
                bars.iter()
                    .all(|b| b.ends_with(char::is_numeric) && b.chars().count() <= columns),
                "{card}"
            );
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
        // Looking from more than one side is said only of a session where questions were
        // answered.
        assert!(!plain.contains("more than one side"), "{plain}");
        entry.answers.push(crate::journal::Answer {
            question: super::EVIDENCE_AGAINST.into(),
            answer: "She called me back once".into(),
        });
        assert!(closing(&entry).contains("more than one side"));
    }
}
