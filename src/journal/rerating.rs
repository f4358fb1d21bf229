//! Re-ratings: how much the person believes an old thought when they look back at it, days later.
//!
//! A re-rating is a line of its own in the journal, beside the entries, so the journal stays
//! append-only: the entry it is about is never rewritten. It names that entry by the entry's
//! `started` time, and is told from an entry by its `kind`:
//!
//! ```json
//! {"version":1,"kind":"rerating","entry":"2026-11-20T18:30:00Z","at":"2026-11-28T09:00:00Z","belief":40}
//! ```
//!
//! Reading a re-rating is [`super::parse_all`]'s business; what to ask about is
//! [`super::review`]'s.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Entry, VERSION};

/// The `kind` of a re-rating line. A line without a `kind` is an entry.
pub const KIND: &str = "rerating";

/// How much the person believed an old thought when they looked back at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rerating {
    /// The schema version, [`VERSION`] when written by this program.
    pub version: u32,
    /// The entry looked back at, named by its `started` time.
    pub entry: Timestamp,
    /// When the person looked back.
    pub at: Timestamp,
    /// How much they believed the entry's thought then (0-100).
    pub belief: u8,
}

/// The line as written: the fields of [`Rerating`] with its `kind` after the version, so that
/// the line says what it is before anything else.
#[derive(Serialize)]
struct Line<'a> {
    version: u32,
    kind: &'a str,
    entry: Timestamp,
    at: Timestamp,
    belief: u8,
}

impl Rerating {
    /// A re-rating of `entry` made `at` (cut to the second), written by this version.
    pub fn new(entry: &Entry, at: Timestamp, belief: u8) -> Rerating {
        Rerating {
            version: VERSION,
            entry: entry.started,
            // Cut to the second, not rounded: a rating is never dated after it was given.
            at: at
                .round(
                    jiff::TimestampRound::new()
                        .smallest(jiff::Unit::Second)
                        .mode(jiff::RoundMode::Trunc),
                )
                .unwrap_or(at),
            belief: belief.min(100),
        }
    }

    /// The re-rating as one journal line, without the line break.
    pub fn to_line(&self) -> std::io::Result<String> {
        let line = Line {
            version: self.version,
            kind: KIND,
            entry: self.entry,
            at: self.at,
            belief: self.belief,
        };
        serde_json::to_string(&line).map_err(std::io::Error::other)
    }

    /// Reads a re-rating from a journal line already parsed as JSON; the error says what is
    /// wrong with it.
    pub(super) fn from_value(value: serde_json::Value) -> Result<Rerating, String> {
        let rerating: Rerating = serde_json::from_value(value).map_err(|e| e.to_string())?;
        if rerating.belief > 100 {
            return Err(format!(
                "its belief is {}, and a rating goes from 0 to 100",
                rerating.belief
            ));
        }
        Ok(rerating)
    }

    /// Whether this re-rating is about `entry`.
    pub fn is_about(&self, entry: &Entry) -> bool {
        self.entry == entry.started
    }
}

/// The re-ratings of `entry` among `reratings`, oldest first.
pub fn of<'a>(entry: &Entry, reratings: &'a [Rerating]) -> Vec<&'a Rerating> {
    let mut found: Vec<&Rerating> = reratings.iter().filter(|r| r.is_about(entry)).collect();
    found.sort_by_key(|r| r.at);
    found
}

/// How long after the entry the re-rating was made, in words: "3 days later", "the same day".
pub fn later(entry: &Entry, rerating: &Rerating) -> String {
    days_in_words(whole_days(entry.started, rerating.at), "later")
}

/// Whole days from `from` to `to` (24-hour periods, not calendar days), never below 0.
pub fn whole_days(from: Timestamp, to: Timestamp) -> i64 {
    (to.duration_since(from).as_hours() / 24).max(0)
}

/// `days` with `suffix` ("later", "ago"); 0 days is "the same day" or "today".
pub fn days_in_words(days: i64, suffix: &str) -> String {
    match (days, suffix) {
        (0, "ago") => "today".to_string(),
        (0, _) => "the same day".to_string(),
        (1, _) => format!("1 day {suffix}"),
        (n, _) => format!("{n} days {suffix}"),
    }
}

