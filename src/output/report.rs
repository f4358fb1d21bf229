//! The evaluation report as a table for a person, or as JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::eval::Report;
use crate::eval::crisis::{CrisisExplanation, CrisisReport, SubtypeTally, Tally};
use crate::eval::nearest::{ExceptionList, Nearest};
use crate::rules::SAFETY_ID;

/// Writes the report as aligned tables: the distortion scores, then the crisis check's when the
/// file has rows labelled for it. A file with crisis rows alone says distortions were not scored
/// rather than print an empty table.
pub fn write_table(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    match &report.crisis {
        Some(crisis) if report.labelled_rows == 0 => {
            writeln!(out, "distortions: not scored, no row has \"labels\"")?;
            writeln!(out)?;
            write_crisis_table(out, crisis)
        }
        Some(crisis) => {
            write_distortion_table(out, report)?;
            writeln!(out)?;
            write_crisis_table(out, crisis)
        }
        None => write_distortion_table(out, report),
    }
}

fn write_distortion_table(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let width = report
        .distortions
        .iter()
        .map(|d| d.id.len())
        .max()
        .unwrap_or(0)
        .max("macro average".len());
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>6}  {:>6}  {:>7}",
        "distortion", "precision", "recall", "f1", "support"
    )?;
    for d in &report.distortions {
        writeln!(
            out,
            "{:<width$}  {:>9.3}  {:>6.3}  {:>6.3}  {:>7}",
            d.id, d.scores.precision, d.scores.recall, d.scores.f1, d.support
        )?;
    }
    let m = &report.macro_average;
    writeln!(
        out,
        "{:<width$}  {:>9.3}  {:>6.3}  {:>6.3}  {:>7}",
        "macro average", m.precision, m.recall, m.f1, ""
    )?;
    writeln!(out)?;
    let b = &report.distorted_vs_none;
    let c = &report.distorted_vs_none_counts;
    writeln!(
        out,
        "distorted vs none: precision {:.3}, recall {:.3}, f1 {:.3} ({} rows, {} labelled distorted)",
        b.precision,
        b.recall,
        b.f1,
        report.labelled_rows,
        c.tp + c.fn_
    )?;
    let rate = if report.neutral_rows == 0 {
        0.0
    } else {
        report.neutral_flagged as f64 / report.neutral_rows as f64
    };
    writeln!(
        out,
        "neutral rows flagged: {} of {} ({:.1}%)",
        report.neutral_flagged,
        report.neutral_rows,
        rate * 100.0
    )?;
    writeln!(
        out,
        "crisis language (answered with crisis resources, no findings): {} rows",
        report.crisis_rows
    )?;
    if !report.unlabelled.is_empty() {
        let list: Vec<String> = report
            .unlabelled
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        writeln!(
            out,
            "reported but never labelled in this file: {}",
            list.join(", ")
        )?;
    }
    Ok(())
}

/// The crisis check: recall over crisis rows and false alarms over the rest, each per subtype,
/// then the crisis rows given a reframe, marked when there are any.
fn write_crisis_table(out: &mut dyn Write, crisis: &CrisisReport) -> io::Result<()> {
    let groups = || {
        crisis
            .recall_by_subtype
            .iter()
            .chain(&crisis.false_alarms_by_subtype)
    };
    let width = groups()
        .map(|g| 2 + subtype_name(g).len())
        .chain(["crisis check".len(), "false alarms".len()])
        .max()
        .unwrap_or(0);
    let digits = |f: fn(&Tally) -> usize| {
        groups()
            .map(|g| &g.tally)
            .chain([&crisis.recall, &crisis.false_alarms])
            .map(|t| f(t).to_string().len())
            .max()
            .unwrap_or(1)
    };
    let rows = digits(|t| t.rows);
    // "answered" heads the column "N of M"; N widens to keep the header above it.
    let answered = digits(|t| t.answered).max("answered".len().saturating_sub(" of ".len() + rows));
    let answered_width = answered + " of ".len() + rows;
    writeln!(
        out,
        "{:<width$}  {:>answered_width$}  {:>5}  {:>6}  {:>7}  {:>7}",
        "crisis check", "answered", "rate", "crisis", "concern", "mention"
    )?;
    let line = |out: &mut dyn Write, name: &str, t: &Tally| {
        writeln!(
            out,
            "{:<width$}  {:>answered$} of {:<rows$}  {:>5.3}  {:>6}  {:>7}  {:>7}",
            name, t.answered, t.rows, t.rate, t.by_level.crisis, t.by_level.concern, t.mention
        )
    };
    line(out, "recall", &crisis.recall)?;
    for group in &crisis.recall_by_subtype {
        line(out, &format!("  {}", subtype_name(group)), &group.tally)?;
    }
    line(out, "false alarms", &crisis.false_alarms)?;
    for group in &crisis.false_alarms_by_subtype {
        line(out, &format!("  {}", subtype_name(group)), &group.tally)?;
    }
    if crisis.reframed == 0 {
        writeln!(out, "crisis rows given a reframe: 0")
    } else {
        writeln!(
            out,
            "!! crisis rows given a reframe: {} (must be 0; `--explain {SAFETY_ID}` lists them)",
            crisis.reframed
        )
    }
}

