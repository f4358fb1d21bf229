//! The private journal: one JSON object per line, one line per thought record.
//!
//! The file is only ever appended to. Each entry is written with one `write` on a file opened
//! for appending, then flushed to disk, so a crash leaves either the whole entry or none of it,
//! and an entry never overwrites another. The file and its directory are created readable by the
//! owner only. Reading never deletes anything: a line that cannot be read is reported with its
//! number and skipped.
//!
//! The format is documented in the README ("The journal"); [`VERSION`] is written into every entry.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The schema version written into every entry. Readers skip entries with a newer version, with
/// a warning, rather than misreading them.
pub const VERSION: u32 = 1;

/// One thought record, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The schema version, [`VERSION`] when written by this program.
    pub version: u32,
    /// When the session started.
    pub started: Timestamp,
    /// Whether the person reached the summary, or the session stopped part-way.
    pub status: Status,
    /// What happened, in the person's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub situation: Option<String>,
    /// The feelings named, with their intensity before and after (0-100).
    #[serde(default)]
    pub feelings: Vec<Feeling>,
    /// The thought examined. Empty only in a draft saved before it was typed.
    #[serde(default)]
    pub thought: String,
    /// How much the person believed the thought at first (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub belief_before: Option<u8>,
    /// The thinking traps recognised in the thought.
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    /// The questions asked, and the answers given.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// The balanced thought the person chose, edited or wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balanced_thought: Option<String>,
    /// How much the person believed the original thought after the work (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub belief_after: Option<u8>,
    /// How much the person believed the balanced thought (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balanced_belief: Option<u8>,
    /// One small step for today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// Whether the session stopped because an answer spoke of suicide, self-harm or danger.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub safety_stop: bool,
}

/// How far a session got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The person reached the summary and chose to save it.
    Complete,
    /// The session stopped part-way (interrupted, or stopped by the safety check); what was typed
    /// is kept.
    Unfinished,
}

/// A feeling and its intensity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feeling {
    /// The feeling, in the person's words or from the list.
    pub name: String,
    /// Intensity at the start (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<u8>,
    /// Intensity after the work (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u8>,
}

/// A thinking trap recognised in the thought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    /// The distortion id, such as `fortune-telling`.
    pub id: String,
    /// Its name in plain words.
    pub name: String,
    /// The words that set it off.
    #[serde(default)]
    pub words: Vec<String>,
}

/// A question asked in the session, and what the person answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The question.
    pub question: String,
    /// The answer; empty when skipped.
    pub answer: String,
}

impl Entry {
    /// A new, empty entry started now.
    pub fn new(started: Timestamp) -> Entry {
        Entry {
            version: VERSION,
            started,
            status: Status::Unfinished,
            situation: None,
            feelings: Vec::new(),
            thought: String::new(),
            belief_before: None,
            patterns: Vec::new(),
            answers: Vec::new(),
            balanced_thought: None,
            belief_after: None,
            balanced_belief: None,
            step: None,
            safety_stop: false,
        }
    }

    /// Whether anything was typed at all; an empty draft is not worth keeping.
    pub fn has_content(&self) -> bool {
        !self.thought.trim().is_empty()
            || self.situation.is_some()
            || !self.feelings.is_empty()
            || !self.answers.is_empty()
    }

    /// The change in belief in the original thought, after minus before, when both were rated.
    pub fn belief_change(&self) -> Option<i32> {
        Some(i32::from(self.belief_after?) - i32::from(self.belief_before?))
    }
}

/// A line of the journal that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line number, from 1.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
}

/// The journal file.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// The journal at `path`; nothing is created until an entry is appended.
    pub fn at(path: impl Into<PathBuf>) -> Journal {
        Journal { path: path.into() }
    }

    /// The default location: `reframe/journal.jsonl` in the user's data directory
    /// (`$XDG_DATA_HOME`, or `~/.local/share` on Linux; the platform's equivalent elsewhere).
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|dir| dir.join("reframe").join("journal.jsonl"))
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry: creates the directory and file (owner-only) if needed, writes the entry
    /// as one line in a single write, and flushes it to disk.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        let mut line = serde_json::to_string(entry).map_err(io::Error::other)?;
        line.push('\n');
        let mut file = open_private_append(&self.path)?;
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Reads every entry. A missing file is an empty journal. Lines that cannot be read (not JSON,
    /// not an entry, or written by a newer version) are skipped and reported.
    pub fn read(&self) -> io::Result<(Vec<Entry>, Vec<Warning>)> {
        let text = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(e),
        };
        Ok(parse(&text))
    }
}

