//! The engine: a compiled rule set that analyses thoughts.
//!
//! Matching runs on a normalized copy of the thought (`crate::normalize`: ASCII lowercased, one
//! kind of apostrophe and of space, invisible characters removed, compatibility forms, accents and
//! look-alike letters folded), against expressions prepared for it (`rules::prepare`); spans are
//! mapped back to the original.
//!
//! Every `match` expression of every distortion is compiled once into one multi-pattern automaton:
//! a forward Thompson NFA run by a lazy DFA, which reports *which* patterns match in one pass over
//! the thought. The safety files' expressions stay out of it: a scan for the fixed phrases each
//! cannot match without picks the few worth running (see `Engine::candidates`). Only those
//! patterns' own regexes then run, sentence by sentence, for exact spans and captures; they are
//! compiled the first time they are needed, so a one-shot run compiles two or three, lean
//! (without a lazy DFA), instead of a hundred.
//!
//! That automaton suits one thought but not a batch of new ones: it builds new states for almost
//! every line it has not seen. From the second thought on (and for a first one as long as
//! `LONG_THOUGHT`), the engine instead asks a literal filter (`crate::filter`) which patterns
//! might match, from the phrases each expression cannot match without, and runs those patterns'
//! regexes, compiled fast (with a lazy DFA of their own), which turn away the ones that do not
//! match. Both ways find the same matches; see
//! `Engine::candidates` for the measurements.
//!
//! `unless` exceptions need no spans, only whether a list of them matches in a sentence, so every
//! list (a distortion's own, and each pattern's) is one pattern of a second multi-pattern
//! automaton, pre-compiled for the built-in rules like the first; in a batch, each list runs as a
//! regex of its own, for the same reason as above. Compiling the lists as regexes
//! when their patterns fired cost a quarter of a one-shot run (measured with callgrind: 15 of 63
//! million instructions). The `regex` crate's
//! `RegexSet` would do the first step too, but it also builds reverse automata and literal
//! prefilters that this use never needs, which measured as most of the start-up time. The safety
//! files' lists stay out of that automaton too: a single thought checks them expression by
//! expression, compiling only those whose required strings it holds (see `LoneList`).
//!
//! The engine knows nothing of files, terminals or the environment: rules come in as a
//! [`RuleSet`], results go out as an [`Analysis`].

use std::borrow::Cow;
use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternID, PatternSet};

use crate::analysis::{Analysis, Finding, Match, SafetyFinding};
use crate::char_index::CharIndex;
use crate::filter::{Filter, Scan};
use crate::literals;
use crate::mention::mentions_suicide;
use crate::normalize::{Normalized, is_invisible};
use crate::rules::{
    Build, Category, Distortion, Kind, Origin, Pattern, RuleError, RuleErrorKind, RuleErrors,
    RuleSet, Scope, Source, Template, compile, prepare,
};
use crate::sentence;
use crate::{nfa_codec, prebuilt};

/// The lazy DFA's cache limit. The default (about 2 MB) thrashes once a set holds a hundred or so
/// patterns, which measured several times slower on batch input; the cache grows only as states
/// are built, so a one-shot run never pays for the size.
const DFA_CACHE: usize = 64 * 1024 * 1024;

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>>;

/// An expression compiled the first time it is used, lean for a single thought and fast for a
/// batch (see [`Build`]). Both builds come from one source, so they find the same matches.
#[derive(Debug)]
struct Lazy {
    source: String,
    lean: OnceLock<Result<Regex, String>>,
    fast: OnceLock<Result<Regex, String>>,
}

impl Lazy {
    fn new(source: &str) -> Lazy {
        Lazy {
            source: source.to_string(),
            lean: OnceLock::new(),
            fast: OnceLock::new(),
        }
    }

    /// The regex, compiled as `build` asks unless the fast build is already there; `None` if it
    /// does not compile.
    fn get(&self, build: Build) -> Option<&Regex> {
        match (build, self.fast.get()) {
            (_, Some(fast)) => fast.as_ref().ok(),
            (Build::Lean, None) => self.result().as_ref().ok(),
            (Build::Fast, None) => self
                .fast
                .get_or_init(|| compile(&self.source, Build::Fast))
                .as_ref()
                .ok(),
        }
    }

    fn result(&self) -> &Result<Regex, String> {
        self.lean.get_or_init(|| compile(&self.source, Build::Lean))
    }

    /// Whether either build is ready, so that [`Lazy::get`] compiles nothing.
    fn is_compiled(&self) -> bool {
        self.lean.get().is_some() || self.fast.get().is_some()
    }
}

/// Compiles the lean build of each of `slots` not yet compiled, sharing the work with a second
/// thread when there are two or more: compiling the few expressions a thought matches is the
/// largest part of a one-shot run after loading, and one expression takes long enough (about half
/// a millisecond for a long one) to pay for the thread.
fn compile_ahead(slots: &[&Slot]) {
    let pending: Vec<&Lazy> = slots
        .iter()
        .map(|slot| &slot.regex)
        .filter(|regex| !regex.is_compiled())
        .collect();
    if pending.len() < 2 {
        return;
    }
    let (mine, theirs) = pending.split_at(pending.len() / 2);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for regex in theirs {
                let _ = regex.result();
            }
        });
        for regex in mine {
            let _ = regex.result();
        }
    });
}

/// An exception list that no part of the exception automaton holds (a safety file's), checked
/// one expression at a time for a single thought: a scan for the strings each expression cannot
/// match without says which are worth compiling, and usually none is. Compiling a safety
/// pattern's whole list and its file's list cost 4 of the 60 million instructions of a one-shot
/// run on a crisis thought (measured with callgrind), 7% of the run.
#[derive(Debug)]
struct LoneList {
    /// Each `unless` expression of the list, on its own.
    sources: Vec<Lazy>,
    /// For a built-in safety file's list, where its first expression sits in the table of
    /// required strings `build.rs` wrote (`prebuilt::safety_exception`).
    builtin_at: Option<usize>,
    /// The scan over their required strings, made on first use; `None` if an expression does
    /// not parse (every expression is then compiled and run).
    scan: OnceLock<Option<Scan>>,
}

impl LoneList {
    fn new(sources: &[Source], builtin_at: Option<usize>) -> LoneList {
        LoneList {
            sources: sources.iter().map(|s| Lazy::new(&s.text)).collect(),
            builtin_at,
            scan: OnceLock::new(),
        }
    }

