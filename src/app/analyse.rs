//! Analysing thoughts: one given on the command line, or many read line by line.
//!
//! Both can run in [`Answer::CrisisOnly`], when the rules or settings a person asked for could not
//! be loaded: then the engine holds only the built-in crisis check, crisis language is answered as
//! always, and every other thought is left out (the caller reports why afterwards).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};

use anyhow::Context;
use reframe::Engine;
use reframe::analysis::{Analysis, SafetyFinding};
use reframe::batch::{Line, LineReader, decode_lossy};
use reframe::output::json::{self, JsonWriter};
use reframe::output::summary::Summary;
use reframe::output::{Format, Palette, text};
use reframe::resources::Region;
use reframe::rules::{Category, Level};

use super::warn;
use crate::config::{Config, Input};
use crate::exit_code::ExitCode;

/// Which thoughts get an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Every thought: thinking traps, nothing recognised, and crisis language.
    All,
    /// Only thoughts with crisis language; the others are left out of the output.
    CrisisOnly,
}

/// Analyses one thought and answers for a person (or a program).
pub fn one_shot(
    config: &Config,
    engine: &Engine,
    region: &Region,
    thought: &str,
    answer: Answer,
) -> anyhow::Result<ExitCode> {
    let analysis = engine.analyse(thought);
    if answer == Answer::CrisisOnly && analysis.safety.is_none() {
        return Ok(ExitCode::Success);
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match config.format {
        Format::Text => {
            let mut answer = Vec::new();
            text::write_answer(
                &mut answer,
                &analysis,
                region,
                &Palette::new(config.color_stdout),
            )?;
            let answer = String::from_utf8_lossy(&answer);
            super::write_prose(&mut out, answer.trim_end_matches('\n'), config.width)?;
        }
        Format::Json => {
            let mut writer = JsonWriter::default();
            writer.write(&mut out, &analysis, None, None, region)?;
            writer.finish(&mut out)?;
        }
        Format::Jsonl => json::write_line(&mut out, &analysis, None, None, region)?,
    }
    out.flush()?;
    Ok(
        match (
            config.exit_code,
            analysis.safety.is_some(),
            analysis.findings.is_empty(),
        ) {
            (true, true, _) => ExitCode::Crisis,
            (true, false, false) => ExitCode::Found,
            _ => ExitCode::Success,
        },
    )
}

/// What a batch has seen so far.
struct Progress {
    found: bool,
    crisis: bool,
    failed: bool,
    summary: Summary,
}

/// Where a batch writes its rows, and how.
struct Rows<'a, W: Write> {
    out: W,
    format: Format,
    json: JsonWriter,
    palette: Palette,
    region: &'a Region,
    summary: bool,
}

impl<W: Write> Rows<'_, W> {
    /// Writes the row for one analysed line (and notes crisis language on standard error).
    /// `source` is named in text rows only when there is more than one input.
    fn write(
        &mut self,
        progress: &mut Progress,
        name: &str,
        source: Option<&str>,
        number: usize,
        analysis: &Analysis,
    ) -> io::Result<()> {
        progress.found |= !analysis.findings.is_empty();
        if self.summary {
            progress.summary.add(analysis);
        }
        let (out, region) = (&mut self.out, self.region);
        match self.format {
            Format::Text => text::write_row(out, source, number, analysis, region, &self.palette)?,
            Format::Json => self
                .json
                .write(out, analysis, Some(name), Some(number), region)?,
            Format::Jsonl => json::write_line(out, analysis, Some(name), Some(number), region)?,
        }
        if let Some(found) = &analysis.safety {
            // Said on stderr too, so a person running a file of thoughts sees it even when the
            // output goes to a file or another program; the row goes out first, so on a terminal
            // the note comes after it.
            progress.crisis = true;
            out.flush()?;
            note_safety(name, number, found);
        }
        Ok(())
    }
}

/// Says on standard error that line `number` of `name` was answered with crisis resources.
fn note_safety(name: &str, number: usize, found: &SafetyFinding) {
    let about = match found.category {
        Category::Suicide => "suicide or not wanting to live",
        Category::SelfHarm => "self-harm",
        Category::HarmFromOthers => "being hurt or in danger",
    };
    let said = match found.level {
        Level::Crisis => "speaks of",
        Level::Concern => "has a warning sign of",
    };
    warn(format_args!(
        "{name}:{number}: this thought {said} {about}; its output shows crisis resources, not a reframe"
    ));
}

