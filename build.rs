//! Compiles the built-in rules' multi-pattern NFA ahead of time (see `src/nfa_codec.rs` for why).
//!
//! Reads `rules/*.toml` just far enough to list the `match` expressions in the order the engine
//! uses (files by name, the safety file last; patterns and expressions in file order), prepares
//! them with the same
//! dialect code, compiles them with the same function, and writes the encoded NFA and the
//! fingerprint of the expressions it was built from. It verifies that decoding reproduces the
//! NFA exactly. Rules that do not compile are not an error here: the run-time loader reports them
//! properly, so this writes an empty NFA that the engine will not use.

#[path = "src/group_names.rs"]
mod group_names;
#[path = "src/literals.rs"]
mod literals;
#[path = "src/nfa_codec.rs"]
#[allow(dead_code)]
mod nfa_codec;
#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;
#[path = "src/rules/syntax.rs"]
#[allow(dead_code)]
mod syntax;
#[path = "src/rules/template.rs"]
#[allow(dead_code)]
mod template;
#[path = "src/rules/words.rs"]
mod words;

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=rules");
    println!("cargo::rerun-if-changed=src/nfa_codec.rs");
    println!("cargo::rerun-if-changed=src/literals.rs");
    println!("cargo::rerun-if-changed=src/rules/syntax.rs");
    println!("cargo::rerun-if-changed=src/normalize.rs");
    println!("cargo::rerun-if-changed=src/group_names.rs");
    println!("cargo::rerun-if-changed=src/rules/template.rs");
    println!("cargo::rerun-if-changed=src/rules/words.rs");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let tables = or_warn(rule_tables(), "built-in rules not read", Vec::new());
    let (parts, fingerprint) = or_warn(
        builtin_nfa(&tables),
        "built-in rules not pre-compiled; they will compile at start-up",
        (vec![(0, Vec::new()), (0, Vec::new())], 0),
    );
    let (exception_lists, exception_words, exceptions_fingerprint) = or_warn(
        builtin_exceptions(&tables),
        "built-in exceptions not pre-compiled; they will compile at start-up",
        (0, Vec::new(), 0),
    );
    write_words(&out.join("builtin_exceptions.bin"), &exception_words);
    let exceptions_checked = or_warn(
        check_exceptions(&tables).map(|()| true),
        "a built-in `unless` expression is invalid; it will be reported at start-up",
        false,
    );
    let templates_checked = or_warn(
        check_templates(&tables).map(|()| true),
        "a built-in template uses a capture its pattern lacks; it will be reported at start-up",
        false,
    );
    let (requirements, requirements_fingerprint) = or_warn(
        builtin_requirements(&tables),
        "built-in requirements not worked out; they will be at run time",
        (String::from("&[]"), 0),
    );
    let safety_exceptions = or_warn(
        safety_exception_requirements(&tables),
        "built-in safety exceptions' requirements not worked out; they will be at run time",
        String::from("&[]"),
    );
    let safety_expressions = match_expressions(&tables).map_or(0, |all| all.len())
        - automaton_expressions(&tables).map_or(0, |some| some.len());
    for (i, (_, words)) in parts.iter().enumerate() {
        write_words(&out.join(format!("builtin_nfa_{i}.bin")), words);
    }
    let lens = parts.iter().map(|(len, _)| *len).collect::<Vec<_>>();
    std::fs::write(
        out.join("builtin_nfa.rs"),
        format!(
            "/// The fingerprint of the expressions the embedded NFA was built from (0: none).\n\
             pub const FINGERPRINT: u64 = {fingerprint};\n\
             /// How many expressions each encoded part holds, in order.\n\
             pub const PART_LENS: [usize; 2] = {lens:?};\n\
             /// Whether every built-in `unless` expression was verified when the binary was built.\n\
             pub const EXCEPTIONS_CHECKED: bool = {exceptions_checked};\n\
             /// The fingerprint of the exception lists the embedded exception NFA was built from.\n\
             pub const EXCEPTIONS_FINGERPRINT: u64 = {exceptions_fingerprint};\n\
             /// How many exception lists the embedded exception NFA holds.\n\
             pub const EXCEPTION_LISTS: usize = {exception_lists};\n\
             /// Whether every built-in template's captures exist in its pattern's expressions.\n\
             pub const TEMPLATES_CHECKED: bool = {templates_checked};\n\
             /// The fingerprint of the expressions `REQUIREMENTS` was worked out from (0: none).\n\
             pub const REQUIREMENTS_FINGERPRINT: u64 = {requirements_fingerprint};\n\
             /// The clauses of required strings of each built-in `match` expression, in order.\n\
             pub const REQUIREMENTS: &[&[&[&str]]] = {requirements};\n\
             /// How many of `REQUIREMENTS`, at its end, are the built-in safety file's.\n\
             pub const SAFETY_EXPRESSIONS: usize = {safety_expressions};\n\
             /// Each `unless` expression of the built-in safety files as written, with the\n\
             /// clauses of strings it requires, in file order (each file's own list, then each\n\
             /// pattern's).\n\
             pub const SAFETY_EXCEPTIONS: &[(&str, &[&[&str]])] = {safety_exceptions};\n"
        ),
    )
    .expect("write the fingerprint");
}

