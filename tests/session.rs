//! The guided thought record, driven through the scripted prompter: every step, skips, going
//! back, the no-findings path, the safety stop, editing a reframe, an interruption, the check-in
//! question (a warning sign, or "hopeless" rated 70 or more), and a journal that cannot be written.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use reframe::journal::{CheckIn, CheckInAnswer, CheckInReason, Entry, Journal, Status};
use reframe::output::Palette;
use reframe::resources::Resources;
use reframe::rules::Category;
use reframe::session::{
    self, CHECK_IN, DOWNWARD_ARROW, Draft, GENERAL_BALANCED, Options, Outcome, Reply, SMALL_STEPS,
    Scripted,
};
use reframe::{Engine, RuleSet, RuleSources};

/// The built-in rules, and a user safety file whose `concern`-level pattern matches "bluebird",
/// so the concern path does not depend on the built-in wording.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("safety-mine.toml"), CONCERN_RULES).unwrap();
        let rules = RuleSet::load(&RuleSources {
            builtin: true,
            paths: vec![dir.path().to_path_buf()],
        })
        .unwrap();
        Engine::new(rules).unwrap()
    })
}

/// A user safety rule file with one `concern`-level pattern.
pub const CONCERN_RULES: &str = "name = \"My words\"\nsummary = \"s\"\nexplanation = \"e\"\n\
    [[pattern]]\nid = \"code-word\"\ncategory = \"suicide\"\nlevel = \"concern\"\n\
    match = ['\\bbluebird\\b']\n";

/// The region's crisis line, shown on every safety stop.
const CRISIS: &str = "Call or text 988";
/// The note under the lines, as the command line would give it.
const NOTE: &str = "Place: United States, set in your config file.";
/// The crisis lines' first words in a session.
const HELP: &str = "Help is available now (United States):";

/// Runs a session that is to save to a journal in a new directory (the session itself saves
/// nothing: its caller does): its outcome, its prompter, and the draft's entry.
fn run(thought: Option<&str>, replies: Vec<Reply>) -> (Outcome, Scripted, Entry) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let (outcome, prompter, draft) = run_saving_to(thought, Some(&journal), replies);
    (outcome, prompter, draft.entry)
}

/// Runs a session that is to save to `journal`: its outcome, its prompter, and the draft.
fn run_saving_to(
    thought: Option<&str>,
    journal: Option<&Path>,
    replies: Vec<Reply>,
) -> (Outcome, Scripted, Draft) {
    let options = Options {
        thought: thought.map(str::to_string),
        region: Resources::builtin().region("us").unwrap().clone(),
        region_note: NOTE.to_string(),
        palette: Palette::new(false),
        // The first screen is looked at on its own; the other tests start at step 1.
        welcome: false,
    };
    let mut prompter = Scripted::new(replies);
    let draft = Mutex::new(Draft::new(jiff::Timestamp::now(), journal.map(Journal::at)));
    let outcome = session::run(
        &mut prompter,
        engine(),
        &options,
        jiff::Timestamp::now(),
        &draft,
    );
    let draft = draft.into_inner().unwrap();
    (outcome, prompter, draft)
}

use Reply::{Confirm, Continue, Multi, Rating, Select};

fn text(s: &str) -> Reply {
    Reply::text(s)
}

fn skip() -> Reply {
    Reply::skip()
}

#[test]
fn a_whole_session_records_every_step() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            text("She cancelled our third date by text"),
            Multi(vec![0, 1]), // hurt, rejected
            Rating(Some(80)),
            Rating(Some(60)),
            text("I'll never find someone who stays"),
            Rating(Some(90)),
            Continue, // after reading what was recognised
            text("She said she liked me after the second date"),
            text("One cancellation is one person, on one week"),
            text("Friends have stayed for years"),
            skip(),
            skip(),
            Select(Some(0)),
            skip(), // keep the chosen reframe as it is
            Rating(Some(55)),
            Rating(Some(40)),
            Rating(Some(50)),
            Rating(Some(30)),
            Select(Some(1)),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.save && !outcome.interrupted);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Complete);
    assert_eq!(
        e.situation.as_deref(),
        Some("She cancelled our third date by text")
    );
    assert_eq!(e.thought, "I'll never find someone who stays");
    assert_eq!((e.belief_before, e.belief_after), (Some(90), Some(40)));
    assert_eq!(e.feelings.len(), 2);
    assert_eq!(
        (
            &*e.feelings[0].name,
            e.feelings[0].before,
            e.feelings[0].after
        ),
        ("hurt", Some(80), Some(50))
    );
    assert_eq!(
        (
            &*e.feelings[1].name,
            e.feelings[1].before,
            e.feelings[1].after
        ),
        ("rejected", Some(60), Some(30))
    );
    assert!(
        e.patterns.iter().any(|p| p.id == "fortune-telling"
            && p.words.iter().any(|w| w.contains("never find someone"))),
        "{:?}",
        e.patterns
    );
    assert_eq!(e.answers.len(), 5);
    assert_eq!(
        e.answers[0].question,
        "What is the evidence for this thought?"
    );
    assert_eq!(
        e.answers[1].answer,
        "One cancellation is one person, on one week"
    );
    let balanced = e.balanced_thought.as_deref().expect("a balanced thought");
    let offered = prompter
        .log
        .iter()
        .find(|l| l.starts_with("select: Which could you believe"))
        .unwrap();
    // The list names each by number and its first words, the first being the balanced thought.
    let cue = reframe::output::wrap::shorten(balanced, 36);
    assert!(
        offered.contains(&format!("[\"1. {cue}\", \"2. ")),
        "{offered}"
    );
    assert!(cue.len() < balanced.len() && cue.ends_with('…'), "{cue}");
    // The full sentences are shown before the list.
    assert!(
        prompter.saw(&format!("1. {balanced}\n")),
        "{:#?}",
        prompter.log
    );
    assert_eq!(e.balanced_belief, Some(55));
    assert_eq!(e.step.as_deref(), Some(SMALL_STEPS[1]));
    // The pattern's explanation and the triggering words were shown, and the distortion's own
    // questions were asked.
    assert!(prompter.saw("Fortune telling"), "{:#?}", prompter.log);
    assert!(
        prompter.saw("[I'll never find someone who stays]"),
        "{:#?}",
        prompter.log
    );
    assert!(prompter.log.iter().any(|l| l.starts_with("text: ")
        && l.contains('?')
        && !l.contains("evidence")
        && !l.contains("thought that upsets")));
    // The thought stays at the top of every step once it is known.
    let steps: Vec<&String> = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("step:"))
        .collect();
    assert_eq!(steps.len(), 9, "{steps:#?}");
    assert!(
        steps[4..8]
            .iter()
            .all(|s| s.ends_with("| thought: I'll never find someone who stays"))
    );
    // Step 4 and the summary card show the thought themselves, so the header above them does
    // not: it is never on the screen twice.
    assert!(steps[3].ends_with("| thought: -"), "{}", steps[3]);
    assert!(steps[8].ends_with("| thought: -"), "{}", steps[8]);
    assert!(
        prompter.saw("Your thought: [I'll never find someone who stays]"),
        "{:#?}",
        prompter.log
    );
    // The summary card has bars for belief and feelings.
    let card = prompter
        .log
        .iter()
        .find(|l| l.contains("Belief in the"))
        .unwrap();
    let bars: Vec<&str> = card
        .lines()
        .filter(|l| l.contains('█') || l.contains('░'))
        .collect();
    assert_eq!(bars.len(), 7, "{card}"); // belief: 3, feelings: 2 x 2
    // The card has every answer: the evidence, and the trap's own question after it.
    assert!(
        card.contains("Evidence for: She said she liked me after the second date"),
        "{card}"
    );
    let third = &e.answers[2];
    assert!(
        card.contains(&format!(
            "  - {} Friends have stayed for years",
            third.question
        )),
        "{card}"
    );
    assert!(bars[0].starts_with("  before ") && bars[0].ends_with("██████████████████░░  90"));
    // All bars start in one column.
    let column = |l: &str| l.chars().position(|c| c == '█' || c == '░');
    assert!(bars.iter().all(|l| column(l) == column(bars[0])), "{card}");
}

#[test]
fn every_step_but_the_thought_can_be_skipped() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            skip(),
            Multi(vec![]),
            skip(), // the thought cannot be skipped: asked again
            text("I always ruin everything"),
            Rating(None),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Complete);
    assert_eq!(e.thought, "I always ruin everything");
    assert_eq!(e.situation, None);
    assert!(e.feelings.is_empty());
    assert_eq!((e.belief_before, e.belief_after), (None, None));
    assert!(e.answers.iter().all(|a| a.answer.is_empty()));
    assert_eq!(
        (e.balanced_thought.as_deref(), e.step.as_deref()),
        (None, None)
    );
    let thought_prompts = prompter
        .log
        .iter()
        .filter(|l| l.contains("thought that upsets"))
        .count();
    assert_eq!(thought_prompts, 2);
}

