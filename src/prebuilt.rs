//! What `build.rs` prepared for the built-in rules: the encoded NFA of their `match` expressions,
//! its fingerprint, and whether every built-in `unless` expression was verified.

use std::sync::OnceLock;

use regex_automata::nfa::thompson::NFA;

use crate::nfa_codec;

include!(concat!(env!("OUT_DIR"), "/builtin_nfa.rs"));

/// The encoded NFA (see `crate::nfa_codec`); empty when `build.rs` could not build it.
pub const ENCODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin_nfa.bin"));

/// The decoded NFA, decoded once per process.
static DECODED: OnceLock<Option<NFA>> = OnceLock::new();

/// The built-in NFA, decoding it on first use; `None` if there is none or it does not decode
/// (it was verified when the binary was built, so then the engine just compiles instead).
///
/// Decoding is a third of a one-shot run's work, and does not depend on the rule files, so
/// `RuleSet::load` calls this on a thread of its own while it parses them; the engine, which
/// needs it only after loading, then finds it ready.
pub fn nfa() -> Option<NFA> {
    DECODED
        .get_or_init(|| {
            if FINGERPRINT == 0 {
                return None;
            }
            let words = ENCODED
                .chunks_exact(4)
                .map(|chunk| u32::from_le_bytes(chunk.try_into().expect("four bytes")));
            nfa_codec::decode(words).ok()
        })
        .clone()
}
