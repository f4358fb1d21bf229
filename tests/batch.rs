//! Batch mode: thoughts from files and standard input, one per line, streamed.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::util::{arg, reframe, root, temp_file};

#[test]
fn reads_standard_input_when_it_is_not_a_terminal() {
    let run = reframe(&["--format", "jsonl"])
        .stdin("I'm a loser\n\nI had soup\n")
        .run()
        .success();
    let lines = run.jsonl();
    assert_eq!(lines.len(), 2, "blank lines are skipped");
    assert_eq!(
        (lines[0]["line"].as_u64(), lines[1]["line"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(lines[0]["source"], "-");
    assert_eq!(lines[0]["findings"][0]["distortion"], "labeling");
    assert_eq!(lines[1]["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn reads_files_and_dash_in_order() {
    let (_dir, file) = temp_file(
        "thoughts.txt",
        "Nobody ever picks me\r\nI'll always be alone\n",
    );
    let doc = reframe(&["--format", "json", "-f", arg(&file), "-f", "-"])
        .stdin("I'm a loser")
        .run()
        .success()
        .json();
    let thoughts = doc["thoughts"].as_array().unwrap();
    assert_eq!(thoughts.len(), 3);
    assert_eq!(
        thoughts[0]["text"], "Nobody ever picks me",
        "CRLF is removed"
    );
    assert_eq!(thoughts[0]["source"], arg(&file));
    assert_eq!(thoughts[2]["source"], "-");
    assert_eq!(thoughts[2]["line"], 1);
}

#[test]
fn text_rows_name_the_line_and_each_finding() {
    let out = reframe(&[])
        .stdin("I'm a loser\nI had soup\n")
        .run()
        .success()
        .stdout();
    assert_eq!(
        out,
        "1: [I'm a loser]\n    Labeling (labeling) \"I'm a loser\"\n2: I had soup\n    nothing recognised\n"
    );
}

#[test]
fn summary_counts_each_distortion_with_a_bar() {
    let input = "I'm a loser\nI'm such an idiot\nNobody ever picks me\nI had soup\n";
    let out = reframe(&["--summary"])
        .stdin(input)
        .run()
        .success()
        .stdout();
    let summary = &out[out.find("Summary:").expect("a summary")..];
    assert!(
        summary.starts_with(
            "Summary: 4 thoughts, 3 with a thinking trap recognised, 0 with crisis language\n"
        ),
        "{summary}"
    );
    let labeling = summary.lines().find(|l| l.contains("Labeling")).unwrap();
    let overgeneralization = summary
        .lines()
        .find(|l| l.contains("Overgeneralization"))
        .unwrap();
    assert!(
        labeling.contains(" 2  ") && overgeneralization.contains(" 1  "),
        "{summary}"
    );
    assert!(
        labeling.matches('#').count() > overgeneralization.matches('#').count(),
        "{summary}"
    );
}

#[test]
fn summary_goes_to_stderr_for_machine_formats() {
    let run = reframe(&["--summary", "--format", "jsonl"])
        .stdin("I'm a loser\n")
        .run()
        .code(0);
    assert_eq!(run.jsonl().len(), 1, "stdout stays pure JSON Lines");
    assert!(
        run.stderr().starts_with("Summary: 1 thought,"),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_invalid_utf8_line_is_reported_and_the_rest_processed() {
    let run = reframe(&["--format", "jsonl"])
        .stdin(&b"I'm a loser\nbad \xff\xfe line\nNobody ever picks me\n"[..])
        .run()
        .code(2);
    assert_eq!(
        run.stderr(),
        "reframe: -:2: not valid UTF-8; checked for crisis language only, then skipped\n"
    );
    let lines = run.jsonl();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["line"], 3);
}

#[test]
fn crisis_language_in_another_encoding_is_answered_before_the_line_is_reported() {
    // 0x92 is Windows-1252's right single quote, used as an apostrophe.
    let input =
        &b"I'm a loser\nI don\x92t want to wake up tomorrow\nbad \xff line\nI had soup\n"[..];
    let run = reframe(&["--region", "uk"]).stdin(input).run().code(2);
    let out = run.stdout();
    assert!(
        out.contains(
            "2: I don\u{2019}t want to wake up tomorrow\n    Crisis language (suicide): this sounds serious"
        ) && out.contains("116 123"),
        "{out}"
    );
    assert!(
        out.starts_with("1: [I'm a loser]")
            && out.contains("4: I had soup")
            && !out.contains("bad"),
        "{out}"
    );
    assert_eq!(
        run.stderr(),
        "reframe: -:2: this thought speaks of suicide or not wanting to live; its output shows crisis resources, not a reframe\n\
         reframe: -:2: not valid UTF-8; read as Windows-1252 and checked for crisis language only\n\
         reframe: -:3: not valid UTF-8; checked for crisis language only, then skipped\n"
    );
    let rows = reframe(&["--exit-code", "--format", "jsonl", "--summary"])
        .stdin(input)
        .run()
        .code(3);
    let lines = rows.jsonl();
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 4]);
    assert_eq!(lines[1]["text"], "I don\u{2019}t want to wake up tomorrow");
    assert_eq!(lines[1]["safety"]["category"], "suicide");
    // Each line is counted once: line 2 as the thought with crisis language it was answered as,
    // line 3 as the one line skipped.
    assert!(
        rows.stderr().contains(
            "Summary: 3 thoughts, 1 with a thinking trap recognised, 1 with crisis language, 1 line(s) not valid UTF-8 skipped after the crisis check\n"
        ),
        "{}",
        rows.stderr()
    );
}

#[test]
fn a_missing_file_is_reported_and_the_other_files_processed() {
    let run = reframe(&["--format", "jsonl", "-f", "no-such-file.txt", "-f", "-"])
        .stdin("I'm a loser\n")
        .run()
        .code(2);
    assert!(
        run.stderr()
            .starts_with("reframe: cannot read no-such-file.txt:"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.jsonl().len(), 1);
}

#[test]
fn empty_input_is_not_an_error() {
    reframe(&[]).stdin("").run().success();
    let doc = reframe(&["--format", "json"])
        .stdin("\n\n")
        .run()
        .success()
        .json();
    assert_eq!(doc, serde_json::json!({"version": 1, "thoughts": []}));
}

#[test]
fn a_very_long_line_is_analysed_whole() {
    let mut line = "I had a long day at work and ".repeat(20_000);
    line.push_str("I'm a loser");
    let lines = reframe(&["--format", "jsonl"])
        .stdin(line.clone())
        .run()
        .success()
        .jsonl();
    let m = &lines[0]["findings"][0]["matches"][0];
    assert_eq!(m["bytes"]["end"].as_u64(), Some(line.len() as u64));
}

#[test]
fn a_line_of_megabytes_with_a_match_in_every_sentence_is_analysed() {
    // Every match once counted the characters from the start of the line, so the time grew
    // with the square of its length: this test took 79 s, against 10 s now. No time is asserted,
    // as machines differ. The fullwidth `Ｉ` (three bytes, one character) sets the two offsets
    // apart.
    let times = 120_000;
    let line = "Ｉ always fail. ".repeat(times);
    assert!(line.len() > 2_000_000);
    let run = reframe(&["--format", "jsonl", "--max-line-bytes", "3000000"])
        .stdin(line)
        .run()
        .success();
    let rows = run.jsonl();
    let finding = &rows[0]["findings"][0];
    assert_eq!(finding["distortion"], "overgeneralization");
    let matches = finding["matches"].as_array().expect("a list of matches");
    assert_eq!(matches.len(), times);
    for (n, m) in [(0, &matches[0]), (times - 1, &matches[times - 1])] {
        assert_eq!(m["text"], "Ｉ always fail");
        assert_eq!(m["bytes"]["start"], 17 * n);
        assert_eq!(m["bytes"]["end"], 17 * n + 15);
        assert_eq!(m["chars"]["start"], 15 * n);
        assert_eq!(m["chars"]["end"], 15 * n + 13);
    }
}

#[test]
fn a_line_over_the_limit_is_reported_and_skipped_and_the_next_processed() {
    let long = "I always fail and ".repeat(10);
    let input = format!("I'm a loser\n{long}\r\nNobody ever picks me\n");
    let run = reframe(&["--format", "jsonl", "--max-line-bytes", "100", "--summary"])
        .stdin(input.clone())
        .run()
        .code(2);
    let rows = run.jsonl();
    let numbers: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 3]);
    assert_eq!(
        run.stderr(),
        "reframe: -:2: longer than 100 bytes (see --max-line-bytes); checked for crisis language only, and otherwise skipped\n\
         Summary: 2 thoughts, 2 with a thinking trap recognised, 0 with crisis language, 1 line(s) over --max-line-bytes skipped after the crisis check\n  \
         Labeling                 1  ##############################\n  \
         Overgeneralization       1  ##############################\n"
    );
    // A line of exactly the limit (its CRLF not counted) is a thought like any other.
    let rows = reframe(&["--format", "jsonl", "--max-line-bytes", "180"])
        .stdin(input)
        .run()
        .success()
        .jsonl();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["text"], long);
    reframe(&["--max-line-bytes", "0"])
        .stdin("I'm a loser\n")
        .run()
        .code(2);
}

#[test]
fn crisis_language_far_into_a_long_line_is_answered() {
    let mut line = "I had a long day at work and the bus was late. ".repeat(100);
    line.push_str("I don't want to wake up tomorrow. ");
    line.push_str(&"I had soup. ".repeat(100));
    let input = format!("{line}\nI'm a loser\n");
    let run = reframe(&[
        "--exit-code",
        "--format",
        "jsonl",
        "--max-line-bytes",
        "1000",
    ])
    .stdin(input)
    .run()
    .code(3);
    let rows = run.jsonl();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["line"], 1);
    assert_eq!(rows[0]["safety"]["category"], "suicide");
    // The row shows the part of the line that was checked, with the words in it.
    let text = rows[0]["text"].as_str().unwrap();
    assert!(text.len() <= 1000 && text.contains("I don't want to wake up tomorrow."));
    let m = &rows[0]["safety"]["matches"][0];
    let at = |end: &str| m["bytes"][end].as_u64().unwrap() as usize;
    assert_eq!(text[at("start")..at("end")], m["text"]);
    assert!(
        m["text"].as_str().unwrap().contains("want to wake up"),
        "{m}"
    );
    assert_eq!(rows[1]["findings"][0]["distortion"], "labeling");
    assert_eq!(
        run.stderr(),
        "reframe: -:1: longer than 1000 bytes (see --max-line-bytes); checked for crisis language only, and otherwise skipped\n\
         reframe: -:1: this thought speaks of suicide or not wanting to live; its output shows crisis resources, not a reframe\n"
    );
}

#[test]
fn a_line_of_twenty_megabytes_is_checked_in_pieces_and_skipped() {
    // The line is never held whole (the reader's own tests show its memory stays at the limit);
    // its last words are still checked.
    let mut input = "x".repeat(20_000_000);
    input.push_str(" I want to die\nI'm a loser\n");
    let run = reframe(&["--format", "jsonl"]).stdin(input).run().code(2);
    let rows = run.jsonl();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["safety"]["level"], "crisis");
    assert!(rows[0]["text"].as_str().unwrap().len() <= 1024 * 1024);
    assert_eq!(rows[1]["line"], 2);
    assert!(
        run.stderr().starts_with(
            "reframe: -:1: longer than 1048576 bytes (see --max-line-bytes); checked for crisis language only, and otherwise skipped\n"
        ),
        "{}",
        run.stderr()
    );
}

