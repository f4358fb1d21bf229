//! The private journal: one JSON object per line, one line per thought record.
//!
//! The file is only ever appended to. Each entry is written with one `write` on a file opened
//! for appending, then flushed to disk, so a crash leaves either the whole entry or none of it,
//! and an entry never overwrites another. The file and its directory are created readable by the
//! owner only. Reading never deletes anything: a line that cannot be read is reported with its
//! number and skipped.
//!
//! The format is documented in the README ("The journal"); [`VERSION`] is written into every entry.
//!
//! Besides entries, the journal holds re-ratings ([`rerating`]): lines of their own, told apart by
//! their `kind`, that say how much an old thought was believed when the person looked back at it
//! ([`review`] chooses which entries to ask about). [`trends`] works out the traps over time.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::rules::Category;

pub mod rerating;
pub mod review;
pub mod trends;

pub use rerating::Rerating;

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
    /// The `started` time of the unfinished entry this one goes on with
    /// (`reframe session --resume`); `None` for a session started afresh. Added within version
    /// 1: a line without it still reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues: Option<Timestamp>,
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
    /// The thinking traps the person said fit the thought, from what was recognised and from the
    /// whole catalogue, in the order shown; `None` when the session never asked (it stopped
    /// before step 4, a warning sign was answered there, or a version before this field wrote
    /// the entry). Added within version 1: a line without it still reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Vec<Trap>>,
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
    /// What the words that stopped the session spoke of, which decides the crisis lines shown
    /// again; `None` when it did not stop for safety, and in lines written before it was kept
    /// (added within version 1), which are taken to be about suicide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_category: Option<Category>,
    /// The check-in question ("Are you having thoughts of ending your life?"), when the session
    /// asked it: why, and the answer. Added within version 1: a line without it still reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<CheckIn>,
}

/// The one direct question a session may ask about thoughts of ending one's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    /// What led to the question.
    pub reason: CheckInReason,
    /// The answer; `None` when the session was interrupted at the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<CheckInAnswer>,
}

/// What led a session to ask the check-in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckInReason {
    /// An answer had a warning sign that does not say it outright (a `concern`-level safety
    /// finding).
    Concern,
    /// The feeling "hopeless" was rated 70 or more.
    Hopeless,
    /// An answer named suicide or self-harm without crisis language or a warning sign (see
    /// `Analysis::mentions_suicide`).
    Mention,
    /// A reason written by a newer version that this one does not know: the entry is still read,
    /// rather than lost over one word.
    #[serde(other)]
    Unknown,
}

/// The answer to the check-in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckInAnswer {
    /// Yes: the session went to the crisis lines and stopped.
    Yes,
    /// No: the exercise went on.
    No,
}

impl CheckInReason {
    /// The name written in the journal and its exports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInReason::Concern => "concern",
            CheckInReason::Hopeless => "hopeless",
            CheckInReason::Mention => "mention",
            CheckInReason::Unknown => "unknown",
        }
    }

    /// Why the question was asked, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            CheckInReason::Concern => "something written sounded like a warning sign",
            CheckInReason::Hopeless => "\"hopeless\" was rated 70 or more",
            CheckInReason::Mention => "suicide or self-harm was mentioned",
            CheckInReason::Unknown => "for a reason this version of reframe does not know",
        }
    }
}

impl CheckInAnswer {
    /// The name written in the journal and its exports.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInAnswer::Yes => "yes",
            CheckInAnswer::No => "no",
        }
    }
}

impl CheckIn {
    /// One line saying that the question was asked, why, and the answer.
    pub fn describe(&self) -> String {
        let answer = match self.answer {
            Some(answer) => format!("answered {}", answer.as_str()),
            None => "not answered (the session was interrupted)".to_string(),
        };
        format!(
            "asked about thoughts of ending your life, because {}; {answer}",
            self.reason.describe()
        )
    }
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

/// A thinking trap the person chose as fitting their thought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trap {
    /// The distortion id, such as `fortune-telling`.
    pub id: String,
    /// Its name in plain words, kept so the entry reads without the rules that named it.
    pub name: String,
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
            continues: None,
            status: Status::Unfinished,
            situation: None,
            feelings: Vec::new(),
            thought: String::new(),
            belief_before: None,
            patterns: Vec::new(),
            chosen: None,
            answers: Vec::new(),
            balanced_thought: None,
            belief_after: None,
            balanced_belief: None,
            step: None,
            safety_stop: false,
            safety_category: None,
            check_in: None,
        }
    }

    /// The entry as one journal line, without the line break: what [`Journal::append`] writes,
    /// and what a session prints when it cannot save.
    pub fn to_line(&self) -> io::Result<String> {
        serde_json::to_string(self).map_err(io::Error::other)
    }

    /// Whether anything was typed at all; an empty draft is not worth keeping.
    pub fn has_content(&self) -> bool {
        !self.thought.trim().is_empty()
            || self.situation.is_some()
            || !self.feelings.is_empty()
            || !self.answers.is_empty()
    }

    /// The thinking traps that stand for this entry, as (id, name): the ones the person chose,
    /// or, when they were not asked, the ones recognised. What `journal list` shows, and what
    /// `journal stats` counts.
    pub fn traps(&self) -> Vec<(&str, &str)> {
        match &self.chosen {
            Some(chosen) => chosen
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str()))
                .collect(),
            None => self
                .patterns
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
        }
    }

    /// The names of the thinking traps to show for this entry: those of [`Entry::traps`].
    pub fn trap_names(&self) -> Vec<&str> {
        self.traps().into_iter().map(|(_, name)| name).collect()
    }

    /// The change in belief in the original thought, after minus before, when both were rated.
    pub fn belief_change(&self) -> Option<i32> {
        Some(i32::from(self.belief_after?) - i32::from(self.belief_before?))
    }
}