/// The value of `result`, or `fallback` with a Cargo warning that says `what` and why: a problem
/// with the built-in rules never fails the build, it only moves the work (and the error report)
/// to start-up.
fn or_warn<T>(result: Result<T, String>, what: &str, fallback: T) -> T {
    result.unwrap_or_else(|error| {
        println!("cargo::warning={what} ({error})");
        fallback
    })
}

/// Writes an encoded NFA as little-endian words.
fn write_words(path: &Path, words: &[u32]) {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(path, bytes).expect("write an encoded NFA");
}

/// The rule files parsed into tables, by file name.
type Tables = [(std::path::PathBuf, toml::Table)];

/// Compiles `prepared` into one NFA and encodes it, checking that decoding gives it back exactly.
fn compile_encoded(prepared: &[String]) -> Result<Vec<u32>, String> {
    let nfa = nfa_codec::compile_set(prepared)?;
    let words = nfa_codec::encode(&nfa)?;
    let decoded = nfa_codec::decode(words.iter().copied())?;
    if decoded.states() != nfa.states()
        || decoded.start_anchored() != nfa.start_anchored()
        || decoded.start_unanchored() != nfa.start_unanchored()
        || decoded.pattern_len() != nfa.pattern_len()
    {
        return Err("the decoded NFA differs from the compiled one".into());
    }
    Ok(words)
}

/// Whether `file` is a safety rule file (`safety.toml`, `safety-*.toml`), whose expressions the
/// engine keeps out of the automaton (see `Engine::candidates`).
fn is_safety(file: &Path) -> bool {
    file.file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem == "safety" || stem.starts_with("safety-"))
}

/// The built-in word lists (`rules/words.toml`) as (name, expanded alternation), each list's
/// words expanded with the lists above it, as the loader does (`src/rules/word_lists.rs`).
fn word_lists() -> Result<Vec<(String, String)>, String> {
    let path = Path::new("rules").join(words::WORDS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lists: Vec<(String, String)> = Vec::new();
    for list in table
        .get("list")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
    {
        let list = list.as_table().ok_or("a `list` that is not a table")?;
        let name = list
            .get("name")
            .and_then(|n| n.as_str())
            .ok_or("a list without a name")?;
        let mut expanded = Vec::new();
        for word in strings(list, "words")? {
            expanded.push(expand(&word, &lists)?);
        }
        lists.push((name.to_string(), words::alternation(&expanded)));
    }
    Ok(lists)
}

/// `expression` with the word lists it names expanded.
fn expand(expression: &str, lists: &[(String, String)]) -> Result<String, String> {
    let lookup = |name: &str| {
        lists
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, words)| words.as_str())
    };
    words::expand(expression, lookup)
        .map(|expanded| expanded.into_owned())
        .map_err(|name| format!("{{{name}}} names no word list"))
}