    /// Whether an expression of the list matches in `sentence`. One that does not compile counts
    /// as matching, the safer error; the loader reports such an expression in a user's file
    /// (`compile_user_safety_exceptions`), and `build.rs` rules it out in the built-in one.
    fn matches(&self, sentence: &str) -> bool {
        let scan = self.scan.get_or_init(|| {
            let requirements: Option<Vec<_>> = (self.sources.iter().enumerate())
                .map(|(i, lazy)| {
                    let embedded = self
                        .builtin_at
                        .and_then(|at| prebuilt::safety_exception(at + i, &lazy.source));
                    match embedded {
                        Some(clauses) => Some(borrowed(clauses)),
                        None => requirement_of(&lazy.source),
                    }
                })
                .collect();
            requirements.map(Scan::new)
        });
        let hit = |i: usize| {
            self.sources[i]
                .get(Build::Lean)
                .is_none_or(|regex| regex.is_match(sentence))
        };
        match scan {
            Some(scan) => scan.candidates(sentence).into_iter().any(hit),
            None => (0..self.sources.len()).any(hit),
        }
    }
}

/// Required strings from a table `build.rs` wrote, borrowed as the scan takes them.
fn borrowed(clauses: &'static [&'static [&'static str]]) -> Vec<Vec<Cow<'static, str>>> {
    clauses
        .iter()
        .map(|clause| clause.iter().map(|&s| Cow::Borrowed(s)).collect())
        .collect()
}

/// The required strings of an expression as written, worked out now; `None` if it does not
/// parse.
fn requirement_of(source: &str) -> Option<Vec<Vec<Cow<'static, str>>>> {
    let clauses = literals::requirement(&prepare(source)).ok()?;
    Some(
        clauses
            .into_iter()
            .map(|clause| clause.into_iter().map(Cow::Owned).collect())
            .collect(),
    )
}

/// The position of one `match` expression in the rule set, and its regex.
#[derive(Debug)]
struct Slot {
    distortion: usize,
    pattern: usize,
    regex: Lazy,
}

/// One part of the multi-pattern automaton, covering `slots[offset..offset + len]`.
struct Part {
    offset: usize,
    len: usize,
    dfa: DFA,
    caches: CachePool,
}

impl Part {
    /// Which of this part's patterns match somewhere in `haystack`, as the part's own pattern
    /// numbers; `None` when the lazy DFA gives up, which happens only when a user's Unicode word
    /// boundary meets non-ASCII text.
    fn which(&self, haystack: &str) -> Option<PatternSet> {
        let mut set = PatternSet::new(self.len);
        let mut cache = self.caches.get();
        self.dfa
            .try_which_overlapping_matches(&mut cache, &Input::new(haystack), &mut set)
            .ok()
            .map(|()| set)
    }
}

/// From this many bytes on, even a first thought takes the literal filter's route. The
/// automaton's route looks for each of the safety expressions' thousands of required strings on
/// its own (see [`Scan`]), about 4,400 instructions a byte of thought, which passes the 120
/// million it costs to build the filter at about 27 KB (measured with callgrind); on a line of
/// 0.8 MB the scan was 70% of the time.
const LONG_THOUGHT: usize = 32 * 1024;

/// Below this many bytes of expressions, the automaton is built in one part: a thread costs more
/// than it saves.
const PARALLEL_THRESHOLD: usize = 8 * 1024;

/// A rule set compiled for matching. Share one engine across threads: it is `Sync`, and each
/// thread takes its own search cache from a pool.
pub struct Engine {
    rules: RuleSet,
    parts: Vec<Part>,
    slots: Vec<Slot>,
    /// Where each distortion's exception lists sit in `exception_parts`.
    exception_ids: Vec<ExceptionIds>,
    /// Every exception list of every distortion as one pattern of a multi-pattern automaton, in
    /// parts like `parts`: one search of a sentence says which lists match in it.
    exception_parts: Vec<Part>,
    /// The same exception lists, each as its own regex, for batches.
    exception_lists: Vec<Lazy>,
    /// By list id, the lists no part holds (the safety files'), expression by expression, for a
    /// single thought.
    lone_lists: Vec<Option<LoneList>>,
    /// How many slots, from the first, are the built-in distortions'.
    builtin_slots: usize,
    /// The slots of the safety rule files, which no part of the automaton holds (see
    /// [`Engine::candidates`]).
    safety_slots: Vec<usize>,
    /// The required strings of `safety_slots` alone, for the automaton's route; gathered on
    /// first use, `None` if an expression does not parse (every safety slot is then a
    /// candidate).
    safety_scan: OnceLock<Option<Scan>>,
    /// Whether a thought has been analysed: the first goes to the automaton (see
    /// [`Engine::route`]).
    analysed: AtomicBool,
    /// The literal filter over `slots`, built once a batch is under way; `None` if it could not
    /// be built, when the automaton goes on answering.
    filter: OnceLock<Option<Filter>>,
}

/// How an analysis finds the slots to run (see [`Engine::candidates`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// The pre-compiled multi-pattern automaton: exact, and nothing to build.
    Automaton,
    /// The literal filter: a superset, found quickly on any text.
    Filter,
}

/// The ids, in the exception automaton, of a distortion's own exception list (shared by all its
/// patterns) and of each pattern's own list; `None` where a list is empty.
struct ExceptionIds {
    shared: Option<usize>,
    per_pattern: Vec<Option<usize>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("distortions", &self.rules.distortions().len())
            .field("expressions", &self.slots.len())
            .finish_non_exhaustive()
    }
}

/// A match found before grouping into findings.
struct Hit<'e, 't> {
    distortion: usize,
    pattern_index: usize,
    pattern: &'e Pattern,
    range: Range<usize>,
    captures: Vec<(&'e str, Cow<'t, str>)>,
}

impl<'e, 't> Hit<'e, 't> {
    /// The public form of this hit, with its words and offsets in `text`, whose character
    /// offsets `chars` counts.
    fn to_match(&self, text: &'t str, chars: &CharIndex) -> Match<'e, 't> {
        Match {
            pattern: self.pattern,
            text: &text[self.range.clone()],
            span: chars.span(&self.range),
        }
    }
}