/// For each of `entries`, the index of the later entry that goes on with it, if one does (the
/// first, if several do).
pub fn continued_by(entries: &[Entry]) -> Vec<Option<usize>> {
    let mut by = vec![None; entries.len()];
    for (later, entry) in entries.iter().enumerate() {
        let Some(started) = entry.continues else {
            continue;
        };
        // The entry continued is the latest one before it that started then.
        if let Some(earlier) = entries[..later].iter().rposition(|e| e.started == started)
            && by[earlier].is_none()
        {
            by[earlier] = Some(later);
        }
    }
    by
}

/// The entries of `entries` that count in `journal stats` and its trends: all but an unfinished
/// entry that a later one goes on with ([`continued_by`]), as the later entry holds what it did
/// and more; counting both would count one thought record twice. An entry that stopped for
/// safety is always counted, so that stats never hide a stop.
pub fn counted(entries: &[Entry]) -> Vec<&Entry> {
    let by = continued_by(entries);
    entries
        .iter()
        .zip(by)
        .filter(|(e, by)| by.is_none() || e.status != Status::Unfinished || e.safety_stop)
        .map(|(e, _)| e)
        .collect()
}

/// Why no entry can be resumed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResumeError {
    /// Without a number: every entry is complete or was continued already.
    #[error("there is no unfinished entry to go on with")]
    NoneUnfinished,
    /// The number is not an entry's.
    #[error("there is no entry {number} (the last is {count})")]
    NoSuchEntry {
        /// The number asked for, from 1.
        number: usize,
        /// How many entries there are.
        count: usize,
    },
    /// The entry asked for is complete.
    #[error("entry {0} is complete, so there is nothing to go on with")]
    Complete(usize),
}

/// The index of the entry `reframe session --resume` goes on with: entry `number` (from 1, as
/// `journal list` numbers them) when given and unfinished, else the most recent unfinished entry
/// that no later entry continues.
pub fn to_resume(entries: &[Entry], number: Option<usize>) -> Result<usize, ResumeError> {
    match number {
        Some(_) if entries.is_empty() => Err(ResumeError::NoneUnfinished),
        Some(number) => {
            let index = number.checked_sub(1).filter(|&i| i < entries.len()).ok_or(
                ResumeError::NoSuchEntry {
                    number,
                    count: entries.len(),
                },
            )?;
            match entries[index].status {
                Status::Unfinished => Ok(index),
                Status::Complete => Err(ResumeError::Complete(number)),
            }
        }
        None => {
            let by = continued_by(entries);
            entries
                .iter()
                .enumerate()
                .rposition(|(i, e)| e.status == Status::Unfinished && by[i].is_none())
                .ok_or(ResumeError::NoneUnfinished)
        }
    }
}

/// A line of the journal that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line number, from 1.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
    /// Whether it was skipped only because a newer version of reframe wrote it: an entry this
    /// version cannot read, rather than a damaged line.
    pub newer: bool,
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
    ///
    /// A file that does not end with a newline (a line torn by a crash or a full disk) gets one
    /// first, so the torn line stays alone and this entry is read back whole. A new file's
    /// directory is synced too, so the file itself survives a crash. A write that stores only
    /// part of the line is an error: the entry is not saved, and the next append starts afresh.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        self.append_line(entry.to_line()?)
    }

    /// Appends one re-rating, as [`Journal::append`] appends an entry: one line, in one write,
    /// flushed to disk.
    pub fn append_rerating(&self, rerating: &Rerating) -> io::Result<()> {
        self.append_line(rerating.to_line()?)
    }

    /// Appends `line` (without its line break) as [`Journal::append`] describes.
    fn append_line(&self, mut line: String) -> io::Result<()> {
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            create_private_dir(dir)?;
        }
        let existed = self.path.exists();
        line.push('\n');
        let mut file = open_private_append(&self.path)?;
        if ends_without_newline(&mut file)? {
            line.insert(0, '\n');
        }
        let written = file.write(line.as_bytes())?;
        if written != line.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!(
                    "only {written} of {} bytes could be written (is the disk full?)",
                    line.len()
                ),
            ));
        }
        file.sync_data()?;
        if !existed {
            sync_dir(dir.unwrap_or(Path::new(".")))?;
        }
        Ok(())
    }

    /// Checks that an entry could be appended now, without writing one, so a session can say so
    /// before its first question rather than after its last.
    ///
    /// Creates the directory (owner-only) if needed, as [`Journal::append`] would. An existing
    /// file is opened for appending; for a file not yet there, a probe file is created beside it
    /// and removed again, so nothing is left behind if nothing is saved. (Creating the journal
    /// itself and removing it was tried and dropped: another session appending to it in between
    /// would lose its entry.) A later append can still fail, if the disk fills or permissions
    /// change in the meantime.
    pub fn check_writable(&self) -> io::Result<()> {
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            create_private_dir(dir)?;
        }
        match OpenOptions::new().read(true).append(true).open(&self.path) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let dir = dir.unwrap_or(Path::new("."));
                let probe = dir.join(format!(".reframe-check-{}", std::process::id()));
                open_private_append(&probe)?;
                // A probe left behind is an empty hidden file: harmless, and not worth an error.
                let _ = fs::remove_file(&probe);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Reads every entry. A missing file is an empty journal. Lines that cannot be read (not JSON,
    /// not an entry, or written by a newer version) are skipped and reported; re-ratings are
    /// skipped silently (see [`Journal::read_all`]).
    pub fn read(&self) -> io::Result<(Vec<Entry>, Vec<Warning>)> {
        let contents = self.read_all()?;
        Ok((contents.entries, contents.warnings))
    }

    /// Reads every entry and every re-rating, as [`parse_all`] does. A missing file is an empty
    /// journal.
    pub fn read_all(&self) -> io::Result<Contents> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(parse_all(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Contents::default()),
            Err(e) => Err(e),
        }
    }
}

