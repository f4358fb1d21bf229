//! Measuring detection against labelled thoughts.
//!
//! A row may be labelled for distortions (`labels`), for the crisis check (`crisis`, with an
//! optional `subtype`), or both; each label is scored on its own, and [`crisis`] owns the crisis
//! scores.
//!
//! Distortion scoring is strict multi-label: for each row, every distortion id the engine reports
//! that is not among the row's labels is a false positive, and every label it does not report is
//! a false negative. Per-distortion scores are given for the ids the file labels; ids the engine
//! reports but the file never labels are counted apart, since they can only be false positives
//! there. A second, coarser score asks only "distorted or not": any label against any finding.
//!
//! A label must be a distortion id: one of the active rules' or a built-in one (a built-in
//! distortion switched off is still scored, as never reported). Any other label is most likely a
//! typo, which scored would count as a distortion of its own with recall 0, drag the macro average
//! down and take the row from the distortion meant; so a row with one is refused, with the id it
//! most likely meant ([`UnknownLabels`]).

pub mod crisis;
pub mod nearest;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::rules::{Kind, builtin_ids};
use crisis::{CrisisReport, CrisisScorer};
use nearest::{Nearest, NearestFinder};

/// One row of an evaluation file: a thought labelled for distortions, for the crisis check, or
/// both. Other fields (such as `id` or `source`) are ignored; a row with neither label is refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawRow")]
pub struct Row {
    /// The thought.
    pub text: String,
    /// The distortion ids it shows (empty for a thought with none); `None` when the row is not
    /// labelled for distortions.
    pub labels: Option<Vec<String>>,
    /// Whether the thought is crisis language; `None` when the row is not labelled for it.
    pub crisis: Option<bool>,
    /// The kind of crisis row or not-crisis row, which the crisis scores are split by.
    pub subtype: Option<String>,
}

/// A row as written, before checking that it carries a label.
#[derive(Deserialize)]
struct RawRow {
    text: String,
    labels: Option<Vec<String>>,
    crisis: Option<bool>,
    subtype: Option<String>,
}

impl TryFrom<RawRow> for Row {
    type Error = &'static str;

    fn try_from(raw: RawRow) -> Result<Row, Self::Error> {
        if raw.labels.is_none() && raw.crisis.is_none() {
            return Err("the row has neither \"labels\" nor \"crisis\"");
        }
        Ok(Row {
            text: raw.text,
            labels: raw.labels,
            crisis: raw.crisis,
            subtype: raw.subtype,
        })
    }
}

/// The labels of a row that name no distortion, and why the row was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLabels {
    /// Each unknown label as written, with the known id it most likely meant, if one is close.
    pub labels: Vec<(String, Option<String>)>,
    /// The distortion ids a label may name, in order.
    pub known: Vec<String>,
}

impl fmt::Display for UnknownLabels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut unexplained = false;
        for (i, (label, meant)) in self.labels.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            match meant {
                Some(meant) => write!(f, "unknown label {label:?} (did you mean {meant:?}?)")?,
                None if Kind::of(label) == Kind::Safety => write!(
                    f,
                    "{label:?} is the crisis check, not a distortion: mark the row \"crisis\": true instead"
                )?,
                None => {
                    write!(f, "unknown label {label:?}")?;
                    unexplained = true;
                }
            }
        }
        if unexplained {
            write!(f, "; the distortion ids are {}", self.known.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownLabels {}

/// The known id closest to `label` when it is close enough to be the one meant: case aside, at
/// most a quarter of its letters (and at least one) changed, added or removed, which catches
/// "labelling", "mindreading" and "all or nothing" and leaves unrelated words alone.
fn closest<'k>(label: &str, known: &'k BTreeSet<String>) -> Option<&'k str> {
    let label = label.to_lowercase();
    let limit = (label.chars().count() / 4).max(1);
    known
        .iter()
        .map(|id| (strsim::levenshtein(&label, id), id.as_str()))
        .filter(|&(distance, _)| distance <= limit)
        .min()
        .map(|(_, id)| id)
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

pub(crate) fn ratio(num: usize, den: usize) -> f64 {
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
    /// How near the missed distortion's rules came (see [`nearest`]); `None` when no rules of
    /// that distortion are loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Nearest>,
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
///
/// The distortion fields cover the rows with `labels` (`labelled_rows` of them); in a file with
/// none they are zero and empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Rows scored, of either kind: with `labels`, with `crisis`, or with both. Before crisis rows
    /// were scored, every row had `labels` and this was also the distortion scores' row count;
    /// that count is now `labelled_rows`.
    pub rows: usize,
    /// Rows with `labels`, the ones the distortion scores are over.
    pub labelled_rows: usize,
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
    /// Rows with `labels` answered with crisis resources instead of findings (they count as
    /// "none reported").
    pub crisis_rows: usize,
    /// With explanations on: per distortion id, the rows it got wrong.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub explanations: BTreeMap<String, Explanation>,
    /// The crisis check's scores, when some row has `crisis`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis: Option<CrisisReport>,
}

/// Accumulates rows into a [`Report`].
#[derive(Debug)]
pub struct Evaluator<'e> {
    engine: &'e Engine,
    /// The ids a label may name: the active distortions' and the built-in ones.
    known: BTreeSet<String>,
    counts: BTreeMap<String, Counts>,
    labelled: BTreeSet<String>,
    binary: Counts,
    rows: usize,
    neutral_rows: usize,
    neutral_flagged: usize,
    crisis_rows: usize,
    explanations: Option<BTreeMap<String, Explanation>>,
    /// With explanations on, what works out how near the rules came to each miss.
    nearest: Option<NearestFinder<'e>>,
    crisis: CrisisScorer,
}