/// Parses journal text: the entries, and a warning for each line that could not be read.
pub fn parse(bytes: &[u8]) -> (Vec<Entry>, Vec<Warning>) {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            warnings.push(Warning {
                line,
                message: "is not valid UTF-8".to_string(),
            });
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let value = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => value,
            Err(e) => {
                warnings.push(Warning {
                    line,
                    message: format!("cannot be read: {e}"),
                });
                continue;
            }
        };
        if let Some(v) = value
            .get("version")
            .and_then(|v| v.as_u64())
            .filter(|&v| v > u64::from(VERSION))
        {
            warnings.push(Warning {
                line,
                message: format!(
                    "was written by a newer reframe (version {v}; this one reads {VERSION})"
                ),
            });
            continue;
        }
        match serde_json::from_value::<Entry>(value) {
            Ok(entry) => entries.push(entry),
            Err(e) => warnings.push(Warning {
                line,
                message: format!("cannot be read: {e}"),
            }),
        }
    }
    (entries, warnings)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn open_private_append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// Export formats for `reframe journal export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A readable document, one section per entry.
    Markdown,
    /// One row per entry, for a spreadsheet.
    Csv,
    /// One JSON document: `{"version": 1, "entries": [...]}`.
    Json,
}

/// Writes `entries` in `format`.
pub fn export(out: &mut dyn Write, entries: &[Entry], format: ExportFormat) -> io::Result<()> {
    match format {
        ExportFormat::Json => {
            // Written straight from the entries, without an intermediate JSON tree.
            #[derive(Serialize)]
            struct Document<'a> {
                version: u32,
                entries: &'a [Entry],
            }
            let doc = Document {
                version: VERSION,
                entries,
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)
        }
        ExportFormat::Csv => export_csv(out, entries),
        ExportFormat::Markdown => out.write_all(markdown(entries).as_bytes()),
    }
}

fn export_csv(out: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "started",
        "status",
        "situation",
        "thought",
        "patterns",
        "belief_before",
        "belief_after",
        "balanced_thought",
        "balanced_belief",
        "feelings",
        "step",
    ])?;
    let number = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    for e in entries {
        let patterns: Vec<&str> = e.patterns.iter().map(|p| p.id.as_str()).collect();
        let feelings: Vec<String> = e.feelings.iter().map(feeling_change).collect();
        writer.write_record([
            e.started.to_string(),
            status_word(e.status).to_string(),
            e.situation.clone().unwrap_or_default(),
            e.thought.clone(),
            patterns.join("; "),
            number(e.belief_before),
            number(e.belief_after),
            e.balanced_thought.clone().unwrap_or_default(),
            number(e.balanced_belief),
            feelings.join("; "),
            e.step.clone().unwrap_or_default(),
        ])?;
    }
    writer.flush()
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Complete => "complete",
        Status::Unfinished => "unfinished",
    }
}

/// "hurt 80 -> 40", with "?" for a rating not given.
fn feeling_change(f: &Feeling) -> String {
    let n = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_else(|| "?".to_string());
    format!("{} {} -> {}", f.name, n(f.before), n(f.after))
}

fn markdown(entries: &[Entry]) -> String {
    let mut s = String::from("# Thought records\n");
    for (i, e) in entries.iter().enumerate() {
        let _ = write!(s, "\n## {}. {}", i + 1, local_time(e.started));
        if e.status == Status::Unfinished {
            s.push_str(" (unfinished)");
        }
        s.push_str("\n\n");
        if let Some(situation) = &e.situation {
            let _ = writeln!(s, "- **Situation:** {situation}");
        }
        let _ = write!(s, "- **Thought:** {}", e.thought);
        if let Some(b) = e.belief_before {
            let _ = write!(s, " (believed {b}%)");
        }
        s.push('\n');
        if !e.patterns.is_empty() {
            let names: Vec<&str> = e.patterns.iter().map(|p| p.name.as_str()).collect();
            let _ = writeln!(s, "- **Thinking traps:** {}", names.join(", "));
        }
        for f in &e.feelings {
            let _ = writeln!(s, "- **Feeling:** {}", feeling_change(f));
        }
        for a in e.answers.iter().filter(|a| !a.answer.trim().is_empty()) {
            let _ = writeln!(s, "- **{}** {}", a.question, a.answer);
        }
        if let Some(balanced) = &e.balanced_thought {
            let _ = write!(s, "- **Balanced thought:** {balanced}");
            if let Some(b) = e.balanced_belief {
                let _ = write!(s, " (believed {b}%)");
            }
            s.push('\n');
        }
        if let Some(b) = e.belief_after {
            let _ = writeln!(s, "- **Belief in the thought afterwards:** {b}%");
        }
        if let Some(step) = &e.step {
            let _ = writeln!(s, "- **Small step:** {step}");
        }
    }
    s
}

/// `started` in the system's time zone, to the minute.
pub fn local_time(started: Timestamp) -> String {
    started
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// What `reframe journal stats` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Entries read.
    pub entries: usize,
    /// Entries that reached the summary.
    pub complete: usize,
    /// How many entries each thinking trap appeared in, by id, with its name.
    pub patterns: BTreeMap<String, (String, usize)>,
    /// Mean change in belief in the thought (after minus before), over entries with both ratings.
    pub belief_change: Option<f64>,
    /// Mean change in feeling intensity (after minus before), over feelings with both ratings.
    pub feeling_change: Option<f64>,
}

