//! Documents made from the command line's definition in `cli.rs`, so they cannot fall behind it:
//! shell completion scripts (`reframe completions SHELL`) and the manual page (`reframe man`).
//!
//! clap_complete and clap_mangen write them; this module only chooses what goes in. The manual is
//! one page, reframe(1), holding every command and its options, so that one file installs all of
//! it: clap_mangen's own layout is a page per command, which its reframe(1) would name
//! (reframe-journal(1), ...) but a single `reframe man > reframe.1` would not install.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::{self, Cli, ShellArg};

/// The completion script for `shell`.
pub fn completions(shell: ShellArg) -> Vec<u8> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
        ShellArg::Elvish => Shell::Elvish,
    };
    // Into memory: clap_complete panics when it cannot write, and standard output may be a
    // closed pipe, which `main` treats as success.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "reframe", &mut script);
    script
}

/// The manual page, reframe(1), in roff: what `reframe --help` says, then each command with its
/// options, the examples, and the exit codes.
pub fn man_page() -> Vec<u8> {
    let mut command = Cli::command();
    command.build();
    let man = Man::new(command.clone());
    // roff's writer starts every part with the lines that make apostrophes print as such; the
    // page needs them once, first, and an empty `Roff` is just those lines.
    let mut page = Roff::new().render();
    page += &part(|w| man.render_title(w));
    page += &part(|w| man.render_name_section(w));
    page += &part(|w| man.render_synopsis_section(w));
    page += &part(|w| man.render_description_section(w));
    page += &part(|w| man.render_options_section(w));
    page += &commands(&command);
    page += &examples();
    page += &exit_status();
    page.into_bytes()
}

/// One part of the page as clap_mangen or roff writes it, without the apostrophe set-up.
fn part(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory cannot fail");
    let text = String::from_utf8(bytes).expect("roff is written as UTF-8");
    let setup = Roff::new().render();
    match text.strip_prefix(&setup) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// The COMMANDS section: every command, and each of theirs, under its full name, with its
/// description and its options (clap's `help` command aside: `--help` does the same).
fn commands(command: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    roff.text([roman(
        "Each command is listed with the options it takes. An option a command shares with \
         the commands under it is listed once, with it; --color and --help go with every command.",
    )]);
    let mut text = part(|w| roff.to_writer(w));
    for sub in visible_subcommands(command) {
        text += &command_entry(sub, command);
    }
    text
}

/// One command in the COMMANDS section, under `parent`, followed by its own commands.
fn command_entry(command: &clap::Command, parent: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SS", [command.get_bin_name().unwrap_or(command.get_name())]);
    let about = command
        .get_long_about()
        .or(command.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    for (i, paragraph) in about.split("\n\n").enumerate() {
        if i > 0 {
            roff.control("PP", []);
        }
        roff.text([roman(paragraph.replace('\n', " "))]);
    }
    let mut text = part(|w| roff.to_writer(w));
    // Its options as clap_mangen lists them on a page of their own, under this heading instead
    // of that page's OPTIONS, less those said already: the ones it inherits, and --help.
    let inherited: Vec<&clap::Id> = parent
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .map(clap::Arg::get_id)
        .collect();
    let mut own = command.clone();
    for arg in command.get_arguments() {
        if inherited.contains(&arg.get_id()) || arg.get_id() == "help" {
            own = own.mut_arg(arg.get_id(), |arg| arg.hide(true));
        }
    }
    let options = part(|w| Man::new(own).render_options_section(w));
    text += options.strip_prefix(".SH OPTIONS\n").unwrap_or(&options);
    for sub in visible_subcommands(command) {
        text += &command_entry(sub, command);
    }
    text
}

/// The commands of `command` a person would use, in order.
fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// The EXAMPLES section: those `--help` ends with, one a line.
fn examples() -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    roff.control("nf", []);
    for line in cli::EXAMPLES.lines().skip(1) {
        roff.text([bold(line.trim())]);
    }
    roff.control("fi", []);
    part(|w| roff.to_writer(w))
}

/// The EXIT STATUS section: the codes `reframe --help` ends with, each with its meaning.
fn exit_status() -> String {
    let mut codes: Vec<(&str, String)> = Vec::new();
    for line in cli::EXIT_CODES.lines().skip(1) {
        let line = line.trim();
        match line.split_once(' ') {
            Some((code, meaning)) if code.parse::<u8>().is_ok() => {
                codes.push((code, meaning.trim().to_string()));
            }
            _ => {
                if let Some((_, meaning)) = codes.last_mut() {
                    meaning.push(' ');
                    meaning.push_str(line);
                }
            }
        }
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in codes {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    part(|w| roff.to_writer(w))
}
