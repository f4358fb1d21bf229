//! The literal filter: which of many expressions might match a text, from one Aho-Corasick
//! search for the strings they cannot match without (see `crate::literals`).

use std::borrow::Cow;

use aho_corasick::AhoCorasick;

use crate::literals::{Clause, collapse_spaces};

/// Per-thread working space for [`Filter::candidates`], all false and zero between calls.
#[derive(Default)]
struct Scratch {
    /// For each clause, whether the text meets it.
    met: Vec<bool>,
    /// For each expression, how many of its clauses the text meets.
    counts: Vec<u32>,
    /// The clauses set in `met`, to reset.
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The clauses of a list of expressions, ready to say which of them might match a text.
#[derive(Debug)]
pub struct Filter {
    /// Every string of every clause, once.
    strings: AhoCorasick,
    /// For each string, the clauses (numbered across all expressions) it meets.
    meets: Vec<Vec<u32>>,
    /// For each clause, its expression.
    owner: Vec<u32>,
    /// For each expression, how many clauses it has.
    needed: Vec<u32>,
    /// The expressions with no clause, which are candidates for every text.
    free: Vec<usize>,
}

impl Filter {
    /// A filter over expressions with these requirements (see `crate::literals::requirement`), numbered in order.
    pub fn new(requirements: &[Vec<Clause>]) -> Result<Filter, String> {
        let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut strings: Vec<&str> = Vec::new();
        let mut meets: Vec<Vec<u32>> = Vec::new();
        let mut owner = Vec::new();
        let mut needed = Vec::new();
        let mut free = Vec::new();
        for (expression, clauses) in requirements.iter().enumerate() {
            if clauses.is_empty() {
                free.push(expression);
            }
            needed.push(clauses.len() as u32);
            for clause in clauses {
                let number = owner.len() as u32;
                owner.push(expression as u32);
                for string in clause {
                    let id = *ids.entry(string).or_insert_with(|| {
                        strings.push(string);
                        meets.push(Vec::new());
                        strings.len() - 1
                    });
                    if meets[id].last() != Some(&number) {
                        meets[id].push(number);
                    }
                }
            }
        }
        let strings = AhoCorasick::new(&strings).map_err(|error| error.to_string())?;
        Ok(Filter {
            strings,
            meets,
            owner,
            needed,
            free,
        })
    }

    /// The expressions that might match `text` (a normalized thought), in increasing order: those
    /// whose every clause has one of its strings in `text` with runs of spaces made one, and those
    /// with no clause.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let found: Vec<usize> = self
            .strings
            .find_overlapping_iter(collapse_spaces(text).as_ref())
            .map(|m| m.pattern().as_usize())
            .collect();
        // Which clauses are met, and how many of each expression's: flags and counts for every
        // clause and expression, kept per thread and reset where they were touched. Zeroing them
        // afresh for every thought cost more than the search itself once the safety rules'
        // thousands of clauses joined (memset was 3% of a batch of 20,000 lines, measured with
        // callgrind); sorting the met clauses instead cost as much in allocations.
        let mut out = self.free.clone();
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch {
                met,
                counts,
                touched,
            } = &mut *scratch;
            if met.len() < self.owner.len() {
                met.resize(self.owner.len(), false);
            }
            if counts.len() < self.needed.len() {
                counts.resize(self.needed.len(), 0);
            }
            for string in found {
                for &clause in &self.meets[string] {
                    if !std::mem::replace(&mut met[clause as usize], true) {
                        touched.push(clause);
                        let expression = self.owner[clause as usize] as usize;
                        counts[expression] += 1;
                        if counts[expression] == self.needed[expression] {
                            out.push(expression);
                        }
                    }
                }
            }
            for clause in touched.drain(..) {
                met[clause as usize] = false;
                counts[self.owner[clause as usize] as usize] = 0;
            }
        });
        out.sort_unstable();
        out
    }
}

/// A few expressions' requirements, checked by searching each string on its own: the same
/// answer as [`Filter::candidates`] with no automaton to build, which suits one thought. Building
/// the filter's automaton over the safety expressions' 4,329 strings cost 33 million
/// instructions, half a one-shot run; this scan costs about as many as there are strings.
#[derive(Debug)]
pub struct Scan {
    /// For each expression, its clauses, each a list of strings; borrowed from the table
    /// `build.rs` wrote where they come from there (copying its 4,329 strings cost a tenth of a
    /// one-shot run).
    requirements: Vec<Vec<Vec<Cow<'static, str>>>>,
}

impl Scan {
    /// A scan over expressions with these requirements, numbered in order.
    pub fn new(requirements: Vec<Vec<Vec<Cow<'static, str>>>>) -> Scan {
        Scan { requirements }
    }

    /// The expressions that might match `text` (a normalized thought), in increasing order: those
    /// whose every clause has one of its strings in `text` with runs of spaces made one.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let text = collapse_spaces(text);
        self.requirements
            .iter()
            .enumerate()
            .filter(|(_, clauses)| {
                clauses
                    .iter()
                    .all(|clause| clause.iter().any(|s| text.contains(s.as_ref())))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::literals::requirement;

    fn of(expression: &str) -> Vec<Clause> {
        requirement(expression).expect("the expression parses")
    }

    #[test]
    fn the_filter_keeps_expressions_whose_every_clause_is_met() {
        let expressions = [
            r"\bi (?:never|always) (?:fail|lose)\b",
            r"\bnobody (?:likes|loves) me\b",
            r"\w+",
        ];
        let requirements: Vec<Vec<Clause>> = expressions.iter().map(|e| of(e)).collect();
        let filter = Filter::new(&requirements).expect("the filter builds");
        assert_eq!(filter.candidates("i always lose"), vec![0, 2]);
        assert_eq!(filter.candidates("i always win"), vec![2]);
        assert_eq!(
            filter.candidates("nobody loves me and i never fail"),
            vec![0, 1, 2]
        );
        assert_eq!(filter.candidates(""), vec![2]);
        // The scan answers the same, with nothing built, and the same call twice in a row gives
        // the same answer (the filter's scratch is reset between calls).
        let scan = Scan::new(
            requirements
                .iter()
                .map(|clauses| {
                    clauses
                        .iter()
                        .map(|c| c.iter().cloned().map(Cow::Owned).collect())
                        .collect()
                })
                .collect(),
        );
        for text in [
            "i always lose",
            "i always win",
            "nobody loves me and i never fail",
            "",
        ] {
            assert_eq!(scan.candidates(text), filter.candidates(text), "{text:?}");
            assert_eq!(filter.candidates(text), filter.candidates(text), "{text:?}");
        }
    }
}
