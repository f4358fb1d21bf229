//! Measuring detection against labelled thoughts.
//!
//! Scoring is strict multi-label: for each row, every distortion id the engine reports that is
//! not among the row's labels is a false positive, and every label it does not report is a false
//! negative. Per-distortion scores are given for the ids the file labels; ids the engine reports
//! but the file never labels are counted apart, since they can only be false positives there.
//! A second, coarser score asks only "distorted or not": any label against any finding.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::engine::Engine;

/// One labelled row of an evaluation file. Other fields (such as `id`) are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    /// The thought.
    pub text: String,
    /// The distortion ids it shows; empty for a thought with none.
    pub labels: Vec<String>,
}

/// True and false positives and false negatives for one class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Reported and labelled.
    pub tp: usize,
    /// Reported, not labelled.
    pub fp: usize,
    /// Labelled, not reported.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

/// Precision, recall and F1, each 0 when undefined (nothing reported, or nothing labelled).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl Counts {
    /// The scores these counts give.
    pub fn scores(&self) -> Scores {
        let precision = ratio(self.tp, self.tp + self.fp);
        let recall = ratio(self.tp, self.tp + self.fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            precision,
            recall,
            f1,
        }
    }
}

/// The scores of one distortion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistortionScore {
    /// The distortion id.
    pub id: String,
    /// Precision, recall, F1.
    #[serde(flatten)]
    pub scores: Scores,
    /// How many rows carry this label.
    pub support: usize,
    /// The counts behind the scores.
    #[serde(flatten)]
    pub counts: Counts,
}

/// A row a distortion was wrongly reported on, with what fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalsePositive {
    /// The row's line in the file.
    pub line: usize,
    /// The thought.
    pub text: String,
    /// The labels the row has.
    pub labels: Vec<String>,
    /// The pattern that fired first.
    pub pattern: String,
    /// The words it matched.
    pub matched: String,
}

/// A row whose label was not reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The row's line in the file.
    pub line: usize,
    /// The thought.
    pub text: String,
    /// What was reported instead (distortion/pattern), if anything.
    pub reported: Vec<String>,
}

/// For one distortion, the rows it got wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Rows it was reported on without the label.
    pub false_positives: Vec<FalsePositive>,
    /// Rows with the label where it was not reported.
    pub misses: Vec<Miss>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Rows scored.
    pub rows: usize,
    /// Per distortion labelled in the file, ordered by id.
    pub distortions: Vec<DistortionScore>,
    /// The unweighted mean of the per-distortion scores.
    pub macro_average: Scores,
    /// Distorted (any label) against none (no label).
    pub distorted_vs_none: Scores,
    /// The counts behind `distorted_vs_none`.
    pub distorted_vs_none_counts: Counts,
    /// Rows with no label.
    pub neutral_rows: usize,
    /// Rows with no label on which something was reported.
    pub neutral_flagged: usize,
    /// Ids reported on some row but labelled on none, with how often they were reported.
    pub unlabelled: BTreeMap<String, usize>,
    /// Rows answered with crisis resources instead of findings (they count as "none reported").
    pub crisis_rows: usize,
    /// With explanations on: per distortion id, the rows it got wrong.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub explanations: BTreeMap<String, Explanation>,
}

/// Accumulates rows into a [`Report`].
#[derive(Debug)]
pub struct Evaluator<'e> {
    engine: &'e Engine,
    counts: BTreeMap<String, Counts>,
    labelled: BTreeSet<String>,
    binary: Counts,
    rows: usize,
    neutral_rows: usize,
    neutral_flagged: usize,
    crisis_rows: usize,
    explanations: Option<BTreeMap<String, Explanation>>,
}

impl<'e> Evaluator<'e> {
    /// Also records, per distortion, the rows it got wrong (for `reframe eval --explain`).
    pub fn explaining(mut self) -> Self {
        self.explanations = Some(BTreeMap::new());
        self
    }

    /// Starts an evaluation of `engine`.
    pub fn new(engine: &'e Engine) -> Self {
        Evaluator {
            engine,
            counts: BTreeMap::new(),
            labelled: BTreeSet::new(),
            binary: Counts::default(),
            rows: 0,
            neutral_rows: 0,
            neutral_flagged: 0,
            crisis_rows: 0,
            explanations: None,
        }
    }

