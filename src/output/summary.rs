//! The `--summary` table: how often each distortion appeared in a batch.

use std::io::{self, Write};

use super::Palette;
use crate::analysis::Analysis;
use crate::rules::Level;

/// The widest bar, in characters.
const BAR_WIDTH: usize = 30;

/// Counts of a batch's findings.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    thoughts: usize,
    with_findings: usize,
    with_safety: usize,
    with_concern: usize,
    with_mention: usize,
    skipped: usize,
    too_long: usize,
    /// (id, name, thoughts it appeared in), in first-seen order until printed.
    counts: Vec<(String, String, usize)>,
}

impl Summary {
    /// Counts one analysed thought.
    pub fn add(&mut self, analysis: &Analysis) {
        self.thoughts += 1;
        match analysis.safety.as_ref().map(|found| found.level) {
            Some(Level::Crisis) => self.with_safety += 1,
            Some(Level::Concern) => self.with_concern += 1,
            None => {}
        }
        self.with_mention += usize::from(analysis.mentions_suicide);
        if !analysis.findings.is_empty() {
            self.with_findings += 1;
        }
        for finding in &analysis.findings {
            let d = finding.distortion;
            match self.counts.iter_mut().find(|(id, _, _)| *id == d.id) {
                Some(entry) => entry.2 += 1,
                None => self.counts.push((d.id.clone(), d.name.clone(), 1)),
            }
        }
    }

    /// Counts a line that is not valid UTF-8 and was skipped, having no crisis language. One that
    /// had some was answered, and is counted with [`Summary::add`] instead, as a thought.
    pub fn add_skipped(&mut self) {
        self.skipped += 1;
    }

    /// Counts a line longer than the batch's limit that was skipped, having no crisis language.
    /// One that had some was answered, and is counted with [`Summary::add`] instead.
    pub fn add_too_long(&mut self) {
        self.too_long += 1;
    }

    /// Writes the table, most frequent first, ties by id.
    pub fn write(&self, out: &mut dyn Write, palette: &Palette) -> io::Result<()> {
        let mut rows = self.counts.clone();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        // The rarer counts are shown only when there is one, so the usual line stays short.
        let optional: String = [
            (self.with_concern, "with a warning sign"),
            (
                self.with_mention,
                "naming suicide or self-harm (not reframed)",
            ),
            (
                self.skipped,
                "line(s) not valid UTF-8 skipped after the crisis check",
            ),
            (
                self.too_long,
                "line(s) over --max-line-bytes skipped after the crisis check",
            ),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!(", {count} {what}"))
        .collect();
        writeln!(
            out,
            "{} {} thought{}, {} with a thinking trap recognised, {} with crisis language{optional}",
            palette.heading.apply_to("Summary:"),
            self.thoughts,
            if self.thoughts == 1 { "" } else { "s" },
            self.with_findings,
            self.with_safety,
        )?;
        let width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        let most = rows.first().map_or(1, |r| r.2);
        let glyph = if palette.enabled { "█" } else { "#" };
        for (_, name, count) in rows {
            let len = (count * BAR_WIDTH).div_ceil(most);
            writeln!(
                out,
                "  {name:<width$}  {count:>6}  {}",
                palette.bar.apply_to(glyph.repeat(len))
            )?;
        }
        Ok(())
    }
}
