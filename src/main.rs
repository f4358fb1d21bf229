//! The `reframe` binary: parse the command line, run, print any error once, pick the exit code.

/// `eprintln!` that cannot panic: a line for standard error that cannot be written (a full disk,
/// a closed pipe, a closed terminal) is dropped, so a warning never stops the work it is about and
/// exit codes stay as documented.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod app;
mod cli;
mod config;
mod exit_code;
mod generate;

use clap::Parser;

use crate::exit_code::ExitCode;

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let environment = config::Environment::read();
    let cli = cli::Cli::try_parse_from(&args).unwrap_or_else(|error| {
        // A refused command line may still be a thought ("reframe help I want to die"): crisis
        // language in it is answered before the error, as everywhere else.
        let crisis = error.use_stderr() && app::answer_refused_words(&args, &environment);
        let error = cli::with_thought_tip(error, &args);
        if crisis && args.iter().any(|a| a == "--exit-code") {
            // As everywhere, 3 for crisis language wins over 2 for the usage error.
            let _ = error.print();
            std::process::exit(ExitCode::Crisis as i32);
        }
        error.exit()
    });
    if let Some(error) = cli.misplaced_count() {
        error.exit();
    }
    let config = config::resolve(cli, &environment);
    match app::run(&config) {
        Ok(code) => code.into(),
        // A closed pipe (`reframe -f big.txt | head`) means the reader has what it wanted.
        Err(failure) if is_broken_pipe(&failure.error) => ExitCode::Success.into(),
        Err(app::Failure { error, code }) => {
            note!("reframe: {error:#}");
            code.into()
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