/// Replaces every string of `table[key]` with its word lists expanded.
fn expand_all(
    table: &mut toml::Table,
    key: &str,
    lists: &[(String, String)],
) -> Result<(), String> {
    if let Some(values) = table.get_mut(key).and_then(|v| v.as_array_mut()) {
        for value in values {
            if let Some(text) = value.as_str() {
                *value = toml::Value::String(expand(text, lists)?);
            }
        }
    }
    Ok(())
}

/// The built-in rule files, parsed just enough to read expressions, with their word lists
/// expanded: (file, table) by file name, the safety files after the others, as the engine orders
/// them.
fn rule_tables() -> Result<Vec<(std::path::PathBuf, toml::Table)>, String> {
    let lists = word_lists()?;
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .map_err(|e| e.to_string())?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    files.retain(|path| {
        path.extension().is_some_and(|ext| ext == "toml")
            && path
                .file_name()
                .is_some_and(|name| name != words::WORDS_FILE && name != "resources.toml")
    });
    files.sort();
    files.sort_by_key(|file| is_safety(file));
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
            let mut table: toml::Table =
                toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let in_file = |e: String| format!("{}: {e}", file.display());
            expand_all(&mut table, "unless", &lists).map_err(in_file)?;
            if let Some(patterns) = table.get_mut("pattern").and_then(|p| p.as_array_mut()) {
                for pattern in patterns.iter_mut().filter_map(|p| p.as_table_mut()) {
                    expand_all(pattern, "match", &lists).map_err(in_file)?;
                    expand_all(pattern, "unless", &lists).map_err(in_file)?;
                }
            }
            Ok((file, table))
        })
        .collect()
}

/// The strings in `table[key]`, if it is an array.
fn strings(table: &toml::Table, key: &str) -> Result<Vec<String>, String> {
    let Some(values) = table.get(key).and_then(|v| v.as_array()) else {
        return Ok(Vec::new());
    };
    values
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("a `{key}` entry that is not a string"))
        })
        .collect()
}

/// The `[[pattern]]` tables of a rule file.
fn patterns(table: &toml::Table) -> Vec<toml::Table> {
    table
        .get("pattern")
        .and_then(|p| p.as_array())
        .map(|items| items.iter().filter_map(|p| p.as_table().cloned()).collect())
        .unwrap_or_default()
}

/// Every `match` expression of the built-in rules as written, in the engine's order: files by
/// name (the safety file last), then patterns and expressions in file order.
fn match_expressions(tables: &Tables) -> Result<Vec<String>, String> {
    expressions_of(tables.iter())
}

/// The `match` expressions the automaton holds: every built-in one but the safety file's.
fn automaton_expressions(tables: &Tables) -> Result<Vec<String>, String> {
    expressions_of(tables.iter().filter(|(file, _)| !is_safety(file)))
}

fn expressions_of<'t>(
    tables: impl Iterator<Item = &'t (std::path::PathBuf, toml::Table)>,
) -> Result<Vec<String>, String> {
    let mut written = Vec::new();
    for (_, table) in tables {
        for pattern in patterns(table) {
            written.extend(strings(&pattern, "match")?);
        }
    }
    Ok(written)
}

/// One encoded part of the automaton: how many expressions it holds, and its words.
type EncodedPart = (usize, Vec<u32>);

/// The built-in automaton in two parts, split where half the expression text lies on each side, so
/// that two threads can decode them at once; and the fingerprint of the whole set.
fn builtin_nfa(tables: &Tables) -> Result<(Vec<EncodedPart>, u64), String> {
    let written = automaton_expressions(tables)?;
    let prepared: Vec<String> = written.iter().map(|w| syntax::prepare(w)).collect();
    if prepared.len() < 2 {
        return Err("fewer than two expressions".into());
    }
    let (first, second) = prepared.split_at(nfa_codec::half_split(&prepared));
    let mut parts = Vec::new();
    for half in [first, second] {
        parts.push((half.len(), compile_encoded(half)?));
    }
    Ok((
        parts,
        nfa_codec::fingerprint(written.iter().map(String::as_str)),
    ))
}