impl Engine {
    /// Compiles `rules` into an engine. An expression that does not compile is reported with its
    /// file, line, distortion and pattern.
    pub fn new(rules: RuleSet) -> Result<Engine, RuleErrors> {
        let mut slots = Vec::new();
        // Built-in distortions come first, so that their expressions form one run that the
        // pre-compiled NFA can cover, and within each origin the safety files come last, since
        // the automaton leaves them out (see `Engine::candidates`); `build.rs` lists the
        // built-in expressions in the same order. The order of slots does not affect results.
        let mut order: Vec<usize> = (0..rules.distortions().len()).collect();
        order.sort_by_key(|&d| {
            let distortion = &rules.distortions()[d];
            (
                !matches!(distortion.origin, Origin::BuiltIn(_)),
                distortion.kind == Kind::Safety,
            )
        });
        let builtin_slots = |slots: &Vec<Slot>| {
            slots
                .iter()
                .take_while(|s: &&Slot| {
                    matches!(rules.distortions()[s.distortion].origin, Origin::BuiltIn(_))
                })
                .count()
        };
        // Exception lists get ids in the same order as slots: built-in distortions first, so
        // theirs form the run that the pre-compiled exception NFA covers; the safety files'
        // lists, like their expressions, are in no automaton.
        let mut lists: Vec<String> = Vec::new();
        let mut exception_ids: Vec<ExceptionIds> = rules
            .distortions()
            .iter()
            .map(|d| ExceptionIds {
                shared: None,
                per_pattern: vec![None; d.patterns.len()],
            })
            .collect();
        // The automaton's lists: [0, builtin_run) and [builtin_lists, builtin_lists + user_run).
        let (mut builtin_run, mut builtin_lists, mut user_run) = (0, 0, 0);
        for &d in &order {
            let distortion = &rules.distortions()[d];
            let mut add = |sources: &[Source]| {
                if sources.is_empty() {
                    return None;
                }
                let texts: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
                lists.push(nfa_codec::alternation(&texts));
                Some(lists.len() - 1)
            };
            exception_ids[d].shared = add(&distortion.unless_sources);
            for (p, pattern) in distortion.patterns.iter().enumerate() {
                exception_ids[d].per_pattern[p] = add(&pattern.unless_sources);
            }
            match (
                matches!(distortion.origin, Origin::BuiltIn(_)),
                distortion.kind == Kind::Safety,
            ) {
                (true, false) => builtin_run = lists.len(),
                (false, false) => user_run = lists.len() - builtin_lists,
                _ => {}
            }
            if matches!(distortion.origin, Origin::BuiltIn(_)) {
                builtin_lists = lists.len();
            }
        }
        let exception_parts = exception_parts(&lists, builtin_run, builtin_lists, user_run)
            .map_err(|_| {
                let in_automaton =
                    |i| i < builtin_run || (builtin_lists..builtin_lists + user_run).contains(&i);
                diagnose_exceptions(&rules, &lists, &exception_ids, in_automaton)
            })?;
        let lone_lists = lone_lists(&rules, &order, &exception_ids, lists.len());
        for d in order {
            let distortion = &rules.distortions()[d];
            for (p, pattern) in distortion.patterns.iter().enumerate() {
                for source in &pattern.sources {
                    slots.push(Slot {
                        distortion: d,
                        pattern: p,
                        regex: Lazy::new(&source.text),
                    });
                }
            }
        }
        let split = builtin_slots(&slots);
        let written: Vec<&str> = slots
            .iter()
            .map(|slot| slot.regex.source.as_str())
            .collect();
        let is_safety = |slot: &Slot| rules.distortions()[slot.distortion].kind == Kind::Safety;
        let safety_slots: Vec<usize> = (0..slots.len()).filter(|&i| is_safety(&slots[i])).collect();
        // The automaton's slots: two runs, the built-in ones before the built-in safety file and
        // the user's before theirs.
        let builtin_run = slots[..split].iter().take_while(|s| !is_safety(s)).count();
        let user_run = slots[split..].iter().take_while(|s| !is_safety(s)).count();
        let prepare_all = |from: &[&str]| from.iter().map(|w| prepare(w)).collect::<Vec<String>>();
        let mut parts = Vec::new();
        match prebuilt_nfa(&written[..builtin_run]) {
            Some([first, second]) => {
                let lens = prebuilt::PART_LENS;
                parts.push(
                    part_from_nfa(0, lens[0], first)
                        .map_err(|error| diagnose(&rules, &slots[..lens[0]], &error))?,
                );
                parts.push(part_from_nfa(lens[0], lens[1], second).map_err(|error| {
                    diagnose(&rules, &slots[lens[0]..lens[0] + lens[1]], &error)
                })?);
            }
            None if builtin_run > 0 => parts.extend(
                build_parts(0, &prepare_all(&written[..builtin_run]))
                    .map_err(|error| diagnose(&rules, &slots[..builtin_run], &error))?,
            ),
            None => {}
        }
        if user_run > 0 {
            parts.extend(
                build_parts(split, &prepare_all(&written[split..split + user_run]))
                    .map_err(|error| diagnose(&rules, &slots[split..split + user_run], &error))?,
            );
        }
        // No automaton compiles the safety expressions, so they are checked here: the user's
        // always (they are few), the built-in ones only if `build.rs` could not parse them when
        // it worked out their required strings.
        let builtin_safety = safety_slots.iter().filter(|&&i| i < split).count();
        let builtin_parsed = prebuilt::safety_requirements(builtin_safety).is_some();
        let unchecked = safety_slots
            .iter()
            .filter(|&&i| i >= split || !builtin_parsed)
            .map(|&i| &slots[i]);
        compile_each(&rules, unchecked)?;
        compile_user_safety_exceptions(&rules)?;
        Ok(Engine {
            rules,
            parts,
            slots,
            exception_ids,
            exception_parts,
            exception_lists: lists.iter().map(|list| Lazy::new(list)).collect(),
            lone_lists,
            builtin_slots: split,
            safety_slots,
            safety_scan: OnceLock::new(),
            analysed: AtomicBool::new(false),
            filter: OnceLock::new(),
        })
    }

    /// The rules the engine runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Compiles every `match` expression now instead of on first use, reporting any that fails
    /// (such as one too large to compile). `reframe rules test` calls this; exceptions were
    /// compiled, and any failure reported, when the engine was built.
    pub fn compile_all(&self) -> Result<(), RuleErrors> {
        compile_each(&self.rules, self.slots.iter())
    }

    /// Finds every distortion in `text`.
    pub fn analyse<'e, 't>(&'e self, text: &'t str) -> Analysis<'e, 't> {
        let analysis = self.analyse_by(text, self.route(text));
        if analysis.safety.is_some() || text.is_ascii() || !text.contains(ZERO_WIDTH_SPACE) {
            return analysis;
        }
        // Normalizing removes a zero-width space, so that one typed inside a word cannot hide it
        // ("ki\u{200B}ll"); but one between words ("want to\u{200B}die") then joins them. The
        // safety check looks again with each read as a space, and answers what either reading
        // holds. A thin space has the same length in UTF-8, so offsets in the two readings agree.
        let spaced = text.replace(ZERO_WIDTH_SPACE, "\u{2009}");
        let again = self.analyse_by(&spaced, self.route(&spaced));
        if let Some(found) = again.safety {
            let matches = found
                .matches
                .into_iter()
                .map(|m| crate::analysis::Match {
                    pattern: m.pattern,
                    text: &text[m.span.bytes.clone()],
                    span: m.span,
                })
                .collect();
            return Analysis {
                text,
                safety: Some(crate::analysis::SafetyFinding { matches, ..found }),
                findings: Vec::new(),
                mentions_suicide: false,
            };
        }
        if again.mentions_suicide && !analysis.mentions_suicide {
            return Analysis {
                text,
                safety: None,
                findings: Vec::new(),
                mentions_suicide: true,
            };
        }
        analysis
    }

