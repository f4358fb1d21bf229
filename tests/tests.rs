//! Integration tests: the real `reframe` binary, run through one hermetic helper (`util.rs`), and
//! the library's public API. Each file covers one area and reads as a specification of it.

mod batch;
mod cli;
mod corpus;
mod examples;
mod folding;
mod journal;
mod library;
mod oneshot;
mod properties;
#[cfg(unix)]
mod pty;
mod readme;
mod rules;
mod safety;
mod session;
mod util;
