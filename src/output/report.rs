//! The evaluation report as a table for a person, or as JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::eval::Report;

/// Writes the report as an aligned table.
pub fn write_table(out: &mut dyn Write, report: &Report) -> io::Result<()> {
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
        report.rows,
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

/// Writes the report as one JSON document.
pub fn write_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    #[derive(Serialize)]
    struct Versioned<'a> {
        version: u32,
        #[serde(flatten)]
        report: &'a Report,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Versioned {
            version: super::json::VERSION,
            report,
        },
    )?;
    out.write_all(b"\n")
}

/// Writes the rows each distortion got wrong, for `--explain`.
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
        }
    }
    Ok(())
}