    /// Finds every distortion in `text`, finding the slots to run by `route`; both routes give
    /// the same analysis.
    fn analyse_by<'e, 't>(&'e self, text: &'t str, route: Route) -> Analysis<'e, 't> {
        let normalized = Normalized::new(text);
        let haystack = normalized.as_str();
        let (matched, build) = self.candidates(haystack, route);
        if matched.is_empty() {
            return Analysis {
                text,
                safety: None,
                findings: Vec::new(),
                mentions_suicide: mentions_suicide(haystack),
            };
        }
        let sentences = sentence::split(haystack);
        let distortions = self.rules.distortions();
        let is_safety = |i: &usize| distortions[self.slots[*i].distortion].kind == Kind::Safety;
        // The safety check comes first: a thought with crisis language is never reframed, so
        // its distortions are not even looked for.
        let (safety_slots, other_slots): (Vec<usize>, Vec<usize>) =
            matched.into_iter().partition(is_safety);
        let mut hits = Vec::new();
        for slot in safety_slots.into_iter().map(|i| &self.slots[i]) {
            self.collect(text, &normalized, &sentences, slot, build, &mut hits);
        }
        if !hits.is_empty() {
            return Analysis {
                text,
                safety: Some(safety_finding(text, distortions, hits)),
                findings: Vec::new(),
                mentions_suicide: false,
            };
        }
        // Nor is a thought that names suicide or self-harm in other ways.
        if mentions_suicide(haystack) {
            return Analysis {
                text,
                safety: None,
                findings: Vec::new(),
                mentions_suicide: true,
            };
        }
        let other_slots: Vec<&Slot> = other_slots.into_iter().map(|i| &self.slots[i]).collect();
        if build == Build::Lean {
            compile_ahead(&other_slots);
        }
        for slot in other_slots {
            self.collect(text, &normalized, &sentences, slot, build, &mut hits);
        }
        Analysis {
            text,
            safety: None,
            findings: group(text, distortions, hits),
            mentions_suicide: false,
        }
    }

    /// The slots to run on `haystack`, found by `route`: every slot that matches in it, and
    /// perhaps some that do not (their regexes then find nothing). Also says how to compile the
    /// slots' regexes: lean for the automaton's single thought, fast for a batch, which runs them
    /// again and again.
    ///
    /// The safety expressions are not in the automaton: with them, its NFA was 40% larger and a
    /// one-shot run took 36% more instructions (84 against 62 million, measured with callgrind),
    /// most of it decoding the pre-compiled NFA. A scan for the strings they cannot match without
    /// names none of them for 93% of everyday thoughts (measured on the labelled thoughts), so
    /// their regexes are compiled only for the few thoughts that might speak of crisis.
    ///
    /// The automaton answers exactly and needs nothing compiled, which suits one thought. On a
    /// batch where every line is new, though, it must build new states for nearly every line:
    /// that was 90% of the time, about 1,500 thoughts a second (measured with callgrind over the
    /// dev file). The literal filter (see `crate::literals`) costs one Aho-Corasick search and
    /// names about three slots for each one that matches; their own regexes, small enough that
    /// their lazy DFAs soon hold the states they need, reject the rest.
    fn candidates(&self, haystack: &str, route: Route) -> (Vec<usize>, Build) {
        if route == Route::Filter
            && let Some(filter) = self.filter.get_or_init(|| self.build_filter())
        {
            return (filter.candidates(haystack), Build::Fast);
        }
        let mut matched: Vec<usize> = Vec::new();
        for part in &self.parts {
            match part.which(haystack) {
                Some(set) => matched.extend(set.iter().map(|id| part.offset + id.as_usize())),
                // When the search gives up, every pattern of the part is a candidate.
                None => matched.extend(part.offset..part.offset + part.len),
            }
        }
        match self
            .safety_scan
            .get_or_init(|| self.safety_requirements().map(Scan::new))
        {
            Some(filter) => matched.extend(
                filter
                    .candidates(haystack)
                    .into_iter()
                    .map(|i| self.safety_slots[i]),
            ),
            None => matched.extend(&self.safety_slots),
        }
        (matched, Build::Lean)
    }

    /// The route for the next analysis: the automaton for the first thought, the literal filter
    /// after that. A one-shot run analyses one thought, and building the filter and the fast
    /// regexes would cost it more than the automaton does, unless the thought is long (see
    /// [`LONG_THOUGHT`]).
    fn route(&self, text: &str) -> Route {
        let first = !self.analysed.swap(true, Ordering::Relaxed);
        if first && text.len() < LONG_THOUGHT {
            Route::Automaton
        } else {
            Route::Filter
        }
    }

    /// The literal filter over every slot's expression; `None` if one does not parse (it then
    /// never compiles either, and was reported when the engine was built). The built-in
    /// expressions' requirements were worked out by `build.rs`; parsing them here would cost
    /// about 20 ms.
    fn build_filter(&self) -> Option<Filter> {
        let written: Vec<&str> = self.slots.iter().map(|s| s.regex.source.as_str()).collect();
        let (mut requirements, done) = match prebuilt::requirements(&written[..self.builtin_slots])
        {
            Some(embedded) => (embedded, self.builtin_slots),
            None => (Vec::new(), 0),
        };
        for source in &written[done..] {
            requirements.push(literals::requirement(&prepare(source)).ok()?);
        }
        Filter::new(&requirements).ok()
    }