#[test]
fn exit_code_reports_a_finding_anywhere_in_the_batch() {
    reframe(&["--exit-code"])
        .stdin("I had soup\nI'm a loser\n")
        .run()
        .code(1);
    reframe(&["--exit-code"])
        .stdin("I had soup\n")
        .run()
        .code(0);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(root())
        .args(["--format", "jsonl"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        for _ in 0..200_000 {
            if stdin
                .write_all(b"I'm a loser and nobody ever picks me\n")
                .is_err()
            {
                break;
            }
        }
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    writer.join().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(stderr, "");
}

/// Runs a batch over `input` with standard error going to `stderr`, and returns its status and
/// standard output.
fn batch_with_stderr(input: &'static [u8], stderr: Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(root())
        .args(["--color", "never"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input);
    });
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    writer.join().unwrap();
    (status.code(), stdout)
}

/// Lines that each make a warning on standard error: one not UTF-8, one with crisis language.
const WARNED: &[u8] =
    b"I'm a loser\n\xff\xfe not text\nI want to kill myself\nnobody ever picks me\n";

#[test]
fn a_full_standard_error_drops_the_warnings_and_the_batch_goes_on() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let (code, stdout) = batch_with_stderr(WARNED, Stdio::from(full));
    // 2 for the line that is not UTF-8, as documented; not 101 for a panic.
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("1: [I'm a loser]"), "{stdout}");
    assert!(stdout.contains("Crisis language"), "{stdout}");
    assert!(stdout.contains("4: [nobody ever picks]"), "{stdout}");
}

