//! `reframe session` without a terminal, and `reframe journal` over a journal file written by the
//! library, with a corrupt line in it, and over one written by hand whose entries stopped for
//! safety or answered the check-in question.

use std::path::Path;

use reframe::journal::{Answer, Entry, Feeling, Journal, Pattern, Status, Trap};

use crate::util::{Reframe, arg, reframe};

fn entry(thought: &str, before: u8, after: u8, status: Status) -> Entry {
    let mut e = Entry::new("2026-11-20T18:30:00Z".parse().unwrap());
    e.status = status;
    e.thought = thought.to_string();
    e.belief_before = Some(before);
    e.belief_after = Some(after);
    e.patterns.push(Pattern {
        id: "fortune-telling".into(),
        name: "Fortune telling".into(),
        words: vec!["I'll never".into()],
    });
    e.feelings.push(Feeling {
        name: "hurt".into(),
        before: Some(80),
        after: Some(40),
    });
    e.answers.push(Answer {
        question: "What is the evidence against it?".into(),
        answer: "Two friends called this week".into(),
    });
    e.answers.push(Answer {
        question: "What would you say to a friend who thought this?".into(),
        answer: "That one ending is one ending".into(),
    });
    e.balanced_thought = Some("This one ended; that is not every one".into());
    e
}

/// A journal of two entries, with a corrupt line between them if `corrupt`.
fn journal(dir: &Path, corrupt: bool) -> std::path::PathBuf {
    let path = dir.join("journal.jsonl");
    let journal = Journal::at(&path);
    journal
        .append(&entry(
            "I'll never find someone who stays",
            90,
            40,
            Status::Complete,
        ))
        .unwrap();
    if corrupt {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{half a line\n"))
            .unwrap();
    }
    journal
        .append(&entry(
            "Everyone at work thinks I'm useless",
            70,
            70,
            Status::Unfinished,
        ))
        .unwrap();
    path
}

/// `reframe journal --journal PATH` and `args`.
fn on_journal(path: &Path, args: &[&str]) -> Reframe {
    let mut all = vec!["journal", "--journal", arg(path)];
    all.extend(args);
    reframe(&all)
}

#[test]
fn a_session_without_a_terminal_exits_2_and_says_what_to_do_instead() {
    let run = reframe(&["session"]).run().code(2);
    let err = run.stderr();
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("reframe \"your thought\"") && err.contains("-f FILE"),
        "{err}"
    );
}

#[test]
fn the_list_numbers_entries_and_warns_about_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), true);
    let before = std::fs::read(&path).unwrap();
    let run = reframe(&["journal", "--journal", arg(&path)]).run().code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("#  started"), "{out}");
    // The command names the journal, which is not the default one, so that it works as printed.
    assert!(
        lines[3].contains(&format!(
            "`reframe session --resume N --journal {}`",
            path.display()
        )),
        "{out}"
    );
    assert!(
        lines[1].starts_with("1  ")
            && lines[1].contains("I'll never find someone who stays")
            && lines[1].ends_with("90 → 40"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("2  ") && lines[2].ends_with("unfinished"),
        "{out}"
    );
    // The columns line up: each row's thinking traps start under the header's.
    let column = |l: &str, s: &str| l.find(s).unwrap();
    assert_eq!(
        column(lines[1], "Fortune telling"),
        column(lines[0], "thinking traps")
    );
    assert_eq!(
        column(lines[2], "Fortune telling"),
        column(lines[0], "thinking traps")
    );
    let err = run.stderr();
    assert!(
        err.contains("journal.jsonl:2: this line cannot be read") && err.contains("skipped"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "reading changed the file"
    );
}

#[test]
fn the_list_shows_the_most_recent_entries_and_says_how_to_see_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = on_journal(&path, &["list", "-n", "1"])
        .run()
        .success()
        .stdout();
    let lines: Vec<&str> = out.lines().collect();
    // The last line says how to go on with the unfinished entry.
    assert_eq!(lines.len(), 4, "{out}");
    // The most recent entry, under its own number, which `journal show` takes.
    assert!(lines[1].starts_with("2  ") && lines[1].contains("Everyone at work"));
    assert!(lines[2].contains("The last 1 of 2 entries"), "{out}");
    let all = on_journal(&path, &["list", "-n", "0"])
        .run()
        .success()
        .stdout();
    assert_eq!(all.lines().count(), 4, "{all}");
    assert!(!all.contains("The last"), "{all}");
    // `journal` alone is `journal list`, so it takes `-n` too, as the README says.
    assert_eq!(
        on_journal(&path, &["-n", "1"]).run().success().stdout(),
        out
    );
    assert_eq!(
        on_journal(&path, &["-n", "0"]).run().success().stdout(),
        all
    );
    // With another command it would mean nothing, so it is refused.
    let stderr = on_journal(&path, &["-n", "1", "stats"])
        .run()
        .code(2)
        .stderr();
    assert!(
        stderr.contains("`-n` goes with `journal` alone, or after `journal list`"),
        "{stderr}"
    );
}