    /// The required strings of the safety slots, in order; `None` if an expression does not
    /// parse. The built-in ones' were worked out by `build.rs`.
    fn safety_requirements(&self) -> Option<Vec<Vec<Vec<Cow<'static, str>>>>> {
        let builtin = self
            .safety_slots
            .iter()
            .filter(|&&slot| slot < self.builtin_slots)
            .count();
        let embedded = prebuilt::safety_requirements(builtin);
        self.safety_slots
            .iter()
            .enumerate()
            .map(|(i, &slot)| match embedded {
                Some(table) if i < builtin => Some(borrowed(table[i])),
                _ => requirement_of(&self.slots[slot].regex.source),
            })
            .collect()
    }

    /// Whether an exception of `slot`'s distortion or pattern matches in `sentence`. A batch
    /// (`build` fast) asks each list's own regex, for the reason [`Engine::candidates`] gives; a
    /// single thought asks the pre-compiled automaton, and a safety file's lists expression by
    /// expression (see [`LoneList`]).
    fn is_excepted(&self, slot: &Slot, sentence: &str, build: Build) -> bool {
        let ids = &self.exception_ids[slot.distortion];
        let wanted = [ids.shared, ids.per_pattern[slot.pattern]];
        if build == Build::Fast {
            return wanted.iter().flatten().any(|&id| {
                match (self.exception_lists[id].get(build), &self.lone_lists[id]) {
                    (Some(regex), _) => regex.is_match(sentence),
                    // A safety file's list whose expressions each compile but not joined (two
                    // that name the same group) answers as it does for a single thought.
                    (None, Some(list)) => list.matches(sentence),
                    // A list that does not compile cancels the match, as a search that gives
                    // up does.
                    (None, None) => true,
                }
            });
        }
        // A safety file's list is in no part: it is needed only in the rare sentence where a
        // safety expression matched, and answers expression by expression.
        if wanted
            .iter()
            .flatten()
            .filter_map(|&id| self.lone_lists[id].as_ref())
            .any(|list| list.matches(sentence))
        {
            return true;
        }
        for part in &self.exception_parts {
            // The wanted lists this part holds, as its own pattern numbers.
            let here = || {
                wanted
                    .iter()
                    .flatten()
                    .filter_map(|&id| id.checked_sub(part.offset).filter(|&i| i < part.len))
            };
            if here().next().is_none() {
                continue;
            }
            // A search that gives up cancels the match: silence is the safer error.
            match part.which(sentence) {
                None => return true,
                Some(set) if here().any(|i| set.contains(PatternID::must(i))) => return true,
                Some(_) => {}
            }
        }
        false
    }

    fn collect<'e, 't>(
        &'e self,
        text: &'t str,
        normalized: &Normalized,
        sentences: &[Range<usize>],
        slot: &'e Slot,
        build: Build,
        hits: &mut Vec<Hit<'e, 't>>,
    ) {
        let Some(regex) = slot.regex.get(build) else {
            return;
        };
        let pattern = &self.rules.distortions()[slot.distortion].patterns[slot.pattern];
        let wants_captures = !pattern.reframes.is_empty() || !pattern.questions.is_empty();
        let haystack = normalized.as_str();
        let whole = 0..haystack.len();
        let scopes = match pattern.scope {
            Scope::Sentence => sentences,
            Scope::Thought => std::slice::from_ref(&whole),
        };
        for range in scopes {
            let sentence = &haystack[range.clone()];
            // Checked lazily: most sentences do not match, and the exceptions cost a search each.
            let mut excepted = None;
            // Only patterns with templates of their own need captures; finding the other
            // patterns' matches without them skips the slowest step of a search.
            let found: Vec<(regex_automata::Span, Option<Captures>)> = if wants_captures {
                regex
                    .captures_iter(sentence)
                    .filter_map(|caps| Some((caps.get_match()?.span(), Some(caps))))
                    .collect()
            } else {
                regex
                    .find_iter(sentence)
                    .map(|m| (m.span(), None))
                    .collect()
            };
            for (whole, caps) in found {
                if whole.is_empty() {
                    continue;
                }
                if *excepted.get_or_insert_with(|| self.is_excepted(slot, sentence, build)) {
                    break;
                }
                let original = |span: regex_automata::Span| {
                    normalized.original(range.start + span.start..range.start + span.end)
                };
                let captures = match caps {
                    Some(caps) => regex
                        .group_info()
                        .pattern_names(PatternID::ZERO)
                        .flatten()
                        .filter_map(|name| {
                            let span = caps.get_group_by_name(name)?;
                            Some((name, tidy(&text[original(span)])?))
                        })
                        .collect(),
                    None => Vec::new(),
                };
                hits.push(Hit {
                    distortion: slot.distortion,
                    pattern_index: slot.pattern,
                    pattern,
                    range: original(whole),
                    captures,
                });
            }
        }
    }
}

/// Compiles each `unless` expression of the user's safety files, reporting every one that fails
/// with its file, line, distortion and pattern. No automaton holds them (see [`LoneList`]), so
/// one too large to compile would otherwise go unreported; the built-in ones were compiled by
/// `build.rs`.
fn compile_user_safety_exceptions(rules: &RuleSet) -> Result<(), RuleErrors> {
    let mut errors = Vec::new();
    let user_safety = rules
        .distortions()
        .iter()
        .filter(|d| d.kind == Kind::Safety && !matches!(d.origin, Origin::BuiltIn(_)));
    for distortion in user_safety {
        let lists = std::iter::once((None, &distortion.unless_sources)).chain(
            distortion
                .patterns
                .iter()
                .map(|pattern| (Some(pattern), &pattern.unless_sources)),
        );
        for (pattern, sources) in lists {
            for source in sources {
                if let Err(message) = compile(&source.text, Build::Lean) {
                    errors.push(regex_error(distortion, pattern, source, message));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RuleErrors(errors))
    }
}

/// Compiles the lean build of each of `slots`, reporting every one that fails with its file,
/// line, distortion and pattern.
fn compile_each<'s>(
    rules: &RuleSet,
    slots: impl Iterator<Item = &'s Slot>,
) -> Result<(), RuleErrors> {
    let mut errors = Vec::new();
    for slot in slots {
        if let Err(message) = slot.regex.result() {
            let (distortion, pattern, source) = written_at(rules, slot);
            errors.push(regex_error(
                distortion,
                Some(pattern),
                source,
                message.clone(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RuleErrors(errors))
    }
}

/// Where `slot`'s expression is written: its distortion, pattern and source line.
fn written_at<'r>(rules: &'r RuleSet, slot: &Slot) -> (&'r Distortion, &'r Pattern, &'r Source) {
    let distortion = &rules.distortions()[slot.distortion];
    let pattern = &distortion.patterns[slot.pattern];
    let source = pattern
        .sources
        .iter()
        .find(|s| s.text == slot.regex.source)
        .expect("a slot comes from its pattern");
    (distortion, pattern, source)
}

fn regex_error(
    distortion: &Distortion,
    pattern: Option<&Pattern>,
    source: &Source,
    message: String,
) -> RuleError {
    RuleError {
        origin: distortion.origin.clone(),
        line: Some(source.line),
        distortion: distortion.id.clone(),
        pattern: pattern.map(|p| p.id.clone()),
        kind: RuleErrorKind::BadRegex {
            source_text: source.text.clone(),
            message,
        },
    }
}

/// The pre-compiled NFA of the built-in rules, in its two parts, if `written` (the expressions as
/// written) is exactly the set it was built from (it is not when a user file overrides or disables
/// a built-in distortion). Hashing the written form is enough: `build.rs` prepares them with the
/// same code.
fn prebuilt_nfa(written: &[&str]) -> Option<[NFA; 2]> {
    if written.is_empty()
        || nfa_codec::fingerprint(written.iter().copied()) != prebuilt::FINGERPRINT
    {
        return None;
    }
    Some([prebuilt::part(0)?, prebuilt::part(1)?])
}

/// Compiles the automaton over `prepared` (slots from `offset` on), in two parts on two threads
/// when the expressions are large enough for that to pay, as they are when user rules replace a
/// built-in distortion and the pre-compiled NFA cannot be used.
fn build_parts(offset: usize, prepared: &[String]) -> Result<Vec<Part>, String> {
    let total: usize = prepared.iter().map(String::len).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let compile = |offset, prepared: &[String]| {
        part_from_nfa(offset, prepared.len(), nfa_codec::compile_set(prepared)?)
    };
    if total < PARALLEL_THRESHOLD || threads < 2 || prepared.len() < 2 {
        return Ok(vec![compile(offset, prepared)?]);
    }
    let split = nfa_codec::half_split(prepared);
    let (first, second) = prepared.split_at(split);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| compile(offset + split, second));
        let mine = compile(offset, first);
        let other = other
            .join()
            .map_err(|_| "the compiling thread panicked".to_string())?;
        Ok(vec![mine?, other?])
    })
}