/// How a subtype is named in the text report.
fn subtype_name(group: &SubtypeTally) -> &str {
    group.subtype.as_deref().unwrap_or("(no subtype)")
}

/// Writes the report as one JSON document.
pub fn write_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    write_versioned(out, report)
}

/// Writes `document` as one pretty JSON document with the output format's `version` first.
fn write_versioned(out: &mut dyn Write, document: &impl Serialize) -> io::Result<()> {
    #[derive(Serialize)]
    struct Versioned<'a, T: Serialize> {
        version: u32,
        #[serde(flatten)]
        document: &'a T,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Versioned {
            version: super::json::VERSION,
            document,
        },
    )?;
    out.write_all(b"\n")
}

/// Writes the reports of several files, and the one over all their rows, as one JSON document:
/// `files` (each with its `file` and its report) and `combined`.
pub fn write_json_files(
    out: &mut dyn Write,
    reports: &[(&std::path::Path, Report)],
    all: &Report,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct One<'a> {
        file: String,
        #[serde(flatten)]
        report: &'a Report,
    }
    #[derive(Serialize)]
    struct Files<'a> {
        files: Vec<One<'a>>,
        combined: &'a Report,
    }
    let files = reports
        .iter()
        .map(|(file, report)| One {
            file: file.display().to_string(),
            report,
        })
        .collect();
    write_versioned(
        out,
        &Files {
            files,
            combined: all,
        },
    )
}

/// Writes a line per file, and one for all of them together, to compare them by: the macro
/// average of the distortions and how many rows it is over.
pub fn write_file_lines(
    out: &mut dyn Write,
    reports: &[(&std::path::Path, Report)],
    all: &Report,
) -> io::Result<()> {
    let names: Vec<String> = reports
        .iter()
        .map(|(file, _)| file.display().to_string())
        .chain(["all together".to_string()])
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>6}  {:>6}  {:>6}",
        "macro average", "precision", "recall", "f1", "rows"
    )?;
    let rows = reports.iter().map(|(_, r)| r).chain([all]);
    for (name, report) in names.iter().zip(rows) {
        let m = &report.macro_average;
        writeln!(
            out,
            "{name:<width$}  {:>9.3}  {:>6.3}  {:>6.3}  {:>6}",
            m.precision, m.recall, m.f1, report.labelled_rows
        )?;
    }
    Ok(())
}

