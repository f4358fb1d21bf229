//! Compiling the multi-pattern NFA, and storing it as numbers so the built-in set can be compiled
//! when `reframe` is built instead of every time it starts.
//!
//! Parsing and compiling the built-in expressions is most of a one-shot run's start-up (measured
//! with callgrind: 40 of 58 million instructions). `regex-automata` offers no serialization for
//! NFAs, but its public `thompson::Builder` can rebuild one state by state, so `build.rs` compiles
//! the built-in set with [`compile_set`], writes it with [`encode`], and checks that [`decode`]
//! gives back identical states; the engine then decodes it at start-up. A pre-compiled DFA was
//! tried first and dropped: determinizing these overlapping patterns ran past a gigabyte.
//!
//! This file is included by `build.rs` as well as the library, so it depends on nothing but
//! `regex-automata`.

use regex_automata::nfa::thompson::{self, Builder, NFA, State, Transition, WhichCaptures};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{PatternID, StateID};
use regex_automata::util::syntax;

/// The size limit of a set's NFA, well above what the built-in rules need.
const NFA_SIZE_LIMIT: usize = 64 * 1024 * 1024;

/// The first word of an encoded NFA, and its format version.
const MAGIC: u32 = 0x5246_4e31;

const RANGE: u32 = 0;
const SPARSE: u32 = 1;
const LOOK: u32 = 2;
const UNION: u32 = 3;
const FAIL: u32 = 4;
const MATCH: u32 = 5;

/// Compiles prepared expressions into one forward NFA that reports which of them match. The one
/// place this configuration is written, for the engine and for `build.rs` alike.
pub fn compile_set(prepared: &[String]) -> Result<NFA, String> {
    thompson::Compiler::new()
        .syntax(syntax::Config::new().multi_line(true))
        .configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
        )
        .build_many(prepared)
        .map_err(|error| error.to_string())
}

/// One list of `unless` expressions as the single expression that stands for it in the exception
/// automaton: their alternation. Written here so `build.rs` and the engine join them alike.
pub fn alternation(expressions: &[&str]) -> String {
    format!("(?:{})", expressions.join(")|(?:"))
}

/// Where to cut `prepared` in two so that about half the expression text lies on each side: the
/// index of the first expression of the second half, never 0 or `prepared.len()` when there are two
/// or more. The engine splits run-time sets this way, and `build.rs` the pre-compiled one.
pub fn half_split(prepared: &[String]) -> usize {
    let total: usize = prepared.iter().map(String::len).sum();
    let mut acc = 0;
    prepared
        .iter()
        .position(|p| {
            acc += p.len();
            acc * 2 >= total
        })
        .map_or(prepared.len() / 2, |i| (i + 1).min(prepared.len() - 1))
}

/// A 64-bit FNV-1a hash of the prepared expressions, in order: which set an encoded NFA is for.
pub fn fingerprint<'a>(prepared: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for expression in prepared {
        for byte in expression.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

// `encode` and this helper are used by build.rs and the tests, not by the library itself.
#[cfg_attr(not(test), allow(dead_code))]
fn id(sid: StateID) -> u32 {
    sid.as_u32()
}

/// Encodes an NFA compiled by [`compile_set`] (no capture states) as words.
#[cfg_attr(not(test), allow(dead_code))]
pub fn encode(nfa: &NFA) -> Result<Vec<u32>, String> {
    let mut out = vec![
        MAGIC,
        u32::from(nfa.is_utf8()),
        nfa.pattern_len() as u32,
        id(nfa.start_anchored()),
        id(nfa.start_unanchored()),
    ];
    for pid in 0..nfa.pattern_len() {
        let start = nfa
            .start_pattern(PatternID::new(pid).map_err(|e| e.to_string())?)
            .ok_or("a pattern without a start")?;
        out.push(id(start));
    }
    out.push(nfa.states().len() as u32);
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => out.extend([
                RANGE,
                u32::from(trans.start),
                u32::from(trans.end),
                id(trans.next),
            ]),
            State::Sparse(sparse) => {
                out.extend([SPARSE, sparse.transitions.len() as u32]);
                for t in sparse.transitions.iter() {
                    out.extend([u32::from(t.start), u32::from(t.end), id(t.next)]);
                }
            }
            State::Dense(_) => {
                return Err("dense NFA states are not produced by compile_set".into());
            }
            State::Look { look, next } => out.extend([LOOK, look.as_repr(), id(*next)]),
            State::Union { alternates } => {
                out.extend([UNION, alternates.len() as u32]);
                out.extend(alternates.iter().map(|a| id(*a)));
            }
            State::BinaryUnion { alt1, alt2 } => out.extend([UNION, 2, id(*alt1), id(*alt2)]),
            State::Capture { .. } => {
                return Err("capture states are not produced by compile_set".into());
            }
            State::Fail => out.push(FAIL),
            State::Match { pattern_id } => out.extend([MATCH, pattern_id.as_u32()]),
        }
    }
    Ok(out)
}

