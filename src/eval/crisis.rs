//! Scoring the crisis check against rows labelled `"crisis": true` or `false`.
//!
//! A row counts as answered when its analysis has crisis language at either level: `crisis` and
//! `concern` both show crisis lines and neither reframes, so both count, for recall and for false
//! alarms alike. Recall is taken over the crisis rows, the false-alarm rate over the others, and
//! each is split by the row's `subtype`. A crisis row that went on to findings instead (a reframe
//! of words that spoke of danger) is counted apart: it is the worst answer the tool can give, and
//! the figure must stay 0. A row that names suicide or self-harm without either level (someone
//! else's suicide, the news) gets the gentler mention answer, which also shows crisis lines and
//! reframes nothing: it is not counted as answered, but is counted in a column of its own, so a
//! calm row given it is seen. Distortion scoring is the parent module's business.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use serde::Serialize;

use super::ratio;
use crate::analysis::Analysis;
use crate::rules::Level;

/// Answered rows split by the level of their answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByLevel {
    /// Answered at `crisis` level.
    pub crisis: usize,
    /// Answered at `concern` level.
    pub concern: usize,
}

impl ByLevel {
    /// Answered at either level.
    pub fn total(&self) -> usize {
        self.crisis + self.concern
    }
}

impl AddAssign for ByLevel {
    fn add_assign(&mut self, other: ByLevel) {
        self.crisis += other.crisis;
        self.concern += other.concern;
    }
}

/// How many rows of a group were answered with crisis resources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Rows in the group.
    pub rows: usize,
    /// Rows answered with crisis resources, at either level: the total of `by_level`.
    pub answered: usize,
    /// answered / rows (0 for an empty group): recall for crisis rows, the false-alarm rate for
    /// the others.
    pub rate: f64,
    /// `answered`, split by level.
    pub by_level: ByLevel,
    /// Rows given the mention answer instead (the topic named, no level): not in `answered`.
    pub mention: usize,
}

impl Tally {
    /// Counts one row, answered at `level` if at all. Only `rows` and `by_level` are counted;
    /// [`Tally::finished`] derives the rest from them.
    fn add(&mut self, level: Option<Level>, mention: bool) {
        self.rows += 1;
        match level {
            Some(Level::Crisis) => self.by_level.crisis += 1,
            Some(Level::Concern) => self.by_level.concern += 1,
            None => self.mention += usize::from(mention),
        }
    }

    /// The tally with `answered` and `rate` filled in from the counts.
    fn finished(mut self) -> Tally {
        self.answered = self.by_level.total();
        self.rate = ratio(self.answered, self.rows);
        self
    }
}

/// The tally of the rows that carry one subtype.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubtypeTally {
    /// The subtype; `None` for rows that have none.
    pub subtype: Option<String>,
    /// Its rows and how many were answered.
    #[serde(flatten)]
    pub tally: Tally,
}

/// One pattern's match in a false alarm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SafetyMatch {
    /// The safety pattern's id.
    pub pattern: String,
    /// The words it matched.
    pub matched: String,
}

/// A row not labelled crisis that was answered with crisis resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalseAlarm {
    /// The row's line in the file.
    pub line: usize,
    /// The thought.
    pub text: String,
    /// The row's subtype, if any.
    pub subtype: Option<String>,
    /// The level of the answer.
    pub level: &'static str,
    /// Every safety match, in order of position.
    pub matches: Vec<SafetyMatch>,
}

/// A crisis row that was not answered with crisis resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrisisMiss {
    /// The row's line in the file.
    pub line: usize,
    /// The thought.
    pub text: String,
    /// The row's subtype, if any.
    pub subtype: Option<String>,
    /// The findings it got instead, as distortion/pattern; empty when nothing was recognised.
    /// Anything here means the row was given a reframe.
    pub reframed_as: Vec<String>,
    /// Whether it named suicide or self-harm, and so was not reframed (see
    /// `Analysis::mentions_suicide`).
    pub mentions_suicide: bool,
}

/// The rows the crisis check got wrong, for `reframe eval --explain safety`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CrisisExplanation {
    /// Rows not labelled crisis that were answered.
    pub false_alarms: Vec<FalseAlarm>,
    /// Crisis rows that were not answered.
    pub misses: Vec<CrisisMiss>,
}

