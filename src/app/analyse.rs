//! Analysing thoughts: one given on the command line, or many read line by line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use anyhow::Context;
use reframe::Engine;
use reframe::batch::{Line, LineReader};
use reframe::output::json::{self, JsonWriter};
use reframe::output::summary::Summary;
use reframe::output::{Format, Palette, text};
use reframe::resources::Region;

use super::warn;
use crate::config::{Config, Input};
use crate::exit_code::ExitCode;
use reframe::rules::Category;

/// Analyses one thought and answers for a person (or a program).
pub fn one_shot(
    config: &Config,
    engine: &Engine,
    region: &Region,
    thought: &str,
) -> anyhow::Result<ExitCode> {
    let analysis = engine.analyse(thought);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match config.format {
        Format::Text => text::write_answer(
            &mut out,
            &analysis,
            region,
            &Palette::new(config.color_stdout),
        )?,
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
            analysis.is_empty(),
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

/// Analyses every non-blank line of every input, in order, streaming the output.
pub fn batch(
    config: &Config,
    engine: &Engine,
    region: &Region,
    inputs: &[Input],
    summary: bool,
) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let palette = Palette::new(config.color_stdout);
    let mut json_writer = JsonWriter::default();
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
        let reader: Box<dyn BufRead> = match input {
            Input::Stdin => Box::new(io::stdin().lock()),
            Input::File(path) => match File::open(path) {
                Ok(file) => Box::new(BufReader::with_capacity(64 * 1024, file)),
                Err(error) => {
                    warn(format_args!("cannot read {name}: {error}"));
                    progress.failed = true;
                    continue;
                }
            },
        };
        let source = named.then_some(name.as_str());
        let mut lines = LineReader::new(reader);
        loop {
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
                Line::Invalid { number } => {
                    warn(format_args!(
                        "{name}:{number}: not valid UTF-8; line skipped"
                    ));
                    progress.failed = true;
                    progress.summary.add_unreadable();
                }
                Line::Text {
                    number,
                    text: thought,
                } => {
                    let analysis = engine.analyse(thought);
                    progress.found |= !analysis.findings.is_empty();
                    if let Some(found) = &analysis.safety {
                        // Said on stderr too, so a person running a file of thoughts sees it
                        // even when the output goes to a file or another program.
                        progress.crisis = true;
                        warn(format_args!(
                            "{name}:{number}: this thought speaks of {}; its output shows crisis resources, not a reframe",
                            match found.category {
                                Category::Suicide => "suicide or not wanting to live",
                                Category::SelfHarm => "self-harm",
                                Category::HarmFromOthers => "being hurt or in danger",
                            }
                        ));
                    }
                    if summary {
                        progress.summary.add(&analysis);
                    }
                    let json_source = Some(name.as_str());
                    match config.format {
                        Format::Text => {
                            text::write_row(&mut out, source, number, &analysis, region, &palette)?
                        }
                        Format::Json => json_writer.write(
                            &mut out,
                            &analysis,
                            json_source,
                            Some(number),
                            region,
                        )?,
                        Format::Jsonl => json::write_line(
                            &mut out,
                            &analysis,
                            json_source,
                            Some(number),
                            region,
                        )?,
                    }
                }
            }
        }
    }
    if config.format == Format::Json {
        json_writer.finish(&mut out)?;
    }
    if summary {
        if config.format == Format::Text {
            writeln!(out)?;
            progress.summary.write(&mut out, &palette)?;
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