#[test]
fn a_closed_standard_error_drops_the_warnings_and_the_batch_goes_on() {
    // A pipe whose reading end is already closed: every write to it fails.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let (code, stdout) = batch_with_stderr(WARNED, Stdio::from(writer));
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("4: [nobody ever picks]"), "{stdout}");
}

#[test]
fn rows_stream_while_the_input_is_still_open() {
    // A person typing into a pipe sees each answer before the input ends.
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(root())
        .args(["--color", "never"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = sender.send(std::mem::take(&mut line));
        }
    });
    {
        use std::io::Write;
        stdin.write_all(b"I am a burden to everyone\n").unwrap();
        stdin.flush().unwrap();
    }
    let first = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the first row comes while the input is still open");
    assert_eq!(first, "1: I am a burden to everyone\n");
    let lines = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("and its crisis lines with it");
    assert!(lines.contains("Warning sign"), "{lines}");
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

#[test]
fn a_note_about_a_line_comes_after_the_rows_before_it() {
    // Standard output and standard error into one pipe, as `2>&1` or a terminal shows them.
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .current_dir(root())
        .args(["--color", "never"])
        .stdin(Stdio::piped())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"I'm a loser\n\xff\xfe not text\n")
            .unwrap();
    }
    child.wait().unwrap();
    let mut both = String::new();
    reader.read_to_string(&mut both).unwrap();
    let row = both.find("1: [I'm a loser]").expect("the first row");
    let note = both.find("-:2: not valid UTF-8").expect("the note");
    assert!(row < note, "{both}");
}