/// How the crisis check did on the rows labelled for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisReport {
    /// Crisis rows and how many were answered: the rate is the recall.
    pub recall: Tally,
    /// The same per subtype of crisis row, ordered by subtype, rows without one last.
    pub recall_by_subtype: Vec<SubtypeTally>,
    /// Rows not labelled crisis and how many were answered: the rate is the false-alarm rate.
    pub false_alarms: Tally,
    /// The same per subtype of those rows, ordered as `recall_by_subtype`.
    pub false_alarms_by_subtype: Vec<SubtypeTally>,
    /// Crisis rows that were given a reframe instead of crisis resources; must be 0.
    pub reframed: usize,
    /// With explanations on: the rows it got wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<CrisisExplanation>,
}

/// Accumulates rows labelled for crisis into a [`CrisisReport`].
#[derive(Debug, Default)]
pub(super) struct CrisisScorer {
    crisis: BTreeMap<Option<String>, Tally>,
    not_crisis: BTreeMap<Option<String>, Tally>,
    reframed: usize,
    explanation: Option<CrisisExplanation>,
}

impl CrisisScorer {
    /// Also records the rows it got wrong.
    pub(super) fn explaining(&mut self) {
        self.explanation = Some(CrisisExplanation::default());
    }

    /// Whether any row has been added.
    pub(super) fn is_empty(&self) -> bool {
        self.crisis.is_empty() && self.not_crisis.is_empty()
    }

    /// Scores one row, found on `line`, labelled `crisis`, with its analysis.
    pub(super) fn add(
        &mut self,
        line: usize,
        crisis: bool,
        subtype: Option<&str>,
        analysis: &Analysis,
    ) {
        let level = analysis.safety.as_ref().map(|s| s.level);
        let groups = if crisis {
            &mut self.crisis
        } else {
            &mut self.not_crisis
        };
        groups
            .entry(subtype.map(str::to_string))
            .or_default()
            .add(level, analysis.mentions_suicide);
        let reframed = crisis && analysis.safety.is_none() && !analysis.findings.is_empty();
        self.reframed += usize::from(reframed);
        let Some(explanation) = &mut self.explanation else {
            return;
        };
        match (&analysis.safety, crisis) {
            (None, true) => explanation.misses.push(CrisisMiss {
                line,
                text: analysis.text.to_string(),
                subtype: subtype.map(str::to_string),
                reframed_as: analysis
                    .findings
                    .iter()
                    .map(|f| format!("{}/{}", f.distortion.id, f.matches[0].pattern.id))
                    .collect(),
                mentions_suicide: analysis.mentions_suicide,
            }),
            (Some(safety), false) => explanation.false_alarms.push(FalseAlarm {
                line,
                text: analysis.text.to_string(),
                subtype: subtype.map(str::to_string),
                level: safety.level.as_str(),
                matches: safety
                    .matches
                    .iter()
                    .map(|m| SafetyMatch {
                        pattern: m.pattern.id.clone(),
                        matched: m.text.to_string(),
                    })
                    .collect(),
            }),
            _ => {}
        }
    }

    /// The report over every row added.
    pub(super) fn finish(self) -> CrisisReport {
        let (recall, recall_by_subtype) = summed(self.crisis);
        let (false_alarms, false_alarms_by_subtype) = summed(self.not_crisis);
        CrisisReport {
            recall,
            recall_by_subtype,
            false_alarms,
            false_alarms_by_subtype,
            reframed: self.reframed,
            explanation: self.explanation,
        }
    }
}

/// The total of `groups` and each group, ordered by subtype with rows without one last.
fn summed(groups: BTreeMap<Option<String>, Tally>) -> (Tally, Vec<SubtypeTally>) {
    let mut total = Tally::default();
    let mut named = Vec::new();
    let mut unnamed = None;
    for (subtype, tally) in groups {
        total.rows += tally.rows;
        total.by_level += tally.by_level;
        total.mention += tally.mention;
        let tally = SubtypeTally {
            tally: tally.finished(),
            subtype,
        };
        if tally.subtype.is_some() {
            named.push(tally);
        } else {
            unnamed = Some(tally);
        }
    }
    named.extend(unnamed);
    (total.finished(), named)
}