#[test]
fn show_prints_the_card_and_the_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = on_journal(&path, &["show", "1"]).run().success().stdout();
    assert!(
        out.contains("Thought: I'll never find someone who stays"),
        "{out}"
    );
    assert!(out.contains("Balanced thought: This one ended"), "{out}");
    let bar = regex::Regex::new(r"(?m)^  before +██████████████████░░  90$").unwrap();
    assert!(bar.is_match(&out), "{out}");
    // The evidence is on the card, once.
    assert!(
        out.contains("\nEvidence against: Two friends called this week\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("Two friends called this week").count(),
        1,
        "{out}"
    );
    // And so is every other answer, after its question.
    assert_eq!(
        out.matches("That one ending is one ending").count(),
        1,
        "{out}"
    );
    assert!(
        out.contains(
            "  - What would you say to a friend who thought this? That one ending is one ending"
        ),
        "{out}"
    );
    let run = on_journal(&path, &["show", "3"]).run().code(2);
    assert!(
        run.stderr().contains("there is no entry 3"),
        "{}",
        run.stderr()
    );
}

#[test]
fn export_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let csv_file = dir.path().join("out.csv");
    reframe(&[
        "journal",
        "--journal",
        arg(&path),
        "export",
        "--format",
        "csv",
        "-o",
        arg(&csv_file),
    ])
    .run()
    .success();
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(
        csv.contains("\"Everyone at work thinks I'm useless\"")
            || csv.contains(",Everyone at work thinks I'm useless,"),
        "{csv}"
    );
    let json = on_journal(&path, &["export", "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(json["entries"].as_array().unwrap().len(), 2);
    assert_eq!(json["entries"][1]["status"], "unfinished");
    let md = on_journal(&path, &["export"]).run().success().stdout();
    assert!(
        md.starts_with("# Thought records") && md.contains("(unfinished)"),
        "{md}"
    );
}

/// `reframe journal --journal JOURNAL export -o OUT` and `args`.
fn export_to(journal: &str, out: &str, args: &[&str]) -> Reframe {
    let mut all = vec!["journal", "--journal", journal, "export", "-o", out];
    all.extend(args);
    reframe(&all)
}

/// The names in `dir`, sorted, so a temporary file left behind shows.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn an_export_file_is_readable_by_its_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = dir.path().join("export.md");
    export_to(arg(&path), arg(&out), &[]).run().success();
    assert_eq!(mode(&out), 0o600, "mode {:o}", mode(&out));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("Everyone at work thinks I'm useless"), "{md}");
}

#[test]
fn an_export_onto_the_journal_is_refused_however_the_path_is_spelled() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), true);
    // A line from a newer version, which this one skips and an export would leave out.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| {
            std::io::Write::write_all(
                &mut f,
                b"{\"version\":2,\"started\":\"2027-01-01T00:00:00Z\",\"thought\":\"new\"}\n",
            )
        })
        .unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let top = dir.path().file_name().unwrap().to_str().unwrap();
    let abs = arg(&path).to_string();
    // (working directory, --journal, -o)
    let mut spellings = vec![
        (dir.path().to_path_buf(), abs.clone(), abs.clone()),
        (
            dir.path().to_path_buf(),
            abs.clone(),
            "./journal.jsonl".into(),
        ),
        (sub.clone(), abs.clone(), "../journal.jsonl".into()),
        (
            sub.clone(),
            "../journal.jsonl".into(),
            format!("../../{top}/sub/.././journal.jsonl"),
        ),
    ];
    #[cfg(unix)]
    {
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        let hard = dir.path().join("hard.jsonl");
        std::fs::hard_link(&path, &hard).unwrap();
        let here = dir.path().to_path_buf();
        spellings.push((here.clone(), abs.clone(), "link.jsonl".into()));
        spellings.push((here.clone(), "link.jsonl".into(), abs.clone()));
        spellings.push((here, abs.clone(), "hard.jsonl".into()));
    }
    let before = std::fs::read(&path).unwrap();
    let names = names_in(dir.path());
    for (cwd, journal, out) in &spellings {
        for force in [&[][..], &["--force"][..]] {
            let run = export_to(journal, out, force)
                .current_dir(cwd)
                .run()
                .code(2);
            let err = run.stderr();
            assert!(
                err.contains(&format!("-o {out}")) && err.contains(&format!("journal {journal}")),
                "{out} onto {journal} {force:?}: {err}"
            );
            assert_eq!(run.stdout(), "", "{out} onto {journal}");
            assert!(
                std::fs::read(&path).unwrap() == before,
                "{out} onto {journal} {force:?} changed the journal"
            );
            assert_eq!(names_in(dir.path()), names, "{out} onto {journal}");
        }
    }
}

#[test]
fn an_export_cannot_create_the_journal_either() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let run = export_to(arg(&path), "./journal.jsonl", &[])
        .current_dir(dir.path())
        .run()
        .code(2);
    assert!(run.stderr().contains("journal"), "{}", run.stderr());
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn an_existing_file_is_left_as_it_is_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = dir.path().join("notes.md");
    std::fs::write(&out, "my own notes\n").unwrap();
    let names = names_in(dir.path());
    let run = export_to(arg(&path), arg(&out), &[]).run().code(2);
    let err = run.stderr();
    assert!(
        err.contains(arg(&out)) && err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own notes\n");
    assert_eq!(names_in(dir.path()), names);
}