    /// Scores one row, found on `line` of its file; returns the ids reported for it.
    pub fn add(&mut self, line: usize, row: &Row) -> Vec<&'e str> {
        let analysis = self.engine.analyse(&row.text);
        if let Some(explanations) = &mut self.explanations {
            for finding in &analysis.findings {
                if !row.labels.contains(&finding.distortion.id) {
                    explanations
                        .entry(finding.distortion.id.clone())
                        .or_default()
                        .false_positives
                        .push(FalsePositive {
                            line,
                            text: row.text.clone(),
                            labels: row.labels.clone(),
                            pattern: finding.matches[0].pattern.id.clone(),
                            matched: finding.matches[0].text.to_string(),
                        });
                }
            }
            for label in &row.labels {
                if !analysis.findings.iter().any(|f| &f.distortion.id == label) {
                    let reported = analysis
                        .findings
                        .iter()
                        .map(|f| format!("{}/{}", f.distortion.id, f.matches[0].pattern.id))
                        .chain(
                            analysis
                                .safety
                                .iter()
                                .map(|s| format!("safety/{}", s.matches[0].pattern.id)),
                        )
                        .collect();
                    explanations
                        .entry(label.clone())
                        .or_default()
                        .misses
                        .push(Miss {
                            line,
                            text: row.text.clone(),
                            reported,
                        });
                }
            }
        }
        let reported: Vec<&'e str> = analysis
            .findings
            .iter()
            .map(|f| f.distortion.id.as_str())
            .collect();
        let labels: BTreeSet<&str> = row.labels.iter().map(String::as_str).collect();
        self.rows += 1;
        self.crisis_rows += usize::from(analysis.safety.is_some());
        for label in &labels {
            self.labelled.insert((*label).to_string());
            let counts = self.counts.entry((*label).to_string()).or_default();
            if reported.contains(label) {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
            }
        }
        for id in &reported {
            if !labels.contains(id) {
                self.counts.entry((*id).to_string()).or_default().fp += 1;
            }
        }
        match (labels.is_empty(), reported.is_empty()) {
            (false, false) => self.binary.tp += 1,
            (false, true) => self.binary.fn_ += 1,
            (true, false) => {
                self.binary.fp += 1;
                self.neutral_rows += 1;
                self.neutral_flagged += 1;
            }
            (true, true) => self.neutral_rows += 1,
        }
        reported
    }

    /// The report over every row added.
    pub fn finish(self) -> Report {
        let mut distortions = Vec::new();
        let mut unlabelled = BTreeMap::new();
        for (id, counts) in self.counts {
            if self.labelled.contains(&id) {
                distortions.push(DistortionScore {
                    id,
                    scores: counts.scores(),
                    support: counts.tp + counts.fn_,
                    counts,
                });
            } else {
                unlabelled.insert(id, counts.fp);
            }
        }
        let n = distortions.len().max(1) as f64;
        let macro_average = Scores {
            precision: distortions.iter().map(|d| d.scores.precision).sum::<f64>() / n,
            recall: distortions.iter().map(|d| d.scores.recall).sum::<f64>() / n,
            f1: distortions.iter().map(|d| d.scores.f1).sum::<f64>() / n,
        };
        Report {
            rows: self.rows,
            distortions,
            macro_average,
            distorted_vs_none: self.binary.scores(),
            distorted_vs_none_counts: self.binary,
            neutral_rows: self.neutral_rows,
            neutral_flagged: self.neutral_flagged,
            unlabelled,
            crisis_rows: self.crisis_rows,
            explanations: self.explanations.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn scores_follow_the_definitions() {
        let s = Counts {
            tp: 3,
            fp: 1,
            fn_: 3,
        }
        .scores();
        assert_eq!(s.precision, 0.75);
        assert_eq!(s.recall, 0.5);
        assert!((s.f1 - 0.6).abs() < 1e-12);
        assert_eq!(Counts::default().scores().f1, 0.0);
    }
}
