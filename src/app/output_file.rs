//! A file a command writes whole, named by the user: `journal export -o FILE`.
//!
//! What goes into it is as private as the journal, so it is created readable by its owner only
//! (0600 on Unix), as the journal is. It is written to a temporary file in the same directory,
//! flushed to disk, and only then renamed to its name, so a failure half-way (a full disk, an
//! unreadable journal, an interrupted run) leaves no truncated file behind, and any file that had
//! the name is untouched until the new one is complete.
//!
//! Two mistakes are refused before anything is written. The file may not be the journal: an
//! export would replace it with a copy that lacks every line the reader skipped, such as a newer
//! version's entries. And an existing file is replaced only when the caller says so (`--force`).
//! What is written is the caller's.
//!
//! The temporary file comes from the `tempfile` crate, already built for the tests: it picks an
//! unused name and creates it exclusively with mode 0600, removes it when dropped on an error path,
//! and renames without replacing (`persist_noclobber`, so a file created meanwhile is not lost) on
//! Unix and Windows alike. Written by hand, each of those is a place to get wrong.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tempfile::NamedTempFile;

/// A file being written; it appears under its name only when [`OutputFile::commit`] succeeds.
#[derive(Debug)]
pub struct OutputFile {
    target: PathBuf,
    replace: bool,
    temp: BufWriter<NamedTempFile>,
}

impl OutputFile {
    /// Starts writing `target`, after checking that it is not the file at `journal` (however
    /// either path is spelled, through links too) and that it does not exist unless `replace`.
    pub fn create(target: &Path, journal: &Path, replace: bool) -> anyhow::Result<OutputFile> {
        if same_file(target, journal) {
            anyhow::bail!(
                "-o {} is the journal {} itself, and the export would replace it; choose another file",
                target.display(),
                journal.display()
            );
        }
        if target.is_dir() {
            anyhow::bail!(
                "-o {} is a directory; give the name of a file to write",
                target.display()
            );
        }
        // `symlink_metadata`: a link, even a broken one, is something the user made there.
        if !replace && fs::symlink_metadata(target).is_ok() {
            return Err(already_exists(target));
        }
        let temp = tempfile::Builder::new()
            .prefix(".reframe-")
            .suffix(".tmp")
            .tempfile_in(directory_of(target))
            // The error names the temporary file, which means nothing to the person: the
            // directory is what to look at.
            .map_err(|e| {
                let why = match e.kind() {
                    io::ErrorKind::NotFound => "there is no such directory".to_string(),
                    io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    kind => kind.to_string(),
                };
                anyhow::anyhow!(
                    "cannot create {} in {}: {why}",
                    target.display(),
                    directory_of(target).display()
                )
            })?;
        Ok(OutputFile {
            target: target.to_path_buf(),
            replace,
            temp: BufWriter::new(temp),
        })
    }

    /// Flushes what was written to disk and gives the file its name, replacing the old file if
    /// that was allowed. The sync comes first so that after a crash the name holds the old file
    /// or the whole new one, never an empty one.
    pub fn commit(self) -> anyhow::Result<()> {
        let cannot = || format!("cannot write {}", self.target.display());
        let temp = self
            .temp
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(cannot)?;
        temp.as_file().sync_all().with_context(cannot)?;
        let placed = if self.replace {
            temp.persist(&self.target)
        } else {
            temp.persist_noclobber(&self.target).or_else(|e| {
                // A filesystem with neither a rename that refuses to replace nor hard links (FAT
                // on macOS, some FUSE mounts) still takes an export: a plain rename, after looking
                // once more. Refusing there would stop an export to a USB stick.
                let gone = fs::symlink_metadata(&self.target).is_err();
                if e.error.kind() != io::ErrorKind::AlreadyExists && gone {
                    e.file.persist(&self.target)
                } else {
                    Err(e)
                }
            })
        };
        match placed {
            Ok(_) => Ok(()),
            // Created by something else since `create` looked.
            Err(e) if !self.replace && e.error.kind() == io::ErrorKind::AlreadyExists => {
                Err(already_exists(&self.target))
            }
            Err(e) => Err(e.error).with_context(cannot),
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

fn already_exists(target: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} already exists; add --force to replace it, or choose another file",
        target.display()
    )
}

/// The directory `path` is in; the current one for a bare file name.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Whether `a` and `b` name the same file. When both exist, on Unix they are the same file when
/// they share device and inode, which catches a hard link as well as a symbolic one; elsewhere,
/// when their canonical paths agree. A path that does not exist yet names the file it would
/// create, so an export cannot make the journal's file before the first session does either.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    if let (Ok(a), Ok(b)) = (fs::metadata(a), fs::metadata(b)) {
        use std::os::unix::fs::MetadataExt;
        return (a.dev(), a.ino()) == (b.dev(), b.ino());
    }
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `path` with every link, `.` and `..` resolved; for a file that does not exist, its
/// directory's resolved path and its name. `None` when not even the directory exists.
fn resolved(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok().or_else(|| {
        let name = path.file_name()?;
        let dir = fs::canonicalize(directory_of(path)).ok()?;
        Some(dir.join(name))
    })
}
