//! The exit codes, documented in the README and at the end of each command's `--help` (see
//! `cli.rs`). Only `main` turns them into a process status.

/// How the program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success, whether or not anything was recognised.
    Success = 0,
    /// With `--exit-code`: a thinking trap was recognised. `rules test`: an example failed.
    Found = 1,
    /// A usage error, unreadable input, invalid rules, or a session's entry that could not be
    /// saved (and was written to standard output instead).
    Error = 2,
    /// With `--exit-code`: a thought spoke of suicide, self-harm or danger.
    Crisis = 3,
    /// A session was interrupted (Ctrl-C, or the terminal closed); 128 plus SIGINT's number, as
    /// shells report it.
    Interrupted = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}