/// The clauses of required strings (see `src/literals.rs`) of every built-in `match` expression,
/// in the engine's order, as Rust source; and the fingerprint of the expressions.
fn builtin_requirements(tables: &Tables) -> Result<(String, u64), String> {
    let written = match_expressions(tables)?;
    let mut source = String::from("&[");
    for expression in &written {
        let clauses = literals::requirement(&syntax::prepare(expression))?;
        source.push_str("&[");
        for clause in clauses {
            source.push_str(&format!("&{clause:?},"));
        }
        source.push_str("],");
    }
    source.push(']');
    Ok((
        source,
        nfa_codec::fingerprint(written.iter().map(String::as_str)),
    ))
}

/// Every `unless` expression of the safety files, one by one, as written and with its required
/// strings, as Rust source: the engine checks those lists expression by expression (see
/// `Engine::is_excepted`), and uses an entry only for the very expression it was worked out from.
fn safety_exception_requirements(tables: &Tables) -> Result<String, String> {
    let mut source = String::from("&[");
    for (_, table) in tables.iter().filter(|(file, _)| is_safety(file)) {
        let mut all = strings(table, "unless")?;
        for pattern in patterns(table) {
            all.extend(strings(&pattern, "unless")?);
        }
        for expression in all {
            source.push_str(&format!("({expression:?}, &["));
            for clause in literals::requirement(&syntax::prepare(&expression))? {
                source.push_str(&format!("&{clause:?},"));
            }
            source.push_str("]),");
        }
    }
    source.push(']');
    Ok(source)
}

/// The built-in exception lists in the engine's order (files by name; in each, the distortion's own
/// list, then each pattern's), each joined into one expression, compiled into one multi-pattern
/// NFA: (how many lists, the encoded NFA, the fingerprint of the lists). The safety file's lists
/// are left out, as its expressions are (see `automaton_expressions`).
fn builtin_exceptions(tables: &Tables) -> Result<(usize, Vec<u32>, u64), String> {
    let mut lists = Vec::new();
    let mut push = |list: Vec<String>| {
        if !list.is_empty() {
            let refs: Vec<&str> = list.iter().map(String::as_str).collect();
            lists.push(nfa_codec::alternation(&refs));
        }
    };
    for (_, table) in tables.iter().filter(|(file, _)| !is_safety(file)) {
        push(strings(table, "unless")?);
        for pattern in patterns(table) {
            push(strings(&pattern, "unless")?);
        }
    }
    if lists.is_empty() {
        return Err("no exceptions".into());
    }
    let prepared: Vec<String> = lists.iter().map(|l| syntax::prepare(l)).collect();
    Ok((
        lists.len(),
        compile_encoded(&prepared)?,
        nfa_codec::fingerprint(lists.iter().map(String::as_str)),
    ))
}

/// Verifies every built-in `unless` expression the way the loader would, so the loader can skip
/// it for built-in files at start-up.
fn check_exceptions(tables: &Tables) -> Result<(), String> {
    for (file, table) in tables {
        let mut all = strings(table, "unless")?;
        for pattern in patterns(table) {
            all.extend(strings(&pattern, "unless")?);
        }
        for expression in all {
            regex_syntax::ParserBuilder::new()
                .build()
                .parse(&syntax::prepare(&expression))
                .map_err(|e| format!("{}: {expression}: {e}", file.display()))?;
        }
    }
    Ok(())
}

/// Verifies, as the loader would, that every capture a built-in pattern's templates use is a
/// named group in each of its `match` expressions, so the loader can skip it for built-in files.
fn check_templates(tables: &Tables) -> Result<(), String> {
    for (file, table) in tables {
        for pattern in patterns(table) {
            let mut used = Vec::new();
            for source in strings(&pattern, "reframes")?
                .iter()
                .chain(&strings(&pattern, "questions")?)
            {
                let template = template::Template::parse(source)
                    .map_err(|e| format!("{}: {source}: {e}", file.display()))?;
                used.extend(template.captures().map(str::to_string));
            }
            if used.is_empty() {
                continue;
            }
            for expression in strings(&pattern, "match")? {
                let names = group_names::group_names(&syntax::prepare(&expression))
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                if let Some(missing) = used.iter().find(|u| !names.contains(u)) {
                    return Err(format!(
                        "{}: {{{missing}}} is not a group in {expression}",
                        file.display()
                    ));
                }
            }
        }
    }
    Ok(())
}