#[test]
fn crisis_language_glued_to_a_run_without_spaces_is_answered_wherever_a_piece_is_cut() {
    // A URL or a row of commas has no white space to cut at: a phrase right after one, across
    // the end of a piece, must still be whole in some piece.
    let limit = 1000;
    let lines: Vec<String> = (limit - 40..limit + 5)
        .map(|at| {
            let mut line = ",".repeat(at);
            line.push_str(".kill myself, I mean it");
            line.push_str(&" and more".repeat(200));
            line
        })
        .collect();
    let rows = reframe(&["--format", "jsonl", "--max-line-bytes", "1000"])
        .stdin(lines.join("\n"))
        .run()
        .code(2)
        .jsonl();
    assert_eq!(
        rows.len(),
        lines.len(),
        "one crisis row for every line: {rows:?}"
    );
    assert!(rows.iter().all(|row| row["safety"]["level"] == "crisis"));
}

#[test]
fn a_long_line_that_names_suicide_is_answered_as_a_short_one_is() {
    let mut line = "I had a long day at work. ".repeat(60);
    line.push_str("my uncle killed himself last spring");
    let rows = reframe(&["--format", "jsonl", "--max-line-bytes", "1000"])
        .stdin(format!("{line}\n"))
        .run()
        .code(2)
        .jsonl();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0]["mention"]["message"].is_string(), "{:?}", rows[0]);
}

#[test]
fn a_long_line_is_answered_with_its_most_serious_piece_wherever_that_is() {
    // A mention of someone else's suicide early in a long line must not stand in for the
    // writer's own crisis words later on it, nor a warning sign for them.
    for early in [
        "my uncle killed himself last spring. ",
        "I feel like a burden to everyone. ",
    ] {
        let mut line = early.to_string();
        line.push_str(&"I had a long day at work. ".repeat(80));
        line.push_str("tonight I want to kill myself");
        line.push_str(&" and more".repeat(50));
        let rows = reframe(&[
            "--format",
            "jsonl",
            "--max-line-bytes",
            "1000",
            "--exit-code",
        ])
        .stdin(format!("{line}\nI did fine today\n"))
        .run()
        .code(3)
        .jsonl();
        assert_eq!(rows.len(), 2, "one row for each line: {rows:?}");
        assert_eq!(rows[0]["line"], 1, "{:?}", rows[0]);
        assert_eq!(rows[0]["safety"]["level"], "crisis", "{:?}", rows[0]);
        assert_eq!(rows[1]["line"], 2, "{:?}", rows[1]);
    }
}

#[test]
fn a_file_saved_as_utf16_with_its_byte_order_mark_is_read_as_text() {
    let text = "I had a nice lunch\r\nI want to kill myself\r\n";
    let little: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let big: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (order, bytes) in [("little-endian", little), ("big-endian", big)] {
        let rows = reframe(&["--format", "jsonl", "--exit-code"])
            .stdin(bytes)
            .run()
            .code(3)
            .jsonl();
        assert_eq!(rows.len(), 2, "{order}: {rows:?}");
        assert_eq!(rows[0]["text"], "I had a nice lunch", "{order}");
        assert_eq!(rows[1]["text"], "I want to kill myself", "{order}");
        assert_eq!(rows[1]["safety"]["level"], "crisis", "{order}");
    }
}