/// Rebuilds an NFA from [`encode`]'s words (taken one by one, so they can be read straight from
/// the embedded bytes without a copy). It leaks its scratch memory on purpose: call it once per
/// automaton, as the engine does for the embedded ones.
pub fn decode(words: impl IntoIterator<Item = u32>) -> Result<NFA, String> {
    let mut rest = words.into_iter();
    let mut next = || -> Result<u32, String> {
        rest.next()
            .ok_or_else(|| "the encoded NFA ends early".to_string())
    };
    let sid = |word: u32| StateID::new(word as usize).map_err(|e| e.to_string());
    if next()? != MAGIC {
        return Err("not an encoded NFA of this version".into());
    }
    let mut builder = Builder::new();
    builder.set_utf8(next()? == 1);
    let pattern_len = next()? as usize;
    let (start_anchored, start_unanchored) = (sid(next()?)?, sid(next()?)?);
    let pattern_starts = (0..pattern_len)
        .map(|_| next().and_then(sid))
        .collect::<Result<Vec<_>, _>>()?;
    let state_len = next()? as usize;
    let error = |e: thompson::BuildError| e.to_string();
    for expected in 0..state_len {
        let added = match next()? {
            RANGE => {
                let (start, end, to) = (next()?, next()?, sid(next()?)?);
                builder
                    .add_range(Transition {
                        start: start as u8,
                        end: end as u8,
                        next: to,
                    })
                    .map_err(error)?
            }
            SPARSE => {
                let len = next()? as usize;
                let mut transitions = Vec::with_capacity(len);
                for _ in 0..len {
                    let (start, end, to) = (next()?, next()?, sid(next()?)?);
                    transitions.push(Transition {
                        start: start as u8,
                        end: end as u8,
                        next: to,
                    });
                }
                builder.add_sparse(transitions).map_err(error)?
            }
            LOOK => {
                let look = Look::from_repr(next()?).ok_or("an unknown look-around")?;
                builder.add_look(sid(next()?)?, look).map_err(error)?
            }
            UNION => {
                let len = next()? as usize;
                let alternates = (0..len)
                    .map(|_| next().and_then(sid))
                    .collect::<Result<Vec<_>, _>>()?;
                builder.add_union(alternates).map_err(error)?
            }
            FAIL => builder.add_fail().map_err(error)?,
            MATCH => {
                let pid = next()? as usize;
                if builder.pattern_len() != pid {
                    return Err("match states out of pattern order".into());
                }
                builder.start_pattern().map_err(error)?;
                let added = builder.add_match().map_err(error)?;
                let start = *pattern_starts
                    .get(pid)
                    .ok_or("a match for an unknown pattern")?;
                builder.finish_pattern(start).map_err(error)?;
                added
            }
            tag => return Err(format!("unknown state tag {tag}")),
        };
        if added.as_usize() != expected {
            return Err("state numbering differs after decoding".into());
        }
    }
    if next().is_ok() {
        return Err("trailing words after the encoded NFA".into());
    }
    let nfa = builder
        .build(start_anchored, start_unanchored)
        .map_err(error);
    // The builder keeps a vector for every state. Freeing them one by one cost 2.3 of 67 million
    // instructions of a one-shot run (callgrind), and the embedded automata are decoded once per
    // process, so that memory is left for the process's exit to reclaim.
    std::mem::forget(builder);
    nfa
}

#[cfg(test)]
mod tests {
    use super::{compile_set, decode, encode, fingerprint, half_split};

    #[test]
    fn the_half_split_balances_text_and_leaves_both_halves_non_empty() {
        let set = |lens: &[usize]| lens.iter().map(|n| "x".repeat(*n)).collect::<Vec<_>>();
        assert_eq!(half_split(&set(&[10, 10, 10, 10])), 2);
        assert_eq!(half_split(&set(&[1, 1, 1, 30])), 3);
        assert_eq!(half_split(&set(&[30, 1, 1, 1])), 1);
        assert_eq!(half_split(&set(&[5, 5])), 1);
    }

    #[test]
    fn an_nfa_survives_encoding_exactly() {
        let prepared = [
            "(?-u:\\b)never(?-u:\\s)+be\\b".to_string(),
            "i'?m [^.!?;]*enough$".to_string(),
            "a|bc|[x-z]+".to_string(),
        ];
        let nfa = compile_set(&prepared).unwrap();
        let decoded = decode(encode(&nfa).unwrap()).unwrap();
        assert_eq!(decoded.states(), nfa.states());
        assert_eq!(
            (decoded.start_anchored(), decoded.start_unanchored()),
            (nfa.start_anchored(), nfa.start_unanchored())
        );
        assert_eq!(decoded.pattern_len(), 3);
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let words = encode(&compile_set(&["abc".to_string()]).unwrap()).unwrap();
        assert!(decode(words[..words.len() - 1].iter().copied()).is_err());
        assert!(decode([0, 1, 2]).is_err());
        let mut longer = words.clone();
        longer.push(7);
        assert!(decode(longer).is_err());
    }

    #[test]
    fn the_fingerprint_depends_on_order_and_boundaries() {
        assert_ne!(fingerprint(["ab", "c"]), fingerprint(["a", "bc"]));
        assert_ne!(fingerprint(["a", "b"]), fingerprint(["b", "a"]));
    }
}