#[test]
fn force_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = dir.path().join("export.csv");
    std::fs::write(&out, "an older export\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let names = names_in(dir.path());
    export_to(arg(&path), arg(&out), &["--format", "csv", "--force"])
        .run()
        .success();
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        !csv.contains("an older export") && csv.contains("Everyone at work thinks I'm useless"),
        "{csv}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600, "mode {:o}", mode(&out));
    assert_eq!(names_in(dir.path()), names);
}

#[test]
fn a_failed_export_keeps_the_old_file_and_leaves_no_temporary_one() {
    let dir = tempfile::tempdir().unwrap();
    // A journal that cannot be read: the export fails after its temporary file was made.
    let path = dir.path().join("journal.jsonl");
    std::fs::create_dir(&path).unwrap();
    let out = dir.path().join("export.md");
    std::fs::write(&out, "an older export\n").unwrap();
    let names = names_in(dir.path());
    let run = export_to(arg(&path), arg(&out), &["--force"]).run().code(2);
    assert!(
        run.stderr().contains("cannot read the journal"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "an older export\n");
    assert_eq!(names_in(dir.path()), names);
}

#[test]
fn stats_count_traps_and_average_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(out.contains("2 entries (1 complete)"), "{out}");
    assert!(
        out.contains("Fortune telling  ████████████████████ 2"),
        "{out}"
    );
    assert!(
        out.contains("belief in the thought:  -25.0 points"),
        "{out}"
    );
    assert!(
        out.contains("feeling intensity:      -40.0 points"),
        "{out}"
    );
}

#[test]
fn stats_say_per_trap_how_often_it_was_kept_dropped_and_added() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    let trap = |id: &str, name: &str| Trap {
        id: id.into(),
        name: name.into(),
    };
    let mut kept = entry("I'll never get it right", 80, 50, Status::Complete);
    kept.chosen = Some(vec![
        trap("fortune-telling", "Fortune telling"),
        trap("comparing", "Comparing"),
    ]);
    let mut dropped = entry("I'll never get it right", 80, 50, Status::Complete);
    dropped.chosen = Some(vec![]);
    for e in [&kept, &kept, &dropped] {
        journal.append(e).unwrap();
    }
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(out.contains("Your say in the thinking traps"), "{out}");
    assert!(
        out.contains("  Fortune telling  kept  2  dropped  1  added  0\n"),
        "{out}"
    );
    assert!(
        out.contains("  Comparing        kept  0  dropped  0  added  2\n"),
        "{out}"
    );
    // The list shows what the person chose.
    let list = on_journal(&path, &["list"]).run().success().stdout();
    assert!(list.contains("Fortune telling, Comparing"), "{list}");
    // A journal of entries that never asked says nothing about it.
    let plain = self::journal(dir.path().join("old").as_path(), false);
    let out = on_journal(&plain, &["stats"]).run().success().stdout();
    assert!(!out.contains("Your say"), "{out}");
}

#[test]
fn stats_and_the_trends_count_the_traps_chosen_else_those_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    // Written before sessions asked: what was recognised counts.
    let old = in_week(
        "2026-11-02T10:00:00Z",
        Some("The job interview"),
        &["Fortune telling"],
    );
    // Fortune telling recognised, and the person kept Labeling instead.
    let mut chosen = in_week(
        "2026-11-03T10:00:00Z",
        Some("The team lunch"),
        &["Fortune telling"],
    );
    chosen.chosen = Some(vec![Trap {
        id: "labeling".into(),
        name: "Labeling".into(),
    }]);
    // Recognised, and every trap dropped.
    let mut none = in_week(
        "2026-11-10T10:00:00Z",
        Some("A quiet walk"),
        &["Fortune telling"],
    );
    none.chosen = Some(vec![]);
    for e in [&old, &chosen, &none] {
        journal.append(e).unwrap();
    }
    let out = on_journal(&path, &["stats"])
        .env("TZ", "UTC")
        .run()
        .success()
        .stdout();
    assert!(
        out.contains(
            "Thinking traps, by the entries they appeared in\n\
             \x20 Fortune telling  ███████░░░░░░░░░░░░░ 1\n\
             \x20 Labeling         ███████░░░░░░░░░░░░░ 1\n\n"
        ),
        "{out}"
    );
    let trends = &out[out
        .find("Thinking traps by week")
        .unwrap_or_else(|| panic!("{out}"))..];
    assert_eq!(
        trends,
        "Thinking traps by week\n\
         \x20 Week of 2026-11-02, 2 entries\n\
         \x20   Fortune telling  ██████████ 1\n\
         \x20   Labeling         ██████████ 1\n\
         \x20 Week of 2026-11-09, 1 entry\n\
         \x20   no thinking trap\n\
         \n\
         Situations each trap came with\n\
         \x20 Fortune telling\n\
         \x20   The job interview\n\
         \x20 Labeling\n\
         \x20   The team lunch\n"
    );
}

