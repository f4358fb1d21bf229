//! Text for a person: the one-shot answer, and one block per line in a batch.

use std::io::{self, Write};
use std::ops::Range;

use super::Palette;
use super::safety;
use crate::analysis::Analysis;
use crate::resources::Region;

/// Questions offered when no thinking trap was recognised: they fit any upsetting thought.
pub const GENERAL_QUESTIONS: [&str; 3] = [
    "What are the facts here, and which parts are your interpretation of them?",
    "What would you say to a friend who told you this about themselves?",
    "What is one small, kind thing you could do for yourself today?",
];

/// The thought with every matched span highlighted. Overlapping spans are merged; without colour
/// the spans are marked with square brackets so they still show in plain text.
pub fn highlight(analysis: &Analysis, palette: &Palette) -> String {
    let mut spans: Vec<Range<usize>> = analysis
        .findings
        .iter()
        .flat_map(|f| f.matches.iter().map(|m| m.span.bytes.clone()))
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    let text = analysis.text;
    let mut out = String::with_capacity(text.len() + merged.len() * 12);
    let mut at = 0;
    for span in merged {
        out.push_str(&text[at..span.start]);
        let words = &text[span.clone()];
        if palette.enabled {
            out.push_str(&palette.trigger.apply_to(words).to_string());
        } else {
            out.push('[');
            out.push_str(words);
            out.push(']');
        }
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Writes the one-shot answer for a person. Crisis language gets crisis resources from `region`
/// and nothing else.
pub fn write_answer(
    out: &mut dyn Write,
    analysis: &Analysis,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    if let Some(found) = &analysis.safety {
        return safety::write_answer(out, found, region, palette);
    }
    if analysis.mentions_suicide {
        return safety::write_mention(out, region, palette);
    }
    writeln!(out, "{}", highlight(analysis, palette))?;
    if analysis.findings.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "I didn't recognise a common thinking trap in these words. That doesn't settle anything \
             about how you feel; these questions may still help you look at the thought:"
        )?;
        for question in GENERAL_QUESTIONS {
            writeln!(out, "  - {question}")?;
        }
        return Ok(());
    }
    // One finding gets room for two reframes and three questions; several share the space.
    let (reframes, questions) = if analysis.findings.len() == 1 {
        (2, 3)
    } else {
        (1, 2)
    };
    for finding in &analysis.findings {
        let d = finding.distortion;
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            palette.name.apply_to(&d.name),
            palette.dim.apply_to(format!("({})", d.id))
        )?;
        writeln!(out, "  {}", d.summary)?;
        let words: Vec<String> = finding
            .matches
            .iter()
            .map(|m| format!("\"{}\"", m.text))
            .collect();
        writeln!(
            out,
            "  {} {}",
            palette.dim.apply_to("Words:"),
            words.join(", ")
        )?;
        writeln!(
            out,
            "  {}",
            palette
                .heading
                .apply_to("A more balanced thought you could try:")
        )?;
        for reframe in finding.reframes.iter().take(reframes) {
            writeln!(out, "    - {reframe}")?;
        }
        writeln!(
            out,
            "  {}",
            palette.heading.apply_to("Questions to ask yourself:")
        )?;
        for question in finding.questions.iter().take(questions) {
            writeln!(out, "    - {question}")?;
        }
    }
    Ok(())
}

/// Writes one line of a batch: where it came from, the highlighted thought, and one line per
/// finding.
pub fn write_row(
    out: &mut dyn Write,
    source: Option<&str>,
    line: usize,
    analysis: &Analysis,
    region: &Region,
    palette: &Palette,
) -> io::Result<()> {
    let place = match source {
        Some(source) => format!("{source}:{line}:"),
        None => format!("{line}:"),
    };
    if let Some(found) = &analysis.safety {
        // The thought is shown as written, without highlights: nothing in it is a "trap".
        writeln!(out, "{} {}", palette.dim.apply_to(place), analysis.text)?;
        return safety::write_row(out, found, region, palette);
    }
    if analysis.mentions_suicide {
        writeln!(out, "{} {}", palette.dim.apply_to(place), analysis.text)?;
        return safety::write_mention_row(out, palette);
    }
    writeln!(
        out,
        "{} {}",
        palette.dim.apply_to(place),
        highlight(analysis, palette)
    )?;
    if analysis.findings.is_empty() {
        writeln!(out, "    {}", palette.dim.apply_to("nothing recognised"))?;
    }
    for finding in &analysis.findings {
        let words: Vec<String> = finding
            .matches
            .iter()
            .map(|m| format!("\"{}\"", m.text))
            .collect();
        writeln!(
            out,
            "    {} {} {}",
            palette.name.apply_to(&finding.distortion.name),
            palette.dim.apply_to(format!("({})", finding.distortion.id)),
            words.join(", ")
        )?;
    }
    Ok(())
}
