//! The shape of a rule file exactly as TOML spells it, before validation.
//!
//! Every value a validator may complain about is `Spanned`, so its error can name the line. Unknown
//! fields are rejected here by serde. Turning this raw form into checked [`super::Distortion`]s is
//! the job of `distortion.rs` and `pattern.rs`.

use serde::Deserialize;
use toml::Spanned;

/// A whole rule file: one distortion.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDistortion {
    #[serde(default)]
    pub disabled: bool,
    pub name: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub explanation: Option<Spanned<String>>,
    #[serde(default)]
    pub reframes: Vec<Spanned<String>>,
    #[serde(default)]
    pub questions: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    #[serde(default)]
    pub flag: Vec<Spanned<String>>,
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    #[serde(default, rename = "pattern")]
    pub patterns: Vec<Spanned<RawPattern>>,
}

/// One `[[pattern]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPattern {
    pub id: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
    pub level: Option<Spanned<String>>,
    pub scope: Option<Spanned<String>>,
    #[serde(rename = "match", default)]
    pub regexes: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    #[serde(default)]
    pub reframes: Vec<Spanned<String>>,
    #[serde(default)]
    pub questions: Vec<Spanned<String>>,
    #[serde(default)]
    pub flag: Vec<Spanned<String>>,
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
}
