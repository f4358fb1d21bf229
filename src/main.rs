//! The `reframe` binary: parse the command line, run, print any error once, pick the exit code.

mod app;
mod cli;
mod config;
mod exit_code;

use clap::Parser;

use crate::exit_code::ExitCode;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let config = config::resolve(cli, &config::Environment::read());
    match app::run(&config) {
        Ok(code) => code.into(),
        // A closed pipe (`reframe -f big.txt | head`) means the reader has what it wanted.
        Err(failure) if is_broken_pipe(&failure.error) => ExitCode::Success.into(),
        Err(app::Failure { error, code }) => {
            eprintln!("reframe: {error:#}");
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
