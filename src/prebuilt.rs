//! What `build.rs` prepared for the built-in rules: the encoded NFA of their `match` expressions
//! (in two parts) and of their exception lists, the strings each `match` expression requires
//! (see `crate::literals`), their fingerprints, and whether every built-in `unless` expression was
//! verified.

use std::sync::OnceLock;

use regex_automata::nfa::thompson::NFA;

use crate::literals::Clause;
use crate::nfa_codec;

include!(concat!(env!("OUT_DIR"), "/builtin_nfa.rs"));

/// The encoded parts of the NFA (see `crate::nfa_codec`); empty when `build.rs` could not build
/// them.
const ENCODED: [&[u8]; 2] = [
    include_bytes!(concat!(env!("OUT_DIR"), "/builtin_nfa_0.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/builtin_nfa_1.bin")),
];

/// The decoded parts, each decoded once per process.
static DECODED: [OnceLock<Option<NFA>>; 2] = [OnceLock::new(), OnceLock::new()];

/// Part `index` (0 or 1) of the built-in NFA, decoding it on first use; `None` if there is none or
/// it does not decode (it was verified when the binary was built, so then the engine just
/// compiles instead). Part 0 holds the first `PART_LENS[0]` expressions, part 1 the rest.
///
/// Decoding is a third of a one-shot run's work, and does not depend on the rule files, so
/// `RuleSet::load` decodes both parts on threads of their own while it parses them; the engine,
/// which needs them only after loading, then finds them ready.
pub fn part(index: usize) -> Option<NFA> {
    DECODED[index]
        .get_or_init(|| decode(FINGERPRINT, ENCODED[index]))
        .clone()
}

/// The encoded NFA of the built-in exception lists; empty when `build.rs` could not build it.
const ENCODED_EXCEPTIONS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/builtin_exceptions.bin"));

/// The decoded exception NFA, decoded once per process.
static DECODED_EXCEPTIONS: OnceLock<Option<NFA>> = OnceLock::new();

/// The NFA of the built-in exception lists (`EXCEPTION_LISTS` of them, in the engine's order),
/// decoding it on first use; `None` if there is none or it does not decode. Decoded on a thread
/// of its own while the rule files are parsed, like the parts of [`part`].
pub fn exceptions() -> Option<NFA> {
    DECODED_EXCEPTIONS
        .get_or_init(|| decode(EXCEPTIONS_FINGERPRINT, ENCODED_EXCEPTIONS))
        .clone()
}

/// Decodes an embedded NFA written by `build.rs` as little-endian words; `None` when its
/// fingerprint is 0 (`build.rs` could not build it) or it does not decode.
fn decode(fingerprint: u64, bytes: &[u8]) -> Option<NFA> {
    if fingerprint == 0 {
        return None;
    }
    let words = bytes
        .chunks_exact(4)
        .map(|chunk| u32::from_le_bytes(chunk.try_into().expect("four bytes")));
    nfa_codec::decode(words).ok()
}

/// The required strings of the built-in `match` expressions, if `written` (the expressions as
/// written, in the engine's order) is exactly the set they were worked out from.
pub fn requirements(written: &[&str]) -> Option<Vec<Vec<Clause>>> {
    if REQUIREMENTS_FINGERPRINT == 0
        || REQUIREMENTS.len() != written.len()
        || nfa_codec::fingerprint(written.iter().copied()) != REQUIREMENTS_FINGERPRINT
    {
        return None;
    }
    Some(REQUIREMENTS.iter().map(|clauses| owned(clauses)).collect())
}

/// The required strings of the built-in safety file's `count` expressions, in order. The built-in
/// safety file cannot be replaced or disabled, so these are always the expressions `build.rs`
/// worked them out from, at the end of the table (it lists the safety file last), and no
/// fingerprint of every expression need be taken to know it; the count guards the rest. Their
/// being there also says that `build.rs` parsed each of those expressions.
pub fn safety_requirements(count: usize) -> Option<&'static [&'static [&'static [&'static str]]]> {
    if REQUIREMENTS_FINGERPRINT == 0 || SAFETY_EXPRESSIONS != count {
        return None;
    }
    Some(&REQUIREMENTS[REQUIREMENTS.len() - count..])
}

/// The required strings `build.rs` worked out for `expression`, an `unless` expression of a
/// built-in safety file as written, found by its place in the file order (`at`); `None` if the
/// entry there is for another expression, or there is none.
pub fn safety_exception(at: usize, expression: &str) -> Option<&'static [&'static [&'static str]]> {
    SAFETY_EXCEPTIONS
        .get(at)
        .filter(|(written, _)| *written == expression)
        .map(|(_, clauses)| *clauses)
}

/// One expression's clauses from the embedded table, as the literal filter takes them.
fn owned(clauses: &[&[&str]]) -> Vec<Clause> {
    clauses
        .iter()
        .map(|clause| clause.iter().map(|s| s.to_string()).collect())
        .collect()
}