impl<'e> Evaluator<'e> {
    /// Also records, per distortion and for the crisis check, the rows it got wrong (for
    /// `reframe eval --explain`), and for each missed distortion how near its rules came.
    pub fn explaining(mut self) -> Self {
        self.explanations = Some(BTreeMap::new());
        self.nearest = Some(NearestFinder::new(self.engine));
        self.crisis.explaining();
        self
    }

    /// Starts an evaluation of `engine`.
    pub fn new(engine: &'e Engine) -> Self {
        let active = engine.rules().distortions().iter().map(|d| d.id.clone());
        let known = active
            .chain(builtin_ids().map(str::to_string))
            .filter(|id| Kind::of(id) == Kind::Distortion)
            .collect();
        Evaluator {
            engine,
            known,
            counts: BTreeMap::new(),
            labelled: BTreeSet::new(),
            binary: Counts::default(),
            rows: 0,
            neutral_rows: 0,
            neutral_flagged: 0,
            crisis_rows: 0,
            explanations: None,
            nearest: None,
            crisis: CrisisScorer::default(),
        }
    }

    /// Scores one row, found on `line` of its file, against each label it has; returns the
    /// distortion ids reported for it. A row with a label that names no distortion is refused,
    /// and nothing of it is counted.
    pub fn add(&mut self, line: usize, row: &Row) -> Result<Vec<&'e str>, UnknownLabels> {
        let engine = self.engine;
        self.add_analysed(line, row, &engine.analyse(&row.text))
    }

    /// [`Evaluator::add`] with the row's `analysis` made already (by the same engine), for a
    /// row scored by more than one evaluator: each file's and all files' together.
    pub fn add_analysed(
        &mut self,
        line: usize,
        row: &Row,
        analysis: &crate::analysis::Analysis<'e, '_>,
    ) -> Result<Vec<&'e str>, UnknownLabels> {
        let unknown: Vec<(String, Option<String>)> = (row.labels.iter().flatten())
            .filter(|label| !self.known.contains(*label))
            .map(|label| {
                let meant = closest(label, &self.known).map(str::to_string);
                (label.clone(), meant)
            })
            .collect();
        if !unknown.is_empty() {
            return Err(UnknownLabels {
                labels: unknown,
                known: self.known.iter().cloned().collect(),
            });
        }
        self.rows += 1;
        if let Some(crisis) = row.crisis {
            self.crisis
                .add(line, crisis, row.subtype.as_deref(), analysis);
        }
        let reported: Vec<&'e str> = analysis
            .findings
            .iter()
            .map(|f| f.distortion.id.as_str())
            .collect();
        let Some(row_labels) = &row.labels else {
            return Ok(reported);
        };
        if let Some(explanations) = &mut self.explanations {
            for finding in &analysis.findings {
                if !row_labels.contains(&finding.distortion.id) {
                    explanations
                        .entry(finding.distortion.id.clone())
                        .or_default()
                        .false_positives
                        .push(FalsePositive {
                            line,
                            text: row.text.clone(),
                            labels: row_labels.clone(),
                            pattern: finding.matches[0].pattern.id.clone(),
                            matched: finding.matches[0].text.to_string(),
                        });
                }
            }
            for label in row_labels {
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
                    let nearest =
                        (self.nearest.as_mut()).and_then(|finder| finder.nearest(label, &row.text));
                    explanations
                        .entry(label.clone())
                        .or_default()
                        .misses
                        .push(Miss {
                            line,
                            text: row.text.clone(),
                            reported,
                            nearest,
                        });
                }
            }
        }
        let labels: BTreeSet<&str> = row_labels.iter().map(String::as_str).collect();
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
        Ok(reported)
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
        // Summed from 0.0: an empty `sum` of floats is -0.0, which printed as "-0.000".
        let mean = |score: fn(&Scores) -> f64| {
            distortions
                .iter()
                .fold(0.0, |total, d| total + score(&d.scores))
                / n
        };
        let macro_average = Scores {
            precision: mean(|s| s.precision),
            recall: mean(|s| s.recall),
            f1: mean(|s| s.f1),
        };
        Report {
            rows: self.rows,
            labelled_rows: self.neutral_rows + self.binary.tp + self.binary.fn_,
            distortions,
            macro_average,
            distorted_vs_none: self.binary.scores(),
            distorted_vs_none_counts: self.binary,
            neutral_rows: self.neutral_rows,
            neutral_flagged: self.neutral_flagged,
            unlabelled,
            crisis_rows: self.crisis_rows,
            explanations: self.explanations.unwrap_or_default(),
            crisis: (!self.crisis.is_empty()).then(|| self.crisis.finish()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::crisis::{ByLevel, CrisisReport, SubtypeTally, Tally};
    use super::{Counts, Evaluator, Report, Row};
    use crate::{Engine, RuleSet, RuleSources};

    /// The built-in rules plus a safety pattern of the test's own at `concern` level, so a
    /// concern answer does not depend on the built-in wording.
    fn engine() -> Engine {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("safety-test.toml"),
            "name = \"Test words\"\nsummary = \"s\"\nexplanation = \"e\"\n[[pattern]]\nid = \"kingfisher\"\ncategory = \"suicide\"\nlevel = \"concern\"\nmatch = ['\\bkingfisher\\b']\n",
        )
        .unwrap();
        let sources = RuleSources {
            builtin: true,
            paths: vec![dir.path().to_path_buf()],
        };
        Engine::new(RuleSet::load(&sources).unwrap()).unwrap()
    }

    fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap()
    }

    /// Scores `rows` (JSON lines, numbered from 1), with explanations on.
    fn evaluate(engine: &Engine, rows: &[&str]) -> Report {
        let mut evaluator = Evaluator::new(engine).explaining();
        for (i, json) in rows.iter().enumerate() {
            evaluator.add(i + 1, &row(json)).unwrap();
        }
        evaluator.finish()
    }

    fn tally(rows: usize, crisis: usize, concern: usize) -> Tally {
        Tally {
            rows,
            answered: crisis + concern,
            rate: (crisis + concern) as f64 / rows as f64,
            by_level: ByLevel { crisis, concern },
            mention: 0,
        }
    }

    #[test]
    fn a_row_needs_labels_or_a_crisis_label_or_both() {
        let labelled = row(r#"{"id": "x", "text": "t", "labels": []}"#);
        assert_eq!((labelled.labels, labelled.crisis), (Some(vec![]), None));
        let crisis = row(r#"{"text": "t", "crisis": false, "subtype": "everyday", "source": "s"}"#);
        assert_eq!(
            (crisis.labels, crisis.crisis, crisis.subtype.as_deref()),
            (None, Some(false), Some("everyday"))
        );
        let both = row(r#"{"text": "t", "labels": ["labeling"], "crisis": true}"#);
        assert_eq!((both.labels.is_some(), both.crisis), (true, Some(true)));
        let error = serde_json::from_str::<Row>(r#"{"text": "t", "subtype": "direct"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("neither \"labels\" nor \"crisis\""),
            "{error}"
        );
    }

    #[test]
    fn crisis_rows_are_scored_per_subtype_with_either_level_counting_as_answered() {
        let engine = engine();
        let report = evaluate(
            &engine,
            &[
                r#"{"text": "I want to kill myself", "crisis": true, "subtype": "direct"}"#,
                r#"{"text": "the kingfisher again", "crisis": true, "subtype": "direct"}"#,
                r#"{"text": "I'm such an idiot", "crisis": true, "subtype": "indirect"}"#,
                r#"{"text": "I painted the fence", "crisis": true}"#,
                r#"{"text": "I saw a kingfisher", "crisis": false, "subtype": "everyday"}"#,
                r#"{"text": "The train was on time", "crisis": false, "subtype": "everyday"}"#,
                r#"{"text": "Nobody ever picks me", "crisis": false, "subtype": "cbt-thought"}"#,
            ],
        );
        let crisis = report
            .crisis
            .clone()
            .expect("crisis rows give a crisis report");
        let subtype = |name: Option<&str>, tally: Tally| SubtypeTally {
            subtype: name.map(str::to_string),
            tally,
        };
        assert_eq!(
            crisis,
            CrisisReport {
                recall: tally(4, 1, 1),
                recall_by_subtype: vec![
                    subtype(Some("direct"), tally(2, 1, 1)),
                    subtype(Some("indirect"), tally(1, 0, 0)),
                    subtype(None, tally(1, 0, 0)),
                ],
                false_alarms: tally(3, 0, 1),
                false_alarms_by_subtype: vec![
                    subtype(Some("cbt-thought"), tally(1, 0, 0)),
                    subtype(Some("everyday"), tally(2, 0, 1)),
                ],
                // "I'm such an idiot" went on to a thinking trap; the fence row to nothing.
                reframed: 1,
                explanation: crisis.explanation.clone(),
            }
        );
        let explained = crisis.explanation.unwrap();
        let alarms: Vec<_> = explained
            .false_alarms
            .iter()
            .map(|a| {
                (
                    a.line,
                    a.level,
                    a.matches[0].pattern.as_str(),
                    a.matches[0].matched.as_str(),
                )
            })
            .collect();
        assert_eq!(alarms, [(5, "concern", "kingfisher", "kingfisher")]);
        let misses: Vec<_> = explained
            .misses
            .iter()
            .map(|m| (m.line, m.subtype.as_deref(), m.reframed_as.clone()))
            .collect();
        assert_eq!(
            misses,
            [
                (
                    3,
                    Some("indirect"),
                    vec!["labeling/i-am-a-label".to_string()]
                ),
                (4, None, vec![]),
            ]
        );
        assert_eq!(report.rows, 7);
        assert!(
            report.distortions.is_empty() && report.unlabelled.is_empty(),
            "rows without labels are not scored for distortions: {:?}",
            report.unlabelled
        );
        assert_eq!((report.labelled_rows, report.crisis_rows), (0, 0));
    }

    #[test]
    fn a_mention_answer_is_counted_apart_and_not_as_answered() {
        let engine = engine();
        let report = evaluate(
            &engine,
            &[
                r#"{"text": "my uncle killed himself last spring", "crisis": false}"#,
                r#"{"text": "the news said suicide rates fell", "crisis": true}"#,
                r#"{"text": "I want to kill myself", "crisis": true}"#,
            ],
        );
        let crisis = report.crisis.expect("crisis rows give a crisis report");
        assert_eq!(
            (crisis.false_alarms.answered, crisis.false_alarms.mention),
            (0, 1)
        );
        assert_eq!((crisis.recall.answered, crisis.recall.mention), (1, 1));
        assert_eq!(crisis.reframed, 0);
    }

    #[test]
    fn a_row_with_both_labels_is_scored_both_ways_and_labels_alone_give_no_crisis_report() {
        let engine = engine();
        let both = evaluate(
            &engine,
            &[
                r#"{"text": "I'm a loser", "labels": ["labeling"], "crisis": false}"#,
                r#"{"text": "I want to die", "labels": [], "crisis": true}"#,
            ],
        );
        assert_eq!(both.distortions[0].counts.tp, 1);
        assert_eq!((both.labelled_rows, both.crisis_rows), (2, 1));
        let crisis = both.crisis.unwrap();
        assert_eq!((crisis.recall.answered, crisis.false_alarms.rows), (1, 1));
        let labelled = evaluate(
            &engine,
            &[r#"{"text": "I'm a loser", "labels": ["labeling"]}"#],
        );
        assert_eq!(labelled.crisis, None);
        assert_eq!(labelled.rows, 1);
    }

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