#[test]
fn stats_print_an_average_that_rounds_to_zero_without_a_sign() {
    // One point down over 21 entries is -0.048, which "{:+.1}" printed as "-0.0".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(&path);
    journal
        .append(&entry("I'll never get it right", 51, 50, Status::Complete))
        .unwrap();
    for _ in 0..20 {
        journal
            .append(&entry("I'll never get it right", 50, 50, Status::Complete))
            .unwrap();
    }
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(
        out.contains("belief in the thought:  0.0 points\n"),
        "{out}"
    );
}

#[test]
fn an_empty_journal_says_how_to_start() {
    let out = reframe(&["journal"]).run().success().stdout();
    assert!(
        out.contains("No entries yet") && out.contains("reframe session"),
        "{out}"
    );
}

#[test]
fn a_journal_written_only_by_a_newer_reframe_is_not_called_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let newer = r#"{"version":2,"started":"2027-01-02T10:00:00Z","status":"complete","thought":"I'll never be good enough"}"#;
    std::fs::write(&path, format!("{newer}\n{newer}\n")).unwrap();
    let said = format!(
        "2 entries in {} could not be read: they were written by a newer version of reframe. Update reframe to see them; the file is left as it is.\n",
        path.display()
    );
    for args in [&[][..], &["list"], &["stats"]] {
        let run = on_journal(&path, args).run().code(0);
        assert_eq!(run.stdout(), said, "{args:?}");
        assert!(
            run.stderr()
                .contains("journal.jsonl:2: this line was written by a newer reframe"),
            "{args:?}: {}",
            run.stderr()
        );
    }
    let stderr = on_journal(&path, &["show", "1"]).run().code(2).stderr();
    assert!(
        stderr.ends_with(&format!(
            "reframe: there is no entry 1 in {} that this version can read; 2 were written by a newer version of reframe\n",
            path.display()
        )),
        "{stderr}"
    );
    // A line that is damaged, not newer, is said apart.
    std::fs::write(&path, format!("{newer}\n{{half a line\n")).unwrap();
    let out = on_journal(&path, &[]).run().code(0).stdout();
    assert_eq!(
        out,
        format!(
            "No entry in {} could be read: 1 was written by a newer version of reframe, and 1 line is damaged (see the warnings above). Update reframe to see the newer entries; the file is left as it is.\n",
            path.display()
        )
    );
}

#[test]
fn the_journal_lives_in_the_data_directory_by_default() {
    let run = reframe(&["journal"]);
    let data = run.config_dir().with_file_name("data");
    Journal::at(data.join("reframe/journal.jsonl"))
        .append(&entry("I'll never get it right", 80, 50, Status::Complete))
        .unwrap();
    let out = run.run().success().stdout();
    assert!(out.contains("I'll never get it right"), "{out}");
}

/// A journal written by hand: a session stopped for safety after the check-in was answered yes,
/// one that went on after a no, and a line from before the check-in existed.
const MARKED: &str = r#"{"version":1,"started":"2026-11-20T18:30:00Z","status":"unfinished","situation":"Another night alone","thought":"Everyone would be better off without me","safety_stop":true,"check_in":{"reason":"concern","answer":"yes"}}
{"version":1,"started":"2026-11-21T18:30:00Z","status":"complete","feelings":[{"name":"hopeless","before":80,"after":50}],"thought":"I'll never be good enough","belief_before":80,"belief_after":50,"check_in":{"reason":"hopeless","answer":"no"}}
{"version":1,"started":"2026-11-22T18:30:00Z","status":"complete","thought":"Nobody ever picks me","belief_before":70,"belief_after":40}
"#;

fn marked(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("journal.jsonl");
    std::fs::write(&path, MARKED).unwrap();
    path
}

#[test]
fn list_marks_the_entry_that_stopped_for_safety() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let out = on_journal(&path, &["list"]).run().success().stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[1].starts_with("1  ") && lines[1].ends_with("stopped for safety"),
        "{out}"
    );
    assert!(
        lines[2].ends_with("80 → 50") && lines[3].ends_with("70 → 40"),
        "{out}"
    );
}

