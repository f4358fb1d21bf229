//! The JSON and JSON Lines formats: the interface other programs build on.
//!
//! The schema is documented in the README and versioned by [`VERSION`]: adding a field keeps the
//! version; renaming, removing or changing the meaning of one bumps it. Both formats stream: the
//! JSON document is written piece by piece, so memory stays flat however many thoughts there are.

use std::io::{self, Write};

use serde::Serialize;

use super::safety;
use crate::analysis::{Analysis, Match, Span};
use crate::resources::Region;
use crate::rules::Category;

/// The schema version written in every document (JSON) or line (JSONL).
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Offsets {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    pattern: &'a str,
    text: &'a str,
    bytes: Offsets,
    chars: Offsets,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    distortion: &'a str,
    name: &'a str,
    summary: &'a str,
    matches: Vec<MatchJson<'a>>,
    reframes: &'a [std::borrow::Cow<'a, str>],
    questions: &'a [std::borrow::Cow<'a, str>],
}

#[derive(Serialize)]
struct LineJson<'a> {
    name: &'a str,
    contact: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ResourcesJson<'a> {
    region: &'a str,
    name: &'a str,
    lines: Vec<LineJson<'a>>,
}

#[derive(Serialize)]
struct SafetyJson<'a> {
    level: &'static str,
    category: &'static str,
    message: &'static str,
    matches: Vec<MatchJson<'a>>,
    resources: ResourcesJson<'a>,
}

/// What JSON says of a thought that names suicide or self-harm without crisis language.
#[derive(Serialize)]
struct MentionJson<'a> {
    message: &'static str,
    resources: ResourcesJson<'a>,
}

/// The region's lines for `category`, as JSON.
fn resources<'a>(region: &'a Region, category: Category) -> ResourcesJson<'a> {
    ResourcesJson {
        region: &region.id,
        name: &region.name,
        lines: region
            .lines_for(category)
            .map(|l| LineJson {
                name: &l.name,
                contact: &l.contact,
                note: l.note.as_deref(),
            })
            .collect(),
    }
}

/// One analysed thought as JSON.
#[derive(Serialize)]
struct ThoughtJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    safety: Option<SafetyJson<'a>>,
    /// Present only when the thought names suicide or self-harm without crisis language: it is
    /// then not reframed.
    #[serde(skip_serializing_if = "Option::is_none")]
    mention: Option<MentionJson<'a>>,
    findings: Vec<FindingJson<'a>>,
}

fn offsets(span: &std::ops::Range<usize>) -> Offsets {
    Offsets {
        start: span.start,
        end: span.end,
    }
}

fn match_json<'a>(m: &'a Match) -> MatchJson<'a> {
    let Span { bytes, chars } = &m.span;
    MatchJson {
        pattern: &m.pattern.id,
        text: m.text,
        bytes: offsets(bytes),
        chars: offsets(chars),
    }
}

fn thought<'a>(
    analysis: &'a Analysis,
    source: Option<&'a str>,
    line: Option<usize>,
    version: Option<u32>,
    region: &'a Region,
) -> ThoughtJson<'a> {
    ThoughtJson {
        version,
        source,
        line,
        text: analysis.text,
        safety: analysis.safety.as_ref().map(|found| SafetyJson {
            level: found.level.as_str(),
            category: found.category.as_str(),
            message: safety::message_for(found.level, found.category),
            matches: found.matches.iter().map(match_json).collect(),
            resources: resources(region, found.category),
        }),
        mention: analysis.mentions_suicide.then(|| MentionJson {
            message: safety::MENTION,
            resources: resources(region, Category::Suicide),
        }),
        findings: analysis
            .findings
            .iter()
            .map(|f| FindingJson {
                distortion: &f.distortion.id,
                name: &f.distortion.name,
                summary: &f.distortion.summary,
                matches: f.matches.iter().map(match_json).collect(),
                reframes: &f.reframes,
                questions: &f.questions,
            })
            .collect(),
    }
}

/// Writes analysed thoughts as one JSON document, `{"version": 1, "thoughts": [...]}`, streaming.
#[derive(Debug, Default)]
pub struct JsonWriter {
    started: bool,
    count: usize,
}

impl JsonWriter {
    /// Writes one thought, opening the document before the first.
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        analysis: &Analysis,
        source: Option<&str>,
        line: Option<usize>,
        region: &Region,
    ) -> io::Result<()> {
        self.start(out)?;
        out.write_all(if self.count == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &thought(analysis, source, line, None, region))?;
        self.count += 1;
        Ok(())
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            write!(out, "{{\"version\": {VERSION}, \"thoughts\": [")?;
            self.started = true;
        }
        Ok(())
    }

    /// Closes the document (opening it first if no thought was written).
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.start(out)?;
        out.write_all(if self.count == 0 { b"]}\n" } else { b"\n]}\n" })
    }
}

/// Writes one analysed thought as a line of JSON Lines, with its own `version`.
pub fn write_line(
    out: &mut dyn Write,
    analysis: &Analysis,
    source: Option<&str>,
    line: Option<usize>,
    region: &Region,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &thought(analysis, source, line, Some(VERSION), region),
    )?;
    out.write_all(b"\n")
}
