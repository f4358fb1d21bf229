//! Compiles the built-in rules' multi-pattern NFA ahead of time (see `src/nfa_codec.rs` for why).
//!
//! Reads `rules/*.toml` just far enough to list the `match` expressions in the order the engine
//! uses (files by name, patterns and expressions in file order), prepares them with the same
//! dialect code, compiles them with the same function, and writes the encoded NFA and the
//! fingerprint of the expressions it was built from. It verifies that decoding reproduces the
//! NFA exactly. Rules that do not compile are not an error here: the run-time loader reports them
//! properly, so this writes an empty NFA that the engine will not use.

#[path = "src/nfa_codec.rs"]
#[allow(dead_code)]
mod nfa_codec;
#[path = "src/rules/syntax.rs"]
#[allow(dead_code)]
mod syntax;

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=rules");
    println!("cargo::rerun-if-changed=src/nfa_codec.rs");
    println!("cargo::rerun-if-changed=src/rules/syntax.rs");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let (words, fingerprint) = match builtin_nfa() {
        Ok(built) => built,
        Err(error) => {
            println!(
                "cargo::warning=built-in rules not pre-compiled ({error}); they will compile at start-up"
            );
            (Vec::new(), 0)
        }
    };
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(Path::new(&out).join("builtin_nfa.bin"), bytes).expect("write the encoded NFA");
    std::fs::write(
        Path::new(&out).join("builtin_nfa.rs"),
        format!("/// The fingerprint of the expressions the embedded NFA was built from (0: none).\npub const FINGERPRINT: u64 = {fingerprint};\n"),
    )
    .expect("write the fingerprint");
}

fn builtin_nfa() -> Result<(Vec<u32>, u64), String> {
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .map_err(|e| e.to_string())?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
    files.sort();
    let mut prepared = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let patterns = table
            .get("pattern")
            .and_then(|p| p.as_array())
            .cloned()
            .unwrap_or_default();
        for pattern in patterns {
            let regexes = pattern
                .get("match")
                .and_then(|m| m.as_array())
                .cloned()
                .unwrap_or_default();
            for regex in regexes {
                prepared.push(syntax::prepare(
                    regex.as_str().ok_or("a match entry that is not a string")?,
                ));
            }
        }
    }
    let nfa = nfa_codec::compile_set(&prepared)?;
    let words = nfa_codec::encode(&nfa)?;
    let decoded = nfa_codec::decode(&words)?;
    if decoded.states() != nfa.states()
        || decoded.start_anchored() != nfa.start_anchored()
        || decoded.start_unanchored() != nfa.start_unanchored()
        || decoded.pattern_len() != nfa.pattern_len()
    {
        return Err("the decoded NFA differs from the compiled one".into());
    }
    Ok((
        words,
        nfa_codec::fingerprint(prepared.iter().map(String::as_str)),
    ))
}