#[test]
fn show_says_it_stopped_for_safety_and_gives_the_lines_for_the_current_region() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let show = |run: crate::util::Reframe| run.run().success().stdout();
    let out = show(on_journal(&path, &["show", "1"]).env("LANG", "en_GB.UTF-8"));
    assert!(out.contains("Stopped for safety: "), "{out}");
    // The lines come before the exercise: no invitation to go on with it.
    assert!(!out.contains("--resume"), "{out}");
    assert!(
        out.contains("Check-in: asked about thoughts of ending your life, because something written sounded like a warning sign; answered yes"),
        "{out}"
    );
    assert!(
        out.contains("Help is available now (United Kingdom):") && out.contains("116 123"),
        "{out}"
    );
    assert!(
        out.contains("Place: United Kingdom, from this computer's language setting (en_GB.UTF-8). To use another place's lines next time, put the line region = \"us\" in "),
        "{out}"
    );
    assert!(
        out.contains("Thought: Everyone would be better off without me"),
        "{out}"
    );
    // The region now, not then: the flag changes it.
    let out = show(on_journal(&path, &["show", "1", "--region", "au"]));
    assert!(
        out.contains("13 11 14") && !out.contains("116 123"),
        "{out}"
    );
    // The flag comes before the config file, so the note does not send the person there to
    // change it: the flag's choice is for this run, and the config line would make it last.
    assert!(
        out.contains("Place: Australia, chosen for this run only, when reframe was started. For a lasting choice, put the line region = \"au\" in "),
        "{out}"
    );
    // An entry that went on after a no: the check-in, and no crisis lines.
    let out = show(on_journal(&path, &["show", "2"]));
    assert!(
        out.contains("Check-in: asked about thoughts of ending your life, because \"hopeless\" was rated 70 or more; answered no"),
        "{out}"
    );
    assert!(
        !out.contains("Stopped for safety") && !out.contains("Help is available"),
        "{out}"
    );
    let out = show(on_journal(&path, &["show", "3"]));
    assert!(
        !out.contains("Check-in") && !out.contains("Stopped"),
        "{out}"
    );
}

#[test]
fn show_of_a_safety_stop_with_an_unknown_region_gives_the_entry_and_lines_then_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let show = |number: &str| on_journal(&path, &["show", number, "--region", "mars"]).run();
    let run = show("1").code(2);
    let out = run.stdout();
    assert!(
        out.contains("Help is available now (any country):"),
        "{out}"
    );
    assert!(out.contains("findahelpline.com"), "{out}");
    assert!(
        out.contains("Thought: Everyone would be better off without me"),
        "the whole entry is shown before the error: {out}"
    );
    // Reported once, by main, as every command's errors are.
    assert_eq!(
        run.stderr(),
        "reframe: unknown region \"mars\" given with --region; use one of: international, us, uk, ie, ca, au, eu\n"
    );
    // An entry that needs no lines needs no region.
    show("2").success();
}

#[test]
fn show_of_a_safety_stop_with_a_broken_config_file_gives_the_lines_then_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let show = on_journal(&path, &["show", "1", "--region", "uk"]);
    let config = show.config_dir().join("reframe");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "region = \n").unwrap();
    let run = show.run().code(2);
    let out = run.stdout();
    assert!(
        out.contains("116 123"),
        "the crisis lines come first: {out}"
    );
    assert!(
        out.contains("Thought: Everyone would be better off without me"),
        "{out}"
    );
    assert!(
        run.stderr().contains("cannot read the config file"),
        "{}",
        run.stderr()
    );
}

#[test]
fn show_of_an_entry_left_at_the_check_in_gives_the_lines_again() {
    // The session was interrupted at the question: no answer was given, so the lines are shown
    // again, as they would be after a yes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    std::fs::write(
        &path,
        r#"{"version":1,"started":"2026-11-20T18:30:00Z","status":"unfinished","thought":"I just want to disappear","check_in":{"reason":"concern"}}
"#,
    )
    .unwrap();
    let out = on_journal(&path, &["show", "1", "--region", "uk"])
        .run()
        .success()
        .stdout();
    assert!(out.contains("not answered"), "{out}");
    assert!(out.contains("116 123"), "{out}");
}

#[test]
fn show_and_export_keep_what_a_safety_stop_spoke_of() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let line = MARKED.lines().next().unwrap().replace(
        r#""safety_stop":true,"#,
        r#""safety_stop":true,"safety_category":"harm-from-others","#,
    );
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let out = on_journal(&path, &["show", "1", "--region", "us"])
        .run()
        .success()
        .stdout();
    assert!(
        out.contains("Help is available now (United States):"),
        "{out}"
    );
    let json = on_journal(&path, &["export", "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(json["entries"][0]["safety_category"], "harm-from-others");
    // Lines written before the category was kept read as before, and export leaves it out.
    let old = marked(dir.path());
    let json = on_journal(&old, &["export", "--format", "json"])
        .run()
        .success()
        .json();
    assert!(
        json["entries"][0].get("safety_category").is_none(),
        "{json}"
    );
}

#[test]
fn stats_count_safety_stops_and_check_in_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(
        out.starts_with("3 entries (2 complete, 1 stopped for safety)\n"),
        "{out}"
    );
    assert!(
        out.contains("Asked about thoughts of ending your life in 2 entries: 1 yes, 1 no\n"),
        "{out}"
    );
    // An entry left unfinished otherwise is counted apart, so the counts add up.
    let unfinished = r#"{"version":1,"started":"2026-11-20T10:00:00Z","status":"unfinished","feelings":[],"thought":"I typed half of this","patterns":[],"answers":[]}"#;
    std::fs::write(&path, format!("{MARKED}{unfinished}\n")).unwrap();
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(
        out.starts_with("4 entries (2 complete, 1 unfinished, 1 stopped for safety)\n"),
        "{out}"
    );
    // One entry is one entry.
    std::fs::write(&path, format!("{unfinished}\n")).unwrap();
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(out.starts_with("1 entry (0 complete)\n"), "{out}");
    // Without any, neither line appears.
    let other = tempfile::tempdir().unwrap();
    let plain = journal(other.path(), false);
    let out = on_journal(&plain, &["stats"]).run().success().stdout();
    assert!(
        !out.contains("safety") && !out.contains("Asked about"),
        "{out}"
    );
}