/// Everything a journal holds that this version can read, and what it could not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contents {
    /// The entries, in the order written.
    pub entries: Vec<Entry>,
    /// The re-ratings, in the order written.
    pub reratings: Vec<Rerating>,
    /// A warning for each line that could not be read.
    pub warnings: Vec<Warning>,
}

/// Parses journal text: the entries, and a warning for each line that could not be read.
/// Re-ratings are read and left out; [`parse_all`] keeps them.
pub fn parse(bytes: &[u8]) -> (Vec<Entry>, Vec<Warning>) {
    let contents = parse_all(bytes);
    (contents.entries, contents.warnings)
}

/// Parses journal text: the entries, the re-ratings, and a warning for each line that could not
/// be read.
///
/// A line's `kind` says what it is: none (every line written before re-ratings, and every entry)
/// or `entry` is an entry, [`rerating::KIND`] a re-rating. A `kind` this version does not know is
/// taken to be from a newer version, and skipped with a warning that says so.
pub fn parse_all(bytes: &[u8]) -> Contents {
    let mut entries = Vec::new();
    let mut reratings = Vec::new();
    let mut warnings = Vec::new();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            warnings.push(Warning {
                line,
                message: "is not valid UTF-8".to_string(),
                newer: false,
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
                    newer: false,
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
                newer: true,
            });
            continue;
        }
        match value.get("kind").map(serde_json::Value::as_str) {
            None | Some(Some("entry")) => {}
            Some(Some(rerating::KIND)) => {
                match Rerating::from_value(value) {
                    Ok(rerating) => reratings.push(rerating),
                    Err(e) => warnings.push(Warning {
                        line,
                        message: format!("is a re-rating that cannot be read: {e}"),
                        newer: false,
                    }),
                }
                continue;
            }
            Some(Some(kind)) => {
                warnings.push(Warning {
                    line,
                    message: format!(
                        "is of a kind this version of reframe does not know ({kind:?}); a newer \
                         version may have written it"
                    ),
                    newer: true,
                });
                continue;
            }
            Some(None) => {
                warnings.push(Warning {
                    line,
                    message: "cannot be read: its kind is not a word".to_string(),
                    newer: false,
                });
                continue;
            }
        }
        match serde_json::from_value::<Entry>(value) {
            Ok(entry) => entries.push(entry),
            Err(e) => warnings.push(Warning {
                line,
                message: format!("cannot be read: {e}"),
                newer: false,
            }),
        }
    }
    Contents {
        entries,
        reratings,
        warnings,
    }
}

/// Whether `file` has bytes and its last one is not a newline.
fn ends_without_newline(file: &mut File) -> io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// Flushes a directory's entries to disk, so a file just created in it is there after a crash.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Creates `dir` and any missing parents, owner-only. A file standing where one of them should be
/// is named in the error: the system's own words for it ("File exists", "Not a directory") say
/// neither which file nor what is wrong with it.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    create_dirs(dir).map_err(|e| {
        match dir
            .ancestors()
            .find(|a| !a.as_os_str().is_empty() && a.exists())
        {
            Some(file) if !file.is_dir() => io::Error::new(
                e.kind(),
                format!("{} is a file, not a directory", file.display()),
            ),
            _ => e,
        }
    })
}

#[cfg(unix)]
fn create_dirs(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_dirs(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn open_private_append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private_append(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
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
    export_all(out, entries, &[], format)
}

/// Writes `entries` in `format`, with their `reratings`: in JSON, as a `reratings` list beside
/// the entries (left out when empty); in CSV, as a `reratings` column; in Markdown, as a line
/// under each entry.
///
/// Every entry is written, an unfinished one that a later entry goes on with too: an export is
/// the whole journal, where `journal stats` counts such an entry once. The link is kept: the
/// later entry's `continues` (a field in JSON, a column in CSV, a line in Markdown), and in
/// Markdown "continued in N" beside the earlier one.
pub fn export_all(
    out: &mut dyn Write,
    entries: &[Entry],
    reratings: &[Rerating],
    format: ExportFormat,
) -> io::Result<()> {
    match format {
        ExportFormat::Json => {
            // Written straight from the entries, without an intermediate JSON tree.
            #[derive(Serialize)]
            struct Document<'a> {
                version: u32,
                entries: &'a [Entry],
                #[serde(skip_serializing_if = "<[_]>::is_empty")]
                reratings: &'a [Rerating],
            }
            let doc = Document {
                version: VERSION,
                entries,
                reratings,
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)
        }
        ExportFormat::Csv => export_csv(out, entries, reratings),
        ExportFormat::Markdown => out.write_all(markdown(entries, reratings).as_bytes()),
    }
}

fn export_csv(out: &mut dyn Write, entries: &[Entry], reratings: &[Rerating]) -> io::Result<()> {
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
        "safety_stop",
        "check_in_reason",
        "check_in_answer",
        "chosen",
        "reratings",
        "continues",
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
            if e.safety_stop { "yes" } else { "no" }.to_string(),
            e.check_in
                .map(|c| c.reason.as_str())
                .unwrap_or_default()
                .to_string(),
            e.check_in
                .and_then(|c| c.answer)
                .map(CheckInAnswer::as_str)
                .unwrap_or_default()
                .to_string(),
            e.chosen
                .iter()
                .flatten()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            csv_reratings(e, reratings),
            e.continues.map(|t| t.to_string()).unwrap_or_default(),
        ])?;
    }
    writer.flush()
}