#[test]
fn a_thought_with_no_trap_is_told_so_honestly_and_asks_what_it_would_mean() {
    let (outcome, prompter, _) = run(
        Some("I feel sad that she left"),
        vec![
            skip(),
            Multi(vec![6]),
            Rating(Some(70)),
            skip(), // keep the thought given on the command line
            Rating(Some(100)),
            Continue, // no trap chosen
            text("That nobody stays with me"),
            skip(),
            skip(),
            Select(Some(GENERAL_BALANCED.len())), // "Write my own", after the general thoughts
            text("It hurts because it mattered"),
            Rating(Some(80)),
            Rating(Some(100)),
            Rating(Some(50)),
            Select(None),
            Confirm(false),
            Confirm(true), // yes, leave it unsaved
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(!outcome.save, "the person chose not to save");
    let e = &outcome.entry;
    assert!(e.patterns.is_empty());
    assert_eq!(e.chosen, Some(vec![]));
    assert_eq!(e.thought, "I feel sad that she left");
    assert!(prompter.saw("didn't recognise a familiar thinking trap"));
    // No evidence is asked for about a sentence that may not be a claim: the downward arrow
    // instead, then the general questions.
    assert!(!prompter.saw("evidence"), "{:#?}", prompter.log);
    assert_eq!(e.answers[0].question, DOWNWARD_ARROW);
    assert_eq!(e.answers[0].answer, "That nobody stays with me");
    assert!(prompter.saw("What are the facts here"));
    // Step 6 offers the general balanced thoughts, each in the first person.
    for thought in GENERAL_BALANCED {
        assert!(prompter.saw(thought), "{thought}: {:#?}", prompter.log);
        assert!(thought.contains("I ") || thought.contains(" me") || thought.contains("My "));
    }
    assert_eq!(
        e.balanced_thought.as_deref(),
        Some("It hurts because it mattered")
    );
    // The thought given on the command line is shown from the first step.
    assert!(prompter.log[0].ends_with("| thought: I feel sad that she left"));
}

#[test]
fn a_reframe_can_be_chosen_and_edited() {
    let (outcome, prompter, _) = run(
        Some("I'm a failure"),
        vec![
            skip(),
            Multi(vec![]),
            skip(),
            Rating(Some(90)),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(Some(0)),
            text("I failed the exam, and I am still someone who keeps trying"),
            Rating(Some(60)),
            Rating(Some(40)),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(
        outcome.entry.balanced_thought.as_deref(),
        Some("I failed the exam, and I am still someone who keeps trying")
    );
    // The edit started from the reframe that was chosen.
    let select = prompter
        .log
        .iter()
        .find(|l| l.starts_with("select: Which could you believe"))
        .unwrap();
    assert!(select.contains("Write my own") && select.matches("\", \"").count() >= 1);
}

#[test]
fn crisis_language_in_any_answer_stops_the_exercise() {
    let (outcome, prompter, draft) = run(
        Some("Nobody will ever love me"),
        vec![
            text("My partner left last night"),
            Multi(vec![]),
            skip(),
            Rating(Some(95)),
            Continue,
            text("I want to kill myself"),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(!prompter.saw("evidence against"), "the exercise stopped");
    assert!(outcome.save, "the person chose to keep what they typed");
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Unfinished);
    assert!(e.safety_stop);
    assert_eq!(e.situation.as_deref(), Some("My partner left last night"));
    assert_eq!(
        draft.situation.as_deref(),
        Some("My partner left last night")
    );
    // The answer that stopped it is kept where it was typed, and the region is named.
    assert_eq!(e.answers[0].answer, "I want to kill myself");
    assert!(prompter.saw(HELP) && prompter.saw(NOTE));
}

#[test]
fn a_safety_stop_shows_the_crisis_lines_last_right_above_the_keep_question() {
    // On a short screen the top of what is shown scrolls away: the lines must be at the bottom.
    let (_, prompter, _) = run(Some("I want to kill myself"), vec![Confirm(false)]);
    let keep = prompter
        .log
        .iter()
        .position(|l| l.starts_with("confirm: Keep what you have written"))
        .expect("the keep question is asked");
    let screen = &prompter.log[keep - 1];
    assert!(screen.starts_with("show: "), "{screen}");
    let at = |needle: &str| {
        screen
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {screen}"))
    };
    assert!(at("Let's stop the exercise here") < at(NOTE), "{screen}");
    assert!(at(NOTE) < at(HELP) && at(HELP) < at(CRISIS), "{screen}");
    assert!(
        screen
            .trim_end()
            .ends_with("call the emergency number now."),
        "{screen}"
    );
}

#[test]
fn a_crisis_thought_is_never_analysed_for_traps() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            skip(),
            Multi(vec![]),
            text("I don't want to be alive anymore"),
            Confirm(false),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(!outcome.save);
    assert!(outcome.entry.patterns.is_empty());
    assert!(!prompter.saw("step: 4 of 9"));
}

#[test]
fn an_interrupted_session_keeps_what_was_typed() {
    let (outcome, prompter, draft) = run(
        None,
        vec![
            text("My boss ignored my idea in the meeting"),
            Multi(vec![4]),
            Rating(Some(70)),
            text("Everyone thinks I'm stupid"),
            Rating(Some(85)),
            Continue,
            text("He moved on quickly"),
            Reply::Interrupt,
        ],
    );
    assert_eq!(prompter.remaining(), 0);
    assert!(outcome.save && outcome.interrupted);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(e.thought, "Everyone thinks I'm stupid");
    assert_eq!(e.answers.len(), 1, "{:?}", e.answers);
    assert_eq!(e.answers[0].answer, "He moved on quickly");
    assert_eq!(draft.thought, "Everyone thinks I'm stupid");
    assert_eq!(draft.feelings[0].name, "ashamed");
}

#[test]
fn an_interruption_before_anything_was_typed_keeps_nothing() {
    let (outcome, _, _) = run(None, vec![Reply::Interrupt]);
    assert!(outcome.interrupted && !outcome.save);
}

#[test]
fn esc_goes_back_a_step() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            text("first try"),
            Reply::Back, // from the feelings, back to the situation
            text("The interview went badly"),
            Multi(vec![]),
            text("I always fail"),
            Rating(Some(80)),
            Continue,
            Reply::Back, // from the questions, back to what was recognised
            Reply::Back, // and from there back to the thought's last prompt, its rating
            Reply::BackTyping("70".to_string()), // typed, and back to the thought itself
            skip(),      // keep "I always fail"
            Rating(None), // 70, as typed before going back
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let e = &outcome.entry;
    assert_eq!(e.situation.as_deref(), Some("The interview went badly"));
    assert_eq!(e.thought, "I always fail");
    // What was recognised is shown again on the way back, and the choice of traps waits each time.
    let choices = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("multi: Which traps fit"))
        .count();
    assert_eq!(choices, 3, "{:#?}", prompter.log);
    assert_eq!(e.belief_before, Some(70));
}

#[test]
fn going_back_keeps_every_answer_and_rating_and_starts_from_them() {
    let own = session::FEELINGS.len(); // "something else (type it)", after the list
    let (outcome, prompter, _) = run(
        None,
        vec![
            text("The interview went badly"),
            Multi(vec![0, own]), // hurt, and one of my own
            text("let down"),
            Rating(Some(80)),
            Rating(Some(60)),
            text("I always fail"),
            Rating(Some(90)),
            Continue,
            Reply::Back, // from the first question, back to step 4
            Reply::Back, // from step 4 to the thought's last prompt, its rating
            Reply::Back, // from there to the thought
            Reply::Back, // from the thought to the last prompt of the feelings
            Reply::Back, // and back through them, a prompt at a time
            Reply::Back,
            Reply::Back,
            Multi(vec![0, own]),
            skip(),       // "let down" is in the field already
            Rating(None), // Enter keeps 80
            Rating(None), // and 60
            skip(),       // the thought is kept
            Rating(None), // and so is its 90
            Continue,
            text("I froze at one question"),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(Some(0)),
            skip(), // the first suggestion as it is
            Rating(Some(55)),
            Rating(Some(40)),
            Rating(Some(50)),
            Rating(Some(30)),
            Select(Some(1)),
            Reply::Back, // from the save question, back to step 8
            Reply::Back, // from step 8 back to step 7's last rating
            Reply::Back, // and on back to its first
            Reply::Back,
            Rating(None), // 40 kept
            Rating(None), // 50 kept
            Rating(None), // 30 kept
            Select(Some(1)),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let e = &outcome.entry;
    let feelings: Vec<_> = e
        .feelings
        .iter()
        .map(|f| (f.name.as_str(), f.before, f.after))
        .collect();
    assert_eq!(
        feelings,
        [
            ("hurt", Some(80), Some(50)),
            ("let down", Some(60), Some(30))
        ]
    );
    assert_eq!((e.belief_before, e.belief_after), (Some(90), Some(40)));
    assert_eq!(e.balanced_belief, Some(55));
    assert_eq!(e.step.as_deref(), Some(SMALL_STEPS[1]));
    assert_eq!(e.answers[0].answer, "I froze at one question");
    // Each prompt visited again started from what was given.
    for shown in [
        // The feelings chosen before start checked: "hurt" and one of the person's own.
        "\"[x] hurt\"".to_string(),
        format!("\"[x] {}\"", "something else (type it)"),
        "How strong is \"hurt\" right now, 0 to 100? [80]".to_string(),
        "How much do you believe it, 0 to 100? [90]".to_string(),
        "original thought now, 0 to 100? [40]".to_string(),
        "And how strong is \"let down\" now, 0 to 100? [30]".to_string(),
        "] from 1".to_string(),
    ] {
        assert!(prompter.saw(&shown), "{shown}: {:#?}", prompter.log);
    }
}

#[test]
fn own_feelings_and_an_own_small_step_are_typed_again_from_what_was_written() {
    let own_feeling = session::FEELINGS.len();
    let own_step = SMALL_STEPS.len();
    let (outcome, prompter, _) = run(
        Some("I'm a failure"),
        vec![
            skip(),
            Multi(vec![own_feeling]),
            text("let down"),
            Rating(Some(70)),
            Reply::Back, // from the thought, back to the feelings' last prompt
            Reply::Back, // their own words
            Reply::Back, // the list
            Multi(vec![own_feeling]),
            skip(),
            Rating(None),
            skip(),
            Rating(None),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Rating(None),
            Select(Some(own_step)),
            text("Call my sister tonight"),
            Reply::Back, // from the save question, back to step 8's last prompt: the step typed
            Reply::Back, // and from there to the list
            Select(Some(own_step)),
            skip(), // the step typed before is in the field
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(outcome.entry.feelings[0].name, "let down");
    assert_eq!(outcome.entry.feelings[0].before, Some(70));
    assert_eq!(
        outcome.entry.step.as_deref(),
        Some("Call my sister tonight")
    );
    assert!(prompter.saw("\"[x] something else (type it)\""));
    assert!(prompter.saw(&format!("] from {own_step}")));
}

#[test]
fn the_draft_holds_every_answer_typed_before_an_interruption() {
    // Interrupted at the belief rating, straight after the thought was typed in the same step.
    let (_, _, draft) = run(
        None,
        vec![
            skip(),
            Multi(vec![5]), // lonely
            Rating(Some(60)),
            text("I'm unlovable"),
            Reply::Interrupt,
        ],
    );
    assert_eq!(draft.thought, "I'm unlovable");
    assert_eq!(
        (draft.feelings[0].name.as_str(), draft.feelings[0].before),
        ("lonely", Some(60))
    );
}

#[test]
fn ctrl_c_at_a_text_prompt_keeps_the_line_half_typed() {
    let (outcome, _, _) = run(
        Some("I always mess things up"),
        vec![
            text("I forgot the meeting"),
            Multi(vec![]),
            skip(),
            Rating(Some(70)),
            Continue,
            Reply::InterruptTyping("  I was up all night with the ".to_string()),
        ],
    );
    assert!(outcome.interrupted && outcome.save);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(e.situation.as_deref(), Some("I forgot the meeting"));
    assert_eq!(e.answers.len(), 1, "{:?}", e.answers);
    assert_eq!(
        e.answers[0].question,
        "What is the evidence for this thought?"
    );
    assert_eq!(e.answers[0].answer, "I was up all night with the");

    // The situation, typed half-way, is kept too; a line of spaces is nothing to keep.
    let (outcome, _, _) = run(None, vec![Reply::InterruptTyping("My boss sh".to_string())]);
    assert_eq!(outcome.entry.situation.as_deref(), Some("My boss sh"));
    let (outcome, _, _) = run(None, vec![Reply::InterruptTyping("   ".to_string())]);
    assert!(!outcome.save && outcome.entry.situation.is_none());
}

#[test]
fn crisis_language_half_typed_at_ctrl_c_shows_the_crisis_lines_on_the_way_out() {
    let (outcome, prompter, _) = run(
        None,
        vec![Reply::InterruptTyping("I want to kill myself".to_string())],
    );
    assert!(outcome.interrupted);
    assert!(prompter.saw(HELP), "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS), "{:#?}", prompter.log);
    // Kept as a safety stop, so the journal marks it and gives the lines again.
    assert!(outcome.entry.safety_stop, "{:?}", outcome.entry);
    assert_eq!(outcome.entry.safety_category, Some(Category::Suicide));
    // Before any thought, it stands as the thought, as it does when it is entered.
    assert_eq!(outcome.entry.thought, "I want to kill myself");
    assert_eq!(outcome.entry.situation, None);
}

#[test]
fn own_feelings_and_an_own_small_step_can_be_typed() {
    let own_feeling = session::FEELINGS.len(); // "something else (type it)", after the list
    let own_step = SMALL_STEPS.len(); // "Something else (type it)", after the list
    let (outcome, prompter, _) = run(
        Some("I'm a failure"),
        vec![
            skip(),
            Multi(vec![0, own_feeling]),
            text("let down, , tired "),
            Rating(Some(70)),
            Rating(Some(50)),
            Rating(None),
            skip(),
            Rating(Some(80)),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Rating(None),
            Rating(None),
            Rating(None),
            Select(Some(own_step)),
            text("Call my sister tonight"),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let names: Vec<&str> = outcome
        .entry
        .feelings
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["hurt", "let down", "tired"]);
    assert_eq!(outcome.entry.feelings[1].before, Some(50));
    assert_eq!(
        outcome.entry.step.as_deref(),
        Some("Call my sister tonight")
    );
}

/// How many times the check-in question was asked.
fn check_ins(prompter: &Scripted) -> usize {
    prompter
        .log
        .iter()
        .filter(|l| *l == &format!("confirm: {CHECK_IN}"))
        .count()
}

/// Index of "hopeless" in the feelings list.
fn hopeless() -> usize {
    session::FEELINGS
        .iter()
        .position(|f| *f == "hopeless")
        .unwrap()
}

#[test]
fn a_crisis_thought_on_the_command_line_stops_before_the_first_question() {
    let (outcome, prompter, draft) = run(Some("I want to kill myself"), vec![Confirm(true)]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(
        !prompter.log.iter().any(|l| l.starts_with("step:")),
        "no step was started: {:#?}",
        prompter.log
    );
    assert!(prompter.saw(HELP) && prompter.saw(CRISIS) && prompter.saw(NOTE));
    assert!(!prompter.saw("--region"), "{:#?}", prompter.log);
    assert!(outcome.save && !outcome.interrupted);
    let e = &outcome.entry;
    assert!(e.safety_stop);
    assert_eq!(e.status, Status::Unfinished);
    assert_eq!(e.thought, "I want to kill myself");
    assert_eq!(e.check_in, None, "crisis language needs no question");
    assert!(
        draft.safety_stop,
        "the draft is marked before the keep question"
    );
}

#[test]
fn a_safety_stop_keeps_what_the_words_spoke_of() {
    for (thought, category) in [
        ("I want to kill myself", Category::Suicide),
        ("I've been cutting myself again", Category::SelfHarm),
        ("my boyfriend hits me", Category::HarmFromOthers),
    ] {
        let (outcome, _, draft) = run(Some(thought), vec![Confirm(true)]);
        assert_eq!(outcome.entry.safety_category, Some(category), "{thought}");
        assert_eq!(draft.safety_category, Some(category), "{thought}");
    }
    // A yes to the check-in is about ending one's life.
    let (outcome, _, _) = run(
        Some("the bluebird is back"),
        vec![Confirm(true), Confirm(false)],
    );
    assert_eq!(outcome.entry.safety_category, Some(Category::Suicide));
    let (outcome, _, _) = run(Some("I'm such a loser"), vec![Reply::Interrupt]);
    assert_eq!(outcome.entry.safety_category, None);
}

#[test]
fn interrupted_at_the_crisis_screen_the_draft_is_marked_as_a_safety_stop() {
    let (outcome, prompter, draft) = run(Some("I want to kill myself"), vec![Reply::Interrupt]);
    assert!(prompter.saw(CRISIS));
    assert!(outcome.interrupted && outcome.save);
    assert!(outcome.entry.safety_stop && draft.safety_stop);
    assert_eq!(draft.thought, "I want to kill myself");
}

#[test]
fn a_warning_sign_on_the_command_line_is_asked_about_at_once_and_no_goes_on_without_a_reframe() {
    let (outcome, prompter, _) = run(
        Some("the bluebird is back"),
        vec![
            Confirm(false), // the check-in, before any step
            Continue,       // after the thanks
            skip(),
            Multi(vec![]),
            skip(), // keep the thought
            Rating(Some(80)),
            Continue, // step 4: no reframe, said kindly
            skip(),   // three questions of care, none asking for evidence
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(
        prompter.log[0].starts_with("show: ") && prompter.log[1] == format!("confirm: {CHECK_IN}"),
        "asked first: {:#?}",
        prompter.log
    );
    assert_eq!(check_ins(&prompter), 1);
    assert!(
        prompter.saw("Thank you for answering") && prompter.saw(HELP),
        "no still shows the lines, then the exercise goes on: {:#?}",
        prompter.log
    );
    assert!(
        !prompter.saw("evidence for this thought"),
        "a warning sign is not argued for: {:#?}",
        prompter.log
    );
    assert!(prompter.saw("Who is one person you could tell"));
    assert!(prompter.saw("doesn't offer reframes for words like these"));
    assert!(
        !prompter.saw("didn't recognise") && !prompter.saw("Some more balanced ways"),
        "nothing as if the thought were fine, and no reframe: {:#?}",
        prompter.log
    );
    assert!(prompter.saw(r#"["Write my own"]"#), "{:#?}", prompter.log);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Complete);
    assert!(!e.safety_stop && e.patterns.is_empty());
    assert_eq!(
        e.check_in,
        Some(CheckIn {
            reason: CheckInReason::Concern,
            answer: Some(CheckInAnswer::No)
        })
    );
}

#[test]
fn a_thought_that_names_suicide_is_asked_about_and_not_reframed() {
    let (outcome, prompter, _) = run(
        Some("my uncle killed himself and I always ruin everything"),
        vec![
            Confirm(false), // the check-in, before any step
            Continue,       // after the thanks
            skip(),
            Multi(vec![]),
            skip(), // keep the thought
            Rating(Some(60)),
            Continue, // step 4: no trap named, no reframe
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(
        prompter.log[0].contains("You wrote about suicide or self-harm")
            && prompter.log[1] == format!("confirm: {CHECK_IN}"),
        "asked first: {:#?}",
        prompter.log
    );
    assert!(
        !prompter.saw("Overgeneralization") && !prompter.saw("Some more balanced ways"),
        "no trap named and no reframe: {:#?}",
        prompter.log
    );
    let e = &outcome.entry;
    assert!(!e.safety_stop && e.patterns.is_empty());
    assert_eq!(
        e.check_in,
        Some(CheckIn {
            reason: CheckInReason::Mention,
            answer: Some(CheckInAnswer::No)
        })
    );
}

#[test]
fn yes_to_the_check_in_goes_to_the_crisis_lines_and_stops() {
    let (outcome, prompter, _) = run(
        Some("the bluebird is back"),
        vec![Confirm(true), Confirm(false)],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw("Thank you for telling me"));
    assert!(prompter.saw(HELP) && prompter.saw(CRISIS) && prompter.saw(NOTE));
    assert!(!prompter.log.iter().any(|l| l.starts_with("step:")));
    assert!(!outcome.save);
    let e = &outcome.entry;
    assert!(e.safety_stop);
    assert_eq!(
        e.check_in,
        Some(CheckIn {
            reason: CheckInReason::Concern,
            answer: Some(CheckInAnswer::Yes)
        })
    );
}

#[test]
fn the_check_in_is_asked_once_and_a_crisis_answer_after_a_no_still_stops() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            text("A bluebird day again"), // a warning sign in the situation
            Confirm(false),
            Continue,
            Multi(vec![hopeless()]),
            Rating(Some(90)), // would ask, but it was asked already
            text("Nobody ever picks me"),
            Rating(Some(70)),
            Continue,
            text("the bluebird again"), // a warning sign again: not asked, but not passed over
            Continue,
            text("I want to kill myself"),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 1);
    assert!(prompter.saw("What you just wrote sounds heavy too"));
    assert!(prompter.saw(CRISIS));
    let e = &outcome.entry;
    assert!(e.safety_stop);
    assert_eq!(e.situation.as_deref(), Some("A bluebird day again"));
    assert_eq!(
        e.check_in.map(|c| (c.reason, c.answer)),
        Some((CheckInReason::Concern, Some(CheckInAnswer::No)))
    );
    // Both answers are kept where they were typed.
    let answers: Vec<&str> = e.answers.iter().map(|a| a.answer.as_str()).collect();
    assert_eq!(answers, ["the bluebird again", "I want to kill myself"]);
}

#[test]
fn hopeless_rated_70_asks_and_69_does_not() {
    let (outcome, prompter, _) = run(
        Some("Nobody ever picks me"),
        vec![
            skip(),
            Multi(vec![hopeless()]),
            Rating(Some(70)),
            Confirm(true),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw("Feeling this hopeless"));
    assert_eq!(
        outcome.entry.check_in,
        Some(CheckIn {
            reason: CheckInReason::Hopeless,
            answer: Some(CheckInAnswer::Yes)
        })
    );
    assert!(outcome.entry.safety_stop && outcome.save);
    assert_eq!(outcome.entry.feelings[0].before, Some(70));

    let (outcome, prompter, _) = run(
        Some("Nobody ever picks me"),
        vec![
            skip(),
            Multi(vec![hopeless()]),
            Rating(Some(69)),
            Reply::Interrupt,
        ],
    );
    assert_eq!(check_ins(&prompter), 0, "{:#?}", prompter.log);
    assert_eq!(outcome.entry.check_in, None);
}

#[test]
fn hopeless_rated_70_at_the_end_asks_and_no_goes_on_to_the_summary() {
    let (outcome, prompter, _) = run(
        Some("Nobody ever picks me"),
        vec![
            skip(),
            Multi(vec![hopeless()]),
            Rating(Some(40)),
            skip(),
            Rating(Some(80)),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(Some(60)),
            Rating(Some(75)), // hopeless, after
            Confirm(false),
            Continue,
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 1);
    let e = &outcome.entry;
    assert_eq!(e.status, Status::Complete);
    assert_eq!(
        e.check_in.map(|c| (c.reason, c.answer)),
        Some((CheckInReason::Hopeless, Some(CheckInAnswer::No)))
    );
    assert_eq!(e.feelings[0].after, Some(75));
}

#[test]
fn interrupted_at_the_check_in_the_draft_keeps_what_was_typed_and_that_it_was_asked() {
    let (outcome, prompter, draft) = run(
        None,
        vec![text("The bluebird came back today"), Reply::Interrupt],
    );
    assert_eq!(check_ins(&prompter), 1);
    assert!(outcome.interrupted && outcome.save);
    let asked = Some(CheckIn {
        reason: CheckInReason::Concern,
        answer: None,
    });
    assert_eq!(
        draft.situation.as_deref(),
        Some("The bluebird came back today")
    );
    assert_eq!(draft.check_in, asked);
    assert_eq!(outcome.entry.check_in, asked);

    let (_, _, draft) = run(
        Some("I'm a failure"),
        vec![
            text("I lost the job"),
            Multi(vec![0, hopeless()]),
            Rating(Some(50)),
            Rating(Some(85)),
            Reply::Interrupt,
        ],
    );
    let feelings: Vec<_> = draft
        .feelings
        .iter()
        .map(|f| (f.name.as_str(), f.before))
        .collect();
    assert_eq!(feelings, [("hurt", Some(50)), ("hopeless", Some(85))]);
    assert_eq!(draft.situation.as_deref(), Some("I lost the job"));
    assert_eq!(
        draft.check_in.map(|c| (c.reason, c.answer)),
        Some((CheckInReason::Hopeless, None))
    );
}

#[test]
fn esc_cannot_skip_the_check_in_or_the_keep_question() {
    let (outcome, prompter, _) = run(
        Some("the bluebird is back"),
        vec![Reply::Back, Confirm(true), Reply::Back, Confirm(true)],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 2, "asked again after Esc");
    assert!(outcome.entry.safety_stop && outcome.save);
}

/// Replies that take a session started with [`NO_TRAP`] through every step, skipping each, up to
/// the summary (which asks to save, unless the person chose to go on without saving).
fn skips_to_the_summary() -> Vec<Reply> {
    vec![
        skip(),
        Multi(vec![]),
        skip(), // keep the thought given
        Rating(None),
        Continue,
        skip(), // what the thought would mean, if true
        skip(),
        skip(),
        Select(None),
        Rating(None),
        Select(None),
    ]
}

/// A thought with no thinking trap or safety finding in it.
const NO_TRAP: &str = "The bus was late again";

/// The choices offered when the journal cannot be written.
const ANOTHER_FILE: usize = 0;
const WITHOUT_SAVING: usize = 1;
const STOP_HERE: usize = 2;

/// A directory holding `notes`, a file, and the journal path `notes/journal.jsonl`, which cannot
/// be written whoever runs the tests (root included): a file stands where its directory should.
fn unwritable_journal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes"), "my notes\n").unwrap();
    let journal = dir.path().join("notes/journal.jsonl");
    (dir, journal)
}

/// Where in the log the first step starts.
#[track_caller]
fn first_step(prompter: &Scripted) -> usize {
    prompter
        .log
        .iter()
        .position(|l| l.starts_with("step: 1 of 9"))
        .expect("the first step was started")
}

#[test]
fn an_unwritable_journal_is_said_before_the_first_question_with_a_choice() {
    let (dir, journal) = unwritable_journal();
    let mut replies = vec![Select(Some(WITHOUT_SAVING))];
    replies.extend(skips_to_the_summary());
    let (outcome, prompter, draft) = run_saving_to(Some(NO_TRAP), Some(&journal), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let said = prompter
        .log
        .iter()
        .position(|l| {
            l.contains(&format!(
                "Your journal can't be saved to {}: {} is a file, not a directory.",
                journal.display(),
                dir.path().join("notes").display()
            ))
        })
        .expect("the problem is said");
    let asked = prompter
        .log
        .iter()
        .position(|l| {
            l == r#"choose: What would you like to do? ["Save to another file", "Go on without saving", "Stop here"]"#
        })
        .expect("the choice is offered");
    assert!(
        said < asked && asked < first_step(&prompter),
        "{:#?}",
        prompter.log
    );
    // Going on without saving: the session ends at the summary, with nothing more to ask.
    assert!(!outcome.save && !outcome.interrupted);
    assert_eq!(outcome.entry.status, Status::Complete);
    assert!(
        !prompter.saw("Save this to your journal?"),
        "{:#?}",
        prompter.log
    );
    assert!(
        draft.journal.is_none(),
        "an interruption saves nothing either"
    );
}

#[test]
fn another_file_can_be_given_and_is_checked_in_turn() {
    let (dir, journal) = unwritable_journal();
    let also_unwritable = dir.path().join("notes/other.jsonl");
    let elsewhere = dir.path().join("elsewhere/journal.jsonl");
    let mut replies = vec![
        Select(Some(ANOTHER_FILE)),
        text(also_unwritable.to_str().unwrap()),
        Select(Some(ANOTHER_FILE)),
        skip(), // a file must be given: asked again
        text(elsewhere.to_str().unwrap()),
    ];
    replies.extend(skips_to_the_summary());
    replies.push(Confirm(true));
    let (outcome, prompter, draft) = run_saving_to(Some(NO_TRAP), Some(&journal), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(&format!(
        "Your journal can't be saved to {}:",
        also_unwritable.display()
    )));
    let choices = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("choose:"))
        .count();
    assert_eq!(choices, 2, "{:#?}", prompter.log);
    assert!(outcome.save);
    assert_eq!(
        draft.journal.as_ref().map(Journal::path),
        Some(elsewhere.as_path()),
        "the session is saved there, and so is a draft"
    );
    // The check made the directory, and left no file: nothing is saved yet.
    assert_eq!(
        std::fs::read_dir(elsewhere.parent().unwrap())
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn stop_here_ends_the_session_before_the_first_question() {
    let (_dir, journal) = unwritable_journal();
    let (outcome, prompter, _) =
        run_saving_to(Some(NO_TRAP), Some(&journal), vec![Select(Some(STOP_HERE))]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(!outcome.save && !outcome.interrupted);
    assert!(
        !prompter.log.iter().any(|l| l.starts_with("step:")),
        "{:#?}",
        prompter.log
    );
}

#[test]
fn a_writable_journal_asks_nothing_and_is_kept_for_saving() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("reframe/journal.jsonl");
    let mut replies = skips_to_the_summary();
    replies.push(Confirm(true));
    let (outcome, prompter, draft) = run_saving_to(Some(NO_TRAP), Some(&journal), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(first_step(&prompter), 0, "{:#?}", prompter.log);
    assert!(outcome.save);
    assert_eq!(
        draft.journal.as_ref().map(Journal::path),
        Some(journal.as_path())
    );
    assert!(!journal.exists(), "no empty journal is left by the check");
}

#[test]
fn crisis_language_in_the_thought_given_is_answered_before_the_journal_is_checked() {
    let (_dir, journal) = unwritable_journal();
    let (outcome, prompter, _) = run_saving_to(
        Some("I want to kill myself"),
        Some(&journal),
        vec![Confirm(true)],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(!prompter.saw("can't be saved"), "{:#?}", prompter.log);
    assert!(outcome.save && outcome.entry.safety_stop);
}

#[test]
fn going_on_without_saving_does_not_ask_to_keep_what_was_written_at_a_safety_stop() {
    let (_dir, journal) = unwritable_journal();
    let (outcome, prompter, _) = run_saving_to(
        None,
        Some(&journal),
        vec![Select(Some(WITHOUT_SAVING)), text("I want to kill myself")],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(
        !prompter.saw("Keep what you have written"),
        "{:#?}",
        prompter.log
    );
    assert!(!outcome.save && outcome.entry.safety_stop);
}

/// Where the trap `id` is in step 4's list for a thought in which `recognised` were recognised:
/// those first, then the rest of the catalogue in its order.
fn place_in_the_list(recognised: &[&str], id: &str) -> usize {
    if let Some(i) = recognised.iter().position(|r| *r == id) {
        return i;
    }
    let rest: Vec<&str> = engine()
        .rules()
        .distortions()
        .iter()
        .filter(|d| {
            d.kind == reframe::rules::Kind::Distortion && !recognised.contains(&d.id.as_str())
        })
        .map(|d| d.id.as_str())
        .collect();
    recognised.len() + rest.iter().position(|r| *r == id).unwrap()
}

/// The distortion `id`'s own questions and reframes that need none of the person's words.
fn capture_free(id: &str) -> (Vec<String>, Vec<String>) {
    let d = engine().rules().get(id).unwrap();
    let fill = |ts: &[reframe::rules::Template]| {
        ts.iter()
            .filter_map(|t| t.fill(|_| None))
            .map(|t| t.into_owned())
            .collect::<Vec<_>>()
    };
    // Step 5 asks for the evidence both ways first, so a trap's question about evidence is left
    // out, as the session leaves it.
    let mut questions = fill(&d.questions);
    questions.retain(|q| !q.to_lowercase().contains("evidence"));
    (questions, fill(&d.reframes))
}

/// Replies from step 5 to the end, skipping all but `evidence_against`, choosing suggestion
/// `pick` in step 6 and keeping it as it is.
fn from_the_questions(questions: usize, evidence_against: &str, pick: usize) -> Vec<Reply> {
    let mut replies = vec![text("They said it was close"), text(evidence_against)];
    replies.extend((0..questions).map(|_| skip()));
    replies.extend([
        Select(Some(pick)),
        skip(), // keep it as it is
        Rating(Some(50)),
        Rating(Some(40)),
        Select(None),
        Confirm(true),
    ]);
    replies
}

#[test]
fn a_trap_missed_can_be_added_and_its_questions_and_suggestions_follow() {
    let thought = "Everyone else gets ahead and I'm left behind";
    let found: Vec<String> = engine()
        .analyse(thought)
        .findings
        .iter()
        .map(|f| f.distortion.id.clone())
        .collect();
    assert_eq!(found, ["comparing"], "this test expects comparing alone");
    let added = place_in_the_list(&["comparing"], "fortune-telling");
    let mut replies = vec![
        skip(),
        Multi(vec![]),
        skip(),
        Rating(Some(80)),
        Multi(vec![0, added]), // keep comparing, add fortune telling
    ];
    replies.extend(from_the_questions(3, "I was promoted last spring", 2));
    let (outcome, prompter, _) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    // Step 4 lists the whole catalogue, name and summary, what was recognised first and checked.
    let list = prompter
        .log
        .iter()
        .find(|l| l.starts_with("multi: Which traps fit"))
        .unwrap();
    let comparing = engine().rules().get("comparing").unwrap();
    assert!(
        list.contains(&format!(
            r#"["[x] {}: {}", "[ ] "#,
            comparing.name, comparing.summary
        )),
        "{list}"
    );
    assert!(!list.contains("[x] Fortune"), "{list}");
    let traps = engine()
        .rules()
        .distortions()
        .iter()
        .filter(|d| d.kind == reframe::rules::Kind::Distortion)
        .count();
    assert_eq!(list.matches("] ").count(), traps, "{list}");
    assert!(
        !list.contains("safety") && !list.contains("Crisis"),
        "{list}"
    );

    let e = &outcome.entry;
    let ids =
        |traps: &[reframe::journal::Trap]| traps.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(e.chosen.as_deref().unwrap()),
        ["comparing", "fortune-telling"]
    );
    assert_eq!(e.patterns.len(), 1, "what was recognised stays as it was");
    // Fortune telling's own first question is asked, and its first reframe offered.
    let (questions, reframes) = capture_free("fortune-telling");
    let asked: Vec<&str> = e.answers.iter().map(|a| a.question.as_str()).collect();
    assert!(asked.contains(&questions[0].as_str()), "{asked:#?}");
    assert!(prompter.saw(&reframes[0]), "{:#?}", prompter.log);
    // Comparing's too.
    let from_comparing = engine().analyse(thought).findings[0].questions[0].to_string();
    assert!(asked.contains(&from_comparing.as_str()), "{asked:#?}");
    // The card names both.
    assert!(
        prompter.saw("Thinking traps: Comparing, Fortune telling"),
        "{:#?}",
        prompter.log
    );
}

#[test]
fn a_trap_dropped_asks_none_of_its_questions_and_offers_none_of_its_suggestions() {
    let thought = "I'll never be good enough";
    let analysis = engine().analyse(thought);
    let found: Vec<&str> = analysis
        .findings
        .iter()
        .map(|f| f.distortion.id.as_str())
        .collect();
    assert_eq!(found, ["fortune-telling", "labeling"]);
    let labeling: Vec<String> = analysis.findings[1]
        .questions
        .iter()
        .chain(&analysis.findings[1].reframes)
        .map(|t| t.to_string())
        .collect();
    let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(Some(90))];
    replies.push(Multi(vec![0])); // keep fortune telling, drop labeling
    let questions = analysis.findings[0].questions.len().min(3);
    replies.extend(from_the_questions(questions, "", 0));
    let (outcome, prompter, _) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let e = &outcome.entry;
    assert_eq!(e.patterns.len(), 2);
    let chosen = e.chosen.as_deref().unwrap();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].id, "fortune-telling");
    for text in &labeling {
        // Labeling's own texts, unless fortune telling shares them.
        let shared = analysis.findings[0]
            .questions
            .iter()
            .chain(&analysis.findings[0].reframes)
            .any(|t| t == text);
        assert!(shared || !prompter.saw(text), "{text}: {:#?}", prompter.log);
    }
    // Step 4 said which words set each trap off.
    assert!(
        prompter.saw("In your words: \"I'll never be good enough\""),
        "{:#?}",
        prompter.log
    );
    // No evidence against: no suggestion built from it.
    assert!(!prompter.saw("Part of me"), "{:#?}", prompter.log);
}

#[test]
fn enter_at_step_4_keeps_what_was_recognised_and_going_back_keeps_the_choice() {
    let thought = "I'll never be good enough";
    let added = place_in_the_list(&["fortune-telling", "labeling"], "comparing");
    let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(Some(90))];
    replies.push(Multi(vec![1, added])); // drop fortune telling, add comparing
    replies.push(Reply::Back); // from the first question, back to step 4
    replies.push(Continue); // the choice stands
    replies.extend(from_the_questions(3, "", 0));
    let (outcome, prompter, _) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let lists: Vec<&String> = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("multi: Which traps fit"))
        .collect();
    assert!(lists[0].contains("[x] Fortune telling") && lists[0].contains("[x] Labeling"));
    assert!(lists[1].contains("[ ] Fortune telling") && lists[1].contains("[x] Comparing"));
    let chosen: Vec<&str> = outcome
        .entry
        .chosen
        .as_deref()
        .unwrap()
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(chosen, ["labeling", "comparing"]);
}

#[test]
fn step_6_offers_a_balanced_thought_built_from_the_evidence_against_first() {
    let thought = "I'll never be good enough.";
    let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(Some(90)), Continue];
    replies.extend(from_the_questions(
        3,
        "Because I got to the final round out of sixty applicants.",
        0,
    ));
    let (outcome, prompter, _) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let own = "Part of me believes I'll never be good enough, and I also know that I got to the \
               final round out of sixty applicants.";
    assert!(prompter.saw(&format!("1. {own}")), "{:#?}", prompter.log);
    // The rules' suggestions follow it.
    let first_rule = engine().analyse(thought).findings[0].reframes[0].to_string();
    assert!(
        prompter.saw(&format!("2. {first_rule}")),
        "{:#?}",
        prompter.log
    );
    let e = &outcome.entry;
    assert_eq!(e.balanced_thought.as_deref(), Some(own));
    // The card shows the evidence both ways, and the thought once.
    let card = prompter
        .log
        .iter()
        .find(|l| l.contains("Belief in the"))
        .unwrap();
    assert!(
        card.contains("\nEvidence for: They said it was close\n"),
        "{card}"
    );
    assert!(
        card.contains(
            "\nEvidence against: Because I got to the final round out of sixty applicants.\n"
        ),
        "{card}"
    );
    assert_eq!(card.matches("Thought: ").count(), 1, "{card}");
}

#[test]
fn the_evidence_suggestion_reads_as_one_sentence_whatever_was_typed() {
    let own = session::own_words_reframe;
    assert_eq!(
        own(
            "I'm too much for anyone to love!",
            "that my friends ask me to things"
        )
        .as_deref(),
        Some(
            "Part of me believes I'm too much for anyone to love, and I also know that my friends ask me to things."
        )
    );
    // An opening that is not a name goes lower-case inside the sentence; a name does not.
    assert_eq!(
        own(
            "Nobody ever picks me",
            "My sister picked me as her witness."
        )
        .as_deref(),
        Some(
            "Part of me believes nobody ever picks me, and I also know that my sister picked me as her witness."
        )
    );
    assert_eq!(
        own("Nobody ever picks me", "Sam asked me to join his team").as_deref(),
        Some(
            "Part of me believes nobody ever picks me, and I also know that Sam asked me to join his team."
        )
    );
    // A long thought, or one of several sentences, or a question, is named, not repeated.
    let long = "Everyone at the party was laughing at me the whole night and I could tell they \
                wanted me to leave early";
    for thought in [long, "She left. I'm alone now.", "Why does nobody stay?"] {
        assert_eq!(
            own(thought, "I know that two people asked for my number").as_deref(),
            Some(
                "Part of me still believes the thought I started with, and I also know that two people asked for my number."
            ),
            "{thought}"
        );
    }
    // Evidence of several sentences keeps its own.
    assert_eq!(
        own("I always mess up", "I fixed the bug. My lead thanked me!").as_deref(),
        Some(
            "Part of me believes I always mess up, and I also know this: I fixed the bug. My lead thanked me."
        )
    );
    // A lone "i" typed in a hurry is "I".
    assert_eq!(
        own("I always mess up", "i'm the one they call when it breaks").as_deref(),
        Some(
            "Part of me believes I always mess up, and I also know that I'm the one they call when it breaks."
        )
    );
    // Nothing to build from.
    assert_eq!(own("I always mess up", "  ...  "), None);
    assert_eq!(own("I always mess up", "because"), None);
}

#[test]
fn a_trap_added_to_a_thought_with_none_recognised_asks_for_evidence_and_brings_its_own_texts() {
    let added = place_in_the_list(&[], "fortune-telling");
    let (questions, reframes) = capture_free("fortune-telling");
    let asked = questions.len().min(3);
    let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(Some(60))];
    replies.push(Multi(vec![added]));
    replies.extend(from_the_questions(asked, "", 0));
    let (outcome, prompter, _) = run(Some(NO_TRAP), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw("multi: Does any trap fit? Choose any, or none"));
    let e = &outcome.entry;
    assert!(e.patterns.is_empty());
    assert_eq!(e.chosen.as_deref().unwrap()[0].id, "fortune-telling");
    // A trap chosen makes the thought a claim to weigh: evidence, not the downward arrow.
    assert!(!prompter.saw(DOWNWARD_ARROW));
    assert_eq!(e.answers[1].question, "What is the evidence against it?");
    assert_eq!(e.answers[2].question, questions[0]);
    assert_eq!(e.balanced_thought.as_deref(), Some(reframes[0].as_str()));
    assert!(!prompter.saw(GENERAL_BALANCED[0]));
}

#[test]
fn a_no_to_saving_is_asked_about_once_more_and_can_become_a_yes() {
    // No, then no to leaving it unsaved: it is saved after all.
    let mut replies = skips_to_the_summary();
    replies.extend([Confirm(false), Confirm(false)]);
    let (outcome, prompter, _) = run(Some(NO_TRAP), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.save);
    assert!(
        prompter.saw("what you wrote here is gone"),
        "{:#?}",
        prompter.log
    );
    assert!(prompter.saw("confirm: Leave it unsaved?"));

    // No, then Esc (or a bare Enter) asks again; then yes: nothing is kept.
    let mut replies = skips_to_the_summary();
    replies.extend([Confirm(false), Reply::Back, Confirm(true)]);
    let (outcome, prompter, _) = run(Some(NO_TRAP), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(!outcome.save);
    let asked = |q: &str| prompter.log.iter().filter(|l| l.ends_with(q)).count();
    assert_eq!(asked("Save this to your journal?"), 1);
    assert_eq!(asked("Leave it unsaved?"), 2);

    // A yes is not asked about.
    let mut replies = skips_to_the_summary();
    replies.push(Confirm(true));
    let (outcome, prompter, _) = run(Some(NO_TRAP), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.save && !prompter.saw("Leave it unsaved?"));
}

#[test]
fn a_session_that_saves_nowhere_never_asks_to_save() {
    // As with `--no-save`: the draft has no journal from the start.
    let (outcome, prompter, _) = run_saving_to(Some(NO_TRAP), None, skips_to_the_summary());
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(!outcome.save && outcome.entry.status == Status::Complete);
    assert!(!prompter.saw("Save this"), "{:#?}", prompter.log);
    // Nor at a safety stop.
    let (outcome, prompter, _) = run_saving_to(None, None, vec![text("I want to kill myself")]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(!prompter.saw("Keep what you have written"));
    assert!(!outcome.save && outcome.entry.safety_stop);
}

/// Runs a session as the command line does, from the first screen, to save to a journal in a
/// new directory: its outcome and its prompter.
fn run_from_the_first_screen(thought: Option<&str>, replies: Vec<Reply>) -> (Outcome, Scripted) {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        thought: thought.map(str::to_string),
        region: Resources::builtin().region("us").unwrap().clone(),
        region_note: NOTE.to_string(),
        palette: Palette::new(false),
        welcome: true,
    };
    let mut prompter = Scripted::new(replies);
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let draft = Mutex::new(Draft::new(jiff::Timestamp::now(), Some(journal)));
    let outcome = session::run(
        &mut prompter,
        engine(),
        &options,
        jiff::Timestamp::now(),
        &draft,
    );
    (outcome, prompter)
}

#[test]
fn the_first_screen_says_what_this_is_once_before_step_1() {
    let mut replies = vec![Continue, skip(), Reply::Back];
    replies.extend(skips_to_the_summary());
    replies.push(Confirm(true));
    let (outcome, prompter) = run_from_the_first_screen(Some(NO_TRAP), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.save);
    assert_eq!(prompter.log[0], "step: Before you begin | thought: -");
    let first = &prompter.log[1];
    for said in [
        "thought record",
        "About ten minutes",
        "journal on this computer",
        "Esc goes back to the question before",
        "Help is there now (United States):",
        "988 Suicide & Crisis Lifeline: Call or text 988",
    ] {
        assert!(first.contains(said), "{said}: {first}");
    }
    // Nothing comes before it to go back to.
    assert!(
        prompter.log[2].starts_with("pause (nothing to go back to): "),
        "{:#?}",
        prompter.log
    );
    assert!(
        prompter.log[3].starts_with("step: 1 of 9"),
        "{:#?}",
        prompter.log
    );
    // Esc at step 1 stays at step 1: the first screen is shown once.
    let shown = prompter
        .log
        .iter()
        .filter(|l| l.contains("Before you begin"))
        .count();
    assert_eq!(shown, 1, "{:#?}", prompter.log);
}

#[test]
fn crisis_language_in_the_thought_given_comes_before_the_first_screen() {
    let (outcome, prompter) =
        run_from_the_first_screen(Some("I want to kill myself"), vec![Confirm(false)]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS) && outcome.entry.safety_stop);
    assert!(!prompter.saw("Before you begin"), "{:#?}", prompter.log);
}

#[test]
fn the_last_screen_repeats_the_balanced_thought_and_the_small_step() {
    let (outcome, prompter, _) = run(
        Some("I'm a failure"),
        vec![
            skip(),
            Multi(vec![]),
            skip(),
            Rating(None),
            Continue,
            skip(),
            skip(),
            skip(),
            skip(),
            skip(),
            Select(Some(0)),
            text("One bad week doesn't make me a failure"),
            Rating(None),
            Rating(None),
            Select(Some(0)),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.save);
    let last = prompter.log.last().unwrap();
    // No question was answered, so nothing is said of looking from more than one side.
    assert!(
        last.starts_with("show: You gave a painful thought some of your time"),
        "{last}"
    );
    assert!(
        last.contains("a fairer way to put it:\n\n  One bad week doesn't make me a failure\n\n"),
        "{last}"
    );
    assert!(
        last.ends_with(&format!("one small step: {}.", SMALL_STEPS[0])),
        "{last}"
    );
}

/// Goes on with `earlier` as `reframe session --resume` does, to save to a journal in a new
/// directory: its outcome, its prompter, and the draft's entry.
fn resume(earlier: &Entry, replies: Vec<Reply>) -> (Outcome, Scripted, Entry) {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        thought: None,
        region: Resources::builtin().region("us").unwrap().clone(),
        region_note: NOTE.to_string(),
        palette: Palette::new(false),
        welcome: true,
    };
    let mut prompter = Scripted::new(replies);
    let journal = Journal::at(dir.path().join("journal.jsonl"));
    let draft = Mutex::new(Draft::new(jiff::Timestamp::now(), Some(journal)));
    let outcome = session::resume(
        &mut prompter,
        engine(),
        &options,
        jiff::Timestamp::now(),
        &draft,
        earlier,
    );
    (outcome, prompter, draft.into_inner().unwrap().entry)
}

/// An entry stopped at step 5, after two answers, as a draft kept at Ctrl-C is.
fn stopped_at_the_questions() -> Entry {
    let mut e = Entry::new("2026-11-15T22:10:00Z".parse().unwrap());
    e.situation = Some("She hasn't replied for two days".into());
    e.feelings = vec![reframe::journal::Feeling {
        name: "anxious".into(),
        before: Some(75),
        after: None,
    }];
    e.thought = "She hasn't replied, so she must be done with me".into();
    e.belief_before = Some(80);
    for (question, answer) in [
        (
            "What is the evidence for this thought?",
            "She usually answers fast",
        ),
        (
            "What is the evidence against it?",
            "She said she had a busy week",
        ),
    ] {
        e.answers.push(reframe::journal::Answer {
            question: question.into(),
            answer: answer.into(),
        });
    }
    e
}

#[test]
fn the_step_to_go_on_at_is_worked_out_from_what_the_entry_holds() {
    let mut e = Entry::new("2026-11-15T22:10:00Z".parse().unwrap());
    assert_eq!(session::resume_step(&e), 1);
    e.situation = Some("s".into());
    assert_eq!(session::resume_step(&e), 2);
    e.thought = "t".into();
    assert_eq!(session::resume_step(&e), 3, "the belief is still to rate");
    e.belief_before = Some(50);
    assert_eq!(session::resume_step(&e), 4);
    assert_eq!(session::resume_step(&stopped_at_the_questions()), 4);
    e.balanced_thought = Some("b".into());
    assert_eq!(session::resume_step(&e), 6, "its belief is still to rate");
    e.balanced_belief = Some(60);
    assert_eq!(session::resume_step(&e), 7);
    e.belief_after = Some(40);
    assert_eq!(
        session::resume_step(&e),
        7,
        "the feelings may be still to rate"
    );
    e.step = Some("s".into());
    assert_eq!(session::resume_step(&e), 9);
}

#[test]
fn going_on_with_an_unfinished_entry_starts_where_it_stopped_with_everything_kept() {
    let earlier = stopped_at_the_questions();
    let mut replies = vec![
        Continue, // where it goes on
        Continue, // step 4, what was recognised
        skip(),   // the first answer is kept
        skip(),   // and the second
    ];
    // The rest of step 5 and on, skipped.
    replies.extend([
        skip(),
        skip(),
        skip(),
        Select(None),
        Rating(None),
        Rating(None),
    ]);
    replies.extend([Select(None), Confirm(true)]);
    let (outcome, prompter, _) = resume(&earlier, replies);
    assert!(
        prompter.remaining() == 0 && outcome.save,
        "{:#?}",
        prompter.log
    );
    let e = &outcome.entry;
    assert_eq!(e.continues, Some(earlier.started));
    assert_ne!(e.started, earlier.started);
    assert_eq!(e.status, Status::Complete);
    assert_eq!(e.situation, earlier.situation);
    assert_eq!(e.belief_before, Some(80));
    assert_eq!(e.feelings[0].before, Some(75));
    assert_eq!(e.answers[..2], earlier.answers[..]);
    // No first screen: a short one says where it goes on, then step 4.
    assert!(!prompter.saw("Before you begin"), "{:#?}", prompter.log);
    assert_eq!(
        prompter.log[0],
        "step: Going on where you stopped | thought: -"
    );
    assert!(
        prompter.log[1].contains("at step 4 of 9 (What reframe recognised)"),
        "{:#?}",
        prompter.log
    );
    assert!(
        prompter.log[3].starts_with("step: 4 of 9"),
        "{:#?}",
        prompter.log
    );
    assert!(!prompter.saw("step: 3 of 9"), "{:#?}", prompter.log);
}

#[test]
fn esc_goes_back_from_where_a_resumed_session_starts() {
    let earlier = stopped_at_the_questions();
    let (_, prompter, draft) = resume(
        &earlier,
        vec![
            Continue,
            Reply::Back,  // from step 4 to the thought's rating
            Reply::Back,  // and to the thought
            skip(),       // kept
            Rating(None), // 80 kept
            Reply::Interrupt,
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw("rating: How much do you believe it, 0 to 100? [80]"));
    // Interrupted, the draft is the new entry, naming the one it goes on with.
    assert_eq!(draft.continues, Some(earlier.started));
    assert_eq!(draft.answers, earlier.answers);
}

#[test]
fn what_a_resumed_entry_holds_is_checked_for_safety_before_anything_else() {
    // Crisis language kept in an answer stops it at once, before the screen saying where it
    // goes on.
    let mut earlier = stopped_at_the_questions();
    earlier.answers[1].answer = "I want to kill myself".into();
    let (outcome, prompter, _) = resume(&earlier, vec![Confirm(false)]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS) && outcome.entry.safety_stop);
    assert!(!prompter.saw("Going on"), "{:#?}", prompter.log);

    // A check-in answered before is asked afresh: here for "hopeless" rated 80 then.
    let mut earlier = stopped_at_the_questions();
    earlier.feelings[0].name = "hopeless".into();
    earlier.feelings[0].before = Some(80);
    earlier.check_in = Some(CheckIn {
        reason: CheckInReason::Hopeless,
        answer: Some(CheckInAnswer::No),
    });
    let (outcome, prompter, _) = resume(&earlier, vec![Confirm(true), Confirm(false)]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 1);
    assert!(outcome.entry.safety_stop);
    assert_eq!(
        outcome.entry.check_in,
        Some(CheckIn {
            reason: CheckInReason::Hopeless,
            answer: Some(CheckInAnswer::Yes)
        })
    );
}

#[test]
fn answers_stay_when_their_step_is_left_again_part_way() {
    let step_5 = |first: Reply| {
        vec![
            first,
            text("She said she had a busy week"),
            skip(),
            skip(),
            skip(),
        ]
    };
    let mut replies = vec![
        skip(),
        Multi(vec![]),
        skip(), // keep the thought given
        Rating(Some(80)),
        Continue,
    ];
    replies.extend(step_5(text("She usually answers fast")));
    replies.extend([
        Reply::Back, // from step 6 back to the last question
        Reply::Back, // and back through the questions, one at a time
        Reply::Back,
        Reply::Back,
        Reply::Back,
        Reply::Back, // at the first question, back to step 4
        Continue,
        Reply::Interrupt, // at the first question again
    ]);
    let thought = "She hasn't replied, so she must be done with me";
    let (outcome, prompter, draft) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.interrupted);
    let answers: Vec<&str> = draft.answers.iter().map(|a| a.answer.as_str()).collect();
    assert_eq!(
        answers[..2],
        ["She usually answers fast", "She said she had a busy week"],
        "{:#?}",
        draft.answers
    );
    assert_eq!(draft.answers.len(), 5);
}

#[test]
fn esc_keeps_what_was_typed_in_the_field_and_goes_back_one_prompt() {
    let back = |typed: &str| Reply::BackTyping(typed.to_string());
    let (outcome, prompter, _) = run(
        None,
        vec![
            text("The interview went badly"),
            Multi(vec![0]), // hurt
            Rating(Some(70)),
            back("I always fail at"), // typed, not entered: back to the rating of "hurt"
            back("65"),               // a new rating typed, not entered: back to the list
            Continue,
            Rating(None), // 65 is in the field
            skip(),       // and the thought typed before going back
            Rating(Some(90)),
            Continue,
            text("I stumbled on one question"),
            back("They asked for a second round"), // back to the first question
            skip(),                                // its answer is kept
            skip(),                                // and so is the one typed at the second
            skip(),
            skip(),
            skip(),
            Select(None),
            Rating(Some(40)),
            back("not a number"), // nothing to keep: back to the rating before
            Rating(None),         // 40 kept
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let e = &outcome.entry;
    assert_eq!(e.thought, "I always fail at");
    assert_eq!(e.feelings[0].before, Some(65));
    assert_eq!(e.belief_before, Some(90));
    assert_eq!(e.answers[0].answer, "I stumbled on one question");
    assert_eq!(e.answers[1].answer, "They asked for a second round");
    assert_eq!(e.belief_after, Some(40));
    assert!(prompter.saw("How strong is \"hurt\" right now, 0 to 100? [65]"));
    assert!(prompter.saw("original thought now, 0 to 100? [40]"));
    assert_eq!(e.feelings[0].after, None);
    // Going back within a step draws the step again before the prompt before.
    let steps_5 = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("step: 5 of 9"))
        .count();
    assert_eq!(steps_5, 2, "{:#?}", prompter.log);
}

#[test]
fn crisis_language_typed_before_going_back_stops_the_exercise() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            skip(),
            Multi(vec![]),
            Reply::BackTyping("I want to kill myself".to_string()),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS), "{:#?}", prompter.log);
    assert!(outcome.entry.safety_stop);
    assert!(outcome.save);
}

#[test]
fn going_on_past_step_4_offers_the_suggestions_of_the_traps_chosen_then() {
    let mut earlier = stopped_at_the_questions();
    earlier.balanced_thought = Some("Maybe she is just busy".into());
    // The person had dropped what was recognised and chosen another trap.
    earlier.chosen = Some(vec![reframe::journal::Trap {
        id: "catastrophizing".into(),
        name: "Catastrophizing".into(),
    }]);
    let (_, prompter, draft) = resume(&earlier, vec![Continue, Reply::Interrupt]);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(prompter.saw("step: 6 of 9"), "{:#?}", prompter.log);
    let rules = engine().rules();
    let chosen = rules
        .distortions()
        .iter()
        .find(|d| d.id == "catastrophizing")
        .unwrap();
    let offered = chosen
        .reframes
        .iter()
        .find_map(|t| t.fill(|_| None))
        .expect("a suggestion that needs no words of the person's");
    assert!(prompter.saw(&offered), "{offered}: {:#?}", prompter.log);
    // What was recognised but not chosen is not offered.
    let recognised = engine().analyse(&earlier.thought).findings[0].reframes[0].to_string();
    assert!(!prompter.saw(&recognised), "{:#?}", prompter.log);
    assert_eq!(draft.chosen, earlier.chosen);
}

#[test]
fn esc_at_the_lines_after_the_check_in_does_nothing() {
    let (outcome, prompter, _) = run(
        None,
        vec![
            skip(),
            Multi(vec![0, hopeless()]), // hurt, hopeless
            Rating(Some(50)),
            Rating(Some(80)), // hopeless, 80: the check-in
            Confirm(false),
            Reply::Back, // at the lines after the no: nothing happens
            Continue,
            Reply::Interrupt, // at the thought
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 1);
    assert!(prompter.saw("pause (nothing to go back to): The exercise goes on next"));
    assert!(
        prompter
            .log
            .last()
            .unwrap()
            .starts_with("text: What is the thought")
    );
    assert_eq!(outcome.entry.feelings[1].before, Some(80));
}

#[test]
fn a_hopeless_rating_typed_but_not_entered_is_heard() {
    // Esc with 90 in the field: kept, and asked about.
    let (_, prompter, draft) = run(
        None,
        vec![
            skip(),
            Multi(vec![hopeless()]),
            Reply::BackTyping("90".to_string()),
            Confirm(false),
            Continue,
            Reply::Interrupt, // at the list of feelings, gone back to
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(check_ins(&prompter), 1);
    assert_eq!(draft.feelings[0].before, Some(90));
    // Ctrl-C with 90 in the field: kept, and the lines are shown on the way out.
    let (outcome, prompter, _) = run(
        None,
        vec![
            skip(),
            Multi(vec![hopeless()]),
            Reply::InterruptTyping("90".to_string()),
        ],
    );
    assert!(outcome.interrupted);
    assert!(
        prompter.saw(HELP) && prompter.saw(CRISIS),
        "{:#?}",
        prompter.log
    );
}

#[test]
fn the_check_in_before_the_first_step_offers_no_going_back() {
    let (_, prompter, _) = run(
        Some("the bluebird is back"),
        vec![Confirm(false), Continue, Reply::Interrupt],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(
        prompter.saw("pause (nothing to go back to): The exercise goes on next"),
        "{:#?}",
        prompter.log
    );
}

#[test]
fn a_traps_question_about_evidence_is_not_asked_after_the_evidence_both_ways() {
    let thought = "I will never get hired anywhere decent";
    let about_evidence = engine()
        .analyse(thought)
        .findings
        .iter()
        .flat_map(|f| f.questions.iter())
        .any(|q| q.to_string().contains("evidence"));
    assert!(
        about_evidence,
        "this test needs a trap that asks about evidence"
    );
    // Through step 5 with Enter, as many times as it asks, to the list of step 6.
    let through = |questions: usize| {
        let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(None), Continue];
        replies.extend(std::iter::repeat_n(skip(), questions));
        replies.push(Reply::Interrupt);
        run(Some(thought), replies).1
    };
    let prompter = (2..=5)
        .map(through)
        .find(|p| p.log.last().is_some_and(|l| l.starts_with("select: ")))
        .expect("step 6 after at most five questions");
    let asked: Vec<&String> = prompter
        .log
        .iter()
        .filter(|l| l.starts_with("text: ") && l.contains("evidence"))
        .collect();
    assert_eq!(asked.len(), 2, "{asked:#?}");
}

#[test]
fn going_on_with_an_entry_hears_every_text_in_it_whatever_is_pressed() {
    // A warning sign in the thought leads to the check-in; Esc at its lines does not end the
    // check of the rest, and crisis words kept as a feeling of one's own stop the exercise.
    let mut earlier = stopped_at_the_questions();
    earlier.thought = "the bluebird is back".into();
    earlier.feelings.push(reframe::journal::Feeling {
        name: "I want to kill myself".into(),
        before: None,
        after: None,
    });
    let (outcome, prompter, _) = resume(
        &earlier,
        vec![Confirm(false), Reply::Back, Continue, Confirm(false)],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert!(outcome.entry.safety_stop, "{:#?}", prompter.log);
    assert!(prompter.saw(CRISIS));
    assert!(!prompter.saw("Going on"), "{:#?}", prompter.log);
}

#[test]
fn answers_to_questions_not_asked_again_stay_in_the_entry() {
    let thought = "I'll never be good enough";
    let mut replies = vec![skip(), Multi(vec![]), skip(), Rating(Some(80)), Continue];
    replies.extend([
        text("They said it was close"),
        text("I got to the final round"),
        Reply::Back,   // at the third question: back to the second
        Reply::Back,   // to the first
        Reply::Back,   // to step 4
        Multi(vec![]), // drop every trap: the downward arrow instead of the evidence
        text("That I am not enough"),
        Reply::Interrupt,
    ]);
    let (_, prompter, draft) = run(Some(thought), replies);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    let answers: Vec<(&str, &str)> = draft
        .answers
        .iter()
        .map(|a| (a.question.as_str(), a.answer.as_str()))
        .collect();
    assert_eq!(
        answers,
        [
            (DOWNWARD_ARROW, "That I am not enough"),
            (
                "What is the evidence for this thought?",
                "They said it was close"
            ),
            (
                "What is the evidence against it?",
                "I got to the final round"
            ),
        ]
    );
}

#[test]
fn skipping_step_6_on_a_visit_back_leaves_no_balanced_thought() {
    let (outcome, prompter, _) = run(
        Some("The bus was late again"),
        vec![
            skip(),
            Multi(vec![]),
            skip(),
            Rating(None),
            Continue,
            skip(),
            skip(),
            skip(),
            Select(Some(0)),
            skip(),
            Rating(Some(60)),
            Reply::Back,  // from step 7 to the rating of the balanced thought
            Reply::Back,  // to the balanced thought
            Reply::Back,  // to the list
            Select(None), // skip the step this time
            Rating(None),
            Select(None),
            Confirm(true),
        ],
    );
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.log);
    assert_eq!(outcome.entry.balanced_thought, None);
    assert_eq!(outcome.entry.balanced_belief, None);
}