#[test]
fn every_export_format_carries_the_safety_stop_and_the_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(dir.path());
    let export = |format: &str| {
        on_journal(&path, &["export", "--format", format])
            .run()
            .success()
            .stdout()
    };
    let md = export("markdown");
    assert!(
        md.contains("## 1. ") && md.contains("(stopped for safety)\n"),
        "{md}"
    );
    assert!(md.contains("- **Stopped for safety:** "), "{md}");
    assert!(
        md.contains("- **Check-in:** asked about thoughts of ending your life"),
        "{md}"
    );
    assert!(md.contains("rated 70 or more; answered no"), "{md}");

    let csv = export("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cells = |row: usize| {
        ["safety_stop", "check_in_reason", "check_in_answer"]
            .map(|c| rows[row][column(c)].to_string())
    };
    assert_eq!(cells(0), ["yes", "concern", "yes"], "{csv}");
    assert_eq!(cells(1), ["no", "hopeless", "no"], "{csv}");
    assert_eq!(cells(2), ["no", "", ""], "{csv}");

    let json: serde_json::Value = serde_json::from_str(&export("json")).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries[0]["safety_stop"], true);
    assert_eq!(entries[0]["check_in"]["reason"], "concern");
    assert_eq!(entries[0]["check_in"]["answer"], "yes");
    assert_eq!(entries[1]["check_in"]["answer"], "no");
    assert!(entries[2].get("check_in").is_none() && entries[2].get("safety_stop").is_none());
}

#[test]
fn an_export_to_a_directory_or_into_a_missing_one_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    std::fs::write(
        &journal,
        "{\"version\":1,\"started\":\"2026-11-22T10:00:00Z\",\"status\":\"complete\",\"thought\":\"t\"}\n",
    )
    .unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let stderr = on_journal(&journal, &["export", "-o", arg(&folder), "--force"])
        .run()
        .code(2)
        .stderr();
    assert!(
        stderr.contains("is a directory; give the name of a file"),
        "{stderr}"
    );
    let missing = dir.path().join("nowhere/x.md");
    let stderr = on_journal(&journal, &["export", "-o", arg(&missing)])
        .run()
        .code(2)
        .stderr();
    assert!(stderr.contains("there is no such directory"), "{stderr}");
    assert!(!stderr.contains(".reframe-"), "no temporary name: {stderr}");
}

#[test]
fn show_and_list_say_what_is_unfinished_how_to_go_on_and_where_it_went_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), false);
    // Entry 2 is unfinished: show says how to go on with it.
    let out = on_journal(&path, &["show", "2"]).run().success().stdout();
    assert!(
        out.contains(&format!(
            "Unfinished: to go on with it where it stopped, run `reframe session --resume 2 \
             --journal {}`.",
            path.display()
        )),
        "{out}"
    );
    let out = on_journal(&path, &["show", "1"]).run().success().stdout();
    assert!(
        !out.contains("Unfinished") && !out.contains("Continues"),
        "{out}"
    );

    // Entry 3 goes on with it.
    let (entries, _) = Journal::at(&path).read().unwrap();
    let mut later = entries[1].clone();
    later.started = "2026-11-21T08:00:00Z".parse().unwrap();
    later.continues = Some(entries[1].started);
    later.status = Status::Complete;
    Journal::at(&path).append(&later).unwrap();
    let out = on_journal(&path, &["show", "2"]).run().success().stdout();
    assert!(out.contains("Unfinished: continued in entry 3."), "{out}");
    assert!(!out.contains("--resume"), "{out}");
    let out = on_journal(&path, &["show", "3"]).run().success().stdout();
    assert!(
        out.contains("Continues: entry 2, started 2026-11-"),
        "{out}"
    );
    let out = on_journal(&path, &["list"]).run().success().stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "no note, as nothing is left to go on with: {out}"
    );
    assert!(lines[2].ends_with("continued in 3"), "{out}");
}

/// The journal of [`journal`] with a third entry that goes on with the unfinished second one and
/// finishes it.
fn continued(dir: &Path) -> std::path::PathBuf {
    let path = journal(dir, false);
    let (entries, _) = Journal::at(&path).read().unwrap();
    let mut later = entries[1].clone();
    later.started = "2026-11-27T08:00:00Z".parse().unwrap();
    later.continues = Some(entries[1].started);
    later.status = Status::Complete;
    Journal::at(&path).append(&later).unwrap();
    path
}

