//! `reframe eval FILE.jsonl`: score the rules against labelled thoughts, for distortions and for
//! the crisis check.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;

use anyhow::Context;
use reframe::Engine;
use reframe::batch::{Line, LineReader};
use reframe::eval::{Evaluator, Row};
use reframe::output::report;

use super::warn;
use crate::exit_code::ExitCode;

/// Scores every row of `file`; bad rows, and rows longer than `max_line_bytes`, are reported and
/// skipped, and make the exit code 2.
pub fn run(
    engine: &Engine,
    file: &Path,
    max_line_bytes: usize,
    json: bool,
    explain: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let name = file.display();
    let reader = File::open(file).with_context(|| format!("cannot read {name}"))?;
    let mut lines = LineReader::with_limit(BufReader::new(reader), max_line_bytes);
    let mut evaluator = Evaluator::new(engine);
    if explain.is_some() {
        evaluator = evaluator.explaining();
    }
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
                    if let Err(unknown) = evaluator.add(number, &row) {
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
    let report = evaluator.finish();
    let mut out = io::stdout().lock();
    if json {
        report::write_json(&mut out, &report)?;
    }
    // Tables of zeros would read as a measurement; a program reading the JSON gets its document,
    // `rows` 0, and the exit code.
    if report.rows == 0 {
        out.flush()?;
        anyhow::bail!("{name}: no rows to score");
    }
    if !json {
        report::write_table(&mut out, &report)?;
        if let Some(only) = explain {
            report::write_explanations(&mut out, &report, (!only.is_empty()).then_some(only))?;
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::Error
    } else {
        ExitCode::Success
    })
}