/// The safety files' exception lists, by list id among `lists` of them (`None` for the others),
/// each ready to be checked expression by expression (see [`LoneList`]).
fn lone_lists(
    rules: &RuleSet,
    order: &[usize],
    ids: &[ExceptionIds],
    lists: usize,
) -> Vec<Option<LoneList>> {
    // Each safety distortion's lists in the engine's order: its own, then each pattern's.
    let owned = |d: usize| {
        let distortion = &rules.distortions()[d];
        std::iter::once((ids[d].shared, &distortion.unless_sources)).chain(
            distortion
                .patterns
                .iter()
                .zip(&ids[d].per_pattern)
                .map(|(pattern, &id)| (id, &pattern.unless_sources)),
        )
    };
    let safety: Vec<(usize, bool)> = order
        .iter()
        .map(|&d| (d, &rules.distortions()[d]))
        .filter(|(_, distortion)| distortion.kind == Kind::Safety)
        .map(|(d, distortion)| (d, matches!(distortion.origin, Origin::BuiltIn(_))))
        .collect();
    let mut out: Vec<Option<LoneList>> = (0..lists).map(|_| None).collect();
    // Where the next built-in expression sits in `build.rs`'s table, which lists them in the
    // same order; each entry is used only for the expression it was written for.
    let mut at = 0;
    for (d, builtin) in safety {
        for (id, sources) in owned(d) {
            let Some(id) = id else { continue };
            out[id] = Some(LoneList::new(sources, builtin.then_some(at)));
            if builtin {
                at += sources.len();
            }
        }
    }
    out
}

/// The exception automaton over two runs of `lists`: the built-in distortions' first
/// `builtin_run`, and `user_run` from `user_start`; the safety files' lists, in neither run, are
/// left to their own regexes (see [`Engine::is_excepted`]). The pre-compiled NFA serves the first
/// run when it was built from exactly those lists.
fn exception_parts(
    lists: &[String],
    builtin_run: usize,
    user_start: usize,
    user_run: usize,
) -> Result<Vec<Part>, String> {
    let prepared = |from: &[String]| from.iter().map(|l| prepare(l)).collect::<Vec<String>>();
    let pre_compiled = (builtin_run > 0
        && builtin_run == prebuilt::EXCEPTION_LISTS
        && nfa_codec::fingerprint(lists[..builtin_run].iter().map(String::as_str))
            == prebuilt::EXCEPTIONS_FINGERPRINT)
        .then(prebuilt::exceptions)
        .flatten();
    let mut parts = Vec::new();
    match pre_compiled {
        Some(nfa) => parts.push(part_from_nfa(0, builtin_run, nfa)?),
        None if builtin_run > 0 => parts.extend(build_parts(0, &prepared(&lists[..builtin_run]))?),
        None => {}
    }
    if user_run > 0 {
        parts.extend(build_parts(
            user_start,
            &prepared(&lists[user_start..user_start + user_run]),
        )?);
    }
    Ok(parts)
}

/// Finds the exception lists to blame when the exception automaton does not compile: each is
/// compiled alone, and reported at its first line. `in_automaton` says which lists the automaton
/// holds (not the safety files').
fn diagnose_exceptions(
    rules: &RuleSet,
    lists: &[String],
    ids: &[ExceptionIds],
    in_automaton: impl Fn(usize) -> bool,
) -> RuleErrors {
    // Who owns each list: its distortion, and its pattern for a pattern's own list.
    let mut owners = vec![(0, None); lists.len()];
    for (d, ids) in ids.iter().enumerate() {
        if let Some(list) = ids.shared {
            owners[list] = (d, None);
        }
        for (p, list) in ids.per_pattern.iter().enumerate() {
            if let Some(list) = *list {
                owners[list] = (d, Some(p));
            }
        }
    }
    // Where the list owned by distortion `d` (and pattern `p`, for a pattern's own) starts.
    let source_at = |(d, p): (usize, Option<usize>)| {
        let distortion = &rules.distortions()[d];
        let pattern = p.map(|p| &distortion.patterns[p]);
        let source = pattern
            .map_or(&distortion.unless_sources, |p| &p.unless_sources)
            .first()
            .expect("a list has expressions");
        (distortion, pattern, source)
    };
    let mut errors = Vec::new();
    // The list that takes the most memory alone, and how much.
    let mut largest: Option<(usize, usize)> = None;
    for (i, list) in lists.iter().enumerate() {
        match nfa_codec::compile_set(&[prepare(list)]) {
            Err(message) => {
                let (distortion, pattern, source) = source_at(owners[i]);
                errors.push(regex_error(distortion, pattern, source, message));
            }
            Ok(nfa)
                if in_automaton(i) && largest.is_none_or(|(_, size)| nfa.memory_usage() > size) =>
            {
                largest = Some((i, nfa.memory_usage()));
            }
            Ok(_) => {}
        }
    }
    if errors.is_empty() {
        // Each list compiles alone, so together they pass a size limit: name the largest, the
        // one most worth making smaller (the first list, as this once named, was a built-in
        // one however large the user's were).
        let (i, _) = largest.expect("the exception automaton is built from at least one list");
        let (distortion, pattern, source) = source_at(owners[i]);
        errors.push(RuleError {
            origin: distortion.origin.clone(),
            line: Some(source.line),
            distortion: distortion.id.clone(),
            pattern: pattern.map(|p| p.id.clone()),
            kind: RuleErrorKind::SetTooLarge(format!(
                "the `unless` lists pass its size limit together, and the largest is the one \
                 starting {:?}",
                source.text
            )),
        });
    }
    RuleErrors(errors)
}

fn part_from_nfa(offset: usize, len: usize, nfa: NFA) -> Result<Part, String> {
    let dfa = DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(DFA_CACHE)
                // Never give up: a slow search beats a wrong answer.
                .minimum_cache_clear_count(None),
        )
        .build_from_nfa(nfa)
        .map_err(|error| error.to_string())?;
    let for_pool = dfa.clone();
    Ok(Part {
        offset,
        len,
        dfa,
        caches: Pool::new(Box::new(move || for_pool.create_cache())),
    })
}

