//! The literal filter: which of many expressions might match a text, from one Aho-Corasick
//! search for the strings they cannot match without (see `crate::literals`).

use aho_corasick::AhoCorasick;

use crate::literals::{Clause, collapse_spaces};

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
        let mut found: Vec<usize> = self
            .strings
            .find_overlapping_iter(collapse_spaces(text).as_ref())
            .map(|m| m.pattern().as_usize())
            .collect();
        found.sort_unstable();
        found.dedup();
        let mut met = vec![false; self.owner.len()];
        let mut counts = vec![0u32; self.needed.len()];
        let mut out = self.free.clone();
        for string in found {
            for &clause in &self.meets[string] {
                let clause = clause as usize;
                if !std::mem::replace(&mut met[clause], true) {
                    let expression = self.owner[clause] as usize;
                    counts[expression] += 1;
                    if counts[expression] == self.needed[expression] {
                        out.push(expression);
                    }
                }
            }
        }
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
    requirements: Vec<Vec<Clause>>,
}

impl Scan {
    /// A scan over expressions with these requirements, numbered in order.
    pub fn new(requirements: Vec<Vec<Clause>>) -> Scan {
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
                    .all(|clause| clause.iter().any(|s| text.contains(s.as_str())))
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
    }
}