/// Analyses every non-blank line of every input, in order, streaming the output. A line that is
/// not valid UTF-8 is checked for crisis language (see [`decode_lossy`]) and otherwise skipped;
/// so is a line longer than `config.max_line_bytes`, piece by piece, in bounded memory.
pub fn batch(
    config: &Config,
    engine: &Engine,
    region: &Region,
    inputs: &[Input],
    summary: bool,
    answer: Answer,
) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    // Only crisis rows are written without the full rules, and a table of thinking traps that
    // were never looked for would mislead.
    let summary = summary && answer == Answer::All;
    let mut rows = Rows {
        out: BufWriter::with_capacity(64 * 1024, stdout.lock()),
        format: config.format,
        json: JsonWriter::default(),
        palette: Palette::new(config.color_stdout),
        region,
        summary,
    };
    let mut progress = Progress {
        found: false,
        crisis: false,
        failed: false,
        summary: Summary::default(),
    };
    // Name the source in each row only when there is more than one, as grep does.
    let named = inputs.len() > 1;
    for input in inputs {
        let name = input.name();
        let reader: Box<dyn Read> = match input {
            Input::Stdin => Box::new(io::stdin()),
            Input::File(path) => match File::open(path) {
                Ok(file) => Box::new(file),
                Err(error) => {
                    warn(format_args!("cannot read {name}: {error}"));
                    progress.failed = true;
                    continue;
                }
            },
        };
        let source = named.then_some(name.as_str());
        // A file that starts with a UTF-16 byte order mark (PowerShell 5's `>` writes one) is
        // read as UTF-16: as bytes, its every other byte is a NUL, and no word in it would be
        // seen, crisis words least of all. Other input passes through as it is.
        let reader = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .build(reader);
        let mut lines = LineReader::with_limit(
            BufReader::with_capacity(64 * 1024, reader),
            config.max_line_bytes,
        );
        // For a line over the limit: the most serious answer among its pieces so far, by
        // `seriousness`, with the text of the piece that gave it.
        let mut most_serious: Option<(u8, String)> = None;
        loop {
            // Rows stream: whatever is written goes out before a read that may wait, so a person
            // typing into a pipe (or `tail -f` feeding one) sees each answer, crisis lines above
            // all, as soon as it is ready; a file still goes out in large writes.
            if lines.get_ref().buffer().is_empty() {
                rows.out.flush()?;
            }
            let line = match lines.next() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(error) => {
                    warn(format_args!("cannot read {name}: {error}"));
                    progress.failed = true;
                    break;
                }
            };
            match line {
                Line::Invalid { number, bytes } => {
                    // Crisis language must not hide behind an encoding: such lines are checked
                    // on a lossy decoding, and only crisis language in them is answered.
                    let decoded = decode_lossy(bytes);
                    let analysis = engine.analyse(&decoded);
                    let crisis = analysis.safety.is_some();
                    // Counted once in the summary: as the thought with crisis language it is,
                    // or else as a line skipped.
                    if crisis {
                        rows.write(&mut progress, &name, source, number, &analysis)?;
                    } else {
                        progress.summary.add_skipped();
                    }
                    // The rows before go out first, so the note follows them on a terminal.
                    rows.out.flush()?;
                    warn(format_args!(
                        "{name}:{number}: not valid UTF-8; {}",
                        if crisis {
                            "read as Windows-1252 and checked for crisis language only"
                        } else {
                            "checked for crisis language only, then skipped"
                        }
                    ));
                    progress.failed = true;
                }
                Line::TooLong {
                    number,
                    bytes,
                    first,
                    last,
                } => {
                    // Said at once: an input with no line break (`-f /dev/zero`) is one line
                    // that never ends.
                    if first {
                        rows.out.flush()?;
                        warn(format_args!(
                            "{name}:{number}: longer than {} bytes (see --max-line-bytes); \
                             checked for crisis language only, and otherwise skipped",
                            config.max_line_bytes
                        ));
                        progress.failed = true;
                    }
                    // Crisis language must not hide behind length either: every piece is
                    // checked, and the line is answered once, with the most serious answer of
                    // any piece (crisis language, then a warning sign, then a mention of
                    // suicide). Checking only the first piece was the simpler choice, but a file
                    // saved with old Mac line breaks (`\r` alone) is one long line of many
                    // thoughts, and a mention early in it must not hide crisis words later.
                    if first {
                        most_serious = None;
                    }
                    let decoded = match std::str::from_utf8(bytes) {
                        Ok(text) => Cow::Borrowed(text),
                        Err(_) => Cow::Owned(decode_lossy(bytes)),
                    };
                    let rank = seriousness(&engine.analyse(&decoded));
                    if rank > most_serious.as_ref().map_or(0, |(r, _)| *r) {
                        most_serious = Some((rank, decoded.into_owned()));
                    }
                    // Nothing is more serious than crisis language: the rest need not be read.
                    let done = last || rank == CRISIS;
                    if done {
                        match most_serious.take() {
                            Some((_, text)) => {
                                let analysis = engine.analyse(&text);
                                rows.write(&mut progress, &name, source, number, &analysis)?;
                            }
                            None => progress.summary.add_too_long(),
                        }
                        if !last {
                            lines.skip_line();
                        }
                    }
                }
                Line::Text {
                    number,
                    text: thought,
                } => {
                    let analysis = engine.analyse(thought);
                    if answer == Answer::All || analysis.safety.is_some() {
                        rows.write(&mut progress, &name, source, number, &analysis)?;
                    }
                }
            }
        }
    }
    let mut out = rows.out;
    if config.format == Format::Json {
        rows.json.finish(&mut out)?;
    }
    if summary {
        if config.format == Format::Text {
            writeln!(out)?;
            progress.summary.write(&mut out, &rows.palette)?;
        } else {
            out.flush()?;
            let stderr = io::stderr();
            progress
                .summary
                .write(&mut stderr.lock(), &Palette::new(config.color_stderr))
                .context("cannot write the summary")?;
        }
    }
    out.flush()?;
    Ok(if config.exit_code && progress.crisis {
        ExitCode::Crisis
    } else if progress.failed {
        ExitCode::Error
    } else if config.exit_code && progress.found {
        ExitCode::Found
    } else {
        ExitCode::Success
    })
}

/// The rank [`seriousness`] gives crisis language, the highest.
const CRISIS: u8 = 3;

/// How serious the safety answer to `analysis` is: 3 for crisis language, 2 for a warning sign,
/// 1 for a mention of suicide or self-harm, 0 for none.
fn seriousness(analysis: &reframe::analysis::Analysis) -> u8 {
    match &analysis.safety {
        Some(found) if found.level == Level::Crisis => CRISIS,
        Some(_) => 2,
        None if analysis.mentions_suicide => 1,
        None => 0,
    }
}