/// Finds the expressions to blame when the automaton over `run`, the slots it was built from,
/// does not compile. Each is compiled alone, as the automaton compiles it: one that fails is
/// reported at its own line. Checking only the syntax of every expression, as this once did, let
/// an expression that parses but is too large to compile go unnamed, and the error fell on
/// whichever file came last, often a built-in one the user never touched.
fn diagnose(rules: &RuleSet, run: &[Slot], set_error: &str) -> RuleErrors {
    let mut errors = Vec::new();
    // The slot whose expression takes the most memory alone, and how much.
    let mut largest: Option<(&Slot, usize)> = None;
    for slot in run {
        match nfa_codec::compile_set(&[prepare(&slot.regex.source)]) {
            Err(message) => {
                let (distortion, pattern, source) = written_at(rules, slot);
                errors.push(regex_error(distortion, Some(pattern), source, message));
            }
            Ok(nfa) if largest.is_none_or(|(_, size)| nfa.memory_usage() > size) => {
                largest = Some((slot, nfa.memory_usage()));
            }
            Ok(_) => {}
        }
    }
    if !errors.is_empty() {
        return RuleErrors(errors);
    }
    // Each compiles alone, so together they pass a size limit: name the largest, the one most
    // worth making smaller.
    let (slot, _) = largest.expect("an automaton is built from at least one expression");
    let (distortion, pattern, source) = written_at(rules, slot);
    let error = RuleError {
        origin: distortion.origin.clone(),
        line: Some(source.line),
        distortion: distortion.id.clone(),
        pattern: Some(pattern.id.clone()),
        kind: RuleErrorKind::SetTooLarge(format!(
            "{set_error}; the largest expression is {:?}",
            source.text
        )),
    };
    RuleErrors(vec![error])
}

/// Words that are capitalised only because they start the sentence, and so are lowercased when a
/// capture beginning with one is placed inside a reframe ("My friends" -> "my friends"). Names are
/// never lowercased: only these words are.
const SENTENCE_START_WORDS: &[&str] = &[
    "My",
    "The",
    "They",
    "He",
    "She",
    "His",
    "Her",
    "Their",
    "Our",
    "People",
    "Everyone",
    "Everybody",
    "All",
];

/// A zero-width space: removed by normalizing, but it may stand between two words.
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// Trims a captured phrase for use inside a sentence; `None` if nothing is left.
fn tidy(capture: &str) -> Option<Cow<'_, str>> {
    // A match keeps the invisible characters typed inside its words (see `crate::normalize`),
    // but a reframe quoting it leaves them out: a direction override there would garble the
    // rest of the line.
    if !capture.is_ascii() && capture.contains(is_invisible) {
        let visible: String = capture.chars().filter(|&c| !is_invisible(c)).collect();
        return tidy(&visible).map(|t| Cow::Owned(t.into_owned()));
    }
    let trimmed = capture
        .trim()
        .trim_end_matches(['.', ',', '!', '?', ';', ':'])
        .trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let first = trimmed.split_whitespace().next().unwrap_or("");
    if SENTENCE_START_WORDS.contains(&first) {
        let mut lowered = String::with_capacity(trimmed.len());
        lowered.push_str(&first.to_ascii_lowercase());
        lowered.push_str(&trimmed[first.len()..]);
        return Some(Cow::Owned(lowered));
    }
    Some(Cow::Borrowed(trimmed))
}

/// The safety finding for crisis-language hits: every match, in order of position; the highest
/// level among them, and the category of the earliest match of that level.
fn safety_finding<'e, 't>(
    text: &'t str,
    distortions: &'e [Distortion],
    mut hits: Vec<Hit<'e, 't>>,
) -> SafetyFinding<'e, 't> {
    hits.sort_by_key(|h| (h.range.start, h.range.end, h.distortion, h.pattern_index));
    hits.dedup_by(|a, b| {
        a.range == b.range && a.distortion == b.distortion && a.pattern_index == b.pattern_index
    });
    let level_of = |hit: &Hit| hit.pattern.level.unwrap_or_default();
    let level = hits.iter().map(level_of).max().unwrap_or_default();
    let first = hits
        .iter()
        .find(|hit| level_of(hit) == level)
        .expect("the highest level is some hit's");
    let category = first.pattern.category.unwrap_or(Category::Suicide);
    let rules = &distortions[first.distortion];
    let chars = CharIndex::new(text);
    let matches = hits.iter().map(|hit| hit.to_match(text, &chars)).collect();
    SafetyFinding {
        level,
        category,
        rules,
        matches,
    }
}

/// Groups hits by distortion and fills each finding's reframes and questions.
fn group<'e, 't>(
    text: &'t str,
    distortions: &'e [Distortion],
    mut hits: Vec<Hit<'e, 't>>,
) -> Vec<Finding<'e, 't>> {
    hits.sort_by_key(|h| (h.distortion, h.range.start, h.range.end, h.pattern_index));
    // Two patterns of one distortion matching the same words are one match (the first pattern's,
    // in file order); showing the words twice says nothing more.
    hits.dedup_by(|a, b| a.distortion == b.distortion && a.range == b.range);
    let chars = CharIndex::new(text);
    let mut findings: Vec<Finding<'e, 't>> = Vec::new();
    for group in hits.chunk_by(|a, b| a.distortion == b.distortion) {
        let distortion = &distortions[group[0].distortion];
        let mut reframes: Vec<Cow<'e, str>> = Vec::new();
        let mut questions: Vec<Cow<'e, str>> = Vec::new();
        let mut ordered: Vec<&Hit<'e, 't>> = group.iter().collect();
        ordered.sort_by_key(|h| h.pattern_index);
        ordered.dedup_by_key(|h| h.pattern_index);
        for hit in ordered {
            let lookup = |name: &str| {
                hit.captures
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.as_ref())
            };
            fill_into(&mut reframes, &hit.pattern.reframes, &lookup);
            fill_into(&mut questions, &hit.pattern.questions, &lookup);
        }
        fill_into(&mut reframes, &distortion.reframes, &|_| None);
        fill_into(&mut questions, &distortion.questions, &|_| None);
        let matches = group.iter().map(|hit| hit.to_match(text, &chars)).collect();
        findings.push(Finding {
            distortion,
            matches,
            reframes,
            questions,
        });
    }
    findings.sort_by(|a, b| {
        (a.matches[0].span.bytes.start, &a.distortion.id)
            .cmp(&(b.matches[0].span.bytes.start, &b.distortion.id))
    });
    findings
}