/// How much the thoughts of the entries looked back at were believed, on average: at first,
/// after the work, and at the latest look back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LookBack {
    /// Entries re-rated at least once.
    pub entries: usize,
    /// Mean belief at first, over those of them rated then.
    pub before: Option<f64>,
    /// Mean belief after the work, over those of them rated then.
    pub after: Option<f64>,
    /// Mean of each entry's latest re-rating.
    pub latest: f64,
}

/// The averages over the entries of `entries` that have re-ratings; `None` when none has.
pub fn look_back(entries: &[Entry], reratings: &[Rerating]) -> Option<LookBack> {
    let looked: Vec<(&Entry, u8)> = entries
        .iter()
        .filter_map(|e| of(e, reratings).last().map(|r| (e, r.belief)))
        .collect();
    let mean = |values: Vec<u8>| {
        (!values.is_empty())
            .then(|| values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64)
    };
    Some(LookBack {
        entries: looked.len(),
        before: mean(looked.iter().filter_map(|(e, _)| e.belief_before).collect()),
        after: mean(looked.iter().filter_map(|(e, _)| e.belief_after).collect()),
        latest: mean(looked.iter().map(|(_, b)| *b).collect())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        let mut e = Entry::new("2026-11-20T18:30:00Z".parse().unwrap());
        e.thought = "I'll never find someone who stays".into();
        e
    }

    #[test]
    fn a_rerating_is_one_line_that_names_its_kind_and_entry() {
        let r = Rerating::new(&entry(), "2026-11-28T09:00:00Z".parse().unwrap(), 40);
        assert_eq!(
            r.to_line().unwrap(),
            r#"{"version":1,"kind":"rerating","entry":"2026-11-20T18:30:00Z","at":"2026-11-28T09:00:00Z","belief":40}"#
        );
        let value = serde_json::from_str(&r.to_line().unwrap()).unwrap();
        assert_eq!(Rerating::from_value(value), Ok(r));
        assert!(r.is_about(&entry()));
        assert_eq!(later(&entry(), &r), "7 days later");
    }

    #[test]
    fn a_belief_over_100_is_refused() {
        let value = serde_json::json!({
            "version": 1, "kind": "rerating", "entry": "2026-11-20T18:30:00Z",
            "at": "2026-11-28T09:00:00Z", "belief": 140
        });
        let error = Rerating::from_value(value).unwrap_err();
        assert!(error.contains("140"), "{error}");
    }

    #[test]
    fn looking_back_averages_the_latest_rerating_of_each_entry() {
        let mut first = entry();
        first.belief_before = Some(90);
        first.belief_after = Some(40);
        let mut second = Entry::new("2026-11-21T18:30:00Z".parse().unwrap());
        second.belief_before = Some(70);
        let never = Entry::new("2026-11-22T18:30:00Z".parse().unwrap());
        let at = |day: &str| format!("2026-11-{day}T09:00:00Z").parse().unwrap();
        let reratings = [
            Rerating::new(&first, at("30"), 20),
            Rerating::new(&first, at("28"), 80),
            Rerating::new(&second, at("29"), 50),
        ];
        let entries = [first, second, never];
        let back = look_back(&entries, &reratings).unwrap();
        assert_eq!(back.entries, 2);
        assert_eq!(back.before, Some(80.0));
        assert_eq!(back.after, Some(40.0));
        // The first's latest is its re-rating of the 30th (20), not the one written last.
        assert_eq!(back.latest, 35.0);
        assert_eq!(look_back(&entries, &[]), None);
    }

    #[test]
    fn days_are_said_in_words() {
        assert_eq!(days_in_words(0, "ago"), "today");
        assert_eq!(days_in_words(0, "later"), "the same day");
        assert_eq!(days_in_words(1, "ago"), "1 day ago");
        assert_eq!(days_in_words(12, "ago"), "12 days ago");
        let from: Timestamp = "2026-11-20T18:30:00Z".parse().unwrap();
        let to: Timestamp = "2026-11-27T18:29:00Z".parse().unwrap();
        assert_eq!(whole_days(from, to), 6);
        assert_eq!(whole_days(to, from), 0);
    }
}