/// The re-ratings of `entry` for its CSV row: "2026-11-28T09:00:00Z 40", joined by "; ".
fn csv_reratings(entry: &Entry, reratings: &[Rerating]) -> String {
    let cells: Vec<String> = rerating::of(entry, reratings)
        .iter()
        .map(|r| format!("{} {}", r.at, r.belief))
        .collect();
    cells.join("; ")
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

fn markdown(entries: &[Entry], reratings: &[Rerating]) -> String {
    let mut s = String::from("# Thought records\n");
    let by = continued_by(entries);
    for (i, e) in entries.iter().enumerate() {
        let _ = write!(s, "\n## {}. {}", i + 1, local_time(e.started));
        match (e.status, e.safety_stop, by[i]) {
            (_, true, _) => s.push_str(" (stopped for safety)"),
            (Status::Unfinished, false, Some(later)) => {
                let _ = write!(s, " (unfinished, continued in {})", later + 1);
            }
            (Status::Unfinished, false, None) => s.push_str(" (unfinished)"),
            (Status::Complete, false, _) => {}
        }
        s.push_str("\n\n");
        if e.safety_stop {
            let _ = writeln!(s, "- **Stopped for safety:** {}", safety_stop_reason(e));
        }
        if let Some(started) = e.continues {
            let _ = write!(s, "- **Continues:** ");
            if let Some(earlier) = entries[..i].iter().rposition(|e| e.started == started) {
                let _ = write!(s, "entry {}, ", earlier + 1);
            }
            let _ = writeln!(s, "started {}", local_time(started));
        }
        if let Some(check_in) = &e.check_in {
            let _ = writeln!(s, "- **Check-in:** {}", check_in.describe());
        }
        if let Some(situation) = &e.situation {
            let _ = writeln!(s, "- **Situation:** {situation}");
        }
        let _ = write!(s, "- **Thought:** {}", e.thought);
        if let Some(b) = e.belief_before {
            let _ = write!(s, " (believed {b}%)");
        }
        s.push('\n');
        let traps = e.trap_names();
        if !traps.is_empty() {
            let _ = writeln!(s, "- **Thinking traps:** {}", traps.join(", "));
        }
        // What reframe saw, when the person's choice differs from it.
        let recognised: Vec<&str> = e.patterns.iter().map(|p| p.name.as_str()).collect();
        if e.chosen.is_some() && recognised != traps && !recognised.is_empty() {
            let _ = writeln!(s, "- **Recognised by reframe:** {}", recognised.join(", "));
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
        markdown_reratings(&mut s, e, reratings);
    }
    s
}

/// The line under an entry in Markdown that says how much its thought was believed when looked
/// back at; nothing when it never was.
fn markdown_reratings(s: &mut String, entry: &Entry, reratings: &[Rerating]) {
    let looks: Vec<String> = rerating::of(entry, reratings)
        .iter()
        .map(|r| {
            format!(
                "{}% {} ({})",
                r.belief,
                rerating::later(entry, r),
                local_date(r.at)
            )
        })
        .collect();
    if !looks.is_empty() {
        let _ = writeln!(
            s,
            "- **Belief in the thought, looking back:** {}",
            looks.join("; ")
        );
    }
}

/// What a safety stop means, in one sentence, for `journal show` and the Markdown export: why
/// the exercise stopped, which was either a yes to the check-in question or words that said it.
pub fn safety_stop_reason(entry: &Entry) -> &'static str {
    match entry.check_in {
        Some(CheckIn {
            answer: Some(CheckInAnswer::Yes),
            ..
        }) => {
            "the exercise stopped and crisis lines were shown, after a yes to \"Are you having \
             thoughts of ending your life?\""
        }
        _ => {
            "the exercise stopped and crisis lines were shown, because of something said about \
             suicide, self-harm or danger."
        }
    }
}

/// `started` in the system's time zone, to the minute.
pub fn local_time(started: Timestamp) -> String {
    started
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The day of `at` in the system's time zone.
pub fn local_date(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d")
        .to_string()
}

/// What `reframe journal stats` shows, over the entries [`counted`].
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Entries counted.
    pub entries: usize,
    /// Unfinished entries left out because a later entry goes on with them (see [`counted`]).
    pub continued: usize,
    /// Entries that reached the summary.
    pub complete: usize,
    /// Entries whose session stopped for safety.
    pub safety_stops: usize,
    /// Entries that did not reach the summary for another reason; with `complete` and
    /// `safety_stops`, every entry is counted once (an entry marked both complete and stopped,
    /// which a session never writes, counts as stopped).
    pub unfinished: usize,
    /// Entries whose session asked the check-in question, by answer.
    pub check_ins: CheckInCounts,
    /// How many entries each thinking trap appeared in, by id, with its name: the traps the
    /// person chose, or, in an entry that never asked, the ones recognised ([`Entry::traps`]).
    pub patterns: BTreeMap<String, (String, usize)>,
    /// What the person said about each thinking trap, by id, over the entries where they were
    /// asked which traps fit (entries with `chosen`).
    pub choices: BTreeMap<String, TrapChoices>,
    /// Mean change in belief in the thought (after minus before), over entries with both ratings.
    pub belief_change: Option<f64>,
    /// Mean change in feeling intensity (after minus before), over feelings with both ratings.
    pub feeling_change: Option<f64>,
}

/// What the person said about one thinking trap at step 4, counted over entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrapChoices {
    /// The trap's name in plain words.
    pub name: String,
    /// Recognised, and kept by the person.
    pub agreed: usize,
    /// Recognised, and dropped by the person.
    pub dropped: usize,
    /// Not recognised, and added by the person.
    pub added: usize,
}

/// How many entries asked the check-in question, by answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckInCounts {
    /// Answered yes.
    pub yes: usize,
    /// Answered no.
    pub no: usize,
    /// Interrupted at the question.
    pub unanswered: usize,
}

impl CheckInCounts {
    /// Every entry that asked the question.
    pub fn total(&self) -> usize {
        self.yes + self.no + self.unanswered
    }
}