/// Works out the statistics over `entries`.
pub fn stats(entries: &[Entry]) -> Stats {
    let mut patterns: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in entries {
        for p in &e.patterns {
            patterns
                .entry(p.id.clone())
                .or_insert((p.name.clone(), 0))
                .1 += 1;
        }
    }
    let mean = |values: Vec<i32>| {
        (!values.is_empty())
            .then(|| values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64)
    };
    let beliefs: Vec<i32> = entries.iter().filter_map(Entry::belief_change).collect();
    let feelings: Vec<i32> = entries
        .iter()
        .flat_map(|e| &e.feelings)
        .filter_map(|f| Some(i32::from(f.after?) - i32::from(f.before?)))
        .collect();
    Stats {
        entries: entries.len(),
        complete: entries
            .iter()
            .filter(|e| e.status == Status::Complete)
            .count(),
        patterns,
        belief_change: mean(beliefs),
        feeling_change: mean(feelings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(thought: &str, before: u8, after: u8) -> Entry {
        let mut e = Entry::new("2026-11-22T10:00:00Z".parse().unwrap());
        e.status = Status::Complete;
        e.thought = thought.to_string();
        e.belief_before = Some(before);
        e.belief_after = Some(after);
        e.patterns.push(Pattern {
            id: "fortune-telling".into(),
            name: "Fortune telling".into(),
            words: vec!["I'll never".into()],
        });
        e.feelings.push(Feeling {
            name: "hurt".into(),
            before: Some(80),
            after: Some(50),
        });
        e
    }

    #[test]
    fn appended_entries_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("deep/er/journal.jsonl"));
        journal.append(&entry("one", 90, 40)).unwrap();
        journal
            .append(&entry("two, with \"quotes\"\nand a newline", 70, 70))
            .unwrap();
        let (entries, warnings) = journal.read().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            entries,
            vec![
                entry("one", 90, 40),
                entry("two, with \"quotes\"\nand a newline", 70, 70)
            ]
        );
        let text = fs::read_to_string(journal.path()).unwrap();
        assert_eq!(text.lines().count(), 2, "one line per entry: {text}");
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_directory_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("reframe/journal.jsonl"));
        journal.append(&entry("one", 90, 40)).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(journal.path()), 0o600);
        assert_eq!(mode(&dir.path().join("reframe")), 0o700);
    }

    #[test]
    fn appending_never_rewrites_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        fs::write(&path, "not json at all\n").unwrap();
        let journal = Journal::at(&path);
        journal.append(&entry("one", 90, 40)).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("not json at all\n"), "{text}");
    }

    #[test]
    fn bad_lines_are_skipped_with_their_numbers() {
        let good = serde_json::to_string(&entry("one", 90, 40)).unwrap();
        let newer = good.replace("\"version\":1", "\"version\":9");
        let text = format!("{good}\n{{broken\n\n{newer}\n[1,2]\n{good}\n");
        let (entries, warnings) = parse(text.as_bytes());
        assert_eq!(entries.len(), 2);
        let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert!(warnings[1].message.contains("newer"), "{warnings:?}");
    }

    #[test]
    fn a_missing_journal_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let (entries, warnings) = Journal::at(dir.path().join("none.jsonl")).read().unwrap();
        assert!(entries.is_empty() && warnings.is_empty());
    }

    #[test]
    fn stats_count_patterns_and_average_the_changes() {
        let mut third = entry("three", 50, 50);
        third.patterns.clear();
        third.belief_after = None;
        third.feelings[0].after = None;
        let s = stats(&[entry("one", 90, 40), entry("two", 70, 60), third]);
        assert_eq!(s.entries, 3);
        assert_eq!(s.patterns["fortune-telling"].1, 2);
        assert_eq!(s.belief_change, Some(-30.0));
        assert_eq!(s.feeling_change, Some(-30.0));
        assert_eq!(stats(&[]).belief_change, None);
    }

    #[test]
    fn exports_hold_every_entry() {
        let entries = [entry("one, two", 90, 40), entry("three", 70, 60)];
        let render = |format| {
            let mut out = Vec::new();
            export(&mut out, &entries, format).unwrap();
            String::from_utf8(out).unwrap()
        };
        let csv = render(ExportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][3], "one, two");
        assert_eq!(&rows[0][9], "hurt 80 -> 50");
        let json: serde_json::Value = serde_json::from_str(&render(ExportFormat::Json)).unwrap();
        assert_eq!(json["entries"][1]["thought"], "three");
        let md = render(ExportFormat::Markdown);
        assert!(
            md.contains("## 2.") && md.contains("- **Thought:** one, two (believed 90%)"),
            "{md}"
        );
    }
}
