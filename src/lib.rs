//! `reframe` recognises thinking traps (cognitive distortions) in a thought, names them in plain
//! words, and offers balanced reframes and questions, the way cognitive behavioural therapy
//! teaches.
//!
//! The library is the engine behind the `reframe` command: load a [`RuleSet`], compile it into an
//! [`Engine`], and [`Engine::analyse`] thoughts.
//!
//! ```
//! use reframe::{Engine, RuleSet};
//!
//! let engine = Engine::new(RuleSet::builtin()?)?;
//! let analysis = engine.analyse("I'll never be good enough");
//! let finding = &analysis.findings[0];
//! assert_eq!(finding.distortion.id, "fortune-telling");
//! assert!(finding.matches.iter().any(|m| m.text == "I'll never be good enough"));
//! println!("{}: {}", finding.distortion.name, finding.reframes[0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A thought with crisis language ([`Analysis::safety`]), or one that names suicide or self-harm
//! ([`Analysis::mentions_suicide`]), has no findings: it is never reframed. Answer it first, with
//! the crisis lines of [`resources`] and the words of [`output::safety`], as
//! `examples/analyse.rs` does; a program that only reads `findings` says nothing to it.
//!
//! Rules are data (`rules/*.toml`, documented in `rules/README.md`); the built-in set is embedded
//! in the library, and users can add or override rules with [`RuleSources`].

pub mod analysis;
pub mod batch;
mod char_index;
pub mod engine;
pub mod eval;
mod filter;
mod group_names;
pub mod journal;
mod literals;
mod mention;
mod nfa_codec;
pub mod normalize;
pub mod output;
mod prebuilt;
pub mod resources;
pub mod rules;
pub mod sentence;
pub mod session;

pub use analysis::{Analysis, Finding, Match, Span};
pub use engine::Engine;
pub use rules::{LoadError, RuleSet, RuleSources};

/// The README, whose Rust example `cargo test` compiles and runs as a doctest, so a library user
/// who copies it gets code that builds (its other blocks are not Rust and are checked by
/// `tests/readme.rs`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