#[test]
fn stats_count_an_unfinished_entry_and_the_one_that_went_on_with_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = continued(dir.path());
    let out = on_journal(&path, &["stats"])
        .env("TZ", "UTC")
        .run()
        .success()
        .stdout();
    assert!(out.starts_with("2 entries (2 complete)\n"), "{out}");
    assert!(
        out.contains(
            "1 unfinished entry that you went on with later is counted as part of that later entry."
        ),
        "{out}"
    );
    assert!(
        out.contains("Fortune telling  ████████████████████ 2\n"),
        "{out}"
    );
    // 90 to 40, and 70 to 70 once, not twice.
    assert!(
        out.contains("belief in the thought:  -25.0 points"),
        "{out}"
    );
    assert!(out.contains("Week of 2026-11-16, 1 entry\n"), "{out}");
    assert!(out.contains("Week of 2026-11-23, 1 entry\n"), "{out}");
    // A journal with nothing continued says nothing about it.
    let other = tempfile::tempdir().unwrap();
    let plain = journal(other.path(), false);
    let out = on_journal(&plain, &["stats"]).run().success().stdout();
    assert!(out.starts_with("2 entries (1 complete)\n"), "{out}");
    assert!(!out.contains("went on with"), "{out}");
}

#[test]
fn exports_keep_an_unfinished_entry_that_was_continued_and_mark_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = continued(dir.path());
    let csv = on_journal(&path, &["export", "--format", "csv"])
        .run()
        .success()
        .stdout();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    let column = header.iter().position(|h| h == "continues").unwrap();
    assert_eq!(&rows[2][column], &rows[1][0], "{csv}");
    assert_eq!((&rows[0][column], &rows[1][column]), ("", ""), "{csv}");
    let md = on_journal(&path, &["export", "--format", "markdown"])
        .run()
        .success()
        .stdout();
    assert!(md.contains(" (unfinished, continued in 3)\n"), "{md}");
    assert!(
        md.contains("- **Continues:** entry 2, started 2026-11-"),
        "{md}"
    );
    let json = on_journal(&path, &["export", "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(json["entries"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["entries"][2]["continues"],
        json["entries"][1]["started"]
    );
}

/// A journal of two finished entries, the first re-rated twice (60 a week after it, 45 two weeks
/// after), with a line of a kind no version knows yet at the end if `unknown`.
fn rerated(dir: &Path, unknown: bool) -> std::path::PathBuf {
    use reframe::journal::Rerating;
    let path = dir.join("journal.jsonl");
    let journal = Journal::at(&path);
    let first = entry(
        "I'll never find someone who stays",
        90,
        40,
        Status::Complete,
    );
    let mut second = entry(
        "Everyone at work thinks I'm useless",
        70,
        50,
        Status::Complete,
    );
    second.started = "2026-11-21T09:00:00Z".parse().unwrap();
    journal.append(&first).unwrap();
    journal
        .append_rerating(&Rerating::new(
            &first,
            "2026-11-27T18:30:00Z".parse().unwrap(),
            60,
        ))
        .unwrap();
    journal.append(&second).unwrap();
    journal
        .append_rerating(&Rerating::new(
            &first,
            "2026-12-04T19:00:00Z".parse().unwrap(),
            45,
        ))
        .unwrap();
    if unknown {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| {
                std::io::Write::write_all(
                    &mut f,
                    b"{\"version\":1,\"kind\":\"bookmark\",\"entry\":\"2026-11-20T18:30:00Z\"}\n",
                )
            })
            .unwrap();
    }
    path
}

#[test]
fn review_without_a_terminal_exits_2_and_says_what_to_do_instead() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), false);
    let before = std::fs::read(&path).unwrap();
    for args in [
        &["review"][..],
        &["review", "--all"],
        &["review", "--since", "2026-11-01"],
    ] {
        let run = on_journal(&path, args).run().code(2);
        let err = run.stderr();
        assert!(
            err.contains("`journal review` needs a terminal") && err.contains("journal show N"),
            "{err}"
        );
        assert_eq!(run.stdout(), "");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn review_refuses_a_date_it_cannot_read_and_all_with_since() {
    let run = reframe(&["journal", "review", "--since", "last week"])
        .run()
        .code(2);
    assert!(run.stderr().contains("--since"), "{}", run.stderr());
    let run = reframe(&["journal", "review", "--all", "--since", "2026-11-01"])
        .run()
        .code(2);
    assert!(
        run.stderr().contains("cannot be used with"),
        "{}",
        run.stderr()
    );
}

#[test]
fn rerating_lines_are_read_without_a_warning_and_list_only_the_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), false);
    let out = on_journal(&path, &["list"]).run().success().stdout();
    assert_eq!(out.lines().count(), 3, "{out}");
    let stats = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(stats.starts_with("2 entries (2 complete)"), "{stats}");
}

#[test]
fn a_line_of_an_unknown_kind_is_said_to_come_from_a_newer_reframe() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), true);
    let run = on_journal(&path, &["list"]).run().code(0);
    assert_eq!(run.stdout().lines().count(), 3, "{}", run.stdout());
    let err = run.stderr();
    assert!(
        err.contains("journal.jsonl:5: this line is of a kind this version of reframe does not know (\"bookmark\")"),
        "{err}"
    );
}

#[test]
fn show_lists_the_reratings_of_the_entry_under_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), false);
    let out = on_journal(&path, &["show", "1"])
        .env("TZ", "UTC")
        .run()
        .success()
        .stdout();
    let section = &out[out
        .find("Belief in the thought, looking back")
        .unwrap_or_else(|| panic!("{out}"))..];
    assert_eq!(
        section,
        "Belief in the thought, looking back\n\
         \x20 2026-11-27  7 days later    ██████░░░░  60\n\
         \x20 2026-12-04  14 days later   █████░░░░░  45\n"
    );
    let second = on_journal(&path, &["show", "2"]).run().success().stdout();
    assert!(!second.contains("looking back"), "{second}");
}

