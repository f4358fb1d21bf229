//! Turning analyses into what people and programs read.
//!
//! `text` writes for a person, `json` for programs (its schema is documented in the README and is
//! a stable interface), `summary` tallies a batch, and `report` prints an evaluation. Whether
//! colour is used is decided once by the caller and handed in as a [`Palette`].

pub mod json;
pub mod palette;
pub mod report;
pub mod safety;
pub mod summary;
pub mod text;
pub mod wrap;

pub use palette::Palette;

/// The output formats for analysed thoughts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable text for a person.
    Text,
    /// One JSON document holding every thought.
    Json,
    /// One JSON object per line, one line per thought.
    Jsonl,
}