/// The counts for the trap `id` in `choices`, made when it is not there yet.
fn count_for<'c>(
    choices: &'c mut BTreeMap<String, TrapChoices>,
    id: &str,
    name: &str,
) -> &'c mut TrapChoices {
    choices
        .entry(id.to_string())
        .or_insert_with(|| TrapChoices {
            name: name.to_string(),
            ..TrapChoices::default()
        })
}

/// Works out the statistics over `entries`, each unfinished entry that a later one goes on with
/// left out ([`counted`]).
pub fn stats(all: &[Entry]) -> Stats {
    let entries = &counted(all)[..];
    let mut patterns: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in entries {
        for (id, name) in e.traps() {
            patterns
                .entry(id.to_string())
                .or_insert((name.to_string(), 0))
                .1 += 1;
        }
    }
    let mut choices: BTreeMap<String, TrapChoices> = BTreeMap::new();
    for e in entries {
        let Some(chosen) = &e.chosen else { continue };
        for p in &e.patterns {
            let kept = chosen.iter().any(|t| t.id == p.id);
            let c = count_for(&mut choices, &p.id, &p.name);
            if kept {
                c.agreed += 1;
            } else {
                c.dropped += 1;
            }
        }
        for t in chosen
            .iter()
            .filter(|t| !e.patterns.iter().any(|p| p.id == t.id))
        {
            count_for(&mut choices, &t.id, &t.name).added += 1;
        }
    }
    let mean = |values: Vec<i32>| {
        (!values.is_empty())
            .then(|| values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64)
    };
    let beliefs: Vec<i32> = entries.iter().filter_map(|e| e.belief_change()).collect();
    let feelings: Vec<i32> = entries
        .iter()
        .flat_map(|e| &e.feelings)
        .filter_map(|f| Some(i32::from(f.after?) - i32::from(f.before?)))
        .collect();
    Stats {
        entries: entries.len(),
        continued: all.len() - entries.len(),
        complete: entries
            .iter()
            .filter(|e| e.status == Status::Complete && !e.safety_stop)
            .count(),
        safety_stops: entries.iter().filter(|e| e.safety_stop).count(),
        unfinished: entries
            .iter()
            .filter(|e| e.status != Status::Complete && !e.safety_stop)
            .count(),
        check_ins: {
            let count = |answer: Option<CheckInAnswer>| {
                entries
                    .iter()
                    .filter(|e| e.check_in.is_some_and(|c| c.answer == answer))
                    .count()
            };
            CheckInCounts {
                yes: count(Some(CheckInAnswer::Yes)),
                no: count(Some(CheckInAnswer::No)),
                unanswered: count(None),
            }
        },
        patterns,
        choices,
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

    #[test]
    fn an_entry_after_a_torn_last_line_starts_a_line_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        fs::write(journal.path(), "{\"version\":1,\"star").unwrap();
        journal.append(&entry("after the tear", 80, 50)).unwrap();
        let (entries, warnings) = journal.read().unwrap();
        assert_eq!(entries, vec![entry("after the tear", 80, 50)]);
        assert_eq!(warnings.len(), 1, "the torn line is reported: {warnings:?}");
        assert_eq!(warnings[0].line, 1);
        // A whole file gains no blank line.
        journal.append(&entry("next", 60, 30)).unwrap();
        let text = fs::read_to_string(journal.path()).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
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
    fn a_file_where_the_directory_should_be_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes");
        fs::write(&file, "mine\n").unwrap();
        // The file as the journal's directory, and as a directory further up.
        for path in [
            file.join("journal.jsonl"),
            file.join("reframe/journal.jsonl"),
        ] {
            let error = Journal::at(&path)
                .append(&entry("one", 90, 40))
                .unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("{} is a file, not a directory", file.display())
            );
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
    }

    #[test]
    fn a_writable_journal_is_checked_without_leaving_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("reframe/journal.jsonl"));
        journal.check_writable().unwrap();
        let left: Vec<_> = fs::read_dir(dir.path().join("reframe"))
            .unwrap()
            .map(|f| f.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "the directory is made, and no file: {left:?}"
        );
        // An existing journal is checked as it is, and left as it was.
        journal.append(&entry("one", 90, 40)).unwrap();
        let before = fs::read(journal.path()).unwrap();
        journal.check_writable().unwrap();
        assert_eq!(fs::read(journal.path()).unwrap(), before);
    }

    #[test]
    fn a_journal_that_cannot_be_written_fails_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes");
        fs::write(&file, "mine\n").unwrap();
        let error = Journal::at(file.join("journal.jsonl"))
            .check_writable()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{} is a file, not a directory", file.display())
        );
        // A directory where the file should be.
        assert!(Journal::at(dir.path()).check_writable().is_err());
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_journal_fails_the_check() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        journal.append(&entry("one", 90, 40)).unwrap();
        fs::set_permissions(journal.path(), fs::Permissions::from_mode(0o400)).unwrap();
        // Permission bits do not stop root, so there is nothing to see then.
        if OpenOptions::new().append(true).open(journal.path()).is_ok() {
            return;
        }
        assert_eq!(
            journal.check_writable().unwrap_err().kind(),
            io::ErrorKind::PermissionDenied
        );
    }

    #[test]
    fn an_entry_s_line_is_what_append_writes() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        let e = entry("one", 90, 40);
        journal.append(&e).unwrap();
        let line = e.to_line().unwrap();
        assert!(!line.contains('\n'), "{line}");
        assert_eq!(fs::read_to_string(journal.path()).unwrap(), line + "\n");
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

    fn trap(id: &str, name: &str) -> Trap {
        Trap {
            id: id.into(),
            name: name.into(),
        }
    }

    #[test]
    fn the_chosen_traps_round_trip_and_an_entry_without_them_still_reads() {
        let mut e = entry("one", 90, 40);
        e.chosen = Some(vec![
            trap("fortune-telling", "Fortune telling"),
            trap("comparing", "Comparing"),
        ]);
        let line = e.to_line().unwrap();
        assert!(
            line.contains(r#""chosen":[{"id":"fortune-telling","name":"Fortune telling"},"#),
            "{line}"
        );
        let old = entry("two", 70, 60).to_line().unwrap();
        assert!(!old.contains("chosen"), "{old}");
        let (entries, warnings) = parse(format!("{line}\n{old}\n").as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(entries[0], e);
        assert_eq!(entries[1].chosen, None);
        assert_eq!(entries[0].trap_names(), ["Fortune telling", "Comparing"]);
        assert_eq!(entries[1].trap_names(), ["Fortune telling"]);
    }

    #[test]
    fn stats_count_the_traps_kept_dropped_and_added() {
        // Kept fortune telling, added comparing.
        let mut kept = entry("one", 90, 40);
        kept.chosen = Some(vec![
            trap("fortune-telling", "Fortune telling"),
            trap("comparing", "Comparing"),
        ]);
        // Dropped fortune telling, chose nothing.
        let mut dropped = entry("two", 70, 60);
        dropped.chosen = Some(Vec::new());
        // Never asked: counts for neither.
        let s = stats(&[kept, dropped, entry("three", 50, 40)]);
        let ft = &s.choices["fortune-telling"];
        assert_eq!((ft.agreed, ft.dropped, ft.added), (1, 1, 0));
        let c = &s.choices["comparing"];
        assert_eq!(
            (c.name.as_str(), c.agreed, c.dropped, c.added),
            ("Comparing", 0, 0, 1)
        );
        assert_eq!(s.choices.len(), 2);
        // The traps counted by entry are those chosen, and those recognised where none were.
        assert_eq!(s.patterns["fortune-telling"].1, 2, "kept, and never asked");
        assert_eq!(s.patterns["comparing"].1, 1, "added");
    }

    #[test]
    fn exports_keep_the_chosen_traps() {
        let mut e = entry("one", 90, 40);
        e.chosen = Some(vec![trap("comparing", "Comparing")]);
        let csv = render(&[e.clone()], ExportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let column = header.iter().position(|h| h == "chosen").unwrap();
        assert_eq!(&row[column], "comparing");
        let md = render(&[e], ExportFormat::Markdown);
        assert!(md.contains("- **Thinking traps:** Comparing\n"), "{md}");
        assert!(
            md.contains("- **Recognised by reframe:** Fortune telling\n"),
            "{md}"
        );
    }

    /// `entries` exported in `format`, as text.
    fn render(entries: &[Entry], format: ExportFormat) -> String {
        let mut out = Vec::new();
        export(&mut out, entries, format).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn exports_hold_every_entry() {
        let entries = [entry("one, two", 90, 40), entry("three", 70, 60)];
        let csv = render(&entries, ExportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][3], "one, two");
        assert_eq!(&rows[0][9], "hurt 80 -> 50");
        let json: serde_json::Value =
            serde_json::from_str(&render(&entries, ExportFormat::Json)).unwrap();
        assert_eq!(json["entries"][1]["thought"], "three");
        let md = render(&entries, ExportFormat::Markdown);
        assert!(
            md.contains("## 2.") && md.contains("- **Thought:** one, two (believed 90%)"),
            "{md}"
        );
    }

    /// An entry stopped for safety after the check-in was answered yes.
    fn stopped() -> Entry {
        let mut e = entry("I can't go on", 90, 90);
        e.status = Status::Unfinished;
        e.safety_stop = true;
        e.check_in = Some(CheckIn {
            reason: CheckInReason::Concern,
            answer: Some(CheckInAnswer::Yes),
        });
        e
    }

    #[test]
    fn the_safety_category_round_trips_and_is_left_out_when_unknown() {
        let mut e = stopped();
        e.safety_category = Some(crate::rules::Category::SelfHarm);
        let line = serde_json::to_string(&e).unwrap();
        assert!(
            line.contains(r#""safety_stop":true,"safety_category":"self-harm","#),
            "{line}"
        );
        let without = serde_json::to_string(&stopped()).unwrap();
        assert!(!without.contains("safety_category"), "{without}");
        let (entries, warnings) = parse(format!("{line}\n{without}\n").as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(entries, [e, stopped()]);
        assert_eq!(entries[0].version, VERSION);
    }

    #[test]
    fn the_check_in_round_trips_and_a_line_without_it_still_reads() {
        let line = serde_json::to_string(&stopped()).unwrap();
        assert!(
            line.contains(r#""safety_stop":true,"check_in":{"reason":"concern","answer":"yes"}"#),
            "{line}"
        );
        let unanswered = r#"{"version":1,"started":"2026-11-22T10:00:00Z","status":"unfinished","thought":"t","check_in":{"reason":"hopeless"}}"#;
        let old =
            r#"{"version":1,"started":"2026-11-22T10:00:00Z","status":"complete","thought":"t"}"#;
        let (entries, warnings) = parse(format!("{line}\n{unanswered}\n{old}\n").as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(entries[0], stopped());
        assert_eq!(
            entries[1].check_in,
            Some(CheckIn {
                reason: CheckInReason::Hopeless,
                answer: None
            })
        );
        assert_eq!((entries[2].check_in, entries[2].safety_stop), (None, false));
    }

    #[test]
    fn every_check_in_reason_round_trips_and_an_unknown_one_still_reads() {
        for reason in [
            CheckInReason::Concern,
            CheckInReason::Hopeless,
            CheckInReason::Mention,
        ] {
            let mut e = entry("t", 80, 50);
            e.check_in = Some(CheckIn {
                reason,
                answer: Some(CheckInAnswer::No),
            });
            let line = serde_json::to_string(&e).unwrap();
            assert!(line.contains(&format!("\"reason\":\"{}\"", reason.as_str())));
            assert_eq!(parse(line.as_bytes()).0, [e]);
        }
        let newer = r#"{"version":1,"started":"2026-11-22T10:00:00Z","status":"complete","thought":"t","check_in":{"reason":"a-reason-from-later","answer":"no"}}"#;
        let (entries, warnings) = parse(newer.as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            entries[0].check_in.map(|c| c.reason),
            Some(CheckInReason::Unknown)
        );
    }

    #[test]
    fn stats_count_safety_stops_and_check_in_answers() {
        let mut no = entry("two", 70, 60);
        no.check_in = Some(CheckIn {
            reason: CheckInReason::Hopeless,
            answer: Some(CheckInAnswer::No),
        });
        let s = stats(&[stopped(), no, entry("three", 50, 40)]);
        assert_eq!(s.safety_stops, 1);
        assert_eq!(
            s.check_ins,
            CheckInCounts {
                yes: 1,
                no: 1,
                unanswered: 0
            }
        );
        assert_eq!(s.check_ins.total(), 2);
    }

    #[test]
    fn stats_count_every_entry_once_even_one_marked_complete_and_stopped() {
        // A session never writes such an entry, but a hand-edited or newer journal may.
        let mut both = stopped();
        both.status = Status::Complete;
        let mut unfinished = entry("four", 60, 50);
        unfinished.status = Status::Unfinished;
        let s = stats(&[both, entry("two", 70, 60), unfinished]);
        assert_eq!((s.complete, s.unfinished, s.safety_stops), (1, 1, 1));
    }

    #[test]
    fn exports_mark_a_safety_stop_and_the_check_in() {
        let entries = [stopped(), entry("two", 70, 60)];
        let csv = render(&entries, ExportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][column("safety_stop")], "yes");
        assert_eq!(&rows[0][column("check_in_reason")], "concern");
        assert_eq!(&rows[0][column("check_in_answer")], "yes");
        assert_eq!(&rows[1][column("safety_stop")], "no");
        assert_eq!(&rows[1][column("check_in_answer")], "");
        let json: serde_json::Value =
            serde_json::from_str(&render(&entries, ExportFormat::Json)).unwrap();
        assert_eq!(json["entries"][0]["safety_stop"], true);
        assert_eq!(json["entries"][0]["check_in"]["answer"], "yes");
        let md = render(&entries, ExportFormat::Markdown);
        assert!(md.contains("(stopped for safety)\n"), "{md}");
        assert!(md.contains("- **Stopped for safety:** "), "{md}");
        assert!(
            md.contains("- **Check-in:** asked about thoughts of ending your life, because something written sounded like a warning sign; answered yes"),
            "{md}"
        );
        assert_eq!(md.matches("Stopped for safety").count(), 1, "{md}");
    }

    #[test]
    fn a_safety_stop_says_whether_words_or_a_yes_to_the_check_in_stopped_it() {
        // `stopped()` answered yes to the check-in.
        assert!(safety_stop_reason(&stopped()).contains("after a yes to"));
        let mut by_words = stopped();
        by_words.check_in = None;
        assert!(safety_stop_reason(&by_words).contains("because of something said"));
        let md = render(&[by_words], ExportFormat::Markdown);
        assert!(
            md.contains("because of something said about suicide"),
            "{md}"
        );
    }

    #[test]
    fn the_entry_continued_round_trips_and_a_line_without_it_still_reads() {
        let first = entry("one", 90, 40);
        let mut later = entry("one", 90, 40);
        later.started = "2026-11-23T09:00:00Z".parse().unwrap();
        later.continues = Some(first.started);
        let line = serde_json::to_string(&later).unwrap();
        assert!(
            line.contains(
                r#""started":"2026-11-23T09:00:00Z","continues":"2026-11-22T10:00:00Z","#
            ),
            "{line}"
        );
        let old = serde_json::to_string(&first).unwrap();
        assert!(!old.contains("continues"), "{old}");
        let written_before =
            r#"{"version":1,"started":"2026-11-22T10:00:00Z","status":"unfinished","thought":"t"}"#;
        let (entries, warnings) = parse(format!("{line}\n{old}\n{written_before}\n").as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(entries[0], later);
        assert_eq!((entries[1].continues, entries[2].continues), (None, None));
    }

    /// Entries started a day apart from 2026-11-01, complete or not as `complete` says.
    fn days(complete: &[bool]) -> Vec<Entry> {
        complete
            .iter()
            .enumerate()
            .map(|(i, &done)| {
                let mut e = entry("t", 80, 60);
                e.started = format!("2026-11-{:02}T10:00:00Z", i + 1).parse().unwrap();
                if !done {
                    e.status = Status::Unfinished;
                }
                e
            })
            .collect()
    }

    #[test]
    fn the_entry_to_resume_is_the_latest_unfinished_one_not_continued() {
        let mut entries = days(&[false, true, false, true]);
        assert_eq!(to_resume(&entries, None), Ok(2));
        assert_eq!(continued_by(&entries), [None; 4]);
        // Entry 3 goes on in entry 5: the one before it, entry 1, is next.
        let mut later = entries[2].clone();
        later.started = "2026-11-09T10:00:00Z".parse().unwrap();
        later.continues = Some(entries[2].started);
        later.status = Status::Complete;
        entries.push(later);
        assert_eq!(continued_by(&entries)[2], Some(4));
        assert_eq!(to_resume(&entries, None), Ok(0));
        // By number, any unfinished entry, continued or not.
        assert_eq!(to_resume(&entries, Some(3)), Ok(2));
        assert_eq!(to_resume(&entries, Some(2)), Err(ResumeError::Complete(2)));
        assert_eq!(
            to_resume(&entries, Some(9)),
            Err(ResumeError::NoSuchEntry {
                number: 9,
                count: 5
            })
        );
        assert_eq!(
            to_resume(&days(&[true, true]), None),
            Err(ResumeError::NoneUnfinished)
        );
        assert_eq!(to_resume(&[], Some(1)), Err(ResumeError::NoneUnfinished));
    }

    #[test]
    fn an_unfinished_entry_gone_on_with_is_counted_once_unless_it_stopped_for_safety() {
        let mut entries = days(&[false, true, false]);
        entries[0].safety_stop = true;
        // Entries 1 and 3 are gone on with in entries 4 and 5; entry 5 is unfinished too, and
        // goes on in entry 6.
        for (earlier, day, done) in [(0, 10, true), (2, 11, false), (4, 12, true)] {
            let mut later = entries[earlier].clone();
            later.started = format!("2026-11-{day}T10:00:00Z").parse().unwrap();
            later.continues = Some(entries[earlier].started);
            later.safety_stop = false;
            later.status = if done {
                Status::Complete
            } else {
                Status::Unfinished
            };
            entries.push(later);
        }
        let started: Vec<String> = counted(&entries)
            .iter()
            .map(|e| e.started.to_string())
            .collect();
        // The safety stop stays; entry 3, and entry 5 that went on with it, give way to 6.
        assert_eq!(
            started,
            [
                "2026-11-01T10:00:00Z",
                "2026-11-02T10:00:00Z",
                "2026-11-10T10:00:00Z",
                "2026-11-12T10:00:00Z"
            ]
        );
        let s = stats(&entries);
        assert_eq!((s.entries, s.continued), (4, 2));
        assert_eq!((s.complete, s.unfinished, s.safety_stops), (3, 0, 1));
    }

    /// A re-rating of `entry("one", ..)` (started 2026-11-22T10:00:00Z) a week later.
    fn a_week_later(belief: u8) -> Rerating {
        Rerating::new(
            &entry("one", 90, 40),
            "2026-11-29T10:00:00Z".parse().unwrap(),
            belief,
        )
    }

    #[test]
    fn a_rerating_line_is_read_apart_from_the_entries_and_never_as_a_bad_one() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(dir.path().join("journal.jsonl"));
        journal.append(&entry("one", 90, 40)).unwrap();
        journal.append_rerating(&a_week_later(60)).unwrap();
        journal.append(&entry("two", 70, 60)).unwrap();
        let text = fs::read_to_string(journal.path()).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some(
                r#"{"version":1,"kind":"rerating","entry":"2026-11-22T10:00:00Z","at":"2026-11-29T10:00:00Z","belief":60}"#
            )
        );
        let contents = journal.read_all().unwrap();
        assert!(contents.warnings.is_empty(), "{:?}", contents.warnings);
        assert_eq!(contents.entries.len(), 2);
        assert_eq!(contents.reratings, [a_week_later(60)]);
        // `read` and `parse` leave re-ratings out, without a warning.
        let (entries, warnings) = journal.read().unwrap();
        assert_eq!((entries.len(), warnings.len()), (2, 0));
    }

    #[test]
    fn an_old_journal_reads_as_before_and_a_kind_of_entry_is_an_entry() {
        let old =
            r#"{"version":1,"started":"2026-11-22T10:00:00Z","status":"complete","thought":"t"}"#;
        let named = r#"{"version":1,"kind":"entry","started":"2026-11-23T10:00:00Z","status":"complete","thought":"u"}"#;
        let contents = parse_all(format!("{old}\n{named}\n").as_bytes());
        assert!(contents.warnings.is_empty(), "{:?}", contents.warnings);
        assert!(contents.reratings.is_empty());
        let thoughts: Vec<&str> = contents
            .entries
            .iter()
            .map(|e| e.thought.as_str())
            .collect();
        assert_eq!(thoughts, ["t", "u"]);
    }

    #[test]
    fn a_damaged_rerating_or_an_unknown_kind_is_skipped_with_a_warning() {
        let good = a_week_later(40).to_line().unwrap();
        let over = good.replace("\"belief\":40", "\"belief\":140");
        let missing = good.replace(",\"belief\":40", "");
        let unknown = r#"{"version":1,"kind":"bookmark","entry":"2026-11-22T10:00:00Z"}"#;
        let numbered = r#"{"version":1,"kind":7}"#;
        let text = format!("{good}\n{over}\n{missing}\n{unknown}\n{numbered}\n");
        let contents = parse_all(text.as_bytes());
        assert_eq!(contents.reratings, [a_week_later(40)]);
        let lines: Vec<(usize, bool)> = contents
            .warnings
            .iter()
            .map(|w| (w.line, w.newer))
            .collect();
        assert_eq!(lines, [(2, false), (3, false), (4, true), (5, false)]);
        assert!(
            contents.warnings[0].message.contains("re-rating"),
            "{:?}",
            contents.warnings
        );
        assert!(
            contents.warnings[2].message.contains("\"bookmark\""),
            "{:?}",
            contents.warnings
        );
    }

    #[test]
    fn exports_carry_the_reratings_of_each_entry() {
        let entries = [entry("one", 90, 40)];
        let reratings = [a_week_later(60)];
        let render_all = |format| {
            let mut out = Vec::new();
            export_all(&mut out, &entries, &reratings, format).unwrap();
            String::from_utf8(out).unwrap()
        };
        let json: serde_json::Value =
            serde_json::from_str(&render_all(ExportFormat::Json)).unwrap();
        assert_eq!(json["reratings"][0]["entry"], "2026-11-22T10:00:00Z");
        assert_eq!(json["reratings"][0]["belief"], 60);
        let without: serde_json::Value =
            serde_json::from_str(&render(&entries, ExportFormat::Json)).unwrap();
        assert!(without.get("reratings").is_none(), "{without}");
        let csv = render_all(ExportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let column = header.iter().position(|h| h == "reratings").unwrap();
        assert_eq!(&row[column], "2026-11-29T10:00:00Z 60");
        let md = render_all(ExportFormat::Markdown);
        assert!(
            md.contains("- **Belief in the thought, looking back:** 60% 7 days later ("),
            "{md}"
        );
    }
}