#[test]
fn every_export_format_carries_the_reratings() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), false);
    let json = on_journal(&path, &["export", "--format", "json"])
        .run()
        .success()
        .json();
    assert_eq!(json["entries"].as_array().unwrap().len(), 2);
    let reratings = json["reratings"].as_array().unwrap();
    assert_eq!(reratings.len(), 2);
    assert_eq!(reratings[0]["entry"], "2026-11-20T18:30:00Z");
    assert_eq!(reratings[0]["at"], "2026-11-27T18:30:00Z");
    assert_eq!(reratings[0]["belief"], 60);
    let csv = on_journal(&path, &["export", "--format", "csv"])
        .run()
        .success()
        .stdout();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|h| h == "reratings").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        &rows[0][column],
        "2026-11-27T18:30:00Z 60; 2026-12-04T19:00:00Z 45"
    );
    assert_eq!(&rows[1][column], "");
    let md = on_journal(&path, &["export"])
        .env("TZ", "UTC")
        .run()
        .success()
        .stdout();
    assert!(
        md.contains(
            "- **Belief in the thought, looking back:** 60% 7 days later (2026-11-27); 45% 14 days later (2026-12-04)\n"
        ),
        "{md}"
    );
    assert_eq!(md.matches("looking back").count(), 1, "{md}");
}

/// A finished entry started at `started`, with `situation` and the traps `traps`.
fn in_week(started: &str, situation: Option<&str>, traps: &[&str]) -> Entry {
    let mut e = Entry::new(started.parse().unwrap());
    e.status = Status::Complete;
    e.thought = "a thought".into();
    e.situation = situation.map(str::to_string);
    for name in traps {
        e.patterns.push(Pattern {
            id: name.to_lowercase().replace(' ', "-"),
            name: name.to_string(),
            words: Vec::new(),
        });
    }
    e
}

/// A journal of entries over two weeks, for the trends in `journal stats`.
fn over_two_weeks(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("journal.jsonl");
    let journal = Journal::at(&path);
    for e in [
        in_week(
            "2026-11-02T10:00:00Z",
            Some("The job interview"),
            &["Labeling", "Fortune telling"],
        ),
        in_week(
            "2026-11-04T10:00:00Z",
            Some("A text left unanswered for two whole days while I waited"),
            &["Labeling"],
        ),
        in_week("2026-11-10T10:00:00Z", None, &["Mind reading"]),
        in_week("2026-11-12T10:00:00Z", Some("Nothing much"), &[]),
    ] {
        journal.append(&e).unwrap();
    }
    path
}

#[test]
fn stats_show_the_traps_by_week_and_the_situations_each_came_with() {
    let dir = tempfile::tempdir().unwrap();
    let path = over_two_weeks(dir.path());
    let out = on_journal(&path, &["stats"])
        .env("TZ", "UTC")
        .run()
        .success()
        .stdout();
    let trends = &out[out
        .find("Thinking traps by week")
        .unwrap_or_else(|| panic!("{out}"))..];
    assert_eq!(
        trends,
        "Thinking traps by week\n\
         \x20 Week of 2026-11-02, 2 entries\n\
         \x20   Labeling         ██████████ 2\n\
         \x20   Fortune telling  █████░░░░░ 1\n\
         \x20 Week of 2026-11-09, 2 entries\n\
         \x20   Mind reading     █████░░░░░ 1\n\
         \n\
         Situations each trap came with\n\
         \x20 Labeling\n\
         \x20   A text left unanswered for two whole days while I waited\n\
         \x20   The job interview\n\
         \x20 Fortune telling\n\
         \x20   The job interview\n"
    );
}

#[test]
fn stats_of_a_journal_with_no_trap_leave_the_trends_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    Journal::at(&path)
        .append(&in_week("2026-11-02T10:00:00Z", Some("A quiet day"), &[]))
        .unwrap();
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    assert!(
        !out.contains("by week") && !out.contains("Situations"),
        "{out}"
    );
}

#[test]
fn stats_average_belief_at_first_after_and_at_the_latest_look_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = rerated(dir.path(), false);
    let out = on_journal(&path, &["stats"]).run().success().stdout();
    // Only the first entry was looked back at: 90 at first, 40 after, 45 at the latest look.
    assert!(
        out.contains(
            "\nBelief, on average, in 1 thought looked back at\n\
             \x20 at first        ██████████████████░░  90\n\
             \x20 after the work  ████████░░░░░░░░░░░░  40\n\
             \x20 looking back    █████████░░░░░░░░░░░  45\n"
        ),
        "{out}"
    );
    let other = tempfile::tempdir().unwrap();
    let never = journal(other.path(), false);
    let out = on_journal(&never, &["stats"]).run().success().stdout();
    assert!(!out.contains("looked back at"), "{out}");
}
