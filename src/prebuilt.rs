//! What `build.rs` prepared for the built-in rules: the encoded NFA of their `match` expressions,
//! its fingerprint, and whether every built-in `unless` expression was verified.

include!(concat!(env!("OUT_DIR"), "/builtin_nfa.rs"));

/// The encoded NFA (see `crate::nfa_codec`); empty when `build.rs` could not build it.
pub const ENCODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin_nfa.bin"));