/// Writes the rows each distortion got wrong, for `--explain`, then the crisis check's; `only`
/// names one distortion, or [`SAFETY_ID`] for the crisis check alone.
pub fn write_explanations(
    out: &mut dyn Write,
    report: &Report,
    only: Option<&str>,
) -> io::Result<()> {
    for (id, explained) in &report.explanations {
        if only.is_some_and(|only| only != id) {
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "== {id}: {} false positives, {} misses",
            explained.false_positives.len(),
            explained.misses.len()
        )?;
        for fp in &explained.false_positives {
            let labels = if fp.labels.is_empty() {
                "none".to_string()
            } else {
                fp.labels.join(",")
            };
            writeln!(
                out,
                "  FP {:>5} [{}] {:?} by {}: {}",
                fp.line, labels, fp.matched, fp.pattern, fp.text
            )?;
        }
        for miss in &explained.misses {
            let reported = if miss.reported.is_empty() {
                "nothing".to_string()
            } else {
                miss.reported.join(", ")
            };
            writeln!(out, "  FN {:>5} (got {reported}): {}", miss.line, miss.text)?;
            if let Some(nearest) = &miss.nearest {
                writeln!(out, "           nearest: {}", nearest_note(id, nearest))?;
            }
        }
    }
    let explained = report.crisis.as_ref().and_then(|c| c.explanation.as_ref());
    if let Some(explained) = explained
        && only.is_none_or(|only| only == SAFETY_ID)
    {
        write_crisis_explanation(out, explained)?;
    }
    Ok(())
}

/// In plain words, how near the rules of the distortion `id` came to a row they missed.
fn nearest_note(id: &str, nearest: &Nearest) -> String {
    let quoted = |phrases: &[String]| {
        phrases
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match nearest {
        Nearest::Unreported { pattern, matched } => format!(
            "{id}/{pattern} matched {matched:?} and no exception cancelled it; the thought was \
             not reframed, as it speaks of crisis or names suicide or self-harm"
        ),
        Nearest::Cancelled {
            pattern,
            matched,
            exception,
        } => {
            let whose = match exception.list {
                ExceptionList::Distortion => "the distortion's",
                ExceptionList::Pattern => "the pattern's",
            };
            format!(
                "{id}/{pattern} matched {matched:?}, cancelled by {whose} unless on line {}, \
                 which matched {:?}",
                exception.line, exception.matched
            )
        }
        Nearest::Partial {
            pattern,
            found,
            missing,
            ..
        } if missing.is_empty() => format!(
            "{id}/{pattern} has {}, but not in the order or form it matches",
            quoted(found)
        ),
        Nearest::Partial {
            pattern,
            found,
            missing,
            missing_others,
            ..
        } => {
            let more = match missing_others {
                0 => String::new(),
                n => format!(" or {n} more"),
            };
            format!(
                "{id}/{pattern} has {} but not one of {}{more}",
                quoted(found),
                quoted(missing)
            )
        }
        Nearest::NoneNear => format!("no pattern of {id} comes near"),
    }
}

/// The crisis check's false alarms, with every match, and its misses, marking those that were
/// given a reframe.
fn write_crisis_explanation(out: &mut dyn Write, explained: &CrisisExplanation) -> io::Result<()> {
    let reframed = explained
        .misses
        .iter()
        .filter(|m| !m.reframed_as.is_empty())
        .count();
    writeln!(out)?;
    writeln!(
        out,
        "== {SAFETY_ID}: {} false alarms, {} misses ({reframed} given a reframe)",
        explained.false_alarms.len(),
        explained.misses.len()
    )?;
    let subtype = |s: &Option<String>| s.as_deref().unwrap_or("no subtype").to_string();
    for alarm in &explained.false_alarms {
        let matches: Vec<String> = alarm
            .matches
            .iter()
            .map(|m| format!("{:?} by {}", m.matched, m.pattern))
            .collect();
        writeln!(
            out,
            "  FP {:>5} [{}] {} {}: {}",
            alarm.line,
            subtype(&alarm.subtype),
            alarm.level,
            matches.join(", "),
            alarm.text
        )?;
    }
    for miss in &explained.misses {
        let got = if miss.mentions_suicide {
            "not reframed, as it names suicide".to_string()
        } else if miss.reframed_as.is_empty() {
            "got nothing".to_string()
        } else {
            format!("REFRAMED as {}", miss.reframed_as.join(", "))
        };
        writeln!(
            out,
            "  FN {:>5} [{}] ({got}): {}",
            miss.line,
            subtype(&miss.subtype),
            miss.text
        )?;
    }
    Ok(())
}
