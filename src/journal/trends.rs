//! The thinking traps over time, for `reframe journal stats`: how often each came up week by
//! week, and the situations each came with.
//!
//! An entry's traps are the ones the person chose, or, in an entry that never asked, the ones
//! recognised ([`Entry::traps`]), as everywhere `journal stats` counts them; and an unfinished
//! entry that a later one goes on with is left out, as there ([`counted`]).
//!
//! Weeks start on Monday, in the time zone given (the system's, for the command line), and are
//! named by that Monday's date. The situations under a trap are the person's own words, most
//! recent first; entries that stopped for safety are left out of them, so that stats never
//! bring such words back up. Drawing the result is the command line's business.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{Entry, counted};

/// One week that had entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// The Monday the week starts on.
    pub start: Date,
    /// How many entries were started in it.
    pub entries: usize,
    /// Each trap that came up, by name, with the number of entries it came up in; most frequent
    /// first, then by name.
    pub traps: Vec<(String, usize)>,
}

/// A thinking trap and the situations it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapSituations {
    /// The trap's name.
    pub name: String,
    /// How many entries it came up in.
    pub entries: usize,
    /// The situations written with it, most recent first, each once.
    pub situations: Vec<String>,
}

/// The Monday of the week `entry` was started in, in `tz`.
pub fn week_of(entry: &Entry, tz: &TimeZone) -> Date {
    let date = entry.started.to_zoned(tz.clone()).date();
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}

/// The weeks of `entries` that had any, oldest first, over the entries [`counted`].
pub fn weeks(entries: &[Entry], tz: &TimeZone) -> Vec<Week> {
    let mut by_week: BTreeMap<Date, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for entry in counted(entries) {
        let (count, traps) = by_week.entry(week_of(entry, tz)).or_default();
        *count += 1;
        for (_, name) in entry.traps() {
            *traps.entry(name.to_string()).or_default() += 1;
        }
    }
    by_week
        .into_iter()
        .map(|(start, (entries, traps))| {
            let mut traps: Vec<(String, usize)> = traps.into_iter().collect();
            traps.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Week {
                start,
                entries,
                traps,
            }
        })
        .collect()
}

/// Each trap of `entries` with the situations it came with, over the entries [`counted`]; most
/// frequent trap first, then by name.
pub fn situations(entries: &[Entry]) -> Vec<TrapSituations> {
    let mut by_trap: BTreeMap<String, TrapSituations> = BTreeMap::new();
    let mut recent_first = counted(entries);
    recent_first.sort_by_key(|e| std::cmp::Reverse(e.started));
    for entry in recent_first {
        for (_, name) in entry.traps() {
            let trap = by_trap
                .entry(name.to_string())
                .or_insert_with(|| TrapSituations {
                    name: name.to_string(),
                    entries: 0,
                    situations: Vec::new(),
                });
            trap.entries += 1;
            let situation = entry
                .situation
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty() && !entry.safety_stop);
            if let Some(situation) = situation
                && !trap.situations.iter().any(|s| s == situation)
            {
                trap.situations.push(situation.to_string());
            }
        }
    }
    let mut traps: Vec<TrapSituations> = by_trap.into_values().collect();
    traps.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.name.cmp(&b.name)));
    traps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Pattern;

    fn entry(started: &str, situation: Option<&str>, traps: &[&str]) -> Entry {
        let mut e = Entry::new(started.parse().unwrap());
        e.situation = situation.map(str::to_string);
        for name in traps {
            e.patterns.push(Pattern {
                id: name.to_lowercase().replace(' ', "-"),
                name: name.to_string(),
                words: Vec::new(),
            });
        }
        e
    }

    #[test]
    fn entries_fall_into_weeks_that_start_on_monday() {
        let entries = [
            // Monday 2 November 2026, and the Sunday that ends its week.
            entry(
                "2026-11-02T19:05:00Z",
                None,
                &["Labeling", "Fortune telling"],
            ),
            entry("2026-11-08T23:00:00Z", None, &["Labeling"]),
            entry("2026-11-09T08:40:00Z", None, &[]),
            entry("2026-11-25T08:40:00Z", None, &["Mind reading"]),
        ];
        let weeks = weeks(&entries, &TimeZone::UTC);
        let starts: Vec<String> = weeks.iter().map(|w| w.start.to_string()).collect();
        assert_eq!(starts, ["2026-11-02", "2026-11-09", "2026-11-23"]);
        assert_eq!(weeks[0].entries, 2);
        assert_eq!(
            weeks[0].traps,
            [
                ("Labeling".to_string(), 2),
                ("Fortune telling".to_string(), 1)
            ]
        );
        assert!(weeks[1].traps.is_empty());
    }

    #[test]
    fn the_week_is_the_one_in_the_time_zone_given() {
        // Sunday night in New York is Monday morning in UTC.
        let late = [entry("2026-11-09T03:00:00Z", None, &[])];
        let new_york = TimeZone::fixed(jiff::tz::offset(-5));
        assert_eq!(weeks(&late, &new_york)[0].start.to_string(), "2026-11-02");
        assert_eq!(
            weeks(&late, &TimeZone::UTC)[0].start.to_string(),
            "2026-11-09"
        );
    }

    #[test]
    fn situations_come_under_their_traps_most_recent_first_and_once() {
        let mut stopped = entry(
            "2026-11-20T10:00:00Z",
            Some("words not to repeat"),
            &["Labeling"],
        );
        stopped.safety_stop = true;
        let entries = [
            entry(
                "2026-11-02T10:00:00Z",
                Some("The job interview"),
                &["Labeling", "Fortune telling"],
            ),
            entry(
                "2026-11-09T10:00:00Z",
                Some("The team lunch"),
                &["Labeling"],
            ),
            entry(
                "2026-11-10T10:00:00Z",
                Some("The team lunch"),
                &["Labeling"],
            ),
            entry("2026-11-11T10:00:00Z", None, &["Mind reading"]),
            stopped,
        ];
        let traps = situations(&entries);
        let names: Vec<&str> = traps.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Labeling", "Fortune telling", "Mind reading"]);
        assert_eq!(traps[0].entries, 4);
        assert_eq!(traps[0].situations, ["The team lunch", "The job interview"]);
        assert_eq!(traps[1].situations, ["The job interview"]);
        assert!(traps[2].situations.is_empty());
    }
}
