//! `reframe eval FILE.jsonl...`: score the rules against labelled thoughts, for distortions and
//! for the crisis check; with several files, each on its own and then all of them together.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use reframe::Engine;
use reframe::batch::{Line, LineReader};
use reframe::eval::{Evaluator, Report, Row};
use reframe::output::report;

use super::warn;
use crate::exit_code::ExitCode;

/// Scores every row of each of `files`; bad rows, and rows longer than `max_line_bytes`, are
/// reported and skipped, and make the exit code 2. With one file the report is that file's; with
/// several, a report per file, then one over all their rows (its macro average over every
/// distortion labelled in any of them), then a line per file to compare them by.
pub fn run(
    engine: &Engine,
    files: &[PathBuf],
    max_line_bytes: usize,
    json: bool,
    explain: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let evaluator = || {
        let evaluator = Evaluator::new(engine);
        match explain {
            Some(_) => evaluator.explaining(),
            None => evaluator,
        }
    };
    let mut all = evaluator();
    let mut reports = Vec::new();
    let mut failed = false;
    for file in files {
        let mut one = evaluator();
        // With one file, its report is the whole answer: scoring its rows for all files too
        // would only repeat the work (the explanations' most of all).
        let evaluators: &mut [&mut Evaluator] = if files.len() == 1 {
            &mut [&mut one]
        } else {
            &mut [&mut one, &mut all]
        };
        failed |= score(engine, file, max_line_bytes, evaluators)?;
        reports.push((file.as_path(), one.finish()));
    }
    let mut out = io::stdout().lock();
    if let [(file, report)] = reports.as_slice() {
        write_one(&mut out, file, report, json, explain)?;
    } else {
        let all = all.finish();
        if json {
            report::write_json_files(&mut out, &reports, &all)?;
        }
        for (file, report) in &reports {
            if report.rows == 0 {
                out.flush()?;
                anyhow::bail!("{}: no rows to score", file.display());
            }
        }
        if !json {
            for (file, report) in &reports {
                writeln!(out, "== {} ==", file.display())?;
                write_one(&mut out, file, report, false, explain)?;
                writeln!(out)?;
            }
            writeln!(out, "== all {} files together ==", reports.len())?;
            report::write_table(&mut out, &all)?;
            writeln!(out)?;
            report::write_file_lines(&mut out, &reports, &all)?;
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::Error
    } else {
        ExitCode::Success
    })
}

/// Writes the report of one `file`: as JSON, or as a table with the explanations asked for. A
/// file with no rows to score is an error: tables of zeros would read as a measurement, and a
/// program reading the JSON gets its document, `rows` 0, and the exit code.
fn write_one(
    out: &mut dyn Write,
    file: &Path,
    report: &Report,
    json: bool,
    explain: Option<&str>,
) -> anyhow::Result<()> {
    if json {
        report::write_json(out, report)?;
    }
    if report.rows == 0 {
        out.flush()?;
        anyhow::bail!("{}: no rows to score", file.display());
    }
    if !json {
        report::write_table(out, report)?;
        if let Some(only) = explain {
            report::write_explanations(out, report, (!only.is_empty()).then_some(only))?;
        }
    }
    Ok(())
}

/// Adds every row of `file` to each of `evaluators`, analysed once with `engine`; returns
/// whether a row had to be skipped.
fn score<'e>(
    engine: &'e Engine,
    file: &Path,
    max_line_bytes: usize,
    evaluators: &mut [&mut Evaluator<'e>],
) -> anyhow::Result<bool> {
    let name = file.display();
    let reader = File::open(file).with_context(|| format!("cannot read {name}"))?;
    let mut lines = LineReader::with_limit(BufReader::new(reader), max_line_bytes);
    let mut failed = false;
    while let Some(line) = lines
        .next()
        .with_context(|| format!("cannot read {name}"))?
    {
        match line {
            Line::Invalid { number, .. } => {
                warn(format_args!(
                    "{name}:{number}: not valid UTF-8; row skipped"
                ));
                failed = true;
            }
            Line::TooLong { number, .. } => {
                warn(format_args!(
                    "{name}:{number}: longer than {max_line_bytes} bytes (see --max-line-bytes); row skipped"
                ));
                lines.skip_line();
                failed = true;
            }
            Line::Text { number, text } => match serde_json::from_str::<Row>(text) {
                Ok(row) => {
                    // The same row for each: refused by one, refused by all.
                    let analysis = engine.analyse(&row.text);
                    let mut refused = None;
                    for evaluator in evaluators.iter_mut() {
                        if let Err(unknown) = evaluator.add_analysed(number, &row, &analysis) {
                            refused = Some(unknown);
                        }
                    }
                    if let Some(unknown) = refused {
                        warn(format_args!("{name}:{number}: {unknown}; row skipped"));
                        failed = true;
                    }
                }
                Err(error) => {
                    warn(format_args!("{name}:{number}: {error}; row skipped"));
                    failed = true;
                }
            },
        }
    }
    Ok(failed)
}