/// Appends each template that can be filled and is not already present.
fn fill_into<'e, 'v>(
    out: &mut Vec<Cow<'e, str>>,
    templates: &'e [Template],
    lookup: &dyn Fn(&str) -> Option<&'v str>,
) {
    for template in templates {
        if let Some(text) = template.fill(lookup)
            && !out.contains(&text)
        {
            out.push(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_safety_exception_has_its_required_strings_from_build_rs() {
        // Were the table out of step with the files, each expression would be parsed at run time
        // instead: the same answers, but the cost `LoneList` exists to avoid.
        let engine = Engine::new(RuleSet::builtin().unwrap()).unwrap();
        let mut checked = 0;
        for list in engine.lone_lists.iter().flatten() {
            let at = list.builtin_at.expect("the built-in safety file's list");
            for (i, lazy) in list.sources.iter().enumerate() {
                assert!(
                    prebuilt::safety_exception(at + i, &lazy.source).is_some(),
                    "{}",
                    lazy.source
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} expressions");
        assert!(prebuilt::safety_exception(0, "not the first expression").is_none());
    }

    #[test]
    fn the_built_in_rules_are_the_ones_build_rs_compiled() {
        // build.rs expands word lists and compiles the built-in expressions itself; were its
        // expansion to differ from the loader's, every start would quietly compile them again.
        let rules = RuleSet::builtin().unwrap();
        let written: Vec<&str> = (rules.distortions().iter())
            .filter(|d| d.kind == Kind::Distortion)
            .flat_map(|d| &d.patterns)
            .flat_map(|p| p.sources.iter().map(|s| s.text.as_str()))
            .collect();
        assert!(
            written
                .iter()
                .any(|w| !w.contains("{other}") && w.contains("(?:he|she"))
        );
        assert!(prebuilt_nfa(&written).is_some());
    }

    /// Every line of the project's corpora and every example of the built-in rules.
    fn thoughts(engine: &Engine) -> Vec<String> {
        let mut thoughts: Vec<String> = [
            include_str!("../tests/data/neutral.txt"),
            include_str!("../tests/data/distorted.txt"),
            include_str!("../tests/data/crisis.txt"),
            include_str!("../tests/data/not-crisis.txt"),
        ]
        .iter()
        .flat_map(|text| text.lines())
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.rsplit(" | ").next().unwrap_or(line).to_string())
        .collect();
        for distortion in engine.rules.distortions() {
            thoughts.extend(distortion.examples.iter().map(|e| e.text.clone()));
            for pattern in &distortion.patterns {
                thoughts.extend(pattern.examples.iter().map(|e| e.text.clone()));
            }
        }
        thoughts
    }

    /// What an analysis found, in a form that compares: each finding's distortion, matches (pattern,
    /// words, span) and reframes and questions, which carry the captures; and any crisis match.
    fn outcome(analysis: &Analysis) -> Vec<String> {
        let matches = |matches: &[Match]| {
            matches
                .iter()
                .map(|m| format!("{} {:?} {:?}", m.pattern.id, m.text, m.span.bytes))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut out: Vec<String> = analysis
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{}: {} | {:?} | {:?}",
                    f.distortion.id,
                    matches(&f.matches),
                    f.reframes,
                    f.questions
                )
            })
            .collect();
        out.extend(
            analysis
                .safety
                .iter()
                .map(|s| format!("{} {:?}: {}", s.level, s.category, matches(&s.matches))),
        );
        out
    }

    #[test]
    fn both_routes_give_the_same_analysis() {
        let engine = Engine::new(RuleSet::builtin().expect("the built-in rules load"))
            .expect("the built-in rules compile");
        let mut flagged = 0;
        for thought in thoughts(&engine) {
            let exact = outcome(&engine.analyse_by(&thought, Route::Automaton));
            let filtered = outcome(&engine.analyse_by(&thought, Route::Filter));
            assert_eq!(filtered, exact, "{thought}");
            flagged += usize::from(!exact.is_empty());
        }
        assert!(
            flagged > 1000,
            "the comparison covers real findings: {flagged}"
        );
    }

    #[test]
    fn the_first_thought_takes_the_automaton_unless_it_is_long() {
        let engine = || Engine::new(RuleSet::builtin().unwrap()).unwrap();
        let first = engine();
        assert_eq!(first.route("I always fail"), Route::Automaton);
        assert_eq!(first.route("I always fail"), Route::Filter);
        let long = "I always fail. ".repeat(LONG_THOUGHT / 15 + 1);
        assert_eq!(engine().route(&long), Route::Filter);
    }

    #[test]
    fn a_long_thought_with_many_matches_has_the_offsets_of_each() {
        use crate::analysis::Span;
        let engine = Engine::new(RuleSet::builtin().expect("the built-in rules load"))
            .expect("the built-in rules compile");
        // Accents, a three-byte ellipsis and a fullwidth letter (which folds to `i`), so that
        // byte and character offsets part and the normalized copy has a map.
        let times = 4_000;
        let text = "Ça me pèse… Ｉ always fail. ".repeat(times);
        // Characters before every boundary, counted once.
        let mut chars_before = vec![usize::MAX; text.len() + 1];
        for (n, (at, _)) in text.char_indices().enumerate() {
            chars_before[at] = n;
        }
        chars_before[text.len()] = text.chars().count();
        for route in [Route::Automaton, Route::Filter] {
            let analysis = engine.analyse_by(&text, route);
            let matches: Vec<&Match> = analysis.findings.iter().flat_map(|f| &f.matches).collect();
            assert!(
                matches.len() >= times,
                "{route:?}: {} matches",
                matches.len()
            );
            for m in matches {
                let Span { bytes, chars } = &m.span;
                assert_eq!(m.text, &text[bytes.clone()]);
                assert!(m.text.starts_with('Ｉ'), "{route:?}: {:?}", m.text);
                assert_eq!(
                    *chars,
                    chars_before[bytes.start]..chars_before[bytes.end],
                    "{route:?}: {bytes:?}"
                );
            }
        }
    }

    #[test]
    fn the_literal_filter_names_every_slot_that_matches() {
        let engine = Engine::new(RuleSet::builtin().expect("the built-in rules load"))
            .expect("the built-in rules compile");
        let filter = engine.build_filter().expect("the filter builds");
        let free: Vec<&str> = filter
            .candidates("")
            .into_iter()
            .map(|slot| engine.slots[slot].regex.source.as_str())
            .collect();
        assert!(
            free.is_empty(),
            "built-in expressions with nothing to look for: {free:?}"
        );
        let thoughts = thoughts(&engine);
        assert!(thoughts.len() > 1500, "{} thoughts", thoughts.len());
        let (mut found, mut named) = (0, 0);
        for thought in &thoughts {
            let normalized = Normalized::new(thought);
            let (exact, _) = engine.candidates(normalized.as_str(), Route::Automaton);
            let candidates = filter.candidates(normalized.as_str());
            for slot in &exact {
                assert!(
                    candidates.contains(slot),
                    "the filter missed {:?} in {thought:?}",
                    engine.slots[*slot].regex.source
                );
            }
            found += exact.len();
            named += candidates.len();
        }
        // The filter is only worth its search if it names few slots that do not match.
        assert!(
            named < found * 4,
            "{named} candidates for {found} matches in {} thoughts",
            thoughts.len()
        );
    }
}
